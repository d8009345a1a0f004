"""What the editor's workspace holds for the documents in it: its CRDs and their releases.

CRDs: every .yaml, .yml and .json file below the workspace folders (hidden folders skipped,
as validate skips them), the editor's unsaved text of an open one first. They are read once,
all together, and kept until a file changes (`forget`), so that each keystroke's validation
does not read the workspace again. Two threads ask (the checker and hover), so the catalog is
made whole under a lock and only read after.
"""

from __future__ import annotations

import os
import stat
import threading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from typing import Any

    from podgen._checking.crd_catalog import CrdCatalog

#: How many files (and folders) below the workspace folders are looked at for CRDs: a
#: workspace opened on a home folder, or on /, is not read whole.
MAX_FILES = 20_000
MAX_FOLDERS = 10_000
#: Folders no manifest lives in, which can hold a great many files.
_SKIPPED = frozenset(("node_modules", "__pycache__", "site-packages"))
_SUFFIXES = (".yaml", ".yml", ".json")


class WorkspaceCrds:
    """The CRDs of the workspace folders, read on first use and kept until `forget`."""

    def __init__(self, roots: Sequence[str]) -> None:
        self.roots = [os.path.abspath(root) for root in roots]
        self._lock = threading.Lock()
        self._made: tuple[CrdCatalog, list[dict[str, Any]]] | None = None
        #: counts `forget`s: what a check began before one is not kept after it
        self._generation = 0

    def forget(self) -> None:
        """A file changed: read them again when next asked."""
        with self._lock:
            self._made = None
            self._generation += 1

    def catalog(self, unsaved: Mapping[str, str]) -> CrdCatalog:
        """The catalog validate asks last (`validate_sources(known_crds=...)`).

        The workspace is read only when a custom resource first asks: a file of built-in
        kinds is checked without it.
        """
        from podgen._checking.crd_catalog import CrdCatalog

        owner, generation = self, self._generation

        class Deferred(CrdCatalog):
            def find(self, group: str, kind: str) -> Any:
                return owner._get(unsaved, generation)[0].find(group, kind)

            def crds(self) -> Any:
                return owner._get(unsaved, generation)[0].crds()

            def all_problems(self) -> Any:
                made = owner._made
                return made[0].all_problems() if made is not None else []

            def __bool__(self) -> bool:
                return True

        return Deferred()

    def objects(self, unsaved: Mapping[str, str]) -> list[dict[str, Any]]:
        """The CRD objects, for hover and completion."""
        return self._get(unsaved, self._generation)[1]

    def _get(
        self, unsaved: Mapping[str, str], generation: int
    ) -> tuple[CrdCatalog, list[dict[str, Any]]]:
        """The catalog of the texts as they were at `generation` (kept if still current).

        A check that began before a CRD changed reads the workspace as it was then; what it
        reads is not kept, so the next check reads the change.
        """
        with self._lock:
            if generation != self._generation:
                return self._make(unsaved)
            if self._made is None:
                self._made = self._make(unsaved)
            return self._made

    def _make(self, unsaved: Mapping[str, str]) -> tuple[CrdCatalog, list[dict[str, Any]]]:
        from podgen._checking.crd_catalog import CrdCatalog

        catalog = CrdCatalog()
        for path, text in unsaved.items():
            if path.endswith(_SUFFIXES) and self._inside(path):
                catalog.add_file(path, text)
        for path in self._files():
            catalog.add_file(path)
        return catalog, [crd.obj for crd in catalog.crds()]  # read it all, here

    def _inside(self, path: str) -> bool:
        return any(path == root or path.startswith(root + os.sep) for root in self.roots)

    def _files(self) -> Iterator[str]:
        """The regular .yaml, .yml and .json files below the roots, sorted, hidden ones left out."""
        count = folders_seen = 0
        for root in self.roots:
            for parent, folders, names in os.walk(root):
                folders_seen += 1
                if folders_seen > MAX_FOLDERS:
                    _said_capped(root)
                    return
                folders[:] = sorted(
                    name for name in folders if not name.startswith(".") and name not in _SKIPPED
                )
                for name in sorted(names):
                    if name.startswith(".") or not name.endswith(_SUFFIXES):
                        continue
                    path = os.path.join(parent, name)
                    try:
                        if not stat.S_ISREG(os.stat(path).st_mode):
                            continue  # a pipe would wait forever
                    except OSError:
                        continue
                    count += 1
                    if count > MAX_FILES:
                        _said_capped(root)
                        return
                    yield path


def _said_capped(root: str) -> None:
    """Say on stderr (the editor's server log) that CRDs below `root` were not all looked for."""
    import sys

    sys.stderr.write(
        f"podgen lsp: {root}: stopped looking for CRDs after {MAX_FILES} files or "
        f"{MAX_FOLDERS} folders; name them in podgen.yaml's crds: or open a smaller folder\n"
    )


def release_of(path: str | None, unsaved: Mapping[str, str]) -> str:
    """The release a document is explained at, as validate checks it.

    Its environment's `kubernetesVersion:` for a file in an environment's folder, else its
    project's, else the newest; podgen.yaml read as the editor holds it (`unsaved`).
    """
    from podgen._model import versions

    if path is None:
        return versions.NEWEST
    from podgen._errors import PodgenError
    from podgen._io.files import find_upward
    from podgen._io.files import unsaved as reading_unsaved

    project_file = find_upward("podgen.yaml", os.path.dirname(path))
    if project_file is None:
        return versions.NEWEST
    from podgen._commands.project import explain_settings, load_project

    with reading_unsaved(unsaved):
        try:
            project = load_project(project_file)
        except (PodgenError, OSError):
            try:  # a project with other problems still says its release
                release, _ = explain_settings(project_file, release=True)
            except (PodgenError, OSError):
                return versions.NEWEST  # its diagnostics say what is wrong with it
            return release or versions.NEWEST
    inside = path + os.sep
    for environment in project.environments:
        if inside.startswith(os.path.abspath(project.out_folder(environment)) + os.sep):
            return environment.kubernetes_version or project.kubernetes_version or versions.NEWEST
    return project.kubernetes_version or versions.NEWEST
