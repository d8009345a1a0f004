"""The one-way pipeline: typed spec -> template -> parse and check -> emit.

No stage calls back into an earlier one, and nothing here prints or writes files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from podgen._build import build_manifests, describe_source
from podgen._checks import check_manifest
from podgen._emit._gojson import dump_json
from podgen._emit._goyaml import dump_yaml
from podgen._errors import InvalidFieldError, Path, SpecError, UsageError, dotted
from podgen._flags import RunFlags, flag_for, request_from_flags
from podgen._k8s_schema import schema_problems
from podgen._render import render
from podgen._spec import Manifest, OutputFormat, PodRequest

if TYPE_CHECKING:  # blueprints load on first use: plain `podgen new` never reads one
    from podgen._blueprint import Blueprint


def new(
    flags: RunFlags, output: OutputFormat = OutputFormat.YAML, templates: str | None = None
) -> str:
    """What `podgen new` prints for these flags: kubectl's output, or an error naming the flag."""
    return emit(render_request(new_request(flags), flag_for, templates), output)


def new_request(
    flags: RunFlags, given: set[str] | None = None, blueprint_source: str | None = None
) -> PodRequest:
    """The request `podgen new` flags describe, on top of a blueprint's pod with --from."""
    try:
        if blueprint_source is None:
            return request_from_flags(flags)
        return _from_blueprint(blueprint_source, flags, given or set())
    except SpecError as error:
        raise UsageError(error.render(flag_for)) from error


def _from_blueprint(blueprint_source: str, flags: RunFlags, given: set[str]) -> PodRequest:
    from podgen._blueprint import blueprints_from
    from podgen._flags import overlay

    found = blueprints_from(blueprint_source)
    if len(found) != 1:
        raise UsageError(f"--from: {blueprint_source} holds {len(found)} blueprints; name one file")
    pods = {pod.name: pod for pod in found[0].pods}
    if len(pods) == 1:
        (base,) = pods.values()
    elif "name" in given and flags.name in pods:
        base = pods[flags.name]
    else:
        choices = ", ".join(pods) or "none"
        raise UsageError(
            f"--from: {blueprint_source} holds {len(pods)} pods ({choices}); name one as NAME"
        )
    flagged = request_from_flags(flags._replace(image=flags.image or base.image))
    if "name" in given and len(pods) > 1:
        given = given - {"name"}  # NAME chose the pod; it does not rename it
    return overlay(base, flagged, given)


def render_request(
    request: PodRequest,
    name_of: Callable[[str], str] = lambda key: key,
    templates: str | None = None,
) -> list[dict[str, Any]]:
    """Build, render and check one pod request's objects; errors name fields with `name_of`."""
    try:
        manifests = build_manifests(request)
    except SpecError as error:
        raise UsageError(error.render(name_of)) from error
    return [
        render_checked(m, lambda path: describe_source(path, request, name_of), templates)
        for m in manifests
    ]


def generate(
    manifests: Sequence[Manifest],
    output: OutputFormat = OutputFormat.YAML,
    *,
    source_of: Callable[[str], str | None] | None = None,
    templates: str | None = None,
) -> str:
    """Render, check and emit spec objects; raise before returning anything if one is invalid."""
    return emit([render_checked(manifest, source_of, templates) for manifest in manifests], output)


def render_checked(
    manifest: Manifest,
    source_of: Callable[[str], str | None] | None = None,
    templates: str | None = None,
) -> dict[str, Any]:
    """Render one object and check it; errors say what set the bad field, via `source_of`."""
    document = render(manifest, templates)
    try:
        for problem in schema_problems(document):
            # Only overrides and team templates can write fields the schema does not know.
            raise InvalidFieldError(dotted(problem.path), None, problem.message, show_value=False)
        check_manifest(document)
    except InvalidFieldError as error:
        source = source_of(error.path) if source_of else None
        if source is None and templates is not None:
            source = "--templates"  # a team template wrote a field no flag or key sets
        if source is None or error.source is not None:
            raise
        raise InvalidFieldError(
            error.path, error.value, error.reason, source, show_value=error.show_value
        ) from error
    return document


def render_blueprint(blueprint: Blueprint, templates: str | None = None) -> list[dict[str, Any]]:
    """Every object of a blueprint, rendered and checked, in the blueprint's order."""
    return [document for document, _ in render_planned(blueprint, templates)]


def render_planned(
    blueprint: Blueprint, templates: str | None = None
) -> list[tuple[dict[str, Any], Path]]:
    """Each object of a blueprint with the entry it comes from; two of one identity are refused."""
    from podgen._blueprint import plan

    rendered = []
    seen: dict[tuple[str, str, str], Path] = {}
    for item in plan(blueprint):
        document = render_checked(item.manifest, item.source_of, templates)
        identity = object_identity(document)
        if identity in seen:
            where = blueprint.document.where
            raise UsageError(
                f"{where(item.origin)}: {dotted(item.origin)} writes {describe(identity)}, "
                f"which {dotted(seen[identity])} at {where(seen[identity])} writes too; "
                "one kind, namespace and name is one object"
            )
        seen[identity] = item.origin
        rendered.append((document, item.origin))
    return rendered


def object_identity(document: Any) -> tuple[str, str, str]:
    """What names one object in a cluster: its kind, namespace and name."""
    metadata = document.get("metadata") if isinstance(document, dict) else None
    metadata = metadata if isinstance(metadata, dict) else {}
    kind = document.get("kind") if isinstance(document, dict) else None
    return (str(kind), str(metadata.get("namespace") or ""), str(metadata.get("name")))


def describe(identity: tuple[str, str, str]) -> str:
    """`Pod 'web' in namespace 'shop'`, for messages."""
    kind, namespace, name = identity
    return f"{kind} {name!r}" + (f" in namespace {namespace!r}" if namespace else "")


def emit(documents: Iterable[dict[str, Any]], output: OutputFormat = OutputFormat.YAML) -> str:
    """Write checked objects as kubectl does: YAML documents joined by `---`, or JSON objects."""
    if output is OutputFormat.JSON:
        return "".join(dump_json(document) for document in documents)
    return "---\n".join(dump_yaml(document) for document in documents)
