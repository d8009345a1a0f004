"""Render typed specs through Jinja templates, and parse the text back into objects.

The templates live in the top-level `templates/` folder, shipped in the wheel as the
`podgen.templates` package. Values reach them only through the `quote` filter, which writes
every value as a YAML flow scalar or collection, so no value can add a field; and the output is
never trusted: it is parsed back with a safe loader and checked before anything is emitted.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from enum import Enum
from importlib import resources
from typing import Any

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from podgen._errors import TemplateError, UsageError
from podgen._spec import Deployment, Manifest, Namespace, Pod, Service

#: The one template suffix.
TEMPLATE_SUFFIX = ".yaml.j2"

_TEMPLATE_FOR = {Pod: "pod", Deployment: "deployment", Service: "service", Namespace: "namespace"}


def quote_filter(value: object) -> Markup:
    """The `quote` filter: `quote`, marked as already safe so it is not quoted twice."""
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises here, naming the missing variable
    return value if isinstance(value, Markup) else Markup(quote(value))  # noqa: S704


def quote(value: object) -> str:
    """Write `value` as YAML flow data: strings double-quoted with every non-ASCII escaped."""
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _double_quoted(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{quote(k)}: {quote(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(quote(v) for v in value) + "]"
    raise TemplateError(f"quote: cannot write a {type(value).__name__} into a template")


def _double_quoted(value: str) -> str:
    out = ['"']
    for c in value:
        if c in '"\\':
            out.append("\\" + c)
        elif " " <= c <= "~":
            out.append(c)
        else:
            o = ord(c)
            out.append(
                f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}"
            )
    out.append('"')
    return "".join(out)


@functools.cache
def environment(team_templates: str | None = None) -> jinja2.Environment:
    """The one Jinja environment factory.

    podgen's own templates render in a plain environment. With `team_templates` (a folder
    given with --templates), that folder's templates override podgen's file by file, and
    everything renders in a SandboxedEnvironment: a team template can read the spec it is
    given, and nothing else; it cannot reach Python internals or run code.
    """
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
        team = jinja2.FileSystemLoader(team_templates)
        env = SandboxedEnvironment(loader=jinja2.ChoiceLoader([team, builtin]), **options)
    env.filters["quote"] = quote_filter
    return env


def render(manifest: Manifest, team_templates: str | None = None) -> dict[str, Any]:
    """Render one spec object through its template and parse the result back."""
    name = _TEMPLATE_FOR[type(manifest)] + TEMPLATE_SUFFIX
    try:
        text = environment(team_templates).get_template(name).render(obj=manifest)
    except jinja2.TemplateError as error:
        if team_templates is not None:
            raise UsageError(f"--templates: {name}: {_jinja_message(error)}") from error
        raise TemplateError(f"template {name}: {error}") from error
    where = f"--templates: {name}" if team_templates is not None else f"template {name}"
    failure = UsageError if team_templates is not None else TemplateError
    try:
        document = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise failure(f"{where} rendered invalid YAML: {error}") from error
    if not isinstance(document, dict):
        raise failure(f"{where} rendered {type(document).__name__}, not an object")
    if isinstance(manifest, Pod | Deployment) and manifest.template.overrides:
        spec = document.get("spec", {})
        pod_spec = (
            spec.get("template", {}).get("spec") if isinstance(manifest, Deployment) else spec
        )
        if not isinstance(pod_spec, dict):
            raise TemplateError(f"template {name} rendered no pod spec to apply overrides to")
        merge_overrides(pod_spec, manifest.template.overrides)
    return document


def _jinja_message(error: jinja2.TemplateError) -> str:
    line = getattr(error, "lineno", None)
    where = f"line {line}: " if line else ""
    return f"{where}{error.message or type(error).__name__}"


def merge_overrides(base: dict[str, Any], patch: Mapping[str, Any]) -> None:
    """Merge `patch` into `base` in place, like a strategic merge patch on a pod spec.

    Maps merge key by key and `null` removes a key (as in a JSON merge patch); lists of maps
    that all have a `name` (containers, volumes, env) merge item by item on that name, new
    names appended; any other value replaces what was there.
    """
    for key, value in patch.items():
        current = base.get(key)
        if value is None:
            base.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(current, dict):
            merge_overrides(current, value)
        elif isinstance(current, list) and _named_list(value) and _named_list(current):
            by_name = {item["name"]: item for item in current}
            for item in value:
                if item["name"] in by_name:
                    merge_overrides(by_name[item["name"]], item)
                else:
                    current.append(_plain(item))
        else:
            base[key] = _plain(value)


def _named_list(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, Mapping) and "name" in item for item in value)
    )


def _plain(value: Any) -> Any:
    """A deep copy made of plain dicts and lists, so later merges never touch the request."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
