"""What a key means and what may be typed at the cursor: hover texts and completions.

A Kubernetes object's fields come from the stored API documentation of the release that
`podgen explain` prints (`_explaining.store`, and the schemas the API server would publish
for the CRDs known), and a field's hover is `kubectl explain KIND.PATH`'s text, for the field
in its place: an init container's `restartPolicy` is not the Pod's. A blueprint's words and
podgen.yaml's keys come from podgen's own JSON Schemas, which `podgen schema` prints.
"""

from __future__ import annotations

from podgen._model.objects import API_VERSION
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from podgen._lsp.outline import Place

_REF = "#/components/schemas/"


class Suggestion(NamedTuple):
    """One completion: the text, a short detail (its type) and its documentation."""

    label: str
    detail: str
    documentation: str
    #: a field (its key and a colon are inserted), else a value
    field: bool
    #: the value as YAML writes it, if not the label read as a string (`1` for an integer)
    insert: str = ""


def insert_text(suggestion: Suggestion, place: Place) -> str:
    """What accepting it writes at `place`: `key: `, or the value.

    A value is quoted where YAML would misread it (escaped if it goes between quotes), and
    spaced from its key's colon and from a comment right after it; a key put before a flow
    map's next key is followed by a comma.
    """
    if suggestion.field:
        return f"{_plain(suggestion.label)}: {place.tail}"
    if place.quoted == '"':
        import json

        value = json.dumps(suggestion.label)[1:-1]
    elif place.quoted:
        value = suggestion.label.replace("'", "''")
    else:
        value = suggestion.insert or _plain(suggestion.label)
    return place.lead + value + place.tail


def _plain(word: str) -> str:
    """`word` as YAML reads it back as that string: plain if it can be, else double-quoted."""
    import json

    import yaml

    try:
        if yaml.safe_load(f"{word}: 0") == {word: 0} and yaml.safe_load(word) == word:
            return word
    except yaml.YAMLError:
        pass
    return json.dumps(word)


class Target(NamedTuple):
    """The schemas of a Kubernetes kind: its group version's, and the kind's name among them."""

    schemas: Mapping[str, Any]
    name: str
    group: str
    version: str
    kind: str


def target(
    api_version: str, kind: str, release: str, crds: Sequence[Mapping[str, Any]]
) -> Target | None:
    """The kind's schemas at `release`, from a CRD of `crds` or the built-in documentation."""
    if not api_version or not kind:
        return None
    group, _, version = api_version.rpartition("/")
    if any(_defines(crd, group, kind) for crd in crds):
        from podgen._explaining.crds import crd_schemas, schema_name

        schemas = crd_schemas(crds, api_version, release)
        name = schema_name(group, version, kind)
        return Target(schemas, name, group, version, kind) if name in schemas else None
    from podgen._explaining import store

    if api_version not in store.group_versions(release):
        return None
    built_in = store.kind_schema(release, api_version, kind)
    if built_in is None:
        return None
    return Target(store.schemas(release, api_version), built_in, group, version, kind)


def _defines(crd: Mapping[str, Any], group: str, kind: str) -> bool:
    spec = crd.get("spec")
    if not isinstance(spec, dict):
        return False
    names = spec.get("names")
    return spec.get("group") == group and isinstance(names, dict) and names.get("kind") == kind


def hover(
    place: Place, release: str, crds: Sequence[Mapping[str, Any]], *, markdown: bool = True
) -> str | None:
    """The hover of the key under the cursor (markdown, or plain text if not), or None."""
    if not place.key:
        return None  # on a value, its key's text
    place = _in_word(place) or place
    own = _podgen_schema(place)
    if own is not None:
        node = _podgen_node(own, (*place.parents, place.key))
        return _podgen_text(place.key, node, markdown) if node is not None else None
    found = target(place.api_version, place.kind, release, crds)
    if found is None:
        return None
    from podgen._errors import ExplainError
    from podgen._explaining.plaintext import explain_plaintext

    _, fields, map_key = _walk(found, (*place.parents, place.key))
    if map_key:
        return None  # a key of a map (a label's name): no field of its own
    try:
        text = explain_plaintext(
            found.schemas, found.name, found.group, found.version, found.kind, fields
        )
    except ExplainError:
        return None
    return fenced(text) if markdown else text.rstrip()


def fenced(text: str) -> str:
    """Markdown showing `text` as it is: in a fence longer than any run of backticks in it."""
    import re

    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def complete(place: Place, release: str, crds: Sequence[Mapping[str, Any]]) -> list[Suggestion]:
    """What may be typed at the cursor: the fields of its map, or the values of its key."""
    place = _in_word(place) or place
    own = _podgen_schema(place)
    if own is not None:
        return _podgen_suggestions(own, place)
    if not place.on_key and not place.parents and place.key in ("apiVersion", "kind"):
        return _kinds(place, release, crds)
    found = target(place.api_version, place.kind, release, crds)
    if found is None:
        if not place.parents and place.on_key:
            return [_top(key) for key in ("apiVersion", "kind") if key not in place.siblings]
        return []
    node, _, _ = _walk(found, place.parents)
    if place.on_key:
        properties = (node or {}).get("properties", {}) if isinstance(node, dict) else {}
        return [
            Suggestion(name, _type(field, found.schemas), _description(field, found.schemas), True)
            for name, field in sorted(properties.items())
            if name not in place.siblings or name == place.key
        ]
    field = _property(node, place.key)
    extra = node.get("additionalProperties") if isinstance(node, dict) else None
    if field is None and isinstance(extra, dict):
        field = extra  # a map's value
    return _values(field, found.schemas)


def _walk(found: Target, keys: Sequence[str]) -> tuple[Any, list[str], bool]:
    """The schema the keys lead to, the fields kubectl explain names them by, and more.

    And whether the last key is a map's own (kubectl walks through a map's values, not
    through their keys: `spec.nestedMap.weight`, not `spec.nestedMap.east.weight`).
    """
    node: Any = _resolved(found.schemas.get(found.name), found.schemas)
    fields: list[str] = []
    map_key = False
    for key in keys:
        field = _property(node, key)
        extra = node.get("additionalProperties") if isinstance(node, dict) else None
        map_key = field is None and isinstance(extra, dict)
        if map_key:
            node = _resolved(extra, found.schemas)
        else:
            fields.append(key)
            node = _resolved(field, found.schemas)
    return node, fields, map_key


def _top(key: str) -> Suggestion:
    return Suggestion(key, "string", "", True)


def _kinds(place: Place, release: str, crds: Sequence[Mapping[str, Any]]) -> list[Suggestion]:
    """`apiVersion:`'s group versions (those serving the kind written), or `kind:`'s kinds."""
    from podgen._explaining import store
    from podgen._explaining.crds import crd_resources

    resources = [*store.resources(release), *crd_resources(list(crds))]
    if place.key == "apiVersion":
        kind = place.kind
        names = [r.group_version for r in resources if not kind or r.kind == kind]
    else:
        api_version = place.api_version
        names = [r.kind for r in resources if not api_version or r.group_version == api_version]
    return [Suggestion(name, place.key, "", False) for name in sorted(set(names))]


def _values(field: Any, schemas: Mapping[str, Any]) -> list[Suggestion]:
    node = _resolved(field, schemas, items=False)
    if not isinstance(node, dict):
        return []
    enum = node.get("enum")
    if isinstance(enum, list):
        return [_value(value, "enum") for value in enum]
    if node.get("type") == "boolean":
        return [_value(value, "boolean") for value in (True, False)]
    return []


def _value(value: Any, detail: str) -> Suggestion:
    """A value to complete: a string as it is, else as JSON (and YAML) writes it."""
    import json

    if isinstance(value, str):
        return Suggestion(value, detail, "", False)
    written = json.dumps(value)
    return Suggestion(written, detail, "", False, written)


def _resolved(node: Any, schemas: Mapping[str, Any], *, items: bool = True) -> Any:
    """A schema with its `$ref` (or one-item `allOf`) followed, and an array's items if asked."""
    for _ in range(50):
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        all_of = node.get("allOf")
        if not ref and isinstance(all_of, list) and len(all_of) == 1:
            ref = all_of[0].get("$ref") if isinstance(all_of[0], dict) else None
        if isinstance(ref, str) and ref.startswith(_REF):
            node = schemas.get(ref.removeprefix(_REF))
        elif items and isinstance(node.get("items"), dict):
            node = node["items"]
        else:
            return node
    return None


def _property(node: Any, key: str) -> Any:
    if not isinstance(node, dict):
        return None
    properties = node.get("properties")
    return properties.get(key) if isinstance(properties, dict) else None


def _type(field: Any, schemas: Mapping[str, Any]) -> str:
    node = _resolved(field, schemas, items=False)
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    if kind == "array":
        items = _resolved(node.get("items"), schemas, items=False)
        inner = items.get("type", "Object") if isinstance(items, dict) else "Object"
        return f"[]{inner if inner != 'object' else 'Object'}"
    if kind == "object" or (kind is None and node.get("properties")):
        return "Object" if node.get("properties") else "map"
    return str(kind or "Object")


def _description(field: Any, schemas: Mapping[str, Any]) -> str:
    if isinstance(field, dict) and field.get("description"):
        return str(field["description"])
    node = _resolved(field, schemas, items=False)
    return str(node.get("description", "")) if isinstance(node, dict) else ""


def _in_word(place: Place) -> Place | None:
    """Inside a blueprint pod's word for an API field, the place in the object it writes.

    `affinity:`, `volumes:`, `livenessProbe:`...: the word's own path (`words.WORDS`) in the
    object the pod's kind writes (a CronJob's `affinity` is its pod template's); `overrides:`
    is the pod spec itself.
    """
    parents = place.parents
    if place.api_version != API_VERSION or place.kind != "Blueprint" or len(parents) < 2:
        return None
    from podgen._model.spec import Kind
    from podgen._model.words import WORDS, Word

    word = next((w for w in WORDS if w.key == parents[1]), None)
    if parents[1] == "overrides":  # pod spec fields, merged into the pod spec
        word = Word("overrides", "", (), {})
    kind = next((k for k in Kind if k.value == (place.item_kind or "pod")), None)
    if parents[0] != "pods" or word is None or kind is None or kind not in word.for_kinds:
        return None
    job = ("spec", "jobTemplate", "spec") if kind is Kind.CRONJOB else ("spec",)
    pod = ("spec",) if kind is Kind.POD else (*job, "template", "spec")
    base = {"pod": pod, "job": job}.get(word.where, ("spec",))
    path = (*base, *(key for key in word.path if isinstance(key, str)), *parents[2:])
    api_version = "batch/v1" if kind.is_batch else "apps/v1" if kind.is_controller else "v1"
    return place._replace(parents=path, api_version=api_version, kind=kind.object_kind)


def _podgen_schema(place: Place) -> dict[str, Any] | None:
    """Podgen's JSON Schema for a blueprint or podgen.yaml (not an `objects:` item's)."""
    if place.api_version != API_VERSION or place.parents[:1] == ("objects",):
        return None
    if place.kind == "Project":
        from podgen._commands.project_schema import project_schema

        return project_schema()
    from podgen._blueprint.schema import SCHEMA

    return SCHEMA


def _podgen_node(schema: dict[str, Any], path: Sequence[str]) -> dict[str, Any] | None:
    node: Any = schema
    for key in path:
        node = _podgen_property(node, key)
        if node is None:
            return None
    return node if isinstance(node, dict) else None


def _podgen_property(node: Any, key: str) -> Any:
    """The schema of `key` in a map schema, through arrays, `oneOf` and map values."""
    for _ in range(10):
        if not isinstance(node, dict):
            return None
        if isinstance(node.get("items"), dict):
            node = node["items"]
            continue
        if isinstance(node.get("properties"), dict) and key in node["properties"]:
            return node["properties"][key]
        for option in node.get("oneOf", ()):
            found = _podgen_property(option, key)
            if found is not None:
                return found
        extra = node.get("additionalProperties")
        return extra if isinstance(extra, dict) else None
    return None


def _podgen_text(key: str, node: dict[str, Any], markdown: bool = True) -> str:
    kind = _podgen_type(node)
    if markdown:
        text = f"**{key}** `{kind}`" if kind else f"**{key}**"
    else:
        text = f"{key} <{kind}>" if kind else key
    description = node.get("description")
    if description:
        text += f"\n\n{description}"
    enum = node.get("enum")
    if isinstance(enum, list):
        shown = (f"`{value}`" if markdown else str(value) for value in enum)
        text += "\n\nOne of: " + ", ".join(shown)
    return text


def _podgen_type(node: dict[str, Any]) -> str:
    kind = node.get("type")
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind)
    if kind == "array":
        items = node.get("items")
        inner = _podgen_type(items) if isinstance(items, dict) else ""
        return f"[]{inner}" if inner else "array"
    if kind:
        return str(kind)
    if "enum" in node:
        return "string"
    if "oneOf" in node:
        return " or ".join(filter(None, (_podgen_type(o) for o in node["oneOf"]))) or ""
    return ""


def _podgen_suggestions(schema: dict[str, Any], place: Place) -> list[Suggestion]:
    if place.on_key:
        node: Any = schema
        for key in place.parents:
            node = _podgen_property(node, key)
        while isinstance(node, dict) and isinstance(node.get("items"), dict):
            node = node["items"]
        properties: dict[str, Any] = {}
        if isinstance(node, dict):
            for option in [node, *node.get("oneOf", ())]:
                if isinstance(option, dict) and isinstance(option.get("properties"), dict):
                    properties.update(option["properties"])
        return [
            Suggestion(name, _podgen_type(field), str(field.get("description", "")), True)
            for name, field in sorted(properties.items())
            if isinstance(field, dict) and (name not in place.siblings or name == place.key)
        ]
    found = _podgen_node(schema, (*place.parents, place.key))
    if found is None:
        return []
    values: list[Any] = []
    for option in [found, *found.get("anyOf", ()), *found.get("oneOf", ())]:
        if isinstance(option, dict):
            values += option.get("enum") or ([option["const"]] if "const" in option else [])
    if found.get("type") == "boolean":
        values = [True, False]
    return [_value(value, "value") for value in values]
