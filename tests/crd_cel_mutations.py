"""Objects one mistake away from a valid custom resource, generated from its CRD's schema.

Each mutation keeps the object valid to the schema (same types, within maxLength and maxItems,
no enum field touched, required fields kept), so that every cause the server gives is one of
its CEL rules: the differential test can then compare them all with podgen's.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

Obj = dict[str, Any]


def mutations(obj: Obj, schema: Mapping[str, Any]) -> list[Obj]:
    """Distinct variants of `obj` (a custom resource), each with one value changed or dropped."""
    seen: set[str] = set()
    out: list[Obj] = []
    for path, value in _changes(obj["spec"], schema["properties"]["spec"], ()):
        changed = copy.deepcopy(obj)
        _put(changed["spec"], path, value)
        key = repr(changed)
        if key not in seen and changed != obj:
            seen.add(key)
            out.append(changed)
    return out


_DROP = object()


def _changes(value: Any, node: Mapping[str, Any], path: tuple[Any, ...]) -> Iterator[tuple]:
    if "enum" in node or "format" in node:
        return  # a value out of its enum or format would be the schema's error
    if node.get("x-kubernetes-int-or-string") is True:
        yield from ((path, v) for v in (0, 1, "0", "1Gi", "25%"))
    elif isinstance(value, bool):
        yield path, not value
    elif isinstance(value, int):
        for other in (value + 1, value - 1, 0, -1, -value, 2**62, 10**6):
            yield path, other
    elif isinstance(value, float):
        for other in (0.0, -value, value * 10, 1.0, value / 3):
            yield path, other
    elif isinstance(value, str):
        limit = int(node.get("maxLength", 64))
        for other in ("", value.upper(), value + "-", "a b", "é" + value[1:], value[::-1]):
            yield path, other[:limit]
    elif isinstance(value, list):
        yield from _list_changes(value, node, path)
    elif isinstance(value, Mapping):
        props = node.get("properties") or {}
        extra = node.get("additionalProperties")
        required = set(node.get("required") or ())
        for key, item in value.items():
            sub = props.get(key, extra if isinstance(extra, Mapping) else None)
            if isinstance(sub, Mapping):
                yield from _changes(item, sub, (*path, key))
            if key not in required:
                yield (*path, key), _DROP


def _list_changes(
    value: list[Any], node: Mapping[str, Any], path: tuple[Any, ...]
) -> Iterator[tuple]:
    items = node.get("items") or {}
    for index, item in enumerate(value):
        yield from _changes(item, items, (*path, index))
    if node.get("x-kubernetes-list-type") in ("set", "map"):
        return  # a duplicate would be the schema's error, not a rule's
    if value:
        yield path, value[:-1]
        yield path, []
    if value and len(value) < int(node.get("maxItems", 8)):
        yield path, [*value, value[0]]


def _put(spec: Any, path: tuple[Any, ...], value: Any) -> None:
    *parents, last = path
    for step in parents:
        spec = spec[step]
    if value is _DROP:
        del spec[last]
    else:
        spec[last] = value
