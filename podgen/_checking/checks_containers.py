"""The API server's rules on a container's own fields and on the volumes pods mount.

envFrom and the ConfigMap and Secret keys env reads, volume mounts' subPath and propagation,
host ports, probes' termination grace; volume sources' required names and paths, file modes
and hostPath types (pkg/apis/core/validation). `_checking.checks_pod` calls them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import Obj, Violation, check_enum, check_rule, is_int, items_at
from podgen._checking.checks_pod_fields import seccomp
from podgen._checking.feature_gates import enabled


def container_fields(container: Obj, path: str) -> Iterator[Violation]:
    """A container's own fields: envFrom, key references, mounts, host ports, probes, seccomp."""
    for source_path, source in items_at(container, "envFrom", path):
        refs = [key for key in ("configMapRef", "secretRef") if source.get(key) is not None]
        if len(refs) > 1:
            yield Violation(
                source_path, "", "may not have more than one field specified at a time", "env-from"
            )
        for ref in refs:
            name = source[ref].get("name") if isinstance(source[ref], Mapping) else None
            if not name:
                yield Violation(f"{source_path}.{ref}.name", "", "Required value", "env-from")
            elif isinstance(name, str):
                yield from check_rule(
                    f"{source_path}.{ref}.name",
                    name,
                    _rules.is_dns1123_subdomain(name),
                    "env-from",
                )
        prefix = source.get("prefix")
        if isinstance(prefix, str) and prefix:
            yield from check_rule(
                f"{source_path}.prefix", prefix, env_name_rule(prefix), "env-from"
            )
    for env_path, env in items_at(container, "env", path):
        value_from = env.get("valueFrom")
        for ref in ("configMapKeyRef", "secretKeyRef"):
            selector = value_from.get(ref) if isinstance(value_from, Mapping) else None
            if isinstance(selector, Mapping):
                if not selector.get("name"):
                    yield Violation(
                        f"{env_path}.valueFrom.{ref}.name", "", "Required value", "env-key-ref"
                    )
                key = selector.get("key")
                at = f"{env_path}.valueFrom.{ref}.key"
                if not key:
                    yield Violation(at, key, "Required value", "env-key-ref")
                elif isinstance(key, str) and not _CONFIG_KEY.fullmatch(key):
                    yield Violation(
                        at,
                        key,
                        "a valid config key must consist of alphanumeric characters, '-', '_' "
                        "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used "
                        "for validation is '[-._a-zA-Z0-9]+')",
                        "env-key-ref",
                    )
    for mount_path, mount in items_at(container, "volumeMounts", path):
        yield from _mount(mount, mount_path)
    yield from check_enum(
        container,
        "terminationMessagePolicy",
        path,
        ("File", "FallbackToLogsOnError"),
        "termination-message-policy",
        defaulted=True,
    )
    for port_path, port in items_at(container, "ports", path):
        host = port.get("hostPort")
        if is_int(host) and host != 0:
            yield from check_rule(
                f"{port_path}.hostPort", host, _rules.is_valid_port_num(host), "port-range"
            )
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = container.get(kind)
        grace = probe.get("terminationGracePeriodSeconds") if isinstance(probe, Mapping) else None
        if grace is None:
            continue
        if kind == "readinessProbe":
            yield Violation(
                f"{path}.{kind}.terminationGracePeriodSeconds",
                grace,
                "must not be set for readinessProbes",
                "probe-timing",
            )
        elif is_int(grace) and grace <= 0:
            yield Violation(
                f"{path}.{kind}.terminationGracePeriodSeconds",
                grace,
                "must be greater than 0",
                "probe-timing",
            )
    yield from seccomp(container.get("securityContext"), f"{path}.securityContext")


_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+")


def _mount(mount: Obj, path: str) -> Iterator[Violation]:
    """A volume mount's subPath (relative, without ..) and mount propagation."""
    for key in ("subPath", "subPathExpr"):
        sub = mount.get(key)
        if not isinstance(sub, str) or not sub:
            continue
        if sub.startswith("/"):
            yield Violation(f"{path}.{key}", sub, "must be a relative path", "mount-sub-path")
        elif ".." in sub.split("/"):
            yield Violation(f"{path}.{key}", sub, "must not contain '..'", "mount-sub-path")
    if mount.get("subPath") and mount.get("subPathExpr"):
        yield Violation(
            f"{path}.subPathExpr",
            mount["subPathExpr"],
            "subPathExpr and subPath are mutually exclusive",
            "mount-sub-path",
        )
    yield from check_enum(
        mount,
        "mountPropagation",
        path,
        ("Bidirectional", "HostToContainer", "None"),
        "mount-propagation",
    )


def volume_source(volume: Obj, path: str) -> Iterator[Violation]:
    """A volume's source: required names and paths, file modes, hostPath types."""
    host = volume.get("hostPath")
    if isinstance(host, Mapping):
        if not host.get("path"):
            yield Violation(f"{path}.hostPath.path", "", "Required value", "volume-source")
        yield from check_enum(host, "type", f"{path}.hostPath", _HOST_PATH_TYPES, "volume-source")
    for source, field in (("configMap", "name"), ("secret", "secretName")):
        value = volume.get(source)
        if isinstance(value, Mapping) and not value.get(field):
            yield Violation(f"{path}.{source}.{field}", "", "Required value", "volume-source")
    claim = volume.get("persistentVolumeClaim")
    if isinstance(claim, Mapping) and not claim.get("claimName"):
        yield Violation(
            f"{path}.persistentVolumeClaim.claimName", "", "Required value", "volume-source"
        )
    for source in ("configMap", "secret", "downwardAPI", "projected"):
        value = volume.get(source)
        if not isinstance(value, Mapping):
            continue
        yield from _file_mode(value.get("defaultMode"), f"{path}.{source}.defaultMode")
        for item_path, item in items_at(value, "items", f"{path}.{source}"):
            yield from _file_mode(item.get("mode"), f"{item_path}.mode")
            target = item.get("path")
            if not target:
                yield Violation(f"{item_path}.path", "", "Required value", "volume-items")
            elif isinstance(target, str) and target.startswith("/"):
                yield Violation(
                    f"{item_path}.path", target, "must be a relative path", "volume-items"
                )
            elif isinstance(target, str) and ".." in target.split("/"):
                yield Violation(
                    f"{item_path}.path", target, "must not contain '..'", "volume-items"
                )
    empty = volume.get("emptyDir")
    if isinstance(empty, Mapping) and empty.get("sizeLimit") is not None:
        size = _rules.quantity_value(str(empty["sizeLimit"]))
        if size is None or size < 0:
            yield Violation(
                f"{path}.emptyDir.sizeLimit",
                empty["sizeLimit"],
                "must be greater than or equal to 0",
                "volume-source",
            )


_HOST_PATH_TYPES = (
    "",
    "DirectoryOrCreate",
    "Directory",
    "FileOrCreate",
    "File",
    "Socket",
    "CharDevice",
    "BlockDevice",
)


def _file_mode(mode: object, path: str) -> Iterator[Violation]:
    if is_int(mode) and not 0 <= mode <= 0o777:
        yield Violation(
            path,
            mode,
            "must be a number between 0 and 0777 (octal), both inclusive",
            "volume-file-mode",
        )


_HEADER = re.compile(r"[-A-Za-z0-9]+")
_HOOKS = ("postStart", "preStop")
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
#: What env may read with resourceFieldRef (validContainerResourceFieldPathExpressions).
_FIELD_RESOURCES = tuple(
    f"{group}.{name}"
    for group in ("limits", "requests")
    for name in ("cpu", "ephemeral-storage", "memory")
)
#: The divisors each resource allows (validContainerResourceDivisorFor*), as values.
_BYTE_DIVISORS = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei"
_DIVISORS = {
    "cpu": ("1m, 1", "cpu"),
    "memory": (_BYTE_DIVISORS, "memory"),
    "ephemeral-storage": (_BYTE_DIVISORS, "local ephemeral storage"),
}


def container_handlers(container: Obj, path: str, grace: int) -> Iterator[Violation]:
    """Hooks' sleep (0 up to the pod's grace period), HTTP header names, resize policies.

    `grace`: the pod's terminationGracePeriodSeconds, as defaulted (30).
    """
    lifecycle = container.get("lifecycle")
    lifecycle = lifecycle if isinstance(lifecycle, Mapping) else {}
    for hook in _HOOKS if lifecycle else ():
        handler = lifecycle.get(hook)
        sleep = handler.get("sleep") if isinstance(handler, Mapping) else None
        seconds = sleep.get("seconds") if isinstance(sleep, Mapping) else None
        # 0 seconds only with PodLifecycleSleepActionAllowZero (alpha and off in 1.32, beta
        # from 1.33; pkg/apis/core/validation validateSleepAction).
        zero = enabled("PodLifecycleSleepActionAllowZero")
        if is_int(seconds) and not (0 if zero else 1) <= seconds <= grace:
            yield Violation(
                f"{path}.lifecycle.{hook}.sleep",
                seconds,
                ("must be non-negative" if zero else "must be greater than 0")
                + f" and less than terminationGracePeriodSeconds ({grace})",
                "lifecycle-sleep",
            )
    handlers = [(f"{path}.{kind}", container[kind]) for kind in _PROBES if kind in container]
    handlers += [
        (f"{path}.lifecycle.{hook}", lifecycle[hook]) for hook in _HOOKS if hook in lifecycle
    ]
    for at, handler in handlers:
        action = handler.get("httpGet") if isinstance(handler, Mapping) else None
        if isinstance(action, Mapping) and "httpHeaders" in action:
            yield from _headers(action, f"{at}.httpGet.httpHeaders")
    if "resizePolicy" in container:
        yield from _resize_policy(container, path)
    resources = container.get("resources")
    if isinstance(resources, Mapping) and any(
        str(name).startswith("hugepages-")
        for group in resources.values()
        if isinstance(group, Mapping)
        for name in group
    ):
        yield from _hugepages(resources, f"{path}.resources")
    for env_path, env in items_at(container, "env", path) if "env" in container else ():
        value_from = env.get("valueFrom")
        ref = value_from.get("resourceFieldRef") if isinstance(value_from, Mapping) else None
        if isinstance(ref, Mapping):
            yield from resource_field_ref(ref, f"{env_path}.valueFrom.resourceFieldRef")


def _headers(action: Obj, path: str) -> Iterator[Violation]:
    for _, header in items_at(action, "httpHeaders", ""):
        name = header.get("name")
        if isinstance(name, str) and not _HEADER.fullmatch(name):
            yield Violation(
                path,
                name,
                "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. "
                "'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
                "http-header-name",
            )


def _resize_policy(container: Obj, path: str) -> Iterator[Violation]:
    resized: set[object] = set()
    at = f"{path}.resizePolicy"
    for policy_path, policy in items_at(container, "resizePolicy", path):
        name = policy.get("resourceName")
        if name in resized:
            yield Violation(policy_path, name, "Duplicate value", "resize-policy")
        resized.add(name)
        restart = policy.get("restartPolicy")
        if restart not in ("NotRequired", "RestartContainer"):
            yield Violation(
                at,
                restart,
                'supported values: "NotRequired", "RestartContainer"',
                "resize-policy",
            )
        if name not in ("cpu", "memory"):
            yield Violation(at, name, 'supported values: "cpu", "memory"', "resize-policy")


def resource_field_ref(ref: Obj, path: str) -> Iterator[Violation]:
    """validateContainerResourceFieldSelector: the resource, and the divisor it allows."""
    resource = ref.get("resource")
    if not resource:
        yield Violation(f"{path}.resource", resource, "Required value", "resource-field-ref")
        return
    if resource not in _FIELD_RESOURCES:
        quoted = ", ".join(f'"{name}"' for name in sorted(_FIELD_RESOURCES))
        yield Violation(
            f"{path}.resource", resource, f"supported values: {quoted}", "resource-field-ref"
        )
        return
    divisor = ref.get("divisor")
    if divisor is None:
        return
    value = _rules.quantity_value(str(divisor))
    allowed, label = _DIVISORS[str(resource).split(".", 1)[1]]
    values = {_rules.quantity_value(text) for text in allowed.split(", ")}
    if value is None or value not in values:
        yield Violation(
            f"{path}.divisor",
            resource,
            f"only divisor's values {allowed} are supported with the {label} resource",
            "resource-field-ref",
        )


def _hugepages(resources: Obj, path: str) -> Iterator[Violation]:
    """Huge pages cannot be overcommitted (request equals limit) and come with cpu or memory."""
    limits = resources.get("limits")
    requests = resources.get("requests")
    limits = limits if isinstance(limits, Mapping) else {}
    requests = requests if isinstance(requests, Mapping) else {}
    found = False
    for name, amount in requests.items():
        if not str(name).startswith("hugepages-"):
            continue
        found = True
        if name not in limits:
            yield Violation(
                f"{path}.limits",
                None,
                "Required value: Limit must be set for non overcommitable resources",
                "resource-hugepages",
            )
        elif _rules.quantity_value(str(amount)) != _rules.quantity_value(str(limits[name])):
            yield Violation(
                f"{path}.requests",
                amount,
                f"must be equal to {name} limit of {limits[name]}",
                "resource-hugepages",
            )
    found = found or any(str(name).startswith("hugepages-") for name in limits)
    if found and not any(
        name in group for group in (limits, requests) for name in ("cpu", "memory")
    ):
        yield Violation(
            path, None, "Forbidden: HugePages require cpu or memory", "resource-hugepages"
        )


def env_name_rule(value: str) -> list[str]:
    """ValidateEnv's rule on an env var name or envFrom prefix in the target release.

    Printable ASCII but `=` from 1.32 (RelaxedEnvironmentVariableValidation on by default),
    IsEnvVarName (a C-like identifier, `-` and `.` allowed) before.
    """
    if enabled("RelaxedEnvironmentVariableValidation"):
        return _rules.is_relaxed_env_var_name(value)
    return _rules.is_env_var_name(value)
