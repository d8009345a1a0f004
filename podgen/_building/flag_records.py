"""The raw values of `podgen new`'s flags: RunFlags, and PodFlags for podgen's own pod flags.

Generated from the option table (podgen/_model/options.py) by tools/flag_records.py; do not
edit. Each field is an option's `attr` (`pod.X`: PodFlags' X), typed and defaulted as the
option says; a default means "not given".
"""

from __future__ import annotations

from collections.abc import Sequence

from podgen._model.spec import Kind, Pattern, ProbeHandler
from podgen._records import NamedTuple


def _document(record: type, docs: dict[str, str]) -> None:
    for name, doc in docs.items():
        getattr(record, name).__doc__ = doc


class PodFlags(NamedTuple):
    """The raw values of podgen's own pod flags.

    Each field is named after its long flag (`image_pull_policy` for `--image-pull-policy`),
    and takes, by one rule: for a choice, its enum or its value's text (`kind="deployment"`);
    for a number, an int or its decimal text (`replicas=3`, `replicas="3"`), for a port a
    number or text; for a yes/no flag, True or False; for text, a string; for a repeatable
    flag, a list or tuple of strings, or one string as one flag's value (`env="A=1"` is
    `env=["A=1"]`; `args="sleep 10"` is one word, as `-- "sleep 10"` is). Anything else is a
    `podgen.UsageError` naming the flag.
    """

    schedule: str | None = None
    selector: Sequence[str] | str = ()
    pod_labels: Sequence[str] | str = ()
    pod_annotations: Sequence[str] | str = ()
    job_labels: Sequence[str] | str = ()
    job_annotations: Sequence[str] | str = ()
    service_name: str | None = None
    volume_claims: Sequence[str] | str = ()
    max_unavailable: str | int | None = None
    pattern: Pattern | str = Pattern.RUNTIME
    init_image: str | None = None
    init_command: str | None = None
    init_name: str | None = None
    wait_for: Sequence[str] | str = ()
    sidecar_image: str | None = None
    sidecar_command: str | None = None
    sidecar_name: str | None = None
    sidecar_port: int | str | None = None
    native_sidecar: bool | None = None
    shared_path: str | None = None
    helper_path: str | None = None
    volume_name: str | None = None
    probe: ProbeHandler | str = ProbeHandler.NONE
    probe_kinds: str | None = None
    probe_path: str | None = None
    probe_port: str | int | None = None
    probe_command: str | None = None
    initial_delay: int | str | None = None
    period: int | str | None = None
    timeout: int | str | None = None
    success_threshold: int | str | None = None
    failure_threshold: int | str | None = None
    requests: Sequence[str] | str = ()
    limits: Sequence[str] | str = ()
    mounts: Sequence[str] | str = ()
    env_from: Sequence[str] | str = ()
    image_pull_secrets: Sequence[str] | str = ()
    completions: int | str | None = None
    parallelism: int | str | None = None
    backoff_limit: int | str | None = None
    active_deadline: int | str | None = None
    ttl_after_finished: int | str | None = None
    time_zone: str | None = None
    concurrency_policy: str | None = None
    suspend: bool = False
    starting_deadline: int | str | None = None
    successful_history: int | str | None = None
    failed_history: int | str | None = None
    pod_management_policy: str | None = None
    node_selector: Sequence[str] | str = ()
    node_name: str | None = None
    tolerations: Sequence[str] | str = ()
    post_start: str | None = None
    pre_stop: str | None = None
    grace_period: int | str | None = None
    service_account: str | None = None
    secure: bool = False


_document(
    PodFlags,
    {
        "schedule": "--schedule: CronJobs: when to run, a 5-field cron expression or a macro such as @hourly.",
        "selector": "--selector: A label of the selector; default the labels. Repeatable.",
        "pod_labels": "--pod-label: A label of the pods; default the selector (a Job's: its labels). Repeatable.",
        "pod_annotations": "--pod-annotation: An annotation of the pods. Repeatable.",
        "job_labels": "--job-label: CronJobs: a label of the Jobs it makes. Repeatable.",
        "job_annotations": "--job-annotation: CronJobs: an annotation of the Jobs it makes. Repeatable.",
        "service_name": "--service-name: StatefulSets: the governing headless Service [NAME].",
        "volume_claims": "--volume-claim: StatefulSets: a PersistentVolumeClaim per pod, mounted in the app container: NAME=SIZE:PATH or NAME=SIZE:CLASS:PATH (blueprint: volumeClaimTemplates and mounts). Repeatable.",
        "max_unavailable": "--max-unavailable: DaemonSets and StatefulSets: pods that may be down during a rolling update, a number or a percentage (blueprint: updateStrategy).",
        "pattern": "--pattern: Pod design pattern.",
        "init_image": "--init-image: init: the init image [busybox:1.36].",
        "init_command": "--init-command: init: the command, split like a shell [writes index.html to the volume].",
        "init_name": "--init-name: init: container name [init].",
        "wait_for": "--wait-for: Add an init container that waits for a Service's DNS name. Repeatable.",
        "sidecar_image": "--sidecar-image: sidecar: the helper image [busybox:1.36].",
        "sidecar_command": "--sidecar-command: sidecar: the command, split like a shell [tails app.log to stdout].",
        "sidecar_name": "--sidecar-name: sidecar: container name [sidecar].",
        "sidecar_port": "--sidecar-port: sidecar: a port the helper listens on.",
        "native_sidecar": "--native-sidecar: sidecar: run it as a native sidecar (init container, restartPolicy Always); a Job's and a CronJob's always are.",
        "shared_path": "--shared-path: init/sidecar: where the app mounts the shared emptyDir [/data for init, /var/log/app for sidecar].",
        "helper_path": "--helper-path: init/sidecar: where the helper mounts it [the --shared-path].",
        "volume_name": "--volume-name: init/sidecar: the emptyDir's name [shared].",
        "probe": "--probe: Health probe handler for the app.",
        "probe_kinds": "--probe-kinds: Comma separated: liveness, readiness, startup [liveness,readiness].",
        "probe_path": "--probe-path: http probe path [/].",
        "probe_port": "--probe-port: Probe port: a number, or the name of a container port (not for grpc) [the --port, or the one port declared].",
        "probe_command": "--probe-command: exec probe command, split like a shell.",
        "initial_delay": "--initial-delay: Probe initialDelaySeconds.",
        "period": "--period: Probe periodSeconds.",
        "timeout": "--timeout: Probe timeoutSeconds.",
        "success_threshold": "--success-threshold: Probe successThreshold (readiness only >1).",
        "failure_threshold": "--failure-threshold: Probe failureThreshold.",
        "requests": "--requests: Resource requests, e.g. cpu=100m,memory=128Mi. Repeatable.",
        "limits": "--limits: Resource limits, e.g. cpu=500m,memory=256Mi. Repeatable.",
        "mounts": "--mount: Mount a ConfigMap, Secret or PersistentVolumeClaim in the app container: configmap:NAME:PATH, secret:NAME:PATH or pvc:CLAIM:PATH, :ro at the end for read-only (blueprint: volumes and mounts). Repeatable.",
        "env_from": "--env-from: Every key of a ConfigMap or Secret as env: configmap:NAME or secret:NAME (blueprint: envFrom). Repeatable.",
        "image_pull_secrets": "--image-pull-secret: A Secret to pull images with (blueprint: imagePullSecrets). Repeatable.",
        "completions": "--completions: Jobs: successful pods to finish.",
        "parallelism": "--parallelism: Jobs: pods to run at once.",
        "backoff_limit": "--backoff-limit: Jobs: retries before the Job fails.",
        "active_deadline": "--active-deadline: Jobs: seconds the Job may run.",
        "ttl_after_finished": "--ttl-after-finished: Jobs: seconds to keep a finished Job.",
        "time_zone": "--time-zone: CronJobs: the IANA time zone of the schedule.",
        "concurrency_policy": "--concurrency-policy: CronJobs: Allow, Forbid or Replace a run still going.",
        "suspend": "--suspend: CronJobs: make no Jobs until resumed.",
        "starting_deadline": "--starting-deadline: CronJobs: seconds a missed run may start late.",
        "successful_history": "--successful-history: CronJobs: finished Jobs to keep.",
        "failed_history": "--failed-history: CronJobs: failed Jobs to keep.",
        "pod_management_policy": "--pod-management-policy: StatefulSets: OrderedReady (one pod at a time) or Parallel.",
        "node_selector": "--node-selector: A node label to require. Repeatable.",
        "node_name": "--node-name: Run on this node.",
        "tolerations": "--toleration: Tolerate a taint: key[=value]:Effect[:seconds]. Repeatable.",
        "post_start": "--post-start: postStart exec hook, split like a shell.",
        "pre_stop": "--pre-stop: preStop exec hook, split like a shell.",
        "grace_period": "--grace-period: terminationGracePeriodSeconds [30].",
        "service_account": "--service-account: serviceAccountName.",
        "secure": "--secure: Apply the Pod Security Standards 'restricted' profile.",
    },
)


class RunFlags(NamedTuple):
    """The raw values of `podgen new`'s flags.

    Each field is named after its long flag (`image_pull_policy` for `--image-pull-policy`),
    and takes, by one rule: for a choice, its enum or its value's text (`kind="deployment"`);
    for a number, an int or its decimal text (`replicas=3`, `replicas="3"`), for a port a
    number or text; for a yes/no flag, True or False; for text, a string; for a repeatable
    flag, a list or tuple of strings, or one string as one flag's value (`env="A=1"` is
    `env=["A=1"]`; `args="sleep 10"` is one word, as `-- "sleep 10"` is). Anything else is a
    `podgen.UsageError` naming the flag.
    """

    name: str
    image: Sequence[str] | str
    container_name: str | None = None
    port: str | int | None = None
    labels: str = ""
    env: Sequence[str] | str = ()
    restart: str = ""
    command: bool = False
    annotations: Sequence[str] | str = ()
    namespace: str | None = None
    image_pull_policy: str = ""
    privileged: bool = False
    expose: bool | None = None
    kind: Kind | str = Kind.POD
    replicas: int | str | None = None
    args: Sequence[str] | str = ()
    pod: PodFlags = PodFlags()


_document(
    RunFlags,
    {
        "name": "NAME: the pod's (or workload's) name.",
        "image": "--image: The image for the container to run; required unless --from gives one. Deployments and other controllers take several (or a comma list): a container each. Repeatable.",
        "container_name": "--container-name: The app container's name [NAME].",
        "port": "--port: The port that this container exposes.",
        "labels": "--labels: Comma separated labels; replace run=NAME.",
        "env": "--env: An environment variable. Repeatable.",
        "restart": "--restart: Always, OnFailure or Never (default: Always; a Job's Never, a CronJob's OnFailure).",
        "command": "--command: A Pod: use the words after -- as the command, not args.",
        "annotations": "--annotations: An annotation. Repeatable.",
        "namespace": "--namespace: Namespace to write in.",
        "image_pull_policy": "--image-pull-policy: Always, IfNotPresent or Never (default: unset).",
        "privileged": "--privileged: Run the container in privileged mode.",
        "expose": "--expose: Also write a ClusterIP Service (needs --port); a StatefulSet's headless Service is written unless --no-expose.",
        "kind": "--kind: The kind of object that runs the pod.",
        "replicas": "--replicas: How many pods (default 1).",
        "args": "ARGS after --: a Pod's args (its command with command=True), any other kind's command; one string is one word.",
        "pod": "podgen's own flags: patterns, probes, resources, scheduling, lifecycle, --secure.",
    },
)
