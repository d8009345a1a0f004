"""The stored API documentation (podgen/_explaining/store.py) against the real 1.36 API server.

1.36 must be what the server serves, dict for dict: every group version's /openapi/v3 document
and its discovery. The other releases are rebuilt by tools/vendor_explain_data.py; the stored
files must be what that script writes, and each release must be whole (every kind's schema
there, every reference resolved) and serve what podgen/_checking/api_lifecycle.py says.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from podgen._checking import api_lifecycle
from podgen._errors import ExplainError, UsageError
from podgen._explaining import store
from podgen._explaining.kinds import ApiResource
from podgen._model import versions
from tests.apiserver import ApiServer
from tests.conftest import load_tool

DATA = Path(store.__file__).parent / "data"


#: The group versions Kubernetes has built in: the shared server may also serve other sessions'
#: CRDs, which are no part of a release.
BUILT_IN = {api_version for api_version, _ in api_lifecycle.table()}


def _groups(api_server: ApiServer) -> list[dict[str, Any]]:
    """/apis's groups, without CRDs' (the shared server may serve other sessions' CRDs)."""
    return [
        group
        for group in _get(api_server, "/apis")["groups"]
        if group["preferredVersion"]["groupVersion"] in BUILT_IN
    ]


def _get(api_server: ApiServer, path: str) -> dict[str, Any]:
    status, payload, _ = api_server.request("GET", path)
    assert status == 200, f"GET {path}: {status}"
    return payload


def test_1_36_serves_the_group_versions_of_the_servers_discovery(api_server: ApiServer) -> None:
    groups = _groups(api_server)
    expected = ["v1"] + [item["groupVersion"] for group in groups for item in group["versions"]]
    assert _get(api_server, "/api")["versions"] == ["v1"]
    assert list(store.group_versions("1.36")) == expected
    index = _get(api_server, "/openapi/v3")["paths"]
    documents = {
        path
        for path in index
        if path == "api/v1" or (path.startswith("apis/") and path[5:] in BUILT_IN)
    }
    assert {("api/" if gv == "v1" else "apis/") + gv for gv in expected} == documents


def test_1_36_documents_are_the_servers(api_server: ApiServer) -> None:
    for group_version in store.group_versions("1.36"):
        path = "/openapi/v3/" + ("api/v1" if group_version == "v1" else f"apis/{group_version}")
        served = _get(api_server, path)["components"]["schemas"]
        stored = store.schemas("1.36", group_version)
        assert list(stored) == sorted(served)
        assert dict(stored) == served, group_version


def test_1_36_resources_are_the_servers_discovery(api_server: ApiServer) -> None:
    expected = []
    groups = [("", ["v1"], "v1")] + [
        (
            group["name"],
            [item["version"] for item in group["versions"]],
            group["preferredVersion"]["version"],
        )
        for group in _groups(api_server)
    ]
    for group, group_versions, preferred in groups:
        for version in group_versions:
            path = f"/apis/{group}/{version}" if group else f"/api/{version}"
            for item in _get(api_server, path)["resources"]:
                if "/" in item["name"]:  # a subresource: pods/log
                    continue
                expected.append(
                    ApiResource(
                        group,
                        version,
                        item["kind"],
                        item["name"],
                        item.get("singularName", ""),
                        tuple(item.get("shortNames", ())),
                        item["namespaced"],
                        version == preferred,
                    )
                )
    assert store.resources("1.36") == tuple(expected)


def test_1_36_kinds_are_what_kubectl_finds_through_the_documents_paths(
    api_server: ApiServer,
) -> None:
    # kubectl explain takes a resource's kind from its path's operation in the document, then
    # the first schema listing that kind: resource.kind and kind_schema stand for both.
    documents: dict[str, dict[str, Any]] = {}
    for resource in store.resources("1.36"):
        group_version = resource.group_version
        prefix = f"/apis/{resource.group}" if resource.group else "/api"
        if group_version not in documents:
            documents[group_version] = _get(api_server, f"/openapi/v3{prefix}/{resource.version}")
        paths = documents[group_version]["paths"]
        base = f"{prefix}/{resource.version}"
        found = None
        for where in (
            f"{base}/{resource.plural}",
            f"{base}/{resource.plural}/{{name}}",
            f"{base}/namespaces/{{namespace}}/{resource.plural}",
            f"{base}/namespaces/{{namespace}}/{resource.plural}/{{name}}",
        ):
            for method in ("get", "post", "put", "patch", "delete"):
                found = found or paths.get(where, {}).get(method, {}).get(
                    "x-kubernetes-group-version-kind"
                )
        assert found == {
            "group": resource.group,
            "kind": resource.kind,
            "version": resource.version,
        }
        name = store.kind_schema("1.36", group_version, resource.kind)
        assert name is not None
        listed = store.schemas("1.36", group_version)[name]["x-kubernetes-group-version-kind"]
        assert found in listed


def test_the_stored_files_are_what_the_script_writes() -> None:
    # From the stored 1.36 (the tests above hold it to the server): no server needed here.
    tool = load_tool("vendor_explain_data")
    written = tool.files(tool.releases(tool.from_store()))
    assert sorted(written) == sorted(path.name for path in DATA.glob("*.json"))
    for name, text in written.items():
        assert (DATA / name).read_text(encoding="utf-8") == text, (
            "run: python tools/vendor_explain_data.py"
        )


def test_rebuilding_1_36_from_kubernetes_validate_alone_comes_close() -> None:
    # How the other releases are made, measured where the truth is known. kubernetes-validate
    # lost every enum (and the "Possible enum values" texts) and the defaults of optional
    # structs; the rest must come out as the server has it.
    tool = load_tool("vendor_explain_data")
    server = tool.from_store()
    alone = tool.rebuild("1.36", tool.kv_definitions("1.36"), {}, server)
    counts = tool.measure(server, alone)
    assert counts["group versions same names"] == counts["group versions"] == 22
    assert [row[:5] for row in alone.resources] == [row[:5] for row in server.resources]
    assert counts["fields equal but for default"] / counts["fields"] > 0.95
    assert counts["descriptions equal"] / counts["descriptions"] > 0.97
    assert counts["enums equal"] == 0  # the texts of 1.36 bring them to the other releases


@pytest.mark.parametrize("release", versions.SUPPORTED)
def test_each_release_serves_what_the_api_lifecycle_table_says(release: str) -> None:
    served = {
        key
        for key in api_lifecycle.served_by_default(release)
        if key not in api_lifecycle.SUBRESOURCES
    }
    listed = {(resource.group_version, resource.kind) for resource in store.resources(release)}
    assert listed == served
    assert set(store.group_versions(release)) == {api_version for api_version, _ in served}
    assert store.group_versions(release)[0] == "v1"


@pytest.mark.parametrize("release", versions.SUPPORTED)
def test_each_release_is_whole(release: str) -> None:
    resources = store.resources(release)
    preferred: dict[str, str] = {}
    for resource in resources:
        if resource.preferred:
            assert preferred.setdefault(resource.group, resource.version) == resource.version
        name = store.kind_schema(release, resource.group_version, resource.kind)
        assert name is not None, (release, resource)
        schema = store.schemas(release, resource.group_version)[name]
        gvk = {"group": resource.group, "kind": resource.kind, "version": resource.version}
        assert gvk in schema["x-kubernetes-group-version-kind"]
        assert resource.plural and resource.singular, resource
    assert set(preferred) == {resource.group for resource in resources}
    for group_version in store.group_versions(release):
        document = store.schemas(release, group_version)
        for name in document:
            for ref in _refs(document[name]):
                assert ref.startswith("#/components/schemas/"), (name, ref)
                assert ref.removeprefix("#/components/schemas/") in document, (name, ref)


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [
            ref
            for key, value in node.items()
            for ref in ([value] if key == "$ref" and isinstance(value, str) else _refs(value))
        ]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


@pytest.mark.parametrize("release", versions.SUPPORTED)
def test_each_release_has_the_fields_of_its_own_schema(release: str) -> None:
    # kubernetes-validate's schema of the release (its OpenAPI v2) is the authority on which
    # fields and types a release has; texts may come from 1.36, fields may not.
    tool = load_tool("vendor_explain_data")
    theirs = tool.kv_definitions(release)
    for group_version in store.group_versions(release):
        document = store.schemas(release, group_version)
        for name in document:
            mine = document[name].get("properties", {})
            assert set(mine) == set(theirs[name].get("properties", {})), (release, name)
            for field, value in theirs[name].get("properties", {}).items():
                kind = value.get("type")
                kind = [t for t in kind if t != "null"] if isinstance(kind, list) else [kind]
                if kind != [None]:
                    assert mine[field].get("type") == kind[0], (release, name, field)


def test_a_field_a_later_release_added_is_only_there() -> None:
    def job_spec(release: str) -> dict[str, Any]:
        return store.schemas(release, "batch/v1")["io.k8s.api.batch.v1.JobSpec"]["properties"]

    assert "successPolicy" not in job_spec("1.29")  # added in 1.30
    assert "successPolicy" in job_spec("1.30")
    assert store.kind_schema("1.33", "resource.k8s.io/v1", "ResourceClaim") is None
    assert "resource.k8s.io/v1" not in store.group_versions("1.33")
    assert "storagemigration.k8s.io/v1" in store.group_versions("1.37")
    assert "flowcontrol.apiserver.k8s.io/v1beta3" in store.group_versions("1.31")


def test_a_release_text_the_same_as_1_36s_is_1_36s() -> None:
    # kubernetes-validate lost the enums; a field unchanged since takes the server's.
    port = store.schemas("1.29", "v1")["io.k8s.api.core.v1.ContainerPort"]["properties"]
    assert (
        port["protocol"]
        == store.schemas("1.36", "v1")["io.k8s.api.core.v1.ContainerPort"]["properties"]["protocol"]
    )
    assert port["protocol"]["enum"] == ["SCTP", "TCP", "UDP"]


def test_each_text_and_schema_is_stored_once() -> None:
    texts = (DATA / "texts.json").read_text(encoding="utf-8").splitlines()
    assert len(texts) == len(set(texts))
    assert all(isinstance(json.loads(text), str) for text in texts)
    bodies = (DATA / "schemas.json").read_text(encoding="utf-8").splitlines()
    assert len(bodies) == len(set(bodies))


def test_unknown_releases_and_group_versions_are_refused() -> None:
    with pytest.raises(UsageError, match="not supported"):
        store.schemas("1.20", "v1")
    with pytest.raises(ExplainError, match="serves no apps/v1beta1"):
        store.schemas("1.36", "apps/v1beta1")
    assert store.kind_schema("1.36", "v1", "Deployment") is None
    assert store.kind_schema("1.36", "apps/v1beta1", "Deployment") is None


def test_explaining_pod_parses_only_what_it_reads() -> None:
    # A cold process: the release's index and Pod's schema, not the thousand others.
    code = (
        "from podgen._explaining import store\n"
        "document = store.schemas('1.36', 'v1')\n"
        "pod = document[store.kind_schema('1.36', 'v1', 'Pod')]\n"
        "assert pod['properties']['spec']['description']\n"
        "print(store._schema.cache_info().currsize, store._text.cache_info().currsize)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    schemas, texts = map(int, done.stdout.split())
    assert schemas == 1
    assert texts == 6  # Pod's own and its five fields'
