"""The API server's rules on a pod's security: its security contexts, its OS, its namespaces.

procMount, sysctls, fsGroupChangePolicy and supplementalGroupsPolicy, AppArmor profiles; what
`os.name: windows` or `linux` forbids; user namespaces (`hostUsers: false`) against the host's
namespaces; a shared process namespace against hostPID; Windows hostProcess containers
(pkg/apis/core/validation: validatePodSpecSecurityContext, validateWindows, validateLinux,
validateWindowsHostProcessPod, ValidateSecurityContext). `_checking.checks_pod` calls them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from podgen._checking.checks_base import Obj, Violation, check_enum, items_at

_SYSCTL = re.compile(r"([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?")
_SYSCTL_MESSAGE = (
    "must have at most 253 characters and match regex "
    r"^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"
)
_APPARMOR_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
_FORBIDDEN_ON_WINDOWS = "Forbidden: cannot be set for a windows pod"
#: What a Windows pod's securityContext may not hold (validateWindows), in upstream's order.
_WINDOWS_POD = (
    "appArmorProfile",
    "seLinuxOptions",
    "seccompProfile",
    "fsGroup",
    "fsGroupChangePolicy",
    "sysctls",
    "runAsUser",
    "runAsGroup",
    "supplementalGroups",
    "supplementalGroupsPolicy",
    "seLinuxChangePolicy",
)
#: What a Windows pod's containers' securityContexts may not hold.
_WINDOWS_CONTAINER = (
    "appArmorProfile",
    "seLinuxOptions",
    "seccompProfile",
    "capabilities",
    "readOnlyRootFilesystem",
    "privileged",
    "allowPrivilegeEscalation",
    "procMount",
    "runAsUser",
    "runAsGroup",
)


def _containers(spec: Obj, path: str) -> Iterator[tuple[str, Obj]]:
    """Every container (init, app and ephemeral) with its path, as VisitContainersWithPath."""
    for key in ("initContainers", "containers", "ephemeralContainers"):
        yield from items_at(spec, key, path)


def _context(obj: Obj) -> Obj:
    security = obj.get("securityContext")
    return security if isinstance(security, Mapping) else {}


def pod_security(spec: Obj, path: str) -> Iterator[Violation]:
    """Every security rule of a pod spec, its own context's and its containers'."""
    pod = _context(spec)
    at = f"{path}.securityContext"
    # Each container's context, once: most pods have few of these fields, and the checks
    # run on every object podgen writes.
    contexts = [(f"{p}.securityContext", _context(c)) for p, c in _containers(spec, path)]
    if "sysctls" in pod:
        yield from _sysctls(pod, at, spec)
    for key, allowed in (
        ("fsGroupChangePolicy", ("Always", "OnRootMismatch")),
        ("supplementalGroupsPolicy", ("Merge", "Strict")),
    ):
        yield from check_enum(pod, key, at, allowed, "pod-security-policy")
    yield from apparmor(pod, at)
    if spec.get("shareProcessNamespace") is True and spec.get("hostPID") is True:
        yield Violation(
            f"{at}.shareProcessNamespace",
            True,
            "ShareProcessNamespace and HostPID cannot both be enabled",
            "share-process-namespace",
        )
    if spec.get("hostUsers") is False:
        for key, where in (
            ("hostNetwork", "hostNetwork"),
            ("hostPID", "HostPID"),
            ("hostIPC", "HostIPC"),
        ):
            if spec.get(key) is True:
                yield Violation(
                    f"{path}.{where}",
                    True,
                    "Forbidden: when `hostUsers` is false",
                    "host-users",
                )
    for own_at, own in contexts:
        if not own:
            continue
        yield from apparmor(own, own_at)
        yield from check_enum(own, "procMount", own_at, ("Default", "Unmasked"), "proc-mount")
        if own.get("procMount") == "Unmasked" and spec.get("hostUsers") is not False:
            yield Violation(
                f"{own_at}.procMount",
                "Unmasked",
                "`hostUsers` must be false to use `Unmasked`",
                "proc-mount",
            )
    if "os" in spec:
        yield from _os(spec, path, contexts)
    if "windowsOptions" in pod or any("windowsOptions" in own for _, own in contexts):
        yield from _host_process(spec, path, contexts)


def _sysctls(pod: Obj, path: str, spec: Obj) -> Iterator[Violation]:
    """validateSysctls: each name well formed, none twice (`/` and `.` separate alike).

    The pod's network and IPC sysctls are its own namespaces': not on the host's.
    """
    seen: set[str] = set()
    for item_path, item in items_at(pod, "sysctls", path):
        name = item.get("name")
        if not isinstance(name, str):
            continue
        if not name:
            yield Violation(f"{item_path}.name", name, "Required value", "sysctl")
            continue
        if len(name) > 253 or not _SYSCTL.fullmatch(name):
            yield Violation(f"{item_path}.name", name, _SYSCTL_MESSAGE, "sysctl")
        normal = _normalize_sysctl(name)
        if normal in seen:
            yield Violation(f"{item_path}.name", name, "Duplicate value", "sysctl")
        seen.add(normal)
        if spec.get("hostNetwork") is True and normal.startswith("net."):
            yield Violation(
                f"{item_path}.name",
                name,
                "may not be specified when 'hostNetwork' is true",
                "sysctl-host-namespace",
            )
        if spec.get("hostIPC") is True and (
            normal.startswith(("kernel.shm", "kernel.msg", "fs.mqueue.")) or normal == "kernel.sem"
        ):
            yield Violation(
                f"{item_path}.name",
                name,
                "may not be specified when 'hostIPC' is true",
                "sysctl-host-namespace",
            )


def _normalize_sysctl(name: str) -> str:
    """NormalizeName: a name whose first separator is `/` uses `/` for `.` and `.` for `/`."""
    first = re.search(r"[./]", name)
    if first is None or first.group() == ".":
        return name
    return name.translate(str.maketrans("./", "/."))


def apparmor(security: Obj, path: str) -> Iterator[Violation]:
    """An AppArmor profile's type, and its localhostProfile with (and only with) Localhost."""
    profile = security.get("appArmorProfile")
    if not isinstance(profile, Mapping):
        return
    at = f"{path}.appArmorProfile"
    kind = profile.get("type")
    local = profile.get("localhostProfile")
    if kind not in _APPARMOR_TYPES:
        yield from check_enum(profile, "type", at, _APPARMOR_TYPES, "apparmor-profile")
    elif kind == "Localhost" and not (isinstance(local, str) and local.strip()):
        yield Violation(
            f"{at}.localhostProfile",
            local,
            "Required value: must be set when AppArmor type is Localhost",
            "apparmor-profile",
        )
    elif kind != "Localhost" and local is not None:
        yield Violation(
            f"{at}.localhostProfile",
            local,
            "can only be set when AppArmor type is Localhost",
            "apparmor-profile",
        )


def _os(spec: Obj, path: str, contexts: list[tuple[str, Obj]]) -> Iterator[Violation]:
    """The fields the pod's declared OS forbids (validateWindows and validateLinux)."""
    os = spec.get("os")
    name = os.get("name") if isinstance(os, Mapping) else None
    if isinstance(os, Mapping) and name not in ("linux", "windows"):
        yield Violation(f"{path}.os", name, 'supported values: "linux", "windows"', "pod-os")
    pod = _context(spec)
    if name == "windows":
        for key in ("hostUsers", "shareProcessNamespace"):
            if spec.get(key) is not None:
                yield Violation(f"{path}.{key}", spec[key], _FORBIDDEN_ON_WINDOWS, "pod-os")
        for key in ("hostPID", "hostIPC"):  # plain booleans upstream: set means true
            if spec.get(key) is True:
                yield Violation(f"{path}.{key}", True, _FORBIDDEN_ON_WINDOWS, "pod-os")
        for key in _WINDOWS_POD:
            if pod.get(key) is not None and (key != "sysctls" or pod[key]):
                yield Violation(
                    f"{path}.securityContext.{key}", pod[key], _FORBIDDEN_ON_WINDOWS, "pod-os"
                )
        for own_at, own in contexts:
            for key in _WINDOWS_CONTAINER:
                if own.get(key) is not None:
                    yield Violation(
                        f"{own_at}.{key}",
                        own[key],
                        _FORBIDDEN_ON_WINDOWS,
                        "pod-os",
                    )
    elif name == "linux":
        for at, security in [(f"{path}.securityContext", pod), *contexts]:
            if security.get("windowsOptions") is not None:
                yield Violation(
                    f"{at}.windowsOptions",
                    security["windowsOptions"],
                    "Forbidden: windows options cannot be set for a linux pod",
                    "pod-os",
                )


def _host_process(spec: Obj, path: str, contexts: list[tuple[str, Obj]]) -> Iterator[Violation]:
    """validateWindowsHostProcessPod: all containers or none, on the host's network."""
    pod_options = _context(spec).get("windowsOptions")
    pod_value = pod_options.get("hostProcess") if isinstance(pod_options, Mapping) else None
    any_host = False
    all_host = True
    for own_at, own in contexts:
        options = own.get("windowsOptions")
        value = options.get("hostProcess") if isinstance(options, Mapping) else None
        if pod_value is not None and value is not None and value != pod_value:
            yield Violation(
                f"{own_at}.windowsOptions.hostProcess",
                value,
                "pod hostProcess value must be identical if both are specified, was "
                f"{str(pod_value).lower()}",
                "host-process",
            )
        effective = value if value is not None else pod_value
        any_host = any_host or effective is True
        all_host = all_host and effective is True
    if not any_host:
        return
    if not all_host:
        yield Violation(
            path,
            "",
            "If pod contains any hostProcess containers then all containers must be "
            "HostProcess containers",
            "host-process",
        )
    if spec.get("hostNetwork") is not True:
        yield Violation(
            f"{path}.hostNetwork",
            spec.get("hostNetwork", False),
            "hostNetwork must be true if pod contains any hostProcess containers",
            "host-process",
        )
