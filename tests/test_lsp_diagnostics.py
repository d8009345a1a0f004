"""`podgen lsp`'s diagnostics against `podgen validate --format json` on the same files.

A workspace is built in tmp_path from podgen's own test corpora (read, not copied into the
repository): every rule family, multi-document files, blueprints, a project with its
kubernetesVersion and environments (and a broken one), custom resources beside their CRDs and
one whose CRD only podgen.yaml's `crds:` names, a buffer never saved, and texts whose findings
sit after non-ASCII, emoji and astral characters, with CRLF, a BOM, U+2028 and U+0085.
Each file is opened in one server; its diagnostics must be validate's findings, one for one.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from tests.lsp_client import session
from tests.lsp_expect import expected, published, validate

TESTS = Path(__file__).parent
REPO = TESTS.parent
#: A value put before a finding's column: 2-byte, 3-byte, emoji and astral characters.
WIDE = "é—😀𝄞x"
_CRD = "kind: CustomResourceDefinition"


def read(relative: str) -> str:
    return (REPO / relative).read_text(encoding="utf-8")


def corpus(pattern: str) -> list[Path]:
    return sorted(REPO.glob(pattern))


def flowed(text: str) -> str:
    """The documents of `text` in flow style, one line each, a wide annotation put first.

    Every finding of such a document is on one line after the non-ASCII annotation, so its
    column is where UTF-8, UTF-16 and characters all count differently.
    """
    documents = []
    for document in yaml.safe_load_all(text):
        if isinstance(document, dict) and isinstance(document.get("metadata"), dict):
            metadata = {"annotations": {"note": WIDE}, **document["metadata"]}
            document = {"metadata": metadata, **document}
        documents.append(
            yaml.safe_dump(
                document, default_flow_style=True, allow_unicode=True, width=10**9, sort_keys=False
            )
        )
    return "---\n".join(documents)


def project(root: Path, vendor: Path) -> dict[str, str]:
    """The shop example as a project at 1.30, prod at 1.29, its Certificate CRD out of the
    workspace (`crds:`), a typo in its blueprint, and a Job using a 1.30 field in prod."""
    files: dict[str, str] = {}
    (vendor / "certificate.yaml").write_text(read("examples/certificates/crds/certificate.yaml"))
    settings = read("examples/shop/podgen.yaml").replace(
        "kind: Project\n",
        f'kind: Project\nkubernetesVersion: "1.30"\ncrds: [{vendor / "certificate.yaml"}]\n',
    )
    settings = settings.replace("  prod:\n", '  prod:\n    kubernetesVersion: "1.29"\n')
    files["shop/podgen.yaml"] = settings
    files["shop/blueprint.yaml"] = read("examples/shop/blueprint.yaml").replace(
        "    port: 80\n", "    port: 80\n    imagePulPolicy: Always\n", 1
    )
    train = read("examples/cluster-version/train.yaml")
    files["shop/train.yaml"] = train  # at the project's 1.30: successPolicy is known
    files["shop/k8s/prod/train.yaml"] = train  # prod's 1.29: it is not
    cert = read("examples/certificates/k8s/web-cert.yaml")
    files["shop/cert.yaml"] = cert
    files["shop/cert-mistake.yaml"] = cert.replace("secretName:", "secretNme:")
    files["broken/podgen.yaml"] = settings.replace("out: k8s", "out: [k8s]").replace(
        str(vendor), str(vendor / "missing")
    )
    files["broken/pod.yaml"] = read("tests/tutorial_mistakes/misspelled-key.fixed.yaml")
    return files


def separators() -> dict[str, str]:
    """Line ends YAML has and LSP has not (U+2028, U+0085), in a quoted string."""
    pod = read("tests/tutorial_mistakes/misspelled-key.bad.yaml")
    inside = pod.replace("metadata:\n", 'metadata:\n  annotations: {note: "a\u2028b\x85c"}\n', 1)
    same_line = read("tests/tutorial_mistakes/misspelled-key.fixed.yaml").replace(
        "  name: nginx\n", '  {annotations: {n: "\u2028😀\x85"}, name: Bad_X}\n'
    )
    return {
        "eol/u2028-lines.yaml": inside,
        "eol/u2028-same-line.yaml": same_line.replace("metadata:\n  {", "metadata: {"),
    }


def plain(root: Path, vendor: Path) -> dict[str, str]:
    """Files with no CRD among them: every rule family but the CRDs' (relative path: text)."""
    files: dict[str, str] = {}
    for folder, pattern in [
        ("tutorial", "tests/tutorial_mistakes/*.bad.yaml"),
        ("mistakes", "tests/corpus/real_world/mistakes/*.yaml"),
        ("corpus", "tests/corpus/*.yaml"),
        ("manifests", "tests/manifests/*.yaml"),
        ("blueprints", "tests/blueprints/*.yaml"),
    ]:
        for path in corpus(pattern):
            text = path.read_text(encoding="utf-8")
            if _CRD not in text:
                files[f"{folder}/{path.name}"] = text
    for path in corpus("tests/corpus/real_world/mistakes/*.yaml")[::3]:
        if _CRD not in (text := path.read_text(encoding="utf-8")):
            files[f"flowed/{path.name}"] = flowed(text)
    files["flowed/pod-patterns.yaml"] = flowed(read("tests/corpus/pod-patterns.yaml"))
    files["blueprints/shop.yaml"] = read("examples/shop/blueprint.yaml")
    for name in ("misspelled-key.bad.yaml", "tabs.bad.yaml", "unterminated-quote.bad.yaml"):
        text = read(f"tests/tutorial_mistakes/{name}")
        files[f"eol/crlf-{name}"] = text.replace("\n", "\r\n")
        files[f"eol/bom-{name}"] = "\ufeff" + text
    rbac = flowed(read("tests/corpus/stateful-web.yaml"))
    files["eol/crlf-bom-flowed.yaml"] = "\ufeff" + rbac.replace("\n", "\r\n")
    files["eol/cr-flowed.yaml"] = "\r".join(rbac.split("\n"))
    files.update(separators())
    files.update(project(root, vendor))
    return files


def custom(root: Path, outside: Path) -> dict[str, str]:
    """Custom resources beside their CRDs; and, out of the workspace folder (open in the
    editor all the same), CRDs with mistakes, which define the same names as one another."""
    files: dict[str, str] = {}
    for path in corpus("tests/corpus/custom_resources/*/*.yaml"):
        files[f"{path.parent.name}/{path.name}"] = path.read_text(encoding="utf-8")
    for name in ("monitoring", "gateways"):
        text = flowed(read(f"tests/corpus/custom_resources/{name}/mistakes.yaml"))
        files[f"flowed/{name}.yaml"] = text
        files[f"flowed/crlf-{name}.yaml"] = text.replace("\n", "\r\n")
    for path in corpus("tests/corpus/real_world/mistakes/*.yaml"):
        if _CRD in (text := path.read_text(encoding="utf-8")):
            files[f"{os.path.relpath(outside, root)}/{path.name}"] = text
    return files


def written(root: Path, files: dict[str, str]) -> dict[str, str]:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return files


async def differential(
    root: Path, files: dict[str, str], crds: list[Path], unsaved: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Open every file (CRDs first) in one server; each one's findings, after checking that
    its diagnostics are they. `unsaved` is the text of a buffer never saved."""

    def run(relative: str) -> list[dict[str, Any]]:
        target = os.path.normpath(root / relative)
        return validate(Path(target), root, [crd for crd in crds if str(crd) != target])

    order = sorted(files, key=lambda relative: _CRD not in files[relative])
    texts = {relative: files[relative] for relative in order}
    if unsaved is not None:
        texts["<stdin>"] = unsaved
    with ThreadPoolExecutor(2) as pool:  # validate runs while the server works
        runs = {relative: pool.submit(run, relative) for relative in order}
        if unsaved is not None:
            runs["<stdin>"] = pool.submit(validate, None, root, crds, unsaved.encode())
        got = {}
        async with session(root) as editor:
            uris = {
                relative: editor.open(root / "never-saved.yaml", text)
                if relative == "<stdin>"
                else editor.open(Path(os.path.normpath(root / relative)), text)
                for relative, text in texts.items()
            }
            for relative, uri in uris.items():
                got[relative] = published(await editor.diagnostics(uri, 1))
        wanted = {relative: run.result() for relative, run in runs.items()}
    mismatches: dict[str, Any] = {}
    for relative, text in texts.items():
        path = None if relative == "<stdin>" else Path(os.path.normpath(root / relative))
        if got[relative] != (want := expected(text, path, wanted[relative], root)):
            mismatches[relative] = {"lsp": got[relative], "validate": want}
    assert not mismatches, mismatches
    return wanted


async def test_every_rule_family_project_and_unicode(tmp_path: Path) -> None:
    root, vendor = tmp_path / "ws", tmp_path / "vendor"
    vendor.mkdir()
    files = written(root, plain(root, vendor))
    unsaved = flowed(read("tests/corpus/real_world/mistakes/pdb-both-min-and-max.yaml"))
    found = await differential(root, files, [], unsaved)
    rules = {(f["rule"], f["severity"]) for items in found.values() for f in items}
    assert len({rule for rule, _ in rules}) >= 45, sorted(rules)
    assert {severity for _, severity in rules} == {"error", "warning"}
    assert {f["rule"] for f in found["<stdin>"]} == {"pdb-min-max"}
    # the cases are what they say
    named = {relative: {f["rule"] for f in items} for relative, items in found.items()}
    assert any(f["file"].endswith("blueprint.yaml") for f in found["shop/podgen.yaml"])
    assert "schema-unknown-field" not in named["shop/train.yaml"], found["shop/train.yaml"]
    assert named["shop/k8s/prod/train.yaml"], "1.29 has no Job successPolicy"
    assert named["shop/cert.yaml"] == set(), found["shop/cert.yaml"]
    assert named["shop/cert-mistake.yaml"] - {"kind-unchecked"}, found["shop/cert-mistake.yaml"]
    assert named["broken/podgen.yaml"], "a broken podgen.yaml is a finding"
    for relative in files:
        if relative.startswith(("eol/", "flowed/")):
            assert found[relative], f"{relative}: no finding after its wide or odd characters"


async def test_custom_resources_and_crds(tmp_path: Path) -> None:
    root, outside = tmp_path / "ws", tmp_path / "elsewhere"
    files = written(root, custom(root, outside))
    crds = sorted(root / r for r, text in files.items() if _CRD in text and ".." not in r)
    found = await differential(root, files, crds)
    rules = {f["rule"] for items in found.values() for f in items}
    for relative, items in found.items():
        if relative.endswith("resources.yaml"):  # valid, each checked with its CRD
            assert "kind-unchecked" not in {f["rule"] for f in items}, items
    assert len({rule for rule in rules if rule.startswith("crd-")}) >= 10, sorted(rules)


async def test_two_workspace_files_defining_one_crd(tmp_path: Path) -> None:
    files = {
        name: read(f"tests/corpus/real_world/mistakes/{name}")
        for name in ("crd-bad-scope.yaml", "crd-list-map-without-keys.yaml")
    }
    written(tmp_path, files)
    crds = sorted(tmp_path / name for name in files)
    await differential(tmp_path, files, crds)
