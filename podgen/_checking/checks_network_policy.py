"""The API server's rules for NetworkPolicies (networking.k8s.io/v1).

Ports from pkg/apis/networking/validation (ValidateNetworkPolicy, ValidateIPBlock).
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
    check_label_selector,
    check_rule,
    is_int,
    items_at,
)


def _network_policy(obj: Obj) -> Iterator[Violation]:
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        spec = {}
    yield from check_label_selector(spec.get("podSelector"), "spec.podSelector", "label-selector")
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        for rule_path, rule in items_at(spec, direction, "spec"):
            for port_path, port in items_at(rule, "ports", rule_path):
                yield from _policy_port(port, port_path)
            for peer_path, peer in items_at(rule, peers, rule_path):
                yield from _policy_peer(peer, peer_path)
    types = spec.get("policyTypes")
    if not isinstance(types, list):
        return
    if len(types) > 2:
        yield Violation(
            "spec.policyTypes", types, "may not specify more than two policyTypes", "policy-types"
        )
        return
    for index, value in enumerate(types):
        if value not in ("Ingress", "Egress"):
            yield Violation(
                f"spec.policyTypes[{index}]",
                value,
                'Unsupported value: supported values: "Ingress", "Egress"',
                "policy-types",
            )


def _policy_port(port: Obj, where: str) -> Iterator[Violation]:
    """ValidateNetworkPolicyPort: protocol, port (a number or a name), and endPort."""
    yield from check_enum(port, "protocol", where, PROTOCOLS, "policy-port")
    number, end = port.get("port"), port.get("endPort")
    if is_int(number):
        yield from check_rule(
            f"{where}.port", number, _rules.is_valid_port_num(number), "policy-port"
        )
        if is_int(end):
            if end < number:
                yield Violation(
                    f"{where}.endPort",
                    end,
                    "must be greater than or equal to `port`",
                    "policy-end-port",
                )
            yield from check_rule(
                f"{where}.endPort", end, _rules.is_valid_port_num(end), "policy-end-port"
            )
    elif isinstance(number, str):
        if end is not None:
            yield Violation(
                f"{where}.endPort",
                end,
                "may not be specified when `port` is non-numeric",
                "policy-end-port",
            )
        yield from check_rule(
            f"{where}.port", number, _rules.is_valid_port_name(number), "policy-port"
        )
    elif end is not None:
        yield Violation(
            f"{where}.endPort",
            end,
            "may not be specified when `port` is not specified",
            "policy-end-port",
        )


def _policy_peer(peer: Obj, where: str) -> Iterator[Violation]:
    """ValidateNetworkPolicyPeer: its selectors, its ipBlock, and ipBlock alone."""
    for key in ("podSelector", "namespaceSelector"):
        yield from check_label_selector(peer.get(key), f"{where}.{key}", "label-selector")
    block = peer.get("ipBlock")
    if all(peer.get(key) is None for key in ("podSelector", "namespaceSelector", "ipBlock")):
        yield Violation(where, None, "Required value: must specify a peer", "policy-peer")
    if not isinstance(block, Mapping):
        return
    if peer.get("podSelector") is not None or peer.get("namespaceSelector") is not None:
        yield Violation(
            where, None, "Forbidden: may not specify both ipBlock and another peer", "policy-peer"
        )
    cidr = block.get("cidr")
    if not isinstance(cidr, str) or not cidr:
        yield Violation(f"{where}.ipBlock.cidr", "", "Required value", "policy-cidr")
        return
    yield from check_rule(f"{where}.ipBlock.cidr", cidr, _rules.cidr_problems(cidr), "policy-cidr")
    network = _rules.cidr_network(cidr)
    if network is None:
        return
    excepts = block.get("except")
    for index, text in enumerate(excepts if isinstance(excepts, list) else []):
        except_path = f"{where}.ipBlock.except[{index}]"
        if not isinstance(text, str):
            continue
        yield from check_rule(except_path, text, _rules.cidr_problems(text), "policy-cidr")
        inner = _rules.cidr_network(text)
        if inner is None:
            continue
        if (
            inner.version != network.version
            or inner.network_address not in network
            or inner.prefixlen <= network.prefixlen
        ):
            yield Violation(
                except_path, text, "must be a strict subset of `cidr`", "policy-cidr-except"
            )


#: The kinds this module checks: their name rules and the rules on their fields.
KINDS: dict[tuple[str, str], KindRules] = {
    ("networking.k8s.io/v1", "NetworkPolicy"): KindRules(
        _rules.is_dns1123_subdomain, _network_policy
    ),
}
