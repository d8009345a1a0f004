"""The feature gates that guard API fields, per Kubernetes release, and the fields they guard.

Data only; `_checking.feature_gates` reads it. A field behind a gate that is off by default in
the target release is accepted by the API server and dropped on create (the
`dropDisabled...Fields` functions every strategy's PrepareForCreate calls).

- `GATES`: each gate's default and stage from the release it changed in, 1.29 to 1.37. Taken
  from upstream's versioned feature specs, `{Version: version.MustParse("1.31"), Default: false,
  PreRelease: featuregate.Alpha}`, in kubernetes/kubernetes pkg/features/kube_features.go (and
  the scheduling gates' own file of 1.37, staging/src/k8s.io/apiserver/pkg/features for the
  generic ones, k8s.io/apiextensions-apiserver/pkg/features for CRDs); the 1.37 states from the
  feature-gate pages of kubernetes/website (content/en/docs/reference/
  command-line-tools-reference/feature-gates/*.md, generated from those specs). Every 1.36 row
  is checked against a real 1.36 kube-apiserver's `kubernetes_feature_enabled` metric
  (tests/test_feature_gates.py).
- `GUARDED`: the fields each gate guards, as the API server drops them: pkg/api/pod/util.go
  (dropDisabledFields, for Pods and every pod template: Deployment, StatefulSet, Job, CronJob,
  ...; PodTemplate too), pkg/api/service/util.go, pkg/registry/batch/job/strategy.go,
  pkg/api/persistentvolumeclaim/util.go, pkg/api/persistentvolume/util.go,
  pkg/registry/apps/statefulset/strategy.go, pkg/registry/autoscaling/horizontalpodautoscaler/
  strategy.go, pkg/registry/storage/csidriver/strategy.go, pkg/registry/resource/*/strategy.go,
  pkg/registry/core/node/strategy.go and apiextensions' CRD strategy.

Only gates off by default in some release from 1.29 to 1.37 are here: a field whose gate is on
in all of them is never dropped. A field is listed from the first release whose schema has it
(`since`) to the last (`until`): where the target's schema lacks it, the schema check reports
an unknown field, and a second warning would say nothing new.

Rules the API server *validates* differently with a gate (not drops) are in `VALIDATION_GATES`,
for the checks that follow them.
"""

from __future__ import annotations

from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ALPHA, BETA, GA, DEPRECATED = "alpha", "beta", "GA", "deprecated"

#: Each gate's (release, on by default, stage) from the release it took that state on; a
#: release before the first row does not have the gate (nor, here, its fields).
GATES: dict[str, tuple[tuple[str, bool, str], ...]] = {
    "AtomicWriteVolumeUserFields": (("1.37", False, ALPHA),),
    "ClusterTrustBundleProjection": (
        ("1.29", False, ALPHA),
        ("1.33", False, BETA),
        ("1.37", True, GA),
    ),
    "ContainerRestartRules": (("1.34", False, ALPHA), ("1.35", True, BETA)),
    "ContainerStopSignals": (("1.33", False, ALPHA),),
    "CRDValidationRatcheting": (("1.28", False, ALPHA), ("1.30", True, BETA), ("1.33", True, GA)),
    "CrossNamespaceVolumeDataSource": (("1.26", False, ALPHA),),
    "CustomResourceFieldSelectors": (
        ("1.30", False, ALPHA),
        ("1.31", True, BETA),
        ("1.32", True, GA),
    ),
    "DRAConsumableCapacity": (("1.34", False, ALPHA), ("1.36", True, BETA)),
    "DRADerivedAttributes": (("1.37", False, ALPHA),),
    "DRADeviceTaints": (("1.33", False, ALPHA), ("1.36", True, BETA), ("1.37", True, GA)),
    "DRAExtendedResource": (("1.34", False, ALPHA), ("1.36", True, BETA), ("1.37", True, GA)),
    "DynamicResourceAllocation": (
        ("1.26", False, ALPHA),
        ("1.32", False, BETA),
        ("1.34", True, GA),
    ),
    "EmptyDirVolumeMode": (("1.37", False, ALPHA),),
    "EnvFiles": (("1.34", False, ALPHA), ("1.35", True, BETA)),
    "EvictionRequestAPI": (("1.37", False, ALPHA),),
    "GenericWorkload": (("1.35", False, ALPHA), ("1.37", False, BETA)),
    "GRPCContainerProbeTLS": (("1.37", False, ALPHA),),
    "H2CContainerProbe": (("1.37", False, ALPHA),),
    "HostnameOverride": (("1.34", False, ALPHA), ("1.35", True, BETA)),
    "HPAConfigurableTolerance": (("1.33", False, ALPHA), ("1.35", True, BETA)),
    "ImageVolume": (
        ("1.31", False, ALPHA),
        ("1.33", False, BETA),
        ("1.35", True, BETA),
        ("1.36", True, GA),
    ),
    "InPlacePodVerticalScaling": (
        ("1.27", False, ALPHA),
        ("1.33", True, BETA),
        ("1.35", True, GA),
    ),
    "InPlacePodVerticalScalingSchedulerPreemption": (("1.37", False, ALPHA),),
    "JobManagedBy": (("1.30", False, ALPHA), ("1.32", True, BETA), ("1.35", True, GA)),
    "JobSuccessPolicy": (("1.30", False, ALPHA), ("1.31", True, BETA), ("1.33", True, GA)),
    "MatchLabelKeysInPodAffinity": (
        ("1.29", False, ALPHA),
        ("1.31", True, BETA),
        ("1.33", True, GA),
    ),
    # Beta and on in 1.35.0 to 1.35.3, turned off again from 1.35.4 and in 1.36, on in 1.37:
    # a 1.35 cluster is taken as its latest patch.
    "MaxUnavailableStatefulSet": (
        ("1.24", False, ALPHA),
        ("1.35", False, BETA),
        ("1.37", True, BETA),
    ),
    "MutableCSINodeAllocatableCount": (
        ("1.33", False, ALPHA),
        ("1.34", False, BETA),
        ("1.35", True, BETA),
        ("1.36", True, GA),
    ),
    "PodCertificateRequest": (("1.34", False, ALPHA), ("1.35", False, BETA), ("1.37", True, GA)),
    "PodLevelResources": (("1.32", False, ALPHA), ("1.34", True, BETA)),
    "PodLifecycleSleepAction": (("1.29", False, ALPHA), ("1.30", True, BETA), ("1.34", True, GA)),
    "ProcMountType": (
        ("1.12", False, ALPHA),
        ("1.31", False, BETA),
        ("1.33", True, BETA),
        ("1.36", True, GA),
    ),
    "RecursiveReadOnlyMounts": (("1.30", False, ALPHA), ("1.31", True, BETA), ("1.33", True, GA)),
    "SELinuxChangePolicy": (("1.32", False, ALPHA), ("1.33", True, BETA), ("1.36", True, GA)),
    "ServiceTrafficDistribution": (
        ("1.30", False, ALPHA),
        ("1.31", True, BETA),
        ("1.33", True, GA),
    ),
    "SupplementalGroupsPolicy": (("1.31", False, ALPHA), ("1.33", True, BETA), ("1.35", True, GA)),
    "UserNamespacesSupport": (
        ("1.25", False, ALPHA),
        ("1.30", False, BETA),
        ("1.33", True, BETA),
        ("1.36", True, GA),
    ),
    "VolumeAttributesClass": (("1.29", False, ALPHA), ("1.31", False, BETA), ("1.34", True, GA)),
    "VolumeBindMountOptions": (("1.37", False, ALPHA),),
    "VolumeLimitScaling": (("1.35", False, ALPHA), ("1.37", True, BETA)),
    "WorkloadWithJob": (("1.36", False, ALPHA),),
    # Gates of off-by-default API versions (api_lifecycle's table names them; its advice
    # names one only while it is off by default in the target). kube_features.go and
    # staging/src/k8s.io/apiserver/pkg/features/kube_features.go; 1.36 rows match the 1.36
    # server's metric. A gate removed after GA keeps its last (GA, on) row.
    "APISelfSubjectReview": (("1.26", False, ALPHA), ("1.27", True, BETA), ("1.28", True, GA)),
    "ClusterTrustBundle": (("1.27", False, ALPHA), ("1.33", False, BETA), ("1.37", True, GA)),
    "CoordinatedLeaderElection": (("1.31", False, ALPHA), ("1.33", False, BETA)),
    "MultiCIDRServiceAllocator": (
        ("1.27", False, ALPHA),
        ("1.31", False, BETA),
        ("1.33", True, GA),
    ),
    "MutatingAdmissionPolicy": (
        ("1.32", False, ALPHA),
        ("1.34", False, BETA),
        ("1.36", True, GA),
    ),
    "StorageVersionAPI": (("1.20", False, ALPHA),),
    "StorageVersionMigrator": (("1.30", False, ALPHA), ("1.35", False, BETA)),
    # GA and locked on in 1.30, removed in 1.32: naming it then stops the API server.
    "ValidatingAdmissionPolicy": (
        ("1.26", False, ALPHA),
        ("1.28", False, BETA),
        ("1.30", True, GA),
    ),
    # Gates of API server validation rules (VALIDATION_GATES), not of dropped fields.
    "HPAScaleToZero": (("1.16", False, ALPHA),),
    "PodLifecycleSleepActionAllowZero": (
        ("1.32", False, ALPHA),
        ("1.33", True, BETA),
        ("1.34", True, GA),
    ),
    "PreferSameTrafficDistribution": (
        ("1.33", False, ALPHA),
        ("1.34", True, BETA),
        ("1.35", True, GA),
    ),
    "RelaxedDNSSearchValidation": (
        ("1.32", False, ALPHA),
        ("1.33", True, BETA),
        ("1.34", True, GA),
    ),
    "RelaxedEnvironmentVariableValidation": (
        ("1.30", False, ALPHA),
        ("1.32", True, BETA),
        ("1.34", True, GA),
    ),
    "RelaxedServiceNameValidation": (("1.34", False, ALPHA), ("1.36", True, BETA)),
    "RestartAllContainersOnContainerExits": (("1.35", False, ALPHA), ("1.36", True, BETA)),
    "StatefulSetRecreateStrategy": (("1.37", False, ALPHA),),
    "TaintTolerationComparisonOperators": (("1.35", False, ALPHA),),
}

#: Where podgen's checks follow a gate in what the API server *refuses* (not drops), and how.
#: The checks follow 1.37's defaults; `enabled(gate)` says what the target's are.
VALIDATION_GATES: dict[str, str] = {
    "ContainerRestartRules": "an init container's restartPolicy OnFailure or Never: refused "
    "before 1.34, dropped in 1.34 (GUARDED): followed (checks_pod._init_container)",
    "HPAScaleToZero": "an HPA's minReplicas 0 (checks_scaling: hpa-replicas), refused",
    "PodLifecycleSleepActionAllowZero": "a sleep action of 0 seconds: followed (checks_containers)",
    "PreferSameTrafficDistribution": "trafficDistribution PreferSameZone and PreferSameNode: "
    "followed (checks_network)",
    "RelaxedDNSSearchValidation": "dnsConfig searches with '_' or '.'",
    "RelaxedEnvironmentVariableValidation": "env names and envFrom prefixes beyond C-like "
    "identifiers: followed (checks_containers.env_name_rule)",
    "RelaxedServiceNameValidation": "an Ingress backend's service name: a DNS label, an "
    "RFC 1035 label before 1.36: followed (checks_ingress)",
    "RestartAllContainersOnContainerExits": "a restart rule's action RestartAllContainers",
    "StatefulSetRecreateStrategy": "a StatefulSet's updateStrategy type Recreate",
    "TaintTolerationComparisonOperators": "a toleration's operator Lt or Gt",
}


class Guarded(NamedTuple):
    """One field the API server drops while its gate is off."""

    #: `pod` for every pod spec (Pods and pod templates), else the `group/Kind` it is in
    #: (`batch/Job`; `/Service` for core).
    scope: str
    #: Dotted from the pod spec or the object: `[]` is every item of a list, `**` any depth.
    path: str
    gate: str
    #: The first release whose schema has the field, and the last (None: still there).
    since: str
    until: str | None = None
    #: A value the server keeps with the gate off (an init container's restartPolicy Always).
    kept: str | None = None
    #: How many trailing keys of `path` name more than what goes (1: the field's parent).
    whole: int = 0
    #: What the server does, when it does more than drop the field.
    effect: str = "dropped by the API server"


POD_SCOPE = "pod"
#: Both kinds of containers a manifest may have (ephemeral ones cannot be created).
_CONTAINERS = ("containers", "initContainers")
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_AFFINITY_TERMS = tuple(
    f"affinity.{kind}.{term}"
    for kind in ("podAffinity", "podAntiAffinity")
    for term in (
        "requiredDuringSchedulingIgnoredDuringExecution[]",
        "preferredDuringSchedulingIgnoredDuringExecution[].podAffinityTerm",
    )
)
#: The volume sources whose files may name their owner (AtomicWriteVolumeUserFields).
_USER_FIELDS = (
    *(f"volumes[].{s}.defaultUser" for s in ("configMap", "secret", "downwardAPI", "projected")),
    "volumes[].configMap.items[].user",
    "volumes[].secret.items[].user",
    "volumes[].downwardAPI.items[].user",
    "volumes[].projected.sources[].configMap.items[].user",
    "volumes[].projected.sources[].secret.items[].user",
    "volumes[].projected.sources[].downwardAPI.items[].user",
    "volumes[].projected.sources[].serviceAccountToken.user",
    "volumes[].projected.sources[].clusterTrustBundle.user",
    "volumes[].projected.sources[].podCertificate.user",
)


def _each_container(path: str, gate: str, since: str, **more: Any) -> list[Guarded]:
    return [Guarded(POD_SCOPE, f"{c}[].{path}", gate, since, **more) for c in _CONTAINERS]


_RESOURCE_REQUESTS = ("spec.devices.requests[].exactly", "spec.devices.requests[].firstAvailable[]")

GUARDED: tuple[Guarded, ...] = (
    # pkg/api/pod/util.go dropDisabledFields: every pod spec.
    Guarded(POD_SCOPE, "hostUsers", "UserNamespacesSupport", "1.25"),
    Guarded(
        POD_SCOPE, "securityContext.supplementalGroupsPolicy", "SupplementalGroupsPolicy", "1.31"
    ),
    Guarded(POD_SCOPE, "securityContext.seLinuxChangePolicy", "SELinuxChangePolicy", "1.32"),
    Guarded(POD_SCOPE, "resources", "PodLevelResources", "1.32"),
    *_each_container(
        "securityContext.procMount",
        "ProcMountType",
        "1.12",
        kept="Default",
        effect="reset to Default by the API server",
    ),
    *(
        Guarded(POD_SCOPE, f"{term}.{key}", "MatchLabelKeysInPodAffinity", "1.29")
        for term in _AFFINITY_TERMS
        for key in ("matchLabelKeys", "mismatchLabelKeys")
    ),
    Guarded(POD_SCOPE, "resourceClaims", "DynamicResourceAllocation", "1.26"),
    *_each_container("resources.claims", "DynamicResourceAllocation", "1.26"),
    Guarded(
        POD_SCOPE,
        "volumes[].projected.sources[].clusterTrustBundle",
        "ClusterTrustBundleProjection",
        "1.29",
    ),
    Guarded(
        POD_SCOPE, "volumes[].projected.sources[].podCertificate", "PodCertificateRequest", "1.34"
    ),
    Guarded(POD_SCOPE, "workloadRef", "GenericWorkload", "1.35", until="1.35"),
    Guarded(POD_SCOPE, "schedulingGroup", "GenericWorkload", "1.36"),
    *_each_container("resizePolicy", "InPlacePodVerticalScaling", "1.27"),
    Guarded(POD_SCOPE, "containers[].restartPolicy", "ContainerRestartRules", "1.34"),
    Guarded(
        POD_SCOPE, "initContainers[].restartPolicy", "ContainerRestartRules", "1.34", kept="Always"
    ),
    *_each_container("restartPolicyRules", "ContainerRestartRules", "1.34"),
    *_each_container("volumeMounts[].recursiveReadOnly", "RecursiveReadOnlyMounts", "1.30"),
    Guarded(POD_SCOPE, "hostnameOverride", "HostnameOverride", "1.34"),
    *_each_container("env[].valueFrom.fileKeyRef", "EnvFiles", "1.34"),
    *_each_container("lifecycle.preStop.sleep", "PodLifecycleSleepAction", "1.29"),
    *_each_container("lifecycle.postStart.sleep", "PodLifecycleSleepAction", "1.29"),
    Guarded(
        POD_SCOPE,
        "volumes[].image",
        "ImageVolume",
        "1.31",
        whole=1,
        effect="dropped by the API server, with its volumeMounts",
    ),
    *_each_container("lifecycle.stopSignal", "ContainerStopSignals", "1.33"),
    Guarded(POD_SCOPE, "evictionResponders", "EvictionRequestAPI", "1.37"),
    Guarded(POD_SCOPE, "volumes[].emptyDir.mode", "EmptyDirVolumeMode", "1.37"),
    *_each_container("volumeMounts[].bindMountOptions", "VolumeBindMountOptions", "1.37"),
    *(Guarded(POD_SCOPE, path, "AtomicWriteVolumeUserFields", "1.37") for path in _USER_FIELDS),
    *(
        guarded
        for probe in _PROBES
        for guarded in (
            *_each_container(f"{probe}.httpGet.protocol", "H2CContainerProbe", "1.37"),
            *_each_container(f"{probe}.grpc.mode", "GRPCContainerProbeTLS", "1.37"),
        )
    ),
    # pkg/registry/batch/job/strategy.go (a CronJob's Jobs are made from its jobTemplate).
    *(
        Guarded(kind, f"{at}.{field}", gate, since)
        for kind, at in (("batch/Job", "spec"), ("batch/CronJob", "spec.jobTemplate.spec"))
        for field, gate, since in (
            ("successPolicy", "JobSuccessPolicy", "1.30"),
            ("managedBy", "JobManagedBy", "1.30"),
            ("scheduling", "WorkloadWithJob", "1.37"),
        )
    ),
    # pkg/api/service/util.go
    Guarded("/Service", "spec.trafficDistribution", "ServiceTrafficDistribution", "1.30"),
    # pkg/registry/apps/statefulset/strategy.go
    Guarded(
        "apps/StatefulSet",
        "spec.updateStrategy.rollingUpdate.maxUnavailable",
        "MaxUnavailableStatefulSet",
        "1.24",
    ),
    # pkg/api/persistentvolumeclaim/util.go, pkg/api/persistentvolume/util.go
    Guarded(
        "/PersistentVolumeClaim", "spec.volumeAttributesClassName", "VolumeAttributesClass", "1.29"
    ),
    Guarded("/PersistentVolume", "spec.volumeAttributesClassName", "VolumeAttributesClass", "1.29"),
    Guarded(
        "/PersistentVolumeClaim",
        "spec.dataSourceRef.namespace",
        "CrossNamespaceVolumeDataSource",
        "1.26",
        whole=1,
        effect="dropped by the API server (with dataSource), as it names a namespace",
    ),
    # pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go
    *(
        Guarded(
            "autoscaling/HorizontalPodAutoscaler",
            f"spec.behavior.{rules}.tolerance",
            "HPAConfigurableTolerance",
            "1.33",
        )
        for rules in ("scaleUp", "scaleDown")
    ),
    # pkg/registry/storage/csidriver/strategy.go
    Guarded(
        "storage.k8s.io/CSIDriver",
        "spec.nodeAllocatableUpdatePeriodSeconds",
        "MutableCSINodeAllocatableCount",
        "1.33",
    ),
    Guarded(
        "storage.k8s.io/CSIDriver",
        "spec.preventPodSchedulingIfMissing",
        "VolumeLimitScaling",
        "1.36",
    ),
    # pkg/registry/core/node/strategy.go
    Guarded(
        "/Node", "spec.podPreemptionPolicy", "InPlacePodVerticalScalingSchedulerPreemption", "1.37"
    ),
    # apiextensions-apiserver's CRD strategy.
    Guarded(
        "apiextensions.k8s.io/CustomResourceDefinition",
        "spec.versions[].selectableFields",
        "CustomResourceFieldSelectors",
        "1.30",
    ),
    Guarded(
        "apiextensions.k8s.io/CustomResourceDefinition",
        "spec.versions[].schema.openAPIV3Schema.**.x-kubernetes-validations[].optionalOldSelf",
        "CRDValidationRatcheting",
        "1.29",
    ),
    # pkg/registry/resource/*/strategy.go, resource.k8s.io/v1 (served from 1.34; its adminAccess
    # and firstAvailable came with their gates on, DRAAdminAccess and DRAPrioritizedList).
    Guarded(
        "resource.k8s.io/DeviceClass", "spec.extendedResourceName", "DRAExtendedResource", "1.34"
    ),
    *(
        Guarded(f"resource.k8s.io/{kind}", f"{at}{request}.{field}", gate, since)
        for kind, at in (("ResourceClaim", ""), ("ResourceClaimTemplate", "spec."))
        for request in _RESOURCE_REQUESTS
        for field, gate, since in (
            ("tolerations", "DRADeviceTaints", "1.34"),
            ("capacity", "DRAConsumableCapacity", "1.34"),
            ("derivedAttributes", "DRADerivedAttributes", "1.37"),
        )
    ),
    *(
        Guarded(
            f"resource.k8s.io/{kind}",
            f"{at}spec.devices.constraints[].distinctAttribute",
            "DRAConsumableCapacity",
            "1.34",
        )
        for kind, at in (("ResourceClaim", ""), ("ResourceClaimTemplate", "spec."))
    ),
    Guarded("resource.k8s.io/ResourceSlice", "spec.devices[].taints", "DRADeviceTaints", "1.34"),
)

#: The pod spec of each kind that has one (`group/Kind`), from the object's root.
POD_SPEC_AT: dict[str, tuple[str, ...]] = {
    "/Pod": ("spec",),
    "/PodTemplate": ("template", "spec"),
    "/ReplicationController": ("spec", "template", "spec"),
    **{
        f"apps/{kind}": ("spec", "template", "spec")
        for kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet")
    },
    "batch/Job": ("spec", "template", "spec"),
    "batch/CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
