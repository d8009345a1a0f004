"""A CRD version's openAPIV3Schema, read once into nodes the checks walk quickly.

The server converts the schema to kube-openapi's form before it validates: `x-kubernetes-int-
or-string` becomes the types integer and string, and formats a CRD may not use are dropped
(crd_formats.kept_format). A node holds what pruning, defaulting and validation need.
"""

from __future__ import annotations

from collections.abc import Mapping

from podgen._checking import crd_formats as _formats
from podgen._checking.crd_regex import go_regex

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from typing import Any

#: Go's int64: a JSON integer beyond it is decoded as a float64.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_UNSET = object()


class Node:
    """One schema, compiled."""

    __slots__ = (
        "additional",
        "additional_set",
        "all_of",
        "any_of",
        "default",
        "embedded",
        "enum",
        "exclusive_maximum",
        "exclusive_minimum",
        "format",
        "has_default",
        "items",
        "list_type",
        "map_keys",
        "max_items",
        "max_length",
        "max_properties",
        "maximum",
        "min_items",
        "min_length",
        "min_properties",
        "minimum",
        "multiple_of",
        "not_",
        "nullable",
        "one_of",
        "pattern",
        "pattern_text",
        "preserve",
        "props",
        "required",
        "types",
        "unique",
    )

    def __init__(self, raw: Mapping[str, Any]) -> None:
        types: tuple[str, ...] = (raw["type"],) if isinstance(raw.get("type"), str) else ()
        if raw.get("x-kubernetes-int-or-string") is True:
            types = ("integer", "string")
        self.types = types
        self.nullable = raw.get("nullable") is True
        fmt = raw.get("format")
        self.format = _formats.kept_format(types, fmt) if isinstance(fmt, str) else ""
        props = raw.get("properties")
        self.props: dict[str, Node] = (
            {str(k): Node(v) for k, v in props.items() if isinstance(v, Mapping)}
            if isinstance(props, Mapping)
            else {}
        )
        additional = raw.get("additionalProperties", _UNSET)
        self.additional_set = additional is not _UNSET and additional is not None
        #: additionalProperties: false: every key is a forbidden property.
        self.additional: Node | bool | None = (
            Node(additional) if isinstance(additional, Mapping) else additional is not False
        )
        if not self.additional_set:
            self.additional = None
        items = raw.get("items")
        self.items = Node(items) if isinstance(items, Mapping) else None
        required = raw.get("required")
        self.required = [str(r) for r in required] if isinstance(required, list) else []
        enum = raw.get("enum")
        self.enum = [normalize(v) for v in enum] if isinstance(enum, list) and enum else None
        pattern = raw.get("pattern")
        self.pattern_text = pattern if isinstance(pattern, str) and pattern else ""
        self.pattern: re.Pattern[str] | None = (
            go_regex(self.pattern_text) if self.pattern_text else None
        )
        self.maximum = _number(raw.get("maximum"))
        self.minimum = _number(raw.get("minimum"))
        self.exclusive_maximum = raw.get("exclusiveMaximum") is True
        self.exclusive_minimum = raw.get("exclusiveMinimum") is True
        self.multiple_of = _number(raw.get("multipleOf"))
        self.max_length = _count(raw.get("maxLength"))
        self.min_length = _count(raw.get("minLength"))
        self.max_items = _count(raw.get("maxItems"))
        self.min_items = _count(raw.get("minItems"))
        self.unique = raw.get("uniqueItems") is True
        self.max_properties = _count(raw.get("maxProperties"))
        self.min_properties = _count(raw.get("minProperties"))
        self.preserve = raw.get("x-kubernetes-preserve-unknown-fields") is True
        self.embedded = raw.get("x-kubernetes-embedded-resource") is True
        list_type = raw.get("x-kubernetes-list-type")
        self.list_type = list_type if list_type in ("set", "map") else ""
        keys = raw.get("x-kubernetes-list-map-keys")
        self.map_keys = [str(k) for k in keys] if isinstance(keys, list) else []
        self.has_default = "default" in raw and raw["default"] is not None
        self.default = normalize(raw["default"]) if self.has_default else None
        self.all_of = _nodes(raw.get("allOf"))
        self.any_of = _nodes(raw.get("anyOf"))
        self.one_of = _nodes(raw.get("oneOf"))
        not_ = raw.get("not")
        self.not_ = Node(not_) if isinstance(not_, Mapping) else None

    def child(self, key: str) -> Node | None:
        """The schema of the value at `key` (a property or additionalProperties), if any."""
        prop = self.props.get(key)
        if prop is not None:
            return prop
        return self.additional if isinstance(self.additional, Node) else None


def _nodes(value: object) -> list[Node]:
    return [Node(v) for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _number(value: object) -> float | None:
    """A bound as the CRD stores it (a float64)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _count(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def normalize(value: Any) -> Any:
    """A deep copy of `value` as the server decodes what kubectl sends for it.

    kubectl turns YAML into JSON with Go's encoding/json, which writes a whole float below
    1e21 without a decimal point (`1.0` is sent as `1`); the server decodes a JSON number
    as an int64 when it can, else as a float64 (an integer beyond int64). Values a YAML
    reader makes that JSON has not (dates) become their text.
    """
    if isinstance(value, Mapping):
        return {_key(k): normalize(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalize(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        whole = int(value)
        return whole if INT64_MIN <= whole <= INT64_MAX else value
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):
        return value if INT64_MIN <= value <= INT64_MAX else float(value)
    return str(value)


def _key(key: object) -> str:
    """A YAML mapping key as sigs.k8s.io/yaml makes it a JSON one (true, not True)."""
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


_COMPILED: dict[int, tuple[Mapping[str, Any], Node]] = {}


def compiled(schema: Mapping[str, Any]) -> Node:
    """The schema's nodes, read once per schema object (kept while the schema lives here)."""
    found = _COMPILED.get(id(schema))
    if found is None or found[0] is not schema:
        found = (schema, Node(schema))
        _COMPILED[id(schema)] = found
    return found[1]
