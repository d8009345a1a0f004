"""kubectl run's flags, parsed the way kubectl parses them, into the typed spec.

Every rule and message here follows kubectl 1.37 (`pkg/cmd/run/run.go`,
`pkg/cmd/create/create_deployment.go`), so podgen fails where kubectl fails. podgen is stricter
where the API server is: those checks run later, on the rendered manifest, and `source_of`
maps the failing field back to the flag that set it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from podgen import _rules
from podgen._errors import UsageError
from podgen._pod_flags import PodFlags, pod_template
from podgen._spec import (
    IMAGE_PULL_POLICIES,
    RESTART_POLICIES,
    Container,
    Deployment,
    EnvVar,
    Kind,
    Manifest,
    Pod,
    Service,
)


@dataclass(frozen=True)
class RunFlags:
    """The raw values of `podgen new`'s kubectl-compatible flags, as typed by the user."""

    name: str
    image: str
    port: str | None = None
    labels: str = ""
    env: Sequence[str] = ()
    restart: str = "Always"
    command: bool = False
    args: Sequence[str] = ()
    annotations: Sequence[str] = ()
    namespace: str | None = None
    image_pull_policy: str = ""
    privileged: bool = False
    expose: bool = False
    kind: Kind = Kind.POD
    replicas: int | None = None
    #: podgen's own flags: patterns, probes, resources, scheduling, lifecycle, --secure.
    pod: PodFlags = field(default_factory=PodFlags)


def build_manifests(flags: RunFlags) -> list[Manifest]:
    """Turn kubectl-style flags into the objects kubectl would print, in kubectl's order."""
    _require_utf8(flags)
    if not flags.image:
        raise UsageError("--image is required")
    if not _rules.is_image_reference(flags.image):
        raise UsageError(f'--image: invalid image name "{flags.image}": invalid reference format')
    port = _parse_port(flags.port)
    if flags.expose and port is None:
        raise UsageError("--expose: --port must be set when exposing a service")
    labels = parse_labels(flags.labels)
    env = parse_env(flags.env)
    annotations = parse_pairs(flags.annotations, "--annotations")
    restart = parse_restart_policy(flags.restart)
    pull_policy = parse_image_pull_policy(flags.image_pull_policy)
    deployment = flags.kind is Kind.DEPLOYMENT
    if deployment and restart != "Always":
        raise UsageError('--restart: a Deployment\'s pods must use restartPolicy "Always"')
    if not deployment and flags.replicas is not None:
        raise UsageError("--replicas: only applies with --kind deployment")
    container = Container(
        # kubectl run names the container after the pod; create deployment after the image.
        name=container_name_from_image(flags.image) if deployment else flags.name,
        image=flags.image,
        command=tuple(flags.args) if flags.command else (),
        args=() if flags.command else tuple(flags.args),
        ports=(port,) if port is not None else (),
        env=env,
        image_pull_policy=pull_policy,
        privileged=flags.privileged,
    )
    # kubectl run labels a pod run=NAME; kubectl create deployment labels it app=NAME.
    pod_labels = labels or ({"app": flags.name} if deployment else {"run": flags.name})
    template = pod_template(
        flags.pod,
        container,
        labels=pod_labels,
        # kubectl create deployment writes neither policy; kubectl run writes both.
        restart_policy=None if deployment else restart,
        dns_policy=None if deployment else "ClusterFirst",
    )
    workload: Pod | Deployment
    if deployment:
        workload = Deployment(
            name=flags.name,
            template=template,
            labels=pod_labels,
            replicas=1 if flags.replicas is None else flags.replicas,
            namespace=flags.namespace,
            annotations=annotations,
        )
        service_labels = pod_labels  # as `kubectl expose deployment` copies them
    else:
        workload = Pod(
            name=flags.name, template=template, namespace=flags.namespace, annotations=annotations
        )
        service_labels = labels  # kubectl run --expose copies only labels given with -l
    manifests: list[Manifest] = [workload]
    if flags.expose and port is not None:  # --expose without --port was refused above
        manifests.append(
            Service(
                name=flags.name,
                selector=workload.template.labels,
                port=port,
                target_port=port,
                labels=service_labels,
                namespace=flags.namespace,
            )
        )
    return manifests


_FLAG_NAMES = {
    "name": "NAME",
    "image": "--image",
    "port": "--port",
    "labels": "--labels",
    "env": "--env",
    "restart": "--restart",
    "args": "ARGS after --",
    "annotations": "--annotations",
    "namespace": "--namespace",
    "image_pull_policy": "--image-pull-policy",
}


def _require_utf8(flags: RunFlags) -> None:
    """Refuse bytes that are not UTF-8 (Python hands them over as lone surrogates)."""
    for attribute, flag in _FLAG_NAMES.items():
        value = getattr(flags, attribute)
        for text in [value] if isinstance(value, str) or value is None else value:
            if text is not None and re.search("[\ud800-\udfff]", text):
                shown = text.encode("utf-8", "surrogateescape")
                raise UsageError(f"{flag}: {shown!r} is not valid UTF-8")


_GO_ATOI_RE = re.compile(r"[+-]?[0-9]+")


def _parse_port(port: str | None) -> int | None:
    if port is None or port == "":
        return None
    if not _GO_ATOI_RE.fullmatch(port):
        raise UsageError(f"--port: --port must be a number, not {port!r}")
    return int(port)


def parse_labels(spec: str) -> dict[str, str]:
    """Parse `a=b,c=d` exactly as kubectl run does (no '=' inside keys or values)."""
    if not spec:
        return {}
    labels: dict[str, str] = {}
    for item in spec.split(","):
        parts = item.split("=")
        if len(parts) != 2:
            raise UsageError(f"--labels: unexpected label spec: {item}")
        if not parts[0]:
            raise UsageError("--labels: unexpected empty label key")
        labels[parts[0]] = parts[1]
    return labels


def parse_env(items: Sequence[str]) -> tuple[EnvVar, ...]:
    """Parse repeated `--env NAME=VALUE` as kubectl run does."""
    env = []
    for item in items:
        name, found, value = item.partition("=")
        reasons = _rules.is_env_var_name(name) if name else ["name must not be empty"]
        if not found or reasons:
            detail = "; ".join(reasons) if found else "expected NAME=VALUE"
            raise UsageError(f"--env: invalid env: {item} ({detail})")
        # kubectl turns CRLF line ends in --env and --annotations values into LF.
        env.append(EnvVar(name=name, value=value.replace("\r\n", "\n")))
    return tuple(env)


def parse_pairs(items: Sequence[str], flag: str) -> dict[str, str]:
    """Parse repeated `key=value` flags like kubectl's cmdutil.ParsePairs."""
    pairs: dict[str, str] = {}
    invalid = [item for item in items if "=" not in item or item.startswith("=")]
    if invalid:
        raise UsageError(f"{flag}: invalid {flag.lstrip('-')} format: {', '.join(invalid)}")
    for item in items:
        key, _, value = item.partition("=")
        pairs[key] = value.replace("\r\n", "\n")
    return pairs


def parse_restart_policy(value: str) -> str:
    """Validate --restart (empty means kubectl's default, Always)."""
    if not value:
        return "Always"
    if value not in RESTART_POLICIES:
        raise UsageError(
            f"--restart: invalid restart policy: {value}, "
            f"valid values are: {', '.join(RESTART_POLICIES)}"
        )
    return value


def parse_image_pull_policy(value: str) -> str | None:
    """Validate --image-pull-policy (empty leaves it to the API server)."""
    if not value:
        return None
    if value not in IMAGE_PULL_POLICIES:
        raise UsageError(
            f"--image-pull-policy: invalid image pull policy: {value}, "
            f"valid values are: {', '.join(IMAGE_PULL_POLICIES)}"
        )
    return value


def container_name_from_image(image: str) -> str:
    """Name a container after its image, as kubectl create deployment does.

    kubectl keeps the last path segment without tag or digest and, when that holds '.' or '_',
    replaces them with '-' and appends five random characters. podgen output is deterministic,
    so it replaces the characters and appends nothing.
    """
    name = image.split("/")[-1].split(":")[0].split("@")[0]
    return name.replace("_", "-").replace(".", "-")


# Where each manifest field came from, so API-rule errors name the flag (most specific first).
_FLAG_SOURCES = (
    (re.compile(r"metadata\.name$"), "NAME"),
    (re.compile(r"spec\.containers\[0\]\.name$"), "NAME"),
    (re.compile(r"spec\.template\.spec\.containers\[0\]\.name$"), "--image"),
    (re.compile(r".*metadata\.namespace$"), "--namespace"),
    (re.compile(r".*metadata\.annotations.*"), "--annotations"),
    (re.compile(r".*(metadata\.labels|selector).*"), "--labels"),
    (re.compile(r".*\.image$"), "--image"),
    (re.compile(r".*\.env\[\d+\].*"), "--env"),
    (re.compile(r".*containers\[[1-9]\d*\]\.ports.*"), "--sidecar-port"),
    (re.compile(r".*initContainers.*ports.*"), "--sidecar-port"),
    (re.compile(r".*(Probe).*"), "--probe"),
    (re.compile(r".*\.resources.*"), "--requests/--limits"),
    (re.compile(r".*\.tolerations.*"), "--toleration"),
    (re.compile(r".*\.nodeSelector.*"), "--node-selector"),
    (re.compile(r".*\.lifecycle.*"), "--post-start/--pre-stop"),
    (re.compile(r".*(volumes|volumeMounts).*"), "--shared-path/--volume-name"),
    (re.compile(r".*initContainers.*name$"), "--init-name/--wait-for"),
    (re.compile(r".*containers\[[1-9]\d*\]\.name$"), "--sidecar-name"),
    (re.compile(r".*\.(args|command)(\[\d+\])?$"), "ARGS after --"),
    (re.compile(r".*(containerPort|\.port|targetPort)$"), "--port"),
    (re.compile(r".*\.replicas$"), "--replicas"),
)


def source_of(path: str, flags: RunFlags) -> str | None:
    """The flag that set the manifest field at `path`, if podgen knows it."""
    for pattern, flag in _FLAG_SOURCES:
        if pattern.match(path):
            if flag == "--labels" and not flags.labels:
                default = "app" if flags.kind is Kind.DEPLOYMENT else "run"
                return f"NAME (as the default label {default}=NAME)"
            return flag
    return None
