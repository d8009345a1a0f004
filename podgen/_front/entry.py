"""The `podgen` console script: lean paths for `new`, `render`, `validate` and `explain`.

Importing Typer and letting it coerce `new`'s fifty-odd parameters costs about 150 ms before
any work is done, several times kubectl's whole run. People call `podgen new` from editor tasks
and hooks on every save, so plain `podgen new ...` argv is parsed by `_front.argv` from the option
table, and Typer is never imported; likewise `podgen render SOURCE [-o FORMAT]`. Whatever the
lean parser is not sure of (help, --debug, --templates, --out, unknown or oddly spelled flags,
a value that does not convert) goes to the full CLI in `_front.cli`, which gives the same output and
every message. tests/test_entry.py holds both paths to each other. `podgen explain` is read
whole by `_front.explain_argv`, with kubectl's own flag rules and messages; only its --help
goes to the full CLI.
"""

from __future__ import annotations

import sys

from podgen._front.argv_on_save import parse_render, parse_validate
from podgen._front.run import clean_up_on_sigterm, run_command, stopped

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _lean_new(words: list[str]) -> tuple[dict[str, Any], set[str]] | None:
    """`podgen new`'s parameters, or None for the full CLI (which also reports any error)."""
    from podgen._errors import UsageError
    from podgen._front.argv import normalize_new_words, parse_new

    try:
        return parse_new(normalize_new_words(words))
    except UsageError:
        return None


def _run_new(params: dict[str, Any], given: set[str]) -> None:
    from podgen._rendering.dropped import lines
    from podgen._rendering.pipeline import new_text

    def run() -> None:
        text, warnings = new_text(params, given, None)
        sys.stdout.write(text)
        sys.stderr.write(lines(warnings))

    run_command(run, lambda: False)


def _run_render(parsed: dict[str, Any]) -> None:
    def run() -> int:
        from podgen._commands.render import render
        from podgen._model.spec import OutputFormat

        output = OutputFormat(parsed["output"]) if parsed["output"] else None
        keys = ("check", "force", "prune", "env", "crds", "k8s_version")
        switches = {key: parsed[key] for key in keys}
        return render(parsed["source"], output, out=parsed["out"], **switches)

    run_command(run, lambda: False)


def _run_validate(parsed: dict[str, Any]) -> None:
    def run() -> int:
        from podgen._commands.validate import validate

        return validate(**parsed)

    run_command(run, lambda: False)


def _run_explain(words: list[str]) -> None:
    """`podgen explain`, all of it but --help: kubectl's flags, read without Typer."""
    from podgen._front.explain_argv import parse_explain, run_explain, wants_help

    if wants_help(words):  # kubectl checks the flags before it shows its help
        from podgen._errors import PodgenError

        try:
            parse_explain(words, flags_only=True)
        except PodgenError:
            run_command(lambda: parse_explain(words, flags_only=True), lambda: False)
        return
    flags = words[: words.index("--")] if "--" in words else words
    run_command(lambda: run_explain(parse_explain(words)), lambda: "--debug" in flags)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `podgen` console script and of `python -m podgen`."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        _main(args, argv is None)
    except KeyboardInterrupt as stop:  # while parsing, before a command's own handling
        if "--debug" in args:
            raise
        stopped(stop)


def _main(args: list[str], own_process: bool) -> None:
    if own_process:  # a process of its own: SIGTERM ends every command as Ctrl-C does
        clean_up_on_sigterm()
    if args[:1] == ["new"]:
        parsed = _lean_new(args[1:])
        if parsed is not None:
            _run_new(*parsed)
    if args[:1] == ["render"]:
        rendering = parse_render(args[1:])
        if rendering is not None:
            _run_render(rendering)
    if args[:1] == ["explain"]:
        _run_explain(args[1:])
        args = ["explain", "--help"]  # its flags are kubectl's, checked: the full CLI's help
    if args[:1] == ["lsp"] and set(args[1:]) <= {"--stdio"}:  # as editors start it
        from podgen._front.lsp_cli import start

        run_command(start, lambda: False)
    if args[:1] == ["validate"]:
        validating = parse_validate(args[1:])
        if validating is not None:
            _run_validate(validating)

    def full_cli() -> None:
        from podgen._front.cli import main as run_full_cli

        run_full_cli(args)

    # Importing the full CLI takes a while: Ctrl-C during it is an interruption like any other.
    run_command(full_cli, lambda: "--debug" in args)
