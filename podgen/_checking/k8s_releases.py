"""The vendored OpenAPI schema of each supported release, read lazily; which release added a field.

tools/vendor_k8s_schema.py writes podgen/_checking/schemas/: every distinct kind or definition
of the releases in `versions.SUPPORTED` once, in k8s-definitions.json (one `[name, schema]`
entry a line), and an index a release (k8s-1.X-index.json) listing its entries. Checking for
one release reads the shared file and that release's index; each schema is parsed when first
asked for, and the other releases are read only to say which one added an unknown field.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator

from podgen._errors import Path
from podgen._model import versions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@functools.cache
def schema_of(version: str) -> dict[str, Lazy]:
    """One release's kinds and definitions, each parsed when it is first needed.

    The shared file holds every release's distinct kinds and definitions, one `[name, schema]`
    entry a line; the release's index lists its entries. Only the text of those is kept, and
    parsing the few a manifest reaches costs a fraction of parsing all 750.
    """
    folder = os.path.join(os.path.dirname(__file__), "schemas")
    # Beside this module in the installed package; opened with os.path, as importlib.resources
    # and pathlib would add a tenth of podgen new's start-up time.
    with open(os.path.join(folder, f"k8s-{version}-index.json"), "rb") as file:
        entries: list[int] = json.loads(file.read())["entries"]
    lines = _shared_lines()
    sections: dict[str, Lazy] = {"kinds": Lazy(), "$defs": Lazy()}
    kinds_, definitions = sections["kinds"].raw, sections["$defs"].raw
    for number in entries:
        line = lines[number + _FIRST_ENTRY]
        # `["name",{...}],`: the names are ASCII, with no quotes or escapes
        name = line[2 : line.index(b'"', 2)].decode("ascii")
        if "/" in name:  # `apps/v1/Deployment`; a definition's dotted name has no `/`
            kinds_[name] = line
        else:
            definitions[name] = line
    return sections


#: The shared file's line of entry 0 (after its `$comment` and `"entries": [` lines).
_FIRST_ENTRY = 2


@functools.cache
def _shared_lines() -> list[bytes]:
    """The shared file's lines, as bytes: decoding all of it would cost more than the rest."""
    path = os.path.join(os.path.dirname(__file__), "schemas", "k8s-definitions.json")
    with open(path, "rb") as file:
        return file.read().split(b"\n")


class Lazy:
    """A map of names to schemas kept as their shared file's lines until first asked for."""

    def __init__(self) -> None:
        self.raw: dict[str, bytes] = {}
        self._parsed: dict[str, dict[str, Any]] = {}

    def get(self, key: str) -> dict[str, Any] | None:
        parsed = self._parsed.get(key)
        if parsed is None and key in self.raw:
            line = self.raw[key]  # `["name",{...}],`: the schema is between `",` and `]`
            text = line[line.index(b'"', 2) + 2 : line.rindex(b"]")]
            parsed = self._parsed[key] = json.loads(text)
        return parsed

    def __getitem__(self, key: str) -> dict[str, Any]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)


def added_in(api_version_kind: str, path: Path = ()) -> str | None:
    """The first supported release whose schema has the field at `path` of a kind, or None.

    `added_in("batch/v1/Job", ("spec", "successPolicy")) == "1.30"`; list indexes and map keys
    in `path` are followed as the object's are. An empty path asks for the kind itself. A
    field a later release removed still counts from the release that added it. Only the
    releases asked about are read.
    """
    for version in versions.SUPPORTED:
        if _has(version, api_version_kind, path):
            return version
    return None


def added_after(api_version_kind: str, path: Path) -> str | None:
    """The first release after the target whose schema has the field (or the kind), or None."""
    now = versions.minor(versions.target())
    for version in versions.SUPPORTED:
        if versions.minor(version) > now and _has(version, api_version_kind, path):
            return version
    return None


def removed_in(api_version_kind: str, path: Path) -> str | None:
    """The release that removed the field (or kind) the target lacks, or None.

    The one after the last supported release before the target whose schema has it:
    `removed_in("v1/Pod", ("spec", "resourceClaims", 0, "source")) == "1.31"` from 1.31 on.
    """
    releases = [
        v for v in versions.SUPPORTED if versions.minor(v) <= versions.minor(versions.target())
    ]
    for index in range(len(releases) - 1, 0, -1):
        if _has(releases[index - 1], api_version_kind, path):
            return releases[index]
    return None


def _has(version: str, api_version_kind: str, path: Path) -> bool:
    """Whether the release's schema has the field at `path` of the kind."""
    release = schema_of(version)
    node = release["kinds"].get(api_version_kind)
    for step in path:
        if node is None:
            return False
        node = _followed(node, release["$defs"])
        if isinstance(step, int):
            node = node.get("items")
        elif step in node.get("properties", {}):
            node = node["properties"][step]
        elif isinstance(node.get("additionalProperties"), dict):  # a map's key
            node = node["additionalProperties"]
        else:
            return False
    return node is not None


def _followed(schema: dict[str, Any], definitions: Lazy) -> dict[str, Any]:
    """The schema with its `$ref`s followed (rarely asked: not kept, unlike the checker's)."""
    while "$ref" in schema:
        name = schema["$ref"].split("#/$defs/")[-1]
        schema = {**definitions[name], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema
