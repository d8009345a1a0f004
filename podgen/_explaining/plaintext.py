"""What `kubectl explain` prints by default (`--output plaintext`), from OpenAPI v3 schemas.

kubectl 1.37 renders a Go template (explain/v2/templates/plaintext.tmpl) over the server's
`/openapi/v3` document of the group version. Each of its parts is a function here, with the
template's own rules, quirks included: a field path is followed through `$ref`, `allOf`, array
items and map values; a description is the field's own followed by those of the schemas it
points to; `--recursive` lists fields without descriptions and stops at a schema already met
on the way down; `--max-depth` stops listing below a level.
"""

from __future__ import annotations

from podgen._errors import ExplainError, ExplainFieldError
from podgen._explaining.gotext import indent, value, word_wrap

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    Schema = Mapping[str, Any]

_PREFIX = "#/components/schemas/"


def explain_plaintext(
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
    """The plaintext kubectl explain prints for `kind` (schema `schema_name`), at the path `fields`.

    Raises ExplainFieldError (an ExplainError whose `stdout` is the header kubectl printed
    before it stopped) for a field that does not exist, naming the path's last field as
    kubectl does; ExplainError where the kind has no schema.
    """
    header = (f"GROUP:      {group}\n" if group else "") + f"KIND:       {kind}\n"
    header += f"VERSION:    {version}\n\n"
    schema = schemas.get(schema_name)
    if not schema:
        raise ExplainError(
            f"GVK map[group:{group} kind:{kind} version:{version}] not found in OpenAPI schema"
        )
    page = _Page(schemas, recursive, max_depth or 0)
    body = page.output(schema, frozenset(), tuple(fields))
    if not body:
        raise ExplainFieldError(f'field "{fields[-1]}" does not exist', header)
    return header + body + "\n"


def check_max_depth(recursive: bool, max_depth: int | None) -> None:
    """The checks kubectl makes of --max-depth (exit 1), before it looks the resource up.

    Only a missing argument is reported before these; a negative depth before a missing
    --recursive.
    """
    if max_depth is not None and max_depth < 0:
        raise ExplainError("--max-depth must be non-negative")
    if max_depth and not recursive:
        raise ExplainError("--max-depth requires --recursive")


class _Page:
    """One explain run: the document, and the flags every template part reads."""

    def __init__(self, schemas: Mapping[str, dict[str, Any]], recursive: bool, depth: int):
        self.schemas = schemas
        self.recursive = recursive
        self.max_depth = depth

    def resolve(self, ref: object) -> Schema | None:
        """The schema a `$ref` names in this document (None for any other reference)."""
        if not isinstance(ref, str) or not ref.startswith(_PREFIX):
            return None
        target = self.schemas.get(ref[len(_PREFIX) :])
        return target if isinstance(target, dict) else None

    def resolved(self, schema: Schema) -> Schema:
        """The schema its `$ref` names, or itself (the template's `or (resolveRef ...) .`)."""
        return self.resolve(schema.get("$ref")) or schema

    def output(self, schema: Schema, history: frozenset[str], path: tuple[str, ...]) -> str:
        """The template's "output": follow `path`, then the description and the field list."""
        ref = schema.get("$ref") or ""
        seen = history | {ref}
        resolved = self.resolved(schema)
        if not path:
            text = "DESCRIPTION:\n"
            text += indent(4, word_wrap(self.description(resolved) or "<empty>", 76)) + "\n"
            docs = _external_docs(resolved)
            if docs:
                text += "\n" + docs
            listing = self.field_list(resolved, 1, frozenset())
            if listing:
                text += "FIELDS:\n" + listing
            return text
        if ref and ref in history:
            return ""  # a cycle
        properties = resolved.get("properties")
        if properties and properties.get(path[0]):
            field = properties[path[0]]
            text = ""
            if len(path) == 1:
                text = f"FIELD: {path[0]} <{self.type_guess(field)}>\n"
                text += _enum(field, long=True, limit=-1) + "\n\n"
            return text + self.output(field, frozenset(), path[1:])
        if resolved.get("items"):
            return self.output(resolved["items"], seen, path)
        if _map_value(resolved):
            return self.output(resolved["additionalProperties"], seen, path)
        for alternative in resolved.get("allOf") or ():
            text = self.output(alternative, seen, path)
            if text:
                return text
        return ""

    def field_list(self, schema: Schema, level: int, history: frozenset[str]) -> str:
        """The template's "fieldList": each property, and with --recursive theirs, indented."""
        ref = schema.get("$ref") or ""
        if ref and ref in history:
            return ""  # a cycle
        seen = history | {ref}
        resolved = self.resolved(schema)
        text = ""
        properties = resolved.get("properties") or {}
        deeper = self.recursive and (not self.max_depth or level < self.max_depth)
        for name in sorted(properties):
            text += self.field_detail(name, resolved, level)
            if deeper:
                text += self.field_list(properties[name], level + 1, seen)
        for alternative in resolved.get("allOf") or ():
            text += self.field_list(alternative, level, seen)
        if resolved.get("items"):
            text += self.field_list(resolved["items"], level, seen)
        if _map_value(resolved):
            text += self.field_list(resolved["additionalProperties"], level, seen)
        return text

    def field_detail(self, name: str, schema: Schema, level: int) -> str:
        """The template's "fieldDetail": `name<TAB><type>`, then (not recursive) its text."""
        shift = level * 2
        field = schema["properties"][name]
        required = schema.get("required")
        text = indent(shift, name) + f"\t<{self.type_guess(field)}>"
        if isinstance(required, list) and name in required:
            text += " -required-"
        text += _enum(field, long=False, limit=4, shift=shift) + "\n"
        if self.recursive:
            return text
        description = field.get("description") or "<no description>"
        text += indent(shift + 2, word_wrap(description, 78 - shift)) + "\n"
        docs = field.get("externalDocs")
        if docs:
            text += "\n" + indent(shift + 2, "EXTERNAL DOCS:") + "\n"
            if docs.get("description"):
                text += indent(shift + 4, word_wrap(docs["description"], 76 - shift)) + "\n"
            if docs.get("url"):
                text += indent(shift + 4, "URL: " + value(docs["url"])) + "\n"
        return text + "\n"

    def description(self, schema: Schema) -> str:
        """The template's "description": the schema's text, then those of what it refers to."""
        resolved = self.resolved(schema)
        if not resolved:
            return ""
        text = ""
        if resolved.get("description"):
            text += value(resolved["description"]) + "\n"
        for alternative in resolved.get("allOf") or ():
            text += self.description(alternative)
        if resolved.get("items"):
            text += self.description(resolved["items"])
        if _map_value(resolved):
            text += self.description(resolved["additionalProperties"])
        return text

    def type_guess(self, schema: Schema) -> str:
        """The template's "typeGuess": `string`, `[]Container`, `map[string]string`, `Object`."""
        if not schema:
            raise ExplainError(
                "template: plaintext:1: error calling fail: "
                "expected schema argument to subtemplate 'typeguess'"
            )
        if schema.get("items"):
            return "[]" + self.type_guess(schema["items"])
        if _map_value(schema):
            return "map[string]" + self.type_guess(schema["additionalProperties"])
        every = schema.get("allOf")
        if every and not schema.get("properties") and len(every) == 1:
            return self.type_guess(every[0])
        ref = schema.get("$ref")
        if ref:
            target = self.resolve(ref)
            kind = target.get("type") if target else None
            if not kind or kind == "object":
                return str(ref).split("/")[-1].split(".")[-1] or "Object"
            return value(kind)
        kind = schema.get("type")
        if kind == "object":
            return "Object"
        return value(kind) if kind else "Object"


def _map_value(schema: Schema) -> bool:
    """Whether `additionalProperties` is a schema (not a bare true), as the template tests."""
    extra = schema.get("additionalProperties")
    return bool(extra) and not isinstance(extra, bool)


def _enum(schema: Schema, *, long: bool, limit: int, shift: int = 0) -> str:
    """The template's "extractEnum": `ENUM:` one a line, or `enum: a, b, c, d, ....`."""
    values = schema.get("enum") if schema else None
    if not values:
        return ""
    text = "ENUM:" if long else "\n" + " " * shift + "enum: "
    for index, item in enumerate(values):
        if limit > -1 and index >= limit:
            text += ", ...."
            break
        if long:
            text += "\n    "
        elif index > 0:
            text += ", "
        # A null the template prints by itself is Go's "<no value>" (%v's "<nil>" only inside).
        text += '""' if item == "" else "<no value>" if item is None else value(item)
    return text


def _external_docs(schema: Schema) -> str:
    """The template's "externalDocs" section of a kind or field explained on its own."""
    docs = schema.get("externalDocs")
    if not docs:
        return ""
    text = "EXTERNAL DOCS:\n"
    if docs.get("description"):
        text += indent(4, word_wrap(value(docs["description"]), 76)) + "\n"
    if docs.get("url"):
        text += indent(4, "URL: " + value(docs["url"])) + "\n"
    return text
