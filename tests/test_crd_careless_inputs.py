"""What a careless user gives validate around custom resources, judged by the real server
where a verdict is asked: a broken CRD passed with --crd, a missing required field beside a
CEL rule, a custom resource nested hundreds of levels deep."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.apiserver import ApiServer
from tests.conftest import run_podgen
from tests.crd_builder import crd

GROUP = "careless.podgen.test"


def _crd(spec_schema: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"spec": spec_schema}}
    return crd(GROUP, "Probe", schema=schema)


def _probe(spec: Any) -> dict[str, Any]:
    return {"apiVersion": f"{GROUP}/v1", "kind": "Probe", "metadata": {"name": "p"}, "spec": spec}


TAGGED = {
    "type": "object",
    "required": ["tags"],
    "x-kubernetes-validations": [{"rule": "size(self.tags) > 0", "message": "needs a tag"}],
    "properties": {
        "tags": {"type": "array", "items": {"type": "string"}},
        "config": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    },
}


def test_a_broken_crd_given_with_crd_is_named_where_it_is_wrong(tmp_path: Path) -> None:
    crd = _crd(TAGGED)
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"] = 5
    (tmp_path / "crd.yaml").write_text(yaml.safe_dump(crd))
    (tmp_path / "probe.yaml").write_text(yaml.safe_dump(_probe({"tags": ["a"]})))
    run = run_podgen(
        ["validate", str(tmp_path / "probe.yaml"), "--crd", str(tmp_path / "crd.yaml")]
    )
    assert run.code == 1
    assert "crd.yaml:" in run.stdout and "openAPIV3Schema: expected a map" in run.stdout


def test_a_crd_file_that_is_not_yaml_is_an_error_not_a_missing_crd(tmp_path: Path) -> None:
    (tmp_path / "crd.yaml").write_text("kind: [CustomResourceDefinition\n")
    (tmp_path / "probe.yaml").write_text(yaml.safe_dump(_probe({"tags": ["a"]})))
    run = run_podgen(
        ["validate", str(tmp_path / "probe.yaml"), "--crd", str(tmp_path / "crd.yaml")]
    )
    assert run.code == 1
    assert "crd.yaml:" in run.stdout and "[yaml]" in run.stdout


def test_a_missing_required_field_stops_the_cel_rules_as_on_the_server(
    api_server: ApiServer, tmp_path: Path
) -> None:
    crd, probe = _crd(TAGGED), _probe({})
    with api_server.installed([crd]):
        verdict = api_server.verdict(probe)
    assert not verdict.accepted
    assert not any("needs a tag" in cause.get("message", "") for cause in verdict.causes)
    (tmp_path / "crd.yaml").write_text(yaml.safe_dump(crd))
    (tmp_path / "probe.yaml").write_text(yaml.safe_dump(probe))
    run = run_podgen(["validate", "--format", "json", str(tmp_path)])
    findings = json.loads(run.stdout)["findings"]
    errors = [(f["rule"], f["message"]) for f in findings if f["severity"] == "error"]
    assert [rule for rule, _ in errors] == ["crd-required"], errors
    assert any(f["rule"] == "crd-cel-blocked" for f in findings)


def test_a_custom_resource_nested_400_levels_deep_is_checked_with_the_others(
    api_server: ApiServer, tmp_path: Path
) -> None:
    deep: Any = {"leaf": 1}
    for _ in range(400):
        deep = {"a": deep}
    crd, probe = _crd(TAGGED), _probe({"tags": ["a"], "config": deep})
    with api_server.installed([crd]):
        assert api_server.verdict(probe).accepted
    (tmp_path / "crd.yaml").write_text(yaml.safe_dump(crd))
    (tmp_path / "deep.json").write_text(json.dumps(probe))
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(_probe({"tags": []})))
    run = run_podgen(["validate", "--format", "json", str(tmp_path)])
    findings = json.loads(run.stdout)["findings"]
    assert [(Path(f["file"]).name, f["rule"]) for f in findings if f["severity"] == "error"] == [
        ("other.yaml", "crd-cel")
    ]
