r"""An open document's text, and positions in it counted as LSP and as validate count them.

LSP ends a line at `\n`, `\r\n` or `\r`, and counts a position's character in UTF-16 code
units unless client and server agreed on UTF-8 or UTF-32. validate's findings count lines as
YAML does (which also ends one at U+0085, U+2028 and U+2029) and columns in characters, from 1,
after the byte order mark its reader drops. Python's `str.splitlines` knows still other line
ends (form feed, U+001C...), so neither is used here.
"""

from __future__ import annotations

import bisect
import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"

_LSP_LINE_END = re.compile(r"\r\n|\r|\n")
_YAML_LINE_END = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_BOM = "\ufeff"


class Text:
    """A document's text, its line starts found when first asked for."""

    __slots__ = ("_starts", "_yaml_starts", "encoding", "source")

    def __init__(self, source: str, encoding: str = UTF16) -> None:
        self.source = source
        self.encoding = encoding
        self._starts: list[int] | None = None
        self._yaml_starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        """The offset each line starts at, LSP's lines."""
        if self._starts is None:
            self._starts = _line_starts(self.source, _LSP_LINE_END)
        return self._starts

    def line(self, number: int) -> str:
        """Line `number` (from 0) without its line end; "" past the last."""
        starts = self.starts
        if number >= len(starts):
            return ""
        end = starts[number + 1] if number + 1 < len(starts) else len(self.source)
        return self.source[starts[number] : end].rstrip("\r\n")

    def offset(self, line: int, character: int) -> int:
        """The offset of an LSP position; one past a line's end is its end, as LSP says."""
        starts = self.starts
        if line >= len(starts):
            return len(self.source)
        text = self.line(line)
        return starts[line] + _index(text, max(character, 0), self.encoding)

    def position(self, offset: int) -> tuple[int, int]:
        """The LSP position (line, character) of an offset."""
        offset = min(max(offset, 0), len(self.source))
        line = bisect.bisect_right(self.starts, offset) - 1
        before = self.source[self.starts[line] : offset].rstrip("\r\n")
        return line, units(before, self.encoding)

    def edited(self, start: tuple[int, int], end: tuple[int, int], new: str) -> Text:
        """The text with the range start..end replaced by `new` (an incremental change)."""
        first, last = self.offset(*start), self.offset(*end)
        first, last = min(first, last), max(first, last)
        return Text(self.source[:first] + new + self.source[last:], self.encoding)

    def finding_offset(self, line: int, column: int) -> int:
        """The offset of validate's `line:column` (from 1; YAML's lines, after a BOM)."""
        if self._yaml_starts is None:
            self._yaml_starts = _line_starts(self.source, _YAML_LINE_END)
        starts = self._yaml_starts
        base = 1 if self.source.startswith(_BOM) else 0
        if line - 1 >= len(starts):
            return len(self.source)
        start = starts[max(line - 1, 0)]
        start = max(start, base)
        end = starts[line] if line < len(starts) else len(self.source)
        body = len(_YAML_LINE_END.split(self.source[start:end], maxsplit=1)[0])
        return start + min(max(column - 1, 0), body)


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units `text` is in the encoding positions are counted in."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _index(text: str, wanted: int, encoding: str) -> int:
    """The index in `text` of the character `wanted` code units in (clamped to its end)."""
    if encoding == UTF32 or text.isascii():
        return min(wanted, len(text))
    counted = 0
    for index, char in enumerate(text):
        if counted >= wanted:
            return index
        code = ord(char)
        if encoding == UTF8:
            counted += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        else:
            counted += 2 if code > 0xFFFF else 1
    return len(text)


def _line_starts(source: str, line_end: re.Pattern[str]) -> list[int]:
    return [0, *(match.end() for match in line_end.finditer(source))]
