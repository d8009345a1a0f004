"""One mistake away: what the judge suite does to a valid object of each kind.

A `Mistake` changes a valid object (tests/object_generator.py) in one place: a bad name, a bad
enum value, a missing required field, an out-of-range number, a bad quantity, a duplicated
list key, a wrong type, an unknown field, a bad label, ... Some "mistakes" are valid variants
that podgen has been known to refuse (`generateName` alone, `serviceAccountName: ""`): which
verdict is right is never written here; the real API server says it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from hypothesis import strategies as st

from tests.object_generator import BASES, LABEL, Draw, Obj, b64

Apply = Callable[[Draw, Obj], None]


class Mistake(NamedTuple):
    name: str
    apply: Apply


def _set(path: str, value: Any) -> Apply:
    """Set the dotted `path` (created as needed) to `value`; a strategy value is drawn."""

    def apply(draw: Draw, obj: Obj) -> None:
        *parents, last = path.split(".")
        here = obj
        for key in parents:
            here = here.setdefault(key, {})
        here[last] = draw(value) if isinstance(value, st.SearchStrategy) else value

    return apply


def _drop(path: str) -> Apply:
    def apply(draw: Draw, obj: Obj) -> None:
        *parents, last = path.split(".")
        here = obj
        for key in parents:
            here = here[key]
        here.pop(last, None)

    return apply


def pod_spec_of(obj: Obj) -> Obj:
    """The pod spec inside any kind that runs pods."""
    if obj["kind"] == "Pod":
        return obj["spec"]  # type: ignore[no-any-return]
    if obj["kind"] == "PodTemplate":
        return obj["template"]["spec"]  # type: ignore[no-any-return]
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]  # type: ignore[no-any-return]
    return obj["spec"]["template"]["spec"]  # type: ignore[no-any-return]


def _in_pod(change: Callable[[Draw, Obj], None]) -> Apply:
    return lambda draw, obj: change(draw, pod_spec_of(obj))


def _first(change: Callable[[Draw, Obj], None]) -> Apply:
    """The change applied to the first container."""
    return _in_pod(lambda draw, spec: change(draw, spec["containers"][0]))


def _twin_container(change: Callable[[Obj, Obj], None]) -> Apply:
    def apply(draw: Draw, spec: Obj) -> None:
        first = spec["containers"][0]
        twin = {"name": first["name"] + "-b", "image": "busybox:1.36"}
        change(first, twin)
        spec["containers"] = [first, twin]

    return _in_pod(apply)


def _ports(first: Obj, twin: Obj) -> None:
    first["ports"] = [{"containerPort": 80, "name": "http"}]
    twin["ports"] = [{"containerPort": 81, "name": "http"}]


def _dns_ports(first: Obj, twin: Obj) -> None:
    first["ports"] = [{"containerPort": 53, "protocol": "UDP"}, {"containerPort": 53}]


def _projected_token(draw: Draw, spec: Obj) -> None:
    spec.pop("serviceAccountName", None)
    source = {"serviceAccountToken": {"path": "token", "expirationSeconds": 3600}}
    spec["volumes"] = [{"name": "token", "projected": {"sources": [source]}}]


BAD_QUANTITY = st.sampled_from(["1GB", "ten", "1.5.0"])

GENERIC = [
    Mistake("valid", lambda draw, obj: None),
    Mistake("name-uppercase", _set("metadata.name", LABEL.map(lambda n: f"Web_{n}"))),
    Mistake("name-dotted", _set("metadata.name", LABEL.map(lambda n: f"{n}.example"))),
    Mistake("name-too-long", _set("metadata.name", st.integers(254, 260).map(lambda n: "a" * n))),
    Mistake(
        "name-label-too-long", _set("metadata.name", st.integers(64, 70).map(lambda n: "b" * n))
    ),
    Mistake("name-missing", _drop("metadata.name")),
    Mistake(
        "generate-name-only",
        lambda draw, obj: obj["metadata"].update(
            {"generateName": obj["metadata"].pop("name")[:40] + "-"}
        ),
    ),
    Mistake("label-key-bad", _set("metadata.labels", st.just({"bad key!": "x"}))),
    Mistake(
        "label-value-bad", _set("metadata.labels", st.sampled_from([{"a": "-x"}, {"a": "v" * 64}]))
    ),
    Mistake("label-value-number", _set("metadata.labels", st.just({"a": 1}))),
    Mistake("annotation-key-bad", _set("metadata.annotations", st.just({"a/b/c": "x"}))),
    Mistake("unknown-field", _set("metadata.bogus", "x")),
    Mistake("unknown-top-field", _set("extra", {"a": 1})),
    Mistake("finalizer-bad", _set("metadata.finalizers", ["Bad Finalizer"])),
    Mistake("finalizer-unqualified", _set("metadata.finalizers", ["cleanup"])),
    Mistake("finalizer-qualified", _set("metadata.finalizers", ["example.com/cleanup"])),
    Mistake(
        "owner-reference-no-uid",
        _set("metadata.ownerReferences", [{"apiVersion": "v1", "kind": "ConfigMap", "name": "x"}]),
    ),
]

POD = [
    Mistake("container-name-bad", _first(lambda draw, c: c.update(name="Web_App"))),
    Mistake("image-missing", _first(lambda draw, c: c.pop("image"))),
    Mistake("image-pull-policy-bad", _first(lambda draw, c: c.update(imagePullPolicy="Sometimes"))),
    Mistake(
        "container-port-out-of-range",
        _first(
            lambda draw, c: c.update(ports=[{"containerPort": draw(st.integers(65536, 99999))}])
        ),
    ),
    Mistake("container-port-zero", _first(lambda draw, c: c.update(ports=[{"containerPort": 0}]))),
    Mistake(
        "cpu-bad-quantity",
        _first(lambda draw, c: c.update(resources={"requests": {"cpu": draw(BAD_QUANTITY)}})),
    ),
    Mistake(
        "cpu-quantity-lone-sign",
        _first(lambda draw, c: c.update(resources={"requests": {"cpu": "-"}})),
    ),
    Mistake(
        "memory-milli", _first(lambda draw, c: c.update(resources={"requests": {"memory": "500m"}}))
    ),
    Mistake(
        "request-over-limit",
        _first(
            lambda draw, c: c.update(resources={"requests": {"cpu": "2"}, "limits": {"cpu": "1"}})
        ),
    ),
    Mistake(
        "env-name-duplicate",
        _first(
            lambda draw, c: c.update(env=[{"name": "A", "value": "1"}, {"name": "A", "value": "2"}])
        ),
    ),
    Mistake("env-name-bad", _first(lambda draw, c: c.update(env=[{"name": "1=A", "value": "1"}]))),
    Mistake("port-name-in-two-containers", _twin_container(_ports)),
    Mistake("port-53-tcp-and-udp", _twin_container(_dns_ports)),
    Mistake(
        "container-name-duplicate",
        _in_pod(
            lambda draw, s: s.update(containers=[s["containers"][0], dict(s["containers"][0])])
        ),
    ),
    Mistake("containers-empty", _in_pod(lambda draw, s: s.update(containers=[]))),
    Mistake("container-unknown-field", _first(lambda draw, c: c.update(bogus=1))),
    Mistake("container-wrong-type", _first(lambda draw, c: c.update(args="run"))),
    Mistake("dns-policy-bad", _in_pod(lambda draw, s: s.update(dnsPolicy="Google"))),
    Mistake("service-account-empty", _in_pod(lambda draw, s: s.update(serviceAccountName=""))),
    Mistake("service-account-bad", _in_pod(lambda draw, s: s.update(serviceAccountName="Bad_SA"))),
    Mistake("active-deadline-zero", _in_pod(lambda draw, s: s.update(activeDeadlineSeconds=0))),
    Mistake(
        "grace-period-negative", _in_pod(lambda draw, s: s.update(terminationGracePeriodSeconds=-1))
    ),
    Mistake(
        "affinity-weight-zero",
        _in_pod(
            lambda draw, s: s.update(
                affinity={
                    "podAntiAffinity": {
                        "preferredDuringSchedulingIgnoredDuringExecution": [
                            {
                                "weight": 0,
                                "podAffinityTerm": {
                                    "topologyKey": "kubernetes.io/hostname",
                                    "labelSelector": {"matchLabels": {"a": "b"}},
                                },
                            }
                        ]
                    }
                }
            )
        ),
    ),
    Mistake(
        "toleration-effect-bad",
        _in_pod(
            lambda draw, s: s.update(
                tolerations=[{"key": "k", "operator": "Exists", "effect": "Sometimes"}]
            )
        ),
    ),
    Mistake(
        "privileged-no-escalation",
        _first(
            lambda draw, c: c.update(
                securityContext={"privileged": True, "allowPrivilegeEscalation": False}
            )
        ),
    ),
    Mistake(
        "sysctl-name-bad",
        _in_pod(
            lambda draw, s: s.update(
                securityContext={"sysctls": [{"name": "Bad Name", "value": "1"}]}
            )
        ),
    ),
    Mistake(
        "volume-mount-unknown-volume",
        _first(lambda draw, c: c.update(volumeMounts=[{"name": "nowhere", "mountPath": "/data"}])),
    ),
    Mistake(
        "empty-dir-size-bad",
        _in_pod(
            lambda draw, s: s.update(
                volumes=[{"name": "v", "emptyDir": {"sizeLimit": draw(BAD_QUANTITY)}}]
            )
        ),
    ),
    Mistake(
        "host-path-dotdot",
        _in_pod(
            lambda draw, s: s.update(volumes=[{"name": "v", "hostPath": {"path": "/srv/../etc"}}])
        ),
    ),
    Mistake("projected-token-without-service-account", _in_pod(_projected_token)),
    Mistake(
        "priority-class-absent",
        _in_pod(lambda draw, s: s.update(priorityClassName="high-priority")),
    ),
    Mistake(
        "hugepages-without-limit",
        _first(
            lambda draw, c: c.update(
                resources={"requests": {"hugepages-2Mi": "10Mi", "memory": "1Gi"}}
            )
        ),
    ),
]


def _restart(policy: str) -> Apply:
    return _in_pod(lambda draw, s: s.update(restartPolicy=policy))


def _selector_mismatch(draw: Draw, obj: Obj) -> None:
    obj["spec"]["selector"] = {"matchLabels": {"app": "elsewhere"}}


WORKLOAD = [
    Mistake("replicas-negative", _set("spec.replicas", st.integers(-5, -1))),
    Mistake("selector-mismatch", _selector_mismatch),
    Mistake("restart-never", _restart("Never")),
    Mistake("selector-missing", _drop("spec.selector")),
]
DEPLOYMENT = [
    Mistake("strategy-type-bad", _set("spec.strategy", {"type": "Rolling"})),
    Mistake(
        "max-surge-bad",
        _set("spec.strategy", {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "150"}}),
    ),
    Mistake(
        "both-zero-surge-unavailable",
        _set(
            "spec.strategy",
            {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}},
        ),
    ),
]
STATEFUL_SET = [
    Mistake("service-name-bad", _set("spec.serviceName", "Bad_Service")),
    Mistake("pod-management-bad", _set("spec.podManagementPolicy", "Random")),
    Mistake(
        "claim-template-no-access-modes",
        lambda draw, obj: obj["spec"].update(
            volumeClaimTemplates=[
                {"metadata": {"name": "d"}, "spec": {"resources": {"requests": {"storage": "1Gi"}}}}
            ]
        ),
    ),
    Mistake(
        "claim-template-bad-storage",
        lambda draw, obj: obj["spec"].update(
            volumeClaimTemplates=[
                {
                    "metadata": {"name": "d"},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": draw(BAD_QUANTITY)}},
                    },
                }
            ]
        ),
    ),
]
JOB_SPEC = [
    ("restart-always", lambda draw, spec: spec["template"]["spec"].update(restartPolicy="Always")),
    ("completions-negative", lambda draw, spec: spec.update(completions=-1)),
    ("parallelism-too-high", lambda draw, spec: spec.update(parallelism=100001)),
    ("job-active-deadline-zero", lambda draw, spec: spec.update(activeDeadlineSeconds=0)),
    (
        "backoff-per-index-not-indexed",
        lambda draw, spec: spec.update(backoffLimitPerIndex=1, completionMode="NonIndexed"),
    ),
    (
        "indexed-without-completions",
        lambda draw, spec: (spec.pop("completions", None), spec.update(completionMode="Indexed")),
    ),
    ("completion-mode-bad", lambda draw, spec: spec.update(completionMode="Sorted")),
    ("pod-replacement-bad", lambda draw, spec: spec.update(podReplacementPolicy="Sometimes")),
    (
        "pod-failure-policy-on-failure",
        lambda draw, spec: (
            spec["template"]["spec"].update(restartPolicy="OnFailure"),
            spec.update(
                podFailurePolicy={
                    "rules": [
                        {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [42]}}
                    ]
                }
            ),
        ),
    ),
    (
        "pod-failure-policy-exit-zero",
        lambda draw, spec: (
            spec["template"]["spec"].update(restartPolicy="Never"),
            spec.update(
                podFailurePolicy={
                    "rules": [
                        {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [0]}}
                    ]
                }
            ),
        ),
    ),
    (
        "manual-selector-missing",
        lambda draw, spec: spec.update(selector={"matchLabels": {"a": "b"}}),
    ),
]
JOB = [Mistake(name, lambda draw, obj, f=f: f(draw, obj["spec"])) for name, f in JOB_SPEC]
CRON_JOB = [
    Mistake(name, lambda draw, obj, f=f: f(draw, obj["spec"]["jobTemplate"]["spec"]))
    for name, f in JOB_SPEC
] + [
    Mistake(
        "schedule-bad", _set("spec.schedule", st.sampled_from(["every day", "61 * * * *", "* * *"]))
    ),
    Mistake("concurrency-bad", _set("spec.concurrencyPolicy", "Sometimes")),
    Mistake("time-zone-bad", _set("spec.timeZone", "Mars/Olympus")),
    Mistake("history-negative", _set("spec.successfulJobsHistoryLimit", -1)),
]

SERVICE = [
    Mistake("type-bad", _set("spec.type", "Internal")),
    Mistake(
        "port-out-of-range",
        lambda draw, obj: obj["spec"]["ports"][0].update(port=draw(st.integers(65536, 90000))),
    ),
    Mistake("target-port-zero", lambda draw, obj: obj["spec"]["ports"][0].update(targetPort=0)),
    Mistake(
        "port-duplicate",
        lambda draw, obj: obj["spec"]["ports"].append({**obj["spec"]["ports"][0], "name": "again"}),
    ),
    Mistake(
        "port-name-duplicate",
        lambda draw, obj: obj["spec"]["ports"].append({"name": "http", "port": 1}),
    ),
    Mistake("port-name-bad", lambda draw, obj: obj["spec"]["ports"][0].update(name="HTTP_Port")),
    Mistake("protocol-bad", lambda draw, obj: obj["spec"]["ports"][0].update(protocol="HTTP")),
    Mistake(
        "node-port-on-cluster-ip",
        lambda draw, obj: (
            obj["spec"].update(type="ClusterIP"),
            obj["spec"].pop("clusterIP", None),
            obj["spec"]["ports"][0].update(nodePort=30080),
        ),
    ),
    Mistake(
        "load-balancer-class-on-cluster-ip",
        lambda draw, obj: (
            obj["spec"].update(type="ClusterIP", loadBalancerClass="example.com/lb"),
            obj["spec"].pop("clusterIP", None),
        ),
    ),
    Mistake(
        "session-affinity-timeout-bad",
        lambda draw, obj: obj["spec"].update(
            sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": 0}}
        ),
    ),
    Mistake(
        "cluster-ip-bad",
        lambda draw, obj: obj["spec"].update(type="ClusterIP", clusterIP="10.96.0"),
    ),
    Mistake(
        "app-protocol-bad",
        lambda draw, obj: obj["spec"]["ports"][0].update(appProtocol="bad protocol"),
    ),
    Mistake(
        "external-name-missing",
        lambda draw, obj: (
            obj["spec"].update(type="ExternalName"),
            obj["spec"].pop("clusterIP", None),
            obj["spec"].pop("selector"),
        ),
    ),
    Mistake(
        "ports-missing",
        lambda draw, obj: (
            obj["spec"].update(type="ClusterIP"),
            obj["spec"].pop("clusterIP", None),
            obj["spec"].pop("ports"),
        ),
    ),
    Mistake("selector-value-bad", _set("spec.selector", {"app": "no way"})),
    Mistake(
        "ip-families-vs-policy",
        lambda draw, obj: obj["spec"].update(
            ipFamilyPolicy="SingleStack", ipFamilies=["IPv4", "IPv6"]
        ),
    ),
]

CONFIG_MAP = [
    Mistake("key-bad", _set("data", st.sampled_from([{"a b": "x"}, {"..": "x"}, {"a/b": "x"}]))),
    Mistake(
        "key-in-data-and-binary",
        lambda draw, obj: obj.update(data={"k": "v"}, binaryData={"k": b64("v")}),
    ),
    Mistake("binary-not-base64", _set("binaryData", {"k": "not base64!"})),
    Mistake("value-not-string", _set("data", {"k": 1})),
    Mistake("value-astral-character", _set("data", {"k": "\U0001f600"})),
    Mistake("too-large", _set("data", {"big": "x" * (1024 * 1024 + 10)})),
    Mistake("immutable", _set("immutable", True)),
]
SECRET_COMMON = [
    Mistake(
        "data-not-base64", lambda draw, obj: obj.setdefault("data", {}).update({"k": "not base64!"})
    ),
    Mistake("key-bad", lambda draw, obj: obj.setdefault("data", {}).update({"a b": b64("x")})),
    Mistake("string-data", lambda draw, obj: obj.update(stringData={"extra": "plain text"})),
    Mistake("type-changed-empty", _set("type", "")),
]
SECRET_SPECIFIC: dict[str, list[Mistake]] = {
    "kubernetes.io/tls": [Mistake("tls-key-missing", lambda draw, obj: obj["data"].pop("tls.key"))],
    "kubernetes.io/dockerconfigjson": [
        Mistake("dockerconfigjson-missing", _set("data", {"other": b64("x")})),
        Mistake("dockerconfigjson-not-json", _set("data", {".dockerconfigjson": b64("{nope")})),
    ],
    "kubernetes.io/dockercfg": [Mistake("dockercfg-missing", _set("data", {"other": b64("x")}))],
    "kubernetes.io/basic-auth": [
        Mistake("basic-auth-no-credential", _set("data", {"other": b64("x")}))
    ],
    "kubernetes.io/ssh-auth": [Mistake("ssh-key-missing", _set("data", {"other": b64("x")}))],
    "kubernetes.io/service-account-token": [
        Mistake(
            "service-account-annotation-missing",
            lambda draw, obj: obj["metadata"]["annotations"].pop(
                "kubernetes.io/service-account.name"
            ),
        )
    ],
}

PVC = [
    Mistake("access-modes-missing", _drop("spec.accessModes")),
    Mistake("access-mode-bad", _set("spec.accessModes", ["ReadWriteSometimes"])),
    Mistake("storage-missing", _set("spec.resources", {"requests": {}})),
    Mistake(
        "storage-bad-quantity",
        _set("spec.resources", st.builds(lambda q: {"requests": {"storage": q}}, BAD_QUANTITY)),
    ),
    Mistake("storage-negative", _set("spec.resources", {"requests": {"storage": "-1Gi"}})),
    Mistake("volume-mode-bad", _set("spec.volumeMode", "Raw")),
    Mistake("data-source-kind-missing", _set("spec.dataSource", {"name": "snap"})),
    Mistake("storage-class-bad", _set("spec.storageClassName", "Fast_SSD")),
]
PV = [
    Mistake("capacity-missing", _drop("spec.capacity")),
    Mistake("reclaim-policy-bad", _set("spec.persistentVolumeReclaimPolicy", "Keep")),
    Mistake("access-mode-bad", _set("spec.accessModes", ["ReadWriteSometimes"])),
    Mistake(
        "no-source",
        lambda draw, obj: [obj["spec"].pop(k, None) for k in ("hostPath", "nfs", "csi")],
    ),
    Mistake(
        "nfs-relative-path",
        lambda draw, obj: (
            [obj["spec"].pop(k, None) for k in ("hostPath", "nfs", "csi")],
            obj["spec"].update(nfs={"server": "nfs", "path": "exports"}),
        ),
    ),
]


def _ingress_path(**fields: Any) -> Apply:
    return lambda draw, obj: obj["spec"]["rules"][0]["http"]["paths"][0].update(fields)


INGRESS = [
    Mistake("path-relative-prefix", _ingress_path(path="api", pathType="Prefix")),
    Mistake(
        "path-relative-implementation", _ingress_path(path="api", pathType="ImplementationSpecific")
    ),
    Mistake("path-type-bad", _ingress_path(pathType="Regex")),
    Mistake(
        "path-type-missing",
        lambda draw, obj: obj["spec"]["rules"][0]["http"]["paths"][0].pop("pathType"),
    ),
    Mistake("host-ip", lambda draw, obj: obj["spec"]["rules"][0].update(host="10.0.0.1")),
    Mistake(
        "host-wildcard-inside",
        lambda draw, obj: obj["spec"]["rules"][0].update(host="shop.*.example.com"),
    ),
    Mistake(
        "backend-service-and-resource",
        _ingress_path(
            backend={
                "service": {"name": "web", "port": {"number": 80}},
                "resource": {"kind": "Bucket", "name": "b", "apiGroup": "example.com"},
            }
        ),
    ),
    Mistake(
        "backend-port-name-and-number",
        _ingress_path(backend={"service": {"name": "web", "port": {"number": 80, "name": "http"}}}),
    ),
    Mistake(
        "backend-port-missing", _ingress_path(backend={"service": {"name": "web", "port": {}}})
    ),
    Mistake("class-name-bad", _set("spec.ingressClassName", "Nginx_Class")),
    Mistake("tls-host-bad", _set("spec.tls", [{"hosts": ["Bad_Host"], "secretName": "tls"}])),
]
INGRESS_CLASS = [
    Mistake("controller-missing", _drop("spec.controller")),
    Mistake("controller-bad", _set("spec.controller", "nginx")),
    Mistake("parameters-kind-missing", _set("spec.parameters", {"name": "p"})),
    Mistake(
        "parameters-scope-bad",
        _set("spec.parameters", {"kind": "K", "name": "p", "scope": "Galaxy"}),
    ),
]


def _np_port(**fields: Any) -> Apply:
    return lambda draw, obj: obj["spec"]["ingress"][0].update(ports=[fields])


NETWORK_POLICY = [
    Mistake("protocol-bad", _np_port(protocol="ICMP", port=80)),
    Mistake("end-port-without-port", _np_port(endPort=90)),
    Mistake("end-port-below-port", _np_port(port=90, endPort=80)),
    Mistake("end-port-with-named-port", _np_port(port="http", endPort=90)),
    Mistake(
        "cidr-bad",
        lambda draw, obj: obj["spec"]["ingress"][0].update(
            {"from": [{"ipBlock": {"cidr": "10.0.0.0/33"}}]}
        ),
    ),
    Mistake(
        "except-outside-cidr",
        lambda draw, obj: obj["spec"]["ingress"][0].update(
            {"from": [{"ipBlock": {"cidr": "10.0.0.0/16", "except": ["192.168.0.0/24"]}}]}
        ),
    ),
    Mistake("policy-type-bad", _set("spec.policyTypes", ["Inbound"])),
    Mistake("selector-label-bad", _set("spec.podSelector", {"matchLabels": {"bad key!": "x"}})),
    Mistake(
        "peer-ip-block-and-selector",
        lambda draw, obj: obj["spec"]["ingress"][0].update(
            {"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}}]}
        ),
    ),
]

ROLE = [
    Mistake("verbs-missing", lambda draw, obj: obj["rules"][0].pop("verbs")),
    Mistake(
        "non-resource-urls",
        lambda draw, obj: obj["rules"].append({"nonResourceURLs": ["/healthz"], "verbs": ["get"]}),
    ),
    Mistake("resources-missing", lambda draw, obj: obj["rules"][0].pop("resources")),
]
BINDING = [
    Mistake("role-ref-kind-bad", lambda draw, obj: obj["roleRef"].update(kind="Policy")),
    Mistake("role-ref-api-group-bad", lambda draw, obj: obj["roleRef"].update(apiGroup="rbac")),
    Mistake("role-ref-name-missing", lambda draw, obj: obj["roleRef"].pop("name")),
    Mistake("subject-kind-bad", lambda draw, obj: obj["subjects"][0].update(kind="Robot")),
    Mistake(
        "service-account-subject-no-namespace",
        _set("subjects", [{"kind": "ServiceAccount", "name": "builder"}]),
    ),
    Mistake(
        "user-subject-api-group-bad",
        _set("subjects", [{"kind": "User", "name": "jane", "apiGroup": "example.com"}]),
    ),
]
HPA = [
    Mistake("min-replicas-zero", _set("spec.minReplicas", 0)),
    Mistake(
        "min-over-max",
        lambda draw, obj: obj["spec"].update(minReplicas=obj["spec"]["maxReplicas"] + 1),
    ),
    Mistake("metric-type-bad", lambda draw, obj: obj["spec"]["metrics"][0].update(type="Cpu")),
    Mistake(
        "utilization-zero",
        lambda draw, obj: obj["spec"]["metrics"][0]["resource"]["target"].update(
            averageUtilization=0
        ),
    ),
    Mistake("target-kind-missing", lambda draw, obj: obj["spec"]["scaleTargetRef"].pop("kind")),
    Mistake("target-name-bad", lambda draw, obj: obj["spec"]["scaleTargetRef"].update(name="a/b")),
    Mistake(
        "policy-value-zero",
        _set(
            "spec.behavior",
            {"scaleUp": {"policies": [{"type": "Pods", "value": 0, "periodSeconds": 60}]}},
        ),
    ),
    Mistake(
        "policy-period-too-long",
        _set(
            "spec.behavior",
            {"scaleUp": {"policies": [{"type": "Pods", "value": 1, "periodSeconds": 1801}]}},
        ),
    ),
    Mistake("select-policy-bad", _set("spec.behavior", {"scaleUp": {"selectPolicy": "Maybe"}})),
    Mistake(
        "average-value-bad-quantity",
        lambda draw, obj: obj["spec"]["metrics"][0]["resource"].update(
            target={"type": "AverageValue", "averageValue": "1GB"}
        ),
    ),
]
HPA_V1 = [
    Mistake("max-replicas-zero", _set("spec.maxReplicas", 0)),
    Mistake("target-cpu-zero", _set("spec.targetCPUUtilizationPercentage", 0)),
]
PDB = [
    Mistake("min-and-max", lambda draw, obj: obj["spec"].update(minAvailable=1, maxUnavailable=1)),
    Mistake(
        "percent-over-100",
        lambda draw, obj: obj["spec"].update(
            {next(k for k in ("minAvailable", "maxUnavailable") if k in obj["spec"]): "150%"}
        ),
    ),
    Mistake(
        "negative",
        lambda draw, obj: obj["spec"].update(
            {next(k for k in ("minAvailable", "maxUnavailable") if k in obj["spec"]): -1}
        ),
    ),
    Mistake("eviction-policy-bad", _set("spec.unhealthyPodEvictionPolicy", "Never")),
    Mistake(
        "selector-operator-bad",
        _set(
            "spec.selector",
            {"matchExpressions": [{"key": "a", "operator": "Like", "values": ["b"]}]},
        ),
    ),
]
LIMIT_RANGE = [
    Mistake("min-over-max", lambda draw, obj: obj["spec"]["limits"][0].update(min={"cpu": "10"})),
    Mistake(
        "default-over-max", lambda draw, obj: obj["spec"]["limits"][0].update(default={"cpu": "10"})
    ),
    Mistake(
        "default-request-over-default",
        lambda draw, obj: obj["spec"]["limits"][0].update(
            defaultRequest={"cpu": "9"}, default={"cpu": "8"}, max={"cpu": "10"}
        ),
    ),
    Mistake("type-bad", lambda draw, obj: obj["spec"]["limits"][0].update(type="Node")),
    Mistake(
        "quantity-bad",
        lambda draw, obj: obj["spec"]["limits"][0].update(max={"memory": draw(BAD_QUANTITY)}),
    ),
]
RESOURCE_QUOTA = [
    Mistake("resource-name-bad", _set("spec.hard", {"bad resource!": "1"})),
    Mistake("scope-bad", _set("spec.scopes", ["Sometimes"])),
    Mistake("quantity-bad", _set("spec.hard", st.builds(lambda q: {"pods": q}, BAD_QUANTITY))),
    Mistake("quantity-negative", _set("spec.hard", {"pods": "-1"})),
]
PRIORITY_CLASS = [
    Mistake("value-too-high", _set("value", st.integers(1000000001, 2000000000))),
    Mistake(
        "system-prefix", lambda draw, obj: obj["metadata"].update(name="system-" + draw(LABEL))
    ),
    Mistake("description", _set("description", st.sampled_from(["For the shop's front end.", ""]))),
    Mistake("preemption-bad", _set("preemptionPolicy", "Always")),
    Mistake("value-missing", _drop("value")),
]
NAMESPACE = [
    Mistake("spec-finalizer-bad", _set("spec.finalizers", ["Bad Finalizer"])),
    Mistake("spec-finalizer-kubernetes", _set("spec.finalizers", ["kubernetes"])),
]
SERVICE_ACCOUNT = [
    Mistake("pull-secret-name-wrong-type", _set("imagePullSecrets", [{"name": 1}])),
    Mistake("secrets-unknown-field", _set("secrets", [{"name": "s", "bogus": 1}])),
]
STORAGE_CLASS = [
    Mistake("provisioner-missing", _drop("provisioner")),
    Mistake("provisioner-bad", _set("provisioner", "Bad Provisioner")),
    Mistake("reclaim-policy-bad", _set("reclaimPolicy", "Recycle")),
    Mistake("binding-mode-bad", _set("volumeBindingMode", "Later")),
    Mistake("parameter-value-number", _set("parameters", {"iops": 3000})),
]
RUNTIME_CLASS = [
    Mistake("handler-missing", _drop("handler")),
    Mistake("handler-bad", _set("handler", "Bad_Handler")),
    Mistake(
        "overhead-bad-quantity",
        _set("overhead", st.builds(lambda q: {"podFixed": {"cpu": q}}, BAD_QUANTITY)),
    ),
]
LEASE = [
    Mistake("duration-zero", _set("spec.leaseDurationSeconds", 0)),
    Mistake("transitions-negative", _set("spec.leaseTransitions", -1)),
]
CSI_DRIVER = [
    Mistake("fs-group-policy-bad", _set("spec.fsGroupPolicy", "Always")),
    Mistake(
        "token-audience-duplicate",
        _set("spec.tokenRequests", [{"audience": "a"}, {"audience": "a"}]),
    ),
]
ENDPOINT_SLICE = [
    Mistake("address-type-bad", _set("addressType", "IPv5")),
    Mistake("address-bad", lambda draw, obj: obj["endpoints"][0].update(addresses=["10.1.2"])),
    Mistake("port-name-bad", lambda draw, obj: obj["ports"][0].update(name="Bad_Name")),
]
CRD = [
    Mistake(
        "schema-description",
        lambda draw, obj: obj["spec"]["versions"][0]["schema"]["openAPIV3Schema"].update(
            description="A widget."
        ),
    ),
    Mistake(
        "property-named-description",
        lambda draw, obj: obj["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"][
            "spec"
        ]["properties"].update(description={"type": "string"}),
    ),
    Mistake(
        "printer-column-description",
        lambda draw, obj: obj["spec"]["versions"][0].update(
            additionalPrinterColumns=[
                {
                    "name": "Size",
                    "type": "integer",
                    "jsonPath": ".spec.size",
                    "description": "How big.",
                }
            ]
        ),
    ),
    Mistake("scope-bad", _set("spec.scope", "Global")),
    Mistake("versions-missing", _set("spec.versions", [])),
    Mistake(
        "name-not-plural-group",
        lambda draw, obj: obj["metadata"].update(name="widgets.elsewhere.io"),
    ),
    Mistake("group-without-dot", _set("spec.group", "widgets")),
    Mistake("kind-same-as-list-kind", _set("spec.names.listKind", "Widget")),
    Mistake("short-name-bad", _set("spec.names.shortNames", ["Wd"])),
    Mistake("version-name-bad", lambda draw, obj: obj["spec"]["versions"][0].update(name="V1")),
    Mistake("schema-missing", lambda draw, obj: obj["spec"]["versions"][0].pop("schema")),
    Mistake("property-without-type", lambda draw, obj: _crd_spec(obj).update(extra={})),
    Mistake(
        "additional-properties-with-properties",
        lambda draw, obj: _crd_spec(obj).update(
            extra={
                "type": "object",
                "properties": {"a": {"type": "string"}},
                "additionalProperties": False,
            }
        ),
    ),
    Mistake(
        "list-type-on-object",
        lambda draw, obj: _crd_spec(obj).update(
            extra={"type": "object", "x-kubernetes-list-type": "atomic"}
        ),
    ),
    Mistake(
        "default-wrong-type",
        lambda draw, obj: _crd_spec(obj)["size"].update(default="big"),
    ),
    Mistake(
        "metadata-with-labels",
        lambda draw, obj: obj["spec"]["versions"][0]["schema"]["openAPIV3Schema"][
            "properties"
        ].update(metadata={"type": "object", "properties": {"labels": {"type": "object"}}}),
    ),
    Mistake(
        "printer-column-path-without-dot",
        lambda draw, obj: obj["spec"]["versions"][0].update(
            additionalPrinterColumns=[{"name": "Size", "type": "integer", "jsonPath": "spec.size"}]
        ),
    ),
    Mistake("conversion-webhook-without-config", _set("spec.conversion", {"strategy": "Webhook"})),
    Mistake(
        "scale-path-outside-spec",
        lambda draw, obj: obj["spec"]["versions"][0].update(
            subresources={
                "scale": {"specReplicasPath": ".status.size", "statusReplicasPath": ".status.size"}
            }
        ),
    ),
]


def _crd_spec(obj: Obj) -> Obj:
    """The properties of the generated CRD's spec schema."""
    schema = obj["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    return schema["properties"]["spec"]["properties"]  # type: ignore[no-any-return]


WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}
_SPECIFIC: dict[str, list[Mistake]] = {
    "Pod": POD,
    "Deployment": POD + WORKLOAD + DEPLOYMENT,
    "StatefulSet": POD + WORKLOAD + STATEFUL_SET,
    "DaemonSet": POD + WORKLOAD,
    "ReplicaSet": POD + WORKLOAD,
    "ReplicationController": POD[:8] + WORKLOAD[:3],
    "Job": POD + JOB,
    "CronJob": POD + CRON_JOB,
    "PodTemplate": POD[:8],
    "Service": SERVICE,
    "ConfigMap": CONFIG_MAP,
    "PersistentVolumeClaim": PVC,
    "PersistentVolume": PV,
    "Ingress": INGRESS,
    "IngressClass": INGRESS_CLASS,
    "NetworkPolicy": NETWORK_POLICY,
    "Role": ROLE[:1] + ROLE[1:],
    "ClusterRole": ROLE,
    "RoleBinding": BINDING,
    "ClusterRoleBinding": BINDING,
    "HorizontalPodAutoscaler": HPA,
    "HorizontalPodAutoscaler v1": HPA_V1,
    "PodDisruptionBudget": PDB,
    "LimitRange": LIMIT_RANGE,
    "ResourceQuota": RESOURCE_QUOTA,
    "PriorityClass": PRIORITY_CLASS,
    "Namespace": NAMESPACE,
    "ServiceAccount": SERVICE_ACCOUNT,
    "StorageClass": STORAGE_CLASS,
    "RuntimeClass": RUNTIME_CLASS,
    "Lease": LEASE,
    "CSIDriver": CSI_DRIVER,
    "EndpointSlice": ENDPOINT_SLICE,
    "CustomResourceDefinition": CRD,
}


def mistakes(label: str) -> list[Mistake]:
    """Every mistake (and valid variant) tried on objects of the kind `label`."""
    if label.startswith("Secret "):
        return GENERIC + SECRET_COMMON + SECRET_SPECIFIC.get(label.removeprefix("Secret "), [])
    return GENERIC + _SPECIFIC.get(label, [])


@st.composite
def one_mistake_away(draw: Draw, label: str, mistake: Mistake) -> Obj:
    """A valid object of the kind `label` with `mistake` made in it."""
    obj: Obj = draw(BASES[label]())
    mistake.apply(draw, obj)
    return obj
