"""Checks of an environment's values against the project's pods, before anything renders.

Split from `_commands.project` (which reads podgen.yaml) so each reads whole: this module
judges what an environment says of the blueprints' pods.
"""

from __future__ import annotations

from podgen._commands.layering import Environment, kind_after, pod_key, repository, targets_of
from podgen._errors import UsageError, closest, dotted, quoted
from podgen._io.strict_yaml import Document
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from podgen._blueprint.loader import Blueprint
    from podgen._errors import Path

#: The project file, named in messages (and found by `_commands.project`).
PROJECT_FILE = "podgen.yaml"


def _did_you_mean(hint: str | None) -> str:
    return f"; did you mean {quoted(hint)}?" if hint else ""


def _error(document: Document, path: Path, message: str) -> UsageError:
    return UsageError(f"{document.where(path)}: {dotted(path) or '<top>'}: {message}")


class _Pod(NamedTuple):
    """A pod of the project, as an environment sees it before layering."""

    blueprint: Blueprint
    key: str  #: the blueprint file's path in the project folder
    number: int  #: its index in the blueprint's `pods`
    entry: dict[str, Any]
    targets: list[str]  #: the keys of the environment's `pods:` that reach it
    kind: str  #: once the environment is layered over it

    @property
    def name(self) -> str:
        """The pod's name."""
        return str(self.entry.get("name"))

    def context(self) -> str:
        """`pod 'web' at blueprint.yaml:14:5`, what an error at podgen.yaml names after it."""
        return f"pod {quoted(self.name)} at {self.blueprint.document.where(('pods', self.number))}"


def check_environment(
    document: Document, environment: Environment, blueprints: list[tuple[Blueprint, str]]
) -> None:
    """Check an environment's values against the project's pods, before anything renders.

    Each `pods:` key reaches one blueprint's pods; an environment-wide word reaches at least
    one pod; a pod's own word suits its kind; a tag re-tags one repository and no digest. The
    errors name the value's line in podgen.yaml, and the pod's in its blueprint after it.
    """
    from podgen._model.options import POD_KINDS
    from podgen._model.words import kinds_taking

    base = ("environments", environment.name)
    shared = {k: v for k, v in environment.values.items() if k != "namespace"}
    pods = []
    for blueprint, key in blueprints:
        for index, entry in enumerate(blueprint.document.data.get("pods", [])):
            targets = targets_of(environment, key, str(entry.get("name")))
            kind = kind_after(entry, shared, [environment.pods[target] for target in targets])
            pods.append(_Pod(blueprint, key, index, entry, targets, kind))
    _check_pod_keys(document, environment, pods, [key for _, key in blueprints])
    for word in shared:
        kinds = kinds_taking(word)
        if word != "labels" and not any(pod.kind in kinds for pod in pods):
            have = ", ".join(f"{pod.name} ({pod.kind})" for pod in pods) or "none"
            only = "" if kinds == POD_KINDS else f"only {_one_of(kinds)} pods take it, and "
            raise _error(
                document,
                (*base, word),
                f"applies to no pod of the project: {only}its pods are {have}",
            )
    for pod in pods:
        for target in pod.targets:
            for word in environment.pods[target]:
                kinds = kinds_taking(word)
                if pod.kind not in kinds:
                    raise _pod_error(
                        document,
                        (*base, "pods", target, word),
                        f"only applies with kind {_one_of(kinds)}, not {pod.kind}",
                        pod,
                    )
    _check_tags(document, environment, pods)


def _check_pod_keys(
    document: Document, environment: Environment, pods: list[_Pod], keys: list[str]
) -> None:
    """Each key of `pods:` names a pod of one blueprint: `web`, or `api/blueprint.yaml:web`."""
    for target in environment.pods:
        at = ("environments", environment.name, "pods", target)
        if ":" in target:
            key, _, name = pod_key(target).rpartition(":")
            if key not in keys:
                raise _error(
                    document,
                    at,
                    f"no blueprint {key} in the project; its blueprints are "
                    f"{', '.join(sorted(set(keys)))} (paths from the folder of {PROJECT_FILE})",
                )
            names = sorted({pod.name for pod in pods if pod.key == key})
            if name not in names:
                hint = closest(name, names)
                raise _error(
                    document, at, f"no pod named {quoted(name)} in {key}" + _did_you_mean(hint)
                )
            continue
        found = sorted({pod.key for pod in pods if pod.name == target})
        if not found:
            hint = closest(target, sorted({pod.name for pod in pods}))
            raise _error(
                document,
                at,
                f"no pod named {quoted(target)} in the blueprints" + _did_you_mean(hint),
            )
        if len(found) > 1:
            raise _error(
                document,
                at,
                f"pods named {quoted(target)} are in {len(found)} blueprints; name the "
                f"one to change as BLUEPRINT:POD: {' or '.join(f'{k}:{target}' for k in found)}",
            )


def _check_tags(document: Document, environment: Environment, pods: list[_Pod]) -> None:
    """A tag re-tags the app images of one repository, and never drops a digest."""
    base = ("environments", environment.name)
    values = environment.values
    for pod in pods:
        for target in pod.targets:
            own = environment.pods[target]
            if "tag" in own:
                image = str(own.get("image", values.get("image", pod.entry.get("image", ""))))
                if "@" in image:
                    raise _pod_error(document, (*base, "pods", target, "tag"), _pinned(image), pod)
    if "tag" not in values:
        return
    # The pods whose own values give no tag or image: the environment's tag re-tags them.
    reached = [
        pod
        for pod in pods
        if not any(k in environment.pods[t] for t in pod.targets for k in ("tag", "image"))
    ]
    images = [(pod, str(values.get("image", pod.entry.get("image", "")))) for pod in reached]
    for pod, image in images:
        if "@" in image:
            raise _pod_error(document, (*base, "tag"), _pinned(image), pod)
    repositories = sorted({repository(image) for _, image in images})
    if len(repositories) > 1:
        example = images[0][0].name
        raise _error(
            document,
            (*base, "tag"),
            f"would re-tag the app images of {len(repositories)} "
            f"repositories ({', '.join(repositories)}), and a tag is one repository's: set "
            f"`tag` per pod under `pods:` (pods: {{{example}: {{tag: ...}}}})",
        )


def _pinned(image: str) -> str:
    return (
        f"{image} is pinned by digest, and a tag would drop the digest: give the pod a new "
        "`image` (with its digest) instead of a `tag`"
    )


def _pod_error(document: Document, path: Path, message: str, pod: _Pod) -> UsageError:
    return _error(document, path, f"{message} ({pod.context()})")


def _one_of(kinds: tuple[str, ...]) -> str:
    """`deployment, statefulset or replicaset`."""
    return " or ".join(filter(None, (", ".join(kinds[:-1]), kinds[-1])))
