r"""A JSON writer that produces what `kubectl ... -o json` produces, byte for byte.

kubectl calls Go's `json.MarshalIndent(obj, "", "    ")` on the typed object: struct fields in
declaration order (see `_gotypes`), map keys byte-sorted, a 4-space indent, `{}`/`[]` for empty
collections, and Go's string escaping (`<`, `>`, `&`, U+2028 and U+2029 as `\\u` escapes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from podgen._io.emit._gotypes import GO_TYPES, MAP, fields_in_order, scalar

_INDENT = "    "
_NAMED = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _go_string(s: str) -> str:
    out = ['"']
    for c in s:
        named = _NAMED.get(c)
        if named is not None:
            out.append(named)
        elif c < " " or c in "<>&\u2028\u2029":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _write(node: object, go_type: str | None, depth: int, out: list[str]) -> None:
    if isinstance(node, Mapping):
        if not node:
            out.append("{}")
            return
        pad = "\n" + _INDENT * (depth + 1)
        out.append("{")
        for index, (key, child) in enumerate(fields_in_order(node, go_type)):
            out.append(("," if index else "") + pad + _go_string(key) + ": ")
            _write(node[key], child, depth + 1, out)
        out.append("\n" + _INDENT * depth + "}")
    elif isinstance(node, Sequence) and not isinstance(node, str):
        if not node:
            out.append("[]")
            return
        pad = "\n" + _INDENT * (depth + 1)
        out.append("[")
        for index, item in enumerate(node):
            out.append(("," if index else "") + pad)
            _write(item, go_type, depth + 1, out)
        out.append("\n" + _INDENT * depth + "]")
    elif isinstance(node, str):
        out.append(_go_string(node))
    else:
        out.append(scalar(node, "JSON"))


def dump_json(document: Mapping[str, object]) -> str:
    """Write one object the way `kubectl -o json` writes it, with its trailing newline."""
    kind = document.get("kind")
    out: list[str] = []
    _write(document, kind if isinstance(kind, str) and kind in GO_TYPES else MAP, 0, out)
    out.append("\n")
    return "".join(out)
