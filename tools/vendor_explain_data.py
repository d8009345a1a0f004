"""Regenerate podgen/_explaining/data/: the API documentation `podgen explain` reads, 1.29 to 1.37.

1.36 is taken exactly from the running kube-apiserver (../shared/k8s-apiserver): every group
version's `/openapi/v3/api/v1` or `/openapi/v3/apis/G/V` document (its `components.schemas`)
and its discovery (`/api`, `/apis`, `/api/v1`, `/apis/G/V`). The other releases are rebuilt from
kubernetes-validate's schemas of that release (JSON schema, from the OpenAPI v2 document, which
lost the enums and the "Possible enum values" texts) in the server's v3 shape; a field whose
kubernetes-validate text and type are the same as 1.36's takes 1.36's server schema whole.
Which group versions and kinds a release serves comes from podgen/_checking/api_lifecycle.py.

Files (one JSON value a line, so the reader splits lines and parses only what it is asked for):
- texts.json: every distinct description once, across all releases;
- schemas.json: every distinct schema once, its descriptions replaced by their text's byte
  offset in texts.json;
- release-1.X.json: the release's group versions in discovery's order; discovery's resources;
  then a line a group version: its kinds' schema names, and its document's schema names with
  their byte offset in schemas.json.

Run (the API server must be running): python tools/vendor_explain_data.py [--measure]
`--measure` also rebuilds 1.36 from kubernetes-validate alone and prints how far it is from the
server's documents. tests/test_explain_store.py holds the stored files to the server and to
this script.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from podgen._checking import api_lifecycle  # noqa: E402
from podgen._model import objects, versions  # noqa: E402

FOLDER = ROOT / "podgen" / "_explaining" / "data"
SERVER_RELEASE = "1.36"
_REF = "#/components/schemas/"
#: Schemas every group's document has for its operations though no kind of it refers to them.
_META = "io.k8s.apimachinery.pkg.apis.meta.v1."
#: The meta kinds whose x-kubernetes-group-version-kind names the core group and the document's.
_PER_DOCUMENT = (_META + "DeleteOptions", _META + "WatchEvent")


def kv_definitions(release: str) -> dict[str, Any]:
    """kubernetes-validate's (non-strict) definitions of a release."""
    import kubernetes_validate

    path = (
        Path(kubernetes_validate.__file__).parent
        / "kubernetes-json-schema"
        / f"v{release}.0-local"
        / "_definitions.json"
    )
    definitions: dict[str, Any] = json.loads(path.read_text())["$defs"]
    return definitions


def refs(node: Any) -> Iterator[str]:
    """The schema names a schema refers to (JSONSchemaProps has a property named `$ref`)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value.rpartition("/")[2]
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def closure(names: Iterable[str], schemas: dict[str, Any]) -> set[str]:
    """The names and every schema they reach."""
    seen: set[str] = set()
    todo = [name for name in names if name in schemas]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(ref for ref in refs(schemas[name]) if ref in schemas and ref not in seen)
    return seen


# --- kubernetes-validate's JSON schema in the API server's OpenAPI v3 shape ----------------


def convert(kv: dict[str, Any], kv36: Any, server36: Any, top: bool = False) -> dict[str, Any]:
    """One kubernetes-validate schema in the server's shape; 1.36's where it is the same."""
    if server36 is not None and kv == kv36:
        return copy.deepcopy(server36) if isinstance(server36, dict) else server36
    same_text = isinstance(kv36, dict) and isinstance(server36, dict)
    same_text = same_text and kv36.get("description") == kv.get("description")
    same_text = same_text and kv36.get("type") == kv.get("type")
    out: dict[str, Any] = {}
    ref = kv.get("$ref")
    if "description" in kv:
        out["description"] = server36["description"] if same_text else kv["description"]
    kind = kv.get("type")
    if isinstance(kind, list):
        kind = [t for t in kind if t != "null"]
        kind = kind[0] if len(kind) == 1 else kind
    if kind is not None:
        out["type"] = kind
    if "required" in kv:
        out["required"] = kv["required"]
    if "items" in kv:
        out["items"] = convert(kv["items"], _get(kv36, "items"), _get(server36, "items"))
    if "properties" in kv:
        out["properties"] = {
            name: _property(name, value, kv, _get(kv36, "properties"), _get(server36, "properties"))
            for name, value in kv["properties"].items()
        }
    if isinstance(kv.get("additionalProperties"), dict):
        out["additionalProperties"] = convert(
            kv["additionalProperties"],
            _get(kv36, "additionalProperties"),
            _get(server36, "additionalProperties"),
        )
    for key in ("format", "enum", "default"):
        if key in kv:
            out[key] = kv[key]
        elif same_text and key in server36:
            out[key] = server36[key]
    for key, value in kv.items():
        if key.startswith("x-kubernetes-"):
            out[key] = copy.deepcopy(value)
        elif key in ("oneOf", "allOf", "anyOf"):
            out[key] = [convert(item, None, None) for item in value]
    if ref is not None:
        target = {"$ref": _REF + ref.rpartition("/")[2]}
        if out or top:
            out["allOf"] = [target]
        else:
            out = target
        if same_text and "default" in server36:
            out["default"] = server36["default"]
    return out


def _property(
    name: str, value: dict[str, Any], parent: dict[str, Any], kv36: Any, server36: Any
) -> Any:
    theirs, server = _get(kv36, name), _get(server36, name)
    node = convert(value, theirs, server)
    if name in ("apiVersion", "kind") and "x-kubernetes-group-version-kind" in parent:
        node.pop("enum", None)  # kubernetes-validate pins the kind's own; the server does not
    if (server is None or value != theirs) and name in parent.get("required", ()):
        # A required field is a Go value, not a pointer: the server's OpenAPI gives its zero
        # value as the default (1.36: 320 of 334 required strings, numbers, booleans, structs).
        zero = _ZERO.get(node.get("type") or _ref_type(value))
        if zero is not None and "default" not in node:
            node["default"] = copy.deepcopy(zero)
    return node


_ZERO: dict[str, Any] = {"string": "", "integer": 0, "boolean": False, "object": {}}
#: The kubernetes-validate definitions of the release being converted (for a $ref's type).
_DEFINITIONS: dict[str, Any] = {}


def _ref_type(value: dict[str, Any]) -> str | None:
    ref = value.get("$ref")
    if not isinstance(ref, str):
        return None
    kind = _DEFINITIONS.get(ref.rpartition("/")[2], {}).get("type")
    return "object" if kind in ("object", ["object", "null"]) else None


def _sans_default(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _sans_default(value) for key, value in node.items() if key != "default"}
    if isinstance(node, list):
        return [_sans_default(value) for value in node]
    return node


def _get(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, dict) else None


# --- one release ---------------------------------------------------------------------------


class Release:
    """A release's documents (group version -> schema name -> schema) and its resources."""

    def __init__(
        self,
        documents: dict[str, dict[str, Any]],
        resources: list[list[Any]],
    ) -> None:
        self.documents = documents
        self.resources = resources  #: ApiResource fields, in discovery's order


def from_server() -> Release:
    """1.36 as the running API server serves it."""
    from tests.apiserver import SHARED, ApiServer

    # The shared folder's own script (idempotent), no user input.
    started = subprocess.run(  # noqa: S603
        [str(SHARED / "start.sh")], capture_output=True, text=True, check=True, timeout=240
    )
    server = ApiServer(Path(started.stdout.strip().splitlines()[-1]))

    def get(path: str) -> dict[str, Any]:
        status, payload, _ = server.request("GET", path)
        if status != 200:
            raise SystemExit(f"GET {path}: {status}")
        return payload

    _, version, _ = server.request("GET", "/version")
    if f"{version['major']}.{version['minor']}" != SERVER_RELEASE:
        raise SystemExit(f"the server is {version}, not {SERVER_RELEASE}")
    # Only Kubernetes' own groups: the shared server may serve other sessions' CRDs too.
    built_in = {api_version for api_version, _ in api_lifecycle.table()}
    groups = [
        group
        for group in get("/apis")["groups"]
        if group["preferredVersion"]["groupVersion"] in built_in
    ]
    order = ["v1"] + [item["groupVersion"] for group in groups for item in group["versions"]]
    preferred = {"v1"} | {group["preferredVersion"]["groupVersion"] for group in groups}
    index = get("/openapi/v3")["paths"]
    documents: dict[str, dict[str, Any]] = {}
    resources: list[list[Any]] = []
    for group_version in order:
        path = "api/v1" if group_version == "v1" else f"apis/{group_version}"
        if path not in index:
            raise SystemExit(f"/openapi/v3 lists no {path}")
        documents[group_version] = get(f"/openapi/v3/{path}")["components"]["schemas"]
        group, _, version = group_version.rpartition("/")
        for item in get(f"/{path}")["resources"]:
            if "/" not in item["name"]:
                resources.append(
                    [
                        group,
                        version,
                        item["kind"],
                        item["name"],
                        item.get("singularName", ""),
                        item.get("shortNames", []),
                        item["namespaced"],
                        group_version in preferred,
                    ]
                )
    return Release(documents, resources)


def from_store(release: str = SERVER_RELEASE) -> Release:
    """A release as podgen/_explaining/data/ holds it (1.36: the server's, without a server)."""
    from podgen._explaining import store

    return Release(
        {gv: dict(store.schemas(release, gv)) for gv in store.group_versions(release)},
        [
            [*resource[:5], list(resource.short_names), *resource[6:]]
            for resource in store.resources(release)
        ],
    )


def _version_key(version: str) -> tuple[int, int, int]:
    """Kubernetes' version priority: GA before beta before alpha, higher numbers first."""
    match = re.fullmatch(r"v(\d+)(?:(alpha|beta)(\d+))?", version)
    if match is None:
        return (3, 0, 0)
    stage = {"alpha": 2, "beta": 1, None: 0}[match.group(2)]
    return (stage, -int(match.group(1)), -int(match.group(3) or 0))


def rebuild(release: str, kv: dict[str, Any], kv36: dict[str, Any], server36: Release) -> Release:
    """A release rebuilt from kubernetes-validate's schemas, with 1.36's texts where the same."""
    served = sorted(
        key
        for key in api_lifecycle.served_by_default(release)
        if key not in api_lifecycle.SUBRESOURCES
    )
    group_order = list(dict.fromkeys(gv.rpartition("/")[0] for gv in server36.documents))
    by_group: dict[str, set[str]] = {}
    for api_version, _ in served:
        group, _, version = api_version.rpartition("/")
        by_group.setdefault(group, set()).add(version)
    groups = sorted(
        by_group, key=lambda g: (group_order.index(g) if g in group_order else len(group_order), g)
    )
    order = [
        f"{group}/{version}" if group else version
        for group in groups
        for version in sorted(by_group[group], key=_version_key)
    ]
    # Every schema in the server's shape, the per-document meta kinds set apart.
    server_all: dict[str, Any] = {}
    for document in server36.documents.values():
        server_all.update(document)
    _DEFINITIONS.clear()
    _DEFINITIONS.update(kv)
    converted = {
        name: convert(schema, kv36.get(name), server_all.get(name), top=True)
        for name, schema in kv.items()
    }
    documents: dict[str, dict[str, Any]] = {}
    for group_version in order:
        group, _, version = group_version.rpartition("/")
        kinds = {kind for api_version, kind in served if api_version == group_version}
        kinds |= {kind + "List" for kind in kinds}
        own = [
            name
            for name, schema in kv.items()
            if any(
                (gvk["group"], gvk["version"], gvk["kind"]) == (group, version, gvk["kind"])
                and gvk["kind"] in kinds
                for gvk in schema.get("x-kubernetes-group-version-kind", [])
            )
        ]
        before = server36.documents.get(group_version)
        if before is None:  # a group version 1.36 does not serve: a generic group's roots
            before = server36.documents["node.k8s.io/v1"]
        incoming = {ref for schema in before.values() for ref in refs(schema)}
        roots = [name for name in before if name not in incoming and name in kv]
        names = closure([*own, *roots], converted)
        document = {}
        for name in sorted(names):
            schema = converted[name]
            if name in _PER_DOCUMENT:
                schema = dict(schema)
                kind = name.rpartition(".")[2]
                gvks = [{"group": "", "kind": kind, "version": "v1"}]
                if group:
                    gvks.append({"group": group, "kind": kind, "version": version})
                schema["x-kubernetes-group-version-kind"] = gvks
            document[name] = schema
        documents[group_version] = document
    return Release(documents, _resources(order, served, server36))


def _resources(
    order: list[str], served: list[tuple[str, str]], server36: Release
) -> list[list[Any]]:
    """Discovery's resources: names from 1.36 where the group has the kind, else made up alike."""
    known = {(row[0], row[2]): row for row in server36.resources}
    preferred: dict[str, str] = {}
    for group_version in order:
        preferred.setdefault(group_version.rpartition("/")[0], group_version)
    rows: list[list[Any]] = []
    for group_version in order:
        group, _, version = group_version.rpartition("/")
        found = []
        for api_version, kind in served:
            if api_version != group_version:
                continue
            like = known.get((group, kind))
            if like is not None:
                plural, singular, short, namespaced = like[3], like[4], like[5], like[6]
            else:  # a kind 1.36 does not serve: Kubernetes' own naming, lower case plus s
                plural, singular, short = kind.lower() + "s", kind.lower(), []
                namespaced = (group, kind) not in objects.CLUSTER_SCOPED
            found.append(
                [
                    group,
                    version,
                    kind,
                    plural,
                    singular,
                    short,
                    namespaced,
                    preferred[group] == group_version,
                ]
            )
        rows.extend(sorted(found, key=lambda row: row[3]))
    return rows


# --- measuring and writing -----------------------------------------------------------------


def provenance(rebuilt: Release, kv: dict[str, Any], kv36: dict[str, Any]) -> tuple[int, int]:
    """Of a rebuilt release's fields (and schemas' own texts), how many are 1.36's whole."""
    names = {name for document in rebuilt.documents.values() for name in document}
    whole = fields = 0
    for name in names:
        schema, theirs = kv[name], kv36.get(name)
        fields += 1
        whole += all(schema.get(key) == _get(theirs, key) for key in ("description", "type"))
        for field, value in schema.get("properties", {}).items():
            fields += 1
            whole += value == _get(_get(theirs, "properties"), field)
    return whole, fields


def measure(server: Release, rebuilt: Release) -> dict[str, int]:
    """How far a rebuilt 1.36 is from the server's: documents, schemas, fields, texts."""
    counts = dict.fromkeys(
        (
            "group versions",
            "group versions same names",
            "schemas",
            "schemas equal",
            "fields",
            "fields equal",
            "fields equal but for default",
            "descriptions",
            "descriptions equal",
            "enums",
            "enums equal",
        ),
        0,
    )
    for group_version, document in server.documents.items():
        counts["group versions"] += 1
        other = rebuilt.documents.get(group_version, {})
        counts["group versions same names"] += set(document) == set(other)
        for name, schema in document.items():
            theirs = other.get(name)
            counts["schemas"] += 1
            counts["schemas equal"] += schema == theirs
            for field, value in [("", schema), *schema.get("properties", {}).items()]:
                mine = theirs if field == "" else _get(_get(theirs, "properties"), field)
                counts["fields"] += 1
                counts["fields equal"] += value == mine
                counts["fields equal but for default"] += _sans_default(value) == _sans_default(
                    mine
                )
                if "description" in value:
                    counts["descriptions"] += 1
                    counts["descriptions equal"] += value["description"] == _get(
                        mine, "description"
                    )
                if "enum" in value:
                    counts["enums"] += 1
                    counts["enums equal"] += value["enum"] == _get(mine, "enum")
    return counts


def kind_schemas(document: dict[str, Any], group_version: str) -> dict[str, str]:
    """Each kind of the group version: the first schema, by name, whose GVKs hold it (kubectl's)."""
    group, _, version = group_version.rpartition("/")
    found: dict[str, str] = {}
    for name in sorted(document):
        for gvk in document[name].get("x-kubernetes-group-version-kind", []):
            if gvk.get("group") == group and gvk.get("version") == version:
                found.setdefault(gvk["kind"], name)
    return dict(sorted(found.items()))


def _texts(node: Any, found: dict[str, None]) -> None:
    """Every description in the schema, in the order met."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                found.setdefault(value)
            else:
                _texts(value, found)
    elif isinstance(node, list):
        for value in node:
            _texts(value, found)


def _texts_out(node: Any, offsets: dict[str, int]) -> Any:
    """The schema with each description replaced by its text's byte offset in texts.json."""
    if isinstance(node, dict):
        return {
            key: (
                offsets[value]
                if key == "description" and isinstance(value, str)
                else _texts_out(value, offsets)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_texts_out(value, offsets) for value in node]
    return node


def _line(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if "\n" in text or "\r" in text:  # json escapes both; a line is one value
        raise ValueError("a line break in a stored line")
    return text


def _offsets(lines: Iterable[str]) -> dict[str, int]:
    """Each line's byte offset in the file of those lines."""
    offsets: dict[str, int] = {}
    at = 0
    for line in lines:
        offsets[line] = at
        at += len(line.encode()) + 1
    return offsets


def files(releases: dict[str, Release]) -> dict[str, str]:
    """The data folder's files, by name: texts.json, schemas.json, release-1.X.json.

    A schema's descriptions, and a document's schemas, are byte offsets of lines in texts.json
    and schemas.json: the reader slices what it needs out of the file, with no split or parse
    of the rest.
    """
    found: dict[str, None] = {}
    for data in releases.values():
        for group_version in data.documents:
            document = data.documents[group_version]
            for name in sorted(document):
                _texts(document[name], found)
    text_lines = {text: _line(text) for text in found}
    text_offsets = _offsets(text_lines.values())
    offsets = {text: text_offsets[line] for text, line in text_lines.items()}
    bodies: dict[str, None] = {}
    indexes: dict[str, tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]] = {}
    for release, data in releases.items():
        documents: dict[str, dict[str, str]] = {}
        kinds: dict[str, dict[str, str]] = {}
        for group_version, document in data.documents.items():
            entries = {}
            for name in sorted(document):
                entries[name] = body = _line(_texts_out(document[name], offsets))
                bodies.setdefault(body)
            documents[group_version] = entries
            kinds[group_version] = kind_schemas(document, group_version)
        indexes[release] = (documents, kinds)
    body_offsets = _offsets(bodies)
    out: dict[str, str] = {}
    for release, (documents, kinds) in indexes.items():
        lines = [list(documents), releases[release].resources] + [
            [kinds[group_version], {name: body_offsets[body] for name, body in entries.items()}]
            for group_version, entries in documents.items()
        ]
        out[f"release-{release}.json"] = "".join(_line(line) + "\n" for line in lines)
    out["texts.json"] = "".join(line + "\n" for line in text_lines.values())
    out["schemas.json"] = "".join(body + "\n" for body in bodies)
    return out


def releases(server: Release) -> dict[str, Release]:
    """Every supported release: 1.36 from the server, the others rebuilt."""
    kv36 = kv_definitions(SERVER_RELEASE)
    made = {}
    for release in versions.SUPPORTED:
        if release == SERVER_RELEASE:
            made[release] = server
        else:
            made[release] = rebuild(release, kv_definitions(release), kv36, server)
    return made


def main(argv: list[str]) -> int:
    """Fetch 1.36, rebuild the rest, write the folder; `--measure` prints the rebuild's error."""
    server = from_server()
    if "--measure" in argv:
        alone = rebuild(SERVER_RELEASE, kv_definitions(SERVER_RELEASE), {}, server)
        for key, value in measure(server, alone).items():
            print(f"1.36 from kubernetes-validate alone, {key}: {value}")
    made = releases(server)
    if "--measure" in argv:
        kv36 = kv_definitions(SERVER_RELEASE)
        for release, rebuilt in made.items():
            whole, fields = provenance(rebuilt, kv_definitions(release), kv36)
            print(f"{release}: {whole} of {fields} fields (and schemas' texts) are 1.36's whole")
    written = files(made)
    FOLDER.mkdir(parents=True, exist_ok=True)
    for old in FOLDER.glob("*.json"):
        if old.name not in written:
            old.unlink()
    for name, text in written.items():
        (FOLDER / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(written)} files to {FOLDER.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
