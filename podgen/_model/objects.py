"""Kubernetes objects as files hold them: what names one, the items of a List, where the pod is.

An object's identity is its kind, namespace and name. Two objects with one identity in a
file or a blueprint are one object written twice: the second would silently replace the
first when applied, so podgen refuses (render, import, new --from) or reports (validate) it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Identity = tuple[str, str, str]

#: podgen's own kind of file: a blueprint (see `_front.blueprint`).
API_VERSION = "podgen.dev/v1"
KIND = "Blueprint"


def is_blueprint_text(text: str) -> bool:
    """Tell, cheaply, whether YAML text declares podgen's apiVersion (for folder scans)."""
    return any(
        spelling in text
        for spelling in (
            f"apiVersion: {API_VERSION}",  # YAML
            f'"apiVersion": "{API_VERSION}"',  # JSON
            f'apiVersion: "{API_VERSION}"',  # KYAML
        )
    )


def object_identity(obj: Any) -> Identity:
    """(kind, namespace, name) of an object; a missing namespace is the empty string."""
    if not isinstance(obj, dict):
        return ("", "", "")
    metadata = obj.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    return (str(obj.get("kind")), str(metadata.get("namespace") or ""), str(metadata.get("name")))


def describe(identity: Identity) -> str:
    """`Pod 'web' in namespace 'shop'`, for messages."""
    kind, namespace, name = identity
    return f"{kind} {name!r}" + (f" in namespace {namespace!r}" if namespace else "")


def is_list(obj: Any) -> bool:
    """Whether `obj` is a list of objects (`kind: List`, as `kubectl get -o yaml` prints)."""
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("kind"), str)
        and obj["kind"].endswith("List")
        and isinstance(obj.get("items"), list)
    )


#: Where each kind that runs pods keeps its pod template (the object that holds `metadata`
#: and `spec`); a Pod is its own.
POD_TEMPLATE_AT: dict[str, tuple[str, ...]] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}


def pod_template(obj: Any) -> tuple[dict[str, Any], tuple[str, ...]] | None:
    """An object's pod template (a Pod: itself) and its path; None for other kinds and shapes."""
    path = POD_TEMPLATE_AT.get(obj.get("kind") if isinstance(obj, dict) else None)  # type: ignore[arg-type]
    if path is None:
        return None
    node = obj
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return (node, path) if isinstance(node, dict) else None


def pod_spec(obj: Any) -> tuple[dict[str, Any], tuple[str, ...]] | None:
    """An object's pod spec and its path (`spec.template.spec` for a Deployment), or None."""
    template = pod_template(obj)
    if template is None:
        return None
    spec = template[0].get("spec")
    return (spec, (*template[1], "spec")) if isinstance(spec, dict) else None
