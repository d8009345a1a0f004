"""`podgen lsp` where editors and users push it: bad requests, huge messages, signals.

Found by a hostile-user pass: requests pygls would leave unanswered (an editor would wait for
ever), a Content-Length that would be allocated whole, SIGTERM and SIGINT that did not end the
server, a CRD buffer closed unsaved, and manifests a "not Kubernetes YAML" guess passed over.
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from lsprotocol import types as lsp

from tests.lsp_client import PODGEN, Wire, session
from tests.lsp_expect import expected, published, validate

INITIALIZE = {
    "id": 1,
    "method": "initialize",
    "params": {"processId": None, "rootUri": None, "capabilities": {}},
}


def hover(ident: int, line: int = 0, character: int = 0, uri: str = "file:///a.yaml") -> dict:
    position = {"line": line, "character": character}
    params = {"textDocument": {"uri": uri}, "position": position}
    return {"id": ident, "method": "textDocument/hover", "params": params}


def test_requests_pygls_would_leave_unanswered(tmp_path: Path) -> None:
    wire = Wire(tmp_path)
    try:
        wire.send(hover(2))  # before initialize
        assert wire.answer(2)["error"]["code"] == -32002
        wire.send(INITIALIZE)
        assert "capabilities" in wire.answer(1)["result"]
        wire.send(hover(3, -1, -1))  # positions are unsigned
        assert wire.answer(3)["error"]["code"] == -32602
        wire.send({"id": 4, "method": "textDocument/hover"})  # no params
        assert wire.answer(4)["error"]["code"] == -32602
        wire.send({"id": 5, "method": 1})  # no method name
        assert wire.answer(5)["error"]["code"] == -32600
        wire.send(b"Content-Length: 99999999999\r\n\r\n{")  # announced, never sent whole
        wire.send(hover(6))  # read as part of the huge message: dropped with it
        time.sleep(0.5)
        assert wire.process.poll() is None  # still serving, not out of memory
        assert 6 not in {m.get("id") for m in wire.messages}
    finally:
        wire.end(kill=True)


def test_after_shutdown_requests_are_refused(tmp_path: Path) -> None:
    wire = Wire(tmp_path)
    wire.send(INITIALIZE)
    wire.answer(1)
    wire.send({"id": 2, "method": "shutdown"})
    assert wire.answer(2)["result"] is None
    wire.send(hover(3))
    assert wire.answer(3)["error"]["code"] == -32600
    wire.send({"method": "exit"})
    assert wire.end(close=False).code == 0


@pytest.mark.parametrize(("sent", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
@pytest.mark.parametrize("when", ["before initialize", "while checking"])
def test_signals_end_the_server(tmp_path: Path, sent: signal.Signals, code: int, when: str) -> None:
    wire = Wire(tmp_path)
    wire.send(hover(9))  # answered (not yet initialized) once the server runs
    wire.answer(9)
    if when == "while checking":
        wire.send(INITIALIZE)
        wire.answer(1)
        text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {a: b}\n"
        big = "\n---\n".join([text] * 20_000)  # seconds of checking
        item = {"uri": (tmp_path / "big.yaml").as_uri(), "languageId": "yaml", "version": 1}
        wire.send(
            {"method": "textDocument/didOpen", "params": {"textDocument": {**item, "text": big}}}
        )
        time.sleep(0.5)
    wire.process.send_signal(sent)
    ended = wire.end(close=False)
    word = "terminated" if sent == signal.SIGTERM else "interrupted"
    assert (ended.code, ended.stderr[-len(word) - 8 :]) == (code, f"error: {word}\n")


AREA = Path(__file__).parent / "corpus" / "custom_resources" / "certificates"


async def test_a_crd_closed_unsaved_is_read_from_disk_again(tmp_path: Path) -> None:
    crd, resources = AREA / "crds.yaml", AREA / "mistakes.yaml"
    (tmp_path / "crd.yaml").write_text(crd.read_text(encoding="utf-8"), encoding="utf-8")
    cr = tmp_path / "resources.yaml"
    cr.write_text(resources.read_text(encoding="utf-8"), encoding="utf-8")
    found = validate(cr, tmp_path, crds=[tmp_path / "crd.yaml"])
    with_crd = expected(cr.read_text(encoding="utf-8"), cr, found, tmp_path)
    assert any(seen[3].startswith("crd-") for seen in with_crd)  # judged by the CRD
    async with session(tmp_path) as editor:
        uri = editor.open(cr, cr.read_text(encoding="utf-8"))
        crd_uri = editor.open(tmp_path / "crd.yaml", (tmp_path / "crd.yaml").read_text())
        assert published(await editor.diagnostics(uri)) == with_crd
        editor.replace(crd_uri, 2, "garbage: [\n")  # unsaved: the CRD is gone
        await editor.diagnostics(crd_uri, 2)
        for _ in range(200):
            if published(await editor.diagnostics(uri)) != with_crd:
                break
            await asyncio.sleep(0.05)
        assert not any(d.code.startswith("crd-") for d in await editor.diagnostics(uri))
        document = lsp.TextDocumentIdentifier(uri=crd_uri)
        editor.client.text_document_did_close(lsp.DidCloseTextDocumentParams(document))
        for _ in range(200):  # the checks after the close come in their own time
            if published(await editor.diagnostics(uri)) == with_crd:
                break
            await asyncio.sleep(0.05)
        assert published(await editor.diagnostics(uri)) == with_crd


async def test_manifests_that_look_like_other_yaml(tmp_path: Path) -> None:
    """A bare list of Pods and a manifest pasted with line numbers are no CI workflow."""
    files = {
        "list.yaml": "- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n",
        "pasted.yaml": "1 apiVersion: v1\n2 kind: Pod\n3 metadata:\n4   name: nginx\n",
        "workflow.yaml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n",
    }
    async with session(tmp_path) as editor:
        for name, text in files.items():
            path = tmp_path / name
            path.write_text(text, encoding="utf-8")
            want = expected(text, path, validate(path, tmp_path), tmp_path)
            assert (want == []) is (name == "workflow.yaml"), want
            uri = editor.open(path, text)
            assert published(await editor.diagnostics(uri, 1)) == want


STOP_SIGNAL = """\
apiVersion: v1
kind: Pod
metadata:
  name: stop
spec:
  containers:
  - name: app
    image: nginx:1.27.1
    lifecycle:
      stopSignal: SIGTERM
"""


def explained(release: str) -> str | None:
    """`podgen explain`'s text for a container's stopSignal at `release`, None if it has none."""
    run = subprocess.run(
        [
            str(PODGEN),
            "explain",
            "pod.spec.containers.lifecycle.stopSignal",
            "--k8s-version",
            release,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return run.stdout.rstrip() if run.returncode == 0 else None


async def test_hover_at_the_release_of_the_environment_and_of_unsaved_podgen_yaml(
    tmp_path: Path,
) -> None:
    """An environment's kubernetesVersion, and podgen.yaml as the editor holds it, for hover."""
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent.parent / "examples/cluster-version/project", project)
    at_133, at_131 = explained("1.33"), explained("1.31")
    assert at_133 is not None and at_131 is None  # stopSignal came in 1.33
    plain = lsp.ClientCapabilities(
        text_document=lsp.TextDocumentClientCapabilities(
            hover=lsp.HoverClientCapabilities(content_format=[lsp.MarkupKind.PlainText])
        )
    )
    async with session(project, capabilities=plain) as editor:
        staging = editor.open(project / "k8s/staging/stop.yaml", STOP_SIGNAL)
        prod = editor.open(project / "k8s/prod/stop.yaml", STOP_SIGNAL)
        assert await editor.hover(staging, 9, 8) == at_133  # plain text, as asked
        assert await editor.hover(prod, 9, 8) is None
        settings = (project / "podgen.yaml").read_text()
        raised = settings.replace('kubernetesVersion: "1.31"', 'kubernetesVersion: "1.33"')
        editor.open(project / "podgen.yaml", raised)  # not saved
        assert await editor.hover(prod, 9, 8) == at_133


async def test_a_change_to_a_document_never_opened_is_quiet(tmp_path: Path) -> None:
    async with session(tmp_path) as editor:
        editor.change((tmp_path / "nope.yaml").as_uri(), 2, ((0, 0), (0, 0), "kind: Pod\n"))
        uri = editor.open(tmp_path / "pod.yaml", STOP_SIGNAL)
        await editor.diagnostics(uri, 1)  # the server went on
        assert editor.client.messages == []  # no window/showMessage of an error
