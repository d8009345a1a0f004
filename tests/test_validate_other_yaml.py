"""podgen validate --skip-other-yaml and the published pre-commit hooks (issue 21).

pre-commit gives the `podgen-validate` hook every staged YAML file: its own config, CI
workflows, compose files, podgen.yaml. Only manifests, blueprints and the project are
podgen's to check.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from podgen._front.argv_on_save import parse_validate
from tests.conftest import run_podgen

ROOT = Path(__file__).resolve().parent.parent

OTHER_YAML = {
    ".pre-commit-config.yaml": """\
repos:
  - repo: https://example.com/podgen
    rev: v0.1.0
    hooks:
      - id: podgen-validate
      - id: podgen-render-check
""",
    ".github/workflows/ci.yml": """\
name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make check
""",
    # anchors and merge keys: podgen refuses them in manifests, compose files are full of them
    "docker-compose.yml": """\
x-common: &common
  restart: always
services:
  web:
    <<: *common
    image: nginx:1.27.1
    ports: ["8080:80"]
  db:
    <<: *common
    image: postgres:16
""",
    "mkdocs.yml": "site_name: shop\nnav:\n  - Home: index.md\n",
    "empty.yaml": "\n",
    "comments.yaml": "# nothing here yet\n",
}
BLUEPRINT = """\
apiVersion: podgen.dev/v1
kind: Blueprint
pods:
  - name: web
    kind: deployment
    image: nginx:1.27.1
    port: 80
"""
PROJECT = """\
apiVersion: podgen.dev/v1
kind: Project
environments:
  dev: {}
  prod:
    replicas: 3
"""
MISTAKE = """\
apiVersion: v1
kind: Pod
metadata:
  name: tools
spec:
  containers:
    - name: tools
      imgae: busybox:1.36
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def _hook(hook_id: str) -> dict[str, object]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [hook for hook in hooks if hook["id"] == hook_id]
    return dict(hook)


def _run_hook(hook_id: str, folder: Path, files: list[str]) -> subprocess.CompletedProcess[str]:
    """The hook's exact entry and args, as pre-commit runs them (in the repository's root)."""
    hook = _hook(hook_id)
    words = shlex.split(str(hook["entry"]))
    assert words[0] == "podgen"
    args = [str(arg) for arg in hook.get("args", [])]  # type: ignore[attr-defined]
    if hook.get("pass_filenames", True):
        args += files
    return subprocess.run(
        [sys.executable, "-m", "podgen", *words[1:], *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _staged_yaml(folder: Path) -> list[str]:
    """What `types: [yaml]` gives a hook: every .yaml and .yml file, hidden ones too."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in (".yaml", ".yml")
    )


def test_the_validate_hook_fails_only_on_the_mistake(tmp_path: Path) -> None:
    _write(tmp_path, OTHER_YAML)
    _write(tmp_path, {"blueprint.yaml": BLUEPRINT, "podgen.yaml": PROJECT, "pod.yaml": MISTAKE})
    assert _run_hook("podgen-render-check", tmp_path, []).returncode == 1  # not rendered yet
    rendered = subprocess.run(
        [sys.executable, "-m", "podgen", "render"], cwd=tmp_path, capture_output=True, check=False
    )
    assert rendered.returncode == 0, rendered.stderr
    assert _hook("podgen-validate")["types"] == ["yaml"]
    files = _staged_yaml(tmp_path)
    assert {".pre-commit-config.yaml", ".github/workflows/ci.yml", "podgen.yaml"} <= set(files)
    result = _run_hook("podgen-validate", tmp_path, files)
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [
        "pod.yaml:8:7: error: spec.containers[0].imgae: unknown field 'imgae'; did you mean "
        "'image'? [schema-unknown-field]"
    ]
    assert result.stderr.endswith(", 6 skipped (not Kubernetes manifests)\n"), result.stderr
    # fixed, the hook passes; the render-check hook as published passes in the project too
    (tmp_path / "pod.yaml").write_text(MISTAKE.replace("imgae", "image"))
    assert _run_hook("podgen-validate", tmp_path, files).returncode == 0
    checked = _run_hook("podgen-render-check", tmp_path, files)
    assert checked.returncode == 0, checked.stderr


def test_the_validate_hook_checks_the_project_file(tmp_path: Path) -> None:
    _write(tmp_path, {"blueprint.yaml": BLUEPRINT, "podgen.yaml": PROJECT})
    (tmp_path / "podgen.yaml").write_text(PROJECT.replace("  dev: {}\n", "  dev: {replica: 2}\n"))
    result = _run_hook("podgen-validate", tmp_path, ["podgen.yaml"])
    assert result.returncode == 1
    assert result.stdout.startswith("podgen.yaml:4:9: error: environments.dev.replica: ")
    assert result.stdout.endswith(" [project]\n")


def test_skip_other_yaml_counts_what_it_skips(tmp_path: Path) -> None:
    _write(tmp_path, OTHER_YAML)
    _write(tmp_path, {"pod.yaml": MISTAKE.replace("imgae", "image")})
    files = [str(tmp_path / name) for name in (*OTHER_YAML, "pod.yaml")]
    without = run_podgen(["validate", *files])
    assert without.code == 2  # the empty file cannot be read; the others are "missing kind"
    result = run_podgen(["validate", "--skip-other-yaml", *files])
    assert result.code == 0, result.stdout
    assert result.stderr.endswith(
        "0 error(s), 3 warning(s) in 1 file(s), 6 skipped (not Kubernetes manifests)\n"
    )
    report = json.loads(
        run_podgen(["validate", "--skip-other-yaml", "--format=json", *files]).stdout
    )
    assert (report["files"], report["skipped"], report["errors"]) == (1, 6, 0)
    walked = run_podgen(
        ["validate", "--skip-other-yaml", str(tmp_path)]
    )  # hidden files: not walked
    assert walked.stderr.endswith("in 1 file(s), 4 skipped (not Kubernetes manifests)\n")


SKIPPED_OR_NOT = [
    ("a list", "- a\n- b\n", True),
    ("a map of other keys", "name: x\nversion: 1\n", True),
    ("several documents, none with kind", "a: 1\n---\nb: 2\n", True),
    ("tags, as CloudFormation writes", "Resources:\n  B: !Ref Bucket\n", True),
    ("duplicate keys", "a: 1\na: 2\n", True),
    ("kind alone", "kind: Pod\n", False),
    ("apiVersion alone", "apiVersion: v1\n", False),
    ("a manifest after other documents", "a: 1\n---\napiVersion: v1\nkind: Pod\n", False),
    ("a syntax error: maybe a broken manifest", "a: [\n", False),
    ("tabs", "services:\n\tweb: {}\n", False),
    ("a kubeconfig", "apiVersion: v1\nkind: Config\nclusters: []\n", True),
    ("skaffold", "apiVersion: skaffold/v4beta6\nkind: Config\n", True),
    ("kind's cluster", "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\n", True),
    ("kubeadm", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n", True),
    (
        "the kubelet's",
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n",
        True,
    ),
    ("an audit policy", "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n", True),
    ("encryption", "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n", True),
    (
        "a ConfigMap named Config",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Config}\n",
        False,
    ),
    ("a bare list of Pods", "- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n", False),
    ("pasted line numbers", "1 apiVersion: v1\n2 kind: Pod\n3 metadata:\n4   name: a\n", False),
]


@pytest.mark.parametrize(
    ("text", "skipped"), [c[1:] for c in SKIPPED_OR_NOT], ids=[c[0] for c in SKIPPED_OR_NOT]
)
def test_what_is_other_yaml(tmp_path: Path, text: str, skipped: bool) -> None:
    (tmp_path / "x.yaml").write_text(text)
    result = run_podgen(["validate", "--skip-other-yaml", str(tmp_path / "x.yaml")])
    assert (result.code == 0) == skipped, result.stdout
    assert ("1 skipped" in result.stderr) == skipped


def test_a_helm_chart_is_other_yaml(tmp_path: Path) -> None:
    """Chart.yaml and the templates (Go template text) of a chart; a folder named templates
    without a Chart.yaml beside it holds manifests."""
    chart = tmp_path / "chart"
    _write(
        chart,
        {
            "Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
            "templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\n"
            "metadata:\n  name: {{ .Release.Name }}\n",
            "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
            "charts/sub/templates/nested/cm.yaml": "{{- if .Values.on }}\nkind: ConfigMap\n",
        },
    )
    _write(tmp_path, {"templates/pod.yaml": MISTAKE})
    result = run_podgen(["validate", "--skip-other-yaml", str(tmp_path)])
    assert result.stderr.endswith("in 1 file(s), 4 skipped (not Kubernetes manifests)\n")
    assert result.stdout.startswith(f"{tmp_path / 'templates/pod.yaml'}:8:7: error: ")


def test_the_option_is_in_help_and_shell_completion(monkeypatch: pytest.MonkeyPatch) -> None:
    helped = run_podgen(["validate", "--help"])
    assert "--skip-other-yaml" in helped.stdout
    assert "A bare `podgen validate` checks the project's blueprints" in helped.stdout
    monkeypatch.setenv("_PODGEN_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "podgen validate --sk")
    monkeypatch.setenv("COMP_CWORD", "2")
    assert run_podgen([]).stdout == "--skip-other-yaml\n"


def test_the_lean_path_takes_the_option() -> None:
    parsed = parse_validate(["--skip-other-yaml", "a.yaml"])
    assert parsed is not None and parsed["skip_other_yaml"] is True
