"""CustomResourceDefinition rules, each case judged by the real API server (issue 22)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from podgen._checking.checks import violations
from tests.apiserver import ApiServer

Obj = dict[str, Any]

BASE: Obj = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.demo.example.com"},
    "spec": {
        "group": "demo.example.com",
        "scope": "Namespaced",
        "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {
                            "spec": {
                                "type": "object",
                                "properties": {
                                    "items": {
                                        "type": "array",
                                        "x-kubernetes-list-type": "map",
                                        "x-kubernetes-list-map-keys": ["name"],
                                        "items": {
                                            "type": "object",
                                            "required": ["name"],
                                            "properties": {"name": {"type": "string"}},
                                        },
                                    }
                                },
                            }
                        },
                    }
                },
                "additionalPrinterColumns": [
                    {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}
                ],
            }
        ],
    },
}
V0 = "spec.versions[0]"
ITEMS = f"{V0}.schema.openAPIV3Schema.properties[spec].properties[items]"


def _items(obj: Obj) -> Obj:
    schema = obj["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    return schema["properties"]["spec"]["properties"]["items"]  # type: ignore[no-any-return]


def _second_storage_version(obj: Obj) -> None:
    obj["spec"]["versions"].append({**copy.deepcopy(obj["spec"]["versions"][0]), "name": "v2"})


CASES: list[tuple[str, Callable[[Obj], object], set[tuple[str, str]]]] = [
    ("valid", lambda o: None, set()),
    (
        "name-not-plural-group",
        lambda o: o["metadata"].update(name="gadgets.demo.example.com"),
        {("metadata.name", "crd-name")},
    ),
    (
        "generate-name-only",
        lambda o: o.update(metadata={"generateName": "widgets-"}),
        {("metadata.name", "crd-name")},
    ),
    (
        "scope-lower-case",
        lambda o: o["spec"].update(scope="namespaced"),
        {("spec.scope", "crd-scope")},
    ),
    (
        "no-storage-version",
        lambda o: o["spec"]["versions"][0].update(storage=False),
        {("spec.versions", "crd-versions")},
    ),
    ("two-storage-versions", _second_storage_version, {("spec.versions", "crd-versions")}),
    (
        "printer-column-type",
        lambda o: o["spec"]["versions"][0]["additionalPrinterColumns"][0].update(type="strin"),
        {(f"{V0}.additionalPrinterColumns[0].type", "crd-printer-column")},
    ),
    (
        "list-map-without-keys",
        lambda o: _items(o).pop("x-kubernetes-list-map-keys"),
        {(f"{ITEMS}.x-kubernetes-list-map-keys", "crd-schema")},
    ),
]


@pytest.mark.parametrize(("case", "mistake", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_crd_rule_as_the_server_judges_it(
    api_server: ApiServer, case: str, mistake: Callable[[Obj], object], expected: set[Any]
) -> None:
    obj = copy.deepcopy(BASE)
    mistake(obj)
    found = {(v.path, v.rule) for v in violations(obj) if v.rule.startswith("crd-")}
    assert found == expected
    verdict = api_server.verdict(obj)
    assert verdict.accepted == (not expected), verdict.message
