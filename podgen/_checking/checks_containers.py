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
                f"{source_path}.prefix", prefix, _rules.is_relaxed_env_var_name(prefix), "env-from"
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
