"""The README shows real commands with their real output: run each one and compare."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import assert_schema_valid, run_podgen

README = Path(__file__).parent.parent / "README.md"


def _examples() -> list[tuple[str, list[str], str]]:
    """Each `$ podgen ...` line, its words and its output; a `$ cd DIR` line moves the ones
    after it in its block into DIR (a command's words then start with `-C DIR`)."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README.read_text(), re.DOTALL):
        lines = block.splitlines(keepends=True)
        index = 0
        folder = "."
        while index < len(lines):
            command = lines[index][2:]
            index += 1
            while True:  # a quoted argument may span lines
                try:
                    words = shlex.split(command)
                    break
                except ValueError:
                    command += lines[index]
                    index += 1
            output = []
            while index < len(lines) and not lines[index].startswith("$ "):
                output.append(lines[index])
                index += 1
            if words[0] == "cd":
                folder = str(Path(folder) / words[1])
                continue
            if folder != ".":
                words = ["-C", folder, *words]
            examples.append((command.strip(), words, "".join(output)))
    return examples


EXAMPLES = _examples()


def test_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize(("command", "words", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_readme_example_output_is_real(
    command: str, words: list[str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(README.parent)  # the README's paths are relative to the repo
    if words[0] == "-C":  # after a `$ cd DIR`
        monkeypatch.chdir(README.parent / words[1])
        words = words[2:]
    assert words[0] == "podgen", command
    result = run_podgen(words[1:])
    assert result.stdout + result.stderr == expected
    prints = words[1] in ("new", "render") and "--check" not in words and "--out" not in words
    if result.code == 0 and prints:  # the commands that print manifests
        assert_schema_valid(result.stdout, "json" if "-o json" in command else "yaml")


def test_readme_python_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # noqa: S102 - our own README's code
        printed = capsys.readouterr().out
        assert printed.startswith("apiVersion: v1\nkind: Pod\n"), printed
        assert '"kind": "Deployment"' in printed
