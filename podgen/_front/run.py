"""Running a command: the one place where errors become one stderr line and an exit code.

Both the lean paths (`_front.entry`) and the full CLI (`_front.cli`) run their work through
`run_command`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn


def run_command(run: Callable[[], object], debugging: Callable[[], bool]) -> NoReturn:
    """Run a command and exit: every error is one line on stderr and a non-zero exit code.

    The one place that maps errors to exit codes, for the lean paths and the full CLI alike.
    `debugging()` says whether to show the traceback instead. A reader that goes away (`| head`)
    ends podgen quietly, as it ends other command-line tools; any other failure to write the
    output (a full disk) is one line.
    """
    from podgen._errors import ExitCode, PodgenError, error_line, signal_behind

    def fail(message: str, code: int, prefix: str = "error: ", verbatim: bool = False) -> NoReturn:
        sys.stderr.write(
            prefix + message + "\n" if verbatim else error_line(message, prefix) + "\n"
        )
        raise SystemExit(code)

    _open_closed_streams()
    _buffer_stdout()
    try:
        code = run()
        sys.stdout.flush()  # inside the try: a full disk or a closed pipe shows up here
    except BrokenPipeError:
        _silence_stdout()
        raise SystemExit(int(ExitCode.CLOSED_PIPE)) from None
    except KeyboardInterrupt as stop:
        if debugging():
            raise
        stopped(stop)
    except PodgenError as error:
        if debugging():
            raise
        fail(str(error), error.exit_code, error.prefix, error.verbatim)
    except UnicodeEncodeError as error:
        if debugging():
            raise
        fail(f"input is not valid UTF-8: {error.object[error.start : error.end]!r}", ExitCode.USAGE)
    except OSError as error:
        if debugging():
            raise
        # podgen's own file errors are PodgenErrors with the file's name; what is left is a
        # failure to write the output stream. What is still buffered for it is dropped, so
        # the flush at exit does not fail again.
        _silence_stdout()
        fail(f"could not write the output: {error.strerror or error}", ExitCode.FAILURE)
    except RecursionError:
        if debugging():
            raise
        # Python's recursion limit, hit by input nested thousands of levels deep: a file no
        # tool writes, and no manifest the API server would take.
        fail(
            "the input is nested too deeply (thousands of levels of lists or maps)",
            ExitCode.USAGE,
        )
    except Exception as error:
        if debugging():
            raise
        signal = signal_behind(error)
        if signal is not None:  # an error while unwinding from Ctrl-C or SIGTERM: the signal's
            stopped(signal)
        fail(f"internal error: {error!r} (run with --debug for the traceback)", ExitCode.FAILURE)
    raise SystemExit(code if isinstance(code, int) else 0)


def stopped(stop: KeyboardInterrupt) -> NoReturn:
    """Exit as a signal asks: `error: terminated` and 143 for SIGTERM, else Ctrl-C's 130."""
    from podgen._errors import ExitCode, Terminated, error_line

    terminated = isinstance(stop, Terminated)
    sys.stderr.write(error_line("terminated" if terminated else "interrupted") + "\n")
    raise SystemExit(int(ExitCode.TERMINATED if terminated else ExitCode.INTERRUPTED))


def _open_closed_streams() -> None:
    """A stdout or stderr closed by the shell (`>&-`) writes nowhere, quietly, as in kubectl.

    Python leaves such a stream None; /dev/null takes its descriptor, so no file podgen opens
    later gets it either.
    """
    import os

    for descriptor, name in ((1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:
            null = os.open(os.devnull, os.O_WRONLY)
            if null != descriptor:
                os.dup2(null, descriptor)
                os.close(null)
            setattr(sys, name, open(descriptor, "w", encoding="utf-8", closefd=False))  # noqa: SIM115


def _buffer_stdout() -> None:
    """Buffer an unbuffered stdout (PYTHONUNBUFFERED, `python -u`), so a closed pipe is seen.

    Unbuffered, Python's text stdout writes straight to the file and drops what a partial write
    left (a reader that goes away mid-write): the rest of the output is lost without an error
    and podgen would exit 0. A buffered writer writes the rest, and meets the closed pipe.
    """
    import io

    raw = getattr(sys.stdout, "buffer", None)
    if not isinstance(raw, io.RawIOBase):
        return  # buffered already, or not a real file (tests capture it)
    sys.stdout.flush()
    sys.stdout = open(  # noqa: SIM115 - stdout for the rest of the process; fd 1 stays open
        raw.fileno(),
        "w",
        encoding=sys.stdout.encoding,
        errors=sys.stdout.errors,
        closefd=False,
    )


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit does not fail again (a closed pipe)."""
    import os

    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (tests capture it)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


def clean_up_on_sigterm() -> None:
    """SIGTERM (a CI runner or an editor stopping podgen) cleans up exactly as Ctrl-C does.

    Every command, so that each ends the same way: `error: terminated` and exit 143, after
    the clean-up Ctrl-C gets (Ctrl-C itself: `error: interrupted`, 130).
    """
    import signal

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)


#: Whether SIGTERM came: Typer reports any KeyboardInterrupt as a bare 130, losing its kind.
terminated = False


def _terminate(signum: int, frame: object) -> None:
    from podgen._errors import Terminated

    global terminated
    terminated = True
    raise Terminated
