"""What templates call: `quote`, which writes any value as YAML data, and Jinja's `indent`.

Both podgen's compiled templates (podgen/_rendering/compiled_templates.py) and the Jinja
environment for team templates (podgen/_rendering/jinja.py) use these, so the two render the
same text. This module imports nothing heavy: it is on the path of every `podgen new`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum

from podgen._errors import TemplateError


def quote(value: object) -> str:
    """Write `value` as YAML flow data: strings double-quoted with every non-ASCII escaped.

    No value can add a field or a line: the output never holds a line break, and strings
    are always quoted.
    """
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
        return "{" + ", ".join(_flow_entry(quote(k), quote(v)) for k, v in value.items()) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(quote(v) for v in value) + "]"
    raise TemplateError(f"quote: cannot write a {type(value).__name__} into a template")


def _flow_entry(key: str, value: str) -> str:
    """One `key: value` of a flow map; a key too long to be implicit is written explicit.

    YAML reads an implicit key only within 1024 characters (PyYAML refuses a longer one); the
    checks refuse such keys later, but what a template writes must still read as data.
    """
    return f"{key}: {value}" if len(key) <= 1000 else f"? {key}: {value}"


def _double_quoted(value: str) -> str:
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'  # the common case, without a loop over the characters
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


def indent(text: str, width: int = 4, first: bool = False, blank: bool = False) -> str:
    """Jinja's `indent` filter (jinja2.filters.do_indent), for plain strings."""
    indention = " " * width
    text += "\n"  # as Jinja does, so splitlines() keeps a trailing empty line
    if blank:
        result = ("\n" + indention).join(text.splitlines())
    else:
        lines = text.splitlines()
        result = lines.pop(0)
        if lines:
            result += "\n" + "\n".join(indention + line if line else line for line in lines)
    return indention + result if first else result
