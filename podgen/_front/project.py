"""A podgen project: `podgen.yaml` names its blueprints, output folder and environments.

podgen finds the file by walking up from the current folder, as git finds `.git`, so the bare
commands (`podgen render`, `podgen render --check`, `podgen validate`) work from the project
root or any folder below it. Each environment layers values over every pod of every
blueprint (replicas, image or tag, resources, env, namespace, labels, any blueprint word) and
over named pods (`pods: {web: {...}}`); its manifests go to `OUT/ENV`.

    apiVersion: podgen.dev/v1
    kind: Project
    blueprints: [blueprint.yaml]
    out: k8s
    environments:
      dev: {replicas: 1}
      prod: {replicas: 3, tag: "1.27.1", namespace: shop, pods: {web: {resources: {...}}}}

A value that does not apply is an error at its line in podgen.yaml: an unknown key, a wrong
type (checked against the blueprint schema), or a word a pod's kind does not take.
"""

from __future__ import annotations

import copy
import os

from podgen._errors import UsageError, closest, dotted
from podgen._io.strict_yaml import Document, decode, load_documents
from podgen._model.objects import API_VERSION
from podgen._model.options import CONTROLLER_KINDS
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from podgen._errors import Path
    from podgen._front.blueprint import Blueprint
    from podgen._io.output import OutputFile
    from podgen._model.spec import OutputFormat

PROJECT_FILE = "podgen.yaml"
PROJECT_KIND = "Project"
#: What a project is without saying: blueprint.yaml, rendered to k8s/ as YAML.
DEFAULT_BLUEPRINTS = ("blueprint.yaml",)
DEFAULT_OUT = "k8s"
DEFAULT_OUTPUT = "yaml"
_TOP_KEYS = ("apiVersion", "kind", "blueprints", "out", "output", "environments")
#: Pod keys whose maps an environment merges into the pod's, instead of replacing them.
_MERGED = ("labels", "annotations", "podLabels", "podAnnotations", "nodeSelector", "resources")


class Environment(NamedTuple):
    """One environment: values for every pod, and for pods by name."""

    name: str
    values: dict[str, Any]
    pods: dict[str, dict[str, Any]]


class Project(NamedTuple):
    """A loaded podgen.yaml, its paths relative to the current folder."""

    document: Document
    root: str
    blueprints: tuple[str, ...]
    out: str
    output: str
    environments: tuple[Environment, ...]

    def environment(self, name: str) -> Environment:
        """The environment called `name`, or a UsageError naming the ones there are."""
        for environment in self.environments:
            if environment.name == name:
                return environment
        names = [e.name for e in self.environments]
        if not names:
            raise UsageError(f"--env: {self.document.source} defines no environments")
        hint = closest(name, names)
        raise UsageError(
            f"--env: no environment {name!r} in {self.document.source}"
            + (f"; did you mean {hint!r}?" if hint else f" (it has {', '.join(names)})")
        )

    def out_folder(self, environment: Environment | None) -> str:
        """Where an environment's manifests go: OUT/ENV, or OUT without environments."""
        return os.path.join(self.out, environment.name) if environment else self.out


def find_project(start: str = ".") -> str | None:
    """The podgen.yaml in `start` or the nearest folder above it, or None."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, PROJECT_FILE)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def require_project(command: str) -> Project:
    """The project around the current folder, or the error a bare command gives without one."""
    found = find_project()
    if found is None:
        raise UsageError(
            f"{command}: no {PROJECT_FILE} here or in any folder above; give a blueprint file "
            f"or folder (`{command} blueprint.yaml`), or create one with `podgen scaffold`"
        )
    return load_project(found)


def load_project(path: str) -> Project:
    """Load and check a podgen.yaml; paths in it are relative to its folder."""
    with open(path, "rb") as file:
        source = os.path.relpath(path)
        documents = load_documents(decode(file.read(), source), source)
    if len(documents) != 1 or not isinstance(documents[0].data, dict):
        raise UsageError(f"{source}: a project file is one map with apiVersion and kind")
    document = documents[0]
    data: dict[str, Any] = document.data
    for key in data:
        if key not in _TOP_KEYS:
            hint = closest(str(key), _TOP_KEYS)
            raise _error(document, (key,), f"unknown key {key!r}" + _did_you_mean(hint))
    if data.get("apiVersion") != API_VERSION or data.get("kind") != PROJECT_KIND:
        raise _error(
            document, (), f"a project file starts with apiVersion: {API_VERSION}, kind: Project"
        )
    root = os.path.relpath(os.path.dirname(os.path.abspath(path)))
    blueprints = data.get("blueprints", list(DEFAULT_BLUEPRINTS))
    if not isinstance(blueprints, list) or not blueprints:
        raise _error(document, ("blueprints",), "a list of blueprint files or folders")
    for index, item in enumerate(blueprints):
        if not isinstance(item, str) or not item:
            raise _error(document, ("blueprints", index), "a blueprint file or folder")
        if not os.path.exists(os.path.join(root, item)):
            raise _error(document, ("blueprints", index), f"{item}: no such file or folder")
    out = data.get("out", DEFAULT_OUT)
    if not isinstance(out, str) or not out:
        raise _error(document, ("out",), "the folder the manifests go to, e.g. k8s")
    output = data.get("output", DEFAULT_OUTPUT)
    if output not in ("yaml", "json", "kyaml"):
        raise _error(document, ("output",), f"yaml, json or kyaml, not {output!r}")
    return Project(
        document=document,
        root=root,
        blueprints=tuple(_joined(root, item) for item in blueprints),
        out=_joined(root, out),
        output=output,
        environments=tuple(_environments(document)),
    )


def _joined(root: str, path: str) -> str:
    return os.path.normpath(os.path.join(root, path))


def _did_you_mean(hint: str | None) -> str:
    return f"; did you mean {hint!r}?" if hint else ""


def _error(document: Document, path: Path, message: str) -> UsageError:
    return UsageError(f"{document.where(path)}: {dotted(path) or '<top>'}: {message}")


def _environments(document: Document) -> list[Environment]:
    environments = document.data.get("environments") or {}
    if not isinstance(environments, dict):
        raise _error(document, ("environments",), "a map of environment names to values")
    found = []
    for name, values in environments.items():
        base: Path = ("environments", name)
        if not isinstance(name, str) or not name.replace("-", "").replace("_", "").isalnum():
            raise _error(document, base, "an environment's name is a word (dev, prod, eu-1)")
        values = values or {}
        if not isinstance(values, dict):
            raise _error(document, base, "a map of blueprint words to layer over every pod")
        pods = values.get("pods") or {}
        if not isinstance(pods, dict):
            raise _error(document, (*base, "pods"), "a map of pod names to their own values")
        shared = {k: v for k, v in values.items() if k != "pods"}
        _check_values(document, base, shared)
        for pod_name, pod_values in pods.items():
            if not isinstance(pod_values, dict):
                raise _error(document, (*base, "pods", pod_name), "a map of blueprint words")
            _check_values(document, (*base, "pods", pod_name), pod_values)
        found.append(Environment(name, shared, {str(k): v for k, v in pods.items()}))
    return found


def _check_values(document: Document, base: Path, values: dict[str, Any]) -> None:
    """Check environment values as a blueprint pod's words, at their lines in podgen.yaml."""
    from podgen._front.blueprint_schema import BlueprintError, check

    tag = values.get("tag")
    if "tag" in values and (not isinstance(tag, str) or not tag or "/" in tag or ":" in tag):
        raise _error(document, (*base, "tag"), "an image tag, e.g. 1.27.1")
    words = {k: v for k, v in values.items() if k not in ("tag", "name")}
    if "name" in values:
        raise _error(document, (*base, "name"), "an environment does not rename pods")
    # The values checked as one pod of a blueprint, each at its own line in podgen.yaml.
    pod = {"name": "x", "image": "x", **words}
    trial = {"apiVersion": API_VERSION, "kind": "Blueprint", "pods": [pod]}
    positions = {
        ("pods", 0, *path[len(base) :]): place
        for path, place in document.positions.items()
        if path[: len(base)] == base and len(path) > len(base)
    }
    positions[()] = positions[("pods", 0)] = document.position(base)
    try:
        check(Document(document.source, trial, positions=positions))
    except BlueprintError as error:  # named as podgen.yaml names it, not as the trial does
        message = str(error).replace(": pods[0].", f": {dotted(base)}.", 1)
        raise UsageError(message.replace(": pods[0]:", f": {dotted(base)}:", 1)) from None


def with_environment(blueprint: Blueprint, environment: Environment) -> Blueprint:
    """`blueprint` with the environment's values layered over its pods.

    Maps (labels, annotations, resources, nodeSelector) merge and env merges by name; other
    words replace the blueprint's. A Deployment-like pod keeps the selector its labels gave it,
    so that an environment's labels never change what a running Deployment selects.
    """
    from podgen._front.blueprint import blueprint_from_document

    data = copy.deepcopy(blueprint.document.data)
    values = environment.values
    if "namespace" in values:
        data["namespace"] = values["namespace"]
    for index, entry in enumerate(data.get("pods", [])):
        for layer in (
            {k: v for k, v in values.items() if k != "namespace"},
            environment.pods.get(str(entry.get("name")), {}),
        ):
            data["pods"][index] = _layered(entry, layer)
            entry = data["pods"][index]
    # The blueprint's own positions: a value the environment set is reported at its pod.
    document = Document(blueprint.document.source, data, positions=blueprint.document.positions)
    return blueprint_from_document(document)


def _layered(entry: dict[str, Any], layer: dict[str, Any]) -> dict[str, Any]:
    entry = dict(entry)
    for key, value in layer.items():
        if key == "tag":
            image = str(entry.get("image", ""))
            name = image.split("@")[0]
            if ":" in name.rsplit("/", 1)[-1]:
                name = name.rsplit(":", 1)[0]
            entry["image"] = f"{name}:{value}"
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
                entry["podLabels"] = {**entry["podLabels"], **value}
            entry["labels"] = {**labels, **value}
        elif key == "env":
            entry["env"] = _merged_env(entry.get("env"), value)
        elif key in _MERGED and isinstance(value, dict) and isinstance(entry.get(key), dict):
            entry[key] = _deep_merged(entry[key], value)
        else:
            entry[key] = copy.deepcopy(value)
    return entry


def _deep_merged(base: dict[str, Any], layer: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in layer.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merged(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _merged_env(base: Any, layer: Any) -> list[dict[str, Any]]:
    """Two env values (maps or lists of {name, value}) as one list, the layer's winning."""

    def as_list(value: Any) -> list[dict[str, Any]]:
        if isinstance(value, dict):
            return [{"name": k, "value": v} for k, v in value.items()]
        return [dict(item) for item in value or []]

    merged = {item["name"]: item for item in as_list(base)}
    for item in as_list(layer):
        merged[item["name"]] = item
    return list(merged.values())


def project_files(
    project: Project,
    environment: Environment | None,
    output: OutputFormat,
    templates: str | None = None,
) -> list[OutputFile]:
    """Every object the project's blueprints render to in one environment (or none)."""
    from podgen._errors import PodgenError
    from podgen._front.blueprint import iter_blueprints
    from podgen._io.output import unique
    from podgen._rendering.bulk import blueprint_files

    files: list[OutputFile] = []
    names: set[str] = set()  # every pod's, for the environment's `pods:`
    for source in project.blueprints:
        for blueprint in iter_blueprints(source):
            names.update(pod.name for pod in blueprint.pods)
            if environment is None:
                files.extend(blueprint_files(blueprint, output, templates))
                continue
            try:
                layered = with_environment(blueprint, environment)
                files.extend(blueprint_files(layered, output, templates))
            except PodgenError as error:
                where = project.document.where(("environments", environment.name))
                raise UsageError(f"{where}: environment {environment.name}: {error}") from None
    for name in environment.pods if environment is not None else ():
        if name not in names:
            hint = closest(name, sorted(names))
            raise _error(
                project.document,
                ("environments", environment.name, "pods", name),  # type: ignore[union-attr]
                f"no pod named {name!r} in the blueprints" + _did_you_mean(hint),
            )
    return list(unique(files))


def project_schema() -> dict[str, Any]:
    """podgen.yaml's JSON Schema, for editor completion (`podgen schema --project`)."""
    from podgen._front.blueprint_schema import POD

    values = {
        **{k: v for k, v in POD["properties"].items() if k != "name"},
        "tag": {"type": "string", "description": "The image tag for every pod, e.g. 1.27.1."},
        "namespace": {"type": "string", "description": "The blueprints' namespace."},
    }
    environment = {
        "type": "object",
        "description": "Values layered over every pod; `pods` over pods by name.",
        "properties": {
            **values,
            "pods": {
                "type": "object",
                "description": "Values for one pod, by its name.",
                "additionalProperties": {
                    "type": "object",
                    "properties": values,
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://podgen.dev/schemas/project-v1.json",
        "title": "podgen project (podgen.yaml)",
        "type": "object",
        "properties": {
            "apiVersion": {"const": API_VERSION},
            "kind": {"const": PROJECT_KIND},
            "blueprints": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Blueprint files or folders (default: blueprint.yaml).",
            },
            "out": {"type": "string", "description": "Where manifests go (default: k8s)."},
            "output": {"enum": ["yaml", "json", "kyaml"], "description": "Default: yaml."},
            "environments": {
                "type": "object",
                "description": "Each renders into OUT/ENV.",
                "additionalProperties": environment,
            },
        },
        "required": ["apiVersion", "kind"],
        "additionalProperties": False,
    }
