"""The API server's rules on a pod's fields that stand on their own (pkg/apis/core/validation).

Env var sources, container resources (names, quantities, extended resources), user and group
IDs, node affinity requirements, and ports on the node's network. `_checking.checks_pod` calls
them for every pod spec and container.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import (
    Obj,
    Violation,
    check_enum,
    check_requirement,
    check_rule,
    is_int,
    items_at,
)


def host_network_ports(spec: Obj, path: str) -> Iterator[Violation]:
    """On the node's network, a container listens on the node's port: hostPort is containerPort."""
    for key in ("initContainers", "containers"):
        for container_path, container in items_at(spec, key, path):
            for port_path, port in items_at(container, "ports", container_path):
                host, own = port.get("hostPort"), port.get("containerPort")
                if is_int(host) and host != 0 and host != own:
                    yield Violation(
                        f"{port_path}.hostPort",
                        host,
                        "must match `containerPort` when `hostNetwork` is true",
                        "host-network-port",
                    )


_ID_RANGE = "must be between 0 and 2147483647, inclusive"


def security_ids(security: object, path: str, pod: bool = False) -> Iterator[Violation]:
    """User and group IDs (IsValidUserID, IsValidGroupID) of a pod or container."""
    if not isinstance(security, Mapping):
        return
    fields = ("runAsUser", "runAsGroup", "fsGroup") if pod else ("runAsUser", "runAsGroup")
    for field in fields:
        value = security.get(field)
        if is_int(value) and not 0 <= value <= 2147483647:
            yield Violation(f"{path}.{field}", value, _ID_RANGE, "security-id")
    for index, group in enumerate(security.get("supplementalGroups") or [] if pod else []):
        if is_int(group) and not 0 <= group <= 2147483647:
            yield Violation(f"{path}.supplementalGroups[{index}]", group, _ID_RANGE, "security-id")


def node_affinity(node_affinity: Obj, path: str) -> Iterator[Violation]:
    """Every node selector requirement of a node affinity (ValidateNodeSelectorRequirement)."""
    required = node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
    terms: list[tuple[str, Obj]] = []
    if isinstance(required, Mapping):
        at = f"{path}.requiredDuringSchedulingIgnoredDuringExecution"
        terms += list(items_at(required, "nodeSelectorTerms", at))
    for item_path, item in items_at(
        node_affinity, "preferredDuringSchedulingIgnoredDuringExecution", path
    ):
        if isinstance(item.get("preference"), Mapping):
            terms.append((f"{item_path}.preference", item["preference"]))
    for term_path, term in terms:
        for key in ("matchExpressions", "matchFields"):
            for requirement_path, requirement in items_at(term, key, term_path):
                yield from check_requirement(
                    requirement,
                    requirement_path,
                    "node-affinity",
                    numeric=True,
                    key=key == "matchExpressions",
                )


#: The pod fields an env var may take with fieldRef (validEnvDownwardAPIFieldPathExpressions),
#: besides one label or annotation (`metadata.labels['app']`).
_ENV_FIELD_PATHS = (
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
)
_ENV_SOURCES = ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef")


def env_value_from(env: Obj, path: str) -> Iterator[Violation]:
    """validateEnvVarValueFrom: exactly one source, and no `value` beside it."""
    value_from = env["valueFrom"]
    sources = [key for key in _ENV_SOURCES if value_from.get(key) is not None]
    if not sources:
        yield Violation(
            path,
            "",
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or "
            "`secretKeyRef`",
            "env-value-from",
        )
    elif len(sources) > 1:
        yield Violation(
            path, "", "may not have more than one field specified at a time", "env-value-from"
        )
    elif env.get("value"):
        yield Violation(
            path, "", "may not be specified when `value` is not empty", "env-value-from"
        )
    field_ref = value_from.get("fieldRef")
    if isinstance(field_ref, Mapping):
        field_path = field_ref.get("fieldPath")
        subscripted = isinstance(field_path, str) and (
            field_path.startswith(("metadata.labels['", "metadata.annotations['"))
            and field_path.endswith("']")
        )
        if not field_path:
            yield Violation(f"{path}.fieldRef.fieldPath", "", "Required value", "env-field-path")
        elif field_path not in _ENV_FIELD_PATHS and not subscripted:
            quoted = ", ".join(
                f'"{p}"'
                for p in (
                    *_ENV_FIELD_PATHS[:3],
                    "metadata.labels['<KEY>']",
                    "metadata.annotations['<KEY>']",
                    *_ENV_FIELD_PATHS[3:],
                )
            )
            yield Violation(
                f"{path}.fieldRef.fieldPath",
                field_path,
                f"supported values: {quoted}",
                "env-field-path",
            )


#: Resources a container may ask for by a bare name (IsStandardContainerResourceName).
_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")


def _resource_name(name: str, path: str) -> Iterator[Violation]:
    """validateContainerResourceName: a standard resource, or an extended one with a domain."""
    if "/" not in name:
        if name not in _CONTAINER_RESOURCES and not name.startswith("hugepages-"):
            yield Violation(
                path, name, "must be a standard resource for containers", "resource-name"
            )
        return
    yield from check_rule(path, name, _rules.is_qualified_name(name), "resource-name")
    if _is_extended(name) and name.startswith("requests."):
        yield Violation(
            path, name, "doesn't follow extended resource name standard", "resource-name"
        )


def _is_extended(name: str) -> bool:
    """An extended resource (nvidia.com/gpu): not native, so integers only, no overcommit."""
    return "/" in name and not (name.startswith("kubernetes.io/") or ".kubernetes.io/" in name)


def container_resources(resources: Obj, path: str) -> Iterator[Violation]:
    values = {}
    for group in ("limits", "requests"):
        quantities = resources.get(group)
        if not isinstance(quantities, Mapping):
            continue
        for name, amount in quantities.items():
            where = f"{path}.{group}[{name}]"
            yield from _resource_name(str(name), where)
            value = _rules.quantity_value(str(amount))
            if value is None or value < 0:
                yield Violation(where, amount, "must be a valid quantity", "resource-quantity")
                continue
            if name == "memory" and value != value.to_integral_value():
                # The API server only warns (and rounds the bytes up).
                yield Violation(
                    where,
                    amount,
                    "fractional byte value is invalid, must be an integer",
                    "resource-fractional-memory",
                    warning=True,
                )
            elif _is_extended(str(name)) and value != value.to_integral_value():
                yield Violation(where, amount, "must be an integer", "resource-extended-integer")
            values[group, name] = value
    for (group, name), value in values.items():
        limit = values.get(("limits", name))
        if group != "requests":
            continue
        if _is_extended(str(name)):
            # Extended resources cannot be overcommitted: the request is the limit.
            if limit is None:
                yield Violation(
                    f"{path}.limits",
                    None,
                    "Required value: Limit must be set for non overcommitable resources",
                    "resource-extended-limit",
                )
            elif value != limit:
                yield Violation(
                    f"{path}.requests[{name}]",
                    resources["requests"][name],
                    f"must be equal to {name} limit of {resources['limits'][name]}",
                    "resource-extended-limit",
                )
        elif limit is not None and value > limit:
            yield Violation(
                f"{path}.requests[{name}]",
                resources["requests"][name],
                f"must be less than or equal to {name} limit of {resources['limits'][name]}",
                "resource-request-over-limit",
            )


def pod_fields(spec: Obj, path: str) -> Iterator[Violation]:
    """The pod spec's own fields: DNS, deadlines, hostname, spreading, affinity, seccomp."""
    dns_config = spec.get("dnsConfig")
    if spec.get("dnsPolicy") == "None" and not isinstance(dns_config, Mapping):
        yield Violation(
            f"{path}.dnsConfig",
            None,
            "Required value: must provide `dnsConfig` when `dnsPolicy` is None",
            "dns-config",
        )
    if isinstance(dns_config, Mapping):
        nameservers = dns_config.get("nameservers") or []
        for index, server in enumerate(nameservers):
            if not _is_ip(server):
                yield Violation(
                    f"{path}.dnsConfig.nameservers[{index}]",
                    server,
                    "must be a valid IP address",
                    "dns-config",
                )
        if len(nameservers) > 3:
            yield Violation(
                f"{path}.dnsConfig.nameservers",
                nameservers,
                "must not have more than 3 nameservers",
                "dns-config",
            )
        searches = dns_config.get("searches") or []
        if len(searches) > 32:
            yield Violation(
                f"{path}.dnsConfig.searches",
                searches,
                "must not have more than 32 search paths",
                "dns-config",
            )
    deadline = spec.get("activeDeadlineSeconds")
    if is_int(deadline) and not 1 <= deadline <= 2147483647:
        yield Violation(
            f"{path}.activeDeadlineSeconds",
            deadline,
            "must be between 1 and 2147483647, inclusive",
            "active-deadline",
        )
    for key in ("priorityClassName", "schedulerName", "runtimeClassName"):
        value = spec.get(key)
        if isinstance(value, str) and value:
            yield from check_rule(
                f"{path}.{key}", value, _rules.is_dns1123_subdomain(value), "pod-class-name"
            )
    yield from check_enum(
        spec, "preemptionPolicy", path, ("Never", "PreemptLowerPriority"), "preemption-policy"
    )
    for alias_path, alias in items_at(spec, "hostAliases", path):
        if not _is_ip(alias.get("ip")):
            yield Violation(
                f"{alias_path}.ip", alias.get("ip"), "must be a valid IP address", "host-aliases"
            )
    for key in ("hostname", "subdomain"):
        value = spec.get(key)
        if isinstance(value, str) and value:
            yield from check_rule(
                f"{path}.{key}", value, _rules.is_dns1123_label(value), "pod-hostname"
            )
    for constraint_path, constraint in items_at(spec, "topologySpreadConstraints", path):
        yield from _spread(constraint, constraint_path)
    affinity = spec.get("affinity")
    for kind in ("podAffinity", "podAntiAffinity"):
        terms = affinity.get(kind) if isinstance(affinity, Mapping) else None
        if isinstance(terms, Mapping):
            yield from _pod_affinity(terms, f"{path}.affinity.{kind}")
    yield from seccomp(spec.get("securityContext"), f"{path}.securityContext")


def _spread(constraint: Obj, path: str) -> Iterator[Violation]:
    """ValidateTopologySpreadConstraints, on one constraint."""
    skew = constraint.get("maxSkew")
    if is_int(skew) and skew <= 0:
        yield Violation(f"{path}.maxSkew", skew, "must be greater than zero", "topology-spread")
    yield from _topology_key(constraint, path, "topology-spread")
    when = constraint.get("whenUnsatisfiable")  # required: the schema says so first
    yield from check_enum(
        constraint,
        "whenUnsatisfiable",
        path,
        ("DoNotSchedule", "ScheduleAnyway"),
        "topology-spread",
    )
    domains = constraint.get("minDomains")
    if is_int(domains):
        if domains <= 0:
            yield Violation(
                f"{path}.minDomains", domains, "must be greater than 0", "topology-spread"
            )
        elif when != "DoNotSchedule":
            yield Violation(
                f"{path}.minDomains",
                domains,
                f"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {when}",
                "topology-spread",
            )


def _pod_affinity(affinity: Obj, path: str) -> Iterator[Violation]:
    """Each (anti-)affinity term needs a topologyKey."""
    required = "requiredDuringSchedulingIgnoredDuringExecution"
    preferred = "preferredDuringSchedulingIgnoredDuringExecution"
    terms = [(p, t) for p, t in items_at(affinity, required, path)]
    for item_path, item in items_at(affinity, preferred, path):
        if isinstance(item.get("podAffinityTerm"), Mapping):
            terms.append((f"{item_path}.podAffinityTerm", item["podAffinityTerm"]))
    for term_path, term in terms:
        yield from _topology_key(term, term_path, "pod-affinity")


def _topology_key(obj: Obj, path: str, rule: str) -> Iterator[Violation]:
    """A topologyKey (of a spread constraint or an affinity term): required, a qualified name."""
    key = obj.get("topologyKey")
    if not key:
        yield Violation(f"{path}.topologyKey", key, "Required value: can not be empty", rule)
    elif isinstance(key, str):
        yield from check_rule(f"{path}.topologyKey", key, _rules.is_qualified_name(key), rule)


_SECCOMP_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")


def seccomp(security: object, path: str) -> Iterator[Violation]:
    """A seccomp profile's type, and its localhostProfile with (and only with) Localhost."""
    profile = security.get("seccompProfile") if isinstance(security, Mapping) else None
    if not isinstance(profile, Mapping):
        return
    kind = profile.get("type")
    at = f"{path}.seccompProfile"
    if kind not in _SECCOMP_TYPES:
        yield from check_enum(profile, "type", at, _SECCOMP_TYPES, "seccomp-profile")
    elif kind == "Localhost" and not profile.get("localhostProfile"):
        yield Violation(
            f"{at}.localhostProfile",
            None,
            "Required value: must be set when seccomp type is Localhost",
            "seccomp-profile",
        )
    elif kind != "Localhost" and profile.get("localhostProfile"):
        yield Violation(
            f"{at}.localhostProfile",
            profile["localhostProfile"],
            "can only be set when seccomp type is Localhost",
            "seccomp-profile",
        )


def _is_ip(value: object) -> bool:
    """Whether `value` is an IPv4 or IPv6 address (the API server's IsValidIP)."""
    if not isinstance(value, str):
        return False
    import ipaddress  # on first use: few pods have host aliases or nameservers

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
