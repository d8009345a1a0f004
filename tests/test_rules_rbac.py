"""RBAC rules (issue 22), judged by the real kube-apiserver: each case valid or one mistake away.

Roles, ClusterRoles and their bindings (pkg/apis/rbac/validation): podgen must refuse exactly
what the server refuses, with the rule id the case names and the fields the server names. The
hypothesis tests build objects of their own, field by field, and only ask the two to agree.
No 1.36/1.37 skew is known here: the RBAC rules did not change between them.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.apiserver import ApiServer
from tests.rbac_scaling_judge import agree, same_reasons

RBAC = "rbac.authorization.k8s.io"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def role(kind: str = "Role", **fields: Any) -> dict[str, Any]:
    rule = {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}
    return {
        "apiVersion": f"{RBAC}/v1",
        "kind": kind,
        "metadata": {"name": "reader"},
        "rules": [rule],
        **fields,
    }


def binding(kind: str = "RoleBinding", **fields: Any) -> dict[str, Any]:
    return {
        "apiVersion": f"{RBAC}/v1",
        "kind": kind,
        "metadata": {"name": "readers"},
        "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "reader"},
        "subjects": [{"kind": "ServiceAccount", "name": "app", "namespace": "default"}],
        **fields,
    }


def rule(**fields: Any) -> list[dict[str, Any]]:
    return [fields]


def ref(**fields: Any) -> dict[str, Any]:
    return {"apiGroup": RBAC, "kind": "ClusterRole", "name": "reader", **fields}


def selector(**fields: Any) -> dict[str, Any]:
    return {"clusterRoleSelectors": [fields]}


CASES: list[tuple[str, dict[str, Any], str | None]] = [
    ("role", role(), None),
    ("cluster-role-system-name", role("ClusterRole", metadata={"name": "system:reader"}), None),
    ("role-name-slash", role(metadata={"name": "a/b"}), "name"),
    ("role-name-percent", role(metadata={"name": "a%b"}), "name"),
    ("cluster-role-name-dots", role("ClusterRole", metadata={"name": ".."}), "name"),
    (
        "verbs-empty",
        role(rules=rule(apiGroups=[""], resources=["pods"], verbs=[])),
        "rbac-verbs-required",
    ),
    (
        "non-resource-urls-cluster-role",
        role("ClusterRole", rules=rule(nonResourceURLs=["/healthz", "/metrics"], verbs=["get"])),
        None,
    ),
    (
        "non-resource-urls-role",
        role(rules=rule(nonResourceURLs=["/healthz"], verbs=["get"])),
        "rbac-non-resource-urls",
    ),
    (
        "non-resource-urls-with-resources",
        role("ClusterRole", rules=rule(nonResourceURLs=["/x"], resources=["pods"], verbs=["get"])),
        "rbac-non-resource-urls",
    ),
    (
        "non-resource-urls-with-api-groups",
        role("ClusterRole", rules=rule(nonResourceURLs=["/x"], apiGroups=[""], verbs=["get"])),
        "rbac-non-resource-urls",
    ),
    ("no-api-groups", role(rules=rule(resources=["pods"], verbs=["get"])), "rbac-resource-rule"),
    ("no-resources", role(rules=rule(apiGroups=["apps"], verbs=["get"])), "rbac-resource-rule"),
    (
        "resource-names-several-resources",  # upstream dropped that rule: the server accepts it
        role(
            rules=rule(
                apiGroups=[""], resources=["pods", "services"], resourceNames=["a"], verbs=["get"]
            )
        ),
        None,
    ),
    (
        "aggregation",
        role(
            "ClusterRole",
            rules=[],
            aggregationRule=selector(matchLabels={"rbac.example.com/agg": "true"}),
        ),
        None,
    ),
    (
        "aggregation-no-selectors",
        role("ClusterRole", aggregationRule={"clusterRoleSelectors": []}),
        "rbac-aggregation-rule",
    ),
    (
        "aggregation-label-value",
        role("ClusterRole", aggregationRule=selector(matchLabels={"agg": "not ok"})),
        "rbac-aggregation-rule",
    ),
    (
        "aggregation-operator",
        role(
            "ClusterRole",
            aggregationRule=selector(
                matchExpressions=[{"key": "agg", "operator": "Equals", "values": ["x"]}]
            ),
        ),
        "rbac-aggregation-rule",
    ),
    (
        "aggregation-in-without-values",
        role(
            "ClusterRole",
            aggregationRule=selector(matchExpressions=[{"key": "agg", "operator": "In"}]),
        ),
        "rbac-aggregation-rule",
    ),
    (
        "aggregation-exists-with-values",
        role(
            "ClusterRole",
            aggregationRule=selector(
                matchExpressions=[{"key": "agg", "operator": "Exists", "values": ["x"]}]
            ),
        ),
        "rbac-aggregation-rule",
    ),
    (
        "aggregation-bad-key",
        role(
            "ClusterRole",
            aggregationRule=selector(matchExpressions=[{"key": "-agg", "operator": "Exists"}]),
        ),
        "rbac-aggregation-rule",
    ),
    ("binding", binding(), None),
    ("binding-to-role", binding(roleRef=ref(kind="Role")), None),
    ("binding-role-ref-group-defaulted", binding(roleRef=ref(apiGroup="")), None),
    ("binding-role-ref-group", binding(roleRef=ref(apiGroup="rbac")), "rbac-role-ref"),
    ("binding-role-ref-kind", binding(roleRef=ref(kind="Group")), "rbac-role-ref"),
    (
        "cluster-binding-role-ref-role",
        binding("ClusterRoleBinding", roleRef=ref(kind="Role")),
        "rbac-role-ref",
    ),
    ("binding-role-ref-name-empty", binding(roleRef=ref(name="")), "rbac-role-ref"),
    ("binding-role-ref-name-slash", binding(roleRef=ref(name="a/b")), "rbac-role-ref"),
    ("binding-role-ref-name-system", binding(roleRef=ref(name="system:auth-delegator")), None),
    ("binding-user", binding(subjects=[{"kind": "User", "name": "jane@example.com"}]), None),
    (
        "binding-group",
        binding(subjects=[{"kind": "Group", "name": "system:masters", "apiGroup": RBAC}]),
        None,
    ),
    (
        "binding-user-group",
        binding(subjects=[{"kind": "User", "name": "jane", "apiGroup": "rbac"}]),
        "rbac-subject",
    ),
    ("binding-group-empty-name", binding(subjects=[{"kind": "Group", "name": ""}]), "rbac-subject"),
    ("binding-subject-kind", binding(subjects=[{"kind": "Robot", "name": "r2"}]), "rbac-subject"),
    (
        "binding-service-account-group",
        binding(subjects=[{"kind": "ServiceAccount", "name": "app", "apiGroup": RBAC}]),
        "rbac-subject",
    ),
    (
        "binding-service-account-name",
        binding(subjects=[{"kind": "ServiceAccount", "name": "App_1"}]),
        "rbac-subject",
    ),
    (
        "binding-service-account-no-namespace",  # a RoleBinding's own namespace is the default
        binding(subjects=[{"kind": "ServiceAccount", "name": "app"}]),
        None,
    ),
    (
        "cluster-binding-service-account-no-namespace",  # the mistake a real project ships
        binding("ClusterRoleBinding", subjects=[{"kind": "ServiceAccount", "name": "app"}]),
        "rbac-subject",
    ),
    ("cluster-binding-service-account", binding("ClusterRoleBinding"), None),
]


@pytest.mark.parametrize(("obj", "rule_id"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rbac_rule_as_the_server_judges_it(
    api_server: ApiServer, obj: dict[str, Any], rule_id: str | None
) -> None:
    errors, verdict = agree(api_server, obj)
    if rule_id is not None:
        assert rule_id in {error.rule for error in errors}, errors
    same_reasons(errors, verdict)


NAMES = st.one_of(
    st.sampled_from(["reader", "system:reader", ".", "..", "a/b", "a%20b", "x.y", "UPPER", ""]),
    st.text(st.sampled_from("ab:./%-_A"), min_size=1, max_size=8),
)


@SETTINGS
@given(
    kind=st.sampled_from(["RoleBinding", "ClusterRoleBinding"]),
    ref_kind=st.sampled_from(["Role", "ClusterRole", "User", ""]),
    ref_group=st.sampled_from([RBAC, "", "rbac", "apps"]),
    ref_name=NAMES,
    subjects=st.lists(
        st.fixed_dictionaries(
            {
                "kind": st.sampled_from(["ServiceAccount", "User", "Group", "Bot"]),
                "name": NAMES,
            },
            optional={
                "apiGroup": st.sampled_from(["", RBAC, "x"]),
                "namespace": st.sampled_from(["default", "kube-system"]),
            },
        ),
        max_size=3,
    ),
)
def test_generated_bindings_agree_with_the_server(
    api_server: ApiServer,
    kind: str,
    ref_kind: str,
    ref_group: str,
    ref_name: str,
    subjects: list[dict[str, str]],
) -> None:
    obj = binding(kind, roleRef={"apiGroup": ref_group, "kind": ref_kind, "name": ref_name})
    obj["subjects"] = subjects
    agree(api_server, obj)


RULE_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "verbs": st.lists(st.sampled_from(["get", "*"]), max_size=2),
        "apiGroups": st.lists(st.sampled_from(["", "apps"]), max_size=2),
        "resources": st.lists(st.sampled_from(["pods", "deployments"]), max_size=2),
        "resourceNames": st.lists(st.sampled_from(["a", "b"]), max_size=2),
        "nonResourceURLs": st.lists(st.sampled_from(["/healthz", "/api/*"]), max_size=2),
    },
)


SELECTORS = st.fixed_dictionaries(
    {},
    optional={
        "matchLabels": st.dictionaries(
            st.sampled_from(["agg", "example.com/agg", "-agg", ""]),
            st.sampled_from(["true", "", "a b"]),
            max_size=2,
        ),
        "matchExpressions": st.lists(
            st.fixed_dictionaries(
                {
                    "key": st.sampled_from(["agg", "a/b/c"]),
                    "operator": st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist", "Gt"]),
                },
                optional={"values": st.lists(st.sampled_from(["x", "-y"]), max_size=2)},
            ),
            max_size=2,
        ),
    },
)


@SETTINGS
@given(selectors=st.one_of(st.none(), st.lists(SELECTORS, max_size=2)))
def test_generated_aggregation_rules_agree_with_the_server(
    api_server: ApiServer, selectors: list[dict[str, Any]] | None
) -> None:
    aggregation = {} if selectors is None else {"clusterRoleSelectors": selectors}
    agree(api_server, role("ClusterRole", rules=[], aggregationRule=aggregation))


@SETTINGS
@given(
    kind=st.sampled_from(["Role", "ClusterRole"]),
    name=NAMES.filter(bool),
    rules=st.lists(RULE_FIELDS, max_size=2),
)
def test_generated_roles_agree_with_the_server(
    api_server: ApiServer, kind: str, name: str, rules: list[dict[str, list[str]]]
) -> None:
    obj = role(kind, metadata={"name": name})
    obj["rules"] = copy.deepcopy(rules)
    agree(api_server, obj)
