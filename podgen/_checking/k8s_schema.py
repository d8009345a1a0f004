"""Check objects against the OpenAPI schema of the Kubernetes release targeted, strictly.

The schemas (podgen/_checking/schemas/, read by `k8s_releases`) are the API's own, trimmed to
the kinds podgen validates, for every release in `versions.SUPPORTED`; `versions.target()`
picks the release.
This walker knows the subset of JSON Schema they use ($ref, type with null, enum, properties,
additionalProperties, required, items, oneOf) and reports every problem with its path, so
`podgen validate` can point at each offending key: unknown fields get a "did you mean" (or the
release that added them, when a later one has them), wrong types say what was expected, and a
wrong `kind` says which kinds exist.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from podgen._checking.k8s_releases import Lazy, added_after, removed_in, schema_of
from podgen._checking.k8s_releases import added_in as added_in  # for the checks of new, render
from podgen._errors import Path, closest, dotted, quoted
from podgen._model import versions
from podgen._model.objects import custom_group
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class SchemaProblem(NamedTuple):
    """One place an object breaks the schema."""

    path: Path
    message: str
    rule: str

    def text(self) -> str:
        """`spec.containers[0].imgae: unknown field ...`: the message after its field's path."""
        where = dotted(self.path)
        return f"{where}: {self.message}" if where else self.message


def _target() -> dict[str, Lazy]:
    return schema_of(versions.target())


def kinds(version: str | None = None) -> list[str]:
    """The `apiVersion/kind` pairs a release's schema covers (the target's by default)."""
    return sorted(schema_of(version or versions.target())["kinds"])


def schema_problems(obj: Any, *, warnings: bool = False) -> Iterator[SchemaProblem]:
    """Every place `obj` breaks the schema of its kind; nothing for kinds it does not cover.

    With `warnings`, what the API server accepts with a warning too: an apiVersion the
    targeted release deprecates [api-deprecated] (`podgen validate` reports it as a warning).
    """
    if not isinstance(obj, dict):
        yield SchemaProblem((), f"expected an object (a map), got {_type_name(obj)}", "schema-type")
        return
    numbered = [key for key in obj if _LINE_NUMBER.match(str(key))]
    if numbered:
        yield SchemaProblem(
            (numbered[0],),
            f"{quoted(numbered[0])} starts with a number: pasted line numbers? "
            "Remove them from every line",
            "pasted-line-numbers",
        )
        return
    kind, api_version = obj.get("kind"), obj.get("apiVersion")
    if not isinstance(kind, str) or not kind:
        yield SchemaProblem((), "missing `kind`", "schema-kind")
        return
    if not isinstance(api_version, str) or not api_version:
        yield SchemaProblem((), "missing `apiVersion`", "schema-kind")
        return
    if custom_group(api_version) is not None:
        return  # a custom resource (Knative's Service is no core Service): its CRD's to judge
    from podgen._checking.api_lifecycle import lifecycle_finding, lookup

    lifecycle = lifecycle_finding(api_version, kind)  # in the release targeted
    if lifecycle is not None and (warnings or not lifecycle.warning):
        yield SchemaProblem(("apiVersion",), lifecycle.message, lifecycle.rule)
    if lifecycle is not None and not lifecycle.warning:
        return  # not served: its fields are beside the point
    key = f"{api_version}/{kind}"
    schema = _target()["kinds"].get(key)
    if schema is None:
        if lookup(api_version, kind) is not None:
            return  # served by the target, but not in the schema podgen has: nothing to check
        later = added_after(key, ())
        if later is not None:  # strict apply: "no matches for kind" on the target's server
            yield SchemaProblem(("apiVersion",), _not_yet(f"{api_version} {kind}", later), API_RULE)
            return
        known = {k.rsplit("/", 1)[1]: k.rsplit("/", 1)[0] for k in kinds()}
        by_lower = {name.lower(): name for name in known}
        if kind in known:
            yield SchemaProblem(
                ("apiVersion",),
                f"{kind} is in apiVersion {quoted(known[kind])}, not {quoted(api_version)}",
                "schema-kind",
            )
        elif kind.lower() in by_lower:
            right = by_lower[kind.lower()]
            yield SchemaProblem(
                ("kind",),
                f"unknown kind {quoted(kind)}; did you mean {quoted(right)}? (kinds are CamelCase)",
                "schema-kind",
            )
        return  # other kinds are not podgen's to judge; `covers` tells callers
    problems: list[SchemaProblem] = []
    _check(obj, schema, (), problems)
    for problem in problems:
        if problem.rule == "schema-unknown-field":  # rare: only then read the later releases
            later = added_after(key, problem.path)
            gone = None if later is not None else removed_in(key, problem.path)
            if later is not None:
                message = _not_yet(f"unknown field {quoted(problem.path[-1])}", later)
                problem = SchemaProblem(problem.path, message, FIELD_RULE)
            elif gone is not None:
                message = f"unknown field {quoted(problem.path[-1])}: removed in Kubernetes {gone}"
                message += f" (this checks {versions.target()}, see {versions.chosen_by()})"
                problem = SchemaProblem(problem.path, message, FIELD_RULE)
        yield problem


#: A field, or a kind, that a later release than the target has: strict apply refuses it.
FIELD_RULE = "field-not-in-version"
API_RULE = "api-not-in-version"


def _not_yet(what: str, release: str) -> str:
    target, by = versions.target(), versions.chosen_by()  # the flag, or podgen.yaml's line
    return f"{what}: added in Kubernetes {release} (this checks {target}, see {by})"


def as_decoded(obj: dict[str, Any]) -> dict[str, Any]:
    """`obj` as the API server decodes it: a null field is unset, a null item a zero value.

    The schema lets every field be null; the API server's rules then see Go's zero values
    (`containers: [null]` is one container with no name). Give the rules the same, so they
    report what the API server reports instead of tripping over None.
    """
    schema = _target()["kinds"].get(f"{obj.get('apiVersion')}/{obj.get('kind')}")
    decoded = _decoded(obj, schema) if schema is not None else obj
    return decoded if isinstance(decoded, dict) else obj


def _decoded(value: Any, schema: dict[str, Any] | None) -> Any:
    if schema is None:
        return value
    schema = _resolve(schema)
    if isinstance(value, dict):
        properties: dict[str, Any] = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        result = {}
        required = schema.get("required", ())
        for key, item in value.items():
            if key in properties:
                if item is not None:
                    result[key] = _decoded(item, properties[key])
                elif key in required or key in _STRUCTS:  # Go: a struct, never nil
                    result[key] = _zero(properties[key])
                elif id(properties[key]) in _written_nulls():
                    result[key] = None  # unset, as Go prints it: kept, to be written back
                # else a pointer or a list: null is unset
            elif isinstance(extra, dict):  # a map's value: null is the zero value
                result[key] = _zero(extra) if item is None else _decoded(item, extra)
            else:
                result[key] = item
        return result
    if isinstance(value, list) and "items" in schema:
        items = schema["items"]
        return [_zero(items) if item is None else _decoded(item, items) for item in value]
    return value


#: Pointer fields whose Go type has no omitempty: Go (the API server, kubectl) prints them as
#: null when unset, so a null there is how the field is written, not a stray one to drop.
_WRITTEN_NULL = (("io.k8s.api.core.v1.GRPCAction", "service"),)


def _written_nulls() -> frozenset[int]:
    """The ids of the target's `_WRITTEN_NULL` property schemas."""
    return _written_nulls_of(versions.target())


@functools.cache
def _written_nulls_of(version: str) -> frozenset[int]:
    """The ids of one release's `_WRITTEN_NULL` schemas (its parsed schema is kept for good)."""
    definitions = schema_of(version)["$defs"]
    return frozenset(id(definitions[name]["properties"][field]) for name, field in _WRITTEN_NULL)


#: Fields that are Go structs, not pointers, in every kind: null decodes to an empty one.
_STRUCTS = frozenset({"metadata", "spec", "template"})


def _zero(schema: dict[str, Any]) -> Any:
    """Go's zero value for a schema's type."""
    schema = _resolve(schema)
    if "oneOf" in schema:  # IntOrString and friends: an int with no value
        return 0
    kinds_ = schema.get("type", [])
    names = [kinds_] if isinstance(kinds_, str) else kinds_
    for name in names:
        if name != "null":
            return {"object": {}, "array": [], "string": "", "boolean": False}.get(name, 0)
    return None


def covers(obj: Any) -> bool:
    """Whether the schema knows this object's kind (or a near miss of it, or one of any release).

    Only in Kubernetes' own groups, or a dotless group that is a typo of one (`app/v1`).
    """
    if not isinstance(obj, dict) or not isinstance(obj.get("kind"), str):
        return True
    if custom_group(obj.get("apiVersion")) is not None:
        return False  # Volcano's batch.volcano.sh Job is a custom resource, not a batch Job
    names = {k.rsplit("/", 1)[1].lower() for k in kinds()}
    if obj["kind"].lower() in names:
        return True
    if added_after(f"{obj.get('apiVersion')}/{obj['kind']}", ()) is not None:
        return True  # a kind a later release serves: schema_problems names that release
    from podgen._checking.api_lifecycle import lookup

    return lookup(str(obj.get("apiVersion")), obj["kind"]) is not None  # PodSecurityPolicy


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with its `$ref`s followed, merged once and kept (the schema never changes).

    By id: each release's schemas are parsed objects of their own, kept for good, so a schema
    resolves in the release it belongs to (the one targeted when it was reached).
    """
    resolved = _RESOLVED.get(id(schema))
    if resolved is None:
        resolved = schema
        while "$ref" in resolved:
            name = resolved["$ref"].split("#/$defs/")[-1]
            rest = {k: v for k, v in resolved.items() if k != "$ref"}
            resolved = {**_target()["$defs"][name], **rest}
        _RESOLVED[id(schema)] = resolved
        _KEEP.append(schema)  # ids stay unique while the schema is alive
    return resolved


#: The API server decodes these formats into Go's int32 and int64: a number outside them is
#: refused before any validation rule runs.
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}

_RESOLVED: dict[int, dict[str, Any]] = {}
#: Leaf schemas (a type, maybe a format, nothing else) by id, and the Python type of value
#: seen to pass them: every value of that type passes.
_LEAF: dict[int, type] = {}
_KEEP: list[dict[str, Any]] = []


#: JSON Schema's types, as Python types (bool is an int in Python, but not in JSON Schema).
JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "object": dict,
    "array": list,
}


def matches_type(value: Any, kinds_: str | list[str]) -> bool:
    """Whether `value` is of JSON Schema type `kinds_` (a name, or a list of names)."""
    names = [kinds_] if isinstance(kinds_, str) else kinds_
    if value is None:
        return "null" in names
    for name in names:
        if name == "null":
            continue
        if isinstance(value, bool) and name in ("integer", "number"):
            continue
        if isinstance(value, JSON_TYPES[name]):
            return True
    return False


def _expected(schema: dict[str, Any]) -> str:
    if "oneOf" in schema:
        return " or ".join(_expected(_resolve(option)) for option in schema["oneOf"])
    kinds_ = schema.get("type", [])
    names = [kinds_] if isinstance(kinds_, str) else [k for k in kinds_ if k != "null"]
    words = {
        "string": "a string",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "object": "a map",
        "array": "a list",
    }
    return " or ".join(words[name] for name in names) or "a value"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"a number ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return f"a {type(value).__name__}"


def _check(value: Any, schema: dict[str, Any], path: Path, problems: list[SchemaProblem]) -> None:
    """Append every problem of `value` under `schema` (a plain recursion: this is hot)."""
    original, schema = schema, _resolve(schema)
    if "oneOf" in schema:
        options = [_resolve(option) for option in schema["oneOf"]]
        if not any(matches_type(value, option.get("type", [])) for option in options):
            problems.append(_type_problem(value, schema, path))
        elif original.get("$ref") == _QUANTITY and isinstance(value, str):
            problem = quantity_problem(value)
            if problem is not None:
                problems.append(SchemaProblem(path, problem, "schema-quantity"))
        return
    if "type" in schema and not matches_type(value, schema["type"]):
        problems.append(_type_problem(value, schema, path))
        return
    bounds = _INT_RANGES.get(schema.get("format", ""))
    if bounds is not None and type(value) is int and not bounds[0] <= value <= bounds[1]:
        problems.append(
            SchemaProblem(
                path,
                f"must be a whole number from {bounds[0]} to {bounds[1]} "
                f"({schema['format']}), not {value}",
                "schema-range",
            )
        )
        return
    if schema.keys() <= {"type", "format"} and type(value) in (str, int, bool) and bounds is None:
        _LEAF[id(original)] = type(value)  # any value of this type passes: skip the call next time
    if "enum" in schema and value is not None and value not in schema["enum"]:
        choices = ", ".join(repr(e) for e in schema["enum"])
        problems.append(
            SchemaProblem(path, f"must be {choices}, not {quoted(value)}", "schema-enum")
        )
    if isinstance(value, dict):
        _check_object(value, schema, path, problems)
    elif isinstance(value, list) and "items" in schema:
        items = schema["items"]
        for index, item in enumerate(value):
            _check(item, items, (*path, index), problems)


def _type_problem(value: Any, schema: dict[str, Any], path: Path) -> SchemaProblem:
    expected = _expected(schema)
    hint = ""
    if expected == "a string" and isinstance(value, int | float | bool):
        hint = f' (quote it: "{str(value).lower() if isinstance(value, bool) else value}")'
    return SchemaProblem(path, f"expected {expected}, got {_type_name(value)}{hint}", "schema-type")


def _check_object(
    value: dict[str, Any], schema: dict[str, Any], path: Path, problems: list[SchemaProblem]
) -> None:
    properties: dict[str, Any] = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            if _LEAF.get(id(properties[key])) is not type(item):
                _check(item, properties[key], (*path, key), problems)
        elif extra is False:
            problems.append(
                SchemaProblem((*path, key), _unknown_field(key, properties), "schema-unknown-field")
            )
        elif isinstance(extra, dict):
            _check(item, extra, (*path, key), problems)
    for key in schema.get("required", ()):
        if key not in value and not _defaulted(path, key):
            problems.append(
                SchemaProblem(path, f"missing required field {quoted(key)}", "schema-required")
            )


def _defaulted(path: Path, key: str) -> bool:
    """A field some releases' schemas require that the API server defaults before validating.

    The server never enforces OpenAPI `required` for its own kinds; its defaults run first.

    A pod failure policy's onPodConditions[].status: 1.29-1.34's schemas require it, but
    pkg/apis/batch/v1/defaults.go SetDefaults_PodFailurePolicyOnPodConditionsPattern sets
    `if obj.Status == "" { obj.Status = corev1.ConditionTrue }` in every one of them.
    """
    return key == "status" and len(path) >= 2 and path[-2] == "onPodConditions"


_QUANTITY = "#/$defs/io.k8s.apimachinery.pkg.api.resource.Quantity"
_FORMAT_WRONG = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)
_SUFFIXES = frozenset({"", "n", "u", "m", "k", "M", "G", "T", "P", "E"}) | {
    f"{p}i" for p in "KMGTPE"
}
_DIGITS = "0123456789"
_EXPONENT = re.compile(r"[eE][+-]?[0-9]+")


def quantity_problem(text: str) -> str | None:
    """Why strict decoding refuses `text` as a resource.Quantity (`1GB`), or None.

    A port of resource.ParseQuantity's reading (parseQuantityString, then the suffix), with
    its two errors: the format, and a suffix it cannot interpret.
    """
    text = text.strip()  # Quantity.UnmarshalJSON trims spaces
    if not text:
        return _FORMAT_WRONG
    pos = 1 if text[0] in "+-" else 0
    while pos < len(text) and text[pos] in _DIGITS:
        pos += 1
    if pos < len(text) and text[pos] == ".":
        pos += 1
        while pos < len(text) and text[pos] in _DIGITS:
            pos += 1
    start = pos
    while pos < len(text) and text[pos] in "eEinumkKMGTP":
        pos += 1
    if pos < len(text) and text[pos] in "+-":
        pos += 1
    while pos < len(text) and text[pos] in _DIGITS:
        pos += 1
    if pos < len(text):
        return _FORMAT_WRONG
    suffix = text[start:]
    if suffix not in _SUFFIXES and not _EXPONENT.fullmatch(suffix):
        return "unable to parse quantity's suffix"
    return None


_LINE_NUMBER = re.compile(r"^\s*\d+[\s.:)]+[A-Za-z]")


def _unknown_field(key: str, properties: dict[str, Any]) -> str:
    hint = closest(key, properties)
    if hint is None:
        hint = {k.lower(): k for k in properties}.get(key.lower())
    if hint is not None:
        return f"unknown field {quoted(key)}; did you mean {quoted(hint)}?"
    # A key that belongs one level down (`command:` indented as if it were the pod's) is the
    # classic mis-indentation; say where it goes.
    for name, schema in properties.items():
        child = _resolve(schema)
        if "items" in child:
            child = _resolve(child["items"])
        if key in child.get("properties", {}):
            return (
                f"unknown field {quoted(key)}; it is a field of each of `{name}`: "
                "indent it under one"
            )
    return f"unknown field {quoted(key)}"
