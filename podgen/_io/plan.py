"""What a render would change in its folders, worked out before anything is touched.

podgen records what it wrote in each folder (`RECORD`). `plan` compares the rendered files
with the folders and their records: which files appear or change, which stay as they are,
which are not podgen's to replace, and which podgen wrote once that nothing renders to any
more. `_io.output.write` carries a plan out; `render --check` reports it. Paths are plain
strings: `render --check` runs on every save and needs no pathlib.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from podgen._errors import Path as ErrorPath
from podgen._errors import PodgenError
from podgen._io.transaction import BACKUP_SUFFIX, STAGED_SUFFIX
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


class OutputFile(NamedTuple):
    """One rendered object, where it goes (relative to the output folder), and what wrote it."""

    relative_path: str
    text: str
    #: The blueprint file it comes from, and the entry in it (`("pods", 0)`), for messages.
    source: str = ""
    origin: ErrorPath = ()

    def describe(self) -> str:
        """`Pod 'web' in namespace 'shop'`, from the file's path (`shop/pod-web.yaml`)."""
        from urllib.parse import unquote  # only an error message needs it

        from podgen._model.objects import describe

        folder, _, name = self.relative_path.rpartition("/")
        kind, _, rest = name.partition("-")
        group = ""
        head, custom, tail = name.partition("_")
        if custom and "." in head and "-" not in head.partition(".")[0]:  # KIND.GROUP_NAME
            (kind, _, group), rest = head.partition("."), tail
        # pod -> Pod; names as file_safe spelled them
        name = unquote(rest.rsplit(".", 1)[0])
        return describe((unquote(kind).capitalize(), unquote(folder), name, group))


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


def record_text(record: dict[str, str]) -> str:
    return "".join(f"{sha}  {relative}\n" for relative, sha in sorted(record.items()))


def same_text(data: bytes) -> bytes:
    """A file's bytes with CRLF line endings read as LF: podgen's one rule for line endings.

    podgen writes LF. A checkout with `core.autocrlf=true` (git on Windows) turns each file
    into CRLF: that is the same file, not an edit. So everything that compares a file with
    what podgen wrote (`render --check`, whether a file is podgen's to replace or prune,
    whether it changed at all) compares it this way, and leaves such a file as it is.
    """
    return data.replace(b"\r\n", b"\n")


def read_file(path: str) -> bytes | None:
    """A file's bytes with line endings as podgen writes them; None if it is not a file."""
    try:
        with open(path, "rb") as file:
            return same_text(file.read())
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except OSError as error:  # unreadable: say which file, as a write error would
        raise PodgenError(f"could not read {path}: {error.strerror or error}") from error


def _holds(path: str, sha: str) -> bool:
    """Whether `path` is a file that still holds exactly what podgen wrote."""
    try:
        data = read_file(path)
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


def plan(
    folders: Sequence[Folder],
    root: Root | None = None,
    *,
    prune: bool = False,
    records: bool = True,
) -> Plan:
    """Compare `folders` with what is on disk; with `root`, every record below it counts too.

    A project passes its `out` folder as `root`: a record under it that belongs to no folder
    being written (an environment removed since, or `out` itself once environments came)
    lists only stale files. With `prune`, the records forget the stale files (pruned if
    unchanged, left to their editor if edited); without, they keep listing them. Without
    `records` (a check, which writes none), the plan's records are left empty.
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
    listed: dict[str, dict[str, str]] = {folder: {} for folder in record_folders}
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
            if records:  # only writing needs them: `render --check` runs on every save
                listed[path][output_file.relative_path] = _sha256(data)
            current = read_file(target) if not os.path.isdir(target) else b""
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
            listed[folder][relative] = sha
    paths = {os.path.join(folder, RECORD): files for folder, files in listed.items()}
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
