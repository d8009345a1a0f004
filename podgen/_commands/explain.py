"""`podgen explain`: what `kubectl explain` 1.37 prints, from the stored documentation, offline.

One call: resolve the argument against the release's discovery (resources.resolve, kubectl's
rules and messages), load the one group version's schemas it needs (store), and render them as
kubectl's plaintext template or its older openapiv2 printer. Never reads ~/.kube or a server.
"""

from __future__ import annotations

from podgen._errors import ExplainError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

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
) -> tuple[str, list[str]]:
    """The stdout of kubectl explain for `argument` (`pods.spec.containers`), and its warnings.

    `k8s_version` (`1.36`, `v1.36.2`) is the release explained; None: the podgen.yaml
    project's `kubernetesVersion:` (from the current folder upward), else the newest. Raises
    ExplainError with kubectl's message; where kubectl prints something before failing
    (the GROUP/KIND/VERSION lines, a warning) the error carries it (`stdout`, `warnings`).
    """
    from podgen._explaining import store
    from podgen._explaining.resources import resolve

    depth = check_max_depth(max_depth, recursive)
    release = _release(k8s_version)
    resolved = resolve(store.resources(release), argument, api_version, output=output)
    resource = resolved.resource
    group_version = resource.group_version
    schema_name = store.kind_schema(release, group_version, resource.kind)
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
            store.schemas(release, group_version),
            schema_name,
            resource.group,
            resource.version,
            resource.kind,
            list(resolved.fields),
            recursive=recursive,
            max_depth=depth,
        )
    except ExplainError as error:
        error.warnings = resolved.warnings
        if output == PLAINTEXT and not error.stdout:  # the template's header comes first
            error.stdout = _header(resource.group, resource.version, resource.kind)
        raise
    return text, list(resolved.warnings)


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


def _release(k8s_version: str | None) -> str:
    """The release to explain: the flag's, else the project's (podgen.yaml), else the newest."""
    from podgen._model import versions

    if k8s_version is not None:
        return versions.parse(k8s_version)
    from podgen._io.files import find_upward

    project_file = find_upward("podgen.yaml")
    if project_file is not None:
        from podgen._commands.project import load_project

        project = load_project(project_file)
        if project.kubernetes_version:
            return versions.parse(project.kubernetes_version, "kubernetesVersion")
    return versions.NEWEST


def resource_names(k8s_version: str | None, prefix: str) -> list[str]:
    """Shell completion: the resource names that start with `prefix`, each with its dot."""
    from podgen._explaining import store

    names: dict[str, None] = {}
    for resource in store.resources(_release(k8s_version)):
        qualified = f"{resource.plural}.{resource.group}" if resource.group else ""
        for name in (resource.plural, qualified, *resource.short_names):
            if name and name.startswith(prefix):
                names[name + "."] = None
    return sorted(names)


def field_names(k8s_version: str | None, api_version: str | None, typed: str) -> list[str]:
    """Shell completion after a dot: `pods.spec.con` -> `pods.spec.containers.`, ...

    As kubectl completes: the fields of the schema the path so far names, those with fields of
    their own ending in a dot; without --api-version, also `plural.group.` names being typed.
    Nothing where the path does not resolve.
    """
    from podgen._explaining import store
    from podgen._explaining.resources import group_resource, resolve

    path, _, prefix = typed.rpartition(".")
    release = _release(k8s_version)
    resources = store.resources(release)
    try:
        resolved = resolve(resources, path, api_version)
    except ExplainError:
        return []
    resource = resolved.resource
    schemas = store.schemas(release, resource.group_version)
    name = store.kind_schema(release, resource.group_version, resource.kind)
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
