"""The API server's rules for a pod spec (pkg/apis/core/validation).

Containers, init containers and sidecars, ports, env, volumes and mounts, probes, lifecycle
hooks, resources, tolerations and scheduling. Pods and the pod templates of other kinds share
them.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import (
    PROTOCOLS,
    Obj,
    Violation,
    check_enum,
    check_labels,
    check_nonnegative,
    check_rule,
    is_int,
    items_at,
)
from podgen._checking.checks_containers import (
    container_fields,
    container_handlers,
    env_name_rule,
    volume_source,
)
from podgen._checking.checks_pod_fields import (
    container_resources,
    env_value_from,
    host_network_ports,
    node_affinity,
    pod_fields,
    security_ids,
)
from podgen._checking.checks_scheduling import pod_scheduling
from podgen._checking.checks_security import pod_security
from podgen._checking.checks_volumes import mount_rules, volume_sources
from podgen._checking.feature_gates import state

_DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")


def check_pod_spec(
    spec: Obj, path: str, claims: frozenset[str] = frozenset()
) -> Iterator[Violation]:
    """Every rule a pod spec breaks.

    `claims`: a StatefulSet's volumeClaimTemplates, which its containers mount as volumes.
    """
    containers = list(items_at(spec, "containers", path))
    if not containers:
        yield Violation(f"{path}.containers", [], "Required value", "containers-required")
    volumes = (yield from _volumes(spec, path)) | claims
    names: set[str] = set()
    ports: dict[tuple[object, ...], str] = {}
    port_names: dict[str, str] = {}
    for container_path, container in items_at(spec, "initContainers", path):
        yield from _container(container, container_path, names, ports, port_names, volumes)
        yield from _init_container(container, container_path)
    for container_path, container in containers:
        yield from _container(container, container_path, names, ports, port_names, volumes)
        yield from check_enum(
            container,
            "restartPolicy",
            container_path,
            _rules.RESTART_POLICIES,
            "container-restart-policy",
        )
    yield from check_enum(
        spec, "restartPolicy", path, _rules.RESTART_POLICIES, "restart-policy", defaulted=True
    )
    yield from check_enum(spec, "dnsPolicy", path, _DNS_POLICIES, "dns-policy", defaulted=True)
    grace = spec.get("terminationGracePeriodSeconds")
    if is_int(grace) and grace < 0:
        # The API server warns and treats it as 1 (pkg/api/pod/warnings.go).
        yield Violation(
            f"{path}.terminationGracePeriodSeconds",
            grace,
            "must be >= 0; negative values are invalid and will be treated as 1",
            "grace-period",
            warning=True,
        )
    for key, rule in (("serviceAccountName", "service-account"), ("nodeName", "node-name")):
        if isinstance(spec.get(key), str) and spec[key]:  # empty: the default account, any node
            yield from check_rule(
                f"{path}.{key}", spec[key], _rules.is_dns1123_subdomain(spec[key]), rule
            )
    yield from check_labels(spec.get("nodeSelector"), f"{path}.nodeSelector", "node-selector")
    for toleration_path, toleration in items_at(spec, "tolerations", path):
        yield from _toleration(toleration, toleration_path)
    if spec.get("hostNetwork") is True:
        yield from host_network_ports(spec, path)
    yield from security_ids(spec.get("securityContext"), f"{path}.securityContext", pod=True)
    for key in ("initContainers", "containers"):
        for container_path, container in items_at(spec, key, path):
            yield from security_ids(
                container.get("securityContext"), f"{container_path}.securityContext"
            )
    affinity = spec.get("affinity")
    if isinstance(affinity, Mapping) and isinstance(affinity.get("nodeAffinity"), Mapping):
        yield from node_affinity(affinity["nodeAffinity"], f"{path}.affinity.nodeAffinity")
    yield from pod_fields(spec, path)
    yield from pod_security(spec, path)
    yield from pod_scheduling(spec, path)
    yield from volume_sources(spec, path)
    yield from mount_rules(spec, path)
    grace = spec.get("terminationGracePeriodSeconds")
    grace = grace if is_int(grace) else 30  # defaulted
    for key in ("initContainers", "containers"):
        for container_path, container in items_at(spec, key, path):
            yield from container_fields(container, container_path)
            yield from container_handlers(container, container_path, grace)


def pod_only(spec: Obj, path: str) -> Iterator[Violation]:
    """validateContainersOnlyForPod: a Pod's images, not a template's, have no outer spaces."""
    for key in ("initContainers", "containers"):
        for container_path, container in items_at(spec, key, path):
            image = container.get("image")
            if isinstance(image, str) and image and image != image.strip():
                yield Violation(
                    f"{container_path}.image",
                    image,
                    "must not have leading or trailing whitespace",
                    "image-whitespace",
                )


def _volumes(spec: Obj, path: str) -> Generator[Violation, None, set[str]]:
    """Check the volumes; evaluates to their names (the generator's return value)."""
    names: set[str] = set()
    for volume_path, volume in items_at(spec, "volumes", path):
        name = str(volume.get("name", ""))
        yield from check_rule(
            f"{volume_path}.name", name, _rules.is_dns1123_label(name), "volume-name"
        )
        if name in names:
            yield Violation(f"{volume_path}.name", name, "Duplicate value", "volume-duplicate")
        names.add(name)
        # No source at all is defaulted to emptyDir before validation.
        sources = [key for key in volume if key != "name"]
        if len(sources) > 1:
            yield Violation(
                volume_path, sources, "may not specify more than 1 volume type", "volume-source"
            )
        yield from volume_source(volume, volume_path)
    return names


def _init_container(container: Obj, path: str) -> Iterator[Violation]:
    # Container restart rules (ContainerRestartRules, on by default from 1.35) let any container
    # set Always, OnFailure or Never; only Always makes an init container a sidecar. Off (1.34),
    # the server drops OnFailure and Never (feature_gates); before the gate, only Always is valid.
    allowed = _rules.RESTART_POLICIES if state("ContainerRestartRules") else ("Always",)
    yield from check_enum(container, "restartPolicy", path, allowed, "init-restart-policy")
    if container.get("restartPolicy") != "Always":
        # A plain init container runs to completion: probes and hooks would never apply.
        for key in ("livenessProbe", "readinessProbe", "startupProbe", "lifecycle"):
            if key in container:
                yield Violation(
                    f"{path}.{key}",
                    "<set>",
                    "Forbidden: may not be set for init containers without restartPolicy=Always",
                    "init-probes",
                )


def _toleration(toleration: Obj, path: str) -> Iterator[Violation]:
    key = toleration.get("key")
    operator = toleration.get("operator") or "Equal"  # defaulted, "" too
    if key:
        yield from check_rule(
            f"{path}.key", key, _rules.is_qualified_name(str(key)), "toleration-key"
        )
    elif operator != "Exists":
        yield Violation(
            f"{path}.operator",
            operator,
            "operator must be Exists when `key` is empty",
            "toleration-operator",
        )
    if operator not in ("Equal", "Exists"):
        yield Violation(
            f"{path}.operator",
            operator,
            'supported values: "Equal", "Exists"',
            "toleration-operator",
        )
    value = toleration.get("value")
    if operator == "Exists" and value:
        yield Violation(
            f"{path}.operator",
            value,
            "value must be empty when `operator` is 'Exists'",
            "toleration-operator",
        )
    if isinstance(value, str) and value:
        yield from check_rule(
            f"{path}.value", value, _rules.is_valid_label_value(value), "toleration-value"
        )
    # An empty effect matches every effect.
    yield from check_enum(
        toleration, "effect", path, _rules.TAINT_EFFECTS, "toleration-effect", defaulted=True
    )
    if toleration.get("tolerationSeconds") is not None and toleration.get("effect") != "NoExecute":
        yield Violation(
            f"{path}.effect",
            toleration.get("effect"),
            "effect must be 'NoExecute' when `tolerationSeconds` is set",
            "toleration-seconds",
        )


def _container(
    container: Obj,
    path: str,
    names: set[str],
    ports: dict[tuple[object, ...], str],
    port_names: dict[str, str],
    volumes: set[str],
) -> Iterator[Violation]:
    name = container.get("name")
    if not isinstance(name, str) or not name:
        yield Violation(f"{path}.name", name, "Required value", "container-name")
    else:
        yield from check_rule(f"{path}.name", name, _rules.is_dns1123_label(name), "container-name")
        if name in names:
            yield Violation(f"{path}.name", name, "Duplicate value", "container-name-duplicate")
        names.add(name)
    image = container.get("image")
    if not isinstance(image, str) or not image:
        yield Violation(f"{path}.image", image, "Required value", "image-required")
    yield from _ports(container, path, ports, port_names)
    seen_env: set[str] = set()
    for env_path, env in items_at(container, "env", path):
        env_name = env.get("name")
        if not isinstance(env_name, str):
            continue
        yield from check_rule(f"{env_path}.name", env_name, env_name_rule(env_name), "env-name")
        if env_name in seen_env:
            # The API server only warns: the later value wins, and apply may drop one.
            yield Violation(
                f"{env_path}.name", env_name, "Duplicate value", "env-duplicate", warning=True
            )
        seen_env.add(env_name)
        if isinstance(env.get("valueFrom"), Mapping):
            yield from env_value_from(env, f"{env_path}.valueFrom")
    yield from check_enum(
        container,
        "imagePullPolicy",
        path,
        _rules.IMAGE_PULL_POLICIES,
        "image-pull-policy",
        defaulted=True,
    )
    mount_paths: set[str] = set()
    for mount_path_, mount in items_at(container, "volumeMounts", path):
        if mount.get("name") not in volumes:
            yield Violation(f"{mount_path_}.name", mount.get("name"), "Not found", "mount-volume")
        # The API server wants a path, not an absolute one: a Windows pod mounts at C:\\data.
        where = str(mount.get("mountPath", ""))
        if not where:
            yield Violation(f"{mount_path_}.mountPath", where, "Required value", "mount-path")
        elif where in mount_paths:
            yield Violation(f"{mount_path_}.mountPath", where, "must be unique", "mount-path")
        mount_paths.add(where)
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        if isinstance(container.get(kind), Mapping):
            yield from _probe(container[kind], f"{path}.{kind}", kind)
    lifecycle = container.get("lifecycle")
    if isinstance(lifecycle, Mapping):
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), Mapping):
                yield from _handler(
                    lifecycle[hook],
                    f"{path}.lifecycle.{hook}",
                    ("exec", "httpGet", "tcpSocket", "sleep"),
                    "lifecycle-handler",
                )
    if isinstance(container.get("resources"), Mapping):
        yield from container_resources(container["resources"], f"{path}.resources")
    security = container.get("securityContext")
    escalation = isinstance(security, Mapping) and security.get("allowPrivilegeEscalation")
    if isinstance(security, Mapping) and security.get("privileged") and escalation is False:
        yield Violation(
            f"{path}.securityContext",
            security,
            "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            "privileged-escalation",
        )


def _ports(
    container: Obj,
    path: str,
    ports: dict[tuple[object, ...], str],
    port_names: dict[str, str],
) -> Iterator[Violation]:
    """validateContainerPorts, and the pod's port warnings (pkg/api/pod/warnings.go).

    A port name is unique within its container; the same name in two containers, or the same
    port (number, protocol, host port and IP) twice in the pod, the API server only warns
    about. 53/UDP and 53/TCP are two ports.
    """
    own_names: set[str] = set()
    for port_path, port in items_at(container, "ports", path):
        number = port.get("containerPort")
        if is_int(number):
            yield from check_rule(
                f"{port_path}.containerPort", number, _rules.is_valid_port_num(number), "port-range"
            )
            key = (
                number,
                port.get("protocol") or "TCP",
                port.get("hostPort") or 0,
                port.get("hostIP") or "",
            )
            if key in ports:
                yield Violation(
                    f"{port_path}.containerPort",
                    number,
                    f"duplicate port definition with {ports[key]}: the containers of a pod "
                    "share one network namespace, so only one can listen on it",
                    "port-duplicate",
                    warning=True,
                )
            ports.setdefault(key, port_path)
        port_name = port.get("name")
        if isinstance(port_name, str):
            yield from check_rule(
                f"{port_path}.name", port_name, _rules.is_valid_port_name(port_name), "port-name"
            )
            if port_name in own_names:
                yield Violation(
                    f"{port_path}.name", port_name, "Duplicate value", "port-name-duplicate"
                )
            elif port_name in port_names:
                yield Violation(
                    f"{port_path}.name",
                    port_name,
                    f"duplicate port name with {port_names[port_name]}, services "
                    f"and probes that select ports by name will use {port_names[port_name]}",
                    "port-name-shared",
                    warning=True,
                )
            own_names.add(port_name)
            port_names.setdefault(port_name, port_path)
        yield from check_enum(
            port, "protocol", port_path, PROTOCOLS, "port-protocol", defaulted=True
        )


def _handler(handler: Obj, path: str, kinds: tuple[str, ...], rule: str) -> Iterator[Violation]:
    present = [k for k in kinds if k in handler]
    if len(present) != 1:
        yield Violation(path, present, "must specify exactly one handler type", rule)
        return
    (kind,) = present
    action = handler[kind] if isinstance(handler[kind], Mapping) else {}
    if kind == "exec" and not action.get("command"):
        yield Violation(f"{path}.exec.command", [], "Required value", rule)
    if kind == "httpGet":
        yield from check_enum(
            action, "scheme", f"{path}.httpGet", ("HTTP", "HTTPS"), rule, defaulted=True
        )
    if kind in ("httpGet", "tcpSocket", "grpc"):
        port = action.get("port")
        if is_int(port):
            yield from check_rule(f"{path}.{kind}.port", port, _rules.is_valid_port_num(port), rule)
        elif isinstance(port, str) and port:
            yield from check_rule(
                f"{path}.{kind}.port", port, _rules.is_valid_port_name(port), rule
            )
        else:
            yield Violation(f"{path}.{kind}.port", port, "Required value", rule)


def _probe(probe: Obj, path: str, kind: str) -> Iterator[Violation]:
    yield from _handler(probe, path, ("exec", "httpGet", "tcpSocket", "grpc"), "probe-handler")
    for field in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
        "terminationGracePeriodSeconds",
    ):
        yield from check_nonnegative(probe, field, path, "probe-timing")
    if kind != "readinessProbe" and probe.get("successThreshold", 1) not in (0, 1):  # 0: unset
        yield Violation(
            f"{path}.successThreshold",
            probe["successThreshold"],
            "must be 1",
            "probe-success-threshold",
        )
