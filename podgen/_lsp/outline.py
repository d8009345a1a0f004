"""Where in a YAML document the cursor is: the keys above it, read from the indentation.

What is being typed is seldom valid YAML, so no parser is asked: block mappings and sequences
are read line by line, the way their indentation nests (flow collections, `{a: b}`, are not
looked into). A document is the text between `---` lines.
"""

from __future__ import annotations

import re

from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

#: A line's indentation and list dashes.
_LEAD = re.compile(r"^(?P<indent>[ ]*)(?P<dashes>(?:-(?:[ ]+|$))*)")
#: The colon that ends a plain key: followed by a space or the line's end.
_COLON = re.compile(r":(?:[ \t]|$)")
_DOCUMENT = re.compile(r"^(?:---|\.\.\.)(?:[ \t]|$)")
_BLOCK_SCALAR = re.compile(r":[ ]*[|>][-+0-9]*[ ]*(?:#.*)?$")


class Line(NamedTuple):
    """One line's shape: where its key starts, the key (unquoted) and whether a colon follows."""

    key_column: int
    key: str
    has_colon: bool
    #: where the first of its list dashes is, or -1
    dash_column: int
    #: what follows the colon, stripped (a value on the key's own line)
    value: str


class Place(NamedTuple):
    """The cursor's place in its document."""

    #: the keys from the document's top to the map the cursor is in (list items skipped)
    parents: tuple[str, ...]
    #: the key under the cursor, or the key whose value the cursor is in; "" if none
    key: str
    #: on (or typing) a key, rather than in a value
    on_key: bool
    #: what is typed before the cursor of the key or value
    typed: str
    #: the document's top-level `apiVersion` and `kind` ("" if not written)
    api_version: str
    kind: str
    #: the keys of the list item or map the cursor is in, and their values on their own line
    siblings: dict[str, str]


def shape(text: str) -> Line | None:
    """The shape of a line, or None for a blank line, a comment, or no key at all."""
    stripped = text.rstrip()
    lead = _LEAD.match(stripped)
    assert lead is not None  # noqa: S101 (the pattern matches every string)
    start = lead.end()
    rest = stripped[start:]
    if not rest or rest[0] in "#[{|>":
        return None
    dash_column = len(lead["indent"]) if lead["dashes"] else -1
    if rest[0] in "\"'":
        close = rest.find(rest[0], 1)
        if close < 0:
            return Line(start, rest[1:], False, dash_column, "")
        key, after = rest[1:close], rest[close + 1 :]
        colon = re.match(r"[ ]*:(?:[ \t]|$)", after)
        if colon is None:
            return Line(start, key, False, dash_column, "")
        value = after[colon.end() :].strip()
    else:
        colon_at = _COLON.search(rest)
        comment = rest.find(" #")
        if colon_at is None or (0 <= comment < colon_at.start()):
            end = comment if comment >= 0 else len(rest)
            return Line(start, rest[:end].strip(), False, dash_column, "")
        key, value = rest[: colon_at.start()].rstrip(), rest[colon_at.end() :].strip()
    if value.startswith("#"):
        value = ""
    return Line(start, key, True, dash_column, value)


def place(lines: Sequence[str], line: int, character: int) -> Place | None:
    """The place of the cursor at `character` (a str index) of `lines[line]`, or None.

    None inside a block scalar's text, a comment, or a flow collection.
    """
    if line >= len(lines):
        return None
    first, last = _document_bounds(lines, line)
    current = lines[line]
    before = current[:character]
    if "#" in before and _uncommented_tail(before):
        return None  # in a comment
    if _in_block_scalar(lines, first, line):
        return None
    shaped = shape(current)
    column = len(before) - len(before.lstrip(" -")) if before.strip(" -") == "" else None
    if shaped is not None and shaped.has_colon:
        colon = current.index(":", shaped.key_column + len(shaped.key))
        if character <= colon:
            key_column, key, on_key = shaped.key_column, shaped.key, True
            typed = current[key_column:character].strip("\"'")
        else:
            value = current[colon + 1 : character]
            if value.lstrip().startswith(("{", "[", "|", ">", "&", "*", "!")):
                return None
            key_column, key, on_key = shaped.key_column, shaped.key, False
            typed = value.strip().strip("\"'")
    elif column is not None:  # a blank line, or only dashes: a key may be typed here
        key_column, key, on_key, typed = len(before), "", True, ""
    elif shaped is not None:  # a key being typed, no colon yet
        key_column, key, on_key = shaped.key_column, "", True
        typed = current[key_column:character].strip("\"'")
        if " " in typed:
            return None
    else:
        return None
    parents, item_start = _parents(lines, first, line, key_column)
    top = _top_keys(lines, first, last)
    siblings = _siblings(lines, item_start, last, key_column)
    return Place(
        parents, key, on_key, typed, top.get("apiVersion", ""), top.get("kind", ""), siblings
    )


def _uncommented_tail(before: str) -> str:
    """The part of the line from an unquoted `#` that starts a comment, or ""."""
    quote = ""
    for index, char in enumerate(before):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or before[index - 1] in " \t"):
            return before[index:]
    return ""


def _document_bounds(lines: Sequence[str], line: int) -> tuple[int, int]:
    first = line
    while first > 0 and not _DOCUMENT.match(lines[first - 1]):
        first -= 1
    last = line
    while last + 1 < len(lines) and not _DOCUMENT.match(lines[last + 1]):
        last += 1
    return first, last


def _in_block_scalar(lines: Sequence[str], first: int, line: int) -> bool:
    """Whether `line` is in the text of a `key: |` above it (indented deeper than the key)."""
    indent = len(lines[line]) - len(lines[line].lstrip(" "))
    for number in range(line - 1, first - 1, -1):
        text = lines[number]
        if not text.strip():
            continue
        shaped = shape(text)
        own = len(text) - len(text.lstrip(" "))
        if shaped is not None and shaped.has_colon and own < indent:
            return bool(_BLOCK_SCALAR.search(text.rstrip()))
        if own < indent and shaped is None:
            return False
    return False


def _parents(
    lines: Sequence[str], first: int, line: int, key_column: int
) -> tuple[tuple[str, ...], int]:
    """The keys that hold a key at `key_column` on `line`, and the line its map starts on.

    Walking up: a deeper key is a sibling's child, one at the same column a sibling (the first
    of a list item starts the item), and the first shallower key without a value on its line
    holds the map; then the same from that key's column, up to the document's top.
    """
    parents: list[str] = []
    column = key_column
    start: int | None = line if (shape(lines[line]) or _NO_DASH).dash_column >= 0 else None
    for number in range(line - 1, first - 1, -1):
        shaped = shape(lines[number])
        if shaped is None or not shaped.has_colon or shaped.key_column > column:
            continue
        if shaped.key_column == column:
            if start is None and not parents and shaped.dash_column >= 0:
                start = number
            continue
        if shaped.value:
            continue  # `replicas: 3` holds nothing: what is below it is mistyped
        if start is None:
            start = number + 1
        parents.append(shaped.key)
        column = shaped.key_column
        if column == 0:
            break
    return tuple(reversed(parents)), first if start is None else start


_NO_DASH = Line(0, "", False, -1, "")


def _top_keys(lines: Sequence[str], first: int, last: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for number in range(first, last + 1):
        shaped = shape(lines[number])
        if shaped is not None and shaped.key_column == 0 and shaped.has_colon:
            found.setdefault(shaped.key, shaped.value.strip("\"'"))
    return found


def _siblings(lines: Sequence[str], start: int, last: int, key_column: int) -> dict[str, str]:
    """The keys at `key_column` of the map or list item that starts on line `start`."""
    found: dict[str, str] = {}
    for number in range(start, last + 1):
        shaped = shape(lines[number])
        if shaped is None:
            continue
        if number > start and (
            shaped.key_column < key_column
            or (shaped.key_column == key_column and 0 <= shaped.dash_column < key_column)
        ):
            break  # the map ends, or the next list item starts
        if shaped.key_column == key_column and shaped.has_colon:
            found.setdefault(shaped.key, shaped.value.strip("\"'"))
    return found
