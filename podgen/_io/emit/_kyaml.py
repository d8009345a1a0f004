"""A KYAML writer that produces what `kubectl ... -o kyaml` produces, byte for byte.

KYAML is the strict, explicit YAML subset kubectl 1.34 and later print (the encoder lives in
sigs.k8s.io/yaml's kyaml package). kubectl marshals the typed object to JSON first, so fields
come in Go struct order (`_gotypes`, as for `-o json`); then every value string is
double-quoted, keys are bare unless YAML could read them as something else, maps are `{ ... }`
with a trailing comma on every entry, lists of maps or lists are "cuddled" (`[{ ... }, { ... }]`)
and lists of scalars take a line per item. Each document starts with `---`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from podgen._io.emit._gotypes import GO_TYPES, MAP, fields_in_order, scalar

_INDENT = "  "
#: A backslash and a line break: YAML's line folding inside a double-quoted string.
_FOLD = "\\\n"
#: Escapes for the characters Go's unicode.IsPrint rejects that have a short form.
_SHORT_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\r": "\\r",
    "\v": "\\v",
    "\x00": "\\0",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def dump_kyaml(document: Mapping[str, object]) -> str:
    """Write one object the way `kubectl -o kyaml` writes it: `---`, the object, a newline."""
    kind = document.get("kind")
    out = ["---\n"]
    _node(document, kind if isinstance(kind, str) and kind in GO_TYPES else MAP, 0, out)
    out.append("\n")
    return "".join(out)


def _node(node: object, go_type: str | None, indent: int, out: list[str]) -> None:
    if isinstance(node, Mapping):
        _mapping(node, go_type, indent, out)
    elif isinstance(node, Sequence) and not isinstance(node, str):
        _sequence(node, go_type, indent, out)
    elif isinstance(node, str):
        out.append(_string(node, indent + 1, compact=False))
    else:
        out.append(scalar(node, "KYAML"))


def _mapping(node: Mapping[str, object], go_type: str | None, indent: int, out: list[str]) -> None:
    if not node:
        out.append("{}")
        return
    out.append("{\n")
    for key, child in fields_in_order(node, go_type):
        out.append(_INDENT * (indent + 1))
        out.append(key if not _needs_quotes(key) else _string(key, indent + 1, compact=True))
        out.append(": ")
        _node(node[key], child, indent + 1, out)
        out.append(",\n")
    out.append(_INDENT * indent + "}")


def _sequence(node: Sequence[object], go_type: str | None, indent: int, out: list[str]) -> None:
    if not node:
        out.append("[]")
        return
    if all(isinstance(item, Mapping | list | tuple) for item in node):
        # Maps and lists sit on the brackets' lines: `[{`, `}, {`, `}]`.
        out.append("[")
        for index, item in enumerate(node):
            if index:
                out.append(", ")
            _node(item, go_type, indent, out)
        out.append("]")
        return
    out.append("[\n" + _INDENT * indent)
    for item in node:
        out.append(_INDENT)
        _node(item, go_type, indent + 1, out)
        out.append(",\n" + _INDENT * indent)
    out.append("]")


def _string(value: str, indent: int, *, compact: bool) -> str:
    """A double-quoted string; one with line breaks folds a line per line unless `compact`."""
    multiline = "\n" in value
    newline = "\\n" if compact else "\\n" + _FOLD
    out = ['"']
    if multiline and not compact:
        out.append(_FOLD)
    for character in value:
        if out[-1].endswith("\n"):
            # A folded line starts at the indent, then a space (kept for alignment, dropped
            # by YAML) or, before leading whitespace that must survive, a backslash.
            out.append(_INDENT * indent)
            out.append("\\" if character.isspace() and character != "\n" else " ")
        out.append(_escaped(character, newline))
    if multiline and not compact:
        if not out[-1].endswith("\n"):
            out.append(_FOLD)
        out.append(_INDENT * indent)
    out.append('"')
    return "".join(out)


def _escaped(character: str, newline: str) -> str:
    if character in '"\\':
        return "\\" + character
    if character == "\n":
        return newline
    if character.isprintable() or character == "\t":  # as kubectl 1.37's encoder: tabs stay
        return character
    short = _SHORT_ESCAPES.get(character)
    if short is not None:
        return short
    code = ord(character)
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if 0xD800 <= code <= 0xDFFF:  # not a valid rune: Go writes the replacement character
        code = 0xFFFD
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


# --- which keys may stay bare: those no YAML reader would take for anything but a string ---

_SEXAGESIMAL = re.compile(r"[+-]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?\Z")
#: What Go's strconv.ParseBool reads.
_GO_BOOLS = frozenset(
    {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}
)
_YAML_WORDS = frozenset({"null", "~", "true", "y", "yes", "on", "false", "n", "no", "off"})
#: The timestamp layouts the encoder tries: a date, a date and time with a zone after T or t,
#: or a date and time without one after a space.
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:"
    r"[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})"
    r"| [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]{1,9})?)?\Z"
)


def _needs_quotes(key: str) -> bool:
    if not key or _yaml_guesses_wrong(key):
        return True
    last = len(key) - 1
    for index, character in enumerate(key):
        if character.isalpha() or character.isnumeric() or character == "_":
            continue
        if 0 < index < last and character in "-./":
            continue
        return True
    return False


def _yaml_guesses_wrong(key: str) -> bool:
    """Whether YAML might read `key` as a null, bool, number or timestamp."""
    if key in _GO_BOOLS or (len(key) <= 5 and key.lower() in _YAML_WORDS):
        return True
    bare = key.replace("_", "")
    if _go_int(bare) or _go_float(bare) or _SEXAGESIMAL.match(key):
        return True
    if len(key) <= 5 and key.lower() in (".inf", "-.inf", "+.inf", ".nan"):
        return True
    return _TIMESTAMP.match(key) is not None


def _go_int(text: str) -> bool:
    """Whether Go's strconv.ParseInt(text, 0, 64) reads `text` (in range)."""
    digits = text[1:] if text[:1] in "+-" else text
    base, body = 10, digits
    if digits[:2].lower() in ("0x", "0o", "0b"):
        base, body = {"x": 16, "o": 8, "b": 2}[digits[1].lower()], digits[2:]
    elif len(digits) > 1 and digits[0] == "0":
        base, body = 8, digits[1:]
    try:
        value = int(body, base) if body and body.isalnum() and body.isascii() else None
    except ValueError:
        return False
    return value is not None and -(2**63) <= (-value if text[:1] == "-" else value) < 2**63


def _go_float(text: str) -> bool:
    """Whether Go's strconv.ParseFloat(text, 64) reads `text` (finite, or inf/nan words)."""
    digits = text[1:] if text[:1] in "+-" else text
    if digits.lower() in ("inf", "infinity", "nan"):
        return True
    if digits[:2].lower() == "0x":
        try:
            float.fromhex(text)
        except ValueError:
            return False
        return "p" in digits.lower()  # Go's hex floats need their exponent
    if not digits or not all(c in "0123456789.eE+-" for c in digits):
        return False
    try:
        return abs(float(text)) != float("inf")
    except ValueError:
        return False
