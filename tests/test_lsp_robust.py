"""`podgen lsp` under hostile input, and its stdio as the protocol wants it.

Garbage, NUL bytes, an empty document, a 5 MB manifest, an alias bomb and 100,000 nested
brackets get `podgen validate`'s findings on the same bytes, and the server answers after
each; lone surrogates, which no file holds, do not stop it. On stdout there is nothing but
Content-Length framed JSON, and the exit codes are those the specification gives.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.lsp_client import Wire, session
from tests.lsp_expect import expected, published, validate

REPO = Path(__file__).parent.parent
GARBAGE = "}{ ::: - ? ]] @`\n\tkind: [}\n%%% !!python/object:os.system\n\u00ff\ufffd"


def bomb() -> str:
    """A ConfigMap whose data is the YAML 'billion laughs': nine levels of nine aliases."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        name, last = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{last}"] * 9) + "]")
    body = "".join(f"  {line}\n" for line in lines)
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: laughs}}\ndata:\n{body}"


def big() -> str:
    """Over 5 MB of manifests: the guestbook's documents, again and again."""
    guestbook = (REPO / "tests/corpus/guestbook.yaml").read_text(encoding="utf-8")
    return "\n---\n".join([guestbook] * (5_000_000 // len(guestbook) + 1))


HOSTILE = {
    "garbage.yaml": GARBAGE,
    "empty.yaml": "",
    "bomb.yaml": bomb(),
    "deep.yaml": "[" * 100_000,
    "big.yaml": big(),
    "nul.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\x00b\n",
    "binary.yaml": "\x00\x01\x02 binary\x00\xff\n" * 50,
    # JSON nested past Python's recursion limit, and a number past its 4,300 digits
    "deep.json": '{"apiVersion": "v1", "kind": "ConfigMap", "data": '
    + "[" * 50_000
    + "]" * 50_000
    + "}",
    "huge-number.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n"
    f"spec: {{replicas: {'9' * 5000}}}\n",
}


async def test_hostile_documents_get_validates_findings(tmp_path: Path) -> None:
    for name, text in HOSTILE.items():
        (tmp_path / name).write_bytes(text.encode("utf-8"))
    with ThreadPoolExecutor(2) as pool:  # validate runs while the server works
        runs = {name: pool.submit(validate, tmp_path / name, tmp_path) for name in HOSTILE}
        got = {}
        async with session(tmp_path) as editor:
            for name, text in HOSTILE.items():
                uri = editor.open(tmp_path / name, text)
                got[name] = published(await editor.diagnostics(uri, 1))
                await editor.hover(uri, 0, 0)  # still answering
                await editor.complete(uri, 0, 1)
        found = {name: run.result() for name, run in runs.items()}
    assert len(HOSTILE["big.yaml"]) > 5_000_000 and len(found["big.yaml"]) > 1000
    for name in ("garbage.yaml", "bomb.yaml", "deep.yaml"):
        assert [f["rule"] for f in found[name]] == ["yaml"], found[name]
    for name in ("nul.yaml", "binary.yaml"):
        assert [f["rule"] for f in found[name]] == ["input"], found[name]
    for name, text in HOSTILE.items():
        assert got[name] == expected(text, tmp_path / name, found[name], tmp_path), name


async def test_text_no_file_holds_does_not_stop_it(tmp_path: Path) -> None:
    fine = (REPO / "tests/tutorial_mistakes/misspelled-key.bad.yaml").read_text()
    async with session(tmp_path) as editor:
        for number, text in enumerate(
            [
                "apiVersion: v1\nkind: Pod\nmetadata: {name: '\ud800x\udfff'}\n",
                "\udc00" * 3,
            ]
        ):
            uri = editor.open(tmp_path / f"odd-{number}.yaml", text)
            await editor.hover(uri, 0, 2)
            await editor.complete(uri, 1, 3)
        uri = editor.open(tmp_path / "fine.yaml", fine)  # the checker goes on too
        expected_rules = {f["rule"] for f in validate(None, tmp_path, stdin=fine.encode())}
        assert {d.code for d in await editor.diagnostics(uri, 1)} == expected_rules


async def test_control_characters_are_a_yaml_finding(tmp_path: Path) -> None:
    """A control character (here U+001C) is refused where it is, as YAML readers refuse it."""
    path = tmp_path / "control.yaml"
    path.write_bytes(b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\x1cb\n")
    found = validate(path, tmp_path)
    assert [(f["rule"], f["line"], f["column"]) for f in found] == [("yaml", 4, 10)]
    assert "U+001C" in found[0]["message"]
    async with session(tmp_path) as editor:
        uri = editor.open(path, path.read_text())
        placed = await editor.diagnostics(uri, 1)
        assert [(d.code, d.range.start.line, d.range.start.character) for d in placed] == [
            ("yaml", 3, 9)
        ]


# The wire ----------------------------------------------------------------------------------


def request(ident: int, method: str, params: Any = None) -> dict[str, Any]:
    return {"id": ident, "method": method, "params": params}


def notify(method: str, params: Any = None) -> dict[str, Any]:
    return {"method": method, "params": params}


def test_stdout_carries_only_protocol_messages(tmp_path: Path) -> None:
    wire = Wire(tmp_path)
    wire.initialize()
    uri = (tmp_path / "garbage.yaml").as_uri()
    for number, text in enumerate([GARBAGE, "\x00" * 100, bomb()]):
        item = {"uri": f"{uri}{number}", "languageId": "yaml", "version": 1, "text": text}
        wire.send(notify("textDocument/didOpen", {"textDocument": item}))
    item = {"uri": uri, "languageId": "yaml", "version": 1, "text": GARBAGE}
    wire.send(notify("textDocument/didOpen", {"textDocument": item}))
    published = wire.wait_for("textDocument/publishDiagnostics")
    assert published["params"]["diagnostics"]
    position = {"line": 0, "character": 1}
    wire.send(
        request(2, "textDocument/hover", {"textDocument": {"uri": uri}, "position": position})
    )
    assert "error" not in wire.wait_for(2)
    wire.send(request(3, "shutdown"))
    assert wire.wait_for(3)["result"] is None
    wire.send(notify("exit"))
    code, messages, _ = wire.end(close=False)
    assert code == 0
    assert all(message.get("jsonrpc") == "2.0" for message in messages)


@pytest.mark.parametrize(
    ("shutdown", "ending", "code"),
    [
        (True, "exit", 0),
        (False, "exit", 1),
        (False, "eof", 1),
        (True, "eof", 0),
    ],
)
def test_exit_codes(tmp_path: Path, shutdown: bool, ending: str, code: int) -> None:
    wire = Wire(tmp_path)
    wire.initialize()
    if shutdown:
        wire.send(request(2, "shutdown"))
        assert wire.wait_for(2)["result"] is None
    if ending == "exit":
        wire.send(notify("exit"))
    got, messages, _ = wire.end(close=ending == "eof")
    assert got == code
    assert messages[0]["id"] == 1
