"""explain_openapiv2 (--output plaintext-openapiv2) against kubectl explain 1.37, byte for byte.

Every kind the server serves, every field path to depth 3 generated from the server's own
OpenAPI v3 documents (a field met again through the same schema, as `metadata.name` is in every
kind, once in all: kubectl reads one OpenAPI v2 document for every group), and unknown fields
(kubectl's error names the first field that is not there and prints nothing on stdout; a path
going on below a string explains the string). --recursive and --max-depth are in
test_explain_recursive.py.
"""

from __future__ import annotations

import pytest

from podgen._explaining.openapiv2 import explain_openapiv2
from tests.explain_cases import Documents, case, every_path, mismatches, unknown_paths
from tests.explain_peer import ExplainPeer


@pytest.fixture(scope="module")
def documents(explain_peer: ExplainPeer) -> Documents:
    return Documents(explain_peer)


def test_every_kind_and_field_path_to_depth_3(
    explain_peer: ExplainPeer, documents: Documents
) -> None:
    cases = [
        case(documents, explain_openapiv2, resource, path, "--output=plaintext-openapiv2")
        for resource, path in every_path(documents, 3, one_document=True)
    ]
    count, failures = mismatches(explain_peer, cases)
    assert count > 1500, "the server serves far more field paths than that"
    assert not failures, f"{len(failures)} of {count} differ:\n" + "\n".join(failures[:5])


def test_unknown_fields(explain_peer: ExplainPeer, documents: Documents) -> None:
    cases = [
        case(documents, explain_openapiv2, resource, path, "--output=plaintext-openapiv2")
        for resource in documents.resources
        for path in unknown_paths(documents, resource)
    ]
    count, failures = mismatches(explain_peer, cases)
    assert not failures, f"{len(failures)} of {count} differ:\n" + "\n".join(failures[:5])
