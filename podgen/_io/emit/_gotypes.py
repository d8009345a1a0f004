"""Go struct field order of the Kubernetes types podgen writes, for kubectl-style JSON.

`kubectl -o json` marshals typed Go structs, so fields come out in declaration order (from
k8s.io/api core/v1, apps/v1 and apimachinery meta/v1), while Go maps (labels, selectors,
resource lists) come out with their keys byte-sorted. Each entry maps a JSON field to the type
of its value (or of each element, for lists); `None` marks a scalar or scalar list, `MAP` a Go
map. Embedded structs (TypeMeta, ProbeHandler, VolumeSource) are flattened in place, as
encoding/json does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

MAP = "map"
_S = None  # scalar, or list of scalars

_OBJECT_META: dict[str, str | None] = {
    "name": _S,
    "generateName": _S,
    "namespace": _S,
    "selfLink": _S,
    "uid": _S,
    "resourceVersion": _S,
    "generation": _S,
    "creationTimestamp": _S,
    "deletionTimestamp": _S,
    "deletionGracePeriodSeconds": _S,
    "labels": MAP,
    "annotations": MAP,
    "ownerReferences": MAP,
    "finalizers": _S,
    "managedFields": MAP,
}

_HANDLER: dict[str, str | None] = {
    "exec": "ExecAction",
    "httpGet": "HTTPGetAction",
    "tcpSocket": "TCPSocketAction",
}

GO_TYPES: dict[str, dict[str, str | None]] = {
    "Pod": {
        "kind": _S,
        "apiVersion": _S,
        "metadata": "ObjectMeta",
        "spec": "PodSpec",
        "status": MAP,
    },
    "Service": {
        "kind": _S,
        "apiVersion": _S,
        "metadata": "ObjectMeta",
        "spec": "ServiceSpec",
        "status": "ServiceStatus",
    },
    "Deployment": {
        "kind": _S,
        "apiVersion": _S,
        "metadata": "ObjectMeta",
        "spec": "DeploymentSpec",
        "status": MAP,
    },
    "Namespace": {
        "kind": _S,
        "apiVersion": _S,
        "metadata": "ObjectMeta",
        "spec": MAP,
        "status": MAP,
    },
    "ObjectMeta": _OBJECT_META,
    "PodSpec": {
        "volumes": "Volume",
        "initContainers": "Container",
        "containers": "Container",
        "ephemeralContainers": MAP,
        "restartPolicy": _S,
        "terminationGracePeriodSeconds": _S,
        "activeDeadlineSeconds": _S,
        "dnsPolicy": _S,
        "nodeSelector": MAP,
        "serviceAccountName": _S,
        "serviceAccount": _S,
        "automountServiceAccountToken": _S,
        "nodeName": _S,
        "hostNetwork": _S,
        "hostPID": _S,
        "hostIPC": _S,
        "shareProcessNamespace": _S,
        "securityContext": "PodSecurityContext",
        "imagePullSecrets": "LocalObjectReference",
        "hostname": _S,
        "subdomain": _S,
        "affinity": "Affinity",
        "schedulerName": _S,
        "tolerations": "Toleration",
        "hostAliases": "HostAlias",
        "priorityClassName": _S,
        "priority": _S,
        "dnsConfig": MAP,
        "readinessGates": MAP,
        "runtimeClassName": _S,
        "enableServiceLinks": _S,
        "preemptionPolicy": _S,
        "overhead": MAP,
        "topologySpreadConstraints": MAP,
        "setHostnameAsFQDN": _S,
        "os": MAP,
        "hostUsers": _S,
        "schedulingGates": MAP,
        "resourceClaims": MAP,
        "resources": "ResourceRequirements",
        "hostnameOverride": _S,
    },
    "Container": {
        "name": _S,
        "image": _S,
        "command": _S,
        "args": _S,
        "workingDir": _S,
        "ports": "ContainerPort",
        "envFrom": MAP,
        "env": "EnvVar",
        "resources": "ResourceRequirements",
        "resizePolicy": MAP,
        "restartPolicy": _S,
        "restartPolicyRules": MAP,
        "volumeMounts": "VolumeMount",
        "volumeDevices": MAP,
        "livenessProbe": "Probe",
        "readinessProbe": "Probe",
        "startupProbe": "Probe",
        "lifecycle": "Lifecycle",
        "terminationMessagePath": _S,
        "terminationMessagePolicy": _S,
        "imagePullPolicy": _S,
        "securityContext": "SecurityContext",
        "stdin": _S,
        "stdinOnce": _S,
        "tty": _S,
    },
    "ContainerPort": {
        "name": _S,
        "hostPort": _S,
        "containerPort": _S,
        "protocol": _S,
        "hostIP": _S,
    },
    "EnvVar": {"name": _S, "value": _S, "valueFrom": "EnvVarSource"},
    "EnvVarSource": {
        "fieldRef": "ObjectFieldSelector",
        "resourceFieldRef": "ResourceFieldSelector",
        "configMapKeyRef": "KeySelector",
        "secretKeyRef": "KeySelector",
        "fileKeyRef": MAP,
    },
    "ObjectFieldSelector": {"apiVersion": _S, "fieldPath": _S},
    "ResourceFieldSelector": {"containerName": _S, "resource": _S, "divisor": _S},
    "KeySelector": {"name": _S, "key": _S, "optional": _S},
    "ResourceRequirements": {"limits": MAP, "requests": MAP, "claims": MAP},
    "VolumeMount": {
        "name": _S,
        "readOnly": _S,
        "recursiveReadOnly": _S,
        "mountPath": _S,
        "subPath": _S,
        "mountPropagation": _S,
        "subPathExpr": _S,
    },
    "Probe": {
        **_HANDLER,
        "grpc": "GRPCAction",
        "initialDelaySeconds": _S,
        "timeoutSeconds": _S,
        "periodSeconds": _S,
        "successThreshold": _S,
        "failureThreshold": _S,
        "terminationGracePeriodSeconds": _S,
    },
    "ExecAction": {"command": _S},
    "HTTPGetAction": {
        "path": _S,
        "port": _S,
        "host": _S,
        "scheme": _S,
        "httpHeaders": "HTTPHeader",
    },
    "HTTPHeader": {"name": _S, "value": _S},
    "TCPSocketAction": {"port": _S, "host": _S},
    "GRPCAction": {"port": _S, "service": _S},
    "Lifecycle": {"postStart": "LifecycleHandler", "preStop": "LifecycleHandler", "stopSignal": _S},
    "LifecycleHandler": {**_HANDLER, "sleep": "SleepAction"},
    "SleepAction": {"seconds": _S},
    "SecurityContext": {
        "capabilities": "Capabilities",
        "privileged": _S,
        "seLinuxOptions": MAP,
        "windowsOptions": MAP,
        "runAsUser": _S,
        "runAsGroup": _S,
        "runAsNonRoot": _S,
        "readOnlyRootFilesystem": _S,
        "allowPrivilegeEscalation": _S,
        "procMount": _S,
        "seccompProfile": "SeccompProfile",
        "appArmorProfile": MAP,
    },
    "Capabilities": {"add": _S, "drop": _S},
    "SeccompProfile": {"type": _S, "localhostProfile": _S},
    "PodSecurityContext": {
        "seLinuxOptions": MAP,
        "windowsOptions": MAP,
        "runAsUser": _S,
        "runAsGroup": _S,
        "runAsNonRoot": _S,
        "supplementalGroups": _S,
        "supplementalGroupsPolicy": _S,
        "fsGroup": _S,
        "sysctls": MAP,
        "fsGroupChangePolicy": _S,
        "seccompProfile": "SeccompProfile",
        "appArmorProfile": MAP,
        "seLinuxChangePolicy": _S,
    },
    "LocalObjectReference": {"name": _S},
    "Volume": {
        "name": _S,
        "hostPath": MAP,
        "emptyDir": "EmptyDirVolumeSource",
        "secret": MAP,
        "persistentVolumeClaim": MAP,
        "configMap": MAP,
        "downwardAPI": MAP,
        "projected": MAP,
        "csi": MAP,
        "ephemeral": MAP,
        "image": MAP,
    },
    "EmptyDirVolumeSource": {"medium": _S, "sizeLimit": _S},
    "Toleration": {
        "key": _S,
        "operator": _S,
        "value": _S,
        "effect": _S,
        "tolerationSeconds": _S,
    },
    "HostAlias": {"ip": _S, "hostnames": _S},
    "Affinity": {"nodeAffinity": MAP, "podAffinity": MAP, "podAntiAffinity": MAP},
    "ServiceSpec": {
        "ports": "ServicePort",
        "selector": MAP,
        "clusterIP": _S,
        "clusterIPs": _S,
        "type": _S,
        "externalIPs": _S,
        "sessionAffinity": _S,
        "loadBalancerIP": _S,
        "loadBalancerSourceRanges": _S,
        "externalName": _S,
        "externalTrafficPolicy": _S,
        "healthCheckNodePort": _S,
        "publishNotReadyAddresses": _S,
        "sessionAffinityConfig": MAP,
        "ipFamilies": _S,
        "ipFamilyPolicy": _S,
        "allocateLoadBalancerNodePorts": _S,
        "loadBalancerClass": _S,
        "internalTrafficPolicy": _S,
        "trafficDistribution": _S,
    },
    "ServicePort": {
        "name": _S,
        "protocol": _S,
        "appProtocol": _S,
        "port": _S,
        "targetPort": _S,
        "nodePort": _S,
    },
    "ServiceStatus": {"loadBalancer": MAP, "conditions": MAP},
    "DeploymentSpec": {
        "replicas": _S,
        "selector": "LabelSelector",
        "template": "PodTemplateSpec",
        "strategy": MAP,
        "minReadySeconds": _S,
        "revisionHistoryLimit": _S,
        "paused": _S,
        "progressDeadlineSeconds": _S,
    },
    "LabelSelector": {"matchLabels": MAP, "matchExpressions": MAP},
    "PodTemplateSpec": {"metadata": "ObjectMeta", "spec": "PodSpec"},
    "Job": {
        "kind": _S,
        "apiVersion": _S,
        "metadata": "ObjectMeta",
        "spec": "JobSpec",
        "status": MAP,
    },
    "JobSpec": {
        "parallelism": _S,
        "completions": _S,
        "activeDeadlineSeconds": _S,
        "podFailurePolicy": MAP,
        "successPolicy": MAP,
        "backoffLimit": _S,
        "backoffLimitPerIndex": _S,
        "maxFailedIndexes": _S,
        "selector": "LabelSelector",
        "manualSelector": _S,
        "template": "PodTemplateSpec",
        "ttlSecondsAfterFinished": _S,
        "completionMode": _S,
        "suspend": _S,
        "podReplacementPolicy": _S,
        "managedBy": _S,
    },
    "CronJob": {
        "kind": _S,
        "apiVersion": _S,
        "metadata": "ObjectMeta",
        "spec": "CronJobSpec",
        "status": MAP,
    },
    "CronJobSpec": {
        "schedule": _S,
        "timeZone": _S,
        "startingDeadlineSeconds": _S,
        "concurrencyPolicy": _S,
        "suspend": _S,
        "jobTemplate": "JobTemplateSpec",
        "successfulJobsHistoryLimit": _S,
        "failedJobsHistoryLimit": _S,
    },
    "JobTemplateSpec": {"metadata": "ObjectMeta", "spec": "JobSpec"},
}


def fields_in_order(
    mapping: Mapping[str, object], go_type: str | None
) -> Iterator[tuple[str, str | None]]:
    """A map's keys as encoding/json writes them, each with the Go type of its value.

    A struct's fields come in declaration order; a Go map's keys (or a struct's fields podgen
    has no table entry for, after the known ones) byte-sorted.
    """
    fields = GO_TYPES.get(go_type or "")
    by_bytes = sorted(
        (k for k in mapping if fields is None or k not in fields), key=lambda k: k.encode()
    )
    known = [k for k in fields if k in mapping] if fields is not None else []
    for key in known + by_bytes:
        yield key, (fields or {}).get(key, MAP) if go_type and go_type != MAP else MAP


def scalar(node: object, format_name: str) -> str:
    """null, a bool or an integer as encoding/json writes it (and KYAML keeps it)."""
    if node is None:
        return "null"
    if isinstance(node, bool):
        return "true" if node else "false"
    if isinstance(node, int):
        return str(node)
    raise TypeError(f"cannot emit {type(node).__name__} as {format_name}")
