"""Environments that do what they say (issue 21): namespaces, references, labels, tags, targets.

Each test builds a small project in `tmp_path` and renders it with the library
(`project_files`), or runs podgen in-process from the project's folder where the one line the
user reads is what matters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from podgen._blueprint.loader import load_blueprint
from podgen._commands.project import load_project, project_files
from podgen._commands.project_schema import project_schema
from podgen._errors import PodgenError
from podgen._model.spec import OutputFormat
from podgen._rendering.pipeline import render_blueprint
from tests.conftest import run_podgen

HEAD = "apiVersion: podgen.dev/v1\nkind: Blueprint\n"
PROJECT_HEAD = "apiVersion: podgen.dev/v1\nkind: Project\n"
Objects = dict[tuple[str, str, str], dict[str, Any]]


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def _render(folder: Path, env: str | None, monkeypatch: pytest.MonkeyPatch) -> Objects:
    """What the project in `folder` renders to in `env`, by kind, namespace and name."""
    monkeypatch.chdir(folder)
    project = load_project("podgen.yaml")
    environment = project.environment(env) if env else None
    found = {}
    for file in project_files(project, environment, OutputFormat.YAML):
        obj = yaml.safe_load(file.text)
        metadata = obj["metadata"]
        found[obj["kind"], metadata.get("namespace", ""), metadata["name"]] = obj
    return found


def _error(folder: Path, env: str | None, monkeypatch: pytest.MonkeyPatch) -> str:
    with pytest.raises(PodgenError) as raised:
        _render(folder, env, monkeypatch)
    return str(raised.value)


def _cli(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(folder)
    result = run_podgen(list(args))
    return result.code, result.stderr


# 1. objects: follow namespaces ----------------------------------------------------------------

OBJECTS = (
    HEAD
    + """\
namespace: shop
pods:
  - {name: web, kind: deployment, image: "nginx:1.27.0"}
objects:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: api-config}
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: elsewhere, namespace: tools}
  - apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: web}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
      maxReplicas: 3
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: {name: reader}
  - apiVersion: v1
    kind: Namespace
    metadata: {name: tools}
  - apiVersion: scheduling.k8s.io/v1
    kind: PriorityClass
    metadata: {name: high}
    value: 1000
  - apiVersion: networking.k8s.io/v1
    kind: IngressClass
    metadata: {name: nginx}
    spec: {controller: k8s.io/ingress-nginx}
  - apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingWebhookConfiguration
    metadata: {name: checks}
  - apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: clusterthings.example.com}
    spec:
      group: example.com
      scope: Cluster
      names: {kind: ClusterThing, plural: clusterthings}
      versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
  - apiVersion: example.com/v1
    kind: ClusterThing
    metadata: {name: one}
  - apiVersion: example.com/v1
    kind: Widget
    metadata: {name: two}
"""
)
#: Where each object of OBJECTS lands with the blueprint's namespace: "" for none.
PLACES = {
    ("Deployment", "web"): "shop",
    ("ConfigMap", "api-config"): "shop",
    ("ConfigMap", "elsewhere"): "tools",  # names its own
    ("HorizontalPodAutoscaler", "web"): "shop",
    ("ClusterRole", "reader"): "",
    ("Namespace", "tools"): "",
    ("PriorityClass", "high"): "",
    ("IngressClass", "nginx"): "",
    ("ValidatingWebhookConfiguration", "checks"): "",
    ("CustomResourceDefinition", "clusterthings.example.com"): "",
    ("ClusterThing", "one"): "",  # its CustomResourceDefinition says scope: Cluster
    ("Widget", "two"): "shop",  # a custom kind nothing describes: namespaced
}


def _places(objects: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    return {(o["kind"], o["metadata"]["name"]): o["metadata"].get("namespace", "") for o in objects}


def test_objects_take_the_blueprints_namespace_unless_cluster_scoped_or_their_own() -> None:
    objects = render_blueprint(load_blueprint(OBJECTS, "blueprint.yaml"))
    assert _places(objects) == PLACES


def test_objects_follow_an_environments_namespace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "blueprint.yaml": OBJECTS,
            "podgen.yaml": PROJECT_HEAD + "environments:\n  prod: {namespace: shop-prod}\n",
        },
    )
    prod = _render(tmp_path, "prod", monkeypatch)
    moved = {place: "shop-prod" if ns == "shop" else ns for place, ns in PLACES.items()}
    assert {(kind, name): ns for kind, ns, name in prod} == moved


def test_every_cluster_scoped_kind_is_a_kind_of_the_vendored_schema() -> None:
    from podgen._checking.k8s_schema import kinds as schema_kinds
    from podgen._model.objects import CLUSTER_SCOPED

    kinds = {
        (key.rsplit("/", 1)[0].rpartition("/")[0], key.rsplit("/", 1)[1]) for key in schema_kinds()
    }
    assert kinds >= CLUSTER_SCOPED, CLUSTER_SCOPED - kinds
    for kind in ("Namespace", "ClusterRole", "CustomResourceDefinition", "PersistentVolume"):
        assert any(k == kind for _, k in CLUSTER_SCOPED), kind


SHOP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop, labels: {app: api}}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: "registry.example.com/api:2.1.0"
          envFrom: [{configMapRef: {name: api-config}}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: api-config, namespace: shop}
data: {LOG_LEVEL: info}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 5
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: shop}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: api}}
"""


def test_an_imported_application_moves_whole_with_each_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "shop.yaml").write_text(SHOP)
    imported = run_podgen(["import", str(tmp_path / "shop.yaml")])
    assert imported.code == 0, imported.stderr  # import's own round trip holds
    blueprint = yaml.safe_load(imported.stdout)
    assert blueprint["namespace"] == "shop"
    assert all("namespace" not in o["metadata"] for o in blueprint["objects"])  # not pinned
    _write(
        tmp_path,
        {
            "blueprint.yaml": imported.stdout,
            "podgen.yaml": PROJECT_HEAD
            + "environments:\n  dev: {namespace: shop-dev}\n  prod: {namespace: shop-prod}\n",
        },
    )
    for env in ("dev", "prod"):
        objects = _render(tmp_path, env, monkeypatch)
        assert {ns for _, ns, _ in objects} == {f"shop-{env}"}, objects.keys()
        assert len(objects) == 5
    # without environments, exactly the manifests it came from
    (tmp_path / "podgen.yaml").write_text(PROJECT_HEAD)
    again = _render(tmp_path, None, monkeypatch)
    assert {ns for _, ns, _ in again} == {"shop"} and len(again) == 5


# 2. references across namespaces ---------------------------------------------------------------

REFERENCES = [
    ("volumes: [{name: c, configMap: {name: cfg}}]", "ConfigMap", "volumes[0].configMap.name"),
    ("volumes: [{name: s, secret: {secretName: cfg}}]", "Secret", "volumes[0].secret.secretName"),
    (
        "volumes: [{name: d, persistentVolumeClaim: {claimName: cfg}}]",
        "PersistentVolumeClaim",
        "volumes[0].persistentVolumeClaim.claimName",
    ),
    (
        "volumes: [{name: p, projected: {sources: [{secret: {name: cfg}}]}}]",
        "Secret",
        "volumes[0].projected.sources[0].secret.name",
    ),
    ("envFrom: [{configMapRef: {name: cfg}}]", "ConfigMap", "containers[0].envFrom[0]"),
    (
        "env: [{name: A, valueFrom: {secretKeyRef: {name: cfg, key: a}}}]",
        "Secret",
        "containers[0].env[0].valueFrom.secretKeyRef.name",
    ),
    ("imagePullSecrets: [{name: cfg}]", "Secret", "imagePullSecrets[0].name"),
]


def _referring(words: str, kind: str, namespace: str = "other") -> str:
    group = "v1"
    # A claim the API server takes: access modes and a storage request.
    spec = (
        ", spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}"
        if kind == "PersistentVolumeClaim"
        else ""
    )
    return HEAD + (
        f"namespace: shop\npods:\n  - name: web\n    image: nginx:1.27.0\n    {words}\n"
        f"objects:\n  - {{apiVersion: {group}, kind: {kind}, "
        f"metadata: {{name: cfg, namespace: {namespace}}}{spec}}}\n"
    )


@pytest.mark.parametrize(
    ("words", "kind", "path"), REFERENCES, ids=[r[1] + r[2] for r in REFERENCES]
)
def test_a_pod_referring_to_an_object_rendered_only_elsewhere_is_an_error(
    words: str, kind: str, path: str
) -> None:
    with pytest.raises(PodgenError) as raised:
        render_blueprint(load_blueprint(_referring(words, kind), "blueprint.yaml"))
    message = str(raised.value)
    # at the reference's line in the blueprint
    assert message.startswith("blueprint.yaml:7:") and ": pods[0]." in message, message
    assert f"Pod 'web' in namespace 'shop' refers to {kind} 'cfg' (spec.{path}" in message
    assert "rendered only into namespace 'other' (objects[0] at blueprint.yaml:9:5)" in message
    # in the pod's namespace, or not rendered at all (it may be in the cluster): no error
    render_blueprint(load_blueprint(_referring(words, kind, "shop"), "blueprint.yaml"))
    text = _referring(words, kind).split("objects:")[0]
    render_blueprint(load_blueprint(text, "blueprint.yaml"))


def test_a_project_environment_is_one_render_for_references(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "api/blueprint.yaml": HEAD
            + "namespace: shop\npods:\n  - name: api\n    image: nginx:1.27.0\n"
            "    envFrom: [{configMapRef: {name: shared}}]\n",
            "config/blueprint.yaml": HEAD + "objects:\n  - {apiVersion: v1, kind: ConfigMap, "
            "metadata: {name: shared, namespace: shop}}\n",
            "podgen.yaml": PROJECT_HEAD
            + "blueprints: [api/blueprint.yaml, config/blueprint.yaml]\n"
            "environments:\n  same: {}\n  prod: {namespace: shop-prod}\n",
        },
    )
    assert len(_render(tmp_path, "same", monkeypatch)) == 2
    message = _error(tmp_path, "prod", monkeypatch)
    assert message.startswith("podgen.yaml:6:3: environment prod: api/blueprint.yaml:"), message
    assert "Pod 'api' in namespace 'shop-prod' refers to ConfigMap 'shared'" in message
    assert "(objects[0] at config/blueprint.yaml:4:5)" in message


# 3. an environment's labels reach every object --------------------------------------------------


def test_an_environments_labels_reach_every_object_but_no_selector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "blueprint.yaml": HEAD
            + """\
namespace: shop
createNamespace: true
pods:
  - {name: web, kind: deployment, image: "nginx:1.27.0", port: 80}
services:
  - {name: web, selector: {app: web}, ports: [80], labels: {tier: front}}
objects:
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: web}
    spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
""",
            "podgen.yaml": PROJECT_HEAD + "environments:\n  dev: {labels: {env: dev}}\n",
        },
    )
    dev = _render(tmp_path, "dev", monkeypatch)
    for obj in dev.values():
        assert obj["metadata"]["labels"]["env"] == "dev", obj["kind"]
    assert dev["Service", "shop", "web"]["metadata"]["labels"] == {"tier": "front", "env": "dev"}
    assert dev["Service", "shop", "web"]["spec"]["selector"] == {"app": "web"}
    assert dev["Deployment", "shop", "web"]["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    pdb = dev["PodDisruptionBudget", "shop", "web"]
    assert pdb["spec"]["selector"] == {"matchLabels": {"app": "web"}}


# 4. tag --------------------------------------------------------------------------------------

DIGEST = "sha256:4a9f2f3e7c1f6a8f7d2b8c9e0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
TWO_IMAGES = (
    HEAD
    + f"""\
pods:
  - {{name: web, kind: deployment, image: "nginx:1.25.3"}}
  - {{name: tool, kind: job, image: "busybox:1.36", command: [sh, -c, "true"]}}
  - {{name: db, image: "postgres@{DIGEST}"}}
"""
)


def _tag_project(tmp_path: Path, environments: str) -> None:
    _write(
        tmp_path,
        {
            "blueprint.yaml": TWO_IMAGES,
            "podgen.yaml": PROJECT_HEAD + "environments:\n" + environments,
        },
    )


def test_an_environment_wide_tag_over_two_repositories_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tag_project(tmp_path, '  prod:\n    pods: {db: {image: "postgres:16"}}\n    tag: "1.27.1"\n')
    code, stderr = _cli(tmp_path, monkeypatch, "render", "--env", "prod")
    assert code == 1
    assert stderr == (
        "error: podgen.yaml:6:5: environments.prod.tag: would re-tag the app images of 2 "
        "repositories (busybox, nginx), and a tag is one repository's: set `tag` per pod "
        "under `pods:` (pods: {web: {tag: ...}})\n"
    )


def test_a_tag_per_pod_retags_that_pod_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tag_project(tmp_path, '  prod:\n    pods: {web: {tag: "1.27.1"}}\n')
    prod = _render(tmp_path, "prod", monkeypatch)
    web = prod["Deployment", "", "web"]["spec"]["template"]["spec"]["containers"][0]
    tool = prod["Job", "", "tool"]["spec"]["template"]["spec"]["containers"][0]
    assert (web["image"], tool["image"]) == ("nginx:1.27.1", "busybox:1.36")


@pytest.mark.parametrize(
    ("environment", "at"),
    [
        ('  prod:\n    pods: {db: {tag: "16"}}\n', "5:17: environments.prod.pods.db.tag"),
        (
            '  prod:\n    pods: {web: {image: "nginx:1.27.1"}, tool: {image: x}}\n    tag: "16"\n',
            "6:5: environments.prod.tag",
        ),
    ],
    ids=["per-pod", "environment-wide"],
)
def test_a_tag_on_an_image_pinned_by_digest_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environment: str, at: str
) -> None:
    _tag_project(tmp_path, environment)
    message = _error(tmp_path, "prod", monkeypatch)
    assert message.startswith(f"podgen.yaml:{at}: postgres@sha256:"), message
    assert "is pinned by digest, and a tag would drop the digest" in message
    assert message.endswith("(pod 'db' at blueprint.yaml:6:5)")


# 5. pods: targets one blueprint's pod ---------------------------------------------------------

TWO_BLUEPRINTS = {
    "api/blueprint.yaml": HEAD
    + 'pods:\n  - {name: web, kind: deployment, image: "nginx:1.27.0"}\n',
    "admin/blueprint.yaml": HEAD + 'pods:\n  - {name: web, kind: deployment, image: "httpd:2.4"}\n',
}
TWO_HEAD = PROJECT_HEAD + "blueprints: [api/blueprint.yaml, admin/blueprint.yaml]\nenvironments:\n"


def test_a_pod_name_in_two_blueprints_must_be_qualified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            **TWO_BLUEPRINTS,
            "podgen.yaml": TWO_HEAD + "  prod:\n    pods:\n      web: {replicas: 3}\n",
        },
    )
    code, stderr = _cli(tmp_path, monkeypatch, "render")
    assert code == 1
    assert stderr == (
        "error: podgen.yaml:7:7: environments.prod.pods.web: pods named 'web' are in 2 "
        "blueprints; name the one to change as BLUEPRINT:POD: admin/blueprint.yaml:web or "
        "api/blueprint.yaml:web\n"
    )


def test_blueprint_colon_pod_targets_one_blueprints_pod(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            **TWO_BLUEPRINTS,
            "podgen.yaml": TWO_HEAD
            + "  prod:\n    pods:\n      api/blueprint.yaml:web: {replicas: 3}\n",
        },
    )
    # the two blueprints' Deployments are one object: give them their own namespaces
    for name, namespace in (("api", "api"), ("admin", "admin")):
        path = tmp_path / name / "blueprint.yaml"
        path.write_text(path.read_text().replace("pods:", f"namespace: {namespace}\npods:"))
    prod = _render(tmp_path, "prod", monkeypatch)
    assert prod["Deployment", "api", "web"]["spec"]["replicas"] == 3
    assert prod["Deployment", "admin", "web"]["spec"]["replicas"] == 1
    (tmp_path / "podgen.yaml").write_text(
        TWO_HEAD + "  prod:\n    pods:\n      api/blueprint.yaml:wbe: {replicas: 3}\n"
    )
    assert _error(tmp_path, "prod", monkeypatch) == (
        "podgen.yaml:7:7: environments.prod.pods.api/blueprint.yaml:wbe: no pod named 'wbe' in "
        "api/blueprint.yaml; did you mean 'web'?"
    )
    (tmp_path / "podgen.yaml").write_text(
        TWO_HEAD + "  prod:\n    pods:\n      web/blueprint.yaml:web: {replicas: 3}\n"
    )
    assert "no blueprint web/blueprint.yaml in the project" in _error(tmp_path, "prod", monkeypatch)


def test_the_project_schema_takes_qualified_pod_keys() -> None:
    schema = project_schema()
    good = {
        "apiVersion": "podgen.dev/v1",
        "kind": "Project",
        "environments": {
            "prod": {"pods": {"web": {"replicas": 2}, "api/blueprint.yaml:web": {"tag": "1.27.1"}}}
        },
    }
    jsonschema.validate(good, schema)
    bad = {**good, "environments": {"prod": {"pods": {"Web Server": {}}}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


# 6. an environment-wide word reaches the pods whose kind takes it ------------------------------

MIXED = (
    HEAD
    + """\
pods:
  - {name: web, kind: deployment, image: "nginx:1.27.0"}
  - {name: batch, kind: job, image: "nginx:1.27.0", command: [sh, -c, "true"]}
  - {name: lone, image: "nginx:1.27.0"}
"""
)


def test_an_environment_wide_word_skips_the_kinds_that_do_not_take_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "blueprint.yaml": MIXED,
            "podgen.yaml": PROJECT_HEAD + "environments:\n  prod: {replicas: 3, parallelism: 2}\n",
        },
    )
    prod = _render(tmp_path, "prod", monkeypatch)
    assert prod["Deployment", "", "web"]["spec"]["replicas"] == 3
    assert prod["Job", "", "batch"]["spec"]["parallelism"] == 2
    assert "replicas" not in prod["Job", "", "batch"]["spec"]


def test_an_environment_wide_word_no_pod_takes_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "blueprint.yaml": MIXED,
            "podgen.yaml": PROJECT_HEAD + "environments:\n  prod:\n    schedule: '@daily'\n",
        },
    )
    assert _error(tmp_path, "prod", monkeypatch) == (
        "podgen.yaml:5:5: environments.prod.schedule: applies to no pod of the project: only "
        "cronjob pods take it, and its pods are web (deployment), batch (job), lone (pod)"
    )


# 7. an error at a podgen.yaml value names that value's line first ------------------------------

ISSUE_PROJECT = """\
apiVersion: podgen.dev/v1
kind: Project
environments:
  dev:
    labels: {env: dev}
  prod:
    labels: {env: prod}
"""
#: Mistakes in podgen.yaml, each with the line that names it (the blueprint's web requests
#: cpu: 100m).
ISSUE_MISTAKES = [
    (
        "    pods:\n      batch:\n        replicas: 2\n",
        "podgen.yaml:9:9: environments.prod.pods.batch.replicas: only applies with kind "
        "deployment, statefulset or replicaset, not job (pod 'batch' at blueprint.yaml:5:5)",
    ),
    (
        '    annotations: {team: core}\n    labels: {env: "not a label!"}\n',
        'podgen.yaml:8:14: environments.prod.labels.env: metadata.labels: Invalid value: "not '
        'a label!": ',
    ),
    (
        "    resources:\n      limits: {cpu: 50m}\n",
        "podgen.yaml:8:7: environments.prod.resources.limits: pods[0].resources.requests: "
        "cpu=100m is more than its limit cpu=50m (environments.prod.resources.limits) "
        "(pod 'web' at blueprint.yaml:4:5)",
    ),
]


@pytest.mark.parametrize(
    ("mistake", "line"), ISSUE_MISTAKES, ids=["a pod's word", "a field error", "across fields"]
)
def test_an_error_at_a_podgen_yaml_value_names_its_line_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mistake: str, line: str
) -> None:
    blueprint = MIXED.replace(
        '"nginx:1.27.0"}', '"nginx:1.27.0", resources: {requests: {cpu: 100m}}}', 1
    )
    text = ISSUE_PROJECT.replace("    labels: {env: prod}\n", mistake)
    _write(tmp_path, {"blueprint.yaml": blueprint, "podgen.yaml": text})
    code, stderr = _cli(tmp_path, monkeypatch, "render")
    assert code == 1
    assert stderr.startswith(f"error: {line}"), stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert not (tmp_path / "k8s").exists()


# 8. the scaffold's own environment example renders ----------------------------------------------

KINDS = ["pod", "deployment", "statefulset", "daemonset", "replicaset", "job", "cronjob"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_scaffolds_environment_example_renders_uncommented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    flags = ["--schedule", "@daily"] if kind == "cronjob" else []
    made = run_podgen(
        [
            "scaffold",
            "web",
            "--output-dir",
            str(tmp_path),
            "--image",
            "nginx:1.27",
            "--kind",
            kind,
            *flags,
        ]
    )
    assert made.code == 0, made.stderr
    project = tmp_path / "web"
    text = (project / "podgen.yaml").read_text()
    example = text[text.index("# environments:") :]
    uncommented = text.replace(example, "".join(line[2:] + "\n" for line in example.splitlines()))
    (project / "podgen.yaml").write_text(uncommented)
    environments = yaml.safe_load(uncommented)["environments"]
    assert set(environments) == {"dev", "prod"}
    assert ("replicas" in environments["prod"]) == (
        kind in ("deployment", "statefulset", "replicaset")
    )
    for env in environments:
        objects = _render(project, env, monkeypatch)
        assert all(o["metadata"]["labels"]["env"] == env for o in objects.values())
