"""`podgen blueprints` and `podgen blueprints show NAME`: the built-in blueprints."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from podgen._errors import UsageError

blueprints_app = typer.Typer(
    help="List the built-in blueprints, or show one.",
    invoke_without_command=True,
    rich_markup_mode=None,
)


@blueprints_app.callback(invoke_without_command=True)
def _list_blueprints(ctx: typer.Context) -> None:
    """List the built-in blueprints: name and one-line description."""
    if ctx.invoked_subcommand is not None:
        return
    from podgen._blueprint import builtins as _builtins
    from podgen._blueprint.loader import load_blueprint

    names = _builtins.names()
    width = max(map(len, names), default=0)
    for name in names:
        description = load_blueprint(_builtins.text(name), name).description
        sys.stdout.write(f"{name:<{width}}  {description}\n")


@blueprints_app.command("show")
def _show_blueprint(
    name: Annotated[str, typer.Argument(help="A built-in blueprint's name.", metavar="NAME")],
) -> None:
    """Print one built-in blueprint."""
    from podgen._blueprint import builtins as _builtins

    if name not in _builtins.names():
        raise UsageError(f"{name}: no such built-in blueprint (`podgen blueprints` lists them)")
    sys.stdout.write(_builtins.text(name))
