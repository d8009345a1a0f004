"""Regenerate podgen/_checking/schemas/k8s-1.37.json from kubernetes-validate's 1.37 strict schemas.

podgen validates every built-in kind of Kubernetes 1.37 (issue 15: ConfigMap, Secret,
Ingress, RBAC, ... besides the kinds that run pods) against the 1.37 OpenAPI schema, applied
strictly. kubernetes-validate (a test dependency, 108 MB installed) ships that schema; podgen
ships the definitions those kinds reach, without descriptions, compactly.
tests/test_k8s_schema.py fails when the vendored file no longer matches what this script
produces. Run: python tools/vendor_k8s_schema.py
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

VERSION = "1.37"
#: Kinds in the schema that are not objects people apply (lists, and the API's own messages).
_NOT_OBJECTS = frozenset(
    {"APIGroup", "APIGroupList", "APIResourceList", "APIVersions", "DeleteOptions", "Status"}
    | {"WatchEvent"}
)
#: Fields the OpenAPI schema marks required that the API server does not require (each
#: judged by the real server in tests/test_rules_crd_generated.py): a CRD version's served and
#: storage are false when left out, and a webhook block under strategy None needs no
#: conversionReviewVersions (under Webhook, the CRD rules require them, as the server does).
_NOT_REQUIRED = {
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion": {
        "served",
        "storage",
    },
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.WebhookConversion": {
        "conversionReviewVersions"
    },
}
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "podgen" / "_checking" / "schemas" / f"k8s-{VERSION}.json"


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):  # (JSONSchemaProps has a "$ref" field)
                yield value.split("#/$defs/")[-1]
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


#: Keywords whose value is one schema (or, for `items` and `additionalProperties`, a list of
#: schemas or a boolean), a map of names to schemas, or a list of schemas. Every other keyword's
#: value is data (`enum`, `default`, `x-kubernetes-*`), kept as it is.
_SCHEMA_KEYWORDS = frozenset({"items", "additionalProperties", "not"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})


def _strip(schema: Any) -> Any:
    """Drop a schema's documentation and point every $ref at this file's own $defs.

    Only the `description` keyword of a schema is documentation: a property named
    `description` (PriorityClass's, JSONSchemaProps', a printer column's) is a field of the
    object and stays, as do the names in `properties` that match other keywords (`type`,
    `format`, `default`, `$ref`, ... in JSONSchemaProps).
    """
    if isinstance(schema, list):
        return [_strip(item) for item in schema]
    if not isinstance(schema, dict):
        return schema  # `additionalProperties: false`
    stripped: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "description":
            continue
        if key == "$ref" and isinstance(value, str):
            stripped[key] = "#/$defs/" + value.split("#/$defs/")[-1]
        elif key in _SCHEMA_KEYWORDS or key in _SCHEMA_LISTS:
            stripped[key] = _strip(value)
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            stripped[key] = {name: _strip(item) for name, item in value.items()}
        else:
            stripped[key] = value
    return stripped


def _required(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The definition without the required fields the server does not require."""
    dropped = _NOT_REQUIRED.get(name, set())
    if not dropped:
        return schema
    required = [key for key in schema.get("required", []) if key not in dropped]
    return {key: value for key, value in schema.items() if key != "required"} | (
        {"required": required} if required else {}
    )


def build() -> dict[str, Any]:
    """The vendored schema, from the installed kubernetes-validate."""
    import kubernetes_validate

    folder = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    folder = folder / f"v{VERSION}.0-local-strict"
    definitions = json.loads((folder / "_definitions.json").read_text())["$defs"]
    kinds = {}
    for definition in definitions.values():
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            kind = gvk["kind"]
            if kind.endswith("List") or kind in _NOT_OBJECTS:
                continue
            api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            kinds.setdefault(f"{api_version}/{kind}", definition)
    needed: set[str] = set()
    stack = [ref for schema in kinds.values() for ref in _refs(schema)]
    while stack:
        name = stack.pop()
        if name not in needed:
            needed.add(name)
            stack.extend(_refs(definitions[name]))
    return {
        "$comment": (
            f"Kubernetes {VERSION} OpenAPI schema (strict) for every built-in kind, from "
            "kubernetes-validate (Apache-2.0), descriptions removed. Regenerate with "
            "tools/vendor_k8s_schema.py."
        ),
        "kinds": {kind: _strip(schema) for kind, schema in kinds.items()},
        "$defs": {name: _required(name, _strip(definitions[name])) for name in sorted(needed)},
    }


def render() -> str:
    """The file's exact text."""
    # One definition per line: small to ship and to load, and a change shows as a line.
    schema = build()
    lines = [
        json.dumps({"$comment": schema["$comment"]})[:-1] + ",",
        '"kinds": {',
        ",\n".join(
            f"{json.dumps(key)}: {json.dumps(value, sort_keys=True, separators=(',', ':'))}"
            for key, value in sorted(schema["kinds"].items())
        ),
        '}, "$defs": {',
        ",\n".join(
            f"{json.dumps(key)}: {json.dumps(value, sort_keys=True, separators=(',', ':'))}"
            for key, value in sorted(schema["$defs"].items())
        ),
        "}}",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render())
    sys.stdout.write(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)\n")
