"""Errors at values a project's environment layered over a blueprint, named in podgen.yaml.

A blueprint an environment rendered keeps, in `Layers`, where each value the environment set
stands in podgen.yaml. An error at such a value names podgen.yaml's line first, then the
blueprint entry as context (`LayerError`): the user fixes podgen.yaml, not the blueprint.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from podgen._building.sources import key_of
from podgen._errors import (
    InvalidFieldError,
    Path,
    PodgenError,
    SpecError,
    UsageError,
    dotted,
    parse_path,
    quoted,
)
from podgen._io.strict_yaml import Document
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    from podgen._model.spec import PodRequest

    class Layered(Protocol):
        """A blueprint, as these functions read it (`_blueprint.loader.Blueprint`)."""

        @property
        def document(self) -> Document: ...

        @property
        def layers(self) -> Layers | None: ...


class Layers(NamedTuple):
    """Where the values a project's environment layered over a blueprint stand in podgen.yaml.

    `paths` maps a blueprint path (`("pods", 1, "replicas")`) to the podgen.yaml path of the
    value that set it (`("environments", "prod", "pods", "web", "replicas")`); for a map the
    environment merged keys into, each key's. An error at such a value names podgen.yaml's
    line first and the blueprint's entry after it (`LayerError`).
    """

    document: Document
    paths: Mapping[Path, Path]


class LayerError(UsageError):
    """An error at a value a project's environment set: podgen.yaml's place comes first."""


#: No value shown: an error about a whole field (`{port} must be set`).
_UNSHOWN = object()


def layered_at(blueprint: Layered, path: Path, value: Any = _UNSHOWN) -> Path | None:
    """The podgen.yaml path of the value at blueprint `path`, if an environment set it.

    A value within one the environment set is its (`resources.limits.memory` within
    `resources`). In a map the environment merged keys into (`labels`), the key whose name or
    value is `value` (the one an error shows), or without one the environment's part of it.
    """
    layers = blueprint.layers
    if layers is None:
        return None
    for end in range(len(path), 0, -1):
        found = layers.paths.get(path[:end])
        if found is not None:
            return (*found, *path[end:])
    for at, found in layers.paths.items():
        if at[:-1] != path:
            continue
        if value is _UNSHOWN:
            return found[:-1]
        if value in (at[-1], _value_at(blueprint.document.data, at)):
            return found
    return None


def _value_at(data: Any, path: Path) -> Any:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _layer_error(
    blueprint: Layered, path: Path, reason: str, value: Any = _UNSHOWN
) -> LayerError | None:
    """`podgen.yaml:L:C: environments.ENV...: reason (pod 'web' at blueprint.yaml:L:C)`."""
    at = layered_at(blueprint, path, value)
    if at is None or blueprint.layers is None:
        return None
    where = blueprint.layers.document.where(at)
    return LayerError(f"{where}: {dotted(at)}: {reason} ({_entry(blueprint, path)})")


def _entry(blueprint: Layered, path: Path) -> str:
    """The blueprint entry `path` is in, and its place: `pod 'web' at blueprint.yaml:4:5`."""
    data, where = blueprint.document.data, blueprint.document.where
    if len(path) >= 2 and path[0] in ("pods", "services", "objects"):
        entry = data[path[0]][path[1]]
        if path[0] == "objects":
            metadata = entry.get("metadata") or {}
            what = f"{entry.get('kind')} {quoted(metadata.get('name'))}"
        else:
            what = f"{'pod' if path[0] == 'pods' else 'service'} {quoted(entry.get('name'))}"
        return f"{what} at {where(path[:2])}"
    return f"the blueprint's {dotted(path[:1])} at {where(path[:1])}"


def spec_layer_error(blueprint: Layered, base: Path, error: SpecError) -> LayerError | None:
    """A pod's rule broken by a value the environment set: the field's, or one it names.

    `resources.requests: cpu=100m is more than its limit` is the environment's error when
    the environment set the request, or the limit it names (`{resources.limits}`).
    """
    name_of = layer_namer(blueprint, base)
    message = error.render(name_of)
    reason = message[len(name_of(error.field)) + 2 :]
    layer_error = _layer_error(blueprint, (*base, *error.field.split(".")), reason)
    for named in re.findall(r"\{([A-Za-z.]+)\}", error.reason):
        if layer_error is None:
            layer_error = _layer_error(blueprint, (*base, *named.split(".")), message)
    return layer_error


def layer_namer(blueprint: Layered, base: Path) -> Callable[[str], str]:
    """Names keys as podgen.yaml has them where the environment set them, else as `_namer`."""

    def name_of(key: str) -> str:
        at = layered_at(blueprint, (*base, *key.split(".")))
        return dotted(at) if at is not None else f"{dotted(base)}.{key}"

    return name_of


def reframer(
    blueprint: Layered, path_of: Callable[[str], Path]
) -> Callable[[InvalidFieldError], PodgenError | None]:
    """For `Planned.reframe`: a field error at a value the environment set, named there."""

    def reframe(error: InvalidFieldError) -> PodgenError | None:
        plain = InvalidFieldError(
            error.path, error.value, error.reason, show_value=error.show_value
        )
        return _layer_error(blueprint, path_of(error.path), str(plain), error.value)

    return reframe


def pod_path(base: Path, request: PodRequest) -> Callable[[str], Path]:
    """The blueprint path of the key that set a pod object's manifest field."""

    def path_of(manifest_path: str) -> Path:
        key = key_of(manifest_path, request)
        return base if key is None else (*base, *parse_path(key))

    return path_of


def service_path(base: Path) -> Callable[[str], Path]:
    def path_of(manifest_path: str) -> Path:
        for field, key in (("metadata.labels", "labels"), ("metadata.namespace", "namespace")):
            if manifest_path.startswith(field):
                return (*base, key)
        return base

    return path_of


def object_path(base: Path) -> Callable[[str], Path]:
    return lambda manifest_path: (*base, *parse_path(manifest_path))


def namespace_path(manifest_path: str) -> Path:
    """The Namespace's fields: its labels are `namespaceLabels`, the rest `namespace`'s."""
    return ("namespaceLabels",) if manifest_path.startswith("metadata.labels") else ("namespace",)
