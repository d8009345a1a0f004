"""--templates DIR: a team's own templates, sandboxed, and checked like podgen's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from podgen._rendering.team_templates import podgen_template_names
from tests.conftest import Run, assert_schema_valid, parse_documents, run_podgen

OWNER_POD = """\
{#- podgen's Pod, plus an owner annotation. #}
{% from "_macros.yaml.j2" import metadata, pod_spec %}
apiVersion: v1
kind: Pod
metadata:
{{ metadata(obj.name, obj.namespace, obj.template.labels,
            dict(obj.annotations, owner="team-web")) | indent(2, true) }}
spec:
{{ pod_spec(obj.template) | indent(2, true) }}
status: {}
"""


def _team(tmp_path: Path, template: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "pod.yaml.j2").write_text(template)
    return folder


def test_a_team_template_overrides_podgens(tmp_path: Path) -> None:
    team = _team(tmp_path, OWNER_POD)
    for args in (["new", "web", "--image", "nginx"], ["render", "nginx-web"]):
        result = run_podgen([*args, "--templates", str(team)])
        assert (result.code, result.stderr) == (0, ""), result
        pod = parse_documents(result.stdout, "yaml")[0]
        assert pod["metadata"]["annotations"] == {"owner": "team-web"}
        assert_schema_valid(result.stdout)
    # Templates the team did not write (service.yaml.j2) still come from podgen.
    assert "kind: Service" in run_podgen(["render", "nginx-web", "--templates", str(team)]).stdout


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
        ("{{ obj.__init__.__globals__ }}", "unsafe"),
        ("{{ cycler.__init__.__globals__.os.system('touch PWNED') }}", "unsafe"),
        ("name: {{ obj.no_such_field }}", "no_such_field"),
        ("{% for %}", "line 1"),
    ],
)
def test_templates_cannot_run_code(tmp_path: Path, template: str, reason: str) -> None:
    team = _team(tmp_path, template)
    result = run_podgen(["new", "web", "--image", "nginx", "--templates", str(team)])
    assert result.code == 1, result
    assert result.stdout == ""
    assert result.stderr.startswith("error: --templates: pod.yaml.j2")
    assert reason in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: {{ obj.name | quote }}}\n"
            "spec: {containers: []}\n",
            "spec.containers: Required value",
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: {{ obj.name | quote }}}\n"
            "spec: {containers: [{name: BAD, image: nginx}]}\n",
            "RFC 1123 label",
        ),
        ("- not\n- an object\n", "not an object"),
        ("key: [unclosed\n", "invalid YAML"),
    ],
)
def test_template_output_is_checked(tmp_path: Path, template: str, reason: str) -> None:
    team = _team(tmp_path, template)
    result = run_podgen(["new", "web", "--image", "nginx", "--templates", str(team)])
    assert result.code == 1, result
    assert result.stdout == ""
    assert reason in result.stderr and result.stderr.count("\n") == 1


def test_templates_folder_must_exist(tmp_path: Path) -> None:
    result = run_podgen(["new", "web", "--image", "nginx", "--templates", str(tmp_path / "no")])
    assert result.code == 1 and "--templates" in result.stderr


# A team's folder holds only podgen's template names (issue 21): a misspelled one is an error.

ROOT = Path(__file__).resolve().parent.parent
#: The names podgen reads, from its own templates folder: what the error must list.
PODGEN_NAMES = sorted(path.name for path in (ROOT / "templates").glob("*.j2"))
BLUEPRINT = """\
apiVersion: podgen.dev/v1
kind: Blueprint
pods:
  - name: web
    image: nginx:1.25.3
"""


def _assert_refused(result: Run, *named: str) -> None:
    """One `error: --templates: ...` line naming `named` and every name podgen reads."""
    assert (result.code, result.stdout) == (1, ""), result
    assert result.stderr.startswith("error: --templates: "), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    for text in named:
        assert text in result.stderr, result.stderr
    assert result.stderr.rstrip("\n").endswith(
        f"podgen's templates: {', '.join(PODGEN_NAMES)} (hidden files are ignored)"
    )


def test_the_names_podgen_reads_are_its_templates_folders() -> None:
    assert podgen_template_names() == tuple(PODGEN_NAMES)
    assert {"pod.yaml.j2", "deployment.yaml.j2", "_macros.yaml.j2"} <= set(PODGEN_NAMES)


def test_a_misspelled_template_is_an_error_wherever_templates_are_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / "pod.yml.j2").write_text(OWNER_POD)
    (tmp_path / "blueprint.yaml").write_text(BLUEPRINT)
    (tmp_path / "podgen.yaml").write_text(
        "apiVersion: podgen.dev/v1\nkind: Project\nblueprints: [blueprint.yaml]\nout: k8s\n"
    )
    monkeypatch.chdir(tmp_path)
    misspelled = f"{team / 'pod.yml.j2'} (did you mean 'pod.yaml.j2'?) is not a template"
    for args in (
        ["new", "web", "--image", "nginx"],
        ["render", "nginx-web"],
        ["render", "blueprint.yaml", "--out", "out"],
        ["render"],  # the project's, into k8s/
        ["scaffold", "proj", "--image", "nginx"],
        ["scaffold", "proj", "--from", "nginx-web"],
    ):
        _assert_refused(run_podgen([*args, "--templates", str(team)]), misspelled)
    # Refused before anything was written.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blueprint.yaml", "podgen.yaml", "team"]


def test_unknown_files_and_folders_are_errors(tmp_path: Path) -> None:
    team = _team(tmp_path, OWNER_POD)
    (team / "README.md").write_text("our templates\n")
    (team / "k8s").mkdir()
    (team / "k8s" / "pod.yaml.j2").write_text(OWNER_POD)
    result = run_podgen(["new", "web", "--image", "nginx", "--templates", str(team)])
    _assert_refused(
        result,
        f"{team / 'README.md'}, {team / 'k8s'}/ (a folder: podgen reads no subfolders) are not",
    )
    assert "did you mean" not in result.stderr


def test_hidden_files_and_folders_are_ignored(tmp_path: Path) -> None:
    team = _team(tmp_path, OWNER_POD)
    for hidden in (".gitkeep", ".DS_Store", ".pod.yaml.j2.swp"):
        (team / hidden).write_text("")
    (team / ".git").mkdir()
    (team / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    result = run_podgen(["new", "web", "--image", "nginx", "--templates", str(team)])
    assert (result.code, result.stderr) == (0, ""), result
    pod = parse_documents(result.stdout, "yaml")[0]
    assert pod["metadata"]["annotations"] == {"owner": "team-web"}


def test_a_folder_of_every_name_podgen_reads_is_fine(tmp_path: Path) -> None:
    """Every template podgen has, _macros.yaml.j2 included, may be overridden."""
    team = tmp_path / "team"
    team.mkdir()
    for name in PODGEN_NAMES:
        (team / name).write_text((ROOT / "templates" / name).read_text())
    (team / "pod.yaml.j2").write_text(OWNER_POD)
    for args in (["render", "labelled-pods"], ["render", "nginx-web"]):
        result = run_podgen([*args, "--templates", str(team)])
        assert (result.code, result.stderr) == (0, ""), result
        assert result.stdout.replace("  annotations:\n    owner: team-web\n", "") == (
            run_podgen(args).stdout
        )


def test_library_calls_check_the_folder_too(tmp_path: Path) -> None:
    from podgen._blueprint.loader import blueprints_from
    from podgen._building.flags import RunFlags
    from podgen._errors import UsageError
    from podgen._rendering.pipeline import new, render_blueprint

    team = tmp_path / "team"
    team.mkdir()
    (team / "deployment.yml.j2").write_text("")
    with pytest.raises(UsageError, match=r"^templates: .*did you mean 'deployment\.yaml\.j2'\?"):
        new(RunFlags(name="web", image="nginx"), templates=str(team))
    (blueprint,) = blueprints_from("nginx-web")
    with pytest.raises(UsageError, match=r"^--templates: .*deployment\.yml\.j2"):
        render_blueprint(blueprint, str(team))


def test_the_lean_start_up_does_not_check_templates() -> None:
    """Without --templates, `podgen new` and `podgen render` never load the check."""
    script = (
        "import sys\n"
        "from podgen._front.entry import main\n"
        "for argv in (['new', 'web', '--image', 'nginx'], ['render', 'nginx-web']):\n"
        "    try:\n        main(argv)\n    except SystemExit as stop:\n"
        "        assert stop.code == 0\n"
        "sys.stderr.write(repr('podgen._rendering.team_templates' in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.stderr == "False"
