"""The typed spec: what podgen is asked to write, before any template sees it.

Front ends (CLI flags today, blueprints later) build these objects; templates only read them.
Defaults live here, each documented where it is set, so no template carries a default of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Kind(StrEnum):
    """The workload podgen writes for `podgen new`."""

    POD = "pod"
    DEPLOYMENT = "deployment"
    STATEFULSET = "statefulset"
    DAEMONSET = "daemonset"
    REPLICASET = "replicaset"
    JOB = "job"
    CRONJOB = "cronjob"

    @property
    def object_kind(self) -> str:
        """The Kubernetes kind it writes: `CronJob` for cronjob."""
        return _OBJECT_KINDS[self]

    @property
    def is_controller(self) -> bool:
        """Whether it keeps a set of pods running (apps/v1).

        podgen writes these the way `kubectl create deployment` writes a Deployment: labels
        app=NAME, a selector, no restartPolicy.
        """
        return self in _CONTROLLERS

    @property
    def is_batch(self) -> bool:
        """Whether its pods run to completion (batch/v1: Job, CronJob)."""
        return self in (Kind.JOB, Kind.CRONJOB)


_OBJECT_KINDS = {
    Kind.POD: "Pod",
    Kind.DEPLOYMENT: "Deployment",
    Kind.JOB: "Job",
    Kind.CRONJOB: "CronJob",
    Kind.STATEFULSET: "StatefulSet",
    Kind.DAEMONSET: "DaemonSet",
    Kind.REPLICASET: "ReplicaSet",
}
_CONTROLLERS = frozenset({Kind.DEPLOYMENT, Kind.STATEFULSET, Kind.DAEMONSET, Kind.REPLICASET})


class OutputFormat(StrEnum):
    """Output formats, as kubectl names them."""

    YAML = "yaml"
    JSON = "json"
    KYAML = "kyaml"


class Pattern(StrEnum):
    """The container roles of the pod design literature."""

    RUNTIME = "runtime"  #: the app container alone
    INIT = "init"  #: an init container prepares a shared volume for the app
    SIDECAR = "sidecar"  #: a helper runs beside the app, sharing a volume


class ProbeHandler(StrEnum):
    """How a probe checks the app container."""

    HTTP = "http"
    TCP = "tcp"
    EXEC = "exec"
    GRPC = "grpc"
    NONE = "none"


PROBE_KINDS = ("liveness", "readiness", "startup")

# Pattern defaults: documented in docs/patterns.md; every one has a flag.
DEFAULT_HELPER_IMAGE = "busybox:1.36"  #: --init-image and --sidecar-image
DEFAULT_VOLUME_NAME = "shared"  #: --volume-name, the emptyDir both containers mount
DEFAULT_INIT_NAME = "init"  #: --init-name
DEFAULT_SIDECAR_NAME = "sidecar"  #: --sidecar-name
DEFAULT_INIT_PATH = "/data"  #: --shared-path for --pattern init
DEFAULT_SIDECAR_PATH = "/var/log/app"  #: --shared-path for --pattern sidecar
#: The file the default sidecar ships; the app writes its log lines there.
DEFAULT_LOG_FILE = "app.log"

#: The default of every map field: shared, so it must not change, and it cannot.
EMPTY: Mapping[str, Any] = MappingProxyType({})

# The spec classes are NamedTuples: immutable and typed like frozen dataclasses, and about
# twenty times cheaper to define, which `podgen new`'s start-up time depends on.


class EnvVar(NamedTuple):
    """One `name=value` environment variable; kubectl omits `value` when it is empty."""

    name: str
    value: str = ""
    #: Or a value taken from elsewhere, as the API writes it: a ConfigMap or Secret key
    #: (configMapKeyRef, secretKeyRef), a pod field (fieldRef), a resource (resourceFieldRef).
    value_from: Mapping[str, Any] | None = None


class Probe(NamedTuple):
    """One health check; timing fields left as None are not written (the API defaults them)."""

    handler: ProbeHandler
    port: int | str | None = None  #: for http, tcp and grpc; a name for http and tcp
    path: str = "/"  #: for http
    command: tuple[str, ...] = ()  #: for exec
    initial_delay: int | None = None
    period: int | None = None
    timeout: int | None = None
    success_threshold: int | None = None
    failure_threshold: int | None = None


class VolumeMount(NamedTuple):
    """A volume mounted into a container."""

    name: str
    mount_path: str


class Toleration(NamedTuple):
    """A toleration; the operator is Equal with a value and Exists without one.

    No key tolerates every taint, no effect every effect (`{operator: Exists}`: everything,
    as node agents' DaemonSets do).
    """

    key: str | None
    effect: str | None
    value: str | None = None
    seconds: int | None = None  #: only with NoExecute

    @property
    def operator(self) -> str:
        """Equal when a value is given, Exists otherwise."""
        return "Exists" if self.value is None else "Equal"


class Container(NamedTuple):
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
    #: The restricted Pod Security Standard's container settings (see PodTemplate.restricted).
    restricted: bool = False
    #: "Always" makes an init container a native sidecar (Kubernetes 1.29+).
    restart_policy: str | None = None
    volume_mounts: tuple[VolumeMount, ...] = ()
    liveness_probe: Probe | None = None
    readiness_probe: Probe | None = None
    startup_probe: Probe | None = None
    #: Resource quantities as the user wrote them, e.g. {"cpu": "100m"}.
    requests: Mapping[str, str] = EMPTY
    limits: Mapping[str, str] = EMPTY
    #: exec lifecycle hooks; empty leaves the hook out.
    post_start: tuple[str, ...] = ()
    pre_stop: tuple[str, ...] = ()
    #: kubectl writes `resources: {}` when there are none; a plain manifest does not.
    kubectl_skeleton: bool = True


class PodTemplate(NamedTuple):
    """What a Pod and a Deployment's pod template have in common."""

    containers: tuple[Container, ...]
    labels: Mapping[str, str]
    #: kubectl run writes restartPolicy and dnsPolicy; kubectl create deployment writes neither.
    restart_policy: str | None = "Always"
    #: ClusterFirst is also the API server's default; kubectl run writes it out.
    dns_policy: str | None = "ClusterFirst"
    init_containers: tuple[Container, ...] = ()
    #: Names of emptyDir volumes.
    volumes: tuple[str, ...] = ()
    node_selector: Mapping[str, str] = EMPTY
    node_name: str | None = None
    tolerations: tuple[Toleration, ...] = ()
    #: terminationGracePeriodSeconds; None leaves the API default (30 s).
    grace_period: int | None = None
    service_account: str | None = None
    #: The restricted Pod Security Standard: runAsNonRoot and a RuntimeDefault seccomp profile
    #: on the pod, and no privilege escalation and no capabilities in every container.
    restricted: bool = False
    #: Blueprint words written as the API has them (PodRequest.words), put in place first.
    words: Mapping[str, Any] = EMPTY
    #: Merged into the rendered pod spec (PodRequest.overrides).
    overrides: Mapping[str, Any] = EMPTY
    #: kubectl's empty `status: {}` (and a Deployment's `strategy: {}`); see PodRequest.
    kubectl_skeleton: bool = True


class Pod(NamedTuple):
    """A Pod object."""

    name: str
    template: PodTemplate
    namespace: str | None = None
    annotations: Mapping[str, str] = EMPTY


class Deployment(NamedTuple):
    """A Deployment: its own labels, its selector, and its pod template (with the pods' labels)."""

    name: str
    template: PodTemplate
    labels: Mapping[str, str]
    #: matchLabels; kubectl create deployment's is its labels.
    selector: Mapping[str, str]
    #: kubectl create deployment always writes replicas, 1 unless told otherwise; None (a
    #: plain skeleton, nothing asked) leaves it to the API server's default, 1.
    replicas: int | None = 1
    namespace: str | None = None
    annotations: Mapping[str, str] = EMPTY
    pod_annotations: Mapping[str, str] = EMPTY


class ServicePort(NamedTuple):
    """One port of a Service."""

    port: int
    #: The port on the pods: a number, or the name of a container port; None leaves it out
    #: (a plain skeleton's port that did not write it: the API server defaults it to `port`).
    target_port: int | str | None
    #: None leaves it out (a plain skeleton's port that did not write it: the API's TCP).
    protocol: str | None = "TCP"
    name: str | None = None
    #: NodePort and LoadBalancer Services: the port on every node; None lets the server pick.
    node_port: int | None = None
    app_protocol: str | None = None


class Service(NamedTuple):
    """A Service: in front of pods chosen by label, selector-less, or an ExternalName alias."""

    name: str
    #: None: no selector at all (kubectl run --expose always writes one).
    selector: Mapping[str, str] | None
    ports: tuple[ServicePort, ...]
    #: kubectl run --expose copies only labels the user asked for (none by default).
    labels: Mapping[str, str] = EMPTY
    namespace: str | None = None
    #: None leaves the API default, ClusterIP.
    type: str | None = None
    #: "None" for a headless Service, or an address; None lets the API server assign one.
    cluster_ip: str | None = None
    #: SingleStack, PreferDualStack or RequireDualStack; None lets the API server choose.
    ip_family_policy: str | None = None
    ip_families: tuple[str, ...] = ()
    annotations: Mapping[str, str] = EMPTY
    #: ExternalName Services: the DNS name they alias.
    external_name: str | None = None
    session_affinity: str | None = None
    external_traffic_policy: str | None = None
    internal_traffic_policy: str | None = None
    publish_not_ready_addresses: bool | None = None
    load_balancer_source_ranges: tuple[str, ...] = ()
    #: kubectl's empty `status: {loadBalancer: {}}`.
    kubectl_skeleton: bool = True


class Namespace(NamedTuple):
    """A Namespace object."""

    name: str
    labels: Mapping[str, str] = EMPTY
    annotations: Mapping[str, str] = EMPTY
    #: kubectl's empty `spec: {}` and `status: {}`.
    kubectl_skeleton: bool = True


class ProbeRequest(NamedTuple):
    """The probe a user asks for; None fields take the documented defaults."""

    type: ProbeHandler = ProbeHandler.NONE
    #: Default: liveness and readiness, as people usually use the two together.
    kinds: tuple[str, ...] | None = None
    path: str | None = None  #: http only; default /
    #: A number, or a container port's name; default: the app's port, or the one `ports` has.
    port: int | str | None = None
    command: tuple[str, ...] | None = None  #: exec only
    initial_delay: int | None = None
    period: int | None = None
    timeout: int | None = None
    success_threshold: int | None = None
    failure_threshold: int | None = None


class PodRequest(NamedTuple):
    """One pod (or Deployment) as a user asks for it, through flags or a blueprint entry.

    This is the one spec model behind both front ends. Fields are typed and parsed, but not
    yet checked against each other; `_building.build.build_manifests` does that. Errors name fields
    by their blueprint keys (`sidecar.native`), which the CLI shows as flags.
    """

    name: str
    image: str
    kind: Kind = Kind.POD
    #: The app container's name; default the pod's name (kubectl run) or the image's
    #: (kubectl create deployment).
    container_name: str | None = None
    #: Controllers (`--image A --image B`): more containers after the app's, one per image,
    #: each named after its image, as kubectl create deployment writes several images.
    more_images: tuple[str, ...] = ()
    #: Deployments, StatefulSets and ReplicaSets; None means 1, as kubectl create deployment
    #: writes.
    replicas: int | None = None
    port: int | None = None
    #: None means the default label: run=NAME for a Pod, app=NAME for a Deployment;
    #: an empty map means no labels at all.
    labels: Mapping[str, str] | None = None
    annotations: Mapping[str, str] = EMPTY
    env: tuple[EnvVar, ...] = ()
    command: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    #: None: the kind's default (Always; a Job's Never, a CronJob's OnFailure, as kubectl).
    restart: str | None = None
    #: CronJobs: when to run (a 5-field cron expression or a macro).
    schedule: str | None = None
    image_pull_policy: str | None = None
    privileged: bool = False
    namespace: str | None = None
    #: Add a ClusterIP Service for `port`, as kubectl run --expose does; a StatefulSet's is its
    #: governing headless Service. None: the kind's default (a StatefulSet's is written).
    expose: bool | None = None
    #: StatefulSets: the governing Service's name; None: the StatefulSet's name.
    service_name: str | None = None
    pattern: Pattern = Pattern.RUNTIME
    init_image: str | None = None
    init_command: tuple[str, ...] | None = None
    init_name: str | None = None
    sidecar_image: str | None = None
    sidecar_command: tuple[str, ...] | None = None
    sidecar_name: str | None = None
    sidecar_port: int | None = None
    #: None: native for a Job or CronJob (a plain sidecar never ends, nor would the Job),
    #: plain for the other kinds.
    native_sidecar: bool | None = None
    shared_path: str | None = None
    helper_path: str | None = None
    volume_name: str | None = None
    wait_for: tuple[str, ...] = ()
    probe: ProbeRequest = ProbeRequest()
    requests: Mapping[str, str] = EMPTY
    limits: Mapping[str, str] = EMPTY
    #: Deployments, StatefulSets, DaemonSets and ReplicaSets: the selector; empty means the
    #: default, the labels.
    selector: Mapping[str, str] = EMPTY
    #: Every kind with a pod template: the pods' own labels and annotations; None means the
    #: default (a controller's selector; a Job's or CronJob's labels), `{}` no labels.
    pod_labels: Mapping[str, str] | None = None
    pod_annotations: Mapping[str, str] = EMPTY
    #: CronJobs: the labels and annotations of the Jobs it makes (jobTemplate.metadata).
    job_labels: Mapping[str, str] = EMPTY
    job_annotations: Mapping[str, str] = EMPTY
    node_selector: Mapping[str, str] = EMPTY
    node_name: str | None = None
    tolerations: tuple[Toleration, ...] = ()
    post_start: tuple[str, ...] = ()
    pre_stop: tuple[str, ...] = ()
    grace_period: int | None = None
    service_account: str | None = None
    secure: bool = False
    #: The words of `words.WORDS` given (securityContext, affinity, volumes, mounts, more
    #: containers, ...), by blueprint key, each as the API writes the field.
    words: Mapping[str, Any] = EMPTY
    #: Fields the DSL has no word for, merged into the pod spec (maps merge, lists of named
    #: items merge by name, other lists are replaced).
    overrides: Mapping[str, Any] = EMPTY
    #: kubectl's skeleton (dnsPolicy and restartPolicy written out, `resources: {}`,
    #: `status: {}`), as `podgen new` writes; False writes a plain manifest without it
    #: (a blueprint's `skeleton: plain`).
    kubectl_skeleton: bool = True


class Verbatim(NamedTuple):
    """An object written out in full in a blueprint (`objects:`).

    For kinds podgen has no words for (ConfigMap, Secret, PersistentVolumeClaim, Ingress, RBAC,
    ...): written as it is, after the same checks as every other object.
    """

    document: Mapping[str, Any]


class Job(NamedTuple):
    """A Job, shaped like `kubectl create job NAME --image IMAGE [-- COMMAND...]`."""

    name: str
    template: PodTemplate
    namespace: str | None = None
    labels: Mapping[str, str] = EMPTY
    annotations: Mapping[str, str] = EMPTY
    pod_annotations: Mapping[str, str] = EMPTY


class CronJob(NamedTuple):
    """A CronJob, shaped like `kubectl create cronjob NAME --image IMAGE --schedule CRON`."""

    name: str
    template: PodTemplate
    schedule: str
    namespace: str | None = None
    labels: Mapping[str, str] = EMPTY
    annotations: Mapping[str, str] = EMPTY
    pod_annotations: Mapping[str, str] = EMPTY
    #: jobTemplate.metadata: the labels and annotations of the Jobs it makes.
    job_labels: Mapping[str, str] = EMPTY
    job_annotations: Mapping[str, str] = EMPTY


class StatefulSet(NamedTuple):
    """A StatefulSet, written as `kubectl create deployment` would write one if it could.

    Its volumeClaimTemplates are blueprint words (`--volume-claim` writes them).
    """

    name: str
    template: PodTemplate
    labels: Mapping[str, str]
    selector: Mapping[str, str]
    #: The governing Service that gives each pod its DNS name (NAME-0.SERVICE...).
    service_name: str
    replicas: int | None = 1
    namespace: str | None = None
    annotations: Mapping[str, str] = EMPTY
    pod_annotations: Mapping[str, str] = EMPTY


class DaemonSet(NamedTuple):
    """A DaemonSet: one pod on every (matching) node; no replicas."""

    name: str
    template: PodTemplate
    labels: Mapping[str, str]
    selector: Mapping[str, str]
    namespace: str | None = None
    annotations: Mapping[str, str] = EMPTY
    pod_annotations: Mapping[str, str] = EMPTY


class ReplicaSet(NamedTuple):
    """A bare ReplicaSet (Deployments make their own): replicas of one pod template."""

    name: str
    template: PodTemplate
    labels: Mapping[str, str]
    selector: Mapping[str, str]
    replicas: int | None = 1
    namespace: str | None = None
    annotations: Mapping[str, str] = EMPTY
    pod_annotations: Mapping[str, str] = EMPTY


#: The kinds that keep a set of pods running, with a selector and a pod template.
Controller = Deployment | StatefulSet | DaemonSet | ReplicaSet
Workload = Pod | Deployment | Job | CronJob | StatefulSet | DaemonSet | ReplicaSet
Manifest = Workload | Service | Namespace | Verbatim
