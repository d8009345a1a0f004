"""The scaffold's editor files start `podgen lsp`: VS Code's, Helix's and Neovim's.

Each file is read as its editor reads it (JSON, TOML; the Lua file by Neovim itself, in
tests/test_lsp_editors.py) and must name the command `podgen lsp`, and that command must
be the language server: it answers `initialize` as podgen.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from tests.conftest import run_podgen

BIN = str(Path(sys.executable).parent)
LSP = ["podgen", "lsp"]


def _scaffold(tmp_path: Path) -> Path:
    result = run_podgen(["scaffold", "web", "--output-dir", str(tmp_path), "--image", "nginx"])
    assert (result.code, result.stderr) == (0, ""), result
    return tmp_path / "web"


def _message(body: dict[str, object]) -> bytes:
    data = json.dumps(body).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(data), data)


def _messages(stream: bytes) -> list[dict[str, Any]]:
    """The messages of an LSP stream: headers, a blank line, Content-Length bytes of JSON."""
    messages = []
    while stream:
        headers, _, stream = stream.partition(b"\r\n\r\n")
        length = int(re.search(rb"Content-Length: (\d+)", headers)[1])  # type: ignore[index]
        messages.append(json.loads(stream[:length]))
        stream = stream[length:]
    return messages


def _server_name(command: list[str], cwd: Path) -> str:
    """Start `command` as an editor would (from PATH, in the project) and ask its name."""
    found = shutil.which(command[0], path=BIN + os.pathsep + os.environ.get("PATH", ""))
    assert found is not None, command
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    result = subprocess.run(
        [found, *command[1:]],
        cwd=cwd,
        input=b"".join(map(_message, messages)),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (initialized,) = [answer for answer in _messages(result.stdout) if answer.get("id") == 1]
    return str(initialized["result"]["serverInfo"]["name"])


def test_vscode_recommends_the_generic_client_set_to_podgen_lsp(tmp_path: Path) -> None:
    project = _scaffold(tmp_path)
    extensions = json.loads((project / ".vscode" / "extensions.json").read_text())
    assert extensions["recommendations"] == ["redhat.vscode-yaml", "zsol.vscode-glspc"]
    settings = json.loads((project / ".vscode" / "settings.json").read_text())
    command = [settings["glspc.server.command"], *settings["glspc.server.commandArguments"]]
    assert command == LSP
    assert settings["glspc.server.languageId"] == ["yaml"]
    assert "yaml.schemas" in settings  # the YAML extension's schemas stay
    assert _server_name(command, project) == "podgen"


def test_helix_adds_podgen_lsp_beside_its_yaml_server(tmp_path: Path) -> None:
    project = _scaffold(tmp_path)
    languages = tomllib.loads((project / ".helix" / "languages.toml").read_text())
    server = languages["language-server"]["podgen"]
    command = [server["command"], *server["args"]]
    assert command == LSP
    (yaml,) = languages["language"]
    assert yaml == {"name": "yaml", "language-servers": ["yaml-language-server", "podgen"]}
    assert _server_name(command, project) == "podgen"


def test_neovim_exrc_names_podgen_lsp_for_yaml(tmp_path: Path) -> None:
    text = (_scaffold(tmp_path) / ".nvim.lua").read_text()
    assert "cmd = { 'podgen', 'lsp' }" in text
    assert "filetypes = { 'yaml' }" in text
    assert "vim.lsp.enable('podgen')" in text
