"""The API lifecycle per release (issue 26): which apiVersion and kind each release serves.

An API removed in release N is fine at N-1 (with a deprecation warning if a default cluster
serves it), an error at N; one introduced in N is an error at N-1 and fine at N; what a
release has only behind --runtime-config is an error, as a default cluster refuses it. The
table (podgen/_checking/api_lifecycle.py) is held to kubernetes-validate's schema of every
release from 1.25 to 1.37, and to what a real 1.36 API server serves, warns about and
refuses. The library is asked with `versions.targeting` (what `--k8s-version` sets), and a
few cases run through `podgen validate --k8s-version` itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from podgen._checking import feature_gates
from podgen._checking.api_lifecycle import (
    SUBRESOURCES,
    lifecycle_finding,
    served_by_default,
    table,
)
from podgen._checking.gate_table import GATES
from podgen._checking.k8s_schema import schema_problems
from podgen._checking.validate import validate_manifest_text
from podgen._model import versions
from podgen._model.objects import custom_group
from tests.apiserver import ApiServer
from tests.conftest import load_tool, run_podgen

TOOL = load_tool("api_lifecycle")
ROOT = Path(__file__).resolve().parent.parent
SUPPORTED = versions.SUPPORTED
ERRORS = ("api-removed", "api-not-yet", "api-off-by-default")


def _findings(obj: dict[str, Any], version: str) -> list[tuple[str, str, str]]:
    """(severity, rule, message) of every finding `podgen validate` makes at `version`."""
    with versions.targeting(version):
        found = validate_manifest_text(yaml.safe_dump(obj), "m.yaml")
    return [(f.severity, f.rule, f.message) for f in found]


def _rule(api_version: str, kind: str, version: str) -> str | None:
    with versions.targeting(version):
        finding = lifecycle_finding(api_version, kind)
    return None if finding is None else finding.rule


# -- the table against kubernetes-validate's schema of every release --------------------------


@pytest.mark.parametrize("version", TOOL.RELEASES)
def test_every_kind_of_a_release_s_schema_is_in_the_table_for_that_release(version: str) -> None:
    """A kind the schema of `version` has is in the table, introduced by then, not removed."""
    for api_version, kind in sorted(TOOL.schema_kinds(version)):
        api = table().get((api_version, kind))
        assert api is not None, f"{api_version} {kind} (in {version}'s schema) is not in the table"
        assert api.served(versions.minor(version)), (version, api)


def test_the_table_has_no_kind_a_release_s_schema_lacks() -> None:
    assert TOOL.differences() == []


def test_the_table_reaches_back_to_what_podgen_named_as_removed() -> None:
    """The versions removed before the schemas begin (1.25) stay, with their replacements."""
    old = {k for k, api in table().items() if api.removed is not None and api.removed <= 25}
    assert ("extensions/v1beta1", "Deployment") in old
    assert ("policy/v1beta1", "PodSecurityPolicy") in old
    assert all(table()[k].instead for k in old), sorted(k for k in old if not table()[k].instead)


# -- removed in N: fine at N-1 (with a warning), an error at N ---------------------------------

#: A FlowSchema and a PriorityLevelConfiguration the API server accepts (as flowcontrol v1:
#: test_the_objects_here_are_ones_the_server_accepts), in flowcontrol v1beta3, which 1.26 to
#: 1.31 serve by default and 1.32 removed.
FLOW_SCHEMA = {
    "apiVersion": "flowcontrol.apiserver.k8s.io/v1beta3",
    "kind": "FlowSchema",
    "metadata": {"name": "podgen-lifecycle"},
    "spec": {
        "priorityLevelConfiguration": {"name": "workload-low"},
        "matchingPrecedence": 1000,
        "rules": [
            {
                "subjects": [{"kind": "Group", "group": {"name": "system:authenticated"}}],
                "resourceRules": [
                    {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"], "namespaces": ["*"]}
                ],
            }
        ],
    },
}
PRIORITY_LEVEL = {
    "apiVersion": "flowcontrol.apiserver.k8s.io/v1beta3",
    "kind": "PriorityLevelConfiguration",
    "metadata": {"name": "podgen-lifecycle"},
    "spec": {
        "type": "Limited",
        "limited": {"nominalConcurrencyShares": 10, "limitResponse": {"type": "Reject"}},
    },
}


@pytest.mark.parametrize("obj", [FLOW_SCHEMA, PRIORITY_LEVEL], ids=lambda o: o["kind"])
def test_flowcontrol_v1beta3_is_deprecated_up_to_1_31_and_removed_in_1_32(
    obj: dict[str, Any],
) -> None:
    kind = obj["kind"]
    for version in ("1.29", "1.30", "1.31"):
        assert _findings(obj, version) == [
            (
                "warning",
                "api-deprecated",
                f"apiVersion: {kind} in flowcontrol.apiserver.k8s.io/v1beta3 is deprecated in "
                "1.29, removed in 1.32: use flowcontrol.apiserver.k8s.io/v1",
            )
        ], version
    for version in SUPPORTED[SUPPORTED.index("1.32") :]:
        assert _findings(obj, version) == [
            (
                "error",
                "api-removed",
                f"apiVersion: {kind} in flowcontrol.apiserver.k8s.io/v1beta3 was removed in "
                "Kubernetes 1.32; use flowcontrol.apiserver.k8s.io/v1",
            )
        ], version


#: What each supported release removed, from the table: N-1 and N are both supported.
REMOVED_IN_RANGE = sorted(
    (api.api_version, api.kind, f"1.{api.removed}")
    for api in table().values()
    if api.removed is not None and f"1.{api.removed - 1}" in SUPPORTED
)


def test_the_removals_within_the_supported_releases_are_the_known_ones() -> None:
    """flowcontrol v1beta3 (1.32); betas of VAP (1.34), SelfSubjectReview (1.33), IPAddress
    and ServiceCIDR (1.37), VolumeAttributesClass (1.37); alphas of DRA, storage migration,
    ClusterTrustBundle, ..."""
    removed = {(a, k): n for a, k, n in REMOVED_IN_RANGE}
    assert removed[("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema")] == "1.32"
    assert removed[("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy")] == "1.34"
    assert removed[("authentication.k8s.io/v1beta1", "SelfSubjectReview")] == "1.33"
    assert removed[("networking.k8s.io/v1beta1", "ServiceCIDR")] == "1.37"
    assert removed[("storage.k8s.io/v1beta1", "VolumeAttributesClass")] == "1.37"
    assert removed[("certificates.k8s.io/v1alpha1", "ClusterTrustBundle")] == "1.37"
    assert removed[("resource.k8s.io/v1alpha3", "ResourceClaim")] == "1.34"
    assert len(REMOVED_IN_RANGE) >= 30


@pytest.mark.parametrize(("api_version", "kind", "removed"), REMOVED_IN_RANGE)
def test_an_api_removed_in_n_is_served_at_n_minus_1_and_an_error_at_n(
    api_version: str, kind: str, removed: str
) -> None:
    before = f"1.{versions.minor(removed) - 1}"
    api = table()[(api_version, kind)]
    # At N-1: served by default with a deprecation warning, or there behind --runtime-config.
    assert _rule(api_version, kind, before) == (
        "api-deprecated" if api.default_on else "api-off-by-default"
    )
    for version in SUPPORTED[SUPPORTED.index(removed) :]:
        assert _rule(api_version, kind, version) == "api-removed", version


def test_a_removed_api_s_message_names_the_release_and_the_replacement() -> None:
    with versions.targeting("1.37"):
        finding = lifecycle_finding("batch/v1beta1", "CronJob")
    assert finding is not None and finding.rule == "api-removed"
    assert finding.message == (
        "CronJob in batch/v1beta1 was removed in Kubernetes 1.25; use batch/v1"
    )


def test_an_off_by_default_beta_is_refused_until_its_removal() -> None:
    service_cidr = {
        "apiVersion": "networking.k8s.io/v1beta1",
        "kind": "ServiceCIDR",
        "metadata": {"name": "extra"},
        "spec": {"cidrs": ["10.200.0.0/16"]},
    }
    assert _findings(service_cidr, "1.30") == [
        (
            "error",
            "api-not-yet",
            "apiVersion: ServiceCIDR in networking.k8s.io/v1beta1 is served from Kubernetes "
            "1.31 on (this checks 1.30)",
        )
    ]
    assert _findings(service_cidr, "1.36") == [
        (
            "error",
            "api-off-by-default",
            "apiVersion: ServiceCIDR in networking.k8s.io/v1beta1 is a beta API, off by default "
            'in Kubernetes 1.36: a cluster answers "no matches for kind" unless its API server '
            "runs with --runtime-config=networking.k8s.io/v1beta1=true; use networking.k8s.io/v1",
        )
    ]
    ((severity, rule, message),) = _findings(service_cidr, "1.37")
    assert (severity, rule) == ("error", "api-removed")
    assert message.endswith("was removed in Kubernetes 1.37; use networking.k8s.io/v1")


def test_an_alpha_api_names_its_feature_gate() -> None:
    with versions.targeting("1.35"):
        finding = lifecycle_finding(
            "admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicy"
        )
    assert finding is not None and finding.rule == "api-off-by-default"
    assert "an alpha API, off by default in Kubernetes 1.35" in finding.message
    assert (
        "--runtime-config=admissionregistration.k8s.io/v1alpha1=true and "
        "--feature-gates=MutatingAdmissionPolicy=true" in finding.message
    )
    # 1.35 has no MutatingAdmissionPolicy a default cluster serves: nothing to use instead.
    assert "; use " not in finding.message


def test_a_beta_dra_api_names_its_gate_while_the_gate_is_off_by_default() -> None:
    """DynamicResourceAllocation is beta and off in 1.32-1.33 (kube_features.go), GA from 1.34."""
    for version in ("1.32", "1.33"):
        with versions.targeting(version):
            finding = lifecycle_finding("resource.k8s.io/v1beta1", "DeviceClass")
        assert finding is not None and finding.rule == "api-off-by-default"
        assert finding.message.endswith(
            "--runtime-config=resource.k8s.io/v1beta1=true "
            "and --feature-gates=DynamicResourceAllocation=true"
        ), (version, finding.message)
    with versions.targeting("1.34"):
        finding = lifecycle_finding("resource.k8s.io/v1beta1", "DeviceClass")
    assert finding is not None and "--feature-gates" not in finding.message


def test_a_gate_locked_on_at_the_target_is_not_advised() -> None:
    """ValidatingAdmissionPolicy is GA and locked on from 1.30, removed in 1.32: naming it
    on the command line stops the API server, so only --runtime-config is advised."""
    for version in ("1.30", "1.31", "1.32", "1.33"):
        with versions.targeting(version):
            finding = lifecycle_finding(
                "admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy"
            )
        assert finding is not None and finding.rule == "api-off-by-default"
        assert "--runtime-config=admissionregistration.k8s.io/v1beta1=true" in finding.message
        assert "--feature-gates" not in finding.message, (version, finding.message)
    with versions.targeting("1.29"):  # beta and off by default in 1.29
        finding = lifecycle_finding(
            "admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy"
        )
    assert finding is not None
    assert "--feature-gates=ValidatingAdmissionPolicy=true" in finding.message


@pytest.mark.parametrize("version", SUPPORTED)
def test_every_gate_advised_is_in_the_gate_table_and_off_by_default_there(version: str) -> None:
    """Generated over the whole lifecycle table: the gate named, if any, is one gate_table
    says exists in `version` and is off by default there; a named gate is in gate_table."""
    for (api_version, kind), api in table().items():
        # A row gone before the oldest supported release (ClusterCIDR) needs no gate row.
        if api.gate is not None and api.served(versions.minor(version)):
            assert api.gate in GATES, (api_version, api.gate)
        with versions.targeting(version):
            finding = lifecycle_finding(api_version, kind)
        if finding is None or finding.rule != "api-off-by-default":
            continue
        named = re.findall(r"--feature-gates=(\w+)=true", finding.message)
        for gate in named:
            found = feature_gates.state(gate, version)
            assert found is not None and not found[0], (api_version, kind, version, gate)
        if api.gate is not None and not feature_gates.enabled(api.gate, version):
            assert named == [api.gate], (api_version, kind, version)


# -- introduced in N: an error at N-1, fine at N --------------------------------------------

#: Objects of kinds a default cluster serves from a supported release on, each one the API
#: server accepts (test_the_objects_here_are_ones_the_server_accepts).
INTRODUCED: list[tuple[str, dict[str, Any]]] = [
    (
        "1.30",
        {
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingAdmissionPolicy",
            "metadata": {"name": "replicas-limit"},
            "spec": {
                "failurePolicy": "Fail",
                "matchConstraints": {
                    "resourceRules": [
                        {
                            "apiGroups": ["apps"],
                            "apiVersions": ["v1"],
                            "operations": ["CREATE", "UPDATE"],
                            "resources": ["deployments"],
                        }
                    ]
                },
                "validations": [{"expression": "object.spec.replicas <= 5"}],
            },
        },
    ),
    (
        "1.33",
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "ServiceCIDR",
            "metadata": {"name": "podgen-lifecycle"},
            "spec": {"cidrs": ["10.200.0.0/16"]},
        },
    ),
    (
        "1.34",
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "VolumeAttributesClass",
            "metadata": {"name": "fast"},
            "driverName": "csi.example.com",
            "parameters": {"iops": "3000"},
        },
    ),
    (
        "1.34",
        {
            "apiVersion": "resource.k8s.io/v1",
            "kind": "DeviceClass",
            "metadata": {"name": "gpu"},
            "spec": {"selectors": [{"cel": {"expression": 'device.driver == "gpu.example.com"'}}]},
        },
    ),
]


@pytest.mark.parametrize(
    ("introduced", "obj"), INTRODUCED, ids=[f"{o['kind']}-{n}" for n, o in INTRODUCED]
)
def test_an_api_introduced_in_n_is_an_error_at_n_minus_1_and_fine_at_n(
    introduced: str, obj: dict[str, Any]
) -> None:
    before = f"1.{versions.minor(introduced) - 1}"
    found = _findings(obj, before)
    assert [(s, r) for s, r, _ in found] == [("error", "api-not-yet")], found
    assert found[0][2].endswith(f"is served from Kubernetes {introduced} on (this checks {before})")
    for version in SUPPORTED[SUPPORTED.index(introduced) :]:
        assert _findings(obj, version) == [], version


def test_what_came_before_its_v1_is_named_where_the_target_serves_it() -> None:
    """autoscaling/v2 came in 1.23: nothing supported lacks it; a kind whose v1 came later,
    with a version the target serves by default, says which to write."""
    with versions.targeting("1.33"):
        finding = lifecycle_finding("resource.k8s.io/v1", "ResourceClaim")
    assert finding is not None and finding.rule == "api-not-yet"
    # 1.33 has ResourceClaim only in betas that are off by default: none to name.
    assert finding.message.endswith("(this checks 1.33)")


#: Every kind a default cluster serves from a supported release on, from the table.
INTRODUCED_IN_RANGE = sorted(
    (api.api_version, api.kind, f"1.{api.introduced}")
    for api in table().values()
    if api.default_on and f"1.{api.introduced - 1}" in SUPPORTED
)


@pytest.mark.parametrize(("api_version", "kind", "introduced"), INTRODUCED_IN_RANGE)
def test_every_api_introduced_within_the_supported_releases(
    api_version: str, kind: str, introduced: str
) -> None:
    assert _rule(api_version, kind, f"1.{versions.minor(introduced) - 1}") == "api-not-yet"
    assert _rule(api_version, kind, introduced) is None


# -- deprecated and still served: a warning, which --strict fails on ---------------------------

ENDPOINTS = "apiVersion: v1\nkind: Endpoints\nmetadata: {name: web}\n"


def test_endpoints_are_deprecated_from_1_33_as_the_api_server_says() -> None:
    obj = yaml.safe_load(ENDPOINTS)
    assert _findings(obj, "1.32") == []
    for version in SUPPORTED[SUPPORTED.index("1.33") :]:
        assert _findings(obj, version) == [
            (
                "warning",
                "api-deprecated",
                "apiVersion: Endpoints in v1 is deprecated in 1.33 (no removal is set): use "
                "discovery.k8s.io/v1 EndpointSlice",
            )
        ], version


def test_a_deprecated_api_is_a_warning_that_strict_fails_on(tmp_path: Path) -> None:
    manifest = tmp_path / "endpoints.yaml"
    manifest.write_text(ENDPOINTS)
    result = run_podgen(["validate", str(manifest)])
    assert result.code == 0, result.stdout
    assert "warning: apiVersion: Endpoints in v1 is deprecated in 1.33" in result.stdout
    assert result.stderr.strip() == "0 error(s), 1 warning(s) in 1 file(s)"
    strict = run_podgen(["validate", "--strict", str(manifest)])
    assert strict.code == 1, strict.stdout


def _cli(tmp_path: Path, obj: dict[str, Any], version: str, *flags: str) -> tuple[int, list[Any]]:
    """`podgen validate --k8s-version VERSION --format json` on `obj`: exit code, findings."""
    manifest = tmp_path / f"{obj['kind']}.yaml"
    manifest.write_text(yaml.safe_dump(obj))
    result = run_podgen(
        ["validate", "--k8s-version", version, "--format", "json", *flags, str(manifest)]
    )
    found = json.loads(result.stdout)["findings"]
    return result.code, [(f["line"], f["severity"], f["rule"]) for f in found]


@pytest.mark.parametrize("obj", [FLOW_SCHEMA, PRIORITY_LEVEL], ids=lambda o: o["kind"])
def test_through_the_cli_a_removed_api_warns_at_n_minus_1_fails_strict_and_errs_at_n(
    tmp_path: Path, obj: dict[str, Any]
) -> None:
    assert _cli(tmp_path, obj, "1.31") == (0, [(1, "warning", "api-deprecated")])
    assert _cli(tmp_path, obj, "1.31", "--strict") == (1, [(1, "warning", "api-deprecated")])
    assert _cli(tmp_path, obj, "1.32") == (1, [(1, "error", "api-removed")])


@pytest.mark.parametrize(
    ("introduced", "obj"), INTRODUCED, ids=[f"{o['kind']}-{n}" for n, o in INTRODUCED]
)
def test_through_the_cli_an_api_introduced_in_n_errs_at_n_minus_1_and_passes_at_n(
    tmp_path: Path, introduced: str, obj: dict[str, Any]
) -> None:
    before = f"1.{versions.minor(introduced) - 1}"
    assert _cli(tmp_path, obj, before) == (1, [(1, "error", "api-not-yet")])
    assert _cli(tmp_path, obj, introduced, "--strict") == (0, [])


def test_a_deprecated_version_s_fields_are_checked_against_its_release_s_schema(
    tmp_path: Path,
) -> None:
    """flowcontrol v1beta3 in 1.31's schema: a bad field is an error beside the warning."""
    limited = {**PRIORITY_LEVEL["spec"]["limited"], "bogus": 1}
    obj = {**PRIORITY_LEVEL, "spec": {"type": "Limited", "limited": limited}}
    code, found = _cli(tmp_path, obj, "1.31")
    assert code == 1
    assert [(severity, rule) for _, severity, rule in found] == [
        ("warning", "api-deprecated"),
        ("error", "schema-unknown-field"),
    ]


def test_a_deprecated_api_s_object_is_still_checked() -> None:
    """The warning stops neither the schema nor the rules: a bad field and name are errors."""
    obj = {**yaml.safe_load(ENDPOINTS), "subsets": [{"adresses": []}]}
    obj["metadata"] = {"name": "Web_1"}
    assert [(s, r) for s, r, _ in _findings(obj, "1.37")] == [
        ("warning", "api-deprecated"),
        ("error", "schema-unknown-field"),
    ]
    del obj["subsets"]
    assert [(s, r) for s, r, _ in _findings(obj, "1.37")] == [
        ("warning", "api-deprecated"),
        ("error", "name"),
    ]


def test_only_validate_asks_for_deprecations() -> None:
    """render and import ask for what the API server refuses: a deprecated version is kept."""
    assert list(schema_problems(yaml.safe_load(ENDPOINTS))) == []


def test_every_lifecycle_rule_is_documented() -> None:
    doc = (ROOT / "docs" / "validation-rules.md").read_text()
    for rule in (*ERRORS, "api-deprecated"):
        assert f"`{rule}`" in doc, rule


# -- the real 1.36 API server -----------------------------------------------------------------


def _discovered(api_server: ApiServer) -> set[tuple[str, str]]:
    """Every built-in (apiVersion, kind) the server lists as a resource of its own.

    CRDs other tests install on the shared server (with deprecated versions of their own) are
    not Kubernetes' own APIs: they are left out.
    """
    found = set()
    _, groups, _ = api_server.request("GET", "/apis")
    group_versions = ["v1"] + [
        version["groupVersion"] for group in groups["groups"] for version in group["versions"]
    ]
    for api_version in group_versions:
        if custom_group(api_version) is not None:
            continue
        base = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
        _, listed, _ = api_server.request("GET", base)
        for resource in listed["resources"]:
            if "/" not in resource["name"]:  # not a subresource
                found.add((api_version, resource["kind"]))
    return found


def test_the_1_36_server_serves_what_the_table_says_1_36_serves(api_server: ApiServer) -> None:
    schema = TOOL.schema_kinds("1.36")
    expected = {key for key in served_by_default("1.36") if key in schema} - SUBRESOURCES
    assert _discovered(api_server) & schema == expected


def test_the_1_36_server_warns_of_what_the_table_says_1_36_deprecates(
    api_server: ApiServer,
) -> None:
    """A request to a deprecated version gets the server's Warning; podgen's api-deprecated."""
    warned, deprecated = set(), set()
    for api_version, kind in sorted(_discovered(api_server)):
        base = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
        found = api_server.resource(api_version, kind)
        assert found is not None
        _, _, warnings = api_server.request("GET", f"{base}/{found[0]}?limit=1")
        if any("deprecated" in warning for warning in warnings):
            warned.add((api_version, kind))
        if _rule(api_version, kind, "1.36") == "api-deprecated":
            deprecated.add((api_version, kind))
    assert warned == deprecated == {("v1", "ComponentStatus"), ("v1", "Endpoints")}


def test_what_podgen_refuses_at_1_36_the_server_does_not_serve(api_server: ApiServer) -> None:
    refused = {key for key in table() if _rule(*key, "1.36") in ERRORS}
    assert refused, "the table has versions 1.36 does not serve"
    for api_version, kind in sorted(refused):
        assert api_server.resource(api_version, kind) is None, (api_version, kind)
    assert {_rule(*key, "1.36") for key in refused} == set(ERRORS)


@pytest.mark.parametrize(
    ("obj", "rule"),
    [
        (
            {"apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": {"name": "x"}},
            "api-removed",
        ),
        (
            {"apiVersion": "resource.k8s.io/v1beta2", "kind": "DeviceClass",
             "metadata": {"name": "x"}},
            "api-off-by-default",
        ),
        (
            {"apiVersion": "certificates.k8s.io/v1", "kind": "ClusterTrustBundle",
             "metadata": {"name": "x"}},
            "api-not-yet",  # SKEW: certificates.k8s.io/v1 ClusterTrustBundle is new in 1.37
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else value["apiVersion"],
)  # fmt: skip
def test_the_1_36_server_refuses_what_podgen_refuses_at_1_36(
    api_server: ApiServer, obj: dict[str, Any], rule: str
) -> None:
    """The server answers 404 (kubectl: "no matches for kind"); podgen errs with the rule."""
    api_version, plural = obj["apiVersion"], obj["kind"].lower() + "s"
    namespaced = "/namespaces/default" if obj["kind"] == "CronJob" else ""
    status, payload, _ = api_server.request(
        "POST", f"/apis/{api_version}{namespaced}/{plural}?dryRun=All", obj
    )
    assert status == 404, payload
    assert [(s, r) for s, r, _ in _findings(obj, "1.36")] == [("error", rule)]


@pytest.mark.parametrize(
    "obj", [FLOW_SCHEMA, PRIORITY_LEVEL, *(o for _, o in INTRODUCED)], ids=lambda o: o["kind"]
)
def test_the_objects_here_are_ones_the_server_accepts(
    api_server: ApiServer, obj: dict[str, Any]
) -> None:
    """So "fine" above means valid: flowcontrol v1beta3's objects are sent as v1 (1.36 has no
    v1beta3; the two have the same fields)."""
    sent = {**obj, "apiVersion": obj["apiVersion"].replace("v1beta3", "v1")}
    verdict = api_server.verdict(sent)
    assert verdict.accepted, verdict
    assert _findings(sent, "1.36") == []
