"""Files below a folder, as every command gathers them, and reads that name the file.

render, validate and import take folders alike: one walk (`files_below`) in one order, hidden
files and folders skipped, symlinked folders not followed. An entry that is no readable file
(a broken symlink, a file podgen may not read) is listed all the same, so reading it
(`read_bytes`) names it instead of passing over it in silence; a pipe, socket or device is
refused (reading a pipe would wait forever).

While an editor holds unsaved changes (the language server's open documents, `unsaved`),
every read of such a file through `source_bytes` and `source_size` sees the editor's text:
a blueprint's podgen.yaml, a CRD beside a custom resource, a project's blueprints.
"""

from __future__ import annotations

import contextlib
import os
import stat
from _thread import get_ident

from podgen._errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection, Iterator, Mapping

#: The editor's texts of open files, by absolute path, encoded (`unsaved`), for each thread
#: that set them (the language server checks in one thread and explains in another).
_unsaved: dict[int, dict[str, bytes]] = {}


@contextlib.contextmanager
def unsaved(texts: Mapping[str, str]) -> Iterator[None]:
    """While the block runs, this thread's reads of a file in `texts` (absolute paths) give it."""
    thread = get_ident()
    before = _unsaved.get(thread)
    _unsaved[thread] = {
        **(before or {}),
        **{path: text.encode("utf-8", "surrogatepass") for path, text in texts.items()},
    }
    try:
        yield
    finally:
        if before is None:
            del _unsaved[thread]
        else:
            _unsaved[thread] = before


def unsaved_bytes(path: str) -> bytes | None:
    """The editor's text of the file at `path`, if an editor holds it (`unsaved`)."""
    if not _unsaved:
        return None
    held = _unsaved.get(get_ident())
    return held.get(os.path.abspath(path)) if held else None


def source_bytes(path: str) -> bytes:
    """The bytes of a file podgen reads as input: the editor's unsaved text, else the disk's."""
    held = unsaved_bytes(path)
    if held is not None:
        return held
    with open(path, "rb") as file:
        return file.read()


def source_size(path: str) -> int:
    """The size in bytes of what `source_bytes` reads (OSError if there is no such file)."""
    held = unsaved_bytes(path)
    return len(held) if held is not None else os.path.getsize(path)


def files_below(folder: str, suffixes: tuple[str, ...], names: Collection[str] = ()) -> list[str]:
    """The entries below `folder` ending in one of `suffixes` (or named one of `names`).

    Sorted by their path's parts; paths read as pathlib writes them (`bp/x.yaml` for `./bp/`).
    """
    base = os.path.normpath(folder)
    prefix = "" if base == "." else base.rstrip(os.sep) + os.sep
    found: list[tuple[str, ...]] = []
    for parent, folders, entries in os.walk(base):
        folders[:] = [name for name in folders if not name.startswith(".")]
        relative = os.path.relpath(parent, base)
        parts = () if relative == "." else tuple(relative.split(os.sep))
        for name in entries:  # files, and what is no folder: broken symlinks, pipes
            if not name.startswith(".") and (name.endswith(suffixes) or name in names):
                found.append((*parts, name))
    paths = [prefix + os.sep.join(parts) for parts in sorted(found)]
    for path in paths:
        _regular(path)
    return paths


def _regular(path: str) -> None:
    """Refuse a pipe, socket or device found in a folder: reading a pipe waits forever.

    Named on its own (`/dev/stdin`, `<(kubectl get ...)`) one is read; in a folder it is
    no manifest. What cannot be looked at (a broken symlink) is read, and named, later.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        what = "a named pipe" if stat.S_ISFIFO(mode) else "a socket or device"
        raise UsageError(f"{path}: not a regular file ({what}); below a folder only files are read")


def read_bytes(path: str) -> bytes:
    """The bytes of the file at `path`; one that cannot be read is a UsageError naming it."""
    try:
        return source_bytes(path)
    except OSError as error:
        raise UsageError(f"{path}: {unreadable(error)}") from None


def unreadable(error: OSError) -> str:
    """Why a file could not be read, in words (`cannot read it: Permission denied`)."""
    if isinstance(error, FileNotFoundError) and error.filename and os.path.islink(error.filename):
        return "cannot read it: a broken symbolic link"
    return f"cannot read it: {error.strerror or error}"


def find_upward(name: str, start: str = ".") -> str | None:
    """The file `name` in the folder `start` or the nearest folder above it, or None.

    As git finds `.git`: how podgen finds a project's podgen.yaml, from the current folder
    for the bare commands and from a named path's own folder for the others.
    """
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
