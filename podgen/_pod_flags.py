"""podgen's own pod flags: patterns, probes, resources, scheduling, lifecycle and security.

kubectl run has none of these, so there is no kubectl message to match; each error still
names its flag. Everything here turns raw flag text into pieces of the typed spec, which
`pod_template` assembles around the app container `_flags.build_manifests` made.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from podgen import _rules
from podgen._errors import UsageError
from podgen._spec import (
    DEFAULT_HELPER_IMAGE,
    DEFAULT_INIT_NAME,
    DEFAULT_INIT_PATH,
    DEFAULT_LOG_FILE,
    DEFAULT_SIDECAR_NAME,
    DEFAULT_SIDECAR_PATH,
    DEFAULT_VOLUME_NAME,
    PROBE_KINDS,
    TAINT_EFFECTS,
    Container,
    Pattern,
    PodTemplate,
    Probe,
    ProbeHandler,
    Toleration,
    VolumeMount,
)

#: The image the --wait-for init container uses: it needs a shell and nslookup.
WAIT_FOR_IMAGE = DEFAULT_HELPER_IMAGE


@dataclass(frozen=True)
class PodFlags:
    """The raw values of podgen's own pod flags; defaults mean "not given"."""

    pattern: Pattern = Pattern.RUNTIME
    init_image: str | None = None
    init_command: str | None = None
    init_name: str | None = None
    sidecar_image: str | None = None
    sidecar_command: str | None = None
    sidecar_name: str | None = None
    sidecar_port: int | None = None
    native_sidecar: bool = False
    shared_path: str | None = None
    helper_path: str | None = None
    volume_name: str | None = None
    wait_for: Sequence[str] = ()
    probe: ProbeHandler = ProbeHandler.NONE
    probe_kinds: str | None = None
    probe_path: str | None = None
    probe_port: int | None = None
    probe_command: str | None = None
    initial_delay: int | None = None
    period: int | None = None
    timeout: int | None = None
    success_threshold: int | None = None
    failure_threshold: int | None = None
    requests: str = ""
    limits: str = ""
    node_selector: Sequence[str] = ()
    node_name: str | None = None
    tolerations: Sequence[str] = ()
    post_start: str | None = None
    pre_stop: str | None = None
    grace_period: int | None = None
    service_account: str | None = None
    secure: bool = False


class _PatternParts(NamedTuple):
    """What a pattern adds around the app container."""

    init_containers: tuple[Container, ...] = ()
    sidecars: tuple[Container, ...] = ()
    volumes: tuple[str, ...] = ()
    app_mounts: tuple[VolumeMount, ...] = ()


def shell_words(text: str, flag: str) -> tuple[str, ...]:
    """Split a command the way a POSIX shell would (shlex), naming the flag on error."""
    try:
        words = tuple(shlex.split(text))
    except ValueError as error:
        raise UsageError(f"{flag}: cannot split {text!r} like a shell: {error}") from None
    if not words:
        raise UsageError(f"{flag}: the command is empty")
    return words


def _only_with(flags: PodFlags, pattern: Pattern, names: dict[str, object]) -> None:
    if flags.pattern is not pattern:
        for flag, value in names.items():
            if value not in (None, False, ()):
                raise UsageError(f"{flag}: only applies with --pattern {pattern.value}")


def _absolute(path: str, flag: str) -> str:
    if not path.startswith("/"):
        raise UsageError(f"{flag}: {path!r} must be an absolute path (start with /)")
    return path


def _dns_label(value: str, flag: str) -> str:
    reasons = _rules.is_dns1123_label(value)
    if reasons:
        raise UsageError(f"{flag}: {value!r}: {'; '.join(reasons)}")
    return value


def _pattern_parts(flags: PodFlags) -> _PatternParts:
    """The init and sidecar containers and the shared volume a pattern adds."""
    _only_with(flags, Pattern.INIT, {"--init-command": flags.init_command})
    _only_with(
        flags,
        Pattern.SIDECAR,
        {
            "--sidecar-image": flags.sidecar_image,
            "--sidecar-command": flags.sidecar_command,
            "--sidecar-name": flags.sidecar_name,
            "--sidecar-port": flags.sidecar_port,
            "--native-sidecar": flags.native_sidecar,
        },
    )
    if flags.pattern is not Pattern.INIT and flags.init_image is not None:
        raise UsageError("--init-image: only applies with --pattern init")
    if flags.pattern is Pattern.RUNTIME:
        for flag, value in (
            ("--shared-path", flags.shared_path),
            ("--helper-path", flags.helper_path),
            ("--volume-name", flags.volume_name),
            ("--init-name", flags.init_name),
        ):
            if value is not None:
                raise UsageError(f"{flag}: only applies with --pattern init or sidecar")
    elif flags.pattern is Pattern.SIDECAR and flags.init_name is not None:
        raise UsageError("--init-name: only applies with --pattern init")

    waits = tuple(_wait_for(service) for service in flags.wait_for)
    if flags.pattern is Pattern.RUNTIME:
        return _PatternParts(init_containers=waits)

    default_path = DEFAULT_INIT_PATH if flags.pattern is Pattern.INIT else DEFAULT_SIDECAR_PATH
    app_path = _absolute(flags.shared_path or default_path, "--shared-path")
    helper_path = _absolute(flags.helper_path or app_path, "--helper-path")
    volume = _dns_label(flags.volume_name or DEFAULT_VOLUME_NAME, "--volume-name")
    helper_mount = (VolumeMount(name=volume, mount_path=helper_path),)
    app_mounts = (VolumeMount(name=volume, mount_path=app_path),)

    if flags.pattern is Pattern.INIT:
        command = (
            shell_words(flags.init_command, "--init-command")
            if flags.init_command
            else _default_init_command(helper_path)
        )
        init = Container(
            name=_dns_label(flags.init_name or DEFAULT_INIT_NAME, "--init-name"),
            image=flags.init_image or DEFAULT_HELPER_IMAGE,
            command=command,
            volume_mounts=helper_mount,
        )
        return _PatternParts((*waits, init), (), (volume,), app_mounts)

    command = (
        shell_words(flags.sidecar_command, "--sidecar-command")
        if flags.sidecar_command
        else _default_sidecar_command(helper_path)
    )
    sidecar = Container(
        name=_dns_label(flags.sidecar_name or DEFAULT_SIDECAR_NAME, "--sidecar-name"),
        image=flags.sidecar_image or DEFAULT_HELPER_IMAGE,
        command=command,
        ports=(_port(flags.sidecar_port, "--sidecar-port"),) if flags.sidecar_port else (),
        volume_mounts=helper_mount,
        restart_policy="Always" if flags.native_sidecar else None,
    )
    if flags.native_sidecar:
        # A native sidecar is an init container that keeps running: it starts before the app
        # and is stopped after it (Kubernetes 1.29 and later).
        return _PatternParts((*waits, sidecar), (), (volume,), app_mounts)
    return _PatternParts(waits, (sidecar,), (volume,), app_mounts)


def _default_init_command(path: str) -> tuple[str, ...]:
    """Write a page into the shared volume that a web server there can serve."""
    target = shlex.quote(f"{path}/index.html")
    return ("sh", "-c", f'echo "<h1>Prepared by the init container at $(date)</h1>" > {target}')


def _default_sidecar_command(path: str) -> tuple[str, ...]:
    """Ship the app's log file to the sidecar's stdout, where the cluster collects logs."""
    log = shlex.quote(f"{path}/{DEFAULT_LOG_FILE}")
    return ("sh", "-c", f"touch {log} && exec tail -n +1 -F {log}")


def _wait_for(service: str) -> Container:
    reasons = _rules.is_dns1035_label(service)
    if reasons:
        raise UsageError(f"--wait-for: {service!r} is not a Service name: {'; '.join(reasons)}")
    name = f"wait-for-{service}"
    if len(name) > _rules.DNS1123_LABEL_MAX:
        name = name[: _rules.DNS1123_LABEL_MAX].rstrip("-")
    script = (
        f"until nslookup {service}.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"
        f".svc.cluster.local; do echo waiting for {service}; sleep 2; done"
    )
    return Container(name=name, image=WAIT_FOR_IMAGE, command=("sh", "-c", script))


def probes(flags: PodFlags, app_port: int | None) -> dict[str, Probe]:
    """The app container's probes, keyed by kind (liveness, readiness, startup)."""
    tuning = {
        "--probe-kinds": flags.probe_kinds,
        "--probe-path": flags.probe_path,
        "--probe-port": flags.probe_port,
        "--probe-command": flags.probe_command,
        "--initial-delay": flags.initial_delay,
        "--period": flags.period,
        "--timeout": flags.timeout,
        "--success-threshold": flags.success_threshold,
        "--failure-threshold": flags.failure_threshold,
    }
    if flags.probe is ProbeHandler.NONE:
        for flag, value in tuning.items():
            if value is not None:
                raise UsageError(f"{flag}: only applies with --probe http, tcp, exec or grpc")
        return {}
    kinds = _probe_kinds(flags.probe_kinds or "liveness,readiness")
    port = flags.probe_port if flags.probe_port is not None else app_port
    handler = flags.probe
    if handler is ProbeHandler.EXEC:
        if not flags.probe_command:
            raise UsageError('--probe-command: required with --probe exec, e.g. "cat /tmp/healthy"')
        if flags.probe_port is not None or flags.probe_path is not None:
            raise UsageError("--probe-port/--probe-path: do not apply to --probe exec")
    else:
        if flags.probe_command is not None:
            raise UsageError("--probe-command: only applies with --probe exec")
        if port is None:
            raise UsageError(
                f"--probe: the {handler.value} probe needs a port: give --probe-port or --port"
            )
        _port(port, "--probe-port" if flags.probe_port is not None else "--port")
        if flags.probe_path is not None and handler is not ProbeHandler.HTTP:
            raise UsageError("--probe-path: only applies with --probe http")
    for flag, value, least in (
        ("--initial-delay", flags.initial_delay, 0),
        ("--period", flags.period, 1),
        ("--timeout", flags.timeout, 1),
        ("--success-threshold", flags.success_threshold, 1),
        ("--failure-threshold", flags.failure_threshold, 1),
    ):
        if value is not None and value < least:
            raise UsageError(f"{flag}: must be {least} or more, not {value}")
    if flags.success_threshold not in (None, 1) and kinds != ("readiness",):
        raise UsageError(
            "--success-threshold: must be 1 for liveness and startup probes; "
            "only a readiness probe may need several successes"
        )
    probe = Probe(
        handler=handler,
        port=None if handler is ProbeHandler.EXEC else port,
        path=flags.probe_path or "/",
        command=shell_words(flags.probe_command, "--probe-command") if flags.probe_command else (),
        initial_delay=flags.initial_delay,
        period=flags.period,
        timeout=flags.timeout,
        success_threshold=flags.success_threshold,
        failure_threshold=flags.failure_threshold,
    )
    return dict.fromkeys(kinds, probe)


def _probe_kinds(text: str) -> tuple[str, ...]:
    kinds = []
    for kind in (k.strip() for k in text.split(",")):
        if kind not in PROBE_KINDS:
            raise UsageError(
                f"--probe-kinds: unknown probe kind {kind!r}; use {', '.join(PROBE_KINDS)}"
            )
        if kind in kinds:
            raise UsageError(f"--probe-kinds: {kind} is listed twice")
        kinds.append(kind)
    return tuple(kinds)


def _port(port: int, flag: str) -> int:
    if _rules.is_valid_port_num(port):
        raise UsageError(f"{flag}: {port} must be between 1 and 65535")
    return port


# resource.Quantity: a signed decimal number and an optional suffix.
_QUANTITY_RE = re.compile(r"([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))([a-zA-Z]*|[eE][+-]?[0-9]+)")
_BINARY_SUFFIXES = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL_SUFFIXES = {
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "": Decimal(1),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
}


def quantity_value(text: str) -> Decimal | None:
    """The value of a Kubernetes resource quantity, or None when it is not one."""
    match = _QUANTITY_RE.fullmatch(text)
    if match is None:
        return None
    number, suffix = match.groups()
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    if suffix in _BINARY_SUFFIXES:
        return value * _BINARY_SUFFIXES[suffix]
    if suffix in _DECIMAL_SUFFIXES:
        return value * _DECIMAL_SUFFIXES[suffix]
    if suffix[:1] in ("e", "E"):
        return value * Decimal(10) ** int(suffix[1:])
    return None


def resources(requests_text: str, limits_text: str) -> tuple[dict[str, str], dict[str, str]]:
    """Parse --requests and --limits (`cpu=100m,memory=128Mi`); requests may not exceed limits."""
    requests = _resource_list(requests_text, "--requests")
    limits = _resource_list(limits_text, "--limits")
    for name, request in requests.items():
        limit = limits.get(name)
        if limit is not None and quantity_value(request) > quantity_value(limit):  # type: ignore[operator]
            raise UsageError(
                f"--requests: {name}={request} is more than its limit {name}={limit} (--limits)"
            )
    return requests, limits


def _resource_list(text: str, flag: str) -> dict[str, str]:
    quantities: dict[str, str] = {}
    if not text:
        return quantities
    for item in text.split(","):
        name, found, amount = item.partition("=")
        name, amount = name.strip(), amount.strip()
        if not found or not name:
            raise UsageError(
                f"{flag}: expected NAME=QUANTITY, e.g. cpu=100m,memory=128Mi, not {item!r}"
            )
        if _rules.is_qualified_name(name):
            raise UsageError(f"{flag}: {name!r} is not a resource name")
        value = quantity_value(amount)
        if value is None:
            raise UsageError(
                f"{flag}: {name}={amount!r} is not a quantity (e.g. 100m, 0.5, 128Mi, 1G)"
            )
        if value < 0:
            raise UsageError(f"{flag}: {name}={amount} must not be negative")
        if name == "memory" and value != value.to_integral_value():
            raise UsageError(f"{flag}: memory={amount} is a fraction of a byte")
        if name in quantities:
            raise UsageError(f"{flag}: {name} is given twice")
        quantities[name] = amount
    return quantities


_TOLERATION_RE = re.compile(
    r"(?P<key>[^=:]+)(?:=(?P<value>[^:]*))?:(?P<effect>[^:]+)(?::(?P<seconds>.+))?"
)


def toleration(text: str) -> Toleration:
    """Parse `key[=value]:Effect[:seconds]`."""
    match = _TOLERATION_RE.fullmatch(text)
    if match is None:
        raise UsageError(f"--toleration: expected key[=value]:Effect[:seconds], not {text!r}")
    key, value, effect, seconds = match.group("key", "value", "effect", "seconds")
    reasons = _rules.is_qualified_name(key)
    if reasons:
        raise UsageError(f"--toleration: key {key!r}: {'; '.join(reasons)}")
    if value is not None and _rules.is_valid_label_value(value):
        raise UsageError(
            f"--toleration: value {value!r}: {'; '.join(_rules.is_valid_label_value(value))}"
        )
    if effect not in TAINT_EFFECTS:
        raise UsageError(
            f"--toleration: effect {effect!r} must be one of {', '.join(TAINT_EFFECTS)}"
        )
    if seconds is not None:
        if effect != "NoExecute":
            raise UsageError("--toleration: seconds only apply to the NoExecute effect")
        if not re.fullmatch(r"[0-9]+", seconds):
            raise UsageError(f"--toleration: seconds must be a whole number, not {seconds!r}")
    return Toleration(
        key=key, effect=effect, value=value, seconds=int(seconds) if seconds is not None else None
    )


def pod_template(
    flags: PodFlags,
    app: Container,
    *,
    labels: dict[str, str],
    restart_policy: str | None,
    dns_policy: str | None,
) -> PodTemplate:
    """The pod around `app` (the container kubectl would write), with podgen's flags applied."""
    from podgen._flags import parse_pairs  # kubectl's key=value rules; _flags imports us

    if flags.secure and app.privileged:
        raise UsageError(
            "--secure: conflicts with --privileged (the restricted profile forbids it)"
        )
    if flags.grace_period is not None and flags.grace_period < 0:
        raise UsageError(f"--grace-period: must be 0 or more seconds, not {flags.grace_period}")
    for flag, value in (
        ("--node-name", flags.node_name),
        ("--service-account", flags.service_account),
    ):
        if value is not None:
            reasons = _rules.is_dns1123_subdomain(value)
            if reasons:
                raise UsageError(f"{flag}: {value!r}: {'; '.join(reasons)}")
    parts = _pattern_parts(flags)
    by_kind = probes(flags, app.ports[0] if app.ports else None)
    requests, limits = resources(flags.requests, flags.limits)
    app = replace(
        app,
        volume_mounts=parts.app_mounts,
        liveness_probe=by_kind.get("liveness"),
        readiness_probe=by_kind.get("readiness"),
        startup_probe=by_kind.get("startup"),
        requests=requests,
        limits=limits,
        post_start=shell_words(flags.post_start, "--post-start") if flags.post_start else (),
        pre_stop=shell_words(flags.pre_stop, "--pre-stop") if flags.pre_stop else (),
    )
    # The restricted standard covers every container of the pod, helpers included.
    secured = [replace(c, restricted=flags.secure) for c in (app, *parts.sidecars)]
    return PodTemplate(
        containers=tuple(secured),
        labels=labels,
        restart_policy=restart_policy,
        dns_policy=dns_policy,
        init_containers=tuple(replace(c, restricted=flags.secure) for c in parts.init_containers),
        volumes=parts.volumes,
        node_selector=parse_pairs(flags.node_selector, "--node-selector"),
        node_name=flags.node_name,
        tolerations=tuple(toleration(t) for t in flags.tolerations),
        grace_period=flags.grace_period,
        service_account=flags.service_account,
        restricted=flags.secure,
    )
