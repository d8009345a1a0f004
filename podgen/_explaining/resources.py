"""Which resource `kubectl explain NAME[.FIELD...]` means, found as kubectl 1.37 finds it.

kubectl does not look names up in a table of its own: it parses the argument as JSONPath
(`jsonpath.py`), expands a short name from discovery, asks its REST mapper (one mapper per
group version, in discovery's order) for every resource the first field names, and keeps the
first whose `plural.group` is a prefix of the argument. Each quirk follows from that, and
tests/test_explain_resources.py pins each one against the real kubectl:

- plural, singular and kind match in any case (the mapper lowercases them; a kind is the
  singular), but a short name only as discovery spells it (`po`, not `PO`);
- `plural.group` works, `singular.group`, `Plural.group` and `short.group` do not: the group
  becomes a field (`field "apps" does not exist`); and the prefix test is on characters, so
  `deployments.appsx` is `deployments`;
- `events.events.k8s.io` is the core Event: the core group's `events` is first in discovery
  and is a prefix of the argument, so `events`, `k8s` and `io` are fields of it;
- the mapper also knows a `<kind>list` and a `list` for each group version, which explain
  then cannot find (`GVR (/v1, Resource=podlists) not found in OpenAPI schema`), though
  `--output plaintext-openapiv2` prints PodList;
- a short name that two resources share picks the first and warns of the other.
"""

from __future__ import annotations

from podgen._errors import ExplainError, go_quote
from podgen._explaining.jsonpath import Node, field_nodes
from podgen._explaining.kinds import ApiResource
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

OPENAPIV2 = "plaintext-openapiv2"
PLAINTEXT = "plaintext"


class Resolved(NamedTuple):
    """The resource to explain, the field path after it, and kubectl's warnings on the way."""

    resource: ApiResource
    fields: tuple[str, ...]
    warnings: tuple[str, ...]


def resolve(
    resources: Sequence[ApiResource],
    argument: str,
    api_version: str | None,
    *,
    output: str = PLAINTEXT,
) -> Resolved:
    """The resource and fields `kubectl explain ARGUMENT [--api-version GV] [-o OUTPUT]` means.

    `resources` is discovery (built-in and CRDs), in its order. With `--api-version`, the
    resource is the one of that name in that group version. For `plaintext-openapiv2` kubectl
    looks the kind up in the whole document instead: the resource returned then carries the
    group version asked for and the named resource's kind, and may not exist (the caller
    looks for its schema). Raises ExplainError with kubectl's message, in kubectl's order;
    an error after a warning carries the warnings (`error.warnings`).
    """
    mapper = _Mapper(resources)
    try:
        if api_version:
            record, fields = _with_api_version(mapper, argument)
        else:
            record, fields = _with_matching_prefix(mapper, argument)
        return Resolved(_target(mapper, record, api_version, output), fields, mapper.warned())
    except ExplainError as error:
        error.warnings = mapper.warned()
        raise


def parse_group_version(text: str) -> tuple[str, str]:
    """The group and version in `apps/v1` or `v1`, as apimachinery's ParseGroupVersion has them."""
    if text in ("", "/"):
        return "", ""
    if text.count("/") == 0:
        return "", text
    if text.count("/") == 1:
        group, version = text.split("/")
        return group, version
    raise ExplainError(f"unexpected GroupVersion string: {text}")


def group_resource(resource: ApiResource) -> str:
    """`deployments.apps`, or `pods` in the core group: a GroupResource as kubectl prints it."""
    return f"{resource.plural}.{resource.group}" if resource.group else resource.plural


def _gvr(group: str, version: str, plural: str) -> str:
    return f"{group}/{version}, Resource={plural}"


def _target(
    mapper: _Mapper, record: ApiResource, api_version: str | None, output: str
) -> ApiResource:
    """What kubectl renders once the name is resolved, or its error, in its order."""
    group, version = record.group, record.version
    if api_version:
        group, version = parse_group_version(api_version)
    if output == OPENAPIV2:
        return record._replace(group=group, version=version)
    if (group, version) not in mapper.served:
        gvr = _gvr(group, version, record.plural)
        raise ExplainError(f'couldn\'t find resource for "{gvr}"')
    if output != PLAINTEXT:
        raise ExplainError(f"unrecognized format: {output}")
    for served in mapper.served[group, version]:
        if served.plural == record.plural:
            return served
    raise ExplainError(f"GVR ({_gvr(group, version, record.plural)}) not found in OpenAPI schema")


def _with_matching_prefix(mapper: _Mapper, argument: str) -> tuple[ApiResource, tuple[str, ...]]:
    """Without --api-version: kubectl's SplitAndParseResourceRequestWithMatchingPrefix."""
    nodes = field_nodes(argument)
    candidates = mapper.resources_for(_first_field(nodes))
    for candidate in candidates:
        prefix = group_resource(candidate)
        if argument.startswith(prefix):
            suffix = argument[len(prefix) :]
            fields = _fields(field_nodes(suffix)[1:]) if suffix else ()
            return candidate, fields
    return candidates[0], _fields(nodes[1:])


def _with_api_version(mapper: _Mapper, argument: str) -> tuple[ApiResource, tuple[str, ...]]:
    """With --api-version: kubectl's SplitAndParseResourceRequest (all fields, by priority)."""
    nodes = field_nodes(argument)
    record = mapper.resource_for(_first_field(nodes))
    if any(kind != "field" for kind, _ in nodes[1:]):
        raise ExplainError("invalid jsonpath syntax, all nodes must be field nodes")
    return record, tuple(name for _, name in nodes[1:])


def _first_field(nodes: list[Node]) -> str:
    kind, name = nodes[0]
    if kind != "field":
        raise ExplainError("invalid jsonpath syntax, first node must be field node")
    return name


def _fields(nodes: list[Node]) -> tuple[str, ...]:
    if any(kind != "field" for kind, _ in nodes):
        raise ExplainError("invalid jsonpath syntax, first node must be field node")
    return tuple(name for _, name in nodes)


def guess_plural(kind: str) -> tuple[str, str]:
    """The plural and singular apimachinery's UnsafeGuessKindToResource guesses for a kind."""
    singular = kind.lower()
    if singular.endswith("endpoints"):
        return singular, singular
    if singular.endswith(("s", "z", "ch", "sh", "x")):
        return singular + "es", singular
    if singular.endswith("y") and not singular.endswith(("ay", "ey", "iy", "oy", "uy")):
        return singular[:-1] + "ies", singular
    return singular + "s", singular


class _Mapper:
    """kubectl's REST mapper over discovery: shortcut expander, then one mapper per version."""

    def __init__(self, resources: Sequence[ApiResource]) -> None:
        self.resources = resources
        #: Per group version, in discovery's order: plural -> (singular, record). As kubectl's
        #: DefaultRESTMapper, it also maps `<kind>list` and `list`, which are no resources.
        self.names: dict[tuple[str, str], dict[str, tuple[str, ApiResource]]] = {}
        self.served: dict[tuple[str, str], list[ApiResource]] = {}
        for resource in resources:
            key = (resource.group, resource.version)
            names = self.names.setdefault(key, {})
            self.served.setdefault(key, []).append(resource)
            singular = resource.singular or guess_plural(resource.kind)[1]
            names[resource.plural] = (singular, resource)
            plural, singular = guess_plural(resource.kind + "List")
            names[plural] = (singular, _phantom(resource, resource.kind + "List", plural))
            names["lists"] = ("list", _phantom(resource, "List", "lists"))
        self.warnings: list[str] = []
        self.expanded = ("", "")

    def warned(self) -> tuple[str, ...]:
        return tuple(self.warnings)

    def expand(self, name: str) -> tuple[str, str]:
        """client-go's shortcutExpander: (group, resource) for a short name, warning of others."""
        for resource in self.resources:
            if name in (resource.plural, resource.singular or guess_plural(resource.kind)[1]):
                return "", name
        found: ApiResource | None = None
        warned: set[str] = set()
        for resource in self.resources:
            if name not in resource.short_names:
                continue
            if found is None:
                found = resource
            elif (resource.group, resource.plural) != (found.group, found.plural):
                other = group_resource(resource)
                if other not in warned:
                    warned.add(other)
                    self.warnings.append(
                        f"short name {go_quote(name)} could also match lower priority resource "
                        f"{other}"
                    )
        return (found.group, found.plural) if found else ("", name)

    def resources_for(self, name: str) -> list[ApiResource]:
        """Every resource the name may mean, in discovery's order (kubectl's ResourcesFor)."""
        group, resource = self.expanded = self.expand(name)
        wanted = resource.lower()
        if not wanted:
            raise ExplainError("a resource must be present, got: /, Resource=")
        found: list[ApiResource] = []
        for (version_group, _), names in self.names.items():
            # A version's mapper takes its group exactly or, failing that, as a prefix
            # (`storageclasses.storage`): either way, a group that starts with the one given.
            if not version_group.startswith(group):
                continue
            matches = [
                record
                for plural, (singular, record) in names.items()
                if wanted in (plural, singular)
            ]
            for match in sorted(matches, key=lambda record: record.plural):
                if match not in found:
                    found.append(match)
        if not found:
            raise ExplainError(
                f"the server doesn't have a resource type {go_quote(resource)}", bare=True
            )
        return found

    def resource_for(self, name: str) -> ApiResource:
        """One resource (kubectl's ResourceFor), narrowed by the priority of groups and versions."""
        candidates = self.resources_for(name)
        if len(candidates) == 1:
            return candidates[0]
        remaining = candidates
        for group, version in self._priority():
            matched = [
                record
                for record in remaining
                if group in ("*", record.group) and version in ("*", record.version)
            ]
            if len(matched) == 1:
                return matched[0]
            if matched:
                remaining = matched
        group, resource = self.expanded
        partial = f"{group}/, Resource={resource}"
        listed = " ".join(_gvr(r.group, r.version, r.plural) for r in candidates)
        raise ExplainError(f"{partial} matches multiple resources [{listed}]")

    def _priority(self) -> list[tuple[str, str]]:
        """Restmapper's ResourcePriority: core v1, then each group's versions, preferred first.

        Groups in discovery's order; then each group in any version.
        """
        groups: dict[str, list[tuple[str, bool]]] = {}
        for resource in self.resources:
            versions = groups.setdefault(resource.group, [])
            if (resource.version, resource.preferred) not in versions:
                versions.append((resource.version, resource.preferred))
        patterns = [("", "v1")]
        for group, versions in groups.items():
            patterns += [(group, version) for version, preferred in versions if preferred]
            patterns += [(group, version) for version, preferred in versions if not preferred]
        return patterns + [(group, "*") for group in groups]


def _phantom(resource: ApiResource, kind: str, plural: str) -> ApiResource:
    """A name kubectl's mapper knows that discovery does not serve (`podlists`, `lists`)."""
    singular = guess_plural(kind)[1]
    return resource._replace(kind=kind, plural=plural, singular=singular, short_names=())
