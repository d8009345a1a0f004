"""The one-way pipeline: typed spec -> template -> parse and check -> emit.

No stage calls back into an earlier one, and nothing here prints or writes files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from podgen._building.build import build_manifests
from podgen._building.sources import describe_source
from podgen._checking.checks import check_manifest
from podgen._checking.k8s_schema import FIELD_RULE, SchemaProblem, added_in, schema_problems
from podgen._errors import (
    InvalidFieldError,
    Path,
    SpecError,
    UsageError,
    dotted,
    one_of,
    parse_path,
    quoted,
)
from podgen._io.emit import dumper, separator
from podgen._model.objects import Identity, custom_group, describe, object_identity
from podgen._model.spec import Manifest, OutputFormat, PodRequest, Verbatim
from podgen._records import NamedTuple
from podgen._rendering.dropped import check_dropped, collecting
from podgen._rendering.render import render, template_name

TYPE_CHECKING = False
if TYPE_CHECKING:  # blueprints load on first use: plain `podgen new` never reads one
    from typing import Any

    from podgen._blueprint.loader import Blueprint
    from podgen._building.flags import RunFlags
    from podgen._checking.crd_catalog import Crd, CrdCatalog

# The flags module (kubectl's flag syntax) is `podgen new`'s: `render` on every save never
# needs it, so the functions below import it when they run.


def new(
    flags: RunFlags, output: OutputFormat | str = OutputFormat.YAML, templates: str | None = None
) -> str:
    """What `podgen new` prints for these flags: kubectl's output, or an error naming the flag.

    `output` is "yaml", "json" or "kyaml" (or an OutputFormat); `templates`, a folder of team
    templates.
    """
    from podgen._building.flags import checked_flags, flag_for

    format_ = output_format(output)
    request = new_request(checked_flags(flags))
    return emit(render_request(request, flag_for, templates_folder(templates)), format_)


def output_format(output: object) -> OutputFormat:
    """`output` as an OutputFormat ("yaml", "json" or "kyaml", any case), or a UsageError."""
    if isinstance(output, OutputFormat):
        return output
    if isinstance(output, str) and output.lower() in tuple(OutputFormat):
        return OutputFormat(output.lower())
    choices = one_of(repr(str(choice)) for choice in OutputFormat)
    raise UsageError(f"output: expected {choices}, not {quoted(output)}")


def templates_folder(templates: object) -> str | None:
    """A team-templates folder that exists and holds only template names, or a UsageError."""
    import os

    if templates is None:
        return None
    if not isinstance(templates, str | os.PathLike):
        raise UsageError(f"templates: expected a folder's path, not {quoted(templates)}")
    folder = os.fspath(templates)
    if not os.path.isdir(folder):
        raise UsageError(f"templates: {folder}: no such folder")
    from podgen._rendering.team_templates import check_folder

    check_folder(folder, "templates")
    return str(folder)


def new_text(
    params: Mapping[str, Any], given: set[str], templates: str | None
) -> tuple[str, list[str]]:
    """What `podgen new` prints for its parsed parameters, and its warnings, for the release.

    Only refusals and warnings depend on the release (`--k8s-version`): what is written is
    kubectl's. A warning is a field the release's API server drops (`_rendering.dropped`).
    """
    from podgen._model.versions import targeting_given

    with targeting_given(params.get("k8s_version")), collecting() as warnings:
        request, name_of = new_from_params(params, given)
        documents = render_request(request, name_of, templates, deepest=True)
    return emit(documents, OutputFormat(params["output"])), warnings


def request_from_params(params: Mapping[str, Any], given: set[str]) -> PodRequest:
    """The request `podgen new`'s parsed parameters describe (`given`: those typed)."""
    return new_from_params(params, given)[0]


def new_from_params(
    params: Mapping[str, Any], given: set[str]
) -> tuple[PodRequest, Callable[[str], str]]:
    """The request `podgen new`'s parameters describe, and how its messages name each key.

    A key is named by its flag, unless `--from`'s blueprint set it and no flag did: then by
    the blueprint's file:line, since the user never typed the flag.
    """
    from podgen._building.flags import flag_for, flags_from_params

    flags = flags_from_params(params)
    source = params["from_"]
    if source is None:
        return new_request(flags), flag_for
    try:
        return _from_blueprint(source, flags, given)
    except SpecError as error:
        raise UsageError(error.render(flag_for)) from error


def new_request(
    flags: RunFlags, given: set[str] | None = None, blueprint_source: str | None = None
) -> PodRequest:
    """The request `podgen new` flags describe, on top of a blueprint's pod with --from."""
    from podgen._building.flags import flag_for, request_from_flags

    try:
        if blueprint_source is None:
            return request_from_flags(flags)
        return _from_blueprint(blueprint_source, flags, given or set())[0]
    except SpecError as error:
        raise UsageError(error.render(flag_for)) from error


def _from_blueprint(
    blueprint_source: str, flags: RunFlags, given: set[str]
) -> tuple[PodRequest, Callable[[str], str]]:
    from podgen._building.flags import overlay, request_from_flags

    blueprint = one_blueprint(blueprint_source)
    base = pick_pod(blueprint, blueprint_source, flags.name if "name" in given else None)
    # The blueprint's kind, unless --kind: it decides how many images and what -- means.
    kind = flags.kind if "kind" in given else base.kind
    flagged = request_from_flags(flags._replace(image=flags.image or base.image, kind=kind))
    if "name" in given and len(blueprint.pods) > 1:
        given = given - {"name"}  # NAME chose the pod; it does not rename it
    index = next(i for i, pod in enumerate(blueprint.pods) if pod is base)
    return overlay(base, flagged, given), _blueprint_namer(blueprint, index, given)


def _blueprint_namer(blueprint: Blueprint, index: int, given: set[str]) -> Callable[[str], str]:
    """Name a key by its flag if one was given, else where `--from`'s blueprint sets it."""
    from podgen._building.flags import flag_for
    from podgen._model.options import OPTIONS, POSITIONAL_KEYS

    document = blueprint.document

    def name_of(key: str) -> str:
        params = [
            o.param for o in OPTIONS if key in (o.key, o.word, *o.writes) and o.param in given
        ]
        path: Path = ("pods", index, *parse_path(key))  # `mounts[0].readOnly` too
        typed = "args" if key in ("command", "args") else key
        if params or (key in POSITIONAL_KEYS and typed in given):
            return flag_for(key)
        if path not in document.positions:
            return flag_for(key)  # a default: named as the flag that would change it
        return f"{document.where(path)}: {dotted(path)} (from --from)"

    return name_of


def one_blueprint(source: str) -> Blueprint:
    """The one blueprint `--from SOURCE` names (a file or a built-in)."""
    from podgen._blueprint.loader import blueprints_from

    found = blueprints_from(source)
    if len(found) != 1:
        raise UsageError(f"--from: {source} holds {len(found)} blueprints; name one file")
    return found[0]


def pick_pod(blueprint: Blueprint, source: str, name: str | None) -> PodRequest:
    """The pod of `blueprint` that flags apply to: its only one, or the one named `name`.

    Two pods of one name are refused, naming both places.
    """
    pods: dict[str, PodRequest] = {}
    for index, pod in enumerate(blueprint.pods):
        if pod.name in pods:
            first = [p.name for p in blueprint.pods].index(pod.name)
            where = blueprint.document.where
            raise UsageError(
                f"--from: {where(('pods', index))}: pods[{index}] is named {quoted(pod.name)} like "
                f"pods[{first}] at {where(('pods', first))}; one name is one pod"
            )
        pods[pod.name] = pod
    if len(pods) == 1:
        (only,) = pods.values()
        return only
    if name is not None and name in pods:
        return pods[name]
    choices = ", ".join(pods) or "none"
    raise UsageError(f"--from: {source} holds {len(pods)} pods ({choices}); name one as NAME")


def render_request(
    request: PodRequest,
    name_of: Callable[[str], str] = lambda key: key,
    templates: str | None = None,
    *,
    deepest: bool = False,
) -> list[dict[str, Any]]:
    """Build, render and check one pod request's objects; errors name fields with `name_of`.

    `deepest`: a field `--from`'s blueprint wrote is named at its own line, as render names
    it (`securityContext.supplementalGroupsPolicy`), not at the word's.
    """
    try:
        manifests = build_manifests(request)
    except SpecError as error:
        raise UsageError(error.render(name_of)) from error

    def source_of(path: str) -> str | None:
        named = describe_source(path, request, name_of)
        return _deepest(path, request, name_of, named) if deepest else named

    return [render_checked(m, source_of, templates, api_warnings=True) for m in manifests]


_FROM = " (from --from)"


def _deepest(
    path: str, request: PodRequest, name_of: Callable[[str], str], named: str | None
) -> str | None:
    """`named`, a blueprint word's place, as the place of the key within it that wrote `path`.

    `name_of` names a key within a word at its own line when the blueprint has it there
    (`_blueprint_namer`); a flag, or a key the blueprint does not hold, stays as named.
    """
    from podgen._building.sources import key_of

    key = key_of(path, request)
    if named is None or key is None or not named.endswith(_FROM) or named.count(_FROM) != 1:
        return named
    word = named.rsplit(": ", 1)[-1].removesuffix(_FROM)  # `pods[0].securityContext`
    deeper = name_of(key)
    place = deeper.rsplit(": ", 1)[-1].removesuffix(_FROM)
    if deeper.endswith(_FROM) and place.startswith((word + ".", word + "[")):
        return deeper
    return named


def generate(
    manifests: Sequence[Manifest],
    output: OutputFormat | str = OutputFormat.YAML,
    *,
    source_of: Callable[[str], str | None] | None = None,
    templates: str | None = None,
) -> str:
    """Render, check and emit spec objects; raise before returning anything if one is invalid."""
    format_, folder = output_format(output), templates_folder(templates)
    return emit(
        [render_checked(m, source_of, folder, api_warnings=True) for m in manifests], format_
    )


def render_checked(
    manifest: Manifest,
    source_of: Callable[[str], str | None] | None = None,
    templates: str | None = None,
    *,
    api_warnings: bool = False,
) -> dict[str, Any]:
    """Render one object and check it; errors say what set the bad field, via `source_of`.

    `api_warnings`: refuse what the API server only warns about too (duplicate env names,
    ports); for the objects podgen's own flags and spec objects make, never for a blueprint's.
    """
    document = render(manifest, templates)
    if templates is not None and not isinstance(manifest, Verbatim):
        source_of = _template_or(manifest, document, source_of)
    try:
        for problem in schema_problems(document):
            # Only overrides and team templates can write fields the schema does not know, and
            # words or objects a field the target release is too old for.
            reason = _release_reason(document, problem) or problem.message
            raise InvalidFieldError(dotted(problem.path), None, reason, show_value=False)
        check_manifest(document, api_warnings=api_warnings)
    except InvalidFieldError as error:
        source = source_of(error.path) if source_of else None
        if source is None or error.source is not None:
            raise
        raise InvalidFieldError(
            error.path, error.value, error.reason, source, show_value=error.show_value
        ) from error
    check_dropped(document, source_of)  # a warning each, for the command to print
    return document


def _template_or(
    manifest: Manifest, document: dict[str, Any], source_of: Callable[[str], str | None] | None
) -> Callable[[str], str | None]:
    """Name the team template for a field it wrote, else what `source_of` names.

    A field the team's template writes where podgen's own does not (or writes otherwise)
    is the template's, whatever flag or key would set a field of its name: podgen's own
    rendering, made only when a message needs it, tells which.
    """
    own: list[dict[str, Any]] = []

    def named(path: str) -> str | None:
        if not own:
            own.append(render(manifest))
        if _at(document, path) != _at(own[0], path):
            return f"--templates: {template_name(manifest)}"
        return source_of(path) if source_of is not None else None

    return named


_MISSING = object()


def _at(document: object, path: str) -> object:
    """The value at the manifest path `path` of `document`, or _MISSING."""
    node = document
    for step in parse_path(path):
        if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        elif not isinstance(node, dict) or step not in node:
            return _MISSING
        else:
            node = node[step]
    return node


def _release_reason(document: dict[str, Any], problem: SchemaProblem) -> str | None:
    """Why the target refuses a field a later release added: that release, and the target.

    The schema check of the output finds it (an unknown field at the target); the release
    that added it is the schema's answer (`added_in`), so no list of fields is kept here.
    """
    if problem.rule != FIELD_RULE:
        return None
    from podgen._model.versions import chosen_by, minor, target

    kind = document.get("kind")
    since = added_in(f"{document.get('apiVersion')}/{kind}", problem.path)
    if since is None or minor(since) <= minor(target()):
        return None  # a field the target's release dropped: the schema's message says so
    return (
        f"a {kind}'s field in Kubernetes {since} and later, not in {target()} (see {chosen_by()})"
    )


def render_blueprint(
    blueprint: Blueprint,
    templates: str | None = None,
    *,
    references: bool = True,
    crds: bool = True,
) -> list[dict[str, Any]]:
    """Every object of a blueprint, rendered and checked, in the blueprint's order.

    With `references`, a pod that names a ConfigMap, Secret or claim the blueprint writes
    only into another namespace is an error (`check_references`). Without `crds`, custom
    resources are not checked with their CRDs (import keeps one its CRD refuses).
    """
    planned = render_planned(blueprint, templates, references=references, crds=crds)
    return [document for document, _ in planned]


def render_planned(
    blueprint: Blueprint,
    templates: str | None = None,
    *,
    references: bool = True,
    crds: bool = True,
) -> list[tuple[dict[str, Any], Path]]:
    """Each object of a blueprint with the entry it comes from; two of one identity are refused."""
    rendered = render_each(blueprint, templates, crds=crds)
    if references:
        check_references(rendered)
    return [(item.document, item.origin) for item in rendered]


class Rendered(NamedTuple):
    """One rendered object of a blueprint, and how messages name where it comes from."""

    document: dict[str, Any]
    #: The blueprint entry it comes from (`("pods", 0)`).
    origin: Path
    #: What set each of its fields, by manifest path (`Planned.source_of`).
    source_of: Callable[[str], str | None]
    #: The entry and its place, `pods[0] at blueprint.yaml:4:5`.
    place: str


def render_each(
    blueprint: Blueprint, templates: str | None = None, *, crds: bool = True
) -> list[Rendered]:
    """Each object of a blueprint, rendered and checked; two of one identity are refused.

    A custom resource under `objects:` is checked with its CRD: among the objects, in a file
    beside the blueprint, or given (`--crd`, podgen.yaml's `crds:`; `_checking.crd_catalog`).
    Nothing here looks across objects beyond that: a project checks the references of all
    its blueprints' objects at once (`check_references`).
    """
    from podgen._blueprint.loader import plan

    rendered = []
    catalog: CrdCatalog | None = None
    seen: dict[Identity, Path] = {}
    where = blueprint.document.where
    for item in plan(blueprint):
        try:
            document = render_checked(item.manifest, item.source_of, templates)
        except InvalidFieldError as error:
            # A value a project's environment set is named where podgen.yaml has it.
            layered = item.reframe(error) if item.reframe is not None else None
            if layered is None:
                raise
            raise layered from error
        custom = isinstance(item.manifest, Verbatim) and custom_group(document.get("apiVersion"))
        if crds and custom:
            catalog = catalog or _blueprint_crds(blueprint)
            crd = check_custom_resource(document, catalog, item.source_of)
            if crd is not None and not _namespaced(crd, blueprint, item.origin):
                document["metadata"].pop("namespace", None)  # the blueprint's, not for this kind
        identity = object_identity(document)
        if identity in seen:
            raise UsageError(
                f"{where(item.origin)}: {dotted(item.origin)} writes {describe(identity)}, "
                f"which {dotted(seen[identity])} at {where(seen[identity])} writes too; "
                "one kind, namespace and name is one object"
            )
        seen[identity] = item.origin
        place = f"{dotted(item.origin)} at {where(item.origin)}"
        rendered.append(Rendered(document, item.origin, item.source_of, place))
    return rendered


def _blueprint_crds(blueprint: Blueprint) -> CrdCatalog:
    from podgen._checking.crd_catalog import MARKER, for_blueprint

    position = blueprint.document.position
    own = [
        (verbatim.document, blueprint.document.source, position(("objects", index))[0])
        for index, verbatim in enumerate(blueprint.objects)
        if verbatim.document.get("kind") == MARKER
    ]
    return for_blueprint(blueprint.document.source, own)


def _namespaced(crd: Crd, blueprint: Blueprint, origin: Path) -> bool:
    """Whether the custom resource at `origin` keeps a namespace.

    Yes if its kind is namespaced, or the user wrote one (the server clears it; validate
    warns); a cluster-scoped kind never takes the blueprint's.
    """
    if (crd.obj.get("spec") or {}).get("scope") != "Cluster":
        return True
    written: Any = blueprint.document.data
    for key in origin:
        written = written[key]
    return bool((written.get("metadata") or {}).get("namespace"))


def check_custom_resource(
    document: dict[str, Any], crds: CrdCatalog, source_of: Callable[[str], str | None]
) -> Crd | None:
    """Refuse a custom resource its CRD in `crds` refuses: the first error, at its field.

    One without its CRD at hand passes (validate warns `kind-unchecked`); what the server
    accepts (a namespace it ignores, a CEL rule podgen cannot evaluate) passes. Returns the
    CRD that judged it, if any.
    """
    group = custom_group(document.get("apiVersion")) or ""
    crd = crds.find(group, str(document.get("kind")))
    if crd is None:
        return None
    from podgen._checking.custom_resources import custom_resource_violations

    for violation in custom_resource_violations(document, crd):
        if not violation.warning:
            error = violation.error()
            raise InvalidFieldError(error.path, error.value, error.reason, source_of(error.path))
    return crd


def check_references(rendered: Sequence[Rendered]) -> None:
    """Refuse a pod that names a ConfigMap, Secret or claim written only into other namespaces.

    `rendered` is one render: a blueprint's objects, or every object of a project's
    environment. An object the render does not write at all may be in the cluster: no error.
    """
    from podgen._checking.references import misplaced

    for found in misplaced([item.document for item in rendered]):
        pod, other = rendered[found.pod], rendered[found.elsewhere]
        reference = found.reference
        source = pod.source_of(reference.path) or pod.place
        raise UsageError(
            f"{source}: {describe(object_identity(pod.document))} refers to {reference.kind} "
            f"{quoted(reference.name)} ({reference.path}), which is rendered only into namespace "
            f"{quoted(object_identity(other.document)[1])} ({other.place}); a pod finds only the "
            f"{reference.kind}s of its own namespace"
        )


def emit(documents: Iterable[dict[str, Any]], output: OutputFormat = OutputFormat.YAML) -> str:
    """Write checked objects as kubectl does, in YAML, JSON or KYAML."""
    dump = dumper(output)
    return separator(output).join(dump(document) for document in documents)
