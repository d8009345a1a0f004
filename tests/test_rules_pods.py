"""The pod and workload rules of issue 22, each judged by the real kube-apiserver.

Every case is an object, valid or one mistake away, with the errors podgen must report (each
as its field path and rule id). The same object goes to the real API server (a dry run with
strict field validation): it must accept exactly the objects podgen passes, and refuse the
others naming the same fields. Where the server (1.36) and podgen (1.37) differ, the case
says so in SKEW.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from podgen._checking.validate import validate_manifest_text
from tests.apiserver import ApiServer
from tests.conftest import run_podgen

Obj = dict[str, Any]


def pod(spec: Obj | None = None, container: Obj | None = None, **containers: Obj) -> Obj:
    """A Pod with one container `a` (plus `container`'s fields) and `spec`'s fields."""
    main = {"name": "a", "image": "nginx:1.27", **(container or {})}
    body: Obj = {"containers": [main, *containers.values()], **(spec or {})}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": body}


def vol(volume: Obj, container: Obj | None = None) -> Obj:
    """A Pod with one volume `v` and `container`'s fields.

    It names its service account: the judge runs without the ServiceAccount admission plugin,
    which gives a real cluster's pods `default`, and refuses token projections without one.
    """
    return pod({"serviceAccountName": "default", "volumes": [{"name": "v", **volume}]}, container)


def mount(**fields: Any) -> Obj:
    """A mount of volume `v` at /data."""
    return {"name": "v", "mountPath": "/data", **fields}


def claim(name: str) -> Obj:
    """A StatefulSet's claim template."""
    return {"metadata": {"name": name}, "spec": CLAIM}


def job(spec: Obj | None = None, restart: str = "Never", metadata: Obj | None = None) -> Obj:
    """A Job whose pods restart `restart`, with `spec`'s fields and the template's metadata."""
    template: Obj = {
        "spec": {
            "restartPolicy": restart,
            "containers": [{"name": "a", "image": "busybox:1.36"}],
        }
    }
    if metadata is not None:
        template["metadata"] = metadata
    body = {"template": template, **(spec or {})}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}, "spec": body}


def cronjob(spec: Obj | None = None, restart: str = "Never") -> Obj:
    inner = job(spec, restart)["spec"]
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "c"},
        "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": inner}},
    }


def controller(kind: str, pod_spec: Obj | None = None, **spec: Any) -> Obj:
    """A Deployment, ReplicaSet, StatefulSet, DaemonSet or ReplicationController."""
    labels = {"app": "web"}
    template = {
        "metadata": {"labels": labels},
        "spec": {"containers": [{"name": "a", "image": "nginx:1.27"}], **(pod_spec or {})},
    }
    selector = labels if kind == "ReplicationController" else {"matchLabels": labels}
    api_version = "v1" if kind == "ReplicationController" else "apps/v1"
    return {
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {"name": "web"},
        "spec": {"selector": selector, "template": template, **spec},
    }


def _sc(**fields: Any) -> Obj:
    return {"securityContext": fields}


CLAIM = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
APP_X = {"labels": {"app": "x"}}
PFP = {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [42]}}]}
C0 = "spec.containers[0].securityContext"
JOBS = "spec.jobTemplate.spec"
WINDOWS_POD = {
    "os": {"name": "windows"},
    "hostUsers": True,
    "shareProcessNamespace": False,
    "securityContext": {
        "seLinuxOptions": {"user": "u"},
        "seccompProfile": {"type": "RuntimeDefault"},
        "appArmorProfile": {"type": "RuntimeDefault"},
        "fsGroup": 1,
        "fsGroupChangePolicy": "Always",
        "sysctls": [{"name": "net.core.somaxconn", "value": "1"}],
        "runAsUser": 1,
        "runAsGroup": 1,
        "supplementalGroups": [1],
        "supplementalGroupsPolicy": "Merge",
        "seLinuxChangePolicy": "Recursive",
        "runAsNonRoot": True,  # allowed on Windows
    },
}
WINDOWS_CONTAINER = {
    "securityContext": {
        "appArmorProfile": {"type": "RuntimeDefault"},
        "seLinuxOptions": {"user": "u"},
        "seccompProfile": {"type": "RuntimeDefault"},
        "capabilities": {"drop": ["ALL"]},
        "readOnlyRootFilesystem": True,
        "privileged": False,
        "allowPrivilegeEscalation": False,
        "procMount": "Default",
        "runAsUser": 1,
        "runAsGroup": 1,
        "runAsNonRoot": True,
        "windowsOptions": {"runAsUserName": "ContainerUser"},
    }
}
HOST_PROCESS = {"windowsOptions": {"hostProcess": True}}

#: (id, object, the errors podgen reports: {(path, rule)}). No errors: the server accepts it.
CASES: list[tuple[str, Obj, set[tuple[str, str]]]] = [
    # procMount
    (
        "proc-mount-unmasked-in-user-namespace",
        pod({"hostUsers": False}, _sc(procMount="Unmasked")),
        set(),
    ),
    ("proc-mount-default", pod(None, _sc(procMount="Default")), set()),
    (
        "proc-mount-unmasked-host-users",
        pod(None, _sc(procMount="Unmasked")),
        {(f"{C0}.procMount", "proc-mount")},
    ),
    ("proc-mount-unknown", pod(None, _sc(procMount="Masked")), {(f"{C0}.procMount", "proc-mount")}),
    # sysctls
    (
        "sysctls",
        pod(
            _sc(
                sysctls=[
                    {"name": "net.core.somaxconn", "value": "1024"},
                    {"name": "kernel/shm_rmid_forced", "value": "0"},
                ]
            )
        ),
        set(),
    ),
    (
        "sysctl-name",
        pod(_sc(sysctls=[{"name": "Kernel.X", "value": "1"}])),
        {("spec.securityContext.sysctls[0].name", "sysctl")},
    ),
    (
        "sysctl-empty-segment",
        pod(_sc(sysctls=[{"name": "kernel..x", "value": "1"}])),
        {("spec.securityContext.sysctls[0].name", "sysctl")},
    ),
    (
        "sysctl-duplicate",
        pod(
            _sc(
                sysctls=[
                    {"name": "net.core.somaxconn", "value": "1"},
                    {"name": "net.core.somaxconn", "value": "2"},
                ]
            )
        ),
        {("spec.securityContext.sysctls[1].name", "sysctl")},
    ),
    (
        "sysctl-net-on-the-host-network",
        pod({"hostNetwork": True, **_sc(sysctls=[{"name": "net.core.somaxconn", "value": "1"}])}),
        {("spec.securityContext.sysctls[0].name", "sysctl-host-namespace")},
    ),
    (
        "sysctl-ipc-on-the-host-ipc",
        pod({"hostIPC": True, **_sc(sysctls=[{"name": "kernel/shm_rmid_forced", "value": "1"}])}),
        {("spec.securityContext.sysctls[0].name", "sysctl-host-namespace")},
    ),
    (
        "sysctl-kernel-on-the-host-network",
        pod(
            {"hostNetwork": True, **_sc(sysctls=[{"name": "kernel.shm_rmid_forced", "value": "1"}])}
        ),
        set(),
    ),
    # group policies
    (
        "group-policies",
        pod(
            _sc(
                fsGroup=2000,
                fsGroupChangePolicy="OnRootMismatch",
                supplementalGroupsPolicy="Strict",
            )
        ),
        set(),
    ),
    (
        "fs-group-change-policy",
        pod(_sc(fsGroupChangePolicy="Sometimes")),
        {("spec.securityContext.fsGroupChangePolicy", "pod-security-policy")},
    ),
    (
        "supplemental-groups-policy",
        pod(_sc(supplementalGroupsPolicy="Union")),
        {("spec.securityContext.supplementalGroupsPolicy", "pod-security-policy")},
    ),
    # AppArmor
    (
        "apparmor-localhost",
        pod(_sc(appArmorProfile={"type": "Localhost", "localhostProfile": "k8s-nginx"})),
        set(),
    ),
    ("apparmor-runtime-default", pod(None, _sc(appArmorProfile={"type": "RuntimeDefault"})), set()),
    (
        "apparmor-localhost-without-profile",
        pod(_sc(appArmorProfile={"type": "Localhost"})),
        {("spec.securityContext.appArmorProfile.localhostProfile", "apparmor-profile")},
    ),
    (
        "apparmor-profile-without-localhost",
        pod(None, _sc(appArmorProfile={"type": "Unconfined", "localhostProfile": "x"})),
        {(f"{C0}.appArmorProfile.localhostProfile", "apparmor-profile")},
    ),
    (
        "apparmor-type",
        pod(_sc(appArmorProfile={"type": "Enforce"})),
        {("spec.securityContext.appArmorProfile.type", "apparmor-profile")},
    ),
    # what the OS forbids
    (
        "windows-allows-run-as-non-root",
        pod(
            {"os": {"name": "windows"}, **_sc(runAsNonRoot=True)},
            {"securityContext": {"windowsOptions": {"runAsUserName": "ContainerUser"}}},
        ),
        set(),
    ),
    (
        "windows-forbids",
        pod(WINDOWS_POD, WINDOWS_CONTAINER),
        {("spec.hostUsers", "pod-os"), ("spec.shareProcessNamespace", "pod-os")}
        | {
            (f"spec.securityContext.{k}", "pod-os")
            for k in WINDOWS_POD["securityContext"]
            if k != "runAsNonRoot"
        }
        | {
            (f"{C0}.{k}", "pod-os")
            for k in WINDOWS_CONTAINER["securityContext"]
            if k not in ("runAsNonRoot", "windowsOptions")
        },
    ),
    (
        "windows-host-namespaces",
        pod({"os": {"name": "windows"}, "hostNetwork": True, "hostPID": True, "hostIPC": True}),
        {("spec.hostPID", "pod-os"), ("spec.hostIPC", "pod-os")},
    ),
    (
        "linux-allows-linux-fields",
        pod(
            {
                "os": {"name": "linux"},
                **_sc(runAsUser=1000, sysctls=[{"name": "net.core.somaxconn", "value": "1"}]),
            }
        ),
        set(),
    ),
    (
        "linux-forbids-windows-options",
        pod(
            {"os": {"name": "linux"}, **_sc(windowsOptions={"runAsUserName": "x"})},
            _sc(windowsOptions={"hostProcess": False}),
        ),
        {("spec.securityContext.windowsOptions", "pod-os"), (f"{C0}.windowsOptions", "pod-os")},
    ),
    ("os-name", pod({"os": {"name": "darwin"}}), {("spec.os", "pod-os")}),
    # namespaces
    ("user-namespace", pod({"hostUsers": False}), set()),
    (
        "user-namespace-with-host-namespaces",
        pod({"hostUsers": False, "hostNetwork": True, "hostPID": True, "hostIPC": True}),
        {
            ("spec.hostNetwork", "host-users"),
            ("spec.HostPID", "host-users"),
            ("spec.HostIPC", "host-users"),
        },
    ),
    ("share-process-namespace", pod({"shareProcessNamespace": True}), set()),
    (
        "share-process-namespace-with-host-pid",
        pod({"shareProcessNamespace": True, "hostPID": True}),
        {("spec.securityContext.shareProcessNamespace", "share-process-namespace")},
    ),
    # Windows hostProcess
    ("host-process", pod({"hostNetwork": True}, {"securityContext": HOST_PROCESS}), set()),
    ("host-process-pod-wide", pod({"hostNetwork": True, "securityContext": HOST_PROCESS}), set()),
    (
        "host-process-off-the-host-network",
        pod({"securityContext": HOST_PROCESS}),
        {("spec.hostNetwork", "host-process")},
    ),
    (
        "host-process-differs-from-the-pod",
        pod(
            {"hostNetwork": True, "securityContext": HOST_PROCESS},
            _sc(windowsOptions={"hostProcess": False}),
        ),
        {(f"{C0}.windowsOptions.hostProcess", "host-process")},
    ),
    (
        "host-process-beside-a-plain-container",
        pod(
            {"hostNetwork": True},
            {"securityContext": HOST_PROCESS},
            b={"name": "b", "image": "nginx:1.27"},
        ),
        {("spec", "host-process")},
    ),
    # gates
    ("readiness-gate", pod({"readinessGates": [{"conditionType": "example.com/ready"}]}), set()),
    (
        "readiness-gate-type",
        pod({"readinessGates": [{"conditionType": "not ready"}]}),
        {("spec.readinessGates[0].conditionType", "readiness-gate")},
    ),
    (
        "scheduling-gates",
        pod({"schedulingGates": [{"name": "example.com/a"}, {"name": "b"}]}),
        set(),
    ),
    (
        "scheduling-gate-duplicate",
        pod({"schedulingGates": [{"name": "example.com/a"}, {"name": "example.com/a"}]}),
        {("spec.schedulingGates[1]", "scheduling-gate")},
    ),
    (
        "scheduling-gate-name",
        pod({"schedulingGates": [{"name": "a b"}]}),
        {("spec.schedulingGates[0]", "scheduling-gate")},
    ),
    # DNS
    (
        "dns-config",
        pod(
            {
                "dnsPolicy": "None",
                "dnsConfig": {
                    "nameservers": ["1.1.1.1"],
                    "searches": ["_tcp.example.com", "svc.local."],
                    "options": [{"name": "ndots", "value": "2"}],
                },
            }
        ),
        set(),
    ),
    (
        "dns-policy-none-without-nameservers",
        pod({"dnsPolicy": "None", "dnsConfig": {"searches": ["a.b"]}}),
        {("spec.dnsConfig.nameservers", "dns-config")},
    ),
    (
        "dns-search",
        pod({"dnsConfig": {"searches": ["Example_Domain"]}}),
        {("spec.dnsConfig.searches[0]", "dns-config")},
    ),
    (
        "dns-option-name",
        pod({"dnsConfig": {"options": [{"value": "2"}]}}),
        {("spec.dnsConfig.options[0]", "dns-config")},
    ),
    # affinity and spreading
    *(
        (
            f"{kind}-weight-{weight}",
            pod({"affinity": {kind: {"preferredDuringSchedulingIgnoredDuringExecution": [term]}}}),
            set()
            if weight in (1, 100)
            else {
                (
                    f"spec.affinity.{kind}.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
                    "affinity-weight",
                )
            },
        )
        for kind, term in (
            (
                "nodeAffinity",
                {"preference": {"matchExpressions": [{"key": "disk", "operator": "Exists"}]}},
            ),
            (
                "podAntiAffinity",
                {
                    "podAffinityTerm": {
                        "topologyKey": "zone",
                        "labelSelector": {"matchLabels": {"a": "b"}},
                    }
                },
            ),
        )
        for weight in (0, 1, 100, 101)
        for term in [{**term, "weight": weight}]
    ),
    (
        "spread",
        pod(
            {
                "topologySpreadConstraints": [
                    {
                        "maxSkew": 1,
                        "topologyKey": "zone",
                        "whenUnsatisfiable": "DoNotSchedule",
                        "labelSelector": {"matchLabels": {"a": "b"}},
                    },
                    {
                        "maxSkew": 1,
                        "topologyKey": "zone",
                        "whenUnsatisfiable": "ScheduleAnyway",
                        "labelSelector": {"matchLabels": {"a": "b"}},
                    },
                ]
            }
        ),
        set(),
    ),
    (
        "spread-duplicate",
        pod(
            {
                "topologySpreadConstraints": [
                    {
                        "maxSkew": 1,
                        "topologyKey": "zone",
                        "whenUnsatisfiable": "DoNotSchedule",
                        "labelSelector": {"matchLabels": {"a": "b"}},
                    },
                    {
                        "maxSkew": 2,
                        "topologyKey": "zone",
                        "whenUnsatisfiable": "DoNotSchedule",
                        "labelSelector": {"matchLabels": {"a": "b"}},
                    },
                ]
            }
        ),
        {
            (
                "spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}",
                "topology-spread-duplicate",
            )
        },
    ),
    # containers: hooks, headers, resize, huge pages, resourceFieldRef
    (
        "sleep",
        pod(
            None,
            {
                "lifecycle": {
                    "preStop": {"sleep": {"seconds": 0}},
                    "postStart": {"sleep": {"seconds": 30}},
                }
            },
        ),
        set(),
    ),
    (
        "sleep-negative",
        pod(None, {"lifecycle": {"preStop": {"sleep": {"seconds": -1}}}}),
        {("spec.containers[0].lifecycle.preStop.sleep", "lifecycle-sleep")},
    ),
    (
        "sleep-past-grace",
        pod(None, {"lifecycle": {"preStop": {"sleep": {"seconds": 31}}}}),
        {("spec.containers[0].lifecycle.preStop.sleep", "lifecycle-sleep")},
    ),
    (
        "sleep-within-a-longer-grace",
        pod(
            {"terminationGracePeriodSeconds": 60},
            {"lifecycle": {"preStop": {"sleep": {"seconds": 45}}}},
        ),
        set(),
    ),
    (
        "http-headers",
        pod(
            None,
            {
                "readinessProbe": {
                    "httpGet": {"port": 80, "httpHeaders": [{"name": "X-Probe", "value": "1"}]}
                }
            },
        ),
        set(),
    ),
    (
        "http-header-name",
        pod(
            None,
            {
                "livenessProbe": {
                    "httpGet": {"port": 80, "httpHeaders": [{"name": "X Probe", "value": "1"}]}
                }
            },
        ),
        {("spec.containers[0].livenessProbe.httpGet.httpHeaders", "http-header-name")},
    ),
    (
        "http-header-name-in-a-hook",
        pod(
            None,
            {
                "lifecycle": {
                    "preStop": {
                        "httpGet": {"port": 80, "httpHeaders": [{"name": "a:b", "value": "1"}]}
                    }
                }
            },
        ),
        {("spec.containers[0].lifecycle.preStop.httpGet.httpHeaders", "http-header-name")},
    ),
    (
        "resize-policy",
        pod(
            None,
            {
                "resizePolicy": [
                    {"resourceName": "cpu", "restartPolicy": "NotRequired"},
                    {"resourceName": "memory", "restartPolicy": "RestartContainer"},
                ]
            },
        ),
        set(),
    ),
    (
        "resize-policy-restart",
        pod(None, {"resizePolicy": [{"resourceName": "cpu", "restartPolicy": "Sometimes"}]}),
        {("spec.containers[0].resizePolicy", "resize-policy")},
    ),
    (
        "resize-policy-resource",
        pod(None, {"resizePolicy": [{"resourceName": "gpu", "restartPolicy": "NotRequired"}]}),
        {("spec.containers[0].resizePolicy", "resize-policy")},
    ),
    (
        "resize-policy-duplicate",
        pod(
            None,
            {
                "resizePolicy": [
                    {"resourceName": "cpu", "restartPolicy": "NotRequired"},
                    {"resourceName": "cpu", "restartPolicy": "NotRequired"},
                ]
            },
        ),
        {("spec.containers[0].resizePolicy[1]", "resize-policy")},
    ),
    (
        "hugepages",
        pod(
            None,
            {
                "resources": {
                    "requests": {"hugepages-2Mi": "20Mi"},
                    "limits": {"hugepages-2Mi": "20Mi", "memory": "64Mi"},
                }
            },
        ),
        set(),
    ),
    (
        "hugepages-without-limit",
        pod(None, {"resources": {"requests": {"hugepages-2Mi": "20Mi", "memory": "64Mi"}}}),
        {("spec.containers[0].resources.limits", "resource-hugepages")},
    ),
    (
        "hugepages-request-below-limit",
        pod(
            None,
            {
                "resources": {
                    "requests": {"hugepages-2Mi": "10Mi"},
                    "limits": {"hugepages-2Mi": "20Mi", "memory": "64Mi"},
                }
            },
        ),
        {("spec.containers[0].resources.requests", "resource-hugepages")},
    ),
    (
        "hugepages-alone",
        pod(None, {"resources": {"limits": {"hugepages-1Gi": "1Gi"}}}),
        {("spec.containers[0].resources", "resource-hugepages")},
    ),
    (
        "resource-field-ref",
        pod(
            None,
            {
                "env": [
                    {
                        "name": "CPU",
                        "valueFrom": {
                            "resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}
                        },
                    },
                    {
                        "name": "MEM",
                        "valueFrom": {
                            "resourceFieldRef": {"resource": "requests.memory", "divisor": "1Mi"}
                        },
                    },
                    {
                        "name": "DISK",
                        "valueFrom": {
                            "resourceFieldRef": {
                                "resource": "limits.ephemeral-storage",
                                "divisor": "1k",
                            }
                        },
                    },
                ]
            },
        ),
        set(),
    ),
    (
        "resource-field-ref-resource",
        pod(
            None,
            {
                "env": [
                    {
                        "name": "GPU",
                        "valueFrom": {"resourceFieldRef": {"resource": "limits.nvidia.com/gpu"}},
                    }
                ]
            },
        ),
        {("spec.containers[0].env[0].valueFrom.resourceFieldRef.resource", "resource-field-ref")},
    ),
    (
        "resource-field-ref-cpu-divisor",
        pod(
            None,
            {
                "env": [
                    {
                        "name": "CPU",
                        "valueFrom": {
                            "resourceFieldRef": {"resource": "requests.cpu", "divisor": "10m"}
                        },
                    }
                ]
            },
        ),
        {("spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor", "resource-field-ref")},
    ),
    (
        "resource-field-ref-memory-divisor",
        pod(
            None,
            {
                "env": [
                    {
                        "name": "MEM",
                        "valueFrom": {
                            "resourceFieldRef": {"resource": "limits.memory", "divisor": "2Mi"}
                        },
                    }
                ]
            },
        ),
        {("spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor", "resource-field-ref")},
    ),
    # volumes
    ("host-path", vol({"hostPath": {"path": "/var/log/..data"}}), set()),
    (
        "host-path-backsteps",
        vol({"hostPath": {"path": "/var/../etc"}}),
        {("spec.volumes[0].hostPath.path", "volume-backsteps")},
    ),
    (
        "projected",
        vol(
            {
                "projected": {
                    "sources": [
                        {
                            "serviceAccountToken": {
                                "path": "token",
                                "expirationSeconds": 600,
                                "audience": "vault",
                            }
                        },
                        {
                            "configMap": {
                                "name": "ca",
                                "items": [{"key": "ca.crt", "path": "ca.crt"}],
                            }
                        },
                        {
                            "downwardAPI": {
                                "items": [
                                    {
                                        "path": "cpu",
                                        "resourceFieldRef": {
                                            "containerName": "a",
                                            "resource": "limits.cpu",
                                        },
                                    }
                                ]
                            }
                        },
                    ]
                }
            }
        ),
        set(),
    ),
    (
        "projected-token-lifetime",
        vol(
            {
                "projected": {
                    "sources": [
                        {"serviceAccountToken": {"path": "token", "expirationSeconds": 599}}
                    ]
                }
            }
        ),
        {
            (
                "spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds",
                "volume-projected",
            )
        },
    ),
    (
        "projected-token-lifetime-over-2-to-the-32",
        vol(
            {
                "projected": {
                    "sources": [
                        {"serviceAccountToken": {"path": "token", "expirationSeconds": 4294967297}}
                    ]
                }
            }
        ),
        {
            (
                "spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds",
                "volume-projected",
            )
        },
    ),
    (
        "projected-token-path",
        vol({"projected": {"sources": [{"serviceAccountToken": {"path": "../token"}}]}}),
        {("spec.volumes[0].projected.path", "volume-backsteps")},
    ),
    (
        "projected-token-absolute-path",
        vol({"projected": {"sources": [{"serviceAccountToken": {"path": "/token"}}]}}),
        {("spec.volumes[0].projected.path", "volume-projected")},
    ),
    (
        "projected-duplicate-paths",
        vol(
            {
                "projected": {
                    "sources": [
                        {"configMap": {"name": "a", "items": [{"key": "k", "path": "x"}]}},
                        {"secret": {"name": "b", "items": [{"key": "k", "path": "x"}]}},
                    ]
                }
            }
        ),
        {("spec.volumes[0].projected", "volume-projected")},
    ),
    (
        "projected-duplicate-paths-in-one-source",
        vol(
            {
                "projected": {
                    "sources": [
                        {
                            "configMap": {
                                "name": "a",
                                "items": [{"key": "k", "path": "x"}, {"key": "j", "path": "x"}],
                            }
                        }
                    ]
                }
            }
        ),
        {("spec.volumes[0].projected", "volume-projected")},
    ),
    (
        "projected-downward-api-container-name",
        vol(
            {
                "projected": {
                    "sources": [
                        {
                            "downwardAPI": {
                                "items": [
                                    {"path": "cpu", "resourceFieldRef": {"resource": "limits.cpu"}}
                                ]
                            }
                        }
                    ]
                }
            }
        ),
        {
            (
                "spec.volumes[0].projected.sources[0].downwardAPI.resourceFieldRef.containerName",
                "volume-downward-api",
            )
        },
    ),
    (
        "downward-api-container-name",
        vol(
            {
                "downwardAPI": {
                    "items": [{"path": "mem", "resourceFieldRef": {"resource": "limits.memory"}}]
                }
            }
        ),
        {("spec.volumes[0].downwardAPI.resourceFieldRef.containerName", "volume-downward-api")},
    ),
    (
        "downward-api-resource",
        vol(
            {
                "downwardAPI": {
                    "items": [
                        {
                            "path": "gpu",
                            "resourceFieldRef": {"containerName": "a", "resource": "limits.gpu"},
                        }
                    ]
                }
            }
        ),
        {("spec.volumes[0].downwardAPI.resourceFieldRef.resource", "volume-downward-api")},
    ),
    ("ephemeral", vol({"ephemeral": {"volumeClaimTemplate": {"spec": CLAIM}}}), set()),
    (
        "ephemeral-without-template",
        vol({"ephemeral": {}}),
        {("spec.volumes[0].ephemeral.volumeClaimTemplate", "volume-ephemeral")},
    ),
    (
        "ephemeral-claim-named",
        vol({"ephemeral": {"volumeClaimTemplate": {"metadata": {"name": "data"}, "spec": CLAIM}}}),
        {("spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.name", "volume-ephemeral")},
    ),
    (
        "ephemeral-claim-without-access-modes",
        vol({"ephemeral": {"volumeClaimTemplate": {"spec": {"resources": CLAIM["resources"]}}}}),
        {("spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes", "pvc-access-modes")},
    ),
    ("csi", vol({"csi": {"driver": "Secrets-Store.csi.k8s.io"}}), set()),
    (
        "csi-driver",
        vol({"csi": {"driver": "secrets_store"}}),
        {("spec.volumes[0].csi.driver", "volume-csi-driver")},
    ),
    (
        "csi-driver-long",
        vol({"csi": {"driver": "a" * 64}}),
        {("spec.volumes[0].csi.driver", "volume-csi-driver")},
    ),
    ("nfs", vol({"nfs": {"server": "nfs.example.com", "path": "/exports"}}), set()),
    (
        "nfs-relative-path",
        vol({"nfs": {"server": "nfs.example.com", "path": "exports"}}),
        {("spec.volumes[0].nfs.path", "volume-nfs")},
    ),
    (
        "nfs-server",
        vol({"nfs": {"server": "", "path": "/exports"}}),
        {("spec.volumes[0].nfs.server", "volume-nfs")},
    ),
    (
        "bidirectional",
        vol(
            {"emptyDir": {}},
            {
                "securityContext": {"privileged": True},
                "volumeMounts": [mount(mountPropagation="Bidirectional")],
            },
        ),
        set(),
    ),
    (
        "bidirectional-unprivileged",
        vol({"emptyDir": {}}, {"volumeMounts": [mount(mountPropagation="Bidirectional")]}),
        {("spec.containers[0].volumeMounts.mountPropagation", "mount-bidirectional")},
    ),
    (
        "recursive-read-only",
        vol(
            {"emptyDir": {}}, {"volumeMounts": [mount(readOnly=True, recursiveReadOnly="Enabled")]}
        ),
        set(),
    ),
    (
        "recursive-read-only-disabled",
        vol(
            {"emptyDir": {}},
            {
                "volumeMounts": [
                    mount(recursiveReadOnly="Disabled", mountPropagation="HostToContainer")
                ]
            },
        ),
        set(),
    ),
    (
        "recursive-read-only-value",
        vol({"emptyDir": {}}, {"volumeMounts": [mount(readOnly=True, recursiveReadOnly="Always")]}),
        {("spec.containers[0].volumeMounts.recursiveReadOnly", "mount-recursive-read-only")},
    ),
    (
        "recursive-read-only-writable",
        vol({"emptyDir": {}}, {"volumeMounts": [mount(recursiveReadOnly="IfPossible")]}),
        {("spec.containers[0].volumeMounts.recursiveReadOnly", "mount-recursive-read-only")},
    ),
    (
        "recursive-read-only-propagation",
        vol(
            {"emptyDir": {}},
            {
                "volumeMounts": [
                    mount(
                        readOnly=True,
                        recursiveReadOnly="Enabled",
                        mountPropagation="HostToContainer",
                    )
                ]
            },
        ),
        {("spec.containers[0].volumeMounts.recursiveReadOnly", "mount-recursive-read-only")},
    ),
    # a Job's podFailurePolicy
    ("pod-failure-policy", job({"podFailurePolicy": PFP}), set()),
    (
        "pod-failure-policy-on-failure",
        job({"podFailurePolicy": PFP}, "OnFailure"),
        {("spec.template.spec.restartPolicy", "job-pod-failure-policy")},
    ),
    (
        "pod-failure-policy-in-a-cronjob-on-failure",
        cronjob({"podFailurePolicy": PFP}, "OnFailure"),
        {(f"{JOBS}.template.spec.restartPolicy", "job-pod-failure-policy")},
    ),
    (
        "pod-failure-policy-conditions",
        job(
            {
                "podFailurePolicy": {
                    "rules": [
                        {
                            "action": "Ignore",
                            "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}],
                        },
                        {
                            "action": "Count",
                            "onExitCodes": {
                                "containerName": "a",
                                "operator": "NotIn",
                                "values": [0, 1, 2],
                            },
                        },
                    ]
                }
            }
        ),
        set(),
    ),
    (
        "pod-failure-policy-action",
        job(
            {
                "podFailurePolicy": {
                    "rules": [{"action": "Retry", "onExitCodes": {"operator": "In", "values": [1]}}]
                }
            }
        ),
        {("spec.podFailurePolicy.rules[0].action", "job-pod-failure-policy")},
    ),
    (
        "pod-failure-policy-exit-code-0-in",
        job(
            {
                "podFailurePolicy": {
                    "rules": [
                        {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [0, 1]}}
                    ]
                }
            }
        ),
        {("spec.podFailurePolicy.rules[0].onExitCodes.values[0]", "job-pod-failure-policy")},
    ),
    (
        "pod-failure-policy-exit-codes-duplicate",
        job(
            {
                "podFailurePolicy": {
                    "rules": [
                        {
                            "action": "FailJob",
                            "onExitCodes": {"operator": "In", "values": [1, 2, 2]},
                        }
                    ]
                }
            }
        ),
        {("spec.podFailurePolicy.rules[0].onExitCodes.values[2]", "job-pod-failure-policy")},
    ),
    (
        "pod-failure-policy-exit-codes-unordered",
        job(
            {
                "podFailurePolicy": {
                    "rules": [
                        {
                            "action": "FailJob",
                            "onExitCodes": {"operator": "NotIn", "values": [3, 1]},
                        }
                    ]
                }
            }
        ),
        {("spec.podFailurePolicy.rules[0].onExitCodes.values", "job-pod-failure-policy")},
    ),
    (
        "pod-failure-policy-operator",
        job(
            {
                "podFailurePolicy": {
                    "rules": [
                        {"action": "FailJob", "onExitCodes": {"operator": "Is", "values": [1]}}
                    ]
                }
            }
        ),
        {("spec.podFailurePolicy.rules[0].onExitCodes.operator", "job-pod-failure-policy")},
    ),
    (
        "pod-failure-policy-container-name",
        job(
            {
                "podFailurePolicy": {
                    "rules": [
                        {
                            "action": "FailJob",
                            "onExitCodes": {"containerName": "b", "operator": "In", "values": [1]},
                        }
                    ]
                }
            }
        ),
        {("spec.podFailurePolicy.rules[0].onExitCodes.containerName", "job-pod-failure-policy")},
    ),
    (
        "pod-failure-policy-no-condition",
        job({"podFailurePolicy": {"rules": [{"action": "Ignore"}]}}),
        {("spec.podFailurePolicy.rules[0]", "job-pod-failure-policy")},
    ),
    (
        "pod-failure-policy-both-conditions",
        job(
            {
                "podFailurePolicy": {
                    "rules": [
                        {
                            "action": "Ignore",
                            "onExitCodes": {"operator": "In", "values": [1]},
                            "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}],
                        }
                    ]
                }
            }
        ),
        {("spec.podFailurePolicy.rules[0]", "job-pod-failure-policy")},
    ),
    (
        "pod-failure-policy-condition-status",
        job(
            {
                "podFailurePolicy": {
                    "rules": [
                        {
                            "action": "Ignore",
                            "onPodConditions": [{"type": "DisruptionTarget", "status": "Maybe"}],
                        }
                    ]
                }
            }
        ),
        {("spec.podFailurePolicy.rules[0].onPodConditions[0].status", "job-pod-failure-policy")},
    ),
    (
        "pod-failure-policy-fail-index-without-backoff-per-index",
        job(
            {
                "podFailurePolicy": {
                    "rules": [
                        {"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [1]}}
                    ]
                }
            }
        ),
        {("spec.podFailurePolicy.rules[0].action", "job-pod-failure-policy")},
    ),
    # completion modes
    (
        "indexed",
        job(
            {
                "completionMode": "Indexed",
                "completions": 5,
                "parallelism": 2,
                "backoffLimitPerIndex": 1,
                "maxFailedIndexes": 2,
                "successPolicy": {"rules": [{"succeededIndexes": "0-2", "succeededCount": 2}]},
                "podFailurePolicy": {
                    "rules": [
                        {"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [1]}}
                    ]
                },
            }
        ),
        set(),
    ),
    ("indexed-defaults-completions", job({"completionMode": "Indexed"}), set()),
    (
        "indexed-without-completions",
        job({"completionMode": "Indexed", "parallelism": 2}),
        {("spec.completions", "job-completion-mode")},
    ),
    (
        "indexed-parallelism",
        job({"completionMode": "Indexed", "completions": 200000, "parallelism": 100001}),
        {("spec.parallelism", "job-completion-mode")},
    ),
    (
        "completion-mode",
        job({"completionMode": "Ordered"}),
        {("spec.completionMode", "job-completion-mode")},
    ),
    (
        "backoff-limit-per-index-not-indexed",
        job({"backoffLimitPerIndex": 1}),
        {("spec.backoffLimitPerIndex", "job-indexed-only")},
    ),
    (
        "max-failed-indexes-not-indexed",
        job({"backoffLimitPerIndex": 1, "maxFailedIndexes": 1}),
        {
            ("spec.backoffLimitPerIndex", "job-indexed-only"),
            ("spec.maxFailedIndexes", "job-indexed-only"),
        },
    ),
    (
        "success-policy-not-indexed",
        job({"successPolicy": {"rules": [{"succeededCount": 1}]}}),
        {("spec.successPolicy", "job-indexed-only")},
    ),
    (
        "max-failed-indexes-without-backoff-per-index",
        job({"completionMode": "Indexed", "completions": 3, "maxFailedIndexes": 1}),
        {("spec.backoffLimitPerIndex", "job-indexed-only")},
    ),
    (
        "max-failed-indexes-over-completions",
        job(
            {
                "completionMode": "Indexed",
                "completions": 3,
                "backoffLimitPerIndex": 1,
                "maxFailedIndexes": 4,
            }
        ),
        {("spec.maxFailedIndexes", "job-indexed-only")},
    ),
    # podReplacementPolicy
    ("pod-replacement-policy", job({"podReplacementPolicy": "TerminatingOrFailed"}), set()),
    (
        "pod-replacement-policy-failed",
        job({"podReplacementPolicy": "Failed", "podFailurePolicy": PFP}),
        set(),
    ),
    (
        "pod-replacement-policy-value",
        job({"podReplacementPolicy": "Always"}),
        {("spec.podReplacementPolicy", "job-pod-replacement")},
    ),
    (
        "pod-replacement-policy-with-pod-failure-policy",
        job({"podReplacementPolicy": "TerminatingOrFailed", "podFailurePolicy": PFP}),
        {("spec.podReplacementPolicy", "job-pod-replacement")},
    ),
    # selectors
    (
        "manual-selector",
        job({"manualSelector": True, "selector": {"matchLabels": {"app": "x"}}}, metadata=APP_X),
        set(),
    ),
    (
        "manual-selector-without-selector",
        job({"manualSelector": True}, metadata=APP_X),
        {
            ("spec.selector", "job-manual-selector"),
            ("spec.template.metadata.labels", "selector-mismatch"),
        },
    ),
    (
        "manual-selector-not-matching",
        job({"manualSelector": True, "selector": {"matchLabels": {"app": "y"}}}, metadata=APP_X),
        {("spec.template.metadata.labels", "selector-mismatch")},
    ),
    (
        "selector-without-manual-selector",
        job({"selector": {"matchLabels": {"app": "x"}}}, metadata=APP_X),
        {("spec.selector", "job-manual-selector")},
    ),
    (
        "cronjob-selector",
        cronjob({"selector": {"matchLabels": {"app": "x"}}}),
        {(f"{JOBS}.selector", "job-manual-selector")},
    ),
    (
        "cronjob-manual-selector",
        cronjob({"manualSelector": True}),
        {(f"{JOBS}.manualSelector", "job-manual-selector")},
    ),
    ("cronjob-manual-selector-false", cronjob({"manualSelector": False}), set()),
    # controllers
    *(
        (
            f"{kind.lower()}-active-deadline",
            controller(kind, {"activeDeadlineSeconds": 30}),
            {("spec.template.spec.activeDeadlineSeconds", "active-deadline-forbidden")},
        )
        for kind in (
            "Deployment",
            "ReplicaSet",
            "ReplicationController",
            "DaemonSet",
            "StatefulSet",
        )
    ),
    (
        "statefulset-claims",
        controller(
            "StatefulSet",
            {"volumes": [{"name": "data", "emptyDir": {}}]},
            volumeClaimTemplates=[claim("data"), claim("logs"), claim("logs")],
        ),
        set(),
    ),
    (
        "statefulset-claim-name",
        controller(
            "StatefulSet",
            {"volumes": [{"name": "cache", "emptyDir": {}}]},
            volumeClaimTemplates=[claim("Bad_Name"), claim("Bad_Name")],
        ),
        {("spec.template.spec.volumes[0].name", "volume-name")},
    ),
    (
        "statefulset-claim-name-long",
        controller("StatefulSet", volumeClaimTemplates=[claim("a" * 64)]),
        {("spec.template.spec.volumes[0].name", "volume-name")},
    ),
    (
        "statefulset-claim-unnamed",
        controller("StatefulSet", volumeClaimTemplates=[{"spec": CLAIM}]),
        {
            ("spec.template.spec.volumes[0].name", "volume-name"),
            ("spec.template.spec.volumes[0].persistentVolumeClaim.claimName", "volume-source"),
        },
    ),
    ("statefulset-service-name", controller("StatefulSet", serviceName="web-headless"), set()),
    (
        "statefulset-service-name-label",
        controller("StatefulSet", serviceName="web.headless"),
        {("spec.serviceName", "statefulset-service-name")},
    ),
]


def _errors(obj: Obj) -> set[tuple[str, str]]:
    """podgen validate's errors on `obj`: each as its field path and rule id."""
    findings = validate_manifest_text(json.dumps(obj), "case.json")
    return {(f.message.split(": ", 1)[0], f.rule) for f in findings if f.severity == "error"}


@pytest.mark.parametrize(("case", "obj", "expected"), CASES, ids=[c[0] for c in CASES])
def test_podgen_reports_each_rule_where_the_api_server_does(
    case: str, obj: Obj, expected: set[tuple[str, str]]
) -> None:
    assert _errors(copy.deepcopy(obj)) == expected


@pytest.mark.parametrize(("case", "obj", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_real_api_server_agrees(
    api_server: ApiServer, case: str, obj: Obj, expected: set[tuple[str, str]]
) -> None:
    verdict = api_server.verdict(copy.deepcopy(obj))
    assert verdict.accepted == (not expected), verdict.message
    assert {cause["field"] for cause in verdict.causes} == {path for path, _ in expected}


BLUEPRINT = """\
apiVersion: podgen.dev/v1
kind: Blueprint
skeleton: plain
pods:
  - name: backup
    kind: {kind}
    image: postgres:16
{extra}    podFailurePolicy:
      rules:
        - action: FailJob
          onExitCodes: {{operator: In, values: [42]}}
"""


@pytest.mark.parametrize("kind", ["cronjob", "job"])
def test_a_pod_failure_policy_makes_podgen_default_to_restart_never(
    api_server: ApiServer, tmp_path: Path, kind: str
) -> None:
    """A CronJob's pods restart OnFailure by default; with a podFailurePolicy, only Never."""
    extra = '    schedule: "0 2 * * *"\n' if kind == "cronjob" else ""
    blueprint = tmp_path / "backup.yaml"
    blueprint.write_text(BLUEPRINT.format(kind=kind, extra=extra))
    run = run_podgen(["render", str(blueprint)])
    assert run.code == 0, run.stderr
    (obj,) = yaml.safe_load_all(run.stdout)
    spec = obj["spec"]["jobTemplate"]["spec"] if kind == "cronjob" else obj["spec"]
    assert spec["template"]["spec"]["restartPolicy"] == "Never"
    assert api_server.verdict(obj).accepted


def test_an_explicit_restart_on_failure_beside_a_pod_failure_policy_is_refused(
    tmp_path: Path,
) -> None:
    blueprint = tmp_path / "backup.yaml"
    extra = '    schedule: "0 2 * * *"\n    restart: OnFailure\n'
    blueprint.write_text(BLUEPRINT.format(kind="cronjob", extra=extra))
    run = run_podgen(["render", str(blueprint)])
    assert run.code != 0
    assert 'only "Never" is supported when podFailurePolicy is specified' in run.stderr
