"""A podgen project: `podgen.yaml` names its blueprints, output folder and environments.

podgen finds the file by walking up from the current folder, as git finds `.git`, so the bare
commands (`podgen render`, `podgen render --check`, `podgen validate`) work from the project
root or any folder below it. Each environment layers values over the pods of every blueprint
(replicas, image or tag, resources, env, labels, any blueprint word) and over named pods
(`pods: {web: {...}}`), and may move the blueprints to its own `namespace`; its manifests go to
`OUT/ENV`.

    apiVersion: podgen.dev/v1
    kind: Project
    blueprints: [api/blueprint.yaml, worker/blueprint.yaml]
    out: k8s
    environments:
      dev: {labels: {env: dev}, env: {LOG_LEVEL: debug}}
      prod:
        namespace: shop-prod
        replicas: 3
        pods: {web: {tag: "1.27.1"}, "worker/blueprint.yaml:web": {resources: {...}}}

What each value reaches:

- An environment-wide word reaches the pods whose kind takes it (`replicas` the Deployments,
  StatefulSets and ReplicaSets, `schedule` the CronJobs, ...) and is skipped for the others;
  it is an error only when no pod of the project takes it. A word under `pods:` for a pod
  whose kind does not take it is an error.
- `pods: {web: ...}` reaches the pods named `web`; when several blueprints have one, that is
  an error, and `BLUEPRINT:POD` (the blueprint file's path from the project folder,
  `api/blueprint.yaml:web`) names one blueprint's.
- `tag` replaces the tag of the app container's image. A tag is one repository's, so an
  environment-wide `tag` is an error when the pods it reaches run images of more than one
  repository: set `tag` per pod under `pods:`. A tag on an image pinned by digest
  (`nginx@sha256:...`) is an error, since it would drop the digest: give a new `image`.
- `labels` reach every object the environment renders (pods, Services, objects, the
  Namespace) but never a selector, which a running Deployment does not let change.
- `namespace` is the blueprints': every pod, Service and object without one of its own
  takes it, cluster-scoped objects (a ClusterRole, a Namespace) never.

A value that does not apply is an error at its own line in podgen.yaml, the blueprint's line
after it as context: an unknown key, a wrong type (checked against the blueprint schema), a
word no pod or not this pod's kind takes, or a value the API server would refuse.
"""

from __future__ import annotations

import contextlib
import os
import posixpath

from podgen._commands.layering import (
    Environment,
    with_environment,
)
from podgen._commands.project_checks import PROJECT_FILE as PROJECT_FILE
from podgen._commands.project_checks import _did_you_mean, _error, check_environment
from podgen._errors import UsageError, closest, dotted, one_of, quoted
from podgen._io.files import source_bytes
from podgen._io.output import WINDOWS_RESERVED_NAMES
from podgen._io.strict_yaml import Document, decode, load_documents
from podgen._model.objects import API_VERSION
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from podgen._blueprint.loader import Blueprint
    from podgen._errors import Path
    from podgen._io.plan import OutputFile
    from podgen._model.spec import OutputFormat

PROJECT_KIND = "Project"
#: What a project is without saying: blueprint.yaml, rendered to k8s/ as YAML.
DEFAULT_BLUEPRINTS = ("blueprint.yaml",)
DEFAULT_OUT = "k8s"
DEFAULT_OUTPUT = "yaml"
_TOP_KEYS = (
    "apiVersion",
    "kind",
    "blueprints",
    "out",
    "output",
    "kustomization",
    "environments",
    "crds",
    "kubernetesVersion",
)
#: The key of the Kubernetes release a project's (or one environment's) cluster runs.
VERSION_KEY = "kubernetesVersion"
#: A key of an environment's `pods:`: a pod's name (a DNS subdomain, as the API has it), or
#: BLUEPRINT:POD for the pod of one blueprint file.
POD_KEY_PATTERN = r"^([^:]+:)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"


class Project(NamedTuple):
    """A loaded podgen.yaml, its paths relative to the current folder."""

    document: Document
    root: str
    blueprints: tuple[str, ...]
    out: str
    output: str
    environments: tuple[Environment, ...]
    #: Whether podgen writes a kustomization.yaml listing the manifests in each folder
    #: (`kustomization: false` when the folder holds a kustomization of the team's own).
    kustomization: bool = True
    #: CRD files and folders (`crds:`): custom resources under `objects:` and among the
    #: manifests validate reads are checked with them.
    crds: tuple[str, ...] = ()
    #: The Kubernetes release the clusters run (`kubernetesVersion:`); None: the newest.
    kubernetes_version: str | None = None

    def environment(self, name: str) -> Environment:
        """The environment called `name`, or a UsageError naming the ones there are."""
        for environment in self.environments:
            if environment.name == name:
                return environment
        names = [e.name for e in self.environments]
        if not names:
            raise UsageError(f"--env: {self.document.source} defines no environments")
        if "," in name:
            several = " ".join(f"--env {part.strip()}" for part in name.split(","))
            raise UsageError(f"--env: one environment a flag; repeat it for several: {several}")
        hint = closest(name, names)
        raise UsageError(
            f"--env: no environment {quoted(name)} in {self.document.source}"
            + (f"; did you mean {quoted(hint)}?" if hint else f" (it has {', '.join(names)})")
        )

    def out_folder(self, environment: Environment | None) -> str:
        """Where an environment's manifests go: OUT/ENV, or OUT without environments."""
        return os.path.join(self.out, environment.name) if environment else self.out


def find_project(start: str = ".") -> str | None:
    """The podgen.yaml in `start` or the nearest folder above it, or None."""
    from podgen._io.files import find_upward

    return find_upward(PROJECT_FILE, start)


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
    document, root = _load_document(path)
    data: dict[str, Any] = document.data
    for key in data:
        if key not in _TOP_KEYS:
            hint = closest(str(key), _TOP_KEYS)
            raise _error(document, (key,), f"unknown key {quoted(key)}" + _did_you_mean(hint))
    if data.get("apiVersion") != API_VERSION or data.get("kind") != PROJECT_KIND:
        raise _error(
            document, (), f"a project file starts with apiVersion: {API_VERSION}, kind: Project"
        )
    blueprints = data.get("blueprints", list(DEFAULT_BLUEPRINTS))
    if not isinstance(blueprints, list) or not blueprints:
        raise _error(document, ("blueprints",), "a list of blueprint files or folders")
    _check_paths(document, root, "blueprints", blueprints, "a blueprint file or folder")
    out = data.get("out", DEFAULT_OUT)
    if not isinstance(out, str) or not out:
        raise _error(document, ("out",), "the folder the manifests go to, e.g. k8s")
    output = data.get("output", DEFAULT_OUTPUT)
    from podgen._model.spec import OutputFormat  # (the rest of a project's load needs none)

    if output not in tuple(OutputFormat):
        raise _error(document, ("output",), f"{one_of(OutputFormat)}, not {quoted(output)}")
    kustomization = data.get("kustomization", True)
    if not isinstance(kustomization, bool):
        raise _error(document, ("kustomization",), f"true or false, not {quoted(kustomization)}")
    return Project(
        document=document,
        kubernetes_version=_release(document, (VERSION_KEY,)),
        kustomization=kustomization,
        crds=_crds(document, root),
        root=root,
        blueprints=tuple(_joined(root, item) for item in blueprints),
        out=_joined(root, out),
        output=output,
        environments=tuple(_environments(document)),
    )


def _load_document(path: str) -> tuple[Document, str]:
    """A podgen.yaml's one document, and the folder its paths are relative to."""
    source = os.path.relpath(path)
    documents = load_documents(decode(source_bytes(path), source), source)
    if len(documents) != 1 or not isinstance(documents[0].data, dict):
        raise UsageError(f"{source}: a project file is one map with apiVersion and kind")
    return documents[0], os.path.relpath(os.path.dirname(os.path.abspath(path)))


def _crds(document: Document, root: str) -> tuple[str, ...]:
    """The `crds:` files and folders, each checked to exist, relative to the current folder."""
    crds = document.data.get("crds", [])
    if not isinstance(crds, list):
        raise _error(document, ("crds",), "a list of CRD files or folders")
    _check_paths(document, root, "crds", crds, "a CRD file or folder")
    return tuple(_joined(root, item) for item in crds)


def _check_paths(document: Document, root: str, key: str, items: list[Any], what: str) -> None:
    """Each item of the list under `key` names a file or folder that exists (`what` if not text)."""
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item:
            raise _error(document, (key, index), what)
        if not os.path.exists(os.path.join(root, item)):
            raise _error(document, (key, index), f"{item}: no such file or folder")


def explain_settings(path: str, release: bool) -> tuple[str | None, tuple[str, ...]]:
    """What `podgen explain` takes from a podgen.yaml: its release and its `crds:`.

    The release is None when `release` is False (--k8s-version was given). Only those two
    are read and checked: a project whose blueprints are wrong or not written yet explains.
    """
    document, root = _load_document(path)
    return (_release(document, (VERSION_KEY,)) if release else None), _crds(document, root)


def _release(document: Document, path: Path) -> str | None:
    """The release `kubernetesVersion:` at `path` names, if there is one; a UsageError if bad.

    YAML reads an unquoted `1.30` as the number 1.3: a release is refused unless quoted,
    with what the file wrote, so that the error is never about a release nobody wrote.
    """
    from podgen._model.versions import NEWEST, parse

    data: Any = document.data
    for key in path[:-1]:
        data = data.get(key) or {}
    if path[-1] not in data:
        return None
    value, where = data[path[-1]], f"{document.where(path)}: {dotted(path)}"
    if isinstance(value, str):
        return parse(value, where)
    written = document.written(path, value)
    if isinstance(value, bool) or not isinstance(value, int | float) or written is None:
        shown = written or ("null" if value is None else quoted(value))  # as YAML has it
        raise UsageError(f'{where}: expected a Kubernetes version like "{NEWEST}", not {shown}')
    parse(written, where)  # a release podgen has, or the error that says why not
    misread = f"as the number {value}" if written != str(value) else "as a number"
    raise UsageError(
        f'{where}: quote the release, "{written}": unquoted, YAML reads {written} {misread}'
    )


def _joined(root: str, path: str) -> str:
    return os.path.normpath(os.path.join(root, path))


def _environments(document: Document) -> list[Environment]:
    environments = document.data.get("environments") or {}
    if not isinstance(environments, dict):
        raise _error(document, ("environments",), "a map of environment names to values")
    found = []
    folded: dict[str, str] = {}  # each name as a case-insensitive file system sees it
    for name, values in environments.items():
        base: Path = ("environments", name)
        if not isinstance(name, str) or not name.replace("-", "").replace("_", "").isalnum():
            raise _error(document, base, "an environment's name is a word (dev, prod, eu-1)")
        # Its name is a folder's: one a Windows or macOS checkout can hold beside the others.
        if name.casefold() in folded:
            raise _error(
                document,
                base,
                f"{quoted(name)} and {quoted(folded[name.casefold()])} are one folder on Windows "
                "and macOS; "
                "rename one",
            )
        if name.casefold() in WINDOWS_RESERVED_NAMES:
            raise _error(document, base, f"{quoted(name)} is a name Windows keeps for a device")
        folded[name.casefold()] = name
        values = values or {}
        if not isinstance(values, dict):
            raise _error(document, base, "a map of blueprint words to layer over every pod")
        pods = values.get("pods") or {}
        if not isinstance(pods, dict):
            raise _error(document, (*base, "pods"), "a map of pod names to their own values")
        release = _release(document, (*base, VERSION_KEY))
        _check_not_a_release(document, base, values)
        shared = {k: v for k, v in values.items() if k not in ("pods", VERSION_KEY)}
        _check_values(document, base, shared)
        for pod_name, pod_values in pods.items():
            at = (*base, "pods", pod_name)
            blueprint, colon, pod = str(pod_name).rpartition(":")
            if not pod or (colon and not blueprint):
                raise _error(
                    document,
                    at,
                    "a pod's name, or BLUEPRINT:POD for one blueprint's pod "
                    "(api/blueprint.yaml:web)",
                )
            if not isinstance(pod_values, dict):
                raise _error(document, at, "a map of blueprint words")
            _check_values(document, at, pod_values)
        pods = {str(k): v for k, v in pods.items()}
        found.append(Environment(name, shared, pods, document, release))
    return found


def _check_not_a_release(document: Document, base: Path, values: dict[str, Any]) -> None:
    """Refuse a key that misspells `kubernetesVersion`, which is no pod word to suggest."""
    from podgen._blueprint.schema import POD

    for key in values:
        if key in POD["properties"] or key in ("pods", "tag", VERSION_KEY):
            continue
        if closest(str(key), (*POD["properties"], VERSION_KEY)) == VERSION_KEY:
            message = f"unknown key {quoted(key)}" + _did_you_mean(VERSION_KEY)
            raise _error(document, (*base, key), message)


def _check_values(document: Document, base: Path, values: dict[str, Any]) -> None:
    """Check environment values as a blueprint pod's words, at their lines in podgen.yaml."""
    from podgen._blueprint.schema import BlueprintError, check

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


def blueprint_key(project: Project, blueprint: Blueprint) -> str:
    """A blueprint file's path in the project folder, as `pods:` keys name it."""
    relative = os.path.relpath(blueprint.document.source, project.root)
    return posixpath.normpath(relative.replace(os.sep, "/"))


def project_files(
    project: Project,
    environment: Environment | None,
    output: OutputFormat,
    templates: str | None = None,
) -> list[OutputFile]:
    """Every object the project's blueprints render to in one environment (or none).

    The environment is checked against every blueprint's pods before anything renders
    (`check_environment`). The objects of all the blueprints are one render: a pod that
    names a ConfigMap, Secret or claim it writes only into another namespace is an error.
    """
    from podgen._blueprint.layers import LayerError
    from podgen._blueprint.loader import iter_blueprints, where_rendered
    from podgen._errors import PodgenError
    from podgen._io.output import unique
    from podgen._rendering.bulk import rendered_files
    from podgen._rendering.dropped import add, collecting
    from podgen._rendering.pipeline import Rendered, check_references, render_each

    blueprints = [
        (blueprint, blueprint_key(project, blueprint))
        for source in project.blueprints
        for blueprint in iter_blueprints(source)
    ]
    if environment is not None:
        check_environment(project.document, environment, blueprints)
    renders: list[tuple[Blueprint, list[Rendered]]] = []
    try:
        with crds_of(project), targeting_release(project, environment), collecting() as found:
            for blueprint, key in blueprints:
                layered = (
                    blueprint
                    if environment is None
                    else with_environment(blueprint, environment, key)
                )
                renders.append((layered, render_each(layered, templates)))
        check_references([item for _, rendered in renders for item in rendered])
        if environment is not None:  # each environment's are its own, at its release
            where = project.document.where(("environments", environment.name))
            found = [f"{where}: environment {environment.name}: {line}" for line in found]
        add(found)
    except LayerError:
        raise  # named at the value's line in podgen.yaml already
    except PodgenError as error:
        if environment is None:
            raise
        where = project.document.where(("environments", environment.name))
        raise UsageError(f"{where}: environment {environment.name}: {error}") from None
    files = [
        file
        for blueprint, rendered in renders
        for file in rendered_files(
            blueprint, [(item.document, item.origin) for item in rendered], output
        )
    ]
    return list(unique(files, where_rendered))


def targeting_release(
    project: Project, environment: Environment | None
) -> contextlib.AbstractContextManager[object]:
    """Target the release an environment's cluster runs while it renders.

    The environment's `kubernetesVersion:`, else the project's; a release the run was told
    (`--k8s-version`) wins over both, and without any the newest stands.
    """
    from podgen._model.versions import chosen, targeting

    own = environment.kubernetes_version if environment is not None else None
    version = own or project.kubernetes_version
    if chosen() is not None or version is None:
        return contextlib.nullcontext()
    path: Path = (VERSION_KEY,)
    if own is not None and environment is not None:
        path = ("environments", environment.name, VERSION_KEY)
    return targeting(version, f"{project.document.where(path)}: {dotted(path)}")


def release_by_path(project: Project) -> Callable[[str], contextlib.AbstractContextManager[object]]:
    """What targets the release each file (or folder) of the project is checked at.

    A manifest under an environment's folder (OUT/ENV), or that folder, is checked at its
    environment's release; podgen.yaml renders each environment at its own
    (`project_files`); anything else (the blueprints, OUT without environments) is checked
    at the project's.
    """
    folders = [(os.path.abspath(project.out_folder(e)) + os.sep, e) for e in project.environments]
    itself = os.path.abspath(project.document.source)

    def release_of(name: str) -> contextlib.AbstractContextManager[object]:
        path = os.path.abspath(name)
        if path == itself:
            return contextlib.nullcontext()
        for folder, environment in folders:
            if (path + os.sep).startswith(folder):  # a file in the folder, or the folder
                return targeting_release(project, environment)
        return targeting_release(project, None)

    return release_of


def crds_of(project: Project) -> contextlib.AbstractContextManager[object]:
    """The project's `crds:`, then the CRDs given, while it renders (none: nothing to load)."""
    if not project.crds:
        return contextlib.nullcontext()
    from podgen._checking.crd_catalog import catalog_of, given, using

    catalog = catalog_of(project.crds)  # checked to exist when podgen.yaml loaded
    catalog.fallback = given()
    return using(catalog)
