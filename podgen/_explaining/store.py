"""The stored API documentation of every supported release, read lazily: what explain reads.

tools/vendor_explain_data.py writes data/ beside this module: 1.36 exactly as a real API server
serves it (each group version's `/openapi/v3` document and its discovery), the other releases
rebuilt in the same shape. Each file holds one JSON value a line:
- texts.json: every distinct description once, across all releases;
- schemas.json: every distinct schema once, each description replaced by the byte offset of
  its line in texts.json;
- release-1.X.json: the release's group versions in discovery's order; discovery's resources;
  then a line a group version: its kinds' schema names, and its document's schema names
  with the byte offset of their line in schemas.json.
Asking for one kind parses that group version's line of the release's file, reads the two
shared ones as bytes, and parses only the lines of the schemas looked up and of their texts.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator, Mapping

from podgen._errors import ExplainError
from podgen._explaining.kinds import ApiResource
from podgen._model import versions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["group_versions", "kind_schema", "resources", "schemas"]

_FOLDER = os.path.join(os.path.dirname(__file__), "data")


def group_versions(release: str) -> tuple[str, ...]:
    """What the release serves: `v1`, `apps/v1`, ..., in discovery's order."""
    return tuple(_release(versions.parse(release))[0])


def schemas(release: str, group_version: str) -> Mapping[str, dict[str, Any]]:
    """The `components.schemas` of the release's `/openapi/v3` document of a group version.

    Each schema is parsed when first looked up; the same name gives the same (shared) dict,
    which callers must not change. An unserved group version raises ExplainError.
    """
    release = versions.parse(release)
    return _Lazy(_group_version(release, group_version)[1])


def kind_schema(release: str, group_version: str, kind: str) -> str | None:
    """The name of the schema whose x-kubernetes-group-version-kind is that kind, or None.

    As kubectl explain finds it: the first schema, by name, of the group version's document
    that lists the kind in that group version.
    """
    release = versions.parse(release)
    if group_version not in _release(release)[0]:
        return None
    return _group_version(release, group_version)[0].get(kind)


def resources(release: str) -> tuple[ApiResource, ...]:
    """The release's built-in resources, in discovery's order (/api, then /apis)."""
    return _resources(versions.parse(release))


@functools.cache
def _resources(release: str) -> tuple[ApiResource, ...]:
    return tuple(
        ApiResource(group, version, kind, plural, singular, tuple(short), namespaced, preferred)
        for group, version, kind, plural, singular, short, namespaced, preferred in json.loads(
            _release(release)[1]
        )
    )


@functools.cache
def _release(release: str) -> tuple[list[str], bytes, list[bytes]]:
    """The release's group versions, its resources' line, and a line a group version."""
    # Opened with os.path, as importlib.resources and pathlib would cost start-up time.
    with open(os.path.join(_FOLDER, f"release-{release}.json"), "rb") as file:
        lines = file.read().split(b"\n")
    return json.loads(lines[0]), lines[1], lines[2:]


@functools.cache
def _group_version(release: str, group_version: str) -> tuple[dict[str, str], dict[str, int]]:
    """A group version's kinds (their schema's name) and schemas (their offset)."""
    served, _, lines = _release(release)
    if group_version not in served:
        raise ExplainError(f"Kubernetes {release} serves no {group_version}")
    kinds, entries = json.loads(lines[served.index(group_version)])
    return kinds, entries


@functools.cache
def _file(name: str) -> bytes:
    """A shared file, read whole: slicing a line out costs less than splitting them all."""
    with open(os.path.join(_FOLDER, name), "rb") as file:
        return file.read()


def _line(name: str, offset: int) -> Any:
    """The JSON value of the line at that byte offset of a shared file."""
    data = _file(name)
    return json.loads(data[offset : data.index(b"\n", offset)])


@functools.cache
def _text(offset: int) -> str:
    text: str = _line("texts.json", offset)
    return text


@functools.cache
def _schema(offset: int) -> dict[str, Any]:
    schema: dict[str, Any] = _with_texts(_line("schemas.json", offset))
    return schema


def _with_texts(node: Any) -> Any:
    """The stored schema with each description's offset replaced by its text."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, int):
                node[key] = _text(value)
            elif isinstance(value, dict | list):
                _with_texts(value)
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, dict | list):
                _with_texts(value)
    return node


class _Lazy(Mapping[str, "dict[str, Any]"]):
    """One document's schemas by name, each parsed on first lookup."""

    def __init__(self, entries: dict[str, int]) -> None:
        self._entries = entries

    def __getitem__(self, name: str) -> dict[str, Any]:
        return _schema(self._entries[name])

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
