"""Go's text habits that kubectl explain's output depends on, written again in Python.

kubectl wraps descriptions with github.com/mitchellh/go-wordwrap (v1.0.1), splits and trims with
Go's notion of white space (`unicode.IsSpace`, which is not Python's `str.isspace`), and prints
the values of an enum with the `%v` of a JSON value decoded into `any`. Each is reproduced here,
as kubectl behaves, so that both renderers print the same bytes.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Go's unicode.IsSpace: Latin-1's six, NEL and NBSP, and the White_Space property beyond.
#: Python's isspace also counts U+001C..U+001F, which Go does not.
SPACES = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
_NBSP = "\xa0"


def fields(text: str) -> list[str]:
    """Go's strings.Fields: the words between runs of white space."""
    words: list[str] = []
    word: list[str] = []
    for char in text:
        if char in SPACES:
            if word:
                words.append("".join(word))
                word = []
        else:
            word.append(char)
    if word:
        words.append("".join(word))
    return words


def trim_space(text: str) -> str:
    """Go's strings.TrimSpace."""
    start, end = 0, len(text)
    while start < end and text[start] in SPACES:
        start += 1
    while end > start and text[end - 1] in SPACES:
        end -= 1
    return text[start:end]


def word_wrap(text: str, limit: int) -> str:
    """go-wordwrap's WrapString: breaks at white space before a word would pass `limit` runes.

    Line breaks in the text are kept; a word longer than the limit stays whole; white space at
    a break is dropped; a no-break space is part of a word.
    """
    out: list[str] = []
    word: list[str] = []
    space: list[str] = []
    current = 0
    for char in text:
        if char == "\n":
            if not word:
                if current + len(space) <= limit:
                    out.extend(space)
            else:
                out.extend(space)
                out.extend(word)
                word = []
            space = []
            out.append(char)
            current = 0
        elif char in SPACES and char != _NBSP:
            if not space or word:
                current += len(space) + len(word)
                out.extend(space)
                out.extend(word)
                space, word = [], []
            space.append(char)
        else:
            word.append(char)
            if current + len(space) + len(word) > limit and len(word) < limit:
                out.append("\n")
                current = 0
                space = []
    if not word:
        if current + len(space) <= limit:
            out.extend(space)
    else:
        out.extend(space)
        out.extend(word)
    return "".join(out)


def indent(amount: int, text: str) -> str:
    """The template function `indent` of kubectl: every line, the first included, padded."""
    pad = " " * amount
    return pad + text.replace("\n", "\n" + pad)


def value(item: Any) -> str:
    """A JSON value as Go's `%v` prints it once decoded into `any` (numbers are float64)."""
    if isinstance(item, str):
        return item
    if isinstance(item, bool):
        return "true" if item else "false"
    if item is None:
        return "<nil>"
    if isinstance(item, int | float):
        return _float(float(item))
    if isinstance(item, list):
        return "[" + " ".join(value(element) for element in item) + "]"
    if isinstance(item, dict):
        return "map[" + " ".join(f"{k}:{value(item[k])}" for k in sorted(item)) + "]"
    return str(item)


def _float(number: float) -> str:
    """Go's %v of a float64: %g with the shortest digits (%e from an exponent of -5 or 6)."""
    if number != number:
        return "NaN"
    if number in (float("inf"), float("-inf")):
        return "+Inf" if number > 0 else "-Inf"
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    # repr's digits are the shortest that read back the same float, as strconv's are.
    digits = _shortest_digits(abs(number))
    exponent = int(f"{abs(number):.16e}".partition("e")[2])
    if exponent < -4 or exponent >= 6:
        head = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{head}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{digits}"
    if len(digits) <= exponent + 1:
        return sign + digits + "0" * (exponent + 1 - len(digits))
    return f"{sign}{digits[: exponent + 1]}.{digits[exponent + 1 :]}"


def _shortest_digits(number: float) -> str:
    """The significant digits of repr(number), without the point, leading or trailing zeros."""
    text = repr(number).partition("e")[0].replace(".", "")
    return text.strip("0") or "0"
