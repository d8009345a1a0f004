"""An environment's values layered over a blueprint: what `podgen.yaml` changes, and where.

`with_environment` takes a blueprint and one environment of the project and gives the
blueprint that environment renders: words over the pods whose kind takes them, `pods:` over
pods by name (or `BLUEPRINT:POD`), labels over every object, the namespace over every object
without its own. It keeps where each value came from, so that an error at one names its line
in podgen.yaml (`_blueprint.layers.Layers`). What applies is checked before, in
`_commands.project.check_environment`.
"""

from __future__ import annotations

import copy
import posixpath

from podgen._io.strict_yaml import Document
from podgen._model.options import CONTROLLER_KINDS
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from podgen._blueprint.loader import Blueprint
    from podgen._errors import Path

#: Pod keys whose maps an environment merges into the pod's, instead of replacing them.
_MERGED = (
    "labels",
    "annotations",
    "podLabels",
    "podAnnotations",
    "jobLabels",
    "jobAnnotations",
    "nodeSelector",
    "resources",
)


class Environment(NamedTuple):
    """One environment: values for every pod, and for pods by name (or `BLUEPRINT:POD`)."""

    name: str
    values: dict[str, Any]
    pods: dict[str, dict[str, Any]]
    #: The podgen.yaml it is in, whose lines errors at its values name.
    document: Document | None = None
    #: The Kubernetes release its cluster runs (`kubernetesVersion:`); None: the project's.
    kubernetes_version: str | None = None


def with_environment(
    blueprint: Blueprint, environment: Environment, key: str | None = None
) -> Blueprint:
    """`blueprint` with the environment's values layered over it.

    `key` is the blueprint file's path in the project folder: `pods:` keys of the form
    `KEY:POD` reach its pods. Maps (labels, annotations, resources, nodeSelector) merge and
    env merges by name; other words replace the blueprint's. An environment-wide word reaches
    only the pods whose kind takes it. Environment-wide labels reach every object (Services,
    objects, the Namespace) but never a selector: a Deployment-like pod keeps the selector its
    labels gave it, which a cluster does not let change. Where each value came from is kept
    (`Layers`), so that an error at one names its line in podgen.yaml.
    """
    from podgen._blueprint.layers import Layers
    from podgen._blueprint.loader import blueprint_from_document
    from podgen._model.objects import cluster_scoped_kinds, is_namespaced
    from podgen._model.words import kinds_taking

    data = copy.deepcopy(blueprint.document.data)
    base: Path = ("environments", environment.name)
    paths: dict[Path, Path] = {}
    values = environment.values
    shared = {k: v for k, v in values.items() if k != "namespace"}
    for index, entry in enumerate(data.get("pods", [])):
        targets = targets_of(environment, key, str(entry.get("name")))
        kind = kind_after(entry, shared, [environment.pods[target] for target in targets])
        layers = [(base, {k: v for k, v in shared.items() if kind in kinds_taking(k)})]
        layers += [((*base, "pods", target), environment.pods[target]) for target in targets]
        for at, layer in layers:
            entry = _layered(entry, layer, ("pods", index), at, paths)
        data["pods"][index] = entry
    labels = values.get("labels")
    if isinstance(labels, dict) and labels:
        at = (*base, "labels")
        for index, service in enumerate(data.get("services", [])):
            service["labels"] = {**service.get("labels", {}), **labels}
            paths.update({("services", index, "labels", k): (*at, k) for k in labels})
        for index, obj in enumerate(data.get("objects", [])):
            metadata = obj.setdefault("metadata", {})
            metadata["labels"] = {**(metadata.get("labels") or {}), **labels}
            paths.update({("objects", index, "metadata", "labels", k): (*at, k) for k in labels})
        if data.get("createNamespace"):
            data["namespaceLabels"] = {**data.get("namespaceLabels", {}), **labels}
            paths.update({("namespaceLabels", k): (*at, k) for k in labels})
    if "namespace" in values:  # the blueprint's: every object without its own takes it
        data["namespace"] = values["namespace"]
        at = (*base, "namespace")
        paths[("namespace",)] = at
        for group in ("pods", "services"):
            for index, entry in enumerate(data.get(group, [])):
                if "namespace" not in entry:
                    paths[(group, index, "namespace")] = at
        cluster_kinds = cluster_scoped_kinds(data.get("objects", []))
        for index, obj in enumerate(data.get("objects", [])):
            own = (obj.get("metadata") or {}).get("namespace")
            if not own and is_namespaced(obj, cluster_kinds):
                paths[("objects", index, "metadata", "namespace")] = at
    # The blueprint's own positions: the environment's values are named by `Layers`.
    document = Document(blueprint.document.source, data, positions=blueprint.document.positions)
    layers_of = None if environment.document is None else Layers(environment.document, paths)
    return blueprint_from_document(document, layers_of)


def targets_of(environment: Environment, key: str | None, name: str) -> list[str]:
    """The keys of the environment's `pods:` that reach the pod `name` of blueprint `key`.

    The pod's name first, then `KEY:NAME`: one blueprint's values win over every one's.
    """
    keys = [name] if key is None else [name, f"{key}:{name}"]
    return sorted(
        (target for target in environment.pods if pod_key(target) in keys),
        key=lambda target: ":" in target,
    )


def pod_key(target: str) -> str:
    """A `pods:` key as `targets_of` compares it: `BLUEPRINT:POD` with the path made plain."""
    if ":" not in target:
        return target
    key, _, name = target.rpartition(":")
    plain = posixpath.normpath(key.replace("\\", "/"))  # a Windows path, as written there
    return f"{plain}:{name}"


def kind_after(entry: dict[str, Any], shared: dict[str, Any], own: list[dict[str, Any]]) -> str:
    """A pod's kind once the environment is layered over it."""
    kind = str(shared.get("kind", entry.get("kind", "pod")))
    for values in own:
        kind = str(values.get("kind", kind))
    return kind


def repository(image: str) -> str:
    """An image's repository, without tag or digest: `nginx` for nginx:1.25.3@sha256:..."""
    name = image.split("@")[0]
    return name.rsplit(":", 1)[0] if ":" in name.rsplit("/", 1)[-1] else name


def _layered(
    entry: dict[str, Any], layer: dict[str, Any], base: Path, at: Path, paths: dict[Path, Path]
) -> dict[str, Any]:
    """The pod `entry` (at `base`) with `layer` (at `at` in podgen.yaml) over it.

    `paths` gets, for each blueprint path a value of the layer set, that value's path.
    """
    entry = dict(entry)
    # The tag last: it re-tags the layer's own image, whichever order podgen.yaml has.
    for key, value in sorted(layer.items(), key=lambda item: item[0] == "tag"):
        if key == "tag":
            entry["image"] = f"{repository(str(entry.get('image', '')))}:{value}"
            paths[(*base, "image")] = (*at, "tag")
        elif key == "labels" and isinstance(value, dict):
            kind = entry.get("kind", "pod")
            default = (
                {}
                if kind in ("job", "cronjob")
                else {"app" if kind in CONTROLLER_KINDS else "run": entry.get("name")}
            )
            labels = entry.get("labels", default)
            if kind in CONTROLLER_KINDS:
                entry.setdefault("selector", labels)  # what it selects stays as it was
                entry.setdefault("podLabels", entry["selector"])
            if "podLabels" in entry:  # a Job's pods have labels of their own: they get it too
                entry["podLabels"] = {**entry["podLabels"], **value}
                paths.update({(*base, "podLabels", k): (*at, key, k) for k in value})
            entry["labels"] = {**labels, **value}
            paths.update({(*base, "labels", k): (*at, key, k) for k in value})
        elif key == "env":
            entry["env"] = _merged_env(entry.get("env"), value)
            for index, item in enumerate(_env_list(value)):
                name = item["name"]
                paths[(*base, "env", name)] = (
                    *at,
                    "env",
                    name if isinstance(value, dict) else index,
                )
        elif key in _MERGED and isinstance(value, dict) and isinstance(entry.get(key), dict):
            entry[key] = _deep_merged(entry[key], value)
            _leaves(value, (*base, key), (*at, key), paths)
        else:
            entry[key] = copy.deepcopy(value)
            paths[(*base, key)] = (*at, key)
    return entry


def _leaves(value: dict[str, Any], base: Path, at: Path, paths: dict[Path, Path]) -> None:
    """Each value of a merged map, by its path in the blueprint and in podgen.yaml."""
    for key, item in value.items():
        if isinstance(item, dict):
            _leaves(item, (*base, key), (*at, key), paths)
        else:
            paths[(*base, key)] = (*at, key)


def _deep_merged(base: dict[str, Any], layer: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in layer.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merged(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _env_list(value: Any) -> list[dict[str, Any]]:
    """An env value (a map, or a list of {name, value}) as a list."""
    if isinstance(value, dict):
        return [{"name": k, "value": v} for k, v in value.items()]
    return [dict(item) for item in value or []]


def _merged_env(base: Any, layer: Any) -> list[dict[str, Any]]:
    """Two env values (maps or lists of {name, value}) as one list, the layer's winning."""
    merged = {item["name"]: item for item in _env_list(base)}
    for item in _env_list(layer):
        merged[item["name"]] = item
    return list(merged.values())
