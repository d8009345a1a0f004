"""The edges of the protocol that pygls leaves open: bad messages, huge ones, signals.

- A request whose params do not fit its method, or that is no request at all, is answered
  with JSON-RPC's error (-32602, -32600) instead of silence, which would leave an editor
  waiting; a request before `initialize` gets -32002 and one after `shutdown` -32600, as the
  specification says.
- A message announced larger than `MAX_MESSAGE` is read and dropped a piece at a time instead
  of being allocated whole; a header line is read at most `MAX_HEADER` bytes at a time.
- A change to a document that was never opened is dropped (pygls reports a KeyError to the
  user).
- SIGTERM and SIGINT end the server at once (143, 130): its stdin reader is a thread blocked
  in a read, which a normal exit would wait for until the editor closes the pipe.
"""

from __future__ import annotations

import os
import signal
import sys
from types import SimpleNamespace

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInternalError, JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO

#: The largest message read (bytes): a 50 MB manifest, JSON-escaped, fits.
MAX_MESSAGE = 256 * 1024 * 1024
MAX_HEADER = 64 * 1024
_INVALID_REQUEST, _INVALID_PARAMS, _NOT_INITIALIZED = -32600, -32602, -32002
#: What pygls's handle_message passes over (a message of another JSON-RPC version).
_IGNORED = SimpleNamespace(jsonrpc="")


class Protocol(LanguageServerProtocol):
    """pygls's protocol, answering the requests it would leave unanswered."""

    initialize_seen = False

    def structure_message(self, data: dict[str, Any]) -> Any:
        """The message as lsprotocol's types; a request that does not fit is answered here."""
        try:
            return super().structure_message(data)
        except (JsonRpcInvalidParams, JsonRpcInternalError):
            ident = data.get("id") if isinstance(data, dict) else None
            method = data.get("method") if isinstance(data, dict) else None
            if isinstance(ident, int | str) and not isinstance(ident, bool):
                if isinstance(method, str):
                    self._refuse(ident, _INVALID_PARAMS, f"{method}: its params do not fit it")
                else:
                    self._refuse(ident, _INVALID_REQUEST, "not a request: no method name")
            return _IGNORED

    def handle_message(self, message: Any) -> None:
        """Refuse requests before `initialize` and after `shutdown`; the rest to pygls."""
        method = getattr(message, "method", None)
        ident = getattr(message, "id", None)
        if method == lsp.INITIALIZE:
            self.initialize_seen = True
        elif method is not None and ident is not None and method != lsp.EXIT:
            if not self.initialize_seen:
                self._refuse(ident, _NOT_INITIALIZED, "the server is not initialized yet")
                return
            if self._shutdown:
                self._refuse(ident, _INVALID_REQUEST, "the server is shut down")
                return
        elif method is not None and not self.initialize_seen and method != lsp.EXIT:
            return  # a notification before initialize is dropped, as the specification says
        elif method == lsp.TEXT_DOCUMENT_DID_CHANGE and not self._open(message):
            return  # a change to a document never opened (pygls would raise KeyError)
        super().handle_message(message)

    def _open(self, message: Any) -> bool:
        from urllib.parse import unquote

        uri = message.params.text_document.uri
        return unquote(uri) in self.workspace.text_documents

    def _refuse(self, ident: int | str, code: int, message: str) -> None:
        error = lsp.ResponseError(code=code, message=message)
        self._send_response(ident, error=error)


class BoundedInput:
    """The protocol's stdin, never asked for more than a message may hold at once."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw

    def readline(self) -> bytes:
        """A header line (cut at MAX_HEADER bytes: what is left is read as the next)."""
        return self.raw.readline(MAX_HEADER)

    def read(self, size: int) -> bytes:
        """A message's body; one over MAX_MESSAGE is read, dropped and given as invalid JSON."""
        if size <= MAX_MESSAGE:
            return self.raw.read(size)
        sys.stderr.write(f"podgen lsp: a message of {size} bytes was dropped (too large)\n")
        left = size
        while left > 0:
            chunk = self.raw.read(min(left, 1024 * 1024))
            if not chunk:
                return b""  # the client went away: the server ends
            left -= len(chunk)
        return b"\x00"  # not JSON: pygls logs it and reads on


def end_on_signals() -> None:
    """SIGTERM and SIGINT end the process at once, as a terminal or an editor expects."""

    def end(signum: int, frame: object) -> None:
        word = "terminated" if signum == signal.SIGTERM else "interrupted"
        sys.stderr.write(f"error: {word}\n")
        sys.stderr.flush()
        os._exit(143 if signum == signal.SIGTERM else 130)

    signal.signal(signal.SIGTERM, end)
    signal.signal(signal.SIGINT, end)
