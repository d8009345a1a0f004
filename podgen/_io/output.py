"""The one module that writes: rendered manifests into files, all or none, and to stdout.

`write` replaces a whole set of files as one step (see `_Transaction`): a failure, a full disk
or Ctrl-C leaves the folder exactly as it was, with no temporary file behind. It never
overwrites a file without `force`, never a blueprint being read, and prunes only files that
podgen itself wrote there and that nobody edited since (`RECORD`). `differences` compares a
folder with what rendering gives now, for `render --check`.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence

from podgen._errors import Path as ErrorPath
from podgen._errors import PodgenError, UsageError
from podgen._io.emit import separator
from podgen._model.spec import OutputFormat
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import IO, Any


class OutputFile(NamedTuple):
    """One rendered object, where it goes (relative to the output folder), and what wrote it."""

    relative_path: str
    text: str
    #: The blueprint file it comes from, and the entry in it (`("pods", 0)`), for messages.
    source: str = ""
    origin: ErrorPath = ()

    def where(self) -> str:
        """`blueprint.yaml:7:3 (pods[0])`: where the object comes from."""
        from podgen._front.blueprint import locate

        return locate(self.source, self.origin) if self.source else self.relative_path

    def describe(self) -> str:
        """`Pod 'web' in namespace 'shop'`, from the file's path (`shop/pod-web.yaml`)."""
        from podgen._model.objects import describe

        folder, _, name = self.relative_path.rpartition("/")
        kind, _, rest = name.partition("-")
        return describe((kind.capitalize(), folder, rest.rsplit(".", 1)[0]))  # pod -> Pod


def files_for(
    documents: Sequence[dict[str, Any]],
    output: OutputFormat,
    emit_one: Any,
    *,
    unique: bool = True,
    source: str = "",
    origins: Sequence[ErrorPath] | None = None,
) -> list[OutputFile]:
    """One file per object: `KIND-NAME.yaml`, under a folder per namespace.

    With `unique`, two objects bound for one file are an error here; without, the caller
    checks (`check_unique`).
    """
    files = []
    suffix = "json" if output is OutputFormat.JSON else "yaml"  # KYAML is YAML
    for index, document in enumerate(documents):
        metadata = document.get("metadata", {})
        name = f"{str(document['kind']).lower()}-{metadata['name']}.{suffix}"
        namespace = metadata.get("namespace")
        relative = f"{namespace}/{name}" if namespace else name
        origin = origins[index] if origins is not None else ()
        files.append(OutputFile(relative, emit_one(document), source, origin))
    return check_unique(files) if unique else files


#: Printed output is kept in memory up to this size, then in a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


def print_all(texts: Iterable[str], output: OutputFormat) -> None:
    """Print rendered objects (YAML documents joined by `---`, or JSON objects), all or none.

    Each text is spooled as soon as it is rendered, so memory stays flat however many objects
    there are, and nothing reaches stdout until the last one has passed its checks: a failure
    halfway leaves no half-printed stream for `kubectl apply -f -` to act on.
    """
    import shutil
    import tempfile

    between = separator(output)
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as spool:
        batch: list[str] = []
        started = False
        for text in itertools.chain(texts, [None]):  # None: the end, write what is left
            if text is not None:
                batch.append(text)
            if batch and (text is None or len(batch) == 256):  # writes cost more than joins
                spool.write((between if started else "") + between.join(batch))
                started = True
                batch.clear()
        spool.seek(0)
        shutil.copyfileobj(spool, sys.stdout)


#: In the output folder: the files podgen wrote there and what it wrote, one
#: `SHA256  PATH` line each (`sha256sum -c` reads it). Only files listed here are ever pruned
#: or reported stale, and only while they still hold what podgen wrote. No .yaml or .json
#: suffix, so `kubectl apply -f DIR` does not read it.
RECORD = ".podgen-rendered"
#: Suffixes of podgen's own temporary files: staged new content, and the old content kept
#: until every file is in place.
STAGED_SUFFIX, BACKUP_SUFFIX = ".podgen-tmp", ".podgen-old"


def digest(text: str) -> str:
    """The SHA-256 of a file's text as podgen writes it (UTF-8)."""
    return _sha256(text.encode("utf-8"))


def _sha256(data: bytes) -> str:
    import hashlib  # on first use: printing to stdout needs none

    return hashlib.sha256(data).hexdigest()


# What `render --check` runs on every save works on plain string paths: importing pathlib
# would cost it a tenth of its start-up. Writing (below) uses pathlib.


def read_record(folder: str | Path) -> dict[str, str]:
    """What podgen last wrote into `folder`: relative path -> SHA-256; empty if none."""
    try:
        with open(os.path.join(folder, RECORD), encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return {}
    record = {}
    for line in text.splitlines():
        sha, separator, relative = line.partition("  ")
        if separator and len(sha) == 64 and relative and not _escapes(relative):
            record[relative] = sha
    return record


def _escapes(relative: str) -> bool:
    """Whether a recorded path points outside its folder (a record is a file anyone can edit)."""
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    return relative.startswith("/") or ".." in parts or not parts


def _record_text(record: dict[str, str]) -> str:
    return "".join(f"{sha}  {relative}\n" for relative, sha in sorted(record.items()))


def _holds(path: str, sha: str) -> bool:
    """Whether `path` is a file that still holds exactly what podgen wrote."""
    if not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as file:
            return _sha256(file.read()) == sha
    except OSError:
        return False


class Stale(NamedTuple):
    """Files podgen wrote into a folder that no rendered object writes to any more.

    Their paths are relative to the folder, as the record has them.
    """

    unchanged: list[str]  #: still as podgen wrote them: `--prune` removes these
    edited: list[str]  #: changed since: never removed, only reported


def stale(files: Sequence[OutputFile], folder: str | Path) -> Stale:
    """The files of `folder`'s record that no rendered object writes to now."""
    expected = {f.relative_path for f in files}
    unchanged: list[str] = []
    edited: list[str] = []
    for relative, sha in sorted(read_record(folder).items()):
        path = os.path.join(folder, relative)
        if relative in expected or not os.path.isfile(path):
            continue
        (unchanged if _holds(path, sha) else edited).append(relative)
    return Stale(unchanged, edited)


def strays(folder: str | Path) -> list[str]:
    """The temporary files podgen left in `folder` by a run that was killed outright."""
    found = []
    for parent, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(parent, name)
            ours = name.startswith(".") and name.endswith((STAGED_SUFFIX, BACKUP_SUFFIX))
            if ours and os.path.isfile(path):
                found.append(path)
    return sorted(found, key=lambda path: path.split(os.sep))


def check_unique(files: Sequence[OutputFile]) -> list[OutputFile]:
    """`files` sorted by path, refusing two objects that would share one file."""
    return sorted(unique(files), key=lambda f: f.relative_path)


def unique(files: Iterable[OutputFile]) -> Iterator[OutputFile]:
    """`files` as they come, refusing a second object of one kind, namespace and name.

    The file's path is the object's identity (`shop/pod-web.yaml`), so this also keeps two
    objects from one file.
    """
    seen: dict[str, OutputFile] = {}
    for output_file in files:
        first = seen.get(output_file.relative_path)
        if first is not None:
            raise UsageError(
                f"{output_file.where()}: writes {output_file.describe()}, which "
                f"{first.where()} writes too; one kind, namespace and name is one object"
            )
        seen[output_file.relative_path] = output_file
        yield output_file


class Written(NamedTuple):
    """What `write` did, for the CLI to report."""

    written: list[Path]
    removed: list[Path]  #: pruned: podgen's own files that no object renders to any more
    kept: list[Path]  #: stale, but edited since podgen wrote them: left alone


def write(
    files: Sequence[OutputFile],
    folder: Path,
    *,
    force: bool,
    prune: bool = False,
    sources: Iterable[str] = (),
) -> Written:
    """Write every file or none; refuse to overwrite what podgen did not write without `force`.

    With `prune`, files podgen wrote earlier (see `RECORD`) that no object renders to any more
    are removed in the same all-or-nothing step, unless they were edited since. A file named
    in `sources` (the blueprints being read) is never overwritten.
    """
    targets = [folder / f.relative_path for f in files]
    record = {
        relative: sha
        for relative, sha in read_record(folder).items()
        if (folder / relative).is_file()
    }
    # A file podgen wrote and nobody has edited since is podgen's to replace.
    ours = {
        str(folder / relative)
        for relative, sha in record.items()
        if _holds(str(folder / relative), sha)
    }
    _refuse_unsafe_targets(targets, sources, force, ours)
    old = stale(files, folder) if prune else Stale([], [])
    for output_file in files:
        record[output_file.relative_path] = digest(output_file.text)
    for relative in [*old.unchanged, *old.edited]:  # an edited file is its editor's from now on
        del record[relative]
    changes = [
        *((f.text, target) for f, target in zip(files, targets, strict=True)),
        (_record_text(record), folder / RECORD),
    ]
    removed = [folder / relative for relative in old.unchanged]
    _Transaction(folder).commit(changes, removed)
    return Written(targets, removed, [folder / relative for relative in old.edited])


def _refuse_unsafe_targets(
    targets: Sequence[Path], sources: Iterable[str], force: bool, ours: set[str]
) -> None:
    """Refuse, before anything is written, what would overwrite the wrong thing.

    `ours`: the files podgen wrote here and that are unchanged since, which it may replace.
    """
    protected = {os.path.realpath(source) for source in sources}
    for target in targets:
        if os.path.realpath(target) in protected:
            raise UsageError(f"--out: {target} is a blueprint being read; refusing to overwrite it")
        if target.is_dir():
            raise UsageError(f"--out: {target} is a folder; a manifest file would replace it")
    if not force:
        existing = [str(t) for t in targets if t.exists() and str(t) not in ours]
        if existing:
            raise UsageError(
                f"--out: {existing[0]} already exists ({len(existing)} file(s) would be "
                "overwritten); add --force to replace them"
            )


def _write_staged(stream: IO[str], text: str) -> None:
    """Write one staged file's text: the seam where fault-injection tests make the disk fill."""
    stream.write(text)


class _Transaction:
    """Replace a set of files all together, or leave every one as it was.

    Each new file is first written in full to a temporary file beside its target. Only then
    are the targets swapped in, each old file kept as a backup until all are in place; any
    failure or interruption on the way puts every old file back and removes every new one,
    every temporary file and every folder the run created. Ctrl-C and SIGTERM wait while the
    files are swapped (a few milliseconds) and take effect once they are all in place.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.created: list[Path] = []  #: folders made for the new files, outermost first
        self.staged: list[tuple[Path, Path]] = []  #: (temporary, target)
        self.swapped: list[tuple[Path, Path | None]] = []  #: (target, backup of the old one)
        self.removed: list[tuple[Path, Path]] = []  #: (pruned file, its backup)

    def commit(self, changes: Sequence[tuple[str, Path]], remove: Sequence[Path]) -> None:
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
                f"--out: could not write {self._target_of(error)}: {reason}"
            ) from error
        except BaseException:
            self._clean_up()
            raise

    def _stage(self, text: str, target: Path, mode: int) -> None:
        self._make_folder(target.parent)
        if target.exists():
            mode = stat.S_IMODE(target.stat().st_mode)  # a replaced file keeps its mode
        temporary = _temporary_name(target, STAGED_SUFFIX)
        self.staged.append((temporary, target))  # before it exists: Ctrl-C may come any time
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
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


def differences(files: Sequence[OutputFile], folder: str) -> list[str]:
    """What differs between `folder` and `files`: one line per file, then unified diffs."""
    report: list[str] = []
    expected = {f.relative_path: f.text for f in files}
    for relative, text in expected.items():
        target = os.path.join(folder, relative)
        try:
            with open(target, encoding="utf-8") as file:
                current = file.read()
        except FileNotFoundError:
            report.append(f"missing: {target}")
            continue
        if current != text:
            import difflib  # on first use: an up-to-date folder needs none

            report.append(f"changed: {target}")
            report.extend(
                difflib.unified_diff(
                    current.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"{target} (on disk)",
                    tofile=f"{target} (rendered now)",
                )
            )
    old = stale(files, folder)
    report.extend(
        f"stale: {os.path.join(folder, relative)} (no object renders to it; --prune removes it)"
        for relative in old.unchanged
    )
    report.extend(
        f"stale: {os.path.join(folder, relative)} (no object renders to it, and edited since "
        "podgen wrote it)"
        for relative in old.edited
    )
    report.extend(
        f"stray: {path} (a temporary file of an interrupted podgen)" for path in strays(folder)
    )
    return [line if line.endswith("\n") else line + "\n" for line in report]
