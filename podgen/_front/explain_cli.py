"""`podgen explain` in the full CLI: its --help and its shell completion.

The console script runs `podgen explain` on its lean path (`_front.explain_argv`, kubectl's
own flag rules) and only `--help` comes here; this command takes the same flags, for the help
page, the completion of resource names and field paths, and in-process runs.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand

from podgen._front.cli_options import Debug, ExplainCrds, ExplainK8sVersion

EXPLAIN_EPILOG = """\b
Examples:
  podgen explain pods                          # the resource and its fields
  podgen explain pods.spec.containers          # one field, as RESOURCE.FIELD.FIELD
  podgen explain deploy.spec.strategy -R       # all the fields below, recursively
  podgen explain pods -R --max-depth 2         # two levels of them
  podgen explain hpa --api-version autoscaling/v1
  podgen explain cronjobs.batch --k8s-version 1.29   # as a 1.29 cluster documents it
  podgen explain deployment -o plaintext-openapiv2   # kubectl's older format
  podgen explain certificates.spec --crd crds/       # a custom resource, from its CRD

\b
RESOURCE is what kubectl explain takes: a plural, singular, kind or short name (po, deploy),
or plural.group (deployments.apps); fields follow after dots. The output is byte for byte
what kubectl explain 1.37 prints against a cluster of that Kubernetes release, from the
documentation podgen carries: no cluster, no kubeconfig, no network. Custom resources come
from --crd files and folders and a podgen.yaml project's crds:, as the API server publishes
them once their CRDs are installed. kubectl's global flags (-n, --context, --kubeconfig, -v,
--request-timeout, ...) are taken and ignored: they only say which cluster to ask.
"""


class _UntypedArgument(TyperArgument):
    """RESOURCE[.FIELD...] says what it takes: no Python type after it in --help."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class ExplainCommand(TyperCommand):
    """`podgen explain`, its argument shown without Typer's `<list[str]>`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument:
                param.__class__ = _UntypedArgument


def _complete(ctx: typer.Context, incomplete: str) -> list[str]:
    """Resource names, then (after a dot) the field names of the path typed so far."""
    from podgen._commands.explain import field_names, resource_names
    from podgen._errors import PodgenError

    k8s_version = ctx.params.get("k8s_version")
    crds = ctx.params.get("crd") or ()
    if ".." in incomplete:
        return []
    try:
        if "." not in incomplete:
            return resource_names(k8s_version, incomplete, crds)
        return field_names(k8s_version, ctx.params.get("api_version"), incomplete, crds)
    except PodgenError:  # a bad --k8s-version or --crd: Tab offers nothing, and says nothing
        return []


def explain(
    resource: Annotated[
        list[str] | None,
        typer.Argument(
            help="The resource, and the fields after it: pods, pods.spec.containers.",
            metavar="RESOURCE[.FIELD...]",
            autocompletion=_complete,
            show_default=False,
        ),
    ] = None,
    recursive: Annotated[
        bool,
        typer.Option(
            "--recursive",
            "-R",
            help="Print the fields of fields. Use --max-depth to cap the recursion depth.",
        ),
    ] = False,
    api_version: Annotated[
        str,
        typer.Option(
            "--api-version",
            help="Get different explanations for particular API version (API group/version).",
            show_default=False,
        ),
    ] = "",
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="Format in which to render the schema (plaintext, plaintext-openapiv2).",
        ),
    ] = "plaintext",
    max_depth: Annotated[
        int,
        typer.Option(
            "--max-depth",
            help="Maximum recursion depth when printing nested fields with --recursive. 0 "
            "means no limit. Requires --recursive when greater than 0.",
        ),
    ] = 0,
    k8s_version: ExplainK8sVersion = None,
    crd: ExplainCrds = None,
    debug: Debug = False,
) -> None:
    """Document a resource and its fields, as kubectl explain does, offline."""
    from podgen._errors import ExplainError
    from podgen._front.explain_argv import NO_RESOURCE, TWO_RESOURCES, run_explain

    del debug
    if not resource:
        raise ExplainError(NO_RESOURCE)
    if len(resource) > 1:
        raise ExplainError(TWO_RESOURCES)
    run_explain(
        {
            "argument": resource[0],
            "recursive": recursive,
            "api_version": api_version or None,
            "output": output,
            "max_depth": max_depth,
            "k8s_version": k8s_version,
            "crds": crd or [],
        }
    )
