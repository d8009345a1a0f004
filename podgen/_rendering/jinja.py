"""The Jinja environment: team templates (--templates) at run time, podgen's own at build time.

podgen renders its own templates through Python compiled from them (tools/compile_templates.py
parses them with `environment()` and keeps its semantics), so Jinja is imported only when a
team's templates are in play. Their templates override podgen's file by file and render in a
SandboxedEnvironment: a team template can read the spec it is given, and nothing else; it
cannot reach Python internals or run code.

The sandbox stops code, not time or memory: a template that loops for ever or builds a huge
string would hang podgen or exhaust the machine. So each render of a team template is bounded
(`bounded_render`): it may take `TIME_LIMIT` seconds (SIGALRM in the main thread; a check at
each call, attribute, operator and piece of output anywhere), write `OUTPUT_LIMIT` bytes, make
no string or list longer than that with an operator or filter, and, in a single-threaded
process on Linux, take no more than `MEMORY_HEADROOM` more address space. Any of these stops
the render with one line naming the template and, where Jinja can tell, its line.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources

import jinja2
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment, safe_range
from markupsafe import Markup

from podgen._errors import PodgenError, signal_behind
from podgen._rendering.quoting import quote
from podgen._rendering.team_templates import check_folder

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def quote_filter(value: object) -> Markup:
    """The `quote` filter: `quote`, marked as already safe so it is not quoted twice."""
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises here, naming the missing variable
    return value if isinstance(value, Markup) else Markup(quote(value))  # noqa: S704


@functools.cache
def environment(team_templates: str | None = None) -> jinja2.Environment:
    """The one Jinja environment factory: podgen's templates, or a team's over them."""
    builtin = jinja2.FileSystemLoader(str(resources.files("podgen.templates")))
    options: dict[str, Any] = {
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
        # Every `{{ expression }}` is quoted as YAML data unless it is already safe (the
        # `quote` filter's output, or a macro's): a template that forgets `| quote` still
        # cannot let a value add a field. Jinja's autoescape provides the "safe" marking;
        # `finalize` does the quoting.
        "autoescape": True,
        "finalize": quote_filter,
    }
    env: jinja2.Environment
    if team_templates is None:
        env = jinja2.Environment(loader=builtin, **options)  # noqa: S701
        env.filters["quote"] = quote_filter
    else:
        check_folder(team_templates)  # the front ends check first; this covers library calls
        team = jinja2.FileSystemLoader(team_templates)
        env = _BoundedSandbox(loader=jinja2.ChoiceLoader([team, builtin]), **options)
        env.filters["quote"] = quote_filter
        env.filters = {
            name: _bounded(call, f"the {name} filter") for name, call in env.filters.items()
        }
        env.globals["range"] = _bounded(safe_range, "range()")
        env.filters["tojson"] = _sized_first(env.filters["tojson"], "the tojson filter")
    return env


def _sized_first(function: Callable[..., Any], what: str) -> Callable[..., Any]:
    """`function` (tojson), refusing a value that would write more than OUTPUT_LIMIT.

    Python's JSON encoder runs in C, where neither the alarm nor Ctrl-C reaches it; a list
    holding itself twice, 34 times over, is a few objects to make and 2 ** 34 to write.
    """

    @functools.wraps(function)
    def sized(*args: Any, **kwargs: Any) -> Any:
        value = args[1] if len(args) > 1 else kwargs.get("value")  # after the eval context
        if _written_size(value) > OUTPUT_LIMIT:
            raise RunawayError(
                f"stopped: {what} would write more than the {OUTPUT_LIMIT:,} characters a "
                "template may make"
            )
        return function(*args, **kwargs)

    return sized


def _written_size(value: object) -> int:
    """At least how many characters `value` takes written out, or OUTPUT_LIMIT and more.

    A part shared by several containers counts at each use, but is walked only once.
    """
    sizes: dict[int, int] = {}

    def size(item: object) -> int:
        if isinstance(item, str):
            return len(item) + 2
        if not isinstance(item, list | tuple | dict):
            return 1
        known = sizes.get(id(item))
        if known is not None:
            return known
        sizes[id(item)] = OUTPUT_LIMIT + 1  # a container holding itself: never written
        parts = [*item.keys(), *item.values()] if isinstance(item, dict) else item
        total = 2
        for part in parts:
            total += size(part) + 1
            if total > OUTPUT_LIMIT:
                break
        sizes[id(item)] = total
        return total

    return size(value)


def render_text(name: str, obj: object, team_templates: str | None = None) -> str:
    """Render template `name` for `obj`; Jinja's errors are raised as they come.

    A team's template renders within the bounds the module's docstring gives; crossing one
    raises `RunawayError` (a jinja2.TemplateError).
    """
    template = environment(team_templates).get_template(name)
    if team_templates is None:
        return template.render(obj=obj)
    return bounded_render(template, obj)


#: Seconds one render of a team template may take: a real one takes milliseconds.
TIME_LIMIT = 10.0
#: Bytes one render may write, and the longest string or list an operator or filter may
#: make: the API server takes no request over 3 MiB, so no manifest is larger.
OUTPUT_LIMIT = 4 * 1024 * 1024
#: Address space a render may add (Linux, single-threaded processes only: the limit is the
#: whole process's, so it is set only where nothing else runs meanwhile).
MEMORY_HEADROOM = 1024 * 1024 * 1024


class RunawayError(jinja2.TemplateError):
    """A team template crossed a bound (time, size, memory, depth) or made Python raise."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.lineno = lineno


class _Budget(threading.local):
    deadline = float("inf")


_BUDGET = _Budget()


def _check_time() -> None:
    if time.monotonic() > _BUDGET.deadline:
        raise RunawayError(_too_long())


def _too_long() -> str:
    return (
        f"stopped: still rendering after {TIME_LIMIT:g} s, the time a template has for one "
        "object (a loop that never ends?)"
    )


def _check_size(value: object, what: str) -> object:
    if isinstance(value, str | bytes | list | tuple) and len(value) > OUTPUT_LIMIT:
        raise RunawayError(
            f"stopped: {what} made {len(value):,} characters or items, more than the "
            f"{OUTPUT_LIMIT:,} a template may make"
        )
    return value


def _bounded(function: Callable[..., Any], what: str) -> Callable[..., Any]:
    """`function` (a filter, `range`) with the time checked before and the size after."""

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_time()
        return _check_size(function(*args, **kwargs), what)

    return bounded


class _BoundedSandbox(SandboxedEnvironment):
    """The sandbox, checking the time at each call, attribute and operator.

    An operator's result is sized before it is made: `'x' * 10 ** 9` never takes the memory.
    """

    intercepted_binops = frozenset({"*", "**", "+"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _check_time()
        sized = (str, bytes, list, tuple)
        if operator == "*":
            for times, sequence in ((left, right), (right, left)):
                if (
                    isinstance(sequence, sized)
                    and isinstance(times, int)
                    and len(sequence) * times > OUTPUT_LIMIT
                ):
                    raise RunawayError(
                        f"stopped: {len(sequence):,} characters or items * {times:,} would be "
                        f"more than the {OUTPUT_LIMIT:,} a template may make"
                    )
        elif (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and right * max(abs(left), 1).bit_length() > OUTPUT_LIMIT * 8
        ):
            raise RunawayError(f"stopped: {left} ** {right} is too large a number")
        elif (
            operator == "+"
            and isinstance(left, sized)
            and isinstance(right, sized)
            and len(left) + len(right) > OUTPUT_LIMIT
        ):
            raise RunawayError(
                f"stopped: joining {len(left) + len(right):,} characters or items is more "
                f"than the {OUTPUT_LIMIT:,} a template may make"
            )
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_time()
        return _check_size(
            SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs),
            f"{getattr(__obj, '__name__', 'a call')}()",
        )

    def getattr(self, obj: Any, attribute: str) -> Any:
        _check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _check_time()
        return super().getitem(obj, argument)


def bounded_render(template: jinja2.Template, obj: object) -> str:
    """Render `template` for `obj` within the bounds; a RunawayError names the line."""
    written = 0
    pieces: list[str] = []
    try:
        with _time_limit(), _memory_limit():
            for piece in template.generate(obj=obj):
                written += len(piece)
                if written > OUTPUT_LIMIT:
                    raise RunawayError(
                        f"stopped: it wrote more than {OUTPUT_LIMIT:,} characters (the API "
                        "server takes no object larger than 3 MiB)"
                    )
                _check_time()
                pieces.append(piece)
    except RunawayError as error:
        pieces.clear()
        error.lineno = error.lineno or _template_line(error, template.filename)
        raise
    except MemoryError as error:
        pieces.clear()
        raise RunawayError(
            f"stopped: it needed more than {MEMORY_HEADROOM // 2**20:,} MiB of memory",
            _template_line(error, template.filename),
        ) from None
    except jinja2.TemplateError:
        raise
    except Exception as error:
        # Whatever else a team template makes Python raise (a range too big, a number too
        # long to write, a macro or include that calls itself, a division by zero) is the
        # template's fault: one line naming it, never an internal error. An error raised
        # while unwinding from Ctrl-C is the signal's, and left to the front end.
        if signal_behind(error) is not None:
            raise
        pieces.clear()
        # Runaway recursion is named where it starts, not at the depth where it gave out.
        outermost = isinstance(error, RecursionError)
        line = _template_line(error, template.filename, outermost=outermost)
        raise RunawayError(_failure(error), line) from error
    return "".join(pieces)


def _failure(error: Exception) -> str:
    """What a Python error raised inside a team template says, in the template's terms."""
    if isinstance(error, RecursionError):
        return "stopped: calls nested too deeply (a macro or include that calls itself?)"
    if isinstance(error, ValueError) and "integer string conversion" in str(error):
        return (
            f"stopped: a number of more than {sys.get_int_max_str_digits():,} digits cannot "
            "be written"
        )
    if isinstance(error, OverflowError) and "MAX_RANGE" in str(error):
        return f"stopped: range() may make at most {MAX_RANGE:,} numbers"
    if isinstance(error, PodgenError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _template_line(
    error: BaseException, filename: str | None, *, outermost: bool = False
) -> int | None:
    """The template's line where `error` was raised (Jinja rewrites tracebacks to show it).

    With `outermost`, the line of its first call on the way there instead.
    """
    line = None
    traceback = error.__traceback__
    while traceback is not None:
        if filename and traceback.tb_frame.f_code.co_filename == filename:
            line = traceback.tb_lineno
            if outermost:
                break
        traceback = traceback.tb_next
    return line


@contextmanager
def _time_limit() -> Iterator[None]:
    """The deadline for the checks; in the main thread, a SIGALRM for loops that call nothing.

    The alarm is set only where no one else uses it (no handler, no timer running).
    """
    _BUDGET.deadline = time.monotonic() + TIME_LIMIT
    import signal

    alarm = getattr(signal, "SIGALRM", None)
    usable = (
        alarm is not None
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(alarm) in (signal.SIG_DFL, None)
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        try:
            yield
        finally:
            _BUDGET.deadline = float("inf")
        return

    def ring(signum: int, frame: object) -> None:
        raise RunawayError(_too_long())

    signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        _BUDGET.deadline = float("inf")


@contextmanager
def _memory_limit() -> Iterator[None]:
    """At most MEMORY_HEADROOM more address space, where that is safe to set (see above)."""
    try:
        import resource
    except ImportError:  # not on Windows
        yield
        return
    alone = threading.active_count() == 1 and sys.platform == "linux"
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    used = 0
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        alone = False
    limit = used + MEMORY_HEADROOM if alone else soft
    if not alone or (soft != resource.RLIM_INFINITY and soft <= limit):
        yield  # already bounded as tightly (or not safe to bound)
        return
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def message(error: jinja2.TemplateError) -> str:
    """One line for a template error: where, and what."""
    line = getattr(error, "lineno", None)
    where = f"line {line}: " if line else ""
    return f"{where}{error.message or type(error).__name__}"
