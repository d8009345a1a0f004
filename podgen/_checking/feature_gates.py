"""Fields the API server drops when their feature gate is off, per Kubernetes release.

`dropped_fields(obj)` lists each field of an object that the target release's API server
accepts and drops, its gate being off by default there: for `podgen validate`'s
`[feature-gate-off]` warning and for `new` and `render`. `state` and `enabled` say a gate's
default in the target, for the checks whose rules follow one. The tables, with their upstream
sources, are `_checking.gate_table`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from podgen._checking.gate_table import GATES, GUARDED, POD_SCOPE, POD_SPEC_AT, Guarded
from podgen._errors import dotted
from podgen._model.versions import minor, target
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias

    Path = tuple[str | int, ...]


class Dropped(NamedTuple):
    """A field of an object the target's API server drops: where, which gate, and why."""

    path: Path
    gate: str
    message: str


def state(gate: str, version: str | None = None) -> tuple[bool, str] | None:
    """Whether `gate` is on by default in `version` (the target) and its stage; None before it."""
    return _state(gate, minor(version or target()))


@cache
def _state(gate: str, release: int) -> tuple[bool, str] | None:
    current = None
    for since, default, stage in GATES[gate]:
        if minor(since) <= release:
            current = (default, stage)
    return current


def enabled(gate: str, version: str | None = None) -> bool:
    """Whether `gate` is on by default in `version` (the target): off before it existed."""
    found = state(gate, version)
    return bool(found and found[0])


def dropped_fields(obj: Mapping[str, Any], version: str | None = None) -> list[Dropped]:
    """Each field of `obj` the API server of `version` (the target) drops, its gate being off.

    `obj` as the API server decodes it (nulls are unset). For `new` and `render` as for
    validate: an empty list when nothing is dropped.
    """
    version = version or target()
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return []
    found: list[tuple[Guarded, Path, Any]] = []
    for root, trie in _active(version).get(f"{api_version.rpartition('/')[0]}/{kind}", ()):
        node: Any = obj
        for key in root:
            node = node.get(key) if isinstance(node, Mapping) else None
        if isinstance(node, Mapping):
            _visit(node, trie, root, found)
    dropped = []
    for entry, at, value in found:
        if entry.kept is not None and value == entry.kept:
            continue
        shown = at[: len(at) - entry.whole] if entry.whole else at
        message = (
            f"{dotted(shown)}: {entry.effect}: feature {entry.gate} is off by default in {version}"
        )
        dropped.append(Dropped(shown, entry.gate, message))
    return dropped


#: A tree of the active entries' paths: each key's subtree, and under `_HERE` the entries
#: whose path ends there. One walk of an object visits each key the entries share once.
_Trie: TypeAlias = "dict[str, Any]"
_HERE = ""


@cache
def _active(version: str) -> dict[str, tuple[tuple[tuple[str, ...], _Trie], ...]]:
    """The entries whose gate is off in `version` and whose field it has, by scope and root."""
    release = minor(version)
    by_scope: dict[str, _Trie] = {}
    for entry in GUARDED:
        if release < minor(entry.since) or (entry.until and release > minor(entry.until)):
            continue
        if state(entry.gate, version) is None or enabled(entry.gate, version):
            continue
        trie = by_scope.setdefault(entry.scope, {})
        for part in entry.path.split("."):
            trie = trie.setdefault(part, {})
        trie.setdefault(_HERE, []).append(entry)
    active: dict[str, tuple[tuple[tuple[str, ...], _Trie], ...]] = {}
    for scope, root in POD_SPEC_AT.items():
        groups = [(root, by_scope.get(POD_SCOPE)), ((), by_scope.get(scope))]
        active[scope] = tuple((at, trie) for at, trie in groups if trie)
    for scope, trie in by_scope.items():
        if scope != POD_SCOPE and scope not in POD_SPEC_AT:
            active[scope] = (((), trie),)
    return {scope: groups for scope, groups in active.items() if groups}


def _visit(node: Any, trie: _Trie, at: Path, found: list[tuple[Guarded, Path, Any]]) -> None:
    """Each entry of `trie` set under `node` (at `at`), with its path and value, into `found`."""
    for head, sub in trie.items():
        if head == _HERE:
            found.extend((entry, at, node) for entry in sub)
        elif head == "**":  # this level or any below it
            _visit(node, sub, at, found)
            children = (
                node.items()
                if isinstance(node, Mapping)
                else enumerate(node)
                if isinstance(node, list)
                else ()
            )
            for key, child in children:
                _visit(child, {"**": sub}, (*at, key), found)
        elif isinstance(node, Mapping):
            many = head.endswith("[]")
            key = head[:-2] if many else head
            if key not in node:
                continue
            value = node[key]
            if not many:
                _visit(value, sub, (*at, key), found)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    _visit(item, sub, (*at, key, index), found)
