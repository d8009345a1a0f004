"""The API server's rules for Services, Ingresses, IngressClasses and NetworkPolicies.

Ports from pkg/apis/core/validation (ValidateService) and pkg/apis/networking/validation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import (
    PROTOCOLS,
    KindRules,
    Obj,
    Violation,
    check_enum,
    check_labels,
    check_rule,
    is_int,
    items_at,
)


def _service(obj: Obj) -> Iterator[Violation]:
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        yield Violation("spec", spec, "must be an object", "object")
    else:
        yield from _service_spec(spec, "spec")


_SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")


def _service_spec(spec: Obj, path: str) -> Iterator[Violation]:
    ports = list(items_at(spec, "ports", path))
    # A headless Service (clusterIP None) may have no ports: its DNS names the pods themselves.
    if not ports and spec.get("type") != "ExternalName" and spec.get("clusterIP") != "None":
        yield Violation(f"{path}.ports", [], "Required value", "service-ports-required")
    kind = spec.get("type") or "ClusterIP"
    yield from check_enum(spec, "type", path, _SERVICE_TYPES, "service-type", defaulted=True)
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
        if target in (0, ""):
            pass  # defaulted to `port` before validation (SetDefaults_Service)
        elif is_int(target):
            yield from check_rule(
                f"{port_path}.targetPort", target, _rules.is_valid_port_num(target), "service-port"
            )
        elif isinstance(target, str):
            yield from check_rule(
                f"{port_path}.targetPort", target, _rules.is_valid_port_name(target), "service-port"
            )
        yield from check_enum(
            port, "protocol", port_path, PROTOCOLS, "service-protocol", defaulted=True
        )
    yield from check_labels(spec.get("selector"), f"{path}.selector", "label")
    yield from _service_addresses(spec, path)
    yield from check_enum(
        spec,
        "sessionAffinity",
        path,
        ("ClientIP", "None"),
        "service-session-affinity",
        defaulted=True,
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
    # externalTrafficPolicy is a plain string ("" is defaulted); internalTrafficPolicy a pointer.
    for key in ("externalTrafficPolicy", "internalTrafficPolicy"):
        yield from check_enum(
            spec,
            key,
            path,
            ("Cluster", "Local"),
            "service-traffic-policy",
            defaulted=key == "externalTrafficPolicy",
        )
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


#: The kinds this module checks: their name rules and the rules on their fields.
KINDS: dict[tuple[str, str], KindRules] = {
    ("v1", "Service"): KindRules(_rules.is_dns1035_label, _service),
}
