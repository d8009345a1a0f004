"""--recursive and --max-depth of both outputs against kubectl explain 1.37, byte for byte.

Every kind the server serves, on its own and at each of its top-level fields: the whole tree
(--recursive), and cut at --max-depth 1, 2 and 3, in plaintext and plaintext-openapiv2.
"""

from __future__ import annotations

import pytest

from podgen._errors import ExplainError
from podgen._explaining.openapiv2 import explain_openapiv2
from podgen._explaining.plaintext import check_max_depth, explain_plaintext
from tests.explain_cases import Documents, case, field_paths, mismatches
from tests.explain_peer import ExplainPeer

RENDERERS = {"plaintext": explain_plaintext, "plaintext-openapiv2": explain_openapiv2}


@pytest.fixture(scope="module")
def documents(explain_peer: ExplainPeer) -> Documents:
    return Documents(explain_peer)


@pytest.mark.parametrize("output", list(RENDERERS))
def test_recursive_and_max_depth(
    explain_peer: ExplainPeer, documents: Documents, output: str
) -> None:
    cases = []
    for resource in documents.resources:
        tops = field_paths(documents.schemas(resource.group_version), resource.schema, 1)
        for path in [(), *(top for top in tops if top[0] in ("spec", "status"))]:
            flags = [f"--output={output}", "--recursive"]
            cases.append(case(documents, RENDERERS[output], resource, path, *flags, recursive=True))
            for depth in (1, 2, 3):
                cases.append(
                    case(
                        documents,
                        RENDERERS[output],
                        resource,
                        path,
                        *flags,
                        f"--max-depth={depth}",
                        recursive=True,
                        max_depth=depth,
                    )
                )
    count, failures = mismatches(explain_peer, cases)
    assert count > 400
    assert not failures, f"{len(failures)} of {count} differ:\n" + "\n".join(failures[:5])


@pytest.mark.parametrize(
    ("flags", "recursive", "max_depth"),
    [
        (["--max-depth=1"], False, 1),
        (["--max-depth=-1"], False, -1),
        (["--max-depth=-1", "-R"], True, -1),
        (["--max-depth=0"], False, 0),
        (["--max-depth=0", "-R"], True, 0),
    ],
)
def test_max_depth_checks(
    explain_peer: ExplainPeer, flags: list[str], recursive: bool, max_depth: int
) -> None:
    """check_max_depth refuses what kubectl refuses, with its message, before the resource."""
    for resource in ("pods", "nosuchresource"):
        theirs = explain_peer.explain(resource, *flags)
        try:
            check_max_depth(recursive, max_depth)
        except ExplainError as error:
            assert theirs.returncode == 1
            assert theirs.stderr == f"error: {error}\n"
            assert theirs.stdout == ""
        else:
            assert theirs.returncode == (1 if resource == "nosuchresource" else 0), theirs
