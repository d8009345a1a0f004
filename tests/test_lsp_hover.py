"""`podgen lsp`'s hover against its peers: `kubectl explain KIND.PATH` and `podgen schema`.

Every key of every document of tests/lsp_documents.py is hovered, at release 1.36 (the
podgen.yaml of the workspace says so): its expected text is kubectl 1.37's `explain` of that
key's path against the shared kube-apiserver 1.36 (with the workspace's CRDs installed for
the custom resources; through a map's values as kubectl walks them), or, where kubectl knows
no such field (a label's key), no hover. The paths come from PyYAML's nodes, not from podgen:
block and flow styles, quoted keys, CRLF, non-ASCII text before the key (UTF-16 columns),
lists of lists, a blueprint's `objects:` (each with its own kind) and a blueprint pod's words
for API fields (`affinity:` of a cronjob is the CronJob's pod template's). Blueprint words and
podgen.yaml keys are held to the descriptions of `podgen schema` and `podgen schema
--project`. A scalar value on its key's line shows the key's text; comments and block scalars
show nothing.
"""

from __future__ import annotations

import concurrent.futures
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

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
)


class Key(NamedTuple):
    """A key of a document (or its value, on the key's line): where, and what it is."""

    file: str
    line: int
    character: int  # in UTF-16 code units, as LSP counts
    api_version: str
    kind: str
    path: tuple[str, ...]


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def keys(file: str, text: str) -> Iterator[Key]:
    """Every key of every document (in a blueprint's objects:, with the item's kind), and
    every scalar value on its key's line, from PyYAML's nodes."""
    lines = text.replace("\r\n", "\n").split("\n")

    def at(node: yaml.Node, offset: int) -> tuple[int, int]:
        mark = node.start_mark
        return mark.line, utf16(lines[mark.line][: mark.column + offset])

    def walk(node: yaml.Node, top: yaml.MappingNode, path: tuple[str, ...]) -> Iterator[Key]:
        values = {k.value: v.value for k, v in top.value if isinstance(v, yaml.ScalarNode)}
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                embedded = path == ("objects",) and values.get("kind") == "Blueprint"
                yield from walk(item, item if embedded else top, () if embedded else path)
        elif isinstance(node, yaml.MappingNode):
            api_version, kind = values.get("apiVersion", ""), values.get("kind", "")
            for key, value in node.value:
                here = (*path, key.value)
                yield Key(file, *at(key, 1), api_version, kind, here)
                same_line = value.start_mark.line == key.start_mark.line
                if isinstance(value, yaml.ScalarNode) and same_line and not value.style:
                    yield Key(file, *at(value, 1), api_version, kind, here)
                yield from walk(value, top, here)

    for document in yaml.compose_all(text):
        assert isinstance(document, yaml.MappingNode)
        yield from walk(document, document, ())


@pytest.fixture(scope="module")
def kubectl(explain_peer: ExplainPeer) -> Iterator[tuple[list[dict[str, Any]], ExplainPeer]]:
    yield from installed_crds(explain_peer)


@pytest.fixture
def workspace(tmp_path: Path, kubectl: tuple[list[dict[str, Any]], ExplainPeer]) -> Path:
    for name, text in MANIFESTS.items():
        (tmp_path / name).write_bytes(text.encode())
    (tmp_path / "blueprint.yaml").write_text(BLUEPRINT)
    return write_workspace(tmp_path, kubectl[0])


def explained(peer: ExplainPeer, key: Key) -> str | None:
    """kubectl's explain of the key's field, as a hover shows it; None where it fails."""
    path, map_key = kubectl_path(key.api_version, key.kind, key.path)
    if map_key:
        return None
    run = peer.explain(".".join((key.kind, *path)), "--api-version", key.api_version)
    if run.returncode != 0:
        return None
    longest = max((len(ticks) for ticks in re.findall("`+", run.stdout)), default=0)
    fence = "`" * max(3, longest + 1)  # markdown: longer than any run of backticks inside
    return f"{fence}text\n{run.stdout.rstrip()}\n{fence}"


async def hovers(root: Path, files: dict[str, str], places: list[Key]) -> list[str | None]:
    async with session(root) as editor:
        uris = {name: editor.open(root / name, text) for name, text in files.items()}
        return [await editor.hover(uris[p.file], p.line, p.character) for p in places]


async def against_kubectl(
    workspace: Path, peer: ExplainPeer, files: dict[str, str], places: list[Key], asked: list[Key]
) -> tuple[list[str | None], list[str]]:
    """kubectl explain's text for each of `asked`, and where our hover at `places` differs."""
    got = await hovers(workspace, files, places)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        expected = list(pool.map(lambda key: explained(peer, key), asked))
    wrong = [
        f"{key}:\n ours    {ours!r}\n kubectl {theirs!r}"
        for key, ours, theirs in zip(places, got, expected, strict=True)
        if ours != theirs
    ]
    return expected, wrong


async def test_every_key_of_kubernetes_objects_is_kubectl_explain(
    workspace: Path, kubectl: tuple[list[dict[str, Any]], ExplainPeer]
) -> None:
    places = [key for name, text in MANIFESTS.items() for key in keys(name, text)]
    places += [k for k in keys("blueprint.yaml", BLUEPRINT) if k.api_version != "podgen.dev/v1"]
    files = {**MANIFESTS, "blueprint.yaml": BLUEPRINT}
    expected, wrong = await against_kubectl(workspace, kubectl[1], files, places, places)
    assert len(places) > 250
    for kind in ("Certificate", "Oddity"):  # the CRDs were found, on the server and here
        assert any(e for k, e in zip(places, expected, strict=True) if k.kind == kind), kind
    assert sum(text is not None for text in expected) > 200
    assert not wrong, f"{len(wrong)} of {len(places)} differ:\n" + "\n".join(wrong[:5])


def test_the_peer_tells_the_two_restart_policies_apart(
    kubectl: tuple[list[dict[str, Any]], ExplainPeer],
) -> None:
    """The pod's and an init container's restartPolicy differ (so the hovers above do)."""
    pod = explained(kubectl[1], Key("", 0, 0, "v1", "Pod", ("spec", "restartPolicy")))
    init = ("spec", "initContainers", "restartPolicy")
    container = explained(kubectl[1], Key("", 0, 0, "v1", "Pod", init))
    assert pod is not None and container is not None and pod != container


async def test_blueprint_words_and_project_keys_are_their_schema_descriptions(
    workspace: Path,
) -> None:
    files = {"blueprint.yaml": BLUEPRINT, "podgen.yaml": PROJECT}
    schemas = {"blueprint.yaml": podgen_schema(), "podgen.yaml": podgen_schema("--project")}
    places = [
        k
        for name, text in files.items()
        for k in keys(name, text)
        if k.api_version == "podgen.dev/v1"
    ]
    got = await hovers(workspace, files, places)
    wrong = []
    for key, hover in zip(places, got, strict=True):
        node = schema_node(schemas[key.file], key.path)
        if node is None:
            fine = hover is None
        else:
            heading = hover is not None and hover.startswith(f"**{key.path[-1]}**")
            fine = heading and node.get("description", "") in (hover or "")
        if not fine:
            wrong.append(f"{key}: {hover!r}")
    assert len(places) > 20
    assert not wrong, "\n".join(wrong)


NOTHING = """\
apiVersion: v1
kind: Pod
# restartPolicy: Never, a comment
spec:  # the spec
  containers:
  - name: app
    command: ["sh", "-c"]
    args:
    - |
      restartPolicy: Never
    - >-
      image: a folded line
  - name: b
    image: |
      if x:
        imagePullPolicy: Never
      name: b
"""


@pytest.mark.parametrize(
    ("line", "character"),
    [(2, 4), (3, 10), (9, 8), (11, 8), (8, 4), (6, 15), (6, 20), (15, 10), (16, 7),
     (17, 0), (40, 3)],
    ids=["comment", "after-key", "literal", "folded", "indicator", "flow-seq", "flow-item",
         "uneven-text", "text-key", "past-end", "past-lines"],
)  # fmt: skip
async def test_no_hover_in_comments_block_scalars_and_lists_of_words(
    tmp_path: Path, line: int, character: int
) -> None:
    (tmp_path / "podgen.yaml").write_text(PROJECT)
    async with session(tmp_path) as editor:
        uri = editor.open(tmp_path / "pod.yaml", NOTHING)
        assert await editor.hover(uri, line, character) is None


async def test_hover_survives_a_bom_garbage_and_an_empty_document(tmp_path: Path) -> None:
    (tmp_path / "podgen.yaml").write_text(PROJECT)
    async with session(tmp_path) as editor:
        bom = editor.open(tmp_path / "bom.yaml", "\ufeffapiVersion: v1\nkind: Pod\nspec: {}\n")
        hover = await editor.hover(bom, 2, 1)
        assert hover is not None and "FIELD: spec <PodSpec>" in hover
        assert await editor.hover(bom, 0, 3) is not None  # apiVersion, after the BOM
        for text in ("", "\x00\x01: [", "{{{ :::: - - -", "- - - a: b: c", "---\n---\n"):
            uri = editor.open(tmp_path / "junk.yaml", text)
            for line, character in ((0, 0), (0, 3), (1, 0)):
                assert await editor.hover(uri, line, character) is None


async def test_every_position_answers(tmp_path: Path) -> None:
    """Hover and completion at every position of odd documents: an answer, never an error."""
    from tests.lsp_documents import FLOW, ODDITY, QUOTED

    texts = [
        FLOW,
        QUOTED,
        ODDITY,
        NOTHING,
        BLUEPRINT.replace("\n", "\r\n"),
        "\ufeff- - a: [b, {c: ",
        "a: 'x\n  b: \"y\\\n",
        "? a\n: b\n",
        "- &x {a: *x}\n",
    ]
    write_workspace(tmp_path, [])
    async with session(tmp_path) as editor:
        for number, text in enumerate(texts):
            uri = editor.open(tmp_path / f"odd-{number}.yaml", text)
            lines = text.replace("\r\n", "\n").split("\n")
            for line, content in enumerate(lines):
                for character in range(len(content.encode("utf-16-le")) // 2 + 2):
                    await editor.hover(uri, line, character)
                    await editor.complete(uri, line, character)


async def test_inside_a_blueprint_word_the_api_field_is_kubectl_explain(
    workspace: Path, kubectl: tuple[list[dict[str, Any]], ExplainPeer]
) -> None:
    """`affinity:` of a cronjob pod holds a CronJob's pod template's affinity: its keys'
    hovers are kubectl's for that path; the word itself keeps its own description."""
    places, expected_keys = [], []
    for name, (kind, api_version, pod_spec, text) in WORD_BLUEPRINTS.items():
        for key in keys(name, text):
            if key.path[0] != "pods" or len(key.path) < 3 or key.path[1] not in WORD_PATHS:
                continue
            word = WORD_PATHS[key.path[1]]
            base = ("spec", *word[1:]) if word[:1] == ("spec.",) else (*pod_spec, *word)
            places.append(key)
            expected_keys.append(Key(name, 0, 0, api_version, kind, (*base, *key.path[2:])))
    files = {name: text for name, (*_, text) in WORD_BLUEPRINTS.items()}
    expected, wrong = await against_kubectl(workspace, kubectl[1], files, places, expected_keys)
    assert len(places) > 20
    assert all(expected), [k for k, e in zip(expected_keys, expected, strict=True) if not e]
    assert not wrong, f"{len(wrong)} of {len(places)} differ:\n" + "\n".join(wrong[:4])
