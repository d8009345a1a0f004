"""Large folders render in worker processes, to exactly what rendering one by one gives."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from podgen._blueprint.builtins import names, text
from podgen._io.output import print_all
from podgen._model.spec import OutputFormat
from podgen._rendering import bulk as _bulk
from tests.conftest import Run, run_podgen

COUNT = _bulk.PARALLEL_FROM + 2 * _bulk.CHUNK + 17  # several chunks, the last one short


def _folder(tmp_path: Path) -> Path:
    """A big folder: every built-in blueprint, renamed many times, and files to skip."""
    folder = tmp_path / "repo"
    builtins = [(name, text(name)) for name in names()]
    for index in range(COUNT):
        name, source = builtins[index % len(builtins)]
        shard = folder / f"team-{index % 7}"
        shard.mkdir(parents=True, exist_ok=True)
        renamed = source.replace("name: ", f"name: n{index}-")
        renamed = renamed.replace("namespace: ", f"namespace: n{index}-")
        (shard / f"{index:04d}-{name}.yaml").write_text(renamed)
    (folder / "not-a-blueprint.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "broken.yaml").write_text("apiVersion: podgen.dev/v1\n: [\n")
    return folder


def _one_by_one(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> Run:
    with monkeypatch.context() as patch:
        patch.setattr(_bulk, "_cores", lambda: 1)
        return run_podgen(args)


@pytest.fixture(autouse=True)
def three_cores(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Three workers on any machine, and a record of the worker counts each run used."""
    monkeypatch.setattr(_bulk, "_cores", lambda: 3)
    used: list[int] = []
    real = _bulk._in_parallel

    def spy(candidates: list[str], workers: int, *rest: object) -> object:
        used.append(workers)
        return real(candidates, workers, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(_bulk, "_in_parallel", spy)
    return used


def test_a_big_folder_takes_the_parallel_path(tmp_path: Path, three_cores: list[int]) -> None:
    assert _bulk._can_fork(), "podgen's CI runs on Linux, where workers fork"
    result = run_podgen(["render", str(_folder(tmp_path))])
    assert result.code == 0
    assert three_cores == [3]


@pytest.mark.parametrize("output", ["yaml", "json"])
def test_parallel_output_is_what_one_by_one_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    folder = _folder(tmp_path)
    parallel = run_podgen(["render", str(folder), "-o", output])
    assert parallel.code == 0, parallel.stderr
    assert parallel == _one_by_one(monkeypatch, ["render", str(folder), "-o", output])
    assert (
        parallel.stdout.count("\nkind: Pod\n" if output == "yaml" else '"kind": "Pod"') > COUNT / 2
    )


def test_parallel_out_writes_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    first = run_podgen(["render", str(folder), "--out", str(tmp_path / "parallel")])
    second = _one_by_one(monkeypatch, ["render", str(folder), "--out", str(tmp_path / "serial")])
    assert first.code == second.code == 0
    written = sorted(
        p.relative_to(tmp_path / "parallel") for p in (tmp_path / "parallel").rglob("*")
    )
    assert written == sorted(
        p.relative_to(tmp_path / "serial") for p in (tmp_path / "serial").rglob("*")
    )
    for path in written:
        if (tmp_path / "parallel" / path).is_file():
            assert (tmp_path / "parallel" / path).read_text() == (
                tmp_path / "serial" / path
            ).read_text()


def test_the_first_error_in_file_order_is_reported_and_nothing_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    files = _bulk.folder_files(str(folder))
    late, early = Path(files[-3]), Path(files[_bulk.CHUNK + 5])
    late.write_text(late.read_text().replace("image:", "imagex:", 1))
    early.write_text(
        early.read_text().replace(
            "apiVersion: podgen.dev/v1", "apiVersion: podgen.dev/v1\nbogus: 1"
        )
    )
    result = run_podgen(["render", str(folder)])
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {early}:2:1: bogus")
    assert result == _one_by_one(monkeypatch, ["render", str(folder)])


def test_a_big_folder_without_blueprints_says_so(tmp_path: Path) -> None:
    for index in range(COUNT):
        (tmp_path / f"cm-{index}.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n")
    result = run_podgen(["render", str(tmp_path)])
    assert (result.code, result.stdout) == (1, "")
    assert (
        result.stderr
        == f"error: {tmp_path}: no blueprints (apiVersion: podgen.dev/v1) in this folder\n"
    )


def test_workers_are_few_for_small_folders_and_capped_for_big_machines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _bulk._workers(_bulk.PARALLEL_FROM - 1) == 1
    assert _bulk._workers(_bulk.PARALLEL_FROM) == 2  # two chunks of work, three cores
    monkeypatch.setattr(_bulk, "_cores", lambda: 64)
    assert _bulk._workers(100_000) == _bulk.MAX_WORKERS


@pytest.mark.parametrize("count", [0, 1, 2, 255, 256, 257, 512, 513])
@pytest.mark.parametrize("output", [OutputFormat.YAML, OutputFormat.JSON])
def test_printed_documents_are_joined_exactly_once(count: int, output: OutputFormat) -> None:
    texts = [f"kind: Pod{index}\n" for index in range(count)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print_all(iter(texts), output)
    assert out.getvalue() == ("---\n" if output is OutputFormat.YAML else "").join(texts)
