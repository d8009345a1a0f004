"""Decide whether go-yaml v2 would read a plain string back as something else.

kubectl prints YAML through sigs.k8s.io/yaml, which hands a decoded JSON tree to its go-yaml v2
fork. That encoder writes a string plain only when go-yaml's own `resolve()` would read the plain
text back as a string (and it is not a YAML 1.1 base-60 float); otherwise it double-quotes it.
This module ports that decision: `resolve.go`, plus the parts of Go's `strconv` and `time.Parse`
that it leans on, because the exact set of quoted strings (`"1e3"`, `"0o17"`, `"2024-01-01"`,
`"1:20"`, but plain `1e999` and `2023-02-29`) is what byte-for-byte output depends on.
"""

from __future__ import annotations

import functools
import math
import re

# Strings go-yaml v2 resolves through its lookup map (bools, nulls, special floats, merge key).
_RESOLVE_MAP = frozenset(
    [
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "true",
        "True",
        "TRUE",
        "on",
        "On",
        "ON",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "false",
        "False",
        "FALSE",
        "off",
        "Off",
        "OFF",
        "~",
        "null",
        "Null",
        "NULL",
        ".nan",
        ".NaN",
        ".NAN",
        ".inf",
        ".Inf",
        ".INF",
        "+.inf",
        "+.Inf",
        "+.INF",
        "-.inf",
        "-.Inf",
        "-.INF",
    ]
) | {""}
# resolve.go consults the map only when the first character is a hint; '<' is not, so the
# map's "<<" (merge key) entry is never reached and "<<" is written plain.

_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_DIGITS = "0123456789"


@functools.lru_cache(maxsize=8192)
def needs_quotes(s: str) -> bool:
    """Return True where go-yaml v2 would double-quote `s` instead of writing it plain."""
    return _resolves_to_non_string(s) or _is_base60_float(s)


def _resolves_to_non_string(s: str) -> bool:
    if s in _RESOLVE_MAP:
        return True
    first = s[0]
    if first in "yYnNtTfFoO~":
        return False  # only the exact map entries above resolve
    if first == ".":
        return _go_parse_float(s) is not None
    if first in _DIGITS or first in "+-":
        return _resolves_number_or_time(s)
    return False


def _resolves_number_or_time(s: str) -> bool:
    if _go_parse_timestamp(s):
        return True
    plain = s.replace("_", "")
    int_value = _go_parse_int_literal(plain, signed=True)
    if int_value is not None and -(2**63) <= int_value < 2**63:
        return True
    uint_value = _go_parse_int_literal(plain, signed=False)
    if uint_value is not None and uint_value < 2**64:
        return True
    if _YAML_STYLE_FLOAT.fullmatch(plain) and _go_parse_float(plain) is not None:
        return True
    if plain.startswith("0b"):
        # Already covered by base-0 parsing above; kept for parity with resolve.go.
        return _go_parse_int_literal(plain[2:], signed=True, base=2) is not None
    if plain.startswith("-0b"):
        value = _go_parse_int_literal("-" + plain[3:], signed=True, base=2)
        if value is not None and -(2**63) <= value < 2**63:
            return True
    # Newer go-yaml forks fall back to big.Int here; the one vendored in kubectl 1.37 does not,
    # so an out-of-range hex literal such as 0xFFFFFFFFFFFFFFFFFFFF stays a plain string.
    return False


def _go_parse_int_literal(s: str, *, signed: bool, base: int = 0) -> int | None:
    """Parse like strconv.ParseInt/ParseUint(s, base, _), ignoring range; None on a syntax error."""
    negative = False
    if signed and s[:1] in ("+", "-"):
        negative = s[0] == "-"
        s = s[1:]
    if base == 0:
        base = 10
        lowered = s[:2].lower()
        if s[:1] == "0" and len(s) > 1:
            if lowered == "0x":
                base, s = 16, s[2:]
            elif lowered == "0o":
                base, s = 8, s[2:]
            elif lowered == "0b":
                base, s = 2, s[2:]
            else:
                base, s = 8, s[1:]
    if not s:
        return None
    allowed = "0123456789abcdef"[:base]
    if any(c.lower() not in allowed for c in s):
        return None
    value = int(s, base)
    return -value if negative else value


def _go_parse_float(s: str) -> float | None:
    """Parse a decimal float like strconv.ParseFloat; None on a syntax or range error."""
    if not re.fullmatch(r"[-+]?([0-9_]+\.?[0-9_]*|\.[0-9_]+)([eE][-+]?[0-9_]+)?", s):
        return None
    if "_" in s and not _go_underscore_ok(s):
        return None
    try:
        value = float(s.replace("_", ""))
    except ValueError:
        return None
    return None if math.isinf(value) else value


def _go_underscore_ok(s: str) -> bool:
    """Port of strconv.underscoreOK: underscores only between digits."""
    if s[:1] in ("+", "-"):
        s = s[1:]
    saw = "^"
    for c in s:
        if c in _DIGITS:
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def _is_base60_float(s: str) -> bool:
    if not s or not (s[0] in "+-" or s[0] in _DIGITS) or ":" not in s:
        return False
    return _BASE60_FLOAT.fullmatch(s) is not None


# --- time.Parse, for the four layouts go-yaml v2 accepts as timestamps -------------------------

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _go_parse_timestamp(s: str) -> bool:
    """Port of go-yaml v2 parseTimestamp: True when one of its layouts parses `s`."""
    i = 0
    while i < len(s) and s[i] in _DIGITS:
        i += 1
    if i != 4 or i == len(s) or s[i] != "-":
        return False
    return any(
        _go_time_parse(layout, s)
        for layout in (("T", True), ("t", True), (" ", False), (None, False))
    )


def _getnum(value: str) -> tuple[int, str] | None:
    """Port of Go's getnum(value, fixed=false): one or two leading digits."""
    if not value or value[0] not in _DIGITS:
        return None
    if len(value) < 2 or value[1] not in _DIGITS:
        return int(value[0]), value[1:]
    return int(value[:2]), value[2:]


def _go_time_parse(layout: tuple[str | None, bool], value: str) -> bool:
    """time.Parse for "2006-1-2" optionally followed by <sep>"15:4:5.999999999"[Z07:00]."""
    separator, with_zone = layout
    year_text, value = value[:4], value[4:]
    if len(year_text) < 4 or any(c not in _DIGITS for c in year_text):
        return False
    year = int(year_text)
    fields: list[int] = []
    for prefix in ("-", "-"):
        if not value.startswith(prefix):
            return False
        parsed = _getnum(value[1:])
        if parsed is None:
            return False
        number, value = parsed
        fields.append(number)
    month, day = fields
    if not 1 <= month <= 12:
        return False
    if separator is not None:
        if separator == " ":
            # A space in a Go layout matches one or more spaces in the value.
            if not value.startswith(" "):
                return False
            value = value.lstrip(" ")
        elif not value.startswith(separator):
            return False
        else:
            value = value[1:]
        clock: list[int] = []
        for index, limit in enumerate((24, 60, 60)):
            if index:
                if not value.startswith(":"):
                    return False
                value = value[1:]
            parsed = _getnum(value)
            if parsed is None or parsed[0] >= limit:
                return False
            number, value = parsed
            clock.append(number)
        if len(value) >= 2 and value[0] in ".," and value[1] in _DIGITS:
            j = 1
            while j < len(value) and value[j] in _DIGITS:
                j += 1
            value = value[j:]
        if with_zone:
            if value.startswith("Z"):
                value = value[1:]
            else:
                if len(value) < 6 or value[3] != ":" or value[0] not in "+-":
                    return False
                hours, minutes = value[1:3], value[4:6]
                if not (hours.isdigit() and minutes.isdigit() and hours.isascii()):
                    return False
                if not minutes.isascii() or int(hours) > 24 or int(minutes) > 60:
                    return False
                value = value[6:]
    if value:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = 29 if month == 2 and leap else _DAYS_IN_MONTH[month - 1]
    return 1 <= day <= days
