"""A StatefulSet's claim templates: duplicate names, names shared with a volume, one mount path.

The real API server is asked first. It takes two claim templates of one name and a claim
named like a pod volume (the StatefulSet controller then keeps one claim per name and puts it
in that volume's place), so `podgen validate` warns with a rule of its own; `podgen new` and
`podgen render` never write them and refuse naming both flags or keys. Two mounts at one path
the server refuses, and podgen blames the `--volume-claim` values that made them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.apiserver import ApiServer
from tests.conftest import run_podgen


def _claim(name: str, size: str = "1Gi") -> dict[str, Any]:
    return {
        "metadata": {"name": name},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}},
    }


def _statefulset(
    claims: list[dict[str, Any]], mounts: list[dict[str, Any]], volumes: list[dict[str, Any]]
) -> dict[str, Any]:
    pod: dict[str, Any] = {"containers": [{"name": "db", "image": "postgres:16"}]}
    pod["containers"][0]["volumeMounts"] = mounts
    if volumes:
        pod["volumes"] = volumes
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "default"},
        "spec": {
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": {"metadata": {"labels": {"app": "db"}}, "spec": pod},
            "volumeClaimTemplates": claims,
        },
    }


#: (id, the object, its rule, where validate points, the flags that would write it, podgen's
#: refusal of them).
ACCEPTED = [
    (
        "two-claims-of-one-name",
        _statefulset(
            [_claim("data"), _claim("data", "2Gi")],
            [{"name": "data", "mountPath": "/a"}, {"name": "data", "mountPath": "/b"}],
            [],
        ),
        "statefulset-claim-duplicate",
        'spec.volumeClaimTemplates[1].metadata.name: Duplicate value: "data"',
        ["--volume-claim", "data=1Gi:/a", "--volume-claim", "data=2Gi:/b"],
        "error: --volume-claim: two claims are named 'data' (mounted at '/a' and '/b'); the "
        "StatefulSet controller would make one claim of the name per pod, from the last, so "
        "give each its own name\n",
    ),
    (
        "claim-named-like-a-configmap-volume",
        _statefulset(
            [_claim("data")],
            [{"name": "data", "mountPath": "/a"}, {"name": "data", "mountPath": "/b"}],
            [{"name": "data", "configMap": {"name": "data"}}],
        ),
        "statefulset-claim-replaces-volume",
        'spec.template.spec.volumes[0].name: Invalid value: "data": the claim of '
        "spec.volumeClaimTemplates[0] has this name",
        ["--volume-claim", "data=1Gi:/a", "--mount", "configmap:data:/b"],
        "error: --volume-claim: the claim 'data' has the name of the configMap volume 'data' of "
        "--mount; the StatefulSet controller would put the claim in its place\n",
    ),
    (
        "claim-named-like-the-sidecar-emptydir",
        _statefulset(
            [_claim("shared")],
            [{"name": "shared", "mountPath": "/var/log/app"}],
            [{"name": "shared", "emptyDir": {}}],
        ),
        "statefulset-claim-replaces-volume",
        'spec.template.spec.volumes[0].name: Invalid value: "shared"',
        ["--volume-claim", "shared=1Gi:/srv", "--pattern", "sidecar"],
        "error: --volume-claim: the claim 'shared' has the name of --pattern sidecar's emptyDir "
        "(--volume-name); the StatefulSet controller would put the claim in its place\n",
    ),
]


@pytest.mark.parametrize(
    ("case_id", "obj", "rule", "where", "flags", "refusal"),
    ACCEPTED,
    ids=[case[0] for case in ACCEPTED],
)
def test_the_server_takes_it_validate_warns_new_refuses_naming_both(
    api_server: ApiServer,
    tmp_path: Path,
    case_id: str,
    obj: dict[str, Any],
    rule: str,
    where: str,
    flags: list[str],
    refusal: str,
) -> None:
    verdict = api_server.verdict(obj)
    assert verdict.accepted, verdict.message
    assert verdict.warnings == []
    path = tmp_path / "sts.yaml"
    path.write_text(yaml.safe_dump(obj))
    validated = run_podgen(["validate", str(path), "--format", "json"])
    assert validated.code == 0, validated.stdout  # a warning, not an error: the server agrees
    findings = [f for f in _findings(validated.stdout) if f["rule"] == rule]
    assert len(findings) == 1
    assert findings[0]["severity"] == "warning"
    assert where in findings[0]["message"]
    new = run_podgen(["new", "db", "--image", "postgres:16", "--kind", "statefulset", *flags])
    assert (new.code, new.stdout, new.stderr) == (1, "", refusal)


def _findings(text: str) -> list[dict[str, Any]]:
    import json

    data = json.loads(text)
    return list(data["findings"] if isinstance(data, dict) else data)


@pytest.mark.parametrize(
    ("flags", "refusal"),
    [
        (
            ["--volume-claim", "a=1Gi:/x", "--volume-claim", "b=1Gi:/x"],
            "error: --volume-claim: 'a=1Gi:/x' and 'b=1Gi:/x' both mount at '/x'; "
            "a container takes one volume at a path\n",
        ),
        (
            ["--mount", "configmap:c:/x", "--volume-claim", "a=1Gi:/x"],
            "error: --volume-claim: 'a=1Gi:/x' and --mount 'configmap:c:/x' both mount at '/x'; "
            "a container takes one volume at a path\n",
        ),
    ],
)
def test_two_claims_at_one_path_blame_the_volume_claim_values(
    api_server: ApiServer, flags: list[str], refusal: str
) -> None:
    obj = _statefulset(
        [_claim("a"), _claim("b")],
        [{"name": "a", "mountPath": "/x"}, {"name": "b", "mountPath": "/x"}],
        [],
    )
    verdict = api_server.verdict(obj)
    assert not verdict.accepted
    assert 'volumeMounts[1].mountPath: Invalid value: "/x": must be unique' in verdict.message
    new = run_podgen(["new", "db", "--image", "postgres:16", "--kind", "statefulset", *flags])
    assert (new.code, new.stdout, new.stderr) == (1, "", refusal)


def test_a_blueprint_with_two_claims_of_one_name_is_refused_at_its_line(tmp_path: Path) -> None:
    blueprint = tmp_path / "db.yaml"
    blueprint.write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods:\n"
        "  - name: db\n    image: postgres:16\n    kind: statefulset\n"
        "    mounts: [{name: data, mountPath: /a}]\n"
        "    volumeClaimTemplates:\n"
        + "".join(
            f"      - metadata: {{name: data}}\n        spec: {{accessModes: [ReadWriteOnce], "
            f"resources: {{requests: {{storage: {size}}}}}}}\n"
            for size in ("1Gi", "2Gi")
        )
    )
    rendered = run_podgen(["render", str(blueprint)])
    assert (rendered.code, rendered.stdout) == (1, "")
    assert rendered.stderr == (
        f"error: {blueprint}:8:5: pods[0].volumeClaimTemplates: two claims are named 'data' "
        "(mounted at '/a'); the StatefulSet controller would make one claim of the name per "
        "pod, from the last, so give each its own name\n"
    )


@pytest.mark.parametrize(
    ("obj", "rule", "where"),
    [case[1:4] for case in ACCEPTED],
    ids=[case[0] for case in ACCEPTED],
)
def test_import_keeps_what_the_server_takes_and_podgen_will_not_write(
    tmp_path: Path, obj: dict[str, Any], rule: str, where: str
) -> None:
    """Import never refuses what the server takes: kept whole, with a note naming the rule."""
    path = tmp_path / "sts.yaml"
    path.write_text(yaml.safe_dump(obj))
    imported = run_podgen(["import", str(path)])
    assert imported.code == 0, imported.stderr
    (note,) = imported.stderr.splitlines()
    assert note.startswith(f"note: {path}:") and where in note, note
    assert f"the API server takes it, but podgen writes no such object [{rule}]" in note
    assert note.endswith(
        "kept it as it is under objects: (`podgen render` refuses it until it is fixed)"
    )
    blueprint = yaml.safe_load(imported.stdout)
    placed = {**obj, "metadata": {**obj["metadata"], "namespace": blueprint["namespace"]}}
    assert [
        {**o, "metadata": {**o["metadata"], "namespace": blueprint["namespace"]}}
        for o in blueprint["objects"]
    ] == [placed]
