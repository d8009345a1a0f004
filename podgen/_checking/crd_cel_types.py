"""How the API server types a value for a CEL rule, and where podgen cannot type it alike.

SchemaDeclType gives a rule's `self` the schema's types; some values podgen cannot hand
cel-cpp as the server hands cel-go (unknown fields kept, embedded resources, typed string
formats, escaped property names). A rule that reads none of them is still evaluated: its
`self` is typed without them (`narrowed`), which it cannot tell apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from podgen._errors import quoted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LIST_TYPE, _EMBEDDED = "x-kubernetes-list-type", "x-kubernetes-embedded-resource"
INT_OR_STRING, _PRESERVE = "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields"
#: Strings the server hands a rule as bytes, a timestamp or a duration (SchemaDeclType).
_TYPED_FORMATS = ("byte", "date", "date-time", "datetime", "duration")
#: The server's limit on a messageExpression's result (celconfig).
MESSAGE_LIMIT = 5 * 1024
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Words a property name may not be in CEL without the server's escaping (`__in__`, ...).
_RESERVED = frozenset(
    [
        "true",
        "false",
        "null",
        "in",
        "as",
        "break",
        "const",
        "continue",
        "else",
        "for",
        "function",
        "if",
        "import",
        "let",
        "loop",
        "package",
        "namespace",
        "return",
        "var",
        "void",
        "while",
    ]
)


def typing_problem(node: Mapping[str, Any], root: bool) -> str | None:
    """Why the node's value cannot be given to cel-cpp as the server types it, if it cannot."""
    if node.get(_PRESERVE) is True:
        return "its value keeps unknown fields, which the server types apart"
    if node.get(_EMBEDDED) is True and not root:
        return "its value holds an embedded resource, typed apart by the server"
    if node.get(INT_OR_STRING) is True:
        return None
    kind = node.get("type")
    if kind == "string" and node.get("format") in _TYPED_FORMATS:
        return f"its value holds a string of format {node['format']}, typed apart by the server"
    if kind == "array":
        items = node.get("items")
        if not isinstance(items, Mapping):
            return "untyped items"
        return _NULLABLE if items.get("nullable") is True else typing_problem(items, False)
    if kind == "object":
        for name, prop in (node.get("properties") or {}).items():
            if root and name == "metadata":
                continue  # the server gives a rule only its name and generateName
            if not _IDENTIFIER.fullmatch(name) or "__" in name or name in _RESERVED:
                return f"its property {quoted(name)} needs the server's name escaping"
            problem = typing_problem(prop, False) if isinstance(prop, Mapping) else "untyped"
            if problem:
                return problem
        extra = node.get("additionalProperties")
        if not isinstance(extra, Mapping):
            return None
        return _NULLABLE if extra.get("nullable") is True else typing_problem(extra, False)
    if kind in ("string", "integer", "number", "boolean"):
        return None
    return "its value has no type the server gives CEL"


_NULLABLE = "its value may hold null items, which podgen does not type as the server does"


#: `self.name` or `self?.name` not called as a method: a rule that reads `self` only so sees
#: only the fields it names.
_SELF = re.compile(r"\bself\b")
_SELECTED = re.compile(r"\s*\??\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\()?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def narrowed(
    node: Mapping[str, Any], root: bool, sources: Sequence[str], literals: re.Pattern[str]
) -> Mapping[str, Any] | None:
    """The object node without the properties podgen cannot type, if the rule cannot see them.

    The rule (and its messageExpression: `sources`, their string literals matched by
    `literals`) must read `self` only as `self.NAME` and never name a dropped property: then
    its result is the same with or without them. None where that does not hold.
    """
    properties = node.get("properties")
    if node.get("type") != "object" or not isinstance(properties, Mapping):
        return None
    if node.get(_PRESERVE) is True or isinstance(node.get("additionalProperties"), Mapping):
        return None
    text = " ".join(literals.sub("''", source) for source in sources)
    for match in _SELF.finditer(text):
        selected = _SELECTED.match(text, match.end())
        if selected is None or selected.group(2):  # size(self), self == x, self.all(...)
            return None
    words = set(_WORD.findall(text))
    if any("__" in word for word in words):
        return None  # a property named by the server's escaping (`max__dash__size`)
    kept = {}
    for name, prop in properties.items():
        if root and name == "metadata":
            kept[name] = prop
        elif not isinstance(prop, Mapping) or typing_problem(
            {"type": "object", "properties": {name: prop}}, False
        ):
            if name in words:
                return None
        else:
            kept[name] = prop
    return {**node, "properties": kept}
