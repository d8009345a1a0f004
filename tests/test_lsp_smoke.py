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
