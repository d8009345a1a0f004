"""The `podgen` console script: lean paths for `podgen new` and `render`, the full CLI otherwise.

Importing Typer and letting it coerce `new`'s fifty-odd parameters costs about 150 ms before
any work is done, several times kubectl's whole run. People call `podgen new` from editor tasks
and hooks on every save, so this module parses plain `podgen new ...` argv itself, with the
table below, and never imports Typer; likewise `podgen render SOURCE [-o FORMAT]`. Whatever
it is not sure of (help, --debug, --templates, --out, unknown or oddly spelled flags, a value
that does not convert) goes to the full CLI in `_cli`, which gives the same output and every
message. tests/test_entry.py checks the table against the Typer command and both paths
against each other.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NoReturn

from podgen._options import BOOL, CHOICE, OPTIONS, Option


def _lean_kind(option: Option) -> str:
    """How the lean parser reads an option: str, int, flag, multi, or choice:<a,b> (any case)."""
    if option.type == BOOL:
        return "flag"
    if option.repeatable:
        return "multi"
    if option.type == CHOICE:
        return "choice:" + ",".join(option.choices)
    return option.type


#: `podgen new`'s options, from the one table: flag -> (parameter, kind).
NEW_OPTIONS: dict[str, tuple[str, str]] = {
    flag: (option.param, _lean_kind(option)) for option in OPTIONS for flag in option.flags
}

#: The defaults of the parameters, as the Typer command has them.
NEW_DEFAULTS: dict[str, Any] = {
    "name": None,
    "args": None,
    "templates": None,
    "debug": False,
    **{option.param: option.default for option in OPTIONS},
}


#: What Go's strconv.ParseBool (so kubectl's `--privileged=VALUE`) reads as true and false.
_GO_TRUE = ("1", "t", "T", "true", "TRUE", "True")
_GO_FALSE = ("0", "f", "F", "false", "FALSE", "False")


def normalize_new_words(words: list[str]) -> list[str]:
    """`podgen new`'s words in the spellings both parsers take, or a UsageError.

    As kubectl does: `--privileged=true|false` (any of Go's boolean spellings), and a bare
    `--dry-run`, which means `--dry-run=client` and never takes the next word as its value.
    A flag that holds one value, given twice with two values, is refused rather than
    quietly keeping the last (repeatable flags add up).
    """
    from podgen._errors import UsageError

    normalized: list[str] = []
    seen: dict[str, tuple[str, str]] = {}  # parameter -> (flag, value)
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            normalized.extend(words[index - 1 :])
            break
        flag, equals, value = word.partition("=")
        has_value = bool(equals)
        if not (flag.startswith("--") or (len(flag) == 2 and flag.startswith("-"))):
            if not (flag[:2] in NEW_OPTIONS and flag[1:2] != "-"):
                normalized.append(word)  # a positional word
                continue
            flag, has_value, value = word[:2], True, word[2:]  # -nprod, -ojson
        entry = NEW_OPTIONS.get(flag)
        if entry is None:
            normalized.append(word)  # podgen's parser says what is wrong with it
            continue
        param, kind = entry
        if kind == "flag":
            if has_value and value not in _GO_TRUE + _GO_FALSE:
                raise UsageError(f'{flag}: invalid argument "{value}": expected true or false')
            normalized.append(flag if not has_value or value in _GO_TRUE else f"--no-{flag[2:]}")
            continue
        if flag == "--dry-run" and not has_value:
            normalized.append("--dry-run=client")
            continue
        if not has_value:
            if index >= len(words):
                normalized.append(word)
                continue
            value = words[index]
            index += 1
        normalized.extend([f"{flag}={value}"] if flag.startswith("--") else [flag, value])
        if kind == "multi":
            continue
        earlier = seen.get(param)
        if earlier is not None and earlier[1] != value:
            raise UsageError(
                f"{flag}: given twice, as {earlier[1]!r} and as {value!r}; give it once"
            )
        seen[param] = (flag, value)
    return normalized


def parse_new(words: list[str]) -> tuple[dict[str, Any], set[str]] | None:
    """`podgen new`'s parameters and the ones given, or None to let the full CLI decide."""
    params = dict(NEW_DEFAULTS)
    given: set[str] = set()
    positional: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            positional.extend(words[index:])
            break
        if not word.startswith("-") or word == "-":
            positional.append(word)
            continue
        flag, has_value, value = word.partition("=")
        if flag not in NEW_OPTIONS:
            return None  # help, --debug, --templates, -oyaml, typos: the full CLI knows
        param, kind = NEW_OPTIONS[flag]
        if kind == "flag":
            if has_value:
                return None
            params[param] = True
        else:
            if not has_value:
                if index >= len(words):
                    return None
                value = words[index]
                index += 1
            converted = _convert(value, kind)
            if converted is None:
                return None
            if kind == "multi":
                params[param] = [*(params[param] or []), converted]
            else:
                params[param] = converted
        given.add(param)
    if positional:
        params["name"] = positional[0]
        given.add("name")
        if positional[1:]:
            params["args"] = positional[1:]
            given.add("args")
    return params, given


def _convert(value: str, kind: str) -> Any:
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            return None
    if kind.startswith("choice:"):
        lowered = value.lower()
        return lowered if lowered in kind.removeprefix("choice:").split(",") else None
    return value


def parse_render(words: list[str]) -> tuple[str, str] | None:
    """`podgen render SOURCE [-o FORMAT]`'s source and format, or None for the full CLI."""
    source, output = None, "yaml"
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        flag, has_value, value = word.partition("=")
        if flag in ("-o", "--output") and (has_value or index < len(words)):
            if not has_value:
                value = words[index]
                index += 1
            output = value.lower()
            if output not in ("yaml", "json"):
                return None
        elif (word == "-" or not word.startswith("-")) and source is None:
            source = word
        else:
            return None  # --out, --check, --templates, help, a second source: the full CLI
    return None if source is None else (source, output)


def _lean_new(words: list[str]) -> tuple[dict[str, Any], set[str]] | None:
    """`podgen new`'s parameters, or None for the full CLI (which also reports any error)."""
    from podgen._errors import UsageError

    try:
        return parse_new(normalize_new_words(words))
    except UsageError:
        return None


def _run_new(params: dict[str, Any], given: set[str]) -> None:
    from podgen._flags import flag_for, request_from_params
    from podgen._pipeline import emit, render_request
    from podgen._spec import OutputFormat

    def run() -> None:
        request = request_from_params(params, given)
        sys.stdout.write(
            emit(render_request(request, flag_for, None), OutputFormat(params["output"]))
        )

    run_command(run, lambda: False)


def _run_render(source: str, output: str) -> None:
    from podgen._bulk import render_source
    from podgen._output import print_all
    from podgen._spec import OutputFormat

    def run() -> None:
        format_ = OutputFormat(output)
        print_all(
            (file.text for file in render_source(source, sys.stdin.buffer, format_, None)), format_
        )

    run_command(run, lambda: False)


def run_command(run: Callable[[], object], debugging: Callable[[], bool]) -> NoReturn:
    """Run a command and exit: every error is one line on stderr and a non-zero exit code.

    The one place that maps errors to exit codes, for the lean paths and the full CLI alike.
    `debugging()` says whether to show the traceback instead. A reader that goes away (`| head`)
    ends podgen quietly, as it ends other command-line tools; any other failure to write the
    output (a full disk) is one line.
    """
    from podgen._errors import ExitCode, PodgenError, error_line

    def fail(message: str, code: int) -> NoReturn:
        sys.stderr.write(error_line(message) + "\n")
        raise SystemExit(code)

    try:
        code = run()
        sys.stdout.flush()  # inside the try: a full disk or a closed pipe shows up here
    except BrokenPipeError:
        _silence_stdout()
        raise SystemExit(int(ExitCode.CLOSED_PIPE)) from None
    except KeyboardInterrupt:
        if debugging():
            raise
        fail("interrupted", ExitCode.INTERRUPTED)
    except PodgenError as error:
        if debugging():
            raise
        fail(str(error), error.exit_code)
    except UnicodeEncodeError as error:
        if debugging():
            raise
        fail(f"input is not valid UTF-8: {error.object[error.start : error.end]!r}", ExitCode.USAGE)
    except OSError as error:
        if debugging():
            raise
        # podgen's own file errors are PodgenErrors with the file's name; what is left is a
        # failure to write the output stream.
        fail(f"could not write the output: {error.strerror or error}", ExitCode.FAILURE)
    except Exception as error:
        if debugging():
            raise
        fail(f"internal error: {error!r} (run with --debug for the traceback)", ExitCode.FAILURE)
    raise SystemExit(code if isinstance(code, int) else 0)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit does not fail again on the closed pipe."""
    import os

    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (tests capture it)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


def _clean_up_on_sigterm() -> None:
    """SIGTERM (a CI runner or an editor stopping podgen) cleans up exactly as Ctrl-C does."""
    import signal

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate_as_interrupt)


def _terminate_as_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `podgen` console script and of `python -m podgen`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if argv is None and args[:1] != ["new"]:  # `new` only prints: the default end is clean
        _clean_up_on_sigterm()
    if args[:1] == ["new"]:
        parsed = _lean_new(args[1:])
        if parsed is not None:
            _run_new(*parsed)
    if args[:1] == ["render"]:
        rendering = parse_render(args[1:])
        if rendering is not None:
            _run_render(*rendering)

    def full_cli() -> None:
        from podgen._cli import main as run_full_cli

        run_full_cli(args)

    # Importing the full CLI takes a while: Ctrl-C during it is an interruption like any other.
    run_command(full_cli, lambda: "--debug" in args)
