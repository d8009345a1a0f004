"""What `podgen render` and `podgen validate` do, for both ways in: the lean paths and Typer.

Each takes its parsed arguments, makes the library calls, prints, and returns the exit code;
errors are raised as PodgenErrors for `_front.run.run_command` to report. Editor tasks and
pre-commit hooks run these on every save, so the console script calls them without Typer
(see `_front.entry`), and the Typer commands in `_front.cli` only translate their options to them.
"""

from __future__ import annotations

import sys

from podgen._errors import ExitCode, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from podgen._front.project import Environment
    from podgen._io.output import OutputFile
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
    env: str | None = None,
) -> int:
    """`podgen render`: print, write (`out`) or compare (`check`) what blueprints render to.

    Without a source, the project's (podgen.yaml): every environment (or `env`) into its
    own folder.
    """
    from podgen._io import output as _output
    from podgen._model.spec import OutputFormat
    from podgen._rendering.bulk import render_source

    if source is None:
        if out is not None:
            raise UsageError("--out: a project's manifests go where its podgen.yaml says (out:)")
        return _render_project(
            output, force=force, prune=prune, check=check, env=env, templates=templates
        )
    if env is not None:
        raise UsageError("--env: environments are a project's (podgen.yaml); give no SOURCE")
    for flag, given in (("--check", check), ("--force", force), ("--prune", prune)):
        if given and out is None:
            raise UsageError(f"{flag}: needs --out DIR")
    output = output or OutputFormat.YAML
    rendered = render_source(source, sys.stdin.buffer, output, templates)
    if out is None:
        _output.print_all((file.text for file in rendered), output)
        return ExitCode.OK
    # render_source refused two objects of one identity already: only the order is left.
    return _into_folder(list(rendered), str(out), force=force, prune=prune, check=check)


def _into_folder(
    rendered: list[OutputFile], out: str, *, force: bool, prune: bool, check: bool
) -> int:
    """Write (or with `check`, compare) files and their kustomization.yaml into `out`."""
    from podgen._io import output as _output
    from podgen._io.kustomization import with_kustomization

    files = with_kustomization(rendered)
    if check:  # on every save: compared on plain string paths, without importing pathlib
        out = _as_pathlib_prints(out)
        report = _output.differences(files, out)
        if report:
            sys.stdout.writelines(report)
            sys.stderr.write(f"error: {out} differs from what the blueprints render to now\n")
            return ExitCode.FAILURE
        sys.stderr.write(f"{out}: up to date ({len(files)} files)\n")
        return ExitCode.OK
    from pathlib import Path

    sources = {file.source for file in files if file.source}
    done = _output.write(files, Path(out), force=force, prune=prune, sources=sources)
    sys.stdout.writelines(f"wrote {path}\n" for path in done.written)
    sys.stdout.writelines(f"removed {path} (no object renders to it)\n" for path in done.removed)
    for path in done.kept:
        sys.stderr.write(
            f"warning: kept {path}: no object renders to it, but it was edited "
            "since podgen wrote it; remove it yourself if it is not needed\n"
        )
    return ExitCode.OK


def _render_project(
    output: OutputFormat | None,
    *,
    force: bool,
    prune: bool,
    check: bool,
    env: str | None,
    templates: str | None,
) -> int:
    """The bare `podgen render [--check] [--env ENV]`: the project's blueprints, per environment."""
    from podgen._front.project import project_files, require_project
    from podgen._model.spec import OutputFormat

    project = require_project("podgen render")
    chosen: list[Environment | None] = (
        [project.environment(env)] if env is not None else [*project.environments] or [None]
    )
    output = output or OutputFormat(project.output)
    code: int = ExitCode.OK
    for environment in chosen:
        files = project_files(project, environment, output, templates)
        folder = project.out_folder(environment)
        code = max(code, _into_folder(files, folder, force=force, prune=prune, check=check))
    return code


def _existing(paths: list[str]) -> list[str]:
    import os

    return [path for path in paths if os.path.exists(path)]


def _as_pathlib_prints(path: str) -> str:
    """`path` spelled as pathlib prints it (`k8s` for `./k8s/`), as the writing path shows it."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    return ("/" if path.startswith("/") else "") + "/".join(parts) or "."


def validate(
    sources: list[str], report_format: str = "text", *, strict: bool = False, k8s_version: str = ""
) -> int:
    """`podgen validate`: print the findings as text or JSON; 0 clean, 1 errors, 2 unreadable."""
    from podgen._checking.k8s_schema import VERSION
    from podgen._checking.validate import validate as run_validate

    if k8s_version and k8s_version != VERSION:
        raise UsageError(
            f"--k8s-version: podgen checks against Kubernetes {VERSION} only, not {k8s_version}"
        )
    if not sources:  # the bare command: the project's blueprints and what they render to
        from podgen._front.project import require_project

        project = require_project("podgen validate")
        sources = [*project.blueprints, *_existing([project.out])]
    report = run_validate(sources, sys.stdin.buffer)
    if report_format == "json":
        import json

        document = {
            "findings": [f.as_dict() for f in report.findings],
            "files": report.files,
            "errors": report.errors,
            "warnings": report.warnings,
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        sys.stdout.writelines(f.text() + "\n" for f in report.findings)
        sys.stderr.write(
            f"{report.errors} error(s), {report.warnings} warning(s) in {report.files} file(s)\n"
        )
    if report.unusable:
        return ExitCode.UNREADABLE
    if report.errors or (strict and report.warnings):
        return ExitCode.FAILURE
    return ExitCode.OK
