"""Ctrl-C and SIGTERM end every command the same way (issue 24): SIGINT exits 130 with
`error: interrupted`, SIGTERM 143 with `error: terminated`, and nothing is half-written.

Real processes get real signals mid-run: while they wait for their input on stdin, or while a
team template is still looping, so that the signal surely lands inside podgen's own code.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_podgen
from tests.test_team_templates import BLUEPRINT

#: How a terminal runs podgen: Python's own Ctrl-C handler, even where the test run itself
#: was started with SIGINT ignored (a background job).
SCRIPT = (
    "import signal, sys\n"
    "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    "from podgen._front.entry import main\n"
    "sys.argv[0] = 'podgen'\n"
    "main()\n"
)
#: A team template that loops for longer than the test waits (and less than the bound).
LOOPING = (
    '{% from "_macros.yaml.j2" import metadata, pod_spec %}\n'
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n"
)
STOPPED = {
    signal.SIGINT: (130, "error: interrupted\n"),
    signal.SIGTERM: (143, "error: terminated\n"),
}


def _start(argv: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, *argv],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        start_new_session=True,  # its own process group, as a terminal's foreground job has
    )


def _wait_until_podgen_runs(process: subprocess.Popen[str]) -> None:
    """Until podgen's entry has taken SIGTERM (its handler shows in /proc), or it ended."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        status = Path(f"/proc/{process.pid}/status").read_text()
        caught = int(status.split("SigCgt:")[1].split()[0], 16)
        if caught & (1 << (signal.SIGTERM - 1)):
            return
        time.sleep(0.01)
    raise AssertionError(f"podgen did not start: {process.poll()}")


def _send(process: subprocess.Popen[str], signum: int) -> None:
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # Ctrl-C: the terminal's whole foreground group
    else:
        os.kill(process.pid, signum)  # `kill PID`, a CI runner, an editor


def _commands(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    """Each command, mid-run: its argv, and the start of its input (never finished)."""
    manifest = run_podgen(["new", "web", "--image", "nginx:1.25.3"]).stdout
    team = tmp_path / "team"
    team.mkdir()
    (team / "pod.yaml.j2").write_text(LOOPING)
    (tmp_path / "web.yaml").write_text(BLUEPRINT)
    return {
        "new": (["new", "web", "--image", "nginx:1.25.3", "--templates", str(team)], ""),
        "render-stdin": (["render", "-", "--out", "out"], BLUEPRINT),
        "render-template": (["render", "web.yaml", "--out", "out", "--templates", str(team)], ""),
        "validate": (["validate", "-"], manifest),
        "import": (["import", "-"], manifest),
        "scaffold": (
            ["scaffold", "proj", "--image", "nginx:1.25.3", "--templates", str(team)],
            "",
        ),
    }


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize(
    "command", ["new", "render-stdin", "render-template", "validate", "import", "scaffold"]
)
def test_every_command_ends_the_same_way_on_a_signal(
    tmp_path: Path, command: str, signum: int
) -> None:
    argv, given = _commands(tmp_path)[command]
    before = sorted(path.name for path in tmp_path.iterdir())
    process = _start(argv, tmp_path)
    assert process.stdin is not None
    try:
        process.stdin.write(given)  # the start of the input; its end never comes
        process.stdin.flush()
        _wait_until_podgen_runs(process)
        time.sleep(1)  # into the command: reading stdin, or looping in the template
        _send(process, signum)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert (process.returncode, stderr) == STOPPED[signum], stderr
    assert stdout == ""
    assert sorted(path.name for path in tmp_path.iterdir()) == before  # no out/, no proj/


def _project_files(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM] * 4)
def test_scaffold_stopped_at_a_random_moment_leaves_all_or_nothing(
    tmp_path: Path, signum: int
) -> None:
    whole = tmp_path / "whole"
    assert run_podgen(["scaffold", "web", "--output-dir", str(whole), "--image", "nginx"]).code == 0
    parent = tmp_path / "apps"
    parent.mkdir()
    process = _start(["scaffold", "web", "--output-dir", "apps", "--image", "nginx"], tmp_path)
    try:
        _wait_until_podgen_runs(process)
        try:
            process.wait(timeout=random.uniform(0, 1.0))  # noqa: S311 - a test's timing
        except subprocess.TimeoutExpired:
            _send(process, signum)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    if process.returncode == 0:
        assert _project_files(parent) == _project_files(whole)
    elif process.returncode == -signum:
        # Stopped while the interpreter was shutting down, outside podgen's code.
        assert stderr == "" and _project_files(parent) in ([], _project_files(whole))
    else:
        assert (process.returncode, stderr) == STOPPED[signum]
        assert list(parent.iterdir()) == []  # not a file, not the hidden scratch folder


@pytest.mark.parametrize(
    ("stop", "signum"), [(KeyboardInterrupt, signal.SIGINT), (None, signal.SIGTERM)]
)
def test_an_error_raised_while_unwinding_from_a_signal_is_the_signals(
    stop: type[KeyboardInterrupt] | None, signum: int, capsys: pytest.CaptureFixture[str]
) -> None:
    # A signal that lands inside `import yaml` leaves a half-made module; an `except` clause
    # naming one of its classes then fails while the signal unwinds (seen with scaffold).
    from podgen._errors import Terminated
    from podgen._front.run import run_command

    signal_kind = stop or Terminated

    def interrupted_import() -> None:
        try:
            raise signal_kind
        finally:
            raise AttributeError("partially initialized module 'yaml' has no attribute 'error'")

    with pytest.raises(SystemExit) as ended:
        run_command(interrupted_import, lambda: False)
    code, message = STOPPED[signum]
    assert (ended.value.code, capsys.readouterr().err) == (code, message)
