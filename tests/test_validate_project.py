"""podgen validate on a project (issue 21): what every environment renders, and podgen.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_podgen

BLUEPRINT = """\
apiVersion: podgen.dev/v1
kind: Blueprint
pods:
  - name: web
    kind: deployment
    image: nginx:1.27.1
    port: 80
  - name: report
    kind: cronjob
    schedule: "0 3 * * *"
    image: busybox:1.36
    command: [sh, -c, "echo done"]
"""
PROJECT = """\
apiVersion: podgen.dev/v1
kind: Project
blueprints: [blueprint.yaml]
environments:
  dev:
    labels: {env: dev}
  prod:
    namespace: shop-prod
    pods:
      web:
        replicas: 3
"""

#: One environment gives the CronJob replicas, which `podgen render` refuses.
CRONJOB_REPLICAS = ("  dev:\n", "  dev:\n    pods:\n      report: {replicas: 2}\n")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "blueprint.yaml").write_text(BLUEPRINT)
    (tmp_path / "podgen.yaml").write_text(PROJECT)
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path)
    assert run_podgen(["render"]).code == 0
    return tmp_path


def _errors(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if ": error: " in line]


def test_a_clean_project_validates_clean(project: Path) -> None:
    result = run_podgen(["validate"])
    assert (result.code, _errors(result.stdout)) == (0, []), result.stdout
    # podgen.yaml, the blueprint, 2 x 2 manifests and 2 kustomization.yaml files
    assert "in 8 file(s)" in result.stderr


# What `podgen render` refuses in one environment, and the line of podgen.yaml it names.
RENDER_FAILURES = [
    (  # the CronJob takes no replicas
        CRONJOB_REPLICAS,
        "podgen.yaml:7:",
        "replicas",
    ),
    (  # a pod that no blueprint has
        ("      web:\n", "      ghost:\n"),
        "podgen.yaml:10:7: error: environments.prod.pods.ghost: no pod named 'ghost' in the "
        "blueprints",
        "[project]",
    ),
]


@pytest.mark.parametrize(("edit", "start", "words"), RENDER_FAILURES, ids=["replicas", "ghost"])
def test_bare_validate_fails_where_render_fails(
    project: Path, edit: tuple[str, str], start: str, words: str
) -> None:
    (project / "podgen.yaml").write_text(PROJECT.replace(*edit))
    rendered = run_podgen(["render"])
    assert rendered.code == 1
    result = run_podgen(["validate"])
    assert result.code == 1
    errors = _errors(result.stdout)
    assert len(errors) == 1, result.stdout
    assert errors[0].startswith(start) and words in errors[0]
    assert errors[0].endswith(" [project]")
    # the message render gives, as a finding at the same place
    assert rendered.stderr.startswith("error: " + start.replace("error: ", ""))
    report = json.loads(run_podgen(["validate", "--format", "json"]).stdout)
    assert [f["rule"] for f in report["findings"] if f["severity"] == "error"] == ["project"]


def test_bare_validate_from_a_folder_below_names_the_project_file_from_there(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "podgen.yaml").write_text(PROJECT.replace(*CRONJOB_REPLICAS))
    monkeypatch.chdir(project / "docs")
    result = run_podgen(["validate"])
    assert result.code == 1
    assert _errors(result.stdout)[0].startswith("../podgen.yaml:7:")


@pytest.mark.parametrize("name", ["podgen.yaml", "project.yaml"])
def test_a_project_file_given_is_validated_as_a_project(project: Path, name: str) -> None:
    """Whatever its name: apiVersion podgen.dev/v1 and kind Project (not "must be Blueprint")."""
    (project / name).write_text(PROJECT)
    clean = run_podgen(["validate", name])
    assert clean.code == 0, clean.stdout
    assert clean.stdout == "" and clean.stderr == "0 error(s), 0 warning(s) in 1 file(s)\n"
    (project / name).write_text(PROJECT.replace(*CRONJOB_REPLICAS))
    broken = run_podgen(["validate", name])
    assert broken.code == 1
    assert broken.stdout.startswith(f"{name}:7:") and "replicas" in broken.stdout
    assert broken.stdout.count("\n") == 1 and "Blueprint" not in broken.stdout


MISLOADED = [
    ("replica: 2", "podgen.yaml:6:5: error: environments.dev.replica: unknown key 'replica'"),
    ("blueprints: [gone.yaml]", "podgen.yaml:3:14: error: blueprints[0]: gone.yaml: no such"),
]


@pytest.mark.parametrize(("line", "start"), MISLOADED, ids=["unknown-key", "no-blueprint"])
def test_a_project_file_that_does_not_load_is_a_finding(
    project: Path, line: str, start: str
) -> None:
    if line.startswith("blueprints:"):
        text = PROJECT.replace("blueprints: [blueprint.yaml]", line)
    else:
        text = PROJECT.replace("  dev:\n", f"  dev:\n    {line}\n")
    (project / "podgen.yaml").write_text(text)
    for argv in (["validate"], ["validate", "podgen.yaml"]):
        result = run_podgen(argv)
        assert result.code == 1
        assert result.stdout.startswith(start), result.stdout
        assert result.stdout.endswith(" [project]\n") and result.stdout.count("\n") == 1
        assert result.stderr.startswith("1 error(s), 0 warning(s) in 1 file(s)")


def test_a_project_file_that_is_not_yaml_is_a_finding(project: Path) -> None:
    (project / "podgen.yaml").write_text("apiVersion: podgen.dev/v1\nkind: Project\nout: [\n")
    result = run_podgen(["validate"])
    assert result.code == 1
    assert result.stdout.startswith("podgen.yaml:")
    assert ": error: " in result.stdout and result.stdout.count("\n") == 1
    assert "Traceback" not in result.stdout + result.stderr


def test_blueprints_dot_does_not_read_podgen_yaml_as_a_blueprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "blueprint.yaml").write_text(BLUEPRINT)
    (tmp_path / "podgen.yaml").write_text(PROJECT.replace("[blueprint.yaml]", "[.]"))
    monkeypatch.chdir(tmp_path)
    assert run_podgen(["render"]).code == 0
    result = run_podgen(["validate"])
    assert result.code == 0, result.stdout
    assert _errors(result.stdout) == [] and "Blueprint" not in result.stdout
    # each file once, though `.` holds podgen.yaml and the out folder too
    assert "in 8 file(s)" in result.stderr


def test_a_broken_blueprint_is_reported_once_not_once_per_environment(project: Path) -> None:
    (project / "blueprint.yaml").write_text(BLUEPRINT.replace("    port: 80\n", "    port: [\n"))
    result = run_podgen(["validate"])
    assert result.code == 1
    errors = _errors(result.stdout)
    assert len(errors) == 1 and errors[0].startswith("blueprint.yaml:"), result.stdout


def test_a_project_on_stdin_says_to_give_its_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(PROJECT.encode())))
    result = run_podgen(["validate", "-"])
    assert result.code == 1
    assert result.stdout == (
        "<stdin>:1:1: error: a project file (kind: Project) is validated from its file, whose "
        "folder its paths start from: `podgen validate podgen.yaml` [project]\n"
    )
