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

from podgen._errors import TemplateError
from podgen._spec import Deployment, Manifest, Pod, Service

#: The one template suffix.
TEMPLATE_SUFFIX = ".yaml.j2"

_TEMPLATE_FOR = {Pod: "pod", Deployment: "deployment", Service: "service"}


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
def environment() -> jinja2.Environment:
    """The one Jinja environment for podgen's own templates."""
    folder = resources.files("podgen.templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - output is YAML; values are escaped by `quote`
    )
    env.filters["quote"] = quote
    return env


def render(manifest: Manifest) -> dict[str, Any]:
    """Render one spec object through its template and parse the result back."""
    name = _TEMPLATE_FOR[type(manifest)] + TEMPLATE_SUFFIX
    try:
        text = environment().get_template(name).render(obj=manifest)
    except jinja2.TemplateError as error:
        raise TemplateError(f"template {name}: {error}") from error
    try:
        document = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise TemplateError(f"template {name} rendered invalid YAML: {error}") from error
    if not isinstance(document, dict):
        raise TemplateError(f"template {name} rendered {type(document).__name__}, not an object")
    return document


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
