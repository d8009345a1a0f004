"""podgen's explain of custom resources against `kubectl explain` with the CRDs installed.

The CRDs of tests/explain_crds are installed into the shared API server (groups of their
own, deleted afterwards) and kubectl 1.37 explains them from a fresh cache; podgen explains
them from the files alone, at release 1.36 (the server's), byte for byte. Compared: every kind
in every served version, every field path of its schema (arrays and maps walked through as
kubectl walks them), `--recursive`, `--max-depth`, both outputs and unknown fields. kubectl
runs in a thread pool: a few hundred calls take seconds.
"""

from __future__ import annotations

import concurrent.futures
import shutil
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from podgen._errors import ExplainError, ExplainFieldError
from podgen._explaining.crds import crd_resources, crd_schemas, schema_name
from podgen._explaining.openapiv2 import explain_openapiv2
from podgen._explaining.plaintext import explain_plaintext
from tests.apiserver import SERVER_VERSION
from tests.explain_crd_cases import CRD_FOLDER, CRDS, installed
from tests.explain_peer import ExplainPeer, differences, podgen_explain

#: Deep enough for every field of the test CRDs; ObjectMeta (built in) only at its top.
DEPTH = 8


def _paths(schema: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every field path below a CRD schema node, as kubectl follows it: through array
    items and map values to their fields."""
    if len(prefix) >= DEPTH:
        return
    while True:
        if isinstance(schema.get("items"), dict):
            schema = schema["items"]
        elif isinstance(schema.get("additionalProperties"), dict):
            schema = schema["additionalProperties"]
        else:
            break
    for name, field in (schema.get("properties") or {}).items():
        yield (*prefix, name)
        yield from _paths(field, (*prefix, name))


def _kinds() -> Iterator[tuple[str, str, str, tuple[tuple[str, ...], ...]]]:
    """(group, version, kind, field paths) of every served version of the test CRDs."""
    for crd in CRDS:
        spec = crd["spec"]
        for version in spec["versions"]:
            if not version["served"]:
                continue
            schema = version["schema"]["openAPIV3Schema"]
            paths = {("apiVersion",), ("kind",), ("metadata",), ("metadata", "name")}
            paths.update(
                p for p in _paths(schema) if p[0] not in ("apiVersion", "kind", "metadata")
            )
            embedded = [p for p in paths if _embedded(schema, p)]
            for path in embedded:  # the server gives embedded resources these three
                paths.update({(*path, "apiVersion"), (*path, "kind"), (*path, "metadata")})
            yield spec["group"], version["name"], spec["names"]["kind"], tuple(sorted(paths))


def _embedded(schema: Mapping[str, Any], path: Sequence[str]) -> bool:
    node: Mapping[str, Any] | None = schema
    for name in path:
        while node is not None and ("items" in node or "additionalProperties" in node):
            inner = node.get("items") or node.get("additionalProperties")
            node = inner if isinstance(inner, dict) else None
        node = (node or {}).get("properties", {}).get(name)
        if node is None:
            return False
    while node is not None and isinstance(node.get("items"), dict):
        node = node["items"]
    return bool(node and node.get("x-kubernetes-embedded-resource"))


KINDS = list(_kinds())


class Case(NamedTuple):
    """One kubectl explain run of a custom resource."""

    group: str
    version: str
    kind: str
    plural: str
    fields: tuple[str, ...]
    output: str = "plaintext"
    recursive: bool = False
    max_depth: int | None = None

    def kubectl_args(self) -> list[str]:
        # kubectl reads `plural.group.field` as fields of `plural`: the group goes in
        # --api-version.
        args = [".".join((self.plural, *self.fields))]
        args += ["--api-version", f"{self.group}/{self.version}", "--output", self.output]
        if self.recursive:
            args.append("--recursive")
        if self.max_depth is not None:
            args += ["--max-depth", str(self.max_depth)]
        return args


def _cases(group: str, version: str, kind: str, paths: Sequence[tuple[str, ...]]) -> list[Case]:
    plural = next(c["spec"]["names"]["plural"] for c in CRDS if c["spec"]["names"]["kind"] == kind)
    cases = []
    for output in ("plaintext", "plaintext-openapiv2"):
        base = Case(group, version, kind, plural, (), output)
        cases.append(base)
        cases.append(base._replace(recursive=True))
        cases.extend(base._replace(fields=path) for path in paths)
        cases.append(base._replace(fields=("nope",)))
        cases.append(base._replace(fields=("spec", "nope")))
        if output == "plaintext":
            cases.extend(base._replace(recursive=True, max_depth=depth) for depth in (1, 2, 3))
            cases.extend(
                base._replace(fields=("spec",), recursive=True, max_depth=d) for d in (1, 2)
            )
    return cases


def _rendered(case: Case, *, openapi_v2: bool = False) -> tuple[int, str, str]:
    """podgen's library, as `podgen explain --crd` calls it: exit code, stdout, stderr.

    `openapi_v2`: from the schemas as /openapi/v2 has them (crd_schemas(openapi_v2=True)),
    not from those of /openapi/v3 that the openapiv2 printer turns into them itself.
    """
    group_version = f"{case.group}/{case.version}"
    schemas = crd_schemas(CRDS, group_version, SERVER_VERSION, openapi_v2=openapi_v2)
    render = explain_openapiv2 if case.output == "plaintext-openapiv2" else explain_plaintext
    try:
        text = render(
            schemas,
            schema_name(case.group, case.version, case.kind),
            case.group,
            case.version,
            case.kind,
            case.fields,
            recursive=case.recursive,
            max_depth=case.max_depth,
        )
    except ExplainFieldError as error:
        return 1, error.stdout, f"error: {error}\n"
    except ExplainError as error:
        return 1, "", f"error: {error}\n"
    return 0, text, ""


@pytest.fixture(scope="module")
def peer(explain_peer: ExplainPeer) -> Iterator[ExplainPeer]:
    """kubectl with the test CRDs installed, and a cache that has not seen the server without."""
    with installed(explain_peer.server):
        yield explain_peer.fresh()


@pytest.mark.parametrize(
    ("group", "version", "kind", "paths"), KINDS, ids=[f"{k[2]}-{k[1]}" for k in KINDS]
)
def test_podgen_explains_a_custom_resource_as_kubectl(
    peer: ExplainPeer, group: str, version: str, kind: str, paths: tuple[tuple[str, ...], ...]
) -> None:
    cases = _cases(group, version, kind, paths)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        runs = list(pool.map(lambda case: peer.explain(*case.kubectl_args()), cases))
    wrong = []
    for case, run in zip(cases, runs, strict=True):
        theirs = (run.returncode, run.stdout, run.stderr)
        for openapi_v2 in (False, True) if case.output == "plaintext-openapiv2" else (False,):
            ours = _rendered(case, openapi_v2=openapi_v2)
            if ours != theirs:
                wrong.append((" ".join(case.kubectl_args()), openapi_v2, ours, theirs))
    assert not wrong, f"{len(wrong)} of {len(cases)} differ; the first: {wrong[0]}"


def _names() -> list[list[str]]:
    """Every way kubectl takes a test CRD's resource, with and without --api-version."""
    cases: list[list[str]] = []
    for resource in crd_resources(CRDS):
        names = {
            resource.kind,
            resource.kind.lower(),
            resource.kind.upper(),
            resource.plural,
            resource.singular,
            *resource.short_names,
            f"{resource.plural}.{resource.group}",
            f"{resource.singular}.{resource.group}",
            f"{resource.kind}.{resource.version}.{resource.group}",
        }
        cases += [[name] for name in sorted(names)]
        cases += [[f"{resource.singular}.spec"], [f"{resource.plural}.{resource.group}.spec"]]
        cases.append([resource.plural, "--api-version", resource.group_version])
        cases.append([f"{resource.plural}.metadata.name", "-o", "plaintext-openapiv2"])
    gadgets = "versions.crd.explain-test.podgen.dev"
    cases += [
        ["gadgets", "--api-version", f"{gadgets}/v2alpha1"],  # a version not served
        ["gizmos", "--api-version", f"{gadgets}/v1"],  # a kind the version has not
        ["gizmos.spec", "--api-version", f"{gadgets}/v1", "-o", "plaintext-openapiv2"],
        ["gadgets", "--api-version", gadgets],
        ["certificates", "--api-version", "certs.crd.explain-test.podgen.dev/v2"],
        ["nope"], ["certificates.nope"], ["oddities.spec.matrix.x", "-R"],
        ["wf.spec.anything"], ["quirks.c.kind"], ["quirks.c.nope"],
    ]  # fmt: skip
    return cases


def test_every_name_of_a_custom_resource_as_kubectl(peer: ExplainPeer, tmp_path: Path) -> None:
    """`podgen explain --crd FOLDER ARGS` against `kubectl explain ARGS`, end to end."""
    assert differences(peer, _names(), tmp_path, [str(CRD_FOLDER)]) == []


def test_a_projects_crds_are_explained(peer: ExplainPeer, tmp_path: Path) -> None:
    """Below a podgen.yaml, its `crds:` are explained without --crd; --crd adds to them."""
    (tmp_path / "podgen.yaml").write_text(
        "apiVersion: podgen.dev/v1\nkind: Project\nblueprints: [sub]\n"
        "crds: [crds/certificates.yaml, crds/versions.yaml]\n"
    )
    (tmp_path / "crds").mkdir()
    (tmp_path / "sub").mkdir()
    for name in ("certificates.yaml", "versions.yaml", "edge.yaml"):
        shutil.copy(CRD_FOLDER / name, tmp_path / "crds" / name)
    cases = [["cert.spec.issuerRef"], ["gd", "-R"], ["ciss"]]
    assert differences(peer, cases, tmp_path / "sub") == []
    assert differences(peer, [["odd.spec"]], tmp_path, ["crds/edge.yaml"]) == []
    without = podgen_explain(["odd.spec"], tmp_path, [])
    assert without.returncode == 1
    assert without.stderr == 'the server doesn\'t have a resource type "odd"\n'  # as kubectl's


def test_crd_errors_and_warnings(tmp_path: Path) -> None:
    missing = podgen_explain(["cert"], tmp_path, [str(tmp_path / "nothing")])
    assert (missing.returncode, missing.stdout) == (1, "")  # as validate's --crd
    words = "no such file or folder (a CRD file or a folder)"
    assert missing.stderr == f"error: --crd: {tmp_path / 'nothing'}: {words}\n"
    gadgets = next(crd for crd in CRDS if crd["spec"]["names"]["kind"] == "Gadget")
    other = {**gadgets, "metadata": {"name": "gadgets2.versions.crd.explain-test.podgen.dev"}}
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(gadgets))
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(other))
    twice = podgen_explain(["gd.spec"], tmp_path, [str(tmp_path)])
    assert twice.returncode == 0
    assert twice.stderr.startswith(f"Warning: {tmp_path / 'b.yaml'}:1: CRD gadgets2.")
