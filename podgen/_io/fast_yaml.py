"""Read common block YAML exactly as PyYAML's safe loader reads it, several times faster.

Two kinds of text are read here:
- what a template rendered (`load_rendered`): podgen never trusts it, and parses it back
  before checking and emitting. Templates write a narrow kind of YAML (block maps and lists,
  plain keys, values that `quote` wrote as flow data), read here without importing PyYAML.
- what people write, blueprints and manifests (`read_written`): the same block structure,
  plus plain scalars (typed by PyYAML's own resolver, which the caller passes in), single
  quotes, comments and a leading `---`.
Anything outside those (anchors, tags, block scalars, multi-line scalars, other escapes, more
than one document, text YAML would refuse) is not read here: the callers hand it to PyYAML,
so every result is what PyYAML gives. tests/test_fast_yaml.py holds the two to that.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class RenderedYamlError(Exception):
    """The rendered text is not YAML (PyYAML's message)."""


class NotFast(Exception):
    """Outside what this module reads: let PyYAML read it."""


def load_rendered(text: str) -> Any:
    """The data in one rendered YAML document, as `yaml.safe_load` reads it."""
    try:
        return _Reader(text, None).document()
    except (NotFast, IndexError):
        pass
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as error:
        raise RenderedYamlError(str(error)) from None


#: Where each key (of a map) and item (of a list) stands: (line, column), both 1-based.
Positions = dict[tuple[str | int, ...], tuple[int, int]]


def read_written(text: str, plain: Callable[[str], Any]) -> list[tuple[Any, Positions | None]]:
    """Each document of a person's YAML file with the positions PyYAML's nodes give, or NotFast.

    Every document but an empty one is a map; an empty one (after a `---`) is None, as PyYAML
    reads it, with positions None (the caller asks PyYAML if it ever needs them). `plain` turns
    a plain scalar's text into its value, as PyYAML's resolver and constructor do (this module
    does not import PyYAML).
    """
    try:
        return _Reader(text, plain).documents()
    except (IndexError, RecursionError):  # deep nesting: PyYAML's path says where
        raise NotFast from None


# A plain key that YAML 1.1 reads as a string (bool and null words are refused below), or a
# double-quoted key without escapes; then `:` and either the end of the line or one space
# and a value.
_KEY = re.compile(r'(?:([A-Za-z][A-Za-z0-9_./-]*)|"([^"\\]*)"):(?: (.*))?\Z')
#: A plain key's characters after its first letter (labels like app.kubernetes.io/name).
_KEY_CHARACTERS = re.compile(r"[A-Za-z0-9_./-]*")
_ESCAPES = r'["\\]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}'  # what `quote` writes
_DOUBLE_QUOTED = re.compile(rf'"((?:[^"\\]|\\(?:{_ESCAPES}))*)"')
_ESCAPE = re.compile(rf"\\({_ESCAPES})")
_WORD = re.compile(r"-?(?:0|[1-9][0-9]*)(?![0-9A-Za-z])|[A-Za-z][A-Za-z0-9/._-]*")
_ENDS_SCALAR = ("", ",", "]", "}")
#: Plain words YAML 1.1 (as PyYAML or go-yaml resolves it) does not read as strings.
_NOT_STRINGS = frozenset(
    form
    for word in ("y", "n", "yes", "no", "true", "false", "on", "off", "null")
    for form in (word, word.capitalize(), word.upper())
)
_WORDS = {"true": True, "false": False, "null": None}


class _Reader:
    """A block-structure reader over lines of printable ASCII."""

    def __init__(self, text: str, plain: Callable[[str], Any] | None) -> None:
        # `plain` None: rendered text, printable ASCII only. Otherwise written text: any
        # printable characters (so no tab, and none of YAML's other line breaks), comment
        # lines and a leading `---`, with `plain` typing plain scalars.
        self.plain = plain
        if not text.replace("\n", "").isprintable() or (plain is None and not text.isascii()):
            raise NotFast
        self.lines: list[tuple[int, str]] = []
        #: Written text only: each line's number in the file, and where keys and items stand.
        self.numbers: list[int] = []
        self.positions: Positions | None = None
        if plain is None:
            for line in text.split("\n"):
                content = line.lstrip(" ")
                if content:
                    self.lines.append((len(line) - len(content), content))
        else:
            for number, line in enumerate(text.split("\n"), 1):
                content = line.lstrip(" ")
                if not content or content[0] == "#":
                    continue
                if content is line and content.startswith(("---", "...")):
                    if content != "---":
                        raise NotFast  # a marker with more on its line, or a document end
                    self.lines.append(_SEPARATOR)
                else:
                    self.lines.append((len(line) - len(content), content))
                self.numbers.append(number)
        self.lines.append(_END)
        self.index = 0

    def documents(self) -> list[tuple[Any, Positions | None]]:
        """Written text: each document and its positions, as PyYAML's compose_all reads them."""
        documents: list[tuple[Any, Positions | None]] = []
        while True:
            line = self.lines[self.index]
            if line is _SEPARATOR:
                # Text before the first `---` is a document only if it holds something; after
                # a `---` there always is one, null if nothing follows.
                self.index += 1
                if self.lines[self.index] in (_SEPARATOR, _END):
                    documents.append((None, None))
                continue
            if line is _END:
                break
            self.positions = {(): (self.numbers[self.index], 1)}
            documents.append((self.document(), self.positions))
        if not documents:
            raise NotFast  # only comments: PyYAML reads no document
        return documents

    def document(self) -> Any:
        """One document: a block map at column 1, up to a `---` or the end."""
        first = self.lines[self.index]
        if first[0] != 0 or first[1].startswith("- "):
            raise NotFast
        data = self.mapping(0, ())
        if self.lines[self.index] not in (_END, _SEPARATOR):
            raise NotFast
        return data

    def node(self, indent: int, path: tuple[str | int, ...]) -> Any:
        content = self.lines[self.index][1]
        if content.startswith("- "):
            return self.sequence(indent, path)
        if _KEY.match(content):
            return self.mapping(indent, path)
        self.index += 1
        value = self.value(content, path, indent)
        if self.lines[self.index][0] >= indent:
            raise NotFast  # a multi-line scalar, or text YAML would refuse
        return value

    def value(self, text: str, path: tuple[str | int, ...], column: int) -> Any:
        """A value on a line (`column` 0-based): as `quote` writes it, or as people do."""
        if self.plain is None:
            return _flow_line(text)
        spot = None
        if self.positions is not None and text[0] in "[{":
            spot = _Spot(self.positions, self.numbers[self.index - 1], column)
        return _written(text, self.plain, path, spot)

    def mapping(self, indent: int, path: tuple[str | int, ...]) -> dict[str, Any]:
        # The hottest loop of parse-back: the index lives in a local, and the end of the
        # text is a sentinel line at indent -1.
        data: dict[str, Any] = {}
        lines = self.lines
        index = self.index
        positions = self.positions
        while True:
            at, content = lines[index]
            if at != indent or content.startswith("- "):
                break
            colon = content.find(":")
            key = content[:colon]
            if colon > 0 and key[0].isalpha() and key.isascii() and _plain_key(key):
                rest: str | None = content[colon + 1 :]
                if rest:
                    if rest[0] != " ":
                        raise NotFast
                    rest = rest[1:]
                else:
                    rest = None
            else:
                match = _KEY.match(content)
                if match is None:
                    raise NotFast
                plain, quoted, rest = match.groups()
                key = plain if quoted is None else quoted
            if self.plain is not None and rest is not None:
                rest = rest.lstrip(" ")  # people may align values, and end lines in comments
                if not rest or rest[0] == "#":
                    rest = None
            if key in data or key in _NOT_STRINGS:
                raise NotFast
            # Rendered text records nothing: its hot loop builds no paths.
            inner = path
            if positions is not None:
                inner = (*path, key)
                positions[inner] = (self.numbers[index], at + 1)
            index += 1
            following, next_content = lines[index]
            if rest is not None:
                if following > indent:
                    raise NotFast
                self.index = index  # the line after the value's, for a flow value's spot
                data[key] = self.value(rest, inner, at + len(content) - len(rest))
            elif following > indent:
                self.index = index
                data[key] = self.node(following, inner)
                index = self.index
            elif following == indent and next_content.startswith("- "):
                self.index = index
                # an indentless sequence, as kubectl writes
                data[key] = self.sequence(indent, inner)
                index = self.index
            else:
                data[key] = None
        self.index = index
        return data

    def sequence(self, indent: int, path: tuple[str | int, ...]) -> list[Any]:
        items: list[Any] = []
        lines = self.lines
        while True:
            at, content = lines[self.index]
            if at != indent or not content.startswith("- "):
                break
            rest = content[2:]
            if rest.startswith(" "):
                raise NotFast
            # `- key: value` opens a map two columns in; read the item as if it were there.
            lines[self.index] = (indent + 2, rest)
            item = path
            if self.positions is not None:
                item = (*path, len(items))
                self.positions[item] = (self.numbers[self.index], indent + 3)
            items.append(self.node(indent + 2, item))
        return items


#: The line after the last: an indent no line has. A `---` line ends every block too.
_END = (-1, "")
_SEPARATOR = (-1, "---")


class _Spot(NamedTuple):
    """Where a flow value on a written line starts, to record where its keys and items stand."""

    positions: Positions
    line: int
    column: int  # 0-based, of the line's value

    def record(self, path: tuple[str | int, ...], offset: int) -> None:
        self.positions[path] = (self.line, self.column + offset + 1)


_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
#: Characters a plain scalar cannot start with (`-`, `?` and `:` can, before a non-space).
_INDICATORS = frozenset(",[]{}#&*!|>'\"%@`")
_TRAILING_COMMENT = re.compile(r" +#.*")


def _written(
    text: str, plain: Callable[[str], Any], path: tuple[str | int, ...], spot: _Spot | None
) -> Any:
    """A value as people write it on a line: quoted, flow data, or a plain scalar."""
    first = text[0]
    if first == '"':
        match = _DOUBLE_QUOTED.match(text)
        if match is None:
            raise NotFast
        value: Any = match[1]
        if "\\" in value:
            value = _ESCAPE.sub(_unescape, value)
            if has_surrogate(value):
                raise NotFast  # PyYAML's path joins or refuses escaped surrogate pairs
        end = match.end()
    elif first == "'":
        match = _SINGLE_QUOTED.match(text)
        if match is None:
            raise NotFast
        value, end = match[1].replace("''", "'"), match.end()
    elif first in "[{":
        value, end = _written_flow(text, 0, plain, path, spot)
    else:
        if first in _INDICATORS or (first in "-?:" and text[1:2] in ("", " ")):
            raise NotFast
        cut = text.find(" #")
        scalar = (text if cut < 0 else text[:cut]).rstrip(" ")
        if ": " in scalar or scalar.endswith(":"):
            raise NotFast  # YAML refuses a map inside a plain scalar
        return plain(scalar)
    if end != len(text) and not _TRAILING_COMMENT.fullmatch(text, end):
        raise NotFast
    return value


_FLOW_PLAIN_END = re.compile(r"[,\]}]")


def _written_flow(
    text: str,
    start: int,
    plain: Callable[[str], Any],
    path: tuple[str | int, ...],
    spot: _Spot | None,
) -> tuple[Any, int]:
    """A flow value as people write it: quotes or plain scalars, any spaces around `,`."""
    first = text[start]
    if first in "[{":
        close = "]" if first == "[" else "}"
        collection: Any = [] if first == "[" else {}
        index = _skip_spaces(text, start + 1)
        if text[index] == close:
            return collection, index + 1
        while True:
            if first == "{":
                key_start = index
                key, index = _written_flow_scalar(text, index, plain, key=True)
                if (
                    text[index : index + 2] != ": "
                    or not isinstance(key, str)
                    or key in collection
                    or key == "<<"  # a merge key
                ):
                    raise NotFast
                inner = (*path, key)
                if spot is not None:
                    spot.record(inner, key_start)
                value_start = _skip_spaces(text, index + 2)
                collection[key], index = _written_flow(text, value_start, plain, inner, spot)
            else:
                inner = (*path, len(collection))
                if spot is not None:
                    spot.record(inner, index)
                item, index = _written_flow(text, index, plain, inner, spot)
                collection.append(item)
            index = _skip_spaces(text, index)
            if text[index] == close:
                return collection, index + 1
            if text[index] != ",":
                raise NotFast
            index = _skip_spaces(text, index + 1)
    return _written_flow_scalar(text, start, plain, key=False)


def _written_flow_scalar(
    text: str, start: int, plain: Callable[[str], Any], *, key: bool
) -> tuple[Any, int]:
    first = text[start]
    if first == '"' or first == "'":
        pattern = _DOUBLE_QUOTED if first == '"' else _SINGLE_QUOTED
        match = pattern.match(text, start)
        if match is None or (first == '"' and "\\" in match[1]):
            raise NotFast
        value = match[1] if first == '"' else match[1].replace("''", "'")
        return value, match.end()
    if (
        first in _INDICATORS
        or first in "?:"
        or (first == "-" and text[start + 1 : start + 2] in " ,]}")
    ):
        raise NotFast  # in flow, a plain scalar may start with `-` only, before a non-space
    if key:
        end = text.find(": ", start)
    else:
        terminator = _FLOW_PLAIN_END.search(text, start)
        end = -1 if terminator is None else terminator.start()
    if end < 0:
        raise NotFast
    scalar = text[start:end].rstrip(" ")
    if not scalar or any(c in scalar for c in "[]{}?#,") or ": " in scalar or scalar.endswith(":"):
        raise NotFast
    return plain(scalar), start + len(scalar)


def has_surrogate(text: str) -> bool:
    """Whether `text` holds a UTF-16 surrogate (an escape in quotes can write one)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")  # the one thing UTF-8 cannot encode is a surrogate
    except UnicodeEncodeError:
        return True
    return False


def _skip_spaces(text: str, index: int) -> int:
    while text[index] == " ":
        index += 1
    return index


def _plain_key(key: str) -> bool:
    """`key` (ASCII, starting with a letter) is a plain key: `key:` or `key: value`."""
    return key.isalnum() or _KEY_CHARACTERS.fullmatch(key, 1) is not None


def _flow_line(text: str) -> Any:
    # The two values `quote` writes most: a string with nothing to unescape, and a number.
    if len(text) > 1 and text[0] == text[-1] == '"' and '"' not in text[1:-1]:
        if "\\" not in text:
            return text[1:-1]
    elif text.isdigit() and (text[0] != "0" or text == "0"):
        return int(text)
    value, end = _flow(text, 0)
    if end != len(text):
        raise NotFast
    return value


def _flow(text: str, start: int) -> tuple[Any, int]:
    """One flow value at `start`, as `quote` writes them: `, ` and `: ` separators."""
    first = text[start]
    if first == '"':
        match = _DOUBLE_QUOTED.match(text, start)
        if match is None:
            raise NotFast
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
                raise NotFast
            key, index = _flow(text, index)
            if text[index : index + 2] != ": " or key in data:
                raise NotFast
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
        raise NotFast
    word = match[0]
    if word in _WORDS:
        return _WORDS[word], match.end()
    if word in _NOT_STRINGS:
        raise NotFast
    return (int(word) if word[0] in "-0123456789" else word), match.end()


def _next(text: str, index: int, close: str) -> int:
    """Past `, ` (another item follows) or the closing bracket."""
    if text[index] == close:
        return index + 1
    if text[index : index + 2] != ", ":
        raise NotFast
    return index + 2


def _unescape(match: re.Match[str]) -> str:
    escape = match[1]
    if len(escape) == 1:
        return escape
    code = int(escape[1:], 16)
    if code > 0x10FFFF:
        raise NotFast
    return chr(code)
