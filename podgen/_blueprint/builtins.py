"""The built-in blueprints shipped in blueprints/ (the `podgen.blueprints` package)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SUFFIX = ".yaml"


def _folder() -> Any:
    # importlib.resources (and the tempfile it imports) costs several milliseconds of start-up:
    # loaded only when a built-in is asked for, never for a blueprint file.
    from importlib import resources

    return resources.files("podgen.blueprints")


def names() -> list[str]:
    """Every built-in blueprint's name, sorted."""
    folder = _folder()
    return sorted(
        entry.name.removesuffix(SUFFIX) for entry in folder.iterdir() if entry.name.endswith(SUFFIX)
    )


def text(name: str) -> str:
    """The YAML text of the built-in blueprint `name`."""
    text: str = _folder().joinpath(name + SUFFIX).read_text("utf-8")
    return text
