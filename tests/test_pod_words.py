"""Pod-template words for every kind, a gRPC probe's `service: null`, named probe ports (issue 24).

- Jobs and CronJobs take `podLabels` and `podAnnotations` (`--pod-label`, `--pod-annotation`)
  as the controllers do, and a CronJob `jobLabels` and `jobAnnotations` for the Jobs it makes;
  import writes a Job with a mesh annotation on its pods in those words, where environments
  apply, instead of keeping it whole under `objects:`. The labels and annotations in these
  places are checked with the API server's rules, and the real server judges each case.
- `podgen new --probe grpc` writes `service: null`, as kubectl does; import and render of every
  kind keep it.
- Probes take a container port's name (not grpc), the one declared port is the default, and a
  name no container port declares is refused by `new` and `render`, and a warning in validate
  (the API server takes it).

The corpus of tests/corpus/pod_words/ imports in words only and renders back exactly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from podgen import PodFlags, RunFlags
from podgen._checking.k8s_schema import as_decoded
from tests.apiserver import ApiServer
from tests.conftest import parse_documents, run_podgen
from tests.test_environments import HEAD, PROJECT_HEAD, _render, _write

CORPUS = Path(__file__).parent / "corpus" / "pod_words"
FILES = sorted(CORPUS.glob("*.yaml"))
BAD_KEY = "bad key!"


def _docs(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc is not None]


def _imported(path: Path) -> str:
    result = run_podgen(["import", str(path)])
    assert result.code == 0, result.stderr
    return result.stdout


def _rendered(tmp_path: Path, blueprint: str) -> str:
    path = tmp_path / "blueprint.yaml"
    path.write_text(blueprint)
    result = run_podgen(["render", str(path)])
    assert result.code == 0, result.stderr
    return result.stdout


def _pod(container: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web"},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.27.0", **container}]},
    }


def _validate(tmp_path: Path, objects: list[dict[str, Any]]) -> tuple[int, list[dict[str, Any]]]:
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump_all(objects))
    result = run_podgen(["validate", "--format", "json", str(path)])
    return result.code, json.loads(result.stdout)["findings"]


def _reason(cause: dict[str, Any], value: str) -> str:
    """The reason of the server's `Invalid value: "VALUE": REASON`."""
    return str(cause["message"]).split(f'"{value}": ', 1)[1]


# The corpus ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_the_corpus_imports_in_words_and_renders_back_exactly(tmp_path: Path, path: Path) -> None:
    blueprint = _imported(path)
    assert "objects" not in yaml.safe_load(blueprint), "an object was kept whole"
    assert _docs(_rendered(tmp_path, blueprint)) == _docs(path.read_text())


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_the_corpus_is_valid_to_the_api_server_and_to_podgen(
    tmp_path: Path, path: Path, api_server: ApiServer
) -> None:
    objects = _docs(path.read_text())
    for obj in objects:
        verdict = api_server.verdict(obj)
        assert verdict.accepted, (obj["metadata"]["name"], verdict.message)
    code, findings = _validate(tmp_path, objects)
    assert code == 0 and not [f for f in findings if f["severity"] == "error"]


def test_the_corpus_has_each_shape() -> None:
    """Mesh annotations on Job and CronJob pods, a CronJob's Job labels, named probe ports."""
    objects = [obj for path in FILES for obj in _docs(path.read_text())]
    kinds = {obj["kind"] for obj in objects}
    assert {"Job", "CronJob", "Deployment", "StatefulSet", "DaemonSet"} <= kinds
    text = "\n".join(path.read_text() for path in FILES)
    for shape in ("sidecar.istio.io/inject", "linkerd.io/inject", "port: http", "port: redis"):
        assert shape in text
    assert any(
        obj["kind"] == "CronJob" and obj["spec"]["jobTemplate"].get("metadata", {}).get("labels")
        for obj in objects
    )


# 1. pod-template words on Jobs and CronJobs ------------------------------------------------------


def test_a_job_takes_pod_labels_and_annotations(api_server: ApiServer) -> None:
    result = run_podgen(
        ["new", "migrate", "--image", "ghcr.io/example/shop:2.8.1", "--kind", "job",
         "-l", "app=shop", "--pod-label", "app=shop", "--pod-label", "job=migrate",
         "--pod-annotation", "sidecar.istio.io/inject=false", "--", "./shop", "migrate"]
    )  # fmt: skip
    assert result.code == 0, result.stderr
    (job,) = parse_documents(result.stdout, "yaml")
    assert job["metadata"]["labels"] == {"app": "shop"}
    assert job["spec"]["template"]["metadata"] == {
        "annotations": {"sidecar.istio.io/inject": "false"},
        "labels": {"app": "shop", "job": "migrate"},
    }
    assert api_server.verdict(job).accepted


def test_a_cronjob_takes_pod_and_job_metadata(api_server: ApiServer) -> None:
    result = run_podgen(
        ["new", "report", "--image", "busybox:1.36", "--kind", "cronjob", "--schedule", "@daily",
         "--job-label", "team=data", "--job-annotation", "example.com/owner=data",
         "--pod-annotation", "linkerd.io/inject=disabled"]
    )  # fmt: skip
    assert result.code == 0, result.stderr
    (cronjob,) = parse_documents(result.stdout, "yaml")
    job_template = cronjob["spec"]["jobTemplate"]
    assert job_template["metadata"] == {
        "annotations": {"example.com/owner": "data"},
        "labels": {"team": "data"},
        "name": "report",
    }
    assert job_template["spec"]["template"]["metadata"] == {
        "annotations": {"linkerd.io/inject": "disabled"}
    }
    assert api_server.verdict(cronjob).accepted


def test_a_bare_pod_and_other_kinds_refuse_the_words_they_do_not_take() -> None:
    pod = run_podgen(["new", "web", "--image", "nginx:1.27.0", "--pod-annotation", "a=b"])
    assert (pod.code, pod.stdout) == (1, "")
    assert pod.stderr == (
        "error: --pod-annotation: only applies with --kind deployment, statefulset, daemonset, "
        "replicaset, job or cronjob\n"
    )
    job = run_podgen(["new", "j", "--image", "busybox:1.36", "--kind", "job", "--job-label", "a=b"])
    assert job.stderr == "error: --job-label: only applies with --kind cronjob\n"


@pytest.mark.parametrize(
    ("kind", "where"),
    [
        ("Job", ("spec", "template", "metadata", "labels")),
        ("Job", ("spec", "template", "metadata", "annotations")),
        ("CronJob", ("spec", "jobTemplate", "spec", "template", "metadata", "labels")),
        ("CronJob", ("spec", "jobTemplate", "spec", "template", "metadata", "annotations")),
    ],
)
def test_validate_refuses_bad_pod_template_metadata_of_jobs_as_the_server_does(
    tmp_path: Path, api_server: ApiServer, kind: str, where: tuple[str, ...]
) -> None:
    obj = _batch(kind)
    _place(obj, where, {BAD_KEY: "x"})
    verdict = api_server.verdict(obj)
    assert not verdict.accepted
    code, findings = _validate(tmp_path, [obj])
    errors = [f for f in findings if f["severity"] == "error"]
    assert code == 1 and len(errors) == 1
    assert errors[0]["rule"] in ("label-key", "annotation-key")
    assert errors[0]["message"].startswith(".".join(where))
    assert f'Invalid value: "{BAD_KEY}"' in errors[0]["message"]


@pytest.mark.parametrize("field", ["labels", "annotations"])
def test_a_cronjobs_job_metadata_is_a_warning_as_the_server_takes_it(
    tmp_path: Path, api_server: ApiServer, field: str
) -> None:
    """The server takes any jobTemplate.metadata, then refuses every Job made with it."""
    obj = _batch("CronJob")
    _place(obj, ("spec", "jobTemplate", "metadata", field), {BAD_KEY: "x"})
    assert api_server.verdict(obj).accepted
    job = _batch("Job")
    job["metadata"][field] = {BAD_KEY: "x"}  # the Job the CronJob makes
    assert not api_server.verdict(job).accepted
    code, findings = _validate(tmp_path, [obj])
    assert code == 0
    (warning,) = [f for f in findings if f["rule"] == "job-template-metadata"]
    assert warning["severity"] == "warning"
    assert "would refuse every Job this CronJob makes" in warning["message"]


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--kind", "job", "--pod-label", f"{BAD_KEY}=x"], "--pod-label"),
        (["--kind", "job", "--pod-annotation", f"{BAD_KEY}=x"], "--pod-annotation"),
        (["--kind", "cronjob", "--schedule", "@daily", "--pod-label", "a=-x"], "--pod-label"),
        (["--kind", "cronjob", "--schedule", "@daily", "--job-label", f"{BAD_KEY}=x"],
         "--job-label"),
        (["--kind", "cronjob", "--schedule", "@daily", "--job-annotation", f"{BAD_KEY}=x"],
         "--job-annotation"),
    ],
)  # fmt: skip
def test_new_refuses_bad_pod_and_job_metadata_naming_the_flag(args: list[str], flag: str) -> None:
    result = run_podgen(["new", "j", "--image", "busybox:1.36", *args])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"error: {flag}: spec.")
    assert result.stderr.count("\n") == 1


def test_render_names_the_blueprint_line_of_bad_job_labels(tmp_path: Path) -> None:
    path = tmp_path / "bp.yaml"
    path.write_text(
        HEAD + "pods:\n- name: r\n  image: busybox:1.36\n  kind: cronjob\n"
        '  schedule: "@daily"\n  jobLabels: {"bad key!": x}\n'
    )
    result = run_podgen(["render", str(path)])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"error: {path}:8:3: pods[0].jobLabels: ")
    assert result.stderr.count("\n") == 1


JOB_WITH_MESH = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
spec:
  template:
    metadata:
      annotations:
        sidecar.istio.io/inject: "false"
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: ghcr.io/example/shop:2.8.1
"""


def test_a_job_with_a_mesh_annotation_imports_as_a_pod_entry_where_environments_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = tmp_path / "job.yaml"
    manifest.write_text(JOB_WITH_MESH)
    blueprint = yaml.safe_load(_imported(manifest))
    assert "objects" not in blueprint
    (entry,) = blueprint["pods"]
    assert entry["podAnnotations"] == {"sidecar.istio.io/inject": "false"}
    project = tmp_path / "project"
    _write(
        project,
        {
            "blueprint.yaml": yaml.safe_dump(blueprint),
            "podgen.yaml": PROJECT_HEAD
            + "environments:\n  prod: {namespace: shop-prod, tag: 2.9.0, labels: {env: prod}}\n",
        },
    )
    job = _render(project, "prod", monkeypatch)["Job", "shop-prod", "migrate"]
    template = job["spec"]["template"]
    assert template["spec"]["containers"][0]["image"] == "ghcr.io/example/shop:2.9.0"
    assert template["metadata"] == {
        "annotations": {"sidecar.istio.io/inject": "false"},
        "labels": {"env": "prod"},
    }


def test_an_environments_labels_reach_a_jobs_own_pod_labels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "blueprint.yaml": HEAD
            + "pods:\n- {name: seed, kind: job, image: 'busybox:1.36', labels: {app: catalog},"
            " podLabels: {app: catalog, job: seed}}\n",
            "podgen.yaml": PROJECT_HEAD + "environments:\n  dev: {labels: {env: dev}}\n",
        },
    )
    job = _render(tmp_path, "dev", monkeypatch)["Job", "", "seed"]
    assert job["metadata"]["labels"] == {"app": "catalog", "env": "dev"}
    assert job["spec"]["template"]["metadata"]["labels"] == {
        "app": "catalog",
        "job": "seed",
        "env": "dev",
    }


def test_a_cronjob_with_job_labels_imports_in_words(tmp_path: Path) -> None:
    """Before, it was kept whole, and the note blamed another field."""
    manifest = tmp_path / "cron.yaml"
    cronjob = _batch("CronJob")
    cronjob["spec"]["concurrencyPolicy"] = "Forbid"
    cronjob["spec"]["jobTemplate"]["metadata"] = {"labels": {"team": "data"}}
    manifest.write_text(yaml.safe_dump(cronjob))
    result = run_podgen(["import", str(manifest)])
    assert (result.code, result.stderr) == (0, "")
    (entry,) = yaml.safe_load(result.stdout)["pods"]
    assert entry["jobLabels"] == {"team": "data"}
    assert _docs(_rendered(tmp_path, result.stdout)) == [cronjob]


def test_import_names_a_cronjobs_job_metadata_it_has_no_word_for(tmp_path: Path) -> None:
    manifest = tmp_path / "cron.yaml"
    cronjob = _batch("CronJob")
    cronjob["spec"]["jobTemplate"]["metadata"] = {"generateName": "r-"}
    manifest.write_text(yaml.safe_dump(cronjob))
    result = run_podgen(["import", str(manifest)])
    # In plain words, not a Python list (issue 24)
    assert "no blueprint words: jobTemplate.metadata.generateName;" in result.stderr
    assert "objects" in yaml.safe_load(result.stdout)


def _batch(kind: str) -> dict[str, Any]:
    pod = {
        "spec": {"restartPolicy": "Never", "containers": [{"name": "a", "image": "busybox:1.36"}]}
    }
    if kind == "Job":
        return {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "j"},
            "spec": {"template": pod},
        }
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "c"},
        "spec": {"schedule": "@hourly", "jobTemplate": {"spec": {"template": pod}}},
    }


def _place(obj: dict[str, Any], where: tuple[str, ...], value: object) -> None:
    for key in where[:-1]:
        obj = obj.setdefault(key, {})
    obj[where[-1]] = value


# 2. a gRPC probe's service: null -----------------------------------------------------------------

KINDS = ["pod", "deployment", "job", "cronjob", "statefulset", "daemonset", "replicaset"]


def _new_grpc(kind: str) -> str:
    extra = ["--schedule", "@daily"] if kind == "cronjob" else []
    result = run_podgen(
        ["new", "g", "--image", "nginx:1.27.0", "--port", "8080", "--probe", "grpc", "--kind",
         kind, "--no-expose" if kind == "statefulset" else "--probe-kinds=liveness,readiness",
         *extra]
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return result.stdout


def _probes(obj: dict[str, Any]) -> list[dict[str, Any]]:
    spec = obj["spec"]
    if obj["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    pod = spec if obj["kind"] == "Pod" else spec["template"]["spec"]
    app = pod["containers"][0]
    return [app["livenessProbe"], app["readinessProbe"]]


@pytest.mark.parametrize("kind", KINDS)
def test_a_grpc_probes_service_null_survives_import_and_render(tmp_path: Path, kind: str) -> None:
    written = _new_grpc(kind)
    assert written.count("service: null") == 2  # as kubectl writes it
    manifest = tmp_path / "new.yaml"
    manifest.write_text(written)
    rendered = _rendered(tmp_path, _imported(manifest))
    (obj,) = _docs(rendered)
    assert _probes(obj) == [{"grpc": {"port": 8080, "service": None}}] * 2
    if kind in ("statefulset", "replicaset"):
        # Written without kubectl's `status: {}`, they import as plain manifests, and keep
        # everything they wrote, `replicas: 1` included (issue 24's written defaults).
        (original,) = _docs(written)
        assert original["spec"]["replicas"] == 1
        assert obj == original
    else:
        assert rendered == written


def test_decoding_keeps_the_nulls_go_writes_and_drops_the_others() -> None:
    pod = _pod({"livenessProbe": {"grpc": {"port": 8080, "service": None}}, "args": None})
    decoded = as_decoded(pod)
    container = decoded["spec"]["containers"][0]
    assert container["livenessProbe"] == {"grpc": {"port": 8080, "service": None}}
    assert "args" not in container


# 3. named probe ports ----------------------------------------------------------------------------


def test_a_probe_port_that_no_container_port_names_is_refused_by_new() -> None:
    result = run_podgen(
        ["new", "web", "--image", "nginx:1.27.0", "--port", "80", "--probe", "http",
         "--probe-port", "http"]
    )  # fmt: skip
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == "error: --probe-port: no container port is named 'http'\n"


def test_a_probe_port_number_is_still_a_number() -> None:
    result = run_podgen(
        ["new", "web", "--image", "nginx:1.27.0", "--probe", "tcp", "--probe-port", "8080"]
    )
    (pod,) = parse_documents(result.stdout, "yaml")
    assert pod["spec"]["containers"][0]["livenessProbe"] == {"tcpSocket": {"port": 8080}}


@pytest.mark.parametrize("name", ["Http", "http-", "h--p", "a" * 16, "-", "web_port"])
def test_a_bad_probe_port_name_is_refused_with_the_servers_reasons(
    api_server: ApiServer, name: str
) -> None:
    verdict = api_server.verdict(_pod({"livenessProbe": {"httpGet": {"port": name}}}))
    assert not verdict.accepted
    reasons = [_reason(cause, name) for cause in verdict.causes]
    result = run_podgen(
        ["new", "web", "--image", "nginx:1.27.0", "--probe", "http", "--probe-port", name]
    )
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        f'error: --probe-port: Invalid value: "{name}": {"; ".join(reasons)}\n'
    )


def test_a_grpc_probe_takes_no_port_name(api_server: ApiServer) -> None:
    verdict = api_server.verdict(_pod({"livenessProbe": {"grpc": {"port": "grpc"}}}))
    assert not verdict.accepted  # GRPCAction.port is an int32
    result = run_podgen(
        ["new", "web", "--image", "nginx:1.27.0", "--probe", "grpc", "--probe-port", "grpc"]
    )
    assert (
        result.stderr
        == "error: --probe-port: 'grpc': a grpc probe's port is a number, not a name\n"
    )


NAMED = (
    HEAD
    + """\
pods:
- name: api
  kind: deployment
  image: ghcr.io/example/api:3.1.0
  ports: [{name: http, containerPort: 8080}]
  probe: {type: %s}
"""
)


@pytest.mark.parametrize(("handler", "port"), [("http", "http"), ("tcp", "http"), ("grpc", 8080)])
def test_the_one_declared_port_is_the_probes_default(
    tmp_path: Path, api_server: ApiServer, handler: str, port: object
) -> None:
    (deployment,) = _docs(_rendered(tmp_path, NAMED % handler))
    app = deployment["spec"]["template"]["spec"]["containers"][0]
    action = {"http": "httpGet", "tcp": "tcpSocket", "grpc": "grpc"}[handler]
    assert app["livenessProbe"][action]["port"] == port
    assert app["readinessProbe"] == app["livenessProbe"]
    assert api_server.verdict(deployment).accepted


def test_a_blueprint_probe_names_a_declared_port(tmp_path: Path, api_server: ApiServer) -> None:
    blueprint = (NAMED % "http, port: metrics, path: /healthz").replace(
        "containerPort: 8080}]", "containerPort: 8080}, {name: metrics, containerPort: 9090}]"
    )
    (deployment,) = _docs(_rendered(tmp_path, blueprint))
    probe = deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]
    assert probe == {"httpGet": {"path": "/healthz", "port": "metrics"}}
    assert api_server.verdict(deployment).accepted


def test_render_refuses_an_undeclared_probe_port_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bp.yaml"
    path.write_text(NAMED % "http, port: admin")
    result = run_podgen(["render", str(path)])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: {path}:8:23: pods[0].probe.port: no container port is named 'admin'; "
        "the named ones: http\n"
    )


def test_validate_warns_of_an_undeclared_probe_port_the_server_takes(
    tmp_path: Path, api_server: ApiServer
) -> None:
    pod = _pod(
        {
            "ports": [{"name": "http", "containerPort": 8080}],
            "readinessProbe": {"httpGet": {"path": "/", "port": "admin"}},
        }
    )
    verdict = api_server.verdict(pod)
    assert verdict.accepted and not verdict.warnings
    code, findings = _validate(tmp_path, [pod])
    assert code == 0
    (warning,) = [f for f in findings if f["rule"] == "probe-port-undeclared"]
    assert warning["severity"] == "warning"
    assert "'admin'" in warning["message"]


def test_a_named_probe_port_imports_in_probe_words(tmp_path: Path) -> None:
    (deployment,) = [
        obj for obj in _docs((CORPUS / "named-probe-ports.yaml").read_text())
        if obj["metadata"]["name"] == "storefront"
    ]  # fmt: skip
    manifest = tmp_path / "storefront.yaml"
    manifest.write_text(yaml.safe_dump(deployment))
    (entry,) = yaml.safe_load(_imported(manifest))["pods"]
    assert entry["probe"] == {"type": "http"}  # port: the one declared, by its name
    assert "livenessProbe" not in entry and "overrides" not in entry


def test_the_library_takes_a_probe_port_as_a_number_or_a_name() -> None:
    from podgen._building.flags import checked_flags, request_from_flags

    for given, port in ((8080, 8080), ("8080", 8080), ("http", "http")):
        flags = checked_flags(
            RunFlags(name="web", image="nginx:1.27.0", pod=PodFlags(probe="http", probe_port=given))
        )
        assert request_from_flags(flags).probe.port == port


def test_port_name_messages_are_the_servers(api_server: ApiServer, tmp_path: Path) -> None:
    for name in ("h--p", "-ab"):
        pod = _pod({"ports": [{"name": name, "containerPort": 80}]})
        verdict = api_server.verdict(pod)
        (cause,) = verdict.causes
        _, findings = _validate(tmp_path, [pod])
        (error,) = [f for f in findings if f["severity"] == "error"]
        assert error["message"].endswith(_reason(cause, name)), error


# 1. the pod labels the server writes for a Job itself --------------------------------------------

GENERATED = [
    {"job-name": "other"},
    {"job-name": "j"},
    {"controller-uid": "abc"},
    {"batch.kubernetes.io/controller-uid": "abc"},
    {"batch.kubernetes.io/job-name": "other"},
    {"batch.kubernetes.io/job-name": "j", "app": "x"},
]


def _server_reason(cause: dict[str, Any]) -> str:
    """The reason after the server's `Invalid value: {labels}: `."""
    return str(cause["message"]).rsplit("}: ", 1)[1]


@pytest.mark.parametrize("manual", [False, True], ids=["generated", "manualSelector"])
@pytest.mark.parametrize("labels", GENERATED, ids=lambda labels: ",".join(labels))
def test_validate_checks_a_jobs_generated_pod_labels_as_the_server_does(
    tmp_path: Path, api_server: ApiServer, labels: dict[str, str], manual: bool
) -> None:
    obj = _batch("Job")
    _place(obj, ("spec", "template", "metadata", "labels"), labels)
    if manual:  # the server then writes no labels and checks none
        obj["spec"].update(manualSelector=True, selector={"matchLabels": labels})
    verdict = api_server.verdict(obj)
    code, findings = _validate(tmp_path, [obj])
    errors = [f for f in findings if f["severity"] == "error"]
    assert (code == 0) == verdict.accepted
    assert sorted(c["field"] for c in verdict.causes) == sorted(
        e["message"].split(": ", 1)[0] for e in errors
    )
    for cause in verdict.causes:
        (error,) = [e for e in errors if e["message"].startswith(cause["field"] + ": ")]
        reason = _server_reason(cause)
        if "uid" in cause["field"]:  # the server names the uid it gave the Job
            assert reason.startswith("must be '")
            assert error["message"].endswith("must be '<uid>' (the uid the server gives the Job)")
        else:
            assert error["message"].endswith("}: " + reason)


@pytest.mark.parametrize("labels", GENERATED, ids=lambda labels: ",".join(labels))
def test_a_cronjobs_generated_pod_labels_are_a_warning_and_refused_by_new(
    tmp_path: Path, api_server: ApiServer, labels: dict[str, str]
) -> None:
    """The server takes them in the CronJob, then refuses its Jobs, named as it names them."""
    obj = _batch("CronJob")
    _place(obj, ("spec", "jobTemplate", "spec", "template", "metadata", "labels"), labels)
    assert api_server.verdict(obj).accepted
    job = _batch("Job")
    job["metadata"]["name"] = "c-29000000"  # a name the controller gives
    _place(job, ("spec", "template", "metadata", "labels"), labels)
    assert not api_server.verdict(job).accepted
    code, findings = _validate(tmp_path, [obj])
    assert code == 0
    warned = [f for f in findings if f["rule"] == "job-template-metadata"]
    assert len(warned) == len([k for k in labels if k != "app"])
    assert all("would refuse every Job this CronJob makes" in w["message"] for w in warned)
    flags = [a for k, v in labels.items() for a in ("--pod-label", f"{k}={v}")]
    result = run_podgen(
        ["new", "c", "--image", "busybox:1.36", "--kind", "cronjob", "--schedule", "@daily", *flags]
    )
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.startswith("error: --pod-label: spec.jobTemplate.spec.template.")


@pytest.mark.parametrize("labels", GENERATED, ids=lambda labels: ",".join(labels))
def test_new_and_render_refuse_a_jobs_generated_pod_labels_as_the_server_does(
    tmp_path: Path, api_server: ApiServer, labels: dict[str, str]
) -> None:
    obj = _batch("Job")
    _place(obj, ("spec", "template", "metadata", "labels"), labels)
    accepted = api_server.verdict(obj).accepted
    flags = [a for k, v in labels.items() for a in ("--pod-label", f"{k}={v}")]
    result = run_podgen(["new", "j", "--image", "busybox:1.36", "--kind", "job", *flags])
    assert result.code == (0 if accepted else 1)
    if not accepted:
        assert result.stdout == ""
        assert result.stderr.startswith("error: --pod-label: spec.template.metadata.labels")
        assert result.stderr.count("\n") == 1
    path = tmp_path / "bp.yaml"
    path.write_text(
        HEAD + "pods:\n- name: j\n  image: busybox:1.36\n  kind: job\n"
        f"  podLabels: {json.dumps(labels)}\n"
    )
    result = run_podgen(["render", str(path)])
    assert result.code == (0 if accepted else 1)
    if not accepted:
        assert result.stderr.startswith(f"error: {path}:7:3: pods[0].podLabels")


# 2. `podLabels: {}`: pods with no labels ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["job", "cronjob"])
def test_empty_pod_labels_give_a_jobs_pods_none(
    tmp_path: Path, api_server: ApiServer, kind: str
) -> None:
    schedule = '  schedule: "@daily"\n' if kind == "cronjob" else ""
    (obj,) = _docs(
        _rendered(
            tmp_path,
            HEAD + f"pods:\n- name: r\n  image: busybox:1.36\n  kind: {kind}\n{schedule}"
            "  labels: {app: x}\n  podLabels: {}\n",
        )
    )
    job = obj["spec"]["jobTemplate"] if kind == "cronjob" else obj
    assert obj["metadata"]["labels"] == {"app": "x"}
    assert "labels" not in job["spec"]["template"]["metadata"]
    assert api_server.verdict(obj).accepted


@pytest.mark.parametrize("kind", ["deployment", "statefulset", "daemonset", "replicaset"])
def test_empty_pod_labels_are_refused_where_a_selector_must_match_them(
    tmp_path: Path, api_server: ApiServer, kind: str
) -> None:
    rendered = _rendered(
        tmp_path, HEAD + f"pods:\n- name: d\n  image: nginx:1.27.0\n  kind: {kind}\n"
    )
    # A StatefulSet comes with its headless Service.
    (obj,) = [doc for doc in _docs(rendered) if doc["kind"].lower() == kind]
    obj["spec"]["template"]["metadata"].pop("labels")
    assert not api_server.verdict(obj).accepted  # the selector selects none of its pods
    path = tmp_path / "bp.yaml"
    path.write_text(
        HEAD + f"pods:\n- name: d\n  image: nginx:1.27.0\n  kind: {kind}\n  podLabels: {{}}\n"
    )
    result = run_podgen(["render", str(path)])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"error: {path}:7:3: pods[0].podLabels: ")
    assert "selector must match its pods' labels" in result.stderr
    assert result.stderr.count("\n") == 1


def test_no_pod_label_flag_still_means_the_default() -> None:
    result = run_podgen(["new", "j", "--image", "busybox:1.36", "--kind", "job", "-l", "a=b"])
    assert result.code == 0, result.stderr
    (obj,) = _docs(result.stdout)
    assert obj["spec"]["template"]["metadata"]["labels"] == {"a": "b"}


def test_empty_pod_labels_on_a_bare_pod_are_refused_as_any_pod_labels_are(tmp_path: Path) -> None:
    path = tmp_path / "bp.yaml"
    path.write_text(HEAD + "pods:\n- name: p\n  image: busybox:1.36\n  podLabels: {}\n")
    result = run_podgen(["render", str(path)])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"error: {path}:6:3: pods[0].podLabels: only applies with ")
