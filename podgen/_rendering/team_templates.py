"""What a team's templates folder (--templates) may hold: files named as podgen's templates.

A team's templates override podgen's file by file, by name, so a misspelled name
(`pod.yml.j2`) would be silently ignored and podgen's own template used instead. Every entry of
the folder must therefore be a file named as one of podgen's templates (the `*.j2` files of
the `podgen.templates` package, `_macros.yaml.j2` included: team templates and podgen's own
import the macros by name, so a team's `_macros.yaml.j2` is read too); anything else is an
error before anything renders or is written.

What is left alone, and why:
- Hidden entries (a leading dot: `.gitkeep`, `.DS_Store`, `.git/`, an editor's `.pod.yaml.j2.swp`)
  are ignored: tools put them there, and no one means them as a template.
- Subfolders are errors like any other unknown entry: podgen looks a template up by its bare
  name, at the top of the folder only, so `k8s/pod.yaml.j2` would be ignored as silently as
  a misspelled file.
- Other files (`README.md`, `notes.txt`, `pod.yaml.j2~`) are errors too: podgen cannot tell a
  note from a misnamed template, and keeping the folder to templates costs a team little.

Nothing here imports Jinja: the check runs before anything renders.
"""

from __future__ import annotations

import functools
import os

from podgen._errors import UsageError, closest, quoted


@functools.cache
def podgen_template_names() -> tuple[str, ...]:
    """The template names podgen reads, sorted: its own templates folder's `*.j2` files."""
    from importlib import resources

    folder = resources.files("podgen.templates")
    return tuple(sorted(e.name for e in folder.iterdir() if e.name.endswith(".j2") and e.is_file()))


def check_folder(folder: str, flag: str = "--templates") -> None:
    """Refuse a templates folder holding anything but podgen's template names (hidden: fine).

    The error is one line: `FLAG: PATH: ...`, each unknown entry with a "did you mean" when
    one of podgen's names is close, and the names podgen reads.
    """
    names = podgen_template_names()
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda entry: entry.name)
    except OSError as error:
        raise UsageError(f"{flag}: {folder}: {error.strerror}") from None
    unknown = []
    for entry in entries:
        if entry.name.startswith("."):
            continue  # hidden: .gitkeep, .DS_Store, .git/ (see the module's docstring)
        path = os.path.join(folder, entry.name)
        if entry.name in names and entry.is_file():  # a symlink to a file is a file
            continue
        if entry.is_dir():
            unknown.append(f"{path}/ (a folder: podgen reads no subfolders)")
        elif entry.name in names:
            unknown.append(f"{path} (not a readable file)")  # a dangling symlink, a socket
        else:
            hint = closest(entry.name, names)
            unknown.append(f"{path} (did you mean {quoted(hint)}?)" if hint else path)
    if not unknown:
        return
    what = "is not a template" if len(unknown) == 1 else "are not templates"
    raise UsageError(
        f"{flag}: {', '.join(unknown)} {what} podgen reads; a templates folder holds only "
        f"files named as podgen's templates: {', '.join(names)} (hidden files are ignored)"
    )
