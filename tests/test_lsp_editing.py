"""`podgen lsp` while the text changes: incremental edits, bursts, close, CRDs that change.

Each expectation is `podgen validate --format json` on the final text, written to disk.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from lsprotocol import types as lsp

from tests.lsp_client import Session, session
from tests.lsp_expect import Seen, expected, published, utf16, validate

REPO = Path(__file__).parent.parent
POD = (REPO / "tests/tutorial_mistakes/misspelled-key.bad.yaml").read_text(encoding="utf-8")
CRDS = REPO / "tests/corpus/custom_resources/monitoring/crds.yaml"
RESOURCES = REPO / "tests/corpus/custom_resources/monitoring/resources.yaml"


def locate(text: str, needle: str) -> tuple[int, int]:
    """LSP's (line, UTF-16 character) of the first `needle` in `text`."""
    index = text.index(needle)
    line = text.count("\n", 0, index)
    return line, utf16(text[text.rfind("\n", 0, index) + 1 : index])


def edit(text: str, start: tuple[int, int], end: tuple[int, int], new: str) -> str:
    """`text` with one LSP range replaced, as the protocol says (for "\\n" line ends)."""
    lines = text.split("\n")

    def index(line: int, character: int) -> int:
        before = sum(len(lines[n]) + 1 for n in range(line))
        units, column = 0, 0
        while units < character:
            units += utf16(lines[line][column])
            column += 1
        return before + column

    return text[: index(*start)] + new + text[index(*end) :]


async def test_several_ranges_in_one_change_apply_in_order(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    text = POD
    edits = []
    for needle, new in [
        ("imgae", "image"),  # fixes one finding
        ("nginx\n", "Bad_Name😀\n"),  # the pod's name, now wide and invalid
        ("Bad_Name😀", "Bad_Name😀é"),  # a range after the astral character of the edit before
        ("port:", "ports:"),
    ]:
        start = locate(text, needle)
        end = (start[0], start[1] + utf16(needle.rstrip("\n")))
        new = new.rstrip("\n")
        text = edit(text, start, end, new)
        edits.append((start, end, new))
    text = edit(text, (0, 0), (0, 0), "# a comment ✓\n")
    edits.append(((0, 0), (0, 0), "# a comment ✓\n"))
    async with session(tmp_path) as editor:
        uri = editor.open(path, POD)
        await editor.diagnostics(uri, 1)
        editor.change(uri, 2, *edits)
        got = published(await editor.diagnostics(uri, 2))
    path.write_text(text, encoding="utf-8")
    found = validate(path, tmp_path)
    assert {f["rule"] for f in found} >= {"name", "no-probes"}
    assert got == expected(text, path, found, tmp_path)


async def test_a_burst_of_edits_ends_with_the_last_versions(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    text = POD
    async with session(tmp_path) as editor:
        uri = editor.open(path, POD)
        for version in range(2, 52):  # typing a label value, one character at a time
            line = locate(text, "  name:")[0]
            where = (line, utf16(text.split("\n")[line]))  # the end of the pod's name
            char = "😀" if version % 7 == 0 else chr(ord("a") + version % 26)
            text = edit(text, where, where, char)
            editor.change(uri, version, (where, where, char))
        got = published(await editor.diagnostics(uri, 51))
        await editor.hover(uri, 0, 0)
        versions = [p.version for p in editor.published if p.uri == uri]
    assert all(v is not None for v in versions)
    assert versions == sorted(versions), versions  # never an older version after a newer
    path.write_text(text, encoding="utf-8")
    assert got == expected(text, path, validate(path, tmp_path), tmp_path)


async def test_close_publishes_no_diagnostics(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    async with session(tmp_path) as editor:
        uri = editor.open(path, POD)
        assert await editor.diagnostics(uri, 1)
        editor.client.text_document_did_close(
            lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
        )
        await editor.hover(uri, 0, 0)  # a request after it: the notification was handled
        closed = await editor.diagnostics(uri)
        last = [p for p in editor.published if p.uri == uri][-1]
    assert closed == [] and last.version is None


async def until(editor: Session, uri: str, want: list[Seen]) -> list[Seen]:
    """The diagnostics of `uri` once the last published equal `want` (a CRD's change has the
    open documents checked again), or the last published when the server is done waiting."""

    async def wait() -> None:
        while published(await editor.diagnostics(uri)) != want:
            await asyncio.sleep(0.01)

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(wait(), 20)
    return published(await editor.diagnostics(uri))


async def test_a_crd_edited_in_the_editor_or_made_on_disk(tmp_path: Path) -> None:
    crds_text = CRDS.read_text(encoding="utf-8")
    resources = RESOURCES.read_text(encoding="utf-8")
    cr_path, crd_path = tmp_path / "resources.yaml", tmp_path / "crds" / "monitoring.yaml"
    cr_path.write_text(resources)
    crd_path.parent.mkdir()
    # ServiceMonitor's spec.endpoints renamed: the resources' endpoints become unknown
    at = crds_text.index("endpoints:", crds_text.index("kind: ServiceMonitor"))
    renamed = crds_text[:at] + "endpointz:" + crds_text[at + len("endpoints:") :]

    def peer(crd_text: str | None) -> list[Seen]:
        crds = []
        if crd_text is not None:
            crd_path.write_text(crd_text)
            crds.append(crd_path)
        found = validate(cr_path, tmp_path, crds)
        crd_path.unlink(missing_ok=True)
        return expected(resources, cr_path, found, tmp_path)

    unchecked, checked, broken = peer(None), peer(crds_text), peer(renamed)
    assert len({str(unchecked), str(checked), str(broken)}) == 3
    assert any(seen[3] == "kind-unchecked" for seen in unchecked)
    async with session(tmp_path) as editor:
        cr = editor.open(cr_path, resources)
        assert await until(editor, cr, unchecked) == unchecked
        # a new CRD file on disk, and the client's word that it was made
        crd_path.write_text(crds_text)
        created = lsp.FileEvent(uri=crd_path.as_uri(), type=lsp.FileChangeType.Created)
        editor.client.workspace_did_change_watched_files(
            lsp.DidChangeWatchedFilesParams(changes=[created])
        )
        assert await until(editor, cr, checked) == checked
        # the CRD open beside it and edited, not saved
        crd = editor.open(crd_path, crds_text)
        editor.replace(crd, 2, renamed)
        assert await until(editor, cr, broken) == broken
        editor.replace(crd, 3, crds_text)
        assert await until(editor, cr, checked) == checked
