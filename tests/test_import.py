"""podgen import: manifests back into blueprints that render to the same objects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from podgen._blueprint import builtins as _builtins
from podgen._commands.importer_pod import as_compared
from podgen._commands.importer_server import server_returned, strip_server_fields
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
    originals = [d for d in yaml.safe_load_all(manifest.read_text()) if d]
    server = [server_returned(d) for d in originals]
    again = parse_documents(rendered.stdout, "yaml")
    # Hand-written objects come back as written; a server's, without what the server wrote.
    assert [as_compared(d, s) for d, s in zip(again, server, strict=True)] == [
        as_compared(strip_server_fields(d), s) for d, s in zip(originals, server, strict=True)
    ]


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
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\n",
            "metadata.name: Required value: name or generateName is required",
        ),
        (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, labels: {a: b}}\n"
            "spec:\n  selector: {matchLabels: {a: c}}\n"
            "  template:\n    metadata: {labels: {a: d}}\n"
            "    spec: {containers: [{name: c, image: nginx}]}\n",
            "`selector` does not match template `labels` (the API server would refuse",
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n",
            "spec.containers: Required value (the API server would refuse",
        ),
        ("", "is empty"),
        ("- a\n- list\n", "not a Kubernetes object"),
        ("apiVersion: v1\nkind: Pod\nmetadata: {name: p, x: *m}\n", "undefined alias"),
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


KEPT_WHOLE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: shop
data:
  LOG_LEVEL: debug
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
  sessionAffinityConfig:
    clientIP:
      timeoutSeconds: 600
  sessionAffinity: ClientIP
"""


def _objects(text: str) -> list[Any]:
    return [d for d in yaml.safe_load_all(text) if d is not None]


def test_kinds_and_fields_without_words_are_kept_whole(tmp_path: Path) -> None:
    """A ConfigMap, an Ingress and a Service field with no blueprint word come back as written."""
    (tmp_path / "app.yaml").write_text(KEPT_WHOLE)
    imported = run_podgen(["import", str(tmp_path / "app.yaml")])
    assert imported.code == 0, imported.stderr
    blueprint = yaml.safe_load(imported.stdout)
    assert [o["kind"] for o in blueprint["objects"]] == ["ConfigMap", "Ingress", "Service"]
    (tmp_path / "blueprint.yaml").write_text(imported.stdout)
    rendered = run_podgen(["render", str(tmp_path / "blueprint.yaml")])
    assert rendered.code == 0, rendered.stderr
    key = lambda o: (o["kind"], o["metadata"]["name"])  # noqa: E731
    assert sorted(_objects(rendered.stdout), key=key) == sorted(_objects(KEPT_WHOLE), key=key)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (  # no selector: its endpoints are managed elsewhere
            "apiVersion: v1\nkind: Service\nmetadata: {name: db}\n"
            "spec:\n  ports:\n  - {port: 5432, targetPort: 15432}\n",
            {"name": "db", "ports": [{"port": 5432, "targetPort": 15432}]},
        ),
        (
            "apiVersion: v1\nkind: Service\nmetadata: {name: db}\n"
            "spec: {type: ExternalName, externalName: db.example.com}\n",
            {"name": "db", "type": "ExternalName", "externalName": "db.example.com"},
        ),
        (
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\n"
            "  annotations: {service.beta.kubernetes.io/aws-load-balancer-type: nlb}\n"
            "spec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n"
            "  selector: {app: web}\n"
            "  ports:\n  - {name: https, port: 443, targetPort: 8443, nodePort: 30443}\n",
            {
                "name": "lb",
                "type": "LoadBalancer",
                "externalTrafficPolicy": "Local",
                "selector": {"app": "web"},
                "annotations": {"service.beta.kubernetes.io/aws-load-balancer-type": "nlb"},
                "ports": [{"name": "https", "port": 443, "targetPort": 8443, "nodePort": 30443}],
            },
        ),
        (  # written out: type ClusterIP stays
            "apiVersion: v1\nkind: Service\nmetadata: {name: db}\n"
            "spec: {type: ClusterIP, selector: {app: db}, ports: [{port: 5432}]}\n",
            {"name": "db", "type": "ClusterIP", "selector": {"app": "db"}, "ports": [5432]},
        ),
    ],
)
def test_services_of_every_shape_get_words(tmp_path: Path, text: str, words: Any) -> None:
    (tmp_path / "svc.yaml").write_text(text)
    imported = run_podgen(["import", str(tmp_path / "svc.yaml")])
    assert imported.code == 0, imported.stderr
    blueprint = yaml.safe_load(imported.stdout)
    assert blueprint["services"] == [words] and "objects" not in blueprint
    (tmp_path / "blueprint.yaml").write_text(imported.stdout)
    rendered = run_podgen(["render", str(tmp_path / "blueprint.yaml")])
    (service,) = _objects(rendered.stdout)
    (original,) = _objects(text)
    assert service == original  # as written: no protocol or targetPort added (issue 24)


def test_a_namespace_with_pod_security_labels_gets_words(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n"
        "    pod-security.kubernetes.io/enforce: restricted\n  annotations: {owner: team-a}\n"
    )
    (tmp_path / "ns.yaml").write_text(text)
    imported = run_podgen(["import", str(tmp_path / "ns.yaml")])
    blueprint = yaml.safe_load(imported.stdout)
    assert blueprint["namespaceLabels"] == {"pod-security.kubernetes.io/enforce": "restricted"}
    assert blueprint["namespaceAnnotations"] == {"owner": "team-a"}
    (tmp_path / "blueprint.yaml").write_text(imported.stdout)
    (namespace,) = _objects(run_podgen(["render", str(tmp_path / "blueprint.yaml")]).stdout)
    assert namespace["metadata"] == yaml.safe_load(text)["metadata"]


def test_namespaces_that_are_not_every_objects_are_kept_whole(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: b, labels: {x: z}}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\n"
        "spec: {containers: [{name: c, image: nginx:1.27}]}\n"
    )
    (tmp_path / "m.yaml").write_text(text)
    imported = run_podgen(["import", str(tmp_path / "m.yaml")])
    assert imported.code == 0, imported.stderr
    blueprint = yaml.safe_load(imported.stdout)
    assert [o["metadata"]["name"] for o in blueprint["objects"]] == ["a", "b"]


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
spec:
  replicas: 3
  selector:
    matchLabels:
      app: frontend
  template:
    metadata:
      labels:
        app: frontend
        tier: web
      annotations:
        prometheus.io/scrape: "true"
    spec:
      containers:
      - name: server
        image: gcr.io/google-samples/microservices-demo/frontend:v0.10.1
        ports:
        - containerPort: 8080
"""


def test_a_deployments_labels_selector_and_pod_labels_stay_apart(tmp_path: Path) -> None:
    """No metadata labels, a selector, pods with more labels and annotations: all in words."""
    (tmp_path / "d.yaml").write_text(DEPLOYMENT)
    imported = run_podgen(["import", str(tmp_path / "d.yaml")])
    assert imported.code == 0 and imported.stderr == "", imported.stderr
    (pod,) = yaml.safe_load(imported.stdout)["pods"]
    assert pod["labels"] == {} and pod["selector"] == {"app": "frontend"}
    assert pod["podLabels"] == {"app": "frontend", "tier": "web"}
    assert pod["podAnnotations"] == {"prometheus.io/scrape": "true"}
    (tmp_path / "blueprint.yaml").write_text(imported.stdout)
    (rendered,) = _objects(run_podgen(["render", str(tmp_path / "blueprint.yaml")]).stdout)
    original = yaml.safe_load(DEPLOYMENT)
    assert rendered["metadata"] == original["metadata"]
    assert rendered["spec"]["selector"] == original["spec"]["selector"]
    assert rendered["spec"]["template"]["metadata"] == original["spec"]["template"]["metadata"]


def test_a_deployment_without_words_is_kept_whole_with_a_note(tmp_path: Path) -> None:
    text = DEPLOYMENT.replace(
        "    matchLabels:\n      app: frontend\n",
        "    matchExpressions:\n    - {key: app, operator: In, values: [frontend]}\n",
    )
    (tmp_path / "d.yaml").write_text(text)
    imported = run_podgen(["import", str(tmp_path / "d.yaml")])
    assert imported.code == 0
    assert imported.stderr.startswith("note: ") and "selector.matchExpressions" in imported.stderr
    (kept,) = yaml.safe_load(imported.stdout)["objects"]
    assert kept == yaml.safe_load(text)


def test_the_deployment_flags_set_selector_and_pod_labels() -> None:
    result = run_podgen(
        ["new", "web", "--image", "nginx:1.27", "--kind", "deployment", "-l", "team=shop",
         "--selector", "app=web", "--pod-label", "app=web", "--pod-label", "v=1",
         "--pod-annotation", "a=b"]
    )  # fmt: skip
    spec = yaml.safe_load(result.stdout)["spec"]
    assert spec["selector"] == {"matchLabels": {"app": "web"}}
    assert spec["template"]["metadata"] == {
        "annotations": {"a": "b"},
        "labels": {"app": "web", "v": "1"},
    }
    refused = run_podgen(["new", "web", "--image", "nginx", "--pod-label", "a=b"])
    assert (refused.code, refused.stderr) == (
        1,
        "error: --pod-label: only applies with --kind deployment, statefulset, daemonset, "
        "replicaset, job or cronjob\n",
    )


HAND_WRITTEN_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
"""


def test_a_hand_written_pod_imports_with_the_plain_skeleton_and_no_overrides(
    tmp_path: Path,
) -> None:
    """No dnsPolicy: null, restartPolicy: null, resources: null to undo podgen's skeleton."""
    (tmp_path / "pod.yaml").write_text(HAND_WRITTEN_POD)
    imported = run_podgen(["import", str(tmp_path / "pod.yaml")])
    blueprint = yaml.safe_load(imported.stdout)
    assert blueprint["skeleton"] == "plain"
    (pod,) = blueprint["pods"]
    assert "overrides" not in pod
    (tmp_path / "blueprint.yaml").write_text(imported.stdout)
    rendered = run_podgen(["render", str(tmp_path / "blueprint.yaml")])
    assert _objects(rendered.stdout) == _objects(HAND_WRITTEN_POD)


def test_what_kubectl_wrote_keeps_kubectls_skeleton(tmp_path: Path) -> None:
    written = run_podgen(["new", "web", "--image", "nginx:1.27", "--kind", "deployment"]).stdout
    (tmp_path / "d.yaml").write_text(written)
    blueprint = yaml.safe_load(run_podgen(["import", str(tmp_path / "d.yaml")]).stdout)
    assert "skeleton" not in blueprint
    (tmp_path / "blueprint.yaml").write_text(yaml.safe_dump(blueprint))
    assert run_podgen(["render", str(tmp_path / "blueprint.yaml")]).stdout == written


@pytest.mark.parametrize("kind", ["pod", "deployment"])
def test_the_plain_skeleton_leaves_out_exactly_kubectls_empty_fields(
    tmp_path: Path, kind: str
) -> None:
    text = (
        "apiVersion: podgen.dev/v1\nkind: Blueprint\nskeleton: {skeleton}\nnamespace: shop\n"
        f"createNamespace: true\npods:\n  - name: web\n    kind: {kind}\n    image: nginx:1.27\n"
        "    port: 80\n    expose: true\n"
    )
    objects = {}
    for skeleton in ("kubectl", "plain"):
        (tmp_path / f"{skeleton}.yaml").write_text(text.replace("{skeleton}", skeleton))
        objects[skeleton] = _objects(
            run_podgen(["render", str(tmp_path / f"{skeleton}.yaml")]).stdout
        )

    def without_skeleton(obj: Any) -> Any:
        """kubectl's skeleton removed by hand, to compare."""
        obj = dict(obj)
        for key in ("status",) + (("spec",) if obj["kind"] == "Namespace" else ()):
            obj.pop(key)
        spec = obj.get("spec", {})
        spec.pop("strategy", None)
        if obj["kind"] == "Deployment" and spec["replicas"] == 1:
            del spec["replicas"]  # kubectl create deployment writes the default out
        pod = spec["template"]["spec"] if obj["kind"] == "Deployment" else spec
        if obj["kind"] in ("Pod", "Deployment"):
            pod.pop("dnsPolicy", None)
            pod.pop("restartPolicy", None)
            for container in pod["containers"]:
                container.pop("resources")
        return obj

    assert objects["plain"] == [without_skeleton(o) for o in objects["kubectl"]]


@pytest.mark.parametrize("output", ["json", "kyaml"])
def test_import_writes_json_and_kyaml_blueprints_that_render_the_same(
    tmp_path: Path, output: str
) -> None:
    corpus = Path(__file__).parent / "corpus" / "replicated.yaml"
    as_yaml = run_podgen(["import", str(corpus)])
    written = run_podgen(["import", str(corpus), "-o", output])
    assert (written.code, written.stderr) == (0, "")
    assert written.stdout.startswith("---\n{\n" if output == "kyaml" else "{\n")
    assert yaml.safe_load(written.stdout) == yaml.safe_load(as_yaml.stdout)  # one blueprint
    (tmp_path / f"blueprint.{output}").write_text(written.stdout)
    (tmp_path / "blueprint.yaml").write_text(as_yaml.stdout)
    again = run_podgen(["render", str(tmp_path / f"blueprint.{output}")])
    assert again.code == 0, again.stderr
    assert again.stdout == run_podgen(["render", str(tmp_path / "blueprint.yaml")]).stdout
