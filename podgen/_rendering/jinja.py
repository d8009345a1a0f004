"""The Jinja environment: team templates (--templates) at run time, podgen's own at build time.

podgen renders its own templates through Python compiled from them (tools/compile_templates.py
parses them with `environment()` and keeps its semantics), so Jinja is imported only when a
team's templates are in play. Their templates override podgen's file by file and render in a
SandboxedEnvironment: a team template can read the spec it is given, and nothing else; it
cannot reach Python internals or run code.
"""

from __future__ import annotations

import functools
from importlib import resources

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from podgen._rendering.quoting import quote
from podgen._rendering.team_templates import check_folder

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def quote_filter(value: object) -> Markup:
    """The `quote` filter: `quote`, marked as already safe so it is not quoted twice."""
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises here, naming the missing variable
    return value if isinstance(value, Markup) else Markup(quote(value))  # noqa: S704


@functools.cache
def environment(team_templates: str | None = None) -> jinja2.Environment:
    """The one Jinja environment factory: podgen's templates, or a team's over them."""
    builtin = jinja2.FileSystemLoader(str(resources.files("podgen.templates")))
    options: dict[str, Any] = {
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
        # Every `{{ expression }}` is quoted as YAML data unless it is already safe (the
        # `quote` filter's output, or a macro's): a template that forgets `| quote` still
        # cannot let a value add a field. Jinja's autoescape provides the "safe" marking;
        # `finalize` does the quoting.
        "autoescape": True,
        "finalize": quote_filter,
    }
    env: jinja2.Environment
    if team_templates is None:
        env = jinja2.Environment(loader=builtin, **options)  # noqa: S701
    else:
        check_folder(team_templates)  # the front ends check first; this covers library calls
        team = jinja2.FileSystemLoader(team_templates)
        env = SandboxedEnvironment(loader=jinja2.ChoiceLoader([team, builtin]), **options)
    env.filters["quote"] = quote_filter
    return env


def render_text(name: str, obj: object, team_templates: str | None = None) -> str:
    """Render template `name` for `obj`; Jinja's errors are raised as they come."""
    return environment(team_templates).get_template(name).render(obj=obj)


def message(error: jinja2.TemplateError) -> str:
    """One line for a template error: where, and what."""
    line = getattr(error, "lineno", None)
    where = f"line {line}: " if line else ""
    return f"{where}{error.message or type(error).__name__}"
