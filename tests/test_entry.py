"""The console script's lean path for `podgen new` agrees with the full Typer CLI."""

from __future__ import annotations

import contextlib
import io
import os
import site
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from podgen._front.argv import NEW_DEFAULTS, NEW_OPTIONS, parse_new
from podgen._front.argv_on_save import parse_render, parse_validate
from podgen._front.cli import app
from podgen._front.entry import main
from tests.conftest import Run, run_podgen

ROOT = Path(__file__).resolve().parent.parent


def _command() -> typer.main.TyperCommand:  # type: ignore[name-defined]
    return typer.main.get_command(app).commands["new"]  # type: ignore[attr-defined]


def test_the_table_matches_the_typer_command() -> None:
    options = {}
    for param in _command().params:
        if param.param_type_name != "option" or param.name in ("debug", "templates"):
            continue
        for flag in param.opts:
            options[flag] = param.name
            kind = NEW_OPTIONS[flag][1]
            assert NEW_OPTIONS[flag][0] == param.name, flag
            assert (kind == "flag") == bool(param.is_flag), flag
            assert (kind == "multi") == bool(param.multiple), flag
        for flag in param.secondary_opts:  # a switch's --no- form
            options[flag] = param.name
            assert NEW_OPTIONS[flag] == (param.name, "no-flag"), flag
        assert NEW_DEFAULTS[param.name] == (
            param.default.value if hasattr(param.default, "value") else param.default
        ), param.name
    assert options == {flag: entry[0] for flag, entry in NEW_OPTIONS.items()}


def _lean(argv: list[str]) -> Run:
    out, err, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
    return Run(code, out.getvalue(), err.getvalue())


CASES = [
    ["web", "--image", "nginx", "--port", "80"],
    ["web", "--image=nginx:1.25.3", "-l", "app=x", "-n", "prod", "--expose", "--port=8080"],
    ["job", "--image", "busybox:1.36", "--restart", "Never", "--command", "--", "sh", "-c", "x"],
    ["web", "--image", "nginx", "-o", "JSON", "--kind", "Deployment", "--replicas", "3"],
    [
        "web",
        "--image",
        "nginx:1.25.3",
        "--port",
        "80",
        "--pattern",
        "SIDECAR",
        "--probe",
        "http",
        "--env",
        "A=1",
        "--env",
        "B=2",
        "--toleration",
        "k=v:NoSchedule",
        "--secure",
    ],
    ["--from", "mysql", "--port", "3307"],
    ["Web", "--image", "nginx"],  # an error: the same message either way
    ["web", "--image", "nginx", "--probe", "http"],
    ["web", "--image", "nginx", "--grace-period", "-5"],
    ["web", "--image", "nginx", "--dry-run=server"],
]


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(c)[:40] for c in CASES])
def test_lean_path_prints_what_the_full_cli_prints(argv: list[str]) -> None:
    assert parse_new(argv) is not None, "this case should take the lean path"
    assert _lean(["new", *argv]) == run_podgen(["new", *argv])


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["web", "--image", "nginx", "--debug"],
        ["web", "--imag", "nginx"],
        ["web", "-oyaml", "--image", "nginx"],
        ["web", "--image"],
        ["web", "--replicas", "x"],
        ["web", "--image", "nginx", "-o", "name"],
        ["web", "--privileged=true", "--image", "nginx"],
    ],
)
def test_anything_else_goes_to_the_full_cli(argv: list[str]) -> None:
    assert parse_new(argv) is None
    assert _lean(["new", *argv]) == run_podgen(["new", *argv])


def test_other_commands_use_the_full_cli() -> None:
    assert _lean(["--version"]) == run_podgen(["--version"])
    assert _lean(["blueprints"]) == run_podgen(["blueprints"])


RENDER_CASES = [
    ["nginx-web"],
    ["blueprints"],
    ["blueprints", "-o", "json"],
    ["-o", "JSON", "blueprints/mysql.yaml"],
    ["--output=json", "web-deployment"],
    ["nginx-wbe"],  # an error: a did-you-mean
    ["tests/blueprints/typo.yaml"],  # an error with file:line
    ["tests"],  # a folder without blueprints
    ["nginx-web", "--crd", "tests/manifests"],
    ["nginx-web", "--crd=tests/no-such-folder"],  # an error naming --crd
]


@pytest.mark.parametrize("argv", RENDER_CASES, ids=[" ".join(c) for c in RENDER_CASES])
def test_lean_render_prints_what_the_full_cli_prints(argv: list[str]) -> None:
    assert parse_render(argv) is not None, "this case should take the lean path"
    assert _lean(["render", *argv]) == run_podgen(["render", *argv])


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["nginx-web", "--debug"],
        ["nginx-web", "mysql"],
        ["nginx-web", "-o", "name"],
        ["nginx-web", "-o"],
        ["nginx-web", "--out"],
        ["nginx-web", "--templates", "team"],
    ],
)
def test_other_render_calls_go_to_the_full_cli(argv: list[str]) -> None:
    assert parse_render(argv) is None


@pytest.mark.parametrize(
    "argv",
    [
        ["labelled-pods", "--out", "{out}"],
        ["labelled-pods", "--out={out}", "--check"],
        ["nginx-web", "--out", "{out}", "--check"],
        ["nginx-web", "--out", "{out}", "--force", "--prune"],
        ["nginx-web", "--out", "{out}"],  # refused: files exist
        ["nginx-web", "--check"],  # refused: needs --out
    ],
)
def test_lean_render_out_and_check_match_the_full_cli(argv: list[str], tmp_path: Path) -> None:
    """Each case runs twice, on copies of the same folder, once down each path."""
    for name in ("lean", "full"):
        assert run_podgen(["render", "labelled-pods", "--out", str(tmp_path / name)]).code == 0
    lean = [word.format(out=tmp_path / "lean") for word in argv]
    full = [word.format(out=tmp_path / "full") for word in argv]
    assert parse_render(lean) is not None
    by_lean, by_full = _lean(["render", *lean]), run_podgen(["render", *full])
    here, there = str(tmp_path / "lean"), str(tmp_path / "full")
    assert by_lean.code == by_full.code
    assert by_lean.stdout.replace(here, there) == by_full.stdout
    assert by_lean.stderr.replace(here, there) == by_full.stderr


VALIDATE_CASES = [
    ["tests/tutorial_mistakes/misspelled-key.bad.yaml"],
    ["tests/tutorial_mistakes", "--strict"],
    ["--format", "json", "tests/manifests"],
    ["--format=JSON", "tests/manifests/kubectl-get-pod.yaml", "--strict"],
    ["tests/no-such-file.yaml"],
    # the pre-commit hook's: a list of hooks is no manifest
    ["--skip-other-yaml", ".pre-commit-hooks.yaml", "tests/tutorial_mistakes/tabs.bad.yaml"],
    ["tests/manifests", "--crd", "tests/manifests", "--crd=tests/corpus"],
    ["tests/manifests", "--crd", "tests/no-such-folder"],  # an error naming --crd
    ["tests/corpus/batch.yaml", "--k8s-version", "1.29"],
    ["tests/corpus/batch.yaml", "--k8s-version=v1.31.2", "--strict"],
    ["tests/manifests", "--k8s-version", "1.28"],  # an error naming --k8s-version
]


@pytest.mark.parametrize("argv", VALIDATE_CASES, ids=[" ".join(c) for c in VALIDATE_CASES])
def test_lean_validate_prints_what_the_full_cli_prints(argv: list[str]) -> None:
    assert parse_validate(argv) is not None, "this case should take the lean path"
    assert _lean(["validate", *argv]) == run_podgen(["validate", *argv])


@pytest.mark.parametrize("argv", [["--help"], ["x.yaml", "--debug"], ["x.yaml", "--format", "xml"]])
def test_other_validate_calls_go_to_the_full_cli(argv: list[str]) -> None:
    assert parse_validate(argv) is None


@pytest.mark.parametrize(
    "argv",
    [
        ["new", "web", "--image", "nginx", "--port", "80"],
        [
            "new",
            "web",
            "--image",
            "nginx",
            "--port",
            "80",
            "--pattern",
            "sidecar",
            "--probe",
            "http",
        ],
        ["new", "web", "--image", "nginx", "--kind", "deployment", "-o", "json"],
    ],
)
def test_the_lean_path_leaves_heavy_modules_unimported(argv: list[str]) -> None:
    """Start-up time is a feature (issue 7): plain `podgen new` must not pull these in."""
    script = (
        "import sys\n"
        "from podgen._front.entry import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit as stop:\n    assert stop.code == 0\n"
        "heavy = ['typer', 'click', 'jinja2', 'markupsafe', 'yaml', 'dataclasses', 'decimal',\n"
        "         'pathlib', 'importlib.resources', 'podgen._blueprint.loader',\n"
        "         'podgen._front.cli', 'typing']\n"
        "loaded = [name for name in heavy if name in sys.modules]\n"
        "sys.stderr.write(repr(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.startswith(("apiVersion:", "{"))
    assert result.stderr == "[]"


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{out}/pod-web.yaml"],
        ["validate", "--skip-other-yaml", "{out}/pod-web.yaml"],  # the pre-commit hook's
        ["render", "{root}/blueprints/nginx-web.yaml", "--out", "{out}"],
        ["render", "{root}/blueprints/nginx-web.yaml", "--out", "{out}", "--check"],
    ],
)
def test_commands_run_on_save_leave_typer_unimported(argv: list[str], tmp_path: Path) -> None:
    """Editor tasks and pre-commit hooks run these on every save: no Typer, no Jinja, no typing.

    A plain blueprint or manifest is read without PyYAML, its positions too; checking a folder
    needs no pathlib, and validating a Pod neither the option table, nor the spec model, nor
    the rules of other kinds.
    """
    argv = [word.format(out=tmp_path / "k8s", root=ROOT) for word in argv]
    more = ", 'yaml', 'typing'"
    if "--check" in argv:
        more += ", 'pathlib', 'difflib'"
    if argv[0] == "validate":
        (tmp_path / "k8s").mkdir()
        (tmp_path / "k8s" / "pod-web.yaml").write_text(
            run_podgen(["new", "web", "--image", "nginx:1.27", "--port", "80"]).stdout
        )
        more += ", 'pathlib', 'difflib', 'podgen._model.spec', 'podgen._model.options'"
        # A Pod needs none of the other areas' rules (they load on their kinds' objects).
        more += "".join(
            f", 'podgen._checking.checks_{area}'" for area in ("network", "rbac", "scaling", "crd")
        )
    if "--check" in argv:
        assert run_podgen(argv[:-1]).code == 0
    script = (
        "import sys\n"
        "from podgen._front.entry import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit as stop:\n    assert stop.code in (0, 1)\n"
        f"heavy = ['typer', 'click', 'jinja2', 'markupsafe', 'podgen._front.cli'{more}]\n"
        "loaded = [name for name in heavy if name in sys.modules]\n"
        "sys.stderr.write(repr(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", script],  # -S: site's own imports are not podgen's
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": os.pathsep.join([str(ROOT), *site.getsitepackages()])},
    )
    assert result.stderr.endswith("[]")


@pytest.mark.parametrize("lean", [True, False])
def test_ctrl_c_is_one_line_and_exit_130(lean: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("podgen._rendering.bulk.render_source", interrupted)
    if not lean:
        monkeypatch.setattr("podgen._front.entry.parse_render", lambda _: None)  # the full CLI
    assert _lean(["render", "nginx-web"]) == Run(130, "", "error: interrupted\n")


@pytest.mark.parametrize(
    "argv",
    [
        ["explain", "pods", "-R"],
        ["new", "web", "--image", "nginx"],
        ["validate", "web.yaml"],
        ["render", "batch-report"],
        ["blueprints"],
        ["explain", "--help"],
    ],
)
def test_a_closed_stdout_is_quiet(argv: list[str], tmp_path: Path) -> None:
    """`podgen ... >&-`: the output goes nowhere, as kubectl's does; no error, exit 0."""
    podgen = Path(sys.executable).parent / "podgen"
    made = subprocess.run([podgen, "new", "web", "--image", "nginx"], capture_output=True)
    (tmp_path / "web.yaml").write_bytes(made.stdout)
    ran = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", podgen, *argv],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert (ran.returncode, "internal error" in ran.stderr) == (0, False), ran.stderr
