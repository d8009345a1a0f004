"""podgen import: manifests back into blueprints that render to the same objects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from podgen._front import builtins as _builtins
from podgen._front.importer import comparable, strip_server_fields
from tests.conftest import parse_documents, run_podgen

MANIFESTS = sorted((Path(__file__).parent / "manifests").glob("*.yaml"))


def _import(path: Path) -> str:
    result = run_podgen(["import", str(path)])
    assert (result.code, result.stderr) == (0, ""), result
    return result.stdout


@pytest.mark.parametrize("name", _builtins.names())
def test_builtin_render_import_render_is_byte_identical(name: str, tmp_path: Path) -> None:
    rendered = run_podgen(["render", name]).stdout
    (tmp_path / "objects.yaml").write_text(rendered)
    (tmp_path / "blueprint.yaml").write_text(_import(tmp_path / "objects.yaml"))
    assert run_podgen(["render", str(tmp_path / "blueprint.yaml")]).stdout == rendered


@pytest.mark.parametrize("manifest", MANIFESTS, ids=[m.stem for m in MANIFESTS])
def test_real_world_manifest_round_trips(manifest: Path, tmp_path: Path) -> None:
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(_import(manifest))
    rendered = run_podgen(["render", str(blueprint)])
    assert rendered.code == 0, rendered.stderr
    originals = [strip_server_fields(d) for d in yaml.safe_load_all(manifest.read_text()) if d]
    again = parse_documents(rendered.stdout, "yaml")
    assert [comparable(d) for d in again] == [comparable(d) for d in originals]


def test_server_fields_and_default_tokens_are_dropped() -> None:
    text = _import(Path(__file__).parent / "manifests" / "kubectl-get-pod.yaml")
    for server_set in (
        "uid",
        "resourceVersion",
        "managedFields",
        "creationTimestamp",
        "status",
        "kube-api-access",
        "last-applied-configuration",
        "phase",
    ):
        assert server_set not in text, server_set


@pytest.mark.parametrize(
    ("builtin", "words"),
    [
        ("init-download", {"pattern": "init", "sharedPath": "/usr/share/nginx/html"}),
        ("sidecar-date-log", {"pattern": "sidecar", "helperPath": "/pod-data"}),
        ("native-sidecar", {"pattern": "sidecar"}),
        ("init-wait-for-service", {"waitFor": ["myservice"]}),
        (
            "liveness-exec",
            {
                "probe": {
                    "type": "exec",
                    "command": ["cat", "/tmp/healthy"],
                    "kinds": ["liveness"],
                    "initialDelay": 5,
                    "period": 5,
                }
            },
        ),
        (
            "toleration",
            {
                "tolerations": [
                    {"key": "dedicated", "value": "web", "effect": "NoSchedule"},
                    {
                        "key": "node.kubernetes.io/unreachable",
                        "effect": "NoExecute",
                        "seconds": 300,
                    },
                ]
            },
        ),
    ],
)
def test_patterns_and_options_are_recognised(
    builtin: str, words: dict[str, object], tmp_path: Path
) -> None:
    (tmp_path / "objects.yaml").write_text(run_podgen(["render", builtin]).stdout)
    (pod,) = yaml.safe_load(_import(tmp_path / "objects.yaml"))["pods"]
    assert {key: pod.get(key) for key in words} == words
    assert "overrides" not in pod  # recognised words say it all


def test_native_sidecar_is_recognised(tmp_path: Path) -> None:
    (tmp_path / "objects.yaml").write_text(run_podgen(["render", "native-sidecar"]).stdout)
    (pod,) = yaml.safe_load(_import(tmp_path / "objects.yaml"))["pods"]
    assert pod["sidecar"]["native"] is True


def test_import_reads_stdin() -> None:
    manifest = (Path(__file__).parent / "manifests" / "namespace-and-job-pod.yaml").read_text()
    result = subprocess.run(
        [sys.executable, "-m", "podgen", "import", "-"],
        input=manifest,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    blueprint = yaml.safe_load(result.stdout)
    assert blueprint["namespace"] == "batch" and blueprint["createNamespace"] is True


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "kind 'ConfigMap'"),
        (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, labels: {a: b}}\n"
            "spec:\n  selector: {matchLabels: {a: c}}\n"
            "  template:\n    metadata: {labels: {a: c}}\n"
            "    spec: {containers: [{name: c, image: nginx}]}\n",
            "one set of labels",
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n",
            "spec.containers: Invalid value: []: Required value (the API server would refuse",
        ),
        ("", "is empty"),
        ("- a\n- list\n", "not a Kubernetes object"),
        ("apiVersion: v1\nkind: Pod\nmetadata: &m {name: p}\n", "anchors"),
    ],
)
def test_what_cannot_be_imported_is_refused(tmp_path: Path, text: str, reason: str) -> None:
    (tmp_path / "m.yaml").write_text(text)
    result = run_podgen(["import", str(tmp_path / "m.yaml")])
    assert result.code == 1, result
    assert result.stdout == ""
    assert reason in result.stderr and result.stderr.count("\n") == 1
    assert "m.yaml" in result.stderr


def test_import_takes_several_files(tmp_path: Path) -> None:
    out = tmp_path / "k8s"
    assert run_podgen(["render", "nginx-web", "--out", str(out)]).code == 0
    files = sorted(str(p) for p in out.glob("*.yaml"))
    blueprint = tmp_path / "app.yaml"
    blueprint.write_text(run_podgen(["import", *files]).stdout)
    again = run_podgen(["render", str(blueprint)])
    assert again.stdout == run_podgen(["render", "nginx-web"]).stdout
