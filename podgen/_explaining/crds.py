"""Custom resources: what the API server would serve for a set of CRDs, without a server.

kubectl explain resolves a name through discovery and reads the OpenAPI v3 document of the
group version; for a CRD the API server builds both from the CRD itself. This module does the
same offline: `crd_resources` gives discovery's records of the CRDs' served versions, and
`crd_schemas` the `components.schemas` of `/openapi/v3/apis/GROUP/VERSION` once they are
installed. The server's recipe (apiextensions-apiserver's OpenAPI builder), checked against a
real server by tests/test_explain_crds.py:

- the version's openAPIV3Schema as a structural schema: `example` and the keys a CRD may not
  use are dropped, `false` flags and empty lists left out, an int-or-string field spelled out
  as `anyOf: [integer, string]`;
- `apiVersion` and `kind` from TypeMeta, `metadata` a reference to ObjectMeta (whatever the
  CRD says of them), the same three inside every embedded resource;
- the kind's list (`<listKind>`), and the built-in schemas the resource's endpoints name
  (ObjectMeta, ListMeta, Status, DeleteOptions, Patch; Scale with a scale subresource) with
  what they reference, from the release's own documentation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from podgen._explaining.kinds import ApiResource

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_CRD = "CustomResourceDefinition"
_META = "io.k8s.apimachinery.pkg.apis.meta.v1."
_REF = "#/components/schemas/"
#: What every custom resource's endpoints name, besides the kind and its list.
_ENDPOINT_SCHEMAS = (_META + "DeleteOptions", _META + "Status", _META + "Patch")
_SCALE = "io.k8s.api.autoscaling.v1.Scale"
#: TypeMeta's fields as the server documents them at a custom resource's top level.
_API_VERSION = (
    "APIVersion defines the versioned schema of this representation of an object. Servers "
    "should convert recognized schemas to the latest internal value, and may reject "
    "unrecognized values. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"
)
_KIND = (
    "Kind is a string value representing the REST resource this object represents. Servers "
    "may infer this from the endpoint the client submits requests to. Cannot be updated. In "
    "CamelCase. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"
)
#: ... and inside an embedded resource (x-kubernetes-embedded-resource), in other words.
_EMBEDDED_API_VERSION = (
    "apiVersion defines the versioned schema of this representation of an object. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"
)
_EMBEDDED_KIND = (
    "kind is a string value representing the type of this object. In CamelCase. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"
)
_OBJECT_META = (
    "Standard object's metadata. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
)
_LIST_META = (
    "Standard list metadata. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"
)
_CONVENTIONS = "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md"

#: The keys of a CRD's schema the server keeps, with the value it leaves out (Go's zero value
#: under `omitempty`). Everything else (`example`, `id`, `$ref`, ...) is dropped.
_KEPT: dict[str, object] = {
    "description": "",
    "type": "",
    "title": "",
    "nullable": False,
    "format": "",
    "maximum": None,
    "exclusiveMaximum": False,
    "minimum": None,
    "exclusiveMinimum": False,
    "maxLength": None,
    "minLength": None,
    "pattern": "",
    "maxItems": None,
    "minItems": None,
    "uniqueItems": False,
    "multipleOf": None,
    "enum": None,
    "maxProperties": None,
    "minProperties": None,
    "required": (),
    "externalDocs": None,
    "x-kubernetes-preserve-unknown-fields": False,
    "x-kubernetes-embedded-resource": False,
    "x-kubernetes-int-or-string": False,
    "x-kubernetes-list-map-keys": (),
    "x-kubernetes-list-type": None,
    "x-kubernetes-map-type": None,
    "x-kubernetes-validations": (),
}
_NESTED = ("allOf", "anyOf", "oneOf")
#: How `_structural` publishes a node: for /openapi/v3, for /openapi/v2, or as a clause of
#: allOf, anyOf, oneOf or not (in /openapi/v3).
_V3, _V2, _CLAUSE = "v3", "v2", "clause"
_INT_OR_STRING = [{"type": "integer"}, {"type": "string"}]
_KUBE_VERSION = re.compile(r"v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?")


def crd_resources(crds: Sequence[Mapping[str, Any]]) -> tuple[ApiResource, ...]:
    """Discovery's records of every served version of `crds`, as kubectl reads them.

    In the server's aggregated discovery (what kubectl reads) CRD groups come after the
    built-in ones, by name; in a group, versions highest first (GA over beta over alpha), the
    first one the group's preferred version; in a version, resources by name. CRDs that are
    not apiextensions objects with a group and names are left out.
    """
    by_group: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for crd in crds:
        spec = _spec(crd)
        if spec is None:
            continue
        for entry in _served(spec):
            by_group.setdefault(spec["group"], []).append((str(entry["name"]), spec))
    found: list[ApiResource] = []
    for _, entries in sorted(by_group.items()):
        versions = sorted({version for version, _ in entries}, key=version_order)
        for version in versions:
            specs = sorted(
                (spec for name, spec in entries if name == version),
                key=lambda spec: str(spec["names"]["plural"]),
            )
            found.extend(_resource(spec, version, version == versions[0]) for spec in specs)
    return tuple(found)


def crd_schemas(
    crds: Sequence[Mapping[str, Any]],
    group_version: str,
    release: str,
    *,
    openapi_v2: bool = False,
) -> Mapping[str, dict[str, Any]]:
    """The `components.schemas` the server publishes at `/openapi/v3/apis/GROUP/VERSION`.

    For every CRD of `crds` that serves `group_version`; the built-in schemas they refer to
    are `release`'s. Empty when no CRD serves it. `openapi_v2`: the CRDs' schemas as the
    server publishes them in /openapi/v2 instead (what kubectl's plaintext-openapiv2
    output reads), in the same v3 shape.
    """
    return published_schemas(crds, group_version, _builtin(release), openapi_v2=openapi_v2)


def published_schemas(
    crds: Sequence[Mapping[str, Any]],
    group_version: str,
    builtin: Callable[[str], dict[str, Any] | None],
    *,
    openapi_v2: bool = False,
) -> dict[str, dict[str, Any]]:
    """`crd_schemas` with the built-in schemas from `builtin` (a name's schema, or None)."""
    mode = _V2 if openapi_v2 else _V3
    group, _, version = group_version.rpartition("/")
    schemas: dict[str, dict[str, Any]] = {}
    wanted: list[str] = []
    for crd in crds:
        spec = _spec(crd)
        if spec is None or spec["group"] != group:
            continue
        entry = next((e for e in _served(spec) if e["name"] == version), None)
        if entry is None:
            continue
        names = spec["names"]
        kind = str(names["kind"])
        list_kind = str(names.get("listKind") or kind + "List")
        name = schema_name(group, version, kind)
        source = _version_schema(spec, entry)
        if spec.get("preserveUnknownFields") is True and mode == _V2 and source is not None:
            source = {**source, "x-kubernetes-preserve-unknown-fields": True}  # v1beta1's
        kind_schema = _kind_schema(source, group, version, kind, mode)
        list_schema = _list_schema(name, group, version, list_kind, kind, str(names["plural"]))
        selectable = _selectable_fields(entry)
        if selectable:
            kind_schema["x-kubernetes-selectable-fields"] = selectable
            list_schema["x-kubernetes-selectable-fields"] = [dict(f) for f in selectable]
        schemas[name] = kind_schema
        schemas[schema_name(group, version, list_kind)] = list_schema
        wanted.append(_META + "ObjectMeta")
        if "scale" in (_version_part(spec, entry, "subresources") or {}):
            wanted.append(_SCALE)
    if schemas:
        wanted.extend(_ENDPOINT_SCHEMAS)
        wanted.append(_META + "ListMeta")
    for name in wanted:
        _add_with_references(name, schemas, builtin)
    return schemas


def schema_name(group: str, version: str, kind: str) -> str:
    """The schema's name: the group's domain reversed, `com.example.v1.Widget`."""
    return ".".join([*reversed(group.split(".")), version, kind])


def version_order(version: str) -> tuple[int, int, int, int, str]:
    """Kubernetes' version priority as an ascending sort key.

    GA, then beta, then alpha, higher numbers first; names of another shape after them all,
    alphabetically.
    """
    match = _KUBE_VERSION.fullmatch(version)
    if match is None:
        return (1, 0, 0, 0, version)
    stage = {None: 0, "beta": 1, "alpha": 2}[match[2]]
    return (0, stage, -int(match[1]), -int(match[3] or 0), "")


def _spec(crd: Mapping[str, Any]) -> dict[str, Any] | None:
    """A CRD's spec, if it is one with a group, names (kind, plural) and versions."""
    if crd.get("kind") != _CRD or not str(crd.get("apiVersion")).startswith(
        "apiextensions.k8s.io/"
    ):
        return None
    spec = crd.get("spec")
    if not isinstance(spec, dict) or not isinstance(spec.get("group"), str):
        return None
    names = spec.get("names")
    if not isinstance(names, dict) or not names.get("kind") or not names.get("plural"):
        return None
    return spec


def _served(spec: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The served entries of `spec.versions` (apiextensions v1beta1: `spec.version` alone)."""
    versions = spec.get("versions")
    if not isinstance(versions, list):
        if isinstance(spec.get("version"), str):  # v1beta1, one version
            yield {"name": spec["version"], "served": True}
        return
    for entry in versions:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry.get("served"):
            yield entry


def _version_part(spec: Mapping[str, Any], entry: Mapping[str, Any], key: str) -> Any:
    """A version's `schema` or `subresources`; apiextensions v1beta1's CRD-wide one if none."""
    if key in entry:
        return entry[key]
    return spec.get("validation" if key == "schema" else key)


def _version_schema(spec: Mapping[str, Any], entry: Mapping[str, Any]) -> dict[str, Any] | None:
    holder = _version_part(spec, entry, "schema")
    schema = holder.get("openAPIV3Schema") if isinstance(holder, dict) else None
    return schema if isinstance(schema, dict) else None


def _selectable_fields(entry: Mapping[str, Any]) -> list[dict[str, str]]:
    """A version's selectableFields as the server publishes them: paths without the dot."""
    fields = entry.get("selectableFields")
    if not isinstance(fields, list):
        return []
    return [
        {"fieldPath": str(field["jsonPath"]).removeprefix(".")}
        for field in fields
        if isinstance(field, dict) and isinstance(field.get("jsonPath"), str)
    ]


def _resource(spec: Mapping[str, Any], version: str, preferred: bool) -> ApiResource:
    names = spec["names"]
    kind = str(names["kind"])
    short = names.get("shortNames")
    return ApiResource(
        group=str(spec["group"]),
        version=version,
        kind=kind,
        plural=str(names["plural"]),
        singular=str(names.get("singular") or kind.lower()),
        short_names=tuple(str(s) for s in short) if isinstance(short, list) else (),
        namespaced=spec.get("scope", "Namespaced") != "Cluster",
        preferred=preferred,
    )


def _gvk(group: str, version: str, kind: str) -> list[dict[str, str]]:
    return [{"group": group, "kind": kind, "version": version}]


def _meta_ref(name: str, description: str) -> dict[str, Any]:
    return {"description": description, "allOf": [{"$ref": _REF + _META + name}]}


def _kind_schema(
    source: dict[str, Any] | None, group: str, version: str, kind: str, mode: str
) -> dict[str, Any]:
    """The kind's published schema: the structural schema with TypeMeta and ObjectMeta.

    No schema (apiextensions v1beta1 only) is any object; so is, for OpenAPI v2, a schema
    that keeps unknown fields at its root.
    """
    if source is None or (mode == _V2 and source.get("x-kubernetes-preserve-unknown-fields")):
        schema: dict[str, Any] = {"type": "object"}
    else:
        schema = _structural(source, mode)
        properties = schema.setdefault("properties", {})
        properties["metadata"] = _meta_ref("ObjectMeta", _OBJECT_META)
        properties["apiVersion"] = {"description": _API_VERSION, "type": "string"}
        properties["kind"] = {"description": _KIND, "type": "string"}
    schema["x-kubernetes-group-version-kind"] = _gvk(group, version, kind)
    return schema


def _list_schema(
    item: str, group: str, version: str, list_kind: str, kind: str, plural: str
) -> dict[str, Any]:
    return {
        "description": f"{list_kind} is a list of {kind}",
        "type": "object",
        "required": ["items"],
        "properties": {
            "apiVersion": {"description": _API_VERSION, "type": "string"},
            "items": {
                "description": f"List of {plural}. More info: {_CONVENTIONS}",
                "type": "array",
                "items": {"$ref": _REF + item},
            },
            "kind": {"description": _KIND, "type": "string"},
            "metadata": _meta_ref("ListMeta", _LIST_META),
        },
        "x-kubernetes-group-version-kind": _gvk(group, version, list_kind),
    }


def _structural(node: Mapping[str, Any], mode: str) -> dict[str, Any]:
    """One schema node as the server publishes it.

    `mode`: `_V3` (/openapi/v3), `_V2` (/openapi/v2: what kubectl's plaintext-openapiv2 reads)
    or `_CLAUSE` (inside allOf, anyOf, oneOf, not: value validations only).
    """
    out: dict[str, Any] = {}
    for key, empty in _KEPT.items():
        value = node.get(key)
        if value is None or value == empty or (isinstance(empty, tuple) and value == []):
            continue
        out[key] = value
    for key in ("example",) if mode == _V2 else ("default", "example"):
        if node.get(key) is not None:  # any JSON value; null is no value
            out[key] = node[key]
    rules = out.get("x-kubernetes-validations")
    if isinstance(rules, list) and all(isinstance(rule, dict) for rule in rules):
        # A rule's empty strings are left out, as Go's omitempty does.
        out["x-kubernetes-validations"] = [
            {k: v for k, v in rule.items() if v not in ("", None)} for rule in rules
        ]
    if mode != _V2:  # OpenAPI v2 has no junctors: the server drops them
        for key in _NESTED:
            clauses = node.get(key)
            if isinstance(clauses, list) and clauses:
                out[key] = [_structural(c, _CLAUSE) for c in clauses if isinstance(c, dict)]
        if isinstance(node.get("not"), dict):
            out["not"] = _structural(node["not"], _CLAUSE)
    items = node.get("items")
    if isinstance(items, dict):
        out["items"] = _structural(items, mode)
    properties = node.get("properties")
    if isinstance(properties, dict) and properties:
        out["properties"] = {
            str(name): _structural(value, mode)
            for name, value in properties.items()
            if isinstance(value, dict)
        }
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        out["additionalProperties"] = _structural(extra, mode)
    elif isinstance(extra, bool):
        out["additionalProperties"] = extra
    if mode == _V3 and out.get("x-kubernetes-int-or-string") is True:
        _unfold_int_or_string(out)
    if mode == _V2:
        _for_openapi_v2(node, out)
    # OpenAPI v2 gives nothing to an embedded object that keeps every field.
    free = out.get("x-kubernetes-preserve-unknown-fields") is True
    if out.get("x-kubernetes-embedded-resource") is True and (
        mode == _V3 or (mode == _V2 and not free)
    ):
        _embed(out)
    return out


def _for_openapi_v2(node: Mapping[str, Any], out: dict[str, Any]) -> None:
    """What the server changes for OpenAPI v2 clients, whose kubectl cannot read the rest.

    A nullable field loses its type and its fields; one that keeps unknown fields loses its
    fields (and the type object); an array without items its type; a required field that is
    nullable is no longer required.
    """
    free = out.get("x-kubernetes-preserve-unknown-fields") is True
    if out.pop("nullable", False):
        for key in ("type", "items", "properties"):
            out.pop(key, None)
    if free:
        out.pop("items", None)
        out.pop("properties", None)
    if out.get("type") == "array" and "items" not in out:
        del out["type"]
    if free and out.get("type") == "object":
        del out["type"]
    fields = node.get("properties") if "properties" in out else None
    if isinstance(fields, dict) and "required" in out:
        nullable = {name for name, field in fields.items() if (field or {}).get("nullable")}
        kept = [name for name in out["required"] if name not in nullable]
        if kept:
            out["required"] = kept
        else:
            del out["required"]
    extra = node.get("additionalProperties")
    if isinstance(extra, dict) and extra.get("nullable") is True:
        out.pop("required", None)


def _unfold_int_or_string(out: dict[str, Any]) -> None:
    """An int-or-string field spelled out for clients, unless it already says so."""
    any_of = out.get("anyOf")
    all_of = out.get("allOf") or []
    if any_of == _INT_OR_STRING or (all_of and all_of[0].get("anyOf") == _INT_OR_STRING):
        return
    if any_of is None:
        out["anyOf"] = [dict(clause) for clause in _INT_OR_STRING]
    else:
        out["allOf"] = [{"anyOf": [dict(clause) for clause in _INT_OR_STRING]}, *all_of]


def _embed(out: dict[str, Any]) -> None:
    """An embedded resource's apiVersion, kind and metadata, both of the first required."""
    properties = out.setdefault("properties", {})
    properties["apiVersion"] = {"description": _EMBEDDED_API_VERSION, "type": "string"}
    properties["kind"] = {"description": _EMBEDDED_KIND, "type": "string"}
    properties["metadata"] = _meta_ref("ObjectMeta", _OBJECT_META)
    required = list(out.get("required") or [])
    for name in ("kind", "apiVersion"):
        if name not in required:
            required.append(name)
    out["required"] = required


def _add_with_references(
    name: str,
    schemas: dict[str, dict[str, Any]],
    builtin: Callable[[str], dict[str, Any] | None],
) -> None:
    """A built-in schema and every one it refers to, unless already there."""
    pending = [name]
    while pending:
        current = pending.pop()
        if current in schemas:
            continue
        schema = builtin(current)
        if schema is None:
            continue
        schemas[current] = schema
        pending.extend(_references(schema))


def _references(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_REF):
                yield value[len(_REF) :]
            else:
                yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def _builtin(release: str) -> Callable[[str], dict[str, Any] | None]:
    """The release's built-in schemas by name.

    Core's document has meta/v1's and Scale's (a ReplicationController's scale subresource)
    in every release.
    """
    from podgen._explaining import store

    core = store.schemas(release, "v1")

    def lookup(name: str) -> dict[str, Any] | None:
        found = core.get(name)
        return found if isinstance(found, dict) else None

    return lookup
