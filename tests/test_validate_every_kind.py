"""`podgen validate` on every built-in kind (issue 15): the 1.37 schema for ConfigMaps, Secrets,
Ingresses, RBAC, ... as for the kinds that run pods; removed API versions named with their
replacement; and a manifest pasted with its line numbers said to be one, on line 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_podgen

CORPUS = Path(__file__).parent / "corpus"


def _validate(tmp_path: Path, text: str) -> tuple[int, str]:
    (tmp_path / "m.yaml").write_text(text)
    result = run_podgen(["validate", str(tmp_path / "m.yaml")])
    return result.code, result.stdout


def test_no_built_in_kind_of_the_corpus_is_left_unchecked() -> None:
    # The top-level files; corpus/real_world (and its mistakes/) has tests of its own.
    result = run_podgen(["validate", *map(str, sorted(CORPUS.glob("*.yaml")))])
    assert result.code == 0, result.stdout
    assert "kind-unchecked" not in result.stdout


BAD = [
    ("configmap-number", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: 1\n",
     5, "schema-type", 'quote it: "1"'),
    ("secret-unknown-field",
     "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringdata: {a: b}\n",
     4, "schema-unknown-field", "did you mean 'stringData'"),
    ("ingress-port-type",
     "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n"
     "  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n"
     "          service: {name: web, port: {number: http}}\n",
     11, "schema-type", "expected a whole number"),
    ("role-unknown-field",
     "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules:\n"
     "- apiGroups: ['']\n  resource: [pods]\n  verbs: [get]\n",
     6, "schema-unknown-field", "did you mean 'resources'"),
    ("pdb-wrong-type",
     "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec:\n"
     "  minAvailable: [1]\n",
     5, "schema-type", "expected"),
    ("hpa-v2-unknown-field",
     "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n"
     "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 3\n"
     "  targetCPUUtilizationPercentage: 80\n",
     7, "schema-unknown-field", "targetCPUUtilizationPercentage"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "text", "line", "rule", "words"), BAD, ids=[b[0] for b in BAD])
def test_other_kinds_are_checked_against_their_schema(
    tmp_path: Path, case: str, text: str, line: int, rule: str, words: str
) -> None:
    code, out = _validate(tmp_path, text)
    assert code == 1, out
    assert any(f":{line}:" in f and f"[{rule}]" in f and words in f for f in out.splitlines()), out


REMOVED = [
    ("extensions/v1beta1", "Deployment", "removed in Kubernetes 1.16; use apps/v1"),
    ("apps/v1beta2", "DaemonSet", "removed in Kubernetes 1.16; use apps/v1"),
    ("batch/v1beta1", "CronJob", "removed in Kubernetes 1.25; use batch/v1"),
    ("policy/v1beta1", "PodSecurityPolicy", "removed in Kubernetes 1.25; use Pod Security"),
    ("policy/v1beta1", "PodDisruptionBudget", "removed in Kubernetes 1.25; use policy/v1"),
    ("networking.k8s.io/v1beta1", "Ingress", "removed in Kubernetes 1.22"),
    ("extensions/v1beta1", "Ingress", "use networking.k8s.io/v1"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "removed in Kubernetes 1.26"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole", "use rbac.authorization.k8s.io/v1"),
]


@pytest.mark.parametrize(("api_version", "kind", "words"), REMOVED)
def test_removed_api_versions_are_errors_naming_the_release_and_the_replacement(
    tmp_path: Path, api_version: str, kind: str, words: str
) -> None:
    code, out = _validate(
        tmp_path, f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n"
    )
    assert code == 1
    (finding,) = [f for f in out.splitlines() if "[api-removed]" in f]
    assert ":1:" in finding and ": error: " in finding and words in finding, finding


def test_a_custom_resource_is_the_one_kind_left_unchecked(tmp_path: Path) -> None:
    code, out = _validate(
        tmp_path, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {a: 1}\n"
    )
    assert code == 0
    assert "[kind-unchecked]" in out and "custom resource" in out


def test_pasted_line_numbers_are_named_on_line_one(tmp_path: Path) -> None:
    numbered = "".join(
        f"{n:>3} {line}\n"
        for n, line in enumerate(
            ["apiVersion: v1", "kind: Pod", "metadata:", "  name: web", "spec:",
             "  containers:", "  - name: web", "    image: nginx:1.27", "    ports:",
             "    - containerPort: 80"],
            start=1,
        )
    )  # fmt: skip
    code, out = _validate(tmp_path, numbered)
    assert code == 1
    (finding,) = out.splitlines()
    assert ":1:1: error: " in finding and "line numbers" in finding
    assert finding.endswith("[pasted-line-numbers]")
