"""API versions Kubernetes has removed: what each was removed in, and what to use instead.

From the Kubernetes deprecation guide (kubernetes.io/docs/reference/using-api/deprecation-guide).
A 1.37 API server answers these with "no matches for kind"; `podgen validate` names the release
that removed the version and the one to write instead, as an error [api-removed].
"""

from __future__ import annotations

#: (apiVersion, kind) -> (the release that removed it, what to use instead). A kind of None
#: stands for every kind of that apiVersion.
REMOVED: dict[tuple[str, str | None], tuple[str, str]] = {
    **{
        ("extensions/v1beta1", kind): ("1.16", "apps/v1")
        for kind in ("Deployment", "DaemonSet", "ReplicaSet")
    },
    ("extensions/v1beta1", "NetworkPolicy"): ("1.16", "networking.k8s.io/v1"),
    ("extensions/v1beta1", "PodSecurityPolicy"): (
        "1.16",
        "Pod Security Admission (namespace labels); PodSecurityPolicy itself is gone since 1.25",
    ),
    ("extensions/v1beta1", "Ingress"): ("1.22", "networking.k8s.io/v1"),
    ("apps/v1beta1", None): ("1.16", "apps/v1"),
    ("apps/v1beta2", None): ("1.16", "apps/v1"),
    ("batch/v1beta1", "CronJob"): ("1.25", "batch/v1"),
    ("batch/v2alpha1", "CronJob"): ("1.21", "batch/v1"),
    ("policy/v1beta1", "PodDisruptionBudget"): ("1.25", "policy/v1"),
    ("policy/v1beta1", "PodSecurityPolicy"): (
        "1.25",
        "Pod Security Admission (pod-security.kubernetes.io labels on the Namespace)",
    ),
    ("networking.k8s.io/v1beta1", None): ("1.22", "networking.k8s.io/v1"),
    ("autoscaling/v2beta1", None): ("1.25", "autoscaling/v2"),
    ("autoscaling/v2beta2", None): ("1.26", "autoscaling/v2"),
    ("rbac.authorization.k8s.io/v1beta1", None): ("1.22", "rbac.authorization.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1alpha1", None): ("1.22", "rbac.authorization.k8s.io/v1"),
    ("apiextensions.k8s.io/v1beta1", None): ("1.22", "apiextensions.k8s.io/v1"),
    ("apiregistration.k8s.io/v1beta1", None): ("1.22", "apiregistration.k8s.io/v1"),
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"): (
        "1.22",
        "admissionregistration.k8s.io/v1",
    ),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"): (
        "1.22",
        "admissionregistration.k8s.io/v1",
    ),
    ("authentication.k8s.io/v1beta1", None): ("1.22", "authentication.k8s.io/v1"),
    ("authorization.k8s.io/v1beta1", None): ("1.22", "authorization.k8s.io/v1"),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"): (
        "1.22",
        "certificates.k8s.io/v1",
    ),
    ("coordination.k8s.io/v1beta1", "Lease"): ("1.22", "coordination.k8s.io/v1"),
    ("scheduling.k8s.io/v1beta1", "PriorityClass"): ("1.22", "scheduling.k8s.io/v1"),
    ("scheduling.k8s.io/v1alpha1", "PriorityClass"): ("1.22", "scheduling.k8s.io/v1"),
    **{
        ("storage.k8s.io/v1beta1", kind): ("1.22", "storage.k8s.io/v1")
        for kind in ("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment")
    },
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"): ("1.27", "storage.k8s.io/v1"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice"): ("1.25", "discovery.k8s.io/v1"),
    ("events.k8s.io/v1beta1", "Event"): ("1.25", "events.k8s.io/v1"),
    ("node.k8s.io/v1beta1", "RuntimeClass"): ("1.25", "node.k8s.io/v1"),
    ("node.k8s.io/v1alpha1", "RuntimeClass"): ("1.22", "node.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", None): ("1.26", "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta2", None): ("1.29", "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta3", None): ("1.32", "flowcontrol.apiserver.k8s.io/v1"),
}


def removed(api_version: str, kind: str) -> str | None:
    """Why `kind` in `api_version` is no longer served, and what to write instead; or None."""
    found = REMOVED.get((api_version, kind)) or REMOVED.get((api_version, None))
    if found is None:
        return None
    release, instead = found
    return f"{kind} in {api_version} was removed in Kubernetes {release}; use {instead}"
