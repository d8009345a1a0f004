"""Turn a PodRequest into the objects to render: the checks that span fields, and assembly.

Both front ends (flags and blueprints) end here. Every error is a `SpecError` naming the
blueprint key at fault (`probe.port`); the front end shows it as a flag or as file:line.
Rules on single values that the API server owns (label syntax, port ranges in manifests)
run later, in `_checking.checks`, on the rendered objects.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping

from podgen._building.images import container_name_from_image as container_name_from_image
from podgen._building.images import more_containers
from podgen._building.request_checks import check_request
from podgen._checking import rules as _rules
from podgen._errors import SpecError, one_of, quoted
from podgen._model.spec import (
    DEFAULT_HELPER_IMAGE,
    DEFAULT_INIT_NAME,
    DEFAULT_INIT_PATH,
    DEFAULT_LOG_FILE,
    DEFAULT_SIDECAR_NAME,
    DEFAULT_SIDECAR_PATH,
    DEFAULT_VOLUME_NAME,
    PROBE_KINDS,
    Container,
    Controller,
    CronJob,
    DaemonSet,
    Deployment,
    Job,
    Kind,
    Manifest,
    Pattern,
    Pod,
    PodRequest,
    PodTemplate,
    Probe,
    ProbeHandler,
    ReplicaSet,
    Service,
    ServicePort,
    StatefulSet,
    VolumeMount,
    Workload,
)
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The image of the --wait-for init container: it needs a shell and nslookup.
WAIT_FOR_IMAGE = DEFAULT_HELPER_IMAGE


def build_manifests(request: PodRequest) -> list[Manifest]:
    """The workload (and its Service, with expose) a request describes, in kubectl's order."""
    check_request(request)
    kind = request.kind
    app = Container(
        # kubectl run (and create job) names the container after the object; create deployment
        # after the image.
        name=request.container_name
        or (container_name_from_image(request.image) if kind.is_controller else request.name),
        image=request.image,
        command=request.command,
        args=request.args,
        ports=(request.port,) if request.port is not None else (),
        env=request.env,
        image_pull_policy=request.image_pull_policy,
        privileged=request.privileged,
    )
    # kubectl run labels a pod run=NAME; kubectl create deployment labels it app=NAME (and
    # podgen every controller); kubectl create job and cronjob write no labels.
    default_labels = {} if kind.is_batch else {"app" if kind.is_controller else "run": request.name}
    labels = request.labels if request.labels is not None else default_labels
    # A controller selects its pods by its selector (default: its labels), and its pods carry
    # their own labels (default: the selector).
    selector = (request.selector or labels) if kind.is_controller else labels
    template = pod_template(
        request,
        app,
        more=more_containers(request, app.name),
        # The pods' labels default to the selector (a Job's and a bare Pod's: the labels).
        labels=selector if request.pod_labels is None else request.pod_labels,
        # kubectl create deployment writes neither policy; kubectl run writes both; create
        # job and cronjob write their restartPolicy (Never; OnFailure) and no dnsPolicy.
        restart_policy=None if kind.is_controller else request.restart or _restart(request),
        dns_policy="ClusterFirst" if kind is Kind.POD else None,
    )
    workload: Workload
    if kind.is_batch:
        workload = _batch(request, template, labels)
    elif kind.is_controller:
        workload = _controller(request, template, labels, selector)
    else:
        workload = Pod(
            name=request.name,
            template=template,
            namespace=request.namespace,
            annotations=request.annotations,
        )
    manifests: list[Manifest] = [workload]
    service = _service(request, labels, selector)
    if service is not None:
        manifests.append(service)
    return manifests


#: The restartPolicy each kind's pods get when none is asked for, as kubectl writes it.
_RESTART = {Kind.POD: "Always", Kind.JOB: "Never", Kind.CRONJOB: "OnFailure"}


def _restart(request: PodRequest) -> str:
    """The restartPolicy a pod gets when none is asked for.

    A Job with a podFailurePolicy may only restart Never (the API server refuses OnFailure:
    the kubelet would restart a failed container before the policy could see it fail), so a
    CronJob's OnFailure gives way to Never there.
    """
    if "podFailurePolicy" in request.words:
        return "Never"
    return _RESTART[request.kind]


def _controller(
    request: PodRequest,
    template: PodTemplate,
    labels: Mapping[str, str],
    selector: Mapping[str, str],
) -> Controller:
    """A Deployment, StatefulSet, DaemonSet or ReplicaSet, as kubectl create deployment writes."""
    common: dict[str, Any] = {
        "name": request.name,
        "template": template,
        "labels": labels,
        "selector": selector,
        "namespace": request.namespace,
        "annotations": request.annotations,
        "pod_annotations": request.pod_annotations,
    }
    if request.kind is Kind.DAEMONSET:  # one pod per node: no replicas
        return DaemonSet(**common)
    # kubectl create deployment always writes replicas, 1 unless told otherwise; a plain
    # skeleton leaves the API server's default (1) unwritten.
    replicas = request.replicas
    if replicas is None and request.kubectl_skeleton:
        replicas = 1
    if request.kind is Kind.STATEFULSET:
        return StatefulSet(
            **common, replicas=replicas, service_name=request.service_name or request.name
        )
    if request.kind is Kind.REPLICASET:
        return ReplicaSet(**common, replicas=replicas)
    return Deployment(**common, replicas=replicas)


def _service(
    request: PodRequest, labels: Mapping[str, str], selector: Mapping[str, str]
) -> Service | None:
    """The Service `expose` asks for: kubectl's ClusterIP one, or a StatefulSet's headless one.

    A StatefulSet's pods get their DNS names (NAME-0.SERVICE) from its governing Service, so it
    is written unless `expose` is false; it is headless (clusterIP None) and needs no port.
    """
    kind = request.kind
    wanted = request.expose if request.expose is not None else kind is Kind.STATEFULSET
    if not wanted:
        return None
    ports = (
        (ServicePort(port=request.port, target_port=request.port),)
        if request.port is not None
        else ()
    )
    if kind is Kind.STATEFULSET:
        return Service(
            name=request.service_name or request.name,
            selector=selector,
            ports=ports,
            labels=labels,
            namespace=request.namespace,
            cluster_ip="None",
            kubectl_skeleton=request.kubectl_skeleton,
        )
    return Service(
        name=request.name,
        selector=selector,
        ports=ports,  # expose without a port is refused by check_request
        # `kubectl expose deployment` copies the Deployment's labels; kubectl run --expose
        # copies only labels the user asked for.
        labels=labels if kind.is_controller else (request.labels or {}),
        namespace=request.namespace,
        kubectl_skeleton=request.kubectl_skeleton,
    )


def _batch(request: PodRequest, template: PodTemplate, labels: Mapping[str, str]) -> Job | CronJob:
    if request.kind is Kind.JOB:
        return Job(
            name=request.name,
            template=template,
            namespace=request.namespace,
            labels=labels,
            annotations=request.annotations,
            pod_annotations=request.pod_annotations,
        )
    return CronJob(
        name=request.name,
        template=template,
        schedule=request.schedule or "",
        namespace=request.namespace,
        labels=labels,
        annotations=request.annotations,
        pod_annotations=request.pod_annotations,
        job_labels=request.job_labels,
        job_annotations=request.job_annotations,
    )


def pod_template(
    request: PodRequest,
    app: Container,
    *,
    more: tuple[Container, ...] = (),
    labels: Mapping[str, str],
    restart_policy: str | None,
    dns_policy: str | None,
) -> PodTemplate:
    """The pod around `app` (the container kubectl would write), with podgen's options."""
    parts = _pattern_parts(request)
    by_kind = _probes(request)
    app = app._replace(
        volume_mounts=parts.app_mounts,
        liveness_probe=by_kind.get("liveness"),
        readiness_probe=by_kind.get("readiness"),
        startup_probe=by_kind.get("startup"),
        requests=request.requests,
        limits=request.limits,
        post_start=request.post_start,
        pre_stop=request.pre_stop,
    )
    # The restricted standard covers every container of the pod, helpers included; so does
    # the choice of skeleton.
    plain = not request.kubectl_skeleton

    def finished(container: Container) -> Container:
        return container._replace(restricted=request.secure, kubectl_skeleton=not plain)

    if plain:  # the API server's defaults, left for it to fill in (a written restart is kept)
        restart_policy = restart_policy if request.restart or restart_policy != "Always" else None
        dns_policy = None if dns_policy == "ClusterFirst" else dns_policy
    return PodTemplate(
        containers=tuple(finished(c) for c in (app, *more, *parts.sidecars)),
        labels=labels,
        restart_policy=restart_policy,
        dns_policy=dns_policy,
        init_containers=tuple(finished(c) for c in parts.init_containers),
        volumes=parts.volumes,
        node_selector=request.node_selector,
        node_name=request.node_name,
        tolerations=request.tolerations,
        grace_period=request.grace_period,
        service_account=request.service_account,
        restricted=request.secure,
        words=request.words,
        overrides=request.overrides,
        kubectl_skeleton=not plain,
    )


class _PatternParts(NamedTuple):
    """What a pattern adds around the app container."""

    init_containers: tuple[Container, ...] = ()
    sidecars: tuple[Container, ...] = ()
    volumes: tuple[str, ...] = ()
    app_mounts: tuple[VolumeMount, ...] = ()


def _only_with(request: PodRequest, pattern: Pattern, fields: dict[str, object]) -> None:
    if request.pattern is not pattern:
        for key, value in fields.items():
            if value not in (None, False, ()):
                raise SpecError(key, f"only applies with {{pattern}} {pattern.value}")


def _absolute(path: str, key: str) -> str:
    if not path.startswith("/"):
        raise SpecError(key, f"{quoted(path)} must be an absolute path (start with /)")
    return path


def _dns_label(value: str, key: str) -> str:
    reasons = _rules.is_dns1123_label(value)
    if reasons:
        raise SpecError(key, f"{quoted(value)}: {'; '.join(reasons)}")
    return value


def _port(port: int, key: str) -> int:
    if _rules.is_valid_port_num(port):
        raise SpecError(key, f"{port} must be between 1 and 65535")
    return port


def _pattern_parts(request: PodRequest) -> _PatternParts:
    """The init and sidecar containers and the shared volume a pattern adds."""
    _only_with(
        request,
        Pattern.INIT,
        {"init.image": request.init_image, "init.command": request.init_command},
    )
    _only_with(
        request,
        Pattern.SIDECAR,
        {
            "sidecar.image": request.sidecar_image,
            "sidecar.command": request.sidecar_command,
            "sidecar.name": request.sidecar_name,
            "sidecar.port": request.sidecar_port,
            "sidecar.native": request.native_sidecar,
        },
    )
    if request.pattern is Pattern.RUNTIME:
        for key, value in (
            ("sharedPath", request.shared_path),
            ("helperPath", request.helper_path),
            ("volumeName", request.volume_name),
            ("init.name", request.init_name),
        ):
            if value is not None:
                raise SpecError(key, "only applies with {pattern} init or sidecar")
    elif request.pattern is Pattern.SIDECAR and request.init_name is not None:
        raise SpecError("init.name", "only applies with {pattern} init")

    waits = tuple(_wait_for(service) for service in request.wait_for)
    if request.pattern is Pattern.RUNTIME:
        return _PatternParts(init_containers=waits)

    default_path = DEFAULT_INIT_PATH if request.pattern is Pattern.INIT else DEFAULT_SIDECAR_PATH
    app_path = _absolute(request.shared_path or default_path, "sharedPath")
    helper_path = _absolute(request.helper_path or app_path, "helperPath")
    volume = _dns_label(request.volume_name or DEFAULT_VOLUME_NAME, "volumeName")
    helper_mount = (VolumeMount(name=volume, mount_path=helper_path),)
    app_mounts = (VolumeMount(name=volume, mount_path=app_path),)

    if request.pattern is Pattern.INIT:
        init = Container(
            name=_dns_label(request.init_name or DEFAULT_INIT_NAME, "init.name"),
            image=request.init_image or DEFAULT_HELPER_IMAGE,
            command=_command(request.init_command, "init.command")
            or _default_init_command(helper_path),
            volume_mounts=helper_mount,
        )
        return _PatternParts((*waits, init), (), (volume,), app_mounts)

    native = request.native_sidecar
    if native is None:  # a Job completes when its containers end: a sidecar must be native
        native = request.kind.is_batch
    elif not native and request.kind.is_batch:
        raise SpecError(
            "sidecar.native",
            f"a {request.kind.object_kind}'s sidecar must be native: a plain one runs on after "
            "the app ends, so the Job never completes (a native sidecar is stopped then)",
        )
    sidecar = Container(
        name=_dns_label(request.sidecar_name or DEFAULT_SIDECAR_NAME, "sidecar.name"),
        image=request.sidecar_image or DEFAULT_HELPER_IMAGE,
        command=_command(request.sidecar_command, "sidecar.command")
        or _default_sidecar_command(helper_path),
        ports=(_port(request.sidecar_port, "sidecar.port"),) if request.sidecar_port else (),
        volume_mounts=helper_mount,
        restart_policy="Always" if native else None,
    )
    if native:
        # A native sidecar is an init container that keeps running: it starts before the app
        # and is stopped after it (Kubernetes 1.29 and later).
        return _PatternParts((*waits, sidecar), (), (volume,), app_mounts)
    return _PatternParts(waits, (sidecar,), (volume,), app_mounts)


def _command(words: tuple[str, ...] | None, key: str) -> tuple[str, ...]:
    if words is not None and not words:
        raise SpecError(key, "the command is empty")
    return words or ()


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
        raise SpecError("waitFor", f"{quoted(service)} is not a Service name: {'; '.join(reasons)}")
    name = f"wait-for-{service}"
    if len(name) > _rules.DNS1123_LABEL_MAX:
        name = name[: _rules.DNS1123_LABEL_MAX].rstrip("-")
    script = (
        f"until nslookup {service}.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"
        f".svc.cluster.local; do echo waiting for {service}; sleep 2; done"
    )
    return Container(name=name, image=WAIT_FOR_IMAGE, command=("sh", "-c", script))


#: The probe handlers each setting applies to (the rest: all but none), for every refusal.
_PROBE_HANDLERS = {"probe.port": "http tcp grpc", "probe.path": "http", "probe.command": "exec"}


def _probes(request: PodRequest) -> dict[str, Probe]:
    """The app container's probes, keyed by kind (liveness, readiness, startup)."""
    asked = request.probe
    tuning = {
        "probe.kinds": asked.kinds,
        "probe.path": asked.path,
        "probe.port": asked.port,
        "probe.command": asked.command,
        "probe.initialDelay": asked.initial_delay,
        "probe.period": asked.period,
        "probe.timeout": asked.timeout,
        "probe.successThreshold": asked.success_threshold,
        "probe.failureThreshold": asked.failure_threshold,
    }
    for key, value in tuning.items():
        handlers = _PROBE_HANDLERS.get(key, "http tcp exec grpc").split()
        if value is not None and asked.type.value not in handlers:
            raise SpecError(key, f"only applies with {{probe.type}} {one_of(handlers)}")
    if asked.type is ProbeHandler.NONE:
        return {}
    kinds = _probe_kinds(asked.kinds or ("liveness", "readiness"))
    port = asked.port if asked.port is not None else request.port
    declared = _declared_ports(request)
    if port is None and len(declared) == 1:  # the one port the app declares
        only = declared[0]
        port = only.get("name") or only.get("containerPort")
        if asked.type is ProbeHandler.GRPC or not isinstance(port, str):
            port = only.get("containerPort")
    if asked.type is ProbeHandler.EXEC:
        if not asked.command:
            raise SpecError(
                "probe.command", 'required with {probe.type} exec, e.g. "cat /tmp/healthy"'
            )
    else:
        if port is None:
            raise SpecError(
                "probe.type",
                f"the {asked.type.value} probe needs a port: give {{probe.port}} or {{port}}",
            )
        if isinstance(port, str):
            _port_name(port, asked.type, declared)
        else:
            _port(port, "probe.port" if asked.port is not None else "port")
    for key, value, least in (
        ("probe.initialDelay", asked.initial_delay, 0),
        ("probe.period", asked.period, 1),
        ("probe.timeout", asked.timeout, 1),
        ("probe.successThreshold", asked.success_threshold, 1),
        ("probe.failureThreshold", asked.failure_threshold, 1),
    ):
        if value is not None and value < least:
            raise SpecError(key, f"must be {least} or more, not {value}")
    if asked.success_threshold not in (None, 1) and kinds != ("readiness",):
        raise SpecError(
            "probe.successThreshold",
            "must be 1 for liveness and startup probes; "
            "only a readiness probe may need several successes",
        )
    probe = Probe(
        handler=asked.type,
        port=None if asked.type is ProbeHandler.EXEC else port,
        path=asked.path or "/",
        command=asked.command or (),
        initial_delay=asked.initial_delay,
        period=asked.period,
        timeout=asked.timeout,
        success_threshold=asked.success_threshold,
        failure_threshold=asked.failure_threshold,
    )
    return dict.fromkeys(kinds, probe)


def _declared_ports(request: PodRequest) -> list[Mapping[str, Any]]:
    """The app container's ports: the `ports` word's (which replaces `port`'s), or `port`."""
    ports = request.words.get("ports")
    if isinstance(ports, list):
        return [p for p in ports if isinstance(p, Mapping)]
    return [] if request.port is None else [{"containerPort": request.port}]


def _port_name(name: str, handler: ProbeHandler, declared: list[Mapping[str, Any]]) -> None:
    """A probe's named port: an IANA service name the app container declares (not for grpc).

    The API server takes any valid name, but the kubelet finds the port by name in the
    container's own ports: a name none declares fails every probe.
    """
    if handler is ProbeHandler.GRPC:
        shown = quoted(name)
        raise SpecError("probe.port", f"{shown}: a grpc probe's port is a number, not a name")
    reasons = _rules.is_valid_port_name(name)
    if reasons:
        raise SpecError("probe.port", f'Invalid value: "{name}": {"; ".join(reasons)}')
    names = [str(p["name"]) for p in declared if p.get("name")]
    if name not in names:
        known = f"; the named ones: {', '.join(names)}" if names else ""
        raise SpecError("probe.port", f"no container port is named {quoted(name)}{known}")


def _probe_kinds(kinds: tuple[str, ...]) -> tuple[str, ...]:
    seen: list[str] = []
    for kind in kinds:
        if kind not in PROBE_KINDS:
            raise SpecError(
                "probe.kinds", f"unknown probe kind {quoted(kind)}; use {', '.join(PROBE_KINDS)}"
            )
        if kind in seen:
            raise SpecError("probe.kinds", f"{kind} is listed twice")
        seen.append(kind)
    return tuple(seen)
