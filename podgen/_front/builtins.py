"""The built-in blueprints shipped in blueprints/ (the `podgen.blueprints` package)."""

from __future__ import annotations

from importlib import resources

SUFFIX = ".yaml"


def names() -> list[str]:
    """Every built-in blueprint's name, sorted."""
    folder = resources.files("podgen.blueprints")
    return sorted(
        entry.name.removesuffix(SUFFIX) for entry in folder.iterdir() if entry.name.endswith(SUFFIX)
    )


def text(name: str) -> str:
    """The YAML text of the built-in blueprint `name`."""
    return resources.files("podgen.blueprints").joinpath(name + SUFFIX).read_text("utf-8")
