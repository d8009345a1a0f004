"""The `podgen` command line: parse flags, make one library call, print, map errors to exit codes.

This module and the lean entry (`_front.entry`) are the only ones that print. Every error becomes
one line on stderr (`error: ...`) and exit code 1, as in kubectl (`_front.entry.run_command`);
`--debug` shows the traceback instead.
"""

from __future__ import annotations

import inspect
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.core import Context, ParameterSource
from typer._click.exceptions import BadParameter, NoArgsIsHelpError
from typer.core import TyperCommand
from typer.exceptions import TyperException

from podgen._errors import ExitCode, Terminated, UsageError
from podgen._front.blueprints_cli import blueprints_app
from podgen._front.cli_options import (
    Crds,
    Debug,
    DebugFlag,
    ImportK8sVersion,
    K8sVersion,
    ScaffoldK8sVersion,
    Templates,
    ValidateK8sVersion,
    bad_value,
    environment_names,
    templates_folder,
    typer_parameter,
)
from podgen._front.explain_cli import EXPLAIN_EPILOG, ExplainCommand, explain
from podgen._front.help_texts import (
    IMPORT_EPILOG,
    NEW_EPILOG,
    RENDER_EPILOG,
    SCAFFOLD_EPILOG,
    VALIDATE_EPILOG,
)
from podgen._front.lsp_cli import LSP_EPILOG, lsp
from podgen._model.options import OPTIONS
from podgen._model.spec import OutputFormat, PodRequest

app = typer.Typer(
    name="podgen",
    help="Write Kubernetes Pod manifests: exactly what kubectl writes, and what it can't.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from podgen import __version__

        typer.echo(f"podgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print podgen's version and exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ] = False,
) -> None:
    del version  # handled eagerly by _print_version


def new(ctx: typer.Context, **params: Any) -> None:
    """Print a Pod manifest, byte for byte what `kubectl run --dry-run=client` prints."""
    from podgen._rendering.dropped import lines
    from podgen._rendering.pipeline import new_text

    # --debug is read by main() before parsing, so that parse errors honour it too.
    params = {**ctx.params, "output": str(params["output"])}
    text, warnings = new_text(params, _given(ctx), templates_folder(params["templates"]))
    sys.stdout.write(text)
    sys.stderr.write(lines(warnings))


def _new_signature() -> inspect.Signature:
    """`new`'s parameters for Typer: NAME, the words after --, and every option of the table."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    name = Annotated[
        str | None,
        typer.Argument(
            help="Name of the Pod (or Deployment); required unless --from gives one.",
            metavar="NAME",
            show_default=False,
        ),
    ]
    args = Annotated[
        list[str] | None,
        typer.Argument(
            help="After --: a Pod's args, or its command with --command (kubectl run); for every "
            "other --kind, the command (kubectl create).",
            metavar="ARG",
        ),
    ]
    return inspect.Signature(
        [
            inspect.Parameter(
                "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
            ),
            inspect.Parameter("name", keyword, default=None, annotation=name),
            inspect.Parameter("args", keyword, default=None, annotation=args),
            *(typer_parameter(option) for option in OPTIONS),
            inspect.Parameter("templates", keyword, default=None, annotation=Templates),
            inspect.Parameter("debug", keyword, default=False, annotation=Debug),
        ]
    )


new.__signature__ = _new_signature()  # type: ignore[attr-defined]
new.__annotations__ = {
    parameter.name: parameter.annotation
    for parameter in new.__signature__.parameters.values()  # type: ignore[attr-defined]
}
app.command(epilog=NEW_EPILOG, no_args_is_help=True)(new)


def _request_from(ctx: typer.Context) -> PodRequest:
    """The pod request that `podgen new`'s parsed parameters in `ctx` describe."""
    from podgen._rendering.pipeline import request_from_params

    return request_from_params(ctx.params, _given(ctx))


def _given(ctx: typer.Context) -> set[str]:
    """The parameters the user typed (not left at their defaults)."""
    return {
        param
        for param in ctx.params
        if ctx.get_parameter_source(param) is ParameterSource.COMMANDLINE
    }


class _ScaffoldCommand(TyperCommand):
    """`podgen scaffold`: the words after `--` are kept apart, for `new` to read as its own.

    Click drops the `--` itself, so `scaffold j --kind job -- sh -c 'echo hi'` would hand `new`
    a `-c` to read as a flag.
    """

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if "--" in args:
            at = args.index("--")
            ctx.meta[_AFTER_DASHES] = args[at + 1 :]
            args = args[:at]
        return super().parse_args(ctx, args)


_AFTER_DASHES = "podgen.scaffold.after_dashes"


@app.command(
    cls=_ScaffoldCommand,
    epilog=SCAFFOLD_EPILOG,
    no_args_is_help=True,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
def scaffold(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            help="The project folder's name, and the pod's (with --from, the pod keeps its own).",
            metavar="NAME",
        ),
    ],
    output_dir: Annotated[
        Path,
        typer.Option("--output-dir", help="Where to create the project folder.", metavar="DIR"),
    ] = Path("."),
    k8s_version: ScaffoldK8sVersion = None,
    debug: Debug = False,
) -> None:
    """Create a project: a blueprint, its rendered manifests, editor tasks, pre-commit."""
    from podgen._building.flags import flag_for, flags_from_params
    from podgen._front.scaffold import blueprint_for, blueprint_from
    from podgen._front.scaffold import scaffold as make_project
    from podgen._model.versions import target, targeting_given
    from podgen._rendering.dropped import collecting, lines
    from podgen._rendering.pipeline import render_request

    del debug
    parent = ctx.parent
    if parent is None:
        raise UsageError("scaffold: run it as `podgen scaffold`")
    new_command = parent.command.get_command(parent, "new")  # type: ignore[attr-defined]
    # The words after NAME are `podgen new`'s flags: parse them with `new` itself (its
    # --k8s-version too, which scaffold lists as its own).
    release_flag = [] if k8s_version is None else ["--k8s-version", k8s_version]
    after = ctx.meta.get(_AFTER_DASHES)
    words = [name, *release_flag, *ctx.args, *([] if after is None else ["--", *after])]
    parsed = new_command.make_context("podgen scaffold", words, parent=parent)
    templates = templates_folder(parsed.params["templates"])
    k8s_version = parsed.params["k8s_version"]
    release = targeting_given(k8s_version)  # written into podgen.yaml: kubernetesVersion
    with release, collecting() as warnings:  # fields the release's API server would drop
        if parsed.params["from_"] is not None:  # the whole blueprint, the flags over its pod
            given = _given(parsed)
            flags = flags_from_params(parsed.params)
            blueprint = blueprint_from(parsed.params["from_"], flags, given, templates)
        else:
            request = _request_from(parsed)
            blueprint = blueprint_for(render_request(request, flag_for, templates), request.name)
        version = None if k8s_version is None else target()
        project = make_project(blueprint, name, output_dir, version)
    sys.stderr.write(lines(warnings))
    files = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    # The folder as the user named it (`web/`, `../apps/web/`), as `cp` and `git` name paths.
    sys.stdout.write(f"created {output_dir / name}/\n" + "".join(f"  {f}\n" for f in files))


@app.command(epilog=RENDER_EPILOG)
def render(
    source: Annotated[
        str | None,
        typer.Argument(
            help="A blueprint file, a folder of them, a built-in name, or - for stdin; none: "
            "the project's (podgen.yaml, here or above), into its out folder.",
            metavar="[FILE|DIR|NAME|-]",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        OutputFormat | None,
        typer.Option(
            "--output",
            "-o",
            help="Output format [yaml; a project's: its podgen.yaml's].",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    env: Annotated[
        list[str] | None,
        typer.Option(
            "--env",
            help="A project's environment to render; repeat for several (default: every one, "
            "each into OUT/ENV).",
            metavar="ENV",
            autocompletion=environment_names,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write one file per object into DIR.", metavar="DIR"),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="With --out or in a project: replace files podgen did not write, or that were "
            "edited since (what was there is kept in OUT/.podgen-replaced/).",
        ),
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="With --out: remove files podgen wrote there earlier that no object renders "
            "to now (never files it did not write, or that were edited since); a project's "
            "render always does.",
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="With --out or in a project: exit 1 and show what differs from the folder.",
        ),
    ] = False,
    no_kustomization: Annotated[
        bool,
        typer.Option(
            "--no-kustomization",
            help="With --out: write no kustomization.yaml (a project says `kustomization: "
            "false` in podgen.yaml).",
        ),
    ] = False,
    allow_outside: Annotated[
        bool,
        typer.Option(
            "--allow-outside",
            help="In a project: let podgen.yaml's `out:` name a folder outside the project "
            "(podgen writes and prunes there).",
        ),
    ] = False,
    templates: Templates = None,
    crd: Crds = None,
    k8s_version: K8sVersion = None,
    debug: Debug = False,
) -> None:
    """Render blueprints to manifests, checked as strictly as `podgen new`'s."""
    from podgen._commands.render import render as run_render

    del debug
    code = run_render(
        source,
        output,
        out=out,
        force=force,
        prune=prune,
        check=check,
        templates=templates_folder(templates),
        env=env or (),
        kustomization=not no_kustomization,
        allow_outside=allow_outside,
        crds=crd or (),
        k8s_version=k8s_version,  # None: a project's environments each target their own
    )
    if code:
        raise typer.Exit(code)


@app.command("import", epilog=IMPORT_EPILOG, no_args_is_help=True)
def import_(
    manifests: Annotated[
        list[str],
        typer.Argument(
            help="Manifest files (each with one or more documents), folders (every .yaml, "
            ".yml and .json below them), or - for stdin.",
            metavar="MANIFEST|DIR|-",
        ),
    ],
    output: Annotated[
        OutputFormat,
        typer.Option(
            "--output",
            "-o",
            help="The blueprint's format (render reads each).",
            case_sensitive=False,
        ),
    ] = OutputFormat.YAML,
    crd: Crds = None,
    k8s_version: ImportK8sVersion = None,
    debug: Debug = False,
) -> None:
    """Print a blueprint that `podgen render` turns back into the manifest's objects.

    Reads files, folders and stdin, writes Pods, Deployments, StatefulSets, DaemonSets,
    ReplicaSets, Jobs, CronJobs, Services and Namespaces in blueprint words, and names
    patterns it recognises (init containers and sidecars sharing an emptyDir, wait-for init
    containers). Pod fields the DSL has no word for are kept under `overrides`; objects of
    other kinds, and any it cannot write in words (a note on stderr says why), are kept
    whole under `objects`; custom resources are checked with their CRDs (among the
    manifests, or --crd), and one its CRD refuses is kept with a note.

    What a person wrote comes back as written, defaults included (replicas: 1 stays). From
    an object a server returned (it has a uid, resourceVersion, managedFields or a status),
    import drops what the server wrote: status, metadata bookkeeping and ownerReferences,
    the last-applied and revision annotations, the injected token volume, a Job's
    generated selector and the labels naming it, a Service's assigned address, and the
    defaults the server fills into the object's own spec
    (docs/import.md lists them); pod templates keep every field. Objects a controller among
    the manifests makes (a Deployment's ReplicaSet and Pods, a CronJob's Jobs, a Service's
    Endpoints: only what Kubernetes' own controllers make) are left out, with one note
    naming them.
    """
    from podgen._checking.crd_catalog import catalog_of, using
    from podgen._commands.importer import import_documents, read_manifests
    from podgen._io.emit import dumper
    from podgen._model.versions import targeting_given

    del debug
    release = targeting_given(k8s_version)  # a bad release before any manifest is read
    crds = catalog_of(crd or ())  # a missing --crd path before any manifest is read
    notes: list[str] = []
    documents = read_manifests(manifests, sys.stdin.buffer, notes)
    distinct = {os.path.realpath(m) if m != "-" else m for m in manifests}  # named twice: one
    label = manifests[0] if len(distinct) == 1 else f"{len(distinct)} files"
    with using(crds), release:
        blueprint = import_documents(documents, label, notes)
    sys.stderr.writelines(f"note: {note}\n" for note in notes)
    sys.stdout.write(dumper(output)(blueprint))


class ReportFormat(StrEnum):
    """How validate prints its findings."""

    TEXT = "text"
    JSON = "json"


@app.command(epilog=VALIDATE_EPILOG)
def validate(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="Manifest, blueprint or project files, folders, or - for stdin; none: the "
            "project's (podgen.yaml, here or above): its blueprints, what each environment "
            "renders to, and its manifests.",
            metavar="[FILE|DIR|-...]",
            show_default=False,
        ),
    ] = None,
    report_format: Annotated[
        ReportFormat,
        typer.Option(
            "--format", help="text: FILE:LINE:COL lines; json: for tools.", case_sensitive=False
        ),
    ] = ReportFormat.TEXT,
    k8s_version: ValidateK8sVersion = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    skip_other_yaml: Annotated[
        bool,
        typer.Option(
            "--skip-other-yaml",
            help="Skip YAML files that are no manifest, blueprint or project (no document "
            "with apiVersion or kind: CI workflows, compose files), counting them; for "
            "pre-commit hooks given every YAML file.",
        ),
    ] = False,
    crd: Crds = None,
    debug: Debug = False,
) -> None:
    """Check manifests: YAML, the Kubernetes schema, the API server's rules, and lint."""
    from podgen._commands.validate import validate as run_validate

    del debug
    code = run_validate(
        sources or [],
        report_format.value,
        strict=strict,
        k8s_version=k8s_version,
        skip_other_yaml=skip_other_yaml,
        crds=crd or (),
    )
    if code:
        raise typer.Exit(code)


@app.command()
def schema(
    project: Annotated[
        bool, typer.Option("--project", help="The project file's (podgen.yaml) instead.")
    ] = False,
) -> None:
    """Print the blueprint format's JSON Schema, for editor completion and checks."""
    import json

    from podgen._blueprint.schema import SCHEMA
    from podgen._commands.project_schema import project_schema

    sys.stdout.write(json.dumps(project_schema() if project else SCHEMA, indent=2) + "\n")


app.command(epilog=EXPLAIN_EPILOG, cls=ExplainCommand)(explain)
app.command(epilog=LSP_EPILOG)(lsp)
app.add_typer(blueprints_app, name="blueprints")


def _wants_debug(argv: list[str]) -> bool:
    words = argv[: argv.index("--")] if "--" in argv else argv
    return "--debug" in words


def main(argv: list[str] | None = None) -> None:
    """Entry point of the full CLI (the console script's lean paths hand everything else here)."""
    from podgen._front.run import run_command

    args = list(sys.argv[1:] if argv is None else argv)
    scanned = _wants_debug(args)
    DebugFlag.parsed = None

    def debugging() -> bool:
        # --debug as parsed (in `-n --debug` it is a namespace, not the flag), or, when
        # parsing itself failed, as a scan of argv found it.
        return scanned if DebugFlag.parsed is None else DebugFlag.parsed

    run_command(lambda: _run_typer(args), debugging)


def _run_typer(args: list[str]) -> int:
    """Run the Typer app; its own errors become podgen's, its exit requests exit codes."""
    from podgen._front.argv import normalize_new_words

    if args[:1] in (["new"], ["scaffold"]):  # scaffold takes new's flags
        args = args[:1] + normalize_new_words(args[1:])
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="podgen", standalone_mode=False)
    except typer.Exit as stop:
        return int(stop.exit_code)
    except SystemExit:
        # Typer answers a closed stdout (`podgen blueprints | head -1`) by wrapping the
        # streams and exiting 1 without a word; podgen's answer is the quiet 141 of every
        # other command, so undo the wrapping and report the closed pipe.
        if type(sys.stdout).__name__ != "PacifyFlushWrapper":
            raise
        sys.stdout = sys.stdout.wrapped  # type: ignore[union-attr]
        if type(sys.stderr).__name__ == "PacifyFlushWrapper":
            sys.stderr = sys.stderr.wrapped  # type: ignore[union-attr]
        raise BrokenPipeError from None
    except NoArgsIsHelpError as error:
        # `podgen` or `podgen render` alone: show the help as it is, not folded into one line.
        sys.stderr.write(error.format_message().rstrip("\n") + "\n")
        return int(ExitCode.USAGE)
    except BadParameter as error:
        raise UsageError(bad_value(error)) from error
    except TyperException as error:
        raise UsageError(error.format_message()) from error
    except typer.Abort:
        raise KeyboardInterrupt from None  # Click's word for Ctrl-C at a prompt
    if code == ExitCode.INTERRUPTED:  # Typer turns Ctrl-C (and SIGTERM) into a bare 130
        from podgen._front import run

        raise Terminated if run.terminated else KeyboardInterrupt
    return code if isinstance(code, int) else 0
