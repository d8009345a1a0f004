"""Replacing a set of files all together, or not at all, whatever happens on the way.

`Transaction` is the one place podgen changes files in place: `_io.output.write` works out
what to change and hands it the whole set. A failure, a full disk or Ctrl-C leaves every file
as it was, with no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
from collections.abc import Iterator, Sequence

from podgen._errors import PodgenError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import IO

#: Suffixes of podgen's own temporary files: staged new content, and the old content kept
#: until every file is in place.
STAGED_SUFFIX, BACKUP_SUFFIX = ".podgen-tmp", ".podgen-old"


def _write_staged(stream: IO[str], text: str) -> None:
    """Write one staged file's text: the seam where fault-injection tests make the disk fill."""
    stream.write(text)


class Transaction:
    """Replace a set of files all together, or leave every one as it was.

    Each new file is first written in full to a temporary file beside its target. Only then
    are the targets swapped in, each old file kept as a backup until all are in place; any
    failure or interruption on the way puts every old file back and removes every new one,
    every temporary file and every folder the run created. Ctrl-C and SIGTERM wait while the
    files are swapped (a few milliseconds) and take effect once they are all in place.
    """

    def __init__(self, folder: Path, label: str = "--out") -> None:
        self.folder = folder
        self.label = label  #: what its error messages start with
        self.created: list[Path] = []  #: folders made for the new files, outermost first
        self.staged: list[tuple[Path, Path]] = []  #: (temporary, target)
        self.swapped: list[tuple[Path, Path | None]] = []  #: (target, backup of the old one)
        self.removed: list[tuple[Path, Path]] = []  #: (pruned file, its backup)

    def commit(self, changes: Sequence[tuple[str | bytes, Path]], remove: Sequence[Path]) -> None:
        """Write `changes` (text or bytes, and where) and remove `remove`, all or none."""
        try:
            mode = _new_file_mode()
            for text, target in changes:
                self._stage(text, target, mode)
            with signals_deferred():
                try:
                    for temporary, target in self.staged:
                        self._swap(temporary, target)
                    for path in remove:
                        backup = _temporary_name(path, BACKUP_SUFFIX)
                        os.replace(path, backup)
                        self.removed.append((path, backup))
                except BaseException:
                    self._roll_back()
                    raise
                self._discard_backups()
            for path in remove:
                self._remove_empty_folders(path.parent)
        except OSError as error:
            self._clean_up()
            reason = error.strerror or str(error)
            raise PodgenError(
                f"{self.label}: could not write {self._target_of(error)}: {reason}"
            ) from error
        except BaseException:
            self._clean_up()
            raise

    def _stage(self, text: str | bytes, target: Path, mode: int) -> None:
        self._make_folder(target.parent)
        if target.exists():
            mode = stat.S_IMODE(target.stat().st_mode)  # a replaced file keeps its mode
        temporary = _temporary_name(target, STAGED_SUFFIX)
        self.staged.append((temporary, target))  # before it exists: Ctrl-C may come any time
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        if isinstance(text, bytes):  # a file kept as it was (see `_replaced_name`)
            with os.fdopen(handle, "wb") as raw:
                raw.write(text)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                _write_staged(stream, text)
        os.chmod(temporary, mode)

    def _make_folder(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            self.created.append(path)  # before it exists, as with staged files
            try:
                path.mkdir()
            except BaseException:
                self.created.pop()  # not ours after all (or not made)
                raise

    def _swap(self, temporary: Path, target: Path) -> None:
        backup = None
        if target.exists():
            # The old file stays at its name until the new one replaces it in one rename,
            # so even a SIGKILL here leaves one of the two there, never neither.
            backup = _temporary_name(target, BACKUP_SUFFIX)
            try:
                os.link(target, backup)
            except OSError:  # a file system without hard links: a rename, then
                os.replace(target, backup)
        self.swapped.append((target, backup))
        os.replace(temporary, target)

    def _roll_back(self) -> None:
        """Put every old file back where it was, newest change first."""
        for path, kept in reversed(self.removed):
            os.replace(kept, path)
        for target, backup in reversed(self.swapped):
            if backup is None:
                target.unlink(missing_ok=True)
            elif _same_file(backup, target):  # the new file never got there
                backup.unlink()  # (renaming a hard link onto its twin would do nothing)
            else:
                os.replace(backup, target)
        self.removed.clear()
        self.swapped.clear()

    def _discard_backups(self) -> None:
        """Every file is in place: the old contents can go (a failure here loses nothing)."""
        for backup in [b for _, b in self.swapped if b is not None] + [b for _, b in self.removed]:
            with contextlib.suppress(OSError):
                backup.unlink()
        self.swapped.clear()
        self.removed.clear()
        self.created.clear()  # they hold the new files now

    def _remove_empty_folders(self, folder: Path) -> None:
        """After pruning: the namespace folders left empty go too (nothing of anyone's is lost)."""
        while folder != self.folder and folder.is_relative_to(self.folder):
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent

    def _clean_up(self) -> None:
        """After a failure: no temporary file, and no folder this run made, stays behind."""
        for temporary, _ in self.staged:
            temporary.unlink(missing_ok=True)
        for folder in reversed(self.created):
            with contextlib.suppress(OSError):
                folder.rmdir()

    def _target_of(self, error: OSError) -> str:
        """The file the user knows, not the temporary file the error happened on."""
        name = str(error.filename) if error.filename is not None else ""
        for temporary, target in self.staged:
            if name == str(temporary):
                return str(target)
        return name or str(self.folder)


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _temporary_name(target: Path, suffix: str) -> Path:
    """A new hidden name beside `target` (`.pod-web.yaml.k2j4.podgen-tmp`)."""
    return target.parent / f".{target.name}.{os.urandom(4).hex()}{suffix}"


def _new_file_mode() -> int:
    """The mode a new file gets under the process's umask, as `open` would give it."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


#: What `signals_deferred` holds back: Ctrl-C, and SIGTERM (which podgen's entry turns into it).
DEFERRED_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done; they take effect right after it."""
    import threading  # on first use: printing to stdout needs none

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, DEFERRED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
