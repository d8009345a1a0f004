"""Kubernetes objects as files hold them: what names one, and the items of a List.

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
    return f"apiVersion: {API_VERSION}" in text or f'"apiVersion": "{API_VERSION}"' in text


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
