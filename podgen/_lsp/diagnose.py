"""An open document's diagnostics: `podgen validate`'s findings for its text, in LSP's terms.

The text goes through validate's own code path (`_commands.validate.validate_sources`), with
the editor's unsaved texts read in place of the files on disk (`_io.files.unsaved`): the
findings are those `podgen validate --skip-other-yaml --format json FILE` gives once the file
is saved, at the release of its project (`kubernetesVersion:` in the podgen.yaml above it) and
with the workspace's CRDs for its custom resources. A file not on disk (an editor's new,
unsaved buffer) is validated as standard input is. YAML that is no Kubernetes manifest,
blueprint or project (a CI workflow, a compose file) is left alone, as the pre-commit hook
leaves it (`_commands.other_yaml`: Helm charts and the configuration files of Kubernetes'
programs too).
"""

from __future__ import annotations

import io
import os

from podgen._lsp.text import Text
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from podgen._checking.crd_catalog import CrdCatalog
    from podgen._checking.validate import Finding

#: LSP's DiagnosticSeverity of validate's severities.
SEVERITY = {"error": 1, "warning": 2}
_STDIN = "<stdin>"


class Diagnostic(NamedTuple):
    """One finding placed in the document: LSP positions (line, character) of its range."""

    start: tuple[int, int]
    end: tuple[int, int]
    severity: int
    code: str
    message: str
    #: Where the finding is, when that is another file (an environment's blueprint): file,
    #: line and column as validate gives them.
    elsewhere: tuple[str, int, int] | None = None


def findings(
    path: str | None,
    text: str,
    unsaved: Mapping[str, str],
    known_crds: CrdCatalog | None = None,
) -> list[Finding]:
    """Validate's findings for the document at `path` (absolute; None: not on disk).

    `unsaved` holds the editor's texts of the open documents, by absolute path, this one's
    included; `known_crds` the workspace's CRDs, asked after the project's.
    """
    from podgen._commands.project_release import release_of_paths
    from podgen._commands.validate import validate_sources
    from podgen._io.files import unsaved as reading_unsaved

    if path is None or not os.path.isfile(path):
        stdin = io.BytesIO(text.encode("utf-8", "surrogatepass"))
        report = validate_sources(["-"], stdin, skip_other_yaml=True, known_crds=known_crds)
        return report.findings
    with reading_unsaved(unsaved):
        report = validate_sources(
            [path], skip_other_yaml=True, release_of=release_of_paths(), known_crds=known_crds
        )
    return report.findings


def diagnostics(path: str | None, text: Text, found: list[Finding]) -> list[Diagnostic]:
    """The findings as diagnostics of the document: each at its place, UTF-16 (or as agreed).

    A finding in another file (an environment's error that names its blueprint) is put at
    the document's first line, saying where it is.
    """
    placed = []
    for finding in found:
        severity = SEVERITY.get(finding.severity, 1)
        mine = finding.file == _STDIN or (path is not None and _same(finding.file, path))
        if mine:
            offset = text.finding_offset(finding.line, finding.column)
            start, end = text.position(offset), text.position(offset + _token(text, offset))
            placed.append(Diagnostic(start, end, severity, finding.rule, finding.message))
        elif not finding.rule.startswith("crd-"):  # another CRD file's conflict: said there
            where = f"{finding.file}:{finding.line}:{finding.column}"
            message = f"{where}: {finding.message}"
            elsewhere = (finding.file, finding.line, finding.column)
            placed.append(Diagnostic((0, 0), (0, 0), severity, finding.rule, message, elsewhere))
    return placed


def _same(file: str, path: str) -> bool:
    return file == path or os.path.abspath(file) == path


def _token(text: Text, offset: int) -> int:
    """The length of the word a finding points at (a key, a value), so that it is underlined."""
    source = text.source
    end = offset
    while end < len(source) and end - offset < 200 and source[end] not in _TOKEN_END:
        end += 1
    return end - offset


_TOKEN_END = frozenset(" \t\r\n:,{}[]#\x85\u2028\u2029")
