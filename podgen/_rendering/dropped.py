"""Warnings for fields the target release's API server would drop: their feature is off there.

`new` and `render` write what they are told, for any release. A field whose feature gate is
off by default in the target (an alpha feature) passes the API server's checks and is then
dropped without a word, so the object would not do what it says: each such field is a
warning naming what wrote it and the gate (`_checking.feature_gates` has the table, with its
sources). The output does not change, and the exit code stays 0.

Warnings are collected, not printed: the library never prints. A command collects them
(`collecting`) around its work and prints each as `warning: ...` on stderr.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_FOUND: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "podgen_dropped", default=None
)


@contextlib.contextmanager
def collecting() -> Iterator[list[str]]:
    """Collect the warnings of the work inside the block into the list it yields, in order."""
    found: list[str] = []
    token = _FOUND.set(found)
    try:
        yield found
    finally:
        _FOUND.reset(token)


def add(warnings: list[str]) -> None:
    """Add warnings found elsewhere (a worker process, an environment) to those collected."""
    found = _FOUND.get()
    if found is not None:
        found.extend(warnings)


def check_dropped(document: dict[str, Any], source_of: Callable[[str], str | None] | None) -> None:
    """Collect a warning for each field of `document` the target's API server would drop.

    Nothing is collected, and nothing checked, when no command is collecting.
    """
    found = _FOUND.get()
    if found is None:
        return
    from podgen._checking.feature_gates import dropped_fields
    from podgen._errors import dotted

    for dropped in dropped_fields(document):
        source = source_of(dotted(dropped.path)) if source_of is not None else None
        found.append(f"{source}: {dropped.message}" if source else dropped.message)


def lines(warnings: list[str]) -> str:
    """The warnings as the commands print them, each once."""
    return "".join(f"warning: {warning}\n" for warning in dict.fromkeys(warnings))
