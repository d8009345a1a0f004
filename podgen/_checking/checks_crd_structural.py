"""A CRD schema's structural rules (apiextensions' NewStructural and ValidateStructural).

A structural schema has a type everywhere (but under int-or-string and preserve-unknown-fields),
only value validation inside allOf/anyOf/oneOf/not (no type, default, description, nullable or
x-kubernetes-* there), everything those name also specified outside them, `metadata` at the root
restricting nothing but name and generateName, embedded resources of type object, and no
additionalProperties at the root. `new_structural_error` is why NewStructural would not convert
the schema at all (a keyword it cannot take). The helpers here are the CRD schema modules' own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from podgen._checking.checks_base import Obj, Violation
from podgen._checking.checks_crd_regex import go_regex_error

_LIST, _KEYS, _MAP = "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type"
_PRESERVE, _EMBEDDED = "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource"
_INT_OR_STRING, _RULES = "x-kubernetes-int-or-string", "x-kubernetes-validations"
_JUNCTORS = ("allOf", "anyOf", "oneOf")
_UNSUPPORTED = (
    *(("id", "id"), ("$schema", "schema"), ("$ref", "$ref")),
    *(("patternProperties", "patternProperties"), ("dependencies", "dependencies")),
    *(("additionalItems", "additionalItems"), ("definitions", "definitions")),
)
_INT_OR_STRING_ANY_OF = [{"type": "integer"}, {"type": "string"}]
_ROOT, _ITEM, _FIELD = "root", "item", "field"
_EMPTY_TYPE = {
    _ROOT: "must not be empty at the root",
    _ITEM: "must not be empty for specified array items",
    _FIELD: "must not be empty for specified object fields",
}


def _v(path: str, value: object, reason: str, rule: str = "crd-schema") -> Violation:
    return Violation(path, value, reason, rule)


def _schemas(value: object) -> Mapping[str, Obj]:
    """The child schemas of a `properties`-like map (what is not a map is skipped)."""
    if not isinstance(value, Mapping):
        return {}
    return {str(k): child for k, child in value.items() if isinstance(child, Mapping)}


def _list(value: object) -> list[Obj]:
    return [c for c in value if isinstance(c, Mapping)] if isinstance(value, list) else []


def _type(schema: Obj) -> str:
    kind = schema.get("type")
    return kind if isinstance(kind, str) else ""


def _set(key: str, value: object) -> bool:
    """Whether a schema keyword is set: not absent and not Go's zero value."""
    return value is not None and value is not False and value != ""


def new_structural_error(schema: Obj) -> str | None:
    """NewStructural's error: a keyword it cannot take, anywhere it converts."""
    for key, name in _UNSUPPORTED:
        value = schema.get(key)
        if (key == "additionalItems" and key in schema) or (value and key != "additionalItems"):
            return f"OpenAPIV3Schema '{name}' is not supported"
    children = [schema.get("not"), *(c for k in _JUNCTORS for c in _list(schema.get(k)))]
    children.append(schema.get("additionalProperties"))
    error = next(filter(None, map(new_structural_error, _list(children))), None)
    if error:
        return error
    if schema.get(_PRESERVE) is False:
        return f"internal error: '{_PRESERVE}' must be true or undefined"
    items = schema.get("items")
    if isinstance(items, list):
        return "OpenAPIV3Schema 'items' must be a schema, but is an array"
    children = [items, *_schemas(schema.get("properties")).values()]
    return next(filter(None, map(new_structural_error, _list(children))), None)


def structural(s: Obj, level: str, path: str) -> Iterator[Violation]:
    """ValidateStructuralInvariants."""
    rule, kind = "crd-structural", _type(s)
    embedded, preserve = s.get(_EMBEDDED) is True, s.get(_PRESERVE) is True
    int_or_string = s.get(_INT_OR_STRING) is True
    items, extra = s.get("items"), s.get("additionalProperties")
    properties = _schemas(s.get("properties"))
    if kind == "array" and items is None:
        yield _v(f"{path}.items", None, "Required value: must be specified", rule)
    if isinstance(items, Mapping):
        yield from structural(items, _ITEM, f"{path}.items")
    for name, child in properties.items():
        yield from structural(child, _FIELD, f"{path}.properties[{name}]")
    if extra is not None:
        if level == _ROOT:
            yield _v(
                f"{path}.additionalProperties",
                None,
                "Forbidden: must not be used at the root",
                rule,
            )
        if isinstance(extra, Mapping):
            yield from structural(extra, _FIELD, f"{path}.additionalProperties")
    if int_or_string and preserve:
        reason = f"must be false if {_INT_OR_STRING} is true"
        yield _v(f"{path}.{_PRESERVE}", True, reason, rule)
    if int_or_string and embedded:
        yield _v(f"{path}.{_EMBEDDED}", True, f"must be false if {_INT_OR_STRING} is true", rule)
    yield from _value_validation(s, _int_or_string_any_of(s), _int_or_string_all_of(s), path)
    reason = "must be object if x-kubernetes-embedded-resource is true"
    if embedded and kind != "object":
        yield _v(
            f"{path}.type", kind or None, reason if kind else f"Required value: {reason}", rule
        )
    elif not kind and not int_or_string and not preserve:
        yield _v(f"{path}.type", None, f"Required value: {_EMPTY_TYPE[level]}", rule)
    if embedded and extra is not None:
        reason = "Forbidden: must not be used if x-kubernetes-embedded-resource is set"
        yield _v(f"{path}.additionalProperties", None, reason, rule)
    if level == _ROOT and kind and kind != "object":
        yield _v(f"{path}.type", kind, "must be object at the root", rule)
    check_meta = level == _ROOT or embedded
    for name in ("kind", "apiVersion"):
        if check_meta and name in properties and _type(properties[name]) != "string":
            at = f"{path}.properties[{name}].type"
            yield _v(at, _type(properties[name]), "must be string", rule)
    if "metadata" in properties:
        yield from _metadata(
            properties["metadata"], check_meta, level, f"{path}.properties[metadata]"
        )
    if embedded and not preserve and not properties:
        reason = (
            "Required value: must not be empty if x-kubernetes-embedded-resource is true "
            "without x-kubernetes-preserve-unknown-fields"
        )
        yield _v(f"{path}.properties", None, reason, rule)


def _metadata(s: Obj, check_meta: bool, level: str, path: str) -> Iterator[Violation]:
    """validateStructuralMetadataInvariants: at the root, only name and generateName."""
    if check_meta and _type(s) != "object":
        yield _v(f"{path}.type", _type(s), "must be object", "crd-structural")
    if level != _ROOT:
        return
    # What the structural form drops (externalDocs, example) or this check clears (type,
    # default, properties naming only name and generateName) may be there; nothing else.
    kept = {"type", "default", "externalDocs", "example"}
    if set(_schemas(s.get("properties"))) <= {"name", "generateName"}:
        kept.add("properties")
    if any(_set(k, v) for k, v in s.items() if k not in kept):
        reason = (
            "Forbidden: must not specify anything other than name and generateName, but "
            "metadata is implicitly specified"
        )
        yield _v(path, None, reason, "crd-structural")


def _bare(schema: Obj) -> list[Obj]:
    return [{k: v for k, v in c.items() if _set(k, v)} for c in _list(schema.get("anyOf"))]


def _int_or_string_any_of(schema: Obj) -> bool:
    return _bare(schema) == _INT_OR_STRING_ANY_OF


def _int_or_string_all_of(schema: Obj) -> bool:
    all_of = _list(schema.get("allOf"))
    return bool(all_of) and _int_or_string_any_of(all_of[0])


def _value_validation(
    v: Obj, skip_any_of: bool, skip_first_all_of_any_of: bool, path: str
) -> Iterator[Violation]:
    """validateValueValidation: what allOf, anyOf, oneOf and not hold, and the pattern."""
    if not skip_any_of:
        for index, child in enumerate(_list(v.get("anyOf"))):
            yield from _nested(child, False, f"{path}.anyOf[{index}]")
    for index, child in enumerate(_list(v.get("allOf"))):
        yield from _nested(child, skip_first_all_of_any_of and index == 0, f"{path}.allOf[{index}]")
    for index, child in enumerate(_list(v.get("oneOf"))):
        yield from _nested(child, False, f"{path}.oneOf[{index}]")
    if isinstance(v.get("not"), Mapping):
        yield from _nested(v["not"], False, f"{path}.not")
    pattern = v.get("pattern")
    if isinstance(pattern, str) and pattern and (error := go_regex_error(pattern)):
        reason = f"must be a valid regular expression, but isn't: error parsing regexp: {error}"
        yield _v(f"{path}.pattern", pattern, reason, "crd-structural")


def _nested(v: Obj, skip_any_of: bool, path: str) -> Iterator[Violation]:
    """validateNestedValueValidation: value validation only, nothing structural."""
    rule = "crd-structural"
    yield from _value_validation(v, skip_any_of, False, path)
    if isinstance(v.get("items"), Mapping):
        yield from _nested(v["items"], False, f"{path}.items")
    properties = _schemas(v.get("properties"))
    for name, child in properties.items():
        yield from _nested(child, False, f"{path}.properties[{name}]")
    empty, undefined = (
        "Forbidden: must be empty to be structural",
        "Forbidden: must be undefined to be structural",
    )
    false = "Forbidden: must be false to be structural"
    checks = [
        ("type", bool(_type(v)), empty),
        ("additionalProperties", v.get("additionalProperties") is not None, undefined),
        ("default", v.get("default") is not None, undefined),
        ("title", bool(v.get("title")), empty),
        ("description", bool(v.get("description")), empty),
        ("nullable", v.get("nullable") is True, false),
        (_PRESERVE, v.get(_PRESERVE) is True, false),
        (_EMBEDDED, v.get(_EMBEDDED) is True, false),
        (_INT_OR_STRING, v.get(_INT_OR_STRING) is True, false),
        (_KEYS, bool(v.get(_KEYS)), empty),
        (_LIST, v.get(_LIST) is not None, undefined),
        (_MAP, v.get(_MAP) is not None, undefined),
        (_RULES, bool(v.get(_RULES)), empty),
    ]
    for key, broken, reason in checks:
        if broken:
            yield _v(f"{path}.{key}", None, reason, rule)
    if "metadata" in properties:
        reason = "Forbidden: must not be specified in a nested context"
        yield _v(f"{path}.properties[metadata]", None, reason, rule)


def completeness(v: Obj, s: Obj | None, s_path: str, v_path: str) -> list[Violation]:
    """validateValueValidationCompleteness: what a junctor names, the schema specifies."""
    found: list[Violation] = []
    nested: list[tuple[Obj, str]] = []
    if isinstance(v.get("not"), Mapping):
        nested.append((v["not"], f"{v_path}.not"))
    for key in ("allOf", "anyOf", "oneOf"):
        nested += [(c, f"{v_path}.{key}[{i}]") for i, c in enumerate(_list(v.get(key)))]
    for child, child_path in nested:
        found += _nested_completeness(child, s, s_path, child_path)
    return found


def _nested_completeness(v: Obj, s: Obj | None, s_path: str, v_path: str) -> list[Violation]:
    if s is None:
        reason = f"Required value: because it is defined in {v_path}"
        return [_v(s_path, None, reason, "crd-structural")]
    found = completeness(v, s, s_path, v_path)
    if isinstance(v.get("items"), Mapping):
        items = s.get("items") if isinstance(s.get("items"), Mapping) else None
        found += _nested_completeness(v["items"], items, f"{s_path}.items", f"{v_path}.items")
    properties = _schemas(s.get("properties"))
    for name, child in _schemas(v.get("properties")).items():
        at, defined = f"{s_path}.properties[{name}]", f"{v_path}.properties[{name}]"
        if name not in properties:
            reason = f"Required value: because it is defined in {defined}"
            found.append(_v(at, None, reason, "crd-structural"))
        else:
            found += _nested_completeness(child, properties[name], at, defined)
    return found


def _tokens(path: str) -> list[str]:
    """A field path split at `.`, `[` and `]`, single-quoted strings kept whole."""
    return re.findall(r"'(?:[^'\\]|\\.)*'?|[.\[\]]|[^.\[\]']+", path)


def field_path_schema(path: str, schema: Obj, *, arrays: bool = True) -> tuple[Obj | None, str]:
    """The schema a field path names, or why it names none (cel.ValidFieldPath).

    `.name` and `['name']` step into a property, or into additionalProperties' schema where
    the schema has no properties; nothing else is a step.
    """
    tokens, index, here = _tokens(path), 0, schema
    while index < len(tokens):
        step, index = tokens[index], index + 1
        if step not in (".", "["):
            return None, f"expected [ or . but got: {step}"
        if step == "[" and not arrays:
            return None, "array notation is not allowed"
        if index >= len(tokens):
            return None, "unexpected end of JSON path"
        name, index = tokens[index], index + 1
        if step == "[":
            if len(name) < 2 or name[0] != "'" or name[-1] != "'":
                return None, f"expected single quoted string but got {name}"
            name = re.sub(r"\\(.)", r"\1", name[1:-1])
            if index >= len(tokens):
                return None, "unexpected end of JSON path"
            if tokens[index] != "]":
                return None, f"expected ] but got {tokens[index]}"
            index += 1
        properties, extra = _schemas(here.get("properties")), here.get("additionalProperties")
        if properties:
            if name not in properties:
                return None, "does not refer to a valid field"
            here = properties[name]
        elif isinstance(extra, Mapping):
            here = extra
        else:
            return None, "does not refer to a valid field"
    return here, ""
