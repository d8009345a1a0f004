"""`podgen lsp`'s completion against its peers: kubectl 1.37's explain and api-resources.

A blank line is added below every block map of the documents of tests/lsp_documents.py (at
1.36, with their CRDs installed on the shared kube-apiserver): the completions there are the
FIELDS `kubectl explain KIND.PATH` lists, minus the keys the map already has (none where the
map's keys are the writer's own). Every value on its key's line is emptied: the completions
there are the ENUM kubectl prints (`true`, `false` for a boolean), written as their type.
`apiVersion:` and `kind:` offer what `kubectl api-resources` lists. Blueprint words and
podgen.yaml keys and values are those of `podgen schema` and `podgen schema --project`. Each
item, accepted (its text edit applied), leaves YAML that reads back with the key (or the
value) in its place; at every position of the documents, the edit holds the cursor.
"""

from __future__ import annotations

import concurrent.futures
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from lsprotocol import types as lsp

from tests.explain_peer import ExplainPeer
from tests.lsp_client import session
from tests.lsp_documents import (
    BLUEPRINT,
    MANIFESTS,
    PROJECT,
    WORD_BLUEPRINTS,
    WORD_PATHS,
    installed_crds,
    kubectl_path,
    podgen_schema,
    schema_node,
    write_workspace,
    zoned,
)

#: The groups of this module's test CRDs (lsp-completion.podgen.dev).
ZONE = "lsp-completion"
_FIELD = re.compile(r"^  (\S+)\t<", re.MULTILINE)


class Spot(NamedTuple):
    """A place to complete: the edited text, the cursor, and what is expected there."""

    file: str
    text: str
    line: int
    character: int
    api_version: str
    kind: str
    path: tuple[str, ...]
    present: frozenset[str]
    #: a key's value (the key is path[-1]), else a key in the map at path
    value: bool


def _last_line(node: yaml.Node) -> int:
    if isinstance(node, yaml.CollectionNode) and node.flow_style:
        return node.end_mark.line  # its closing bracket's
    if isinstance(node, yaml.ScalarNode):
        mark = node.end_mark
        return mark.line if mark.column > 0 else mark.line - 1
    children = node.value if isinstance(node, yaml.SequenceNode) else [v for _, v in node.value]
    return max(_last_line(child) for child in children) if children else node.start_mark.line


def spots(file: str, text: str) -> Iterator[Spot]:
    """A blank line below each block map (at its keys' column), and each value emptied."""
    lines = text.split("\n")

    def walk(node: yaml.Node, top: yaml.MappingNode, path: tuple[str, ...]) -> Iterator[Spot]:
        values = {k.value: v.value for k, v in top.value if isinstance(v, yaml.ScalarNode)}
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                embedded = path == ("objects",) and values.get("kind") == "Blueprint"
                yield from walk(item, item if embedded else top, () if embedded else path)
            return
        if not isinstance(node, yaml.MappingNode) or not node.value:
            return
        api_version, kind = values.get("apiVersion", ""), values.get("kind", "")
        present = frozenset(k.value for k, _ in node.value)
        if not node.flow_style:
            column, after = node.value[0][0].start_mark.column, _last_line(node)
            edited = [*lines[: after + 1], " " * column, *lines[after + 1 :]]
            yield Spot(file, "\n".join(edited), after + 1, column, api_version, kind, path,
                       present, False)  # fmt: skip
        for key, value in node.value:
            here = (*path, key.value)
            if isinstance(value, yaml.ScalarNode) and value.start_mark.line == key.start_mark.line:
                mark, end = value.start_mark, value.end_mark
                line = lines[mark.line]
                edited_line = line[: mark.column] + line[end.column :]
                if mark.line == end.line and not node.flow_style:
                    edited = [*lines[: mark.line], edited_line.rstrip(), *lines[mark.line + 1 :]]
                    yield Spot(file, "\n".join(edited), mark.line, mark.column, api_version, kind,
                               here, present, True)  # fmt: skip
            yield from walk(value, top, here)

    for document in yaml.compose_all(text):
        assert isinstance(document, yaml.MappingNode)
        yield from walk(document, document, ())


def accepted(text: str, item: lsp.CompletionItem) -> str:
    """The text after the editor applies the item's edit (one line, str columns = UTF-16 here)."""
    edit = item.text_edit
    assert isinstance(edit, lsp.TextEdit), item
    lines = text.split("\n")
    start, end = edit.range.start, edit.range.end
    assert start.line == end.line
    line = lines[start.line]
    first, last = index(line, start.character), index(line, end.character)
    lines[start.line] = line[:first] + edit.new_text + line[last:]
    return "\n".join(lines)


def index(line: str, units: int) -> int:
    """The str index of a UTF-16 column of a line."""
    counted = 0
    for at, char in enumerate(line):
        if counted >= units:
            return at
        counted += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def reads_back(spot: Spot, item: lsp.CompletionItem) -> bool:
    """Whether the accepted text is YAML with the key (or value) where the cursor was."""
    try:
        documents = list(yaml.safe_load_all(accepted(spot.text, item)))
    except yaml.YAMLError:
        return False
    return any(_holds(document, spot, item.label) for document in documents)


def _holds(node: Any, spot: Spot, label: str) -> bool:
    path = spot.path[:-1] if spot.value else spot.path
    embedded = spot.api_version != "podgen.dev/v1"
    if embedded and isinstance(node, dict) and node.get("kind") == "Blueprint":
        return any(_holds(item, spot, label) for item in node.get("objects", []))
    nodes = [node]
    for name in path:
        nodes = [n[name] for n in nodes if isinstance(n, dict) and name in n]
        while any(isinstance(n, list) for n in nodes):  # lists of lists too
            nodes = [i for n in nodes for i in (n if isinstance(n, list) else [n])]
    if spot.value:
        return any(written(n.get(spot.path[-1])) == label for n in nodes if isinstance(n, dict))
    return any(isinstance(n, dict) and label in n for n in nodes)


def written(value: Any) -> str:
    """A value read back, as its completion's label says it: a string as it is, else JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def kubectl_type(peer: ExplainPeer, spot: Spot) -> str:
    """The type kubectl explain gives the field (`string`, `integer`, `boolean`...)."""
    path, _ = kubectl_path(spot.api_version, spot.kind, spot.path)
    run = peer.explain(".".join((spot.kind, *path)), "--api-version", spot.api_version)
    found = re.search(r"^FIELD: \S+ <(\w+)>", run.stdout, re.MULTILINE)
    return found[1] if found else ""


def kubectl_expected(peer: ExplainPeer, spot: Spot) -> list[str]:
    """What kubectl explain says may be written there: FIELDS minus those present, or ENUM."""
    if spot.value and spot.path in (("apiVersion",), ("kind",)):
        return resources(peer, spot)
    path, _ = kubectl_path(spot.api_version, spot.kind, spot.path)  # in a map's value
    if not spot.value and kubectl_path(spot.api_version, spot.kind, (*spot.path, "?"))[1]:
        return []  # a map's own keys are the writer's, though kubectl lists its values' fields
    run = peer.explain(".".join((spot.kind, *path)), "--api-version", spot.api_version)
    if run.returncode != 0:
        return []
    if not spot.value:
        fields = run.stdout.partition("\nFIELDS:\n")[2]
        return sorted(set(_FIELD.findall(fields)) - spot.present)
    if "\nENUM:\n" in run.stdout:
        listed = run.stdout.partition("\nENUM:\n")[2].partition("\n\n")[0]
        return sorted(word.strip() for word in listed.splitlines())
    return ["false", "true"] if "<boolean>" in run.stdout.partition("\n")[2][:200] else []


def resources(peer: ExplainPeer, spot: Spot) -> list[str]:
    """`kubectl api-resources`: the group versions serving the kind, or the kinds of one."""
    run = peer(["api-resources"])
    assert run.returncode == 0, run.stderr
    header, *table = run.stdout.splitlines()
    columns = {name: header.index(name) for name in ("APIVERSION", "NAMESPACED", "KIND")}
    rows = set()
    for row in table:
        api_version = row[columns["APIVERSION"] : columns["NAMESPACED"]].strip()
        kind = row[columns["KIND"] :].split()[0]
        if "podgen.dev" not in api_version or f"{ZONE}.podgen.dev/" in api_version:
            rows.add((api_version, kind))  # not the test CRDs of other tests running at once
    if spot.path == ("apiVersion",):
        return sorted({a for a, k in rows if k == spot.kind})
    return sorted({k for a, k in rows if a == spot.api_version})


async def completions(root: Path, places: list[Spot]) -> list[list[lsp.CompletionItem]]:
    async with session(root) as editor:
        found = []
        for number, spot in enumerate(places):
            uri = editor.open(root / f"edit-{number}-{spot.file}", spot.text)
            found.append(await editor.complete(uri, spot.line, spot.character))
        return found


@pytest.fixture(scope="module")
def kubectl(explain_peer: ExplainPeer) -> Iterator[tuple[list[dict[str, Any]], ExplainPeer]]:
    yield from installed_crds(explain_peer, ZONE)


@pytest.fixture
def workspace(tmp_path: Path, kubectl: tuple[list[dict[str, Any]], ExplainPeer]) -> Path:
    return write_workspace(tmp_path, kubectl[0])


async def test_fields_and_values_are_kubectls(
    workspace: Path, kubectl: tuple[list[dict[str, Any]], ExplainPeer]
) -> None:
    files = {**{n: zoned(t, ZONE) for n, t in MANIFESTS.items()}, "blueprint.yaml": BLUEPRINT}
    places = [s for name, text in files.items() for s in spots(name, text) if s.kind]
    places = [s for s in places if s.api_version != "podgen.dev/v1" and "\r" not in s.text]
    got = await completions(workspace, places)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        expected = list(pool.map(lambda spot: kubectl_expected(kubectl[1], spot), places))
    wrong, invalid = [], []
    for spot, items, theirs in zip(places, got, expected, strict=True):
        ours = sorted(item.label for item in items)
        if ours != theirs:
            where = f"{spot.file}:{spot.line}:{spot.character} {spot.path}"
            wrong.append(f"{where} value={spot.value}\n ours    {ours}\n kubectl {theirs}")
        invalid += [f"{spot.path} {i.label}" for i in items if not reads_back(spot, i)]
    typed = [(s, items) for s, items in zip(places, got, strict=True) if s.value and items]
    for spot, items in typed:  # `level: 2` is the integer 2: "2" is the string
        kind = {"integer": int, "boolean": bool, "string": str}.get(kubectl_type(kubectl[1], spot))
        lines = [accepted(spot.text, item).split("\n")[spot.line] for item in items]
        loaded = [yaml.safe_load(line.lstrip(" -")) for line in lines]
        invalid += [f"{spot.path} {value}" for value in loaded if kind and not any(
            isinstance(v, kind) for v in value.values())]  # fmt: skip
    assert any(kubectl_type(kubectl[1], s) == "integer" for s, _ in typed)
    assert len(places) > 150
    for kind in ("Certificate", "Oddity"):  # the CRDs were found, in this module's groups
        assert any(e for s, e in zip(places, expected, strict=True) if s.kind == kind), kind
    assert sum(bool(e) for e in expected) > 100
    assert not wrong, f"{len(wrong)} of {len(places)} differ:\n" + "\n".join(wrong[:6])
    assert not invalid, invalid[:10]


async def test_blueprint_words_and_project_keys_are_their_schemas(workspace: Path) -> None:
    files = {"blueprint.yaml": BLUEPRINT, "podgen.yaml": PROJECT}
    schemas = {"blueprint.yaml": podgen_schema(), "podgen.yaml": podgen_schema("--project")}
    places = [
        s
        for name, text in files.items()
        for s in spots(name, text)
        if s.api_version == "podgen.dev/v1" and not s.value
    ]
    got = await completions(workspace, places)
    wrong = []
    for spot, items in zip(places, got, strict=True):
        node = schema_node(schemas[spot.file], spot.path) if spot.path else schemas[spot.file]
        options = [node, *node.get("oneOf", []), *node.get("anyOf", [])] if node else []
        options += [o["items"] for o in options if isinstance(o.get("items"), dict)]
        names = {name for option in options for name in option.get("properties", {})}
        expected = sorted(names - spot.present)
        ours = sorted(item.label for item in items)
        if ours != expected or not all(reads_back(spot, item) for item in items):
            wrong.append(f"{spot.path}:\n ours   {ours}\n schema {expected}")
    assert len(places) >= 6
    assert not wrong, "\n".join(wrong)


CURSOR = "‸"
POD_TOP = "apiVersion: v1\nkind: Pod\n"
CONTAINER = POD_TOP + "spec:\n  containers:\n  - name: a\n"
PULL = ("spec", "containers", "imagePullPolicy")
FIELD_CASES = {
    "after-dash": (POD_TOP + "spec:\n  containers:\n  - ‸\n", ("spec", "containers"), ""),
    "blank-line": (CONTAINER + "    ‸\n", ("spec", "containers"), "name"),
    "mid-word": (CONTAINER + "    imagePu‸\n", ("spec", "containers"), "name"),
    "mid-key": (CONTAINER + "    image‸PullPolicy: Never\n", ("spec", "containers"), "name"),
    "empty": ("‸", (), ""),
    "flow": (POD_TOP + "spec: {containers: [{name: a, ‸}]}\n", ("spec", "containers"), "name"),
    "flow-middle": (POD_TOP + "spec: {containers: [{name: a, ‸, image: b, ports: [{name: c}]}]}",
                    ("spec", "containers"), "name image ports"),
    "flow-after-emoji": (
        POD_TOP + 'metadata: {annotations: {a: "é😀"}, ‸}\n', ("metadata",), "annotations"
    ),
    "crlf": ((CONTAINER + "    ‸\n    image: x\n").replace("\n", "\r\n"),
             ("spec", "containers"), "name image"),
    "bom": ("\ufeffapiVersion: v1\nkind: Pod\n‸\n", (), "apiVersion kind"),
    "second-document": (f"{POD_TOP}---\napiVersion: v1\nkind: Service\nspec:\n  ‸", ("spec",), ""),
}  # fmt: skip
VALUE_CASES = {
    "enum": (CONTAINER + "    imagePullPolicy: ‸\n", PULL),
    "enum-typed": (CONTAINER + "    imagePullPolicy: If‸\n", PULL),
    "enum-comment": (CONTAINER + "    imagePullPolicy: Al‸ # why\n", PULL),
    "enum-tight": (CONTAINER + "    imagePullPolicy:‸\n", PULL),
    "enum-quoted": (CONTAINER + '    imagePullPolicy: "If‸"\n', PULL),
    "pod-restart": (POD_TOP + "spec:\n  restartPolicy: ‸\n", ("spec", "restartPolicy")),
    "init-restart": (POD_TOP + "spec:\n  initContainers:\n  - restartPolicy: ‸\n",
                     ("spec", "initContainers", "restartPolicy")),
    "service-type": ("apiVersion: v1\nkind: Service\nspec:\n  type: ‸\n", ("spec", "type")),
    "protocol-flow": (CONTAINER + "    ports: [{containerPort: 80, protocol: ‸}]\n",
                      ("spec", "containers", "ports", "protocol")),
    "boolean-crlf": ((CONTAINER + "    stdin: ‸\n").replace("\n", "\r\n"),
                     ("spec", "containers", "stdin")),
    "kind": ("apiVersion: apps/v1\nkind: ‸\n", ("kind",)),
    "api-version": ("apiVersion: ‸\nkind: Deployment\n", ("apiVersion",)),
}  # fmt: skip


def marked(file: str, text: str, path: tuple[str, ...], present: str, value: bool) -> Spot:
    """A spot from a text with the cursor marked (UTF-16 column, as LSP counts)."""
    at = text.index(CURSOR)
    before = text[:at].replace("\r\n", "\n").removeprefix("\ufeff")
    line = before.count("\n")
    character = len(before.split("\n")[-1].encode("utf-16-le")) // 2
    if text.startswith("\ufeff") and line == 0:
        character += 1
    text = text.replace(CURSOR, "")
    tops = dict(re.findall(r"^(apiVersion|kind): *(\S*)", text.split("---")[-1], re.MULTILINE))
    return Spot(file, text, line, character, tops.get("apiVersion", ""), tops.get("kind", ""),
                path, frozenset(present.split()), value)  # fmt: skip


@pytest.mark.parametrize("case", [*FIELD_CASES, *VALUE_CASES])
async def test_completion_where_people_type(
    workspace: Path, kubectl: tuple[list[dict[str, Any]], ExplainPeer], case: str
) -> None:
    if case in FIELD_CASES:
        text, path, present = FIELD_CASES[case]
        spot = marked("a.yaml", text, path, present, value=False)
        expected = ["apiVersion", "kind"] if case == "empty" else kubectl_expected(kubectl[1], spot)
    else:
        text, path = VALUE_CASES[case]
        spot = marked("a.yaml", text, path, "", value=True)
        expected = kubectl_expected(kubectl[1], spot)
    [items] = await completions(workspace, [spot])
    assert expected or case == "init-restart"  # a container's restartPolicy has no enum
    assert sorted(item.label for item in items) == expected
    plain = spot._replace(text=spot.text.replace("\r\n", "\n"))
    for item in items:
        edit = item.text_edit
        assert isinstance(edit, lsp.TextEdit)
        assert edit.range.start.line == edit.range.end.line == spot.line
        assert edit.range.start.character <= spot.character <= edit.range.end.character
        assert reads_back(plain, item), accepted(plain.text, item)


async def test_completion_in_garbage_answers_and_the_server_goes_on(workspace: Path) -> None:
    junk = ["\x00\x01: [", "{{{ :::: - - -", "- - - a: b: c", "key: [unclosed, {", "'", "a:\tb"]
    async with session(workspace) as editor:
        for number, text in enumerate(junk):
            uri = editor.open(workspace / f"junk-{number}.yaml", text)
            for line, character in ((0, 0), (0, 2), (0, len(text)), (3, 0)):
                await editor.complete(uri, line, character)
        uri = editor.open(workspace / "pod.yaml", CONTAINER + "    imagePullPolicy: ")
        items = await editor.complete(uri, 5, 21)
        assert [item.label for item in items] == ["Always", "IfNotPresent", "Never"]


BLUEPRINT_TOP = "apiVersion: podgen.dev/v1\nkind: Blueprint\n"
PROJECT_TOP = "apiVersion: podgen.dev/v1\nkind: Project\n"
PODGEN_VALUE_CASES = {
    "kubernetes-version": (PROJECT_TOP + "kubernetesVersion: ‸\n", ("kubernetesVersion",)),
    "output": (PROJECT_TOP + "output: j‸\n", ("output",)),
    "kustomization": (PROJECT_TOP + "kustomization:‸\n", ("kustomization",)),
    "skeleton": (BLUEPRINT_TOP + "skeleton: ‸\n", ("skeleton",)),
    "create-namespace": (BLUEPRINT_TOP + "createNamespace: ‸\n", ("createNamespace",)),
    "pull-policy": (BLUEPRINT_TOP + "pods:\n- name: a\n  imagePullPolicy: ‸\n",
                    ("pods", "imagePullPolicy")),
    "flow-restart": (BLUEPRINT_TOP + "pods: [{name: a, restart: ‸}]\n", ("pods", "restart")),
    "in-quotes": (PROJECT_TOP + 'kubernetesVersion: "1.3‸"\n', ("kubernetesVersion",)),
    "in-single-quotes": (PROJECT_TOP + "output: 'y‸' # a comment\n", ("output",)),
    "flow-in-quotes": (BLUEPRINT_TOP + "pods: [{name: a, restart: 'O‸'}]\n", ("pods", "restart")),
}  # fmt: skip


@pytest.mark.parametrize("case", PODGEN_VALUE_CASES)
async def test_blueprint_and_project_values_are_their_schemas(workspace: Path, case: str) -> None:
    text, path = PODGEN_VALUE_CASES[case]
    spot = marked("podgen.yaml", text, path, "", value=True)
    schema = podgen_schema(*(["--project"] if spot.kind == "Project" else []))
    node = schema_node(schema, path)
    assert node is not None
    values = [
        value
        for option in [node, *node.get("anyOf", []), *node.get("oneOf", [])]
        for value in option.get("enum", [option["const"]] if "const" in option else [])
    ]
    words = ["false", "true"] if node.get("type") == "boolean" else sorted(map(str, values))
    [items] = await completions(workspace, [spot])
    assert words
    assert sorted(item.label for item in items) == words
    for item in items:
        assert reads_back(spot, item), accepted(spot.text, item)


async def test_every_position_edits_a_range_holding_the_cursor_and_keeps_yaml(
    workspace: Path,
) -> None:
    """At every position of valid documents, each item's edit holds the cursor (as LSP asks)
    and, accepted, leaves valid YAML (a key before a flow map's next key gets its comma)."""
    from tests.lsp_documents import FLOW, FLOW_LINES, ODDITY, QUOTED, SERVICE

    texts = [
        FLOW,
        FLOW_LINES,
        QUOTED,
        zoned(ODDITY, ZONE),
        SERVICE.replace("\n", "\r\n"),
        BLUEPRINT[:400],
    ]
    wrong = []
    async with session(workspace) as editor:
        for number, text in enumerate(texts):
            uri = editor.open(workspace / f"every-{number}.yaml", text)
            plain = text.replace("\r\n", "\n")
            for line, content in enumerate(plain.split("\n")):
                for character in range(len(content.encode("utf-16-le")) // 2 + 1):
                    for item in (await editor.complete(uri, line, character))[:4]:
                        edit = item.text_edit
                        assert isinstance(edit, lsp.TextEdit)
                        start, end = edit.range.start.character, edit.range.end.character
                        if not start <= character <= end:
                            wrong.append(f"{content!r} {character}: range {start}-{end}")
                        try:
                            list(yaml.safe_load_all(accepted(plain, item)))
                        except yaml.YAMLError:
                            wrong.append(f"{content!r} {character}: {item.label} breaks it")
    assert not wrong, "\n".join(wrong[:10])


async def test_inside_a_blueprint_word_the_api_fields_are_kubectls(
    workspace: Path, kubectl: tuple[list[dict[str, Any]], ExplainPeer]
) -> None:
    places, theirs = [], []
    for name, (kind, api_version, pod_spec, text) in WORD_BLUEPRINTS.items():
        for spot in spots(name, text):
            inside = len(spot.path) >= (3 if spot.value else 2)  # the word's map, or deeper
            if spot.path[:1] != ("pods",) or not inside or spot.path[1] not in WORD_PATHS:
                continue
            word = WORD_PATHS[spot.path[1]]
            base = ("spec", *word[1:]) if word[:1] == ("spec.",) else (*pod_spec, *word)
            places.append(spot)
            path = (*base, *spot.path[2:])
            theirs.append(spot._replace(api_version=api_version, kind=kind, path=path))
    got = await completions(workspace, places)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        expected = list(pool.map(lambda spot: kubectl_expected(kubectl[1], spot), theirs))
    wrong = [
        f"{spot.file}:{spot.line} {spot.path}:\n ours    {ours}\n kubectl {words}"
        for spot, items, words in zip(places, got, expected, strict=True)
        if (ours := sorted(item.label for item in items)) != words
    ]
    assert len(places) > 10 and sum(map(bool, expected)) > 5
    assert not wrong, "\n".join(wrong[:5])
