"""The raw values of `podgen new`'s flags: RunFlags, and PodFlags for podgen's own pod flags.

Generated from the option table (podgen/_model/options.py) by tools/flag_records.py; do not
edit. Each field is an option's `attr` (`pod.X`: PodFlags' X), typed and defaulted as the
option says; a default means "not given".
"""

from __future__ import annotations

from collections.abc import Sequence

from podgen._model.spec import Kind, Pattern, ProbeHandler
from podgen._records import NamedTuple


class PodFlags(NamedTuple):
    """The raw values of podgen's own pod flags."""

    #: --schedule: CronJobs: when to run, a 5-field cron expression or a macro such as @hourly.
    schedule: str | None = None
    #: --selector: A label of the selector; default the labels. Repeatable.
    selector: Sequence[str] = ()
    #: --pod-label: A label of the pods; default the selector. Repeatable.
    pod_labels: Sequence[str] = ()
    #: --pod-annotation: An annotation of the pods. Repeatable.
    pod_annotations: Sequence[str] = ()
    #: --service-name: StatefulSets: the governing headless Service [NAME].
    service_name: str | None = None
    #: --volume-claim: StatefulSets: a PersistentVolumeClaim per pod, mounted in the app
    #: container: NAME=SIZE:PATH or NAME=SIZE:CLASS:PATH (blueprint: volumeClaimTemplates and
    #: mounts). Repeatable.
    volume_claims: Sequence[str] = ()
    #: --max-unavailable: DaemonSets and StatefulSets: pods that may be down during a rolling
    #: update, a number or a percentage (blueprint: updateStrategy).
    max_unavailable: str | None = None
    #: --pattern: Pod design pattern.
    pattern: Pattern = Pattern.RUNTIME
    #: --init-image: init: the init image [busybox:1.36].
    init_image: str | None = None
    #: --init-command: init: the command, split like a shell [writes index.html to the volume].
    init_command: str | None = None
    #: --init-name: init: container name [init].
    init_name: str | None = None
    #: --wait-for: Add an init container that waits for a Service's DNS name. Repeatable.
    wait_for: Sequence[str] = ()
    #: --sidecar-image: sidecar: the helper image [busybox:1.36].
    sidecar_image: str | None = None
    #: --sidecar-command: sidecar: the command, split like a shell [tails app.log to stdout].
    sidecar_command: str | None = None
    #: --sidecar-name: sidecar: container name [sidecar].
    sidecar_name: str | None = None
    #: --sidecar-port: sidecar: a port the helper listens on.
    sidecar_port: int | None = None
    #: --native-sidecar: sidecar: run it as a native sidecar (init container, restartPolicy
    #: Always).
    native_sidecar: bool = False
    #: --shared-path: init/sidecar: where the app mounts the shared emptyDir [/data for init,
    #: /var/log/app for sidecar].
    shared_path: str | None = None
    #: --helper-path: init/sidecar: where the helper mounts it [the --shared-path].
    helper_path: str | None = None
    #: --volume-name: init/sidecar: the emptyDir's name [shared].
    volume_name: str | None = None
    #: --probe: Health probe handler for the app.
    probe: ProbeHandler = ProbeHandler.NONE
    #: --probe-kinds: Comma separated: liveness, readiness, startup [liveness,readiness].
    probe_kinds: str | None = None
    #: --probe-path: http probe path [/].
    probe_path: str | None = None
    #: --probe-port: Probe port [the --port].
    probe_port: int | None = None
    #: --probe-command: exec probe command, split like a shell.
    probe_command: str | None = None
    #: --initial-delay: Probe initialDelaySeconds.
    initial_delay: int | None = None
    #: --period: Probe periodSeconds.
    period: int | None = None
    #: --timeout: Probe timeoutSeconds.
    timeout: int | None = None
    #: --success-threshold: Probe successThreshold (readiness only >1).
    success_threshold: int | None = None
    #: --failure-threshold: Probe failureThreshold.
    failure_threshold: int | None = None
    #: --requests: Resource requests, e.g. cpu=100m,memory=128Mi. Repeatable.
    requests: Sequence[str] | str = ()
    #: --limits: Resource limits, e.g. cpu=500m,memory=256Mi. Repeatable.
    limits: Sequence[str] | str = ()
    #: --mount: Mount a ConfigMap, Secret or PersistentVolumeClaim in the app container:
    #: configmap:NAME:PATH, secret:NAME:PATH or pvc:CLAIM:PATH, :ro at the end for read-only
    #: (blueprint: volumes and mounts). Repeatable.
    mounts: Sequence[str] = ()
    #: --env-from: Every key of a ConfigMap or Secret as env: configmap:NAME or secret:NAME
    #: (blueprint: envFrom). Repeatable.
    env_from: Sequence[str] = ()
    #: --image-pull-secret: A Secret to pull images with (blueprint: imagePullSecrets).
    #: Repeatable.
    image_pull_secrets: Sequence[str] = ()
    #: --completions: Jobs: successful pods to finish.
    completions: int | None = None
    #: --parallelism: Jobs: pods to run at once.
    parallelism: int | None = None
    #: --backoff-limit: Jobs: retries before the Job fails.
    backoff_limit: int | None = None
    #: --active-deadline: Jobs: seconds the Job may run.
    active_deadline: int | None = None
    #: --ttl-after-finished: Jobs: seconds to keep a finished Job.
    ttl_after_finished: int | None = None
    #: --time-zone: CronJobs: the IANA time zone of the schedule.
    time_zone: str | None = None
    #: --concurrency-policy: CronJobs: Allow, Forbid or Replace a run still going.
    concurrency_policy: str | None = None
    #: --suspend: CronJobs: make no Jobs until resumed.
    suspend: bool = False
    #: --starting-deadline: CronJobs: seconds a missed run may start late.
    starting_deadline: int | None = None
    #: --successful-history: CronJobs: finished Jobs to keep.
    successful_history: int | None = None
    #: --failed-history: CronJobs: failed Jobs to keep.
    failed_history: int | None = None
    #: --pod-management-policy: StatefulSets: OrderedReady (one pod at a time) or Parallel.
    pod_management_policy: str | None = None
    #: --node-selector: A node label to require (repeatable). Repeatable.
    node_selector: Sequence[str] = ()
    #: --node-name: Run on this node.
    node_name: str | None = None
    #: --toleration: Tolerate a taint: key[=value]:Effect[:seconds]. Repeatable.
    tolerations: Sequence[str] = ()
    #: --post-start: postStart exec hook, split like a shell.
    post_start: str | None = None
    #: --pre-stop: preStop exec hook, split like a shell.
    pre_stop: str | None = None
    #: --grace-period: terminationGracePeriodSeconds [30].
    grace_period: int | None = None
    #: --service-account: serviceAccountName.
    service_account: str | None = None
    #: --secure: Apply the Pod Security Standards 'restricted' profile.
    secure: bool = False


class RunFlags(NamedTuple):
    """The raw values of `podgen new`'s flags, as typed."""

    #: NAME: the pod's (or workload's) name.
    name: str
    #: --image: The image for the container to run; required unless --from gives one.
    image: str
    #: --container-name: The app container's name [NAME].
    container_name: str | None = None
    #: --port: The port that this container exposes.
    port: str | None = None
    #: --labels: Comma separated labels; replace run=NAME.
    labels: str = ""
    #: --env: An environment variable. Repeatable.
    env: Sequence[str] = ()
    #: --restart: Always, OnFailure or Never (default: Always; a Job's Never, a CronJob's
    #: OnFailure).
    restart: str = ""
    #: --command: Use the words after -- as the command, not args.
    command: bool = False
    #: --annotations: An annotation. Repeatable.
    annotations: Sequence[str] = ()
    #: --namespace: Namespace to write in.
    namespace: str | None = None
    #: --image-pull-policy: Always, IfNotPresent or Never (default: unset).
    image_pull_policy: str = ""
    #: --privileged: Run the container in privileged mode.
    privileged: bool = False
    #: --expose: Also write a ClusterIP Service (needs --port); a StatefulSet's headless Service
    #: is written unless --no-expose.
    expose: bool | None = None
    #: --kind: The kind of object that runs the pod.
    kind: Kind = Kind.POD
    #: --replicas: How many pods (default 1).
    replicas: int | None = None
    #: ARGS after --: the container's args (or command).
    args: Sequence[str] = ()
    #: podgen's own flags: patterns, probes, resources, scheduling, lifecycle, --secure.
    pod: PodFlags = PodFlags()
