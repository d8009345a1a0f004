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

    from podgen._model.spec import OutputFormat


def render(
    source: str,
    output: OutputFormat,
    *,
    out: str | Path | None = None,
    force: bool = False,
    prune: bool = False,
    check: bool = False,
    templates: str | None = None,
) -> int:
    """`podgen render`: print, write (`out`) or compare (`check`) what blueprints render to."""
    from podgen._io import output as _output
    from podgen._rendering.bulk import render_source

    for flag, given in (("--check", check), ("--force", force), ("--prune", prune)):
        if given and out is None:
            raise UsageError(f"{flag}: needs --out DIR")
    rendered = render_source(source, sys.stdin.buffer, output, templates)
    if out is None:
        _output.print_all((file.text for file in rendered), output)
        return ExitCode.OK
    # render_source refused two objects of one identity already: only the order is left.
    files = sorted(rendered, key=lambda file: file.relative_path)
    if check:  # on every save: compared on plain string paths, without importing pathlib
        out = _as_pathlib_prints(str(out))
        report = _output.differences(files, out)
        if report:
            sys.stdout.writelines(report)
            sys.stderr.write(f"error: {out} differs from what the blueprints render to now\n")
            return ExitCode.FAILURE
        sys.stderr.write(f"{out}: up to date ({len(files)} files)\n")
        return ExitCode.OK
    from pathlib import Path

    sources = {file.source for file in files}
    done = _output.write(files, Path(out), force=force, prune=prune, sources=sources)
    sys.stdout.writelines(f"wrote {path}\n" for path in done.written)
    sys.stdout.writelines(f"removed {path} (no object renders to it)\n" for path in done.removed)
    for path in done.kept:
        sys.stderr.write(
            f"warning: kept {path}: no object renders to it, but it was edited "
            "since podgen wrote it; remove it yourself if it is not needed\n"
        )
    return ExitCode.OK


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
