"""Read back the YAML a template rendered: exactly as PyYAML's safe loader reads it, faster.

podgen never trusts a template's text: it parses it back before checking and emitting. The
templates write a narrow kind of YAML (block maps and sequences, plain keys, and values that
`quote` wrote as flow data), and this module reads that kind in a few microseconds, without
importing PyYAML. Anything outside it (comments, other escapes, multi-line scalars, tags,
what a team template may write) is handed to PyYAML's safe loader instead, so the result is
always what `yaml.safe_load` returns. tests/test_rendered_yaml.py holds the two to that.
"""

from __future__ import annotations

import re
from typing import Any


class RenderedYamlError(Exception):
    """The rendered text is not YAML (PyYAML's message)."""


class _Unsupported(Exception):
    """Outside the narrow kind: let PyYAML read it."""


def load_rendered(text: str) -> Any:
    """The data in one rendered YAML document, as `yaml.safe_load` reads it."""
    try:
        return _Reader(text).document()
    except (_Unsupported, IndexError):
        pass
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as error:
        raise RenderedYamlError(str(error)) from None


# A plain key that YAML 1.1 reads as a string (bool and null words are refused below), or a
# double-quoted key without escapes; then `:` and either the end of the line or one space
# and a value.
_KEY = re.compile(r'(?:([A-Za-z][A-Za-z0-9]*)|"([^"\\]*)"):(?: (.*))?\Z')
_ESCAPES = r'["\\]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}'  # what `quote` writes
_DOUBLE_QUOTED = re.compile(rf'"((?:[^"\\]|\\(?:{_ESCAPES}))*)"')
_ESCAPE = re.compile(rf"\\({_ESCAPES})")
_WORD = re.compile(r"-?(?:0|[1-9][0-9]*)(?![0-9A-Za-z])|[A-Za-z][A-Za-z0-9/._-]*")
_ENDS_SCALAR = ("", ",", "]", "}")
#: Plain words YAML 1.1 (as PyYAML resolves it) does not read as strings.
_NOT_STRINGS = frozenset(
    form
    for word in ("yes", "no", "true", "false", "on", "off", "null")
    for form in (word, word.capitalize(), word.upper())
)
_WORDS = {"true": True, "false": False, "null": None}


class _Reader:
    """A block-structure reader over lines of printable ASCII."""

    def __init__(self, text: str) -> None:
        if not (text.isascii() and text.replace("\n", "").isprintable()):
            raise _Unsupported
        self.lines: list[tuple[int, str]] = []
        for line in text.split("\n"):
            content = line.lstrip(" ")
            if content:
                self.lines.append((len(line) - len(content), content))
        self.lines.append(_END)
        self.index = 0

    def document(self) -> Any:
        first = self.lines[0]
        if first is _END or first[0] != 0 or first[1].startswith("- "):
            raise _Unsupported
        data = self.mapping(0)
        if self.lines[self.index] is not _END:
            raise _Unsupported
        return data

    def node(self, indent: int) -> Any:
        content = self.lines[self.index][1]
        if content.startswith("- "):
            return self.sequence(indent)
        if _KEY.match(content):
            return self.mapping(indent)
        self.index += 1
        value = _flow_line(content)
        if self.lines[self.index][0] >= indent:
            raise _Unsupported  # a multi-line scalar, or text YAML would refuse
        return value

    def mapping(self, indent: int) -> dict[str, Any]:
        # The hottest loop of parse-back: the index lives in a local, the common value forms
        # are read inline, and the end of the text is a sentinel line at indent -1.
        data: dict[str, Any] = {}
        lines = self.lines
        index = self.index
        while True:
            at, content = lines[index]
            if at != indent or content.startswith("- "):
                break
            colon = content.find(":")
            key = content[:colon]
            if colon > 0 and key.isalnum() and key[0].isalpha():  # `key:` or `key: value`
                rest: str | None = content[colon + 1 :]
                if rest:
                    if rest[0] != " ":
                        raise _Unsupported
                    rest = rest[1:]
                else:
                    rest = None
            else:
                match = _KEY.match(content)
                if match is None:
                    raise _Unsupported
                plain, quoted, rest = match.groups()
                key = plain if quoted is None else quoted
            if key in data or key in _NOT_STRINGS:
                raise _Unsupported
            index += 1
            following, next_content = lines[index]
            if rest is not None:
                if following > indent:
                    raise _Unsupported
                data[key] = _flow_line(rest)
            elif following > indent:
                self.index = index
                data[key] = self.node(following)
                index = self.index
            elif following == indent and next_content.startswith("- "):
                self.index = index
                data[key] = self.sequence(indent)  # an indentless sequence, as kubectl writes
                index = self.index
            else:
                data[key] = None
        self.index = index
        return data

    def sequence(self, indent: int) -> list[Any]:
        items: list[Any] = []
        lines = self.lines
        while True:
            at, content = lines[self.index]
            if at != indent or not content.startswith("- "):
                break
            rest = content[2:]
            if rest.startswith(" "):
                raise _Unsupported
            # `- key: value` opens a map two columns in; read the item as if it were there.
            lines[self.index] = (indent + 2, rest)
            items.append(self.node(indent + 2))
        return items


#: The line after the last: an indent no line has.
_END = (-1, "")


def _flow_line(text: str) -> Any:
    # The two values `quote` writes most: a string with nothing to unescape, and a number.
    if len(text) > 1 and text[0] == text[-1] == '"' and '"' not in text[1:-1]:
        if "\\" not in text:
            return text[1:-1]
    elif text.isdigit() and (text[0] != "0" or text == "0"):
        return int(text)
    value, end = _flow(text, 0)
    if end != len(text):
        raise _Unsupported
    return value


def _flow(text: str, start: int) -> tuple[Any, int]:
    """One flow value at `start`, as `quote` writes them: `, ` and `: ` separators."""
    first = text[start]
    if first == '"':
        match = _DOUBLE_QUOTED.match(text, start)
        if match is None:
            raise _Unsupported
        body = match[1]
        if "\\" in body:
            body = _ESCAPE.sub(_unescape, body)
        return body, match.end()
    if first == "{":
        data: dict[str, Any] = {}
        index = start + 1
        if text[index] == "}":
            return data, index + 1
        while True:
            if text[index] != '"':
                raise _Unsupported
            key, index = _flow(text, index)
            if text[index : index + 2] != ": " or key in data:
                raise _Unsupported
            data[key], index = _flow(text, index + 2)
            index = _next(text, index, "}")
            if text[index - 1] == "}":
                return data, index
    if first == "[":
        items: list[Any] = []
        index = start + 1
        if text[index] == "]":
            return items, index + 1
        while True:
            item, index = _flow(text, index)
            items.append(item)
            index = _next(text, index, "]")
            if text[index - 1] == "]":
                return items, index
    match = _WORD.match(text, start)
    if match is None or text[match.end() : match.end() + 1] not in _ENDS_SCALAR:
        raise _Unsupported
    word = match[0]
    if word in _WORDS:
        return _WORDS[word], match.end()
    if word in _NOT_STRINGS:
        raise _Unsupported
    return (int(word) if word[0] in "-0123456789" else word), match.end()


def _next(text: str, index: int, close: str) -> int:
    """Past `, ` (another item follows) or the closing bracket."""
    if text[index] == close:
        return index + 1
    if text[index : index + 2] != ", ":
        raise _Unsupported
    return index + 2


def _unescape(match: re.Match[str]) -> str:
    escape = match[1]
    if len(escape) == 1:
        return escape
    code = int(escape[1:], 16)
    if code > 0x10FFFF:
        raise _Unsupported
    return chr(code)
