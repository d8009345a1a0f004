"""The API server's rules for RBAC: Roles, ClusterRoles and their bindings.

Ports from pkg/apis/rbac/validation (ValidateRole, ValidateClusterRole, ValidateRoleBinding,
ValidateClusterRoleBinding), as the v1 API's defaults leave an object: an empty roleRef
apiGroup, and a User's or Group's, is defaulted to rbac.authorization.k8s.io before these
rules run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import (
    KindRules,
    Obj,
    Violation,
    check_label_selector,
    check_rule,
    items_at,
)

GROUP = "rbac.authorization.k8s.io"
API_VERSION = f"{GROUP}/v1"
_SUBJECT_KINDS = ("ServiceAccount", "User", "Group")


def _supported(*values: str) -> str:
    return "supported values: " + ", ".join(f'"{value}"' for value in values)


def _role(obj: Obj) -> Iterator[Violation]:
    for path, rule in items_at(obj, "rules", ""):
        yield from _policy_rule(rule, path.lstrip("."), namespaced=True)


def _cluster_role(obj: Obj) -> Iterator[Violation]:
    for path, rule in items_at(obj, "rules", ""):
        yield from _policy_rule(rule, path.lstrip("."), namespaced=False)
    aggregation = obj.get("aggregationRule")
    if isinstance(aggregation, Mapping):
        path = "aggregationRule.clusterRoleSelectors"
        selectors = aggregation.get("clusterRoleSelectors")
        if not selectors:
            yield Violation(
                path,
                selectors,
                "Required value: at least one clusterRoleSelector required if aggregationRule "
                "is non-nil",
                "rbac-aggregation-rule",
            )
        for index, selector in enumerate(selectors if isinstance(selectors, list) else []):
            where = f"{path}[{index}]"
            problems = list(check_label_selector(selector, where, "rbac-aggregation-rule"))
            yield from problems
            if problems:  # LabelSelectorAsSelector fails too, on the same problems
                yield Violation(where, None, "invalid label selector.", "rbac-aggregation-rule")


def _policy_rule(rule: Obj, path: str, *, namespaced: bool) -> Iterator[Violation]:
    """validatePolicyRule: verbs, and either non-resource URLs or resources in API groups."""
    if not rule.get("verbs"):
        yield Violation(
            f"{path}.verbs",
            rule.get("verbs"),
            "Required value: verbs must contain at least one value",
            "rbac-verbs-required",
        )
    urls = rule.get("nonResourceURLs")
    if urls:
        if namespaced:
            yield Violation(
                f"{path}.nonResourceURLs",
                urls,
                "namespaced rules cannot apply to non-resource URLs",
                "rbac-non-resource-urls",
            )
        if rule.get("apiGroups") or rule.get("resources") or rule.get("resourceNames"):
            yield Violation(
                f"{path}.nonResourceURLs",
                urls,
                "rules cannot apply to both regular resources and non-resource URLs",
                "rbac-non-resource-urls",
            )
        return
    if not rule.get("apiGroups"):
        yield Violation(
            f"{path}.apiGroups",
            rule.get("apiGroups"),
            "Required value: resource rules must supply at least one api group",
            "rbac-resource-rule",
        )
    if not rule.get("resources"):
        yield Violation(
            f"{path}.resources",
            rule.get("resources"),
            "Required value: resource rules must supply at least one resource",
            "rbac-resource-rule",
        )


def _binding(obj: Obj, *, namespaced: bool) -> Iterator[Violation]:
    ref = obj.get("roleRef")
    ref = ref if isinstance(ref, Mapping) else {}
    group = ref.get("apiGroup") or GROUP  # SetDefaults_RoleBinding: empty means RBAC's
    if group != GROUP:
        yield Violation("roleRef.apiGroup", group, _supported(GROUP), "rbac-role-ref")
    kinds = ("Role", "ClusterRole") if namespaced else ("ClusterRole",)
    kind = ref.get("kind") or ""
    if kind not in kinds:
        yield Violation("roleRef.kind", kind, _supported(*kinds), "rbac-role-ref")
    name = ref.get("name")
    if not name:
        yield Violation("roleRef.name", name, "Required value", "rbac-role-ref")
    elif isinstance(name, str):
        reasons = _rules.is_valid_path_segment_name(name)
        yield from check_rule("roleRef.name", name, reasons, "rbac-role-ref")
    for path, subject in items_at(obj, "subjects", ""):
        yield from _subject(subject, path.lstrip("."), namespaced=namespaced)


def _subject(subject: Obj, path: str, *, namespaced: bool) -> Iterator[Violation]:
    """validateRoleBindingSubject, after the v1 defaults (SetDefaults_Subject)."""
    name = subject.get("name")
    kind = subject.get("kind") or ""
    group = subject.get("apiGroup") or ""
    if not name:
        yield Violation(f"{path}.name", name, "Required value", "rbac-subject")
    if kind == "ServiceAccount":
        if isinstance(name, str) and name:
            reasons = _rules.is_dns1123_subdomain(name)
            yield from check_rule(f"{path}.name", name, reasons, "rbac-subject")
        if group:
            yield Violation(f"{path}.apiGroup", group, _supported(""), "rbac-subject")
        if not namespaced and not subject.get("namespace"):
            yield Violation(f"{path}.namespace", "", "Required value", "rbac-subject")
    elif kind in ("User", "Group"):
        # Upstream also says "user name cannot be empty" of an empty name; the server reports
        # only the Required value above, once per field.
        if group and group != GROUP:
            yield Violation(f"{path}.apiGroup", group, _supported(GROUP), "rbac-subject")
    else:
        yield Violation(f"{path}.kind", kind, _supported(*_SUBJECT_KINDS), "rbac-subject")


def _role_binding(obj: Obj) -> Iterator[Violation]:
    return _binding(obj, namespaced=True)


def _cluster_role_binding(obj: Obj) -> Iterator[Violation]:
    return _binding(obj, namespaced=False)


_NAME = _rules.is_valid_path_segment_name

#: The kinds this module checks: their name rules and the rules on their fields.
KINDS: dict[tuple[str, str], KindRules] = {
    (API_VERSION, "Role"): KindRules(_NAME, _role),
    (API_VERSION, "ClusterRole"): KindRules(_NAME, _cluster_role),
    (API_VERSION, "RoleBinding"): KindRules(_NAME, _role_binding),
    (API_VERSION, "ClusterRoleBinding"): KindRules(_NAME, _cluster_role_binding),
}
