"""A CRD version's openAPIV3Schema, as the API server checks it on create.

Three passes, as apiextensions runs them: the OpenAPI walk
(`ValidateCustomResourceDefinitionOpenAPISchema`: forbidden keywords, `x-kubernetes-*`
consistency, list-map keys; here), the structural rules (`checks_crd_structural`), and, only
when the schema is structural, the defaults (`checks_crd_defaults`: each valid against its
schema and pruned). The paths are the file's (`spec.versions[0].schema.openAPIV3Schema...`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from podgen._checking.checks_base import Obj, Violation
from podgen._checking.checks_crd_defaults import check_defaults
from podgen._checking.checks_crd_structural import (
    _EMBEDDED,
    _JUNCTORS,
    _KEYS,
    _LIST,
    _MAP,
    _PRESERVE,
    _ROOT,
    _RULES,
    _list,
    _schemas,
    _set,
    _type,
    _v,
    completeness,
    field_path_schema,
    new_structural_error,
    structural,
)

_TYPES = ("array", "boolean", "integer", "number", "object", "string")
#: What the root schema may hold with the status subresource (allowedFieldsAtRootSchema).
_ROOT_WITH_STATUS = frozenset(
    "description type format title maximum exclusiveMaximum minimum exclusiveMinimum maxLength "
    "minLength pattern maxItems minItems uniqueItems multipleOf required items properties "
    f"externalDocs example {_PRESERVE} {_RULES}".split()
)
#: The resource's own fields at its root: no defaults in them (metadata is the server's).
_META_FIELDS = ("metadata", "kind", "apiVersion")
#: The formats the server knows, by type (apiserver/validation/formats.go; a string's
#: without its dashes, as go-openapi normalizes them): any other it warns about and ignores.
_STRING_FORMATS = frozenset(
    (
        *("bsonobjectid", "uri", "email", "hostname", "ipv4", "ipv6", "cidr", "mac", "uuid"),
        *("uuid3", "uuid4", "uuid5", "isbn", "isbn10", "isbn13", "creditcard", "ssn"),
        *("hexcolor", "rgbcolor", "byte", "password", "date", "duration", "datetime"),
        *("k8sshortname", "k8slongname"),
    )
)
_FORMATS = {"integer": ("int32", "int64"), "number": ("float", "double")}
_REASONS = ("FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired")


def walk(schema: object) -> Iterator[Obj]:
    """Every schema in `schema`, itself first (SchemaHas)."""
    if not isinstance(schema, Mapping):
        return
    yield schema
    items = schema.get("items")
    for child in items if isinstance(items, list) else [items]:
        yield from walk(child)
    for key in _JUNCTORS:
        for child in _list(schema.get(key)):
            yield from walk(child)
    for key in ("not", "additionalProperties", "additionalItems"):
        yield from walk(schema.get(key))
    for key in ("properties", "patternProperties", "definitions", "dependencies"):
        for child in _schemas(schema.get(key)).values():
            yield from walk(child)


def has_defaults(versions: list[tuple[str, Obj]]) -> bool:
    """Whether any version's schema has a default anywhere (specHasDefaults)."""
    for _, version in versions:
        schema = version.get("schema")
        root = schema.get("openAPIV3Schema") if isinstance(schema, Mapping) else None
        if any(node.get("default") is not None for node in walk(root)):
            return True
    return False


def check_schema(root: Obj, path: str, *, status: bool) -> Iterator[Violation]:
    """ValidateCustomResourceDefinitionValidation on one version's openAPIV3Schema."""
    found: list[Violation] = []
    if status:
        if root.get("type") not in (None, "", "object"):
            reason = (
                'only "object" is allowed as the type at the root of the schema if the status '
                "subresource is enabled"
            )
            found.append(_v(f"{path}.type", root.get("type"), reason))
        elif any(_set(key, value) for key, value in root.items() if key not in _ROOT_WITH_STATUS):
            allowed = ", ".join(sorted(_ROOT_WITH_STATUS))
            reason = (
                f"only [{allowed}] fields are allowed at the root of the schema if the status "
                "subresource is enabled"
            )
            found.append(_v(path, "<schema>", reason))
    if root.get("nullable") is True:
        found.append(_v(f"{path}.nullable", True, "Forbidden: nullable cannot be true at the root"))
    unstructural = new_structural_error(root)
    if unstructural is None:
        found_structural = list(structural(root, _ROOT, path))
        found_structural += completeness(root, root, path, path)
        found += found_structural or list(check_defaults(root, path))
    found += _openapi(root, path, root=True, meta=False, no_defaults="")
    if not found and unstructural:
        found.append(_v(path, "", unstructural, "crd-structural"))
    yield from found


def _openapi(s: Obj, path: str, *, root: bool, meta: bool, no_defaults: str) -> list[Violation]:
    """ValidateCustomResourceDefinitionOpenAPISchema: the walk and specStandardValidatorV3."""
    found = list(_standard(s, path, meta=meta, no_defaults=no_defaults))
    if s.get("uniqueItems") is True:
        reason = (
            "Forbidden: uniqueItems cannot be set to true since the runtime complexity "
            "becomes quadratic"
        )
        found.append(_v(f"{path}.uniqueItems", True, reason))
    properties = _schemas(s.get("properties"))
    extra = s.get("additionalProperties")
    if extra is not None:
        if properties and (extra is False or isinstance(extra, Mapping)):
            reason = "Forbidden: additionalProperties and properties are mutual exclusive"
            found.append(_v(f"{path}.additionalProperties", None, reason))
        if isinstance(extra, Mapping):
            why = "inside additionalProperties applying to object metadata" if meta else no_defaults
            found += _openapi(
                extra, f"{path}.additionalProperties", root=False, meta=meta, no_defaults=why
            )
    for name, child in properties.items():
        child_meta, why = meta, no_defaults
        if (root or s.get(_EMBEDDED) is True) and name in _META_FIELDS:
            child_meta, why = True, (f"in top-level {name}" if root else no_defaults)
        at = f"{path}.properties[{name}]"
        found += _openapi(child, at, root=False, meta=child_meta, no_defaults=why)
    children: list[tuple[object, str]] = [(s.get("not"), f"{path}.not")]
    for key in _JUNCTORS:
        children += [(c, f"{path}.{key}[{i}]") for i, c in enumerate(_list(s.get(key)))]
    children += [(c, f"{path}.definitions[{k}]") for k, c in _schemas(s.get("definitions")).items()]
    items = s.get("items")
    if isinstance(items, list):
        children += [(c, f"{path}.items[{i}]") for i, c in enumerate(_list(items))]
    else:
        children.append((items, f"{path}.items"))
    children += [
        (c, f"{path}.dependencies[{k}]") for k, c in _schemas(s.get("dependencies")).items()
    ]
    for node, at in children:
        if isinstance(node, Mapping):  # what is not a map is the schema layer's to report
            found += _openapi(node, at, root=False, meta=meta, no_defaults=no_defaults)
    found += _extensions(s, path)
    found += _rules(s, path)
    form = s.get("format")
    if isinstance(form, str) and form and not _known_format(form, _type(s)):
        reason = f'unrecognized format "{form}"'
        found.append(Violation(f"{path}.format", form, reason, "crd-schema-format", warning=True))
    return found


def _known_format(form: str, kind: str) -> bool:
    if kind in ("", "string"):
        return form.replace("-", "") in _STRING_FORMATS
    return form in _FORMATS.get(kind, ())


def _standard(s: Obj, path: str, *, meta: bool, no_defaults: str) -> Iterator[Violation]:
    """specStandardValidatorV3.validate: keywords a CRD schema may not use."""
    kind = s.get("type")
    if kind not in (None, "") and kind not in _TYPES:
        yield _v(f"{path}.type", kind, "supported values: " + ", ".join(f'"{t}"' for t in _TYPES))
    if s.get("default") is not None and no_defaults:
        yield _v(f"{path}.default", None, f"Forbidden: must not be set {no_defaults}")
    if s.get("id"):
        yield _v(f"{path}.id", None, "Forbidden: id is not supported")
    if "additionalItems" in s:
        yield _v(f"{path}.additionalItems", None, "Forbidden: additionalItems is not supported")
    for key in ("patternProperties", "definitions"):
        if s.get(key):
            yield _v(f"{path}.{key}", None, f"Forbidden: {key} is not supported")
    if s.get("dependencies") is not None:
        yield _v(f"{path}.dependencies", None, "Forbidden: dependencies is not supported")
    if "$ref" in s:
        yield _v(f"{path}.$ref", None, "Forbidden: $ref is not supported")
    if kind == "null":
        reason = "Forbidden: type cannot be set to null, use nullable as an alternative"
        yield _v(f"{path}.type", kind, reason)
    if isinstance(s.get("items"), list) and s["items"]:
        yield _v(f"{path}.items", None, "Forbidden: items must be a schema object and not an array")
    if meta and s.get(_EMBEDDED) is True:
        yield _v(f"{path}.{_EMBEDDED}", None, "Forbidden: must not be used inside of resource meta")


def _extensions(s: Obj, path: str) -> list[Violation]:
    """x-kubernetes-preserve-unknown-fields, -map-type, -list-type and -list-map-keys."""
    found, kind = [], _type(s)
    list_type, keys, items = s.get(_LIST), s.get(_KEYS), s.get("items")
    if s.get(_PRESERVE) is False:
        found.append(_v(f"{path}.{_PRESERVE}", False, "must be true or undefined"))
    if s.get(_MAP) is not None and kind != "object":
        reason = "must be object if x-kubernetes-map-type is specified"
        found.append(
            _v(f"{path}.type", kind or None, reason if kind else f"Required value: {reason}")
        )
    if s.get(_MAP) is not None and s.get(_MAP) not in ("atomic", "granular"):
        found.append(_v(f"{path}.{_MAP}", s.get(_MAP), 'supported values: "atomic", "granular"'))
    item = items if isinstance(items, Mapping) else None
    if list_type is not None and kind != "array":
        reason = "must be array if x-kubernetes-list-type is specified"
        found.append(
            _v(f"{path}.type", kind or None, reason if kind else f"Required value: {reason}")
        )
    elif list_type == "set" and item is not None:
        reason = "must be atomic as item of a list with x-kubernetes-list-type=set"
        if _type(item) == "array" and item.get(_LIST) not in (None, "atomic"):
            found.append(_v(f"{path}.items.{_LIST}", item.get(_LIST), reason))
        if _type(item) == "object" and item.get(_MAP) != "atomic":
            found.append(_v(f"{path}.items.{_MAP}", item.get(_MAP), reason))
    if list_type is not None and list_type not in ("atomic", "set", "map"):
        found.append(_v(f"{path}.{_LIST}", list_type, 'supported values: "atomic", "map", "set"'))
    if keys:
        reason = "must be map if x-kubernetes-list-map-keys is non-empty"
        if list_type is None:
            found.append(_v(f"{path}.{_LIST}", None, f"Required value: {reason}"))
        elif list_type != "map":
            found.append(_v(f"{path}.{_LIST}", list_type, reason))
    if list_type == "map":
        found += _list_map(s, path)
    if list_type in ("set", "map") and item is not None:
        if item.get("nullable") is True:
            reason = f"Forbidden: cannot be nullable when x-kubernetes-list-type is {list_type}"
            found.append(_v(f"{path}.items.nullable", True, reason))
        required = item.get("required") if isinstance(item.get("required"), list) else []
        properties = _schemas(item.get("properties"))
        for key in keys if list_type == "map" and isinstance(keys, list) else []:
            if not isinstance(key, str) or key not in properties or not isinstance(required, list):
                continue
            at = f"{path}.items.properties[{key}]"
            if key not in required and properties[key].get("default") is None:
                reason = (
                    "Required value: this property is in x-kubernetes-list-map-keys, so it must "
                    "have a default or be a required property"
                )
                found.append(_v(f"{at}.default", None, reason))
            if properties[key].get("nullable") is True:
                reason = (
                    "Forbidden: this property is in x-kubernetes-list-map-keys, so it cannot "
                    "be nullable"
                )
                found.append(_v(f"{at}.nullable", True, reason))
    return found


def _list_map(s: Obj, path: str) -> list[Violation]:
    found, keys, items = [], s.get(_KEYS), s.get("items")
    if not keys:
        reason = "Required value: must not be empty if x-kubernetes-list-type is map"
        found.append(_v(f"{path}.{_KEYS}", None, reason))
    if items is None:
        reason = "Required value: must have a schema if x-kubernetes-list-type is map"
        found.append(_v(f"{path}.items", None, reason))
    elif not isinstance(items, Mapping):
        reason = "must only have a single schema if x-kubernetes-list-type is map"
        found.append(_v(f"{path}.items", items, reason))
    elif _type(items) != "object":
        reason = "must be object if parent array's x-kubernetes-list-type is map"
        found.append(_v(f"{path}.items.type", _type(items), reason))
    else:
        properties, seen = _schemas(items.get("properties")), set()
        for key in [str(k) for k in keys] if isinstance(keys, list) else []:
            if key in properties:
                if _type(properties[key]) in ("array", "object"):
                    reason = "must be a scalar type if parent array's x-kubernetes-list-type is map"
                    found.append(_v(f"{path}.items.properties[{key}].type", "object", reason))
            else:
                reason = "entries must all be names of item properties"
                found.append(_v(f"{path}.{_KEYS}", keys, reason))
            if key in seen:
                found.append(_v(f"{path}.{_KEYS}", keys, "must not contain duplicate entries"))
            seen.add(key)
    return found


def _compile_error(rule: str, s: Obj) -> str | None:
    """A rule's syntax error, where the CEL library is certain of it (crd_cel)."""
    from podgen._checking.crd_cel import rule_compile_error

    return rule_compile_error(rule, s)


def _rules(s: Obj, path: str) -> list[Violation]:
    """x-kubernetes-validations' shape, and rules that do not parse."""
    found: list[Violation] = []
    for index, item in enumerate(_list(s.get(_RULES))):
        at = f"{path}.{_RULES}[{index}]"
        rule, message = str(item.get("rule") or ""), str(item.get("message") or "")
        if not rule.strip():
            found.append(_v(f"{at}.rule", None, "Required value: rule is not specified"))
        elif (failed := _compile_error(rule, s)) is not None:
            found.append(_v(f"{at}.rule", rule, f"compilation failed: {failed}"))
        elif message and not message.strip():
            found.append(_v(f"{at}.message", message, "must be non-empty if specified"))
        elif re.search("[\n\r]", message.strip()):
            found.append(_v(f"{at}.message", message, "must not contain line breaks"))
        elif re.search("[\n\r]", rule.strip()) and not message.strip():
            reason = "Required value: message must be specified if rule contains line breaks"
            found.append(_v(f"{at}.message", None, reason))
        expression = str(item.get("messageExpression") or "")
        if expression and not expression.strip():
            reason = "Required value: messageExpression must be non-empty if specified"
            found.append(_v(f"{at}.messageExpression", None, reason))
        reason_value = item.get("reason")
        if reason_value is not None and reason_value not in _REASONS:
            quoted = ", ".join(f'"{r}"' for r in _REASONS)
            found.append(_v(f"{at}.reason", reason_value, f"supported values: {quoted}"))
        field_path = str(item.get("fieldPath") or "")
        if field_path and not field_path.strip():
            found.append(_v(f"{at}.fieldPath", field_path, "must be non-empty if specified"))
        if re.search("[\n\r]", field_path):
            found.append(_v(f"{at}.fieldPath", field_path, "must not contain line breaks"))
        if field_path and new_structural_error(s) is None and field_path_schema(field_path, s)[1]:
            found.append(_v(f"{at}.fieldPath", field_path, "must be a valid path"))
    return found
