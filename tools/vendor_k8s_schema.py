"""Regenerate podgen/_checking/schemas/ from kubernetes-validate's strict schemas, 1.29 to 1.37.

podgen validates every built-in kind (issue 15: ConfigMap, Secret, Ingress, RBAC, ... besides
the kinds that run pods) against the OpenAPI schema of the release it targets (issue 26:
`--k8s-version`), applied strictly. kubernetes-validate (a test dependency, 108 MB installed)
ships those schemas; podgen ships the definitions the kinds reach, without descriptions.

Compactly: most definitions are the same text from one release to the next, so each distinct
text is stored once, in k8s-definitions.json (one `[name, schema]` entry a line), and each
release has a small index, k8s-1.X-index.json, listing the entries it is made of. Checking for one
release reads the shared file and that release's index, nothing else.
tests/test_k8s_schema.py fails when the vendored files no longer match what this script
produces. Run: python tools/vendor_k8s_schema.py
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
FOLDER = ROOT / "podgen" / "_checking" / "schemas"
#: The file of every distinct kind and definition text, shared by the releases' indexes.
SHARED = "k8s-definitions.json"


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


#: A schema's keywords that the checker never reads: its documentation, and the kinds a
#: definition is served as (a kind's entry is named by them already; DeleteOptions lists every
#: group's, a new list each release).
_DOCUMENTATION = frozenset({"description", "x-kubernetes-group-version-kind"})


def _strip(schema: Any) -> Any:
    """Drop a schema's documentation and point every $ref at this file's own $defs.

    Only the `description` (and `x-kubernetes-group-version-kind`) keyword of a schema is
    dropped: a property named
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
        if key in _DOCUMENTATION:
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


def release_kinds(version: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Kubernetes `version`'s definitions, and its kinds ("apiVersion/Kind" to definition).

    As kubernetes-validate ships them; tools/api_lifecycle.py reads the kinds from here too.
    """
    import kubernetes_validate

    folder = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    folder = folder / f"v{version}.0-local-strict"
    definitions = json.loads((folder / "_definitions.json").read_text())["$defs"]
    kinds: dict[str, Any] = {}
    for definition in definitions.values():
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            kind = gvk["kind"]
            if kind.endswith("List") or kind in _NOT_OBJECTS:
                continue
            api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            kinds.setdefault(f"{api_version}/{kind}", definition)
    return definitions, kinds


def build(version: str) -> dict[str, Any]:
    """One release's schema (its kinds and the definitions they reach), from kubernetes-validate."""
    definitions, kinds = release_kinds(version)
    needed: set[str] = set()
    stack = [ref for schema in kinds.values() for ref in _refs(schema)]
    while stack:
        name = stack.pop()
        if name not in needed:
            needed.add(name)
            stack.extend(_refs(definitions[name]))
    return {
        "kinds": {kind: _strip(schema) for kind, schema in kinds.items()},
        "$defs": {name: _required(name, _strip(definitions[name])) for name in sorted(needed)},
    }


def _text(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True, separators=(",", ":"))


def render() -> dict[str, str]:
    """Every vendored file's name and exact text: the shared definitions, one index a release."""
    from podgen._model.versions import SUPPORTED

    # (name, text) -> its entry; a kind is named `apiVersion/Kind`, a definition by its dotted
    # Go name (no `/`), so one list holds both.
    releases: dict[str, set[tuple[str, str]]] = {}
    first: dict[tuple[str, str], int] = {}
    for order, version in enumerate(SUPPORTED):
        schema = build(version)
        if any("/" in name for name in schema["$defs"]):
            raise SystemExit(f"{version}: a definition named like a kind (with a /)")
        pairs = {
            (name, _text(value))
            for part in ("kinds", "$defs")
            for name, value in schema[part].items()
        }
        releases[version] = pairs
        for pair in pairs:
            first.setdefault(pair, order)
    # By name, then by the release that first has that text: a reader sees a definition's
    # versions one after another, oldest first.
    entries = sorted(first, key=lambda pair: (pair[0], first[pair]))
    number = {pair: index for index, pair in enumerate(entries)}
    comment = (
        f"Kubernetes {SUPPORTED[0]} to {SUPPORTED[-1]} OpenAPI schemas (strict) for every "
        "built-in kind, from kubernetes-validate (Apache-2.0), descriptions removed: each "
        "distinct kind (named apiVersion/Kind) or definition once, one [name, schema] a line; "
        "k8s-1.X-index.json lists a release's entries. Regenerate with tools/vendor_k8s_schema.py."
    )
    # One entry per line: small to ship and to load (the checker parses the few lines a
    # manifest reaches), and a change shows as a line.
    lines = [
        json.dumps({"$comment": comment})[:-1] + ",",
        '"entries": [',
        ",\n".join(f"[{json.dumps(name)},{text}]" for name, text in entries),
        "]}",
    ]
    files = {SHARED: "\n".join(lines) + "\n"}
    for version, pairs in releases.items():
        index = {
            "$comment": f"Kubernetes {version}: its entries (from 0) in {SHARED}.",
            "entries": sorted(number[pair] for pair in pairs),
        }
        files[f"k8s-{version}-index.json"] = json.dumps(index, separators=(",", ":")) + "\n"
    return files


def main() -> None:
    """Write the files, and remove vendored files no longer made (a release left the range)."""
    files = render()
    for stale in sorted(FOLDER.glob("k8s-*.json")):
        if stale.name not in files:
            stale.unlink()
    total = 0
    for name, text in files.items():
        (FOLDER / name).write_text(text)
        total += len(text.encode())
    sys.stdout.write(f"wrote {len(files)} files in {FOLDER} ({total} bytes)\n")


if __name__ == "__main__":
    main()
