"""Where in a YAML document the cursor is: the keys above it, read from the indentation.

What is being typed is seldom valid YAML, so no parser is asked: block mappings and sequences
are read line by line, the way their indentation nests; a flow collection (`{a: [b]}`) is
scanned on the cursor's line, and one left open holds the lines below it. A document is the
text between `---` lines. A blueprint's `objects:` item is a Kubernetes object of its own.
"""

from __future__ import annotations

import itertools
import re

from podgen._model.objects import API_VERSION
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

#: A line's indentation and list dashes.
_LEAD = re.compile(r"^(?P<indent>[ ]*)(?P<dashes>(?:-(?:[ ]+|$))*)")
#: The colon that ends a plain key: followed by a space or the line's end.
_COLON = re.compile(r":(?:[ \t]|$)")
_DOCUMENT = re.compile(r"^(?:---|\.\.\.)(?:[ \t]|$)")
_BOM = "\ufeff"
#: The longest flow collection line scanned (a hand-written one is far shorter).
_LONG_FLOW = 50_000
_BLOCK_SCALAR = re.compile(r"(?::|^[ ]*-|[ ]-)[ ]+[|>][-+0-9]*[ ]*(?:#.*)?$")


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
    #: the columns (str indexes) of the cursor's line that a completion replaces
    span: tuple[int, int] = (0, 0)
    #: the quote a value completed is in (`key: "Al|"`), or ""
    quoted: str = ""
    #: what a completion's text needs before it (a space after `key:`) and after it (what
    #: was between the value and the cursor, a comma before a flow map's next key)
    lead: str = ""
    tail: str = ""
    #: in a blueprint's `pods:` item: its `kind:` ("" if not written)
    item_kind: str = ""


def shape(text: str) -> Line | None:
    """The shape of a line, or None for a blank line, a comment, or no key at all."""
    stripped = text.rstrip()
    lead = _LEAD.match(stripped)
    assert lead is not None  # noqa: S101 (the pattern matches every string)
    start = lead.end()
    rest = stripped[start:]
    if not rest or rest[0] in "#[]{}|>&*!?%@`,":  # no plain key: flow, anchors, tags, ...
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
    tail = _uncommented_tail(f" {value}") if "#" in value else ""
    if tail:  # `kind: Pod  # the web pod`
        value = value[: len(value) - len(tail)].strip()
    return Line(start, key, True, dash_column, value)


def place(lines: Sequence[str], line: int, character: int) -> Place | None:
    """The place of the cursor at `character` (a str index) of `lines[line]`, or None.

    None inside a block scalar's text or a comment. In a flow collection on one line
    (`spec: {containers: [{name: a}]}`), the keys of its maps are followed too.
    """
    if line >= len(lines):
        return None
    if lines and lines[0].startswith(_BOM):  # the text's first line: the BOM is no column
        lines = [lines[0][1:], *lines[1:]]
        if line == 0:
            shifted = place(lines, 0, max(character - 1, 0))
            return shifted and shifted._replace(span=(shifted.span[0] + 1, shifted.span[1] + 1))
    first, last = _document_bounds(lines, line)
    current = lines[line].rstrip("\r")
    before = current[:character]
    if "#" in before and _uncommented_tail(before):
        return None  # in a comment
    if _in_block_scalar(lines, first, line):
        return None
    shaped = shape(current)
    flow = _flow_start(current)
    inner: tuple[str, ...] = ()
    siblings: dict[str, str] | None = None
    if flow is not None and flow < character:
        if len(current) > _LONG_FLOW:
            return None  # a minified manifest: scanned in Python, it would hold the server
        found = _flow_place(current, flow, character)
        if found is None:
            return None
        inner, key, on_key, typed, siblings, span = found
        key_column = flow
        if shaped is not None and shaped.has_colon:
            key_column, inner = shaped.key_column, (shaped.key, *inner)
    elif shaped is not None and shaped.has_colon:
        colon = current.index(":", shaped.key_column + len(shaped.key))
        key_column, key = shaped.key_column, shaped.key
        if character <= colon:
            on_key = True
            typed = current[key_column:character].lstrip("\"'")
            span = (key_column, min(colon + 2, len(current)))
        else:
            value = current[colon + 1 : character]
            if value.lstrip().startswith(("|", ">", "&", "*", "!")):
                return None
            on_key, typed = False, value.strip().strip("\"'")
            span = _value_span(current, colon + 1, character)
    elif before.strip(" -") == "" and not current[character:].strip():
        # a blank line, or only dashes: a key may be typed here
        key_column, key, on_key, typed = len(before), "", True, ""
        span = (character, character)
    elif shaped is not None:  # a key being typed, no colon yet
        key_column, key, on_key = shaped.key_column, "", True
        typed = current[key_column:character].lstrip("\"'")
        span = (key_column, len(current.rstrip()))
        if typed != typed.rstrip() or " " in typed or character > span[1]:
            return None
    else:
        return None
    parents, item_start = _parents(lines, first, line, key_column)
    top = _top_keys(lines, first, last)
    if siblings is None:
        siblings = _siblings(lines, item_start, last, key_column)
        if on_key and not siblings and _deeper(lines, item_start, line, key_column):
            return None  # between the columns of the maps above: no key can start here
    api_version, kind = top.get("apiVersion", ""), top.get("kind", "")
    parents = (*parents, *inner)
    item_kind = ""
    if api_version == API_VERSION and kind == "Blueprint" and parents[:1] == ("objects",):
        item = _list_item(lines, first, last, line, "objects")
        api_version, kind = item.get("apiVersion", ""), item.get("kind", "")
        parents = parents[1:]
    elif api_version == API_VERSION and kind == "Blueprint" and parents[:1] == ("pods",):
        item_kind = _list_item(lines, first, last, line, "pods").get("kind", "")
    if on_key and character < span[0]:
        return None  # in the indentation before a key
    span, quoted, lead, tail = _settled(current, character, span, on_key, flow)
    return Place(
        parents,
        key,
        on_key,
        typed,
        api_version,
        kind,
        siblings,
        span,
        quoted,
        lead,
        tail,
        item_kind,
    )


def _settled(
    current: str, character: int, span: tuple[int, int], on_key: bool, flow: int | None
) -> tuple[tuple[int, int], str, str, str]:
    """The span a completion replaces, holding the cursor (as LSP asks), and how to write it.

    A value's text between its quotes when the cursor is there; from the cursor if it is
    between the colon and the value; to the cursor if it is after the value (what is between
    is written again). Also what must precede and follow the text.
    """
    if on_key:
        rest = current[span[1] :].lstrip()
        ends = rest[:1] in ("}", "]", ",") or (not rest and not _opens(current[flow or 0 :]))
        between = flow is not None and span[0] == span[1] and not ends
        return span, "", "", ", " if between else ""  # `{a: 1, | b: 2}`, `{|` then a line
    inside = _unquoted(span, current)
    quoted = closing = ""
    if inside != span and inside[0] <= character <= inside[1]:
        closing = current[span[0]] if inside[1] == span[1] else ""  # `"1.3|`: closed for it
        span, quoted = inside, current[span[0]]
    begin, end = min(span[0], character), max(span[1], character)
    kept = closing + current[span[1] : character]  # what follows: spaces, a comma, as they are
    lead = " " if current[:begin].endswith(":") and not quoted else ""
    return (begin, end), quoted, lead, kept


def _deeper(lines: Sequence[str], start: int, line: int, column: int) -> bool:
    """Whether a key deeper than `column` is between lines `start` and `line`."""
    for number in range(start, line):
        shaped = shape(lines[number])
        if shaped is not None and shaped.key_column > column:
            return True
    return False


def _value_span(current: str, start: int, character: int) -> tuple[int, int]:
    """The value after a key's colon (at `start`) up to a comment; the cursor if none."""
    text = current[start:]
    comment = _uncommented_tail(text)
    value = text[: len(text) - len(comment)] if comment else text
    begin = start + len(value) - len(value.lstrip())
    end = start + len(value.rstrip().removesuffix(","))  # in a flow map over lines
    return (begin, end) if begin < end else (character, character)


def _unquoted(span: tuple[int, int], current: str) -> tuple[int, int]:
    """A quoted value's text between its quotes (a completion keeps them)."""
    begin, end = span
    quote = current[begin : begin + 1]
    if quote not in ("'", '"'):
        return span
    closed = end - begin > 1 and current[end - 1] == quote
    return begin + 1, end - 1 if closed else end


def _list_item(lines: Sequence[str], first: int, last: int, line: int, name: str) -> dict[str, str]:
    """The keys of the item of the top-level list `name:` that holds `line` (its kind...)."""
    top = next(
        (n for n in range(line, first - 1, -1) if lines[n].startswith((f"{name}:", f"{name} :"))),
        None,
    )
    if top is None:
        return {}
    dash = next((s for n in range(top + 1, line + 1) if (s := shape(lines[n])) is not None), None)
    if dash is None or dash.dash_column < 0:
        return {}
    start = next(
        n
        for n in range(line, top, -1)
        if (s := shape(lines[n])) is not None and s.dash_column == dash.dash_column
    )
    return _siblings(lines, start, last, dash.key_column)


#: What a flow collection's scan met: the kinds of the collections open at the cursor, each
#: map's key (the last key read in it) and whether its value is being read, and its keys.
class _Frame:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.key = ""
        self.in_value = False
        self.keys: dict[str, str] = {}


_FlowPlace = tuple[tuple[str, ...], str, bool, str, dict[str, str], tuple[int, int]]


def _flow_start(current: str) -> int | None:
    """Where a flow collection starts on the line, as a value (`key: {` or `- [`), or None."""
    lead = _LEAD.match(current)
    assert lead is not None  # noqa: S101 (the pattern matches every string)
    at = lead.end()
    if current[at : at + 1] in ("{", "["):
        return at
    shaped = shape(current)
    if shaped is None or not shaped.has_colon:
        return None
    colon = current.index(":", shaped.key_column + len(shaped.key))
    rest = current[colon + 1 :]
    at = colon + 1 + len(rest) - len(rest.lstrip(" \t"))
    return at if current[at : at + 1] in ("{", "[") else None


def _flow_tokens(text: str, start: int) -> Iterator[tuple[int, int, str]]:
    """The indicators (`{}[],:`) and scalars of a flow collection: start, end and text."""
    at = start
    while at < len(text):
        char = text[at]
        if char in " \t":
            at += 1
        elif char == "#" and text[at - 1] in " \t":
            return
        elif char in "{}[],":
            yield at, at + 1, char
            at += 1
        elif char == ":" and (at + 1 == len(text) or text[at + 1] in " \t,[]{}"):
            yield at, at + 1, ":"
            at += 1
        elif char in "\"'":
            end = at + 1
            while end < len(text) and text[end] != char:
                end += 2 if char == '"' and text[end] == "\\" else 1
            end = min(end + 1, len(text))
            yield at, end, text[at:end]
            if text[end : end + 1] == ":":  # JSON-like: a colon right after a quoted key
                yield end, end + 1, ":"
                end += 1
            at = end
        else:
            match = _PLAIN.match(text, at)
            end = match.end() if match and match.end() > at else at + 1
            yield at, end, text[at:end].rstrip()
            at = end


#: A plain scalar in a flow collection: up to `,[]{}`, a `: `, or ` #`.
_PLAIN = re.compile(r"(?:[^,\[\]{}:#\s]|:(?![\s,\[\]{}]|$)|(?<=\S)#|[ \t]+(?=[^\s#,\[\]{}:]))+")


def _flow_place(current: str, start: int, character: int) -> _FlowPlace | None:
    """The cursor's place in the flow collection that starts at `start` on its line."""
    frames: list[_Frame] = []
    cursor: tuple[int, int, str] | None = None
    tokens = _flow_tokens(current, start)  # read lazily: a JSON manifest is one long line
    later: Iterable[tuple[int, int, str]] = ()
    for token in tokens:
        begin, end, text = token
        scalar = end - begin > 1 or text not in "{}[],:"
        if scalar and begin <= character <= end:
            cursor, later = token, tokens
            break
        if begin >= character:
            later = itertools.chain([token], tokens)
            break
        if not frames and begin > start:
            return None  # after the collection's end
        frame = frames[-1] if frames else None
        if text in ("{", "["):
            frames.append(_Frame(text))
        elif text in ("}", "]"):
            frames.pop() if frames else None
        elif frame is None or frame.kind != "{":
            continue
        elif text == ",":
            frame.key, frame.in_value = "", False
        elif text == ":":
            frame.in_value = True
        elif not frame.in_value:
            frame.key = text.strip("\"'")
            frame.keys.setdefault(frame.key, "")
        else:
            frame.keys[frame.key] = text.strip("\"'")
    if not frames or frames[-1].kind != "{":
        return None
    inner = tuple(f.key for f in frames[:-1] if f.kind == "{")
    frame = frames[-1]
    _later_keys(frame, later, expect_key=cursor is None and not frame.in_value)
    if cursor is None:
        span = (character, character)
        return inner, frame.key if frame.in_value else "", not frame.in_value, "", frame.keys, span
    begin, end, text = cursor
    typed = current[begin:character].lstrip("\"'")
    if frame.in_value:
        return inner, frame.key, False, typed, frame.keys, (begin, end)
    key = text.strip("\"'")
    after = end + 1 if current[end : end + 1] == ":" else end
    after += 1 if after > end and current[after : after + 1] == " " else 0
    keys = {**frame.keys, key: ""}
    return inner, key, True, typed, keys, (begin, after)


def _later_keys(frame: _Frame, tokens: Iterable[tuple[int, int, str]], expect_key: bool) -> None:
    """Add the keys of the cursor's flow map that come after the cursor."""
    depth = 0
    for _, _, text in tokens:
        if text in ("{", "["):
            depth += 1
        elif text in ("}", "]"):
            depth -= 1
            if depth < 0:
                return
        elif depth:
            continue
        elif text in (",", ":"):
            expect_key = text == ","
        elif expect_key:
            frame.keys.setdefault(text.strip("\"'"), "")
            expect_key = False


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
    """Whether `line` is in the text of a `key: |` or `- >` above it (indented deeper).

    Walking up, each less indented line holds the lines below it: the first that is a block
    scalar's header says yes (the text's own lines may be indented unevenly).
    """
    indent = len(lines[line]) - len(lines[line].lstrip(" "))
    for number in range(line - 1, first - 1, -1):
        text = lines[number].rstrip()
        own = len(text) - len(text.lstrip(" "))
        if not text or own >= indent:
            continue
        if _BLOCK_SCALAR.search(text):
            return True
        indent = own
        if own == 0:
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
        if shaped.value and not _opens(shaped.value):
            continue  # `replicas: 3` holds nothing (`containers: [` holds the lines below)
        if start is None:
            start = number + 1
        parents.append(shaped.key)
        column = shaped.key_column
        if column == 0:
            break
    return tuple(reversed(parents)), first if start is None else start


_NO_DASH = Line(0, "", False, -1, "")


def _opens(value: str) -> bool:
    """Whether a value opens a flow collection that the line does not close."""
    if value[:1] not in ("[", "{") or len(value) > _LONG_FLOW:
        return False
    depth = 0
    for _, _, text in _flow_tokens(value, 0):
        depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(text, 0)
    return depth > 0


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
