"""Both explain renderers on a custom resource's schema, against kubectl explain 1.37.

A CRD of this test's own group, shaped to reach what built-in kinds never have: enums of
numbers and booleans and with "", externalDocs, a description with a code block and a list,
x-kubernetes-preserve-unknown-fields (at the root of a version too), int-or-string, nullable,
embedded resources, arrays of arrays, maps of objects, oneOf. It is installed into the shared
server, its published /openapi/v3 document is read back, and every field path, --recursive and
--max-depth of both outputs are compared byte for byte (plaintext-openapiv2 as kubectl reads
the server's v2 document, which publishes such a schema differently).
"""

from __future__ import annotations

import time
from typing import Any

from podgen._explaining.openapiv2 import explain_openapiv2
from podgen._explaining.plaintext import explain_plaintext
from tests.explain_cases import Documents, Resource, case, field_paths, mismatches
from tests.explain_peer import ExplainPeer

GROUP = "render.explain-test.podgen.dev"
LONG = "Ünïcödé name, with a long description of many words so that it wraps, and more words"
SPEC: dict[str, Any] = {
    "type": "object",
    "required": ["size", "locked"],
    "externalDocs": {"url": "https://example.com/spec"},
    "properties": {
        "size": {"type": "integer", "enum": [1, 2, 3, 1000000, 5], "description": "The size."},
        "ratio": {"type": "number", "enum": [0.5, 1.5e-7, 2.0]},
        "flag": {"type": "boolean", "enum": [True, False]},
        "mode": {"type": "string", "enum": ["", "Fast", "Slow"], "default": "Fast"},
        "port": {"x-kubernetes-int-or-string": True, "description": "A port."},
        "anything": {"x-kubernetes-preserve-unknown-fields": True, "description": "Free."},
        "locked": {"type": "string", "nullable": True},
        "embedded": {
            "type": "object",
            "x-kubernetes-embedded-resource": True,
            "x-kubernetes-preserve-unknown-fields": True,
        },
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "nested": {
            "type": "array",
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "description": LONG},
                        "objs": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "object",
                                "properties": {"x": {"type": "string", "nullable": True}},
                            },
                        },
                    },
                },
            },
        },
        "choice": {
            "type": "object",
            "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        },
        "nodesc": {"type": "string"},
    },
}
CRD: dict[str, Any] = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": f"widgets.{GROUP}"},
    "spec": {
        "group": GROUP,
        "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
        "scope": "Namespaced",
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "description": "A widget.\n\nIt has:\n    a code block line that is long"
                        " enough to go on past the width of the page, for sure\n  - a list\n"
                        "  - another item",
                        "externalDocs": {
                            "description": "More about widgets: a long description of the"
                            " external documentation, that wraps around the page",
                            "url": "https://example.com/widgets",
                        },
                        "properties": {
                            "spec": SPEC,
                            "status": {
                                "type": "object",
                                "x-kubernetes-preserve-unknown-fields": True,
                            },
                        },
                    }
                },
            },
            {
                "name": "v2",
                "served": True,
                "storage": False,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "x-kubernetes-preserve-unknown-fields": True,
                    }
                },
            },
        ],
    },
}


def published(documents: Documents, version: str) -> str:
    """The Widget's schema name, once the server's OpenAPI v3 document has it."""
    deadline = time.monotonic() + 60
    wanted = {"group": GROUP, "version": version, "kind": "Widget"}
    while time.monotonic() < deadline:
        status, body, _ = documents.server.request("GET", f"/openapi/v3/apis/{GROUP}/{version}")
        for name, schema in (body.get("components") or {}).get("schemas", {}).items():
            if status == 200 and wanted in schema.get("x-kubernetes-group-version-kind", []):
                return name
        time.sleep(0.2)
    raise AssertionError(f"{GROUP}/{version} was not published within 60 s")


def test_a_custom_resource_in_both_outputs(explain_peer: ExplainPeer) -> None:
    with explain_peer.server.installed([CRD]):
        documents = Documents(explain_peer)
        names = {version: published(documents, version) for version in ("v1", "v2")}
        peer = explain_peer.fresh()
        cases = []
        for version, name in names.items():
            resource = Resource(f"{GROUP}/{version}", "widgets", "Widget", name)
            paths = [(), *field_paths(documents.schemas(resource.group_version), name, 6)]
            for output, renderer in (
                ("plaintext", explain_plaintext),
                ("plaintext-openapiv2", explain_openapiv2),
            ):
                flag = f"--output={output}"
                for path in [*paths, ("nosuchfield",), ("spec", "nosuchfield", "deeper")]:
                    cases.append(case(documents, renderer, resource, path, flag))
                for path in paths[:3]:
                    cases.append(
                        case(documents, renderer, resource, path, flag, "-R", recursive=True)
                    )
                    for depth in (1, 2):
                        cases.append(
                            case(
                                documents,
                                renderer,
                                resource,
                                path,
                                flag,
                                "-R",
                                f"--max-depth={depth}",
                                recursive=True,
                                max_depth=depth,
                            )
                        )
        count, failures = mismatches(peer, cases)
    assert count > 150
    assert not failures, f"{len(failures)} of {count} differ:\n" + "\n".join(failures[:5])
