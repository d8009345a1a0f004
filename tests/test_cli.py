"""The CLI as users meet it: help, version, exit codes, stdout/stderr, --debug, python -m."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from podgen._front.help_texts import NEW_EPILOG
from tests.conftest import run_podgen

PODGEN = Path(sys.executable).parent / "podgen"


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=60, check=False)


def test_console_script_prints_the_pod_from_any_folder(tmp_path: Path) -> None:
    result = _run(
        str(PODGEN), "new", "web", "--image", "nginx:1.25.3", "--port", "80", cwd=tmp_path
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("apiVersion: v1\nkind: Pod\n")
    assert "    - containerPort: 80\n" in result.stdout
    assert list(tmp_path.iterdir()) == []  # printing writes no files


def test_python_dash_m_matches_console_script() -> None:
    args = ("new", "web", "--image", "nginx", "-o", "json")
    via_module = _run(sys.executable, "-m", "podgen", *args)
    via_script = _run(str(PODGEN), *args)
    assert via_module.returncode == 0
    assert via_module.stdout == via_script.stdout


def test_bad_input_exits_1_as_in_kubectl_with_one_line_and_no_traceback() -> None:
    result = _run(str(PODGEN), "new", "Web", "--image", "nginx")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith('error: NAME: metadata.name: Invalid value: "Web"')


def test_debug_shows_the_traceback() -> None:
    result = _run(str(PODGEN), "new", "Web", "--image", "nginx", "--debug")
    assert result.returncode != 0
    assert "Traceback (most recent call last)" in result.stderr
    assert "InvalidFieldError" in result.stderr


def test_usage_errors_are_one_line_exit_1_as_in_kubectl() -> None:
    for args in (["new", "web"], ["new", "web", "--image", "x", "--bogus"], ["bogus"]):
        result = run_podgen(args)
        assert result.code == 1, args
        assert result.stdout == ""
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, args


def test_help_shows_examples_and_every_kubectl_flag() -> None:
    result = run_podgen(["new", "--help"])
    assert result.code == 0
    for flag in (
        "--image",
        "--port",
        "--labels",
        "-l",
        "--env",
        "--restart",
        "--command",
        "--annotations",
        "--namespace",
        "-n",
        "--image-pull-policy",
        "--privileged",
        "--expose",
        "--output",
        "-o",
        "--dry-run",
        "--kind",
        "--replicas",
        "--debug",
    ):
        assert flag in result.stdout, flag
    assert "Examples:" in result.stdout
    assert "podgen new web --image nginx:1.25.3 --port 80" in result.stdout


def test_no_arguments_shows_help() -> None:
    result = run_podgen([])
    assert "Usage: podgen" in result.stdout + result.stderr
    assert "new" in result.stdout + result.stderr


def test_version() -> None:
    from podgen import __version__

    result = run_podgen(["--version"])
    assert (result.code, result.stdout) == (0, f"podgen {__version__}\n")


def test_shell_completion_is_offered() -> None:
    result = run_podgen(["--help"])
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


def test_output_and_kind_are_case_insensitive_like_kubectl() -> None:
    assert run_podgen(["new", "web", "--image", "nginx", "-o", "JSON"]).stdout.startswith("{")


@pytest.mark.parametrize("argv", [[], ["import"]])
def test_a_bare_command_shows_its_help_unfolded(argv: list[str]) -> None:
    result = run_podgen(argv)
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: podgen")
    assert "\nOptions:\n" in result.stderr and not result.stderr.startswith("error:")


def test_debug_as_an_option_value_is_not_the_debug_flag() -> None:
    """`-n --debug` makes `--debug` the namespace (found by tests/test_properties.py)."""
    result = run_podgen(["new", "web", "--image", "nginx", "--namespace", "--debug"])
    assert result.code == 1
    assert result.stderr.startswith(
        'error: --namespace: metadata.namespace: Invalid value: "--debug"'
    )
    assert result.stderr.count("\n") == 1


def _help_examples(text: str) -> list[str]:
    """The `podgen new ...` commands of a --help text, continuation lines joined."""
    joined = text.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if line.strip().startswith("podgen new")]


@pytest.mark.parametrize("example", _help_examples(NEW_EPILOG))
def test_the_examples_in_new_help_work(example: str) -> None:
    import shlex

    result = run_podgen(shlex.split(example)[1:])
    assert (result.code, result.stderr) == (0, ""), example
    assert result.stdout.startswith(("apiVersion: ", "{\n"))


def test_new_help_has_an_example_for_the_kinds_kubectl_cannot_write() -> None:
    examples = _help_examples(NEW_EPILOG)
    assert len(examples) >= 6
    assert any("--kind statefulset" in e and "--volume-claim" in e for e in examples)


@pytest.mark.parametrize("command", ["render", "validate"])
def test_bare_render_and_validate_outside_a_project_say_what_to_do(
    tmp_path: Path, command: str
) -> None:
    # Bare, they act on the project (podgen.yaml); without one, one line says so.
    result = subprocess.run(
        [sys.executable, "-m", "podgen", command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: podgen {command}: no podgen.yaml here or in any folder above; give a blueprint "
        f"file or folder (`podgen {command} blueprint.yaml`), or create one with "
        "`podgen scaffold`\n"
    )
