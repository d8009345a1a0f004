"""podgen and the real kube-apiserver, side by side on one object (RBAC, HPA and PDB tests).

`agree` sends one object to both: podgen's `validate` (schema and the API server's rules, errors
only) and the server's dry run. They agree when both accept it, or both refuse it and every
field podgen names is one the server names too, or holds one (a server that cannot decode an
object names no fields: then refusing is enough).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from podgen._checking.validate import validate_manifest_text
from tests.apiserver import ApiServer, Verdict


class Error(NamedTuple):
    """One error podgen reports: its rule id, the field's path and the whole message."""

    rule: str
    path: str
    message: str


def podgen_errors(obj: Mapping[str, Any]) -> list[Error]:
    """What `podgen validate` says is wrong with `obj` (warnings left out)."""
    findings = validate_manifest_text(json.dumps(obj), "object.json")
    return [
        Error(finding.rule, finding.message.partition(": ")[0], finding.message)
        for finding in findings
        if finding.severity == "error"
    ]


def agree(
    server: ApiServer, obj: Mapping[str, Any], aliases: Mapping[str, str] | None = None
) -> tuple[list[Error], Verdict]:
    """Assert podgen and the server agree on `obj`; return both verdicts.

    `aliases`: a path podgen reports on purpose where the server names another field (the
    test says why).
    """
    errors = podgen_errors(obj)
    verdict = server.verdict(obj)
    shown = f"podgen: {[e.message for e in errors]}\nserver: {verdict.status} {verdict.message}"
    assert verdict.accepted == (not errors), shown
    if verdict.causes:
        fields = {cause.get("field") for cause in verdict.causes}
        for error in errors:
            path = (aliases or {}).get(error.path, error.path)
            assert any(_within(str(field), path) for field in fields), shown
    return errors, verdict


def same_reasons(errors: list[Error], verdict: Verdict) -> None:
    """Each error's reason (the text after its value) is the server's, word for word.

    Messages built on a name or label regex are left out: their `(e.g. ...)` part is written
    by podgen's shared name rules, which punctuate the examples differently.
    """
    for error in errors:
        if "regex used for validation" not in error.message:
            reason = error.message.rsplit(": ", 1)[-1]
            assert reason in verdict.message, (error.message, verdict.message)


def _within(field: str, path: str) -> bool:
    """Whether the server's `field` is `path` or lies in it (the schema names a field's parent:
    `rules[0]: missing required field 'verbs'`)."""
    return field == path or field.startswith((f"{path}.", f"{path}["))
