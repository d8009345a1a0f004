"""`--pattern sidecar` on a Job or CronJob: a native sidecar, so that the Job can complete.

A Job is complete when its pods' containers have ended; a plain sidecar (a second container)
runs on after the app, so the pod, and the Job, never end. A native sidecar (an init
container with `restartPolicy: Always`) is stopped by the kubelet once the app has ended.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.apiserver import ApiServer
from tests.conftest import run_podgen

BATCH = [
    ("job", []),
    ("cronjob", ["--schedule", "@daily"]),
]


def _pod_spec(document: dict[str, Any]) -> dict[str, Any]:
    spec = document["spec"]
    if document["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return dict(spec["template"]["spec"])


@pytest.mark.parametrize(("kind", "extra"), BATCH)
def test_the_sidecar_of_a_job_is_native_and_the_server_takes_it(
    api_server: ApiServer, kind: str, extra: list[str]
) -> None:
    head = ["new", "report", "--image", "busybox:1.36", "--kind", kind, *extra]
    words = ["--", "sh", "-c", "echo done >> /var/log/app/app.log"]
    result = run_podgen([*head, "--pattern", "sidecar", *words])
    assert (result.code, result.stderr) == (0, "")
    document = yaml.safe_load(result.stdout)
    pod = _pod_spec(document)
    # The app is the only regular container: when it ends, the pod (and the Job) can end.
    assert [c["name"] for c in pod["containers"]] == ["report"]
    (sidecar,) = pod["initContainers"]
    assert (sidecar["name"], sidecar["restartPolicy"]) == ("sidecar", "Always")
    assert pod["restartPolicy"] in ("Never", "OnFailure")
    document["metadata"]["namespace"] = "default"
    verdict = api_server.verdict(document)
    assert verdict.accepted, verdict.message


@pytest.mark.parametrize(("kind", "extra"), BATCH)
@pytest.mark.parametrize("plain", [["--no-native-sidecar"], ["--native-sidecar=false"]])
def test_asking_for_a_plain_sidecar_in_a_job_is_refused_with_the_reason(
    kind: str, extra: list[str], plain: list[str]
) -> None:
    head = ["new", "report", "--image", "busybox:1.36", "--kind", kind, *extra]
    result = run_podgen([*head, "--pattern", "sidecar", *plain])
    object_kind = {"job": "Job", "cronjob": "CronJob"}[kind]
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: --native-sidecar: a {object_kind}'s sidecar must be native: a plain one runs "
        "on after the app ends, so the Job never completes (a native sidecar is stopped then)\n"
    )


def test_a_blueprint_job_asking_for_a_plain_sidecar_is_refused_at_its_line(tmp_path: Path) -> None:
    blueprint = tmp_path / "job.yaml"
    blueprint.write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods:\n"
        "  - name: report\n    image: busybox:1.36\n    kind: job\n    pattern: sidecar\n"
        "    sidecar:\n      native: false\n"
    )
    result = run_podgen(["render", str(blueprint)])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"error: {blueprint}:9:7: pods[0].sidecar.native: a Job's")


@pytest.mark.parametrize("kind", ["pod", "deployment"])
def test_other_kinds_keep_the_plain_sidecar_by_default(kind: str) -> None:
    result = run_podgen(
        ["new", "web", "--image", "nginx", "--kind", kind, "--pattern", "sidecar", "-o", "yaml"]
    )
    assert (result.code, result.stderr) == (0, "")
    document = yaml.safe_load(result.stdout)
    pod = document["spec"] if kind == "pod" else document["spec"]["template"]["spec"]
    assert [c["name"] for c in pod["containers"]][1:] == ["sidecar"]
    assert "initContainers" not in pod


def test_import_keeps_a_jobs_plain_sidecar_as_it_is_written(tmp_path: Path) -> None:
    """podgen's pattern is native in a Job, so a plain sidecar is kept as a container."""
    written = run_podgen(["new", "j", "--image", "busybox", "--pattern", "sidecar"])
    pod = yaml.safe_load(written.stdout)["spec"]
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "j"},
        "spec": {"template": {"spec": {**pod, "restartPolicy": "Never"}}},
    }
    source = tmp_path / "job.yaml"
    source.write_text(yaml.safe_dump(job))
    imported = run_podgen(["import", str(source)])
    assert (imported.code, imported.stderr) == (0, "")
    assert "pattern" not in yaml.safe_load(imported.stdout)["pods"][0]
    blueprint = tmp_path / "job.podgen.yaml"
    blueprint.write_text(imported.stdout)
    rendered = run_podgen(["render", str(blueprint)])
    assert (rendered.code, rendered.stderr) == (0, "")
    assert yaml.safe_load(rendered.stdout) == job
