"""Custom resources generated from a CRD's schema: a valid one, and many one mistake away.

`valid(crd)` builds an object the schema accepts (from `example`s, enums, formats, bounds);
`cases(crd)` walks its schema beside that object and, at every node, makes the mistakes its
keywords invite: a wrong type, a null, a missing required field, an enum miss, strings that
may miss the pattern, bounds and their edges, lengths in runes, item and property counts, an
unknown field (at every depth, under preserve-unknown-fields too), duplicates in sets and maps,
embedded resources without kind, bad formats, awkward numbers. Whether each one is a mistake is
not decided here: the API server and podgen each judge it, and the test compares them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, NamedTuple

from tests.crd_schema_values import ENUM_VALUES, FORMAT_VALUES, MORE_FORMAT_VALUES, PATTERNS

Obj = dict[str, Any]
DELETE = object()

_STRING_PROBES = ["", "UPPER CASE", " spaced", "tail-", "-lead", "ünïcode", "a/b", "x" * 300]


class Case(NamedTuple):
    """One custom resource to judge, named by where and what its mistake is."""

    name: str
    obj: Obj


def valid(crd: Obj) -> Obj:
    """An object of the CRD's first version that its schema accepts."""
    spec = crd["spec"]
    schema = spec["versions"][0]["schema"]["openAPIV3Schema"]
    body = value_for(schema)
    for key in ("apiVersion", "kind", "metadata"):
        body.pop(key, None)
    api_version = f"{spec['group']}/{spec['versions'][0]['name']}"
    meta = {"name": "sample"}
    return {"apiVersion": api_version, "kind": spec["names"]["kind"], "metadata": meta, **body}


def value_for(schema: Obj) -> Any:
    """A value the schema accepts."""
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if "enum" in schema:
        return copy.deepcopy(schema["enum"][0])
    if schema.get("x-kubernetes-int-or-string"):
        return 8080
    kind = schema.get("type")
    if kind == "object" or "properties" in schema or schema.get("x-kubernetes-embedded-resource"):
        return _object_for(schema)
    if kind == "array":
        count = max(1, schema.get("minItems", 1))
        return [_variant(value_for(schema["items"]), i) for i in range(count)]
    if kind == "string":
        fmt = schema.get("format")
        if fmt in FORMAT_VALUES:
            return FORMAT_VALUES[fmt][0]
        return "a" * max(1, schema.get("minLength", 1))
    if kind == "integer":
        low = schema.get("minimum", 0) + (1 if schema.get("exclusiveMinimum") else 0)
        return max(int(low), 1) if "multipleOf" not in schema else int(schema["multipleOf"])
    if kind == "number":
        return schema.get("multipleOf", 1.0)
    if kind == "boolean":
        return True
    return {"free": ["form", 1]}


def _object_for(schema: Obj) -> Obj:
    found: Obj = {}
    if schema.get("x-kubernetes-embedded-resource"):
        found = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "inner"}}
    for key, prop in (schema.get("properties") or {}).items():
        if key in ("apiVersion", "kind"):
            continue  # the server would look for another kind
        if key == "metadata":
            continue
        found[key] = value_for(prop)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        found["first"] = value_for(extra)
    elif extra is True:
        found["first"] = "one"
    if schema.get("x-kubernetes-preserve-unknown-fields") and not found:
        found["free"] = {"form": [1, "two"]}
    return found


def _variant(value: Any, index: int) -> Any:
    """The index-th of distinct items (sets and maps need them)."""
    if index == 0:
        return value
    if isinstance(value, str):
        return f"{value}{index}"
    if isinstance(value, dict) and "name" in value:
        return {**value, "name": f"{value['name']}{index}"}
    return value


def _at(root: Obj, path: list[Any], new: Any) -> Obj:
    """A copy of `root` with the value at `path` replaced (or deleted)."""
    result = copy.deepcopy(root)
    target: Any = result
    for step in path[:-1]:
        target = target[step]
    if new is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = new
    return result


def _text(path: list[Any]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


Edit = tuple[str, list[Any], Any]  # a name, a path from the root, the new value (or DELETE)


def edits(crd: Obj) -> list[Edit]:
    """Every single mistake this generator makes on the CRD's valid object, in a stable order."""
    base = valid(crd)
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    found: list[Edit] = [(".zzUnknown: added", ["zzUnknown"], 1)]
    for key, prop in (schema.get("properties") or {}).items():
        if key in ("apiVersion", "kind"):
            continue  # the server would look for another kind
        if key == "metadata":
            for bad in ("a" * 21, "ok"):
                found.append((f"metadata.name: {bad[:8]}", ["metadata", "name"], bad))
            for size in (15, 16, 70):  # the server adds five characters to a generateName
                prefix = "g" * size
                found.append(
                    (f"metadata.generateName: {size}", ["metadata"], {"generateName": prefix})
                )
        elif key in base:
            for (path, what), value in _mistakes(base[key], prop):
                found.append((f"{_text([key, *path])}: {what}", [key, *path], value))
    for key in schema.get("required") or []:
        found.append((f"{key}: missing", [key], DELETE))
    spec = schema.get("properties", {}).get("spec", {}).get("properties", {})
    for key, values in ENUM_VALUES.items():
        if key in spec:
            found.extend((f"spec.{key}: value {value!r}", ["spec", key], value) for value in values)
    for key, bad in (
        ("zzUnknown", 1),
        ("labels", "x"),
        ("labels", {"a": 1}),
        ("annotations", ["x"]),
        ("finalizers", "x"),
        ("generation", 1.5),
        ("generation", 2.0),
        ("name", 5),
    ):
        found.append((f"metadata.{key}: {bad!r}", ["metadata", key], bad))
    return found


def _apply(base: Obj, changes: list[Edit]) -> Obj:
    result = base
    for _, path, value in changes:
        result = _at(result, path, value)
    return result


def _apart(one: list[Any], other: list[Any]) -> bool:
    """Neither path is within the other (so both edits can be made)."""
    size = min(len(one), len(other))
    return one[:size] != other[:size]


def cases(crd: Obj, combined: int = 40) -> list[Case]:
    """The valid object, every single mistake, and `combined` pairs of mistakes (seeded)."""
    import random

    base = valid(crd)
    singles = edits(crd)
    found = [Case("valid", base)]
    found.extend(Case(name, _apply(base, [(name, path, value)])) for name, path, value in singles)
    draw = random.Random(f"{crd['metadata']['name']}:{combined}")  # noqa: S311 - test data
    while combined:
        first, second = draw.sample(singles, 2)
        if _apart(first[1], second[1]):
            found.append(Case(f"{first[0]} + {second[0]}", _apply(base, [first, second])))
            combined -= 1
    return found


Mistake = tuple[tuple[list[Any], str], Any]


def _mistakes(value: Any, schema: Obj) -> Iterator[Mistake]:
    """(relative path, what), new value: every mistake at this node and beneath it."""
    here: list[Any] = []
    yield (here, "null"), None
    kind = "int-or-string" if schema.get("x-kubernetes-int-or-string") else schema.get("type")
    for other, wrong in (
        ("string", "text"),
        ("integer", 7),
        ("number", 2.5),
        ("boolean", True),
        ("object", {"k": "v"}),
        ("array", ["x"]),
    ):
        if other != kind:
            yield (here, f"type {other}"), wrong
    if "enum" in schema:
        yield (here, "not in enum"), "not-in-enum" if kind == "string" else 12345
        if isinstance(value, str):
            yield (here, "enum case"), value.upper() if value.upper() != value else value.lower()
    if kind in ("string", "int-or-string"):
        yield from _string_mistakes(value, schema)
    if kind in ("integer", "number", "int-or-string"):
        yield from _number_mistakes(value, schema, kind)
    if kind == "boolean":
        yield (here, "boolean as text"), "true"
    if kind == "integer":
        yield (here, "integer as text"), "5"
    if kind == "array" and isinstance(value, list):
        yield from _array_mistakes(value, schema)
    if isinstance(value, dict):
        yield from _object_mistakes(value, schema)


def _string_mistakes(value: Any, schema: Obj) -> Iterator[Mistake]:
    here: list[Any] = []
    if "maxLength" in schema:
        size = schema["maxLength"]
        yield (here, "maxLength runes"), "é" * size
        yield (here, "maxLength astral runes"), "\U0001f600" * size
        yield (here, "maxLength+1 astral runes"), "\U0001f600" * (size + 1)
        yield (here, "maxLength+1"), "a" * (size + 1)
    if "minLength" in schema:
        yield (here, "minLength-1"), "a" * (schema["minLength"] - 1)
    if "pattern" in schema:
        for name, (pattern, _, probes) in PATTERNS.items():
            if pattern == schema["pattern"]:
                for probe in probes:
                    yield (here, f"{name} {probe!r}"), probe
        for probe in _STRING_PROBES:
            yield (here, f"pattern {probe[:10]!r}"), probe
        if isinstance(value, str):
            yield (here, "pattern newline"), value + "\n"
    fmt = schema.get("format")
    if fmt in FORMAT_VALUES:
        for bad in [*FORMAT_VALUES[fmt][1], *MORE_FORMAT_VALUES.get(fmt, [])]:
            yield (here, f"format {bad[:40]!r}"), bad
    if schema.get("x-kubernetes-int-or-string"):
        yield (here, "int-or-string text"), "text"
        yield (here, "int-or-string 1.0"), 1.0


def _number_mistakes(value: Any, schema: Obj, kind: str) -> Iterator[Mistake]:
    here: list[Any] = []
    yield (here, "float 1.0"), 1.0
    yield (here, "float 1.5"), 1.5
    yield (here, "2**31"), 2**31
    yield (here, "2**53+1 float"), float(2**53 + 2)
    yield (here, "1e20"), 10**20
    yield (here, "2**64"), 2**64
    yield (here, "-2**31-1"), -(2**31) - 1
    yield (here, "1e39"), 1e39
    for key, side in (("maximum", 1), ("minimum", -1)):
        if key in schema:
            edge = schema[key]
            yield (here, f"{key} edge"), edge
            yield (here, f"{key} beyond"), edge + side
            yield (here, f"{key} beyond .5"), edge + side * 0.5
    if "multipleOf" in schema:
        step = schema["multipleOf"]
        yield (here, "multipleOf off"), step * 3 + step / 2
        yield (here, "multipleOf on"), step * 3
        yield (here, "multipleOf int"), 3


def _array_mistakes(value: list[Any], schema: Obj) -> Iterator[Mistake]:
    here: list[Any] = []
    if "maxItems" in schema:
        yield (here, "maxItems+1"), [_variant(value[0], i) for i in range(schema["maxItems"] + 1)]
    if "minItems" in schema:
        yield (here, "minItems-1"), value[: schema["minItems"] - 1]
    if value:
        yield (here, "duplicate item"), [*value, copy.deepcopy(value[0])]
        yield (here, "null item"), [*value, None]
        first = value[0]
        if isinstance(first, dict):
            for key in schema.get("x-kubernetes-list-map-keys") or []:
                if key in first:
                    without = {k: v for k, v in first.items() if k != key}
                    yield (here, f"map key {key} left out twice"), [without, copy.deepcopy(without)]
                    default = (schema["items"].get("properties") or {}).get(key, {}).get("default")
                    if default is not None:
                        spelled = [without, {**without, key: default}]
                        yield (here, f"map key {key} default spelled"), spelled
        for (path, what), new in _mistakes(first, schema.get("items") or {}):
            yield ([0, *path], what), new


def _object_mistakes(value: Obj, schema: Obj) -> Iterator[Mistake]:
    here: list[Any] = []
    yield (["zzUnknown"], "unknown field"), {"deep": 1}
    for key in schema.get("required") or []:
        if key in value:
            yield ([key], "required missing"), DELETE
    if "maxProperties" in schema and isinstance(schema.get("additionalProperties"), dict):
        extra = {
            f"k{i}": value_for(schema["additionalProperties"])
            for i in range(schema["maxProperties"] + 1)
        }
        yield (here, "maxProperties+1"), extra
    if "minProperties" in schema:
        yield (here, "minProperties-1"), {}
    if schema.get("x-kubernetes-embedded-resource"):
        yield from _embedded_mistakes(value)
    for key, prop in (schema.get("properties") or {}).items():
        if key in value and key not in ("apiVersion", "kind", "metadata"):
            for (path, what), new in _mistakes(value[key], prop):
                yield ([key, *path], what), new
        elif key not in value and "default" in prop:
            yield ([key], "explicit null for a default"), None
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and value:
        key = next(iter(value))
        for (path, what), new in _mistakes(value[key], extra):
            yield ([key, *path], what), new
    elif extra is not None:
        yield (["zzLoose"], "additionalProperties object"), {"deep": 1}
        yield (["zzLoose"], "additionalProperties scalar"), "one"


def _embedded_mistakes(value: Obj) -> Iterator[Mistake]:
    yield (["kind"], "embedded kind missing"), DELETE
    yield (["apiVersion"], "embedded apiVersion missing"), DELETE
    for key, bad in (
        ("kind", 5),
        ("kind", ""),
        ("kind", "Bad_Kind"),
        ("kind", "lower"),
        ("apiVersion", "a/b/c"),
        ("apiVersion", ""),
        ("apiVersion", 1),
        ("apiVersion", "apps/v1"),
        ("metadata", {"name": "a/b"}),
        ("metadata", {"zzUnknown": 1}),
        ("metadata", {"labels": "x"}),
        ("metadata", {"namespace": "Bad"}),
        ("metadata", {"labels": {"a": "b c"}}),
        ("metadata", {"generateName": "x%"}),
        ("metadata", {"name": 5}),
        ("metadata", "text"),
        ("metadata", {"finalizers": ["a b"]}),
        ("metadata", {"name": "..", "uid": "x"}),
    ):
        yield ([key], f"embedded {key} {bad!r}"), bad
