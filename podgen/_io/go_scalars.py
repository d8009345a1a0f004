"""Type plain YAML scalars exactly as kubectl does (go-yaml v2 through sigs.k8s.io/yaml).

kubectl reads a manifest with go-yaml's YAML 1.1-ish rules, converts it to JSON and decodes
that JSON again (integers as int64, other numbers as float64). Those rules differ from
PyYAML's both ways: `y`, `n`, `1e3` and `0o17` are a bool and numbers to kubectl, while
`12:30:00` (sexagesimal to PyYAML), `=` and dates are strings. This module is the one place
that says what a plain scalar is; it imports nothing, so the fast reader can use it.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: go-yaml's resolve table: a plain scalar starting with any other character is a string.
_HINTS = frozenset("+-0123456789yYnNtTfFoO~.")
_WORDS: dict[str, Any] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE"), True),
    **dict.fromkeys(("on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE"), False),
    **dict.fromkeys(("off", "Off", "OFF"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), float("nan")),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), float("inf")),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), float("-inf")),
}
#: Go's strconv.ParseInt(s, 0, 64) syntax (after go-yaml drops every underscore).
_GO_INT = re.compile(
    r"([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))\Z"
)
_GO_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?\Z")
_INT64 = 2**63


class NotJson(ValueError):
    """A value kubectl cannot turn into JSON (`.inf`, `.nan`): its message is kubectl's."""


def go_plain(text: str) -> Any:
    """What kubectl sends for the plain (unquoted, untagged) scalar `text`."""
    if text[:1] not in _HINTS:
        return text if text else None
    if text in _WORDS:
        value = _WORDS[text]
        if isinstance(value, float):
            raise NotJson(f"json: unsupported value: {_go_float_name(value)}")
        return value
    if text[0] == ".":
        return _json_number(float(text)) if _DOT_FLOAT.match(text) else text
    plain = text.replace("_", "")
    match = _GO_INT.match(plain)
    if match is not None:
        sign, *digits = match.groups()
        for base, part in zip((16, 8, 2, 8, 10), digits, strict=True):
            if part is not None:
                value = _integer(part, base)
                break
        value = -value if sign == "-" else value
        if -_INT64 <= value < _INT64:
            return value
        if not sign and value < 2**64:
            return float(value)  # a uint64: JSON's decoder reads it back as a float64
    if _GO_FLOAT.match(plain):
        number = float(plain)
        if number not in (float("inf"), float("-inf")):
            return _json_number(number)
    return text  # including dates and times, which kubectl keeps as written


def _json_number(number: float) -> Any:
    """A float64 as kubectl's JSON decoder reads it back: an int64 where its text is one.

    Go writes a float64 with its shortest digits (9.2e18 as 9200000000000000000, -2**63 as
    -9223372036854776000), and the decoder reads an integer that fits int64 as one.
    """
    if not number.is_integer() or not -1e21 < number < 1e21:
        return number  # Go writes these with an exponent: they stay floats
    if -(2**53) <= number <= 2**53:
        return int(number)
    from decimal import Decimal

    written = int(Decimal(repr(number)))
    return written if -_INT64 <= written < _INT64 else number


def _go_float_name(value: float) -> str:
    return "NaN" if value != value else ("+Inf" if value > 0 else "-Inf")


def go_key(value: Any) -> str | None:
    """A map key as kubectl writes it in JSON (None: a key kubectl refuses, null)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


#: go-yaml's tags that resolve a scalar; any other tag leaves its text a string.
RESOLVED_TAGS = {
    f"tag:yaml.org,2002:{name}": name
    for name in ("str", "bool", "int", "float", "null", "timestamp")
}


def go_tagged(tag: str, text: str) -> Any:
    """A scalar with an explicit tag (`!!int "12"`), or ValueError with kubectl's message."""
    name = RESOLVED_TAGS.get(tag)
    if name is None or name == "str":
        return text
    value = go_plain(text)
    got = _kind(value, text)
    if got == name or (name == "float" and got == "int"):
        return value
    raise ValueError(f"cannot decode !!{got} `{text}` as a !!{name}")


def _kind(value: Any, text: str) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int) and _GO_INT.match(text.replace("_", "")):
        return "int"
    if isinstance(value, int | float):
        return "float"
    if text[:4].isdigit() and text[4:5] == "-" and _TIMESTAMP.match(text):
        return "timestamp"
    return "str"


_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?"
    r"(?:Z|[-+][0-9]{2}:[0-9]{2})?)?\Z"
)


def _integer(digits: str, base: int) -> int:
    """The digits' value; one beyond any int64 when Python will not convert that many digits.

    (Python refuses over 4,300 decimal digits; Go's ParseInt fails on range long before.)
    """
    if not digits:
        return 0
    try:
        return int(digits, base)
    except ValueError:
        return 2**64  # not an int64 nor a uint64: read on as Go reads a number out of range
