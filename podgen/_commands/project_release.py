"""The release a file or folder named on the command line is checked at: its project's.

Inside a project, `podgen validate FILE|DIR` and `podgen render FILE|DIR` check at its
`kubernetesVersion:` as the bare commands do, and a manifest under an environment's folder
(OUT/ENV) at that environment's. A path finds its project as a bare command does from the
current folder: the podgen.yaml in the path's own folder or the nearest folder above it.
A path in no project is checked at the newest release; `--k8s-version` beats them all.
Editor tasks and pre-commit hooks run these on every save, so podgen.yaml is read (and the
project module imported) only when one is found.
"""

from __future__ import annotations

import contextlib
import os

from podgen._io.files import find_upward

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

#: `_commands.project.PROJECT_FILE`, without importing it (and the option table) to find one.
_PROJECT_FILE = "podgen.yaml"


def release_of_paths() -> Callable[[str], AbstractContextManager[object]]:
    """What targets the release of each path named: its project's, read once per project.

    A podgen.yaml that does not load raises its error (a PodgenError naming its line): the
    release it says cannot be known.
    """
    found_in: dict[str, str | None] = {}
    projects: dict[str, Callable[[str], AbstractContextManager[object]]] = {}

    def release_of(name: str) -> AbstractContextManager[object]:
        if name in ("-", "<stdin>"):
            return contextlib.nullcontext()
        path = os.path.abspath(name)
        folder = path if os.path.isdir(path) else os.path.dirname(path)
        if folder not in found_in:
            found_in[folder] = find_upward(_PROJECT_FILE, folder)
        project_file = found_in[folder]
        if project_file is None:
            return contextlib.nullcontext()
        if project_file not in projects:
            from podgen._commands.project import load_project, release_by_path

            projects[project_file] = release_by_path(load_project(project_file))
        return projects[project_file](name)

    return release_of
