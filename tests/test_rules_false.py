"""False errors (issue 22): valid objects podgen refused, each judged by the real API server.

Every case is sent to the real kube-apiserver (a dry run with strict field validation) and to
podgen: validate must report no error where the server accepts, and a warning (with its rule
id) where the server accepts with an API warning; import and render must keep the object.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from podgen._checking.validate import ERROR, WARNING, Finding, validate_manifest_text
from tests.apiserver import ApiServer
from tests.conftest import parse_documents, run_podgen

Obj = dict[str, Any]


def _findings(obj: Obj) -> list[Finding]:
    return validate_manifest_text(yaml.safe_dump(obj, sort_keys=False), "m.yaml")


def _errors(obj: Obj) -> list[Finding]:
    return [f for f in _findings(obj) if f.severity == ERROR]


def _imported_and_rendered(obj: Obj, tmp_path: Path) -> None:
    """`podgen import` keeps the object, and rendering its blueprint gives it back."""
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(obj, sort_keys=False))
    imported = run_podgen(["import", str(tmp_path / "m.yaml")])
    assert (imported.code, imported.stderr) == (0, ""), imported
    (tmp_path / "blueprint.yaml").write_text(imported.stdout)
    rendered = run_podgen(["render", str(tmp_path / "blueprint.yaml")])
    assert (rendered.code, rendered.stderr) == (0, ""), rendered
    assert parse_documents(rendered.stdout, "yaml") == [obj]


def _rendered_as_object(obj: Obj, tmp_path: Path) -> None:
    """A blueprint's `objects:` entry renders as written."""
    blueprint = {"apiVersion": "podgen.dev/v1", "kind": "Blueprint", "objects": [obj]}
    (tmp_path / "objects.yaml").write_text(yaml.safe_dump(blueprint, sort_keys=False))
    rendered = run_podgen(["render", str(tmp_path / "objects.yaml")])
    assert (rendered.code, rendered.stderr) == (0, ""), rendered
    assert parse_documents(rendered.stdout, "yaml") == [obj]


# 1. `description` is a property, not only documentation ----------------------------------------


def _schema(depth: int) -> Obj:
    """A JSONSchemaProps using every field, properties named like keywords included."""
    leaf: Obj = {"type": "string", "description": "a leaf", "title": "Leaf"}
    node: Obj = {
        "type": "object",
        "description": "every JSONSchemaProps field",
        "title": "Everything",
        "required": ["description", "type"],
        "externalDocs": {"description": "the guide", "url": "https://example.com/guide"},
        "properties": {
            name: dict(leaf)
            for name in (
                "description",
                "type",
                "format",
                "default",
                "enum",
                "example",
                "title",
                "required",
                "items",
                "properties",
                "$ref",
                "nullable",
                "pattern",
            )
        },
        "x-kubernetes-validations": [
            {"rule": "self.type != ''", "message": "type is required"},
        ],
    }
    node["properties"]["count"] = {
        "type": "integer",
        "format": "int32",
        "minimum": 0,
        "maximum": 10,
        "default": 1,
        "example": 3,
        "enum": [1, 2, 3],
        "description": "a number",
    }
    node["properties"]["list"] = {
        "type": "array",
        "items": {"type": "string", "description": "an item", "maxLength": 10},
        "maxItems": 5,
        "x-kubernetes-list-type": "set",
    }
    node["properties"]["anything"] = {
        "x-kubernetes-preserve-unknown-fields": True,
        "description": "kept as written",
    }
    node["properties"]["port"] = {
        "x-kubernetes-int-or-string": True,
        "anyOf": [{"type": "integer"}, {"type": "string"}],
    }
    node["properties"]["labels"] = {
        "type": "object",
        "additionalProperties": {"type": "string", "description": "a label value"},
    }
    if depth:
        node["properties"]["nested"] = _schema(depth - 1)
    return node


CRD: Obj = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "names": {
            "kind": "Widget",
            "plural": "widgets",
            "singular": "widget",
            "listKind": "WidgetList",
        },
        "scope": "Namespaced",
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "description": "Widget is a thing",
                        "properties": {"spec": _schema(1)},
                    }
                },
                "additionalPrinterColumns": [
                    {
                        "name": "Count",
                        "type": "integer",
                        "jsonPath": ".spec.count",
                        "description": "how many",
                    }
                ],
            }
        ],
    },
}

PRIORITY_CLASS: Obj = {
    "apiVersion": "scheduling.k8s.io/v1",
    "kind": "PriorityClass",
    "metadata": {"name": "batch-low"},
    "value": 1000,
    "globalDefault": False,
    "description": "for batch jobs that may wait",
}

DESCRIBED = {"crd": CRD, "priority-class": PRIORITY_CLASS}


@pytest.mark.parametrize("name", sorted(DESCRIBED))
def test_a_property_named_description_is_a_field(
    name: str, api_server: ApiServer, tmp_path: Path
) -> None:
    obj = DESCRIBED[name]
    assert api_server.verdict(obj).accepted
    assert _errors(obj) == []
    _imported_and_rendered(copy.deepcopy(obj), tmp_path)
    _rendered_as_object(copy.deepcopy(obj), tmp_path)


def test_a_misspelt_crd_field_is_still_refused(api_server: ApiServer) -> None:
    """The properties stay strict: only real field names were restored."""
    bad = copy.deepcopy(CRD)
    bad["spec"]["versions"][0]["additionalPrinterColumns"][0]["descripton"] = "typo"
    verdict = api_server.verdict(bad)
    assert not verdict.accepted and "descripton" in verdict.message
    assert [f.rule for f in _errors(bad)] == ["schema-unknown-field"]


def test_the_vendored_schema_keeps_every_property() -> None:
    """Every property of kubernetes-validate's schema is in the vendored one, by its name."""
    from tests.conftest import load_tool

    tool = load_tool("vendor_k8s_schema")
    source = json.loads(
        (
            Path(__import__("kubernetes_validate").__file__).parent
            / "kubernetes-json-schema"
            / f"v{tool.VERSION}.0-local-strict"
            / "_definitions.json"
        ).read_text()
    )["$defs"]
    vendored = tool.build()["$defs"]
    for name, definition in vendored.items():
        assert sorted(definition.get("properties", {})) == sorted(
            source[name].get("properties", {})
        ), name
