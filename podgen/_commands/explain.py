"""`podgen explain`: what `kubectl explain` 1.37 prints, from the stored documentation, offline.

One call: resolve the argument against the release's discovery (resources.resolve, kubectl's
rules and messages), load the one group version's schemas it needs (store), and render them as
kubectl's plaintext template or its older openapiv2 printer. Never reads ~/.kube or a server.
"""

from __future__ import annotations

from podgen._errors import ExplainError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from podgen._explaining.kinds import ApiResource

PLAINTEXT = "plaintext"
OPENAPIV2 = "plaintext-openapiv2"
OUTPUTS = (PLAINTEXT, OPENAPIV2)


def explain(
    argument: str,
    *,
    api_version: str | None = None,
    output: str = PLAINTEXT,
    recursive: bool = False,
    max_depth: int | None = None,
    k8s_version: str | None = None,
    crds: Sequence[str] = (),
) -> tuple[str, list[str]]:
    """The stdout of kubectl explain for `argument` (`pods.spec.containers`), and its warnings.

    `k8s_version` (`1.36`, `v1.36.2`) is the release explained; None: the podgen.yaml
    project's `kubernetesVersion:` (from the current folder upward), else the newest. `crds`
    (`--crd`: CRD files and folders) and the project's `crds:` add their custom resources, as
    a cluster with them installed serves them. Raises ExplainError with kubectl's message;
    where kubectl prints something before failing (the GROUP/KIND/VERSION lines, a warning)
    the error carries it (`stdout`, `warnings`).
    """
    from podgen._explaining.resources import resolve

    depth = check_max_depth(max_depth, recursive)
    served = _Served(k8s_version, crds)
    try:
        resolved = resolve(served.resources(), argument, api_version, output=output)
    except ExplainError as error:  # the CRDs' warnings come first on every path
        error.warnings = (*served.warnings, *error.warnings)
        raise
    resource = resolved.resource
    schemas, schema_name = served.document(resource)
    try:
        if output == OPENAPIV2:
            if schema_name is None:
                gvk = f"{resource.group}/{resource.version}, Kind={resource.kind}"
                raise ExplainError(f'couldn\'t find resource for "{gvk}"')
            from podgen._explaining.openapiv2 import explain_openapiv2 as render
        else:
            if schema_name is None:
                gvk = f"map[group:{resource.group} kind:{resource.kind} version:{resource.version}]"
                raise ExplainError(f"GVK {gvk} not found in OpenAPI schema")
            from podgen._explaining.plaintext import explain_plaintext as render
        text = render(
            schemas,
            schema_name,
            resource.group,
            resource.version,
            resource.kind,
            list(resolved.fields),
            recursive=recursive,
            max_depth=depth,
        )
    except ExplainError as error:
        error.warnings = (*served.warnings, *resolved.warnings)
        if output == PLAINTEXT and not error.stdout:  # the template's header comes first
            error.stdout = _header(resource.group, resource.version, resource.kind)
        raise
    return text, [*served.warnings, *resolved.warnings]


def check_max_depth(max_depth: int | None, recursive: bool) -> int | None:
    """`--max-depth` as kubectl checks it (0 or None: no limit), before any lookup."""
    if max_depth is not None and max_depth > 0 and not recursive:
        raise ExplainError("--max-depth requires --recursive")
    if max_depth is not None and max_depth < 0:
        raise ExplainError("--max-depth must be non-negative")
    return max_depth or None


def _header(group: str, version: str, kind: str) -> str:
    group_line = f"GROUP:      {group}\n" if group else ""
    return f"{group_line}KIND:       {kind}\nVERSION:    {version}\n\n"


class _Served:
    """What the cluster explained serves: a release's built-in resources and the CRDs given."""

    def __init__(self, k8s_version: str | None, crds: Sequence[str]) -> None:
        from podgen._model import versions

        if k8s_version is not None:
            self.release = versions.parse(k8s_version)
        project_release, project_crds = _project(release=k8s_version is None)
        if k8s_version is None:
            self.release = project_release or versions.NEWEST
        paths = [*crds, *project_crds]
        self.crds: list[dict[str, Any]] = []
        #: Two CRDs for one kind in the files given (crd_catalog's words), as warnings.
        self.warnings: list[str] = []
        if paths:
            from podgen._explaining.crd_files import read_crds

            self.crds, self.warnings = read_crds(paths, release=self.release)
        self._custom: tuple[ApiResource, ...] | None = None

    def custom(self) -> tuple[ApiResource, ...]:
        """The CRDs' resources, as discovery lists them after the built-in ones."""
        if self._custom is None:
            from podgen._explaining.crds import crd_resources

            self._custom = crd_resources(self.crds) if self.crds else ()
        return self._custom

    def resources(self) -> tuple[ApiResource, ...]:
        """Discovery: the release's built-in resources, then the CRDs'."""
        from podgen._explaining import store

        return store.resources(self.release) + self.custom()

    def document(self, resource: ApiResource) -> tuple[Mapping[str, Any], str | None]:
        """The schemas of the resource's group version, and the name of the kind's."""
        if any(resource.group == custom.group for custom in self.custom()):
            from podgen._explaining.crds import crd_schemas, schema_name

            name = schema_name(resource.group, resource.version, resource.kind)
            schemas = crd_schemas(self.crds, resource.group_version, self.release)
            return schemas, name if name in schemas else None
        from podgen._explaining import store

        if resource.group_version not in store.group_versions(self.release):
            # openapiv2 pairs the kind with --api-version's group version, served or not
            # (`pods --api-version apps/v2`): kubectl finds no such kind, and says so.
            return {}, None
        schemas = store.schemas(self.release, resource.group_version)
        return schemas, store.kind_schema(self.release, resource.group_version, resource.kind)


def _project(release: bool) -> tuple[str | None, tuple[str, ...]]:
    """The release (if `release`) and CRDs of the podgen.yaml here or above; none outside.

    Nothing else of the project is read.
    """
    from podgen._io.files import find_upward

    project_file = find_upward("podgen.yaml")
    if project_file is None:
        return None, ()
    from podgen._commands.project import explain_settings

    return explain_settings(project_file, release)


def resource_names(k8s_version: str | None, prefix: str, crds: Sequence[str] = ()) -> list[str]:
    """Shell completion: the resource names that start with `prefix`, each with its dot."""
    names: dict[str, None] = {}
    for resource in _Served(k8s_version, crds).resources():
        qualified = f"{resource.plural}.{resource.group}" if resource.group else ""
        for name in (resource.plural, qualified, *resource.short_names):
            if name and name.startswith(prefix):
                names[name + "."] = None
    return sorted(names)


def field_names(
    k8s_version: str | None, api_version: str | None, typed: str, crds: Sequence[str] = ()
) -> list[str]:
    """Shell completion after a dot: `pods.spec.con` -> `pods.spec.containers.`, ...

    As kubectl completes: the fields of the schema the path so far names, those with fields of
    their own ending in a dot; without --api-version, also `plural.group.` names being typed.
    Nothing where the path does not resolve.
    """
    from podgen._explaining.resources import group_resource, resolve

    path, _, prefix = typed.rpartition(".")
    served = _Served(k8s_version, crds)
    resources = served.resources()
    try:
        resolved = resolve(resources, path, api_version)
    except ExplainError:
        return []
    schemas, name = served.document(resolved.resource)
    schema = _object(schemas.get(name) if name else None, schemas)
    for field in resolved.fields:
        schema = _object((schema or {}).get("properties", {}).get(field), schemas)
    fields = (schema or {}).get("properties", {})
    expandable = sorted(n for n, f in fields.items() if _object(f, schemas))
    leaves = sorted(n for n, f in fields.items() if not _object(f, schemas))
    found = [f"{path}.{n}." for n in expandable if n.startswith(prefix)]
    found += [f"{path}.{n}" for n in leaves if n.startswith(prefix)]
    if not api_version:
        for other in resources:
            qualified = group_resource(other)
            if (
                other.plural == typed.partition(".")[0]
                and qualified.startswith(typed)
                and resolve(resources, qualified, None).resource == other
            ):
                found.append(qualified + ".")
    return list(dict.fromkeys(found))


def _object(schema: Any, schemas: Mapping[str, Any], seen: int = 0) -> dict[str, Any] | None:
    """The schema with named fields behind refs and arrays, or None (a string, a map...)."""
    if not isinstance(schema, dict) or seen > 50:
        return None
    ref = schema.get("$ref")
    all_of = schema.get("allOf")
    if not ref and isinstance(all_of, list) and len(all_of) == 1:
        ref = all_of[0].get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return _object(schemas.get(ref.removeprefix("#/components/schemas/")), schemas, seen + 1)
    if isinstance(schema.get("items"), dict):
        return _object(schema["items"], schemas, seen + 1)
    return schema if schema.get("properties") else None
