"""`podgen lsp`: the protocol (pygls, lsprotocol), the open documents, and when each is checked.

Why pygls: it is the Python language-server framework the LSP ecosystem maintains (pytest-lsp
drives it in tests), with lsprotocol's generated types for every message; the protocol is all
it does here. Document texts are kept by `_lsp.text` (pygls splits lines as `str.splitlines`
does, at characters LSP does not end lines at).

Checking runs in one background thread, a document at a time, so that the server reads and
answers messages (hover, completion, more edits) while validate works. An edit marks its
document as due; a burst of edits is one check of the newest text; a result is published with
the version it was made for, never after a newer version's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import queue
import sys
import threading
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from podgen._lsp import diagnose, fields, outline, wire, workspace
from podgen._lsp.text import UTF16, Text, units

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, BinaryIO

#: How long a burst of edits may last before its document is checked (seconds).
SETTLE = 0.02
_log = logging.getLogger("podgen.lsp")
_CRD_MARKER = "CustomResourceDefinition"


class OpenDocument:
    """An open document: its text as the editor has it, and the version the editor gave."""

    __slots__ = ("held_crd", "language", "path", "published", "text", "uri", "version")

    def __init__(self, uri: str, text: Text, version: int, language: str) -> None:
        self.uri = uri
        self.path = path_of(uri)
        self.text = text
        self.version = version
        self.language = language
        #: the version of the diagnostics last published (-1: none yet)
        self.published = -1
        #: whether a text of it held a CRD: its changes and its closing change the catalog
        self.held_crd = _CRD_MARKER in text.source


def checked(uri: str, language: str) -> bool:
    """Whether a document is podgen's to check: YAML or JSON, by its language or its name.

    Clients configured for every file type send them all; a Python file is no manifest.
    """
    return language in _LANGUAGES or urlparse(uri).path.lower().endswith(_SUFFIXES)


_LANGUAGES = frozenset(("yaml", "json"))
_SUFFIXES = (".yaml", ".yml", ".json")


def path_of(uri: str) -> str | None:
    """The absolute path of a `file:` URI, or None (an untitled buffer, another scheme)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and path[:1] == "/" and path[2:3] == ":":
        path = path[1:]
    return os.path.abspath(path) if path else None


class PodgenServer(LanguageServer):
    """The language server: open documents, the workspace's CRDs, the checker thread."""

    def __init__(self) -> None:
        from podgen import __version__

        super().__init__("podgen", __version__, protocol_cls=wire.Protocol)
        self.documents: dict[str, OpenDocument] = {}
        self.crds = workspace.WorkspaceCrds([])
        self.encoding = UTF16
        self.shut_down = False
        self._due: dict[str, None] = {}
        self._wake: asyncio.Event | None = None
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        threading.Thread(target=self._work, name="podgen-check", daemon=True).start()

    def unsaved(self) -> dict[str, str]:
        """The open documents' texts by absolute path: what podgen reads instead of the disk."""
        return {d.path: d.text.source for d in self.documents.values() if d.path}

    # The checker ---------------------------------------------------------------------------

    def changed(self, uri: str, *, crd: bool) -> None:
        """A document's text changed: check it, and every open one if it holds a CRD."""
        if crd:  # a CRD changes what the custom resources beside it may hold
            self.crds.forget()
            self.due(uri, *self.documents)
        else:
            self.due(uri)

    def due(self, *uris: str) -> None:
        """Check these documents when the current burst of edits is over."""
        for uri in uris:
            self._due[uri] = None
        if self._wake is None:
            self._wake = asyncio.Event()
            asyncio.get_running_loop().create_task(self._check_due())
        self._wake.set()

    async def _check_due(self) -> None:
        assert self._wake is not None  # noqa: S101 (set by `due` before this task starts)
        while True:
            await self._wake.wait()
            self._wake.clear()
            await asyncio.sleep(SETTLE)
            while self._due:
                uri = next(iter(self._due))
                del self._due[uri]
                document = self.documents.get(uri)
                if document is None:
                    continue
                try:
                    await self._check(document)
                except Exception as error:  # a bug in a check: said, and the server goes on
                    _log.exception("podgen could not check %s", uri)
                    if self.documents.get(uri) is document:  # not the last text's findings
                        message = f"podgen could not check this file: internal error: {error!r}"
                        failed = diagnose.Diagnostic((0, 0), (0, 0), 1, "internal", message)
                        document.published = max(document.published, document.version)
                        self.publish(uri, document.version, [failed])

    async def _check(self, document: OpenDocument) -> None:
        version, text = document.version, document.text
        unsaved = self.unsaved()

        def check() -> list[diagnose.Diagnostic]:
            known = self.crds.catalog(unsaved)
            found = diagnose.findings(document.path, text.source, unsaved, known)
            return diagnose.diagnostics(document.path, text, found)

        placed = await self._in_thread(check)
        if self.documents.get(document.uri) is not document or version < document.published:
            return  # closed meanwhile, or a newer version's are out
        document.published = version
        self.publish(document.uri, version, placed)

    def publish(self, uri: str, version: int | None, placed: list[diagnose.Diagnostic]) -> None:
        """Send a document's diagnostics."""
        items = [_diagnostic(uri, d) for d in placed]
        params = lsp.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=version)
        self.text_document_publish_diagnostics(params)

    def _in_thread(self, job: Callable[[], Any]) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()

        def run() -> None:
            result: Any = None
            failure: BaseException | None = None
            try:
                result = job()
            except Exception as error:
                failure = error
            # A check that ends after the server's loop has closed (at shutdown) has no one
            # to tell: call_soon_threadsafe would raise in this thread.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, future, result, failure)

        self._jobs.put(run)
        return future

    def warm_up(self) -> None:
        """Import validate's modules in the checker thread while the editor opens its files."""

        def load() -> None:
            import podgen._checking.validate
            import podgen._commands.validate  # noqa: F401

        self._jobs.put(load)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                job()
            except Exception:  # a job reports its own errors; this thread goes on
                _log.exception("podgen lsp: a background job failed")


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _diagnostic(uri: str, placed: diagnose.Diagnostic) -> lsp.Diagnostic:
    related = None
    if placed.elsewhere is not None:
        file, line, column = placed.elsewhere
        where = lsp.Position(line=max(line - 1, 0), character=max(column - 1, 0))
        location = lsp.Location(uri=_uri_of(file), range=lsp.Range(start=where, end=where))
        related = [lsp.DiagnosticRelatedInformation(location=location, message="here")]
    return lsp.Diagnostic(
        range=lsp.Range(
            start=lsp.Position(line=placed.start[0], character=placed.start[1]),
            end=lsp.Position(line=placed.end[0], character=placed.end[1]),
        ),
        severity=lsp.DiagnosticSeverity(placed.severity),
        code=placed.code,
        source="podgen",
        message=placed.message,
        related_information=related,
    )


def _uri_of(file: str) -> str:
    from pathlib import Path

    return Path(os.path.abspath(file)).as_uri()


def make_server() -> PodgenServer:
    """The server with its features registered."""
    server = PodgenServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: PodgenServer, params: lsp.InitializeParams) -> None:
        roots = [path_of(f.uri) for f in params.workspace_folders or ()]
        if not roots and params.root_uri:
            roots = [path_of(params.root_uri)]
        if not roots and params.root_path:
            roots = [params.root_path]
        ls.crds = workspace.WorkspaceCrds([root for root in roots if root])
        chosen = ls.protocol.workspace.position_encoding or UTF16  # pygls's pick of the client's
        ls.encoding = str(getattr(chosen, "value", chosen))

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: PodgenServer, params: lsp.InitializedParams) -> None:
        ls.warm_up()
        capabilities = ls.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities else None
        if watched is None or not watched.dynamic_registration:
            return
        options = lsp.DidChangeWatchedFilesRegistrationOptions(
            watchers=[lsp.FileSystemWatcher(glob_pattern="**/*.{yaml,yml,json}")]
        )
        registration = lsp.Registration(
            id="podgen-watch",
            method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        ls.client_register_capability(lsp.RegistrationParams(registrations=[registration]))

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: PodgenServer, params: None) -> None:
        ls.shut_down = True

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PodgenServer, params: lsp.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        if not checked(item.uri, item.language_id):
            return
        text = Text(item.text, ls.encoding)
        document = OpenDocument(item.uri, text, item.version, item.language_id)
        ls.documents[item.uri] = document
        ls.changed(item.uri, crd=document.held_crd)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PodgenServer, params: lsp.DidChangeTextDocumentParams) -> None:
        document = ls.documents.get(params.text_document.uri)
        if document is None:
            return
        text = document.text
        for change in params.content_changes:  # in order: each range is in the text before it
            if isinstance(change, lsp.TextDocumentContentChangePartial):
                start, end = change.range.start, change.range.end
                text = text.edited(
                    (start.line, start.character), (end.line, end.character), change.text
                )
            else:
                text = Text(change.text, ls.encoding)
        document.text = text
        document.version = params.text_document.version
        document.held_crd = document.held_crd or _CRD_MARKER in text.source
        ls.changed(document.uri, crd=document.held_crd)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PodgenServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.crds.forget()  # what other files read of it (a podgen.yaml, a CRD) is on disk now
        ls.due(*ls.documents)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PodgenServer, params: lsp.DidCloseTextDocumentParams) -> None:
        document = ls.documents.pop(params.text_document.uri, None)
        if document is not None:
            ls.publish(document.uri, None, [])
            if document.held_crd:  # the file on disk holds what its unsaved text hid
                ls.crds.forget()
                ls.due(*ls.documents)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: PodgenServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        ls.crds.forget()
        ls.due(*ls.documents)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders(ls: PodgenServer, params: lsp.DidChangeWorkspaceFoldersParams) -> None:
        gone = {path_of(folder.uri) for folder in params.event.removed}
        roots = [root for root in ls.crds.roots if root not in gone]
        roots += [p for folder in params.event.added if (p := path_of(folder.uri))]
        ls.crds = workspace.WorkspaceCrds(roots)
        ls.due(*ls.documents)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: PodgenServer, params: lsp.HoverParams) -> lsp.Hover | None:
        found = _place(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        document, where = found
        unsaved = ls.unsaved()
        release = workspace.release_of(document.path, unsaved)
        markdown = _takes_markdown(ls)
        text = fields.hover(where, release, ls.crds.objects(unsaved), markdown=markdown)
        if text is None:
            return None
        kind = lsp.MarkupKind.Markdown if markdown else lsp.MarkupKind.PlainText
        return lsp.Hover(contents=lsp.MarkupContent(kind=kind, value=text))

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=[":", " "]),
    )
    def completion(ls: PodgenServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        found = _place(ls, params.text_document.uri, params.position)
        if found is None:
            return lsp.CompletionList(is_incomplete=False, items=[])
        document, where = found
        unsaved = ls.unsaved()
        release = workspace.release_of(document.path, unsaved)
        suggestions = fields.complete(where, release, ls.crds.objects(unsaved))
        line, encoding = document.text.line(params.position.line), document.text.encoding
        start, end = (units(line[:at], encoding) for at in where.span)
        replaced = lsp.Range(
            start=lsp.Position(line=params.position.line, character=start),
            end=lsp.Position(line=params.position.line, character=end),
        )
        items = [_item(s, where, replaced) for s in suggestions]
        return lsp.CompletionList(is_incomplete=False, items=items)

    return server


def _takes_markdown(ls: PodgenServer) -> bool:
    """Whether the client shows markdown hovers (it says which formats it takes, or takes any)."""
    documents = ls.client_capabilities.text_document
    hover = documents.hover if documents else None
    formats = hover.content_format if hover else None
    return not formats or lsp.MarkupKind.Markdown in formats


def _place(
    ls: PodgenServer, uri: str, position: lsp.Position
) -> tuple[OpenDocument, outline.Place] | None:
    document = ls.documents.get(uri)
    if document is None:
        return None
    text = document.text
    first = max(position.line - 2000, 0)  # a key's parents are seldom further up
    lines = [text.line(number) for number in range(first, position.line + 200)]
    cursor = (
        text.offset(position.line, position.character)
        - text.starts[min(position.line, len(text.starts) - 1)]
    )
    return (
        (document, found)
        if (found := outline.place(lines, position.line - first, cursor))
        else None
    )


_FIELD, _VALUE = lsp.CompletionItemKind.Field, lsp.CompletionItemKind.EnumMember


def _item(
    suggestion: fields.Suggestion, where: outline.Place, replaced: lsp.Range
) -> lsp.CompletionItem:
    documentation = (
        lsp.MarkupContent(kind=lsp.MarkupKind.PlainText, value=suggestion.documentation)
        if suggestion.documentation
        else None
    )
    return lsp.CompletionItem(
        label=suggestion.label,
        kind=lsp.CompletionItemKind.Field
        if suggestion.field
        else lsp.CompletionItemKind.EnumMember,
        detail=suggestion.detail or None,
        documentation=documentation,
        text_edit=lsp.TextEdit(range=replaced, new_text=fields.insert_text(suggestion, where)),
    )


def serve(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
    """Serve on stdin and stdout until `exit` or the end of stdin.

    0 after `shutdown` then `exit`; 1 when `exit` comes without `shutdown`, or stdin ends
    first, as the specification says. pygls returns 0 either way (its `sys.exit(1)` runs inside
    an asyncio callback, whose SystemExit it swallows), so the code is decided here.
    Nothing but protocol messages reaches stdout: the protocol writes to a copy of it, and
    file descriptor 1 is stderr's for anything else that prints. SIGTERM and SIGINT end it
    (`wire.end_on_signals`).
    """
    if stdin is None or stdout is None:
        stdin, stdout = _own_streams()
        wire.end_on_signals()
    server = make_server()
    with contextlib.suppress(KeyboardInterrupt):
        server.start_io(wire.BoundedInput(stdin), stdout)  # type: ignore[arg-type]
    return 0 if server.shut_down else 1


def _own_streams() -> tuple[BinaryIO, BinaryIO]:
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    protocol_in = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print goes to stderr
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, sys.stdin.fileno())  # nothing else reads the protocol
    os.close(null)
    sys.stdout = sys.stderr
    return protocol_in, protocol_out
