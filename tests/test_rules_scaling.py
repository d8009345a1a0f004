"""HorizontalPodAutoscaler and PodDisruptionBudget rules (issue 22), judged by the real server.

pkg/apis/autoscaling/validation and pkg/apis/policy/validation: each case valid or one mistake
away, with the rule id podgen must report and the fields the server names; the hypothesis tests
build HPAs and PDBs of their own and only ask podgen and the server to agree. No 1.36/1.37 skew
is known here. One deliberate path difference: an autoscaling/v1 HPA's
targetCPUUtilizationPercentage is reported where it stands in the file; the server names the
v2 field it converts to (spec.metrics[0].resource.target.averageUtilization).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.apiserver import ApiServer
from tests.rbac_scaling_judge import agree, same_reasons

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
V1_ALIASES = {
    "spec.targetCPUUtilizationPercentage": "spec.metrics[0].resource.target.averageUtilization"
}
CPU = {
    "type": "Resource",
    "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}},
}


def hpa(**spec: Any) -> dict[str, Any]:
    base = {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
        "minReplicas": 2,
        "maxReplicas": 10,
        "metrics": [CPU],
    }
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": {**base, **spec},
    }


def metric(kind: str, source: str, **fields: Any) -> dict[str, Any]:
    return hpa(metrics=[{"type": kind, source: fields}])


def target(**fields: Any) -> dict[str, Any]:
    return fields


def up(**rules: Any) -> dict[str, Any]:
    return hpa(behavior={"scaleUp": rules})


def policy(**fields: Any) -> list[dict[str, Any]]:
    return [{"type": "Pods", "value": 4, "periodSeconds": 60, **fields}]


def pdb(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "web"},
        "spec": spec,
    }


APP = {"matchLabels": {"app": "web"}}
QPS = {"name": "requests_per_second"}
SERVICE = {"apiVersion": "v1", "kind": "Service", "name": "web"}

CASES: list[tuple[str, dict[str, Any], str | None]] = [
    ("hpa", hpa(), None),
    ("hpa-min-replicas-defaulted", hpa(minReplicas=None), None),
    ("hpa-min-replicas-zero", hpa(minReplicas=0), "hpa-replicas"),
    (
        "hpa-min-replicas-zero-external",  # still 1 at least: scale to zero is an alpha gate
        hpa(
            minReplicas=0,
            metrics=[
                {
                    "type": "External",
                    "external": {"metric": QPS, "target": target(type="Value", value="10")},
                }
            ],
        ),
        "hpa-replicas",
    ),
    ("hpa-max-replicas-zero", hpa(minReplicas=None, maxReplicas=0), "hpa-replicas"),
    ("hpa-max-below-min", hpa(minReplicas=5, maxReplicas=3), "hpa-replicas"),
    ("hpa-max-equals-min", hpa(minReplicas=3, maxReplicas=3), None),
    (
        "hpa-target-kind-empty",
        hpa(scaleTargetRef={"apiVersion": "apps/v1", "kind": "", "name": "web"}),
        "hpa-scale-target",
    ),
    (
        "hpa-target-name-slash",
        hpa(scaleTargetRef={"apiVersion": "apps/v1", "kind": "Deployment", "name": "a/b"}),
        "hpa-scale-target",
    ),
    (
        "hpa-target-rc-core-group",
        hpa(scaleTargetRef={"apiVersion": "v1", "kind": "ReplicationController", "name": "web"}),
        None,
    ),
    (
        "hpa-target-core-group",
        hpa(scaleTargetRef={"apiVersion": "v1", "kind": "Deployment", "name": "web"}),
        "hpa-scale-target",
    ),
    (
        "hpa-target-no-api-version",
        hpa(scaleTargetRef={"kind": "Deployment", "name": "web"}),
        "hpa-scale-target",
    ),
    (
        "hpa-target-api-version-slashes",
        hpa(scaleTargetRef={"apiVersion": "a/b/c", "kind": "Deployment", "name": "web"}),
        "hpa-scale-target",
    ),
    ("hpa-no-metrics", hpa(metrics=None), None),
    ("hpa-metric-type", hpa(metrics=[{"type": "Cpu"}]), "hpa-metric"),
    (
        "hpa-metric-source-missing",
        metric(
            "External", "pods", metric=QPS, target=target(type="AverageValue", averageValue="1")
        ),
        "hpa-metric",
    ),
    (
        "hpa-metric-two-sources",
        hpa(
            metrics=[
                {
                    **CPU,
                    "pods": {
                        "metric": QPS,
                        "target": target(type="AverageValue", averageValue="1"),
                    },
                }
            ]
        ),
        "hpa-metric",
    ),
    (
        "hpa-utilization-zero",
        metric(
            "Resource",
            "resource",
            name="cpu",
            target=target(type="Utilization", averageUtilization=0),
        ),
        "hpa-metric",
    ),
    (
        "hpa-utilization-over-100",
        metric(
            "Resource",
            "resource",
            name="cpu",
            target=target(type="Utilization", averageUtilization=150),
        ),
        None,
    ),
    (
        "hpa-resource-value-only",
        metric("Resource", "resource", name="memory", target=target(type="Value", value="1Gi")),
        "hpa-metric",
    ),
    (
        "hpa-resource-both",
        metric(
            "Resource",
            "resource",
            name="cpu",
            target=target(type="Utilization", averageUtilization=50, averageValue="500m"),
        ),
        "hpa-metric",
    ),
    (
        "hpa-average-value",
        metric(
            "Resource",
            "resource",
            name="memory",
            target=target(type="AverageValue", averageValue="512Mi"),
        ),
        None,
    ),
    (
        "hpa-average-value-zero",
        metric(
            "Resource",
            "resource",
            name="memory",
            target=target(type="AverageValue", averageValue="0"),
        ),
        "hpa-metric",
    ),
    (
        "hpa-average-value-negative",
        metric(
            "Resource",
            "resource",
            name="memory",
            target=target(type="AverageValue", averageValue="-1Mi"),
        ),
        "hpa-metric",
    ),
    (
        "hpa-target-type",
        metric(
            "Resource", "resource", name="cpu", target=target(type="Percent", averageUtilization=50)
        ),
        "hpa-metric",
    ),
    (
        "hpa-pods",
        metric("Pods", "pods", metric=QPS, target=target(type="AverageValue", averageValue="100")),
        None,
    ),
    (
        "hpa-pods-value",
        metric("Pods", "pods", metric=QPS, target=target(type="Value", value="1")),
        "hpa-metric",
    ),
    (
        "hpa-pods-metric-name",
        metric(
            "Pods",
            "pods",
            metric={"name": "a/b"},
            target=target(type="AverageValue", averageValue="1"),
        ),
        "hpa-metric",
    ),
    (
        "hpa-object",
        metric(
            "Object",
            "object",
            describedObject=SERVICE,
            metric=QPS,
            target=target(type="Value", value="2k"),
        ),
        None,
    ),
    (
        "hpa-object-no-value",
        metric(
            "Object", "object", describedObject=SERVICE, metric=QPS, target=target(type="Value")
        ),
        "hpa-metric",
    ),
    (
        "hpa-object-described-name",
        metric(
            "Object",
            "object",
            describedObject={**SERVICE, "name": ".."},
            metric=QPS,
            target=target(type="Value", value="2"),
        ),
        "hpa-metric",
    ),
    (
        "hpa-external-both",
        metric(
            "External",
            "external",
            metric=QPS,
            target=target(type="Value", value="1", averageValue="1"),
        ),
        "hpa-metric",
    ),
    (
        "hpa-container-resource",
        metric(
            "ContainerResource",
            "containerResource",
            name="cpu",
            container="app",
            target=target(type="Utilization", averageUtilization=60),
        ),
        None,
    ),
    (
        "hpa-container-resource-container",
        metric(
            "ContainerResource",
            "containerResource",
            name="cpu",
            container="App_1",
            target=target(type="Utilization", averageUtilization=60),
        ),
        "hpa-metric",
    ),
    *[
        (
            f"hpa-container-resource-{name.replace('/', '-').replace('.', '-')}",
            metric(
                "ContainerResource",
                "containerResource",
                name=name,
                container="app",
                target=target(type="AverageValue", averageValue="1"),
            ),
            rule_id,
        )
        for name, rule_id in [
            ("gpu", "hpa-metric"),  # neither a standard resource nor fully qualified
            ("requests.cpu", "hpa-metric"),  # a quota's resource, not a container's
            ("example.com/gpu", None),
            ("hugepages-2Mi", None),
            ("memory", None),
        ]
    ],
    (
        "hpa-behavior",
        hpa(
            behavior={
                "scaleUp": {
                    "stabilizationWindowSeconds": 0,
                    "selectPolicy": "Max",
                    "policies": policy(),
                },
                "scaleDown": {"selectPolicy": "Disabled"},
            }
        ),
        None,
    ),
    ("hpa-window-negative", up(stabilizationWindowSeconds=-1), "hpa-behavior"),
    ("hpa-window-over-3600", up(stabilizationWindowSeconds=3601), "hpa-behavior"),
    ("hpa-select-policy", up(selectPolicy="Maximum"), "hpa-behavior"),
    ("hpa-policies-empty", up(policies=[]), "hpa-behavior"),
    ("hpa-policy-type", up(policies=policy(type="Replicas")), "hpa-behavior"),
    ("hpa-policy-value-zero", up(policies=policy(value=0)), "hpa-behavior"),
    ("hpa-policy-period-zero", up(policies=policy(periodSeconds=0)), "hpa-behavior"),
    ("hpa-policy-period-1800", up(policies=policy(periodSeconds=1800)), None),
    ("hpa-policy-period-over-1800", up(policies=policy(periodSeconds=1801)), "hpa-behavior"),
    ("pdb-min-available", pdb(minAvailable=2, selector=APP), None),
    ("pdb-no-selector", pdb(maxUnavailable="25%"), None),
    ("pdb-both", pdb(minAvailable=1, maxUnavailable=1, selector=APP), "pdb-min-max"),
    ("pdb-percent-100", pdb(minAvailable="100%", selector=APP), None),
    ("pdb-percent-over-100", pdb(maxUnavailable="101%", selector=APP), "int-or-percent"),
    ("pdb-negative", pdb(minAvailable=-1, selector=APP), "int-or-percent"),
    ("pdb-number-as-string", pdb(minAvailable="2", selector=APP), "int-or-percent"),
    ("pdb-fraction-percent", pdb(minAvailable="50.5%", selector=APP), "int-or-percent"),
    (
        "pdb-eviction-policy",
        pdb(minAvailable=1, selector=APP, unhealthyPodEvictionPolicy="AlwaysAllow"),
        None,
    ),
    (
        "pdb-eviction-policy-unknown",
        pdb(minAvailable=1, selector=APP, unhealthyPodEvictionPolicy="Always"),
        "pdb-unhealthy-pod-eviction-policy",
    ),
    (
        "pdb-selector-value",
        pdb(minAvailable=1, selector={"matchLabels": {"app": "a b"}}),
        "pdb-selector",
    ),
    (
        "pdb-selector-operator",
        pdb(
            minAvailable=1,
            selector={
                "matchExpressions": [{"key": "app", "operator": "Exists", "values": ["web"]}]
            },
        ),
        "pdb-selector",
    ),
    (
        "pdb-selector-expression-value",
        pdb(
            minAvailable=1,
            selector={"matchExpressions": [{"key": "app", "operator": "In", "values": ["-web"]}]},
        ),
        "pdb-selector",
    ),
]


@pytest.mark.parametrize(("obj", "rule_id"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_hpa_and_pdb_rule_as_the_server_judges_it(
    api_server: ApiServer, obj: dict[str, Any], rule_id: str | None
) -> None:
    obj = copy.deepcopy(obj)
    obj["spec"] = {key: value for key, value in obj["spec"].items() if value is not None}
    errors, verdict = agree(api_server, obj)
    if rule_id is not None:
        assert rule_id in {error.rule for error in errors}, errors
    same_reasons(errors, verdict)


def test_an_autoscaling_v1_hpa(api_server: ApiServer) -> None:
    v1 = {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "maxReplicas": 4,
            "targetCPUUtilizationPercentage": 80,
        },
    }
    assert agree(api_server, v1)[0] == []
    v1["spec"]["targetCPUUtilizationPercentage"] = 0
    errors, _ = agree(api_server, v1, V1_ALIASES)
    assert [error.rule for error in errors] == ["hpa-metric"]


INTS = st.one_of(st.integers(-2, 4), st.sampled_from([1799, 1800, 1801, 3600, 3601, 100, 101]))
QUANTITIES = st.sampled_from(["1", "0", "-1", "500m", "0.5", "1Gi", "2k", "1e3", "-0.1Ki"])
TARGETS = st.fixed_dictionaries(
    {"type": st.sampled_from(["Utilization", "Value", "AverageValue", "Average"])},
    optional={"averageUtilization": INTS, "value": QUANTITIES, "averageValue": QUANTITIES},
)
METRICS = st.one_of(
    st.builds(lambda t: {"type": "Resource", "resource": {"name": "cpu", "target": t}}, TARGETS),
    st.builds(lambda t: {"type": "Pods", "pods": {"metric": QPS, "target": t}}, TARGETS),
    st.builds(lambda t: {"type": "External", "external": {"metric": QPS, "target": t}}, TARGETS),
    st.builds(
        lambda t, kind: {
            "type": kind,
            "object": {"describedObject": SERVICE, "metric": QPS, "target": t},
        },
        TARGETS,
        st.sampled_from(["Object", "Pods"]),
    ),
)
RULES = st.fixed_dictionaries(
    {},
    optional={
        "stabilizationWindowSeconds": INTS,
        "selectPolicy": st.sampled_from(["Max", "Min", "Disabled", "max"]),
        "policies": st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(["Pods", "Percent", "Pod"]),
                    "value": INTS,
                    "periodSeconds": INTS,
                }
            ),
            max_size=2,
        ),
    },
)


@SETTINGS
@given(
    minimum=st.one_of(st.none(), INTS),
    maximum=INTS,
    metrics=st.lists(METRICS, max_size=2),
    behavior=st.fixed_dictionaries({}, optional={"scaleUp": RULES, "scaleDown": RULES}),
)
def test_generated_hpas_agree_with_the_server(
    api_server: ApiServer,
    minimum: int | None,
    maximum: int,
    metrics: list[dict[str, Any]],
    behavior: dict[str, Any],
) -> None:
    obj = hpa(minReplicas=minimum, maxReplicas=maximum, metrics=metrics, behavior=behavior)
    obj["spec"] = {key: value for key, value in obj["spec"].items() if value is not None}
    agree(api_server, obj)


INT_OR_PERCENT = st.one_of(
    st.integers(-2, 3), st.sampled_from(["0%", "100%", "101%", "50", "5.5%", "%", "07%"])
)


@SETTINGS
@given(
    spec=st.fixed_dictionaries(
        {},
        optional={
            "minAvailable": INT_OR_PERCENT,
            "maxUnavailable": INT_OR_PERCENT,
            "unhealthyPodEvictionPolicy": st.sampled_from(
                ["IfHealthyBudget", "AlwaysAllow", "Never"]
            ),
            "selector": st.fixed_dictionaries(
                {},
                optional={
                    "matchLabels": st.dictionaries(
                        st.sampled_from(["app", "-x", "a/b"]),
                        st.sampled_from(["web", "", "a b"]),
                        max_size=2,
                    ),
                    "matchExpressions": st.lists(
                        st.fixed_dictionaries(
                            {
                                "key": st.sampled_from(["app", "x_"]),
                                "operator": st.sampled_from(["In", "NotIn", "Exists", "Gt"]),
                            },
                            optional={"values": st.lists(st.sampled_from(["a", "-b"]), max_size=2)},
                        ),
                        max_size=2,
                    ),
                },
            ),
        },
    )
)
def test_generated_pdbs_agree_with_the_server(api_server: ApiServer, spec: dict[str, Any]) -> None:
    agree(api_server, pdb(**spec))
