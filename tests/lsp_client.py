"""Drive `podgen lsp` as an editor does: pytest-lsp's client, over the real server's stdio.

`Wire` speaks raw framed JSON instead, for what a client library would not send or would
hide: malformed requests, huge messages, signals, every byte of stdout.

`session(root)` starts the installed console script in its own process (cwd `root`, the
workspace folder), initializes it, and shuts it down with `shutdown` then `exit` at the end;
`Session` opens and edits documents and waits for the diagnostics of a given version.
Every publishDiagnostics is kept in order (`Session.published`), so that tests can check
that no older version's came after a newer one's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, NamedTuple

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

PODGEN = Path(sys.executable).parent / "podgen"
#: How long a test waits for the server (generous: CI machines are loaded).
PATIENCE = 60.0


class Session:
    """An initialized client, and what the server published."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: list[lsp.PublishDiagnosticsParams] = []
        self._arrived = asyncio.Event()

    def heard(self, params: lsp.PublishDiagnosticsParams) -> None:
        """Keep a publishDiagnostics notification (the client's handler)."""
        self.published.append(params)
        self._arrived.set()

    def open(self, path: Path, text: str, version: int = 1, language: str = "yaml") -> str:
        """didOpen a document (it need not exist on disk); its URI."""
        uri = path.as_uri()
        item = lsp.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=item))
        return uri

    def change(
        self, uri: str, version: int, *edits: tuple[tuple[int, int], tuple[int, int], str]
    ) -> None:
        """didChange with incremental edits ((line, char), (line, char), new text), in order."""
        changes: list[lsp.TextDocumentContentChangeEvent] = [
            lsp.TextDocumentContentChangePartial(
                range=lsp.Range(
                    start=lsp.Position(line=start[0], character=start[1]),
                    end=lsp.Position(line=end[0], character=end[1]),
                ),
                text=text,
            )
            for start, end, text in edits
        ]
        document = lsp.VersionedTextDocumentIdentifier(uri=uri, version=version)
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(text_document=document, content_changes=changes)
        )

    def replace(self, uri: str, version: int, text: str) -> None:
        """didChange with the whole text (a full change)."""
        document = lsp.VersionedTextDocumentIdentifier(uri=uri, version=version)
        change = lsp.TextDocumentContentChangeWholeDocument(text=text)
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(text_document=document, content_changes=[change])
        )

    async def diagnostics(self, uri: str, version: int | None = None) -> list[lsp.Diagnostic]:
        """The diagnostics published for `uri` (at `version`, if given), waiting for them."""

        def found() -> lsp.PublishDiagnosticsParams | None:
            for params in reversed(self.published):
                if params.uri == uri and (version is None or params.version == version):
                    return params
            return None

        async def wait() -> list[lsp.Diagnostic]:
            while (params := found()) is None:
                self._arrived.clear()
                await self._arrived.wait()
            return list(params.diagnostics)

        return await asyncio.wait_for(wait(), PATIENCE)

    async def hover(self, uri: str, line: int, character: int) -> str | None:
        """The hover's markdown at a position, or None."""
        params = lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=line, character=character),
        )
        result = await asyncio.wait_for(self.client.text_document_hover_async(params), PATIENCE)
        if result is None:
            return None
        assert isinstance(result.contents, lsp.MarkupContent)
        return result.contents.value

    async def complete(self, uri: str, line: int, character: int) -> list[lsp.CompletionItem]:
        """The completion items at a position."""
        params = lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=line, character=character),
        )
        result = await asyncio.wait_for(
            self.client.text_document_completion_async(params), PATIENCE
        )
        if result is None:
            return []
        return list(result.items if isinstance(result, lsp.CompletionList) else result)


def make_client(session_of: list[Session]) -> LanguageClient:
    """pytest-lsp's test client, its publishDiagnostics handler keeping every notification."""
    client = LanguageClient()
    features: dict[str, Any] = dict(DEFAULT_CLIENT_FEATURES)

    def publish(client: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        session_of[0].heard(params)

    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    register_lsp_features(client, features)
    return client


@contextlib.asynccontextmanager
async def session(
    root: Path,
    *,
    capabilities: lsp.ClientCapabilities | None = None,
    env: dict[str, str] | None = None,
) -> AsyncIterator[Session]:
    """A `podgen lsp` process for the workspace folder `root` (its cwd), initialized."""
    holder: list[Session] = []
    client = make_client(holder)
    holder.append(Session(client))
    await client.start_io(str(PODGEN), "lsp", cwd=str(root), env=env)
    params = lsp.InitializeParams(
        capabilities=capabilities or lsp.ClientCapabilities(),
        root_uri=root.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
    )
    await asyncio.wait_for(client.initialize_session(params), PATIENCE)
    try:
        yield holder[0]
    finally:
        await asyncio.wait_for(client.shutdown_session(), PATIENCE)
        await client.stop()


def frame(message: dict[str, Any]) -> bytes:
    """One message as LSP frames it (`jsonrpc` added)."""
    body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def unframe(data: bytes) -> list[dict[str, Any]]:
    """Every byte of `data` as framed JSON messages (an assertion fails on anything else)."""
    messages = []
    while data:
        head, separator, rest = data.partition(b"\r\n\r\n")
        assert separator, f"not a header: {data[:200]!r}"
        fields = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
        assert set(fields) <= {b"Content-Length", b"Content-Type"}, head
        length = int(fields[b"Content-Length"])
        assert len(rest) >= length, f"cut short: {rest[:200]!r}"
        messages.append(json.loads(rest[:length]))
        data = rest[length:]
    return messages


class Ended(NamedTuple):
    """How a `Wire`'s server ended: its exit code, all it wrote on stdout, its stderr."""

    code: int
    messages: list[dict[str, Any]]
    stderr: str


class Wire:
    """`podgen lsp` as a subprocess, spoken to in raw framed JSON."""

    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [str(PODGEN), "lsp"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.cwd = cwd
        self.out = bytearray()
        #: every message, as it came; `heard` gives them one at a time (`wait_for`)
        self.messages: list[dict[str, Any]] = []
        self.heard: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        pending = b""
        while chunk := self.process.stdout.read1(65536):
            self.out += chunk
            pending += chunk
            while b"\r\n\r\n" in pending:
                head, _, rest = pending.partition(b"\r\n\r\n")
                length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
                if len(rest) < length:
                    break
                message = json.loads(rest[:length])
                self.messages.append(message)
                self.heard.put(message)
                pending = rest[length:]

    def send(self, data: bytes | dict[str, Any]) -> None:
        """Write a message (framed here), or raw bytes as they are."""
        assert self.process.stdin is not None
        self.process.stdin.write(data if isinstance(data, bytes) else frame(data))
        self.process.stdin.flush()

    def wait_for(self, wanted: str | int) -> dict[str, Any]:
        """The next message that is the response `wanted` (an id) or a `wanted` notification."""
        while True:
            message = self.heard.get(timeout=PATIENCE)
            if message.get("id") == wanted or message.get("method") == wanted:
                return message

    def answer(self, ident: int) -> dict[str, Any]:
        """The response to request `ident`, whenever it came."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            for message in list(self.messages):
                if message.get("id") == ident and "method" not in message:
                    return message
            time.sleep(0.02)
        raise AssertionError(f"no answer to request {ident}")

    def initialize(self) -> None:
        """initialize (id 1) with no capabilities, then initialized."""
        params = {"processId": None, "rootUri": self.cwd.as_uri(), "capabilities": {}}
        self.send({"id": 1, "method": "initialize", "params": params})
        assert "capabilities" in self.wait_for(1)["result"]
        self.send({"method": "initialized", "params": {}})

    def end(self, *, close: bool = True, kill: bool = False) -> Ended:
        """Close stdin (if asked; kill if asked), wait for the exit, close the pipes."""
        assert self.process.stdin is not None
        if kill and self.process.poll() is None:
            self.process.kill()
        if close:
            self.process.stdin.close()
        code = self.process.wait(timeout=PATIENCE)
        self._reader.join(PATIENCE)
        if not close:
            self.process.stdin.close()
        assert self.process.stderr is not None and self.process.stdout is not None
        stderr = self.process.stderr.read().decode(errors="replace")
        self.process.stderr.close()
        self.process.stdout.close()
        return Ended(code, unframe(bytes(self.out)), stderr)
