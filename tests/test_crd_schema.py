"""The CRD schema engine against a real kube-apiserver, on objects generated from each schema.

tests/crd_schema_crds.py has our own CRDs (group engine.podgen.test) which between them use
every keyword of a structural schema; tests/crd_schema_cases.py makes, from each schema, a valid
custom resource and hundreds one mistake away. The server (a dry-run create with strict field
validation) and `schema_violations` judge each one. They agree when both accept, or both refuse
and podgen's errors are at the server's paths, as many at each: its causes' fields (a composite or
range error has no field, `<nil>`: the path its message names), else the unknown fields of a
strict decoding error (400), or the field of a decoding error (400, the first it meets). Measure it:

    python -m tests.test_crd_schema   # the counts and every disagreement

Every disagreement must be named in KNOWN (with why), and every named one must still disagree.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podgen._checking.crd_schema import schema_violations
from tests.apiserver import ApiServer, Verdict
from tests.crd_schema_cases import _STRING_PROBES, Case, cases, valid
from tests.crd_schema_crds import ALL, Obj

_SCRIPT = (
    "a Unicode script class (\\p{Greek}): Python's re has none and unicodedata names no scripts,"
    " so podgen does not check the pattern (no false error; this miss)"
)
#: Disagreements with the server, by (CRD plural, case name), each with its reason.
KNOWN: dict[tuple[str, str], str] = {
    ("patternzoos", f"spec.script: {what}"): _SCRIPT
    for what in [
        "script 'abc'",
        "pattern newline",
        *(f"pattern {probe[:10]!r}" for probe in _STRING_PROBES),
    ]
}

#: What the engine does not model, beyond the cases above (none is a false error it makes on
#: these cases; each is named so that no one takes it for checked).
UNMODELED = {
    "patterns": "a Unicode script class (\\p{Greek}), flags in mid-pattern, (?U), [[:^alpha:]]"
    " and \\P inside a class are not translated: such a pattern is not checked (no error)",
    "unicode version": "\\pL and the other categories come from Python's unicodedata (14.0 on"
    " Python 3.11), Go's tables are newer: characters added since differ",
    "email": "net/mail.ParseAddress is approximated: nested comments, RFC 2047 words, groups",
    "uri": "net/url.ParseRequestURI is approximated for unusual hosts (IPv6 zones, escapes)",
    "root metadata": "only decoded (unknown fields, the Go types of its fields); nested fields of"
    " ownerReferences and managedFields, timestamps' syntax, and every value rule are the"
    " caller's (podgen's ObjectMeta rules)",
    "anyOf/oneOf": "the failing alternative whose errors join the composite error is the first;"
    " kube-openapi takes the one with the most passing checks (MatchCount), the same for"
    " alternatives of one shape (required lists, types), not always for deeper ones",
    "numbers": "read as kubectl sends YAML (a whole float below 1e21 is an integer); a client"
    " that sends JSON's 1.0 as is makes the server read a float (enum and set comparisons)",
    "generateName": "the generated name ends in a fixed 'bcdfg'; the server draws five random"
    " characters, which a pattern on metadata.name could read differently",
    "messages": "paths and counts agree; the text differs where Violation.error() renders the"
    " value (Too long/Too many get an 'Invalid value' prefix, Go's %v of floats and lists)",
    "uniqueItems": "a v1 CRD may not set it true, so the server cannot be asked; checked anyway",
}

#: The server's steps, in order: it reports the first that has errors (400s), else the rest.
STEPS = (("crd-embedded-type",), ("crd-unknown-field",))


def known(crd: str, name: str) -> str | None:
    """Why a case may disagree: a named single case, or a pair of mistakes with one in it."""
    for part in name.split(" + "):
        if (crd, part) in KNOWN:
            return KNOWN[crd, part]
    return None


class Outcome(NamedTuple):
    """One case judged by both."""

    crd: str
    case: Case
    verdict: Verdict
    podgen: list[Any]  #: the violations

    @property
    def server_paths(self) -> Counter[str]:
        return _server_paths(self.verdict)

    @property
    def podgen_paths(self) -> Counter[str]:
        """The paths of podgen's errors in the step the server stops at, each error counted."""
        for rules in STEPS:
            step = [v for v in self.podgen if v.rule in rules]
            if step:
                return Counter({v.path for v in step})  # the server names each field once
        return Counter(v.path for v in self.podgen)

    @property
    def agrees(self) -> bool:
        if self.verdict.accepted or not self.podgen:
            return self.verdict.accepted == (not self.podgen)
        return self.server_paths == self.podgen_paths

    def explain(self) -> str:
        found = "; ".join(f"{v.path}: {v.reason} [{v.rule}]" for v in self.podgen) or "accepted"
        said = self.verdict.message or "accepted"
        return f"{self.crd} {self.case.name!r}\n  server: {said}\n  podgen: {found}"


def _server_paths(verdict: Verdict) -> Counter[str]:
    """The fields the server names, each error counted: causes, strict decoding errors."""
    if verdict.accepted:
        return Counter()
    unknown = re.findall(r'unknown field "([^"]*)"', verdict.message)
    if unknown:
        return Counter(set(unknown))
    if verdict.status == 400:
        if re.search(r"cannot be handled as a \w+: json: ", verdict.message):
            return Counter(["metadata"])  # the root's ObjectMeta does not decode: no field named
        decoding = re.search(r"cannot be handled as a \w+: ([^: ]+): ", verdict.message)
        return Counter([decoding[1] if decoding else "<400>"])
    paths: Counter[str] = Counter()
    for cause in verdict.causes:
        field = cause.get("field") or "<nil>"
        if field == "<nil>":
            message = cause.get("message", "")
            named = re.search(r'"([^"]+)" must (?:validate|not)', message) or re.search(
                r" in (\S+)$", message
            )
            field = named[1] if named else "<nil>"
        paths[field] += 1
    return paths or Counter([f"<{verdict.status}>"])


def as_kubectl_sends(value: Any) -> Any:
    """The object as kubectl sends a YAML file's (sigs.k8s.io/yaml, then Go's JSON).

    Go's JSON writes a whole float below 1e21 with no decimal point: `1.0` is sent as `1`,
    which the server reads as an integer.
    """
    if isinstance(value, dict):
        return {k: as_kubectl_sends(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_kubectl_sends(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


def judge(server: ApiServer) -> list[Outcome]:
    """Every case of every CRD, judged by the server and by podgen."""
    found = []
    with server.installed(ALL):
        for crd in ALL:
            version = crd["spec"]["versions"][0]
            schema = version["schema"]["openAPIV3Schema"]
            status = "status" in (version.get("subresources") or {})
            plural = crd["spec"]["names"]["plural"]
            for case in cases(crd):
                violations, _ = schema_violations(case.obj, schema, status_subresource=status)
                verdict = server.verdict(as_kubectl_sends(case.obj))
                found.append(Outcome(plural, case, verdict, violations))
    return found


@pytest.fixture(scope="module")
def outcomes(api_server: ApiServer) -> list[Outcome]:
    return judge(api_server)


def test_each_crd_s_valid_object_is_valid_to_both(outcomes: list[Outcome]) -> None:
    bases = [o for o in outcomes if o.case.name == "valid"]
    assert len(bases) == len(ALL)
    assert all(o.verdict.accepted and not o.podgen for o in bases), [o.explain() for o in bases]


def test_podgen_agrees_with_the_server_on_every_case(outcomes: list[Outcome]) -> None:
    new = [o for o in outcomes if not o.agrees and not known(o.crd, o.case.name)]
    report = "\n".join(o.explain() for o in new[:8])
    assert not new, f"{len(new)} of {len(outcomes)} cases disagree:\n{report}"


def test_every_known_difference_still_differs(outcomes: list[Outcome]) -> None:
    differ = {(o.crd, o.case.name) for o in outcomes if not o.agrees}
    stale = sorted(set(KNOWN) - differ)
    assert not stale, ("these agree now; delete them from KNOWN:", stale)


def test_the_cases_cover_every_rule_and_both_verdicts(outcomes: list[Outcome]) -> None:
    """The generator makes mistakes of every kind, and the server refuses and accepts many."""
    rules = {v.rule for o in outcomes for v in o.podgen}
    expected = {
        "crd-type",
        "crd-format",
        "crd-required",
        "crd-enum",
        "crd-pattern",
        "crd-range",
        "crd-length",
        "crd-items",
        "crd-properties",
        "crd-unknown-field",
        "crd-list-unique",
        "crd-list-map",
        "crd-embedded",
        "crd-embedded-type",
        "crd-multiple-of",
        "crd-one-of",
        "crd-any-of",
        "crd-all-of",
        "crd-not",
        "crd-additional-properties",
    }
    assert expected <= rules, expected - rules
    refused = sum(1 for o in outcomes if not o.verdict.accepted)
    assert refused > 300 and len(outcomes) - refused > 100, (refused, len(outcomes))


def test_two_hundred_resources_validate_well_under_a_second() -> None:
    objects = [(case.obj, crd) for crd in ALL for case in cases(crd)][:200]
    start = time.perf_counter()
    for obj, crd in objects:
        schema_violations(obj, crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"])
    assert time.perf_counter() - start < 0.5


def test_defaults_fill_the_object_the_cel_step_sees() -> None:
    crd = next(c for c in ALL if c["spec"]["names"]["plural"] == "topics")
    obj = valid(crd)
    del obj["spec"]["dlq"]
    violations, seen = schema_violations(
        obj, crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    )
    assert violations == []
    assert seen["spec"]["dlq"] == {"enabled": False, "maxRetries": 3}
    assert "dlq" not in obj["spec"]  # the input is left alone


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


_SPEC_KEYS = sorted(
    {
        key
        for crd in ALL
        for key in crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"][
            "spec"
        ].get("properties", {})
    }
)
_SPEC = _JSON | st.dictionaries(st.sampled_from(_SPEC_KEYS), _JSON, max_size=6)


@settings(max_examples=400, deadline=None)
@given(crd=st.sampled_from(ALL), spec=_SPEC, metadata=_JSON)
def test_any_json_value_is_judged_without_raising(crd: Obj, spec: object, metadata: object) -> None:
    """Whatever a YAML file holds, the engine returns violations (it never raises)."""
    obj = {**valid(crd), "spec": spec, "metadata": metadata}
    violations, _ = schema_violations(obj, crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"])
    assert all(isinstance(v.path, str) and v.reason and v.rule for v in violations)


def main() -> None:
    from tests import apiserver

    found = judge(apiserver.start())
    wrong = [o for o in found if not o.agrees]
    for outcome in wrong:
        reason = known(outcome.crd, outcome.case.name)
        print(outcome.explain() + (f"\n  KNOWN: {reason}" if reason else ""))
    refused = sum(1 for o in found if not o.verdict.accepted)
    print(f"{len(found)} cases ({refused} refused by the server), {len(found) - len(wrong)} agree")


if __name__ == "__main__":
    main()
    sys.exit(0)
