"""What `podgen lsp` must publish for a file: `podgen validate`'s findings, placed in LSP terms.

The peer is the same console script run as a subprocess, `podgen validate --skip-other-yaml
--format json FILE` (or `-`, with the text on stdin, for a buffer not saved to disk). Its
`line:column` (YAML's lines, from 1, counted after the byte order mark it drops; columns in
characters) is turned here into LSP's (line, character): lines ended only by `\\n`, `\\r\\n` or
`\\r`, characters in UTF-16 code units, the BOM one unit of line 0 when the editor's text keeps
it. This is done from the text alone, not with podgen's own `_lsp.text`.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from tests.lsp_client import PODGEN

#: validate's severities as LSP's DiagnosticSeverity.
SEVERITY = {"error": 1, "warning": 2}
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_LSP_BREAK = re.compile("\r\n|\r|\n")
_BOM = "\ufeff"

#: One diagnostic, as compared: start line, start character, severity, code, message.
Seen = tuple[int, int, int, str, str]


def validate(
    target: Path | None, cwd: Path, crds: Iterable[Path] = (), stdin: bytes | None = None
) -> list[dict[str, Any]]:
    """validate's JSON findings for `target` (None: `-`, reading `stdin`)."""
    args = [str(PODGEN), "validate", "--skip-other-yaml", "--format", "json"]
    for crd in crds:
        args += ["--crd", str(crd)]
    args.append("-" if target is None else str(target))
    run = subprocess.run(
        args, cwd=cwd, input=stdin or b"", capture_output=True, check=False, timeout=120
    )
    # 2: input that cannot be read (a binary file), a finding all the same
    assert run.returncode in (0, 1, 2), run.stderr.decode(errors="replace")
    findings: list[dict[str, Any]] = json.loads(run.stdout)["findings"]
    return findings


def utf16(text: str) -> int:
    """How many UTF-16 code units `text` is (a lone surrogate is one)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class Lines:
    """A text's line starts, as YAML (after a BOM) and as LSP count lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.bom = 1 if text.startswith(_BOM) else 0
        body = text[self.bom :]
        self.yaml = [0, *(m.end() for m in _YAML_BREAK.finditer(body))]
        self.lsp = [0, *(m.end() for m in _LSP_BREAK.finditer(text))]

    def offset(self, line: int, column: int) -> int:
        """The index in the text (as the editor has it) of validate's `line:column`."""
        body, starts = self.text[self.bom :], self.yaml
        assert 1 <= line <= len(starts), (line, column)
        start = starts[line - 1]
        end = len(body) if line == len(starts) else starts[line]
        rest = _YAML_BREAK.split(body[start:end], maxsplit=1)[0]
        assert 1 <= column <= len(rest) + 1, f"{line}:{column} is past its line {rest!r}"
        return self.bom + start + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        """LSP's (line, UTF-16 character) of an index in the text."""
        line = bisect.bisect_right(self.lsp, offset) - 1
        return line, utf16(self.text[self.lsp[line] : offset])


def expected(
    text: str, path: Path | None, findings: Sequence[dict[str, Any]], cwd: Path
) -> list[Seen]:
    """The diagnostics of the document at `path` (None: on stdin) holding `text`.

    validate names a file as it was given or, for a project's, relative to `cwd`. A finding
    in another file (a blueprint an environment of this podgen.yaml names) is at line 0, its
    message led by where it is; a CRD file's own findings are said there alone.
    """
    lines = Lines(text)
    seen = []
    for finding in findings:
        severity, rule, message = SEVERITY[finding["severity"]], finding["rule"], finding["message"]
        file = finding["file"]
        mine = file == "<stdin>" if path is None else os.path.abspath(cwd / file) == str(path)
        if mine:
            line, character = lines.position(lines.offset(finding["line"], finding["column"]))
            seen.append((line, character, severity, rule, message))
        elif not rule.startswith("crd-"):
            where = f"{file}:{finding['line']}:{finding['column']}"
            seen.append((0, 0, severity, rule, f"{where}: {message}"))
    return sorted(seen)


def published(diagnostics: Iterable[lsp.Diagnostic]) -> list[Seen]:
    """The server's diagnostics, as compared."""
    seen = []
    for d in diagnostics:
        assert d.severity is not None and isinstance(d.code, str)
        seen.append(
            (d.range.start.line, d.range.start.character, int(d.severity), d.code, d.message)
        )
    return sorted(seen)
