"""kubectl explain's argument as client-go's JSONPath parser reads it: `{.` + ARGUMENT + `}`.

kubectl explain does not split `pods.spec.containers` on dots: it parses the argument as a
JSONPath template and takes the field nodes. So `pods['spec']` is `pods.spec`, `pods..spec`
is too (a recursive descent that the resource's prefix swallows), and `pods.spec[0]` or
`pods}` fail with the parser's own messages. Only the node kinds and a field's name matter
to explain; the parser is followed rule by rule so that every error is kubectl's.
"""

from __future__ import annotations

import re

from podgen._errors import ExplainError

#: A node: its kind ("field", "recursive", "array", "text", ...) and, for a field, its name.
Node = tuple[str, str]

_EOF = ""
_DICT_KEY = re.compile(r"'([^']*)'")
_SLICE = re.compile(r"(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?")
_FILTER = re.compile(r"([^!<>=]+)([!<>=]+)(.+?)")
_INT64 = 1 << 63
_HEX = re.compile("[0-9a-fA-F]+")
#: Go's strconv escapes after a backslash in a quoted string (besides digits, x, u and U).
_SIMPLE_ESCAPES = frozenset("abfnrtv\\")


def field_nodes(argument: str) -> list[Node]:
    """The nodes of `{.ARGUMENT}` (a trailing dot dropped), as kubectl's jsonPathParse has them."""
    text = argument.removesuffix(".")
    root = _Parser("{." + text + "}").parse()
    if len(root) != 1:
        raise ExplainError("must pass in 1 jsonpath string")
    return root[0]


def _is_letter_or_digit(char: str) -> bool:
    """Go's isAlphaNumeric: `_`, a Unicode letter or a decimal digit."""
    return char == "_" or char.isalpha() or char.isdecimal()


def _is_terminator(char: str) -> bool:
    return char in (_EOF, " ", "\t", "\r", "\n", ".", ",", "[", "]", "$", "@", "{", "}")


def _go_rune(char: str) -> str:
    """Go's %#U of a rune: `U+002A '*'`, without the quoted rune where it does not print."""
    code = f"U+{ord(char):04X}"
    return f"{code} '{char}'" if char.isprintable() else code


class _Parser:
    """client-go's jsonpath.Parser, turned from its mutual recursion into loops."""

    def __init__(self, text: str) -> None:
        self.input = text
        self.pos = 0
        self.start = 0

    def next(self) -> str:
        if self.pos >= len(self.input):
            return _EOF
        char = self.input[self.pos]
        self.pos += 1
        return char

    def backup(self, char: str) -> None:
        if char != _EOF:
            self.pos -= 1

    def peek(self) -> str:
        return self.input[self.pos] if self.pos < len(self.input) else _EOF

    def consume(self) -> str:
        value = self.input[self.start : self.pos]
        self.start = self.pos
        return value

    def parse(self) -> list[list[Node]]:
        """The root's nodes: each `{...}` action as its list of nodes, text between as []."""
        root: list[list[Node]] = []
        while True:
            found = self.input.find("{", self.pos)
            if found < 0:
                if len(self.input) > self.start:
                    root.append([])  # a text node: never a jsonpath string explain reads
                return root
            if found > self.start:
                root.append([])
            self.pos = found + 1
            self.consume()
            action: list[Node] = []
            root.append(action)
            self.inside_action(action)

    def inside_action(self, nodes: list[Node]) -> None:
        """Nodes up to the action's closing `}` (consumed), or kubectl's error."""
        while True:
            rest = self.input[self.pos :]
            if rest.startswith("}"):
                self.pos += 1
                self.consume()
                return
            if rest.startswith("[?("):
                self.filter(nodes)
                continue
            if rest.startswith(".."):
                self.recursive(nodes)
                continue
            char = self.next()
            if char in (_EOF, "\r", "\n"):
                raise ExplainError("unclosed action")
            if char in " @$":
                self.consume()
            elif char == "[":
                self.array(nodes)
            elif char in "\"'":
                self.quote(nodes, char)
            elif char == ".":
                self.field(nodes)
            elif char in "+-" or char.isdecimal():
                self.backup(char)
                self.number(nodes)
            elif _is_letter_or_digit(char):
                self.backup(char)
                self.identifier(nodes)
            else:
                raise ExplainError(f"unrecognized character in action: {_go_rune(char)}")

    def field(self, nodes: list[Node]) -> None:
        self.consume()
        while True:
            char = self.next()
            if char == "\\":
                self.next()
            elif _is_terminator(char):
                self.backup(char)
                break
        value = self.consume()
        nodes.append(("wildcard", "") if value == "*" else ("field", value.replace("\\", "")))

    def recursive(self, nodes: list[Node]) -> None:
        if nodes and nodes[-1][0] == "recursive":
            raise ExplainError("invalid multiple recursive descent")
        self.pos += 2
        self.consume()
        nodes.append(("recursive", ""))
        if _is_letter_or_digit(self.peek()):
            self.field(nodes)

    def identifier(self, nodes: list[Node]) -> None:
        while True:
            char = self.next()
            if _is_terminator(char):
                self.backup(char)
                break
        value = self.consume()
        nodes.append(("bool" if value in ("true", "false") else "identifier", value))

    def number(self, nodes: list[Node]) -> None:
        if self.peek() in ("+", "-"):
            self.next()
        while True:
            char = self.next()
            if char != "." and not char.isdecimal():
                self.backup(char)
                break
        value = self.consume()
        if not (_go_atoi(value) or _go_float(value)):
            raise ExplainError(f"cannot parse number {value}")
        nodes.append(("number", value))

    def array(self, nodes: list[Node]) -> None:
        while True:
            char = self.next()
            if char in (_EOF, "\n"):
                raise ExplainError("unterminated array")
            if char == "]":
                break
        text = self.consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            for part in parts:
                _action(f"[{part.strip(' ')}]")
            nodes.append(("union", ""))
            return
        key = _DICT_KEY.fullmatch(text)
        if key:
            nodes.extend(_action("." + key.group(1)))
            return
        bounds = _SLICE.fullmatch(text)
        if bounds is None:
            raise ExplainError(f"invalid array index {text}")
        for index, bound in enumerate(bounds.groups(default="")):
            number = bound[1:] if index else bound
            if bound and (number or not index) and not _go_atoi(number):
                raise ExplainError(f"array index {number} is not a number")
        nodes.append(("array", ""))

    def filter(self, nodes: list[Node]) -> None:
        self.pos += 3
        self.consume()
        begin = end = False
        pair = ""
        while True:
            char = self.next()
            if char in (_EOF, "\n"):
                raise ExplainError("unterminated filter")
            if char in "\"'":
                if not begin:
                    begin, pair = True, char
                    continue
                if self.input[self.pos - 2] != "\\" and char == pair:
                    end = True
            elif char == ")" and begin == end:
                break
        if self.next() != "]":
            raise ExplainError("unclosed array expect ]")
        text = self.consume()[:-2]
        compared = _FILTER.fullmatch(text)
        if compared is None:
            _action(text)
        else:
            _action(compared.group(1))
            _action(compared.group(3))
        nodes.append(("filter", ""))

    def quote(self, nodes: list[Node], end: str) -> None:
        while True:
            char = self.next()
            if char in (_EOF, "\n"):
                raise ExplainError("unterminated quoted string")
            if char == end and self.input[self.pos - 2] != "\\":
                break
        value = self.consume()
        if not _go_unquotes(value[1:-1], end):
            raise ExplainError(f"unquote string {value} error invalid syntax")
        nodes.append(("text", value))


def _action(text: str) -> list[Node]:
    """client-go's parseAction: the nodes of `{TEXT}`, for a union, a dict key or a filter."""
    return _Parser("{" + text + "}").parse()[0]


def _go_atoi(text: str) -> bool:
    """Whether Go's strconv.Atoi takes `text`: ASCII digits, a sign, within int64."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        return False
    return -_INT64 <= int(text) < _INT64


def _go_float(text: str) -> bool:
    """Whether Go's strconv.ParseFloat takes `text` (made of a sign, digits and dots only)."""
    if not re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", text):
        return False
    return float(text) != float("inf") and float(text) != float("-inf")


def _go_unquotes(body: str, quote: str) -> bool:
    """Whether Go's strconv.UnquoteChar reads all of `body` (between `quote`s) without error."""
    index = 0
    while index < len(body):
        char = body[index]
        if char == quote:
            return False
        if char != "\\":
            index += 1
            continue
        escape = body[index + 1 : index + 2]
        index += 2
        if escape in _SIMPLE_ESCAPES:
            continue
        if escape in "'\"" and escape:
            if escape != quote:
                return False
            continue
        width = {"x": 2, "u": 4, "U": 8}.get(escape)
        if width:
            digits = body[index : index + width]
            index += width
            if not _HEX.fullmatch(digits) or len(digits) < width:
                return False
            value = int(digits, 16)
            if escape != "x" and (value > 0x10FFFF or 0xD800 <= value <= 0xDFFF):
                return False
            continue
        if escape and escape in "01234567":
            digits = body[index - 1 : index + 2]
            index += 2
            if not re.fullmatch("[0-7]{3}", digits) or int(digits, 8) > 255:
                return False
            continue
        return False
    return True
