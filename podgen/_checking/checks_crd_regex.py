r"""Whether Go's regexp (RE2 syntax) compiles a CRD schema's `pattern`, and why not.

Python's `re` and Go's differ both ways: Go refuses lookarounds, backreferences, atomic groups,
possessive quantifiers, comments, conditionals, `\Z`, `\G`, `\e`, `\u`, `\N` and repeat
counts above 1000, all of which Python takes; Go takes `\z`, `\p{Greek}`, `\Q...\E`,
`\x{41}`, `(?<name>...)` and flags in the middle of a pattern, which Python refuses. The
pattern is read once in Go's terms, those differences are settled here with Go's messages,
and what is left is rewritten into Python's syntax and compiled by `re` for the rest.
"""

from __future__ import annotations

import re
import warnings

#: The escapes Go knows by a letter or digit (any other character escaped is itself).
_ESCAPES = frozenset("aftnrvxAbBzdDsSwWpPQ01234567")
_OCTAL = re.compile(r"\\(0[0-7]{0,2}|[1-7][0-7]{1,2})")
_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}")
_GROUP = re.compile(r"\(\?(?:P?<\w+>|[imsU-]*[:)])")


def go_regex_error(pattern: str) -> str | None:
    """Go's `error parsing regexp: ...` for `pattern`, or None when Go compiles it."""
    python, index, repeated = [], 0, 0  # repeated: 1 after a repetition, 2 after its `?`
    in_class, class_start = False, 0
    while index < len(pattern):
        char, rest = pattern[index], pattern[index:]
        if char == "\\":
            escape = rest[:2]
            if len(escape) < 2:
                return "trailing backslash at end of expression: ``"
            letter = escape[1]
            if letter.isalnum() and letter not in _ESCAPES:
                return f"invalid escape sequence: `{escape}`"
            if letter in "01234567":  # octal: \0, \0NN, or \NN(N); a lone \1 is no backreference
                octal = _OCTAL.match(rest)
                if octal is None:
                    return f"invalid escape sequence: `{escape}`"
                python.append(f"\\u{int(octal[1], 8):04x}")
                index += octal.end()
            elif letter == "Q":
                end = pattern.find("\\E", index + 2)
                stop = end if end >= 0 else len(pattern)
                python.append(re.escape(pattern[index + 2 : stop]))
                index = stop + 2 if end >= 0 else stop
            elif letter in "pP":
                found = re.match(r"\\[pP](\{\^?\w+\}|\w)", rest)
                if found is None:
                    return f"invalid character class range: `{rest[:3]}`"
                python.append("a" if in_class else "\\w")
                index += found.end()
            elif letter == "x" and rest[2:3] == "{":
                found = re.match(r"\\x\{[0-9A-Fa-f]+\}", rest)
                if found is None:
                    return f"invalid escape sequence: `{rest[: rest.find('}') + 1 or 3]}`"
                python.append("a")
                index += found.end()
            else:
                python.append("\\Z" if letter == "z" else escape)
                index += 2
            repeated = 0
            continue
        if in_class:
            if char == "]" and not re.fullmatch(r"\[\^?", pattern[class_start:index]):
                in_class = False
            python.append(char)
            index += 1
            continue
        if char == "[":
            in_class, class_start = True, index
            python.append(char)
            index += 1
            repeated = 0
            continue
        if rest.startswith("(?"):
            group = _GROUP.match(rest)
            if group is None:
                return f"invalid or unsupported Perl syntax: `{rest[:3]}`"
            text = group.group()
            if text.endswith(">"):
                python.append("(?P<" + text.rstrip(">").rpartition("<")[2] + ">")
            elif text.endswith(":"):
                python.append("(?:")
            # a bare flag group: Python refuses it past the start, and it changes no syntax
            index += len(text)
            repeated = 0
            continue
        count = _REPEAT.match(rest) if char == "{" else None
        if char in "*+?" or count:
            if char == "?" and repeated == 1:
                repeated = 2
            elif repeated:
                op = count.group() if count else char
                return f"invalid nested repetition operator: `{python[-1]}{op}`"
            else:
                if count:
                    low, high = int(count.group(1)), count.group(3)
                    top = int(high) if high else low
                    if low > 1000 or top > 1000 or (high and top < low):
                        return f"invalid repeat count: `{count.group()}`"
                repeated = 1
            text = count.group() if count else char
            python.append(text)
            index += len(text)
            continue
        repeated = 0
        python.append(char)
        index += 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # FutureWarning on `[[`: Go reads it literally too
        try:
            re.compile("".join(python))
        except re.error as error:
            if "missing )" in str(error):
                return f"missing closing ): `{pattern}`"
            if "unbalanced parenthesis" in str(error):
                return f"unexpected ): `{pattern}`"
            if "bad character range" in str(error) and "\\" in str(error):
                return None  # `[\d-z]`: Go takes a class escape as a range's end
            return f"{error}: `{pattern}`"
    return None
