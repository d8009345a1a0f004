"""Both explain renderers against kubectl's own output, stored: runs offline, without a server.

tests/explain_expected/ is written by tools/explain_expected.py, which runs the real kubectl
explain 1.37 against the shared API server (1.36) and stores its stdout and stderr, and the
server's schemas the cases reach (schemas.json). The differential tests (test_explain_*.py)
cover every kind and field; these few cases keep the renderers honest where there is no server.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from podgen._explaining import store
from podgen._explaining.openapiv2 import explain_openapiv2
from podgen._explaining.plaintext import explain_plaintext
from tests.explain_cases import Documents, Outcome, ours
from tests.explain_peer import ExplainPeer

EXPECTED = Path(__file__).parent / "explain_expected"
CASES: list[dict[str, Any]] = json.loads((EXPECTED / "cases.json").read_text(encoding="utf-8"))
RENDERERS: dict[str, Callable[..., str]] = {
    "plaintext": explain_plaintext,
    "plaintext-openapiv2": explain_openapiv2,
}


def stored_schemas() -> dict[str, dict[str, dict[str, Any]]]:
    """Each group version's schemas, as schemas.json stores them: [name, group versions, schema]."""
    documents: dict[str, dict[str, dict[str, Any]]] = {}
    for name, group_versions, schema in json.loads(
        (EXPECTED / "schemas.json").read_text(encoding="utf-8")
    ):
        for group_version in group_versions:
            documents.setdefault(group_version, {})[name] = schema
    return documents


DOCUMENTS = stored_schemas()


@pytest.mark.parametrize("source", ["schemas.json", "store 1.36"])
@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_stored_kubectl_output(case: dict[str, Any], source: str) -> None:
    """From the server's schemas stored here, and from podgen's own stored 1.36 documents."""
    group, _, version = case["group_version"].rpartition("/")
    if source == "schemas.json":
        schemas = DOCUMENTS[case["group_version"]]
    else:
        schemas = store.schemas("1.36", case["group_version"])
        assert store.kind_schema("1.36", case["group_version"], case["kind"]) == case["schema"]

    def render() -> str:
        return RENDERERS[case["output"]](
            schemas,
            case["schema"],
            group,
            version,
            case["kind"],
            case["fields"],
            recursive=case["recursive"],
            max_depth=case["max_depth"],
        )

    stdout = (EXPECTED / f"{case['name']}.txt").read_text(encoding="utf-8")
    assert ours(render) == Outcome(stdout, case["stderr"])


def test_the_stored_schemas_are_the_servers(explain_peer: ExplainPeer) -> None:
    """Where the server runs, what schemas.json holds is still what it serves."""
    documents = Documents(explain_peer)
    for group_version, schemas in DOCUMENTS.items():
        served = documents.schemas(group_version)
        assert {name: served[name] for name in schemas} == schemas, group_version


def test_every_case_is_stored() -> None:
    """Each case has its output file, and no output file is left from a case removed."""
    names = {case["name"] for case in CASES}
    assert names == {path.stem for path in EXPECTED.glob("*.txt")}
    assert len(names) == len(CASES)
