"""podgen import: turn Kubernetes manifests back into a blueprint.

Pods and Deployments become blueprint pods, Services and Namespaces their blueprint entries.
What the DSL has words for (patterns, wait-for init containers, probes, resources,
scheduling) is written with those words; whatever is left becomes `overrides`, computed as
the exact merge patch from what the words render to what the manifest says. Every imported
pod is rendered again before it is printed, and import refuses rather than print a blueprint
that would not give back the same objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from typing import Any

from podgen._blueprint_schema import API_VERSION, KIND
from podgen._build import WAIT_FOR_IMAGE, build_manifests, container_name_from_image
from podgen._emit._goyaml import dump_yaml, sorted_keys
from podgen._errors import Path, PodgenError, UsageError, dotted
from podgen._objects import Identity, describe, is_list, object_identity
from podgen._spec import Kind, PodRequest
from podgen._strict_yaml import Document

_SERVER_METADATA = (
    "creationTimestamp",
    "uid",
    "resourceVersion",
    "managedFields",
    "ownerReferences",
    "selfLink",
    "generation",
)
_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
# What the API server writes into a Deployment spec when nobody asked.
_DEPLOYMENT_DEFAULTS = {
    "progressDeadlineSeconds": 600,
    "revisionHistoryLimit": 10,
    "strategy": {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
    },
}
#: The IP families the API server picks for a Service nobody asked anything of.
_DEFAULT_FAMILY_POLICY = "SingleStack"


#: The kinds import turns into blueprint words.
_KINDS = ("Pod", "Deployment", "Service", "Namespace")


class ImportError_(UsageError):
    """A manifest podgen cannot express as a blueprint; the message says what and where."""


def import_documents(documents: list[Document], source: str) -> dict[str, Any]:
    """A blueprint (as plain data) that renders back to the objects in `documents`."""
    pods: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    namespaces: list[str] = []
    placed = [
        (document, path, obj)
        for document in documents
        for path, obj in (
            [(("items", index), item) for index, item in enumerate(document.data["items"])]
            if is_list(document.data)
            else [((), document.data)]
        )
    ]
    first_at: dict[Identity, str] = {}
    objects = []
    for document, path, obj in placed:
        decoded = _valid(obj, document, path)
        identity, where = object_identity(decoded), document.where(path)
        if identity in first_at:
            raise ImportError_(
                f"{where}: {describe(identity)} is also at {first_at[identity]}; "
                "one kind, namespace and name is one object"
            )
        first_at[identity] = where
        objects.append((document, path, decoded))
    for document, path, obj in objects:
        obj = strip_server_fields(obj)
        kind, where = obj.get("kind"), document.where(path)
        if kind == "Pod":
            pods.append(_pod_entry(obj, Kind.POD, where))
        elif kind == "Deployment":
            pods.append(_pod_entry(obj, Kind.DEPLOYMENT, where))
        elif kind == "Service":
            services.append(_service_entry(obj, where))
        else:
            namespaces.append(_namespace_name(obj, where))
    blueprint: dict[str, Any] = {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "description": f"imported from {source}",
    }
    entries = pods + services
    shared = {entry.get("namespace") for entry in entries} | set(namespaces[:1])
    if len(namespaces) > 1:
        raise ImportError_(f"{source}: holds {len(namespaces)} Namespaces; a blueprint has one")
    if len(shared) == 1 and None not in shared:
        (namespace,) = shared
        blueprint["namespace"] = namespace
        for entry in entries:
            entry.pop("namespace", None)
        if namespaces:
            blueprint["createNamespace"] = True
    elif namespaces:
        raise ImportError_(f"{source}: the Namespace {namespaces[0]!r} is not every object's")
    if pods:
        blueprint["pods"] = pods
    if services:
        blueprint["services"] = services
    _verify(blueprint, [strip_server_fields(obj) for _, _, obj in objects], source)
    return blueprint


def _valid(obj: Any, document: Document, path: Path) -> dict[str, Any]:
    """`obj` as the API server decodes it, if it would accept it; else the first problem.

    A manifest the API server refuses has no meaning to keep: import says why, where, and
    that `podgen validate` lists every problem.
    """
    from podgen._checks import violations
    from podgen._k8s_schema import as_decoded, schema_problems
    from podgen._validate import parse_path

    where = document.where(path)
    if not isinstance(obj, dict):
        raise ImportError_(f"{where}: not a Kubernetes object")
    if obj.get("kind") not in _KINDS:
        raise ImportError_(
            f"{where}: kind {obj.get('kind')!r}: podgen imports Pod, Deployment, Service and "
            "Namespace"
        )
    problem = next(iter(schema_problems(obj)), None)
    if problem is None:
        decoded = as_decoded(obj)
        violation = next(iter(violations(decoded)), None)
        if violation is None:
            return decoded
        at, message = parse_path(violation.path), str(violation.error())
    else:
        at, message = problem.path, f"{dotted(problem.path)}: {problem.message}".lstrip(": ")
    raise ImportError_(
        f"{document.where((*path, *at))}: {message} (the API server would refuse this object; "
        "`podgen validate` lists every problem)"
    )


def _verify(blueprint: dict[str, Any], objects: list[dict[str, Any]], source: str) -> None:
    """Render the blueprint exactly as it will be printed; it must give back the objects."""
    from podgen._blueprint import load_blueprint
    from podgen._pipeline import render_blueprint

    rendered = render_blueprint(load_blueprint(dump_yaml(blueprint), "<import>"))
    by_identity = {object_identity(obj): _comparable(obj) for obj in objects}
    again = {object_identity(obj): _comparable(obj) for obj in rendered}
    if by_identity != again:
        differing = sorted(
            k for k in by_identity.keys() | again.keys() if by_identity.get(k) != again.get(k)
        )
        raise ImportError_(
            f"{source}: the blueprint would not render back to {describe(differing[0])} exactly; "
            "please report this with the manifest"
        )


def comparable(obj: dict[str, Any]) -> dict[str, Any]:
    """An object as the API server sees it, for round-trip comparison.

    Drops the server's status and an empty Namespace spec, and fills the defaults a blueprint
    writes out: Service ports' protocol TCP and targetPort, a Deployment's empty strategy.
    """
    result = deepcopy(obj)
    result.pop("status", None)
    if result.get("kind") == "Deployment":
        # kubectl writes `strategy: {}`; the API server reads it as its default strategy.
        (result.get("spec") or {}).setdefault("strategy", {})
    if result.get("kind") == "Namespace" and not result.get("spec"):
        result.pop("spec", None)
    if result.get("kind") == "Service":
        for port in (result.get("spec") or {}).get("ports") or []:
            port.setdefault("protocol", "TCP")
            port.setdefault("targetPort", port.get("port"))
    return result


_comparable = comparable


def strip_server_fields(obj: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `obj` without what the API server sets: status, uid, default tokens, ..."""
    result: dict[str, Any] = deepcopy(dict(obj))
    result.pop("status", None)
    metadata = result.get("metadata") or {}
    # What a server returned (`kubectl get -o yaml`) carries its bookkeeping; a file a person
    # wrote does not, and then every field in it is theirs.
    server_written = any(key in metadata for key in _SERVER_METADATA)
    for key in _SERVER_METADATA:
        metadata.pop(key, None)
    annotations = metadata.get("annotations") or {}
    annotations.pop(_LAST_APPLIED, None)
    if "annotations" in metadata and not annotations:
        del metadata["annotations"]
    kind = result.get("kind")
    spec = result.get("spec") or {}
    if kind == "Deployment":
        for key, default in _DEPLOYMENT_DEFAULTS.items():
            if spec.get(key) == default:
                del spec[key]
        (metadata.get("annotations") or {}).pop("deployment.kubernetes.io/revision", None)
        if "annotations" in metadata and not metadata["annotations"]:
            del metadata["annotations"]
        template = spec.get("template") or {}
        (template.get("metadata") or {}).pop("creationTimestamp", None)
        _strip_default_tokens(template.get("spec") or {})
    elif kind == "Pod":
        _strip_default_tokens(spec)
    elif kind == "Service" and server_written:
        _strip_assigned_addresses(spec)
    elif kind == "Namespace":
        result.pop("spec", None)
    return result


def _strip_assigned_addresses(spec: dict[str, Any]) -> None:
    """Drop the type, addresses and IP families the API server filled in on a Service it returned.

    `clusterIP: None` (headless) is always the author's, and so is a dual-stack choice; a
    single family with the SingleStack policy is what the server fills in by itself.
    """
    if spec.get("type") == "ClusterIP":
        del spec["type"]  # the server writes its default out
    if spec.get("clusterIP") != "None":
        spec.pop("clusterIP", None)
        spec.pop("clusterIPs", None)
    elif spec.get("clusterIPs") == ["None"]:
        del spec["clusterIPs"]
    families = spec.get("ipFamilies")
    if spec.get("ipFamilyPolicy") == _DEFAULT_FAMILY_POLICY and (
        isinstance(families, list) and len(families) == 1
    ):
        del spec["ipFamilyPolicy"]
        del spec["ipFamilies"]


def _strip_default_tokens(spec: dict[str, Any]) -> None:
    """Drop the service account token volume the API server injects, and its mounts."""
    tokens = {
        volume.get("name")
        for volume in spec.get("volumes") or []
        if str(volume.get("name", "")).startswith(("kube-api-access-", "default-token-"))
    }
    if not tokens:
        return
    spec["volumes"] = [v for v in spec["volumes"] if v.get("name") not in tokens]
    if not spec["volumes"]:
        del spec["volumes"]
    for group in ("initContainers", "containers"):
        for container in spec.get(group) or []:
            mounts = [m for m in container.get("volumeMounts") or [] if m.get("name") not in tokens]
            if mounts:
                container["volumeMounts"] = mounts
            else:
                container.pop("volumeMounts", None)


def _namespace_name(obj: dict[str, Any], where: str) -> str:
    metadata = obj.get("metadata") or {}
    extra = set(metadata) - {"name"}
    if extra or set(obj) - {"apiVersion", "kind", "metadata"}:
        raise ImportError_(f"{where}: Namespace fields beyond its name have no blueprint words")
    return str(metadata["name"])


def _service_entry(obj: dict[str, Any], where: str) -> dict[str, Any]:
    metadata, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    words = {"ports", "selector", "type", "clusterIP", "ipFamilyPolicy", "ipFamilies"}
    unsupported = (set(spec) - words) | (set(metadata) - {"name", "namespace", "labels"})
    if unsupported:
        raise ImportError_(
            f"{where}: Service fields with no blueprint words: {sorted(unsupported)}"
        )
    ports = []
    for port in spec.get("ports") or []:
        entry: dict[str, Any] = {"port": port["port"]}
        if port.get("targetPort", port["port"]) != port["port"]:
            entry["targetPort"] = port["targetPort"]
        if port.get("protocol", "TCP") != "TCP":
            entry["protocol"] = port["protocol"]
        if port.get("name"):
            entry["name"] = port["name"]
        extra = set(port) - {"port", "targetPort", "protocol", "name"}
        if extra:
            raise ImportError_(
                f"{where}: Service port fields with no blueprint words: {sorted(extra)}"
            )
        ports.append(entry if len(entry) > 1 else entry["port"])
    result: dict[str, Any] = {"name": metadata["name"], "selector": spec.get("selector") or {}}
    result["ports"] = ports
    for key in ("type", "clusterIP", "ipFamilyPolicy", "ipFamilies"):
        if key in spec:
            result[key] = spec[key]
    for key in ("labels", "namespace"):
        if key in metadata:
            result[key] = metadata[key]
    return result


def _pod_entry(obj: dict[str, Any], kind: Kind, where: str) -> dict[str, Any]:
    metadata = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    if kind is Kind.DEPLOYMENT:
        pod_spec, labels = _deployment_parts(obj, where)
    else:
        pod_spec, labels = spec, metadata.get("labels") or {}
        extra = set(obj) - {"apiVersion", "kind", "metadata", "spec"}
        if extra:
            raise ImportError_(f"{where}: fields with no blueprint words: {sorted(extra)}")
    extra_meta = set(metadata) - {"name", "namespace", "labels", "annotations"}
    if extra_meta:
        raise ImportError_(
            f"{where}: metadata fields with no blueprint words: {sorted(extra_meta)}"
        )
    containers = pod_spec.get("containers") or []
    if not containers:
        raise ImportError_(f"{where}: a pod needs at least one container")
    entry = _smart_entry(obj, kind, pod_spec, labels)
    for candidate in (entry, _literal_entry(obj, kind, pod_spec, labels)):
        result = _with_overrides(candidate, pod_spec)
        if result is not None and _renders_back(result, obj):
            return _without_defaults(result, obj)
    raise ImportError_(
        f"{where}: {kind.value} {metadata.get('name')!r} cannot be written as a blueprint that "
        "renders back to it exactly"
    )


# Words whose value may simply be the default; each is dropped if the pod renders the same.
_DEFAULTABLE: tuple[tuple[str, ...], ...] = (
    ("probe", "path"),
    ("probe", "port"),
    ("sharedPath",),
    ("helperPath",),
    ("volumeName",),
    ("init", "name"),
    ("init", "image"),
    ("init", "command"),
    ("sidecar", "name"),
    ("sidecar", "image"),
    ("sidecar", "command"),
    ("init",),  # once empty
    ("sidecar",),
)


def _without_defaults(entry: dict[str, Any], obj: dict[str, Any]) -> dict[str, Any]:
    """`entry` without the words that only restate a default, so blueprints read short."""
    for path in _DEFAULTABLE:
        parent = entry
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None  # type: ignore[assignment]
        if not isinstance(parent, dict) or path[-1] not in parent:
            continue
        trial = deepcopy(entry)
        holder = trial
        for key in path[:-1]:
            holder = holder[key]
        del holder[path[-1]]
        if _renders_back(trial, obj):
            entry = trial
    return entry


def _deployment_parts(obj: dict[str, Any], where: str) -> tuple[dict[str, Any], dict[str, str]]:
    metadata, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    template = spec.get("template") or {}
    labels = metadata.get("labels") or {}
    selector = (spec.get("selector") or {}).get("matchLabels") or {}
    template_labels = (template.get("metadata") or {}).get("labels") or {}
    if not (labels == selector == template_labels) or set(spec.get("selector") or {}) - {
        "matchLabels"
    }:
        raise ImportError_(
            f"{where}: a blueprint Deployment uses one set of labels for itself, its selector and "
            "its pods; these differ"
        )
    extra = (set(spec) - {"replicas", "selector", "template", "strategy"}) | (
        set(template.get("metadata") or {}) - {"labels"}
    )
    if spec.get("strategy") not in (None, {}):
        extra.add("strategy")
    if extra:
        raise ImportError_(f"{where}: Deployment fields with no blueprint words: {sorted(extra)}")
    return template.get("spec") or {}, labels


def _literal_entry(
    obj: dict[str, Any], kind: Kind, pod_spec: dict[str, Any], labels: dict[str, str]
) -> dict[str, Any]:
    """The fewest words: name, image, container name, metadata; the rest is overrides."""
    metadata = obj.get("metadata") or {}
    app = pod_spec["containers"][0]
    entry: dict[str, Any] = {"name": metadata["name"], "image": app.get("image", "")}
    if kind is Kind.DEPLOYMENT:
        entry["kind"] = "deployment"
        if (obj.get("spec") or {}).get("replicas", 1) != 1:
            entry["replicas"] = obj["spec"]["replicas"]
    default_container = (
        container_name_from_image(entry["image"]) if kind is Kind.DEPLOYMENT else entry["name"]
    )
    if app.get("name") != default_container:
        entry["containerName"] = app.get("name")
    default_labels = {"app" if kind is Kind.DEPLOYMENT else "run": entry["name"]}
    if labels != default_labels:
        entry["labels"] = labels
    for key in ("namespace", "annotations"):
        if metadata.get(key):
            entry[key] = metadata[key]
    return entry


def _smart_entry(
    obj: dict[str, Any], kind: Kind, pod_spec: dict[str, Any], labels: dict[str, str]
) -> dict[str, Any]:
    """The literal entry plus every DSL word that describes the pod."""
    entry = _literal_entry(obj, kind, pod_spec, labels)
    app = pod_spec["containers"][0]
    for key in ("command", "args"):
        if app.get(key):
            entry[key] = list(app[key])
    ports = app.get("ports") or []
    if len(ports) == 1 and set(ports[0]) == {"containerPort"}:
        entry["port"] = ports[0]["containerPort"]
    env = app.get("env") or []
    if env and all(set(e) <= {"name", "value"} for e in env):
        names = [e["name"] for e in env]
        # A map reads best, but printing sorts its keys; keep a list where order would change.
        if names == sorted_keys(dict.fromkeys(names)):
            entry["env"] = {e["name"]: e.get("value", "") for e in env}
        else:
            entry["env"] = [dict(e) for e in env]
    if app.get("imagePullPolicy"):
        entry["imagePullPolicy"] = app["imagePullPolicy"]
    resources = app.get("resources") or {}
    if resources and set(resources) <= {"requests", "limits"}:
        entry["resources"] = resources
    if pod_spec.get("restartPolicy") not in (None, "Always") and kind is Kind.POD:
        entry["restart"] = pod_spec["restartPolicy"]
    for key, word in (
        ("nodeSelector", "nodeSelector"),
        ("nodeName", "nodeName"),
        ("serviceAccountName", "serviceAccount"),
        ("terminationGracePeriodSeconds", "gracePeriod"),
    ):
        if key in pod_spec:
            entry[word] = pod_spec[key]
    tolerations = [_toleration_words(t) for t in pod_spec.get("tolerations") or []]
    if tolerations and all(t is not None for t in tolerations):
        entry["tolerations"] = tolerations
    _probe_words(app, entry)
    _lifecycle_words(app, entry)
    _pattern_words(pod_spec, entry)
    return entry


def _toleration_words(toleration: dict[str, Any]) -> dict[str, Any] | None:
    if not toleration.get("key") or set(toleration) - {
        "key",
        "operator",
        "value",
        "effect",
        "tolerationSeconds",
    }:
        return None
    operator = "Equal" if "value" in toleration else "Exists"
    if toleration.get("operator", "Equal") != operator or "effect" not in toleration:
        return None
    words: dict[str, Any] = {"key": toleration["key"], "effect": toleration["effect"]}
    if "value" in toleration:
        words["value"] = toleration["value"]
    if "tolerationSeconds" in toleration:
        words["seconds"] = toleration["tolerationSeconds"]
    return words


def _probe_words(app: dict[str, Any], entry: dict[str, Any]) -> None:
    kinds = {
        k: app[f"{k}Probe"] for k in ("liveness", "readiness", "startup") if f"{k}Probe" in app
    }
    if not kinds or len({repr(sorted(p.items())) for p in kinds.values()}) != 1:
        return
    probe = next(iter(kinds.values()))
    words: dict[str, Any] = {}
    if set(probe.get("httpGet") or {}) - {"path", "port"}:
        return
    if "httpGet" in probe:
        words = {
            "type": "http",
            "path": probe["httpGet"].get("path", "/"),
            "port": probe["httpGet"].get("port"),
        }
    elif "tcpSocket" in probe and set(probe["tcpSocket"]) == {"port"}:
        words = {"type": "tcp", "port": probe["tcpSocket"]["port"]}
    elif (
        "grpc" in probe
        and set(probe["grpc"]) <= {"port", "service"}
        and probe["grpc"].get("service") is None
    ):
        words = {"type": "grpc", "port": probe["grpc"]["port"]}
    elif "exec" in probe:
        words = {"type": "exec", "command": list(probe["exec"].get("command") or [])}
    else:
        return
    if not isinstance(words.get("port", 1), int):
        return  # a named port has no DSL word; the overrides carry it
    for field, word in (
        ("initialDelaySeconds", "initialDelay"),
        ("periodSeconds", "period"),
        ("timeoutSeconds", "timeout"),
        ("successThreshold", "successThreshold"),
        ("failureThreshold", "failureThreshold"),
    ):
        if field in probe:
            words[word] = probe[field]
    if list(kinds) != ["liveness", "readiness"]:
        words["kinds"] = list(kinds)
    entry["probe"] = words


def _lifecycle_words(app: dict[str, Any], entry: dict[str, Any]) -> None:
    lifecycle = app.get("lifecycle") or {}
    for hook, word in (("postStart", "postStart"), ("preStop", "preStop")):
        handler = lifecycle.get(hook) or {}
        if set(handler) == {"exec"} and handler["exec"].get("command"):
            entry[word] = list(handler["exec"]["command"])


def _pattern_words(pod_spec: dict[str, Any], entry: dict[str, Any]) -> None:
    """Recognise wait-for init containers, and an init container or sidecar sharing an emptyDir."""
    inits = list(pod_spec.get("initContainers") or [])
    waits = []
    while inits and (service := _wait_for_service(inits[0])) is not None:
        waits.append(service)
        inits.pop(0)
    if waits:
        entry["waitFor"] = waits
    empty_dirs = {
        v["name"] for v in pod_spec.get("volumes") or [] if set(v) == {"name", "emptyDir"}
    }
    app = pod_spec["containers"][0]
    app_mounts = {
        m["name"]: m["mountPath"] for m in app.get("volumeMounts") or [] if m["name"] in empty_dirs
    }
    sidecars = pod_spec["containers"][1:]
    helper, native = None, False
    if len(inits) == 1 and not sidecars:
        helper = inits[0]
        native = helper.get("restartPolicy") == "Always"
    elif not inits and len(sidecars) == 1 and (app.get("ports") or not sidecars[0].get("ports")):
        # A listening "sidecar" beside a silent first container is really the app.
        helper = sidecars[0]
    if helper is None or len(app_mounts) != 1:
        return
    volume, app_path = next(iter(app_mounts.items()))
    helper_mounts = {m["name"]: m["mountPath"] for m in helper.get("volumeMounts") or []}
    if volume not in helper_mounts:
        return
    role = "sidecar" if (native or helper in sidecars) else "init"
    entry["pattern"] = role
    entry["sharedPath"] = app_path
    if helper_mounts[volume] != app_path:
        entry["helperPath"] = helper_mounts[volume]
    if volume != "shared":
        entry["volumeName"] = volume
    words: dict[str, Any] = {"image": helper.get("image"), "name": helper.get("name")}
    if helper.get("command"):
        words["command"] = list(helper["command"])
    if role == "sidecar":
        ports = helper.get("ports") or []
        if len(ports) == 1 and set(ports[0]) == {"containerPort"}:
            words["port"] = ports[0]["containerPort"]
        if native:
            words["native"] = True
    entry[role] = words


def _wait_for_service(container: dict[str, Any]) -> str | None:
    """The Service a podgen-style wait-for init container waits for, if it is one."""
    name = str(container.get("name", ""))
    service = name.removeprefix("wait-for-")
    if name == service or container.get("image") != WAIT_FOR_IMAGE:
        return None
    expected = build_manifests(PodRequest(name="x", image="x", wait_for=(service,)))
    waiting = expected[0].template.init_containers[0]  # type: ignore[union-attr]
    return service if container.get("command") == list(waiting.command) else None


def _with_overrides(entry: dict[str, Any], pod_spec: dict[str, Any]) -> dict[str, Any] | None:
    """`entry` plus the overrides that turn what it renders into `pod_spec`, if expressible."""
    rendered = _rendered_pod_spec(entry)
    if rendered is None:
        return None
    patch = _merge_patch(rendered, pod_spec)
    if patch is None:
        return None
    result = dict(entry)
    if patch:
        result["overrides"] = patch
    return result


def _rendered_pod_spec(entry: dict[str, Any]) -> dict[str, Any] | None:
    from podgen._blueprint import load_blueprint
    from podgen._pipeline import render_blueprint

    try:
        documents = render_blueprint(load_blueprint(_blueprint_text([entry]), "<import>"))
    except PodgenError:
        return None
    spec = documents[0]["spec"]
    return dict(spec["template"]["spec"] if documents[0]["kind"] == "Deployment" else spec)


def _merge_patch(current: Any, wanted: Any) -> dict[str, Any] | None:
    """A patch that `merge_overrides` turns `current` into `wanted` with, or None if none can."""
    patch: dict[str, Any] = {}
    for key in current:
        if key not in wanted:
            patch[key] = None
    for key, value in wanted.items():
        if key in current and current[key] == value:
            continue
        old = current.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            sub = _merge_patch(old, value)
            if sub is None:
                return None
            patch[key] = sub
        elif _named(value) and _named(old):
            old_names = [item["name"] for item in old]
            new_names = [item["name"] for item in value]
            if new_names[: len(old_names)] != old_names:
                return None  # a named item would have to go, or move: merges cannot do that
            items = []
            for old_item, new_item in zip(old, value, strict=False):
                sub = _merge_patch(old_item, new_item)
                if sub is None:
                    return None
                items.append({"name": new_item["name"], **sub})
            patch[key] = items + [deepcopy(item) for item in value[len(old) :]]
        elif value is None:
            return None  # `null` would delete the key instead
        else:
            patch[key] = deepcopy(value)
    return patch


def _named(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, Mapping) and "name" in item for item in value)
    )


def _renders_back(entry: dict[str, Any], obj: dict[str, Any]) -> bool:
    from podgen._blueprint import load_blueprint
    from podgen._pipeline import render_blueprint

    try:
        (document, *_) = render_blueprint(load_blueprint(_blueprint_text([entry]), "<import>"))
    except PodgenError:
        return False
    return comparable(document) == comparable(obj)


def _blueprint_text(pods: list[dict[str, Any]]) -> str:
    import json

    return json.dumps({"apiVersion": API_VERSION, "kind": KIND, "pods": pods})
