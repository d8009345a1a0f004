"""podgen validate as users meet it: tutorial mistakes, formats, exit codes, lint, hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from podgen._blueprint import builtins as _builtins
from tests.conftest import run_podgen

MISTAKES = Path(__file__).parent / "tutorial_mistakes"

# The mistakes people copy from Pod tutorials, and what podgen says about each.
TUTORIAL = [
    ("tabs", 4, "tabs are not allowed for indentation"),
    ("misspelled-key", 8, "unknown field 'imgae'; did you mean 'image'?"),
    ("misindented-command", 9, "it is a field of each of `containers`: indent it under one"),
    ("unterminated-quote", 10, "while scanning a quoted scalar at line 9"),
    ("kind-pod", 2, "unknown kind 'pod'; did you mean 'Pod'?"),
    ("pasted-line-numbers", 1, "pasted line numbers?"),
]


@pytest.mark.parametrize(("name", "line", "words"), TUTORIAL, ids=[t[0] for t in TUTORIAL])
def test_tutorial_mistake_and_its_fix(name: str, line: int, words: str) -> None:
    bad, fixed = MISTAKES / f"{name}.bad.yaml", MISTAKES / f"{name}.fixed.yaml"
    result = run_podgen(["validate", str(bad)])
    assert result.code == 1
    assert any(
        f.startswith(f"{bad}:{line}:") and ": error: " in f and words in f
        for f in result.stdout.splitlines()
    ), result.stdout
    fixed_result = run_podgen(["validate", str(fixed)])
    assert fixed_result.code == 0, fixed_result.stdout
    assert ": error: " not in fixed_result.stdout
    kubernetes_validate.validate(yaml.safe_load(fixed.read_text()), "1.37", strict=True)


def test_text_format_and_summary(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text((MISTAKES / "misspelled-key.bad.yaml").read_text())
    result = run_podgen(["validate", str(tmp_path / "p.yaml")])
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{tmp_path / 'p.yaml'}:8:5: error: spec.containers[0].imgae: unknown field 'imgae'; "
        "did you mean 'image'? [schema-unknown-field]"
    )
    assert result.stderr == "2 error(s), 0 warning(s) in 1 file(s)\n"


def test_json_format_has_the_same_findings(tmp_path: Path) -> None:
    path = MISTAKES / "misspelled-key.bad.yaml"
    text = run_podgen(["validate", str(path)]).stdout.splitlines()
    result = run_podgen(["validate", str(path), "--format", "json"])
    assert result.code == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 2 and report["files"] == 1
    assert [
        f"{f['file']}:{f['line']}:{f['column']}: {f['severity']}: {f['message']} [{f['rule']}]"
        for f in report["findings"]
    ] == text


def test_exit_codes(tmp_path: Path) -> None:
    clean = tmp_path / "clean.yaml"
    clean.write_text(run_podgen(["render", "secure-web"]).stdout)
    assert run_podgen(["validate", str(clean), "--strict"]).code == 0
    warned = tmp_path / "warned.yaml"
    warned.write_text(run_podgen(["new", "web", "--image", "nginx"]).stdout)
    assert run_podgen(["validate", str(warned)]).code == 0  # warnings alone pass...
    assert run_podgen(["validate", str(warned), "--strict"]).code == 1  # ...unless --strict
    assert run_podgen(["validate", str(MISTAKES / "tabs.bad.yaml")]).code == 1
    assert run_podgen(["validate", str(tmp_path / "missing.yaml")]).code == 2
    assert run_podgen(["validate", str(clean), "--k8s-version", "1.30"]).code == 0
    assert run_podgen(["validate", str(clean), "--k8s-version", "1.28"]).code == 1  # usage


@pytest.mark.parametrize("name", _builtins.names())
def test_everything_podgen_renders_is_clean(name: str, tmp_path: Path) -> None:
    (tmp_path / "out.yaml").write_text(run_podgen(["render", name]).stdout)
    result = run_podgen(["validate", str(tmp_path / "out.yaml")])
    assert result.code == 0 and ": error: " not in result.stdout, result.stdout


LINT = [
    ("no-probes", "podgen new web --image nginx:1.25.3"),
    ("no-resources", "podgen new web --image nginx:1.25.3"),
    ("run-as-root", "podgen new web --image nginx:1.25.3"),
    ("image-tag", "podgen new web --image nginx"),
    ("image-tag", "podgen new web --image nginx:latest"),
    ("privileged", "podgen new web --image nginx:1.25.3 --privileged"),
    ("probe-port-undeclared", "podgen new web --image nginx:1.25.3 --probe http --probe-port 8080"),
]


@pytest.mark.parametrize(("rule", "command"), LINT)
def test_lint_warnings(rule: str, command: str, tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(run_podgen(command.split()[1:]).stdout)
    result = run_podgen(["validate", str(tmp_path / "m.yaml")])
    assert result.code == 0
    assert any(f.endswith(f"[{rule}]") and ": warning: " in f for f in result.stdout.splitlines())


def test_service_lint_against_pods_in_the_same_file(tmp_path: Path) -> None:
    pods = run_podgen(["new", "web", "--image", "nginx:1.25.3", "--port", "80"]).stdout
    service = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
        "spec:\n  selector: {app: api}\n  ports:\n  - {port: 80, targetPort: 8080}\n"
    )
    (tmp_path / "m.yaml").write_text(pods + "---\n" + service)
    result = run_podgen(["validate", str(tmp_path / "m.yaml")])
    assert "[service-selector-unmatched]" in result.stdout
    (tmp_path / "m.yaml").write_text(pods + "---\n" + service.replace("app: api", "run: web"))
    result = run_podgen(["validate", str(tmp_path / "m.yaml")])
    assert "[service-selector-unmatched]" not in result.stdout
    finding = next(f for f in result.stdout.splitlines() if "[service-target-port]" in f)
    assert finding.startswith(f"{tmp_path / 'm.yaml'}:24:16:")  # the targetPort key


def test_blueprints_and_folders(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(run_podgen(["blueprints", "show", "mysql"]).stdout)
    (tmp_path / "b.yaml").write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods:\n  - name: web\n    image: nginx\n"
        "    sidecar: {native: true}\n"
    )
    result = run_podgen(["validate", str(tmp_path)])
    assert result.code == 1
    assert result.stdout.strip().startswith(
        f"{tmp_path / 'b.yaml'}:6:15: error: pods[0].sidecar.native"
    )


def test_unchecked_kinds_are_a_warning(tmp_path: Path) -> None:
    # Every built-in kind is checked (issue 15); a custom resource's schema is not podgen's.
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    result = run_podgen(["validate", str(tmp_path / "cm.yaml")])
    assert result.code == 0 and "[kind-unchecked]" not in result.stdout
    (tmp_path / "cr.yaml").write_text("apiVersion: acme.io/v1\nkind: Rocket\nmetadata: {name: r}\n")
    result = run_podgen(["validate", str(tmp_path / "cr.yaml")])
    assert result.code == 0 and "[kind-unchecked]" in result.stdout


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"", 2, "is empty"),
        (b"\x00\x01\x02", 2, "binary"),
        # over 4 MiB: read a document at a time, as kubectl reads it
        (b"a: " + b"x" * (5 * 1024 * 1024), 1, "missing `kind`"),
        # an alias bomb (kubectl reads aliases, up to go-yaml's budget)
        (
            b"a: &a ["
            + b"x, " * 9
            + b"x]\n"
            + b"".join(
                b"%s: &%s [" % (bytes([98 + i]), bytes([98 + i]))
                + b"*%s, " % bytes([97 + i]) * 9
                + b"*%s]\n" % bytes([97 + i])
                for i in range(8)
            ),
            1,
            "excessive aliasing",
        ),
        # an unknown tag is no more than its text to kubectl: nothing runs
        (b"!!python/object/apply:os.system ['touch PWNED']\n", 1, "error"),
    ],
)
def test_hostile_input(
    tmp_path: Path, content: bytes, code: int, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("h.yaml").write_bytes(content)
    result = run_podgen(["validate", "h.yaml"])
    assert result.code == code
    assert words in result.stdout and "Traceback" not in result.stdout + result.stderr
    assert not Path("PWNED").exists()


def test_what_podgen_writes_is_checked_against_the_schema(tmp_path: Path) -> None:
    """An overrides typo in a blueprint is refused before anything is printed."""
    (tmp_path / "b.yaml").write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods:\n  - name: web\n"
        "    image: nginx:1.25.3\n    overrides: {hostNetwrok: true}\n"
    )
    result = run_podgen(["render", str(tmp_path / "b.yaml")])
    assert result.code == 1 and result.stdout == ""
    assert (
        "spec.hostNetwrok: unknown field 'hostNetwrok'; did you mean 'hostNetwork'?"
        in result.stderr
    )
