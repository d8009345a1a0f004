r"""A JSON writer that produces what `kubectl ... -o json` produces, byte for byte.

kubectl calls Go's `json.MarshalIndent(obj, "", "    ")` on the typed object: struct fields in
declaration order (see `_gotypes`), map keys byte-sorted, a 4-space indent, `{}`/`[]` for empty
collections, and Go's string escaping (`<`, `>`, `&`, U+2028 and U+2029 as `\\u` escapes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from podgen._io.emit._gotypes import GO_TYPES, MAP

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


def _ordered_keys(mapping: Mapping[str, object], go_type: str | None) -> list[str]:
    fields = GO_TYPES.get(go_type or "")
    if fields is None:
        return sorted(mapping, key=lambda k: k.encode("utf-8"))
    known = [k for k in fields if k in mapping]
    # Fields podgen has no table entry for keep a stable, sorted place after the known ones.
    extra = sorted((k for k in mapping if k not in fields), key=lambda k: k.encode("utf-8"))
    return known + extra


def _write(node: object, go_type: str | None, depth: int, out: list[str]) -> None:
    if isinstance(node, Mapping):
        if not node:
            out.append("{}")
            return
        fields = GO_TYPES.get(go_type or "", {})
        pad = "\n" + _INDENT * (depth + 1)
        out.append("{")
        for index, key in enumerate(_ordered_keys(node, go_type)):
            out.append(("," if index else "") + pad + _go_string(key) + ": ")
            child = fields.get(key, MAP) if go_type and go_type != MAP else MAP
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
    elif node is None:
        out.append("null")
    elif isinstance(node, bool):
        out.append("true" if node else "false")
    elif isinstance(node, int):
        out.append(str(node))
    else:
        raise TypeError(f"cannot emit {type(node).__name__} as JSON")


def dump_json(document: Mapping[str, object]) -> str:
    """Write one object the way `kubectl -o json` writes it, with its trailing newline."""
    kind = document.get("kind")
    out: list[str] = []
    _write(document, kind if isinstance(kind, str) and kind in GO_TYPES else MAP, 0, out)
    out.append("\n")
    return "".join(out)
