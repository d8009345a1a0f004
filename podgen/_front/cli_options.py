"""Typer options the commands share, and the option table's options as Typer parameters.

`podgen new`'s fifty-odd options are declared once, in `_model.options.OPTIONS`;
`typer_parameter` turns each into the parameter Typer parses (the lean start-up path,
`_front.argv`, reads the same table).
"""

from __future__ import annotations

import inspect
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.exceptions import BadParameter

from podgen._model.options import BOOL, CHOICE, INT, Option, help_text
from podgen._model.versions import NEWEST, SUPPORTED


class DebugFlag:
    """--debug as Typer parsed it; None until then (a parse error goes by a scan of argv)."""

    parsed: bool | None = None


def remember_debug(value: bool) -> bool:
    """Typer's callback for --debug: keep the parsed value for `main` to read."""
    DebugFlag.parsed = value
    return value


Debug = Annotated[
    bool,
    typer.Option("--debug", help="Show the traceback of an error.", callback=remember_debug),
]
Templates = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="A folder of your own NAME.yaml.j2 templates that override podgen's "
        "(sandboxed; their output is checked like podgen's).",
        metavar="DIR",
        exists=True,
        file_okay=False,
    ),
]

Crds = Annotated[
    list[str] | None,
    typer.Option(
        "--crd",
        help="A CustomResourceDefinition file, or a folder of them: custom resources are "
        "checked with them; repeat for several.",
        metavar="PATH",
        show_default=False,
    ),
]


def typer_parameter(option: Option) -> inspect.Parameter:
    """One option of the table as a Typer option."""
    declarations = list(option.flags)
    default = option.default
    annotation: Any
    extra: dict[str, Any] = {"metavar": option.metavar}
    if option.type == BOOL:
        declarations[0] = f"{option.flag}/--no-{option.flag[2:]}"  # --privileged=false, too
        annotation = bool if default is not None else bool | None  # None: the kind's default
    elif option.repeatable:
        annotation = list[str] | None
    elif option.type == CHOICE:
        # An enum, so that --help lists the choices; its values are the choices' text.
        choice = StrEnum(option.param, {c: c for c in option.choices})  # type: ignore[misc]
        annotation, default = choice, choice(default)
        extra = {"case_sensitive": False}
    elif option.type == INT:
        annotation = int | None
        extra["show_default"] = option.default is not None
    else:
        annotation = str if isinstance(default, str) else str | None
    if option.completions:
        extra["autocompletion"] = completer(option.completions)
    info = typer.Option(*declarations, help=help_text(option), **extra)
    return inspect.Parameter(
        option.param,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[annotation, info],
    )


def completer(values: tuple[str, ...]) -> Any:
    """Shell completion offering `values` that start with what was typed."""
    return lambda incomplete: [value for value in values if value.startswith(incomplete)]


def _k8s_version(help: str) -> Any:
    """`--k8s-version X.Y` as render and import take it (new's is in the option table)."""
    from podgen._model.options import BY_PARAM

    option = BY_PARAM["k8s_version"]
    return Annotated[
        str | None,
        typer.Option(
            option.flag,
            help=help,
            metavar=option.metavar,
            autocompletion=completer(option.completions),
            show_default=False,
        ),
    ]


_RANGE = f"{SUPPORTED[0]} to {NEWEST}"
K8sVersion = _k8s_version(
    f"The Kubernetes release the cluster runs, e.g. 1.30 ({_RANGE}; default: a project's "
    f"kubernetesVersion, else {NEWEST}; a blueprint named is in the project of the podgen.yaml "
    "in its folder or above): a field that release does not have is refused; what "
    "is written does not change."
)
ImportK8sVersion = _k8s_version(
    f"The Kubernetes release the manifests are for, e.g. 1.30 ({_RANGE}, default {NEWEST}): "
    "they are checked at it, as render will check the blueprint."
)

ScaffoldK8sVersion = _k8s_version(
    f"The Kubernetes release the project's clusters run, e.g. 1.30 ({_RANGE}, default "
    f"{NEWEST}): written into podgen.yaml as kubernetesVersion; a field that release does not "
    "have is refused."
)
ValidateK8sVersion = _k8s_version(
    f"The Kubernetes release to check against, e.g. 1.30 ({_RANGE}; default: a project's "
    f"kubernetesVersion, else {NEWEST}; a path named is in the project of the podgen.yaml in "
    "its folder or above, a manifest in an environment's folder at that environment's): its "
    "schema, the API versions it serves and its "
    "feature gates."
)


def templates_folder(path: Path | None) -> str | None:
    """--templates as a string, once its folder holds only template names (before any work)."""
    if path is None:
        return None
    from podgen._rendering.team_templates import check_folder

    check_folder(str(path))
    return str(path)


def environment_names(incomplete: str) -> list[str]:
    """Shell completion for --env: the environments of the project around the current folder."""
    from podgen._commands.project import find_project, load_project
    from podgen._errors import PodgenError

    found = find_project()
    if found is None:
        return []
    try:
        names = [environment.name for environment in load_project(found).environments]
    except PodgenError:
        return []
    return [name for name in names if name.startswith(incomplete)]


def bad_value(error: BadParameter) -> str:
    """The line for a value Typer could not convert: the flag, what it takes, the value.

    Typer's own says it in its validation library's words ("Value error, 'yml' is not one
    of ...", "Input should be a valid integer").
    """
    from podgen._errors import closest, one_of, quoted

    flags = getattr(error.param, "opts", None)
    cause = error.__cause__
    problems = cause.errors() if cause is not None and hasattr(cause, "errors") else []
    if not flags or not problems or "input" not in problems[0]:
        return error.format_message()
    flag, value = max(flags, key=len), problems[0]["input"]
    kind = getattr(getattr(error.param, "type_descriptor", None), "annotation", None)
    if isinstance(kind, type) and issubclass(kind, Enum):
        choices = [str(member.value) for member in kind]
        hint = closest(str(value).lower(), choices)
        also = f" (did you mean {hint}?)" if hint else ""
        return f"{flag}: expected one of {one_of(choices)}, not {quoted(value)}{also}"
    if str(problems[0].get("type", "")).startswith("int"):
        return f"{flag}: expected a whole number, not {quoted(value)}"
    return f"{flag}: {quoted(value)} is not a valid value"


ExplainCrds = Annotated[
    list[str] | None,
    typer.Option(
        "--crd",
        help="A CustomResourceDefinition file, or a folder of them: their custom resources are "
        "explained as a cluster with them installed explains them (a project's crds: too); "
        "repeat for several.",
        metavar="PATH",
        show_default=False,
    ),
]
ExplainK8sVersion = _k8s_version(
    f"The Kubernetes release to explain, e.g. 1.30 ({_RANGE}; default: a project's "
    f"kubernetesVersion, from podgen.yaml here or above, else {NEWEST}): a field added later "
    "does not exist there, one removed later still does."
)
