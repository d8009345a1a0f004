"""A CRD schema's defaults, as the API server checks them (ValidateDefaults).

Each `default` must be pruned (no field its schema would drop) and valid against its own
schema, by the validator custom resources are checked with (`crd_values`, as the server uses
kube-openapi's for both). The server runs this only on a structural schema; so does podgen.
Not ported: a default inside an embedded resource's metadata checked as ObjectMeta, and CEL
rules on a default.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from podgen._checking.checks_base import Obj, Violation

_EMBEDDED, _PRESERVE = "x-kubernetes-embedded-resource", "x-kubernetes-preserve-unknown-fields"
_INT_OR_STRING = "x-kubernetes-int-or-string"
_META_FIELDS = ("metadata", "kind", "apiVersion")
_RULE = "crd-schema-default"


def check_defaults(root: Obj, path: str) -> Iterator[Violation]:
    """Every default under `root` (the resource root), pruned and valid."""
    yield from _walk(root, path, embedded=True, meta=False)


def _walk(s: Obj, path: str, *, embedded: bool, meta: bool) -> Iterator[Violation]:
    if embedded:
        meta = False
    default = s.get("default")
    if default is not None:
        at = f"{path}.default"
        if not meta and _prune(default, s, embedded) != default:
            yield Violation(at, default, "must not have unknown fields", _RULE)
        for key in ("apiVersion", "kind") if embedded and isinstance(default, Mapping) else ():
            if not default.get(key):  # a resource's default is a whole object (objectmeta)
                yield Violation(f"{at}.{key}", None, "Required value", _RULE)
        yield from _valid(default, s, at)
    items = s.get("items")
    if isinstance(items, Mapping):
        yield from _walk(items, f"{path}.items", embedded=items.get(_EMBEDDED) is True, meta=meta)
    properties = s.get("properties")
    for name, child in properties.items() if isinstance(properties, Mapping) else []:
        if isinstance(child, Mapping):
            child_meta = meta or (embedded and name in _META_FIELDS)
            at = f"{path}.properties[{name}]"
            yield from _walk(child, at, embedded=child.get(_EMBEDDED) is True, meta=child_meta)


def _prune(value: object, s: Obj | None, resource: bool) -> object:
    """The value as the pruning algorithm leaves it: unknown fields dropped."""
    if s is None:
        return value
    if isinstance(value, list):
        items = s.get("items") if isinstance(s.get("items"), Mapping) else None
        embedded = items is not None and items.get(_EMBEDDED) is True
        return [_prune(v, items, embedded) for v in value]
    if not isinstance(value, Mapping):
        return value
    properties: Obj = s["properties"] if isinstance(s.get("properties"), Mapping) else {}
    extra = s.get("additionalProperties")
    kept: dict[str, object] = {}
    for key, child in value.items():
        if key in properties:
            sub = properties[key] if isinstance(properties[key], Mapping) else None
            kept[key] = _prune(child, sub, sub is not None and sub.get(_EMBEDDED) is True)
        elif resource and key in _META_FIELDS:
            kept[key] = child
        elif isinstance(extra, Mapping):
            kept[key] = _prune(child, extra, extra.get(_EMBEDDED) is True)
        elif extra is True or s.get(_PRESERVE) is True:
            kept[key] = child
    return kept


def _valid(value: object, s: Obj, path: str) -> Iterator[Violation]:
    """kube-openapi's value validation of one default: the custom resources' own validator."""
    from podgen._checking.crd_node import compiled
    from podgen._checking.crd_values import validate

    found: list[Violation] = []
    validate(value, compiled(s), path, found)
    for violation in found:
        yield violation._replace(rule=_RULE)
