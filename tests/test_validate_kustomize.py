"""podgen validate and kustomize (issue 21): a file a kustomization names as a patch is no object.

Each case writes a base and an overlay in tmp_path, as a team puts its own overlays on the
folders podgen renders into.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_podgen

#: A strategic-merge patch: kind and name to find the object, and only what changes.
PATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
"""
#: Not an object at all (a JSON patch, a generator's input, a Helm values file).
NOT_AN_OBJECT = "replicas: 3\nimage: {tag: '1.27'}\n"


def _base(root: Path) -> None:
    (root / "base").mkdir(parents=True)
    deployment = run_podgen(["new", "web", "--image", "nginx:1.27.1", "--kind", "deployment"])
    (root / "base" / "deployment.yaml").write_text(deployment.stdout)
    (root / "base" / "kustomization.yaml").write_text("resources: [deployment.yaml]\n")


def _summary(result_stderr: str) -> str:
    return result_stderr.splitlines()[-1]


def test_the_patch_alone_is_a_mistake_without_its_kustomization(tmp_path: Path) -> None:
    """What the cases below hold to: these files fail when nothing says they are patches."""
    for text in (PATCH, NOT_AN_OBJECT):
        (tmp_path / "x.yaml").write_text(text)
        assert run_podgen(["validate", str(tmp_path / "x.yaml")]).code == 1


# (what the kustomization says, the file it names, that file's text): every field kustomize
# reads a path from that is not a resource (kubernetes-sigs/kustomize api/types).
NAMED = [
    ("patches:\n  - path: replicas.yaml\n", "replicas.yaml", PATCH),
    ("patches:\n  - path: patches/replicas.yaml\n    target: {kind: Deployment}\n",
     "patches/replicas.yaml", PATCH),
    ("patchesStrategicMerge:\n  - replicas.yaml\n", "replicas.yaml", PATCH),
    ("patchesJson6902:\n  - target: {kind: Deployment, name: web}\n    path: ops.yaml\n",
     "ops.yaml", "- op: replace\n  path: /spec/replicas\n  value: 3\n"),
    ("configMapGenerator:\n  - name: app\n    files: [settings.yaml]\n", "settings.yaml",
     NOT_AN_OBJECT),
    ("configMapGenerator:\n  - name: app\n    files: [app.yaml=config/settings.yaml]\n",
     "config/settings.yaml", NOT_AN_OBJECT),
    ("configMapGenerator:\n  - name: app\n    envs: [app.env.yaml]\n", "app.env.yaml",
     NOT_AN_OBJECT),
    ("configMapGenerator:\n  - name: app\n    env: app.env.yaml\n", "app.env.yaml",
     NOT_AN_OBJECT),
    ("secretGenerator:\n  - name: creds\n    files: [key=secret.yaml]\n", "secret.yaml",
     NOT_AN_OBJECT),
    ("configMapGenerator:\n  - name: app\n    files: [config]\n", "config/a.yaml",
     NOT_AN_OBJECT),  # a folder: each file in it
    ("replacements:\n  - path: replacement.yaml\n", "replacement.yaml",
     "source: {kind: Deployment, name: web}\ntargets: []\n"),
    ("transformers:\n  - labels.yaml\n", "labels.yaml", NOT_AN_OBJECT),
    ("generators:\n  - generator.yaml\n", "generator.yaml", NOT_AN_OBJECT),
    ("validators:\n  - check.yaml\n", "check.yaml", NOT_AN_OBJECT),
    ("configurations:\n  - kustomizeconfig.yaml\n", "kustomizeconfig.yaml",
     "nameReference:\n  - kind: ConfigMap\n"),
    ("crds:\n  - crd.yaml\n", "crd.yaml", NOT_AN_OBJECT),
    ("openapi:\n  path: schema.json\n", "schema.json", '{"definitions": {}}\n'),
    ("helmCharts:\n  - name: redis\n    valuesFile: values.yaml\n", "values.yaml",
     NOT_AN_OBJECT),
    ("helmCharts:\n  - name: redis\n    additionalValuesFiles: [values-prod.yaml]\n",
     "values-prod.yaml", NOT_AN_OBJECT),
    ("helmCharts:\n  - name: redis\n", "charts/redis/values.yaml", NOT_AN_OBJECT),
    ("helmGlobals: {chartHome: vendor}\nhelmCharts:\n  - name: redis\n",
     "vendor/redis/templates/x.yaml", NOT_AN_OBJECT),
    ("helmChartInflationGenerator:\n  - chartName: redis\n    values: values.yaml\n",
     "values.yaml", NOT_AN_OBJECT),
]  # fmt: skip


@pytest.mark.parametrize(
    "kustomization", ["kustomization.yaml", "kustomization.yml", "Kustomization"]
)
@pytest.mark.parametrize(
    ("says", "name", "text"), NAMED, ids=[case[1] + "-" + case[0].split(":")[0] for case in NAMED]
)
def test_a_file_a_kustomization_names_is_not_validated_as_an_object(
    tmp_path: Path, kustomization: str, says: str, name: str, text: str
) -> None:
    _base(tmp_path)
    overlay = tmp_path / "overlays" / "prod"
    (overlay / name).parent.mkdir(parents=True, exist_ok=True)
    (overlay / name).write_text(text)
    (overlay / kustomization).write_text("resources: [../../base]\n" + says)
    given = run_podgen(["validate", str(overlay / name)])  # as a pre-commit hook gives it
    assert (given.code, given.stdout) == (0, "")
    assert _summary(given.stderr) == (
        "0 error(s), 0 warning(s) in 0 file(s), 1 skipped (not Kubernetes manifests)"
    )
    walked = run_podgen(["validate", str(tmp_path), "--format", "json"])  # as a folder
    report = json.loads(walked.stdout)
    assert walked.code == 0, walked.stdout
    assert report["errors"] == 0 and report["skipped"] == 1
    assert not any(f["file"].endswith(name) for f in report["findings"])


def test_an_overlay_of_a_project_out_folder(tmp_path: Path) -> None:
    """The issue's case: a replicas-only patch beside podgen's rendered folder."""
    (tmp_path / "k8s" / "base").mkdir(parents=True)
    out = run_podgen(
        ["render", "nginx-web", "--out", str(tmp_path / "k8s" / "base")]
    )  # its kustomization.yaml lists the manifests
    assert out.code == 0, out.stderr
    prod = tmp_path / "k8s" / "overlays" / "prod"
    prod.mkdir(parents=True)
    (prod / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources: [../../base]\npatches:\n  - path: replicas.yaml\n"
    )
    (prod / "replicas.yaml").write_text(PATCH)
    result = run_podgen(["validate", str(tmp_path / "k8s")])
    assert result.code == 0, result.stdout
    assert ": error: " not in result.stdout and "replicas.yaml" not in result.stdout
    assert _summary(result.stderr).endswith(", 1 skipped (not Kubernetes manifests)")


def test_resources_are_still_validated(tmp_path: Path) -> None:
    _base(tmp_path)
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    # listed as a resource, and (a mistake) as a patch too: a resource is an object
    (overlay / "kustomization.yaml").write_text(
        "resources: [../base, extra.yaml]\npatchesStrategicMerge: [extra.yaml]\n"
        "patches:\n  - patch: |-\n      - op: remove\n        path: /spec/replicas\n"
    )
    (overlay / "extra.yaml").write_text(PATCH)
    (overlay / "stray.yaml").write_text(PATCH)  # named by nothing: a manifest like any other
    (tmp_path / "base" / "deployment.yaml").write_text(
        (tmp_path / "base" / "deployment.yaml").read_text().replace("replicas: 1", "replicas: -1")
    )
    result = run_podgen(["validate", str(tmp_path)])
    assert result.code == 1
    failing = {line.split(":")[0] for line in result.stdout.splitlines() if ": error: " in line}
    assert failing == {
        str(tmp_path / "base" / "deployment.yaml"),
        str(overlay / "extra.yaml"),
        str(overlay / "stray.yaml"),
    }


def test_a_kustomization_without_apiversion_is_not_an_object(tmp_path: Path) -> None:
    _base(tmp_path)  # base/kustomization.yaml: `resources: [...]` only, as most are written
    (tmp_path / "overlay").mkdir()
    (tmp_path / "overlay" / "kustomization.yml").write_text("resources: [../base]\n")
    result = run_podgen(["validate", str(tmp_path)])
    assert result.code == 0, result.stdout
    assert ": error: " not in result.stdout
    assert _summary(result.stderr).startswith("0 error(s), 3 warning(s) in 3 file(s)")


def test_a_broken_kustomization_names_nothing_and_is_reported(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("patches: [\n")
    (tmp_path / "replicas.yaml").write_text(PATCH)
    result = run_podgen(["validate", str(tmp_path)])
    assert result.code == 1
    failing = {line.split(":")[0] for line in result.stdout.splitlines() if ": error: " in line}
    assert failing == {str(tmp_path / "kustomization.yaml"), str(tmp_path / "replicas.yaml")}
