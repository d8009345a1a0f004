"""The vendored Kubernetes schemas: fresh, and in agreement with kubernetes-validate."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from podgen._checking.k8s_schema import schema_problems
from tests.conftest import load_tool

ROOT = Path(__file__).resolve().parent.parent


def test_vendored_schemas_are_what_the_tool_generates() -> None:
    """Every file: the shared definitions and each release's index, and no other."""
    tool = load_tool("vendor_k8s_schema")
    files = tool.render()
    assert sorted(path.name for path in tool.FOLDER.iterdir()) == sorted(files)
    for name, text in files.items():
        assert (tool.FOLDER / name).read_text() == text, "run: python tools/vendor_k8s_schema.py"


AGREEMENT = [
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: b}]}\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {contatiners: []}\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, port: 80}]}\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"
    "spec: {containers: [{name: a, env: [{name: X, value: 3306}]}]}\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n"
    "spec: {ports: [{port: 80, targetPort: http}], selector: {a: b}}\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: '80'}]}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n"
    "spec: {selector: {}, template: {spec: {containers: [\n"
    "  {name: a, resources: {limits: {cpu: 1}}}]}}}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: two}\n",
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labelz: {}}\n",
]


@pytest.mark.parametrize("text", AGREEMENT)
def test_agrees_with_kubernetes_validate(text: str) -> None:
    obj = yaml.safe_load(text)
    ours = list(schema_problems(obj))
    try:
        kubernetes_validate.validate(obj, "1.37", strict=True)
        theirs_ok = True
    except kubernetes_validate.ValidationError:
        theirs_ok = False
    assert (not ours) == theirs_ok, ours
