"""Which blueprint key (or flag) set each field of a rendered object, for error messages.

The API server's rules run on rendered objects, and name manifest fields
(`spec.template.metadata.labels`); people wrote blueprint keys and flags (`podLabels`,
`--pod-label`). These map one to the other, defaults followed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from podgen._errors import dotted, parse_path
from podgen._model.objects import POD_TEMPLATE_AT
from podgen._model.spec import (
    DEFAULT_INIT_PATH,
    DEFAULT_SIDECAR_PATH,
    Kind,
    Pattern,
    PodRequest,
)
from podgen._model.words import WORDS

#: Which blueprint key sets a manifest field, by the field's path; only errors need it, so the
#: patterns are compiled on first use.
_FIELD_SOURCES = (
    (r"metadata\.name$", "name"),
    (r"(spec\.template\.)?spec\.containers\[0\]\.name$", "containerName"),
    (r".*metadata\.namespace$", "namespace"),
    (r"spec\.(jobTemplate\.spec\.)?template\.metadata\.annotations.*", "podAnnotations"),
    (r"spec\.(jobTemplate\.spec\.)?template\.metadata\.labels.*", "podLabels"),
    (r"spec\.jobTemplate\.metadata\.annotations.*", "jobAnnotations"),
    (r"spec\.jobTemplate\.metadata\.labels.*", "jobLabels"),
    (r"spec\.selector.*", "selector"),
    (r".*metadata\.annotations.*", "annotations"),
    (r".*(metadata\.labels|selector).*", "labels"),
    (r".*\.image$", "image"),
    (r".*\.env\[\d+\].*", "env"),
    (r".*containers\[[1-9]\d*\]\.ports.*", "sidecar.port"),
    (r".*initContainers.*ports.*", "sidecar.port"),
    (r".*(Probe).*", "probe.type"),
    (r".*\.resources\.limits.*", "resources.limits"),
    (r".*\.resources.*", "resources.requests"),
    (r".*\.tolerations.*", "tolerations"),
    (r".*\.nodeSelector.*", "nodeSelector"),
    (r".*\.lifecycle\.postStart.*", "postStart"),
    (r".*\.lifecycle.*", "preStop"),
    (r".*(volumes|volumeMounts).*", "volumeName"),
    (r".*initContainers.*name$", "init.name"),
    (r".*containers\[[1-9]\d*\]\.name$", "sidecar.name"),
    (r"spec\.containers\[0\]\.command.*", "command"),
    (r".*\.(args|command)(\[\d+\])?$", "args"),
    (r".*(containerPort|\.port|targetPort)$", "port"),
    (r".*\.replicas$", "replicas"),
    (r".*\.terminationGracePeriodSeconds$", "gracePeriod"),
    (r".*\.serviceAccountName$", "serviceAccount"),
    (r".*\.nodeName$", "nodeName"),
)


def field_of(path: str) -> str | None:
    """The blueprint key that set the manifest field at `path`, if podgen knows it."""
    for pattern, key in _FIELD_SOURCES:
        if re.match(pattern, path):  # re caches the compiled patterns
            return key
    return None


def _pattern_key(request: PodRequest, *keys: str) -> str:
    """The first of `keys` given (`helperPath`, `sharedPath`), else `pattern`: its default."""
    given = {"helperPath": request.helper_path, "sharedPath": request.shared_path}
    return next((key for key in keys if given[key] is not None), "pattern")


def _mounts_at(path: str, request: PodRequest) -> list[str] | None:
    """The keys that made the mount at `path`: its own, then an earlier one at its mountPath.

    The app container mounts the pattern's shared volume first, then the `mounts` word's in
    order, so the manifest's indexes are not the word's; a helper mounts the shared volume.
    """
    pod = dotted((*POD_TEMPLATE_AT[request.kind.object_kind], "spec"))
    found = re.match(
        rf"{re.escape(pod)}\.(containers|initContainers)\[(\d+)\]\.volumeMounts\[(\d+)\]", path
    )
    if found is None:
        return None
    default = DEFAULT_INIT_PATH if request.pattern is Pattern.INIT else DEFAULT_SIDECAR_PATH
    shared = request.shared_path or default
    native = request.native_sidecar
    native = request.kind.is_batch if native is None else native
    plain = request.pattern is Pattern.SIDECAR and not native
    helper = ("containers", "1") if plain else ("initContainers", str(len(request.wait_for)))
    if request.pattern is not Pattern.RUNTIME and (found[1], found[2]) == helper:
        # The helper mounts the shared volume, at --helper-path, else where the app does.
        if found[3] != "0":
            return None
        return [
            "volumeName"
            if path.endswith(".name")
            else _pattern_key(request, "helperPath", "sharedPath")
        ]
    if (found[1], found[2]) != ("containers", "0"):
        return None
    words = request.words.get("mounts")
    made: list[tuple[str, object]] = (
        []
        if request.pattern is Pattern.RUNTIME
        else [(_pattern_key(request, "sharedPath"), shared)]
    )
    made += [
        (f"mounts[{index}]", mount.get("mountPath") if isinstance(mount, dict) else None)
        for index, mount in enumerate(words if isinstance(words, list) else ())
    ]
    at = int(found[3])
    if at >= len(made):
        return None
    if path.endswith(".name") and not made[at][0].startswith("mounts["):
        return ["volumeName"]  # the shared volume's name
    earlier = next((key for key, where in made[:at] if where == made[at][1]), None)
    return [made[at][0], *([earlier] if earlier else [])]


def _named_mount(key: str, request: PodRequest, name_of: Callable[[str], str]) -> str:
    """How the front end names the maker of a mount: `--volume-claim` mounts its claims."""
    if not key.startswith("mounts["):
        return name_of(key)
    mount = request.words["mounts"][int(key[len("mounts[") : -1])]
    if not isinstance(mount, dict):
        return name_of("mounts")
    claims = request.words.get("volumeClaimTemplates")
    volumes = request.words.get("volumes")
    named = {
        entry.get("metadata", {}).get("name") if isinstance(entry, dict) else None
        for entry in (claims if isinstance(claims, list) else ())
    }
    plain = {
        v.get("name") for v in (volumes if isinstance(volumes, list) else ()) if isinstance(v, dict)
    }
    claimed = mount.get("name") in named and mount.get("name") not in plain
    return name_of("volumeClaimTemplates" if claimed else "mounts")


def _word_at(path: str, request: PodRequest) -> tuple[str, str] | None:
    """The word given that wrote the manifest field at `path`, and the rest of the path.

    `("securityContext", ".runAsUser")` for `spec.securityContext.runAsUser`.
    """
    bases = {
        "pod": dotted((*POD_TEMPLATE_AT[request.kind.object_kind], "spec")) + ".",
        "job": "spec.jobTemplate.spec." if request.kind is Kind.CRONJOB else "spec.",
    }
    for word in sorted(WORDS, key=lambda w: -len(w.path)):  # containers[0].x before containers
        if word.key not in request.words:
            continue
        full = bases.get(word.where, "spec.") + dotted(word.path)
        if path == full or path.startswith((full + ".", full + "[")):
            rest = path[len(full) :]
            # The word's own containers come after the app (and a pattern's): their indexes
            # in the manifest are not the word's.
            return (word.key, "" if word.key == "containers" else rest)
    return None


def _override_at(path: str, request: PodRequest) -> str | None:
    """The `overrides` key that wrote the manifest field at `path`, if overrides wrote it.

    Overrides merge into the pod spec after everything else, so a field they hold is theirs;
    within a list they merge by name, so the list is named, not an index of it.
    """
    base = dotted((*POD_TEMPLATE_AT[request.kind.object_kind], "spec")) + "."
    if not request.overrides or not path.startswith(base):
        return None
    node: object = request.overrides
    keys = ["overrides"]
    for step in parse_path(path[len(base) :]):
        if isinstance(node, list):
            break  # merged by name: the list is the overrides'
        if not isinstance(node, dict) or step not in node:
            return None  # a field beside what the overrides hold: another key's
        keys.append(str(step))
        node = node[step]
    return ".".join(keys)


def key_of(path: str, request: PodRequest) -> str | None:
    """The blueprint key whose value the manifest field at `path` holds, defaults followed.

    A Deployment's pod labels default to its selector, which defaults to its labels. A field
    a word wrote is named within it: `securityContext.runAsUser`, `volumes[0].name`.
    """
    mounts = _mounts_at(path, request)
    if mounts is not None:
        if not mounts[0].startswith("mounts["):
            return mounts[0]  # a key of one value: sharedPath, helperPath, pattern, volumeName
        return mounts[0] + path[re.match(r".*?volumeMounts\[\d+\]", path).end() :]  # type: ignore[union-attr]
    word = _word_at(path, request)
    if word is not None:
        return word[0] + word[1]
    overridden = _override_at(path, request)
    if overridden is not None:
        return overridden
    key = field_of(path)
    if key == "podLabels" and request.pod_labels is None:
        key = "selector"
    if key == "selector" and not request.selector:
        key = "labels"
    if key == "volumeName" and request.pattern is Pattern.RUNTIME:  # no shared volume
        key = "mounts" if "volumeMounts" in path else "volumes"
    if key == "containerName" and request.container_name is None:
        key = "image" if request.kind is Kind.DEPLOYMENT else "name"
    return key


def describe_source(path: str, request: PodRequest, name_of: Callable[[str], str]) -> str | None:
    """Name what set the manifest field at `path`, in the front end's words.

    A mount is named by what made it, and by what made an earlier one at its mountPath (a
    mountPath must be unique): `--volume-claim and --shared-path`.
    """
    mounts = _mounts_at(path, request)
    if mounts is not None:
        names = dict.fromkeys(_named_mount(key, request, name_of) for key in mounts)
        return " and ".join(names)
    word = _word_at(path, request)
    if word is not None:
        return name_of(word[0])  # a flag writes a whole word (--mount: volumes and mounts)
    key = key_of(path, request)
    if key is None:
        return None
    if key == "labels" and request.labels is None:
        default = "app" if request.kind is Kind.DEPLOYMENT else "run"
        return f"{name_of('name')} (as the default label {default}=NAME)"
    return name_of(key)
