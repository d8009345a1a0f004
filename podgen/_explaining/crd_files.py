"""The CRD files and folders explain is given (`--crd`, a project's `crds:`), read.

Read as validate reads them, and each CRD checked as validate checks it at the release
explained: one the API server would refuse is not served.
"""

from __future__ import annotations

from collections.abc import Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def read_crds(
    paths: Sequence[str], flag: str = "--crd", release: str | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The CRDs in files and folders (`--crd`, a project's `crds:`) and warnings about them.

    Read as validate reads them (podgen/_checking/crd_catalog.py): every .yaml, .yml and
    .json below a folder, Lists too. Two CRDs for one kind: as the server would take them,
    the later of one name replaces the earlier, and of two names the first is kept; each a
    warning `FILE:LINE: ...`. A missing path is a UsageError naming `flag`; so is a file that
    cannot be read or parsed (`FILE:LINE:COLUMN: ...`, as validate says it).
    """
    from podgen._checking.crd_catalog import catalog_of

    catalog = catalog_of(paths, flag, strict=True)
    crds = catalog.crds()
    warnings = [f"{p.source}:{p.line}: {p.message}" for p in catalog.all_problems()]
    found = []
    for crd in crds:
        text = catalog.texts.get(crd.source)
        refused = _refused(text, crd.source, crd.line, crd.obj, release) if release else None
        if refused is None:
            found.append(crd.obj)
        else:
            warnings.append(refused)
    return found, warnings


def _refused(text: str | None, source: str, line: int, obj: Any, release: str) -> str | None:
    """Why the API server of `release` would not install the CRD at source:line, or None.

    validate's own checks of the CRD, at that release: the first error, as a warning. Only
    when CRDs are given: the checks load then.
    """
    from podgen._checking.validate import errors_at_line
    from podgen._model.versions import targeting

    if text is None:
        return None
    with targeting(release):
        found = errors_at_line(text, source, line, obj)
    # An unknown field is strict decoding's error (kubectl apply's); the server drops it.
    errors = [error for error in found if error.rule != "schema-unknown-field"]
    if not errors:
        return None
    first = errors[0]
    return (
        f"{first.file}:{first.line}:{first.column}: the CRD at line {line} is left out, as the "
        f"API server would refuse it: {first.message} [{first.rule}]; "
        f"`podgen validate {source}` shows every error"
    )
