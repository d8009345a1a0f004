"""The one module that writes: rendered manifests into files, all or none, and to stdout.

`write` replaces a whole set of files as one step (see `_io.transaction`): a failure, a full disk
or Ctrl-C leaves the folder exactly as it was, with no temporary file behind. It never
overwrites a file without `force`, never a blueprint being read, and prunes only files that
podgen itself wrote there and that nobody edited since (`RECORD`). `differences` compares a
folder with what rendering gives now, for `render --check`.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterable, Iterator, Sequence

from podgen._errors import Path as ErrorPath
from podgen._errors import PodgenError, UsageError
from podgen._io.emit import separator
from podgen._io.transaction import (
    BACKUP_SUFFIX,
    STAGED_SUFFIX,
    Transaction,
)
from podgen._model.spec import OutputFormat
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


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
        from urllib.parse import unquote  # only an error message needs it

        from podgen._model.objects import describe

        folder, _, name = self.relative_path.rpartition("/")
        kind, _, rest = name.partition("-")
        # pod -> Pod; names as file_safe spelled them
        return describe((kind.capitalize(), unquote(folder), unquote(rest.rsplit(".", 1)[0])))


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
        name = f"{str(document['kind']).lower()}-{file_safe(str(metadata['name']))}.{suffix}"
        namespace = metadata.get("namespace")
        relative = f"{file_safe(str(namespace))}/{name}" if namespace else name
        origin = origins[index] if origins is not None else ()
        files.append(OutputFile(relative, emit_one(document), source, origin))
    return check_unique(files) if unique else files


#: Characters an object's name may hold that a file name may not on Windows (or anywhere:
#: `/`), and `%` itself, so that the spelling stays one-to-one: `system:auth` is written
#: `clusterrole-system%3Aauth.yaml`, as a URL would spell it.
_NOT_IN_FILE_NAMES = frozenset('<>:"/\\|?*%')


def file_safe(name: str) -> str:
    """`name` as a part of a file name valid on every system podgen's users check out on."""
    if _NOT_IN_FILE_NAMES.isdisjoint(name) and name.isprintable():
        return name  # every name the API server takes for a pod, a Service, a Deployment
    return "".join(f"%{ord(c):02X}" if c in _NOT_IN_FILE_NAMES or c < " " else c for c in name)


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
#: Where `--force` keeps what it replaced, inside the output folder (see `_replaced_name`).
REPLACED = ".podgen-replaced"


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


def same_text(data: bytes) -> bytes:
    """A file's bytes with CRLF line endings read as LF: podgen's one rule for line endings.

    podgen writes LF. A checkout with `core.autocrlf=true` (git on Windows) turns each file
    into CRLF: that is the same file, not an edit. So everything that compares a file with
    what podgen wrote (`render --check`, whether a file is podgen's to replace or prune,
    whether it changed at all) compares it this way, and leaves such a file as it is.
    """
    return data.replace(b"\r\n", b"\n")


def _read(path: str) -> bytes | None:
    """A file's bytes with line endings as podgen writes them; None if it is not a file."""
    try:
        with open(path, "rb") as file:
            return same_text(file.read())
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except OSError as error:  # unreadable: say which file, as a write error would
        raise PodgenError(f"--out: could not read {path}: {error.strerror or error}") from error


def _holds(path: str, sha: str) -> bool:
    """Whether `path` is a file that still holds exactly what podgen wrote."""
    try:
        data = _read(path)
    except PodgenError:
        return False
    return data is not None and _sha256(data) == sha


class Folder(NamedTuple):
    """One output folder and the files rendered into it (paths relative to it)."""

    path: str
    files: Sequence[OutputFile]


class Root(NamedTuple):
    """A project's `out` folder: every record below it is podgen's to bring up to date.

    The folders in `keep` (other environments', when only some are rendered) are left as
    they are.
    """

    path: str
    keep: tuple[str, ...] = ()


class Stale(NamedTuple):
    """Files podgen wrote that no rendered object writes to any more."""

    unchanged: list[str]  #: still as podgen wrote them: pruning removes these
    edited: list[str]  #: changed since: never removed, only reported


class Plan(NamedTuple):
    """What writing a set of folders would change, worked out before anything is touched.

    Paths are plain strings (`k8s/dev/pod-web.yaml`): `render --check` runs on every save
    and needs no pathlib.
    """

    new: list[tuple[str, str]]  #: (path, text): files that appear or change
    unchanged: list[str]  #: already hold exactly what they would be given: left untouched
    #: Among `new`: files podgen did not write, or that were edited since it wrote them.
    foreign: list[str]
    edited: set[str]  #: the files of `foreign` that podgen wrote once
    #: The files podgen wrote once that nothing renders to any more.
    stale: Stale
    #: Every record (`.podgen-rendered`) to write, by its path: what it will list.
    records: dict[str, dict[str, str]]


def plan(folders: Sequence[Folder], root: Root | None = None, *, prune: bool = False) -> Plan:
    """Compare `folders` with what is on disk; with `root`, every record below it counts too.

    A project passes its `out` folder as `root`: a record under it that belongs to no folder
    being written (an environment removed since, or `out` itself once environments came)
    lists only stale files. With `prune`, the records forget the stale files (pruned if
    unchanged, left to their editor if edited); without, they keep listing them.
    """
    folder_paths = [os.path.normpath(folder.path) for folder in folders]
    below = []
    if root is not None:
        keep = {os.path.normpath(path) for path in root.keep}
        below = [path for path in _records_below(root.path) if path not in keep]
    record_folders = list(dict.fromkeys(folder_paths + below))
    #: Every file a record lists: its path -> (the record's folder, the path in it, the sha).
    recorded: dict[str, tuple[str, str, str]] = {}
    for folder in record_folders:
        for relative, sha in read_record(folder).items():
            recorded[os.path.normpath(os.path.join(folder, relative))] = (folder, relative, sha)
    records: dict[str, dict[str, str]] = {folder: {} for folder in record_folders}
    new: list[tuple[str, str]] = []
    unchanged: list[str] = []
    foreign: list[str] = []
    edited: set[str] = set()
    targets: set[str] = set()
    for rendered, path in zip(folders, folder_paths, strict=True):
        for output_file in rendered.files:
            target = os.path.normpath(os.path.join(path, output_file.relative_path))
            targets.add(target)
            data = output_file.text.encode("utf-8")
            records[path][output_file.relative_path] = _sha256(data)
            current = _read(target) if not os.path.isdir(target) else b""
            if current == data:
                unchanged.append(target)
                continue
            new.append((target, output_file.text))
            entry = recorded.get(target)
            if current is not None and (entry is None or _sha256(current) != entry[2]):
                foreign.append(target)
                if entry is not None:
                    edited.add(target)
    stale = Stale([], [])
    for target, (folder, relative, sha) in sorted(recorded.items()):
        if target in targets or not os.path.isfile(target):
            continue  # written again (maybe recorded by another folder now), or gone
        (stale.unchanged if _holds(target, sha) else stale.edited).append(target)
        if not prune:
            records[folder][relative] = sha
    paths = {os.path.join(folder, RECORD): listed for folder, listed in records.items()}
    return Plan(new, unchanged, foreign, edited, stale, paths)


def _records_below(root: str) -> list[str]:
    """The folders under `root` (itself too) that hold a record, hidden folders skipped."""
    found = []
    for parent, folders, names in os.walk(root):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        if RECORD in names:
            found.append(os.path.normpath(parent))
    return found


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

    written: list[str]  #: files that appeared or changed
    unchanged: list[str]  #: already as rendered: not touched (same mtime, same inode)
    #: `--force`: files podgen did not write (or that were edited), and where each one's
    #: previous content is kept.
    replaced: list[tuple[str, str]]
    removed: list[str]  #: pruned: podgen's own files that no object renders to any more
    kept: list[str]  #: stale, but edited since podgen wrote them: left alone


def write(
    folders: Sequence[Folder],
    *,
    root: Root | None = None,
    force: bool = False,
    prune: bool = False,
    sources: Iterable[str] = (),
) -> Written:
    """Write every folder's files or none; leave files that already hold them untouched.

    A file podgen did not write, or one edited since, is replaced only with `force`, and its
    content is kept first under `REPLACED` in `root` (or the folder). With `prune`, files
    podgen wrote earlier that no object renders to any more are removed in the same
    all-or-nothing step, unless they were edited since. With `root` (a project's `out`),
    that includes the files of records below it that no folder being written owns. A file
    named in `sources` (the blueprints being read) is never overwritten.
    """
    from pathlib import Path

    base = os.path.normpath(root.path if root else folders[0].path)
    planned = plan(folders, root, prune=prune)
    _refuse_unsafe_targets(planned, sources, force, base)
    changes: list[tuple[str | bytes, Path]] = [(text, Path(path)) for path, text in planned.new]
    replaced = []
    for path in planned.foreign:
        kept = _replaced_name(base, path)
        changes.append((_read_raw(path), Path(kept)))
        replaced.append((path, kept))
    removed = [Path(path) for path in planned.stale.unchanged] if prune else []
    for record, listed in planned.records.items():
        text = _record_text(listed)
        if not listed:
            if os.path.isfile(record):
                removed.append(Path(record))
        elif _read(record) != text.encode("utf-8"):
            changes.append((text, Path(record)))
    if changes or removed:
        Transaction(Path(base)).commit(changes, removed)
    return Written(
        written=[path for path, _ in planned.new],
        unchanged=planned.unchanged,
        replaced=replaced,
        removed=[str(path) for path in removed if path.name != RECORD],
        kept=planned.stale.edited if prune else [],
    )


def _read_raw(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _replaced_name(base: str, path: str) -> str:
    """Where `--force` keeps a replaced file: `OUT/.podgen-replaced/PATH.N`, N counting up.

    The number keeps every earlier version, and the name does not end in .yaml or .json, so
    that neither `kubectl apply -R -f OUT` nor `podgen validate OUT` reads it.
    """
    relative = os.path.relpath(path, base)
    if relative.startswith(".."):
        relative = os.path.basename(path)
    stem = os.path.join(base, REPLACED, relative)
    number = 1
    while os.path.lexists(f"{stem}.{number}"):
        number += 1
    return f"{stem}.{number}"


def _refuse_unsafe_targets(planned: Plan, sources: Iterable[str], force: bool, base: str) -> None:
    """Refuse, before anything is written, what would overwrite the wrong thing."""
    protected = {os.path.realpath(source) for source in sources}
    for target, _ in planned.new:
        if os.path.realpath(target) in protected:
            raise UsageError(f"--out: {target} is a blueprint being read; refusing to overwrite it")
        if os.path.isdir(target):
            raise UsageError(f"--out: {target} is a folder; a manifest file would replace it")
    if planned.foreign and not force:
        first = planned.foreign[0]
        others = len(planned.foreign) - 1
        more = f" (and {others} more file(s))" if others else ""
        how = "edited since podgen wrote it" if first in planned.edited else "not podgen's"
        raise UsageError(
            f"{first}: {how}{more}; put the change in the blueprint (or podgen.yaml) instead, "
            f"or add --force to replace it (what is there now is kept in "
            f"{os.path.join(base, REPLACED)}/)"
        )


def differences(folders: Sequence[Folder], root: Root | None = None) -> list[str]:
    """What differs between the folders on disk and what rendering gives now.

    One line per file (`missing:`, `changed:`, `stale:`, `stray:`), each change followed by
    its unified diff; empty when everything is up to date. Line endings are compared as
    `same_text` reads them.
    """
    planned = plan(folders, root, prune=True)
    report: list[str] = []
    for target, text in planned.new:
        current = _read(target)
        if current is None:
            report.append(f"missing: {target}")
            continue
        import difflib  # on first use: an up-to-date folder needs none

        report.append(f"changed: {target}")
        report.extend(
            difflib.unified_diff(
                current.decode("utf-8", "replace").splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"{target} (on disk)",
                tofile=f"{target} (rendered now)",
            )
        )
    report.extend(
        f"stale: {path} (no object renders to it; podgen render removes it)"
        for path in planned.stale.unchanged
    )
    report.extend(
        f"stale: {path} (no object renders to it, and edited since podgen wrote it)"
        for path in planned.stale.edited
    )
    places = [root.path] if root else [folder.path for folder in folders]
    report.extend(
        f"stray: {path} (a temporary file of an interrupted podgen)"
        for place in places
        for path in strays(place)
    )
    return [line if line.endswith("\n") else line + "\n" for line in report]
