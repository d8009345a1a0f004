"""What `kubectl explain --output plaintext-openapiv2` prints, from the same OpenAPI v3 schemas.

That is kubectl's older printer (explain/model_printer.go and its neighbours), which walks the
server's OpenAPI v2 document as kube-openapi's proto models: a Kind (an object with fields), a
Map, an Array, a Primitive, a Reference, or an Arbitrary value. The v3 schemas are read into the
same models here (a v3 `allOf` of one `$ref` is v2's `$ref` beside a description), and the
printer's rules follow: `KIND:`/`VERSION:` with the group in the version, `RESOURCE:` or
`FIELD:`, every description met on the way (each a paragraph), its own wrapping (80 columns,
lines joined, code blocks and lists kept), `<Object>` for any kind, and --recursive without
the `-required-` marks.
"""

from __future__ import annotations

import re

from podgen._errors import ExplainError
from podgen._explaining.gotext import fields as go_fields
from podgen._explaining.gotext import trim_space, value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    Schema = Mapping[str, Any]

_PREFIX = "#/components/schemas/"
#: Indentation of the fields, of descriptions, and of each level of --recursive.
_FIELDS, _DESCRIPTION, _PER_FIELD, _PER_LEVEL = 3, 5, 2, 3
#: The printer's page width: text wraps at 80 less the indentation.
_WIDTH = 80
#: A line that starts a list (Go's \d and \s are ASCII).
_BULLET = re.compile(r"^([0-9]+\.?|-|\*)[\t\n\f\r ]")


def explain_openapiv2(
    schemas: Mapping[str, dict[str, Any]],
    schema_name: str,
    group: str,
    version: str,
    kind: str,
    fields: Sequence[str],
    *,
    recursive: bool = False,
    max_depth: int | None = None,
) -> str:
    """The plaintext-openapiv2 page kubectl explain prints for `kind` at the path `fields`.

    Raises ExplainError for the first field of the path that does not exist (kubectl prints
    nothing before it); a path that goes on past a string or a free-form value explains that
    value under the path's last name, as kubectl does.
    """
    models = _Models(schemas)
    root = schemas.get(schema_name)
    if root is None:
        raise ExplainError(f'couldn\'t find resource for "{group}/{version}, Kind={kind}"')
    found = models.lookup(models.node(root), tuple(fields))
    group_version = f"{group}/{version}" if group else version
    page = _Printer(models, kind, group_version, fields[-1] if fields else "")
    page.model(found, recursive, max_depth or 0)
    return "".join(page.out)


class _Node:
    """One proto model: its sort, description, and what it holds."""

    __slots__ = ("description", "kind", "properties", "ref", "required", "schema", "sub", "type")

    def __init__(self, kind: str, schema: Schema) -> None:
        self.kind = kind  # "kind", "map", "array", "primitive", "reference", "arbitrary"
        self.schema = schema
        text = schema.get("description")
        self.description = text if isinstance(text, str) else ""
        self.type = value(schema.get("type") or "")
        self.ref = ""
        self.sub: Schema | None = None
        self.properties: Mapping[str, Schema] = {}
        self.required: list[str] = []


class _Models:
    """The document's schemas as proto models, the way kube-openapi parses a v2 schema."""

    def __init__(self, schemas: Mapping[str, dict[str, Any]]) -> None:
        self.schemas = schemas

    def node(self, schema: Schema) -> _Node:
        """kube-openapi's ParseSchema: a reference first, then by `type` and `properties`."""
        every: Sequence[Schema] = schema.get("allOf") or []
        # v2 puts a description beside a `$ref`; v3 wraps the `$ref` in an allOf for that.
        ref = schema.get("$ref") or (len(every) == 1 and every[0].get("$ref"))
        if ref:
            node = _Node("reference", schema)
            node.ref = str(ref)
            return node
        schema = _as_v2(schema)
        kind = schema.get("type")
        if not kind and schema.get("oneOf") and not schema.get("x-kubernetes-int-or-string"):
            # IntOrString and Quantity are `oneOf` in v3 and a string in v2.
            node = _Node("primitive", schema)
            node.type = "string"
            return node
        if not kind:
            sort = "kind" if "properties" in schema else "arbitrary"
        elif kind == "object":
            sort = "kind" if "properties" in schema else "map"
        else:
            sort = "array" if kind == "array" else "primitive"
        node = _Node(sort, schema)
        if sort == "kind":
            node.properties = schema.get("properties") or {}
            required = schema.get("required")
            node.required = required if isinstance(required, list) else []
        elif sort == "array":
            node.sub = schema.get("items") or {}
        elif sort == "map":
            extra = schema.get("additionalProperties")
            node.sub = extra if isinstance(extra, dict) else None
        return node

    def inner(self, node: _Node) -> _Node:
        """What a reference, an array or a map holds."""
        if node.kind == "reference":
            name = node.ref[len(_PREFIX) :] if node.ref.startswith(_PREFIX) else ""
            target = self.schemas.get(name)
            if target is None:
                raise ExplainError(f"unknown model in reference: {node.ref!r}")
            return self.node(target)
        if node.sub is None:
            # A map of true, or of nothing said: values of any sort, described as the map is.
            return _Node("arbitrary", node.schema)
        return self.node(node.sub)

    def type_name(self, node: _Node) -> str:
        """typename.go: `[]`, `map[string]`, `Object` for a kind, nothing for free-form."""
        if node.kind == "array":
            return "[]" + self.type_name(self.inner(node))
        if node.kind == "map":
            return "map[string]" + self.type_name(self.inner(node))
        if node.kind == "reference":
            return self.type_name(self.inner(node))
        return {"kind": "Object", "primitive": node.type}.get(node.kind, "")

    def lookup(self, node: _Node, path: tuple[str, ...]) -> _Node:
        """field_lookup.go: follow the path; a primitive or free-form value ends it early."""
        while path:
            if node.kind in ("primitive", "arbitrary"):
                return node
            if node.kind == "kind":
                field = node.properties.get(path[0])
                if field is None:
                    raise ExplainError(f'field "{path[0]}" does not exist')
                node, path = self.node(field), path[1:]
            else:
                node = self.inner(node)
        return node


def _as_v2(schema: Schema) -> Schema:
    """A custom resource's schema as the API server publishes it in OpenAPI v2.

    apiextensions' ToStructuralOpenAPIV2 drops what kubectl's v2 models cannot take: a
    nullable value loses its type, items and properties; one that keeps unknown fields loses
    its items and properties, and its type if an object; an array left without items loses
    its type; a nullable field is no longer required. No built-in schema has these marks.
    """
    nullable = schema.get("nullable") is True
    keeps_unknown = schema.get("x-kubernetes-preserve-unknown-fields") is True
    properties = schema.get("properties")
    extra = schema.get("additionalProperties")
    loose = isinstance(properties, dict) and any(
        isinstance(field, dict) and field.get("nullable") is True for field in properties.values()
    )
    loose_values = isinstance(extra, dict) and extra.get("nullable") is True
    if not (nullable or keeps_unknown or loose or loose_values):
        return schema
    changed = dict(schema)
    if nullable:
        changed.pop("type", None)
    if nullable or keeps_unknown:
        changed.pop("items", None)
        changed.pop("properties", None)
    if changed.get("type") == "array" and "items" not in changed:
        changed.pop("type")
    if keeps_unknown and changed.get("type") == "object":
        changed.pop("type")
    if loose_values:
        changed.pop("required", None)
    elif loose and isinstance(properties, dict) and isinstance(changed.get("required"), list):
        changed["required"] = [
            name
            for name in changed["required"]
            if not (isinstance(properties.get(name), dict) and properties[name].get("nullable"))
        ]
    return changed


class _Printer:
    """model_printer.go with the fields printers, writing lines into `out`."""

    def __init__(self, models: _Models, kind: str, group_version: str, name: str) -> None:
        self.models = models
        self.kind = kind
        self.group_version = group_version
        self.name = name
        self.out: list[str] = []

    def write(self, text: str, shift: int = 0) -> None:
        """Formatter.Write: one line, indented unless it is empty."""
        self.out.append(" " * shift + text + "\n" if text else "\n")

    def wrapped(self, text: str, shift: int) -> None:
        """Formatter.WriteWrapped: the text's lines as kubectl's wrapString makes them."""
        for line in _wrap(text, _WIDTH - shift):
            self.write(line, shift)

    def model(self, node: _Node, recursive: bool, max_depth: int) -> None:
        """modelPrinter: collect descriptions down to a kind, a primitive or a free value."""
        descriptions: list[str] = []
        shown = ""
        while node.kind in ("reference", "array", "map"):
            descriptions.append(node.description)
            if node.kind != "reference" and not shown:
                shown = self.models.type_name(node)
            node = self.models.inner(node)
        self.write(f"KIND:     {self.kind}")
        self.write(f"VERSION:  {self.group_version}\n")
        if node.kind == "kind":
            if self.name:
                self.write(f"RESOURCE: {self.name} <{shown or 'Object'}>\n")
            self.describe([*descriptions, node.description])
            self.write("\nFIELDS:")
            if recursive:
                self.recursive_fields(node, _FIELDS, set(), 1, max_depth)
            else:
                self.fields(node)
        elif node.kind == "primitive":
            self.write(f"FIELD:    {self.name} <{shown or node.type}>\n")
            self.describe([*descriptions, node.description])
        else:
            self.describe([*descriptions, node.description])

    def describe(self, descriptions: list[str]) -> None:
        """PrintDescription: each description a paragraph (the blank line counts skipped ones)."""
        self.write("DESCRIPTION:")
        empty = True
        for index, text in enumerate(descriptions):
            if not text:
                continue
            empty = False
            if index:
                self.write("")
            self.wrapped(text, _DESCRIPTION)
        if empty:
            self.wrapped("<empty>", _DESCRIPTION)

    def fields(self, node: _Node) -> None:
        """regularFieldsPrinter: each field, its type, `-required-` and its own description."""
        while node.kind in ("reference", "array", "map"):
            node = self.models.inner(node)
        if node.kind != "kind":
            return
        for name in sorted(node.properties):
            field = self.models.node(node.properties[name])
            required = " -required-" if name in node.required else ""
            self.write(f"{name}\t<{self.models.type_name(field)}>{required}", _FIELDS)
            self.wrapped(field.description, _FIELDS + _PER_FIELD)
            self.write("")

    def recursive_fields(
        self, node: _Node, shift: int, visiting: set[str], level: int, max_depth: int
    ) -> None:
        """recursiveFieldsPrinter: names and types only, a reference not entered twice."""
        while node.kind in ("reference", "array", "map"):
            if node.kind == "reference":
                if node.ref in visiting:
                    return
                inner = self.models.inner(node)
                self.recursive_fields(inner, shift, visiting | {node.ref}, level, max_depth)
                return
            node = self.models.inner(node)
        if node.kind != "kind":
            return
        for name in sorted(node.properties):
            field = self.models.node(node.properties[name])
            self.write(f"{name}\t<{self.models.type_name(field)}>", shift)
            if not max_depth or level < max_depth:
                self.recursive_fields(field, shift + _PER_LEVEL, visiting, level + 1, max_depth)


def _wrap(text: str, width: int) -> list[str]:
    """formatter.go's wrapString: lines joined into paragraphs, then filled to `width` bytes.

    A line indented by four spaces (code) is kept as it is; a blank line is kept once a line
    has been written; a line after one ending in `:`, or one that starts a list, starts anew.
    """
    lines: list[str] = []
    words: list[str] = []
    last = ""

    def flush() -> None:
        nonlocal words, last
        if words:
            last = ""
            lines.append(" ".join(words))
            words = []

    for line in text.split("\n"):
        if line.startswith("    "):
            flush()
            lines.append(line)
            continue
        if lines and not trim_space(line):
            flush()
            lines.append("")
            continue
        if _new_line(last, line):
            flush()
        for word in go_fields(line):
            last = word
            if words and len(" ".join([*words, word]).encode()) > width:
                flush()
            words.append(word)
    flush()
    return lines


def _new_line(last: str, line: str) -> bool:
    """shouldStartNewLine: after a `:`, at code, a blank line or the start of a list."""
    if last.endswith(":") or line.startswith("    "):
        return True
    stripped = trim_space(line)
    return not stripped or bool(_BULLET.match(stripped))
