"""A mount the API server refuses is blamed on what made it, and on what made the other mount.

The app container mounts the pattern's shared volume (--shared-path, else the pattern's
default path) before the `mounts` word's (--mount, --volume-claim), so the manifest's index
of a mount is not the flag's or key's; two mounts at one path name both makers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from podgen._building.flags import flag_for
from podgen._building.sources import describe_source, key_of
from podgen._model.spec import Kind, Pattern, PodRequest
from tests.conftest import run_podgen

_UNIQUE = 'volumeMounts[1].mountPath: Invalid value: "{}": must be unique\n'


@pytest.mark.parametrize(
    ("flags", "makers", "path"),
    [
        (
            "--kind statefulset --volume-claim data=1Gi:/a --pattern sidecar --shared-path /a",
            "--volume-claim and --shared-path",
            "/a",
        ),
        (
            "--kind statefulset --volume-claim data=1Gi:/var/log/app --pattern sidecar",
            "--volume-claim and --pattern",
            "/var/log/app",
        ),
        (
            "--mount secret:s:/a --pattern init --shared-path /a",
            "--mount and --shared-path",
            "/a",
        ),
        ("--mount configmap:c:/data --pattern init", "--mount and --pattern", "/data"),
        (
            "--kind job --mount pvc:p:/s --pattern sidecar --shared-path /s --helper-path /h",
            "--mount and --shared-path",
            "/s",
        ),
    ],
)
def test_two_mounts_at_one_path_name_both_flags(flags: str, makers: str, path: str) -> None:
    new = run_podgen(["new", "db", "--image", "postgres:16", *flags.split()])
    assert new.code == 1
    assert new.stdout == ""
    assert new.stderr.startswith(f"error: {makers}: ")
    assert new.stderr.endswith(_UNIQUE.format(path))


def test_a_blueprint_mount_is_named_by_its_own_index(tmp_path: Path) -> None:
    blueprint = tmp_path / "bp.yaml"
    blueprint.write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods:\n"
        "  - name: web\n    image: nginx:1.27\n    pattern: sidecar\n    sharedPath: /a\n"
        "    volumes:\n      - name: c\n        configMap: {name: c}\n"
        "    mounts:\n      - name: c\n        mountPath: /a\n"
    )
    rendered = run_podgen(["render", str(blueprint)])
    # The manifest's volumeMounts[1] is the blueprint's mounts[0] (line 13): the shared
    # volume's mount comes first.
    assert (rendered.code, rendered.stdout) == (1, "")
    assert rendered.stderr == (
        f"error: {blueprint}:13:9: pods[0].mounts[0].mountPath: "
        f"spec.containers[0].{_UNIQUE.format('/a')}"
    )


@pytest.mark.parametrize(
    ("request_fields", "path", "named", "key"),
    [
        (
            {"pattern": Pattern.SIDECAR, "helper_path": "/h"},
            "spec.containers[1].volumeMounts[0].mountPath",
            "--helper-path",
            "helperPath",
        ),
        (
            {"pattern": Pattern.SIDECAR, "shared_path": "/s"},
            "spec.containers[1].volumeMounts[0].mountPath",
            "--shared-path",
            "sharedPath",
        ),
        (
            {"pattern": Pattern.INIT, "kind": Kind.DEPLOYMENT},
            "spec.template.spec.initContainers[0].volumeMounts[0].mountPath",
            "--pattern",
            "pattern",
        ),
        (
            {"pattern": Pattern.SIDECAR},
            "spec.containers[0].volumeMounts[0].name",
            "--volume-name",
            "volumeName",
        ),
        (
            {"words": {"mounts": [{"name": "c", "mountPath": "/c"}]}},
            "spec.containers[0].volumeMounts[0].mountPath",
            "--mount",
            "mounts[0].mountPath",
        ),
    ],
)
def test_a_helper_and_a_shared_mount_are_named_by_their_own_keys(
    request_fields: dict[str, Any], path: str, named: str, key: str
) -> None:
    # Mounts the API server refuses only in pairs here: each maker named on its own.
    request = PodRequest(name="w", image="nginx:1.27", **request_fields)
    assert describe_source(path, request, flag_for) == named
    assert key_of(path, request) == key
