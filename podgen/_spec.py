"""The typed spec: what podgen is asked to write, before any template sees it.

Front ends (CLI flags today, blueprints later) build these objects; templates only read them.
Defaults live here, each documented where it is set, so no template carries a default of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """The workload podgen writes for `podgen new`."""

    POD = "pod"
    DEPLOYMENT = "deployment"


class OutputFormat(StrEnum):
    """Output formats, as kubectl names them."""

    YAML = "yaml"
    JSON = "json"


RESTART_POLICIES = ("Always", "OnFailure", "Never")
IMAGE_PULL_POLICIES = ("Always", "IfNotPresent", "Never")


@dataclass(frozen=True)
class EnvVar:
    """One `name=value` environment variable; kubectl omits `value` when it is empty."""

    name: str
    value: str = ""


@dataclass(frozen=True)
class Container:
    """One container of a pod."""

    name: str
    image: str
    command: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    #: containerPort values; kubectl run sets at most one.
    ports: tuple[int, ...] = ()
    env: tuple[EnvVar, ...] = ()
    #: None leaves the field out, so the API server defaults it (Always for :latest).
    image_pull_policy: str | None = None
    #: True adds `securityContext.privileged: true`; False leaves securityContext out.
    privileged: bool = False


@dataclass(frozen=True)
class PodTemplate:
    """What a Pod and a Deployment's pod template have in common."""

    containers: tuple[Container, ...]
    labels: dict[str, str]
    #: kubectl run writes restartPolicy and dnsPolicy; kubectl create deployment writes neither.
    restart_policy: str | None = "Always"
    #: ClusterFirst is also the API server's default; kubectl run writes it out.
    dns_policy: str | None = "ClusterFirst"


@dataclass(frozen=True)
class Pod:
    """A Pod object."""

    name: str
    template: PodTemplate
    namespace: str | None = None
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Deployment:
    """A Deployment whose selector is its pod template's labels."""

    name: str
    template: PodTemplate
    labels: dict[str, str]
    #: kubectl create deployment always writes replicas, 1 unless told otherwise.
    replicas: int = 1
    namespace: str | None = None
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Service:
    """A ClusterIP Service in front of one port of a workload."""

    name: str
    selector: dict[str, str]
    port: int
    #: The port on the pod; kubectl run --expose uses the same number as `port`.
    target_port: int
    #: kubectl run --expose copies only labels the user asked for (none by default).
    labels: dict[str, str] = field(default_factory=dict)
    namespace: str | None = None
    protocol: str = "TCP"


Workload = Pod | Deployment
Manifest = Pod | Deployment | Service
