"""Custom resources judged by the real API server with their CRDs installed.

Versions (served, unserved, deprecated), scope, and metadata: podgen's verdict on each object
(through `podgen validate --crd`) must be the server's, on the same fields; what the server
accepts with a warning, podgen warns of. Groups under wiring.podgen.test, this suite's own.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tests.apiserver import ApiServer
from tests.conftest import run_podgen
from tests.test_crd_wiring import CERT, GROUP, ISSUER, Obj, cr, findings, rules, write

METADATA_CASES: list[Obj] = [
    {"name": "web"},
    {"name": "web.example-1"},
    {"name": "Web"},
    {"name": "web_1"},
    {"name": "a" * 253},
    {"name": "a" * 254},
    {"name": "-web"},
    {"generateName": "web-"},
    {"generateName": "Web-"},
    {"name": "web", "labels": {"app": "web"}},
    {"name": "web", "labels": {"app": "b c"}},
    {"name": "web", "labels": {"-bad": "x"}},
    {"name": "web", "annotations": {"example.com/a": "x"}},
    {"name": "web", "annotations": {"bad key": "x"}},
    {"name": "web", "finalizers": ["example.com/cleanup"]},
    {"name": "web", "finalizers": ["cleanup"]},
    {"name": "web", "finalizers": ["kubernetes"]},
    {"name": "web", "finalizers": ["bad finalizer"]},
    {"name": "web", "namespace": "shop"},
    {"name": "web", "labels": {"example.com/" + "k" * 64: "x"}},
    {"name": "web", "labels": {"app": "v" * 64}},
    {"name": "web", "annotations": {"big": "x" * 262145}},
    {"name": "web", "finalizers": ["orphan", "foregroundDeletion"]},
    {
        "name": "web",
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}],
    },
    {
        "name": "web",
        "ownerReferences": [
            {"apiVersion": "v1", "kind": "Pod", "name": n, "uid": n, "controller": True}
            for n in ("a", "b")
        ],
    },
]


def _podgen_verdict(tmp_path: Path, obj: Obj, crds: list[Obj]) -> tuple[set[str], bool]:
    """The fields podgen's errors name, and whether it warns (beyond kind-unchecked)."""
    manifest = write(tmp_path / "cr.yaml", obj)
    crd_file = write(tmp_path / "crds.yaml", *crds)
    _, found = findings(str(manifest), "--crd", str(crd_file))
    fields = {f["message"].split(":")[0] for f in found if f["severity"] == "error"}
    return fields, any(f["severity"] == "warning" for f in found)


def test_versions_scope_and_metadata_agree_with_the_server(
    api_server: ApiServer, tmp_path: Path
) -> None:
    cases = [cr(**metadata) for metadata in METADATA_CASES]
    cases += [
        {k: v for k, v in cr().items() if k != "metadata"},  # no metadata: no name
        cr(version="v1beta1"),  # declared, not served
        cr(version="v2"),  # not declared
        cr("ClusterIssuer", name="letsencrypt"),
        cr("ClusterIssuer", name="letsencrypt", namespace="shop"),  # accepted, cleared
    ]
    agreed = []
    with api_server.installed([CERT, ISSUER]):
        for obj in cases:
            verdict = api_server.verdict(obj)
            fields, warned = _podgen_verdict(tmp_path, obj, [CERT, ISSUER])
            server_fields = {c.get("field", "") for c in verdict.causes}
            if "generateName" in obj.get("metadata", {}):  # it checks the name it generated too
                server_fields.discard("metadata.name")
            if verdict.status == 404:  # no endpoint for the version: podgen names apiVersion
                server_fields = {"apiVersion"}
            assert verdict.accepted == (not fields), (obj, verdict, fields)
            assert fields == server_fields, (obj, verdict.causes, fields)
            if verdict.accepted:
                namespace_dropped = obj["kind"] == "ClusterIssuer" and "namespace" in obj.get(
                    "metadata", {}
                )
                assert warned == (bool(verdict.warnings) or namespace_dropped), (obj, verdict)
            agreed.append(obj)
    assert len(agreed) == len(cases)


@pytest.mark.parametrize("warning", [None, "use v1: v1beta1 goes in 2.0"])
def test_a_deprecated_version_warns_as_the_server_does(
    api_server: ApiServer, tmp_path: Path, warning: str | None
) -> None:
    deprecated = copy.deepcopy(CERT)
    versions = deprecated["spec"]["versions"]
    versions[1].update(served=True, deprecated=True)
    versions.append({**versions[0], "name": "v2alpha1", "storage": False})
    if warning is not None:
        versions[1]["deprecationWarning"] = warning
    obj = cr(version="v1beta1")
    with api_server.installed([deprecated]):
        verdict = api_server.verdict(obj)
    assert verdict.accepted
    code, found = findings(str(write(tmp_path / "c.yaml", obj, deprecated)))
    assert code == 0 and rules(found) == ["crd-version-deprecated"]
    (server_warning,) = verdict.warnings
    assert found[0]["message"].startswith(f'apiVersion: Invalid value: "{GROUP}/v1beta1": ')
    assert f": {server_warning} (CRD certificates.{GROUP}" in found[0]["message"]


def test_a_namespace_on_a_cluster_scoped_custom_resource_is_a_warning(
    api_server: ApiServer, tmp_path: Path
) -> None:
    obj = cr("ClusterIssuer", name="letsencrypt", namespace="shop")
    with api_server.installed([ISSUER]):
        assert api_server.verdict(obj).accepted
        # The server clears it: what it stores has no namespace.
        status, body, _ = api_server.request(
            "POST", f"/apis/{GROUP}/v1/clusterissuers?dryRun=All", obj
        )
        assert status == 201 and "namespace" not in body["metadata"]
    code, found = findings(str(write(tmp_path / "i.yaml", obj, ISSUER)))
    assert code == 0 and rules(found) == ["crd-namespace-ignored"]
    assert found[0]["severity"] == "warning" and (found[0]["line"], found[0]["column"]) == (5, 3)
    assert run_podgen(["validate", "--strict", str(tmp_path / "i.yaml")]).code == 1
