"""Render typed specs through the templates, and parse the text back into objects.

The templates live in the top-level `templates/` folder, shipped in the wheel as the
`podgen.templates` package; podgen renders them through their compiled form
(podgen/_rendering/compiled_templates.py), and a team's (--templates) through Jinja. Values
reach them only through `quote`, which writes every value as a YAML flow scalar or
collection, so no value can add a field; and the output is never trusted: it is parsed back
(podgen/_io/fast_yaml.py) and checked before anything is emitted.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

from podgen._errors import TemplateError, UsageError
from podgen._io.fast_yaml import RenderedYamlError, load_rendered
from podgen._model.objects import pod_spec as pod_spec_of
from podgen._model.spec import (
    CronJob,
    DaemonSet,
    Deployment,
    Job,
    Manifest,
    Namespace,
    Pod,
    ReplicaSet,
    Service,
    StatefulSet,
    Verbatim,
    Workload,
)
from podgen._rendering.compiled_templates import RENDER

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The one template suffix.
TEMPLATE_SUFFIX = ".yaml.j2"

_TEMPLATE_FOR = {
    Pod: "pod",
    Deployment: "deployment",
    StatefulSet: "statefulset",
    DaemonSet: "daemonset",
    ReplicaSet: "replicaset",
    Job: "job",
    CronJob: "cronjob",
    Service: "service",
    Namespace: "namespace",
}


def template_name(manifest: Manifest) -> str:
    """The template that renders `manifest` (`pod.yaml.j2`); not for a Verbatim object."""
    return _TEMPLATE_FOR[type(manifest)] + TEMPLATE_SUFFIX


def render(manifest: Manifest, team_templates: str | None = None) -> dict[str, Any]:
    """Render one spec object through its template and parse the result back."""
    if isinstance(manifest, Verbatim):  # no template: the object is written as it was given
        return copy.deepcopy(dict(manifest.document))
    name = template_name(manifest)
    if team_templates is None:
        text = RENDER[name](manifest)
    else:
        import jinja2

        from podgen._rendering import jinja as _jinja

        try:
            text = _jinja.render_text(name, manifest, team_templates)
        except jinja2.TemplateError as error:
            raise UsageError(f"--templates: {name}: {_jinja.message(error)}") from error
    where = f"--templates: {name}" if team_templates is not None else f"template {name}"
    failure = UsageError if team_templates is not None else TemplateError
    try:
        # A team's template is read like any user's file: strictly, so that a key written
        # twice (a second `labels:`) is an error rather than a silent win for the last.
        document = load_rendered(text) if team_templates is None else _load_team_output(text, where)
    except RenderedYamlError as error:
        raise failure(f"{where} rendered invalid YAML: {error}") from error
    if not isinstance(document, dict):
        raise failure(f"{where} rendered {type(document).__name__}, not an object")
    if isinstance(manifest, Workload) and (manifest.template.words or manifest.template.overrides):
        found = pod_spec_of(document)
        if found is None:
            raise TemplateError(f"template {name} rendered no pod spec to apply overrides to")
        pod_spec = found[0]
        spec = document.get("spec")
        if isinstance(spec, dict):
            job = spec.get("jobTemplate", {}).get("spec") if isinstance(manifest, CronJob) else spec
            apply_words({"pod": pod_spec, "spec": spec, "job": job}, manifest.template.words)
        merge_overrides(pod_spec, manifest.template.overrides)  # after the words: overrides win
    return document


def _load_team_output(text: str, where: str) -> Any:
    from podgen._io.strict_yaml import YamlInputError, load_documents

    try:
        documents = load_documents(text, where)
    except YamlInputError as error:
        problem = str(error).removeprefix(f"{where}:{error.line}:{error.column}: ")
        raise UsageError(
            f"{where} rendered invalid YAML (line {error.line}, column {error.column} of its "
            f"output): {problem}"
        ) from None
    if len(documents) != 1:
        raise UsageError(f"{where} rendered {len(documents)} YAML documents, not one object")
    return documents[0].data


def apply_words(places: Mapping[str, Any], words: Mapping[str, Any]) -> None:
    """Put each blueprint word (`words.WORDS`) in its place in a rendered object.

    `places` holds where words start (`Word.where`): the pod spec, the object's spec and a
    Job's spec. `check_request` has refused words of other kinds.
    """
    from podgen._model.words import WORDS

    for word in WORDS:
        start = places.get(word.where)
        if word.key not in words or not isinstance(start, dict):
            continue
        value = _plain(words[word.key])
        *parents, last = word.path
        target: Any = start
        for part in parents:  # ("containers", 0): the app container, which is always there
            target = target[part]
        current = target.get(last)
        if word.how == "extend" and isinstance(current, list):
            target[last] = current + value
        elif word.how == "merge" and current is not None:
            merge_overrides(target, {str(last): value})
        else:
            target[last] = value


def merge_overrides(base: dict[str, Any], patch: Mapping[str, Any]) -> None:
    """Merge `patch` into `base` in place, like a strategic merge patch on a pod spec.

    Maps merge key by key and `null` removes a key (as in a JSON merge patch); lists of maps
    that all have a `name` (containers, volumes, env) merge item by item on that name, new
    names appended; any other value replaces what was there.
    """
    for key, value in patch.items():
        current = base.get(key)
        if value is None:
            base.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(current, dict):
            merge_overrides(current, value)
        elif isinstance(current, list) and _named_list(value) and _named_list(current):
            by_name = {item["name"]: item for item in current}
            for item in value:
                if item["name"] in by_name:
                    merge_overrides(by_name[item["name"]], item)
                else:
                    current.append(_plain(item))
        else:
            base[key] = _plain(value)


def _named_list(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, Mapping) and "name" in item for item in value)
    )


def _plain(value: Any) -> Any:
    """A deep copy made of plain dicts and lists, so later merges never touch the request."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
