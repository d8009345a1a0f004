"""Kubernetes objects as files hold them: what names one, the items of a List, where the pod is.

An object's identity is its kind, namespace and name, and for a custom resource its API group
(an Istio Gateway is not a Gateway API Gateway); whether it has a namespace at all is its
kind's scope (`is_namespaced`). Two objects with one identity in a
file or a blueprint are one object written twice: the second would silently replace the
first when applied, so podgen refuses (render, import, new --from) or reports (validate) it.
"""

from __future__ import annotations

from collections.abc import Iterable

from podgen._errors import quoted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: (kind, namespace, name, group): the group is a custom resource's, "" for built-in kinds.
Identity = tuple[str, str, str, str]

#: Every name kustomize reads a folder's kustomization from (it refuses a folder with two):
#: render writes kustomization.yaml and looks for yours; validate reads what they name.
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")

#: podgen's own kind of file: a blueprint (see `_blueprint.loader`).
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
    """(kind, namespace, name, group) of an object; a missing namespace is the empty string.

    The group is a custom resource's (`custom_group`); a built-in kind's is "" whatever its
    version's group, as before groups counted (the server keeps `v1` and `events.k8s.io/v1`
    Events as one object).
    """
    if not isinstance(obj, dict):
        return ("", "", "", "")
    metadata = obj.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    return (
        str(obj.get("kind")),
        str(metadata.get("namespace") or ""),
        str(metadata.get("name")),
        custom_group(obj.get("apiVersion")) or "",
    )


#: The API groups of Kubernetes' own kinds ("" is the core group), as the vendored schema has
#: them (tests/test_crd_wiring.py holds the two together). A CRD cannot add kinds to these, and
#: every CRD's group has a dot: a group that is neither is no group at all.
BUILT_IN_GROUPS = frozenset(
    (
        "",
        "admissionregistration.k8s.io",
        "apiextensions.k8s.io",
        "apiregistration.k8s.io",
        "apps",
        "authentication.k8s.io",
        "authorization.k8s.io",
        "autoscaling",
        "batch",
        "certificates.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "events.k8s.io",
        "flowcontrol.apiserver.k8s.io",
        "internal.apiserver.k8s.io",
        "lifecycle.k8s.io",
        "networking.k8s.io",
        "node.k8s.io",
        "policy",
        "rbac.authorization.k8s.io",
        "resource.k8s.io",
        "scheduling.k8s.io",
        "storage.k8s.io",
        "storagemigration.k8s.io",
    )
)


def custom_group(api_version: object) -> str | None:
    """The API group of a custom resource's apiVersion (`cert.example.io/v1`), else None.

    A group with a dot that is not one of Kubernetes' own: `serving.knative.dev` (whose
    Service is no core Service), `gateway.networking.k8s.io`. `apps/v1` and a misspelt `app/v1`
    are not: a CRD's group must hold a dot.
    """
    group = api_group(api_version)
    return group if "." in group and group not in BUILT_IN_GROUPS else None


#: The built-in kinds of Kubernetes 1.37 that are cluster-scoped, by API group ("" is the core
#: group); every other built-in kind is namespaced. The vendored schema
#: (`_checking/schemas/`, 1.37's index) says nothing of scope, so this table holds what
#: `kubectl api-resources --namespaced=false` lists; tests/test_environments.py checks that
#: every kind in it is one of the schema's.
CLUSTER_SCOPED: frozenset[tuple[str, str]] = frozenset(
    (group, kind)
    for group, kinds in (
        ("", "ComponentStatus Namespace Node PersistentVolume"),
        (
            "admissionregistration.k8s.io",
            "MutatingAdmissionPolicy MutatingAdmissionPolicyBinding MutatingWebhookConfiguration "
            "ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding "
            "ValidatingWebhookConfiguration",
        ),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("apiregistration.k8s.io", "APIService"),
        ("authentication.k8s.io", "SelfSubjectReview TokenReview"),
        (
            "authorization.k8s.io",
            "SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview",
        ),
        ("certificates.k8s.io", "CertificateSigningRequest ClusterTrustBundle"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema PriorityLevelConfiguration"),
        ("internal.apiserver.k8s.io", "StorageVersion"),
        ("networking.k8s.io", "IPAddress IngressClass ServiceCIDR"),
        ("node.k8s.io", "RuntimeClass"),
        ("rbac.authorization.k8s.io", "ClusterRole ClusterRoleBinding"),
        (
            "resource.k8s.io",
            "DeviceClass DeviceTaintRule ResourcePoolStatusRequest ResourceSlice",
        ),
        ("scheduling.k8s.io", "PriorityClass"),
        (
            "storage.k8s.io",
            "CSIDriver CSINode StorageClass VolumeAttachment VolumeAttributesClass",
        ),
        ("storagemigration.k8s.io", "StorageVersionMigration"),
    )
    for kind in kinds.split()
)


def api_group(api_version: object) -> str:
    """The API group of an apiVersion: `apps` for `apps/v1`, "" (core) for `v1`."""
    text = str(api_version or "")
    return text.rpartition("/")[0]


def cluster_scoped_kinds(objects: Iterable[Any]) -> frozenset[tuple[str, str]]:
    """The custom kinds, as (group, kind), that CRDs among `objects` declare `scope: Cluster`."""
    found = set()
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("kind") != "CustomResourceDefinition":
            continue
        spec = obj.get("spec")
        if isinstance(spec, dict) and spec.get("scope") == "Cluster":
            names = spec.get("names")
            kind = names.get("kind") if isinstance(names, dict) else None
            found.add((str(spec.get("group", "")), str(kind)))
    return frozenset(found)


def is_namespaced(obj: Any, custom_cluster_kinds: frozenset[tuple[str, str]] = frozenset()) -> bool:
    """Whether an object lives in a namespace.

    Cluster-scoped built-in kinds do not, nor do the custom kinds in `custom_cluster_kinds`
    (see `cluster_scoped_kinds`); a custom kind no definition at hand describes is taken as
    namespaced, as most are.
    """
    if not isinstance(obj, dict):
        return False
    key = (api_group(obj.get("apiVersion")), str(obj.get("kind")))
    return key not in CLUSTER_SCOPED and key not in custom_cluster_kinds


def describe(identity: Identity) -> str:
    """`Pod 'web' in namespace 'shop'` (`Gateway.networking.istio.io 'web'`), for messages."""
    kind, namespace, name, group = identity
    kind = f"{kind}.{group}" if group else kind
    return f"{kind} {quoted(name)}" + (f" in namespace {quoted(namespace)}" if namespace else "")


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
