"""podgen import: what a server wrote, told apart from what a person wrote, object by object.

An object the API server returned (`kubectl get -o yaml`) carries the server's bookkeeping,
status and defaults; `strip_server_fields` drops them by one rule (`SERVER_DEFAULTS` lists the
defaults), and `without_made` leaves out what a controller among the manifests makes. An
object a person wrote is never changed: every field in it is theirs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from copy import deepcopy

from podgen._errors import quoted
from podgen._model.objects import describe, object_identity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from podgen._errors import Path
    from podgen._io.strict_yaml import Document

    #: An object of the manifests: its document, where in it, and the object.
    Placed = tuple[Document, Path, dict[str, Any]]

#: The metadata only the API server writes: an object holding any of them, or a status with
#: something in it, is one a server returned (`server_returned`).
_SERVER_METADATA = (
    "creationTimestamp",
    "uid",
    "resourceVersion",
    "managedFields",
    "selfLink",
    "generation",
)
#: Annotations the server side writes (kubectl apply's record, a Deployment's revision).
_SERVER_ANNOTATIONS = (
    "kubectl.kubernetes.io/last-applied-configuration",
    "deployment.kubernetes.io/revision",
)
#: What the API server fills into an object's own spec when nobody asked, by kind: dropped
#: from objects a server returned where they hold exactly this. Pod templates keep theirs.
SERVER_DEFAULTS: dict[str, dict[str, Any]] = {
    "Deployment": {
        "progressDeadlineSeconds": 600,
        "revisionHistoryLimit": 10,
        "strategy": {
            "type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
        },
    },
    "StatefulSet": {
        "revisionHistoryLimit": 10,
        "podManagementPolicy": "OrderedReady",
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
    },
    "DaemonSet": {
        "revisionHistoryLimit": 10,
        "updateStrategy": {
            "type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1},
        },
    },
    "Job": {"suspend": False, "backoffLimit": 6, "completionMode": "NonIndexed"},
    "CronJob": {
        "concurrencyPolicy": "Allow",
        "suspend": False,
        "successfulJobsHistoryLimit": 3,
        "failedJobsHistoryLimit": 1,
    },
    "Service": {"sessionAffinity": "None", "internalTrafficPolicy": "Cluster"},
}
#: The IP families the API server picks for a Service nobody asked anything of.
_DEFAULT_FAMILY_POLICY = "SingleStack"


def server_returned(obj: Mapping[str, Any]) -> bool:
    """Whether the API server returned `obj` (`kubectl get -o yaml`), rather than a person.

    A server's object carries its bookkeeping (uid, resourceVersion, managedFields, a real
    creationTimestamp) or a status with something in it; kubectl's `--dry-run` skeleton
    (`creationTimestamp: null`, `status: {}`) and ownerReferences people write do not count.
    """
    metadata = obj.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    return bool(obj.get("status")) or any(metadata.get(key) is not None for key in _SERVER_METADATA)


def strip_server_fields(obj: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `obj` without what the API server wrote, if a server returned it.

    From such an object go its status, its bookkeeping metadata and ownerReferences, the
    server's annotations, the service account token volume it injects, a Service's assigned
    addresses and the defaults of `SERVER_DEFAULTS`. An object a person (or kubectl's
    `--dry-run`) wrote is returned as it is: every field in it is theirs.
    """
    result: dict[str, Any] = deepcopy(dict(obj))
    if not server_returned(obj):
        return result
    try:
        return _stripped(obj, result)
    except (AttributeError, KeyError, TypeError):
        # A field of the wrong shape (metadata a string, say): no server wrote this object
        # as it stands, and the check that follows names the field at its line.
        return deepcopy(dict(obj))


def _stripped(obj: Mapping[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    metadata = result.get("metadata") or {}
    result.pop("status", None)
    for key in (*_SERVER_METADATA, "ownerReferences"):
        metadata.pop(key, None)
    annotations = metadata.get("annotations") or {}
    for key in _SERVER_ANNOTATIONS:
        annotations.pop(key, None)
    if "annotations" in metadata and not annotations:
        del metadata["annotations"]
    kind = result.get("kind")
    spec = result.get("spec") or {}
    for key, default in SERVER_DEFAULTS.get(str(kind), {}).items():
        if spec.get(key) == default:
            del spec[key]
    template = spec.get("template") or (
        ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}
    )
    if kind == "Job":
        _strip_job_selector(obj["metadata"], metadata, spec)
    if kind == "Pod":
        _strip_default_tokens(spec)
    elif template:
        for templated in (template, spec.get("jobTemplate") or {}):
            (templated.get("metadata") or {}).pop("creationTimestamp", None)
        _strip_default_tokens(template.get("spec") or {})
    if kind == "Service":
        _strip_assigned_addresses(spec)
    elif kind == "Namespace":
        # The server adds the `kubernetes` finalizer; any other is the author's, and kept.
        finalizers = spec.get("finalizers")
        own = [f for f in finalizers if f != "kubernetes"] if isinstance(finalizers, list) else []
        if own:
            spec["finalizers"] = own
        elif not set(spec) - {"finalizers"}:
            result.pop("spec", None)
        # ... and labels every Namespace with its own name.
        labels = metadata.get("labels") or {}
        if _NAME_LABEL in labels and labels[_NAME_LABEL] == metadata.get("name"):
            del labels[_NAME_LABEL]
            if not labels:
                del metadata["labels"]
    return result


#: The labels the API server writes on a Job it generates the selector of, and what they hold.
_JOB_LABELS = {
    "controller-uid": "uid",
    "batch.kubernetes.io/controller-uid": "uid",
    "job-name": "name",
    "batch.kubernetes.io/job-name": "name",
}


def _strip_job_selector(
    returned: Mapping[str, Any], metadata: dict[str, Any], spec: dict[str, Any]
) -> None:
    """Drop the selector the API server generated for a Job it returned, and its labels.

    Unless the author chose `manualSelector: true`, the server writes `spec.selector` (on
    the Job's uid), `manualSelector: false` and the labels naming the Job's uid and name on
    its template (and on the Job, where it copies the template's): sent back, the server
    refuses such a selector, so they go. `returned` is the metadata as the server wrote it.
    """
    if spec.get("manualSelector") is True:
        return
    spec.pop("manualSelector", None)
    spec.pop("selector", None)
    template = spec.get("template") or {}
    for labelled in (metadata, template.get("metadata") or {}):
        labels = labelled.get("labels") or {}
        for label, field in _JOB_LABELS.items():
            if label in labels and labels[label] == returned.get(field):
                del labels[label]
        if "labels" in labelled and not labels:
            del labelled["labels"]


#: The label the API server puts on every Namespace: its name.
_NAME_LABEL = "kubernetes.io/metadata.name"


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


def without_made(objects: Sequence[Placed], notes: list[str] | None) -> list[Placed]:
    """`objects` without those a controller among them made, with one note naming them.

    A ReplicaSet a Deployment owns, its Pods, a Service's EndpointSlices and Endpoints, as
    `kubectl get all -o yaml` lists them: applying the controller makes them again, so a
    blueprint of them would make orphan duplicates. Only objects a server returned count
    (a controller wrote them); ownerReferences a person wrote are kept with the object. An
    object whose controller is not among the manifests, or is one that never makes its kind
    (`_MADE_BY`: a ConfigMap a Deployment controls), is kept, standalone, with a note.
    """
    uids = {
        str(obj["metadata"]["uid"]): obj
        for _, _, obj in objects
        if isinstance(obj.get("metadata"), dict) and obj["metadata"].get("uid")
    }
    names = {object_identity(obj)[:3]: obj for _, _, obj in objects}
    made: list[str] = []
    kept: list[Placed] = []
    for placed in objects:
        obj = placed[2]
        metadata = obj.get("metadata") or {}
        if not server_returned(obj):
            kept.append(placed)
            continue
        namespace = str(metadata.get("namespace") or "")
        controller = next(
            (
                ref
                for ref in metadata.get("ownerReferences") or []
                if isinstance(ref, dict) and ref.get("controller") is True
            ),
            None,
        )
        if controller is None and obj.get("kind") == "Endpoints":
            # The endpoints controller writes a selector Service's Endpoints, with no owner.
            service = names.get(("Service", namespace, str(metadata.get("name"))))
            if service is not None and (service.get("spec") or {}).get("selector"):
                made.append(describe(object_identity(obj)))
                continue
        if controller is None:
            kept.append(placed)
            continue
        owner = uids.get(str(controller.get("uid"))) or names.get(
            (str(controller.get("kind")), namespace, str(controller.get("name")))
        )
        if owner is not None and _makes(owner, obj):
            made.append(describe(object_identity(obj)))
            continue
        kept.append(placed)
        if notes is not None:
            where = "is not among the manifests" if owner is None else "does not make it"
            notes.append(
                f"{placed[0].where(placed[1])}: {describe(object_identity(obj))}: its controller "
                f"({controller.get('kind')} {quoted(controller.get('name'))}) {where}; kept it "
                "standalone, without its ownerReferences"
            )
    if made and notes is not None:
        notes.append(
            f"left out {len(made)} object{'s' if len(made) > 1 else ''} that a controller among "
            f"the manifests makes (applying it makes them again): {', '.join(made)}"
        )
    return kept


#: What Kubernetes' own controllers make, by the kind of the controller: only these are left
#: out. A StatefulSet's claims carry no controller reference (their retention policy's is
#: none), so they are kept; any other object owned by one of these was written by someone.
_MADE_BY = {
    "Deployment": {"ReplicaSet"},
    "ReplicaSet": {"Pod"},
    "StatefulSet": {"Pod", "ControllerRevision"},
    "DaemonSet": {"Pod", "ControllerRevision"},
    "Job": {"Pod"},
    "CronJob": {"Job"},
    "Service": {"EndpointSlice"},
}
#: The label the EndpointSlice controller puts on the slices it makes for a Service.
_SLICE_MANAGER = ("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")


def _makes(owner: Mapping[str, Any], obj: Mapping[str, Any]) -> bool:
    """Whether a built-in controller like `owner` makes objects like `obj`."""
    kind = obj.get("kind")
    if object_identity(owner)[3] or object_identity(obj)[3]:
        return False  # a custom resource's kinds are no built-in controller's
    if kind not in _MADE_BY.get(str(owner.get("kind")), ()):
        return False
    if kind == "EndpointSlice":
        labels = (obj.get("metadata") or {}).get("labels") or {}
        return labels.get(_SLICE_MANAGER[0]) == _SLICE_MANAGER[1]
    return True
