"""The blueprint front end: podgen's declarative DSL, read into the same PodRequest as flags.

A blueprint is one YAML document (`apiVersion: podgen.dev/v1`, `kind: Blueprint`) holding
pods, Services and a Namespace. Loading is strict (see `_strict_yaml`) and checked against
the schema in `_blueprint_schema`; every later error is prefixed with the file, line and
blueprint key it comes from.
"""

from __future__ import annotations

import difflib
import os
import shlex
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path as FilePath
from typing import Any, BinaryIO, NamedTuple

from podgen import _builtins
from podgen._blueprint_schema import API_VERSION, BlueprintError, check
from podgen._build import build_manifests, field_of
from podgen._errors import Path, SpecError, UsageError, dotted
from podgen._flags import parse_toleration
from podgen._spec import (
    EnvVar,
    Kind,
    Manifest,
    Namespace,
    Pattern,
    PodRequest,
    ProbeHandler,
    ProbeRequest,
    Service,
    ServicePort,
    Toleration,
)
from podgen._strict_yaml import Document, decode, load_documents

#: How a built-in blueprint is named as a source in messages: `mysql (built-in)`.
BUILT_IN_SUFFIX = " (built-in)"


class Blueprint(NamedTuple):
    """A loaded blueprint, still tied to its document for error positions."""

    document: Document
    description: str
    namespace: str | None
    create_namespace: bool
    pods: tuple[PodRequest, ...]
    services: tuple[Service, ...]


class Planned(NamedTuple):
    """One object to render, and how to name what set each of its fields."""

    manifest: Manifest
    source_of: Callable[[str], str | None]
    #: The blueprint entry it comes from (`("pods", 0)`), for messages that name it.
    origin: Path


def is_blueprint_text(text: str) -> bool:
    """Tell, cheaply, whether YAML text declares podgen's apiVersion (for folder scans)."""
    return f"apiVersion: {API_VERSION}" in text or f'"apiVersion": "{API_VERSION}"' in text


def load_blueprint(text: str, source: str) -> Blueprint:
    """Load and check one blueprint document."""
    documents = load_documents(text, source)
    if len(documents) != 1:
        raise BlueprintError(f"{source}: holds {len(documents)} YAML documents; a blueprint is one")
    document = documents[0]
    if not isinstance(document.data, dict):
        raise BlueprintError(f"{document.where(())}: a blueprint is a map with apiVersion and kind")
    check(document)
    data: dict[str, Any] = document.data
    namespace = data.get("namespace")
    pods = tuple(
        _pod_request(entry, ("pods", index), document, namespace)
        for index, entry in enumerate(data.get("pods", []))
    )
    services = tuple(
        _service(entry, namespace) for index, entry in enumerate(data.get("services", []))
    )
    return Blueprint(
        document=document,
        description=str(data.get("description", "")),
        namespace=namespace,
        create_namespace=bool(data.get("createNamespace", False)),
        pods=pods,
        services=services,
    )


def plan(blueprint: Blueprint) -> list[Planned]:
    """Every object of the blueprint, in order: Namespace, each pod (and its Service), Services."""
    document = blueprint.document
    planned: list[Planned] = []
    if blueprint.create_namespace:
        if not blueprint.namespace:
            raise BlueprintError(f"{document.where(('createNamespace',))}: needs `namespace`")
        planned.append(
            Planned(
                Namespace(name=blueprint.namespace),
                _fixed(document, ("namespace",)),
                ("createNamespace",),
            )
        )
    for index, request in enumerate(blueprint.pods):
        base: Path = ("pods", index)
        name_of = _namer(base)
        try:
            manifests = build_manifests(request)
        except SpecError as error:
            raise BlueprintError(
                f"{document.where((*base, *error.field.split('.')))}: {error.render(name_of)}"
            ) from error
        for manifest in manifests:
            planned.append(Planned(manifest, _pod_source(document, base, request), base))
    for index, service in enumerate(blueprint.services):
        where: Path = ("services", index)
        planned.append(Planned(service, _fixed(document, where), where))
    return planned


def locate(source: str, path: Path) -> str:
    """`file:line:col` of a blueprint entry, read again from its file (only errors need it)."""
    text = None
    if source.endswith(BUILT_IN_SUFFIX):
        text = _builtins.text(source.removesuffix(BUILT_IN_SUFFIX))
    elif os.path.isfile(source):
        try:
            with open(source, "rb") as file:
                text = decode(file.read(), source)
        except (OSError, UsageError):
            text = None
    if text is not None:
        try:
            return f"{load_blueprint(text, source).document.where(path)} ({dotted(path)})"
        except UsageError:
            pass  # changed since it was read: say the entry without its line
    return f"{source} ({dotted(path)})"


def _namer(base: Path) -> Callable[[str], str]:
    prefix = dotted(base)
    return lambda key: f"{prefix}.{key}"


def _fixed(document: Document, path: Path) -> Callable[[str], str | None]:
    return lambda _manifest_path: f"{document.where(path)}: {dotted(path)}"


def _pod_source(document: Document, base: Path, request: PodRequest) -> Callable[[str], str | None]:
    def source_of(manifest_path: str) -> str | None:
        key = field_of(manifest_path)
        if key is None:
            return f"{document.where(base)}: {dotted(base)}"
        if key == "labels" and request.labels is None:
            key = "name"
        if key == "containerName" and request.container_name is None:
            key = "image" if request.kind is Kind.DEPLOYMENT else "name"
        path = (*base, *key.split("."))
        return f"{document.where(path)}: {dotted(path)}"

    return source_of


def _words(value: str | list[str] | None, document: Document, path: Path) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, list):
        return tuple(value)
    try:
        return tuple(shlex.split(value))
    except ValueError as error:
        raise BlueprintError(
            f"{document.where(path)}: {dotted(path)}: cannot split {value!r} like a shell: {error}"
        ) from None


def _pod_request(
    entry: dict[str, Any], base: Path, document: Document, namespace: str | None
) -> PodRequest:
    init = entry.get("init", {})
    sidecar = entry.get("sidecar", {})
    probe = entry.get("probe", {})
    resources = entry.get("resources", {})
    env = entry.get("env", {})
    return PodRequest(
        name=entry["name"],
        image=entry["image"],
        kind=Kind(entry.get("kind", "pod")),
        container_name=entry.get("containerName"),
        replicas=entry.get("replicas"),
        port=entry.get("port"),
        labels=dict(entry["labels"]) if "labels" in entry else None,
        annotations=dict(entry.get("annotations", {})),
        env=tuple(EnvVar(name=k, value=v) for k, v in env.items())
        if isinstance(env, dict)
        else tuple(EnvVar(e["name"], e.get("value", "")) for e in env),
        command=_words(entry.get("command"), document, (*base, "command")) or (),
        args=tuple(entry.get("args", ())),
        restart=entry.get("restart", "Always"),
        image_pull_policy=entry.get("imagePullPolicy"),
        privileged=entry.get("privileged", False),
        namespace=entry.get("namespace", namespace),
        expose=entry.get("expose", False),
        pattern=Pattern(entry.get("pattern", "runtime")),
        init_image=init.get("image"),
        init_command=_words(init.get("command"), document, (*base, "init", "command")),
        init_name=init.get("name"),
        sidecar_image=sidecar.get("image"),
        sidecar_command=_words(sidecar.get("command"), document, (*base, "sidecar", "command")),
        sidecar_name=sidecar.get("name"),
        sidecar_port=sidecar.get("port"),
        native_sidecar=sidecar.get("native", False),
        shared_path=entry.get("sharedPath"),
        helper_path=entry.get("helperPath"),
        volume_name=entry.get("volumeName"),
        wait_for=tuple(entry.get("waitFor", ())),
        probe=ProbeRequest(
            type=ProbeHandler(probe.get("type", "none")),
            kinds=tuple(probe["kinds"]) if "kinds" in probe else None,
            path=probe.get("path"),
            port=probe.get("port"),
            command=_words(probe.get("command"), document, (*base, "probe", "command")),
            initial_delay=probe.get("initialDelay"),
            period=probe.get("period"),
            timeout=probe.get("timeout"),
            success_threshold=probe.get("successThreshold"),
            failure_threshold=probe.get("failureThreshold"),
        ),
        requests={k: str(v) for k, v in resources.get("requests", {}).items()},
        limits={k: str(v) for k, v in resources.get("limits", {}).items()},
        node_selector=dict(entry.get("nodeSelector", {})),
        node_name=entry.get("nodeName"),
        tolerations=tuple(_tolerations(entry.get("tolerations", ()), document, base)),
        post_start=_words(entry.get("postStart"), document, (*base, "postStart")) or (),
        pre_stop=_words(entry.get("preStop"), document, (*base, "preStop")) or (),
        grace_period=entry.get("gracePeriod"),
        service_account=entry.get("serviceAccount"),
        secure=entry.get("secure", False),
        overrides=dict(entry.get("overrides", {})),
    )


def _tolerations(items: Any, document: Document, base: Path) -> Iterator[Toleration]:
    for index, item in enumerate(items):
        if isinstance(item, str):
            try:
                yield parse_toleration(item)
            except SpecError as error:
                path = (*base, "tolerations", index)
                raise BlueprintError(
                    f"{document.where(path)}: {dotted(path)}: {error.reason}"
                ) from None
        else:
            yield Toleration(
                key=item["key"],
                effect=item["effect"],
                value=item.get("value"),
                seconds=item.get("seconds"),
            )


def _service(entry: dict[str, Any], namespace: str | None) -> Service:
    ports = tuple(
        ServicePort(port=p, target_port=p)
        if isinstance(p, int)
        else ServicePort(
            port=p["port"],
            target_port=p.get("targetPort", p["port"]),
            protocol=p.get("protocol", "TCP"),
            name=p.get("name"),
        )
        for p in entry["ports"]
    )
    return Service(
        name=entry["name"],
        selector=dict(entry["selector"]),
        ports=ports,
        labels=dict(entry.get("labels", {})),
        namespace=entry.get("namespace", namespace),
        type=entry.get("type"),
        cluster_ip=entry.get("clusterIP"),
        ip_family_policy=entry.get("ipFamilyPolicy"),
        ip_families=tuple(entry.get("ipFamilies", ())),
    )


def folder_files(folder: str) -> list[str]:
    """The YAML files under `folder` that may be blueprints, sorted by their path's parts.

    Hidden files and folders are skipped and symlinked folders are not followed, as with
    `Path.rglob`; paths read as pathlib writes them (`bp/x.yaml` for `./bp/`).
    """
    base = str(FilePath(folder))
    prefix = "" if base == "." else base.rstrip(os.sep) + os.sep
    found: list[tuple[str, ...]] = []
    for parent, folders, names in os.walk(base):
        folders[:] = [name for name in folders if not name.startswith(".")]
        relative = os.path.relpath(parent, base)
        parts = () if relative == "." else tuple(relative.split(os.sep))
        for name in names:
            wanted = name.endswith((".yaml", ".yml")) and not name.startswith(".")
            if wanted and os.path.isfile(os.path.join(parent, name)):
                found.append((*parts, name))
    return [prefix + os.sep.join(parts) for parts in sorted(found)]


def blueprints_in(paths: Iterable[str]) -> Iterator[Blueprint]:
    """The blueprints among a folder's files, in order; files of other apiVersions are skipped."""
    for path in paths:
        with open(path, "rb") as file:
            text = decode(file.read(), path)
        if is_blueprint_text(text):
            yield load_blueprint(text, path)


def no_blueprints_in(source: str) -> UsageError:
    """The error for a folder without a single blueprint."""
    return UsageError(f"{source}: no blueprints (apiVersion: {API_VERSION}) in this folder")


def blueprints_from(source: str, stdin: BinaryIO | None = None) -> list[Blueprint]:
    """Load blueprints from a file, every blueprint under a folder, a built-in name, or `-`."""
    return list(iter_blueprints(source, stdin))


def iter_blueprints(source: str, stdin: BinaryIO | None = None) -> Iterator[Blueprint]:
    """Like `blueprints_from`, one at a time, so a folder of thousands is never all in memory."""
    if source == "-":
        if stdin is None:
            raise UsageError("-: no standard input to read")
        yield load_blueprint(decode(stdin.read(), "<stdin>"), "<stdin>")
        return
    path = FilePath(source)
    if path.is_file():
        yield load_blueprint(decode(path.read_bytes(), source), source)
        return
    if path.is_dir():
        found = 0
        for blueprint in blueprints_in(folder_files(source)):
            found += 1
            yield blueprint
        if not found:
            raise no_blueprints_in(source)
        return
    if source in _builtins.names():
        yield load_blueprint(_builtins.text(source), f"{source}{BUILT_IN_SUFFIX}")
        return
    hint = difflib.get_close_matches(source, _builtins.names(), n=1)
    did_you_mean = f"; did you mean the built-in {hint[0]!r}?" if hint else ""
    raise UsageError(
        f"{source}: no such file, folder or built-in blueprint{did_you_mean} "
        "(`podgen blueprints` lists the built-ins)"
    )
