"""Render every blueprint a source holds: in order, and on every core when there are many.

`podgen render DIR` over a repository of thousands of blueprints is CPU-bound Python, so a
large folder is split into chunks that worker processes render (load, build, template, parse,
check, emit) while this process collects their files in the folder's order. The output is
the same as rendering one by one, including which error is reported: the first in file order.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator, Sequence

from podgen._blueprint.loader import (
    Blueprint,
    blueprints_in,
    folder_files,
    iter_blueprints,
    no_blueprints_in,
    where_rendered,
)
from podgen._errors import ExitCode, PodgenError, Terminated
from podgen._io.emit import dumper
from podgen._io.output import files_for, unique
from podgen._io.plan import OutputFile
from podgen._io.transaction import DEFERRED_SIGNALS, signals_deferred
from podgen._model.spec import OutputFormat
from podgen._records import NamedTuple
from podgen._rendering.dropped import add, collecting
from podgen._rendering.pipeline import render_planned

TYPE_CHECKING = False
if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from typing import Any, NoReturn

    from podgen._errors import Path

#: Below this many files one process is faster: starting workers costs ~10 ms each.
PARALLEL_FROM = 200
#: Files per task: large enough to amortise the hand-over, small enough to balance the load.
CHUNK = 100
#: At most this many workers: each holds ~20 MiB of its own, and past eight the main process,
#: collecting every worker's text in order, becomes the limit anyway.
MAX_WORKERS = 8


class _Failure(NamedTuple):
    """A worker's PodgenError, as plain data (exceptions with own arguments do not pickle)."""

    message: str
    exit_code: int


class WorkerError(PodgenError):
    """A PodgenError raised in a worker process, re-raised here with its message and code."""

    def __init__(self, failure: _Failure) -> None:
        super().__init__(failure.message)
        self.exit_code = ExitCode(failure.exit_code)


def render_source(
    source: str, stdin: Any, output: OutputFormat, templates: str | None
) -> Iterator[OutputFile]:
    """Every object `source` renders to, checked and written as text, in order.

    Two objects of one kind, namespace and name, in one blueprint or in two, are an error.
    """
    return unique(_render_all(source, stdin, output, templates), where_rendered)


def _render_all(
    source: str, stdin: Any, output: OutputFormat, templates: str | None
) -> Iterator[OutputFile]:
    if source == "-" or not os.path.isdir(source):
        for blueprint in iter_blueprints(source, stdin):
            yield from blueprint_files(blueprint, output, templates)
        return
    candidates = folder_files(source)
    workers = _workers(len(candidates))
    if workers > 1:
        per_blueprint = _in_parallel(candidates, workers, output, templates)
    else:
        per_blueprint = _each_blueprint(candidates, output, templates)
    found = 0
    for files in per_blueprint:
        found += 1
        yield from files
    if not found:
        raise no_blueprints_in(source)


def _each_blueprint(
    paths: list[str], output: OutputFormat, templates: str | None
) -> Iterator[list[OutputFile]]:
    """The files of each blueprint among `paths`, in order; other YAML files are skipped."""
    for blueprint in blueprints_in(paths):
        yield blueprint_files(blueprint, output, templates)


def _workers(files: int) -> int:
    """How many processes to render `files` files with: one unless there are many."""
    if files < PARALLEL_FROM or not _can_fork():
        return 1  # spawning fresh interpreters (macOS, Windows) would cost more than it saves
    return min(_cores(), MAX_WORKERS, -(-files // CHUNK))


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _in_parallel(
    candidates: list[str], workers: int, output: OutputFormat, templates: str | None
) -> Iterator[list[OutputFile]]:
    """Render the chunks of `candidates` in forked workers; yield each blueprint's files in order.

    Worker `w` renders chunks w, w + workers, w + 2 * workers, ... and sends each result down
    a pipe of its own, which this process reads in chunk order. No lock is shared (a pool's
    task queue has one, and a worker killed while holding it, by a SIGTERM sent to the whole
    process group, would hang the pool's shutdown). However this generator ends (done, an
    error, Ctrl-C, or its reader stopping early), every worker is killed and reaped.
    """
    from multiprocessing.connection import Pipe

    chunks = [candidates[i : i + CHUNK] for i in range(0, len(candidates), CHUNK)]
    children: list[tuple[int, Connection]] = []
    try:
        # Forked with Ctrl-C held, so that no worker takes it before it ignores it.
        with signals_deferred():
            for worker in range(workers):
                reader, writer = Pipe(duplex=False)
                pid = os.fork()
                if pid == 0:
                    reader.close()
                    for _, earlier in children:
                        earlier.close()
                    _work(chunks[worker::workers], writer, output, templates)  # never returns
                writer.close()
                children.append((pid, reader))
        for index in range(len(chunks)):
            pid, reader = children[index % workers]
            try:
                result = reader.recv()
            except EOFError:
                raise _died(pid) from None
            if isinstance(result, _Failure):
                raise WorkerError(result)
            rendered, warnings = result
            add(warnings)  # the worker's, in the chunk's order
            for files in rendered:
                yield [OutputFile(*file) for file in files]
    finally:
        for pid, reader in children:
            reader.close()
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid, _ in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _work(
    chunks: list[list[str]], writer: Connection, output: OutputFormat, templates: str | None
) -> NoReturn:
    """A worker's life: render its chunks, send each result, and exit without clean-up.

    Ctrl-C is the main process's to handle (it stops the workers); a SIGTERM ends a worker
    at once. `os._exit` skips what the main process registered to run at exit.
    """
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, DEFERRED_SIGNALS)
        for chunk in chunks:
            result = _render_chunk(chunk, output, templates)
            writer.send(result)
            if isinstance(result, _Failure):
                break
        writer.close()
    except BaseException as error:  # reported by the main process, as one line
        with contextlib.suppress(BaseException):
            writer.send(_Failure(f"internal error in a worker: {error!r}", int(ExitCode.FAILURE)))
    finally:
        os._exit(0)


def _died(pid: int) -> BaseException:
    """Why a worker's pipe closed early: a signal to the whole process group, or a crash."""
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM:
        return Terminated()  # the group was stopped: this process is being stopped too
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGINT:
        return KeyboardInterrupt()
    return PodgenError(f"render: a worker process ended before its work was done ({status})")


def _render_chunk(
    paths: list[str], output: OutputFormat, templates: str | None
) -> tuple[list[list[tuple[Any, ...]]], list[str]] | _Failure:
    """In a worker: each blueprint's files, as plain tuples (they cross a pipe), and warnings."""
    try:
        with collecting() as warnings:
            files = [
                [tuple(file) for file in files]
                for files in _each_blueprint(paths, output, templates)
            ]
        return files, warnings
    except PodgenError as error:
        return _Failure(str(error), int(error.exit_code))


def blueprint_files(
    blueprint: Blueprint, output: OutputFormat, templates: str | None
) -> list[OutputFile]:
    """One file per object a blueprint renders to."""
    return rendered_files(blueprint, render_planned(blueprint, templates), output)


def rendered_files(
    blueprint: Blueprint, rendered: Sequence[tuple[dict[str, Any], Path]], output: OutputFormat
) -> list[OutputFile]:
    """One file per object rendered from `blueprint`, each with the entry it comes from."""
    return files_for(
        [document for document, _ in rendered],
        output,
        dumper(output),
        unique=False,
        source=blueprint.document.source,
        origins=[origin for _, origin in rendered],
    )
