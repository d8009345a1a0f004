"""Blueprint files: podgen's declarative DSL, read into the same PodRequest as flags.

A blueprint is one YAML document (`apiVersion: podgen.dev/v1`, `kind: Blueprint`) holding
pods, Services, a Namespace and objects written out in full. Loading is strict (see
`_io.strict_yaml`) and checked against the schema in `_blueprint.schema`; every later
error is prefixed with the file, line and blueprint key it comes from, or, for a value a
project's environment layered over the blueprint (`Layers`), with podgen.yaml's.
"""

from __future__ import annotations

import enum
import functools
import os
import shlex
from collections.abc import Callable, Iterable, Iterator, Mapping

from podgen._blueprint import builtins as _builtins
from podgen._blueprint.layers import (
    Layers,
    layer_namer,
    namespace_path,
    object_path,
    pod_path,
    reframer,
    service_path,
    spec_layer_error,
)
from podgen._blueprint.schema import BlueprintError, check
from podgen._building.build import build_manifests
from podgen._building.sources import key_of
from podgen._errors import (
    InvalidFieldError,
    Path,
    PodgenError,
    SpecError,
    UsageError,
    closest,
    dotted,
    parse_path,
    quoted,
)
from podgen._io.files import files_below, read_bytes, source_bytes
from podgen._io.strict_yaml import WHOLE_MAX_BYTES, Document, decode, load_documents
from podgen._model.objects import (
    API_VERSION,
    cluster_scoped_kinds,
    is_blueprint_text,
    is_namespaced,
)
from podgen._model.options import (
    COMMAND,
    ENV,
    OPTIONS,
    QUANTITIES,
    STRING_MAP,
    TOLERATIONS,
)
from podgen._model.spec import (
    EMPTY,
    EnvVar,
    Manifest,
    Namespace,
    PodRequest,
    ProbeRequest,
    Service,
    ServicePort,
    Toleration,
    Verbatim,
)
from podgen._model.words import WORDS
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO, TypeAlias

    from podgen._io.plan import OutputFile

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
    objects: tuple[Verbatim, ...] = ()
    #: `skeleton: kubectl` (the default) or `plain` (see PodRequest.kubectl_skeleton).
    kubectl_skeleton: bool = True
    namespace_labels: Mapping[str, str] = EMPTY
    namespace_annotations: Mapping[str, str] = EMPTY
    #: The values a project's environment set, when it is one's (`_commands.project`).
    layers: Layers | None = None


class Planned(NamedTuple):
    """One object to render, and how to name what set each of its fields."""

    manifest: Manifest
    source_of: Callable[[str], str | None]
    #: The blueprint entry it comes from (`("pods", 0)`), for messages that name it.
    origin: Path
    #: For a layered blueprint: the error to raise instead of a field error at a value the
    #: environment set (named at its podgen.yaml line), or None to keep the field error.
    reframe: Callable[[InvalidFieldError], PodgenError | None] | None = None


def load_blueprint(text: str, source: str) -> Blueprint:
    """Load and check one blueprint document."""
    documents = load_documents(text, source)
    if len(documents) != 1:
        raise BlueprintError(f"{source}: holds {len(documents)} YAML documents; a blueprint is one")
    return blueprint_from_document(documents[0])


def blueprint_from_document(document: Document, layers: Layers | None = None) -> Blueprint:
    """Check one blueprint document and load it (a project's environment builds its own).

    Objects written out in full take the blueprint's namespace unless they name their own or
    their kind has none (cluster-scoped: a Namespace, a ClusterRole, a custom kind that a
    CustomResourceDefinition among the objects declares `scope: Cluster`).
    """
    if not isinstance(document.data, dict):
        raise BlueprintError(f"{document.where(())}: a blueprint is a map with apiVersion and kind")
    check(document)
    data: dict[str, Any] = document.data
    namespace = data.get("namespace")
    skeleton = data.get("skeleton", "kubectl") == "kubectl"
    cluster_kinds = cluster_scoped_kinds(data.get("objects", []))
    pods = tuple(
        _pod_request(entry, ("pods", index), document, namespace)._replace(
            kubectl_skeleton=skeleton
        )
        for index, entry in enumerate(data.get("pods", []))
    )
    services = tuple(
        _service(entry, namespace, skeleton)._replace(kubectl_skeleton=skeleton)
        for entry in data.get("services", [])
    )
    return Blueprint(
        document=document,
        description=str(data.get("description", "")),
        namespace=namespace,
        create_namespace=bool(data.get("createNamespace", False)),
        pods=pods,
        services=services,
        objects=tuple(
            Verbatim(in_namespace(entry, namespace, cluster_kinds))
            for entry in data.get("objects", [])
        ),
        kubectl_skeleton=skeleton,
        namespace_labels=dict(data.get("namespaceLabels", {})),
        namespace_annotations=dict(data.get("namespaceAnnotations", {})),
        layers=layers,
    )


def in_namespace(
    obj: dict[str, Any], namespace: str | None, cluster_kinds: frozenset[tuple[str, str]]
) -> dict[str, Any]:
    """An object kept whole, in `namespace` unless it names its own or its kind has none."""
    metadata = obj.get("metadata")
    if (
        not namespace
        or not isinstance(metadata, dict)
        or metadata.get("namespace")
        or not is_namespaced(obj, cluster_kinds)
    ):
        return obj
    return {**obj, "metadata": {**metadata, "namespace": namespace}}


def plan(blueprint: Blueprint) -> list[Planned]:
    """Every object of the blueprint, in order: Namespace, each pod (and its Service), Services."""
    document = blueprint.document
    planned: list[Planned] = []
    layered = blueprint.layers is not None
    if blueprint.create_namespace:
        if not blueprint.namespace:
            raise BlueprintError(f"{document.where(('createNamespace',))}: needs `namespace`")
        planned.append(
            Planned(
                Namespace(
                    name=blueprint.namespace,
                    labels=blueprint.namespace_labels,
                    annotations=blueprint.namespace_annotations,
                    kubectl_skeleton=blueprint.kubectl_skeleton,
                ),
                _fixed(document, ("namespace",)),
                ("createNamespace",),
                reframer(blueprint, namespace_path) if layered else None,
            )
        )
    for index, request in enumerate(blueprint.pods):
        base: Path = ("pods", index)
        name_of = _namer(base)
        try:
            manifests = build_manifests(request)
        except SpecError as error:
            path = (*base, *error.field.split("."))
            if layered:
                name_of = layer_namer(blueprint, base)
                layer_error = spec_layer_error(blueprint, base, error)
                if layer_error is not None:
                    raise layer_error from error
            raise BlueprintError(f"{document.where(path)}: {error.render(name_of)}") from error
        path_of = pod_path(base, request)
        for manifest in manifests:
            planned.append(
                Planned(
                    manifest,
                    _pod_source(document, base, request),
                    base,
                    reframer(blueprint, path_of) if layered else None,
                )
            )
    for index, service in enumerate(blueprint.services):
        where: Path = ("services", index)
        reframe = reframer(blueprint, service_path(where)) if layered else None
        planned.append(Planned(service, _fixed(document, where), where, reframe))
    for index, verbatim in enumerate(blueprint.objects):
        where = ("objects", index)
        reframe = reframer(blueprint, object_path(where)) if layered else None
        planned.append(Planned(verbatim, _within(document, where), where, reframe))
    return planned


def where_rendered(output_file: OutputFile) -> str:
    """`blueprint.yaml:7:3 (pods[0])`: where a rendered file's object comes from."""
    if not output_file.source:
        return output_file.relative_path
    return locate(output_file.source, output_file.origin)


def locate(source: str, path: Path) -> str:
    """`file:line:col` of a blueprint entry, read again from its file (only errors need it)."""
    text = None
    if source.endswith(BUILT_IN_SUFFIX):
        text = _builtins.text(source.removesuffix(BUILT_IN_SUFFIX))
    elif os.path.isfile(source):
        try:
            text = decode(source_bytes(source), source)
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


def _within(document: Document, base: Path) -> Callable[[str], str | None]:
    """For an object written out in full: the blueprint's own place of each of its fields."""

    def source_of(manifest_path: str) -> str:
        path = (*base, *parse_path(manifest_path))
        return f"{document.where(path)}: {dotted(path)}"

    return source_of


def _pod_source(document: Document, base: Path, request: PodRequest) -> Callable[[str], str | None]:
    def source_of(manifest_path: str) -> str | None:
        key = key_of(manifest_path, request)
        if key is None:
            return f"{document.where(base)}: {dotted(base)}"
        if key == "labels" and request.labels is None:
            key = "name"
        path = (*base, *parse_path(key))
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
            f"{document.where(path)}: {dotted(path)}: cannot split {quoted(value)} like a shell: "
            f"{error}"
        ) from None


def _pod_request(
    entry: dict[str, Any], base: Path, document: Document, namespace: str | None
) -> PodRequest:
    """The PodRequest one blueprint pod entry describes, key by key from the option table."""
    fields: dict[str, Any] = {"name": entry["name"], "namespace": namespace}
    probe: dict[str, Any] = {}
    for parts, group, field_name, load in _loaders():
        value: Any = entry
        for part in parts:
            value = value.get(part, _ABSENT) if isinstance(value, dict) else _ABSENT
        if value is _ABSENT:
            continue  # the spec's default
        loaded = load(value, document, (*base, *parts))
        (probe if group else fields)[field_name] = loaded
    fields["command"] = _words(entry.get("command"), document, (*base, "command")) or ()
    fields["args"] = tuple(entry.get("args", ()))
    fields["overrides"] = dict(entry.get("overrides", {}))
    fields["words"] = {word.key: entry[word.key] for word in WORDS if word.key in entry}
    if probe:
        fields["probe"] = ProbeRequest(**probe)
    return PodRequest(**fields)


_ABSENT = object()
Loader: TypeAlias = "Callable[[Any, Document, Path], Any]"


@functools.cache
def _loaders() -> list[tuple[tuple[str, ...], str, str, Loader]]:
    """For each blueprint key of the option table: its path, the field it sets, and how.

    How a value loads follows from its schema (a command, a map, env, tolerations, ...) and
    the field's type (an enum, which every enum field's default is); everything else is taken
    as it is.
    """
    defaults = {"": PodRequest._field_defaults, "probe": ProbeRequest._field_defaults}
    plan = []
    for option in OPTIONS:
        if option.key is None or option.field is None:
            continue
        group, _, field_name = option.field.rpartition(".")
        default = defaults[group].get(field_name)
        load = _LOAD_BY_SCHEMA.get(id(option.schema))
        if load is None and isinstance(default, enum.Enum):
            load = _enum_loader(type(default))
        plan.append((tuple(option.key.split(".")), group, field_name, load or _as_is))
    return plan


def _as_is(value: Any, document: Document, path: Path) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _enum_loader(kind: type[enum.Enum]) -> Loader:
    return lambda value, document, path: kind(value)


def _env(value: Any, document: Document, path: Path) -> tuple[EnvVar, ...]:
    if isinstance(value, dict):
        return tuple(EnvVar(name=k, value=v) for k, v in value.items())
    return tuple(EnvVar(e["name"], e.get("value", ""), e.get("valueFrom")) for e in value)


_LOAD_BY_SCHEMA: dict[int, Loader] = {
    id(COMMAND): lambda value, document, path: _words(value, document, path),
    id(STRING_MAP): lambda value, document, path: dict(value),
    id(QUANTITIES): lambda value, document, path: {k: str(v) for k, v in value.items()},
    id(ENV): _env,
    id(TOLERATIONS): lambda value, document, path: tuple(_tolerations(value, document, path[:-1])),
}


def _tolerations(items: Any, document: Document, base: Path) -> Iterator[Toleration]:
    for index, item in enumerate(items):
        if isinstance(item, str):
            from podgen._building.flags import parse_toleration  # the flag's syntax, when used

            try:
                yield parse_toleration(item)
            except SpecError as error:
                path = (*base, "tolerations", index)
                raise BlueprintError(
                    f"{document.where(path)}: {dotted(path)}: {error.reason}"
                ) from None
        else:
            operator = item.get("operator", "Equal" if "value" in item else "Exists")
            if operator != ("Equal" if "value" in item else "Exists"):
                path = (*base, "tolerations", index, "operator")
                raise BlueprintError(
                    f"{document.where(path)}: {dotted(path)}: {operator} "
                    + ("takes no value" if operator == "Exists" else "needs a value")
                )
            yield Toleration(
                key=item.get("key"),
                effect=item.get("effect"),
                value=item.get("value"),
                seconds=item.get("seconds"),
            )


def _service(entry: dict[str, Any], namespace: str | None, skeleton: bool = True) -> Service:
    """A blueprint's Service.

    `skeleton`: kubectl's writes every port's protocol and targetPort out (their defaults,
    TCP and the port); a plain one writes what the entry does.
    """
    ports = tuple(
        ServicePort(
            port=p["port"],
            target_port=p.get("targetPort", p["port"] if skeleton else None),
            protocol=p.get("protocol", "TCP" if skeleton else None),
            name=p.get("name"),
            node_port=p.get("nodePort"),
            app_protocol=p.get("appProtocol"),
        )
        for p in (_port_map(port) for port in entry.get("ports", ()))
    )
    selector = entry.get("selector")
    return Service(
        name=entry["name"],
        selector=None if selector is None else dict(selector),
        ports=ports,
        labels=dict(entry.get("labels", {})),
        annotations=dict(entry.get("annotations", {})),
        namespace=entry.get("namespace", namespace),
        type=entry.get("type"),
        external_name=entry.get("externalName"),
        cluster_ip=entry.get("clusterIP"),
        ip_family_policy=entry.get("ipFamilyPolicy"),
        ip_families=tuple(entry.get("ipFamilies", ())),
        session_affinity=entry.get("sessionAffinity"),
        external_traffic_policy=entry.get("externalTrafficPolicy"),
        internal_traffic_policy=entry.get("internalTrafficPolicy"),
        publish_not_ready_addresses=entry.get("publishNotReadyAddresses"),
        load_balancer_source_ranges=tuple(entry.get("loadBalancerSourceRanges", ())),
    )


def _port_map(port: int | dict[str, Any]) -> dict[str, Any]:
    """A Service port entry as a map: `80` is `{port: 80}`."""
    return {"port": port} if isinstance(port, int) else port


def folder_files(folder: str) -> list[str]:
    """The YAML files under `folder` that may be blueprints (`_io.files.files_below`)."""
    return files_below(folder, (".yaml", ".yml"))


def blueprints_in(paths: Iterable[str]) -> Iterator[Blueprint]:
    """The blueprints among a folder's files, in order; files of other apiVersions are skipped."""
    for path in paths:
        if os.path.basename(path) == "podgen.yaml":
            continue  # a project file (`_commands.project`), never a blueprint
        text = decode(read_bytes(path), path, WHOLE_MAX_BYTES)
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
        yield load_blueprint(decode(stdin.read(), "<stdin>", WHOLE_MAX_BYTES), "<stdin>")
        return
    if os.path.isfile(source):
        raw = source_bytes(source)
        yield load_blueprint(decode(raw, source, WHOLE_MAX_BYTES), source)
        return
    if os.path.isdir(source):
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
    hint = closest(source, _builtins.names())
    did_you_mean = f"; did you mean the built-in {quoted(hint)}?" if hint else ""
    raise UsageError(
        f"{source}: no such file, folder or built-in blueprint{did_you_mean} "
        "(`podgen blueprints` lists the built-ins)"
    )
