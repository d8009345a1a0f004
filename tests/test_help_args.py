"""`podgen new --help` says what the words after `--` become, as kubectl writes them.

kubectl run writes them as a Pod's args (its command with --command); kubectl create
deployment, job and cronjob write them as the command. StatefulSets, DaemonSets and
ReplicaSets (no kubectl create for them) follow create deployment.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.conftest import run_podgen
from tests.kubectl_peer import Kubectl

_CREATE = {
    "deployment": ["create", "deployment", "w", "--image", "busybox:1.36"],
    "job": ["create", "job", "w", "--image", "busybox:1.36"],
    "cronjob": ["create", "cronjob", "w", "--image", "busybox:1.36", "--schedule", "* * * * *"],
}


def _container(document: dict[str, Any]) -> dict[str, Any]:
    spec = document["spec"]
    if document["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    pod = spec if document["kind"] == "Pod" else spec["template"]["spec"]
    return dict(pod["containers"][0])


def _arg_help() -> str:
    shown = run_podgen(["new", "--help"]).stdout
    found = re.search(r"ARG <list\[str\]>(.*?)\n\n", shown, re.S)
    assert found is not None
    return " ".join(found[1].split())


def test_the_help_says_a_pod_takes_args_and_other_kinds_a_command() -> None:
    assert _arg_help() == (
        "After --: a Pod's args, or its command with --command (kubectl run); for every other "
        "--kind, the command (kubectl create)."
    )


@pytest.mark.parametrize(
    "kind", ["pod", "deployment", "statefulset", "daemonset", "replicaset", "job", "cronjob"]
)
def test_the_words_after_dashes_land_where_the_help_says(kind: str, kubectl: Kubectl) -> None:
    extra = ["--schedule", "* * * * *"] if kind == "cronjob" else []
    new = run_podgen(["new", "w", "--image", "busybox:1.36", "--kind", kind, *extra, "--", "sleep"])
    container = _container(next(yaml.safe_load_all(new.stdout)))  # a StatefulSet: then its Service
    field = "args" if kind == "pod" else "command"
    assert container[field] == ["sleep"]
    assert ("command" if kind == "pod" else "args") not in container
    if kind in _CREATE:  # kubectl writes them in the same field
        written = kubectl([*_CREATE[kind], "--dry-run=client", "-o", "yaml", "--", "sleep"])
        assert _container(yaml.safe_load(written.stdout))[field] == ["sleep"]
    elif kind == "pod":
        written = kubectl(
            ["run", "w", "--image", "busybox:1.36", "--dry-run=client", "-o", "yaml", "--", "sleep"]
        )
        assert _container(yaml.safe_load(written.stdout))[field] == ["sleep"]
