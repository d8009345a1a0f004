"""CRD CEL rules (x-kubernetes-validations): podgen's verdicts against the real API server's.

Every object of tests/crd_cel_cases.py and crd_cel_cases_more.py is sent to the server
(dry-run create) with its CRD installed, and checked by `cel_violations`. For each object, the
server's causes must be exactly podgen's errors plus causes of rules podgen said it does not
check; a rule podgen does not check gives exactly one `crd-cel-unchecked` warning, never an
error. The numbers (rules evaluated, not evaluated, skipped as transition rules; objects and
refusals) are printed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from typing import Any

import pytest
import yaml

from podgen._checking.checks_base import Violation
from podgen._checking.crd_cel import RULE, UNCHECKED, cel_violations, rule_compile_error
from podgen._checking.validate import validate_manifest_text
from podgen._errors import OMIT_VALUE
from tests import crd_cel_cases as cases
from tests import crd_cel_cases_more as more
from tests.apiserver import ApiServer
from tests.crd_cel_mutations import mutations

Obj = dict[str, Any]


def _schema(crd: Obj) -> Obj:
    schema: Obj = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    return schema


def _cause(violation: Violation) -> tuple[str, str]:
    """A violation as the server's cause: (field, message)."""
    text = str(violation.error())
    return violation.path, text[len(violation.path) + 2 :]


def _rules(node: Mapping[str, Any], where: str = "openAPIV3Schema") -> list[tuple[str, Obj]]:
    """Every rule of a schema with its location (`...properties[spec]`, index)."""
    found = [
        (f"{where} #{index}", rule)
        for index, rule in enumerate(node.get("x-kubernetes-validations") or [])
    ]
    for key, child in (node.get("properties") or {}).items():
        found += _rules(child, f"{where}.properties[{key}]")
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), Mapping):
            found += _rules(node[key], f"{where}.{key}")
    return found


def _names_rule(message: str, rule: Obj) -> bool:
    """Whether a server cause comes from this rule (its message, or its text)."""
    text = str(rule.get("message") or "").strip() or str(rule["rule"]).strip()
    return text in message


class _Tally:
    """Verdicts of podgen and the server on objects, and the rules podgen evaluated."""

    def __init__(self) -> None:
        self.objects = self.refused = self.errors = self.agree = 0
        self.evaluated: set[str] = set()
        self.unchecked: set[str] = set()
        self.skipped: set[str] = set()
        self.disagreements: list[str] = []

    def judge(self, server: ApiServer, crd: Obj, obj: Obj) -> None:
        schema = _schema(crd)
        rules = _rules(schema)
        verdict = server.verdict(obj)
        found = list(cel_violations(obj, schema))
        warnings = [v for v in found if v.rule == UNCHECKED]
        errors = {_cause(v) for v in found if v.rule == RULE}
        assert all(v.warning for v in warnings)
        assert not any(v.warning for v in found if v.rule == RULE)
        assert len({v.reason for v in warnings}) == len(warnings), "one warning a rule"
        not_checked = [
            rule
            for _, rule in rules
            if any(repr(str(rule["rule"]).strip()) in v.reason for v in warnings)
        ]
        causes = {(c.get("field", ""), c.get("message", "")) for c in verdict.causes}
        explained = {
            cause for cause in causes if any(_names_rule(cause[1], rule) for rule in not_checked)
        }
        self.objects += 1
        self.refused += not verdict.accepted
        self.errors += len(errors)
        if causes - explained == errors:
            self.agree += 1
        else:
            self.disagreements.append(
                f"{crd['metadata']['name']} {obj['metadata']['name']} {obj['spec']}:\n"
                f"  server only: {sorted(causes - explained - errors)}\n"
                f"  podgen only: {sorted(errors - causes)}"
            )
        for location, rule in rules:
            key = f"{crd['metadata']['name']} {location}"
            if rule in not_checked:
                self.unchecked.add(key)
            elif "oldSelf" in rule["rule"] and not rule.get("optionalOldSelf"):
                self.skipped.add(key)
            else:
                self.evaluated.add(key)

    def report(self, what: str) -> None:
        evaluated = self.evaluated - self.unchecked
        print(
            f"\nCRD CEL rules, {what}: {len(evaluated)} evaluated, {len(self.unchecked)} not "
            f"checked, {len(self.skipped)} transition rules skipped on create as the server "
            f"skips them; {self.objects} objects, {self.refused} refused by the server, "
            f"{self.errors} errors from podgen; agreement {self.agree}/{self.objects}"
        )
        assert not self.disagreements, "\n".join(self.disagreements)


def test_cel_rules_agree_with_the_api_server(api_server: ApiServer) -> None:
    tally = _Tally()
    with api_server.installed([crd for crd, _ in more.CASES]):
        for crd, objects in more.CASES:
            for obj in objects:
                tally.judge(api_server, crd, obj)
    tally.report("written cases")
    assert len(tally.evaluated - tally.unchecked) >= 80 and tally.refused >= 100


def test_generated_mistakes_agree_with_the_api_server(api_server: ApiServer) -> None:
    """Every valid object's mutations (tests/crd_cel_mutations.py), judged the same way."""
    tally = _Tally()
    with api_server.installed([crd for crd, _ in more.CASES]):
        for crd, objects in more.CASES:
            for obj in mutations(objects[0], _schema(crd)):
                tally.judge(api_server, crd, obj)
    tally.report("generated mistakes")
    assert tally.objects >= 300 and tally.refused >= 100


def test_an_unchecked_rule_reads_the_same_for_every_object() -> None:
    schema = _schema(more.QUEUE)
    texts = [
        sorted(str(v.error()) for v in cel_violations(obj, schema) if v.rule == UNCHECKED)
        for obj in more.QUEUES
        if obj["spec"].get("resources", {}).get("memory") == "128Mi"
    ]
    assert texts and all(text == texts[0] for text in texts)
    assert any("openAPIV3Schema.properties[spec].properties[resources]" in t for t in texts[0])
    assert all("is not checked by podgen: " in text for text in texts[0])


def test_a_rule_on_list_items_is_reported_once() -> None:
    schema = _schema(cases.GATEWAY)
    addresses = [{"type": "IPAddress", "value": f"10.0.0.{n}"} for n in range(4)]
    obj = cases.resource("Gateway", "g", {**cases.GATEWAYS[0]["spec"], "addresses": addresses})
    warnings = [v for v in cel_violations(obj, schema) if v.rule == UNCHECKED]
    assert len([v for v in warnings if "isIP" in v.reason]) == 1


def test_an_error_podgen_cannot_word_is_a_warning_for_that_object() -> None:
    schema = _schema(more.PATTERN)
    base = more.PATTERNS[0]["spec"]
    fits = {
        pattern: [
            (v.rule, v.warning)
            for v in cel_violations(
                cases.resource("Pattern", "p", {**base, "pattern": pattern}), schema
            )
        ]
        for pattern in ("^a", "^b", "(")
    }
    assert fits == {"^a": [], "^b": [(RULE, False)], "(": [(UNCHECKED, True)]}


@pytest.mark.parametrize("odd", [2**70, "\ud800"])
def test_a_value_cel_cpp_cannot_take_leaves_its_rules_unchecked(odd: object) -> None:
    base = more.PATTERNS[0]["spec"]
    obj = cases.resource(
        "Pattern", "p", {**base, "text": odd} if isinstance(odd, str) else {**base, "a": odd}
    )
    found = [v for v in cel_violations(obj, _schema(more.PATTERN)) if not v.warning]
    assert found == []


@pytest.mark.parametrize(
    "change",
    [
        {"retry": {"attempts": "x"}},
        {"retry": {"attempts": 2.5}},
        {"retry": {"attempts": 2.0}},
        {"retry": {"attempts": 11.0}},
        {"mode": "Hourly"},
        {"mode": "Daily", "retry": {"attempts": 12}},
        {"mode": True},
    ],
)
def test_a_wrong_type_or_value_stops_the_rules_as_on_the_server(
    api_server: ApiServer, change: Obj
) -> None:
    obj = cases.resource("Schedule", "s", {**more.SCHEDULES[0]["spec"], **change})
    with api_server.installed([more.SCHEDULE]):
        verdict = api_server.verdict(obj)
    ours = {_cause(v) for v in cel_violations(obj, _schema(more.SCHEDULE)) if v.rule == RULE}
    server = {(c.get("field", ""), c.get("message", "")) for c in verdict.causes}
    assert ours <= server
    blocked = {cause for cause in server if "validation rules were not checked" in cause[1]}
    assert blocked == {cause for cause in ours if "were not checked" in cause[1]}


@pytest.mark.parametrize(
    ("source", "fails"),
    [
        ("self.a <= ", True),
        ("self.matches('\\*')", True),
        ("self.a == 'x", True),
        ("self.a <= self.b", False),
        ("quantity(self.a).isLessThan(quantity('1'))", False),
        ("self.all(k, v, v > 0)", False),
    ],
)
def test_rule_compile_error_only_where_the_server_refuses(
    api_server: ApiServer, source: str, fails: bool
) -> None:
    spec = cases.obj({"a": cases.string(), "b": cases.string()}, cases.rule(source))
    if "self.all" in source:
        spec = {
            "type": "object",
            "maxProperties": 4,
            "additionalProperties": cases.integer(),
            "x-kubernetes-validations": [cases.rule(source)],
        }
    crd = cases.crd("Syntax", spec)
    error = rule_compile_error(source, _schema(crd))
    created = api_server.request(
        "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All", crd
    )
    assert (error is not None) == fails
    assert (created[0] >= 300) == fails, created[1].get("message")
    # podgen validate refuses the CRD itself at the rule's line, as the server does.
    findings = validate_manifest_text(yaml.safe_dump(crd), "crd.yaml")
    refused = [f for f in findings if f.severity == "error" and "compilation failed" in f.message]
    assert bool(refused) == fails, findings


def test_omitted_value_shapes_the_messages() -> None:
    assert str(Violation("spec", OMIT_VALUE, "failed rule: x", RULE).error()) == (
        "spec: Invalid value: failed rule: x"
    )
    assert str(Violation("spec", OMIT_VALUE, "Duplicate value", RULE).error()) == (
        "spec: Duplicate value"
    )
    assert (
        str(Violation("spec", OMIT_VALUE, "Forbidden: no", RULE).error()) == "spec: Forbidden: no"
    )


def test_importing_the_checker_does_not_load_the_cel_library() -> None:
    code = (
        "import sys, podgen._checking.crd_cel, podgen._checking.validate\n"
        "assert 'cel_expr_python' not in sys.modules, 'loaded at import'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_the_library_every_rule_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    from podgen._checking import crd_cel, crd_cel_lib

    monkeypatch.setattr(crd_cel_lib, "available", lambda: False)
    monkeypatch.setattr(crd_cel, "_plans", {})
    schema = _schema(cases.AUTOSCALER)
    found = list(cel_violations(cases.AUTOSCALERS[1], schema))
    assert found and all(v.rule == UNCHECKED and v.warning for v in found)
    assert all("cel-expr-python is not installed" in v.reason for v in found)
    assert not any("oldSelf.mode" in v.reason for v in found)  # transition rules never run
