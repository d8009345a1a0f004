"""The API server's rules for Services, and the networking kinds' from their own modules.

Ports from pkg/apis/core/validation (ValidateService); Ingresses and IngressClasses are in
`checks_ingress`, NetworkPolicies in `checks_network_policy`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from podgen._checking import checks_ingress, checks_network_policy
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
from podgen._checking.feature_gates import enabled


def _service(obj: Obj) -> Iterator[Violation]:
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        yield Violation("spec", spec, "must be an object", "object")
    else:
        yield from _service_spec(spec, "spec")
        yield from _service_types_fields(spec, "spec")
        yield from _service_cluster_ips(spec, "spec")


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


def _service_types_fields(spec: Obj, path: str) -> Iterator[Violation]:
    """Fields only some types of Service take; appProtocol, session affinity, traffic distribution.

    As ValidateService, validateLoadBalancerClassField and validateServiceExternalTrafficPolicy.
    """
    kind = spec.get("type") or "ClusterIP"
    for port_path, port in items_at(spec, "ports", path):
        protocol = port.get("appProtocol")
        if isinstance(protocol, str):
            yield from check_rule(
                f"{port_path}.appProtocol",
                protocol,
                _rules.is_qualified_name(protocol),
                "service-app-protocol",
            )
    for key, rule in (
        ("loadBalancerClass", "service-load-balancer-class"),
        ("allocateLoadBalancerNodePorts", "service-allocate-node-ports"),
    ):
        if spec.get(key) is not None and kind != "LoadBalancer":
            yield Violation(
                f"{path}.{key}",
                spec[key],
                "Forbidden: may only be used when `type` is 'LoadBalancer'",
                rule,
            )
    load_balancer_class = spec.get("loadBalancerClass")
    if kind == "LoadBalancer" and isinstance(load_balancer_class, str):
        yield from check_rule(
            f"{path}.loadBalancerClass",
            load_balancer_class,
            _rules.is_qualified_name(load_balancer_class),
            "service-load-balancer-class",
        )
    health = spec.get("healthCheckNodePort")
    if is_int(health) and health:
        if kind != "LoadBalancer" or spec.get("externalTrafficPolicy") != "Local":
            yield Violation(
                f"{path}.healthCheckNodePort",
                health,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is "
                "'Local'",
                "service-health-check-node-port",
            )
        else:
            yield from check_rule(
                f"{path}.healthCheckNodePort",
                health,
                _rules.is_valid_port_num(health),
                "service-health-check-node-port",
            )
    yield from _session_affinity_config(spec, path)
    # PreferSameZone and PreferSameNode only with PreferSameTrafficDistribution (alpha and off
    # in 1.33, beta from 1.34; pkg/apis/core/validation validateServiceSpec): PreferClose alone
    # before.
    # With ServiceTrafficDistribution off (1.30) the field is dropped before validation.
    same = ("PreferSameZone", "PreferSameNode") if enabled("PreferSameTrafficDistribution") else ()
    if enabled("ServiceTrafficDistribution"):
        yield from check_enum(
            spec,
            "trafficDistribution",
            path,
            ("PreferClose", *same),
            "service-traffic-distribution",
        )


#: A ClientIP session's timeoutSeconds is at most this (MaxClientIPServiceAffinitySeconds).
_AFFINITY_TIMEOUT_MAX = 86400


def _session_affinity_config(spec: Obj, path: str) -> Iterator[Violation]:
    config = spec.get("sessionAffinityConfig")
    if config is None:
        return
    if spec.get("sessionAffinity") != "ClientIP":
        # The API server drops it (and whatever is wrong in it) rather than refuse it.
        yield Violation(
            f"{path}.sessionAffinityConfig",
            config,
            "is ignored: `sessionAffinity` is not 'ClientIP'; the API server drops it",
            "service-session-affinity-config-ignored",
        )
        return
    client_ip = config.get("clientIP") if isinstance(config, Mapping) else None
    timeout = client_ip.get("timeoutSeconds") if isinstance(client_ip, Mapping) else None
    if is_int(timeout) and not 0 < timeout <= _AFFINITY_TIMEOUT_MAX:
        yield Violation(
            f"{path}.sessionAffinityConfig.clientIP.timeoutSeconds",
            timeout,
            f"must be greater than 0 and less than {_AFFINITY_TIMEOUT_MAX}",
            "service-session-affinity-config",
        )


def _service_cluster_ips(spec: Obj, path: str) -> Iterator[Violation]:
    """ValidateServiceClusterIPsRelatedFields, and ExternalName's forbidden fields.

    On the clusterIPs the API server's create strategy fills in (clusterIPs from clusterIP).
    """
    cluster_ip = spec.get("clusterIP") or ""
    given = spec.get("clusterIPs") or []
    if not isinstance(given, list) or not isinstance(cluster_ip, str):
        return
    ips = given or ([cluster_ip] if cluster_ip else [])
    families = spec.get("ipFamilies") or []
    where = f"{path}.clusterIPs"
    if spec.get("type") == "ExternalName":
        for key, value, rule in (
            ("clusterIPs", ips, "service-cluster-ips"),
            ("ipFamilies", families, "service-ip-family"),
            ("ipFamilyPolicy", spec.get("ipFamilyPolicy"), "service-ip-family"),
        ):
            if value:
                yield Violation(
                    f"{path}.{key}",
                    value,
                    "Forbidden: may not be set for ExternalName services",
                    rule,
                )
        return
    if cluster_ip and given and given[0] != cluster_ip:
        yield Violation(where, given, "first value must match `clusterIP`", "service-cluster-ips")
    elif not cluster_ip and given:
        yield Violation(
            where,
            given,
            "must be empty when `clusterIP` is not specified",
            "service-cluster-ips",
        )
    invalid = False
    for index, ip in enumerate(given):
        if index == 0 and ip == "None":
            if len(given) > 1:
                invalid = True
                yield Violation(
                    where, given, "'None' must be the first and only value", "service-cluster-ips"
                )
            continue
        if index == 0 and ip == cluster_ip:
            continue  # spec.clusterIP's own rule (service-cluster-ip) says what is wrong with it
        problems = _rules.ip_problems(str(ip))
        invalid = invalid or bool(problems)
        yield from check_rule(f"{where}[{index}]", ip, problems, "service-cluster-ips")
    if len(given) > 2:
        yield Violation(where, given, "may only hold up to 2 values", "service-cluster-ips")
    if invalid or any(_rules.ip_problems(str(ip)) for ip in ips if ip != "None"):
        return
    versions = [_ip_version(ip) for ip in ips if ip != "None"]
    if len(ips) == 2 and len(set(versions)) < 2:
        yield Violation(
            where,
            ips,
            "may specify no more than one IP for each IP family",
            "service-cluster-ips",
        )
    if ips == ["None"] or not isinstance(families, list):
        return
    for index, (ip, family) in enumerate(zip(ips, families, strict=False)):
        expected = {"IPv4": 4, "IPv6": 6}.get(family)
        if expected is not None and _ip_version(ip) != expected:
            yield Violation(
                f"{where}[{index}]",
                ip,
                f"expected an {family} value as indicated by `ipFamilies[{index}]`",
                "service-cluster-ips",
            )


def _ip_version(ip: str) -> int:
    address = _rules.parse_ip_sloppy(ip)[0]
    return 0 if address is None else address.version


#: The kinds this module checks: their name rules and the rules on their fields.
KINDS: dict[tuple[str, str], KindRules] = {
    ("v1", "Service"): KindRules(_rules.is_dns1035_label, _service),
    **checks_ingress.KINDS,
    **checks_network_policy.KINDS,
}
