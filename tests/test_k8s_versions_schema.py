"""The schema of each supported release (issue 26): `podgen validate --k8s-version X.Y`.

A field introduced in release N is an error at N-1 naming N, and fine at N: for every field
the vendored schemas add between two releases (found by reading the files, not podgen's
loader), and for a handful spelled out by hand through the CLI. kubernetes-validate's strict
schemas of every release judge a corpus of our own manifests (tests/corpus/versions/) as
podgen does, and the real API server (1.36) refuses a 1.37 field as podgen at 1.36 does.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from podgen._checking import k8s_releases, k8s_schema
from podgen._checking.k8s_schema import schema_problems
from podgen._model import versions
from tests.apiserver import ApiServer
from tests.conftest import run_podgen

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "podgen" / "_checking" / "schemas"
CORPUS = Path(__file__).parent / "corpus" / "versions"
#: The rules of schema errors: what kubernetes-validate's strict schemas judge.
FIELD, API = k8s_schema.FIELD_RULE, k8s_schema.API_RULE


# --- the vendored files, read on their own --------------------------------------------------


def _release(version: str) -> dict[str, dict[str, Any]]:
    """A release's kinds and definitions by name, straight from the vendored files."""
    entries = json.loads((SCHEMAS / "k8s-definitions.json").read_text())["entries"]
    index = json.loads((SCHEMAS / f"k8s-{version}-index.json").read_text())["entries"]
    return {entries[number][0]: entries[number][1] for number in index}


RELEASES = {version: _release(version) for version in versions.SUPPORTED}


def _resolved(release: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = {
            **release[schema["$ref"].split("/")[-1]],
            **{k: v for k, v in schema.items() if k != "$ref"},
        }
    return schema


def _fields(
    release: dict[str, Any], schema: dict[str, Any], path: tuple[Any, ...], seen: frozenset[str]
) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every field path below a schema (a list's first item standing for all), and its schema."""
    name = schema.get("$ref")
    if name in seen or len(path) > 9:
        return  # JSONSchemaProps holds itself
    seen = seen | {name} if name else seen
    schema = _resolved(release, schema)
    if "items" in schema:
        yield from _fields(release, schema["items"], (*path, 0), seen)
    for key, child in schema.get("properties", {}).items():
        yield (*path, key), child
        yield from _fields(release, child, (*path, key), seen)


def _paths(version: str, kind: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    release = RELEASES[version]
    if kind not in release:
        return {}
    return dict(_fields(release, release[kind], (), frozenset()))


#: A valid object of each kind, in every release: the field under test is set inside it.
BASE: dict[str, dict[str, Any]] = {
    "v1/Pod": {"spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}},
    "apps/v1/Deployment": {
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
            },
        }
    },
    "batch/v1/Job": {
        "spec": {
            "template": {
                "spec": {
                    "restartPolicy": "Never",
                    "containers": [{"name": "app", "image": "busybox:1.36"}],
                }
            }
        }
    },
    "v1/Service": {"spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}},
    "autoscaling/v2/HorizontalPodAutoscaler": {
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "maxReplicas": 3,
        }
    },
    "v1/PersistentVolumeClaim": {
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    },
    "policy/v1/PodDisruptionBudget": {"spec": {"minAvailable": 1}},
    "networking.k8s.io/v1/NetworkPolicy": {"spec": {"podSelector": {}}},
}


def _object(kind: str, path: tuple[Any, ...], leaf: dict[str, Any], version: str) -> dict[str, Any]:
    api_version, _, name = kind.rpartition("/")
    obj = {"apiVersion": api_version, "kind": name, "metadata": {"name": "x"}}
    obj |= copy.deepcopy(BASE[kind])
    node: Any = obj
    for step, after in itertools.pairwise(path):
        if isinstance(step, int):
            if not node:
                node.append([] if isinstance(after, int) else {})
            node = node[0]
        else:
            node = node.setdefault(step, [] if isinstance(after, int) else {})
    node[path[-1]] = _value(_resolved(RELEASES[version], leaf))
    return obj


def _value(schema: dict[str, Any]) -> Any:
    """A value of the schema's type (Go's zero values would do, but say less)."""
    if "oneOf" in schema:
        return "1"  # IntOrString, Quantity
    kinds = schema.get("type", [])
    kind = next(k for k in ([kinds] if isinstance(kinds, str) else kinds) if k != "null")
    return {"object": {}, "array": [], "string": "x", "integer": 1, "boolean": True}.get(kind, 1)


def _added_fields() -> list[tuple[str, str, tuple[Any, ...], dict[str, Any]]]:
    """(release N, kind, path, schema at N) of every field N adds where N-1 has its parent."""
    cases = []
    for before, after in zip(versions.SUPPORTED, versions.SUPPORTED[1:], strict=False):
        for kind in BASE:
            old, new = _paths(before, kind), _paths(after, kind)
            for path, schema in new.items():
                parent = path[:-1]
                if parent and isinstance(parent[-1], int):  # a list item: the list's path
                    parent = parent[:-1]
                if path not in old and (not parent or parent in old):
                    cases.append((after, kind, path, schema))
    return cases


ADDED = _added_fields()


def _problems(obj: dict[str, Any], version: str) -> list[k8s_schema.SchemaProblem]:
    with versions.targeting(version):
        return list(k8s_schema.schema_problems(obj))


def test_the_generated_cases_cover_every_release_and_the_fields_the_issue_names() -> None:
    assert {release for release, *_ in ADDED} == set(versions.SUPPORTED[1:])
    named = {(release, path[-1]) for release, _, path, _ in ADDED}
    for field in [
        ("1.30", "successPolicy"),
        ("1.30", "managedBy"),
        ("1.30", "trafficDistribution"),
        ("1.30", "recursiveReadOnly"),
        ("1.31", "supplementalGroupsPolicy"),
        ("1.31", "image"),  # the image volume source
        ("1.32", "resources"),  # pod-level
        ("1.37", "bindMountOptions"),
    ]:
        assert field in named, field
    assert len(ADDED) > 100


@pytest.mark.parametrize(
    ("release", "kind", "path", "schema"),
    ADDED,
    ids=[
        f"{release}-{kind.rsplit('/', 1)[1]}-{'.'.join(map(str, path))}"
        for release, kind, path, _ in ADDED
    ],
)
def test_a_field_added_in_a_release_is_an_error_before_it_naming_it(
    release: str, kind: str, path: tuple[Any, ...], schema: dict[str, Any]
) -> None:
    before = versions.SUPPORTED[versions.SUPPORTED.index(release) - 1]
    obj = _object(kind, path, schema, release)
    unknown = ("schema-unknown-field", FIELD)
    assert [p for p in _problems(obj, release) if p.rule in unknown] == []
    found = [p for p in _problems(obj, before) if p.rule in unknown]
    message = (
        f"unknown field {path[-1]!r}: added in Kubernetes {release} "
        f"(this checks {before}, see --k8s-version)"
    )
    assert [(p.path, p.message, p.rule) for p in found] == [(path, message, FIELD)]
    assert k8s_schema.added_in(kind, path) is not None
    assert versions.minor(k8s_schema.added_in(kind, path) or "") <= versions.minor(release)


# --- by hand, through the CLI ---------------------------------------------------------------

POD = "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{spec}"
CONTAINER = "  containers:\n    - name: app\n      image: nginx:1.27\n"
JOB = (
    "apiVersion: batch/v1\nkind: Job\nmetadata: {{name: j}}\nspec:\n{spec}"
    "  template:\n    spec:\n      restartPolicy: Never\n"
    "      containers: [{{name: app, image: busybox:1.36}}]\n"
)
#: (release, manifest, the field's path, its line): each is fine at the release, an error
#: naming it in the one before.
BY_HAND = [
    (
        "1.30",
        JOB.format(
            spec="  completionMode: Indexed\n  completions: 2\n  parallelism: 2\n"
            "  successPolicy:\n    rules: [{succeededIndexes: '0'}]\n"
        ),
        "spec.successPolicy",
        8,
    ),
    ("1.30", JOB.format(spec="  managedBy: kueue.x-k8s.io/multikueue\n"), "spec.managedBy", 5),
    (
        "1.30",
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: a}\n"
        "  trafficDistribution: PreferClose\n  ports: [{port: 80}]\n",
        "spec.trafficDistribution",
        6,
    ),
    (
        "1.30",
        POD.format(
            spec=CONTAINER + "      volumeMounts:\n        - name: d\n"
            "          mountPath: /d\n          readOnly: true\n"
            "          recursiveReadOnly: IfPossible\n"
            "  volumes: [{name: d, emptyDir: {}}]\n"
        ),
        "spec.containers[0].volumeMounts[0].recursiveReadOnly",
        12,
    ),
    (
        "1.31",
        POD.format(spec="  securityContext:\n    supplementalGroupsPolicy: Merge\n" + CONTAINER),
        "spec.securityContext.supplementalGroupsPolicy",
        6,
    ),
    (
        "1.31",
        POD.format(
            spec=CONTAINER + "      volumeMounts: [{name: m, mountPath: /m}]\n"
            "  volumes:\n    - name: m\n      image: {reference: 'example.com/m:v1'}\n"
        ),
        "spec.volumes[0].image",
        11,
    ),
    (
        "1.32",
        POD.format(spec="  resources:\n    limits: {cpu: '1', memory: 1Gi}\n" + CONTAINER),
        "spec.resources",
        5,
    ),
    (
        "1.33",
        POD.format(
            spec="  os: {name: linux}\n" + CONTAINER + "      lifecycle: {stopSignal: SIGTERM}\n"
        ),
        "spec.containers[0].lifecycle.stopSignal",
        9,
    ),
    (
        "1.34",
        POD.format(spec="  hostnameOverride: db-01\n" + CONTAINER),
        "spec.hostnameOverride",
        5,
    ),
    (
        "1.37",
        POD.format(spec=CONTAINER + "  volumes: [{name: d, emptyDir: {mode: 448}}]\n"),
        "spec.volumes[0].emptyDir.mode",
        8,
    ),
]


@pytest.mark.parametrize(("release", "text", "path", "line"), BY_HAND, ids=[c[2] for c in BY_HAND])
def test_by_hand_a_field_is_an_error_before_its_release_and_fine_from_it(
    tmp_path: Path, release: str, text: str, path: str, line: int
) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(text)
    fine = run_podgen(["validate", "--k8s-version", release, str(manifest)])
    assert fine.code == 0 and ": error: " not in fine.stdout, fine.stdout
    before = f"1.{versions.minor(release) - 1}"
    refused = run_podgen(["validate", "--k8s-version", before, str(manifest)])
    field = path.rsplit(".", 1)[-1].split("[")[0]
    assert refused.code == 1
    errors = [row for row in refused.stdout.splitlines() if ": error: " in row]
    assert len(errors) == 1 and errors[0].startswith(f"{manifest}:{line}:"), refused.stdout
    assert errors[0].endswith(
        f": error: {path}: unknown field '{field}': added in Kubernetes {release} "
        f"(this checks {before}, see --k8s-version) [field-not-in-version]"
    )


def test_added_in_names_the_first_release_with_the_field() -> None:
    assert k8s_schema.added_in("batch/v1/Job", ("spec", "successPolicy")) == "1.30"
    assert k8s_schema.added_in("batch/v1/Job", ("spec", "backoffLimit")) == "1.29"
    path = ("spec", "template", "spec", "containers", 3, "volumeMounts", 0, "bindMountOptions")
    assert k8s_schema.added_in("apps/v1/Deployment", path) == "1.37"
    assert k8s_schema.added_in("v1/Pod", ("spec", "workloadRef")) == "1.35"  # 1.36 removed it
    assert k8s_schema.added_in("v1/Pod", ("spec", "backofflimit")) is None
    assert k8s_schema.added_in("v1/Pod", ("metadata", "labels", "app")) == "1.29"  # a map's key
    assert (
        k8s_schema.added_in("admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy") == "1.30"
    )
    assert k8s_schema.added_in("example.com/v1/Widget") is None


def _corpus_doc(name: str) -> dict[str, Any]:
    for path in sorted(CORPUS.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc["metadata"]["name"] == name:
                return doc
    raise KeyError(name)


def test_a_field_a_later_release_removed_still_validates_where_it_was() -> None:
    """1.31 moved a resource claim's `source` fields up; 1.36 replaced `workloadRef`."""
    old_claim = _corpus_doc("gpu-claim-old")
    assert _problems(old_claim, "1.29") == _problems(old_claim, "1.30") == []
    (gone,) = _problems(old_claim, "1.31")
    assert gone.rule == FIELD and gone.text() == (
        "spec.resourceClaims[0].source: unknown field 'source': removed in Kubernetes 1.31 "
        "(this checks 1.31, see --k8s-version)"
    )
    member = _corpus_doc("workload-member")
    assert [p.rule for p in _problems(member, "1.34")] == [FIELD]
    assert _problems(member, "1.35") == []
    assert [p.text() for p in _problems(member, "1.36")] == [
        "spec.workloadRef: unknown field 'workloadRef': removed in Kubernetes 1.36 "
        "(this checks 1.36, see --k8s-version)"
    ]


def test_a_kind_a_later_release_serves_is_an_error_naming_it() -> None:
    policy = _corpus_doc("replica-limit")
    (problem,) = _problems(policy, "1.29")
    assert (problem.text(), problem.rule) == (
        "apiVersion: ValidatingAdmissionPolicy in admissionregistration.k8s.io/v1 is served from "
        "Kubernetes 1.30 on (this checks 1.29)",
        "api-not-yet",
    )
    assert _problems(policy, "1.30") == []
    with versions.targeting("1.29"):
        assert k8s_schema.covers(policy)
        assert "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy" not in k8s_schema.kinds()


def test_out_of_range_is_one_usage_line(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(POD.format(spec=CONTAINER))
    result = run_podgen(["validate", "--k8s-version", "1.28", str(tmp_path / "m.yaml")])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: --k8s-version: Kubernetes 1.28 is not supported: podgen supports 1.29 to 1.37\n"
    )


# --- kubernetes-validate and the real API server ---------------------------------------------


def _documents() -> list[tuple[Path, int, int, dict[str, Any]]]:
    """(file, document index, its first line, object) of every corpus document."""
    found = []
    for path in sorted(CORPUS.glob("*.yaml")):
        starts = [1] + [
            n + 1 for n, line in enumerate(path.read_text().splitlines(), 1) if line == "---"
        ]
        for index, doc in enumerate(yaml.safe_load_all(path.read_text())):
            found.append((path, index, starts[index], doc))
    return found


DOCUMENTS = _documents()


def _defaulted(node: Any) -> Any:
    """`node` with what the API server defaults before validating and 1.29-1.34's schemas
    require: onPodConditions[].status (True; pkg/apis/batch/v1/defaults.go)."""
    if isinstance(node, list):
        return [_defaulted(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _defaulted(value) for key, value in node.items()}
    if isinstance(out.get("onPodConditions"), list):
        out["onPodConditions"] = [
            {"status": "True", **p} if isinstance(p, dict) else p for p in out["onPodConditions"]
        ]
    return out


def _schema_valid(obj: dict[str, Any], version: str) -> bool:
    try:
        kubernetes_validate.validate(_defaulted(obj), f"{version}.0", strict=True)
    except (kubernetes_validate.ValidationError, kubernetes_validate.SchemaNotFoundError):
        return False
    return True


def _schema_errors(version: str) -> set[tuple[Path, int]]:
    """The corpus documents `podgen validate --k8s-version` finds schema errors in."""
    result = run_podgen(["validate", "--k8s-version", version, "--format", "json", str(CORPUS)])
    findings = json.loads(result.stdout)["findings"]
    schema_rules = {FIELD, API, "api-removed", "api-not-yet"}
    errors = set()
    for finding in findings:
        if finding["severity"] == "error" and (
            finding["rule"].startswith("schema-") or finding["rule"] in schema_rules
        ):
            path = Path(finding["file"]).resolve()
            index = max(i for p, i, start, _ in DOCUMENTS if p == path and start <= finding["line"])
            errors.add((path, index))
    return errors


def test_the_corpus_tells_the_releases_apart() -> None:
    verdicts = {
        (path.name, index): "".join(
            "+" if _schema_valid(doc, v) else "-" for v in versions.SUPPORTED
        )
        for path, index, _, doc in DOCUMENTS
    }
    assert len(set(verdicts.values())) >= 10, verdicts  # valid from 1.30, from 1.31, ...
    for column in range(len(versions.SUPPORTED)):  # each release: some valid, some not
        assert {v[column] for v in verdicts.values()} == {"+", "-"}


@pytest.mark.parametrize("version", versions.SUPPORTED)
def test_schema_errors_agree_with_kubernetes_validate_strict(version: str) -> None:
    errors = _schema_errors(version)
    for path, index, _, doc in DOCUMENTS:
        ours = (path.resolve(), index) not in errors
        assert ours == _schema_valid(doc, version), (version, path.name, doc["metadata"]["name"])


def test_the_1_36_server_judges_the_corpus_as_podgen_at_1_36(api_server: ApiServer) -> None:
    """SKEW: the server is 1.36; at --k8s-version 1.36 podgen refuses what it refuses.

    The 1.36/1.37 skew cases: a bind mount's options, an emptyDir's mode and a Job's
    scheduling are 1.37 fields, which the 1.36 server refuses as unknown (and podgen at 1.37
    accepts).
    """
    errors = _schema_errors("1.36")
    for path, index, _, doc in DOCUMENTS:
        verdict = api_server.verdict(doc)
        assert verdict.accepted == ((path.resolve(), index) not in errors), (
            doc["metadata"]["name"],
            verdict.message,
        )
    cache = _corpus_doc("cache")
    refused = api_server.verdict(cache)
    assert not refused.accepted
    assert 'unknown field "spec.template.spec.containers[0].volumeMounts[0].bindMountOptions"' in (
        refused.message
    )
    assert [p.rule for p in _problems(cache, "1.36")] == [FIELD, FIELD]
    assert _problems(cache, "1.37") == []


# -- a field a later release removed: "removed in" -------------------------------------------


def _fields(version: str, kind: str, depth: int = 4) -> Iterator[tuple[Any, ...]]:
    """Each field path of `kind` in the release's schema, lists followed at index 0."""
    release = k8s_releases.schema_of(version)

    def walk(node: Any, at: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        if node is None or len(at) >= depth:
            return
        node = k8s_releases._followed(node, release["$defs"])
        if isinstance(node.get("items"), dict):
            yield from walk(node["items"], (*at, 0))
            return
        for name, child in node.get("properties", {}).items():
            yield (*at, name)
            yield from walk(child, (*at, name))

    yield from walk(release["kinds"].get(kind), ())


def _removed() -> list[tuple[str, str, tuple[Any, ...]]]:
    """(release that removed it, kind, path) of every field one release has and the next lacks."""
    gone = []
    for before, after in itertools.pairwise(versions.SUPPORTED):
        kinds_after = k8s_releases.schema_of(after)["kinds"]
        for kind in k8s_releases.schema_of(before)["kinds"]:
            if kind not in kinds_after:
                continue
            for path in _fields(before, kind):
                if (
                    path[-1] != 0
                    and not k8s_releases._has(after, kind, path)
                    and k8s_releases._has(after, kind, path[:-1])  # the field, not its parent
                ):
                    gone.append((after, kind, path))
    return gone


def test_every_field_a_release_removed_is_named_as_removed_in_that_release() -> None:
    """Generated over the schemas of 1.29..1.37: at the removing release, and at the newest
    while it stays gone, the lookup names the release that removed it."""
    gone = _removed()
    assert ("1.31", "v1/Pod", ("spec", "resourceClaims", 0, "source")) in gone
    for release, kind, path in gone:
        with versions.targeting(release):
            assert k8s_releases.removed_in(kind, path) == release, (kind, path)
        if not k8s_releases._has(versions.NEWEST, kind, path):
            later = [v for v in versions.SUPPORTED if versions.minor(v) > versions.minor(release)]
            if not any(k8s_releases._has(v, kind, path) for v in later):
                with versions.targeting(versions.NEWEST):
                    assert k8s_releases.removed_in(kind, path) == release, (kind, path)


def test_a_pod_s_resource_claim_source_is_removed_in_1_31() -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {
            "containers": [{"name": "app", "image": "nginx:1.27"}],
            "resourceClaims": [{"name": "gpu", "source": {"resourceClaimName": "gpu"}}],
        },
    }
    for version in ("1.31", "1.33", "1.37"):
        with versions.targeting(version):
            (problem,) = schema_problems(pod)
        assert problem.rule == "field-not-in-version"
        assert problem.text().endswith(
            f"unknown field 'source': removed in Kubernetes 1.31 (this checks {version}, "
            "see --k8s-version)"
        ), problem.text()
    with versions.targeting("1.30"):
        assert list(schema_problems(pod)) == []


_NO_STATUS_JOB = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": {"name": "no-status"},
    "spec": {
        "podFailurePolicy": {
            "rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]
        },
        "template": {
            "spec": {
                "restartPolicy": "Never",
                "containers": [{"name": "app", "image": "busybox:1.36"}],
            }
        },
    },
}


@pytest.mark.parametrize("version", versions.SUPPORTED)
def test_an_on_pod_conditions_pattern_without_status_is_defaulted_not_refused(
    version: str,
) -> None:
    """1.29-1.34's schemas list `status` as required; SetDefaults_PodFailurePolicyOnPod-
    ConditionsPattern (pkg/apis/batch/v1/defaults.go) sets it to True before validation."""
    with versions.targeting(version):
        assert list(schema_problems(_NO_STATUS_JOB)) == []


def test_the_1_36_server_defaults_a_missing_on_pod_conditions_status(
    api_server: ApiServer,
) -> None:
    """SKEW: none: 1.36 and 1.37 both default it to True."""
    verdict = api_server.verdict(_NO_STATUS_JOB)
    assert verdict.accepted, verdict.message
