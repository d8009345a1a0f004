"""`podgen lsp` end to end, the way an editor meets it: open, diagnostics, hover, completion."""

from __future__ import annotations

from pathlib import Path

from tests.lsp_client import session

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: "é😀x"
spec:
  containers:
  - name: a
    image: nginx:1.27.1
    imagePullPolicy: Sometimes
"""


async def test_a_pod_being_typed(tmp_path: Path) -> None:
    async with session(tmp_path) as editor:
        uri = editor.open(tmp_path / "pod.yaml", POD)
        found = await editor.diagnostics(uri, 1)
        codes = {(d.range.start.line, d.range.start.character, d.code) for d in found}
        assert (3, 2, "name") in codes
        assert (8, 4, "image-pull-policy") in codes
        hover = await editor.hover(uri, 8, 6)
        assert hover is not None and "FIELD: imagePullPolicy <string>" in hover
        items = await editor.complete(uri, 8, 21)
        assert [item.label for item in items] == ["Always", "IfNotPresent", "Never"]


async def test_positions_in_the_encoding_the_client_chose(tmp_path: Path) -> None:
    """A client that prefers UTF-8 gets byte columns; UTF-16, the default, code units."""
    from lsprotocol import types as lsp

    line = 'metadata: {labels: {e: "é😀"}, name: "A"}'
    text = f"apiVersion: v1\nkind: Pod\n{line}\nspec: {{containers: [{{name: a, image: x:1}}]}}\n"
    before = line[: line.index("name")]
    expected = {
        "utf-8": len(before.encode("utf-8")),
        "utf-16": len(before.encode("utf-16-le")) // 2,
        "utf-32": len(before),
    }
    assert len(set(expected.values())) == 3  # the line tells the three apart
    for encoding, column in expected.items():
        general = lsp.GeneralClientCapabilities(position_encodings=[encoding])
        capabilities = lsp.ClientCapabilities(general=general)
        async with session(tmp_path, capabilities=capabilities) as editor:
            assert editor.client.capabilities is not None
            uri = editor.open(tmp_path / f"pod-{encoding}.yaml", text)
            found = await editor.diagnostics(uri, 1)
            names = [d for d in found if d.code == "name"]
            assert [(d.range.start.line, d.range.start.character) for d in names] == [(2, column)]


async def test_a_value_completed_in_a_quote_left_open_is_closed(tmp_path: Path) -> None:
    """`kubernetesVersion: "1.3` + an item: the release between both quotes, as YAML reads it."""
    import yaml

    line = 'kubernetesVersion: "1.3'
    text = f"apiVersion: podgen.dev/v1\nkind: Project\n{line}\n"
    async with session(tmp_path) as editor:
        uri = editor.open(tmp_path / "podgen.yaml", text)
        items = await editor.complete(uri, 2, len(line))
        chosen = next(item for item in items if item.label == "1.30")
        edit = chosen.text_edit
        assert edit is not None and edit.range.start.line == 2
        written = line[: edit.range.start.character] + edit.new_text
        written += line[edit.range.end.character :]
        assert yaml.safe_load(written) == {"kubernetesVersion": "1.30"}
