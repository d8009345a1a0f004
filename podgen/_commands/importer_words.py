"""podgen import: recognising what podgen's own words wrote, in a pod spec.

Each recogniser reads one part of a pod (a toleration, the app's probes, its lifecycle hooks,
a wait-for init container, an init container or sidecar sharing an emptyDir) and returns the
blueprint words that write it; `_commands.importer_pod` keeps them only if the pod renders back.
"""

from __future__ import annotations

from podgen._building.build import WAIT_FOR_IMAGE, build_manifests
from podgen._model.spec import PodRequest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def toleration_words(toleration: dict[str, Any]) -> dict[str, Any] | None:
    """A toleration in the blueprint's object form, if it has one (its operator derived)."""
    if set(toleration) - {"key", "operator", "value", "effect", "tolerationSeconds"}:
        return None
    operator = "Equal" if "value" in toleration else "Exists"
    if toleration.get("operator", "Equal") != operator:
        return None
    words: dict[str, Any] = {}
    for field, word in (
        ("key", "key"),
        ("value", "value"),
        ("effect", "effect"),
        ("tolerationSeconds", "seconds"),
    ):
        if field in toleration:
            words[word] = toleration[field]
    if "key" not in words:
        words["operator"] = operator  # `{operator: Exists}` reads as "every taint"
    return words


def probe_words(app: dict[str, Any], entry: dict[str, Any]) -> None:
    kinds = {
        k: app[f"{k}Probe"] for k in ("liveness", "readiness", "startup") if f"{k}Probe" in app
    }
    if not kinds or len({repr(sorted(p.items())) for p in kinds.values()}) != 1:
        return
    probe = next(iter(kinds.values()))
    words: dict[str, Any] = {}
    if set(probe.get("httpGet") or {}) - {"path", "port"}:
        return
    if "httpGet" in probe:
        words = {
            "type": "http",
            "path": probe["httpGet"].get("path", "/"),
            "port": probe["httpGet"].get("port"),
        }
    elif "tcpSocket" in probe and set(probe["tcpSocket"]) == {"port"}:
        words = {"type": "tcp", "port": probe["tcpSocket"]["port"]}
    elif (
        "grpc" in probe
        and set(probe["grpc"]) <= {"port", "service"}
        and probe["grpc"].get("service") is None
    ):
        words = {"type": "grpc", "port": probe["grpc"]["port"]}
    elif "exec" in probe:
        words = {"type": "exec", "command": list(probe["exec"].get("command") or [])}
    else:
        return
    if not isinstance(words.get("port", 1), int | str):
        return  # no port at all: the full probe words carry it
    for field, word in (
        ("initialDelaySeconds", "initialDelay"),
        ("periodSeconds", "period"),
        ("timeoutSeconds", "timeout"),
        ("successThreshold", "successThreshold"),
        ("failureThreshold", "failureThreshold"),
    ):
        if field in probe:
            words[word] = probe[field]
    if list(kinds) != ["liveness", "readiness"]:
        words["kinds"] = list(kinds)
    entry["probe"] = words


def lifecycle_words(app: dict[str, Any], entry: dict[str, Any]) -> None:
    lifecycle = app.get("lifecycle") or {}
    for hook, word in (("postStart", "postStart"), ("preStop", "preStop")):
        handler = lifecycle.get(hook) or {}
        if set(handler) == {"exec"} and handler["exec"].get("command"):
            entry[word] = list(handler["exec"]["command"])


def pattern_words(pod_spec: dict[str, Any], entry: dict[str, Any]) -> None:
    """Recognise wait-for init containers, and an init container or sidecar sharing an emptyDir."""
    inits = list(pod_spec.get("initContainers") or [])
    waits = []
    while inits and (service := _wait_for_service(inits[0])) is not None:
        waits.append(service)
        inits.pop(0)
    if waits:
        entry["waitFor"] = waits
    empty_dirs = {
        v["name"] for v in pod_spec.get("volumes") or [] if set(v) == {"name", "emptyDir"}
    }
    app = pod_spec["containers"][0]
    app_mounts = {
        m["name"]: m["mountPath"] for m in app.get("volumeMounts") or [] if m["name"] in empty_dirs
    }
    sidecars = pod_spec["containers"][1:]
    helper, native = None, False
    if len(inits) == 1 and not sidecars:
        helper = inits[0]
        native = helper.get("restartPolicy") == "Always"
    elif not inits and len(sidecars) == 1 and (app.get("ports") or not sidecars[0].get("ports")):
        # A listening "sidecar" beside a silent first container is really the app.
        helper = sidecars[0]
    if helper is None or len(app_mounts) != 1:
        return
    volume, app_path = next(iter(app_mounts.items()))
    helper_mounts = {m["name"]: m["mountPath"] for m in helper.get("volumeMounts") or []}
    if volume not in helper_mounts:
        return
    role = "sidecar" if (native or helper in sidecars) else "init"
    entry["pattern"] = role
    entry["sharedPath"] = app_path
    if helper_mounts[volume] != app_path:
        entry["helperPath"] = helper_mounts[volume]
    if volume != "shared":
        entry["volumeName"] = volume
    words: dict[str, Any] = {"image": helper.get("image"), "name": helper.get("name")}
    if helper.get("command"):
        words["command"] = list(helper["command"])
    if role == "sidecar":
        ports = helper.get("ports") or []
        if len(ports) == 1 and set(ports[0]) == {"containerPort"}:
            words["port"] = ports[0]["containerPort"]
        if native:
            words["native"] = True
    entry[role] = words


def _wait_for_service(container: dict[str, Any]) -> str | None:
    """The Service a podgen-style wait-for init container waits for, if it is one."""
    name = str(container.get("name", ""))
    service = name.removeprefix("wait-for-")
    if name == service or container.get("image") != WAIT_FOR_IMAGE:
        return None
    expected = build_manifests(PodRequest(name="x", image="x", wait_for=(service,)))
    waiting = expected[0].template.init_containers[0]  # type: ignore[union-attr]
    return service if container.get("command") == list(waiting.command) else None
