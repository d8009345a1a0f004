"""Fields behind a feature gate, per release: `[feature-gate-off]` and its table.

Every gate-guarded field of the table (`_checking/gate_table.GUARDED`) is built into an
object with a minimal valid value; at a release where its gate is off by default, validate
warns naming the gate and the release; where the gate is on, it does not. The real 1.36 API
server is the judge for 1.36: it drops each field exactly when the table says its gate is off
in 1.36, and its `kubernetes_feature_enabled` metric gives every gate's 1.36 default and stage.

SKEW (1.36 server, 1.37 target): ClusterTrustBundleProjection and PodCertificateRequest go GA
in 1.37, MaxUnavailableStatefulSet (off again in 1.35.4 and 1.36) and VolumeLimitScaling turn
on: their fields are dropped by the 1.36 server and kept by 1.37
(`test_the_gates_whose_default_changes_from_1_36_to_1_37`).
"""

from __future__ import annotations

import copy
import json
import re
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from podgen._checking import feature_gates as fg
from podgen._checking import gate_table as table
from podgen._checking.validate import validate_manifest_text
from podgen._model.versions import SUPPORTED, minor, targeting
from tests.apiserver import SERVER_VERSION, ApiServer

RULE = "feature-gate-off"

#: A pod spec every sample starts from: an app container, a sidecar and a volume to mount.
BASE_POD: dict[str, Any] = {
    "containers": [{"name": "app", "image": "nginx:1.27"}],
    "initContainers": [{"name": "side", "image": "busybox:1.36", "restartPolicy": "Always"}],
    "volumes": [{"name": "data", "emptyDir": {}}],
}

#: A minimal valid value for each container field of the table (its path in a container),
#: with what the pod needs beside it.
CONTAINER_SAMPLES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "securityContext.procMount": (
        {"securityContext": {"procMount": "Unmasked"}},
        {"hostUsers": False},
    ),
    "resources.claims": (
        {"resources": {"claims": [{"name": "gpu"}]}},
        {"resourceClaims": [{"name": "gpu", "resourceClaimName": "gpu-claim"}]},
    ),
    "resizePolicy": (
        {"resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"}]},
        {},
    ),
    "restartPolicyRules": (
        {
            "restartPolicy": "Never",
            "restartPolicyRules": [
                {"action": "Restart", "exitCodes": {"operator": "In", "values": [42]}}
            ],
        },
        {},
    ),
    "volumeMounts[].recursiveReadOnly": (
        {
            "volumeMounts": [
                {
                    "name": "data",
                    "mountPath": "/data",
                    "readOnly": True,
                    "recursiveReadOnly": "IfPossible",
                }
            ]
        },
        {},
    ),
    "env[].valueFrom.fileKeyRef": (
        {
            "env": [
                {
                    "name": "A",
                    "valueFrom": {"fileKeyRef": {"volumeName": "data", "path": "env", "key": "A"}},
                }
            ]
        },
        {},
    ),
    "lifecycle.preStop.sleep": ({"lifecycle": {"preStop": {"sleep": {"seconds": 1}}}}, {}),
    "lifecycle.postStart.sleep": ({"lifecycle": {"postStart": {"sleep": {"seconds": 1}}}}, {}),
    "lifecycle.stopSignal": ({"lifecycle": {"stopSignal": "SIGUSR1"}}, {"os": {"name": "linux"}}),
    "volumeMounts[].bindMountOptions": (
        {"volumeMounts": [{"name": "data", "mountPath": "/data", "bindMountOptions": ["noexec"]}]},
        {},
    ),
    **{
        f"{probe}.httpGet.protocol": ({probe: {"httpGet": {"port": 80, "protocol": "HTTP2"}}}, {})
        for probe in ("livenessProbe", "readinessProbe", "startupProbe")
    },
    **{
        f"{probe}.grpc.mode": ({probe: {"grpc": {"port": 80, "mode": "TLS"}}}, {})
        for probe in ("livenessProbe", "readinessProbe", "startupProbe")
    },
}

_TERM = {"topologyKey": "zone", "labelSelector": {"matchLabels": {"tier": "web"}}}


def _affinity(kind: str, preferred: bool, key: str) -> dict[str, Any]:
    term = {**_TERM, key: ["app"]}
    if preferred:
        terms = {
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 1, "podAffinityTerm": term}
            ]
        }
    else:
        terms = {"requiredDuringSchedulingIgnoredDuringExecution": [term]}
    return {"affinity": {kind: terms}}


def _volume(source: dict[str, Any]) -> dict[str, Any]:
    return {"volumes": [{"name": "extra", **source}]}


#: A minimal valid value for each pod-level field of the table (its path in the pod spec).
POD_SAMPLES: dict[str, dict[str, Any]] = {
    "hostUsers": {"hostUsers": False},
    "securityContext.supplementalGroupsPolicy": {
        "securityContext": {"supplementalGroupsPolicy": "Strict"}
    },
    "securityContext.seLinuxChangePolicy": {
        "securityContext": {"seLinuxChangePolicy": "Recursive"}
    },
    "resources": {"resources": {"limits": {"cpu": "1"}}},
    **{
        f"affinity.{kind}.{term}.{key}": _affinity(kind, preferred, key)
        for kind in ("podAffinity", "podAntiAffinity")
        for preferred, term in (
            (False, "requiredDuringSchedulingIgnoredDuringExecution[]"),
            (True, "preferredDuringSchedulingIgnoredDuringExecution[].podAffinityTerm"),
        )
        for key in ("matchLabelKeys", "mismatchLabelKeys")
    },
    "resourceClaims": {"resourceClaims": [{"name": "gpu", "resourceClaimName": "gpu-claim"}]},
    "volumes[].projected.sources[].clusterTrustBundle": _volume(
        {"projected": {"sources": [{"clusterTrustBundle": {"name": "ca", "path": "ca.pem"}}]}}
    ),
    "volumes[].projected.sources[].podCertificate": _volume(
        {
            "projected": {
                "sources": [
                    {
                        "podCertificate": {
                            "signerName": "example.com/signer",
                            "keyType": "RSA3072",
                            "credentialBundlePath": "bundle.pem",
                        }
                    }
                ]
            }
        }
    ),
    "workloadRef": {"workloadRef": {"name": "training", "podGroup": "workers"}},
    "schedulingGroup": {"schedulingGroup": {"podGroupName": "workers"}},
    "containers[].restartPolicy": {"containers": [{"restartPolicy": "Never"}]},
    "initContainers[].restartPolicy": {"initContainers": [{"restartPolicy": "OnFailure"}]},
    "hostnameOverride": {"hostnameOverride": "web-0"},
    "volumes[].image": _volume({"image": {"reference": "busybox:1.36"}}),
    "evictionResponders": {"evictionResponders": [{"name": "example.com/drain", "priority": 1}]},
    "volumes[].emptyDir.mode": _volume({"emptyDir": {"mode": 493}}),
    "volumes[].configMap.defaultUser": _volume({"configMap": {"name": "cm", "defaultUser": 1000}}),
    "volumes[].secret.defaultUser": _volume({"secret": {"secretName": "s", "defaultUser": 1000}}),
    "volumes[].downwardAPI.defaultUser": _volume(
        {
            "downwardAPI": {
                "defaultUser": 1000,
                "items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name"}}],
            }
        }
    ),
    "volumes[].projected.defaultUser": _volume(
        {"projected": {"defaultUser": 1000, "sources": [{"configMap": {"name": "cm"}}]}}
    ),
    "volumes[].configMap.items[].user": _volume(
        {"configMap": {"name": "cm", "items": [{"key": "k", "path": "k", "user": 1000}]}}
    ),
    "volumes[].secret.items[].user": _volume(
        {"secret": {"secretName": "s", "items": [{"key": "k", "path": "k", "user": 1000}]}}
    ),
    "volumes[].downwardAPI.items[].user": _volume(
        {
            "downwardAPI": {
                "items": [{"path": "n", "user": 1000, "fieldRef": {"fieldPath": "metadata.name"}}]
            }
        }
    ),
    "volumes[].projected.sources[].configMap.items[].user": _volume(
        {
            "projected": {
                "sources": [
                    {
                        "configMap": {
                            "name": "cm",
                            "items": [{"key": "k", "path": "k", "user": 1000}],
                        }
                    }
                ]
            }
        }
    ),
    "volumes[].projected.sources[].secret.items[].user": _volume(
        {
            "projected": {
                "sources": [
                    {"secret": {"name": "s", "items": [{"key": "k", "path": "k", "user": 1000}]}}
                ]
            }
        }
    ),
    "volumes[].projected.sources[].downwardAPI.items[].user": _volume(
        {
            "projected": {
                "sources": [
                    {
                        "downwardAPI": {
                            "items": [
                                {
                                    "path": "n",
                                    "user": 1000,
                                    "fieldRef": {"fieldPath": "metadata.name"},
                                }
                            ]
                        }
                    }
                ]
            }
        }
    ),
    "volumes[].projected.sources[].serviceAccountToken.user": _volume(
        {"projected": {"sources": [{"serviceAccountToken": {"path": "token", "user": 1000}}]}}
    ),
    "volumes[].projected.sources[].clusterTrustBundle.user": _volume(
        {
            "projected": {
                "sources": [{"clusterTrustBundle": {"name": "ca", "path": "ca.pem", "user": 1000}}]
            }
        }
    ),
    "volumes[].projected.sources[].podCertificate.user": _volume(
        {
            "projected": {
                "sources": [
                    {
                        "podCertificate": {
                            "signerName": "example.com/signer",
                            "keyType": "RSA3072",
                            "credentialBundlePath": "bundle.pem",
                            "user": 1000,
                        }
                    }
                ]
            }
        }
    ),
}


def _merge(into: Any, extra: Any) -> Any:
    """`extra` laid over `into`: maps key by key, lists item by item."""
    if isinstance(into, dict) and isinstance(extra, dict):
        merged = dict(into)
        for key, value in extra.items():
            merged[key] = _merge(into[key], value) if key in into else copy.deepcopy(value)
        return merged
    if isinstance(into, list) and isinstance(extra, list) and extra and isinstance(extra[0], dict):
        if any(
            "name" in item and item["name"] not in {i.get("name") for i in into} for item in extra
        ):
            return [*copy.deepcopy(into), *copy.deepcopy(extra)]  # a volume of its own
        return [_merge(a, b) for a, b in zip(into, extra, strict=False)] + copy.deepcopy(
            into[len(extra) :]
        )
    return copy.deepcopy(extra)


def _pod_spec(entry: table.Guarded) -> dict[str, Any]:
    if entry.path in POD_SAMPLES:
        return _merge(BASE_POD, POD_SAMPLES[entry.path])
    kind, _, inner = entry.path.partition("[].")
    container, pod = CONTAINER_SAMPLES[inner]
    return _merge(_merge(BASE_POD, pod), {kind: [container]})


_DEVICES = {"requests": [{"name": "gpu", "exactly": {"deviceClassName": "gpu.example.com"}}]}


def _claim_spec(entry: table.Guarded) -> dict[str, Any]:
    field = entry.path.rsplit(".", 1)[1]
    if field == "distinctAttribute":
        return {
            "devices": {
                **_DEVICES,
                "constraints": [{"requests": ["gpu"], "distinctAttribute": "example.com/slot"}],
            }
        }
    value = {
        "tolerations": [{"key": "maintenance", "operator": "Exists", "effect": "NoSchedule"}],
        "derivedAttributes": [{"name": "example.com/size", "expression": "1"}],
        "capacity": {"requests": {"memory": "1Gi"}},
    }[field]
    request: dict[str, Any] = {"name": "gpu"}
    if "firstAvailable" in entry.path:
        request["firstAvailable"] = [
            {"name": "one", "deviceClassName": "gpu.example.com", field: value}
        ]
    else:
        request["exactly"] = {"deviceClassName": "gpu.example.com", field: value}
    return {"devices": {"requests": [request]}}


def _object(entry: table.Guarded) -> dict[str, Any]:
    """The smallest valid object that sets `entry`'s field."""
    meta = {"name": "samples.gates.podgen.example.com" if "Definition" in entry.scope else "sample"}
    if entry.scope == "pod":
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": _pod_spec(entry)}
    job_spec = {
        "template": {"spec": {"restartPolicy": "Never", "containers": BASE_POD["containers"]}}
    }
    job_fields = {
        "successPolicy": {"rules": [{"succeededIndexes": "0"}]},
        "managedBy": "example.com/queue",
        "scheduling": {"schedulingPolicy": {"basic": {}}},
    }
    group, kind = entry.scope.split("/")
    api_version = f"{group}/v1" if group else "v1"
    if group == "autoscaling":
        api_version = "autoscaling/v2"
    field = entry.path.rsplit(".", 1)[-1]
    if kind == "Job":
        spec = {**job_spec, "completionMode": "Indexed", "completions": 1, field: job_fields[field]}
        return {"apiVersion": api_version, "kind": kind, "metadata": meta, "spec": spec}
    if kind == "CronJob":
        inner = {
            **job_spec,
            "completionMode": "Indexed",
            "completions": 1,
            field: job_fields[field],
        }
        spec = {"schedule": "0 * * * *", "jobTemplate": {"spec": inner}}
        return {"apiVersion": api_version, "kind": kind, "metadata": meta, "spec": spec}
    specs: dict[str, Callable[[], dict[str, Any]]] = {
        "Service": lambda: {"ports": [{"port": 80}], "trafficDistribution": "PreferClose"},
        "StatefulSet": lambda: {
            "serviceName": "sample",
            "selector": {"matchLabels": {"app": "sample"}},
            "template": {
                "metadata": {"labels": {"app": "sample"}},
                "spec": {"containers": BASE_POD["containers"]},
            },
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2}},
        },
        "PersistentVolumeClaim": lambda: {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
            **(
                {"volumeAttributesClassName": "fast"}
                if "volumeAttributesClassName" in entry.path
                else {
                    "dataSourceRef": {
                        "apiGroup": "snapshot.storage.k8s.io",
                        "kind": "VolumeSnapshot",
                        "name": "nightly",
                        "namespace": "backups",
                    }
                }
            ),
        },
        "PersistentVolume": lambda: {
            "capacity": {"storage": "1Gi"},
            "accessModes": ["ReadWriteOnce"],
            "csi": {"driver": "csi.example.com", "volumeHandle": "v1"},
            "volumeAttributesClassName": "fast",
        },
        "HorizontalPodAutoscaler": lambda: {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "maxReplicas": 3,
            "behavior": {entry.path.split(".")[2]: {"tolerance": "0.05"}},
        },
        "CSIDriver": lambda: {
            field: {
                "nodeAllocatableUpdatePeriodSeconds": 60,
                "preventPodSchedulingIfMissing": True,
            }[field]
        },
        "Node": lambda: {
            "podPreemptionPolicy": {"disableResizePreemption": ["example.com/autoscaler"]}
        },
        "CustomResourceDefinition": lambda: _crd_spec(field),
        "DeviceClass": lambda: {"extendedResourceName": "example.com/gpu"},
        "ResourceClaim": lambda: _claim_spec(entry),
        "ResourceClaimTemplate": lambda: {"spec": _claim_spec(entry)},
        "ResourceSlice": lambda: {
            "driver": "gpu.example.com",
            "pool": {"name": "pool", "generation": 1, "resourceSliceCount": 1},
            "nodeName": "node-1",
            "devices": [
                {"name": "gpu-0", "taints": [{"key": "maintenance", "effect": "NoSchedule"}]}
            ],
        },
    }
    return {"apiVersion": api_version, "kind": kind, "metadata": meta, "spec": specs[kind]()}


def _crd_spec(field: str) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {"spec": {"type": "object", "properties": {"size": {"type": "string"}}}},
    }
    version: dict[str, Any] = {
        "name": "v1",
        "served": True,
        "storage": True,
        "schema": {"openAPIV3Schema": schema},
    }
    if field == "selectableFields":
        version["selectableFields"] = [{"jsonPath": ".spec.size"}]
    else:
        schema["properties"]["spec"]["x-kubernetes-validations"] = [
            {
                "rule": "!oldSelf.hasValue() || self.size == oldSelf.value().size",
                "optionalOldSelf": True,
            }
        ]
    return {
        "group": "gates.podgen.example.com",
        "names": {
            "plural": "samples",
            "singular": "sample",
            "kind": "Sample",
            "listKind": "SampleList",
        },
        "scope": "Namespaced",
        "versions": [version],
    }


def _walk(
    node: Any, parts: tuple[str, ...], at: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Each value at `parts` under `node`, with its path (`at` and the keys on the way)."""
    if not parts:
        yield at, node
        return
    head, rest = parts[0], parts[1:]
    if head == "**":  # this level or any below it
        yield from _walk(node, rest, at)
        children = (
            node.items()
            if isinstance(node, Mapping)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, child in children:
            yield from _walk(child, parts, (*at, key))
        return
    many = head.endswith("[]")
    key = head[:-2] if many else head
    if not isinstance(node, Mapping) or key not in node:
        return
    value = node[key]
    if not many:
        yield from _walk(value, rest, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, rest, (*at, key, index))


def _named(entry: table.Guarded) -> str:
    return f"{entry.scope}:{entry.path}"


def _has_field(obj: Mapping[str, Any], entry: table.Guarded) -> bool:
    root = table.POD_SPEC_AT["/Pod"] if entry.scope == "pod" else ()
    node: Any = obj
    for key in root:
        node = node.get(key, {})
    found = list(_walk(node, tuple(entry.path.split(".")), ()))
    return any(entry.kept is None or value != entry.kept for _, value in found)


def _yaml(obj: Mapping[str, Any]) -> str:
    return json.dumps(obj, indent=1)  # JSON is YAML, with each key on its own line


def _warnings(obj: Mapping[str, Any], version: str, gone: bool = False) -> list[str]:
    """The gate warnings validate gives `obj` at `version`; `gone`: the field left 1.37's schema."""
    with targeting(version):
        findings = validate_manifest_text(_yaml(obj), "sample.yaml")
    # Until validate reads each release's schema, a field 1.37 dropped is unknown to it.
    errors = [
        f.text()
        for f in findings
        if f.severity == "error" and not (gone and f.rule == "schema-unknown-field")
    ]
    assert not errors, errors  # the sample is valid: only the gate is in question
    return [f.message for f in findings if f.rule == RULE]


def _at_release(obj: Any, version: str) -> Any:
    """The sample in `version`'s shape: a pod's resource claim named its claim under `source`
    before 1.31 (the schema of 1.29 and 1.30 has no `resourceClaimName` beside `name`)."""
    if isinstance(obj, list):
        return [_at_release(item, version) for item in obj]
    if not isinstance(obj, dict):
        return obj
    found = {key: _at_release(value, version) for key, value in obj.items()}
    if minor(version) < 31 and set(found) == {"name", "resourceClaimName"}:
        return {"name": found["name"], "source": {"resourceClaimName": found["resourceClaimName"]}}
    return found


def _releases(entry: table.Guarded) -> tuple[list[str], list[str]]:
    """The releases with the field whose API server drops it, and those that keep it."""
    have = [
        v
        for v in SUPPORTED
        if minor(entry.since) <= minor(v)
        and (entry.until is None or minor(v) <= minor(entry.until))
    ]
    return [v for v in have if not fg.enabled(entry.gate, v)], [
        v for v in have if fg.enabled(entry.gate, v)
    ]


#: Fields a sample needs beside its own, whose gates may be off too: procMount Unmasked needs
#: hostUsers false; a user for a projected clusterTrustBundle or podCertificate needs those.
COMPANIONS = {
    "ProcMountType": {"UserNamespacesSupport"},
    "AtomicWriteVolumeUserFields": {"ClusterTrustBundleProjection", "PodCertificateRequest"},
}


def _shown(entry: table.Guarded) -> re.Pattern[str]:
    """The dotted path a message for `entry` starts with, indexes any."""
    parts = entry.path.split(".")
    parts = parts[: len(parts) - entry.whole] if entry.whole else parts
    pattern = r"\.".join(
        re.escape(p[:-2]) + r"\[\d+\]" if p.endswith("[]") else ".*" if p == "**" else re.escape(p)
        for p in parts
    )
    root = r"spec\." if entry.scope == "pod" else ""
    return re.compile(f"^{root}{pattern}: ")


@pytest.mark.parametrize("entry", table.GUARDED, ids=_named)
def test_the_sample_sets_the_field(entry: table.Guarded) -> None:
    obj = _object(entry)
    assert _has_field(obj, entry)
    for version in SUPPORTED:
        gates = {d.gate for d in fg.dropped_fields(obj, version)}
        assert gates <= {entry.gate, *COMPANIONS.get(entry.gate, ())}, (version, gates)


@pytest.mark.parametrize("entry", table.GUARDED, ids=_named)
def test_a_field_of_a_gate_off_by_default_is_a_warning_naming_gate_and_release(
    entry: table.Guarded,
) -> None:
    off, on = _releases(entry)
    assert off, f"{entry.gate} is on wherever {entry.path} exists: not worth a row"
    shown = _shown(entry)
    for version in off:
        found = _warnings(_at_release(_object(entry), version), version, entry.until is not None)
        if entry.until is not None:
            # Until validate reads each release's schema, its 1.37 schema stops at the unknown
            # field: the check itself says what validate will.
            found = [d.message for d in fg.dropped_fields(_object(entry), version)]
        messages = [m for m in found if shown.match(m)]
        assert len(messages) == 1, (version, found)
        assert messages[0].endswith(f": feature {entry.gate} is off by default in {version}")
        assert "by the API server" in messages[0]
    for version in on:
        found = _warnings(_at_release(_object(entry), version), version, entry.until is not None)
        assert not any(shown.match(m) for m in found), version


def test_the_message_names_the_field_the_gate_and_the_release() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
        "  resources:\n    limits:\n      cpu: '1'\n"
        "  containers:\n  - name: app\n    image: nginx:1.27\n"
    )
    with targeting("1.33"):
        (finding,) = [f for f in validate_manifest_text(text, "pod.yaml") if f.rule == RULE]
    assert finding.text() == (
        "pod.yaml:6:3: warning: spec.resources: dropped by the API server: feature "
        "PodLevelResources is off by default in 1.33 [feature-gate-off]"
    )


@pytest.mark.parametrize("kind", sorted(table.POD_SPEC_AT))
def test_every_pod_template_is_checked(kind: str) -> None:
    """The same pod field in each kind with a pod spec, at its path there."""
    group, _, name = kind.partition("/")
    root = table.POD_SPEC_AT[kind]
    obj: dict[str, Any] = {
        "apiVersion": f"{group}/v1" if group else "v1",
        "kind": name,
        "metadata": {"name": "w"},
    }
    node = obj
    for key in root[:-1]:
        node = node.setdefault(key, {})
    node[root[-1]] = _merge(BASE_POD, {"hostnameOverride": "web-0"})
    (dropped,) = fg.dropped_fields(obj, "1.34")
    assert dropped.path == (*root, "hostnameOverride")
    assert dropped.gate == "HostnameOverride"
    assert fg.dropped_fields(obj, "1.35") == []
    assert fg.dropped_fields({**obj, "apiVersion": "example.com/v1"}, "1.34") == []  # a CR


@pytest.mark.parametrize(
    ("container", "version", "gates"),
    [
        ({"name": "i", "image": "busybox:1.36", "restartPolicy": "Always"}, "1.34", []),
        (
            {"name": "i", "image": "busybox:1.36", "restartPolicy": "Never"},
            "1.34",
            ["ContainerRestartRules"],
        ),
        ({"name": "i", "image": "busybox:1.36", "restartPolicy": "Never"}, "1.35", []),
        (
            {"name": "i", "image": "busybox:1.36", "securityContext": {"procMount": "Default"}},
            "1.31",
            [],
        ),
        (
            {"name": "i", "image": "busybox:1.36", "securityContext": {"procMount": "Unmasked"}},
            "1.32",
            ["ProcMountType"],
        ),
        (
            {"name": "i", "image": "busybox:1.36", "securityContext": {"procMount": "Unmasked"}},
            "1.33",
            [],
        ),
    ],
)
def test_a_value_the_server_keeps_with_the_gate_off_is_no_warning(
    container: dict[str, Any], version: str, gates: list[str]
) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [container], "initContainers": [container]},
    }
    found = [d.gate for d in fg.dropped_fields(pod, version) if d.path[1] == "initContainers"]
    assert found == gates


def test_a_field_newer_than_the_target_is_left_to_the_schema_check() -> None:
    """spec.resources came in 1.32: at 1.31 it is an unknown field, not a dropped one."""
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"resources": {"limits": {"cpu": "1"}}, "containers": BASE_POD["containers"]},
    }
    assert fg.dropped_fields(pod, "1.31") == []
    assert [d.gate for d in fg.dropped_fields(pod, "1.32")] == ["PodLevelResources"]
    workload_ref = {
        "workloadRef": {"name": "w", "podGroup": "g"},
        "containers": BASE_POD["containers"],
    }
    assert [d.gate for d in fg.dropped_fields({**pod, "spec": workload_ref}, "1.35")] == [
        "GenericWorkload"
    ]
    assert fg.dropped_fields({**pod, "spec": workload_ref}, "1.36") == []  # gone from 1.36's schema


def test_the_table_covers_every_supported_release_for_each_gate() -> None:
    for gate, rows in table.GATES.items():
        releases = [minor(version) for version, _, _ in rows]
        assert releases == sorted(set(releases)), gate
        assert all(
            stage in (table.ALPHA, table.BETA, table.GA, table.DEPRECATED) for _, _, stage in rows
        ), gate
        first = releases[0]
        for version in SUPPORTED:
            found = fg.state(gate, version)
            assert (found is None) == (minor(version) < first), (gate, version)
        # GA is on; an alpha is off.
        assert all(on for _, on, stage in rows if stage == table.GA), gate
        assert not any(on for _, on, stage in rows if stage == table.ALPHA), gate
    for entry in table.GUARDED:
        assert entry.gate in table.GATES, entry
        assert minor(entry.since) >= minor(table.GATES[entry.gate][0][0]), entry  # gate first
        assert entry.since in SUPPORTED or minor(entry.since) < minor(SUPPORTED[0]), entry
    for gate in table.VALIDATION_GATES:
        assert gate in table.GATES, gate


def test_the_gates_whose_default_changes_from_1_36_to_1_37() -> None:
    """SKEW: what the 1.36 server drops and 1.37 keeps, and the reverse (none)."""
    changed = {gate for gate in table.GATES if fg.enabled(gate, "1.36") != fg.enabled(gate, "1.37")}
    assert changed == {
        "ClusterTrustBundle",
        "ClusterTrustBundleProjection",
        "MaxUnavailableStatefulSet",
        "PodCertificateRequest",
        "VolumeLimitScaling",
    }
    assert all(fg.enabled(gate, "1.37") for gate in changed)


# -- the real 1.36 API server ------------------------------------------------------------------


def _created(api_server: ApiServer, obj: Mapping[str, Any]) -> dict[str, Any]:
    """The object a dry-run create returns (strict field validation), or fail with why not."""
    api_version, kind = str(obj["apiVersion"]), str(obj["kind"])
    found = api_server.resource(api_version, kind)
    assert found is not None, f"the server does not serve {api_version} {kind}"
    plural, namespaced = found
    base = f"/api/{api_version}" if "/" not in api_version else f"/apis/{api_version}"
    if namespaced:
        api_server._ensure_namespace("default")
        base += "/namespaces/default"
    status, body, _ = api_server.request(
        "POST", f"{base}/{plural}?dryRun=All&fieldValidation=Strict", obj
    )
    assert status == 201, (status, body.get("message"))
    return body


@pytest.mark.parametrize(
    "entry",
    [
        e
        for e in table.GUARDED
        if minor(e.since) <= minor(SERVER_VERSION)
        and (e.until is None or minor(SERVER_VERSION) <= minor(e.until))
    ],
    ids=_named,
)
def test_the_1_36_api_server_drops_the_field_exactly_when_its_gate_is_off(
    entry: table.Guarded, api_server: ApiServer
) -> None:
    obj = _object(entry)
    returned = _created(api_server, obj)
    kept = _has_field(returned, entry)
    assert kept == fg.enabled(entry.gate, SERVER_VERSION), (
        entry.gate,
        json.dumps(returned.get("spec"))[:600],
    )


def _server_gates(api_server: ApiServer) -> dict[str, tuple[bool, str]]:
    request = urllib.request.Request(api_server.url + "/metrics")  # noqa: S310
    request.add_header("Authorization", f"Bearer {api_server.token}")
    with urllib.request.urlopen(request, context=api_server.context, timeout=30) as response:  # noqa: S310
        text = response.read().decode()
    metric = re.compile(
        r'^kubernetes_feature_enabled\{name="([^"]+)",stage="([^"]*)"\} ([01])$', re.M
    )
    stages = {
        "ALPHA": table.ALPHA,
        "BETA": table.BETA,
        "": table.GA,
        "DEPRECATED": table.DEPRECATED,
    }
    return {name: (value == "1", stages[stage]) for name, stage, value in metric.findall(text)}


def test_each_gate_s_1_36_default_and_stage_are_the_1_36_api_server_s(
    api_server: ApiServer,
) -> None:
    served = _server_gates(api_server)
    assert len(served) > 100  # the metric lists every gate the server knows
    for gate in table.GATES:
        if gate in served:
            assert fg.state(gate, SERVER_VERSION) == served[gate], gate
        elif minor(table.GATES[gate][0][0]) <= minor(SERVER_VERSION):  # removed after GA
            assert fg.state(gate, SERVER_VERSION) == (True, table.GA), gate


# -- API server rules that follow a gate -------------------------------------------------------

ENV_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "env"},
    "spec": {
        "containers": [
            {
                "name": "app",
                "image": "nginx:1.27",
                "env": [{"name": "1ST_RUN", "value": "x"}],
                "envFrom": [{"prefix": "2_", "configMapRef": {"name": "cm"}}],
            }
        ]
    },
}


@pytest.mark.parametrize(
    ("version", "rules"),
    [
        ("1.29", ["env-name", "env-from"]),
        ("1.31", ["env-name", "env-from"]),
        ("1.32", []),
        ("1.37", []),
    ],
)
def test_env_names_follow_relaxed_environment_variable_validation(
    version: str, rules: list[str]
) -> None:
    """IsEnvVarName before 1.32, printable ASCII from 1.32 (the gate on by default)."""
    with targeting(version):
        findings = validate_manifest_text(_yaml(ENV_POD), "env.yaml")
    errors = [f for f in findings if f.severity == "error"]
    assert [f.rule for f in errors] == rules
    for finding in errors:
        assert (
            "a valid environment variable name must consist of alphabetic characters"
            in finding.message
        )


def test_the_1_36_api_server_takes_relaxed_env_names(api_server: ApiServer) -> None:
    returned = _created(api_server, ENV_POD)
    assert returned["spec"]["containers"][0]["env"][0]["name"] == "1ST_RUN"


@pytest.mark.parametrize(
    ("version", "errors", "warnings"),
    [
        ("1.33", ['Unsupported value: "OnFailure": supported values: "Always"'], []),
        ("1.34", [], ["ContainerRestartRules"]),
        ("1.35", [], []),
    ],
)
def test_an_init_container_s_restart_policy_follows_container_restart_rules(
    version: str, errors: list[str], warnings: list[str]
) -> None:
    """Before the gate only Always (a sidecar); 1.34 drops OnFailure (gate off); 1.35 takes it."""
    pod = _merge(
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": BASE_POD},
        {"spec": {"initContainers": [{"restartPolicy": "OnFailure"}]}},
    )
    with targeting(version):
        findings = validate_manifest_text(_yaml(pod), "pod.yaml")
    assert [f.message.split(": ", 1)[1] for f in findings if f.severity == "error"] == errors
    gates = [f.message.split("feature ")[1].split()[0] for f in findings if f.rule == RULE]
    assert gates == warnings


INGRESS = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "Ingress",
    "metadata": {"name": "web"},
    "spec": {"defaultBackend": {"service": {"name": "1web", "port": {"number": 80}}}},
}


@pytest.mark.parametrize(("version", "refused"), [("1.29", True), ("1.35", True), ("1.36", False)])
def test_an_ingress_backend_s_service_name_follows_relaxed_service_name_validation(
    version: str, refused: bool
) -> None:
    """An RFC 1035 label (a Service's name rule) before 1.36, a DNS label from 1.36."""
    with targeting(version):
        findings = validate_manifest_text(_yaml(INGRESS), "ingress.yaml")
    errors = [f.message for f in findings if f.severity == "error"]
    assert bool(errors) == refused
    if refused:
        assert errors == [
            'spec.defaultBackend.service.name: Invalid value: "1web": a DNS-1035 label must '
            "consist of lower case alphanumeric characters or '-', start with an alphabetic "
            "character, and end with an alphanumeric character (e.g. 'my-name' or 'abc-123', "
            "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        ]


def test_the_1_36_api_server_takes_a_dns_label_backend(api_server: ApiServer) -> None:
    assert _created(api_server, INGRESS)["spec"]["defaultBackend"]["service"]["name"] == "1web"


# -- values allowed only with a gate (VALIDATION_GATES) -----------------------------------------

SAME_ZONE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "same-zone"},
    "spec": {"ports": [{"port": 80}], "trafficDistribution": "PreferSameZone"},
}


@pytest.mark.parametrize(
    ("version", "errors", "warnings"),
    [
        ("1.30", [], ["ServiceTrafficDistribution"]),  # the field is dropped, not validated
        ("1.31", ['Unsupported value: "PreferSameZone": supported values: "PreferClose"'], []),
        ("1.32", ['Unsupported value: "PreferSameZone": supported values: "PreferClose"'], []),
        ("1.33", ['Unsupported value: "PreferSameZone": supported values: "PreferClose"'], []),
        ("1.34", [], []),
        ("1.36", [], []),
        ("1.37", [], []),
    ],
)
def test_prefer_same_zone_follows_prefer_same_traffic_distribution(
    version: str, errors: list[str], warnings: list[str]
) -> None:
    """PreferSameZone/PreferSameNode need PreferSameTrafficDistribution (alpha, off in 1.33;
    beta, on from 1.34): a default cluster of 1.31-1.33 takes PreferClose alone."""
    with targeting(version):
        findings = validate_manifest_text(_yaml(SAME_ZONE), "svc.yaml")
    assert [f.message.split(": ", 1)[1] for f in findings if f.severity == "error"] == errors
    gates = [f.message.split("feature ")[1].split()[0] for f in findings if f.rule == RULE]
    assert gates == warnings


def test_the_1_36_api_server_takes_prefer_same_zone(api_server: ApiServer) -> None:
    """SKEW: none: 1.36 and 1.37 both take PreferSameZone (the gate is GA from 1.35)."""
    assert api_server.verdict(SAME_ZONE).accepted
    with targeting("1.36"):
        assert validate_manifest_text(_yaml(SAME_ZONE), "svc.yaml") == []


_NOT_ZERO = (
    "Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30)"
)
SLEEP_ZERO = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "sleep-zero"},
    "spec": {
        "containers": [
            {
                "name": "app",
                "image": "nginx:1.27",
                "lifecycle": {"preStop": {"sleep": {"seconds": 0}}},
            }
        ]
    },
}


@pytest.mark.parametrize(
    ("version", "errors"),
    [
        (
            "1.30",
            [_NOT_ZERO],
        ),
        (
            "1.32",
            [_NOT_ZERO],
        ),
        ("1.33", []),
        ("1.36", []),
        ("1.37", []),
    ],
)
def test_a_sleep_of_zero_follows_pod_lifecycle_sleep_action_allow_zero(
    version: str, errors: list[str]
) -> None:
    """0 seconds needs PodLifecycleSleepActionAllowZero (alpha, off in 1.32; beta from 1.33)."""
    with targeting(version):
        findings = validate_manifest_text(_yaml(SLEEP_ZERO), "pod.yaml")
    assert [f.message.split(": ", 1)[1] for f in findings if f.severity == "error"] == errors


def test_the_1_36_api_server_takes_a_sleep_of_zero(api_server: ApiServer) -> None:
    """SKEW: none: 1.36 and 1.37 both take 0 seconds."""
    assert api_server.verdict(SLEEP_ZERO).accepted


# -- an error elsewhere in the object does not hide its gates' warnings ------------------------

GATED_AT_1_29 = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "gated"},
    "spec": {
        "hostUsers": False,
        "containers": [
            {
                "name": "app",
                "image": "nginx:1.27",
                "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"}],
                "lifecycle": {"preStop": {"sleep": {"seconds": 5}}},
            }
        ],
    },
}
_GATES_1_29 = ["UserNamespacesSupport", "InPlacePodVerticalScaling", "PodLifecycleSleepAction"]


def _gates_and_errors(obj: Mapping[str, Any], version: str) -> tuple[list[str], list[str]]:
    with targeting(version):
        findings = validate_manifest_text(_yaml(obj), "pod.yaml")
    gates = [f.message.split("feature ")[1].split()[0] for f in findings if f.rule == RULE]
    return gates, [f.rule for f in findings if f.severity == "error"]


def test_a_field_unknown_at_the_release_does_not_hide_the_other_fields_gate_warnings() -> None:
    assert _gates_and_errors(GATED_AT_1_29, "1.29") == (_GATES_1_29, [])
    with_newer = _merge(
        copy.deepcopy(GATED_AT_1_29),
        {"spec": {"containers": [{"volumeMounts": [{"name": "v", "mountPath": "/v"}]}]}},
    )
    with_newer["spec"]["containers"][0]["volumeMounts"][0]["recursiveReadOnly"] = "Disabled"
    with_newer["spec"]["volumes"] = [{"name": "v", "emptyDir": {}}]
    assert _gates_and_errors(with_newer, "1.29") == (_GATES_1_29, ["field-not-in-version"])


def test_a_gated_field_that_is_itself_in_error_gets_only_its_error() -> None:
    wrong = copy.deepcopy(GATED_AT_1_29)
    wrong["spec"]["hostUsers"] = "no"  # a string where a boolean goes
    gates, errors = _gates_and_errors(wrong, "1.29")
    assert gates == _GATES_1_29[1:]
    assert errors == ["schema-type"]
