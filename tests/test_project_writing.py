"""A project's output you can trust (issue 21): no lost edits, no stale files, no half-writes.

Each test makes a project in a temporary folder and runs podgen there as a subprocess, as a
user's `make render` would; `kubectl kustomize` is the real kubectl 1.37.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.kubectl_peer import Kubectl

BLUEPRINT = """\
apiVersion: podgen.dev/v1
kind: Blueprint
pods:
  - name: web
    kind: deployment
    image: nginx:1.25.3
    port: 80
"""
PROJECT = "apiVersion: podgen.dev/v1\nkind: Project\n"
ENVIRONMENTS = """\
environments:
  dev:
    labels: {env: dev}
  prod:
    replicas: 3
"""


def _podgen(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "podgen", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, hidden ones too, and its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "blueprint.yaml").write_text(BLUEPRINT)
    (tmp_path / "podgen.yaml").write_text(PROJECT)
    return tmp_path


def _recipe(makefile: Path, target: str) -> str:
    """The command a Makefile target runs (one line)."""
    lines = makefile.read_text().splitlines()
    return lines[lines.index(f"{target}:") + 1].strip()


# Data loss: hand edits are never thrown away


def test_the_scaffold_renders_without_force_and_keeps_hand_edits(tmp_path: Path) -> None:
    created = _podgen(tmp_path, "scaffold", "web", "--image", "nginx:1.27", "--port", "80")
    assert created.returncode == 0, created.stderr
    web = tmp_path / "web"
    render = _recipe(web / "Makefile", "render")
    tasks = (web / ".vscode" / "tasks.json").read_text()
    assert render == "podgen render" and '"command": "podgen render",' in tasks
    assert "--force" not in (web / "Makefile").read_text() + tasks
    for edited in ("k8s/pod-web.yaml", "k8s/kustomization.yaml"):
        path = web / edited
        original = path.read_text()
        path.write_text(original + "# tuned by hand\n")
        result = _podgen(web, *shlex.split(render)[1:])
        assert result.returncode == 1
        assert result.stderr.startswith(f"error: {edited}: edited since podgen wrote it; ")
        assert "--force" in result.stderr and result.stderr.count("\n") == 1
        assert path.read_text() == original + "# tuned by hand\n"
        path.write_text(original)
    assert _podgen(web, "render").returncode == 0


def test_force_says_what_it_replaced_and_keeps_every_earlier_version(project: Path) -> None:
    assert _podgen(project, "render").returncode == 0
    manifest = project / "k8s" / "deployment-web.yaml"
    kept = project / "k8s" / ".podgen-replaced"
    for number, edit in enumerate(["# first edit\n", "# second edit\n"], start=1):
        rendered = manifest.read_text()
        manifest.write_text(rendered + edit)
        result = _podgen(project, "render", "--force")
        assert result.returncode == 0, result.stderr
        backup = kept / f"deployment-web.yaml.{number}"
        assert result.stdout == (
            f"replaced k8s/deployment-web.yaml (what was there is kept in "
            f"k8s/.podgen-replaced/deployment-web.yaml.{number})\n"
        )
        assert backup.read_text() == rendered + edit
        assert manifest.read_text() == rendered
    # What is kept is read neither by validate nor by `kubectl apply -R -f` (no .yaml suffix).
    assert _podgen(project, "render", "--check").returncode == 0
    assert _podgen(project, "validate").returncode == 0


def test_force_keeps_a_file_podgen_never_wrote(tmp_path: Path) -> None:
    out = tmp_path / "k8s"
    out.mkdir()
    (out / "pod-web.yaml").write_text("mine\n")
    (tmp_path / "bp.yaml").write_text(BLUEPRINT.replace("    kind: deployment\n", ""))
    refused = _podgen(tmp_path, "render", "bp.yaml", "--out", "k8s")
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: k8s/pod-web.yaml: not podgen's; ")
    forced = _podgen(tmp_path, "render", "bp.yaml", "--out", "k8s", "--force")
    assert forced.returncode == 0, forced.stderr
    assert (out / ".podgen-replaced" / "pod-web.yaml.1").read_text() == "mine\n"


# Stale output: what the project no longer renders goes, and --check fails on it


def test_adding_environments_moves_the_output_and_removes_the_old_files(
    project: Path, kubectl: Kubectl
) -> None:
    assert _podgen(project, "render").returncode == 0
    with (project / "podgen.yaml").open("a") as file:
        file.write(ENVIRONMENTS)
    check = _podgen(project, "render", "--check")
    assert check.returncode == 1
    assert "stale: k8s/deployment-web.yaml" in check.stdout
    assert "stale: k8s/kustomization.yaml" in check.stdout
    assert "error: k8s differs" in check.stderr
    result = _podgen(project, "render")
    assert result.returncode == 0, result.stderr
    assert "removed k8s/deployment-web.yaml (no object renders to it)\n" in result.stdout
    assert sorted(_files(project / "k8s")) == [
        "dev/.podgen-rendered",
        "dev/deployment-web.yaml",
        "dev/kustomization.yaml",
        "prod/.podgen-rendered",
        "prod/deployment-web.yaml",
        "prod/kustomization.yaml",
    ]
    assert _podgen(project, "render", "--check").returncode == 0
    # What `make apply-dry-run` sends: nothing from before, and kustomize finds no stale root.
    assert kubectl(["kustomize", str(project / "k8s")]).returncode != 0
    built = kubectl(["kustomize", str(project / "k8s" / "prod")])
    assert built.returncode == 0, built.stderr
    assert [o["spec"]["replicas"] for o in yaml.safe_load_all(built.stdout)] == [3]


def test_a_removed_environment_goes_and_check_fails_until_then(project: Path) -> None:
    (project / "podgen.yaml").write_text(PROJECT + ENVIRONMENTS)
    assert _podgen(project, "render").returncode == 0
    (project / "podgen.yaml").write_text(PROJECT + ENVIRONMENTS.split("  prod:")[0])
    check = _podgen(project, "render", "--check")
    assert check.returncode == 1
    assert "stale: k8s/prod/deployment-web.yaml" in check.stdout
    assert "k8s/dev: up to date" in check.stderr
    result = _podgen(project, "render")
    assert result.returncode == 0, result.stderr
    assert not (project / "k8s" / "prod").exists()
    assert _podgen(project, "render", "--check").returncode == 0


def test_an_edited_file_of_a_removed_environment_is_kept_and_forgotten(project: Path) -> None:
    (project / "podgen.yaml").write_text(PROJECT + ENVIRONMENTS)
    assert _podgen(project, "render").returncode == 0
    edited = project / "k8s" / "prod" / "deployment-web.yaml"
    edited.write_text(edited.read_text() + "# mine now\n")
    (project / "podgen.yaml").write_text(PROJECT + ENVIRONMENTS.split("  prod:")[0])
    result = _podgen(project, "render")
    assert result.returncode == 0
    assert f"warning: kept {edited.relative_to(project)}:" in result.stderr
    assert edited.read_text().endswith("# mine now\n")
    assert _podgen(project, "render", "--check").returncode == 0


def test_environments_are_written_all_or_nothing(project: Path) -> None:
    (project / "podgen.yaml").write_text(PROJECT + ENVIRONMENTS)
    assert _podgen(project, "render").returncode == 0
    before = _files(project / "k8s")
    # dev changes; prod (written after dev) can no longer render.
    broken = PROJECT + ENVIRONMENTS.replace("{env: dev}", "{env: dev2}") + "    pods: {ghost: {}}\n"
    (project / "podgen.yaml").write_text(broken)
    result = _podgen(project, "render")
    assert result.returncode == 1 and "ghost" in result.stderr and result.stdout == ""
    assert _files(project / "k8s") == before


def test_an_unchanged_file_is_left_untouched(project: Path) -> None:
    (project / "podgen.yaml").write_text(PROJECT + ENVIRONMENTS)
    assert _podgen(project, "render").returncode == 0
    files = sorted((project / "k8s").rglob("*"))
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files}
    again = _podgen(project, "render")
    assert again.returncode == 0 and again.stdout == ""
    assert again.stderr == "k8s/dev: up to date (2 files)\nk8s/prod: up to date (2 files)\n"
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files} == before
    # One change rewrites one file (and the record), nothing else.
    (project / "podgen.yaml").write_text(
        PROJECT + ENVIRONMENTS.replace("replicas: 3", "replicas: 4")
    )
    changed = _podgen(project, "render")
    assert changed.stdout == "wrote k8s/prod/deployment-web.yaml\n"
    assert (project / "k8s" / "dev" / "deployment-web.yaml").stat().st_ino == before[
        project / "k8s" / "dev" / "deployment-web.yaml"
    ][0]


# Line endings and file names that work on every system


def test_a_crlf_checkout_is_the_same_files(project: Path) -> None:
    assert _podgen(project, "render").returncode == 0
    for path in (project / "k8s").glob("*.yaml"):  # what git's core.autocrlf=true checks out
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = _files(project / "k8s")
    check = _podgen(project, "render", "--check")
    assert check.returncode == 0, check.stdout
    result = _podgen(project, "render")
    assert result.returncode == 0, result.stderr
    assert _files(project / "k8s") == before  # left as they are: no change for git to see
    (project / "blueprint.yaml").write_text(BLUEPRINT.replace("1.25.3", "1.27.1"))
    assert _podgen(project, "render").returncode == 0  # still podgen's: no --force needed
    assert b"nginx:1.27.1\n" in (project / "k8s" / "deployment-web.yaml").read_bytes()


def test_file_names_are_valid_on_windows(project: Path, kubectl: Kubectl) -> None:
    role = (
        "objects:\n"
        "  - apiVersion: rbac.authorization.k8s.io/v1\n"
        "    kind: ClusterRole\n"
        "    metadata: {name: 'system:my-role'}\n"
        "    rules: [{apiGroups: [''], resources: [pods], verbs: [get]}]\n"
    )
    (project / "blueprint.yaml").write_text(BLUEPRINT + role)
    result = _podgen(project, "render")
    assert result.returncode == 0, result.stderr
    names = [p.name for p in (project / "k8s").iterdir()]
    assert "clusterrole-system%3Amy-role.yaml" in names
    assert not any(set(name) & set('<>:"\\|?*') for name in names)
    built = kubectl(["kustomize", str(project / "k8s")])
    assert built.returncode == 0, built.stderr
    assert "name: system:my-role" in built.stdout


# Where a project writes


@pytest.mark.parametrize("out", ["..", "../elsewhere", "/tmp/podgen-out", "."])
def test_out_stays_inside_the_project(project: Path, out: str) -> None:
    (project / "podgen.yaml").write_text(PROJECT + f"out: {out}\n")
    before = sorted(project.parent.iterdir())
    result = _podgen(project, "render")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: podgen.yaml:3:1: out: ")
    assert "--allow-outside" in result.stderr
    assert sorted(project.parent.iterdir()) == before
    assert not Path("/tmp/podgen-out").exists()


def test_allow_outside_lets_out_leave_the_project(project: Path) -> None:
    (project / "app").mkdir()
    os.rename(project / "blueprint.yaml", project / "app" / "blueprint.yaml")
    (project / "app" / "podgen.yaml").write_text(PROJECT + "out: ../manifests\n")
    result = _podgen(project / "app", "render", "--allow-outside")
    assert result.returncode == 0, result.stderr
    assert (project / "manifests" / "deployment-web.yaml").is_file()


# Your own kustomization beside podgen's


@pytest.mark.parametrize("name", ["kustomization.yaml", "kustomization.yml", "Kustomization"])
def test_a_kustomization_of_yours_is_found_under_every_name(project: Path, name: str) -> None:
    (project / "k8s").mkdir()
    mine = project / "k8s" / name
    mine.write_text("resources: [deployment-web.yaml, extra.yaml]\n")
    result = _podgen(project, "render")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: k8s/{name}: a kustomization of yours")
    assert "kustomization: false" in result.stderr
    assert mine.read_text() == "resources: [deployment-web.yaml, extra.yaml]\n"
    assert sorted(p.name for p in (project / "k8s").iterdir()) == [name]


def test_kustomization_false_lets_yours_live_beside_podgens_files(
    project: Path, kubectl: Kubectl
) -> None:
    assert _podgen(project, "render").returncode == 0  # podgen's kustomization.yaml first
    (project / "podgen.yaml").write_text(PROJECT + "kustomization: false\n")
    result = _podgen(project, "render")
    assert result.returncode == 0, result.stderr
    assert "removed k8s/kustomization.yaml" in result.stdout  # podgen's, no longer rendered
    (project / "k8s" / "kustomization.yml").write_text("resources: [deployment-web.yaml]\n")
    assert _podgen(project, "render").returncode == 0
    assert _podgen(project, "render", "--check").returncode == 0
    built = kubectl(["kustomize", str(project / "k8s")])
    assert built.returncode == 0, built.stderr


def test_no_kustomization_with_out(tmp_path: Path) -> None:
    (tmp_path / "bp.yaml").write_text(BLUEPRINT)
    result = _podgen(tmp_path, "render", "bp.yaml", "--out", "k8s", "--no-kustomization")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "k8s").iterdir()) == [
        ".podgen-rendered",
        "deployment-web.yaml",
    ]
    alone = _podgen(tmp_path, "render", "bp.yaml", "--no-kustomization")
    assert alone.returncode == 1
    assert alone.stderr == "error: --no-kustomization: needs --out DIR\n"


def test_the_project_file_takes_only_true_or_false_for_kustomization(project: Path) -> None:
    (project / "podgen.yaml").write_text(PROJECT + "kustomization: no-thanks\n")
    result = _podgen(project, "render")
    assert result.returncode == 1
    assert result.stderr == (
        "error: podgen.yaml:3:1: kustomization: true or false, not 'no-thanks'\n"
    )


# Several environments at once


def test_env_may_be_repeated(project: Path) -> None:
    (project / "podgen.yaml").write_text(
        PROJECT + ENVIRONMENTS + "  staging:\n    labels: {env: staging}\n"
    )
    result = _podgen(project, "render", "--env", "dev", "--env", "prod")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (project / "k8s").iterdir()) == ["dev", "prod"]
    # Rendering one environment leaves the others' folders alone.
    assert _podgen(project, "render", "--env", "staging").returncode == 0
    assert sorted(p.name for p in (project / "k8s").iterdir()) == ["dev", "prod", "staging"]
    unknown = _podgen(project, "render", "--env", "dev", "--env", "qa")
    assert unknown.returncode == 1 and "no environment 'qa'" in unknown.stderr


# What a careless user, or a killed run, leaves behind


def test_a_killed_runs_temporary_files_go_with_the_next_render(project: Path) -> None:
    assert _podgen(project, "render").returncode == 0
    k8s = project / "k8s"
    manifest = k8s / "deployment-web.yaml"
    (k8s / ".deployment-web.yaml.1a2b3c4d.podgen-tmp").write_text("half a manifest")
    # An old file's backup whose file is there and the same: it goes.
    (k8s / ".deployment-web.yaml.5e6f7a8b.podgen-old").write_bytes(manifest.read_bytes())
    # One whose file is gone (killed between the two renames): it is put back.
    (k8s / ".notes.txt.9c0d1e2f.podgen-old").write_text("mine\n")
    check = _podgen(project, "render", "--check")
    assert check.returncode == 1
    assert "podgen render removes it" in check.stdout and check.stdout.count("stray: ") == 3
    result = _podgen(project, "render")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("(a temporary file of an interrupted podgen)") == 3
    assert (k8s / "notes.txt").read_text() == "mine\n"
    assert not [p for p in k8s.iterdir() if p.name.endswith((".podgen-tmp", ".podgen-old"))]
    assert _podgen(project, "render", "--check").returncode == 0


def test_check_fails_where_render_refuses_a_kustomization_of_yours(project: Path) -> None:
    assert _podgen(project, "render").returncode == 0
    (project / "k8s" / "kustomization.yml").write_text("resources: [deployment-web.yaml]\n")
    check = _podgen(project, "render", "--check")
    assert check.returncode == 1
    assert check.stdout.startswith("conflict: k8s/kustomization.yml: a kustomization of yours")
    assert _podgen(project, "render").returncode == 1


def test_a_lost_record_is_rebuilt_from_files_that_hold_what_podgen_writes(project: Path) -> None:
    assert _podgen(project, "render").returncode == 0
    (project / "k8s" / ".podgen-rendered").unlink()
    assert _podgen(project, "render", "--check").returncode == 0
    result = _podgen(project, "render")
    assert result.returncode == 0, result.stderr
    assert (project / "k8s" / ".podgen-rendered").is_file()


def test_a_folder_that_links_outside_is_never_written_through(project: Path) -> None:
    outside = project.parent / f"{project.name}-outside"
    outside.mkdir()
    (project / "podgen.yaml").write_text(PROJECT + ENVIRONMENTS)
    (project / "k8s").mkdir()
    (project / "k8s" / "dev").symlink_to(outside)
    result = _podgen(project, "render")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "k8s/dev leads outside k8s" in result.stderr
    assert list(outside.iterdir()) == []
    (project / "k8s" / "dev").unlink()
    (project / "k8s" / ".podgen-replaced").symlink_to(outside)
    assert _podgen(project, "render").returncode == 0
    (project / "k8s" / "dev" / "deployment-web.yaml").write_text("mine\n")
    forced = _podgen(project, "render", "--force")
    assert forced.returncode == 1 and "is not a folder of podgen's" in forced.stderr
    assert list(outside.iterdir()) == []


def test_a_write_error_in_a_project_names_podgen_yaml_not_a_flag(project: Path) -> None:
    (project / "podgen.yaml").write_text(PROJECT + "out: blueprint.yaml/k8s\n")
    result = _podgen(project, "render")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: podgen.yaml:3:1: out: ")
    assert "--out" not in result.stderr


def test_a_project_renders_its_own_format_only(project: Path) -> None:
    result = _podgen(project, "render", "-o", "json")
    assert result.returncode == 1
    assert result.stderr == (
        "error: --output: podgen.yaml writes yaml (output:); a project renders one format, "
        "so change it there\n"
    )
    assert _podgen(project, "render", "-o", "yaml").returncode == 0


def test_names_that_collide_on_windows_and_macos(project: Path) -> None:
    (project / "podgen.yaml").write_text(PROJECT + "environments:\n  dev: {}\n  Dev: {}\n")
    result = _podgen(project, "render")
    assert result.returncode == 1
    assert "'Dev' and 'dev' are one folder on Windows and macOS" in result.stderr
    (project / "podgen.yaml").write_text(PROJECT + "environments:\n  con: {}\n")
    assert "a name Windows keeps for a device" in _podgen(project, "render").stderr
    roles = "".join(
        "  - apiVersion: rbac.authorization.k8s.io/v1\n"
        "    kind: ClusterRole\n"
        f"    metadata: {{name: {name}}}\n"
        for name in ("Admin", "admin")
    )
    (project / "podgen.yaml").write_text(PROJECT)
    (project / "blueprint.yaml").write_text(BLUEPRINT + "objects:\n" + roles)
    clash = _podgen(project, "render")
    assert clash.returncode == 1
    assert "is clusterrole-Admin.yaml on Windows and macOS" in clash.stderr
    (project / "blueprint.yaml").write_text(
        BLUEPRINT.replace("kind: Blueprint\n", "kind: Blueprint\nnamespace: nul\n")
    )
    assert _podgen(project, "render").returncode == 0
    assert (project / "k8s" / "%6Eul" / "deployment-web.yaml").is_file()


def test_env_with_commas_says_to_repeat_the_flag(project: Path) -> None:
    (project / "podgen.yaml").write_text(PROJECT + ENVIRONMENTS)
    result = _podgen(project, "render", "--env", "dev,prod")
    assert result.stderr == (
        "error: --env: one environment a flag; repeat it for several: --env dev --env prod\n"
    )


def test_deeply_nested_input_is_one_line(project: Path) -> None:
    (project / "blueprint.yaml").write_text(
        BLUEPRINT + "    env: " + "[" * 5000 + "]" * 5000 + "\n"
    )
    for command in (["render"], ["render", "--check"], ["validate"]):
        result = _podgen(project, *command)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
