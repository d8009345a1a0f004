"""podgen/_explaining/crds.py against the real API server with the CRDs installed.

The CRDs of tests/explain_crds (tests/explain_crd_cases.py) are installed into the shared
kube-apiserver under groups of their own and deleted afterwards. What the server then
publishes, its discovery and its `/openapi/v3/apis/GROUP/VERSION` and `/openapi/v2`
documents, is what crd_resources and crd_schemas must give without it.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from podgen._errors import UsageError
from podgen._explaining import store
from podgen._explaining.crd_files import read_crds
from podgen._explaining.crds import crd_resources, crd_schemas, published_schemas
from podgen._explaining.kinds import ApiResource
from podgen._model import versions
from tests.apiserver import SERVER_VERSION, ApiServer
from tests.explain_crd_cases import CRD_FOLDER, CRDS, GROUPS, SERVED, kind_schemas
from tests.explain_crd_cases import installed as installed_crds
from tests.explain_peer import ExplainPeer

DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"


@pytest.fixture(scope="module")
def installed(explain_peer: ExplainPeer) -> Iterator[ApiServer]:
    with installed_crds(explain_peer.server) as server:
        yield server


@pytest.mark.parametrize("group_version", SERVED)
def test_schemas_are_what_the_server_publishes(installed: ApiServer, group_version: str) -> None:
    status, document, _ = installed.request("GET", f"/openapi/v3/apis/{group_version}")
    assert status == 200
    served = document["components"]["schemas"]
    ours = dict(crd_schemas(CRDS, group_version, SERVER_VERSION))
    # DeleteOptions names every group version the server's build knows (alpha ones it does
    # not serve too) as its kinds: that list is no CRD's and kubectl explain never reads it.
    served[DELETE_OPTIONS] = _without_kinds(served[DELETE_OPTIONS])
    ours[DELETE_OPTIONS] = _without_kinds(ours[DELETE_OPTIONS])
    assert sorted(ours) == sorted(served)
    for name in served:
        assert ours[name] == served[name], name


def _without_kinds(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != "x-kubernetes-group-version-kind"}


@pytest.mark.parametrize("release", versions.SUPPORTED)
def test_every_release_has_the_schemas_the_crds_refer_to(release: str) -> None:
    """At another release the built-in part is that release's, and complete."""
    for group_version in SERVED:
        schemas = crd_schemas(CRDS, group_version, release)
        assert kind_schemas(group_version) <= schemas.keys()
        refs = set(_refs(dict(schemas)))
        assert refs <= schemas.keys(), refs - schemas.keys()
        for name in refs - kind_schemas(group_version):
            if not name.startswith("dev.podgen."):
                assert schemas[name] == _builtin_schema(release, name)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value.removeprefix("#/components/schemas/")
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _builtin_schema(release: str, name: str) -> dict[str, Any]:
    return store.schemas(release, "v1")[name]


def _v3_shaped(node: Any) -> Any:
    """An /openapi/v2 schema in the v3 document's shape: a `$ref` beside other keys wrapped
    in allOf, as the v3 document wraps it, and refs to `#/components/schemas/`."""
    if isinstance(node, list):
        return [_v3_shaped(item) for item in node]
    if not isinstance(node, dict):
        return node
    shaped = {key: _v3_shaped(value) for key, value in node.items() if key != "$ref"}
    if "$ref" in node:
        ref = {"$ref": node["$ref"].replace("#/definitions/", "#/components/schemas/")}
        if not shaped:
            return ref
        shaped["allOf"] = [ref]
    return shaped


@pytest.fixture(scope="module")
def openapi_v2(installed: ApiServer) -> dict[str, Any]:
    """The server's /openapi/v2 definitions, once they hold every test CRD's kinds."""
    wanted = set().union(*map(kind_schemas, SERVED))
    deadline = time.monotonic() + 60
    while True:
        status, document, _ = installed.request("GET", "/openapi/v2")
        definitions: dict[str, Any] = document.get("definitions") or {}
        if status == 200 and wanted <= definitions.keys():
            return definitions
        assert time.monotonic() < deadline, "the server did not publish /openapi/v2 in 60 s"
        time.sleep(0.2)


@pytest.mark.parametrize("group_version", SERVED)
def test_openapi_v2_schemas_are_what_the_server_publishes(
    openapi_v2: dict[str, Any], group_version: str
) -> None:
    """Each CRD kind and list as /openapi/v2 has them (the built-in ones are ex-data's)."""
    ours = published_schemas(CRDS, group_version, lambda name: None, openapi_v2=True)
    assert ours
    for name, schema in ours.items():
        assert schema == _v3_shaped(openapi_v2[name]), name


def test_a_version_not_served_has_no_document(installed: ApiServer) -> None:
    group_version = "versions.crd.explain-test.podgen.dev/v2alpha1"
    status, _, _ = installed.request("GET", f"/openapi/v3/apis/{group_version}")
    assert status == 404
    assert published_schemas(CRDS, group_version, lambda name: None) == {}


def _aggregated_discovery(server: ApiServer) -> dict[str, Any]:
    """`/apis` as kubectl reads it: aggregated discovery (apidiscovery.k8s.io/v2).

    Once it lists every served group version of the test CRDs: the server's discovery catches
    up with a new CRD a moment after its OpenAPI document does (on a fresh server, in CI).
    """
    request = urllib.request.Request(server.url + "/apis")  # noqa: S310 (the test server's)
    request.add_header("Authorization", f"Bearer {server.token}")
    request.add_header(
        "Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    )
    deadline = time.monotonic() + 60
    while True:
        with urllib.request.urlopen(request, context=server.context, timeout=30) as response:  # noqa: S310
            found: dict[str, Any] = json.loads(response.read())
        listed = {
            f"{group['metadata']['name']}/{version['version']}"
            for group in found["items"]
            for version in group["versions"]
            if version.get("resources")
        }
        if set(SERVED) <= listed or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert found["kind"] == "APIGroupDiscoveryList"
    return found


def test_resources_are_aggregated_discoverys(installed: ApiServer) -> None:
    """Every record, in kubectl's order: groups, then versions, then resources by name."""
    listing = _aggregated_discovery(installed)
    groups = [group["metadata"]["name"] for group in listing["items"]]
    # The CRDs' groups come after every built-in one, by name (among other tests' CRDs too).
    assert [group for group in groups if group in GROUPS] == GROUPS
    built_in = {gv.partition("/")[0] for gv in store.group_versions(SERVER_VERSION) if "/" in gv}
    assert max(map(groups.index, built_in)) < groups.index(GROUPS[0])
    served = [
        ApiResource(
            group=group["metadata"]["name"],
            version=version["version"],
            kind=resource["responseKind"]["kind"],
            plural=resource["resource"],
            singular=resource["singularResource"],
            short_names=tuple(resource.get("shortNames") or ()),
            namespaced=resource["scope"] == "Namespaced",
            preferred=index == 0,
        )
        for group in listing["items"]
        if group["metadata"]["name"] in GROUPS
        for index, version in enumerate(group["versions"])
        for resource in version["resources"]
    ]
    assert crd_resources(CRDS) == tuple(served)


def test_groups_and_versions_are_in_legacy_discoverys_order(installed: ApiServer) -> None:
    status, listing, _ = installed.request("GET", "/apis")
    assert status == 200
    served = [
        (group["name"], [v["version"] for v in group["versions"]], group["preferredVersion"])
        for group in listing["groups"]
        if group["name"] in GROUPS
    ]
    ours: dict[str, list[str]] = {}
    for resource in crd_resources(CRDS):
        versions = ours.setdefault(resource.group, [])
        if resource.version not in versions:
            versions.append(resource.version)
    assert [
        (group, versions, {"groupVersion": f"{group}/{versions[0]}", "version": versions[0]})
        for group, versions in ours.items()
    ] == served


def test_read_crds_reads_files_and_folders_as_validate_does(tmp_path: Path) -> None:
    found, warnings = read_crds([str(CRD_FOLDER)])
    assert (found, warnings) == (CRDS, [])
    one = CRD_FOLDER / "versions.yaml"
    first = list(yaml.safe_load_all(one.read_text(encoding="utf-8")))
    found = read_crds([str(one), str(CRD_FOLDER)])[0]
    assert found[: len(first)] == first  # each file once, in the order given
    assert sorted(map(str, found)) == sorted(map(str, CRDS))


def test_read_crds_warns_of_two_crds_for_one_kind(tmp_path: Path) -> None:
    gadgets = next(crd for crd in CRDS if crd["spec"]["names"]["kind"] == "Gadget")
    other = {**gadgets, "metadata": {"name": "gadgets2.versions.crd.explain-test.podgen.dev"}}
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(gadgets))
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(other))
    found, warnings = read_crds([str(tmp_path)])
    assert found == [gadgets]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{tmp_path / 'b.yaml'}:1: CRD gadgets2.")


def test_read_crds_refuses_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^--crd: .*nothing\.yaml: no such file or folder"):
        read_crds([str(tmp_path / "nothing.yaml")])
