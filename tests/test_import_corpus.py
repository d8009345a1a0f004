"""Import never changes meaning, on manifests shaped like other people's (tests/corpus/).

Each file is imported, the blueprint rendered, and every object compared with the original
after only the API server's own defaults are filled in on both sides (written out here, not
taken from podgen). The corpus covers what issue 13 found refused or changed: Deployments whose
labels differ from their selector, Namespaces with Pod Security labels, Services of every
shape, volumes, env sources, security contexts, affinity, several containers, and kinds podgen
keeps whole (ConfigMap, Secret, PVC, Ingress, NetworkPolicy, RBAC, ReplicationController, ...);
every kind that runs pods is written in words (issue 14).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_podgen

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.yaml"))


def _with_api_defaults(obj: dict[str, Any]) -> dict[str, Any]:
    """`obj` as the API server stores it, as far as these manifests need."""
    obj = copy.deepcopy(obj)
    obj.pop("status", None)
    spec = obj.get("spec") or {}
    if obj["kind"] == "Namespace" and not spec:
        obj.pop("spec", None)
    if obj["kind"] == "Service":
        for port in spec.get("ports") or []:
            port.setdefault("protocol", "TCP")
            port.setdefault("targetPort", port["port"])
    if obj["kind"] == "Deployment":
        spec.setdefault("replicas", 1)
        if spec.get("strategy") == {}:
            del spec["strategy"]
    pod = (
        spec.get("template", {}).get("spec")
        if obj["kind"] == "Deployment"
        else spec
        if obj["kind"] == "Pod"
        else None
    )
    if pod is not None:
        pod.setdefault("restartPolicy", "Always")
        pod.setdefault("dnsPolicy", "ClusterFirst")
        for container in pod.get("containers", []) + pod.get("initContainers", []):
            if container.get("resources") == {}:
                del container["resources"]
    return obj


def _identity(obj: dict[str, Any]) -> tuple[str, str, str]:
    return obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"]


def test_the_corpus_covers_many_kinds() -> None:
    kinds = {o["kind"] for f in FILES for o in yaml.safe_load_all(f.read_text()) if o}
    assert len(FILES) >= 12 and len(kinds) >= 15


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_import_then_render_gives_back_the_same_objects(path: Path, tmp_path: Path) -> None:
    imported = run_podgen(["import", str(path)])
    assert imported.code == 0, imported.stderr
    assert imported.stderr == ""  # every object here has words, or is of a kind kept whole
    assert "overrides" not in imported.stdout  # real pods need no escape hatch here
    (tmp_path / "blueprint.yaml").write_text(imported.stdout)
    rendered = run_podgen(["render", str(tmp_path / "blueprint.yaml")])
    assert rendered.code == 0, rendered.stderr
    original = {
        _identity(o): _with_api_defaults(o) for o in yaml.safe_load_all(path.read_text()) if o
    }
    again = {_identity(o): _with_api_defaults(o) for o in yaml.safe_load_all(rendered.stdout)}
    assert again == original


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_validate_finds_no_error_in_the_corpus(path: Path) -> None:
    """They are valid manifests: validate may warn, never err."""
    result = run_podgen(["validate", str(path)])
    assert result.code == 0, result.stdout


WORKLOAD_KINDS = {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_workload_is_written_in_words(path: Path) -> None:
    """Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs become
    blueprint pods; only a ReplicationController (import and validate only) is kept whole."""
    imported = run_podgen(["import", str(path)])
    blueprint = yaml.safe_load(imported.stdout)
    kept = {o["kind"] for o in blueprint.get("objects", [])}
    assert not kept & WORKLOAD_KINDS
    workloads = [
        o for o in yaml.safe_load_all(path.read_text()) if o and o["kind"] in WORKLOAD_KINDS
    ]
    assert len(blueprint.get("pods", [])) == len(workloads)
