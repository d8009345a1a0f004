"""The API server's rules on volume sources and mounts beyond names (pkg/apis/core/validation).

hostPath without `..`; projected volumes (service-account tokens' paths and lifetimes, one file
per path across configMap, secret and downwardAPI sources); downwardAPI resourceFieldRef (a
containerName, a resource, a divisor); generic ephemeral volumes' claim templates; CSI driver
names; NFS servers and paths; mounts' Bidirectional propagation (privileged containers only)
and recursiveReadOnly. `_checking.checks_pod` calls them for every pod spec.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import Obj, Violation, check_rule, is_int, items_at
from podgen._checking.checks_config import check_claim_spec
from podgen._checking.checks_containers import resource_field_ref

#: A projected service-account token lives at least 10 minutes and at most 2^32 seconds.
_TOKEN_MIN, _TOKEN_MAX = 10 * 60, 1 << 32
_SOURCES = frozenset(("hostPath", "projected", "downwardAPI", "ephemeral", "csi", "nfs"))
_RECURSIVE_READ_ONLY = ("Disabled", "Enabled", "IfPossible")


def volume_sources(spec: Obj, path: str) -> Iterator[Violation]:
    """The rules on each volume's source."""
    for volume_path, volume in items_at(spec, "volumes", path):
        if not _SOURCES.intersection(volume):
            continue  # configMap, secret, emptyDir, persistentVolumeClaim: checked elsewhere
        host = volume.get("hostPath")
        if isinstance(host, Mapping):
            yield from _no_backsteps(host.get("path"), f"{volume_path}.hostPath.path")
        projected = volume.get("projected")
        if isinstance(projected, Mapping):
            yield from _projected(projected, f"{volume_path}.projected")
        downward = volume.get("downwardAPI")
        if isinstance(downward, Mapping):
            yield from _downward_api(downward, f"{volume_path}.downwardAPI")
        ephemeral = volume.get("ephemeral")
        if isinstance(ephemeral, Mapping):
            yield from _ephemeral(ephemeral, f"{volume_path}.ephemeral")
        csi = volume.get("csi")
        if isinstance(csi, Mapping):
            yield from _csi_driver(csi.get("driver"), f"{volume_path}.csi.driver")
        nfs = volume.get("nfs")
        if isinstance(nfs, Mapping):
            at = f"{volume_path}.nfs"
            if not nfs.get("server"):
                yield Violation(f"{at}.server", nfs.get("server"), "Required value", "volume-nfs")
            where = nfs.get("path")
            if not where:
                yield Violation(f"{at}.path", where, "Required value", "volume-nfs")
            if isinstance(where, str) and not where.startswith("/"):
                yield Violation(f"{at}.path", where, "must be an absolute path", "volume-nfs")


def _no_backsteps(value: object, path: str) -> Iterator[Violation]:
    """validatePathNoBacksteps: no `..` among a path's parts."""
    if isinstance(value, str) and ".." in value.replace("\\", "/").split("/"):
        yield Violation(path, value, "must not contain '..'", "volume-backsteps")


def _projected(projected: Obj, path: str) -> Iterator[Violation]:
    """validateProjectionSources: tokens, and no path twice across the sources' items."""
    paths: set[object] = set()
    for source_path, source in items_at(projected, "sources", path):
        token = source.get("serviceAccountToken")
        if isinstance(token, Mapping):
            yield from _token(token, f"{source_path}.serviceAccountToken", path)
        for kind, name_key in (("secret", "name"), ("configMap", "name"), ("downwardAPI", None)):
            files = source.get(kind)
            if not isinstance(files, Mapping):
                continue
            if kind == "downwardAPI":
                yield from _downward_api(files, f"{source_path}.downwardAPI")
            targets = [item.get("path") for _, item in items_at(files, "items", "")]
            if any(target in paths for target in targets) or len(set(targets)) < len(targets):
                value = files.get(name_key) if name_key else targets
                yield Violation(path, value, "conflicting duplicate paths", "volume-projected")
            paths.update(targets)


def _token(token: Obj, path: str, projected_path: str) -> Iterator[Violation]:
    seconds = token.get("expirationSeconds")
    if is_int(seconds) and seconds < _TOKEN_MIN:
        yield Violation(
            f"{path}.expirationSeconds",
            seconds,
            "may not specify a duration less than 10 minutes",
            "volume-projected",
        )
    elif is_int(seconds) and seconds > _TOKEN_MAX:
        yield Violation(
            f"{path}.expirationSeconds",
            seconds,
            "may not specify a duration larger than 2^32 seconds",
            "volume-projected",
        )
    # Upstream names the projected volume's own `path` for the token's path.
    where = token.get("path")
    if not where:
        yield Violation(f"{projected_path}.path", where, "Required value", "volume-projected")
    elif isinstance(where, str) and where.startswith("/"):
        yield Violation(
            f"{projected_path}.path", where, "must be a relative path", "volume-projected"
        )
    else:
        yield from _no_backsteps(where, f"{projected_path}.path")


def _downward_api(downward: Obj, path: str) -> Iterator[Violation]:
    """A downwardAPI file's resourceFieldRef names its container (a pod has several)."""
    for _, item in items_at(downward, "items", path):
        ref = item.get("resourceFieldRef")
        if not isinstance(ref, Mapping):
            continue
        at = f"{path}.resourceFieldRef"  # upstream names no item
        if not ref.get("containerName"):
            yield Violation(f"{at}.containerName", None, "Required value", "volume-downward-api")
        for violation in resource_field_ref(ref, at):
            yield violation._replace(rule="volume-downward-api")


def _ephemeral(ephemeral: Obj, path: str) -> Iterator[Violation]:
    """A generic ephemeral volume's claim template: required; the pod names the claim."""
    template = ephemeral.get("volumeClaimTemplate")
    if not isinstance(template, Mapping):
        yield Violation(
            f"{path}.volumeClaimTemplate", template, "Required value", "volume-ephemeral"
        )
        return
    meta = template.get("metadata")
    if isinstance(meta, Mapping) and meta.get("name"):
        yield Violation(
            f"{path}.volumeClaimTemplate.metadata.name",
            meta["name"],
            "Forbidden: cannot be set",
            "volume-ephemeral",
        )
    spec = template.get("spec")
    yield from check_claim_spec(
        spec if isinstance(spec, Mapping) else {}, f"{path}.volumeClaimTemplate.spec"
    )


def _csi_driver(driver: object, path: str) -> Iterator[Violation]:
    """ValidateCSIDriverName: required, at most 63 bytes, a DNS subdomain in any case."""
    if not driver:
        yield Violation(path, driver, "Required value", "volume-csi-driver")
    elif isinstance(driver, str) and len(driver) > 63:
        yield Violation(
            path, driver, "Too long: may not be more than 63 bytes", "volume-csi-driver"
        )
    elif isinstance(driver, str):
        reasons = _rules.is_dns1123_subdomain(driver.lower())
        yield from check_rule(path, driver, reasons, "volume-csi-driver")


def mount_rules(spec: Obj, path: str) -> Iterator[Violation]:
    """Bidirectional propagation only for privileged containers; recursiveReadOnly's terms."""
    for key in ("initContainers", "containers"):
        for container_path, container in items_at(spec, key, path):
            security = container.get("securityContext")
            privileged = isinstance(security, Mapping) and security.get("privileged") is True
            at = f"{container_path}.volumeMounts"  # upstream names no mount
            for _, mount in items_at(container, "volumeMounts", container_path):
                if "mountPropagation" not in mount and "recursiveReadOnly" not in mount:
                    continue
                propagation = mount.get("mountPropagation")
                if propagation == "Bidirectional" and not privileged:
                    yield Violation(
                        f"{at}.mountPropagation",
                        propagation,
                        "Forbidden: Bidirectional mount propagation is available only to "
                        "privileged containers",
                        "mount-bidirectional",
                    )
                yield from _recursive_read_only(mount, f"{at}.recursiveReadOnly")


def _recursive_read_only(mount: Obj, path: str) -> Iterator[Violation]:
    value = mount.get("recursiveReadOnly")
    if value is None:
        return
    if value not in _RECURSIVE_READ_ONLY:
        quoted = ", ".join(f'"{v}"' for v in _RECURSIVE_READ_ONLY)
        yield Violation(path, value, f"supported values: {quoted}", "mount-recursive-read-only")
    elif value != "Disabled" and not mount.get("readOnly"):
        yield Violation(
            path,
            value,
            "Forbidden: may only be specified when readOnly is true",
            "mount-recursive-read-only",
        )
    elif value != "Disabled" and mount.get("mountPropagation") not in (None, "None"):
        yield Violation(
            path,
            value,
            "Forbidden: may only be specified when mountPropagation is None or not specified",
            "mount-recursive-read-only",
        )
