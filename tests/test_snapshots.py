"""Snapshots of what `podgen new` writes, as plain .yaml manifests under tests/snapshots/.

The differential suite proves these match kubectl; the snapshots let a reviewer read them and
catch any change. Each one is also validated against the Kubernetes 1.37 schema.
"""

from __future__ import annotations

import pytest
from syrupy.assertion import SnapshotAssertion

from tests.conftest import assert_schema_valid, run_podgen
from tests.pod_cases import KIND_PATTERN_CASES, OPTION_CASES, PATTERN_PROBE_CASES
from tests.yaml_snapshot import YamlSnapshot

EXAMPLES = {
    "pod-minimal": ["web", "--image", "nginx:1.25.3"],
    "pod-with-port": ["web", "--image", "nginx:1.25.3", "--port", "80"],
    "pod-exposed": ["web", "--image", "nginx:1.25.3", "--port", "80", "--expose"],
    "pod-job-style": [
        "hello",
        "--image",
        "busybox:1.36",
        "--restart",
        "Never",
        "--command",
        "--",
        "sh",
        "-c",
        "echo hello from podgen",
    ],
    "pod-every-flag": [
        "api",
        "--image",
        "registry.example.com/team/api:2.1.0",
        "--port",
        "8443",
        "-l",
        "app=api,tier=backend",
        "--env",
        "LOG_LEVEL=debug",
        "--env",
        "FEATURE_FLAGS=yes",
        "--annotations",
        "example.com/owner=team-api",
        "-n",
        "prod",
        "--image-pull-policy",
        "IfNotPresent",
        "--restart",
        "OnFailure",
        "--privileged",
        "--expose",
        "--",
        "--tls",
        "--port=8443",
    ],
    "pod-tricky-strings": [
        "quoting",
        "--image",
        "busybox:1.36",
        "--env",
        "BOOL=yes",
        "--env",
        "NUM=1e3",
        "--env",
        "OCT=0o17",
        "--env",
        "TIME=1:20",
        "--env",
        "DATE=2024-01-01",
        "--env",
        "TILDE=~",
        "--env",
        "PCT=%done",
        "--env",
        "TAB=tab\there",
        "--env",
        "LINES=first\nsecond",
        "--annotations",
        "long=" + "lorem ipsum " * 12,
        "--",
        "echo",
        "a: b",
        "c #d",
        "*e",
    ],
    "deployment": [
        "web",
        "--image",
        "nginx:1.25.3",
        "--kind",
        "deployment",
        "--replicas",
        "3",
        "--port",
        "80",
        "-n",
        "prod",
    ],
    "deployment-exposed": [
        "web",
        "--image",
        "nginx:1.25.3",
        "--kind",
        "deployment",
        "--port",
        "80",
        "--expose",
    ],
}


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(YamlSnapshot)


ALL_CASES = {**EXAMPLES, **PATTERN_PROBE_CASES, **OPTION_CASES, **KIND_PATTERN_CASES}


def test_case_names_are_unique() -> None:
    assert len(ALL_CASES) == (
        len(EXAMPLES) + len(PATTERN_PROBE_CASES) + len(OPTION_CASES) + len(KIND_PATTERN_CASES)
    )


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_snapshot(name: str, snapshot: SnapshotAssertion) -> None:
    result = run_podgen(["new", *ALL_CASES[name]])
    assert (result.code, result.stderr) == (0, "")
    assert_schema_valid(result.stdout)
    assert result.stdout == snapshot
