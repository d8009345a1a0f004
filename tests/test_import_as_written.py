"""podgen import keeps what was written: defaults, ownerReferences, folders (issue 24).

The corpus under tests/corpus/as_written/ holds manifests in the shapes real projects write
(Helm-chart Deployments with `replicas: 1`, StatefulSets, Services written out in full,
Namespaces, objects with ownerReferences, a `kubectl get all -o yaml` dump, a mixed folder):
each imports, and renders back to exactly the objects it holds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.apiserver import ApiServer
from tests.conftest import GoYamlReader, Run, parse_documents, run_podgen

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
"""


def test_import_takes_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "k8s"
    (folder / "apps").mkdir(parents=True)
    (folder / "apps" / "web.yaml").write_text(DEPLOYMENT)
    (folder / "ns.json").write_text(
        '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}'
    )
    (folder / ".hidden.yaml").write_text("not: [a manifest")
    result = run_podgen(["import", str(folder)])
    assert (result.code, result.stderr) == (0, ""), result
    assert "name: web" in result.stdout and "name: shop" in result.stdout


def test_import_of_a_folder_skips_blueprints_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)
    (tmp_path / "blueprint.yaml").write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods: [{name: a, image: nginx}]\n"
    )
    result = run_podgen(["import", str(tmp_path)])
    assert result.code == 0, result
    assert result.stderr == (
        f"note: {tmp_path}/blueprint.yaml: skipped: a podgen Blueprint, not a manifest\n"
    )


@pytest.mark.parametrize("command", ["import", "validate"])
def test_a_broken_symlink_in_a_folder_is_named(tmp_path: Path, command: str) -> None:
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)
    os.symlink(tmp_path / "gone.yaml", tmp_path / "link.yaml")
    result = run_podgen([command, str(tmp_path)])
    assert result.code != 0
    assert f"{tmp_path}/link.yaml" in result.stderr + result.stdout
    assert "cannot read it: a broken symbolic link" in result.stderr + result.stdout
    assert "could not write the output" not in result.stderr


@pytest.mark.parametrize("given", ["folder", "file"])
@pytest.mark.parametrize("command", ["import", "validate"])
def test_an_unreadable_file_is_named_not_blamed_on_the_output(
    tmp_path: Path, command: str, given: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permission denied on reading (tests run as root, so `open` is made to refuse)."""
    import builtins

    secret = tmp_path / "secret.yaml"
    secret.write_text(DEPLOYMENT)
    real_open = builtins.open

    def refusing_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(secret):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", refusing_open)
    result = run_podgen([command, str(tmp_path if given == "folder" else secret)])
    output = result.stderr + result.stdout
    assert result.code != 0
    assert f"{secret}" in output and "cannot read it: Permission denied" in output
    assert "could not write the output" not in output


def test_a_blueprint_given_to_import_is_named_as_one(tmp_path: Path) -> None:
    blueprint = tmp_path / "app.yaml"
    blueprint.write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods: [{name: a, image: b}]\n"
    )
    result = run_podgen(["import", str(blueprint)])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: {blueprint}:1:1: this is a podgen Blueprint (apiVersion: podgen.dev/v1), not a "
        f"Kubernetes manifest; `podgen render {blueprint}` writes its objects\n"
    )
    assert "null" not in result.stderr


# --- the corpus: each file (and the mixed folder) imports and renders back ---------------

CORPUS = Path(__file__).parent / "corpus" / "as_written"
SOURCES = [*sorted(CORPUS.glob("*.yaml")), CORPUS / "mixed"]
#: What the controllers in kubectl-get-all.yaml and kubectl-get-jobs.yaml (real servers'
#: answers) make again.
MADE = (
    "ReplicaSet 'cart-7d9c5b6f4d'",
    "Pod 'cart-7d9c5b6f4d-p9mzt'",
    "Pod 'cart-7d9c5b6f4d-x2k4q'",
    "Endpoints 'cart'",
    "EndpointSlice 'cart-h8q2w'",
    "Job 'nightly-manual'",  # kubectl-get-jobs.yaml: its CronJob makes it
)
#: Fields only a server writes: none may reach a blueprint.
SERVER_WRITTEN = (
    "uid:",
    "resourceVersion",
    "managedFields",
    "creationTimestamp",
    "generation:",
    "observedGeneration",
    "deployment.kubernetes.io/revision",
    "last-applied-configuration",
    "clusterIP: 10.",
    "availableReplicas",
)


def _documents(source: Path) -> list[dict[str, Any]]:
    files = sorted(source.rglob("*.yaml")) if source.is_dir() else [source]
    found = []
    for file in files:
        for document in yaml.load_all(file.read_text(), Loader=GoYamlReader):
            if document is None:
                continue
            found.extend(document["items"] if document["kind"] == "List" else [document])
    return found


def _by_identity(objects: list[dict[str, Any]]) -> dict[tuple[str, str, str], Any]:
    return {
        (o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in objects
    }


def _round_trip(source: Path, tmp_path: Path) -> tuple[Run, list[dict[str, Any]]]:
    imported = run_podgen(["import", str(source)])
    assert imported.code == 0, imported.stderr
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(imported.stdout)
    rendered = run_podgen(["render", str(blueprint)])
    assert (rendered.code, rendered.stderr) == (0, ""), rendered
    return imported, parse_documents(rendered.stdout, "yaml")


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_corpus_renders_back_exactly_the_objects_people_wrote(source: Path, tmp_path: Path) -> None:
    """Hand-written objects come back field for field: defaults written stay written."""
    _, rendered = _round_trip(source, tmp_path)
    written = [d for d in _documents(source) if "uid" not in d["metadata"]]
    again = _by_identity(rendered)
    for identity, obj in _by_identity(written).items():
        assert again[identity] == obj, identity


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_corpus_from_a_cluster_keeps_no_server_field_and_no_made_object(
    source: Path, tmp_path: Path
) -> None:
    imported, rendered = _round_trip(source, tmp_path)
    server = [d for d in _documents(source) if "uid" in d["metadata"]]
    for field in SERVER_WRITTEN if server else ():
        assert field not in imported.stdout, field
    kinds = {(o["kind"], o["metadata"]["name"]) for o in rendered}
    for obj in server:
        name = (obj["kind"], obj["metadata"]["name"])
        made = f"{obj['kind']} '{obj['metadata']['name']}'" in MADE
        assert (name in kinds) != made, name


def test_a_cluster_dump_leaves_out_what_controllers_make_in_one_note(tmp_path: Path) -> None:
    imported, rendered = _round_trip(CORPUS / "kubectl-get-all.yaml", tmp_path)
    (note,) = imported.stderr.splitlines()
    assert note.startswith("note: left out 5 objects that a controller among the manifests")
    for made in MADE[:5]:  # kubectl-get-all.yaml's
        assert made in note
    assert sorted((o["kind"], o["metadata"]["name"]) for o in rendered) == [
        ("Deployment", "cart"),
        ("Service", "cart"),
    ]
    (deployment,) = (o for o in rendered if o["kind"] == "Deployment")
    assert deployment["spec"]["replicas"] == 2  # the cluster's, not a default


def test_a_mixed_folder_keeps_the_hand_written_plain(tmp_path: Path) -> None:
    imported, rendered = _round_trip(CORPUS / "mixed", tmp_path)
    blueprint = yaml.safe_load(imported.stdout)
    assert blueprint["skeleton"] == "plain" and "objects" not in blueprint
    assert all("status" not in o for o in rendered)


def test_corpus_renders_objects_the_api_server_accepts(
    tmp_path: Path, api_server: ApiServer
) -> None:
    for source in SOURCES:
        _, rendered = _round_trip(source, tmp_path)
        for obj in rendered:
            if obj["kind"] == "Namespace":  # the server may hold one of that name already
                obj["metadata"]["name"] += f"-{uuid.uuid4().hex[:8]}"
            verdict = api_server.verdict(obj)
            assert verdict.accepted, (source.name, obj["kind"], verdict.message)


# --- each item of issue 24, on the smallest input that shows it ---------------------------


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("  replicas: 1\n", {"replicas": 1}),
        ("  revisionHistoryLimit: 10\n", {"revisionHistoryLimit": 10}),
        ("  progressDeadlineSeconds: 600\n", {"progressDeadlineSeconds": 600}),
        ("  strategy: {}\n", {"strategy": {}}),
        (
            "  strategy: {type: RollingUpdate,\n"
            "    rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}\n",
            {
                "strategy": {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                }
            },
        ),
        ("", {}),
    ],
)
def test_a_written_default_is_a_word_and_an_absent_one_is_not(
    tmp_path: Path, spec: str, words: dict[str, Any]
) -> None:
    text = DEPLOYMENT.replace("spec:\n  selector:", f"spec:\n{spec}  selector:", 1)
    (tmp_path / "web.yaml").write_text(text)
    imported, rendered = _round_trip(tmp_path / "web.yaml", tmp_path)
    (entry,) = yaml.safe_load(imported.stdout)["pods"]
    for key in ("replicas", "revisionHistoryLimit", "progressDeadlineSeconds", "strategy"):
        assert entry.get(key, "absent") == words.get(key, "absent"), key
    assert rendered == [yaml.safe_load(text)]


@pytest.mark.parametrize(
    "port",
    [
        "{port: 80}",
        "{port: 80, protocol: TCP}",
        "{port: 80, targetPort: 80}",
        "{port: 80, targetPort: 80, protocol: TCP}",
        "{name: web, port: 80}",
    ],
)
def test_a_service_port_comes_back_as_written(tmp_path: Path, port: str) -> None:
    text = f"apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n  ports: [{port}]\n"
    (tmp_path / "svc.yaml").write_text(text)
    _, rendered = _round_trip(tmp_path / "svc.yaml", tmp_path)
    assert rendered == [yaml.safe_load(text)]


def test_a_namespace_finalizer_written_is_kept(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: pay}\nspec: {finalizers: [kubernetes]}\n"
    )
    (tmp_path / "ns.yaml").write_text(text)
    _, rendered = _round_trip(tmp_path / "ns.yaml", tmp_path)
    assert rendered == [yaml.safe_load(text)]


def test_hand_written_owner_references_are_kept_with_a_note_in_plain_words(
    tmp_path: Path,
) -> None:
    imported, rendered = _round_trip(CORPUS / "owner-references.yaml", tmp_path)
    assert imported.stderr == (
        f"note: {CORPUS / 'owner-references.yaml'}:19:1: metadata fields with no blueprint "
        "words: ownerReferences; kept it whole under objects:\n"
    )
    assert "[" not in imported.stderr  # no Python list
    assert all(o["metadata"]["ownerReferences"] for o in rendered)


def test_a_server_annotation_on_a_hand_written_object_is_kept(tmp_path: Path) -> None:
    text = DEPLOYMENT.replace(
        "  name: web\n",
        '  name: web\n  annotations: {deployment.kubernetes.io/revision: "3"}\n',
        1,
    )
    (tmp_path / "web.yaml").write_text(text)
    _, rendered = _round_trip(tmp_path / "web.yaml", tmp_path)
    assert rendered == [yaml.safe_load(text)]


def test_an_object_whose_controller_is_missing_is_kept_standalone_with_a_note(
    tmp_path: Path,
) -> None:
    dump = yaml.safe_load((CORPUS / "kubectl-get-all.yaml").read_text())
    dump["items"] = [o for o in dump["items"] if o["kind"] == "Pod"][:1]
    (tmp_path / "pod.yaml").write_text(yaml.safe_dump(dump))
    imported, rendered = _round_trip(tmp_path / "pod.yaml", tmp_path)
    assert imported.stderr == (
        f"note: {tmp_path / 'pod.yaml'}:3:3: Pod 'cart-7d9c5b6f4d-p9mzt' in namespace "
        "'i24-import-shop': its controller (ReplicaSet 'cart-7d9c5b6f4d') is not among the "
        "manifests; kept it standalone, without its ownerReferences\n"
    )
    (pod,) = rendered
    assert "ownerReferences" not in pod["metadata"]


CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 3 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    metadata:
      generateName: report-
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: python:3.12
"""


def test_a_cronjob_kept_whole_is_blamed_on_the_field_without_words(tmp_path: Path) -> None:
    (tmp_path / "cron.yaml").write_text(CRONJOB)
    imported = run_podgen(["import", str(tmp_path / "cron.yaml")])
    assert imported.code == 0
    assert "jobTemplate.metadata.generateName" in imported.stderr, imported.stderr
    assert "concurrencyPolicy" not in imported.stderr and "[" not in imported.stderr


STATEFULSET_WITHOUT_SERVICE = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: frontend
spec:
  selector:
    matchLabels: {app: frontend}
  template:
    metadata:
      labels: {app: frontend}
    spec:
      containers:
      - name: web
        image: nginx:1.25.3
"""


def test_an_object_no_words_render_is_blamed_on_the_field_they_refuse(tmp_path: Path) -> None:
    # The server takes a StatefulSet without serviceName; podgen's words always write one,
    # so the object is kept whole, and the note names serviceName (it once blamed apiVersion).
    (tmp_path / "sts.yaml").write_text(STATEFULSET_WITHOUT_SERVICE)
    imported = run_podgen(["import", str(tmp_path / "sts.yaml")])
    assert imported.code == 0
    note = imported.stderr
    assert "statefulset 'frontend'" in note and "serviceName" in note, note
    assert "apiVersion" not in note and "<import>" not in note, note
    assert yaml.safe_load(imported.stdout)["objects"] == [
        yaml.safe_load(STATEFULSET_WITHOUT_SERVICE)
    ]


@pytest.mark.parametrize(
    "command", ["new", "scaffold", "render", "import", "validate", "schema", "blueprints"]
)
def test_help_has_no_markers_and_one_example_a_line(command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "podgen", command, "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert result.returncode == 0, result.stderr
    assert "\\b" not in result.stdout and "\b" not in result.stdout
    for line in result.stdout.splitlines():
        assert line.count("podgen ") <= 1 or "`podgen" in line, line


def test_a_servers_namespace_loses_what_the_server_put_on_every_namespace(
    tmp_path: Path,
) -> None:
    """`kubectl get ns shop -o yaml`: the name label and the finalizer are the server's."""
    text = (
        "apiVersion: v1\nkind: Namespace\nmetadata:\n"
        '  creationTimestamp: "2026-12-06T02:21:56Z"\n'
        "  labels: {kubernetes.io/metadata.name: shop, team: web}\n"
        '  name: shop\n  resourceVersion: "175"\n  uid: eea18551-2a13-4eaf-9ba0-94c17d37b77d\n'
        "spec: {finalizers: [kubernetes]}\nstatus: {phase: Active}\n"
    )
    (tmp_path / "ns.yaml").write_text(text)
    imported, rendered = _round_trip(tmp_path / "ns.yaml", tmp_path)
    blueprint = yaml.safe_load(imported.stdout)
    assert blueprint["namespaceLabels"] == {"team": "web"}
    assert [o["metadata"] for o in rendered] == [{"name": "shop", "labels": {"team": "web"}}]


def test_an_object_a_controller_never_makes_is_kept_though_it_controls_it(
    tmp_path: Path,
) -> None:
    """Only what built-in controllers make is left out: a Deployment makes no ConfigMap."""
    source = CORPUS / "owned-not-made.yaml"
    imported, rendered = _round_trip(source, tmp_path)
    assert imported.stderr == (
        f"note: {source}:76:3: ConfigMap 'web-settings' in namespace 'i24-fixc-own': its "
        "controller (Deployment 'web') does not make it; kept it standalone, without its "
        "ownerReferences\n"
        f"note: {source}:93:3: Pod 'web-probe' in namespace 'i24-fixc-own': its controller "
        "(Service 'web') does not make it; kept it standalone, without its ownerReferences\n"
    )
    kinds = sorted((o["kind"], o["metadata"]["name"]) for o in rendered)
    assert kinds == [
        ("ConfigMap", "web-settings"),
        ("Deployment", "web"),
        ("Pod", "web-probe"),
        ("Service", "web"),
    ]
    (settings,) = (o for o in rendered if o["kind"] == "ConfigMap")
    assert settings["data"] == {"mode": "fast"}


def test_a_job_a_server_returned_imports_without_the_selector_it_generated(
    tmp_path: Path,
) -> None:
    """`kubectl get job -o yaml`: the server's selector, sent back, is one it refuses."""
    imported, rendered = _round_trip(CORPUS / "kubectl-get-jobs.yaml", tmp_path)
    assert sorted((o["kind"], o["metadata"]["name"]) for o in rendered) == [
        ("CronJob", "nightly"),
        ("Job", "solo"),
    ]
    (solo,) = (o for o in rendered if o["kind"] == "Job")
    assert "selector" not in solo["spec"] and "manualSelector" not in solo["spec"]
    assert "labels" not in solo["metadata"]
    assert "labels" not in solo["spec"]["template"]["metadata"]
    entry = next(p for p in yaml.safe_load(imported.stdout)["pods"] if p["name"] == "solo")
    assert entry["kind"] == "job"


def test_a_job_whose_cronjob_is_absent_imports_standalone(tmp_path: Path) -> None:
    dump = yaml.safe_load((CORPUS / "kubectl-get-jobs.yaml").read_text())
    dump["items"] = [o for o in dump["items"] if o["metadata"]["name"] == "nightly-manual"]
    (tmp_path / "job.yaml").write_text(yaml.safe_dump(dump))
    imported, rendered = _round_trip(tmp_path / "job.yaml", tmp_path)
    assert "its controller (CronJob 'nightly') is not among the manifests" in imported.stderr
    (job,) = rendered
    assert "selector" not in job["spec"]
    assert job["metadata"]["annotations"] == {"cronjob.kubernetes.io/instantiate": "manual"}
    assert "labels" not in job["spec"]["template"]["metadata"]


def test_a_cronjob_a_server_returned_gets_words(tmp_path: Path) -> None:
    """The server writes `jobTemplate.metadata: {}`: nothing there to keep it whole for."""
    imported, rendered = _round_trip(CORPUS / "kubectl-get-cronjob.yaml", tmp_path)
    assert imported.stderr == ""
    (entry,) = yaml.safe_load(imported.stdout)["pods"]
    assert (entry["kind"], entry["schedule"]) == ("cronjob", "0 3 * * *")
    assert [o["kind"] for o in rendered] == ["CronJob"]


def test_a_deployment_without_replicas_says_plainly_why_it_is_kept_whole(
    tmp_path: Path,
) -> None:
    text = DEPLOYMENT + "status: {}\n"  # kubectl's output, replicas deleted for an HPA
    (tmp_path / "web.yaml").write_text(text)
    imported, rendered = _round_trip(tmp_path / "web.yaml", tmp_path)
    assert imported.stderr == (
        f"note: {tmp_path / 'web.yaml'}:1:1: deployment 'web': spec.replicas is absent here, "
        "and the kubectl skeleton always writes it (1); kept it whole under objects:\n"
    )
    assert rendered == [yaml.safe_load(text)]


@pytest.mark.parametrize(
    "given",
    [["k8s", "k8s/web.yaml"], ["./k8s/web.yaml", "k8s/web.yaml"], ["k8s/web.yaml", "k8s"]],
)
def test_a_file_given_twice_is_read_once(
    tmp_path: Path, given: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "web.yaml").write_text(DEPLOYMENT)
    monkeypatch.chdir(tmp_path)
    result = run_podgen(["import", *given])
    assert (result.code, result.stderr) == (0, ""), result
    (entry,) = yaml.safe_load(result.stdout)["pods"]
    assert entry["name"] == "web"


@pytest.mark.parametrize("command", ["import", "validate"])
def test_a_fifo_in_a_folder_is_refused_not_waited_on(tmp_path: Path, command: str) -> None:
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)
    os.mkfifo(tmp_path / "fifo.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "podgen", command, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr == (
        f"error: {tmp_path}/fifo.yaml: not a regular file (a named pipe); below a folder only "
        "files are read\n"
    )


def test_a_fifo_named_on_its_own_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "web.yaml"
    os.mkfifo(fifo)
    podgen = subprocess.Popen(
        [sys.executable, "-m", "podgen", "import", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    fifo.write_text(DEPLOYMENT)  # blocks until podgen opens it to read
    out, err = podgen.communicate(timeout=60)
    assert (podgen.returncode, err) == (0, ""), err
    assert yaml.safe_load(out)["pods"][0]["name"] == "web"


def test_a_null_creation_timestamp_written_by_hand_is_left_out_with_a_note(
    tmp_path: Path,
) -> None:
    """Older kubectl wrote `creationTimestamp: null`; the server reads null as absent."""
    text = DEPLOYMENT.replace("  name: web\n", "  creationTimestamp: null\n  name: web\n", 1)
    (tmp_path / "web.yaml").write_text(text)
    imported, rendered = _round_trip(tmp_path / "web.yaml", tmp_path)
    assert imported.stderr == (
        "note: left out `creationTimestamp: null` (older kubectl's --dry-run skeleton; the API "
        f"server reads it as absent and sets its own) at {tmp_path / 'web.yaml'}:1:1\n"
    )
    assert rendered == [yaml.safe_load(DEPLOYMENT)]
