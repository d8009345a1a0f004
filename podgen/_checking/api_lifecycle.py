"""The lifecycle of every built-in API version, per release: which releases serve each kind.

For each (apiVersion, kind) of Kubernetes' own groups served since about 1.16, and the older
ones people still paste: the release that introduced it, deprecated it and removed it, what to
write instead, and whether a release serves it by default. `podgen validate` reports, for the
release it targets (`_model.versions.target()`):
- a version the target no longer serves: an error naming the release that removed it and
  its replacement [api-removed];
- a version newer than the target: an error naming the release that brings it [api-not-yet];
- a version the target has but does not serve by default (every alpha version; a beta
  version introduced since 1.24): an error, as a default cluster answers "no matches for
  kind", naming what turns it on [api-off-by-default];
- a version the target serves that is deprecated (most, removed by a later release): a
  warning, as the API server sends one, with the release that removes it [api-deprecated].
  `podgen validate --strict` fails on it, so CI blocks what the next upgrade would break.

Sources, in this order of authority:
- kubernetes-validate's strict schemas of 1.25 to 1.37
  (kubernetes_validate/kubernetes-json-schema/vX.Y.0-local-strict/_definitions.json, each
  definition's x-kubernetes-group-version-kind): the kinds each release has. A kind is in
  the table from the first of them that has it to the first that no longer does;
  tools/api_lifecycle.py and tests/test_api_lifecycle.py hold the two to each other.
- kubernetes/kubernetes: staging/src/k8s.io/api/GROUP/VERSION/
  zz_generated.prerelease-lifecycle.go (APILifecycleIntroduced, Deprecated, Removed,
  Replacement) for alpha and beta versions, and pkg/controlplane's
  DefaultAPIResourceConfigSource for the versions on by default: betas introduced since 1.24
  are off (KEP-3136), but for flowcontrol v1beta3 (legacyBetaEnabledByDefaultResources);
  alpha versions are always off.
- the deprecation guide (kubernetes.io/docs/reference/using-api/deprecation-guide) for the
  versions removed before 1.25, and the API server's own warnings (`v1 Endpoints is
  deprecated in v1.33+`) for deprecated GA kinds. tests/test_api_lifecycle.py compares what
  the table says 1.36 serves with a real 1.36 API server's discovery and warnings.
"""

from __future__ import annotations

import functools

from podgen._checking import feature_gates
from podgen._model.versions import minor, target
from podgen._records import NamedTuple

#: One entry per apiVersion and its kinds, then after `=`:
#: the release that introduced it; deprecated it (- for none); removed it (the first release
#: that no longer serves it; - for none by 1.37); `on` if served by default while it is
#: served, `off` if only with --runtime-config; the feature gate an off version needs besides
#: (- for none known); what to write instead (- for nothing). Lines that start with spaces
#: go on with the one before.
_TABLE = """
v1 Binding ConfigMap Event LimitRange Namespace Node PersistentVolume PersistentVolumeClaim Pod
    PodTemplate ReplicationController ResourceQuota Secret Service ServiceAccount
  = 1.0 - - on - -
v1 ComponentStatus
  = 1.0 1.19 - on - -
v1 Endpoints
  = 1.0 1.33 - on - discovery.k8s.io/v1 EndpointSlice
admissionregistration.k8s.io/v1 MutatingWebhookConfiguration ValidatingWebhookConfiguration
  = 1.16 - - on - -
admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding
  = 1.30 - - on - -
admissionregistration.k8s.io/v1 MutatingAdmissionPolicy MutatingAdmissionPolicyBinding
  = 1.36 - - on - -
admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration ValidatingWebhookConfiguration
  = 1.9 1.16 1.22 on - admissionregistration.k8s.io/v1
admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding
  = 1.26 1.29 1.32 off ValidatingAdmissionPolicy admissionregistration.k8s.io/v1
admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding
  = 1.28 1.31 1.34 off ValidatingAdmissionPolicy admissionregistration.k8s.io/v1
admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicy MutatingAdmissionPolicyBinding
  = 1.32 - - off MutatingAdmissionPolicy admissionregistration.k8s.io/v1
admissionregistration.k8s.io/v1beta1 MutatingAdmissionPolicy MutatingAdmissionPolicyBinding
  = 1.34 1.37 - off MutatingAdmissionPolicy admissionregistration.k8s.io/v1
apiextensions.k8s.io/v1 CustomResourceDefinition
  = 1.16 - - on - -
apiextensions.k8s.io/v1beta1 CustomResourceDefinition
  = 1.7 1.16 1.22 on - apiextensions.k8s.io/v1
apiregistration.k8s.io/v1 APIService
  = 1.10 - - on - -
apiregistration.k8s.io/v1beta1 APIService
  = 1.7 1.19 1.22 on - apiregistration.k8s.io/v1
apps/v1 ControllerRevision DaemonSet Deployment ReplicaSet StatefulSet
  = 1.9 - - on - -
apps/v1beta1 ControllerRevision Deployment StatefulSet
  = 1.5 1.9 1.16 on - apps/v1
apps/v1beta2 ControllerRevision DaemonSet Deployment ReplicaSet StatefulSet
  = 1.8 1.9 1.16 on - apps/v1
extensions/v1beta1 Deployment DaemonSet ReplicaSet
  = 1.2 1.9 1.16 on - apps/v1
extensions/v1beta1 NetworkPolicy
  = 1.3 1.9 1.16 on - networking.k8s.io/v1
extensions/v1beta1 PodSecurityPolicy
  = 1.3 1.11 1.16 on - Pod Security Admission (namespace labels); PodSecurityPolicy itself
    is gone since 1.25
extensions/v1beta1 Ingress
  = 1.1 1.14 1.22 on - networking.k8s.io/v1
authentication.k8s.io/v1 TokenRequest TokenReview
  = 1.6 - - on - -
authentication.k8s.io/v1 SelfSubjectReview
  = 1.28 - - on - -
authentication.k8s.io/v1beta1 TokenReview
  = 1.3 1.19 1.22 on - authentication.k8s.io/v1
authentication.k8s.io/v1alpha1 SelfSubjectReview
  = 1.26 1.29 1.32 off APISelfSubjectReview authentication.k8s.io/v1
authentication.k8s.io/v1beta1 SelfSubjectReview
  = 1.27 1.30 1.33 off - authentication.k8s.io/v1
authorization.k8s.io/v1 LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview
    SubjectAccessReview
  = 1.6 - - on - -
authorization.k8s.io/v1beta1 LocalSubjectAccessReview SelfSubjectAccessReview
    SelfSubjectRulesReview SubjectAccessReview
  = 1.3 1.19 1.22 on - authorization.k8s.io/v1
autoscaling/v1 HorizontalPodAutoscaler Scale
  = 1.2 - - on - -
autoscaling/v2 HorizontalPodAutoscaler
  = 1.23 - - on - -
autoscaling/v2beta1 HorizontalPodAutoscaler
  = 1.8 1.22 1.25 on - autoscaling/v2
autoscaling/v2beta2 HorizontalPodAutoscaler
  = 1.12 1.23 1.26 on - autoscaling/v2
batch/v1 Job
  = 1.2 - - on - -
batch/v1 CronJob
  = 1.21 - - on - -
batch/v1beta1 CronJob
  = 1.8 1.21 1.25 on - batch/v1
batch/v2alpha1 CronJob
  = 1.5 1.8 1.21 off - batch/v1
certificates.k8s.io/v1 CertificateSigningRequest
  = 1.19 - - on - -
certificates.k8s.io/v1 ClusterTrustBundle PodCertificateRequest
  = 1.37 - - on - -
certificates.k8s.io/v1beta1 CertificateSigningRequest
  = 1.4 1.19 1.22 on - certificates.k8s.io/v1
certificates.k8s.io/v1alpha1 ClusterTrustBundle
  = 1.27 1.30 1.37 off ClusterTrustBundle certificates.k8s.io/v1
certificates.k8s.io/v1beta1 ClusterTrustBundle
  = 1.33 1.36 - off ClusterTrustBundle certificates.k8s.io/v1
certificates.k8s.io/v1alpha1 PodCertificateRequest
  = 1.34 - 1.35 off PodCertificateRequest certificates.k8s.io/v1
certificates.k8s.io/v1beta1 PodCertificateRequest
  = 1.35 1.38 - off PodCertificateRequest certificates.k8s.io/v1
coordination.k8s.io/v1 Lease
  = 1.14 - - on - -
coordination.k8s.io/v1beta1 Lease
  = 1.12 1.19 1.22 on - coordination.k8s.io/v1
coordination.k8s.io/v1alpha1 LeaseCandidate
  = 1.31 - 1.32 off CoordinatedLeaderElection -
coordination.k8s.io/v1alpha2 LeaseCandidate
  = 1.32 - - off CoordinatedLeaderElection -
coordination.k8s.io/v1beta1 LeaseCandidate
  = 1.33 1.36 - off CoordinatedLeaderElection -
discovery.k8s.io/v1 EndpointSlice
  = 1.21 - - on - -
discovery.k8s.io/v1beta1 EndpointSlice
  = 1.17 1.21 1.25 on - discovery.k8s.io/v1
events.k8s.io/v1 Event
  = 1.19 - - on - -
events.k8s.io/v1beta1 Event
  = 1.8 1.19 1.25 on - events.k8s.io/v1
flowcontrol.apiserver.k8s.io/v1 FlowSchema PriorityLevelConfiguration
  = 1.29 - - on - -
flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema PriorityLevelConfiguration
  = 1.20 1.23 1.26 on - flowcontrol.apiserver.k8s.io/v1
flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema PriorityLevelConfiguration
  = 1.23 1.26 1.29 on - flowcontrol.apiserver.k8s.io/v1
flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema PriorityLevelConfiguration
  = 1.26 1.29 1.32 on - flowcontrol.apiserver.k8s.io/v1
internal.apiserver.k8s.io/v1alpha1 StorageVersion
  = 1.20 - - off StorageVersionAPI -
lifecycle.k8s.io/v1alpha1 Eviction EvictionRequest
  = 1.37 - - off - -
networking.k8s.io/v1 Ingress IngressClass
  = 1.19 - - on - -
networking.k8s.io/v1 NetworkPolicy
  = 1.7 - - on - -
networking.k8s.io/v1 IPAddress ServiceCIDR
  = 1.33 - - on - -
networking.k8s.io/v1beta1 Ingress IngressClass
  = 1.14 1.19 1.22 on - networking.k8s.io/v1
networking.k8s.io/v1alpha1 ClusterCIDR
  = 1.25 - 1.29 off MultiCIDRRangeAllocator -
networking.k8s.io/v1alpha1 IPAddress
  = 1.27 - 1.31 off MultiCIDRServiceAllocator networking.k8s.io/v1
networking.k8s.io/v1alpha1 ServiceCIDR
  = 1.29 - 1.31 off MultiCIDRServiceAllocator networking.k8s.io/v1
networking.k8s.io/v1beta1 IPAddress ServiceCIDR
  = 1.31 1.34 1.37 off - networking.k8s.io/v1
node.k8s.io/v1 RuntimeClass
  = 1.20 - - on - -
node.k8s.io/v1beta1 RuntimeClass
  = 1.14 1.22 1.25 on - node.k8s.io/v1
node.k8s.io/v1alpha1 RuntimeClass
  = 1.12 1.14 1.22 off - node.k8s.io/v1
policy/v1 PodDisruptionBudget
  = 1.21 - - on - -
policy/v1 Eviction
  = 1.22 - - on - -
policy/v1beta1 PodDisruptionBudget
  = 1.5 1.21 1.25 on - policy/v1
policy/v1beta1 PodSecurityPolicy
  = 1.10 1.21 1.25 on - Pod Security Admission (pod-security.kubernetes.io labels on the Namespace)
rbac.authorization.k8s.io/v1 ClusterRole ClusterRoleBinding Role RoleBinding
  = 1.8 - - on - -
rbac.authorization.k8s.io/v1beta1 ClusterRole ClusterRoleBinding Role RoleBinding
  = 1.6 1.17 1.22 on - rbac.authorization.k8s.io/v1
rbac.authorization.k8s.io/v1alpha1 ClusterRole ClusterRoleBinding Role RoleBinding
  = 1.6 1.17 1.22 off - rbac.authorization.k8s.io/v1
resource.k8s.io/v1 DeviceClass ResourceClaim ResourceClaimTemplate ResourceSlice
  = 1.34 - - on - -
resource.k8s.io/v1 DeviceTaintRule
  = 1.37 - - on - -
resource.k8s.io/v1alpha1 PodScheduling ResourceClaim ResourceClaimTemplate ResourceClass
  = 1.26 - 1.27 off DynamicResourceAllocation -
resource.k8s.io/v1alpha2 PodSchedulingContext ResourceClaim ResourceClaimTemplate ResourceClass
  = 1.27 - 1.31 off DynamicResourceAllocation -
resource.k8s.io/v1alpha2 ResourceClaimParameters ResourceClassParameters ResourceSlice
  = 1.30 - 1.31 off DynamicResourceAllocation -
resource.k8s.io/v1alpha3 DeviceClass ResourceClaim ResourceClaimTemplate ResourceSlice
  = 1.31 - 1.34 off DynamicResourceAllocation resource.k8s.io/v1
resource.k8s.io/v1alpha3 PodSchedulingContext
  = 1.31 - 1.32 off DynamicResourceAllocation -
resource.k8s.io/v1alpha3 DeviceTaintRule
  = 1.33 1.36 - off DRADeviceTaints resource.k8s.io/v1
resource.k8s.io/v1alpha3 ResourcePoolStatusRequest
  = 1.36 - - off - -
resource.k8s.io/v1beta1 DeviceClass ResourceClaim ResourceClaimTemplate ResourceSlice
  = 1.32 1.35 - off DynamicResourceAllocation resource.k8s.io/v1
resource.k8s.io/v1beta2 DeviceClass ResourceClaim ResourceClaimTemplate ResourceSlice
  = 1.33 1.36 - off DynamicResourceAllocation resource.k8s.io/v1
resource.k8s.io/v1beta2 DeviceTaintRule
  = 1.36 - - off DRADeviceTaints resource.k8s.io/v1
scheduling.k8s.io/v1 PriorityClass
  = 1.14 - - on - -
scheduling.k8s.io/v1beta1 PriorityClass
  = 1.11 1.14 1.22 on - scheduling.k8s.io/v1
scheduling.k8s.io/v1alpha1 PriorityClass
  = 1.8 1.14 1.22 off - scheduling.k8s.io/v1
scheduling.k8s.io/v1alpha1 Workload
  = 1.35 - 1.36 off - -
scheduling.k8s.io/v1alpha2 PodGroup Workload
  = 1.36 - 1.37 off - -
scheduling.k8s.io/v1alpha3 CompositePodGroup PodGroup Workload
  = 1.37 - - off - -
scheduling.k8s.io/v1beta1 PodGroup Workload
  = 1.37 - - off - -
storage.k8s.io/v1 StorageClass
  = 1.6 - - on - -
storage.k8s.io/v1 VolumeAttachment
  = 1.13 - - on - -
storage.k8s.io/v1 CSINode
  = 1.17 - - on - -
storage.k8s.io/v1 CSIDriver
  = 1.18 - - on - -
storage.k8s.io/v1 CSIStorageCapacity
  = 1.24 - - on - -
storage.k8s.io/v1 VolumeAttributesClass
  = 1.34 - - on - -
storage.k8s.io/v1beta1 CSIDriver CSINode StorageClass VolumeAttachment
  = 1.6 1.19 1.22 on - storage.k8s.io/v1
storage.k8s.io/v1beta1 CSIStorageCapacity
  = 1.21 1.24 1.27 on - storage.k8s.io/v1
storage.k8s.io/v1alpha1 VolumeAttributesClass
  = 1.29 1.32 1.35 off VolumeAttributesClass storage.k8s.io/v1
storage.k8s.io/v1beta1 VolumeAttributesClass
  = 1.31 1.34 1.37 off VolumeAttributesClass storage.k8s.io/v1
storagemigration.k8s.io/v1 StorageVersionMigration
  = 1.37 - - on - -
storagemigration.k8s.io/v1alpha1 StorageVersionMigration
  = 1.30 - 1.35 off StorageVersionMigrator storagemigration.k8s.io/v1
storagemigration.k8s.io/v1beta1 StorageVersionMigration
  = 1.35 1.38 - off StorageVersionMigrator storagemigration.k8s.io/v1
"""

#: Kinds served only as a subresource of another kind (pods/eviction, serviceaccounts/token,
#: deployments/scale, ...): API discovery lists them under their parent, not on their own.
SUBRESOURCES = frozenset(
    {
        ("authentication.k8s.io/v1", "TokenRequest"),
        ("autoscaling/v1", "Scale"),
        ("policy/v1", "Eviction"),
    }
)


class Api(NamedTuple):
    """One apiVersion and kind, from its first release to its last."""

    api_version: str
    kind: str
    introduced: int  #: minor numbers of 1.x releases
    deprecated: int | None
    removed: int | None  #: the first release that no longer serves it
    default_on: bool  #: served by default in the releases that serve it
    gate: str | None  #: the feature gate an off version needs besides --runtime-config
    instead: str | None

    def served(self, release: int) -> bool:
        """Whether `release` has this version at all (by default or not)."""
        return self.introduced <= release and (self.removed is None or release < self.removed)

    def served_by_default(self, release: int) -> bool:
        """Whether a default cluster of `release` serves it (no --runtime-config)."""
        return self.default_on and self.served(release)


@functools.cache
def table() -> dict[tuple[str, str], Api]:
    """Every row, by (apiVersion, kind)."""
    entries: list[str] = []
    for line in _TABLE.strip().splitlines():
        if line.startswith(" "):
            entries[-1] += " " + line.strip()
        else:
            entries.append(line)
    rows: dict[tuple[str, str], Api] = {}
    for entry in entries:
        names, _, columns = entry.partition(" = ")
        api_version, *kinds = names.split()
        introduced, deprecated, removed, default, gate, instead = columns.split(maxsplit=5)
        for kind in kinds:
            key = (api_version, kind)
            if key in rows:  # one row per kind: a typo in the table
                raise ValueError(f"{api_version} {kind} is in the table twice")
            rows[key] = Api(
                api_version,
                kind,
                _minor(introduced),
                None if deprecated == "-" else _minor(deprecated),
                None if removed == "-" else _minor(removed),
                default == "on",
                None if gate == "-" else gate,
                None if instead == "-" else instead,
            )
    return rows


def _minor(release: str) -> int:
    return int(release.removeprefix("1."))


def lookup(api_version: str, kind: str) -> Api | None:
    """The row of `kind` in `api_version`; None for one no release has built in."""
    return table().get((api_version, kind))


class Finding(NamedTuple):
    """What the target release makes of an apiVersion and kind."""

    rule: str  #: api-removed, api-not-yet, api-off-by-default or api-deprecated
    message: str

    @property
    def warning(self) -> bool:
        """A deprecated version is served, with the API server's warning; the rest are refused."""
        return self.rule == "api-deprecated"


def lifecycle_finding(api_version: str, kind: str) -> Finding | None:
    """Whether the targeted release serves `kind` in `api_version` by default, and for how long.

    None when it does and no later release is known to remove it (or it is none of
    Kubernetes' own kinds: the table's business is the built-in ones).
    """
    api = lookup(api_version, kind)
    if api is None:
        return None
    version = target()
    release = minor(version)
    what = f"{kind} in {api_version}"
    if api.removed is not None and release >= api.removed:
        use = f"; use {api.instead}" if api.instead else ""
        return Finding("api-removed", f"{what} was removed in Kubernetes 1.{api.removed}{use}")
    if release < api.introduced:
        elsewhere = _served_elsewhere(api, release)
        return Finding(
            "api-not-yet",
            f"{what} is served from Kubernetes 1.{api.introduced} on (this checks {version})"
            + (f"; {version} serves it in {elsewhere}" if elsewhere else ""),
        )
    if not api.default_on:
        stage = "an alpha" if "alpha" in api_version else "a beta"
        # A gate on by default (GA, locked, or removed later) must not be named: a locked or
        # removed gate on the command line stops the API server from starting.
        gate = f" and --feature-gates={api.gate}=true" if _gate_off(api.gate, version) else ""
        elsewhere = _served_elsewhere(api, release)
        return Finding(
            "api-off-by-default",
            f"{what} is {stage} API, off by default in Kubernetes {version}: a cluster "
            'answers "no matches for kind" unless its API server runs with '
            f"--runtime-config={api_version}=true{gate}"
            + (f"; use {elsewhere}" if elsewhere else ""),
        )
    if (api.deprecated is not None and release >= api.deprecated) or api.removed is not None:
        since = f"deprecated in 1.{api.deprecated}" if api.deprecated is not None else "deprecated"
        until = (
            f", removed in 1.{api.removed}" if api.removed is not None else " (no removal is set)"
        )
        use = f": use {api.instead}" if api.instead else ""
        return Finding("api-deprecated", f"{what} is {since}{until}{use}")
    return None


def _gate_off(gate: str | None, version: str) -> bool:
    """Whether `gate` exists in `version` and is off by default there (gate_table's GATES)."""
    if gate is None:
        return False
    found = feature_gates.state(gate, version)
    return found is not None and not found[0]


def _served_elsewhere(api: Api, release: int) -> str | None:
    """The apiVersion a default cluster of `release` serves the same kind in, if one does."""
    group = api.api_version.rpartition("/")[0]
    for other in table().values():
        if (
            other.kind == api.kind
            and other.api_version != api.api_version
            and other.api_version.rpartition("/")[0] == group
            and other.served_by_default(release)
        ):
            return other.api_version
    return None


def served_by_default(version: str) -> set[tuple[str, str]]:
    """Every (apiVersion, kind) a default cluster of `version` serves."""
    release = minor(version)
    return {key for key, api in table().items() if api.served_by_default(release)}


def served(version: str) -> set[tuple[str, str]]:
    """Every (apiVersion, kind) `version` has, served by default or not."""
    release = minor(version)
    return {key for key, api in table().items() if api.served(release)}
