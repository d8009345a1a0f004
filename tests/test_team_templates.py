"""--templates DIR: a team's own templates, sandboxed, and checked like podgen's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_schema_valid, parse_documents, run_podgen

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
