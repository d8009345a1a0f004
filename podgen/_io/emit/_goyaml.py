"""A YAML writer that produces what `kubectl ... -o yaml` produces, byte for byte.

kubectl's YAML printer marshals the object to JSON, decodes that JSON with the go-yaml v2 fork in
sigs.k8s.io/yaml, and marshals the result with the same library. So the output is go-yaml v2's:
keys in its "natural" order, block style, sequences not indented under their key, width 80, and
its own choice of plain, single-quoted, double-quoted or literal scalars. This module is a port
of the parts of go-yaml v2 (`encode.go`, `emitterc.go`, `sorter.go`) on that path. It is kept
close to the Go structure on purpose: the comments name the Go functions so that a reader can
check the port line by line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from enum import Enum

from podgen._io.emit._goresolve import needs_quotes

_BEST_INDENT = 2
_BEST_WIDTH = 80


class _Style(Enum):
    PLAIN = 1
    SINGLE = 2
    DOUBLE = 3
    LITERAL = 4


# --- character classes (yaml_private.go), per code point instead of per UTF-8 byte ------------


def _is_printable(c: str) -> bool:
    o = ord(c)
    return (
        o == 0x0A
        or 0x20 <= o <= 0x7E
        or 0xA0 <= o <= 0xD7FF
        or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)
    )


def _is_break(c: str) -> bool:
    return c in "\r\n\x85\u2028\u2029"


def _is_blank(c: str) -> bool:
    return c in " \t"


def _is_blankz(c: str) -> bool:
    return c in " \t\r\n\x85\u2028\u2029\x00"


_SIMPLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


@functools.lru_cache(maxsize=8192)
def _analyze(value: str) -> _Analysis:
    """yaml_emitter_analyze_scalar, cached: keys and common values repeat in every document."""
    return _Analysis(value)


class _Analysis:
    """Result of yaml_emitter_analyze_scalar."""

    __slots__ = ("block", "block_plain", "flow_plain", "multiline", "single_quoted")

    def __init__(self, value: str) -> None:
        if _SIMPLE.fullmatch(value):
            # Letters, digits and `._/-`, starting with a letter or digit: no indicator, space,
            # break or special character, so every style may write it (names, images, ...).
            self.multiline = False
            self.flow_plain = self.block_plain = self.single_quoted = self.block = True
            return
        if not value:
            self.multiline = False
            self.flow_plain = False
            self.block_plain = True
            self.single_quoted = True
            self.block = False
            return
        block_indicators = flow_indicators = line_breaks = special = False
        leading_space = leading_break = trailing_space = trailing_break = False
        break_space = space_break = previous_space = previous_break = False
        if value.startswith(("---", "...")):
            block_indicators = flow_indicators = True
        preceded_by_whitespace = True
        last = len(value) - 1
        for i, c in enumerate(value):
            followed_by_whitespace = i == last or _is_blank(value[i + 1])
            if i == 0:
                if c in "#,[]{}&*!|>'\"%@`":
                    flow_indicators = block_indicators = True
                elif c in "?:":
                    flow_indicators = True
                    if followed_by_whitespace:
                        block_indicators = True
                elif c == "-" and followed_by_whitespace:
                    flow_indicators = block_indicators = True
            else:
                if c in ",?[]{}":
                    flow_indicators = True
                elif c == ":":
                    flow_indicators = True
                    if followed_by_whitespace:
                        block_indicators = True
                elif c == "#" and preceded_by_whitespace:
                    flow_indicators = block_indicators = True
            if not _is_printable(c):
                special = True
            if c == " ":
                if i == 0:
                    leading_space = True
                if i == last:
                    trailing_space = True
                if previous_break:
                    break_space = True
                previous_space, previous_break = True, False
            elif _is_break(c):
                line_breaks = True
                if i == 0:
                    leading_break = True
                if i == last:
                    trailing_break = True
                if previous_space:
                    space_break = True
                previous_space, previous_break = False, True
            else:
                previous_space = previous_break = False
            preceded_by_whitespace = _is_blankz(c)

        self.multiline = line_breaks
        self.flow_plain = self.block_plain = self.single_quoted = self.block = True
        if leading_space or leading_break or trailing_space or trailing_break:
            self.flow_plain = self.block_plain = False
        if trailing_space:
            self.block = False
        if break_space:
            self.flow_plain = self.block_plain = self.single_quoted = False
        if space_break or special:
            self.flow_plain = self.block_plain = self.single_quoted = self.block = False
        if line_breaks:
            self.flow_plain = self.block_plain = False
        if flow_indicators:
            self.flow_plain = False
        if block_indicators:
            self.block_plain = False


def _choose_style(
    value: str, style: _Style, analysis: _Analysis, *, flow: bool, simple_key: bool
) -> _Style:
    """yaml_emitter_select_scalar_style: the style a scalar is written in, in its context."""
    if simple_key and analysis.multiline:
        style = _Style.DOUBLE
    if style is _Style.PLAIN:
        if (flow and not analysis.flow_plain) or (not flow and not analysis.block_plain):
            style = _Style.SINGLE
        if not value and (flow or simple_key):
            style = _Style.SINGLE
    if style is _Style.SINGLE and not analysis.single_quoted:
        style = _Style.DOUBLE
    if style is _Style.LITERAL and (not analysis.block or flow or simple_key):
        style = _Style.DOUBLE
    return style


# --- sorter.go: keyList.Less for string keys --------------------------------------------------


def _natural_key_less(a: str, b: str) -> bool:
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            continue
        al, bl = ca.isalpha(), cb.isalpha()
        if al and bl:
            return ca < cb
        if al or bl:
            return bl
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and a[j].isdecimal():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdecimal():
            an = an * 10 + (ord(a[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdecimal():
            bn = bn * 10 + (ord(b[bi]) - 48)
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


class _NaturalKey:
    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __lt__(self, other: _NaturalKey) -> bool:
        return _natural_key_less(self.key, other.key)


def sorted_keys(mapping: Mapping[str, object]) -> list[str]:
    """Keys in the order go-yaml v2 writes them (numbers inside keys compare as numbers)."""
    return sorted(mapping, key=_NaturalKey)


# --- encode.go and emitterc.go --------------------------------------------------------------


class _Emitter:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.column = 0
        self.indent = -1
        self.indents: list[int] = []
        self.whitespace = True
        self.indention = True
        self.flow_level = 0
        self.mapping_context = False
        self.simple_key_context = False

    # low-level writers
    def put(self, c: str) -> None:
        self.out.append(c)
        self.column += 1

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0
        self.indention = True

    def write(self, c: str) -> None:
        self.out.append(c)
        self.column += 1

    def write_break(self, c: str) -> None:
        if c == "\n":
            self.put_break()
        else:
            self.write(c)
            self.column = 0
            self.indention = True

    def increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = _BEST_INDENT if flow else 0
        elif not indentless:
            self.indent += _BEST_INDENT

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if (
            not self.indention
            or self.column > indent
            or (self.column == indent and not self.whitespace)
        ):
            self.put_break()
        while self.column < indent:
            self.put(" ")
        self.whitespace = True
        self.indention = True

    def write_indicator(
        self, indicator: str, need_whitespace: bool, is_whitespace: bool, is_indention: bool
    ) -> None:
        if need_whitespace and not self.whitespace:
            self.put(" ")
        for c in indicator:
            self.write(c)
        self.whitespace = is_whitespace
        self.indention = self.indention and is_indention

    # nodes
    def emit_node(self, node: object, *, mapping: bool, simple_key: bool) -> None:
        self.mapping_context = mapping
        self.simple_key_context = simple_key
        if isinstance(node, Mapping):
            if self.flow_level > 0 or not node:
                self.emit_flow_empty("{", "}")
            else:
                self.emit_block_mapping(node)
        elif isinstance(node, Sequence) and not isinstance(node, str):
            if self.flow_level > 0 or not node:
                self.emit_flow_empty("[", "]")
            else:
                self.emit_block_sequence(node)
        else:
            self.emit_scalar(*_scalar_event(node))

    def emit_flow_empty(self, start: str, end: str) -> None:
        # Only empty collections are written in flow style: `{}` and `[]`.
        self.write_indicator(start, True, True, False)
        self.increase_indent(True, False)
        self.indent = self.indents.pop()
        self.write_indicator(end, False, False, False)

    def emit_block_sequence(self, items: Sequence[object]) -> None:
        self.increase_indent(False, self.mapping_context and not self.indention)
        for item in items:
            self.write_indent()
            self.write_indicator("-", True, False, True)
            self.emit_node(item, mapping=False, simple_key=False)
        self.indent = self.indents.pop()

    def emit_block_mapping(self, mapping: Mapping[str, object]) -> None:
        self.increase_indent(False, False)
        for key in sorted_keys(mapping):
            self.write_indent()
            key_value, _ = _scalar_event(key)
            analysis = _analyze(key_value)
            simple = not analysis.multiline and len(key_value.encode("utf-8")) <= 128
            if simple:
                self.emit_node(key, mapping=True, simple_key=True)
                self.write_indicator(":", False, False, False)
            else:
                self.write_indicator("?", True, False, True)
                self.emit_node(key, mapping=True, simple_key=False)
                self.write_indent()
                self.write_indicator(":", True, False, True)
            self.emit_node(mapping[key], mapping=True, simple_key=False)
        self.indent = self.indents.pop()

    def emit_scalar(self, value: str, requested: _Style) -> None:
        style = self.select_scalar_style(value, requested)
        self.increase_indent(True, False)
        allow_breaks = not self.simple_key_context
        if style is _Style.PLAIN:
            self.write_plain(value, allow_breaks)
        elif style is _Style.SINGLE:
            self.write_single_quoted(value, allow_breaks)
        elif style is _Style.DOUBLE:
            self.write_double_quoted(value, allow_breaks)
        else:
            self.write_literal(value)
        self.indent = self.indents.pop()

    def select_scalar_style(self, value: str, style: _Style) -> _Style:
        return _choose_style(
            value,
            style,
            _analyze(value),
            flow=self.flow_level > 0,
            simple_key=self.simple_key_context,
        )

    def write_plain(self, value: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self.put(" ")
        if " " not in value or not allow_breaks or self.column + len(value) <= _BEST_WIDTH:
            # No space can fall past column 80, so no fold: the loop below would write the
            # characters one by one to the same effect. (Plain scalars never hold breaks.)
            self.out.append(value)
            self.column += len(value)
            self.whitespace = False
            self.indention = False
            return
        spaces = breaks = False
        n = len(value)
        for i, c in enumerate(value):
            if c == " ":
                next_is_space = i + 1 < n and value[i + 1] == " "
                if allow_breaks and not spaces and self.column > _BEST_WIDTH and not next_is_space:
                    self.write_indent()
                else:
                    self.write(c)
                spaces = True
            elif _is_break(c):
                if not breaks and c == "\n":
                    self.put_break()
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.write(c)
                self.indention = False
                spaces = breaks = False
        self.whitespace = False
        self.indention = False

    def write_single_quoted(self, value: str, allow_breaks: bool) -> None:
        self.write_indicator("'", True, False, False)
        spaces = breaks = False
        n = len(value)
        for i, c in enumerate(value):
            if c == " ":
                if (
                    allow_breaks
                    and not spaces
                    and self.column > _BEST_WIDTH
                    and 0 < i < n - 1
                    and value[i + 1] != " "
                ):
                    self.write_indent()
                else:
                    self.write(c)
                spaces = True
            elif _is_break(c):
                if not breaks and c == "\n":
                    self.put_break()
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                if c == "'":
                    self.put("'")
                self.write(c)
                self.indention = False
                spaces = breaks = False
        self.write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def write_double_quoted(self, value: str, allow_breaks: bool) -> None:
        spaces = False
        self.write_indicator('"', True, False, False)
        n = len(value)
        for i, c in enumerate(value):
            if not _is_printable(c) or c == "\ufeff" or _is_break(c) or c in '"\\':
                self.put("\\")
                for ch in _double_quoted_escape(c):
                    self.put(ch)
                spaces = False
            elif c == " ":
                if allow_breaks and not spaces and self.column > _BEST_WIDTH and 0 < i < n - 1:
                    self.write_indent()
                    if value[i + 1] == " ":
                        self.put("\\")
                else:
                    self.write(c)
                spaces = True
            else:
                self.write(c)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_literal(self, value: str) -> None:
        self.write_indicator("|", True, False, False)
        self.write_block_scalar_hints(value)
        self.put_break()
        self.indention = True
        self.whitespace = True
        breaks = True
        for c in value:
            if _is_break(c):
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.write(c)
                self.indention = False
                breaks = False

    def write_block_scalar_hints(self, value: str) -> None:
        if value[:1] == " " or _is_break(value[:1] or "x"):
            self.write_indicator(str(_BEST_INDENT), False, False, False)
        chomp = ""
        if not _is_break(value[-1]):
            chomp = "-"
        elif len(value) == 1 or _is_break(value[-2]):
            chomp = "+"
        if chomp:
            self.write_indicator(chomp, False, False, False)


_NAMED_ESCAPES = {
    "\x00": "0",
    "\x07": "a",
    "\x08": "b",
    "\t": "t",
    "\n": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\r": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\xa0": "_",
    "\u2028": "L",
    "\u2029": "P",
}


def _double_quoted_escape(c: str) -> str:
    named = _NAMED_ESCAPES.get(c)
    if named is not None:
        return named
    o = ord(c)
    if o <= 0xFF:
        return f"x{o:02X}"
    if o <= 0xFFFF:
        return f"u{o:04X}"
    return f"U{o:08X}"


def _scalar_event(value: object) -> tuple[str, _Style]:
    """encode.go: the text and requested style for a scalar value."""
    if isinstance(value, str):
        if "\n" in value:
            return value, _Style.LITERAL
        return value, (_Style.DOUBLE if needs_quotes(value) else _Style.PLAIN)
    if value is None:
        return "null", _Style.PLAIN
    if isinstance(value, bool):
        return ("true" if value else "false"), _Style.PLAIN
    if isinstance(value, int):
        return str(value), _Style.PLAIN
    if isinstance(value, float):
        return _go_format_float(value), _Style.PLAIN
    raise TypeError(f"cannot emit {type(value).__name__} as YAML")


def _go_format_float(value: float) -> str:
    """strconv.FormatFloat(v, 'g', -1, 64) with go-yaml's names for the special values."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    if value == 0:
        return "-0" if str(value).startswith("-") else "0"
    from decimal import Decimal  # only floats need it, and podgen's own objects have none

    sign = "-" if value < 0 else ""
    exact = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, exact.digits)).rstrip("0")
    point = len(exact.digits) + int(exact.exponent)  # digits before the decimal point
    exp = point - 1
    if exp < -4 or exp >= 6:  # shortest formatting decides with precision 6
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    whole, frac = digits[:point].ljust(point, "0"), digits[point:]
    return f"{sign}{whole}{'.' + frac if frac else ''}"


def dump_yaml(document: object) -> str:
    """Write one document the way `kubectl -o yaml` writes one object."""
    direct = write_direct(document)
    return direct if direct is not None else emit(document)


def emit(document: object) -> str:
    """Write one document through the port of go-yaml's emitter."""
    emitter = _Emitter()
    emitter.emit_node(document, mapping=False, simple_key=False)
    emitter.write_indent()  # yaml_emitter_emit_document_end
    return "".join(emitter.out)


def write_direct(document: object) -> str | None:
    """What `emit` writes, for the common case (see below); None when it is not one."""
    if type(document) is not dict or not document:
        return None
    lines: list[str] = []
    try:
        _direct_mapping(lines, document, 0, "")
    except _NeedsEmitter:
        return None
    return "".join(lines)


# --- the common case, written directly -------------------------------------------------------
# Most objects are maps, lists and short scalars that fit on their lines. For those, the
# emitter above writes `key: value` lines whose indents and scalar styles follow from a few of
# its rules, and the functions below write the same lines directly, several times faster. At
# anything else (a scalar that might fold at column 80, a literal block, a complex key, a list
# in a list) they give up, and dump_yaml runs the emitter. tests/test_goyaml_direct.py holds the two
# to the same bytes.


class _NeedsEmitter(Exception):
    """The document needs the emitter's full rules."""


def _direct_mapping(lines: list[str], mapping: dict[str, object], indent: int, first: str) -> None:
    """Lines for a non-empty block map whose keys sit at `indent`; `first` starts line one."""
    pad = " " * indent
    prefix = first or pad
    for key in _sorted_keys(tuple(mapping)):
        written = _direct_key(key)
        if written is None:
            raise _NeedsEmitter
        line = prefix + written + ":"
        prefix = pad
        value = mapping[key]
        kind = type(value)
        if kind is dict:
            if not value:
                lines.append(line + " {}\n")
            else:
                lines.append(line + "\n")
                _direct_mapping(lines, value, indent + _BEST_INDENT, "")  # type: ignore[arg-type]
        elif kind is list:
            if not value:
                lines.append(line + " []\n")
            else:
                lines.append(line + "\n")
                _direct_sequence(lines, value, indent)  # type: ignore[arg-type]
        else:
            lines.append(line + _direct_scalar(value, len(line)) + "\n")


def _direct_sequence(lines: list[str], items: list[object], indent: int) -> None:
    """Lines for a non-empty block list at `indent` (a map's lists are not indented)."""
    prefix = " " * indent + "- "
    for item in items:
        kind = type(item)
        if kind is dict:
            if item:
                _direct_mapping(lines, item, indent + _BEST_INDENT, prefix)  # type: ignore[arg-type]
            else:
                lines.append(prefix + "{}\n")
        elif kind is list:
            raise _NeedsEmitter
        else:
            lines.append(prefix[:-1] + _direct_scalar(item, len(prefix) - 1) + "\n")


@functools.lru_cache(maxsize=1024)
def _sorted_keys(keys: tuple[str, ...]) -> list[str]:
    """sorted_keys, cached: objects rendered from one template have the same keys."""
    return sorted(keys, key=_NaturalKey)


@functools.lru_cache(maxsize=8192)
def _direct_key(key: object) -> str | None:
    """A simple key as the emitter writes it (never folded), or None for a complex key."""
    if type(key) is not str:
        return None
    value, style = _scalar_event(key)
    analysis = _analyze(value)
    if analysis.multiline or len(value.encode("utf-8")) > 128:
        return None  # written with `?`
    style = _choose_style(value, style, analysis, flow=False, simple_key=True)
    if style is _Style.PLAIN:
        return value
    if style is _Style.SINGLE:
        return "'" + value.replace("'", "''") + "'"
    return '"' + _double_quoted_body(value) + '"'


def _direct_scalar(value: object, column: int) -> str:
    """` value` as the emitter writes a block scalar after an indicator ending at `column`."""
    kind = type(value)
    if kind is str:
        form = _scalar_form(value)
    elif kind is int or kind is bool or value is None:
        return " " + _scalar_event(value)[0]  # plain, and never holding a space
    elif kind is float:
        form = _scalar_form(_scalar_event(value)[0], plain=True)
    else:
        raise _NeedsEmitter
    if form is None:
        raise _NeedsEmitter
    text, folds_past = form
    # Scalars fold at a space once past column 80; `folds_past` says how far this one reaches.
    if folds_past is not None and column + folds_past > _BEST_WIDTH:
        raise _NeedsEmitter
    return text


@functools.lru_cache(maxsize=8192)
def _scalar_form(text: str, plain: bool = False) -> tuple[str, int | None] | None:
    """` text` in its block style, and how far past the indicator a fold may happen.

    The reach is None when the text has no space, so it never folds. The whole result is
    None for literal and multi-line scalars, which the emitter writes.
    """
    analysis = _analyze(text)
    requested = _Style.PLAIN if plain else _scalar_event(text)[1]
    style = _choose_style(text, requested, analysis, flow=False, simple_key=False)
    if style is _Style.LITERAL or analysis.multiline:
        return None
    reach = None
    if style is _Style.PLAIN:
        if " " in text:
            reach = 1 + len(text)
        return " " + text, reach
    body = text.replace("'", "''") if style is _Style.SINGLE else _double_quoted_body(text)
    if " " in text:
        reach = 3 + len(body)  # conservative: a space never sits past the closing quote
    quote = "'" if style is _Style.SINGLE else '"'
    return f" {quote}{body}{quote}", reach


def _double_quoted_body(value: str) -> str:
    """What write_double_quoted puts between the quotes when it does not fold."""
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return value
    return "".join(
        "\\" + _double_quoted_escape(c)
        if not _is_printable(c) or c == "\ufeff" or _is_break(c) or c in '"\\'
        else c
        for c in value
    )
