"""podgen import: turn Kubernetes manifests back into a blueprint.

Pods and Deployments become blueprint pods (`_commands.importer_pod` writes each in blueprint
words), Services and Namespaces their blueprint entries; objects of other kinds (ConfigMaps,
Secrets, Ingresses, ...) are kept whole under `objects:`. Only what a server wrote is dropped,
and only from objects a server returned (`_commands.importer_server`). Every imported object is
rendered again before the blueprint is printed, and import refuses rather than print a
blueprint that would not give back the same objects.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from copy import deepcopy

from podgen._commands.importer_pod import (
    ImportError_,
    as_compared,
    first_difference,
    pod_entry,
    shown,
)
from podgen._commands.importer_render import rendered_objects
from podgen._commands.importer_server import (
    server_returned,
    strip_server_fields,
    without_made,
)
from podgen._commands.importer_service import service_entry
from podgen._errors import Path, UsageError, dotted, parse_path
from podgen._io.emit._goyaml import dump_yaml
from podgen._io.files import files_below, read_bytes
from podgen._io.strict_yaml import WHOLE_MAX_BYTES, Document, decode, load_documents
from podgen._model.objects import (
    API_VERSION,
    KIND,
    Identity,
    cluster_scoped_kinds,
    describe,
    is_list,
    is_namespaced,
    object_identity,
)
from podgen._model.spec import Kind

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO

    from podgen._checking.crd_catalog import CrdCatalog

#: The files import reads below a folder, as validate does.
_SUFFIXES = (".yaml", ".yml", ".json")


def read_manifests(
    sources: Sequence[str], stdin: BinaryIO | None, notes: list[str] | None = None
) -> list[Document]:
    """The documents of manifest files, folders (every .yaml, .yml and .json below) and `-`.

    A file that cannot be read, or holds no objects, is an error naming it; so is a podgen
    blueprint given as a file (render writes its objects). Below a folder, blueprints and
    podgen.yaml are podgen's own files, not manifests: skipped with a note.
    """
    documents: list[Document] = []
    read: set[str] = set()  # each file once, however it is named (`dir` and `dir/a.yaml`)

    def first_time(name: str) -> bool:
        real = os.path.realpath(name)
        if real in read:
            return False
        read.add(real)
        return True

    for source in sources:
        if source != "-" and os.path.isdir(source):
            found = files_below(source, _SUFFIXES)
            if not found:
                raise UsageError(f"{source}: no .yaml, .yml or .json files in this folder")
            for name in found:
                if first_time(name):
                    documents.extend(_manifest_documents(name, None, notes))
        elif source == "-" or first_time(source):
            documents.extend(_manifest_documents(source, stdin, None))
    return documents


def _manifest_documents(
    source: str, stdin: BinaryIO | None, notes: list[str] | None
) -> list[Document]:
    """One file's documents; `notes` (inside a folder): skip podgen's own files with a note."""
    if source == "-":
        if stdin is None:
            raise UsageError("-: no standard input to read")
        name, raw = "<stdin>", stdin.read()
    else:
        name, raw = source, read_bytes(source)
    text = decode(raw, name, WHOLE_MAX_BYTES)
    found = [d for d in load_documents(text, name) if d.data is not None]
    own = next((d for d in found if isinstance(d.data, dict) and _is_podgen(d.data)), None)
    if own is not None:
        if notes is not None:
            notes.append(f"{name}: skipped: a podgen {own.data.get('kind')}, not a manifest")
            return []
        raise ImportError_(
            f"{own.where(())}: this is a podgen {own.data.get('kind')} (apiVersion: "
            f"{API_VERSION}), not a Kubernetes manifest; `podgen render {source}` writes its "
            "objects"
        )
    if not found:
        raise UsageError(f"{name}: holds no objects")
    return found


def _is_podgen(obj: dict[str, Any]) -> bool:
    return obj.get("apiVersion") == API_VERSION


def import_documents(
    documents: list[Document], source: str, notes: list[str] | None = None
) -> dict[str, Any]:
    """A blueprint (as plain data) that renders back to the objects in `documents`.

    A Pod or Deployment that blueprint words cannot write is kept whole under `objects:`,
    and `notes` gets a line saying which and why.
    """
    pods: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    namespaces: list[dict[str, Any]] = []  #: metadata of Namespaces blueprint words can write
    verbatim: list[dict[str, Any]] = []
    #: the objects `services` came from, and whether a server returned each
    service_objects: list[tuple[dict[str, Any], bool]] = []
    placed = [
        (document, path, obj)
        for document in documents
        for path, obj in (
            [(("items", index), item) for index, item in enumerate(document.data["items"])]
            if is_list(document.data)
            else [((), document.data)]
        )
        if not _is_kustomization(obj, document, notes)
    ]
    first_at: dict[Identity, str] = {}
    objects = []
    crds = None
    #: objects the API server takes but podgen's stricter rules refuse: kept as they are
    stricter: set[Identity] = set()
    null_stamps: list[str] = []  #: where older kubectl wrote `creationTimestamp: null`
    for document, path, obj in placed:
        decoded, refused_by = _valid(obj, document, path)
        identity, where = object_identity(decoded), document.where(path)
        if _null_stamped(obj) and not server_returned(obj):  # a server's goes by its rule
            null_stamps.append(where)
        if refused_by is not None:
            stricter.add(identity)
            if notes is not None:
                notes.append(refused_by)
        if notes is not None:
            notes.extend(_dropped(decoded, document, path))
        if identity[3]:  # a custom resource: checked with its CRD, kept whatever it says
            crds = crds or _crds_among(placed)
            refused = _custom_refused(decoded, crds, document, path)
            if refused is not None and notes is not None:
                notes.append(refused)
        if identity in first_at:
            raise ImportError_(
                f"{where}: {describe(identity)} is also at {first_at[identity]}; "
                "one kind, namespace and name is one object"
            )
        first_at[identity] = where
        objects.append((document, path, decoded))
    if null_stamps and notes is not None:
        notes.append(
            f"left out `creationTimestamp: null` (older kubectl's --dry-run skeleton; the API "
            f"server reads it as absent and sets its own) at {', '.join(null_stamps)}"
        )
    kept = without_made(objects, notes)
    skeleton = _skeleton([obj for _, _, obj in kept])
    wanted: list[tuple[dict[str, Any], bool]] = []  #: each object as it must render, and how
    for document, at, obj in kept:
        server = server_returned(obj)
        obj = strip_server_fields(obj)
        wanted.append((deepcopy(obj), server))  # as written: placing moves a namespace
        kind, where = obj.get("kind"), document.where(at)
        if object_identity(obj) in stricter:
            verbatim.append(obj)
        elif kind in _WORKLOAD_KINDS:
            try:
                pods.append(pod_entry(obj, _WORKLOAD_KINDS[kind], where, skeleton, server))
            except ImportError_ as error:
                verbatim.append(obj)
                if notes is not None:
                    notes.append(f"{error}; kept it whole under objects:")
        elif kind == "Service" and (service := service_entry(obj, skeleton, server)):
            services.append(service)
            service_objects.append((obj, server))
        elif kind == "Namespace" and _namespace_in_words(obj, skeleton, server):
            namespaces.append(obj["metadata"])
        else:  # a kind podgen has no words for, or fields its words do not cover: kept whole
            verbatim.append(obj)
    _governing_services(pods, services, service_objects, skeleton)
    blueprint: dict[str, Any] = {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "description": f"imported from {source}",
    }
    if skeleton == "plain":
        blueprint["skeleton"] = skeleton
    entries = pods + services
    shared = {entry.get("namespace") for entry in entries}
    if len(namespaces) == 1:
        shared.add(namespaces[0]["name"])
    # Objects kept whole take the blueprint's namespace when they name none, so one that
    # names none keeps the blueprint from having one. Without pods or Services, theirs is it.
    cluster_kinds = cluster_scoped_kinds(verbatim)
    placed_whole = [obj for obj in verbatim if is_namespaced(obj, cluster_kinds)]
    whole = {(obj.get("metadata") or {}).get("namespace") for obj in placed_whole}
    if not shared:
        shared = whole
    elif None in whole:
        shared.add(None)
    if len(shared) == 1 and None not in shared and len(namespaces) <= 1:
        (namespace,) = shared
        blueprint["namespace"] = namespace
        for entry in entries:
            entry.pop("namespace", None)
        # Not pinned: an environment's namespace moves them with the pods.
        for obj in placed_whole:
            if obj["metadata"].get("namespace") == namespace:
                del obj["metadata"]["namespace"]
        if namespaces:
            blueprint["createNamespace"] = True
            for key, word in (
                ("labels", "namespaceLabels"),
                ("annotations", "namespaceAnnotations"),
            ):
                if namespaces[0].get(key):
                    blueprint[word] = namespaces[0][key]
    else:  # Namespaces that are not the one every object is in are kept whole
        verbatim[:0] = [
            {"apiVersion": "v1", "kind": "Namespace", "metadata": metadata}
            for metadata in namespaces
        ]
    if pods:
        blueprint["pods"] = pods
    if services:
        blueprint["services"] = services
    if verbatim:
        blueprint["objects"] = verbatim
    _verify(blueprint, wanted, source, stricter)
    return blueprint


def _null_stamped(obj: Any) -> bool:
    """Whether `obj`, or its (job) template, writes `metadata.creationTimestamp: null`."""
    if not isinstance(obj, dict):
        return False
    spec = _mapping(obj.get("spec"))
    job = _mapping(spec.get("jobTemplate"))
    job_spec = _mapping(job.get("spec"))
    for holder in (obj, spec.get("template"), job, job_spec.get("template")):
        metadata = holder.get("metadata") if isinstance(holder, dict) else None
        if (
            isinstance(metadata, dict)
            and "creationTimestamp" in metadata
            and metadata["creationTimestamp"] is None
        ):
            return True
    return False


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _is_kustomization(obj: Any, document: Document, notes: list[str] | None) -> bool:
    """Whether `obj` is kustomize's file (`podgen render --out` writes one), which is no object."""
    if not (isinstance(obj, dict) and str(obj.get("apiVersion")).startswith(_KUSTOMIZE)):
        return False
    if notes is not None:
        notes.append(f"{document.where(())}: skipped {obj.get('kind')}: kustomize's, not an object")
    return True


_KUSTOMIZE = "kustomize.config.k8s.io/"


#: The kinds whose objects the blueprint's skeleton shapes.
_SKELETON_KINDS = frozenset({*(kind.object_kind for kind in Kind), "Service", "Namespace"})


def _skeleton(objects: list[dict[str, Any]]) -> str:
    """The blueprint's skeleton: plain if a person wrote any of the objects it shapes.

    Manifests people write have none of kubectl's skeleton (status: {}, resources: {},
    dnsPolicy written out); those kubectl (`status: {}`) or a server wrote do. A server's
    objects, their server fields gone, render as well without kubectl's skeleton; objects
    written by hand do not render with it. Each object is then checked as it was written.
    """
    shaped = [obj for obj in objects if obj.get("kind") in _SKELETON_KINDS] or objects
    if any("status" not in obj and not server_returned(obj) for obj in shaped):
        return "plain"
    return "kubectl" if shaped else "plain"


def _namespace_in_words(obj: dict[str, Any], skeleton: str, server: bool) -> bool:
    """Whether blueprint words (`createNamespace`, its labels) write this Namespace back."""
    rest = {key: value for key, value in obj.items() if key not in ("apiVersion", "kind")}
    metadata = rest.pop("metadata", None) or {}
    if set(metadata) - {"name", "labels", "annotations"}:
        return False
    if server or skeleton == "plain":
        return not rest  # a server's empty spec and status are kubectl's skeleton's too
    return rest == {"spec": {}, "status": {}}  # what kubectl's skeleton writes


def _governing_services(
    pods: list[dict[str, Any]],
    services: list[dict[str, Any]],
    service_objects: list[tuple[dict[str, Any], bool]],
    skeleton: str,
) -> None:
    """Let a StatefulSet write its headless Service again, where the file's is that one.

    `pod_entry` writes StatefulSets with `expose: false`, their Services imported on their
    own; where a Service is exactly what the StatefulSet's entry writes by default, the
    entry writes it and the separate Service goes.
    """
    for entry in pods:
        if entry.get("kind") != "statefulset" or entry.get("expose") is not False:
            continue
        trial = {key: value for key, value in entry.items() if key != "expose"}
        objects = rendered_objects(trial, skeleton)
        if len(objects) != 2:
            continue
        for index, (obj, server) in enumerate(service_objects):
            if as_compared(objects[1], server) == as_compared(obj, server):
                del services[index], service_objects[index]
                del entry["expose"]
                break


#: The kinds blueprint words write (their pod, and their own fields), by their object kind.
_WORKLOAD_KINDS = {kind.object_kind: kind for kind in Kind}


def _valid(obj: Any, document: Document, path: Path) -> tuple[dict[str, Any], str | None]:
    """`obj` as the API server decodes it, if it would accept it; else the first problem.

    A manifest the API server refuses has no meaning to keep: import says why, where, and
    that `podgen validate` lists every problem. What it accepts with a warning is kept; so
    is what only podgen's stricter rules refuse, with a note (the second value) naming the
    rule: import never refuses what the server takes.
    """
    from podgen._checking.checks import violations
    from podgen._checking.k8s_schema import as_decoded, schema_problems

    where = document.where(path)
    if not isinstance(obj, dict):
        raise ImportError_(f"{where}: not a Kubernetes object")
    # What a server returned is checked as import keeps it: without what the server wrote
    # (a Job's generated selector would be refused if sent back).
    kept = strip_server_fields(obj) if server_returned(obj) else obj
    problem = next(iter(schema_problems(kept)), None)
    if problem is None:
        violation = next((v for v in violations(as_decoded(kept)) if not v.warning), None)
        if violation is None:
            return as_decoded(obj), None
        at, message = parse_path(violation.path), str(violation.error())
        from podgen._checking.validate import STRICTER_THAN_THE_API_SERVER

        if violation.rule in STRICTER_THAN_THE_API_SERVER:
            return as_decoded(obj), (
                f"{document.where((*path, *at))}: {message} (the API server takes it, but "
                f"podgen writes no such object [{violation.rule}]); kept it as it is under "
                "objects: (`podgen render` refuses it until it is fixed)"
            )
    else:
        at, message = problem.path, problem.text()
    raise ImportError_(
        f"{document.where((*path, *at))}: {message} (the API server would refuse this object; "
        "`podgen validate` lists every problem)"
    )


def _dropped(decoded: dict[str, Any], document: Document, path: Path) -> list[str]:
    """A note for each field the target's API server would drop, its feature being off there.

    Import keeps what the manifest says: the field works on a cluster that turns the gate on.
    """
    from podgen._checking.feature_gates import dropped_fields

    return [
        f"{document.where((*path, *dropped.path))}: {dropped.message}; kept it as written"
        for dropped in dropped_fields(decoded)
    ]


def _crds_among(placed: Sequence[tuple[Document, Path, Any]]) -> CrdCatalog:
    """The CRDs among the manifests imported, then those given (`--crd`)."""
    from podgen._checking.crd_catalog import MARKER, CrdCatalog, given

    catalog = CrdCatalog(fallback=given())
    catalog.add_objects(
        (obj, document.source, document.position(path)[0])
        for document, path, obj in placed
        if isinstance(obj, dict) and obj.get("kind") == MARKER
    )
    return catalog


def _custom_refused(obj: Any, crds: CrdCatalog, document: Document, path: Path) -> str | None:
    """Why a custom resource's CRD refuses it (the first error), for a note; else None."""
    from podgen._checking.custom_resources import custom_resource_violations

    crd = crds.find(object_identity(obj)[3], str(obj.get("kind")))
    if crd is None:
        return None
    for violation in custom_resource_violations(obj, crd):
        if not violation.warning:
            where = document.where((*path, *parse_path(violation.path)))
            return (
                f"{where}: {violation.error()}; kept it as it is under objects: (`podgen "
                "render` refuses it until it is fixed)"
            )
    return None


def _verify(
    blueprint: dict[str, Any],
    wanted: list[tuple[dict[str, Any], bool]],
    source: str,
    stricter: set[Identity],
) -> None:
    """Render the blueprint exactly as it will be printed; it must give back the objects.

    Each object as written, field for field; one a server returned, as `comparable` sees it
    (its server fields are gone, and the skeleton's empty ones mean nothing). Objects
    podgen's stricter rules refuse (`stricter`) are kept as they are, and not rendered.
    """
    if stricter:
        names = {identity[:1] + identity[2:] for identity in stricter}
        blueprint = {
            **blueprint,
            "objects": [o for o in blueprint.get("objects", []) if _unplaced(o) not in names],
        }
        if not blueprint["objects"]:
            del blueprint["objects"]
        wanted = [(o, s) for o, s in wanted if _unplaced(o) not in names]
        if not wanted:
            return
    from podgen._blueprint.loader import load_blueprint
    from podgen._rendering.pipeline import render_blueprint

    # Import keeps what the manifests say, a pod whose ConfigMap is in another namespace too:
    # rendering the blueprint is what refuses that.
    # Custom resources are not checked again: one its CRD refuses is kept, with a note.
    rendered = render_blueprint(
        load_blueprint(dump_yaml(blueprint), "<import>"), references=False, crds=False
    )
    server = {object_identity(obj): returned for obj, returned in wanted}
    by_identity = {
        object_identity(obj): as_compared(obj, server[object_identity(obj)]) for obj, _ in wanted
    }
    again = {
        object_identity(obj): as_compared(obj, server.get(object_identity(obj), False))
        for obj in rendered
    }
    if by_identity != again:
        identity = sorted(
            k for k in by_identity.keys() | again.keys() if by_identity.get(k) != again.get(k)
        )[0]
        path, written, rendered = first_difference(
            by_identity.get(identity, {}), again.get(identity, {}), ()
        )
        raise ImportError_(
            f"{source}: {describe(identity)}: {dotted(path) or 'the object'}: podgen's "
            f"blueprint words cannot keep this as written ({shown(written)}; the blueprint "
            f"would give {shown(rendered)}), and import never changes what a manifest means"
        )


def _unplaced(obj: dict[str, Any]) -> tuple[str, ...]:
    """An object's identity without its namespace, which the blueprint may have taken."""
    identity = object_identity(obj)
    return identity[:1] + identity[2:]
