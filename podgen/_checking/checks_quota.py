"""The API server's rules for LimitRanges and ResourceQuotas (pkg/apis/core/validation).

Resource names (standard, for containers, for quota), each limit type's bounds in order
(min <= defaultRequest <= default <= max), quota scopes and scope selectors.
"""

from __future__ import annotations

from collections.abc import Iterator

from podgen._checking import rules as _rules
from podgen._checking.checks_base import KindRules, Obj, Violation, check_rule

_COMPUTE = ("cpu", "memory", "ephemeral-storage")
_COUNTS = (
    "pods",
    "services",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
)
_LIMITED = tuple(f"{kind}.{name}" for kind in ("requests", "limits") for name in _COMPUTE)
_QUOTA_NAMES = (*_COMPUTE, *_LIMITED, "requests.storage", *_COUNTS)
_STANDARD_NAMES = (*_QUOTA_NAMES, "storage")


def _huge_pages(name: str) -> bool:
    return name.startswith(("hugepages-", "requests.hugepages-"))


def _resource_name(name: str, where: str, rule: str) -> Iterator[Violation]:
    """validateResourceName: a qualified name, a standard one unless it has a domain."""
    yield from check_rule(where, name, _rules.is_qualified_name(name), rule)
    if "/" not in name and name not in _STANDARD_NAMES and not _huge_pages(name):
        yield Violation(where, name, "must be a standard resource type or fully qualified", rule)


def _is_extended(name: str) -> bool:
    native = "/" not in name or name.startswith("kubernetes.io/") or ".kubernetes.io/" in name
    return not native and not name.startswith("requests.") and "/" in name


def _container_resource_name(name: str, where: str, rule: str) -> Iterator[Violation]:
    yield from _resource_name(name, where, rule)
    native = "/" not in name or name.startswith("kubernetes.io/") or ".kubernetes.io/" in name
    extended = _is_extended(name) and not _rules.is_qualified_name(f"requests.{name}")
    if "/" not in name and name not in _COMPUTE and not name.startswith("hugepages-"):
        yield Violation(where, name, "must be a standard resource for containers", rule)
    elif not native and not extended:
        yield Violation(where, name, "doesn't follow extended resource name standard", rule)


_BOUNDS = ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio")
#: Each pair of bounds that must be in order, as (lower, upper, the one reported, message).
_ORDER = (
    ("min", "max", "min", "min value {0} is greater than max value {1}"),
    ("min", "defaultRequest", "defaultRequest", "min value {0} is greater than default request"
     " value {1}"),
    ("defaultRequest", "max", "defaultRequest", "default request value {0} is greater than max"
     " value {1}"),
    ("defaultRequest", "default", "defaultRequest", "default request value {0} is greater than"
     " default limit value {1}"),
    ("min", "default", "default", "min value {0} is greater than default value {1}"),
    ("default", "max", "default", "default value {0} is greater than max value {1}"),
)  # fmt: skip


def _limit_range(obj: Obj) -> Iterator[Violation]:
    seen: set[object] = set()
    for index, limit in enumerate((obj.get("spec") or {}).get("limits") or []):
        path = f"spec.limits[{index}]"
        kind = limit.get("type")
        if isinstance(kind, str):
            where = f"{path}.type"
            yield from check_rule(where, kind, _rules.is_qualified_name(kind), "limit-range-type")
            if "/" not in kind and kind not in ("Pod", "Container", "PersistentVolumeClaim"):
                yield Violation(
                    where,
                    kind,
                    "must be a standard limit type or fully qualified",
                    "limit-range-type",
                )
        if kind in seen:
            yield Violation(f"{path}.type", kind, "Duplicate value", "limit-range-type")
        seen.add(kind)
        if kind == "Pod":
            for key in ("default", "defaultRequest"):
                if limit.get(key):
                    yield Violation(
                        f"{path}.{key}",
                        limit[key],
                        "Forbidden: may not be specified when `type` is 'Pod'",
                        "limit-range-bounds",
                    )
        if kind == "PersistentVolumeClaim" and not (
            "storage" in (limit.get("min") or {}) or "storage" in (limit.get("max") or {})
        ):
            yield Violation(
                f"{path}.limits",
                limit,
                "Required value: either minimum or maximum storage value is required, but "
                "neither was provided",
                "limit-range-bounds",
            )
        bounds = {key: limit.get(key) or {} for key in _BOUNDS}
        if kind == "Pod":
            bounds["default"] = bounds["defaultRequest"] = {}
        for key, values in bounds.items():
            for name in values:
                where = f"{path}.{key}[{name}]"
                if kind in ("Pod", "Container"):
                    yield from _container_resource_name(str(name), where, "limit-range-resource")
                else:
                    yield from _resource_name(str(name), where, "limit-range-resource")
        yield from _limit_order(bounds, path)


def _limit_order(bounds: dict[str, Obj], path: str) -> Iterator[Violation]:
    names = {name for values in bounds.values() for name in values}
    for name in sorted(names, key=str):
        text = {key: bounds[key].get(name) for key in _BOUNDS if name in bounds[key]}
        value = {key: _rules.quantity_value(str(v).strip()) for key, v in text.items()}
        for low, high, at, message in _ORDER:
            lower, upper = value.get(low), value.get(high)
            if lower is not None and upper is not None and lower > upper:
                yield Violation(
                    f"{path}.{at}[{name}]",
                    text[at],
                    message.format(text[low], text[high]),
                    "limit-range-order",
                )
        ratio = value.get("maxLimitRequestRatio")
        if ratio is not None and ratio < 1:
            yield Violation(
                f"{path}.maxLimitRequestRatio[{name}]",
                text["maxLimitRequestRatio"],
                f"ratio {text['maxLimitRequestRatio']} is less than 1",
                "limit-range-order",
            )
        default, request = value.get("default"), value.get("defaultRequest")
        overcommit = "/" not in str(name) and not str(name).startswith("hugepages-")
        if not overcommit and default is not None and request is not None and default != request:
            yield Violation(
                f"{path}.defaultRequest[{name}]",
                text["defaultRequest"],
                f"default value {text['default']} must equal to defaultRequest value "
                f"{text['defaultRequest']} in {name}",
                "limit-range-order",
            )


_SCOPES = (
    "Terminating",
    "NotTerminating",
    "BestEffort",
    "NotBestEffort",
    "PriorityClass",
    "CrossNamespacePodAffinity",
    "VolumeAttributesClass",
)
_POD_QUOTA = (
    "pods",
    "cpu",
    "memory",
    "limits.cpu",
    "limits.memory",
    "requests.cpu",
    "requests.memory",
)
_CONFLICTS = (("BestEffort", "NotBestEffort"), ("Terminating", "NotTerminating"))


def _scope_fits(scope: object, name: str) -> bool:
    """IsResourceQuotaScopeValidForResource."""
    if scope == "BestEffort":
        return name == "pods"
    if scope == "VolumeAttributesClass":
        return name in ("requests.storage", "persistentvolumeclaims")
    if scope in _SCOPES:
        return name in _POD_QUOTA
    return True


def _resource_quota(obj: Obj) -> Iterator[Violation]:
    spec = obj.get("spec") or {}
    hard = spec.get("hard") or {}
    for name, amount in hard.items():
        where = f"spec.hard[{name}]"
        yield from _resource_name(str(name), where, "quota-resource")
        if "/" not in str(name) and name not in _QUOTA_NAMES and not _huge_pages(str(name)):
            yield Violation(where, name, "must be a standard resource for quota", "quota-resource")
        value = _rules.quantity_value(str(amount).strip())
        if value is not None and value < 0:
            yield Violation(where, amount, "must be greater than or equal to 0", "quota-resource")
        elif (
            value is not None
            and value != int(value)
            and (name in _COUNTS or _is_extended(str(name)))
        ):
            yield Violation(where, amount, "must be an integer", "quota-resource")
    quota_names = [n for n in hard if n in _QUOTA_NAMES or _huge_pages(str(n))]
    scopes = spec.get("scopes") or []
    yield from _scopes(scopes, list(scopes), quota_names, "spec.scopes")
    selector = spec.get("scopeSelector") or {}
    expressions = selector.get("matchExpressions") or []
    where = "spec.scopeSelector.matchExpressions"
    names = [e.get("scopeName") for e in expressions]
    yield from _scopes(expressions, names, quota_names, where, at_scope=True)
    for expression in expressions:
        scope, operator = expression.get("scopeName"), expression.get("operator")
        if scope in (*_SCOPES[:4], "CrossNamespacePodAffinity") and operator != "Exists":
            yield Violation(
                f"{where}.operator",
                operator,
                "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, "
                "ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, "
                "ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
                "quota-scope",
            )
        values = expression.get("values") or []
        if operator in ("In", "NotIn") and not values:
            yield Violation(
                f"{where}.values",
                values,
                "Required value: must be at least one value when `operator` is 'In' or 'NotIn' "
                "for scope selector",
                "quota-scope",
            )
        elif operator in ("Exists", "DoesNotExist") and values:
            yield Violation(
                f"{where}.values",
                values,
                "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
                "quota-scope",
            )
        elif operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
            yield Violation(
                f"{where}.operator", operator, "not a valid selector operator", "quota-scope"
            )


def _scopes(
    listed: list[object],
    scopes: list[object],
    hard: list[str],
    where: str,
    *,
    at_scope: bool = False,
) -> Iterator[Violation]:
    for scope in scopes:
        if scope not in _SCOPES:
            path = f"{where}.scopeName" if at_scope else where
            yield Violation(path, scope if at_scope else listed, "unsupported scope", "quota-scope")
        for name in sorted(hard):
            if not _scope_fits(scope, name):
                yield Violation(
                    where, listed, "unsupported scope applied to resource", "quota-scope"
                )
    for pair in _CONFLICTS:
        if all(scope in scopes for scope in pair):
            yield Violation(where, listed, "conflicting scopes", "quota-scope")


#: The kinds this module checks: their name rules and the rules on their fields.
KINDS: dict[tuple[str, str], KindRules] = {
    ("v1", "LimitRange"): KindRules(_rules.is_dns1123_subdomain, _limit_range),
    ("v1", "ResourceQuota"): KindRules(_rules.is_dns1123_subdomain, _resource_quota),
}
