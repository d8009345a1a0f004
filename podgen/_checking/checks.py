"""The API server's semantic rules (pkg/apis/core/validation), on parsed objects.

`violations` yields every rule an object breaks, each with the dotted path the API server
would report and a rule id; `podgen validate` lists them all. `check_manifest` raises the
first as an `InvalidFieldError`; the pipeline runs it on everything podgen writes, so no
template, built-in or not, can emit what the API server would reject. A few things the API
server only warns about (two containers on one port, duplicate env names, fractional memory)
are errors here too. Structure and types are the schema's job (`_checking.k8s_schema`); these checks
skip what is not the expected shape rather than fail on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import (
    PROTOCOLS,
    Obj,
    Violation,
    check_enum,
    check_labels,
    check_metadata,
    check_rule,
    is_int,
    items_at,
)
from podgen._checking.checks_pod import check_pod_spec
from podgen._checking.checks_workloads import WORKLOAD_API_VERSIONS, workload_spec

_KINDS = {
    ("v1", "Pod"),
    ("v1", "Service"),
    ("v1", "Namespace"),
    *((api_version, kind) for kind, api_version in WORKLOAD_API_VERSIONS.items()),
}
_NAME_RULES: dict[str, Callable[[str], list[str]]] = {
    "Pod": _rules.is_dns1123_subdomain,
    "Service": _rules.is_dns1035_label,
    "Namespace": _rules.is_dns1123_label,
    **dict.fromkeys(WORKLOAD_API_VERSIONS, _rules.is_dns1123_subdomain),
}


def check_manifest(obj: object) -> None:
    """Raise InvalidFieldError for the first rule `obj` breaks."""
    for violation in violations(obj):
        raise violation.error()


def violations(obj: object) -> Iterator[Violation]:
    """Every API server rule `obj` breaks."""
    if not isinstance(obj, Mapping):
        yield Violation("<document>", type(obj).__name__, "must be a mapping (an object)", "object")
        return
    if _may_hold_unprintable(obj):
        yield from _strings(obj, "")
    kind = obj.get("kind")
    metadata = obj.get("metadata")
    if not isinstance(kind, str) or not kind or not isinstance(obj.get("apiVersion"), str):
        yield Violation("kind", kind, "every object needs a kind and an apiVersion", "object")
        return
    if not isinstance(metadata, Mapping):
        yield Violation("metadata", metadata, "must be an object", "object")
        return
    if (obj["apiVersion"], kind) not in _KINDS:
        # A kind with no rules here (a blueprint's `objects:`): the object metadata rules
        # every kind has; names are each kind's own (`system:reader` is a valid ClusterRole).
        yield from check_metadata(metadata, "metadata", lambda name: [], required_name=True)
        return
    yield from check_metadata(metadata, "metadata", _NAME_RULES[kind], required_name=True)
    spec = obj.get("spec")
    if kind == "Namespace":
        return
    if not isinstance(spec, Mapping):
        yield Violation("spec", spec, "must be an object", "object")
    elif kind == "Pod":
        yield from check_pod_spec(spec, "spec")
    elif kind == "Service":
        yield from _service_spec(spec, "spec")
    else:
        yield from workload_spec(kind, spec, "spec", metadata)


def _may_hold_unprintable(obj: object) -> bool:
    """Whether any key or string might hold a character kubectl cannot print.

    One C-speed pass over the object's JSON text (which writes those characters as they are)
    answers for nearly every object; `_strings` then finds the place in the rare one that has.
    """
    try:
        text = json.dumps(obj, ensure_ascii=False)
    except (TypeError, ValueError):
        return True  # not JSON data: let the walk look
    return _rules.unprintable_character(text) is not None


def _strings(node: object, path: str) -> Iterator[Violation]:
    """Every string must survive kubectl's printers unchanged."""
    if isinstance(node, str):
        bad = _rules.unprintable_character(node)
        if bad is not None:
            yield Violation(
                path or "<document>",
                node,
                f"contains U+{ord(bad):04X}, a control character that kubectl's YAML printer "
                "rejects or rewrites",
                "string-control-character",
            )
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from _strings(key, path)
            yield from _strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _strings(item, f"{path}[{index}]")


_SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")


def _service_spec(spec: Obj, path: str) -> Iterator[Violation]:
    ports = list(items_at(spec, "ports", path))
    # A headless Service (clusterIP None) may have no ports: its DNS names the pods themselves.
    if not ports and spec.get("type") != "ExternalName" and spec.get("clusterIP") != "None":
        yield Violation(f"{path}.ports", [], "Required value", "service-ports-required")
    kind = spec.get("type") or "ClusterIP"
    yield from check_enum(spec, "type", path, _SERVICE_TYPES, "service-type")
    seen_names: set[object] = set()
    seen_ports: set[tuple[object, object]] = set()
    for port_path, port in ports:
        name = port.get("name") or ""
        if len(ports) > 1 and not name:
            yield Violation(f"{port_path}.name", "", "Required value", "service-port-name")
        elif name and name in seen_names:
            yield Violation(f"{port_path}.name", name, "Duplicate value", "service-port-name")
        seen_names.add(name)
        if isinstance(name, str) and name:
            yield from check_rule(
                f"{port_path}.name", name, _rules.is_dns1123_label(name), "service-port-name"
            )
        number_and_protocol = (port.get("port"), port.get("protocol") or "TCP")
        if number_and_protocol in seen_ports:
            yield Violation(
                port_path,
                {"port": number_and_protocol[0], "protocol": number_and_protocol[1]},
                "Duplicate value",
                "service-port-duplicate",
            )
        seen_ports.add(number_and_protocol)
        node_port = port.get("nodePort")
        if is_int(node_port) and node_port and not 30000 <= node_port <= 32767:
            # The API server's allocator refuses it at create time (dry runs too).
            yield Violation(
                f"{port_path}.nodePort",
                node_port,
                "provided port is not in the valid range. The range of valid ports is "
                "30000-32767 (the default --service-node-port-range)",
                "service-node-port",
            )
        if kind == "ClusterIP" and port.get("nodePort"):
            yield Violation(
                f"{port_path}.nodePort",
                port["nodePort"],
                "Forbidden: may not be used when `type` is 'ClusterIP'",
                "service-node-port",
            )
        number = port.get("port", 0)  # decoded from `null`, a port is Go's zero
        if is_int(number):
            yield from check_rule(
                f"{port_path}.port", number, _rules.is_valid_port_num(number), "service-port"
            )
        target = port.get("targetPort")
        if is_int(target):
            yield from check_rule(
                f"{port_path}.targetPort", target, _rules.is_valid_port_num(target), "service-port"
            )
        elif isinstance(target, str):
            yield from check_rule(
                f"{port_path}.targetPort", target, _rules.is_valid_port_name(target), "service-port"
            )
        yield from check_enum(port, "protocol", port_path, PROTOCOLS, "service-protocol")
    yield from check_labels(spec.get("selector"), f"{path}.selector", "label")
    yield from _service_addresses(spec, path)
    yield from check_enum(
        spec, "sessionAffinity", path, ("ClientIP", "None"), "service-session-affinity"
    )
    if kind == "ExternalName":
        name = spec.get("externalName")
        if not name:
            yield Violation(f"{path}.externalName", "", "Required value", "service-external-name")
        elif isinstance(name, str):
            yield from check_rule(
                f"{path}.externalName",
                name.removesuffix("."),
                _rules.is_dns1123_subdomain(name.removesuffix(".")),
                "service-external-name",
            )
    reachable = kind in ("NodePort", "LoadBalancer") or (
        kind == "ClusterIP" and bool(spec.get("externalIPs"))
    )
    if spec.get("externalTrafficPolicy") and not reachable:
        yield Violation(
            f"{path}.externalTrafficPolicy",
            spec["externalTrafficPolicy"],
            "may only be set for externally-accessible services",
            "service-traffic-policy",
        )
    for key in ("externalTrafficPolicy", "internalTrafficPolicy"):
        yield from check_enum(spec, key, path, ("Cluster", "Local"), "service-traffic-policy")
    yield from _service_ranges(spec, path, kind)


def _service_ranges(spec: Obj, path: str, kind: str) -> Iterator[Violation]:
    """LoadBalancerSourceRanges (LoadBalancer Services only, CIDRs) and externalIPs (IPs)."""
    import ipaddress

    ranges = spec.get("loadBalancerSourceRanges") or []
    if ranges and kind != "LoadBalancer":
        yield Violation(
            f"{path}.loadBalancerSourceRanges",
            ranges,
            "Forbidden: may only be used when `type` is 'LoadBalancer'",
            "service-source-ranges",
        )
    for index, cidr in enumerate(ranges if isinstance(ranges, list) else []):
        try:
            ipaddress.ip_network(str(cidr).strip(), strict=False)
        except ValueError:
            yield Violation(
                f"{path}.loadBalancerSourceRanges[{index}]",
                cidr,
                "must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 ",
                "service-source-ranges",
            )
    for index, address in enumerate(spec.get("externalIPs") or []):
        try:
            ipaddress.ip_address(str(address))
        except ValueError:
            yield Violation(
                f"{path}.externalIPs[{index}]",
                address,
                "must be a valid IP address",
                "service-external-ips",
            )


_FAMILY_POLICIES = ("SingleStack", "PreferDualStack", "RequireDualStack")


def _service_addresses(spec: Obj, path: str) -> Iterator[Violation]:
    """clusterIP, ipFamilyPolicy and ipFamilies, as ValidateService checks them."""
    cluster_ip = spec.get("clusterIP")
    if isinstance(cluster_ip, str) and cluster_ip not in ("", "None"):
        import ipaddress  # on first use: most Services have no address written

        try:
            ipaddress.ip_address(cluster_ip)
        except ValueError:
            yield Violation(
                f"{path}.clusterIP", cluster_ip, "must be a valid IP address", "service-cluster-ip"
            )
    if cluster_ip == "None" and spec.get("type") in ("NodePort", "LoadBalancer"):
        yield Violation(
            f"{path}.clusterIP",
            cluster_ip,
            f"may not be set to 'None' for {spec['type']} services",
            "service-cluster-ip",
        )
    yield from check_enum(spec, "ipFamilyPolicy", path, _FAMILY_POLICIES, "service-ip-family")
    families = spec.get("ipFamilies")
    if not isinstance(families, list):
        return
    seen: set[object] = set()
    for index, family in enumerate(families):
        where = f"{path}.ipFamilies[{index}]"
        if family not in ("IPv4", "IPv6"):
            yield Violation(where, family, 'supported values: "IPv4", "IPv6"', "service-ip-family")
        elif family in seen:
            yield Violation(where, family, "Duplicate value", "service-ip-family")
        seen.add(family)
    if len(families) > 2:
        yield Violation(
            f"{path}.ipFamilies", families, "must have at most 2 items", "service-ip-family"
        )
    elif len(families) == 2 and spec.get("ipFamilyPolicy") == "SingleStack":
        yield Violation(
            f"{path}.ipFamilyPolicy",
            "SingleStack",
            "must be RequireDualStack or PreferDualStack when multiple 'ipFamilies' are specified",
            "service-ip-family",
        )
