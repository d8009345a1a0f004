"""Writing files and stdout: nothing lost, nothing half-written, whatever happens on the way.

`render --out` replaces a set of files all together or not at all, prunes only what podgen
wrote, keeps file modes, and never touches the blueprints it reads. The fault-injection tests
fail the writer part-way (a full disk, a read-only folder, a folder where a file goes, a failed
rename, Ctrl-C) and interrupt real `podgen render` processes at random moments.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from podgen._io import plan as _plan
from podgen._io import transaction as _transaction
from tests.conftest import run_podgen

PODGEN = Path(sys.executable).parent / "podgen"
HEAD = "apiVersion: podgen.dev/v1\nkind: Blueprint\n"


def _blueprint(name: str, image: str = "nginx:1.25.3", namespace: str | None = None) -> str:
    ns = f"namespace: {namespace}\n" if namespace else ""
    return f"{HEAD}{ns}pods:\n  - name: {name}\n    image: {image}\n    port: 80\n"


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) and its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _temporary_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*") if p.name.endswith((".podgen-tmp", ".podgen-old"))]


# --prune: only what podgen wrote


def test_prune_keeps_files_podgen_did_not_write_and_says_what_it_removes(tmp_path: Path) -> None:
    out = tmp_path / "k8s"
    assert run_podgen(["render", "labelled-pods", "--out", str(out)]).code == 0
    (out / "overlay.yaml").write_text("resources: [pod-web.yaml]\n")  # a file of the user's
    (out / "notes.json").write_text("{}\n")
    result = run_podgen(["render", "nginx-web", "--out", str(out), "--force", "--prune"])
    assert result.code == 0, result.stderr
    removed = sorted(line for line in result.stdout.splitlines() if line.startswith("removed "))
    assert removed == [
        f"removed {out / name} (no object renders to it)"
        for name in (
            "namespace-shop.yaml",
            "shop/pod-web-1.yaml",
            "shop/pod-web-2.yaml",
            "shop/pod-web-canary.yaml",
            "shop/service-web.yaml",
        )
    ]
    assert sorted(p.name for p in out.iterdir()) == [
        ".podgen-rendered",
        "kustomization.yaml",  # podgen's: it lists the files of this render
        "notes.json",
        "overlay.yaml",
        "pod-nginx.yaml",
        "service-nginx.yaml",
    ]  # the emptied namespace folder went too
    assert (out / "overlay.yaml").read_text() == "resources: [pod-web.yaml]\n"
    assert "- pod-nginx.yaml\n- service-nginx.yaml\n" in (out / "kustomization.yaml").read_text()


def test_prune_never_deletes_the_blueprint_it_reads(tmp_path: Path) -> None:
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(_blueprint("web"))
    (tmp_path / "other.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n")
    (tmp_path / "data.json").write_text("[]\n")
    for _ in range(2):
        result = run_podgen(
            ["render", str(blueprint), "--out", str(tmp_path), "--force", "--prune"]
        )
        assert result.code == 0, result.stderr
        assert "removed" not in result.stdout
    assert blueprint.read_text() == _blueprint("web")
    assert (tmp_path / "other.yaml").exists() and (tmp_path / "data.json").exists()


def test_a_blueprint_is_never_overwritten_by_its_own_output(tmp_path: Path) -> None:
    blueprint = tmp_path / "pod-web.yaml"  # the very name its Pod renders to
    blueprint.write_text(_blueprint("web"))
    result = run_podgen(["render", str(blueprint), "--out", str(tmp_path), "--force"])
    assert result.code == 1
    assert result.stderr == (
        f"error: --out: {blueprint} is a blueprint being read; refusing to overwrite it\n"
    )
    assert blueprint.read_text() == _blueprint("web")


def test_an_edited_stale_file_is_kept_and_left_to_its_editor(tmp_path: Path) -> None:
    source, out = tmp_path / "app.yaml", tmp_path / "k8s"
    source.write_text(_blueprint("web"))
    assert run_podgen(["render", str(source), "--out", str(out)]).code == 0
    with (out / "pod-web.yaml").open("a") as file:
        file.write("# tuned by hand\n")
    source.write_text(_blueprint("api"))
    check = run_podgen(["render", str(source), "--out", str(out), "--check"])
    assert check.code == 1
    assert f"stale: {out / 'pod-web.yaml'} (no object renders to it, and edited" in check.stdout
    result = run_podgen(["render", str(source), "--out", str(out), "--prune"])
    assert result.code == 0
    assert f"warning: kept {out / 'pod-web.yaml'}" in result.stderr
    assert (out / "pod-web.yaml").read_text().endswith("# tuned by hand\n")
    # It is its editor's now: podgen forgets it, and --check passes.
    assert run_podgen(["render", str(source), "--out", str(out), "--check"]).code == 0
    assert "pod-web.yaml" not in (out / ".podgen-rendered").read_text()


def test_a_record_cannot_send_prune_outside_its_folder(tmp_path: Path) -> None:
    out, outside = tmp_path / "k8s", tmp_path / "precious.yaml"
    outside.write_text("mine\n")
    assert run_podgen(["render", "nginx-web", "--out", str(out)]).code == 0
    sha = _plan.digest("mine\n")
    with (out / _plan.RECORD).open("a") as record:
        record.write(f"{sha}  ../precious.yaml\n{sha}  {outside}\n")
    assert run_podgen(["render", "nginx-web", "--out", str(out), "--force", "--prune"]).code == 0
    assert outside.read_text() == "mine\n"


def test_check_reports_stray_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "k8s"
    assert run_podgen(["render", "nginx-web", "--out", str(out)]).code == 0
    stray = out / ".pod-nginx.yaml.1a2b3c4d.podgen-tmp"
    stray.write_text("half")
    result = run_podgen(["render", "nginx-web", "--out", str(out), "--check"])
    assert result.code == 1
    assert (
        f"stray: {stray} (a temporary file of an interrupted podgen; podgen render" in result.stdout
    )
    assert run_podgen(["render", "nginx-web", "--out", str(out)]).code == 0
    assert not stray.exists()


# File modes


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_027")
def test_new_files_follow_the_umask_and_replaced_files_keep_their_mode(tmp_path: Path) -> None:
    out = tmp_path / "k8s"
    assert run_podgen(["render", "labelled-pods", "--out", str(out)]).code == 0
    assert {_mode(p) for p in out.rglob("*") if p.is_file()} == {0o640}
    (out / "namespace-shop.yaml").chmod(0o604)
    assert run_podgen(["render", "labelled-pods", "--out", str(out), "--force"]).code == 0
    assert _mode(out / "namespace-shop.yaml") == 0o604
    assert _mode(out / "shop" / "pod-web-1.yaml") == 0o640


@pytest.mark.usefixtures("umask_027")
def test_scaffolded_manifests_follow_the_umask(tmp_path: Path) -> None:
    result = run_podgen(
        ["scaffold", "web", "--image", "nginx:1.25.3", "--output-dir", str(tmp_path)]
    )
    assert result.code == 0, result.stderr
    manifests = list((tmp_path / "web" / "k8s").glob("*.yaml"))
    assert manifests and {_mode(p) for p in manifests} == {0o640}


# Fault injection through the writer's seams: the folder is left exactly as it was


@pytest.fixture
def rendered_before(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A folder of 20 blueprints rendered once; then every blueprint changes its image."""
    source, out = tmp_path / "bp", tmp_path / "k8s"
    source.mkdir()
    for index in range(20):
        namespace = "shop" if index % 2 else None
        (source / f"web-{index:02}.yaml").write_text(
            _blueprint(f"web-{index}", "nginx:1", namespace)
        )
    assert run_podgen(["render", str(source), "--out", str(out)]).code == 0
    before = _tree(out)
    for blueprint in source.iterdir():
        blueprint.write_text(blueprint.read_text().replace("nginx:1", "nginx:2"))
    return source, out, before


def _fail_on_call(number: int, error: BaseException) -> object:
    calls = {"count": 0}

    def write(stream: IO[str], text: str) -> None:
        calls["count"] += 1
        if calls["count"] == number:
            stream.write(text[: len(text) // 2])  # half of it reached the disk
            raise error
        stream.write(text)

    return write


@pytest.mark.parametrize("at", [1, 7, 21])
@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (OSError(errno.EROFS, "Read-only file system"), "Read-only file system"),
        (PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
    ],
)
def test_a_failed_write_leaves_the_old_files(
    monkeypatch: pytest.MonkeyPatch,
    rendered_before: tuple[Path, Path, dict[str, bytes]],
    at: int,
    error: OSError,
    message: str,
) -> None:
    source, out, before = rendered_before
    monkeypatch.setattr(_transaction, "_write_staged", _fail_on_call(at, error))
    result = run_podgen(["render", str(source), "--out", str(out), "--force", "--prune"])
    assert result.code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: --out: could not write {out}")
    assert result.stderr.endswith(f": {message}\n") and result.stderr.count("\n") == 1
    assert ".podgen-tmp" not in result.stderr  # the target is named, not the temporary file
    assert _tree(out) == before
    assert not _temporary_files(out)


def test_a_failed_write_into_a_new_folder_leaves_no_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "new" / "k8s"
    monkeypatch.setattr(
        _transaction, "_write_staged", _fail_on_call(3, OSError(errno.ENOSPC, "full"))
    )
    assert run_podgen(["render", "labelled-pods", "--out", str(out)]).code == 1
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_staging_leaves_the_old_files(
    monkeypatch: pytest.MonkeyPatch, rendered_before: tuple[Path, Path, dict[str, bytes]]
) -> None:
    source, out, before = rendered_before
    monkeypatch.setattr(_transaction, "_write_staged", _fail_on_call(5, KeyboardInterrupt()))
    result = run_podgen(["render", str(source), "--out", str(out), "--force"])
    assert (result.code, result.stderr) == (130, "error: interrupted\n")
    assert _tree(out) == before and not _temporary_files(out)


@pytest.mark.parametrize("failure", [OSError(errno.EIO, "I/O error"), KeyboardInterrupt()])
def test_a_failed_swap_puts_every_old_file_back(
    monkeypatch: pytest.MonkeyPatch,
    rendered_before: tuple[Path, Path, dict[str, bytes]],
    failure: BaseException,
) -> None:
    source, out, before = rendered_before
    real_replace = os.replace
    swaps = {"count": 0}

    def replace(src: str | Path, dst: str | Path) -> None:
        if str(src).endswith(".podgen-tmp"):
            swaps["count"] += 1
            if swaps["count"] == 12:  # eleven new files are already in place
                raise failure
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    result = run_podgen(["render", str(source), "--out", str(out), "--force", "--prune"])
    assert result.code in (1, 130) and result.stdout == ""
    assert _tree(out) == before and not _temporary_files(out)


def test_a_folder_where_a_file_goes_changes_nothing(
    rendered_before: tuple[Path, Path, dict[str, bytes]],
) -> None:
    source, out, before = rendered_before
    (out / "pod-web-4.yaml").unlink()
    (out / "pod-web-4.yaml").mkdir()  # the second file of the set to be replaced
    result = run_podgen(["render", str(source), "--out", str(out), "--force"])
    assert result.code == 1
    assert result.stderr == (
        f"error: --out: {out / 'pod-web-4.yaml'} is a folder; a manifest file would replace it\n"
    )
    del before["pod-web-4.yaml"]
    assert _tree(out) == before


def test_a_file_where_the_output_folder_goes(tmp_path: Path) -> None:
    (tmp_path / "k8s").write_text("not a folder\n")
    result = run_podgen(["render", "nginx-web", "--out", str(tmp_path / "k8s" / "prod")])
    assert result.code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: --out: could not write {tmp_path / 'k8s'}")
    assert (tmp_path / "k8s").read_text() == "not a folder\n"


# Real processes: Ctrl-C and SIGTERM at random moments, closed pipes, a full disk


def _start_render(source: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    """`podgen render` in a process of its own, once podgen is imported (the marker file says so).

    Ctrl-C as a terminal sends it: with Python's default handler, even where the test run
    itself was started with SIGINT ignored (a background job). A signal before podgen's code
    runs (the interpreter's own start, which a loaded machine can stretch past a second) is no
    program's to guard: the test waits for the marker, so that it interrupts podgen's work.
    """
    marker = out.parent / "podgen-started"
    script = (
        "import signal, sys\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "from podgen._front.entry import main\n"
        "open(sys.argv.pop(1), 'w').close()\n"
        "sys.argv[0] = 'podgen'\n"
        "main()\n"
    )
    argv = [sys.executable, "-c", script, str(marker), "render", str(source), "--out", str(out)]
    process = subprocess.Popen(
        [*argv, *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job has
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    return process


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 blueprints: enough for worker processes and a write phase worth interrupting."""
    source = tmp_path_factory.mktemp("big") / "bp"
    source.mkdir()
    for index in range(600):
        (source / f"web-{index:03}.yaml").write_text(_blueprint(f"web-{index}", "nginx:1"))
    return source


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGINT, signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("force", [True, False])
def test_interrupted_at_a_random_moment_leaves_the_old_set_or_the_new(
    tmp_path: Path, big_folder: Path, signum: int, force: bool
) -> None:
    out = tmp_path / "k8s"
    if force:
        assert run_podgen(["render", str(big_folder), "--out", str(out)]).code == 0
    before = _tree(out) if out.exists() else {}
    source = tmp_path / "bp"
    source.mkdir()
    for blueprint in big_folder.iterdir():
        (source / blueprint.name).write_text(blueprint.read_text().replace("nginx:1", "nginx:2"))
    process = _start_render(source, out, *(["--force"] if force else []))
    try:
        process.wait(timeout=random.uniform(0.0, 1.35))  # noqa: S311 - a test's timing
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signum)  # Ctrl-C reaches the whole group: workers too
    _, stderr = process.communicate(timeout=60)
    after = _tree(out) if out.exists() else {}
    assert not _temporary_files(tmp_path)
    # 600 manifests, the record and the kustomization.yaml listing them.
    new_set = len(after) == 602 and all(
        b"nginx:2" in text
        for name, text in after.items()
        if name not in (".podgen-rendered", "kustomization.yaml")
    )
    assert after == before or new_set
    if process.returncode == 0:
        assert new_set and stderr == ""
    elif process.returncode == -signum:
        # Stopped while the interpreter was shutting down, after podgen's code.
        assert stderr == ""
    else:
        stopped = (130, "error: interrupted\n")
        if signum == signal.SIGTERM:
            stopped = (143, "error: terminated\n")
        assert (process.returncode, stderr) == stopped


def test_a_closed_pipe_ends_podgen_quietly(big_folder: Path) -> None:
    process = subprocess.Popen(
        [str(PODGEN), "render", str(big_folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"apiVersion: v1\n"
    process.stdout.close()  # `| head -1`
    stderr = process.stderr.read()
    process.stderr.close()
    assert (process.wait(timeout=60), stderr) == (141, b"")


@pytest.mark.parametrize(
    "argv",
    [
        ["new", "web", "--image", "nginx:1.25.3"],  # the lean path
        ["new", "web", "--image", "nginx:1.25.3", "--templates", "."],  # the full CLI
        ["render", "nginx-web"],
        ["import", "-"],
    ],
)
def test_a_full_disk_on_stdout_is_one_line(argv: list[str], tmp_path: Path) -> None:
    if argv[-1] == ".":
        argv[-1] = str(tmp_path)
    manifest = run_podgen(["new", "web", "--image", "nginx:1.25.3"]).stdout
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [str(PODGEN), *argv], input=manifest, stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert result.returncode == 1
    assert result.stderr == "error: could not write the output: No space left on device\n"
