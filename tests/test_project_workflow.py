"""The README's project workflow, walked end to end as a user walks it (issue 21).

scaffold; edit by hand; add, rename and remove environments; import a real multi-object
application; render, check, validate and the pre-commit hooks; the real `kubectl kustomize`
on every folder. After each step the tree holds exactly what the project says, and nothing a
user wrote is lost. Every command runs as a subprocess in the project folder, as `make` and
pre-commit run it; the Makefile's and the hooks' own command lines are the ones run.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.kubectl_peer import Kubectl

BIN = Path(sys.executable).parent
#: A real application as people keep it: one namespace, the objects around a Deployment.
APP = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: api-config, namespace: shop}
data: {LOG_FORMAT: json}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
  labels: {app: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: ghcr.io/example/api:2.4.1
          ports: [{containerPort: 8080, name: http}]
          envFrom: [{configMapRef: {name: api-config}}]
          readinessProbe: {httpGet: {path: /ready, port: http}}
          resources: {requests: {cpu: 100m, memory: 128Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: http, name: http}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 5
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: shop}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: api}}
"""


def _run(folder: Path, command: str) -> subprocess.CompletedProcess[str]:
    """A command line as make or pre-commit runs it, with this podgen first on PATH."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        shlex.split(command), cwd=folder, capture_output=True, text=True, check=False, env=env
    )


def _ok(folder: Path, command: str) -> subprocess.CompletedProcess[str]:
    result = _run(folder, command)
    assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    return result


def _make(project: Path, target: str) -> str:
    """The command line of a Makefile target (one line), as `make TARGET` would run it."""
    lines = (project / "Makefile").read_text().splitlines()
    return lines[lines.index(f"{target}:") + 1].strip()


def _tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _manifests(folder: Path) -> dict[tuple[str, str | None, str], dict]:
    """The objects under `folder`: (kind, namespace, name) -> object."""
    found = {}
    for path in folder.rglob("*.yaml"):
        if path.name != "kustomization.yaml":
            obj = yaml.safe_load(path.read_text())
            meta = obj["metadata"]
            found[obj["kind"], meta.get("namespace"), meta["name"]] = obj
    return found


def _assert_kustomize_gives_the_folder(kubectl: Kubectl, folder: Path) -> None:
    built = kubectl(["kustomize", str(folder)])
    assert built.returncode == 0, built.stderr
    objects = {
        (o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"]): o
        for o in yaml.safe_load_all(built.stdout)
        if o
    }
    assert objects == _manifests(folder)


def _write_project(project: Path, environments: str) -> None:
    text = (project / "podgen.yaml").read_text().split("# Environments")[0]
    text = text.split("environments:")[0]
    (project / "podgen.yaml").write_text(text + environments)


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_the_readme_workflow(tmp_path: Path, kubectl: Kubectl) -> None:
    # 1. scaffold
    _ok(tmp_path, "podgen scaffold shop --image nginx:1.27.1 --port 80 --kind deployment")
    project = tmp_path / "shop"
    k8s = project / "k8s"
    assert _tree(k8s) == {".podgen-rendered", "deployment-shop.yaml", "kustomization.yaml"}
    _ok(project, _make(project, "check"))
    _ok(project, _make(project, "validate"))

    # 2. edit by hand: the render stops and names the file; nothing of the user's is lost
    notes = k8s / "NOTES.md"
    notes.write_text("# ours\n")
    manifest = k8s / "deployment-shop.yaml"
    manifest.write_text(manifest.read_text().replace("replicas: 1", "replicas: 2"))
    edited = manifest.read_text()
    refused = _run(project, _make(project, "render"))
    assert refused.returncode == 1
    assert "deployment-shop.yaml: edited since podgen wrote it" in refused.stderr
    assert manifest.read_text() == edited
    # ...so the change goes where it belongs, and the render takes it from there.
    blueprint = project / "blueprint.yaml"
    blueprint.write_text(blueprint.read_text() + "  replicas: 2\n")
    # The file already holds what the blueprint renders to now: podgen takes it as its own.
    _ok(project, _make(project, "render"))
    assert manifest.read_text() == edited
    _ok(project, _make(project, "check"))
    assert notes.read_text() == "# ours\n"

    # 3. add environments: the old output moves into their folders
    _write_project(
        project,
        "environments:\n"
        "  dev:\n    namespace: shop-dev\n    labels: {env: dev}\n"
        "  prod:\n    namespace: shop-prod\n    replicas: 3\n",
    )
    assert _run(project, _make(project, "check")).returncode == 1  # stale until rendered
    _ok(project, _make(project, "render"))
    expected = {
        f"{env}/{name}"
        for env in ("dev", "prod")
        for name in (".podgen-rendered", "kustomization.yaml", f"shop-{env}/deployment-shop.yaml")
    }
    kept = {"NOTES.md"}
    assert _tree(k8s) == expected | kept
    _ok(project, _make(project, "check"))

    # rename dev to staging, then remove prod
    _write_project(
        project,
        "environments:\n"
        "  staging:\n    namespace: shop-staging\n    labels: {env: staging}\n"
        "  prod:\n    namespace: shop-prod\n    replicas: 3\n",
    )
    _ok(project, _make(project, "render"))
    assert not (k8s / "dev").exists()
    _write_project(
        project,
        "environments:\n  staging:\n    namespace: shop-staging\n    labels: {env: staging}\n",
    )
    _ok(project, _make(project, "render"))
    assert {path.split("/")[0] for path in _tree(k8s) - kept} == {"staging"}
    _ok(project, _make(project, "check"))

    # 4. import a real multi-object application into the project, and give it environments
    (project / "app.yaml").write_text(APP)
    imported = _ok(project, "podgen import app.yaml")
    (project / "api.yaml").write_text(imported.stdout)
    (project / "app.yaml").unlink()
    assert "namespace: shop" in imported.stdout
    text = (project / "podgen.yaml").read_text()
    (project / "podgen.yaml").write_text(
        text.replace("blueprints: [blueprint.yaml]", "blueprints: [blueprint.yaml, api.yaml]")
    )
    _write_project(
        project,
        "environments:\n"
        "  dev:\n    namespace: shop-dev\n"
        "  prod:\n    namespace: shop-prod\n    labels: {env: prod}\n",
    )
    # 5. render, check, validate, pre-commit
    _ok(project, _make(project, "render"))
    _ok(project, _make(project, "check"))
    validated = _ok(project, _make(project, "validate"))
    assert " 0 error(s)" in validated.stderr or validated.stderr.startswith("0 error(s)")
    for env in ("dev", "prod"):
        objects = _manifests(k8s / env)
        namespace = f"shop-{env}"
        # Every object of the application moved with the environment: the pods find their
        # ConfigMap, and no two environments own one object.
        assert {key[1] for key in objects} == {namespace}, sorted(objects)
        assert {key[0] for key in objects} >= {
            "ConfigMap",
            "Deployment",
            "Service",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
        }
        if env == "prod":
            assert all(o["metadata"]["labels"]["env"] == "prod" for o in objects.values())
        # 6. the real kubectl kustomize on every folder
        _assert_kustomize_gives_the_folder(kubectl, k8s / env)
    assert notes.read_text() == "# ours\n"

    _ok(project, "git init -q")
    _ok(project, "git add -A")
    hooks = _ok(project, f"{BIN / 'pre-commit'} run --all-files")
    assert "podgen render --check" in hooks.stdout and "Passed" in hooks.stdout
    # A blueprint changed and not rendered: the hooks stop the commit.
    blueprint.write_text(blueprint.read_text().replace("replicas: 2", "replicas: 4"))
    _ok(project, "git add -A")
    failed = _run(project, f"{BIN / 'pre-commit'} run --all-files")
    assert failed.returncode == 1 and "Failed" in failed.stdout
