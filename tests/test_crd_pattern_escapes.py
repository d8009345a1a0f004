r"""Go's octal escapes in a CRD's pattern (`\101` is "A"; a lone `\1` is refused), judged by
the real server: the CRD's verdict, and a custom resource's against the pattern."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from podgen._checking.crd_schema import schema_violations
from podgen._checking.validate import validate_manifest_text
from tests.apiserver import ApiServer
from tests.crd_builder import crd

GROUP = "escapes.podgen.test"


def _crd(pattern: str) -> dict[str, Any]:
    code = {"type": "string", "pattern": pattern}
    spec = {"type": "object", "properties": {"code": code}}
    return crd(GROUP, "Code", schema={"type": "object", "properties": {"spec": spec}})


@pytest.mark.parametrize(
    ("pattern", "values"),
    [
        (r"^\101$", ["A", "101", "a"]),
        (r"^[\101-\132]+$", ["ABC", "abc"]),
        (r"^x\0y$", ["x\0y", "x0y"]),
        (r"^\18$", []),
        (r"^\1$", []),
        (r"^\08$", ["\x008", "08"]),
    ],
)
def test_octal_escapes_read_as_go_reads_them(
    api_server: ApiServer, pattern: str, values: list[str]
) -> None:
    crd = _crd(pattern)
    created = api_server.request(
        "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All", crd
    )
    findings = validate_manifest_text(yaml.safe_dump(crd), "crd.yaml")
    refused = any(f.severity == "error" for f in findings)
    assert refused == (created[0] >= 300), (findings, created[1].get("message"))
    if refused:
        return
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    with api_server.installed([crd]):
        for value in values:
            obj = {"apiVersion": f"{GROUP}/v1", "kind": "Code", "metadata": {"name": "c"}}
            obj["spec"] = {"code": value}
            ours = [v for v in schema_violations(obj, schema)[0] if not v.warning]
            assert bool(ours) == (not api_server.verdict(obj).accepted), (pattern, value, ours)
