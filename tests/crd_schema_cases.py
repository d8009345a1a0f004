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

from tests.crd_schema_crds import PATTERNS

Obj = dict[str, Any]
DELETE = object()

#: For each format: values the server may refuse (and one it accepts) to send at it.
FORMAT_VALUES: dict[str, tuple[Any, list[str]]] = {
    "date": ("2024-02-29", ["2023-02-29", "2024-13-01", "24-01-01", "2024-01-01T00:00:00Z", ""]),
    "date-time": (
        "2024-05-01T10:00:00Z",
        [
            "2024-05-01",
            "2024-05-01 10:00:00",
            "2024-05-01T25:00:00Z",
            "2024-05-01t10:00:00.123+02:00",
            "2024-05-01T10:00:00",
        ],
    ),
    "datetime": ("2024-05-01T10:00:00.5+01:00", ["yesterday", "2024-05-01T10:60:00Z"]),
    "duration": ("1h30m", ["5 parsecs", "3 days", "1.5h", "-3s", "10", "", "2 weeks"]),
    "byte": ("aGVsbG8=", ["aGVsbG8", "a", "", "aGVsbG8_", "aGVs bG8="]),
    "uuid": (
        "123e4567-e89b-12d3-a456-426614174000",
        [
            "123E4567E89B12D3A456426614174000",
            "123e4567-e89b-12d3-a456",
            "g23e4567-e89b-12d3-a456-426614174000",
        ],
    ),
    "uuid3": ("123e4567-e89b-32d3-a456-426614174000", ["123e4567-e89b-12d3-a456-426614174000"]),
    "uuid4": ("123e4567-e89b-42d3-a456-426614174000", ["123e4567-e89b-42d3-c456-426614174000"]),
    "uuid5": ("123e4567-e89b-52d3-9456-426614174000", ["123e4567-e89b-42d3-9456-426614174000"]),
    "hostname": (
        "shop.example.com",
        [
            "-shop",
            "shop-",
            "a..b",
            "xn--bcher-kva.example",
            "a" * 64,
            "bücher.de",
            "shop.c",
            "1.2.3.4",
            "shop_1",
            "",
            "localhost",
        ],
    ),
    "email": (
        "ops@example.com",
        [
            "ops",
            "ops@",
            "Ops Team <ops@example.com>",
            "ops@@example.com",
            "o.p.s@example.com",
            ".ops@example.com",
            '"o p"@example.com',
        ],
    ),
    "uri": (
        "https://example.com/a?b=c",
        [
            "example.com",
            "/relative/path",
            "mailto:ops@example.com",
            "https://exa mple.com",
            "http://[::1]:80/x",
            "http://host:port/",
            "%zz",
            "",
            "*",
        ],
    ),
    "ipv4": ("10.0.0.1", ["10.0.0", "10.0.0.256", "010.000.000.001", "::ffff:10.0.0.1", "::1", ""]),
    "ipv6": ("2001:db8::1", ["2001:db8::g", "10.0.0.1", "::ffff:10.0.0.1", "fe80::1%eth0", "::"]),
    "cidr": (
        "10.0.0.0/8",
        ["10.0.0.0", "10.0.0.0/33", "10.0.0.1/8", "2001:db8::/64", "010.0.0.0/8", "10.0.0.0/08"],
    ),
    "mac": (
        "00:1a:2b:3c:4d:5e",
        [
            "00:1a:2b:3c:4d",
            "001a.2b3c.4d5e",
            "00-1A-2B-3C-4D-5E",
            "zz:1a:2b:3c:4d:5e",
            "00:1a:2b:3c:4d:5e:6f:70",
        ],
    ),
    "bsonobjectid": (
        "507f1f77bcf86cd799439011",
        ["507f1f77bcf86cd79943901", "507f1f77bcf86cd79943901g"],
    ),
    "password": ("hunter2", [""]),
    "isbn": ("978-0321751041", ["0321751043", "978-0321751042", "12"]),
    "isbn10": ("0321751043", ["0321751044", "0-321-75104-3", "032175104X"]),
    "isbn13": ("9780321751041", ["978 0321751041", "9780321751042"]),
    "creditcard": ("4111111111111111", ["4111111111111112", "4111-1111-1111-1111", "1234"]),
    "ssn": ("123-45-6789", ["123456789", "123 45 6789", "12-345-6789"]),
    "hexcolor": ("#1a2B3c", ["1a2b3c", "#1234", "#ggg"]),
    "rgbcolor": ("rgb(1, 2, 255)", ["rgb(256,0,0)", "rgb(1,2)", "rgb( 0 , 0 , 0 )"]),
    "quantity": ("10Gi", ["ten"]),
    "k8s-short-name": ("my-name", ["My-Name", "my.name", "a" * 64, "-a"]),
    "k8s-long-name": ("my.name", ["My.name", "a" * 254, "a_b", "a..b"]),
    "made-up": ("anything", ["really anything"]),
}
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


def cases(crd: Obj) -> list[Case]:
    """The valid object and every mistake this generator makes on it, in a stable order."""
    base = valid(crd)
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    found = [Case("valid", base)]
    found.append(Case(".zzUnknown: added", {**base, "zzUnknown": 1}))
    for key, prop in (schema.get("properties") or {}).items():
        if key == "metadata":
            for bad in ("a" * 21, "ok"):
                found.append(Case(f"metadata.name: {bad[:8]}", {**base, "metadata": {"name": bad}}))
            continue
        if key in base:
            for name, value in _mistakes(base[key], prop):
                changed = _at(base, [key, *name[0]], value) if name[0] else _at(base, [key], value)
                found.append(Case(f"{_text([key, *name[0]])}: {name[1]}", changed))
    for key in schema.get("required") or []:
        found.append(Case(f"{key}: missing", _at(base, [key], DELETE)))
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
        metadata = {**base["metadata"], key: bad}
        found.append(Case(f"metadata.{key}: {bad!r}", {**base, "metadata": metadata}))
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
        for bad in FORMAT_VALUES[fmt][1]:
            yield (here, f"format {bad[:24]!r}"), bad
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
