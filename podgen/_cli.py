"""The `podgen` command line: parse flags, make one library call, print, map errors to exit codes.

This is the only module that prints. Every error becomes one line on stderr (`error: ...`)
and a non-zero exit code: 2 for bad usage or input, as kubectl does, 1 for anything else.
`--debug` shows the traceback instead.
"""

from __future__ import annotations

import sys
from typing import Annotated, NoReturn

import typer
from typer.exceptions import TyperException

from podgen._errors import ExitCode, PodgenError, UsageError
from podgen._spec import Kind, OutputFormat

app = typer.Typer(
    name="podgen",
    help="Write Kubernetes Pod manifests: exactly what kubectl writes, and what it can't.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Debug = Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")]

_NEW_EPILOG = """\b
Examples:
  # The Pod that `kubectl run web --image nginx:1.25.3 --port 80 --dry-run=client -o yaml` prints
  podgen new web --image nginx:1.25.3 --port 80

\b
  # The same Pod plus a ClusterIP Service for it, as JSON
  podgen new web --image nginx:1.25.3 --port 80 --expose -o json

\b
  # Words after -- become args, or the command with --command
  podgen new job --image busybox:1.36 --restart Never --command -- sh -c 'echo hello'

\b
  # A Deployment, as `kubectl create deployment web --image nginx --replicas 3` prints it
  podgen new web --image nginx:1.25.3 --kind deployment --replicas 3
"""


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


@app.command(epilog=_NEW_EPILOG, no_args_is_help=True)
def new(
    name: Annotated[
        str,
        typer.Argument(help="Name of the Pod (or Deployment).", metavar="NAME", show_default=False),
    ],
    image: Annotated[
        str, typer.Option("--image", help="The image for the container to run.", metavar="IMAGE")
    ],
    args: Annotated[
        list[str] | None,
        typer.Argument(
            help="After --: the container's args (or its command, with --command).",
            metavar="ARG",
        ),
    ] = None,
    port: Annotated[
        str | None,
        typer.Option("--port", help="The port that this container exposes.", metavar="PORT"),
    ] = None,
    labels: Annotated[
        str,
        typer.Option(
            "--labels", "-l", help="Comma separated labels; replace run=NAME.", metavar="K=V,..."
        ),
    ] = "",
    env: Annotated[
        list[str] | None,
        typer.Option("--env", help="An environment variable (repeatable).", metavar="NAME=VALUE"),
    ] = None,
    restart: Annotated[
        str, typer.Option("--restart", help="Always, OnFailure or Never.", metavar="POLICY")
    ] = "Always",
    command: Annotated[
        bool, typer.Option("--command", help="Use the words after -- as the command, not args.")
    ] = False,
    annotations: Annotated[
        list[str] | None,
        typer.Option("--annotations", help="An annotation (repeatable).", metavar="KEY=VALUE"),
    ] = None,
    namespace: Annotated[
        str | None,
        typer.Option("--namespace", "-n", help="Namespace to write in.", metavar="NAMESPACE"),
    ] = None,
    image_pull_policy: Annotated[
        str,
        typer.Option(
            "--image-pull-policy",
            help="Always, IfNotPresent or Never (default: unset).",
            metavar="POLICY",
        ),
    ] = "",
    privileged: Annotated[
        bool, typer.Option("--privileged", help="Run the container in privileged mode.")
    ] = False,
    expose: Annotated[
        bool, typer.Option("--expose", help="Also write a ClusterIP Service (needs --port).")
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--output", "-o", help="Output format.", case_sensitive=False)
    ] = OutputFormat.YAML,
    dry_run: Annotated[
        str,
        typer.Option(
            "--dry-run", help="Accepted for kubectl compatibility; only 'client'.", metavar="MODE"
        ),
    ] = "client",
    kind: Annotated[
        Kind, typer.Option("--kind", help="Write a Pod or a Deployment.", case_sensitive=False)
    ] = Kind.POD,
    replicas: Annotated[
        int | None,
        typer.Option(
            "--replicas", help="Deployment replicas (default 1).", metavar="N", show_default=False
        ),
    ] = None,
    debug: Debug = False,
) -> None:
    """Print a Pod manifest, byte for byte what `kubectl run --dry-run=client` prints."""
    from podgen._flags import RunFlags
    from podgen._pipeline import new as generate_new

    del debug  # read by main() before parsing, so that parse errors honour it too
    if dry_run != "client":
        raise UsageError(
            "--dry-run: podgen only prints manifests, so only "
            f'"client" makes sense, not {dry_run!r}'
        )
    flags = RunFlags(
        name=name,
        image=image,
        port=port,
        labels=labels,
        env=tuple(env or ()),
        restart=restart,
        command=command,
        args=tuple(args or ()),
        annotations=tuple(annotations or ()),
        namespace=namespace,
        image_pull_policy=image_pull_policy,
        privileged=privileged,
        expose=expose,
        kind=kind,
        replicas=replicas,
    )
    sys.stdout.write(generate_new(flags, output))


def _fail(message: str, code: ExitCode) -> NoReturn:
    one_line = " ".join(line.strip() for line in message.splitlines() if line.strip())
    sys.stderr.write(f"error: {one_line}\n")
    raise SystemExit(int(code))


def _wants_debug(argv: list[str]) -> bool:
    words = argv[: argv.index("--")] if "--" in argv else argv
    return "--debug" in words


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `podgen` console script and of `python -m podgen`."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = _wants_debug(args)
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="podgen", standalone_mode=False)
    except typer.Exit as stop:
        raise SystemExit(stop.exit_code) from None
    except TyperException as error:
        if debug:
            raise
        _fail(error.format_message(), ExitCode.USAGE if error.exit_code == 2 else ExitCode.FAILURE)
    except typer.Abort:
        _fail("aborted", ExitCode.FAILURE)
    except PodgenError as error:
        if debug:
            raise
        _fail(str(error), error.exit_code)
    except UnicodeEncodeError as error:
        if debug:
            raise
        _fail(
            f"input is not valid UTF-8: {error.object[error.start : error.end]!r}", ExitCode.USAGE
        )
    except Exception as error:
        if debug:
            raise
        _fail(f"internal error: {error!r} (run with --debug for the traceback)", ExitCode.FAILURE)
    raise SystemExit(code if isinstance(code, int) else 0)
