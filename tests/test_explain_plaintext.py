"""explain_plaintext against kubectl explain 1.37 and the real API server, byte for byte.

Every kind the server serves, every field path to depth 3 generated from the server's own
OpenAPI v3 documents (a field met again through the same schema, as `metadata.name` is in every
kind, once a document), and unknown fields (kubectl's error, and the header it printed before
it). --recursive and --max-depth are in test_explain_recursive.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from podgen._explaining.plaintext import explain_plaintext
from tests.explain_cases import Documents, Resource, field_paths, mismatches
from tests.explain_peer import ExplainPeer

Case = tuple[Sequence[str], Callable[[], str]]


@pytest.fixture(scope="module")
def documents(explain_peer: ExplainPeer) -> Documents:
    return Documents(explain_peer)


def case(documents: Documents, resource: Resource, path: Sequence[str], *flags: str) -> Case:
    """kubectl's arguments for one resource and path, and our renderer for the same."""
    argument = ".".join((resource.plural, *path))
    args = [argument, f"--api-version={resource.group_version}", *flags]

    def render() -> str:
        return explain_plaintext(
            documents.schemas(resource.group_version),
            resource.schema,
            resource.group,
            resource.version,
            resource.kind,
            path,
        )

    return args, render


def test_every_kind_and_field_path_to_depth_3(
    explain_peer: ExplainPeer, documents: Documents
) -> None:
    cases = []
    seen: dict[str, set[tuple[int, str]]] = {}
    for resource in documents.resources:
        schemas = documents.schemas(resource.group_version)
        once = seen.setdefault(resource.group_version, set())
        for path in [(), *field_paths(schemas, resource.schema, 3, once)]:
            cases.append(case(documents, resource, path))
    count, failures = mismatches(explain_peer, cases)
    assert count > 2000, "the server serves far more field paths than that"
    assert not failures, f"{len(failures)} of {count} differ:\n" + "\n".join(failures[:5])


def test_unknown_fields(explain_peer: ExplainPeer, documents: Documents) -> None:
    cases = []
    for resource in documents.resources:
        paths = field_paths(documents.schemas(resource.group_version), resource.schema, 2)
        first = paths[0][0] if paths else "metadata"
        for path in (
            ("nosuchfield",),
            (first, "nosuchfield", "deeper"),
            ("metadata", "name", "nosuchfield"),
            ("metadata", "labels", "anykey"),
        ):
            cases.append(case(documents, resource, path))
    count, failures = mismatches(explain_peer, cases)
    assert not failures, f"{len(failures)} of {count} differ:\n" + "\n".join(failures[:5])
