r"""Go RE2 patterns (a CRD schema's `pattern`) as Python expressions that match the same strings.

Python's `re` reads some of Go's syntax differently: `$` also matches before a final newline,
\d \w \s \b are Unicode-aware, `{,2}` is a repetition, `[[:alpha:]]` is no class, \z and
\Q...\E and \pL do not exist. Each pattern is translated; one this module cannot translate
faithfully (a Unicode script, flags in mid-pattern, ungreedy mode) is not checked at all
(never a false error).
"""

from __future__ import annotations

import re

_WORD = "0-9A-Za-z_"
_PERL = {"d": "0-9", "w": _WORD, "s": "\\t\\n\\f\\r "}
_POSIX = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": _WORD,
    "xdigit": "0-9A-Fa-f",
}
_BOUNDARY = f"(?:(?<=[{_WORD}])(?![{_WORD}])|(?<![{_WORD}])(?=[{_WORD}]))"
_NOT_BOUNDARY = f"(?:(?<=[{_WORD}])(?=[{_WORD}])|(?<![{_WORD}])(?![{_WORD}]))"
_SIMPLE_ESCAPES = {"a": "\\a", "f": "\\f", "t": "\\t", "n": "\\n", "r": "\\r", "v": "\\v"}
_REPEAT = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")
_PATTERNS: dict[str, re.Pattern[str] | None] = {}


class _Untranslatable(Exception):
    """A construct this module does not translate (Unicode classes, scoped flags, ...)."""


def go_regex(pattern: str) -> re.Pattern[str] | None:
    r"""The Go RE2 `pattern` as a Python expression that matches the same strings.

    None when it uses a construct whose meaning this translation cannot keep (Unicode
    classes such as \\pL, flags in mid-pattern, ungreedy mode): the caller then skips it.
    """
    if pattern not in _PATTERNS:
        try:
            compiled: re.Pattern[str] | None = re.compile(_translate(pattern))
        except (_Untranslatable, re.error, OverflowError):
            compiled = None
        _PATTERNS[pattern] = compiled
    return _PATTERNS[pattern]


def _translate(pattern: str) -> str:
    r"""Go's syntax in Python's: `$` is the end of text, \d \w \s \b are ASCII, ..."""
    out: list[str] = []
    multiline = False
    i, size = 0, len(pattern)
    flags = re.match(r"\(\?([imsU]+)\)", pattern)
    if flags:
        if "U" in flags[1]:
            raise _Untranslatable(pattern)
        multiline = "m" in flags[1]
        out.append(flags[0])
        i = flags.end()
    while i < size:
        char = pattern[i]
        if char == "\\":
            piece, i = _escape(pattern, i, in_class=False)
            out.append(piece)
            continue
        if char == "[":
            piece, i = _char_class(pattern, i)
            out.append(piece)
            continue
        if char == "(" and pattern.startswith("(?", i):
            group = re.match(r"\(\?(P?<[A-Za-z0-9_]+>|[ims]*(?:-[ims]*)?:)", pattern[i:])
            if not group:
                raise _Untranslatable(pattern)
            text = group[0].replace("(?<", "(?P<") if "<" in group[0] else group[0]
            if "m" in text and "P<" not in text:
                raise _Untranslatable(pattern)
            out.append(text)
            i += group.end()
            continue
        if char == "{":
            repeat = _REPEAT.match(pattern, i)
            out.append(repeat[0] if repeat else "\\{")
            i = repeat.end() if repeat else i + 1
            continue
        if char == "$":
            out.append("$" if multiline else "\\Z")
        elif char == "}":
            out.append("\\}")
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _escape(pattern: str, i: int, *, in_class: bool) -> tuple[str, int]:
    """One backslash escape at `pattern[i]`, in Python's syntax, and the index after it."""
    if i + 1 >= len(pattern):
        raise _Untranslatable(pattern)
    char = pattern[i + 1]
    if char in _PERL:
        return (_PERL[char] if in_class else f"[{_PERL[char]}]"), i + 2
    if char.lower() in _PERL and not in_class:
        return f"[^{_PERL[char.lower()]}]", i + 2
    if char in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[char], i + 2
    if char in "01234567":  # Go's octal escape (a lone \1 is refused when the CRD is)
        octal = re.match(r"0[0-7]{0,2}|[1-7][0-7]{1,2}", pattern[i + 1 :])
        if not octal:
            raise _Untranslatable(pattern)
        return re.escape(chr(int(octal[0], 8))), i + 1 + octal.end()
    if char == "x":
        hexa = re.match(r"\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2})", pattern[i + 2 :])
        if not hexa:
            raise _Untranslatable(pattern)
        return re.escape(chr(int(hexa[1] or hexa[2], 16))), i + 2 + hexa.end()
    if char == "Q":
        end = pattern.find("\\E", i + 2)
        literal = pattern[i + 2 :] if end < 0 else pattern[i + 2 : end]
        if in_class and literal:
            return "".join("\\" + c if not c.isalnum() else c for c in literal), (
                len(pattern) if end < 0 else end + 2
            )
        return re.escape(literal), len(pattern) if end < 0 else end + 2
    if not in_class:
        if char == "b":
            return _BOUNDARY, i + 2
        if char == "B":
            return _NOT_BOUNDARY, i + 2
        if char == "A":
            return "\\A", i + 2
        if char == "z":
            return "\\Z", i + 2
    if char in "pP":
        return _unicode_class(pattern, i, in_class=in_class)
    if char.isascii() and not char.isalnum():
        return "\\" + char, i + 2
    raise _Untranslatable(pattern)


_CATEGORIES: dict[str, str] = {}


def _unicode_class(pattern: str, i: int, *, in_class: bool) -> tuple[str, int]:
    r"""\pL, \p{Lu}, \PN, \p{^L}: a Unicode general category (not a script) as ranges."""
    named = re.match(r"\\([pP])(?:\{(\^?)([A-Za-z]+)\}|([A-Z]))", pattern[i:])
    if not named:
        raise _Untranslatable(pattern)
    negated = (named[1] == "P") != (named[2] == "^")
    ranges = _category_ranges(named[3] or named[4])
    if ranges is None or (negated and in_class):
        raise _Untranslatable(pattern)
    if in_class:
        return ranges, i + named.end()
    return f"[{'^' if negated else ''}{ranges}]", i + named.end()


def _category_ranges(name: str) -> str | None:
    """The code points of a general category (Go's: "C" has no unassigned ones) as ranges."""
    if not _CATEGORIES:
        import unicodedata

        points: dict[str, list[int]] = {}
        for point in range(0x110000):
            category = unicodedata.category(chr(point))
            points.setdefault(category, []).append(point)
            if category != "Cn":
                points.setdefault(category[0], []).append(point)
        for category, found in points.items():
            _CATEGORIES[category] = _ranges(found)
    return _CATEGORIES.get(name) if name != "Cn" else None


def _ranges(points: list[int]) -> str:
    parts, start = [], points[0]
    for previous, point in zip(points, [*points[1:], -1], strict=True):
        if point != previous + 1:
            parts.append(f"\\U{start:08x}" + (f"-\\U{previous:08x}" if previous != start else ""))
            start = point
    return "".join(parts)


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    """A bracketed class at `pattern[i]`, in Python's syntax, and the index after it."""
    out = ["["]
    i += 1
    if pattern.startswith("^", i):
        out.append("^")
        i += 1
    first = True
    while i < len(pattern):
        char = pattern[i]
        if char == "]" and not first:
            out.append("]")
            return "".join(out), i + 1
        first = False
        if char == "[" and pattern.startswith("[:", i):
            posix = re.match(r"\[:([a-z]+):\]", pattern[i:])
            if not posix or posix[1] not in _POSIX:
                raise _Untranslatable(pattern)
            out.append(_POSIX[posix[1]])
            i += posix.end()
            continue
        if char == "\\":
            piece, i = _escape(pattern, i, in_class=True)
            out.append(piece)
            continue
        out.append("\\" + char if char in "[]&~|" else char)
        i += 1
    raise _Untranslatable(pattern)
