"""Valid objects of every built-in kind, drawn by hypothesis strategies (issue 22's judge suite).

Each kind has a base strategy that draws a valid object (names, images, ports, quantities,
labels and the kind's own fields vary); tests/object_mistakes.py puts one mistake (or a valid
variant) on top. `draw_examples` collects a fixed number of examples from a strategy with a
fixed seed, so a run is reproducible: the same objects, in the same order, every time.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tests import crd_builder

Obj = dict[str, Any]
Draw = Callable[[st.SearchStrategy[Any]], Any]

#: A DNS label (what a Namespace, a Service or a container is named).
LABEL = st.from_regex(r"[a-z]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
#: A DNS subdomain (most kinds' names).
SUBDOMAIN = st.lists(LABEL, min_size=1, max_size=3).map(".".join)
IMAGE = st.sampled_from(
    ["nginx:1.27", "busybox:1.36", "registry.example.com/team/app:2.1", "redis@sha256:" + "a" * 64]
)
PORT = st.integers(1, 65535)
CPU = st.one_of(st.integers(1, 4000).map(lambda n: f"{n}m"), st.sampled_from(["1", "0.5", "2"]))
MEMORY = st.one_of(
    st.integers(1, 4096).map(lambda n: f"{n}Mi"), st.sampled_from(["1Gi", "512M", "1e9"])
)
STORAGE = st.one_of(st.integers(1, 500).map(lambda n: f"{n}Gi"), st.sampled_from(["100Mi", "1T"]))
LABEL_VALUE = st.from_regex(r"([a-z0-9]([a-z0-9._-]{0,10}[a-z0-9])?)?", fullmatch=True)
LABELS = st.dictionaries(
    st.sampled_from(["app", "tier", "app.kubernetes.io/name", "example.com/team"]),
    LABEL_VALUE,
    min_size=1,
    max_size=3,
)
NAMESPACES = st.sampled_from(["demo", "team", "infra", "shop"])


def b64(text: str) -> str:
    """A Secret's `data` value."""
    return base64.b64encode(text.encode()).decode()


def draw_examples(strategy: st.SearchStrategy[Any], count: int, fixed_seed: int) -> list[Any]:
    """`count` examples of `strategy`, the same ones on every run (fixed seed, no database)."""
    found: list[Any] = []

    @settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @seed(fixed_seed)
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found[:count]


def meta(draw: Draw, namespaced: bool, name: st.SearchStrategy[str] = SUBDOMAIN) -> Obj:
    """Object metadata: a name, maybe labels and annotations, a namespace where one applies."""
    metadata: Obj = {"name": draw(name)}
    if namespaced:
        metadata["namespace"] = draw(NAMESPACES)
    if draw(st.booleans()):
        metadata["labels"] = draw(LABELS)
    if draw(st.booleans()):
        metadata["annotations"] = {"example.com/owner": draw(st.sampled_from(["ops", "a b", ""]))}
    return metadata


def container(draw: Draw, name: str) -> Obj:
    """One container: an image, maybe ports, resources and env."""
    result: Obj = {"name": name, "image": draw(IMAGE)}
    if draw(st.booleans()):
        port: Obj = {"containerPort": draw(PORT)}
        if draw(st.booleans()):
            port["name"] = draw(st.sampled_from(["http", "metrics", "grpc-api"]))
        if draw(st.booleans()):
            port["protocol"] = draw(st.sampled_from(["TCP", "UDP", "SCTP"]))
        result["ports"] = [port]
    if draw(st.booleans()):
        requests = {"cpu": draw(CPU), "memory": draw(MEMORY)}
        result["resources"] = {"requests": requests, "limits": dict(requests)}
    if draw(st.booleans()):
        result["env"] = [{"name": "MODE", "value": draw(st.sampled_from(["prod", "", "y"]))}]
    return result


def pod_spec(draw: Draw, restart: str | None = None) -> Obj:
    """A pod's spec; `restart` where the kind needs one policy."""
    names = draw(st.lists(LABEL, min_size=1, max_size=2, unique=True))
    spec: Obj = {"containers": [container(draw, name) for name in names]}
    if restart:
        spec["restartPolicy"] = restart
    elif draw(st.booleans()):
        spec["restartPolicy"] = draw(st.sampled_from(["Always", "OnFailure", "Never"]))
    if draw(st.booleans()):
        spec["terminationGracePeriodSeconds"] = draw(st.integers(0, 600))
    if draw(st.booleans()):
        spec["nodeSelector"] = {"kubernetes.io/os": "linux"}
    return spec


def template(draw: Draw, restart: str | None, labels: Obj) -> Obj:
    """A pod template whose labels are `labels`."""
    return {"metadata": {"labels": dict(labels)}, "spec": pod_spec(draw, restart)}


def selector_labels(draw: Draw) -> Obj:
    return {"app": draw(LABEL)}


@st.composite
def pod(draw: Draw) -> Obj:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta(draw, True), "spec": pod_spec(draw)}


def _workload(kind: str, restart: str | None) -> Callable[[], st.SearchStrategy[Obj]]:
    @st.composite
    def build(draw: Draw) -> Obj:
        labels = selector_labels(draw)
        spec: Obj = {
            "selector": {"matchLabels": labels},
            "template": template(draw, restart, labels),
        }
        if kind in ("Deployment", "ReplicaSet", "StatefulSet") and draw(st.booleans()):
            spec["replicas"] = draw(st.integers(0, 20))
        if kind == "Deployment" and draw(st.booleans()):
            spec["strategy"] = {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": draw(st.sampled_from([1, "25%"]))},
            }
        if kind == "StatefulSet":
            spec["serviceName"] = draw(LABEL)
            if draw(st.booleans()):
                spec["volumeClaimTemplates"] = [pvc_body(draw, "data")]
        # A StatefulSet's name is a DNS label (its pods' hostnames); the others' a subdomain.
        metadata = meta(draw, True, LABEL if kind == "StatefulSet" else SUBDOMAIN)
        return {"apiVersion": "apps/v1", "kind": kind, "metadata": metadata, "spec": spec}

    return build


def job_spec(draw: Draw) -> Obj:
    spec: Obj = {
        "template": {"spec": pod_spec(draw, draw(st.sampled_from(["Never", "OnFailure"])))}
    }
    if draw(st.booleans()):
        spec["completions"] = draw(st.integers(1, 10))
        spec["parallelism"] = draw(st.integers(0, 10))
    if draw(st.booleans()):
        spec["backoffLimit"] = draw(st.integers(0, 6))
    if draw(st.booleans()):
        spec["ttlSecondsAfterFinished"] = draw(st.integers(0, 86400))
    return spec


@st.composite
def job(draw: Draw) -> Obj:
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": meta(draw, True),
        "spec": job_spec(draw),
    }


@st.composite
def cron_job(draw: Draw) -> Obj:
    spec: Obj = {
        "schedule": draw(st.sampled_from(["0 2 * * *", "*/5 * * * *", "@hourly", "0 0 1 1 *"])),
        "jobTemplate": {"spec": job_spec(draw)},
    }
    if draw(st.booleans()):
        spec["concurrencyPolicy"] = draw(st.sampled_from(["Allow", "Forbid", "Replace"]))
    if draw(st.booleans()):
        spec["timeZone"] = draw(st.sampled_from(["Etc/UTC", "Europe/Paris"]))
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": meta(draw, True, LABEL),
        "spec": spec,
    }


@st.composite
def replication_controller(draw: Draw) -> Obj:
    labels = selector_labels(draw)
    spec = {"selector": labels, "template": template(draw, "Always", labels)}
    return {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": meta(draw, True),
        "spec": spec,
    }


@st.composite
def pod_template(draw: Draw) -> Obj:
    body = {"metadata": {"labels": selector_labels(draw)}, "spec": pod_spec(draw)}
    return {
        "apiVersion": "v1",
        "kind": "PodTemplate",
        "metadata": meta(draw, True),
        "template": body,
    }


@st.composite
def service(draw: Draw) -> Obj:
    kind = draw(st.sampled_from(["ClusterIP", "NodePort", "LoadBalancer", "headless"]))
    ports = [
        {"name": "http", "port": draw(PORT), "targetPort": draw(st.one_of(PORT, st.just("http")))}
    ]
    if draw(st.booleans()):
        ports.append({"name": "dns", "port": 53, "protocol": "UDP"})
    spec: Obj = {"selector": selector_labels(draw), "ports": ports}
    if kind == "headless":
        spec["clusterIP"] = "None"
    else:
        spec["type"] = kind
    if kind == "ClusterIP" and draw(st.booleans()):
        spec["sessionAffinity"] = "ClientIP"
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta(draw, True, LABEL),
        "spec": spec,
    }


@st.composite
def config_map(draw: Draw) -> Obj:
    keys = st.from_regex(r"[A-Za-z0-9_.-]{1,20}", fullmatch=True).filter(
        lambda k: k not in (".", "..")
    )
    obj: Obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta(draw, True)}
    # Text in the Basic Multilingual Plane: an astral character is a mistake of its own.
    text = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"]), max_size=30)
    obj["data"] = draw(st.dictionaries(keys, text, max_size=3))
    if draw(st.booleans()):
        obj["binaryData"] = {"blob.bin": b64("\x00\x01binary")}
    return obj


SECRET_TYPES: dict[str, Callable[[Draw], Obj]] = {
    "Opaque": lambda draw: {"password": b64(draw(st.text(max_size=20)))},
    "kubernetes.io/tls": lambda draw: {"tls.crt": b64("CERT"), "tls.key": b64("KEY")},
    "kubernetes.io/dockerconfigjson": lambda draw: {
        ".dockerconfigjson": b64(json.dumps({"auths": {"registry.example.com": {"auth": "eDp5"}}}))
    },
    "kubernetes.io/dockercfg": lambda draw: {".dockercfg": b64(json.dumps({"r.example.com": {}}))},
    "kubernetes.io/basic-auth": lambda draw: {"username": b64(draw(LABEL)), "password": b64("pw")},
    "kubernetes.io/ssh-auth": lambda draw: {"ssh-privatekey": b64("KEY")},
    "kubernetes.io/service-account-token": lambda draw: {},
    "bootstrap.kubernetes.io/token": lambda draw: {"token-id": b64("abcdef")},
}


def secret(kind: str) -> Callable[[], st.SearchStrategy[Obj]]:
    @st.composite
    def build(draw: Draw) -> Obj:
        metadata = meta(draw, True)
        if kind == "kubernetes.io/service-account-token":
            metadata.setdefault("annotations", {})["kubernetes.io/service-account.name"] = "default"
        obj: Obj = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": kind}
        data = SECRET_TYPES[kind](draw)
        if data:
            obj["data"] = data
        return obj

    return build


def pvc_body(draw: Draw, name: str | None = None) -> Obj:
    spec: Obj = {
        "accessModes": draw(
            st.lists(
                st.sampled_from(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany"]),
                min_size=1,
                max_size=2,
                unique=True,
            )
        ),
        "resources": {"requests": {"storage": draw(STORAGE)}},
    }
    if draw(st.booleans()):
        spec["volumeMode"] = draw(st.sampled_from(["Filesystem", "Block"]))
    if draw(st.booleans()):
        spec["storageClassName"] = draw(st.sampled_from(["standard", "fast-ssd", ""]))
    return {"metadata": {"name": name or draw(SUBDOMAIN)}, "spec": spec}


@st.composite
def pvc(draw: Draw) -> Obj:
    body = pvc_body(draw)
    body["metadata"]["namespace"] = draw(NAMESPACES)
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", **body}


@st.composite
def persistent_volume(draw: Draw) -> Obj:
    spec: Obj = {
        "capacity": {"storage": draw(STORAGE)},
        "accessModes": ["ReadWriteOnce"],
        "persistentVolumeReclaimPolicy": draw(st.sampled_from(["Retain", "Delete"])),
    }
    spec.update(
        draw(
            st.sampled_from(
                [
                    {"hostPath": {"path": "/srv/data"}},
                    {"nfs": {"server": "nfs.example.com", "path": "/exports"}},
                    {"csi": {"driver": "ebs.csi.aws.com", "volumeHandle": "vol-1"}},
                ]
            )
        )
    )
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": meta(draw, False),
        "spec": spec,
    }


@st.composite
def ingress(draw: Draw) -> Obj:
    backend = {
        "service": {
            "name": draw(LABEL),
            "port": draw(st.one_of(st.builds(dict, number=PORT), st.just({"name": "http"}))),
        }
    }
    path: Obj = {
        "pathType": draw(st.sampled_from(["Prefix", "Exact", "ImplementationSpecific"])),
        "backend": backend,
    }
    path["path"] = draw(st.sampled_from(["/", "/api", "/v1/items"]))
    rule: Obj = {"http": {"paths": [path]}}
    if draw(st.booleans()):
        rule["host"] = draw(
            st.sampled_from(["shop.example.com", "*.example.com", "a.b.example.org"])
        )
    spec: Obj = {"rules": [rule]}
    if draw(st.booleans()):
        spec["ingressClassName"] = "nginx"
    if "host" in rule and draw(st.booleans()):
        spec["tls"] = [{"hosts": [rule["host"]], "secretName": "site-tls"}]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": meta(draw, True),
        "spec": spec,
    }


@st.composite
def ingress_class(draw: Draw) -> Obj:
    spec: Obj = {
        "controller": draw(st.sampled_from(["k8s.io/ingress-nginx", "example.com/ingress"]))
    }
    if draw(st.booleans()):
        spec["parameters"] = {
            "apiGroup": "k8s.example.com",
            "kind": "IngressParameters",
            "name": "external-lb",
        }
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": meta(draw, False),
        "spec": spec,
    }


@st.composite
def network_policy(draw: Draw) -> Obj:
    port: Obj = {"protocol": draw(st.sampled_from(["TCP", "UDP", "SCTP"])), "port": draw(PORT)}
    if draw(st.booleans()):
        port["endPort"] = min(65535, port["port"] + draw(st.integers(0, 100)))
    peer = draw(
        st.sampled_from(
            [
                {"podSelector": {"matchLabels": {"role": "frontend"}}},
                {"namespaceSelector": {"matchLabels": {"team": "shop"}}},
                {"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.0.1.0/24"]}},
            ]
        )
    )
    spec: Obj = {
        "podSelector": {"matchLabels": selector_labels(draw)},
        "ingress": [{"from": [peer], "ports": [port]}],
    }
    if draw(st.booleans()):
        spec["policyTypes"] = ["Ingress"]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": meta(draw, True),
        "spec": spec,
    }


RBAC = "rbac.authorization.k8s.io/v1"
RULE = st.fixed_dictionaries(
    {
        "apiGroups": st.sampled_from([[""], ["apps"], ["", "batch"]]),
        "resources": st.sampled_from([["pods"], ["deployments", "deployments/scale"], ["*"]]),
        "verbs": st.lists(
            st.sampled_from(["get", "list", "watch", "create", "*"]),
            min_size=1,
            max_size=3,
            unique=True,
        ),
    }
)


def role(kind: str) -> Callable[[], st.SearchStrategy[Obj]]:
    @st.composite
    def build(draw: Draw) -> Obj:
        rules = draw(st.lists(RULE, min_size=1, max_size=2))
        return {
            "apiVersion": RBAC,
            "kind": kind,
            "metadata": meta(draw, kind == "Role"),
            "rules": rules,
        }

    return build


def binding(kind: str) -> Callable[[], st.SearchStrategy[Obj]]:
    @st.composite
    def build(draw: Draw) -> Obj:
        subject = draw(
            st.sampled_from(
                [
                    {"kind": "ServiceAccount", "name": "builder", "namespace": "demo"},
                    {
                        "kind": "User",
                        "name": "jane@example.com",
                        "apiGroup": "rbac.authorization.k8s.io",
                    },
                    {
                        "kind": "Group",
                        "name": "system:authenticated",
                        "apiGroup": "rbac.authorization.k8s.io",
                    },
                ]
            )
        )
        ref_kind = (
            "ClusterRole"
            if kind == "ClusterRoleBinding"
            else draw(st.sampled_from(["Role", "ClusterRole"]))
        )
        return {
            "apiVersion": RBAC,
            "kind": kind,
            "metadata": meta(draw, kind == "RoleBinding"),
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": ref_kind,
                "name": draw(SUBDOMAIN),
            },
            "subjects": [subject],
        }

    return build


@st.composite
def hpa(draw: Draw) -> Obj:
    low = draw(st.integers(1, 5))
    spec: Obj = {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": draw(LABEL)},
        "minReplicas": low,
        "maxReplicas": low + draw(st.integers(0, 20)),
        "metrics": [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {
                        "type": "Utilization",
                        "averageUtilization": draw(st.integers(1, 100)),
                    },
                },
            }
        ],
    }
    if draw(st.booleans()):
        spec["behavior"] = {
            "scaleDown": {
                "policies": [
                    {
                        "type": "Pods",
                        "value": draw(st.integers(1, 5)),
                        "periodSeconds": draw(st.integers(1, 1800)),
                    }
                ],
                "selectPolicy": "Max",
            }
        }
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": meta(draw, True),
        "spec": spec,
    }


@st.composite
def hpa_v1(draw: Draw) -> Obj:
    spec: Obj = {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": draw(LABEL)},
        "maxReplicas": draw(st.integers(1, 10)),
        "targetCPUUtilizationPercentage": draw(st.integers(1, 100)),
    }
    return {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": meta(draw, True),
        "spec": spec,
    }


@st.composite
def pdb(draw: Draw) -> Obj:
    spec: Obj = {"selector": {"matchLabels": selector_labels(draw)}}
    key = draw(st.sampled_from(["minAvailable", "maxUnavailable"]))
    spec[key] = draw(st.one_of(st.integers(0, 5), st.integers(0, 100).map(lambda n: f"{n}%")))
    if draw(st.booleans()):
        spec["unhealthyPodEvictionPolicy"] = draw(
            st.sampled_from(["IfHealthyBudget", "AlwaysAllow"])
        )
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": meta(draw, True),
        "spec": spec,
    }


@st.composite
def limit_range(draw: Draw) -> Obj:
    low = draw(st.integers(1, 100))
    item = {
        "type": "Container",
        "min": {"cpu": f"{low}m"},
        "defaultRequest": {"cpu": f"{low * 2}m"},
        "default": {"cpu": f"{low * 3}m"},
        "max": {"cpu": f"{low * 4}m", "memory": draw(MEMORY)},
    }
    limits: list[Obj] = [item]
    if draw(st.booleans()):
        limits.append({"type": "PersistentVolumeClaim", "max": {"storage": draw(STORAGE)}})
    return {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": meta(draw, True),
        "spec": {"limits": limits},
    }


@st.composite
def resource_quota(draw: Draw) -> Obj:
    hard = draw(
        st.dictionaries(
            st.sampled_from(
                [
                    "pods",
                    "requests.cpu",
                    "limits.memory",
                    "requests.storage",
                    "count/deployments.apps",
                    "services.loadbalancers",
                ]
            ),
            st.integers(0, 100).map(str),
            min_size=1,
            max_size=4,
        )
    )
    spec: Obj = {"hard": hard}
    if draw(st.booleans()) and not any(
        k.startswith(("requests.storage", "count/", "services")) for k in hard
    ):
        spec["scopes"] = [draw(st.sampled_from(["BestEffort", "NotTerminating"]))]
        if "BestEffort" in spec["scopes"]:
            spec["hard"] = {"pods": "10"}
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": meta(draw, True), "spec": spec}


@st.composite
def priority_class(draw: Draw) -> Obj:
    obj: Obj = {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": meta(draw, False),
        "value": draw(st.integers(-1000, 1000000000)),
    }
    if draw(st.booleans()):
        obj["preemptionPolicy"] = draw(st.sampled_from(["PreemptLowerPriority", "Never"]))
    return obj


@st.composite
def namespace(draw: Draw) -> Obj:
    metadata = meta(draw, False, LABEL.map(lambda n: f"gen-{n}"))
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": metadata}


@st.composite
def service_account(draw: Draw) -> Obj:
    obj: Obj = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(draw, True)}
    if draw(st.booleans()):
        obj["automountServiceAccountToken"] = draw(st.booleans())
    if draw(st.booleans()):
        obj["imagePullSecrets"] = [{"name": "registry-credentials"}]
    return obj


@st.composite
def storage_class(draw: Draw) -> Obj:
    obj: Obj = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": meta(draw, False),
        "provisioner": draw(
            st.sampled_from(["ebs.csi.aws.com", "kubernetes.io/no-provisioner", "example.com/nfs"])
        ),
    }
    if draw(st.booleans()):
        obj["reclaimPolicy"] = draw(st.sampled_from(["Retain", "Delete"]))
    if draw(st.booleans()):
        obj["volumeBindingMode"] = draw(st.sampled_from(["Immediate", "WaitForFirstConsumer"]))
    if draw(st.booleans()):
        obj["parameters"] = {"type": "gp3"}
    return obj


@st.composite
def runtime_class(draw: Draw) -> Obj:
    obj: Obj = {
        "apiVersion": "node.k8s.io/v1",
        "kind": "RuntimeClass",
        "metadata": meta(draw, False),
        "handler": draw(LABEL),
    }
    if draw(st.booleans()):
        obj["overhead"] = {"podFixed": {"cpu": draw(CPU), "memory": draw(MEMORY)}}
    return obj


@st.composite
def lease(draw: Draw) -> Obj:
    spec = {"holderIdentity": draw(LABEL), "leaseDurationSeconds": draw(st.integers(1, 60))}
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": meta(draw, True),
        "spec": spec,
    }


@st.composite
def csi_driver(draw: Draw) -> Obj:
    spec: Obj = {"attachRequired": draw(st.booleans())}
    if draw(st.booleans()):
        spec["fsGroupPolicy"] = draw(st.sampled_from(["ReadWriteOnceWithFSType", "File", "None"]))
    metadata = meta(
        draw, False, st.sampled_from(["ebs.csi.aws.com", "nfs.csi.k8s.io", "driver.example.com"])
    )
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "CSIDriver",
        "metadata": metadata,
        "spec": spec,
    }


@st.composite
def endpoint_slice(draw: Draw) -> Obj:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": meta(draw, True),
        "addressType": "IPv4",
        "endpoints": [
            {"addresses": [f"10.1.{draw(st.integers(0, 255))}.{draw(st.integers(1, 254))}"]}
        ],
        "ports": [{"name": "http", "port": draw(PORT), "protocol": "TCP"}],
    }


@st.composite
def crd(draw: Draw) -> Obj:
    plural = draw(LABEL.map(lambda n: f"{n}s"))
    group = draw(st.sampled_from(["example.com", "ops.example.org"]))
    schema = {
        "type": "object",
        "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}},
    }
    scope = draw(st.sampled_from(["Namespaced", "Cluster"]))
    names = {"singular": plural[:-1], "listKind": "WidgetList"}
    return crd_builder.crd(group, "Widget", schema=schema, plural=plural, scope=scope, names=names)


#: Table label -> the strategy of valid objects of that kind.
BASES: dict[str, Callable[[], st.SearchStrategy[Obj]]] = {
    "Pod": pod,
    "Deployment": _workload("Deployment", "Always"),
    "StatefulSet": _workload("StatefulSet", "Always"),
    "DaemonSet": _workload("DaemonSet", "Always"),
    "ReplicaSet": _workload("ReplicaSet", "Always"),
    "Job": job,
    "CronJob": cron_job,
    "ReplicationController": replication_controller,
    "PodTemplate": pod_template,
    "Service": service,
    "ConfigMap": config_map,
    **{f"Secret {kind}": secret(kind) for kind in SECRET_TYPES},
    "PersistentVolumeClaim": pvc,
    "PersistentVolume": persistent_volume,
    "Ingress": ingress,
    "IngressClass": ingress_class,
    "NetworkPolicy": network_policy,
    "Role": role("Role"),
    "ClusterRole": role("ClusterRole"),
    "RoleBinding": binding("RoleBinding"),
    "ClusterRoleBinding": binding("ClusterRoleBinding"),
    "HorizontalPodAutoscaler": hpa,
    "HorizontalPodAutoscaler v1": hpa_v1,
    "PodDisruptionBudget": pdb,
    "LimitRange": limit_range,
    "ResourceQuota": resource_quota,
    "PriorityClass": priority_class,
    "Namespace": namespace,
    "ServiceAccount": service_account,
    "StorageClass": storage_class,
    "RuntimeClass": runtime_class,
    "Lease": lease,
    "CSIDriver": csi_driver,
    "EndpointSlice": endpoint_slice,
    "CustomResourceDefinition": crd,
}
