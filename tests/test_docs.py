"""The README and every page under docs/ show real commands with their real output: run each
one and compare, so no page can drift from what podgen prints.

A ```console block holds `$ COMMAND` lines, each followed by exactly what it prints (stdout,
then stderr). The commands are `podgen ...`, `cd DIR` (the commands after it in the block run
in DIR), `cat FILE` (to show a file a command wrote) and `echo $?` (the exit code of the
command before). `podgen ... > FILE` writes stdout to FILE, and only stderr is shown. A
quoted argument may span lines, as in a shell.

Each block runs in a scratch folder that looks like the repository: `examples/` is a copy
(commands may write there, and `scaffold` and `render --out` write new folders beside it);
every other top-level entry is a link to the repository's, to be read only. Each command is
its own test: the commands before it in its block run first. Where podgen prints an absolute
path, the pages show the scratch folder as /home/me.

A ```python block is run in the same kind of folder. When a ```text block follows it, that is
exactly what it prints; otherwise it prints nothing and holds an `assert` of its own.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.conftest import assert_schema_valid, run_podgen

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: How the pages show the scratch folder the examples run in.
HOME = "/home/me"
#: Pages that explain rather than show: every other page has examples.
NO_EXAMPLES = {
    "docs/how-it-works.md",
    "docs/performance.md",
    "docs/testing.md",
    "docs/validation-rules.md",
}

FENCE = re.compile(r"^```(\S*)[^\n]*\n(.*?)^```$", re.DOTALL | re.MULTILINE)
PYTHON = re.compile(r"^```python\n(.*?)^```\n(?:\n```text\n(.*?)^```$)?", re.DOTALL | re.MULTILINE)


class Step(NamedTuple):
    """One `$ ...` line of a console block and what the page shows it printing."""

    line: str
    words: list[str]
    output: str


class Example(NamedTuple):
    """A command to check, after the steps before it in its block."""

    page: str
    before: tuple[Step, ...]
    step: Step


class PythonExample(NamedTuple):
    """A python block and what the page shows it printing (None: nothing)."""

    page: str
    number: int
    code: str
    printed: str | None


def _name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def _steps(block: str) -> list[Step]:
    """The `$ ` lines of a console block, their words and their output."""
    lines = block.splitlines(keepends=True)
    assert lines and lines[0].startswith("$ "), f"a console block starts with a command: {block}"
    steps, index = [], 0
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
        steps.append(Step(command.strip(), words, "".join(output)))
    return steps


def _examples() -> list[Example]:
    examples = []
    for page in PAGES:
        for language, block in FENCE.findall(page.read_text(encoding="utf-8")):
            if language != "console":
                continue
            steps = _steps(block)
            for index, step in enumerate(steps):
                if step.words[0] != "cd":
                    examples.append(Example(_name(page), tuple(steps[:index]), step))
    return examples


def _python_examples() -> list[PythonExample]:
    return [
        PythonExample(_name(page), number, code, printed or None)
        for page in PAGES
        for number, (code, printed) in enumerate(
            PYTHON.findall(page.read_text(encoding="utf-8")), start=1
        )
    ]


EXAMPLES = _examples()
PYTHON_EXAMPLES = _python_examples()


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder that looks like the repository, as the current folder."""
    for entry in ROOT.iterdir():
        if entry.name == "examples":
            shutil.copytree(entry, tmp_path / entry.name, symlinks=True)
        elif entry.name != ".git":
            (tmp_path / entry.name).symlink_to(entry)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _shown(text: str, scratch: Path) -> str:
    """`text` with the scratch folder's path as the pages show it."""
    for path in {str(scratch.resolve()), str(scratch)}:
        text = text.replace(path, HOME)
    return text


def _output_format(words: list[str]) -> str:
    """What `-o` asks of a podgen command."""
    for index, word in enumerate(words):
        if word == "--":
            break
        if word in ("-o", "--output") and index + 1 < len(words):
            return words[index + 1]
        if word.startswith("--output="):
            return word.partition("=")[2]
        if word.startswith("-o") and not word.startswith("--"):
            return word[2:].lstrip("=")
    return "yaml"


def _run(step: Step, monkeypatch: pytest.MonkeyPatch, code: int) -> tuple[str, int]:
    """Run one step in the current folder, after one that exited with `code`: what it shows,
    and its exit code."""
    words = step.words
    if words == ["echo", "$?"]:
        return f"{code}\n", 0
    if words[0] == "cd":
        monkeypatch.chdir(Path.cwd() / words[1])
        return "", 0
    if words[0] == "cat":
        return Path(words[1]).read_text(encoding="utf-8"), 0
    assert words[0] == "podgen", f"the pages run podgen, cd, cat and echo $? only: {step.line}"
    target = None
    if len(words) > 2 and words[-2] == ">":
        words, target = words[:-2], Path(words[-1])
    result = run_podgen(words[1:])
    if target is not None:
        target.write_text(result.stdout, encoding="utf-8")
        return result.stderr, result.code
    manifests = words[1] in ("new", "render") and not {"--out", "--check"} & set(words)
    if result.code == 0 and manifests and result.stdout:  # the commands that print manifests
        assert_schema_valid(result.stdout, _output_format(words))
    return result.stdout + result.stderr, result.code


def test_the_docs_have_examples() -> None:
    pages = {example.page for example in EXAMPLES} | {example.page for example in PYTHON_EXAMPLES}
    for page in map(_name, PAGES):
        assert page in pages or page in NO_EXAMPLES, f"{page} shows no command that runs"
    assert len(EXAMPLES) >= 60


def test_every_shown_command_is_run() -> None:
    """A command shown with a prompt is in a console block, where it runs; `sh` blocks show
    commands to copy, without output. Fences start their line (an indented one is not read)."""
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"^[ \t]+```", text, re.MULTILINE), f"{_name(page)}: an indented fence"
        for language, block in FENCE.findall(text):
            prompts = [line for line in block.splitlines() if line.startswith("$ ")]
            assert language == "console" or not prompts, f"{_name(page)}: {prompts[0]}"


@pytest.mark.parametrize(
    "example", EXAMPLES, ids=[f"{example.page}: {example.step.line}" for example in EXAMPLES]
)
def test_example_output_is_real(
    example: Example, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = 0
    for step in example.before:
        code = _run(step, monkeypatch, code)[1]
    shown, _ = _run(example.step, monkeypatch, code)
    assert _shown(shown, scratch) == example.step.output


@pytest.mark.parametrize(
    "example",
    PYTHON_EXAMPLES,
    ids=[f"{example.page}: python block {example.number}" for example in PYTHON_EXAMPLES],
)
def test_python_example_runs(example: PythonExample, scratch: Path) -> None:
    if example.printed is None:
        assert re.search(r"^\s*assert ", example.code, re.MULTILINE), (
            "a python block shows what it prints in a ```text block after it, or asserts"
        )
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example.code, example.page, "exec"), {})  # noqa: S102 - our own docs' code
    assert _shown(printed.getvalue(), scratch) == (example.printed or "")
