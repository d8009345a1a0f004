"""Which blueprint key (or flag) set each field of a rendered object, for error messages.

The API server's rules run on rendered objects, and name manifest fields
(`spec.template.metadata.labels`); people wrote blueprint keys and flags (`podLabels`,
`--pod-label`). These map one to the other, defaults followed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from podgen._errors import dotted
from podgen._model.objects import POD_TEMPLATE_AT
from podgen._model.spec import Kind, Pattern, PodRequest
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


def key_of(path: str, request: PodRequest) -> str | None:
    """The blueprint key whose value the manifest field at `path` holds, defaults followed.

    A Deployment's pod labels default to its selector, which defaults to its labels. A field
    a word wrote is named within it: `securityContext.runAsUser`, `volumes[0].name`.
    """
    word = _word_at(path, request)
    if word is not None:
        return word[0] + word[1]
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
    """Name what set the manifest field at `path`, in the front end's words."""
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
