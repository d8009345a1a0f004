"""The API server's rules for CustomResourceDefinitions (apiextensions validation).

The ones a CRD file breaks most: its name, its scope, its one storage version, its printer
columns' types, and list-map keys in its schema. The server reports some of these at the
paths of its internal form (`spec.additionalPrinterColumns[0]`, `spec.validation...`);
podgen names them where they stand in the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import KindRules, Obj, Violation, check_enum, items_at

_PRINTER_COLUMN_TYPES = ("boolean", "date", "integer", "number", "string")
_LIST_TYPE, _MAP_KEYS = "x-kubernetes-list-type", "x-kubernetes-list-map-keys"


def _crd(obj: Obj) -> Iterator[Violation]:
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        return
    names = spec.get("names")
    plural = names.get("plural") if isinstance(names, Mapping) else None
    group = spec.get("group")
    name = obj["metadata"].get("name") or ""
    if isinstance(plural, str) and isinstance(group, str) and name != f"{plural}.{group}":
        yield Violation(
            "metadata.name", name, 'must be spec.names.plural+"."+spec.group', "crd-name"
        )
    yield from check_enum(spec, "scope", "spec", ("Cluster", "Namespaced"), "crd-scope")
    versions = list(items_at(spec, "versions", "spec"))
    if sum(version.get("storage") is True for _, version in versions) != 1:
        yield Violation(
            "spec.versions",
            [version.get("name") for _, version in versions],
            "must have exactly one version marked as storage version",
            "crd-versions",
        )
    for path, version in versions:
        for column_path, column in items_at(version, "additionalPrinterColumns", path):
            kind = column.get("type")
            if kind not in _PRINTER_COLUMN_TYPES:
                yield Violation(
                    f"{column_path}.type",
                    kind,
                    f"must be one of {','.join(_PRINTER_COLUMN_TYPES)}",
                    "crd-printer-column",
                )
        schema = version.get("schema")
        if isinstance(schema, Mapping):
            yield from _list_maps(schema.get("openAPIV3Schema"), f"{path}.schema.openAPIV3Schema")


def _list_maps(schema: object, path: str) -> Iterator[Violation]:
    """x-kubernetes-list-type map needs its x-kubernetes-list-map-keys, at every depth."""
    if not isinstance(schema, Mapping):
        return
    if schema.get(_LIST_TYPE) == "map" and not schema.get(_MAP_KEYS):
        yield Violation(
            f"{path}.{_MAP_KEYS}",
            None,
            "Required value: must not be empty if x-kubernetes-list-type is map",
            "crd-schema",
        )
    for key in ("properties", "patternProperties", "definitions"):
        children = schema.get(key)
        if isinstance(children, Mapping):
            for name, child in children.items():
                yield from _list_maps(child, f"{path}.{key}[{name}]")
    for key in ("items", "additionalProperties", "not"):
        yield from _list_maps(schema.get(key), f"{path}.{key}")
    for key in ("allOf", "anyOf", "oneOf"):
        children = schema.get(key)
        for index, child in enumerate(children if isinstance(children, list) else []):
            yield from _list_maps(child, f"{path}.{key}[{index}]")


#: The kinds this module checks: their name rules and the rules on their fields.
KINDS: dict[tuple[str, str], KindRules] = {
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"): KindRules(
        _rules.is_dns1123_subdomain, _crd
    ),
}
