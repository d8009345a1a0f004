"""A CRD schema's defaults, as the API server checks them (ValidateDefaults).

Each `default` must be pruned (no field its schema would drop) and valid against its own
schema: type, nullable, enum, bounds, lengths, pattern, the common string formats, item and
property counts, required fields, allOf/anyOf/oneOf/not, recursively. The server runs this
only on a structural schema; so does podgen. Not ported: a default inside an embedded
resource's metadata checked as ObjectMeta, the rarer formats, and CEL rules on a default.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import re
from collections.abc import Callable, Iterator, Mapping

from podgen._checking.checks_base import Obj, Violation, is_int

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


def _parses(parse: Callable[[str], object]) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        try:
            parse(value)
        except ValueError:
            return False
        return True

    return check


def _matches(pattern: str) -> Callable[[str], bool]:
    return lambda value: re.fullmatch(pattern, value) is not None


#: The string formats kube-openapi checks a default against (strfmt's), leniently: a value
#: podgen is unsure of passes. The others are not checked.
_FORMATS: dict[str, Callable[[str], bool]] = {
    "date-time": _matches(
        r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d(:?\d\d)?)?"
    ),
    "date": _matches(r"\d{4}-\d\d-\d\d"),
    "byte": _parses(lambda v: base64.b64decode(v, validate=True)),
    "uuid": _matches(r"(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}"),
    "ipv4": _parses(ipaddress.IPv4Address),
    "ipv6": _parses(ipaddress.IPv6Address),
    "cidr": _parses(lambda v: ipaddress.ip_network(v, strict=False)),
    "mac": _matches(r"(?i)([0-9a-f]{2}[:-]){5}[0-9a-f]{2}"),
}


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


def _type_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if is_int(value) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _valid(value: object, s: Obj, path: str) -> Iterator[Violation]:
    """kube-openapi's value validation of one default, at `path` and below."""
    kind, actual = s.get("type"), _type_of(value)
    if value is None:
        if s.get("nullable") is not True and kind:
            yield Violation(path, "null", f'in body must be of type {kind}: "null"', _RULE)
        return
    if s.get(_INT_OR_STRING) is True and actual not in ("integer", "string"):
        reason = f'in body must be of type integer,string: "{actual}"'
        yield Violation(path, actual, reason, _RULE)
        return
    if kind and kind != actual and not (kind == "number" and actual == "integer"):
        yield Violation(path, actual, f'in body must be of type {kind}: "{actual}"', _RULE)
        return
    enum = s.get("enum")
    if isinstance(enum, list) and value not in enum:
        quoted = ", ".join(_json(e) for e in enum)
        yield Violation(path, value, f"supported values: {quoted}", _RULE)
    if actual in ("integer", "number"):
        yield from _bounds(value, s, path)
    elif actual == "string":
        yield from _string(str(value), s, path)
    elif isinstance(value, list):
        yield from _count(len(value), s, "Items", "items", path)
        items = s.get("items")
        for index, item in enumerate(value if isinstance(items, Mapping) else []):
            yield from _valid(item, items, f"{path}[{index}]")  # type: ignore[arg-type]
    elif isinstance(value, Mapping):
        yield from _object(value, s, path)
    yield from _junctors(value, s, path)


def _junctors(value: object, s: Obj, path: str) -> Iterator[Violation]:
    """allOf, anyOf, oneOf and not, on a default as on any value."""

    def schemas(key: str) -> list[Obj]:
        found = s.get(key)
        return [c for c in found if isinstance(c, Mapping)] if isinstance(found, list) else []

    for child in schemas("allOf"):
        yield from _valid(value, child, path)
    any_of = schemas("anyOf")
    if any_of and all(list(_valid(value, child, path)) for child in any_of):
        yield Violation(path, "", '"" must validate at least one schema (anyOf)', _RULE)
    one_of = schemas("oneOf")
    if one_of and sum(not list(_valid(value, child, path)) for child in one_of) != 1:
        yield Violation(path, "", '"" must validate one and only one schema (oneOf)', _RULE)
    not_ = s.get("not")
    if isinstance(not_, Mapping) and not list(_valid(value, not_, path)):
        yield Violation(path, "", '"" must not validate the schema (not)', _RULE)


def _bounds(value: object, s: Obj, path: str) -> Iterator[Violation]:
    number = float(value)  # type: ignore[arg-type]
    for key, exclusive, sign, word in (
        ("maximum", "exclusiveMaximum", 1, "less"),
        ("minimum", "exclusiveMinimum", -1, "greater"),
    ):
        bound = s.get(key)
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            strict = s.get(exclusive) is True
            beyond = (number - bound) * sign
            if beyond > 0 or (strict and beyond == 0):
                than = f"{word} than" if strict else f"{word} than or equal to"
                yield Violation(path, value, f"in body should be {than} {bound}", _RULE)
    step = s.get("multipleOf")
    if isinstance(step, (int, float)) and step and (number / step) % 1:
        yield Violation(path, value, f"in body should be a multiple of {step}", _RULE)


def _string(value: str, s: Obj, path: str) -> Iterator[Violation]:
    longest, shortest = s.get("maxLength"), s.get("minLength")
    if is_int(longest) and len(value) > longest:
        reason = f"Too long: may not be more than {longest} bytes"
        yield Violation(path, value, reason, _RULE)
    if is_int(shortest) and len(value) < shortest:
        reason = f"in body should be at least {shortest} chars long"
        yield Violation(path, value, reason, _RULE)
    form = s.get("format")
    if isinstance(form, str) and form in _FORMATS and not _FORMATS[form](value):
        reason = f'in body must be of type {form}: "{value}"'
        yield Violation(path, value, reason, _RULE)
    pattern = s.get("pattern")
    if isinstance(pattern, str) and pattern:
        try:
            matches = re.search(pattern, value) is not None
        except re.error:
            matches = True  # the structural check reports the pattern itself
        if not matches:
            reason = f"in body should match '{pattern}'"
            yield Violation(path, value, reason, _RULE)


def _count(count: int, s: Obj, suffix: str, noun: str, path: str) -> Iterator[Violation]:
    most, least = s.get(f"max{suffix}"), s.get(f"min{suffix}")
    if is_int(most) and count > most:
        reason = f"in body should have at most {most} {noun}"
        yield Violation(path, count, reason, _RULE)
    if is_int(least) and count < least:
        reason = f"in body should have at least {least} {noun}"
        yield Violation(path, count, reason, _RULE)


def _object(value: Mapping[str, object], s: Obj, path: str) -> Iterator[Violation]:
    yield from _count(len(value), s, "Properties", "properties", path)
    required = s.get("required")
    for name in required if isinstance(required, list) else []:
        if isinstance(name, str) and name not in value:
            yield Violation(f"{path}.{name}", None, "Required value", _RULE)
    properties: Obj = s["properties"] if isinstance(s.get("properties"), Mapping) else {}
    extra = s.get("additionalProperties")
    for key, child in value.items():
        sub = properties.get(key)
        if isinstance(sub, Mapping):
            yield from _valid(child, sub, f"{path}.{key}")
        elif isinstance(extra, Mapping):
            yield from _valid(child, extra, f"{path}.{key}")
        elif extra is False:
            reason = "Forbidden: in body is a forbidden property"
            yield Violation(f"{path}.{key}", child, reason, _RULE)
