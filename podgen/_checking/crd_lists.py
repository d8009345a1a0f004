"""x-kubernetes-list-type set and map: no two items alike (structurallisttype).

apiextensions-apiserver's pkg/apiserver/schema/listtype: a set's items are unique, a map's
items unique by their x-kubernetes-list-map-keys (after defaulting, a missing key counts as
"unspecified", which two items can share; a null item has none). The second occurrence of a value
is reported, once.
"""

from __future__ import annotations

import json

from podgen._checking.checks_base import Violation
from podgen._checking.crd_node import Node

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_UNSPECIFIED = ("unspecified",)


def go_json(value: Any, *, exact: bool = False) -> str:
    """Go's json.Marshal of a decoded value (sorted keys); `exact` keeps int apart from float."""

    def plain(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: plain(v) for k, v in item.items()}
        if isinstance(item, list):
            return [plain(v) for v in item]
        if isinstance(item, float) and item.is_integer() and abs(item) < 1e21:
            return f"float:{int(item)}" if exact else int(item)
        return item

    return json.dumps(plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _key(value: Any) -> Any:
    """A scalar as a Go map key: int64 1, float64 1 and true are three keys."""
    if isinstance(value, dict | list):
        return ("json", go_json(value))
    return (type(value).__name__, value)


def list_violations(value: Any, node: Node | None, path: str, out: list[Violation]) -> None:
    """Every duplicate in the sets and maps of `value`, walking `node`."""
    if node is None:
        return
    if isinstance(value, dict):
        prefix = f"{path}." if path else ""
        for key, item in value.items():
            list_violations(item, node.child(key), f"{prefix}{key}", out)
    elif isinstance(value, list):
        if node.list_type == "set":
            _set(value, path, out)
        elif node.list_type == "map":
            _map(value, node, path, out)
        for index, item in enumerate(value):
            list_violations(item, node.items, f"{path}[{index}]", out)


def _set(value: list[Any], path: str, out: list[Violation]) -> None:
    seen: dict[Any, int] = {}
    for index, item in enumerate(value):
        key = _key(item)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 2:
            out.append(Violation(f"{path}[{index}]", item, "Duplicate value", "crd-list-unique"))


def _map(value: list[Any], node: Node, path: str, out: list[Violation]) -> None:
    for index, item in enumerate(value):
        if item is not None and not isinstance(item, dict):
            reason = "must be an object for an array of list-type map"
            out.append(Violation(f"{path}[{index}]", item, reason, "crd-list-map"))
            return
    seen: dict[Any, int] = {}
    for index, item in enumerate(value):
        shown: dict[str, Any] = {}
        if item is None:  # a null item has no keys: two of them are alike
            item = {}
        keys = []
        for name in node.map_keys:
            if name in item:  # defaulting has filled in the keys that have defaults
                keys.append(_key(item[name]))
                shown[name] = item[name]
            else:
                keys.append(_UNSPECIFIED)
        key = tuple(keys)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 2:
            out.append(Violation(f"{path}[{index}]", shown, "Duplicate value", "crd-list-unique"))
