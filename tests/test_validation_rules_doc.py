"""docs/validation-rules.md names only rule ids podgen reports, and every error rule podgen
reports is in it: the table of covered upstream rules cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "validation-rules.md").read_text()
#: The checks, and the command that validates blueprints and projects by rendering them.
CHECKERS = [*(ROOT / "podgen" / "_checking").glob("*.py"), *(ROOT / "podgen").rglob("validate*.py")]
SOURCE = "\n".join(p.read_text() for p in sorted(set(CHECKERS)))
#: Rule ids as the checks write them: the last string argument of a Violation or check_*
#: (before `warning=True`, for what the API server only warns about).
RULE_IDS = {
    rule
    for rule in re.findall(
        r'"([a-z][a-z0-9]*(?:-[a-z0-9]+)+)",?\s*(?:warning=True,?\s*)?\)', SOURCE
    )
    if not rule.startswith("x-kubernetes-")  # a CRD schema's keywords, read by crd_node.py
} - {
    "abc-123",  # an example in a message
    "ephemeral-storage",  # a resource name
    "utf-8",  # an encoding
}


def _documented() -> set[str]:
    ids = set(re.findall(r"`([a-z][a-zA-Z0-9]*(?:-[a-z0-9*]+)*)`", DOC))
    return {i for i in ids if "-" in i or i in ("name", "label", "yaml", "ordinals", "replicas")}


def test_the_doc_names_only_rules_podgen_reports() -> None:
    for rule in _documented():
        if rule.endswith("*"):
            assert any(r.startswith(rule[:-1]) for r in RULE_IDS), rule
        else:
            assert f'"{rule}"' in SOURCE, rule


def test_every_rule_podgen_reports_is_in_the_doc() -> None:
    documented = _documented()
    prefixes = tuple(rule[:-1] for rule in documented if rule.endswith("*"))
    missing = {r for r in RULE_IDS if r not in documented and not r.startswith(prefixes)}
    assert not missing, sorted(missing)
