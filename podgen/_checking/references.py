"""What pods refer to by name in their own namespace, and references a render cannot meet.

A pod finds the ConfigMaps, Secrets and PersistentVolumeClaims it names (volumes, projected
sources, envFrom, env valueFrom, imagePullSecrets) only in its own namespace. When a render
writes such an object, but only into other namespaces, the pod would not start (or would run
without its configuration): `misplaced` finds those references. An object the render does not
write at all is no finding: it may be in the cluster already.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from podgen._errors import Path, dotted
from podgen._model.objects import object_identity, pod_spec
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Reference(NamedTuple):
    """One object a pod names: its kind, its name, and the manifest field that names it."""

    kind: str
    name: str
    path: str


class Misplaced(NamedTuple):
    """A pod's reference to an object that the render writes only into other namespaces."""

    pod: int  #: the index of the object that runs the pod
    reference: Reference
    elsewhere: int  #: the index of the first object of that kind and name


#: Where a volume names an object: the volume source, the object's kind and the name's key.
_VOLUME_SOURCES = (
    ("configMap", "ConfigMap", "name"),
    ("secret", "Secret", "secretName"),
    ("persistentVolumeClaim", "PersistentVolumeClaim", "claimName"),
)
_PROJECTED_SOURCES = (("configMap", "ConfigMap"), ("secret", "Secret"))
_ENV_FROM = (("configMapRef", "ConfigMap"), ("secretRef", "Secret"))
_ENV_KEY_REFS = (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret"))


def pod_references(obj: Any) -> Iterator[Reference]:
    """The ConfigMaps, Secrets and PersistentVolumeClaims an object's pods name, in order."""
    found = pod_spec(obj)
    if found is None:
        return
    spec, base = found
    for index, volume in _items(spec, "volumes"):
        at: Path = (*base, "volumes", index)
        for source, kind, key in _VOLUME_SOURCES:
            yield from _named(volume.get(source), kind, key, (*at, source))
        projected = volume.get("projected")
        sources = projected.get("sources") if isinstance(projected, dict) else None
        for number, item in enumerate(sources if isinstance(sources, list) else ()):
            for source, kind in _PROJECTED_SOURCES:
                if isinstance(item, dict):
                    where = (*at, "projected", "sources", number, source)
                    yield from _named(item.get(source), kind, "name", where)
    for group in ("initContainers", "containers", "ephemeralContainers"):
        for index, container in _items(spec, group):
            at = (*base, group, index)
            for number, item in _items(container, "envFrom"):
                for source, kind in _ENV_FROM:
                    where = (*at, "envFrom", number, source)
                    yield from _named(item.get(source), kind, "name", where)
            for number, item in _items(container, "env"):
                value_from = item.get("valueFrom")
                for source, kind in _ENV_KEY_REFS:
                    if isinstance(value_from, dict):
                        where = (*at, "env", number, "valueFrom", source)
                        yield from _named(value_from.get(source), kind, "name", where)
    for index, item in _items(spec, "imagePullSecrets"):
        yield from _named(item, "Secret", "name", (*base, "imagePullSecrets", index))


def _items(parent: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = parent.get(key)
    for index, item in enumerate(items if isinstance(items, list) else ()):
        if isinstance(item, dict):
            yield index, item


def _named(source: Any, kind: str, key: str, at: Path) -> Iterator[Reference]:
    if isinstance(source, dict) and isinstance(source.get(key), str) and source[key]:
        yield Reference(kind, source[key], dotted((*at, key)))


def misplaced(objects: Sequence[Any]) -> Iterator[Misplaced]:
    """Each reference of a pod in `objects` to an object they hold only in other namespaces.

    An object or pod without a namespace goes wherever it is applied: no finding for it.
    """
    namespaces: dict[tuple[str, str, str], dict[str, int]] = {}
    for index, obj in enumerate(objects):
        kind, namespace, name, group = object_identity(obj)
        namespaces.setdefault((kind, name, group), {}).setdefault(namespace, index)
    for index, obj in enumerate(objects):
        namespace = object_identity(obj)[1]
        for reference in pod_references(obj):
            # What a pod names is built in: a custom `ConfigMap` is another kind.
            written = namespaces.get((reference.kind, reference.name, ""), {})
            if written and namespace not in written and namespace and "" not in written:
                yield Misplaced(index, reference, min(written.values()))
