"""The one module that writes files: rendered manifests, one file per object, atomically.

`write` stages every file as a temporary file next to its target and renames them all only
once everything is staged, so a failed run leaves no file and no temp file behind and never
changes an existing file; nothing is overwritten without `force`. `differences` compares a
folder with what rendering gives now, for `render --check`.
"""

from __future__ import annotations

import difflib
import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from podgen._errors import PodgenError, UsageError
from podgen._spec import OutputFormat


@dataclass(frozen=True)
class OutputFile:
    """One rendered object and where it goes, relative to the output folder."""

    relative_path: str
    text: str


def files_for(
    documents: Sequence[dict[str, Any]], output: OutputFormat, emit_one: Any, *, unique: bool = True
) -> list[OutputFile]:
    """One file per object: `KIND-NAME.yaml`, under a folder per namespace.

    With `unique`, two objects bound for one file are an error here; without, the caller
    checks (or, printing to stdout, does not need to).
    """
    files = []
    suffix = "json" if output is OutputFormat.JSON else "yaml"
    for document in documents:
        metadata = document.get("metadata", {})
        name = f"{str(document['kind']).lower()}-{metadata['name']}.{suffix}"
        namespace = metadata.get("namespace")
        relative = f"{namespace}/{name}" if namespace else name
        files.append(OutputFile(relative, emit_one(document)))
    return check_unique(files) if unique else files


#: Printed output is kept in memory up to this size, then in a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


def print_all(texts: Iterable[str], output: OutputFormat) -> None:
    """Print rendered objects (YAML documents joined by `---`, or JSON objects), all or none.

    Each text is spooled as soon as it is rendered, so memory stays flat however many objects
    there are, and nothing reaches stdout until the last one has passed its checks: a failure
    halfway leaves no half-printed stream for `kubectl apply -f -` to act on.
    """
    separator = "" if output is OutputFormat.JSON else "---\n"
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as spool:
        batch: list[str] = []
        started = False
        for text in itertools.chain(texts, [None]):  # None: the end, write what is left
            if text is not None:
                batch.append(text)
            if batch and (text is None or len(batch) == 256):  # writes cost more than joins
                spool.write((separator if started else "") + separator.join(batch))
                started = True
                batch.clear()
        spool.seek(0)
        shutil.copyfileobj(spool, sys.stdout)


def stale(files: Sequence[OutputFile], folder: Path) -> list[Path]:
    """Manifest files in `folder` that no rendered object writes to."""
    expected = {f.relative_path for f in files}
    if not folder.is_dir():
        return []
    return [
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and path.suffix in (".yaml", ".json")
        and path.relative_to(folder).as_posix() not in expected
    ]


def check_unique(files: Sequence[OutputFile]) -> list[OutputFile]:
    """`files` sorted by path, refusing two objects that would share one file."""
    seen: set[str] = set()
    for output_file in files:
        if output_file.relative_path in seen:
            raise UsageError(f"two objects would both be written to {output_file.relative_path}")
        seen.add(output_file.relative_path)
    return sorted(files, key=lambda f: f.relative_path)


def write(
    files: Sequence[OutputFile], folder: Path, *, force: bool, prune: bool = False
) -> list[Path]:
    """Write every file or none; refuse to overwrite without `force`.

    With `prune`, manifest files no object renders to any more are removed once every new
    file is in place.
    """
    old = stale(files, folder) if prune else []
    targets = [folder / f.relative_path for f in files]
    if not force:
        existing = [str(t) for t in targets if t.exists()]
        if existing:
            raise UsageError(
                f"--out: {existing[0]} already exists ({len(existing)} file(s) would be "
                "overwritten); add --force to replace them"
            )
    staged: list[tuple[str, Path]] = []
    try:
        for output_file, target in zip(files, targets, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(output_file.text)
            staged.append((temporary, target))
        for temporary, target in staged:
            os.replace(temporary, target)
        for path in old:
            path.unlink()
    except OSError as error:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        raise PodgenError(f"--out: could not write {error.filename}: {error.strerror}") from error
    return targets


def differences(files: Sequence[OutputFile], folder: Path) -> list[str]:
    """What differs between `folder` and `files`: one line per file, then unified diffs."""
    report: list[str] = []
    expected = {f.relative_path: f.text for f in files}
    for relative, text in expected.items():
        target = folder / relative
        if not target.exists():
            report.append(f"missing: {target}")
            continue
        current = target.read_text(encoding="utf-8")
        if current != text:
            report.append(f"changed: {target}")
            report.extend(
                difflib.unified_diff(
                    current.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"{target} (on disk)",
                    tofile=f"{target} (rendered now)",
                )
            )
    report.extend(f"stale: {path} (no object renders to it)" for path in stale(files, folder))
    return [line if line.endswith("\n") else line + "\n" for line in report]
