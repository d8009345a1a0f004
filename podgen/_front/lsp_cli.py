"""`podgen lsp`'s Typer command: its help and flags (the console script starts it leanly)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

LSP_EPILOG = """\b
Examples (an editor starts it; docs/editors.md has each editor's set-up):
  podgen lsp                 # VS Code, Neovim, Helix, Emacs (eglot), Zed: command `podgen lsp`
  podgen lsp --stdio         # the same, for clients that add --stdio
\b
Diagnostics are `podgen validate`'s findings for the text being typed (rule ids as codes);
hover shows `kubectl explain`'s text for the field under the cursor; completion offers the
fields, enum values, blueprint words and podgen.yaml keys valid there."""


def lsp(
    stdio: Annotated[
        bool,
        typer.Option(
            "--stdio",
            help="Talk LSP over stdin and stdout (the default and only way).",
            show_default=False,
        ),
    ] = True,
) -> None:
    """Run the language server for editors: validate, explain and completion as you type."""
    raise typer.Exit(start())


def start() -> int:
    """Serve an editor on stdin and stdout; the exit code LSP asks for."""
    if sys.stdin.isatty():
        sys.stderr.write(
            "podgen lsp: a language server, for an editor to start (docs/editors.md); "
            "waiting for LSP messages on stdin (Ctrl-D ends it)\n"
        )
    from podgen._lsp.server import serve

    return serve()
