"""The blueprint words: fields the API defines in full, written in a blueprint as it has them.

Each `Word` names where its value lands (the pod spec, the object's spec, a Job's spec), how it
meets what podgen wrote there, and the kinds it applies to. From this table come the blueprint
schema (`_blueprint.schema`), the checks that a word suits the kind
(`_building.request_checks`), where rendering puts it (`_rendering.render.apply_words`), what
import recognises (`_commands.importer_pod`) and the flag table in docs/new.md
(`markdown_table`). Flags that
set one word (`--backoff-limit`) name it in their `Option.word`.
"""

from __future__ import annotations

import functools

from podgen._model.options import (
    BOOL,
    CONTROLLER_KINDS,
    OPTIONS,
    POD_KINDS,
    STRING,
    help_text,
)
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Word(NamedTuple):
    """A blueprint word for a field the API defines in full, written as the API has it.

    Its value lands at `path` (in the pod spec, the app container being `containers[0]`, or in
    the object's spec), merged like `overrides` (lists of named items by name), and is checked
    like every field.
    """

    key: str
    help: str
    path: tuple[str | int, ...]
    schema: dict[str, Any]
    #: How it meets what podgen wrote there: merge (maps key by key, lists of named items by
    #: name), extend (added after), or replace.
    how: str = "merge"
    #: Where `path` starts: the pod spec, the object's spec, or a Job's spec (a CronJob's is
    #: its jobTemplate's).
    where: str = "pod"
    #: The kinds (`podgen new --kind`) it applies to; a pod word applies to them all.
    kinds: tuple[str, ...] = ()

    @property
    def for_kinds(self) -> tuple[str, ...]:
        """The kinds it applies to, spelled out."""
        return self.kinds or POD_KINDS


_OBJECT: dict[str, Any] = {"type": "object"}
_COUNT: dict[str, Any] = {"type": "integer", "minimum": 0}
_BOOL: dict[str, Any] = {"type": "boolean"}
_OBJECTS: dict[str, Any] = {"type": "array", "items": _OBJECT}


def _named(what: str) -> dict[str, Any]:
    return {"type": "array", "items": {**_OBJECT, "required": ["name"]}, "description": what}


# fmt: off
WORDS: tuple[Word, ...] = (
    Word("securityContext", "The pod's securityContext.", ("securityContext",), _OBJECT),
    Word("containerSecurityContext", "The app container's securityContext.",
         ("containers", 0, "securityContext"), _OBJECT),
    Word("affinity", "Node affinity, pod affinity and anti-affinity.", ("affinity",), _OBJECT),
    Word("topologySpreadConstraints", "How the pods spread over zones and nodes.",
         ("topologySpreadConstraints",), _OBJECTS),
    Word("imagePullSecrets", "Secrets to pull images with: [{name: NAME}].",
         ("imagePullSecrets",), _named("Image pull Secrets.")),
    Word("volumes", "Volumes: configMap, secret, persistentVolumeClaim, hostPath, emptyDir "
         "(medium, sizeLimit), projected, downwardAPI, ...", ("volumes",), _named("Volumes.")),
    Word("mounts", "The app container's volumeMounts (name, mountPath, readOnly, subPath).",
         ("containers", 0, "volumeMounts"), _named("Volume mounts."), how="extend"),
    Word("envFrom", "The app container's envFrom: [{configMapRef: {name}}, {secretRef: ...}].",
         ("containers", 0, "envFrom"), _OBJECTS, how="extend"),
    Word("ports", "The app container's ports, named or several (replaces `port`'s).",
         ("containers", 0, "ports"), _OBJECTS, how="replace"),
    Word("livenessProbe", "The app's liveness probe in full (httpHeaders, ...), beyond `probe`.",
         ("containers", 0, "livenessProbe"), _OBJECT, how="replace"),
    Word("readinessProbe", "The app's readiness probe in full, beyond `probe`.",
         ("containers", 0, "readinessProbe"), _OBJECT, how="replace"),
    Word("startupProbe", "The app's startup probe in full, beyond `probe`.",
         ("containers", 0, "startupProbe"), _OBJECT, how="replace"),
    Word("containers", "More containers beside the app: sidecars, adapters, ambassadors.",
         ("containers",), _named("Containers.")),
    Word("initContainers", "More init containers, run in order before the app.",
         ("initContainers",), _named("Init containers.")),
    *(
        Word(key, help, (key,), schema, how="replace")
        for key, help, schema in (
            ("hostNetwork", "Use the node's network namespace (node agents).", _BOOL),
            ("hostPID", "Use the node's process namespace.", _BOOL),
            ("hostIPC", "Use the node's IPC namespace.", _BOOL),
            ("dnsPolicy", "ClusterFirst, ClusterFirstWithHostNet, Default or None.",
             {"enum": ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]}),
            ("dnsConfig", "Nameservers, searches and options, {nameservers, searches, options}.",
             _OBJECT),
            ("hostAliases", "Extra /etc/hosts entries, [{ip, hostnames}].", _OBJECTS),
            ("hostname", "The pod's hostname.", STRING),
            ("subdomain", "With hostname: HOSTNAME.SUBDOMAIN.NAMESPACE.svc names the pod.", STRING),
            ("priorityClassName", "The PriorityClass of the pod.", STRING),
            ("runtimeClassName", "The RuntimeClass to run the pod with.", STRING),
            ("schedulerName", "The scheduler to place the pod.", STRING),
            ("shareProcessNamespace", "One process namespace for all containers.", _BOOL),
            ("automountServiceAccountToken", "Mount the service account token.", _BOOL),
            ("enableServiceLinks", "Put Services into env as docker links did.", _BOOL),
        )
    ),
    Word("strategy", "Deployments: how pods are replaced, {type: Recreate} or {type: "
         "RollingUpdate, rollingUpdate: {maxSurge, maxUnavailable}}.", ("strategy",), _OBJECT,
         how="replace", where="spec", kinds=("deployment",)),
    Word("updateStrategy", "StatefulSets and DaemonSets: how pods are replaced, {type: OnDelete} "
         "or {type: RollingUpdate, rollingUpdate: {...}} (`--max-unavailable` writes one).",
         ("updateStrategy",), _OBJECT, how="replace", where="spec",
         kinds=("statefulset", "daemonset")),
    Word("minReadySeconds", "Seconds a new pod must be ready to count as available.",
         ("minReadySeconds",), _COUNT, where="spec", kinds=CONTROLLER_KINDS),
    Word("revisionHistoryLimit", "Old revisions to keep for rollback.",
         ("revisionHistoryLimit",), _COUNT, where="spec",
         kinds=("deployment", "statefulset", "daemonset")),
    Word("progressDeadlineSeconds", "Deployments: seconds before a stalled rollout is reported.",
         ("progressDeadlineSeconds",), {"type": "integer", "minimum": 1}, where="spec",
         kinds=("deployment",)),
    Word("paused", "Deployments: pause rollouts.", ("paused",), {"type": "boolean"},
         where="spec", kinds=("deployment",)),
    Word("volumeClaimTemplates", "StatefulSets: a PersistentVolumeClaim per pod, [{metadata: "
         "{name}, spec: {accessModes, resources: {requests: {storage}}, storageClassName}}] "
         "(`--volume-claim` writes one).", ("volumeClaimTemplates",), _OBJECTS, how="extend",
         where="spec", kinds=("statefulset",)),
    Word("podManagementPolicy", "StatefulSets: OrderedReady (one pod at a time) or Parallel.",
         ("podManagementPolicy",), {"enum": ["OrderedReady", "Parallel"]}, where="spec",
         kinds=("statefulset",)),
    Word("persistentVolumeClaimRetentionPolicy", "StatefulSets: keep or delete the claims "
         "when the set is deleted or scaled down, {whenDeleted, whenScaled}.",
         ("persistentVolumeClaimRetentionPolicy",), _OBJECT, how="replace", where="spec",
         kinds=("statefulset",)),
    Word("ordinals", "StatefulSets: the first pod's number, {start: N}.", ("ordinals",), _OBJECT,
         how="replace", where="spec", kinds=("statefulset",)),
    *(
        Word(key, help, (key,), schema, where="job" if kind == "job" else "spec",
             kinds=("job", "cronjob") if kind == "job" else ("cronjob",))
        for key, help, schema, kind in (
            ("completions", "Jobs: successful pods to finish.", _COUNT, "job"),
            ("parallelism", "Jobs: pods to run at once.", _COUNT, "job"),
            ("backoffLimit", "Jobs: retries before the Job fails.", _COUNT, "job"),
            ("activeDeadlineSeconds", "Jobs: seconds the Job may run.", _COUNT, "job"),
            ("ttlSecondsAfterFinished", "Jobs: seconds to keep a finished Job.", _COUNT, "job"),
            ("completionMode", "Jobs: NonIndexed, or Indexed (each pod gets an index).",
             {"enum": ["NonIndexed", "Indexed"]}, "job"),
            ("backoffLimitPerIndex", "Indexed Jobs: retries per index.", _COUNT, "job"),
            ("maxFailedIndexes", "Indexed Jobs: failed indexes before the Job fails.", _COUNT,
             "job"),
            ("podFailurePolicy", "Jobs: rules on pod failures, {rules: [...]}.", _OBJECT, "job"),
            ("successPolicy", "Indexed Jobs: when the Job succeeds, {rules: [...]}.", _OBJECT,
             "job"),
            ("podReplacementPolicy", "Jobs: replace pods TerminatingOrFailed or only Failed.",
             {"enum": ["TerminatingOrFailed", "Failed"]}, "job"),
            ("timeZone", "CronJobs: the IANA time zone of the schedule.", STRING, "cronjob"),
            ("concurrencyPolicy", "CronJobs: Allow, Forbid or Replace a run still going.",
             {"enum": ["Allow", "Forbid", "Replace"]}, "cronjob"),
            ("suspend", "CronJobs: make no Jobs until resumed.", {"type": "boolean"}, "cronjob"),
            ("startingDeadlineSeconds", "CronJobs: seconds a missed run may start late.",
             _COUNT, "cronjob"),
            ("successfulJobsHistoryLimit", "CronJobs: finished Jobs to keep.", _COUNT, "cronjob"),
            ("failedJobsHistoryLimit", "CronJobs: failed Jobs to keep.", _COUNT, "cronjob"),
        )
    ),
)
# fmt: on


def kinds_taking(key: str) -> tuple[str, ...]:
    """The kinds (`podgen new --kind`) whose pods take the blueprint pod key `key`.

    Most keys apply to every kind; the kind-bound options (`replicas`, `schedule`, `selector`,
    ...) and words (`strategy`, `backoffLimit`, ...) to the kinds the tables give them. A
    project's environment-wide value reaches only the pods whose kind takes it.
    """
    return _kinds_by_key().get(key, POD_KINDS)


@functools.cache
def _kinds_by_key() -> dict[str, tuple[str, ...]]:
    taking: dict[str, set[str]] = {}
    for option in OPTIONS:
        if option.key is not None:  # `probe.port`: a key of `probe`, which every kind takes
            taking.setdefault(option.key.split(".")[0], set()).update(option.kinds)
    for word in WORDS:
        taking.setdefault(word.key, set()).update(word.for_kinds)
    return {key: tuple(k for k in POD_KINDS if k in kinds) for key, kinds in taking.items()}


def markdown_table() -> str:
    """The flag table (docs/new.md): a row per option of `podgen new`, then a row per word."""
    rows = ["| flag | blueprint key | meaning | default |", "| --- | --- | --- | --- |"]
    for option in OPTIONS:
        if option.choices:
            value = " " + "|".join(option.choices)
        else:
            value = f" {option.metavar}" if option.metavar and option.type != BOOL else ""
        value = value.replace("|", "\\|")  # on GitHub a `|` ends a table cell, even in code
        names = [f"`{flag}`" for flag in option.flags[1:]] + [f"`{option.flag}{value}`"]
        written = [option.key or option.word] if option.key or option.word else option.writes
        key = ", ".join(f"`{word}`" for word in written) or "(command line only)"
        if option.kinds != POD_KINDS:
            key += f" ({', '.join(option.kinds)} only)"
        default = "" if option.default in (None, "", False) else f"`{option.default}`"
        rows.append(f"| {', '.join(names)} | {key} | {help_text(option)} | {default} |")
    flagged = {o.word for o in OPTIONS} | {word for o in OPTIONS for word in o.writes}
    for word in WORDS:
        if word.key not in flagged:  # a flag's row names it already
            rows.append(f"| (blueprint only) | `{word.key}` | {word.help} | |")
    return "\n".join(rows) + "\n"
