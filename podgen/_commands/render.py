"""What `podgen render` does, for both ways in: the lean paths and Typer.

It takes its parsed arguments, makes the library calls, prints, and returns the exit code;
errors are raised as PodgenErrors for `_front.run.run_command` to report. Editor tasks and
pre-commit hooks run it on every save, so the console script calls it without Typer
(see `_front.entry`), and the Typer commands in `_front.cli` only translate their options to it
(`_commands.validate` is the same for `podgen validate`).
"""

from __future__ import annotations

import sys

from podgen._errors import ExitCode, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from contextlib import AbstractContextManager
    from pathlib import Path
    from typing import Any

    from podgen._commands.layering import Environment
    from podgen._commands.project import Project
    from podgen._io.plan import Folder as _Folder
    from podgen._io.plan import OutputFile
    from podgen._io.plan import Root as _Root
    from podgen._model.spec import OutputFormat


def render(
    source: str | None,
    output: OutputFormat | None,
    *,
    out: str | Path | None = None,
    force: bool = False,
    prune: bool = False,
    check: bool = False,
    templates: str | None = None,
    env: Sequence[str] = (),
    kustomization: bool = True,
    allow_outside: bool = False,
    crds: Sequence[str] = (),
    k8s_version: str | None = None,
) -> int:
    """`podgen render`: print, write (`out`) or compare (`check`) what blueprints render to.

    Without a source, the project's (podgen.yaml): every environment (or those in `env`)
    into its own folder, pruned of what it no longer renders. Custom resources under
    `objects:` are checked with their CRDs: `crds` (`--crd` files and folders), the project's
    `crds:`, and those beside each blueprint. `k8s_version` (`--k8s-version`) is the release
    the objects are checked for; a project's environments say their own, and a blueprint
    named in a project its project's, which it overrides.
    """
    from podgen._model.versions import targeting_given

    options: dict[str, Any] = {
        "out": out,
        "force": force,
        "prune": prune,
        "check": check,
        "templates": templates,
        "env": env,
        "kustomization": kustomization,
        "allow_outside": allow_outside,
    }
    from podgen._rendering.dropped import collecting, lines

    with targeting_given(k8s_version), _release_of(source), collecting() as warnings:
        if not crds:  # the common case, on every save: the CRD catalog loads when one asks
            code = _render(source, output, **options)
        else:
            from podgen._checking.crd_catalog import catalog_of, using

            with using(catalog_of(crds)):
                code = _render(source, output, **options)
    sys.stderr.write(lines(warnings))  # fields the target's API server drops
    return code


def _release_of(source: str | None) -> AbstractContextManager[object]:
    """A blueprint file or folder in a project renders at its release, as the bare render.

    Its project is the podgen.yaml in its folder or the nearest above; a built-in name, stdin
    and a path in no project keep the newest (`--k8s-version`, outside this, beats all).
    """
    import os

    if source is None or source == "-" or not os.path.exists(source):
        from contextlib import nullcontext

        return nullcontext()
    from podgen._commands.project_release import release_of_paths

    return release_of_paths()(source)


def _render(
    source: str | None,
    output: OutputFormat | None,
    *,
    out: str | Path | None,
    force: bool,
    prune: bool,
    check: bool,
    templates: str | None,
    env: Sequence[str],
    kustomization: bool,
    allow_outside: bool,
) -> int:
    from podgen._io import output as _output
    from podgen._io.plan import Folder
    from podgen._model.spec import OutputFormat
    from podgen._rendering.bulk import render_source

    if isinstance(env, str):  # one name, as the library took it before
        env = [env]
    if source is None:
        if out is not None:
            raise UsageError("--out: a project's manifests go where its podgen.yaml says (out:)")
        if not kustomization:
            raise UsageError(
                "--no-kustomization: a project says it in podgen.yaml (kustomization: false)"
            )
        return _render_project(
            output,
            force=force,
            check=check,
            envs=env,
            templates=templates,
            allow_outside=allow_outside,
        )
    if env:
        raise UsageError("--env: environments are a project's (podgen.yaml); give no SOURCE")
    if allow_outside:
        raise UsageError("--allow-outside: only a project's out folder needs it; give no SOURCE")
    for flag, given in (
        ("--check", check),
        ("--force", force),
        ("--prune", prune),
        ("--no-kustomization", not kustomization),
    ):
        if given and out is None:
            raise UsageError(f"{flag}: needs --out DIR")
    output = output or OutputFormat.YAML
    rendered = render_source(source, sys.stdin.buffer, output, templates)
    if out is None:
        _output.print_all((file.text for file in rendered), output)
        return ExitCode.OK
    # render_source refused two objects of one identity already: only the order is left.
    folder = Folder(
        _as_pathlib_prints(str(out)), _with_kustomization(list(rendered), kustomization)
    )
    if check:
        return _check([folder], None, "the blueprints render to", kustomization=kustomization)
    return _write([folder], None, force=force, prune=prune, kustomization=kustomization)


def _with_kustomization(files: list[OutputFile], kustomization: bool) -> list[OutputFile]:
    from podgen._io.kustomization import with_kustomization

    return with_kustomization(files) if kustomization else files


def _check(
    folders: Sequence[_Folder], root: _Root | None, what: str, *, kustomization: bool = True
) -> int:
    """`render --check`: exit 1 and show every difference; run on every save, so no pathlib."""
    from podgen._io import output as _output

    found = [
        (folder, [f"conflict: {message}\n"])
        for folder, message in _kustomization_conflicts(folders, kustomization, force=False)
    ]
    found += [(_owner(d.path, folders, root), d.lines) for d in _output.differences(folders, root)]
    differing = {folder for folder, _ in found}
    for path in sorted(differing):
        sys.stderr.write(f"error: {path} differs from what {what} now\n")
    for folder in folders:
        if folder.path not in differing:
            sys.stderr.write(f"{folder.path}: up to date ({_count(folder.files)})\n")
    sys.stdout.writelines(line for _, lines in found for line in lines)
    return ExitCode.FAILURE if found else ExitCode.OK


def _owner(path: str, folders: Sequence[_Folder], root: _Root | None) -> str:
    """The folder a differing file is in: the deepest rendered one, else the project's out."""
    owners = [f.path for f in folders if path.startswith(f.path.rstrip("/") + "/")]
    return max(owners, key=len) if owners else root.path if root else path


def _write(
    folders: Sequence[_Folder],
    root: _Root | None,
    *,
    force: bool,
    prune: bool,
    kustomization: bool,
    label: str = "--out",
) -> int:
    """Write the folders in one all-or-nothing step and say what changed."""
    from podgen._io import output as _output

    for _, conflict in _kustomization_conflicts(folders, kustomization, force):
        raise UsageError(conflict)
    sources = {file.source for folder in folders for file in folder.files if file.source}
    done = _output.write(folders, root=root, force=force, prune=prune, sources=sources, label=label)
    kept = dict(done.replaced)
    for path in done.written:
        if path in kept:
            sys.stdout.write(f"replaced {path} (what was there is kept in {kept[path]})\n")
        else:
            sys.stdout.write(f"wrote {path}\n")
    sys.stdout.writelines(f"removed {path} (no object renders to it)\n" for path in done.removed)
    sys.stdout.writelines(
        f"removed {path} (a temporary file of an interrupted podgen)\n" for path in done.strays
    )
    for path in done.kept:
        sys.stderr.write(
            f"warning: kept {path}: no object renders to it, but it was edited "
            "since podgen wrote it; remove it yourself if it is not needed\n"
        )
    if not done.written and not done.removed and not done.strays:
        for folder in folders:
            sys.stderr.write(f"{folder.path}: up to date ({_count(folder.files)})\n")
    return ExitCode.OK


def _count(files: Sequence[object]) -> str:
    return "1 file" if len(files) == 1 else f"{len(files)} files"


def _kustomization_conflicts(
    folders: Sequence[_Folder], kustomization: bool, force: bool
) -> list[tuple[str, str]]:
    """A kustomization of yours where podgen writes its own, by folder: what render refuses."""
    if not kustomization:
        return []
    from podgen._io.kustomization import foreign_kustomization, ours_in

    found = [
        (f.path, foreign_kustomization(f.path, ours_in(f.files), force=force)) for f in folders
    ]
    return [(folder, conflict) for folder, conflict in found if conflict]


def _render_project(
    output: OutputFormat | None,
    *,
    force: bool,
    check: bool,
    envs: Sequence[str],
    templates: str | None,
    allow_outside: bool,
) -> int:
    """The bare `podgen render [--check] [--env ENV]...`: the project's blueprints.

    Every environment is rendered and checked before anything is written, then all of them
    are written in one step. The project's `out` folder is podgen's: whatever it wrote there
    that the project no longer renders (a removed environment, `out` itself once
    environments came) goes, unless someone edited it.
    """
    from podgen._commands.project import project_files, require_project
    from podgen._io.plan import Folder, Root
    from podgen._model.spec import OutputFormat

    project = require_project("podgen render")
    _refuse_outside(project, allow_outside)
    chosen: list[Environment | None] = (
        [project.environment(name) for name in dict.fromkeys(envs)]
        if envs
        else [*project.environments] or [None]
    )
    if output is not None and output.value != project.output:
        raise UsageError(
            f"--output: {project.document.source} writes {project.output} (output:); a project "
            "renders one format, so change it there"
        )
    output = OutputFormat(project.output)
    folders = [
        Folder(
            _as_pathlib_prints(project.out_folder(environment)),
            _with_kustomization(
                project_files(project, environment, output, templates), project.kustomization
            ),
        )
        for environment in chosen
    ]
    # With --env, the other environments' folders are the project's too: left as they are.
    keep = [_as_pathlib_prints(project.out_folder(e)) for e in project.environments]
    root = Root(_as_pathlib_prints(project.out), tuple(keep))
    if check:
        return _check(
            folders,
            root,
            f"{project.document.source} renders to",
            kustomization=project.kustomization,
        )
    label = f"{project.document.where(('out',))}: out" if "out" in project.document.data else "out"
    return _write(
        folders,
        root,
        force=force,
        prune=True,
        kustomization=project.kustomization,
        label=label,
    )


def _refuse_outside(project: Project, allow_outside: bool) -> None:
    """Keep a project's `out` inside its folder: podgen writes and prunes there."""
    import os

    out, root = os.path.realpath(project.out), os.path.realpath(project.root)
    if allow_outside or (out != root and out.startswith(root.rstrip(os.sep) + os.sep)):
        return
    where = project.document.where(("out",))
    inside = "is the project folder itself" if out == root else f"is outside the project ({out})"
    raise UsageError(
        f"{where}: out: {project.out} {inside}; podgen writes and prunes there, so it stays in a "
        "folder of its own inside the project (e.g. k8s), unless you pass --allow-outside"
    )


def _as_pathlib_prints(path: str) -> str:
    """`path` spelled as pathlib prints it (`k8s` for `./k8s/`), as the writing path shows it."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    return ("/" if path.startswith("/") else "") + "/".join(parts) or "."
