"""podgen's CRD rules against the real API server, on CRDs one mistake away from valid.

Every mistake of tests/crd_mistakes.py is made on every CRD of tests/crd_cases.py it applies
to; each CRD goes to the server (a dry-run create: nothing is created) and through
`validate_manifest_text`. They must agree on the verdict (refused = any podgen error) and on
the field paths, after the server's internal paths are put where the fields stand in the file
(`SERVER_PATHS`). Measure it:

    python -m tests.test_rules_crd_generated      # the agreement, and every disagreement

A disagreement podgen cannot remove is named in `KNOWN` with its reason; a named case that
agrees now fails the suite (delete its line).
"""

from __future__ import annotations

import copy
import random
import re
import sys
from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest
import yaml

from podgen._checking.checks import violations
from podgen._checking.validate import validate_manifest_text
from tests.apiserver import ApiServer, Verdict
from tests.crd_mistakes import cases

#: The server's internal form -> the file's: a schema, subresources or columns every version
#: has alike are checked once, at the top (podgen names the first version's); v1's
#: webhook.clientConfig and jsonPath are the internal webhookClientConfig and JSONPath.
SERVER_PATHS = [
    (r"^spec\.validation\b", "spec.versions[0].schema"),
    (r"^spec\.subresources\b", "spec.versions[0].subresources"),
    (r"^spec\.additionalPrinterColumns\b", "spec.versions[0].additionalPrinterColumns"),
    (r"^spec\.selectableFields\b", "spec.versions[0].selectableFields"),
    (r"\.JSONPath$", ".jsonPath"),
    # The internal spec.version is the first version's name: its mistake is reported twice.
    (r"^spec\.version$", "spec.versions[0].name"),
    (r"^spec\.conversion\.webhookClientConfig", "spec.conversion.webhook.clientConfig"),
    (
        r"^spec\.conversion\.conversionReviewVersions",
        "spec.conversion.webhook.conversionReviewVersions",
    ),
    # A default's own problems are reported below it (default.a.b); podgen names the default.
    (r"\.default\b.*$", ".default"),
]
#: The server repeats a storage-version mistake at its own status (cleared on create).
SERVER_ONLY = re.compile(r"^status\.storedVersions")

CEL = (
    "a CEL rule that does not compile (an undefined field): compiling x-kubernetes-validations"
    " is not part of the CRD rules ported here"
)
#: (base, mistake) -> why podgen cannot agree.
KNOWN: dict[tuple[str, str], str] = {
    (base, "rule-does-not-compile"): CEL
    for base in ("probe", "certificate", "route", "queue", "broker")
}


def server_paths(verdict: Verdict) -> set[str]:
    found = set()
    for cause in verdict.causes:
        path = str(cause.get("field") or "")
        if SERVER_ONLY.match(path):
            continue
        for pattern, replacement in SERVER_PATHS:
            path = re.sub(pattern, replacement, path)
        found.add(path)
    return found


def podgen_paths(crd: dict[str, Any]) -> set[str]:
    return {re.sub(r"\.default\b.*$", ".default", v.path) for v in violations(crd) if not v.warning}


class Outcome(NamedTuple):
    base: str
    mistake: str
    accepted: bool
    podgen_errors: list[str]
    server: set[str]
    podgen: set[str]
    message: str
    server_warnings: list[str]
    podgen_warnings: list[str]

    @property
    def verdict_agrees(self) -> bool:
        return self.accepted == (not self.podgen_errors)

    @property
    def paths_agree(self) -> bool:
        return self.server == self.podgen

    def explain(self) -> str:
        return (
            f"{self.base} / {self.mistake}: server {'accepts' if self.accepted else 'refuses'}"
            f" ({self.message[:600]})\n  server paths {sorted(self.server)}\n"
            f"  podgen paths {sorted(self.podgen)}\n  podgen errors {self.podgen_errors[:4]}"
        )


def judge(server: ApiServer) -> list[Outcome]:
    found = []
    for base, mistake, crd in cases():
        verdict = server.verdict(crd)
        findings = validate_manifest_text(yaml.safe_dump(crd, sort_keys=False), "crd.yaml")
        errors = [f"{f.message} [{f.rule}]" for f in findings if f.severity == "error"]
        found.append(
            Outcome(
                base,
                mistake,
                verdict.accepted,
                errors,
                server_paths(verdict),
                podgen_paths(crd),
                verdict.message,
                verdict.warnings,
                [f"{f.message} [{f.rule}]" for f in findings if f.rule == "crd-schema-format"],
            )
        )
    return found


def summary(found: list[Outcome]) -> str:
    verdicts, paths = sum(o.verdict_agrees for o in found), sum(o.paths_agree for o in found)
    refused = sum(not o.accepted for o in found)
    return (
        f"{len(found)} CRDs ({refused} refused by the server): verdicts agree on {verdicts}, "
        f"field paths on {paths}"
    )


@pytest.fixture(scope="module")
def outcomes(api_server: ApiServer) -> list[Outcome]:
    return judge(api_server)


def test_the_valid_crds_are_valid(outcomes: list[Outcome]) -> None:
    valid = [o for o in outcomes if o.mistake == "valid"]
    assert len(valid) == 5
    assert all(o.accepted and not o.podgen_errors for o in valid), [o.explain() for o in valid]


def test_podgen_and_the_server_agree_on_every_crd(outcomes: list[Outcome]) -> None:
    wrong = [
        o
        for o in outcomes
        if not (o.verdict_agrees and o.paths_agree) and (o.base, o.mistake) not in KNOWN
    ]
    print(summary(outcomes))
    assert len(outcomes) > 400
    assert not wrong, f"{len(wrong)} disagreements:\n" + "\n".join(o.explain() for o in wrong[:8])


def test_the_server_warns_where_podgen_warns(outcomes: list[Outcome]) -> None:
    """An unrecognized format is an API warning (the server ignores it): a podgen warning."""
    differ = [o for o in outcomes if len(o.server_warnings) != len(o.podgen_warnings)]
    assert not differ, [(o.base, o.mistake, o.server_warnings, o.podgen_warnings) for o in differ]
    assert any(o.server_warnings for o in outcomes)


def test_both_verdicts_occur_and_every_mistake_is_drawn(outcomes: list[Outcome]) -> None:
    refused = sum(not o.accepted for o in outcomes)
    assert 0 < refused < len(outcomes)
    assert {o.mistake for o in outcomes} >= {"valid", "column-type-bad", "conversion-webhook-http"}


def test_every_named_case_still_disagrees(outcomes: list[Outcome]) -> None:
    agree = {(o.base, o.mistake) for o in outcomes if o.verdict_agrees and o.paths_agree}
    stale = sorted(set(KNOWN) & agree)
    assert not stale, f"these agree with the server now; delete them from KNOWN: {stale}"


#: Values of the wrong shape, put anywhere in a CRD: the checks must skip them, never fail.
WRONG_SHAPES: list[Any] = [None, 1, -1, 0.5, True, "", "x", [], [1], {}, {"a": 1}, [{}], [[]]]


def _places(obj: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    children = (
        obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else []
    )
    for key, child in children:
        yield from _places(child, (*path, key))


def test_a_crd_of_any_shape_is_checked_without_failing() -> None:
    """The type errors are the schema layer's; the CRD rules skip what they cannot read."""
    chosen = random.Random(23)  # noqa: S311 - a fixed seed, for the same CRDs on every run
    crds = [crd for _, _, crd in cases()]
    for _ in range(3000):
        crd = copy.deepcopy(chosen.choice(crds))
        for _ in range(chosen.choice([1, 2, 3])):
            *parents, last = chosen.choice(list(_places(crd)))
            here = crd
            for key in parents:
                here = here[key]
            here[last] = copy.deepcopy(chosen.choice(WRONG_SHAPES))
        assert isinstance(list(violations(crd)), list)


def main() -> None:
    from tests import apiserver

    found = judge(apiserver.start())
    print(summary(found))
    for outcome in found:
        if not (outcome.verdict_agrees and outcome.paths_agree):
            kind = "VERDICT" if not outcome.verdict_agrees else "PATHS"
            print(
                kind,
                outcome.explain() if "-v" in sys.argv else f"{outcome.base} / {outcome.mistake}",
            )


if __name__ == "__main__":
    main()
