"""Projects (issue 16): podgen.yaml, the bare commands, environments and kustomize.

Each test makes a project in a temporary folder and runs podgen there (or below) as a user
would; `kubectl kustomize` is the real kubectl 1.37.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.kubectl_peer import Kubectl

BLUEPRINT = """\
apiVersion: podgen.dev/v1
kind: Blueprint
pods:
  - name: web
    kind: deployment
    image: nginx:1.25.3
    port: 80
    expose: true
    env: {LOG_LEVEL: info}
    resources:
      requests: {cpu: 100m}
  - name: worker
    kind: job
    image: busybox:1.36
    command: [sh, -c, "echo done"]
"""
PROJECT = """\
apiVersion: podgen.dev/v1
kind: Project
blueprints: [blueprint.yaml]
out: k8s
environments:
  dev:
    labels: {env: dev}
  prod:
    namespace: shop-prod
    # tag: per pod, under pods: (a tag is one image repository's)
    env: {LOG_LEVEL: warn}
    resources:
      limits: {memory: 512Mi}
    pods:
      web:
        replicas: 3
        annotations: {team: storefront}
        tag: "1.27.1"
"""


def _podgen(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "podgen", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "blueprint.yaml").write_text(BLUEPRINT)
    (tmp_path / "podgen.yaml").write_text(PROJECT)
    (tmp_path / "docs" / "deep").mkdir(parents=True)
    return tmp_path


def _objects(folder: Path) -> dict[tuple[str, str], dict]:
    found = {}
    for path in folder.rglob("*.yaml"):
        if path.name != "kustomization.yaml":
            obj = yaml.safe_load(path.read_text())
            found[obj["kind"], obj["metadata"]["name"]] = obj
    return found


def test_bare_render_writes_every_environment_into_its_folder(project: Path) -> None:
    result = _podgen(project / "docs" / "deep", "render")  # found from two folders below
    assert result.returncode == 0, result.stderr
    prod = _objects(project / "k8s" / "prod")
    dev = _objects(project / "k8s" / "dev")
    assert set(prod) == set(dev) == {("Deployment", "web"), ("Service", "web"), ("Job", "worker")}
    web = prod["Deployment", "web"]
    assert web["metadata"]["namespace"] == "shop-prod"
    assert web["metadata"]["annotations"] == {"team": "storefront"}
    assert web["spec"]["replicas"] == 3
    container = web["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "nginx:1.27.1"
    assert container["env"] == [{"name": "LOG_LEVEL", "value": "warn"}]
    assert container["resources"] == {"requests": {"cpu": "100m"}, "limits": {"memory": "512Mi"}}
    worker = prod["Job", "worker"]["spec"]["template"]["spec"]["containers"][0]
    assert worker["image"] == "busybox:1.36"  # the tag is web's alone
    # dev: labels added, and the selector left as it was (a Deployment's is immutable)
    dev_web = dev["Deployment", "web"]
    assert dev_web["metadata"]["labels"] == {"app": "web", "env": "dev"}
    assert dev_web["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    assert dev_web["spec"]["template"]["metadata"]["labels"] == {"app": "web", "env": "dev"}
    assert dev["Service", "web"]["spec"]["selector"] == {"app": "web"}


def test_render_check_checks_every_environment_from_any_folder(project: Path) -> None:
    assert _podgen(project, "render").returncode == 0
    checked = _podgen(project / "k8s", "render", "--check")
    assert checked.returncode == 0, checked.stderr
    assert "k8s/dev: up to date" in checked.stderr and "k8s/prod: up to date" in checked.stderr
    (project / "podgen.yaml").write_text(PROJECT.replace("replicas: 3", "replicas: 4"))
    stale = _podgen(project, "render", "--check")
    assert stale.returncode == 1
    assert "k8s/dev: up to date" in stale.stderr
    assert "error: k8s/prod differs" in stale.stderr
    assert "replicas: 4" in stale.stdout


def test_env_renders_one_environment(project: Path) -> None:
    result = _podgen(project, "render", "--env", "prod")
    assert result.returncode == 0, result.stderr
    assert (project / "k8s" / "prod").is_dir() and not (project / "k8s" / "dev").exists()
    unknown = _podgen(project, "render", "--env", "production")
    assert unknown.returncode == 1
    assert (
        unknown.stderr
        == "error: --env: no environment 'production' in podgen.yaml (it has dev, prod)\n"
    )


def test_bare_validate_checks_the_blueprints_and_what_they_render_to(project: Path) -> None:
    assert _podgen(project, "render").returncode == 0
    result = _podgen(project / "docs", "validate")
    assert result.returncode == 0, result.stdout
    assert ": error: " not in result.stdout and "kustomization" not in result.stdout
    # podgen.yaml (every environment rendered), the blueprint, 2 x 3 manifests and the two
    # kustomization.yaml files (kustomize's own: no objects)
    assert "in 10 file(s)" in result.stderr
    broken = project / "k8s" / "dev" / "deployment-web.yaml"
    broken.write_text(broken.read_text().replace("containerPort: 80", "containerPort: 0"))
    assert _podgen(project, "validate").returncode == 1


MISTAKES = [
    ("replica: 2", "dev", "podgen.yaml:7:5: environments.dev.replica: unknown key 'replica'; "
     "did you mean 'replicas'?"),
    ("replicas: many", "dev", "podgen.yaml:7:5: environments.dev.replicas: expected a whole "
     "number, got a string"),
    ("tag: nginx:2", "dev", "podgen.yaml:7:5: environments.dev.tag: an image tag, e.g. 1.27.1"),
    ("name: other", "dev", "podgen.yaml:7:5: environments.dev.name: an environment does not "
     "rename pods"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "env", "message"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_value_that_does_not_apply_is_an_error_at_its_line(
    project: Path, line: str, env: str, message: str
) -> None:
    text = PROJECT.replace(f"  {env}:\n", f"  {env}:\n    {line}\n")
    (project / "podgen.yaml").write_text(text)
    result = _podgen(project, "render")
    assert result.returncode == 1
    assert result.stderr == f"error: {message}\n"
    assert not (project / "k8s").exists()  # nothing half-written


def test_a_word_a_pods_kind_does_not_take_names_the_environment(project: Path) -> None:
    # replicas for the Job, which has none: the message names the value's line in
    # podgen.yaml, then the pod's in its blueprint (tests/test_environments.py has more).
    (project / "podgen.yaml").write_text(
        PROJECT.replace("  dev:\n", "  dev:\n    pods: {worker: {replicas: 2}}\n")
    )
    result = _podgen(project, "render")
    assert result.returncode == 1
    assert result.stderr == (
        "error: podgen.yaml:7:21: environments.dev.pods.worker.replicas: only applies with "
        "kind deployment, statefulset or replicaset, not job (pod 'worker' at "
        "blueprint.yaml:12:5)\n"
    )
    assert not (project / "k8s").exists()


def test_without_a_project_the_bare_commands_say_so(tmp_path: Path) -> None:
    for command in ("render", "validate"):
        result = _podgen(tmp_path, command)
        assert result.returncode == 1
        assert "no podgen.yaml here or in any folder above" in result.stderr


def test_a_project_without_environments_renders_into_out(tmp_path: Path) -> None:
    (tmp_path / "blueprint.yaml").write_text(BLUEPRINT)
    (tmp_path / "podgen.yaml").write_text("apiVersion: podgen.dev/v1\nkind: Project\n")
    assert _podgen(tmp_path, "render").returncode == 0
    assert set(_objects(tmp_path / "k8s")) == {
        ("Deployment", "web"),
        ("Service", "web"),
        ("Job", "worker"),
    }
    assert _podgen(tmp_path, "render", "--check").returncode == 0
    again = _podgen(tmp_path, "render")  # podgen's own unchanged files: replaced, no --force
    assert again.returncode == 0, again.stderr


def test_the_project_format_sets_the_output(tmp_path: Path) -> None:
    (tmp_path / "blueprint.yaml").write_text(BLUEPRINT)
    (tmp_path / "podgen.yaml").write_text(
        "apiVersion: podgen.dev/v1\nkind: Project\noutput: json\nout: manifests\n"
    )
    assert _podgen(tmp_path, "render").returncode == 0
    assert (tmp_path / "manifests" / "deployment-web.json").is_file()


def test_a_users_kustomization_is_never_overwritten(project: Path) -> None:
    (project / "k8s" / "prod").mkdir(parents=True)
    mine = project / "k8s" / "prod" / "kustomization.yaml"
    mine.write_text("resources: [../base]\n")
    result = _podgen(project, "render")
    assert result.returncode == 1
    assert "kustomization.yaml: a kustomization of yours" in result.stderr
    assert mine.read_text() == "resources: [../base]\n"


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_kubectl_kustomize_gives_exactly_the_rendered_objects(
    project: Path, kubectl: Kubectl, env: str
) -> None:
    assert _podgen(project, "render").returncode == 0
    built = kubectl(["kustomize", str(project / "k8s" / env)])
    assert built.returncode == 0, built.stderr
    objects = {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load_all(built.stdout) if o}
    assert objects == _objects(project / "k8s" / env)


def test_an_environments_pod_must_be_one_of_the_blueprints(project: Path) -> None:
    (project / "podgen.yaml").write_text(PROJECT.replace("      web:\n", "      wbe:\n"))
    result = _podgen(project, "render")
    assert result.returncode == 1
    assert result.stderr == (
        "error: podgen.yaml:15:7: environments.prod.pods.wbe: no pod named 'wbe' in the "
        "blueprints; did you mean 'web'?\n"
    )


def test_a_blueprint_folder_may_hold_the_project_file(project: Path) -> None:
    (project / "podgen.yaml").write_text(PROJECT.replace("[blueprint.yaml]", '["."]'))
    result = _podgen(project, "render", "--env", "dev")
    assert result.returncode == 0, result.stderr
    assert ("Deployment", "web") in _objects(project / "k8s" / "dev")


def test_the_project_schema_takes_the_example_and_refuses_a_typo() -> None:
    import json

    import jsonschema

    schema = json.loads(
        subprocess.run(
            [sys.executable, "-m", "podgen", "schema", "--project"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    example = Path(__file__).parent.parent / "examples" / "shop" / "podgen.yaml"
    jsonschema.validate(yaml.safe_load(example.read_text()), schema)
    jsonschema.validate(yaml.safe_load(PROJECT), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(PROJECT.replace("replicas: 3", "replica: 3")), schema)


def test_a_project_renders_through_team_templates(project: Path) -> None:
    team = project / "team"
    team.mkdir()
    (team / "job.yaml.j2").write_text(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ obj.name | quote }}\n"
        "  labels: {team: platform}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n"
        "      containers: [{name: x, image: 'busybox:1.36'}]\n"
    )
    result = _podgen(project, "render", "--env", "dev", "--templates", str(team))
    assert result.returncode == 0, result.stderr
    job = _objects(project / "k8s" / "dev")["Job", "worker"]
    assert job["metadata"]["labels"] == {"team": "platform"}
