"""`podgen new --kind statefulset|daemonset|replicaset` (issue 14).

kubectl has no generator for these kinds, so podgen writes them in `kubectl create
deployment`'s conventions; what kubectl can still judge is the JSON field order: kubectl 1.37
reads podgen's output into its Go types and prints it again (`kubectl set image --local`), in
the order -o json and -o kyaml must follow.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_podgen
from tests.kubectl_peer import Kubectl
from tests.pod_cases import KIND_PATTERN_CASES

APPS_CASES = {
    name: argv
    for name, argv in KIND_PATTERN_CASES.items()
    if name.split("-")[0] in ("statefulset", "daemonset", "replicaset")
}
#: Each kind's own options, alone and together.
OPTION_CASES = {
    "statefulset-everything": [
        "db", "--image", "postgres:16.4", "--kind", "statefulset", "--port", "5432",
        "--replicas", "3", "--service-name", "db-headless", "--pod-management-policy",
        "Parallel", "--volume-claim", "data=10Gi:fast-ssd:/var/lib/postgresql/data",
        "--volume-claim", "wal=2Gi:/var/lib/postgresql/wal", "--max-unavailable", "1",
        "--selector", "app=db", "--pod-label", "app=db", "--pod-label", "tier=data",
        "--pod-annotation", "prometheus.io/scrape=true", "--no-expose",
    ],
    "daemonset-everything": [
        "agent", "--image", "fluent/fluent-bit:3.1.9", "--kind", "daemonset",
        "--max-unavailable", "10%",
        "--toleration", "node-role.kubernetes.io/control-plane:NoSchedule",
        "--mount", "configmap:agent-config:/fluent-bit/etc:ro", "--secure",
        "--requests", "cpu=50m,memory=64Mi", "--limits", "memory=128Mi",
    ],
    "replicaset-everything": [
        "frontend", "--image", "gcr.io/google_samples/gb-frontend:v5", "--kind", "replicaset",
        "--replicas", "3", "--port", "80", "-l", "app=guestbook,tier=frontend",
        "--probe", "http", "--probe-kinds", "readiness", "--namespace", "shop",
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    "argv", [*APPS_CASES.values(), *OPTION_CASES.values()], ids=[*APPS_CASES, *OPTION_CASES]
)
def test_json_fields_come_in_kubectls_go_order(
    kubectl: Kubectl, tmp_path: Path, argv: list[str]
) -> None:
    ours = run_podgen(["new", *argv, "-o", "json"])
    assert (ours.code, ours.stderr) == (0, "")
    first, end = json.JSONDecoder().raw_decode(ours.stdout)  # the workload; a Service may follow
    (tmp_path / "workload.json").write_text(ours.stdout[:end])
    # `kubectl set image --local` reads the file into kubectl's typed Go objects and prints
    # them, in their fields' declaration order (with the zero values Go adds: status).
    app = first["spec"]["template"]["spec"]["containers"][0]
    typed = kubectl(
        ["set", "image", "--local", "-f", str(tmp_path / "workload.json"),
         f"{app['name']}=changed:1", "-o", "json"]
    )  # fmt: skip
    assert typed.returncode == 0, typed.stderr
    theirs = json.loads(
        typed.stdout.replace('"changed:1"', json.dumps(app["image"])), object_pairs_hook=list
    )
    mine = json.loads(ours.stdout[:end], object_pairs_hook=list)
    assert _without_go_zero_values(theirs, mine) == mine


def _without_go_zero_values(typed: Any, written: Any) -> Any:
    """`typed` with only the keys `written` has, in `typed`'s order.

    What Go adds must be zero values: a status, or an empty struct (`updateStrategy: {}`).
    """
    if isinstance(typed, list) and typed and isinstance(typed[0], tuple):  # an object
        keys = {key for key, _ in written}
        extra = {key: value for key, value in typed if key not in keys}
        assert all(key == "status" or value == [] for key, value in extra.items()), extra
        values = dict(written)
        return [(k, _without_go_zero_values(v, values[k])) for k, v in typed if k in keys]
    if isinstance(typed, list):
        return [_without_go_zero_values(t, w) for t, w in zip(typed, written, strict=True)]
    return typed


def test_a_statefulset_comes_with_its_headless_service() -> None:
    result = run_podgen(
        ["new", "db", "--image", "postgres:16.4", "--kind", "statefulset", "--port", "5432"]
    )
    statefulset, service = yaml.safe_load_all(result.stdout)
    assert statefulset["spec"]["serviceName"] == "db"
    assert service["metadata"]["name"] == "db"
    assert service["spec"]["clusterIP"] == "None"
    assert service["spec"]["selector"] == statefulset["spec"]["selector"]["matchLabels"]
    assert service["spec"]["ports"] == [{"port": 5432, "protocol": "TCP", "targetPort": 5432}]


def test_service_name_names_both_and_no_expose_leaves_the_service_out() -> None:
    named = run_podgen(
        ["new", "db", "--image", "redis:7.4", "--kind", "statefulset", "--service-name", "cache"]
    )
    statefulset, service = yaml.safe_load_all(named.stdout)
    assert statefulset["spec"]["serviceName"] == service["metadata"]["name"] == "cache"
    assert "ports" not in service["spec"]  # headless, no port asked for: valid
    alone = run_podgen(
        ["new", "db", "--image", "redis:7.4", "--kind", "statefulset", "--no-expose"]
    )
    (only,) = yaml.safe_load_all(alone.stdout)
    assert only["kind"] == "StatefulSet" and only["spec"]["serviceName"] == "db"


def test_volume_claims_are_claim_templates_mounted_in_the_app() -> None:
    result = run_podgen(
        ["new", "db", "--image", "postgres:16.4", "--kind", "statefulset", "--no-expose",
         "--volume-claim", "data=10Gi:fast:/var/lib/postgresql/data",
         "--volume-claim", "logs=1Gi:/var/log/postgresql"]
    )  # fmt: skip
    spec = yaml.safe_load(result.stdout)["spec"]
    assert spec["volumeClaimTemplates"] == [
        {
            "metadata": {"name": "data"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "10Gi"}},
                "storageClassName": "fast",
            },
        },
        {
            "metadata": {"name": "logs"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}},
            },
        },
    ]
    assert spec["template"]["spec"]["containers"][0]["volumeMounts"] == [
        {"mountPath": "/var/lib/postgresql/data", "name": "data"},
        {"mountPath": "/var/log/postgresql", "name": "logs"},
    ]


def test_a_daemonset_has_no_replicas_and_rolls_out_by_max_unavailable() -> None:
    result = run_podgen(
        ["new", "agent", "--image", "fluent/fluent-bit:3.1.9", "--kind", "daemonset",
         "--max-unavailable", "2"]
    )  # fmt: skip
    spec = yaml.safe_load(result.stdout)["spec"]
    assert "replicas" not in spec
    assert spec["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 2},
    }
    assert spec["template"]["spec"]["containers"][0]["name"] == "fluent-bit"


BASE = ["new", "web", "--image", "nginx:1.27"]
REFUSED = [
    (["--kind", "daemonset", "--replicas", "2"],
     "--replicas: only applies with --kind deployment, statefulset or replicaset"),
    (["--kind", "deployment", "--volume-claim", "d=1Gi:/x"],
     "--volume-claim: only applies with --kind statefulset"),
    (["--kind", "replicaset", "--max-unavailable", "1"],
     "--max-unavailable: only applies with --kind statefulset or daemonset"),
    (["--kind", "deployment", "--service-name", "web"],
     "--service-name: only applies with --kind statefulset"),
    (["--kind", "statefulset", "--volume-claim", "data"],
     "--volume-claim: expected NAME=SIZE:PATH or NAME=SIZE:CLASS:PATH, not 'data'"),
    (["--kind", "statefulset", "--volume-claim", "data=lots:/x"],
     "--volume-claim: 'lots' is not a storage size (e.g. 1Gi, 500Mi), not 'data=lots:/x'"),
    (["--kind", "statefulset", "--volume-claim", "data=1Gi:x"],
     "--volume-claim: 'x' must be an absolute path (start with /), not 'data=1Gi:x'"),
    (["--kind", "statefulset", "--volume-claim", "Data=1Gi:/x"],
     "--volume-claim: the claim's name"),
    (["--kind", "statefulset", "--volume-claim", "data=1Gi:a:b:/x"],
     "--volume-claim: the storage class 'a:b' is not a StorageClass name"),
    (["--kind", "daemonset", "--max-unavailable", "0"], "--max-unavailable: expected a number"),
    (["--kind", "daemonset", "--max-unavailable", "150%"], "--max-unavailable: expected a number"),
    (["--kind", "statefulset", "--service-name", "Web"], "--service-name: 'Web': a DNS-1035 label"),
    (["--kind", "statefulset", "--restart", "Never"],
     "--restart: a StatefulSet's pods must use restartPolicy \"Always\""),
    (["--kind", "statefulset", "--pod-management-policy", "Serial"],
     "--pod-management-policy: spec.podManagementPolicy: Invalid value: \"Serial\": "
     "must be 'OrderedReady' or 'Parallel'"),
    (["--kind", "daemonset", "--expose"], "--expose: --port must be set when exposing a service"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), REFUSED, ids=[" ".join(a) for a, _ in REFUSED])
def test_refusals_name_the_flag_on_one_line(args: list[str], message: str) -> None:
    result = run_podgen([*BASE, *args])
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr


def test_a_statefulset_name_must_be_a_dns_label() -> None:
    # Its pods' hostnames are NAME-0, NAME-1: the API server refuses dots here.
    result = run_podgen(["new", "web.v1", "--image", "nginx:1.27", "--kind", "statefulset"])
    assert result.code == 1
    assert "must not contain dots" in result.stderr, result.stderr
