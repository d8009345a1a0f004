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
from collections.abc import Callable, Iterable, Iterator, Sequence

from podgen._errors import Path as ErrorPath
from podgen._errors import UsageError
from podgen._io.emit import separator
from podgen._io.plan import (
    RECORD,
    REPLACED,
    Folder,
    OutputFile,
    Plan,
    Root,
    plan,
    read_file,
    record_text,
    same_text,
    strays,
)
from podgen._io.transaction import (
    BACKUP_SUFFIX,
    STAGED_SUFFIX,
    Transaction,
)
from podgen._model.objects import custom_group
from podgen._model.spec import OutputFormat
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


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

    A custom resource's file names its group too (`kind_part`): `gateway.networking.istio.io_web`
    and `gateway.gateway.networking.k8s.io_web` are two files, and neither is a built-in kind's.

    With `unique`, two objects bound for one file are an error here; without, the caller
    checks (`check_unique`).
    """
    files = []
    suffix = "json" if output is OutputFormat.JSON else "yaml"  # KYAML is YAML
    for index, document in enumerate(documents):
        metadata = document.get("metadata", {})
        # An object with only a generateName (a Job run, say) is named by it: `job-run-.yaml`.
        named = metadata.get("name") or metadata.get("generateName")
        name = f"{kind_part(document)}{file_safe(str(named))}.{suffix}"
        namespace = metadata.get("namespace")
        relative = f"{folder_safe(str(namespace))}/{name}" if namespace else name
        origin = origins[index] if origins is not None else ()
        files.append(OutputFile(relative, emit_one(document), source, origin))
    return check_unique(files) if unique else files


def kind_part(document: dict[str, Any]) -> str:
    """The start of an object's file name: `pod-`, or `KIND.GROUP_` for a custom resource.

    A built-in kind's is what podgen always wrote (existing projects' records keep matching).

    A group holds no `_` and a kind no `-` or `.`, so the name reads back one way (`describe`):
    a `-` after the group would not (`a.b-c` + `d` is `a.b` + `c-d`).
    """
    kind = str(document["kind"]).lower()
    group = custom_group(document.get("apiVersion"))
    if not group:
        return f"{kind}-"
    if kind in WINDOWS_RESERVED_NAMES:  # `con.example.io_x.yaml` is the device CON on Windows
        kind = f"%{ord(kind[0]):02X}{kind[1:]}"
    return f"{kind}.{group}_"


#: Characters an object's name may hold that a file name may not on Windows (or anywhere:
#: `/`), and `%` itself, so that the spelling stays one-to-one: `system:auth` is written
#: `clusterrole-system%3Aauth.yaml`, as a URL would spell it.
_NOT_IN_FILE_NAMES = frozenset('<>:"/\\|?*%')


#: Names Windows keeps for devices, whatever their case: no folder may be called so.
WINDOWS_RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)]
)


def folder_safe(name: str) -> str:
    """A namespace's folder name, valid everywhere (`nul` is a device on Windows: `%6Eul`)."""
    name = file_safe(name)
    return f"%{ord(name[0]):02X}{name[1:]}" if name.casefold() in WINDOWS_RESERVED_NAMES else name


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


def check_unique(files: Sequence[OutputFile]) -> list[OutputFile]:
    """`files` sorted by path, refusing two objects that would share one file."""
    return sorted(unique(files), key=lambda f: f.relative_path)


def unique(
    files: Iterable[OutputFile], locate: Callable[[OutputFile], str] | None = None
) -> Iterator[OutputFile]:
    """`files` as they come, refusing a second object of one kind, namespace and name.

    The file's path is the object's identity (`shop/pod-web.yaml`), so this also keeps two
    objects from one file. `locate` names where a file's object comes from in an error
    (`blueprint.yaml:7:3 (pods[0])`, `_blueprint.loader.where_rendered`); by default its path.
    """
    where = locate or (lambda output_file: output_file.relative_path)
    seen: dict[str, OutputFile] = {}
    for output_file in files:
        # Compared as a case-insensitive file system (Windows, macOS) compares names.
        first = seen.get(output_file.relative_path.casefold())
        if first is not None and first.relative_path != output_file.relative_path:
            raise UsageError(
                f"{where(output_file)}: writes {output_file.describe()}, whose file "
                f"{output_file.relative_path} is {first.relative_path} on Windows and macOS, "
                f"which {where(first)} writes; rename one"
            )
        if first is not None:
            raise UsageError(
                f"{where(output_file)}: writes {output_file.describe()}, which "
                f"{where(first)} writes too; one kind, namespace and name is one object"
            )
        seen[output_file.relative_path.casefold()] = output_file
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
    strays: list[str]  #: temporary files of a killed podgen, removed


def write(
    folders: Sequence[Folder],
    *,
    root: Root | None = None,
    force: bool = False,
    prune: bool = False,
    sources: Iterable[str] = (),
    label: str = "--out",
) -> Written:
    """Write every folder's files or none; leave files that already hold them untouched.

    A file podgen did not write, or one edited since, is replaced only with `force`, and its
    content is kept first under `REPLACED` in `root` (or the folder). With `prune`, files
    podgen wrote earlier that no object renders to any more are removed in the same
    all-or-nothing step, unless they were edited since. With `root` (a project's `out`),
    that includes the files of records below it that no folder being written owns. A file
    named in `sources` (the blueprints being read) is never overwritten. Temporary files a
    killed run left behind go in the same step (`_strays_cleaned`). `label` starts the
    messages (`--out`, or where podgen.yaml says `out:`).
    """
    from pathlib import Path

    base = os.path.normpath(root.path if root else folders[0].path)
    planned = plan(folders, root, prune=prune)
    _refuse_unsafe_targets(planned, sources, force, base, label)
    # What --force keeps is swapped in before the files that replace it.
    changes: list[tuple[str | bytes, Path]] = []
    replaced = []
    for path in planned.foreign:
        kept = _replaced_name(base, path)
        changes.append((_read_raw(path), Path(kept)))
        replaced.append((path, kept))
    changes += [(text, Path(path)) for path, text in planned.new]
    removed = [Path(path) for path in planned.stale.unchanged] if prune else []
    places = [base] if root else [os.path.normpath(folder.path) for folder in folders]
    cleaned = _strays_cleaned([path for place in places for path in strays(place)], base)
    changes += [(data, Path(path)) for path, data in cleaned.restored]
    removed += [Path(path) for path in cleaned.removed]
    for record, listed in planned.records.items():
        text = record_text(listed)
        if not listed:
            if os.path.isfile(record):
                removed.append(Path(record))
        elif read_file(record) != text.encode("utf-8"):
            changes.append((text, Path(record)))
    if changes or removed:
        Transaction(Path(base), label).commit(changes, removed)
    return Written(
        written=[path for path, _ in planned.new],
        unchanged=planned.unchanged,
        replaced=replaced,
        removed=[
            str(path)
            for path in removed
            if path.name != RECORD and not path.name.endswith((STAGED_SUFFIX, BACKUP_SUFFIX))
        ],
        kept=planned.stale.edited if prune else [],
        strays=cleaned.removed,
    )


class _Cleaned(NamedTuple):
    removed: list[str]  #: every stray temporary file
    restored: list[tuple[str, bytes]]  #: (where, what): content a stray alone still held


def _strays_cleaned(found: Sequence[str], base: str) -> _Cleaned:
    """What to do with the temporary files a killed podgen left (`strays`), losing nothing.

    Staged new content (`.podgen-tmp`) just goes. An old file's backup (`.podgen-old`) goes
    when its file holds the same; if its file is missing, it is put back; otherwise (the run
    was replacing a file of someone's when it was killed) it is kept under `REPLACED`.
    """
    cleaned = _Cleaned([], [])
    for stray in found:
        cleaned.removed.append(stray)
        if not stray.endswith(BACKUP_SUFFIX):
            continue
        folder, name = os.path.split(stray)
        target = os.path.join(folder, name[1:].removesuffix(BACKUP_SUFFIX).rsplit(".", 1)[0])
        data = _read_raw(stray)
        if not os.path.lexists(target):
            cleaned.restored.append((target, data))
        elif read_file(target) != same_text(data):
            cleaned.restored.append((_replaced_name(base, target), data))
    return cleaned


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


def _refuse_unsafe_targets(
    planned: Plan, sources: Iterable[str], force: bool, base: str, label: str
) -> None:
    """Refuse, before anything is written, what would overwrite the wrong thing.

    Every file goes inside `base` as its real path has it: a folder in it that links
    elsewhere (an environment's, a namespace's, `REPLACED`) would send writes and prunes out.
    """
    protected = {os.path.realpath(source) for source in sources}
    inside = os.path.realpath(base).rstrip(os.sep) + os.sep
    kept = os.path.join(base, REPLACED)
    if (
        planned.foreign
        and os.path.lexists(kept)
        and (os.path.islink(kept) or not os.path.isdir(kept))
    ):
        raise UsageError(f"{label}: {kept} is not a folder of podgen's (it keeps replaced files)")
    for target, _ in [*planned.new, *((path, "") for path in planned.stale.unchanged)]:
        real = os.path.realpath(os.path.dirname(target))
        if not (real + os.sep).startswith(inside):
            raise UsageError(
                f"{label}: {os.path.dirname(target)} leads outside {base} (to {real}); "
                "podgen writes and prunes only inside it"
            )
        if os.path.realpath(target) in protected:
            raise UsageError(
                f"{label}: {target} is a blueprint being read; refusing to overwrite it"
            )
        if os.path.isdir(target) and not os.path.islink(target):
            raise UsageError(f"{label}: {target} is a folder; a manifest file would replace it")
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


class Difference(NamedTuple):
    """One file that differs: its path, and the lines that say how (a diff for a change)."""

    path: str
    lines: list[str]


def differences(folders: Sequence[Folder], root: Root | None = None) -> list[Difference]:
    """What differs between the folders on disk and what rendering gives now.

    One entry per file, its first line `missing:`, `changed:` (then its unified diff),
    `stale:` or `stray:`; empty when everything is up to date. Line endings are compared as
    `same_text` reads them.
    """
    planned = plan(folders, root, prune=True, records=False)
    found: list[Difference] = []
    for target, text in planned.new:
        current = read_file(target)
        if current is None:
            found.append(Difference(target, [f"missing: {target}\n"]))
            continue
        import difflib  # on first use: an up-to-date folder needs none

        diff = difflib.unified_diff(
            current.decode("utf-8", "replace").splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"{target} (on disk)",
            tofile=f"{target} (rendered now)",
        )
        lines = [f"changed: {target}", *diff]
        found.append(Difference(target, [ln if ln.endswith("\n") else ln + "\n" for ln in lines]))
    found.extend(
        Difference(path, [f"stale: {path} (no object renders to it; podgen render removes it)\n"])
        for path in planned.stale.unchanged
    )
    found.extend(
        Difference(
            path,
            [f"stale: {path} (no object renders to it, and edited since podgen wrote it)\n"],
        )
        for path in planned.stale.edited
    )
    places = [root.path] if root else [folder.path for folder in folders]
    found.extend(
        Difference(
            path,
            [
                f"stray: {path} (a temporary file of an interrupted podgen; "
                "podgen render removes it)\n"
            ],
        )
        for place in places
        for path in strays(place)
    )
    return found
