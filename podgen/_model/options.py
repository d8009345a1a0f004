"""Every option of `podgen new`, declared once; the front ends are derived from this table.

Each `Option` gives its flags, the blueprint key it corresponds to, its type, default and
choices, whether it repeats, its help, and the kinds it applies to. From it come: the Typer
command (`_front.cli`), the lean start-up parser (`_front.argv`), the blueprint schema and
loader (`_blueprint.schema`, `_blueprint.loader`), the flag <-> blueprint key mapping in
error messages and for `new --from` (`_building.flags`), the library's RunFlags and PodFlags
(`tools/flag_records.py`), and the flag table in docs/new.md (`words.markdown_table`, both
checked fresh by tests/test_options.py).

This module imports next to nothing of podgen's: the lean start-up path reads it on every run.
"""

from __future__ import annotations

from podgen._model.versions import NEWEST, SUPPORTED
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: JSON Schema fragments for blueprint values.
STRING: dict[str, Any] = {"type": "string"}
STRING_MAP: dict[str, Any] = {"type": "object", "additionalProperties": STRING}
STRINGS: dict[str, Any] = {"type": "array", "items": STRING}
COMMAND: dict[str, Any] = {
    "description": "A list of words, or one string split the way a shell splits it.",
    "oneOf": [{"type": "string"}, STRINGS],
}
PORT: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": 65535}
#: A probe's port: a number, or the name of a port the container declares (as the API takes).
PORT_OR_NAME: dict[str, Any] = {"oneOf": [PORT, STRING]}
QUANTITIES: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}]},
}
SECONDS: dict[str, Any] = {"type": "integer", "minimum": 0}
PROBE_KINDS: dict[str, Any] = {
    "type": "array",
    "items": {"enum": ["liveness", "readiness", "startup"]},
}
TOLERATIONS: dict[str, Any] = {
    "type": "array",
    "items": {
        "oneOf": [
            STRING,
            {
                "type": "object",
                "description": "One toleration.",
                "properties": {
                    "key": {**STRING, "description": "Without one: every taint."},
                    "operator": {
                        "enum": ["Exists", "Equal"],
                        "description": "Exists without a value, Equal with one (the default).",
                    },
                    "value": STRING,
                    "effect": {
                        "enum": ["NoSchedule", "PreferNoSchedule", "NoExecute"],
                        "description": "Without one: every effect.",
                    },
                    "seconds": SECONDS,
                },
                "additionalProperties": False,
            },
        ]
    },
}
ENV: dict[str, Any] = {
    "oneOf": [
        STRING_MAP,
        {
            "type": "array",
            "items": {
                "type": "object",
                "description": "One variable: a value, or valueFrom (configMapKeyRef, "
                "secretKeyRef, fieldRef, resourceFieldRef) as the API writes it.",
                "properties": {"name": STRING, "value": STRING, "valueFrom": {"type": "object"}},
                "additionalProperties": False,
                "required": ["name"],
            },
        },
    ],
}

#: The option types: text, a whole number, a switch, or one of `choices`.
STR, INT, BOOL, CHOICE = "str", "int", "bool", "choice"
_JSON = {STR: "string", INT: "integer", BOOL: "boolean"}
#: The kinds of object an option can shape.
POD_KINDS = ("pod", "deployment", "statefulset", "daemonset", "replicaset", "job", "cronjob")
#: The kinds that keep a set of pods running by a selector (`Kind.is_controller`).
CONTROLLER_KINDS = ("deployment", "statefulset", "daemonset", "replicaset")
#: The kinds whose pods come from a pod template (`podLabels`, `podAnnotations`).
TEMPLATE_KINDS = (*CONTROLLER_KINDS, "job", "cronjob")


class Option(NamedTuple):
    """One option of `podgen new` (and `podgen scaffold`, which takes the same)."""

    flags: tuple[str, ...]  #: the long flag first, then any short one
    param: str  #: the parameter's name in the parsed command line
    help: str
    type: str = STR
    default: Any = None  #: what "not given" means; switches are False
    choices: tuple[str, ...] = ()
    repeatable: bool = False  #: given again, it adds a value instead of being refused
    metavar: str | None = None
    #: The blueprint key (`probe.port`) it corresponds to; None: the command line's only.
    key: str | None = None
    #: The PodRequest field it sets, for `new --from` (`probe.port`: a ProbeRequest field).
    field: str | None = None
    #: Where `RunFlags` keeps its raw value (`pod.` for PodFlags).
    attr: str | None = None
    kinds: tuple[str, ...] = POD_KINDS
    #: The JSON Schema of the blueprint value, where the type alone does not say it.
    schema: dict[str, Any] | None = None
    #: The blueprint key's description, where the flag's help does not fit it.
    key_help: str | None = None
    #: The `WORDS` key a flag of a field the API defines sets (`--backoff-limit`: backoffLimit).
    word: str | None = None
    #: The `WORDS` keys a flag whose values are parsed into words writes (`--mount`: mounts and
    #: volumes; `_building.word_flags` parses them). Messages about the first name this flag.
    writes: tuple[str, ...] = ()
    #: Values shell completion offers (the option is not limited to them).
    completions: tuple[str, ...] = ()

    def key_schema(self) -> dict[str, Any]:
        """The blueprint value's JSON Schema, with its description."""
        schema = self.schema
        if schema is None:
            schema = {"enum": list(self.choices)} if self.choices else {"type": _JSON[self.type]}
        return {**schema, "description": self.key_help or self.help}

    @property
    def flag(self) -> str:
        """The long flag, which messages use."""
        return self.flags[0]


def _o(
    flags: str | tuple[str, ...],
    param: str,
    help: str,
    *,
    key: str | None = None,
    field: str | None = None,
    attr: str | None = None,
    pod: bool = False,
    **rest: Any,
) -> Option:
    """An Option; `pod` options keep their raw value in PodFlags and set the field `param`."""
    names = (flags,) if isinstance(flags, str) else flags
    if rest.get("writes"):
        field = "words"
    if attr is None and key is not None:
        attr = f"pod.{param}" if pod else param
    if field is None and key is not None:
        field = param
    return Option(names, param, help, key=key, field=field, attr=attr, **rest)


# fmt: off
OPTIONS: tuple[Option, ...] = (
    _o("--image", "image", "The image for the container to run; required unless --from gives one. "
       "Deployments and other controllers take several (or a comma list): a container each.",
       repeatable=True, metavar="IMAGE", key="image", schema=STRING,
       key_help="The app container's image."),
    _o("--from", "from_",
       "Start from a blueprint's pod (file or built-in name); flags override it.",
       metavar="BLUEPRINT"),
    _o("--container-name", "container_name", "The app container's name [NAME].", metavar="NAME",
       key="containerName", key_help="The app container's name (default: the pod's name)."),
    _o("--port", "port", "The port that this container exposes.", metavar="PORT", key="port",
       schema=PORT, key_help="The port the app listens on."),
    _o(("--labels", "-l"), "labels", "Comma separated labels; replace run=NAME.", default="",
       metavar="K=V,...", key="labels", schema=STRING_MAP,
       key_help="Pod labels (default run: NAME, or app: NAME for a Deployment; {} for none)."),
    _o("--env", "env", "An environment variable.", repeatable=True, metavar="NAME=VALUE",
       key="env", schema=ENV, key_help="Environment variables: a map, or a list of {name, value}."),
    _o("--restart", "restart", "Always, OnFailure or Never (default: Always; a Job's Never, a "
       "CronJob's OnFailure).", default="", metavar="POLICY", key="restart",
       schema={"enum": ["Always", "OnFailure", "Never"]}, key_help="restartPolicy."),
    _o("--command", "command", "A Pod: use the words after -- as the command, not args.", type=BOOL,
       default=False, field="command", attr="command"),
    _o("--annotations", "annotations", "An annotation.", repeatable=True, metavar="KEY=VALUE",
       key="annotations", schema=STRING_MAP, key_help="Annotations."),
    _o(("--namespace", "-n"), "namespace", "Namespace to write in.", metavar="NAMESPACE",
       key="namespace", key_help="Namespace (default: the blueprint's)."),
    _o("--image-pull-policy", "image_pull_policy",
       "Always, IfNotPresent or Never (default: unset).", default="", metavar="POLICY",
       key="imagePullPolicy", schema={"enum": ["Always", "IfNotPresent", "Never"]},
       key_help="imagePullPolicy."),
    _o("--privileged", "privileged", "Run the container in privileged mode.", type=BOOL,
       default=False, key="privileged", key_help="Run the app container privileged."),
    _o("--expose", "expose", "Also write a ClusterIP Service (needs --port); a StatefulSet's "
       "headless Service is written unless --no-expose.", type=BOOL, key="expose",
       key_help="Add a ClusterIP Service for `port` (a StatefulSet: its headless Service, "
       "written unless false)."),
    _o(("--output", "-o"), "output", "Output format.", type=CHOICE, default="yaml",
       choices=("yaml", "json", "kyaml")),
    _o("--dry-run", "dry_run", "Accepted for kubectl compatibility; only 'client'.",
       default="client", metavar="MODE"),
    _o("--k8s-version", "k8s_version", f"The Kubernetes release the cluster runs, e.g. 1.30 "
       f"({SUPPORTED[0]} to {NEWEST}, default {NEWEST}): a field that release does not have is "
       "refused; what is written does not change.", metavar="X.Y", completions=SUPPORTED),
    _o("--kind", "kind", "The kind of object that runs the pod.", type=CHOICE,
       default="pod", choices=POD_KINDS, key="kind",
       key_help="The kind of object that runs the pod (default pod)."),
    _o("--schedule", "schedule", "CronJobs: when to run, a 5-field cron expression or a macro "
       "such as @hourly.", metavar="CRON", key="schedule", kinds=("cronjob",), pod=True),
    _o("--replicas", "replicas", "How many pods (default 1).", type=INT, metavar="N",
       key="replicas", schema={"type": "integer", "minimum": 0},
       key_help="How many pods (default 1).", kinds=("deployment", "statefulset", "replicaset")),
    _o("--selector", "selector", "A label of the selector; default the labels.",
       repeatable=True, metavar="KEY=VALUE", key="selector", schema=STRING_MAP,
       key_help="The selector (matchLabels); default the labels.", kinds=CONTROLLER_KINDS,
       pod=True),
    _o("--pod-label", "pod_labels", "A label of the pods; default the selector (a Job's: "
       "its labels).", repeatable=True, metavar="KEY=VALUE", key="podLabels", schema=STRING_MAP,
       key_help="The labels of the pods; default the selector (a Job's and a CronJob's: its "
       "labels).", kinds=TEMPLATE_KINDS, pod=True),
    _o("--pod-annotation", "pod_annotations", "An annotation of the pods.",
       repeatable=True, metavar="KEY=VALUE", key="podAnnotations", schema=STRING_MAP,
       key_help="The annotations of the pods.", kinds=TEMPLATE_KINDS, pod=True),
    _o("--job-label", "job_labels", "CronJobs: a label of the Jobs it makes.",
       repeatable=True, metavar="KEY=VALUE", key="jobLabels", schema=STRING_MAP,
       key_help="The labels of the Jobs it makes (jobTemplate.metadata.labels).",
       kinds=("cronjob",), pod=True),
    _o("--job-annotation", "job_annotations", "CronJobs: an annotation of the Jobs it makes.",
       repeatable=True, metavar="KEY=VALUE", key="jobAnnotations", schema=STRING_MAP,
       key_help="The annotations of the Jobs it makes (jobTemplate.metadata.annotations).",
       kinds=("cronjob",), pod=True),
    _o("--service-name", "service_name", "StatefulSets: the governing headless Service [NAME].",
       metavar="SERVICE", key="serviceName",
       key_help="The governing headless Service's name (default: the StatefulSet's).",
       kinds=("statefulset",), pod=True),
    _o("--volume-claim", "volume_claims", "StatefulSets: a PersistentVolumeClaim per pod, "
       "mounted in the app container: NAME=SIZE:PATH or NAME=SIZE:CLASS:PATH (blueprint: "
       "volumeClaimTemplates and mounts).", repeatable=True, metavar="NAME=SIZE[:CLASS]:PATH",
       writes=("volumeClaimTemplates", "mounts"), attr="pod.volume_claims",
       kinds=("statefulset",)),
    _o("--max-unavailable", "max_unavailable", "DaemonSets and StatefulSets: pods that may be "
       "down during a rolling update, a number or a percentage (blueprint: updateStrategy).",
       metavar="N|N%", writes=("updateStrategy",), attr="pod.max_unavailable",
       kinds=("daemonset", "statefulset")),
    _o("--pattern", "pattern", "Pod design pattern.", type=CHOICE, default="runtime",
       choices=("runtime", "init", "sidecar"), key="pattern", key_help="Pod design pattern.",
       pod=True),
    _o("--init-image", "init_image", "init: the init image [busybox:1.36].", metavar="IMAGE",
       key="init.image", key_help="Default busybox:1.36.", pod=True),
    _o("--init-command", "init_command",
       "init: the command, split like a shell [writes index.html to the volume].", metavar="CMD",
       key="init.command", schema=COMMAND,
       key_help="Default: write index.html into the shared volume.", pod=True),
    _o("--init-name", "init_name", "init: container name [init].", metavar="NAME", key="init.name",
       key_help="Default init.", pod=True),
    _o("--wait-for", "wait_for", "Add an init container that waits for a Service's DNS name.",
       repeatable=True, metavar="SERVICE", key="waitFor", schema=STRINGS,
       key_help="Services to wait for before the app starts.", pod=True),
    _o("--sidecar-image", "sidecar_image", "sidecar: the helper image [busybox:1.36].",
       metavar="IMAGE", key="sidecar.image", key_help="Default busybox:1.36.", pod=True),
    _o("--sidecar-command", "sidecar_command",
       "sidecar: the command, split like a shell [tails app.log to stdout].", metavar="CMD",
       key="sidecar.command", schema=COMMAND,
       key_help="Default: ship app.log from the shared volume to stdout.", pod=True),
    _o("--sidecar-name", "sidecar_name", "sidecar: container name [sidecar].", metavar="NAME",
       key="sidecar.name", key_help="Default sidecar.", pod=True),
    _o("--sidecar-port", "sidecar_port", "sidecar: a port the helper listens on.", type=INT,
       metavar="PORT", key="sidecar.port", schema=PORT, key_help="A port the sidecar listens on.",
       pod=True),
    _o("--native-sidecar", "native_sidecar",
       "sidecar: run it as a native sidecar (init container, restartPolicy Always); a Job's "
       "and a CronJob's always are.", type=BOOL, key="sidecar.native",
       key_help="Run as a native sidecar (Kubernetes 1.29+); default: for a Job or CronJob.",
       pod=True),
    _o("--shared-path", "shared_path",
       "init/sidecar: where the app mounts the shared emptyDir "
        "[/data for init, /var/log/app for sidecar].",
       metavar="PATH", key="sharedPath", key_help="Where the app mounts the shared emptyDir.",
       pod=True),
    _o("--helper-path", "helper_path",
       "init/sidecar: where the helper mounts it [the --shared-path].", metavar="PATH",
       key="helperPath", key_help="Where the helper mounts it (default: sharedPath).", pod=True),
    _o("--volume-name", "volume_name", "init/sidecar: the emptyDir's name [shared].",
       metavar="NAME", key="volumeName", key_help="The shared emptyDir's name (default shared).",
       pod=True),
    _o("--probe", "probe", "Health probe handler for the app.", type=CHOICE, default="none",
       choices=("http", "tcp", "exec", "grpc", "none"), key="probe.type",
       key_help="The probe's handler.", field="probe.type", pod=True),
    _o("--probe-kinds", "probe_kinds",
       "Comma separated: liveness, readiness, startup [liveness,readiness].", metavar="KINDS",
       key="probe.kinds", schema=PROBE_KINDS, key_help="Default [liveness, readiness].",
       field="probe.kinds", pod=True),
    _o("--probe-path", "probe_path", "http probe path [/].", metavar="PATH", key="probe.path",
       key_help="http probe path (default /).", field="probe.path", pod=True),
    _o("--probe-port", "probe_port", "Probe port: a number, or the name of a container port "
       "(not for grpc) [the --port, or the one port declared].", metavar="PORT|NAME",
       key="probe.port", schema=PORT_OR_NAME, key_help="A number, or the name of a port the app "
       "container declares (grpc: a number). Default: the pod's port, or the one in `ports`.",
       field="probe.port", pod=True),
    _o("--probe-command", "probe_command", "exec probe command, split like a shell.",
       metavar="CMD", key="probe.command", schema=COMMAND, key_help="exec probe command.",
       field="probe.command", pod=True),
    _o("--initial-delay", "initial_delay", "Probe initialDelaySeconds.", type=INT, metavar="S",
       key="probe.initialDelay", schema=SECONDS, key_help="initialDelaySeconds.",
       field="probe.initial_delay", pod=True),
    _o("--period", "period", "Probe periodSeconds.", type=INT, metavar="S", key="probe.period",
       schema=SECONDS, key_help="periodSeconds.", field="probe.period", pod=True),
    _o("--timeout", "timeout", "Probe timeoutSeconds.", type=INT, metavar="S", key="probe.timeout",
       schema=SECONDS, key_help="timeoutSeconds.", field="probe.timeout", pod=True),
    _o("--success-threshold", "success_threshold", "Probe successThreshold (readiness only >1).",
       type=INT, metavar="N", key="probe.successThreshold", schema=SECONDS,
       key_help="successThreshold (readiness only above 1).", field="probe.success_threshold",
       pod=True),
    _o("--failure-threshold", "failure_threshold", "Probe failureThreshold.", type=INT,
       metavar="N", key="probe.failureThreshold", schema=SECONDS, key_help="failureThreshold.",
       field="probe.failure_threshold", pod=True),
    _o("--requests", "requests", "Resource requests, e.g. cpu=100m,memory=128Mi.", repeatable=True,
       metavar="R=Q,...", key="resources.requests", schema=QUANTITIES,
       key_help="Requests, e.g. {cpu: 100m, memory: 128Mi}.", pod=True),
    _o("--limits", "limits", "Resource limits, e.g. cpu=500m,memory=256Mi.", repeatable=True,
       metavar="R=Q,...", key="resources.limits", schema=QUANTITIES,
       key_help="Limits, e.g. {cpu: 500m, memory: 256Mi}.", pod=True),
    _o("--mount", "mounts", "Mount a ConfigMap, Secret or PersistentVolumeClaim in the app "
       "container: configmap:NAME:PATH, secret:NAME:PATH or pvc:CLAIM:PATH, :ro at the end for "
       "read-only (blueprint: volumes and mounts).", repeatable=True, metavar="KIND:NAME:PATH",
       writes=("mounts", "volumes"), attr="pod.mounts"),
    _o("--env-from", "env_from", "Every key of a ConfigMap or Secret as env: configmap:NAME or "
       "secret:NAME (blueprint: envFrom).", repeatable=True, metavar="KIND:NAME",
       writes=("envFrom",), attr="pod.env_from"),
    _o("--image-pull-secret", "image_pull_secrets",
       "A Secret to pull images with (blueprint: imagePullSecrets).", repeatable=True,
       metavar="NAME", writes=("imagePullSecrets",), attr="pod.image_pull_secrets"),
    *(
        _o(flag, param, help, type=type_, metavar=metavar, field="words", attr=f"pod.{param}",
           word=word, kinds=kinds, default=False if type_ == BOOL else None)
        for flag, param, word, type_, metavar, help, kinds in (
            ("--completions", "completions", "completions", INT, "N",
             "Jobs: successful pods to finish.", ("job", "cronjob")),
            ("--parallelism", "parallelism", "parallelism", INT, "N",
             "Jobs: pods to run at once.", ("job", "cronjob")),
            ("--backoff-limit", "backoff_limit", "backoffLimit", INT, "N",
             "Jobs: retries before the Job fails.", ("job", "cronjob")),
            ("--active-deadline", "active_deadline", "activeDeadlineSeconds", INT, "SECONDS",
             "Jobs: seconds the Job may run.", ("job", "cronjob")),
            ("--ttl-after-finished", "ttl_after_finished", "ttlSecondsAfterFinished", INT,
             "SECONDS", "Jobs: seconds to keep a finished Job.", ("job", "cronjob")),
            ("--time-zone", "time_zone", "timeZone", STR, "ZONE",
             "CronJobs: the IANA time zone of the schedule.", ("cronjob",)),
            ("--concurrency-policy", "concurrency_policy", "concurrencyPolicy", STR, "POLICY",
             "CronJobs: Allow, Forbid or Replace a run still going.", ("cronjob",)),
            ("--suspend", "suspend", "suspend", BOOL, None,
             "CronJobs: make no Jobs until resumed.", ("cronjob",)),
            ("--starting-deadline", "starting_deadline", "startingDeadlineSeconds", INT,
             "SECONDS", "CronJobs: seconds a missed run may start late.", ("cronjob",)),
            ("--successful-history", "successful_history", "successfulJobsHistoryLimit", INT,
             "N", "CronJobs: finished Jobs to keep.", ("cronjob",)),
            ("--failed-history", "failed_history", "failedJobsHistoryLimit", INT, "N",
             "CronJobs: failed Jobs to keep.", ("cronjob",)),
            ("--pod-management-policy", "pod_management_policy", "podManagementPolicy", STR,
             "POLICY", "StatefulSets: OrderedReady (one pod at a time) or Parallel.",
             ("statefulset",)),
        )
    ),
    _o("--node-selector", "node_selector", "A node label to require.",
       repeatable=True, metavar="K=V", key="nodeSelector", schema=STRING_MAP,
       key_help="Node labels the pod needs.", pod=True),
    _o("--node-name", "node_name", "Run on this node.", metavar="NODE", key="nodeName",
       key_help="Run on this node.", pod=True),
    _o("--toleration", "toleration", "Tolerate a taint: key[=value]:Effect[:seconds].",
       repeatable=True, metavar="T", key="tolerations", schema=TOLERATIONS,
       key_help="Taints the pod tolerates: 'key[=value]:Effect[:seconds]' or objects.",
       field="tolerations", attr="pod.tolerations"),
    _o("--post-start", "post_start", "postStart exec hook, split like a shell.", metavar="CMD",
       key="postStart", schema=COMMAND, key_help="postStart exec hook.", pod=True),
    _o("--pre-stop", "pre_stop", "preStop exec hook, split like a shell.", metavar="CMD",
       key="preStop", schema=COMMAND, key_help="preStop exec hook.", pod=True),
    _o("--grace-period", "grace_period", "terminationGracePeriodSeconds [30].", type=INT,
       metavar="S", key="gracePeriod", schema=SECONDS, key_help="terminationGracePeriodSeconds.",
       pod=True),
    _o("--service-account", "service_account", "serviceAccountName.", metavar="NAME",
       key="serviceAccount", key_help="serviceAccountName.", pod=True),
    _o("--secure", "secure", "Apply the Pod Security Standards 'restricted' profile.", type=BOOL,
       default=False, key="secure", key_help="Apply the restricted Pod Security Standard.",
       pod=True),
)
# fmt: on

#: Each option by its parameter name.
BY_PARAM = {option.param: option for option in OPTIONS}
#: Each option by every flag that names it (`-l` and `--labels`).
BY_FLAG = {flag: option for option in OPTIONS for flag in option.flags}
#: The blueprint keys NAME and the words after `--` stand for, which are not options.
POSITIONAL_KEYS = {"name": "NAME", "command": "ARGS after --", "args": "ARGS after --"}


def flag_for(key: str) -> str:
    """How the command line names a blueprint key (`probe.port` -> `--probe-port`)."""
    if key in POSITIONAL_KEYS:
        return POSITIONAL_KEYS[key]
    for option in OPTIONS:
        if key in (option.key, option.word):
            return option.flag
    return WORD_FLAGS.get(key, "--overrides" if key == "overrides" else key)


#: The flag that names each word a flag writes: the one that writes it first (`mounts`:
#: `--mount`, though `--volume-claim` mounts its claims too), else the first that writes it.
WORD_FLAGS: dict[str, str] = {
    **{word: option.flag for option in reversed(OPTIONS) for word in option.writes[1:]},
    **{option.writes[0]: option.flag for option in OPTIONS if option.writes},
}


def help_text(option: Option) -> str:
    """The option's help as `--help` and the flag table show it."""
    return option.help + (" Repeatable." if option.repeatable else "")
