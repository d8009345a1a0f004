"""A file or folder named inside a project is checked at the project's release (issue 26).

`podgen validate FILE|DIR` and `podgen render FILE|DIR` find the project as the bare commands
do, from the path's own folder upward, and check at its `kubernetesVersion:` (an
environment's for a manifest in its folder). The pre-commit hook passes file names, so this is
what it runs. Both ways in are held to it: the lean argv path and Typer's (`--debug`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_podgen

PROJECT_HEAD = "apiVersion: podgen.dev/v1\nkind: Project\n"
PLAIN = "apiVersion: podgen.dev/v1\nkind: Blueprint\npods:\n  - {name: web, image: nginx:1.27}\n"
#: A blueprint of a Job with `successPolicy`.
NEW_FIELD = (
    "apiVersion: podgen.dev/v1\nkind: Blueprint\npods:\n"
    "  - name: train\n    kind: job\n    image: busybox:1.36\n"
    "    completionMode: Indexed\n    completions: 2\n"
    "    successPolicy: {rules: [{succeededCount: 1}]}\n"
)
#: A Job with `successPolicy`, a field Kubernetes 1.30 added.
JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: train
spec:
  successPolicy:
    rules:
      - succeededCount: 1
  completionMode: Indexed
  completions: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: train
          image: busybox:1.36
"""
NOT_IN_1_29 = "spec.successPolicy: unknown field 'successPolicy': added in Kubernetes 1.30"


def _project(root: Path, project: str, manifests: dict[str, str], blueprint: str = PLAIN) -> Path:
    (root / "podgen.yaml").write_text(PROJECT_HEAD + project)
    (root / "blueprint.yaml").write_text(blueprint)
    for name in manifests:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(JOB)
    return root


def _errors(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if ": error: " in line]


@pytest.mark.parametrize(
    "args",
    [
        ["k8s/"],
        ["k8s/train.yaml"],
        ["--skip-other-yaml", "k8s/train.yaml", "blueprint.yaml"],  # the pre-commit hook's
        ["--debug", "k8s/train.yaml"],  # Typer's way in
        ["--format", "json", "k8s"],
    ],
)
def test_a_named_manifest_is_checked_at_its_project_release(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_project(tmp_path, 'kubernetesVersion: "1.29"\n', {"k8s/train.yaml": JOB}))
    bare = run_podgen(["validate"])
    named = run_podgen(["validate", *args])
    assert bare.code == named.code == 1
    expected = (
        f"k8s/train.yaml:6:3: error: {NOT_IN_1_29} (this checks 1.29, see podgen.yaml:3:1: "
        "kubernetesVersion) [field-not-in-version]"
    )
    assert _errors(bare.stdout) == [expected]
    if "json" in args:
        assert '"message": "spec.successPolicy: unknown field' in named.stdout
    else:
        assert _errors(named.stdout) == [expected]
    # The flag beats the project's release; the same file outside any project is the newest's.
    assert run_podgen(["validate", "--k8s-version", "1.37", *args]).code == 0


def test_a_path_finds_its_project_from_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "app").mkdir()
    project = _project(tmp_path / "app", 'kubernetesVersion: "1.29"\n', {})
    (project / "k8s").mkdir()
    (project / "k8s" / "train.yaml").write_text(JOB)
    (tmp_path / "loose.yaml").write_text(JOB)
    monkeypatch.chdir(project / "k8s")  # below the project: its podgen.yaml is above
    inside = run_podgen(["validate", "."])
    assert inside.code == 1
    assert "(this checks 1.29, see ../podgen.yaml:3:1: kubernetesVersion)" in inside.stdout
    monkeypatch.chdir(tmp_path)  # above it: the path's folder finds it all the same
    above = run_podgen(["validate", "app/k8s/train.yaml", "loose.yaml"])
    assert _errors(above.stdout) == [
        f"app/k8s/train.yaml:6:3: error: {NOT_IN_1_29} (this checks 1.29, see "
        "app/podgen.yaml:3:1: kubernetesVersion) [field-not-in-version]"
    ]  # loose.yaml lies in no project: the newest release has the field
    assert run_podgen(["validate", "loose.yaml"]).code == 0


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_a_manifest_in_an_environment_folder_is_checked_at_its_release(
    debug: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        'kubernetesVersion: "1.33"\nenvironments:\n  old:\n    kubernetesVersion: "1.29"\n'
        "  new: {}\n"
    )
    manifests = {"k8s/old/train.yaml": JOB, "k8s/new/train.yaml": JOB}
    monkeypatch.chdir(_project(tmp_path, text, manifests))
    where = "(this checks 1.29, see podgen.yaml:6:5: environments.old.kubernetesVersion)"
    for args in (["k8s"], ["k8s/old/train.yaml", "k8s/new/train.yaml"], ["k8s/old"]):
        result = run_podgen(["validate", *debug, *args])
        assert result.code == 1
        assert _errors(result.stdout) == [
            f"k8s/old/train.yaml:6:3: error: {NOT_IN_1_29} {where} [field-not-in-version]"
        ]
    monkeypatch.chdir(tmp_path / "k8s" / "old")
    result = run_podgen(["validate", *debug, "."])
    assert result.code == 1
    seen = "(this checks 1.29, see ../../podgen.yaml:6:5:"
    assert f"train.yaml:6:3: error: {NOT_IN_1_29} {seen}" in result.stdout
    monkeypatch.chdir(tmp_path / "k8s" / "new")
    assert run_podgen(["validate", *debug, "."]).code == 0  # 1.33 has the field


def test_render_of_a_named_blueprint_uses_its_project_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_project(tmp_path, 'kubernetesVersion: "1.29"\n', {}, NEW_FIELD))
    bare = run_podgen(["render"])
    named = run_podgen(["render", "blueprint.yaml"])
    assert bare.code == named.code == 1
    refused = "not in 1.29 (see podgen.yaml:3:1: kubernetesVersion)"
    assert refused in bare.stderr
    assert named.stderr.startswith("error: blueprint.yaml:")
    assert named.stderr.endswith(refused + "\n")
    assert named.stdout == ""
    assert run_podgen(["render", "."]).code == 1  # a folder of blueprints alike
    assert run_podgen(["render", "--k8s-version", "1.30", "blueprint.yaml"]).code == 0
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    below = run_podgen(["render", "../blueprint.yaml"])
    assert below.stderr.endswith("not in 1.29 (see ../podgen.yaml:3:1: kubernetesVersion)\n")


def test_a_project_that_does_not_load_is_named_not_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its release cannot be known: validate says why once, render refuses."""
    manifests = {"k8s/train.yaml": JOB, "k8s/again.yaml": JOB}
    monkeypatch.chdir(_project(tmp_path, 'kubernetesVersion: "1.28"\n', manifests))
    result = run_podgen(["validate", "k8s"])
    assert result.code == 1
    assert _errors(result.stdout) == [
        "podgen.yaml:3:1: error: kubernetesVersion: Kubernetes 1.28 is not supported: podgen "
        "supports 1.29 to 1.37 [project]"
    ]
    render = run_podgen(["render", "blueprint.yaml"])
    assert render.code == 1
    assert render.stderr == (
        "error: podgen.yaml:3:1: kubernetesVersion: Kubernetes 1.28 is not supported: podgen "
        "supports 1.29 to 1.37\n"
    )


@pytest.mark.parametrize("lean", [True, False])
@pytest.mark.parametrize("command", ["validate", "render", "import"])
def test_an_empty_release_is_refused_as_every_command_refuses_it(
    command: str, lean: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--k8s-version ""` (an unset variable in a script) checks nothing silently."""
    if not lean:  # Typer's way in
        monkeypatch.setattr(f"podgen._front.entry.parse_{command}", lambda _: None, raising=False)
    (tmp_path / "train.yaml").write_text(JOB)
    result = run_podgen([command, "--k8s-version", "", str(tmp_path / "train.yaml")])
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: --k8s-version: expected a Kubernetes version like 1.37, not '' "
        "(podgen supports 1.29 to 1.37)\n"
    )


EXAMPLE = Path(__file__).parent.parent / "examples" / "cluster-version" / "project"


def test_bare_validate_reports_an_environment_warning_once_before_and_after_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """prod (1.31) renders a field whose gate is off there: render warns, and so does validate."""
    for name in ("podgen.yaml", "blueprint.yaml"):
        (tmp_path / name).write_text((EXAMPLE / name).read_text())
    monkeypatch.chdir(tmp_path)
    check = run_podgen(["render", "--check"])  # nothing rendered yet: it differs
    warned = [line.removeprefix("warning: ") for line in check.stderr.splitlines()]
    warned = [line for line in warned if line.startswith("podgen.yaml:")]
    assert len(warned) == 1
    assert warned[0].startswith("podgen.yaml:9:3: environment prod: blueprint.yaml:17:7: ")
    expected = (
        f"{warned[0].replace(': environment', ': warning: environment', 1)} [feature-gate-off]"
    )
    for args in ([], ["podgen.yaml"], ["--debug"]):
        before = run_podgen(["validate", *args])
        assert before.code == 0
        assert before.stdout.splitlines() == [expected]
    assert run_podgen(["render"]).code == 0
    after = run_podgen(["validate"])  # the manifest in k8s/prod/ says it, at its own line
    gate = [line for line in after.stdout.splitlines() if "[feature-gate-off]" in line]
    assert len(gate) == 1
    assert gate[0].startswith("k8s/prod/job-train.yaml:")
    assert gate[0].endswith(
        ": warning: spec.template.spec.securityContext.supplementalGroupsPolicy: dropped by the "
        "API server: feature SupplementalGroupsPolicy is off by default in 1.31 [feature-gate-off]"
    )
    # podgen.yaml alone: no manifest says it, so podgen.yaml does.
    assert run_podgen(["validate", "podgen.yaml"]).stdout.splitlines() == [expected]
    # A manifest outside prod's folder does not say it for prod.
    (tmp_path / "k8s" / "prod" / "job-train.yaml").rename(tmp_path / "elsewhere.yaml")
    moved = run_podgen(["validate", "podgen.yaml", "k8s", "elsewhere.yaml"])
    assert expected in moved.stdout.splitlines()


@pytest.mark.parametrize(
    "args",
    [
        ["--k8s-version", "1.28", "x.yaml"],
        ["--k8s-version", "", "x.yaml"],
        ["--crd", "nope.yaml", "x.yaml"],
        [],  # no podgen.yaml here or above
    ],
)
def test_a_usage_error_is_one_stderr_line_under_json_as_every_usage_error(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--format json is the findings' format: a wrong flag is refused before there are any."""
    monkeypatch.chdir(tmp_path)
    result = run_podgen(["validate", "--format", "json", *args])
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1


def test_a_named_manifest_is_checked_with_its_project_crds_from_outside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As its release, its project's `crds:` follow a path named from another folder."""
    from tests.test_crd_wiring import CERT, cr, findings, rules, write

    project = tmp_path / "app"
    write(project / "crds" / "cert.yaml", CERT)
    (project / "blueprint.yaml").write_text(PLAIN)
    (project / "podgen.yaml").write_text(PROJECT_HEAD + "crds: [crds/]\n")
    write(project / "manifests" / "cert.yaml", cr(version="v1beta1"))
    monkeypatch.chdir(tmp_path)  # above the project
    assert rules(findings("app/manifests/cert.yaml")[1]) == ["crd-version"]
    monkeypatch.chdir(project)
    assert rules(findings("manifests")[1]) == ["crd-version"]
