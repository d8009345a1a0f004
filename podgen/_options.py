"""Every option of `podgen new`, declared once; the front ends are derived from this table.

Each `Option` gives its flags, the blueprint key it corresponds to, its type, default and
choices, whether it repeats, its help, and the kinds it applies to. From it come: the Typer
command (`_cli`), the lean start-up parser (`_entry`), the flag <-> blueprint key mapping in
error messages and for `new --from` (`_flags`), and the README's flag table
(`markdown_table`, checked by tests/test_options.py).

This module imports nothing of podgen's: the lean start-up path reads it on every run.
"""

from __future__ import annotations

from typing import Any, NamedTuple

#: The option types: text, a whole number, a switch, or one of `choices`.
STR, INT, BOOL, CHOICE = "str", "int", "bool", "choice"
#: The kinds of object an option can shape.
POD_KINDS = ("pod", "deployment")


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
    if attr is None and key is not None:
        attr = f"pod.{param}" if pod else param
    if field is None and key is not None:
        field = param
    return Option(names, param, help, key=key, field=field, attr=attr, **rest)


OPTIONS: tuple[Option, ...] = (
    _o("--image", "image", "The image for the container to run; required unless --from gives "
       "one.", metavar="IMAGE", key="image"),
    _o("--from", "from_", "Start from a blueprint's pod (file or built-in name); flags override "
       "it.", metavar="BLUEPRINT"),
    _o("--container-name", "container_name", "The app container's name [NAME].", metavar="NAME",
       key="containerName"),
    _o("--port", "port", "The port that this container exposes.", metavar="PORT", key="port"),
    _o(("--labels", "-l"), "labels", "Comma separated labels; replace run=NAME.",
       default="", metavar="K=V,...", key="labels"),
    _o("--env", "env", "An environment variable.", repeatable=True,
       metavar="NAME=VALUE", key="env"),
    _o("--restart", "restart", "Always, OnFailure or Never.", default="Always", metavar="POLICY",
       key="restart"),
    _o("--command", "command", "Use the words after -- as the command, not args.", type=BOOL,
       default=False, key="command", field="command", attr="command"),
    _o("--annotations", "annotations", "An annotation.", repeatable=True,
       metavar="KEY=VALUE", key="annotations"),
    _o(("--namespace", "-n"), "namespace", "Namespace to write in.", metavar="NAMESPACE",
       key="namespace"),
    _o("--image-pull-policy", "image_pull_policy", "Always, IfNotPresent or Never (default: "
       "unset).", default="", metavar="POLICY", key="imagePullPolicy"),
    _o("--privileged", "privileged", "Run the container in privileged mode.", type=BOOL,
       default=False, key="privileged"),
    _o("--expose", "expose", "Also write a ClusterIP Service (needs --port).", type=BOOL,
       default=False, key="expose"),
    _o(("--output", "-o"), "output", "Output format.", type=CHOICE, default="yaml",
       choices=("yaml", "json")),
    _o("--dry-run", "dry_run", "Accepted for kubectl compatibility; only 'client'.",
       default="client", metavar="MODE"),
    _o("--kind", "kind", "Write a Pod or a Deployment.", type=CHOICE, default="pod",
       choices=POD_KINDS, key="kind"),
    _o("--replicas", "replicas", "Deployment replicas (default 1).", type=INT, metavar="N",
       key="replicas", kinds=("deployment",)),
    _o("--pattern", "pattern", "Pod design pattern.", type=CHOICE, default="runtime",
       choices=("runtime", "init", "sidecar"), key="pattern", pod=True),
    _o("--init-image", "init_image", "init: the init image [busybox:1.36].", metavar="IMAGE",
       key="init.image", pod=True),
    _o("--init-command", "init_command", "init: the command, split like a shell [writes "
       "index.html to the volume].", metavar="CMD", key="init.command", pod=True),
    _o("--init-name", "init_name", "init: container name [init].", metavar="NAME",
       key="init.name", pod=True),
    _o("--wait-for", "wait_for", "Add an init container that waits for a Service's DNS name.",
       repeatable=True, metavar="SERVICE", key="waitFor", pod=True),
    _o("--sidecar-image", "sidecar_image", "sidecar: the helper image [busybox:1.36].",
       metavar="IMAGE", key="sidecar.image", pod=True),
    _o("--sidecar-command", "sidecar_command", "sidecar: the command, split like a shell [tails "
       "app.log to stdout].", metavar="CMD", key="sidecar.command", pod=True),
    _o("--sidecar-name", "sidecar_name", "sidecar: container name [sidecar].", metavar="NAME",
       key="sidecar.name", pod=True),
    _o("--sidecar-port", "sidecar_port", "sidecar: a port the helper listens on.", type=INT,
       metavar="PORT", key="sidecar.port", pod=True),
    _o("--native-sidecar", "native_sidecar", "sidecar: run it as a native sidecar (init "
       "container, restartPolicy Always).", type=BOOL, default=False, key="sidecar.native",
       pod=True),
    _o("--shared-path", "shared_path", "init/sidecar: where the app mounts the shared emptyDir "
       "[/data for init, /var/log/app for sidecar].", metavar="PATH", key="sharedPath",
       pod=True),
    _o("--helper-path", "helper_path", "init/sidecar: where the helper mounts it [the "
       "--shared-path].", metavar="PATH", key="helperPath", pod=True),
    _o("--volume-name", "volume_name", "init/sidecar: the emptyDir's name [shared].",
       metavar="NAME", key="volumeName", pod=True),
    _o("--probe", "probe", "Health probe handler for the app.", type=CHOICE, default="none",
       choices=("http", "tcp", "exec", "grpc", "none"), key="probe.type", field="probe.type",
       pod=True),
    _o("--probe-kinds", "probe_kinds", "Comma separated: liveness, readiness, startup "
       "[liveness,readiness].", metavar="KINDS", key="probe.kinds", field="probe.kinds",
       pod=True),
    _o("--probe-path", "probe_path", "http probe path [/].", metavar="PATH", key="probe.path",
       field="probe.path", pod=True),
    _o("--probe-port", "probe_port", "Probe port [the --port].", type=INT, metavar="PORT",
       key="probe.port", field="probe.port", pod=True),
    _o("--probe-command", "probe_command", "exec probe command, split like a shell.",
       metavar="CMD", key="probe.command", field="probe.command", pod=True),
    _o("--initial-delay", "initial_delay", "Probe initialDelaySeconds.", type=INT, metavar="S",
       key="probe.initialDelay", field="probe.initial_delay", pod=True),
    _o("--period", "period", "Probe periodSeconds.", type=INT, metavar="S", key="probe.period",
       field="probe.period", pod=True),
    _o("--timeout", "timeout", "Probe timeoutSeconds.", type=INT, metavar="S",
       key="probe.timeout", field="probe.timeout", pod=True),
    _o("--success-threshold", "success_threshold", "Probe successThreshold (readiness only >1).",
       type=INT, metavar="N", key="probe.successThreshold", field="probe.success_threshold",
       pod=True),
    _o("--failure-threshold", "failure_threshold", "Probe failureThreshold.", type=INT,
       metavar="N", key="probe.failureThreshold", field="probe.failure_threshold", pod=True),
    _o("--requests", "requests", "Resource requests, e.g. cpu=100m,memory=128Mi.",
       repeatable=True, metavar="R=Q,...", key="resources.requests", pod=True),
    _o("--limits", "limits", "Resource limits, e.g. cpu=500m,memory=256Mi.",
       repeatable=True, metavar="R=Q,...", key="resources.limits", pod=True),
    _o("--node-selector", "node_selector", "A node label to require (repeatable).",
       repeatable=True, metavar="K=V", key="nodeSelector", pod=True),
    _o("--node-name", "node_name", "Run on this node.", metavar="NODE", key="nodeName",
       pod=True),
    _o("--toleration", "toleration", "Tolerate a taint: key[=value]:Effect[:seconds].",
       repeatable=True, metavar="T", key="tolerations", field="tolerations",
       attr="pod.tolerations"),
    _o("--post-start", "post_start", "postStart exec hook, split like a shell.", metavar="CMD",
       key="postStart", pod=True),
    _o("--pre-stop", "pre_stop", "preStop exec hook, split like a shell.", metavar="CMD",
       key="preStop", pod=True),
    _o("--grace-period", "grace_period", "terminationGracePeriodSeconds [30].", type=INT,
       metavar="S", key="gracePeriod", pod=True),
    _o("--service-account", "service_account", "serviceAccountName.", metavar="NAME",
       key="serviceAccount", pod=True),
    _o("--secure", "secure", "Apply the Pod Security Standards 'restricted' profile.", type=BOOL,
       default=False, key="secure", pod=True),
)  # fmt: skip

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
        if option.key == key:
            return option.flag
    return "--overrides" if key == "overrides" else key


def help_text(option: Option) -> str:
    """The option's help as `--help` and the README show it."""
    return option.help + (" Repeatable." if option.repeatable else "")


def markdown_table() -> str:
    """The README's table of `podgen new`'s options, one row per option."""
    rows = ["| flag | blueprint key | meaning | default |", "| --- | --- | --- | --- |"]
    for option in OPTIONS:
        if option.choices:
            value = " " + "\\|".join(option.choices)
        else:
            value = f" {option.metavar}" if option.metavar and option.type != BOOL else ""
        names = [f"`{flag}`" for flag in option.flags[1:]] + [f"`{option.flag}{value}`"]
        key = f"`{option.key}`" if option.key else "(command line only)"
        if option.kinds != POD_KINDS:
            key += f" ({', '.join(option.kinds)} only)"
        default = "" if option.default in (None, "", False) else f"`{option.default}`"
        rows.append(f"| {', '.join(names)} | {key} | {help_text(option)} | {default} |")
    return "\n".join(rows) + "\n"
