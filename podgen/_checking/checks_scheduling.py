"""The API server's rules on how a pod is scheduled and resolves names (pkg/apis/core/validation).

readinessGates' condition types, schedulingGates (qualified names, no duplicates), dnsConfig's
searches and options (and the nameserver `dnsPolicy: None` needs), the weights of preferred
(anti-)affinity terms, and topology spread constraints that repeat a key and
whenUnsatisfiable. `_checking.checks_pod` calls them for every pod spec.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import Obj, Violation, check_rule, is_int, items_at

_PREFERRED = "preferredDuringSchedulingIgnoredDuringExecution"
#: A DNS search domain: a subdomain where labels may start with `_` (`_tcp.example.com`).
_SEARCH = re.compile(r"_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*")
_SEARCH_MESSAGE = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', "
    "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
    r"regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]"
    r"([-_a-z0-9]*[a-z0-9])?)*')"
)


def pod_scheduling(spec: Obj, path: str) -> Iterator[Violation]:
    """Every rule on a pod spec's gates, DNS configuration, affinity weights and spreading."""
    if "readinessGates" in spec or "schedulingGates" in spec:
        yield from _gates(spec, path)
    if "dnsConfig" in spec:
        yield from _dns_config(spec, path)
    if "affinity" in spec:
        yield from _weights(spec, path)
    if "topologySpreadConstraints" in spec:
        yield from _spread_repeats(spec, path)


def _gates(spec: Obj, path: str) -> Iterator[Violation]:
    for gate_path, gate in items_at(spec, "readinessGates", path):
        kind = gate.get("conditionType")
        if isinstance(kind, str):
            yield from check_rule(
                f"{gate_path}.conditionType", kind, _rules.is_qualified_name(kind), "readiness-gate"
            )
    seen: set[str] = set()
    for gate_path, gate in items_at(spec, "schedulingGates", path):
        name = gate.get("name")
        if not isinstance(name, str):
            continue
        yield from check_rule(gate_path, name, _rules.is_qualified_name(name), "scheduling-gate")
        if name in seen:
            yield Violation(gate_path, name, "Duplicate value", "scheduling-gate")
        seen.add(name)


def _weights(spec: Obj, path: str) -> Iterator[Violation]:
    affinity = spec.get("affinity")
    affinity = affinity if isinstance(affinity, Mapping) else {}
    for kind in ("nodeAffinity", "podAffinity", "podAntiAffinity"):
        terms = affinity.get(kind)
        if not isinstance(terms, Mapping):
            continue
        for term_path, term in items_at(terms, _PREFERRED, f"{path}.affinity.{kind}"):
            weight = term.get("weight")
            if is_int(weight) and not 1 <= weight <= 100:
                yield Violation(
                    f"{term_path}.weight", weight, "must be in the range 1-100", "affinity-weight"
                )


def _spread_repeats(spec: Obj, path: str) -> Iterator[Violation]:
    """ValidateSpreadConstraintNotRepeat: each constraint against those after it."""
    constraints = list(items_at(spec, "topologySpreadConstraints", path))
    for index, (constraint_path, constraint) in enumerate(constraints):
        pair = (constraint.get("topologyKey"), constraint.get("whenUnsatisfiable"))
        if any(
            (later.get("topologyKey"), later.get("whenUnsatisfiable")) == pair
            for _, later in constraints[index + 1 :]
        ):
            yield Violation(
                f"{constraint_path}.{{topologyKey, whenUnsatisfiable}}",
                f"{{{pair[0]}, {pair[1]}}}",
                "Duplicate value",
                "topology-spread-duplicate",
            )


def _dns_config(spec: Obj, path: str) -> Iterator[Violation]:
    """validatePodDNSConfig: searches, options' names, a nameserver when dnsPolicy is None."""
    config = spec.get("dnsConfig")
    if not isinstance(config, Mapping):
        return  # none at all with dnsPolicy None: the dns-config rule of checks_pod_fields
    at = f"{path}.dnsConfig"
    if spec.get("dnsPolicy") == "None" and not config.get("nameservers"):
        yield Violation(
            f"{at}.nameservers",
            None,
            "Required value: must provide at least one DNS nameserver when `dnsPolicy` is None",
            "dns-config",
        )
    searches = config.get("searches")
    for index, search in enumerate(searches if isinstance(searches, list) else []):
        if isinstance(search, str) and not _SEARCH.fullmatch(search.removesuffix(".")):
            yield Violation(f"{at}.searches[{index}]", search, _SEARCH_MESSAGE, "dns-config")
    options = config.get("options")
    for index, option in enumerate(options if isinstance(options, list) else []):
        if isinstance(option, Mapping) and not option.get("name"):
            yield Violation(
                f"{at}.options[{index}]", None, "Required value: must not be empty", "dns-config"
            )
