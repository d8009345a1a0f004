"""podgen import, one pod at a time: a Pod's or a Deployment's spec in blueprint words.

`_commands.importer` hands each Pod and Deployment here. What the DSL has words for (patterns,
wait-for init containers, probes, lifecycle hooks, resources, scheduling, and the fields the API
defines in full: securityContext, affinity, volumes, mounts, more containers, ...) is written
with those words;
whatever is left becomes `overrides`, the exact merge patch from what the words render to
what the manifest says, checked by rendering the entry again (`comparable`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from copy import deepcopy

from podgen._building.build import container_name_from_image
from podgen._commands.importer_render import render_failure, rendered_workload
from podgen._commands.importer_words import (
    lifecycle_words,
    pattern_words,
    probe_words,
    toleration_words,
)
from podgen._errors import Path, UsageError, dotted, quoted
from podgen._io.emit._goyaml import sorted_keys
from podgen._model.objects import pod_spec as pod_spec_of
from podgen._model.spec import Kind
from podgen._model.words import WORDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class ImportError_(UsageError):
    """A manifest podgen cannot express as a blueprint; the message says what and where."""


def comparable(obj: dict[str, Any]) -> dict[str, Any]:
    """An object as the API server sees it, for round-trip comparison.

    Drops the server's status and an empty Namespace spec, and fills the defaults a blueprint
    writes out: Service ports' protocol TCP and targetPort, a Deployment's empty strategy.
    """
    result = deepcopy(obj)
    result.pop("status", None)
    if result.get("kind") == "Deployment":
        # kubectl writes `strategy: {}`; the API server reads it as its default strategy.
        (result.get("spec") or {}).setdefault("strategy", {})
    if result.get("kind") in ("Deployment", "StatefulSet", "ReplicaSet"):
        (result.get("spec") or {}).setdefault("replicas", 1)  # the API server's default
    if result.get("kind") == "CronJob":
        # The CronJob controller names its Jobs itself: the name kubectl's skeleton writes on
        # the job template means nothing, and the server writes an empty metadata for none.
        template = (result.get("spec") or {}).get("jobTemplate") or {}
        metadata = template.get("metadata")
        if isinstance(metadata, dict):
            if metadata.get("name") == (result.get("metadata") or {}).get("name"):
                metadata.pop("name", None)
            if not metadata:
                del template["metadata"]
    if result.get("kind") == "Namespace" and not result.get("spec"):
        result.pop("spec", None)
    if result.get("kind") == "Service":
        for port in (result.get("spec") or {}).get("ports") or []:
            port.setdefault("protocol", "TCP")
            port.setdefault("targetPort", port.get("port"))
    return result


def as_compared(obj: dict[str, Any], server: bool) -> dict[str, Any]:
    """How an object is held up against what its blueprint renders.

    One a person (or kubectl) wrote comes back field for field, defaults included: a written
    `replicas: 1` is not an absent one. One a server returned, its server fields dropped
    (`strip_server_fields`), is compared as `comparable` sees it.
    """
    return comparable(obj) if server else obj


def pod_entry(
    obj: dict[str, Any],
    kind: Kind,
    where: str,
    skeleton: str = "kubectl",
    server: bool = False,
) -> dict[str, Any]:
    """The blueprint pod entry for a Pod, Deployment, Job, ... (server fields already stripped).

    `skeleton` is the blueprint's (kubectl or plain): the entry renders back through it, to
    exactly `obj`, or (`server`: a server returned it) to what `comparable` sees as `obj`.
    """
    same = functools.partial(_renders_back, obj=obj, skeleton=skeleton, server=server)
    metadata = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    words: dict[str, Any] = {}
    if kind is not Kind.POD:
        pod_spec, labels, words = _workload_parts(obj, kind, where)
    else:
        pod_spec, labels = spec, metadata.get("labels") or {}
        # kubectl's `status: {}`: the kubectl skeleton writes it (a plain one cannot).
        extra = set(obj) - {"apiVersion", "kind", "metadata", "spec"}
        if obj.get("status") == {}:
            extra.discard("status")
        if extra:
            raise ImportError_(f"{where}: fields with no blueprint words: {_listed(extra)}")
    extra_meta = set(metadata) - {"name", "namespace", "labels", "annotations"}
    if extra_meta:
        raise ImportError_(
            f"{where}: metadata fields with no blueprint words: {_listed(extra_meta)}"
        )
    containers = pod_spec.get("containers") or []
    if not containers:
        raise ImportError_(f"{where}: a pod needs at least one container")
    entry = _smart_entry(obj, kind, pod_spec, labels)
    literal = _literal_entry(obj, kind, pod_spec, labels)
    found = _found_words(pod_spec)
    # Patterns (a shared volume, a sidecar, wait-for) and `probe` write these fields themselves.
    smart_writes: set[str] = set()
    if entry.get("pattern", "runtime") != "runtime" or "waitFor" in entry:
        smart_writes |= _PATTERN_WORDS
    if "probe" in entry:
        smart_writes |= _PROBE_WORDS
    unshared = {k: v for k, v in found.items() if k not in smart_writes}
    # The same words without a pattern: its containers and volumes as they are written.
    unpatterned = {k: v for k, v in entry.items() if k not in _PATTERN_KEYS}
    probed = {k: v for k, v in found.items() if k not in smart_writes - _PATTERN_WORDS}
    # Of those that render back, the first without overrides wins, else the first.
    candidates = (
        {**entry, **unshared},
        {**unpatterned, **probed},
        {**literal, **found},
        entry,
        literal,
    )
    results = []
    for candidate in candidates:
        result = _with_overrides({**candidate, **words}, pod_spec, skeleton)
        if result is not None and same(result):
            if "overrides" not in result:
                return _without_defaults(result, same)
            results.append(result)
    if results:
        return _without_defaults(results[0], same)
    # Blame the first field that the words (the object's own included) do not write.
    rendered = rendered_workload({**literal, **words}, skeleton) or rendered_workload(
        literal, skeleton
    )
    if rendered is None:  # no words render it at all: their own error says which field
        raise ImportError_(
            f"{where}: {kind.value} {quoted(metadata.get('name'))}: blueprint words cannot "
            f"write it: {render_failure(literal, skeleton)}"
        )
    path, written, given = first_difference(
        as_compared(obj, server), as_compared(rendered or {}, server), ()
    )
    field = dotted(path) or "the object"
    if written is _MISSING:  # a field removed from kubectl's output (replicas, for an HPA)
        writer = "the kubectl skeleton" if skeleton == "kubectl" else "blueprint words"
        raise ImportError_(
            f"{where}: {kind.value} {quoted(metadata.get('name'))}: {field} is absent here, "
            f"and {writer} always writes it ({shown(given)})"
        )
    raise ImportError_(
        f"{where}: {kind.value} {quoted(metadata.get('name'))}: {field}: "
        f"blueprint words cannot write this ({shown(written)}) with the rest of the pod"
    )


_MISSING = object()


def _listed(fields: set[str]) -> str:
    """Field names in words for a note: `ownerReferences`, `a, b and c`."""
    names = sorted(fields)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def first_difference(written: Any, rendered: Any, path: Path) -> tuple[Path, Any, Any]:
    """The first place where two objects differ, and what each holds there.

    A map on one side only is followed to the field that has no words: down to a map of
    plain values (`labels`), which is one field.
    """
    if rendered is _MISSING and _holds_fields(written):
        rendered = {}
    if written is _MISSING and _holds_fields(rendered):
        written = {}
    if isinstance(written, dict) and isinstance(rendered, dict):
        for key in sorted(written.keys() | rendered.keys()):
            one, other = written.get(key, _MISSING), rendered.get(key, _MISSING)
            if one != other:
                return first_difference(one, other, (*path, key))
    if isinstance(written, list) and isinstance(rendered, list) and len(written) == len(rendered):
        for index, (one, other) in enumerate(zip(written, rendered, strict=True)):
            if one != other:
                return first_difference(one, other, (*path, index))
    return path, written, rendered


def _holds_fields(value: Any) -> bool:
    """A map holding maps or lists: fields, not one field's plain values."""
    return isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values())


def shown(value: Any) -> str:
    """A value for a message: absent, or as JSON writes it (as the manifest has it)."""
    return "absent" if value is _MISSING else json.dumps(value, sort_keys=True)


#: The words whose fields a recognised pattern, or the `probe` word, also writes.
_PATTERN_WORDS = frozenset({"volumes", "mounts", "containers", "initContainers"})
_PROBE_WORDS = frozenset({"livenessProbe", "readinessProbe", "startupProbe"})
#: The entry keys of a recognised pattern.
_PATTERN_KEYS = frozenset(
    {"pattern", "sharedPath", "helperPath", "volumeName", "init", "sidecar", "waitFor"}
)


def _found_words(pod_spec: dict[str, Any]) -> dict[str, Any]:
    """The `words.WORDS` a pod spec holds, each as the API writes it.

    `containers` is the containers after the app's (the first).
    """
    found: dict[str, Any] = {}
    for word in WORDS:
        value: Any = pod_spec
        for part in word.path:
            if isinstance(part, int):
                value = value[part] if isinstance(value, list) and len(value) > part else None
            else:
                value = value.get(part) if isinstance(value, dict) else None
        if word.where != "pod":
            continue  # a Deployment's own: `_deployment_parts` writes those
        if word.key == "containers" and isinstance(value, list):
            value = value[1:]
        if value:
            found[word.key] = deepcopy(value)
    return found


# Words whose value may simply be the default; each is dropped if the pod renders the same.
_DEFAULTABLE: tuple[tuple[str, ...], ...] = (
    ("probe", "path"),
    ("probe", "port"),
    ("sharedPath",),
    ("helperPath",),
    ("volumeName",),
    ("init", "name"),
    ("init", "image"),
    ("init", "command"),
    ("sidecar", "name"),
    ("sidecar", "image"),
    ("sidecar", "command"),
    ("init",),  # once empty
    ("sidecar",),
    ("replicas",),
    ("restart",),
    *((word.key,) for word in WORDS),  # `ports` restating `port`, ...
)


def _without_defaults(
    entry: dict[str, Any], same: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """`entry` without the words that only restate what renders anyway, so blueprints read short.

    A word whose field the object wrote stays: without it, the field would not be written.
    """
    for path in _DEFAULTABLE:
        parent = entry
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None  # type: ignore[assignment]
        if not isinstance(parent, dict) or path[-1] not in parent:
            continue
        trial = deepcopy(entry)
        holder = trial
        for key in path[:-1]:
            holder = holder[key]
        del holder[path[-1]]
        if same(trial):
            entry = trial
    return entry


def _workload_parts(
    obj: dict[str, Any], kind: Kind, where: str
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """A workload's pod spec, its own labels, and the words for its own fields.

    A controller's selector is written only where it differs from the labels, and the pods'
    labels only where they differ from the selector: their defaults. A Job's (and a CronJob's
    Jobs') pods carry the object's labels unless `podLabels` says otherwise; a CronJob's
    Jobs' own labels and annotations are `jobLabels` and `jobAnnotations`.
    """
    metadata, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    labels = metadata.get("labels") or {}
    places = {"spec": spec, "job": spec}
    allowed = {"template"}
    job_metadata: dict[str, Any] = {}
    if kind is Kind.CRONJOB:
        job_template = spec.get("jobTemplate") or {}
        places["job"] = job_template.get("spec") or {}
        job_metadata = job_template.get("metadata") or {}
        allowed = {"schedule", "jobTemplate"}
        extra = {f"jobTemplate.{key}" for key in set(job_template) - {"metadata", "spec"}}
        extra |= {
            f"jobTemplate.metadata.{key}"
            for key in set(job_metadata) - {"name", "labels", "annotations"}
        }
        extra |= {
            f"jobTemplate.spec.{key}"
            for key in set(places["job"]) - {"template"} - _words_at("job", kind)
        }
    elif kind.is_controller:
        allowed = {"selector", "template"}
        if kind is not Kind.DAEMONSET:
            allowed.add("replicas")
        if kind is Kind.STATEFULSET:
            allowed.add("serviceName")
        extra = {f"selector.{key}" for key in set(spec.get("selector") or {}) - {"matchLabels"}}
    else:
        extra = set()
    template = places["job"].get("template") or {} if kind.is_batch else spec.get("template") or {}
    template_metadata = template.get("metadata") or {}
    extra |= set(spec) - allowed - _words_at("spec", kind) - _words_at("job", kind)
    at = "jobTemplate.spec.template" if kind is Kind.CRONJOB else "template"
    extra |= {f"{at}.metadata.{key}" for key in set(template_metadata) - {"labels", "annotations"}}
    if extra:
        raise ImportError_(
            f"{where}: {kind.object_kind} fields with no blueprint words: {_listed(extra)}"
        )
    words: dict[str, Any] = {}
    if kind.is_controller:
        selector = (spec.get("selector") or {}).get("matchLabels") or {}
        pod_labels = template_metadata.get("labels") or {}
        if selector != labels:
            words["selector"] = selector
        if pod_labels != selector:
            words["podLabels"] = pod_labels
    elif (template_metadata.get("labels") or {}) != labels:
        # A Job's pods default to its labels: `{}` when they have none.
        words["podLabels"] = template_metadata.get("labels") or {}
    if template_metadata.get("annotations"):
        words["podAnnotations"] = template_metadata["annotations"]
    for key, word in (("labels", "jobLabels"), ("annotations", "jobAnnotations")):
        if job_metadata.get(key):
            words[word] = job_metadata[key]
    for place in ("spec", "job"):
        for key in _words_at(place, kind):
            if key in places[place]:  # written, `strategy: {}` too (a skeleton may restate it)
                words[key] = deepcopy(places[place][key])
    return template.get("spec") or {}, labels, words


def _words_at(place: str, kind: Kind) -> set[str]:
    """The keys of the words of `kind` that start at `place` (`Word.where`)."""
    return {w.key for w in WORDS if w.where == place and kind.value in w.for_kinds}


def _literal_entry(
    obj: dict[str, Any], kind: Kind, pod_spec: dict[str, Any], labels: dict[str, str]
) -> dict[str, Any]:
    """The fewest words: name, image, container name, metadata; the rest is overrides."""
    metadata, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    app = pod_spec["containers"][0]
    entry: dict[str, Any] = {"name": metadata["name"], "image": app.get("image", "")}
    if kind is not Kind.POD:
        entry["kind"] = kind.value
    if kind.is_controller and kind is not Kind.DAEMONSET and "replicas" in spec:
        entry["replicas"] = spec["replicas"]  # `replicas: 1` written is not replicas left out
    if kind is Kind.STATEFULSET:
        entry["expose"] = False  # its Service, if the file has one, is imported on its own
        if spec.get("serviceName") != entry["name"]:
            entry["serviceName"] = spec.get("serviceName")
    if kind is Kind.CRONJOB:
        entry["schedule"] = spec.get("schedule")
    default_container = (
        container_name_from_image(entry["image"]) if kind.is_controller else entry["name"]
    )
    if app.get("name") != default_container:
        entry["containerName"] = app.get("name")
    default_labels = (
        {} if kind.is_batch else {"app" if kind.is_controller else "run": entry["name"]}
    )
    if labels != default_labels:
        entry["labels"] = labels
    for key in ("namespace", "annotations"):
        if metadata.get(key):
            entry[key] = metadata[key]
    return entry


def _smart_entry(
    obj: dict[str, Any], kind: Kind, pod_spec: dict[str, Any], labels: dict[str, str]
) -> dict[str, Any]:
    """The literal entry plus every DSL word that describes the pod."""
    entry = _literal_entry(obj, kind, pod_spec, labels)
    app = pod_spec["containers"][0]
    for key in ("command", "args"):
        if app.get(key):
            entry[key] = list(app[key])
    ports = app.get("ports") or []
    if len(ports) == 1 and set(ports[0]) == {"containerPort"}:
        entry["port"] = ports[0]["containerPort"]
    env = app.get("env") or []
    if any("valueFrom" in e for e in env) and all(
        set(e) <= {"name", "value", "valueFrom"} for e in env
    ):
        entry["env"] = [dict(e) for e in env]
    elif env and all(set(e) <= {"name", "value"} for e in env):
        names = [e["name"] for e in env]
        # A map reads best, but printing sorts its keys; keep a list where order would change.
        if names == sorted_keys(dict.fromkeys(names)):
            entry["env"] = {e["name"]: e.get("value", "") for e in env}
        else:
            entry["env"] = [dict(e) for e in env]
    if app.get("imagePullPolicy"):
        entry["imagePullPolicy"] = app["imagePullPolicy"]
    resources = app.get("resources") or {}
    if resources and set(resources) <= {"requests", "limits"}:
        entry["resources"] = resources
    if "restartPolicy" in pod_spec and not kind.is_controller:
        entry["restart"] = pod_spec["restartPolicy"]  # dropped if the skeleton writes it anyway
    for key, word in (
        ("nodeSelector", "nodeSelector"),
        ("nodeName", "nodeName"),
        ("serviceAccountName", "serviceAccount"),
        ("terminationGracePeriodSeconds", "gracePeriod"),
    ):
        if key in pod_spec:
            entry[word] = pod_spec[key]
    tolerations = [toleration_words(t) for t in pod_spec.get("tolerations") or []]
    if tolerations and all(t is not None for t in tolerations):
        entry["tolerations"] = tolerations
    probe_words(app, entry)
    lifecycle_words(app, entry)
    pattern_words(pod_spec, entry)
    return entry


def _with_overrides(
    entry: dict[str, Any], pod_spec: dict[str, Any], skeleton: str
) -> dict[str, Any] | None:
    """`entry` plus the overrides that turn what it renders into `pod_spec`, if expressible."""
    document = rendered_workload(entry, skeleton)
    if document is None:
        return None
    found = pod_spec_of(document)
    if found is None:
        return None
    patch = _merge_patch(dict(found[0]), pod_spec)
    if patch is None:
        return None
    result = dict(entry)
    if patch:
        result["overrides"] = patch
    return result


def _merge_patch(current: Any, wanted: Any) -> dict[str, Any] | None:
    """A patch that `merge_overrides` turns `current` into `wanted` with, or None if none can."""
    patch: dict[str, Any] = {}
    for key in current:
        if key not in wanted:
            patch[key] = None
    for key, value in wanted.items():
        if key in current and current[key] == value:
            continue
        old = current.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            sub = _merge_patch(old, value)
            if sub is None:
                return None
            patch[key] = sub
        elif _named(value) and _named(old):
            old_names = [item["name"] for item in old]
            new_names = [item["name"] for item in value]
            if new_names[: len(old_names)] != old_names:
                return None  # a named item would have to go, or move: merges cannot do that
            items = []
            for old_item, new_item in zip(old, value, strict=False):
                sub = _merge_patch(old_item, new_item)
                if sub is None:
                    return None
                items.append({"name": new_item["name"], **sub})
            patch[key] = items + [deepcopy(item) for item in value[len(old) :]]
        elif value is None:
            return None  # `null` would delete the key instead
        else:
            patch[key] = deepcopy(value)
    return patch


def _named(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, Mapping) and "name" in item for item in value)
    )


def _renders_back(entry: dict[str, Any], obj: dict[str, Any], skeleton: str, server: bool) -> bool:
    document = rendered_workload(entry, skeleton)
    return document is not None and as_compared(document, server) == as_compared(obj, server)
