"""podgen import keeps what was written: defaults, ownerReferences, folders (issue 24).

The corpus under tests/corpus/as_written/ holds manifests in the shapes real projects write
(Helm-chart Deployments with `replicas: 1`, StatefulSets, Services written out in full,
Namespaces, objects with ownerReferences, a `kubectl get all -o yaml` dump, a mixed folder):
each imports, and renders back to exactly the objects it holds.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_podgen

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
"""


def test_import_takes_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "k8s"
    (folder / "apps").mkdir(parents=True)
    (folder / "apps" / "web.yaml").write_text(DEPLOYMENT)
    (folder / "ns.json").write_text(
        '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}'
    )
    (folder / ".hidden.yaml").write_text("not: [a manifest")
    result = run_podgen(["import", str(folder)])
    assert (result.code, result.stderr) == (0, ""), result
    assert "name: web" in result.stdout and "name: shop" in result.stdout


def test_import_of_a_folder_skips_blueprints_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)
    (tmp_path / "blueprint.yaml").write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods: [{name: a, image: nginx}]\n"
    )
    result = run_podgen(["import", str(tmp_path)])
    assert result.code == 0, result
    assert result.stderr == (
        f"note: {tmp_path}/blueprint.yaml: skipped: a podgen Blueprint, not a manifest\n"
    )


@pytest.mark.parametrize("command", ["import", "validate"])
def test_a_broken_symlink_in_a_folder_is_named(tmp_path: Path, command: str) -> None:
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)
    os.symlink(tmp_path / "gone.yaml", tmp_path / "link.yaml")
    result = run_podgen([command, str(tmp_path)])
    assert result.code != 0
    assert f"{tmp_path}/link.yaml" in result.stderr + result.stdout
    assert "cannot read it: a broken symbolic link" in result.stderr + result.stdout
    assert "could not write the output" not in result.stderr


@pytest.mark.parametrize("command", ["import", "validate"])
def test_an_unreadable_file_is_named_not_blamed_on_the_output(
    tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permission denied on reading (tests run as root, so `open` is made to refuse)."""
    import builtins

    secret = tmp_path / "secret.yaml"
    secret.write_text(DEPLOYMENT)
    real_open = builtins.open

    def refusing_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(secret):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", refusing_open)
    result = run_podgen([command, str(tmp_path)])
    output = result.stderr + result.stdout
    assert result.code != 0
    assert f"{secret}" in output and "cannot read it: Permission denied" in output
    assert "could not write the output" not in output


def test_a_blueprint_given_to_import_is_named_as_one(tmp_path: Path) -> None:
    blueprint = tmp_path / "app.yaml"
    blueprint.write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods: [{name: a, image: b}]\n"
    )
    result = run_podgen(["import", str(blueprint)])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: {blueprint}:1:1: this is a podgen Blueprint (apiVersion: podgen.dev/v1), not a "
        f"Kubernetes manifest; `podgen render {blueprint}` writes its objects\n"
    )
    assert "null" not in result.stderr
