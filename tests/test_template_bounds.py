"""A team template that runs away (loops for ever, builds huge strings) is stopped: one line
naming the template, exit 1, nothing written (issue 24).

The templates here really loop and really grow; the processes are real, so the SIGALRM, the
address-space limit and the files left behind are the ones a user would get.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from podgen import PodgenError, RunFlags, new
from podgen._rendering import jinja as _jinja
from tests.test_team_templates import BLUEPRINT

ROOT = Path(__file__).resolve().parent.parent
PODGEN = Path(sys.executable).parent / "podgen"

HEADER = '{% from "_macros.yaml.j2" import metadata, pod_spec %}\n'
POD = """\
apiVersion: v1
kind: Pod
metadata:
{{ metadata(obj.name, obj.namespace, obj.template.labels, obj.annotations) | indent(2, true) }}
spec:
{{ pod_spec(obj.template) | indent(2, true) }}
status: {}
"""

#: (template body before a valid Pod, what the error says): each really runs away.
RUNAWAYS = {
    # Loops that never end in practice: 10^10 passes that call nothing in their body...
    "nested-loops": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        "line 2: stopped: still rendering after 1 s",
    ),
    # ...and loops over literal lists, which call nothing at all: only the alarm stops them.
    "literal-loops": (
        "{% set ten = [0,1,2,3,4,5,6,7,8,9] %}"
        + "".join("{% for x" + str(n) + " in ten %}" for n in range(12))
        + "{% endfor %}" * 12
        + "\n",
        "line 2: stopped: still rendering after 1 s",
    ),
    # A string multiplied past any manifest's size: refused before it is made.
    "multiplied": ("{% set s = 'x' * 10 ** 10 %}\n", "line 2: stopped: 1 characters or items"),
    # A string doubled with ~ (no operator hook sees it): stopped by the memory bound.
    "doubled": (
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}\n",
        "line 2: stopped: it needed more than 1,024 MiB of memory",
    ),
    # A filter asked for a huge result.
    "filter": (
        "{% set s = 'x' | center(100000000) %}\n",
        "line 2: stopped: the center filter made 100,000,000",
    ),
    # A list holding the last one twice, 34 times over: a few objects, 2 ** 34 to write, by
    # Python's JSON encoder in C, where the alarm does not reach: refused before it starts.
    "shared-json": (
        '{% set ns = namespace(s=["x"]) %}{% for i in range(34) %}'
        "{% set ns.s = [ns.s, ns.s] %}{% endfor %}{% set j = ns.s | tojson %}\n",
        "line 2: stopped: the tojson filter would write more than the 4,194,304 characters",
    ),
    # Output that never stops coming.
    "flood": (
        "{% for i in range(100000) %}# {{ 'x' * 1000 }}\n{% endfor %}\n",
        "stopped: it wrote more than 4,194,304 characters",
    ),
}


def _team(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "pod.yaml.j2").write_text(HEADER + body + POD)
    return folder


def _podgen(argv: list[str], limit: float) -> subprocess.CompletedProcess[str]:
    """podgen in a process of its own, with a time bound of `limit` seconds."""
    script = (
        "import sys\n"
        "from podgen._rendering import jinja\n"
        f"jinja.TIME_LIMIT = {limit}\n"
        "from podgen._front.entry import main\n"
        "sys.argv[0] = 'podgen'\n"
        "main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, timeout=60
    )


def _new_and_render(tmp_path: Path, team: Path, out: Path) -> list[list[str]]:
    """The two commands that render a team template: `new`, and `render` of a blueprint."""
    (tmp_path / "web.yaml").write_text(BLUEPRINT)
    return [
        ["new", "web", "--image", "nginx:1.25.3", "--templates", str(team)],
        ["render", str(tmp_path / "web.yaml"), "--out", str(out), "--templates", str(team)],
    ]


@pytest.mark.parametrize("case", sorted(RUNAWAYS))
def test_a_runaway_template_is_stopped_and_nothing_is_written(tmp_path: Path, case: str) -> None:
    body, reason = RUNAWAYS[case]
    team = _team(tmp_path, body)
    out = tmp_path / "k8s"
    for argv in _new_and_render(tmp_path, team, out):
        started = time.monotonic()
        # Filling a GiB of memory takes a second or two itself.
        result = _podgen(argv, limit=10 if case == "doubled" else 1)
        assert time.monotonic() - started < 30
        assert (result.returncode, result.stdout) == (1, ""), result
        assert result.stderr.startswith("error: --templates: pod.yaml.j2: "), result.stderr
        assert reason in result.stderr and result.stderr.count("\n") == 1, result.stderr
        assert not out.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["templates", "web.yaml"]


def test_the_default_bound_stops_a_loop_with_no_setting(tmp_path: Path) -> None:
    """The installed command, as a user runs it: ten seconds, then one line."""
    team = _team(tmp_path, RUNAWAYS["nested-loops"][0])
    started = time.monotonic()
    result = subprocess.run(
        [str(PODGEN), "new", "web", "--image", "nginx:1.25.3", "--templates", str(team)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert 10 <= time.monotonic() - started < 30
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        "error: --templates: pod.yaml.j2: line 2: stopped: still rendering after 10 s, the time "
        "a template has for one object (a loop that never ends?)\n"
    )


def test_the_example_runaway_template(tmp_path: Path) -> None:
    out = tmp_path / "k8s"
    team = ROOT / "examples" / "runaway-template"
    result = _podgen(["render", "nginx-web", "--templates", str(team), "--out", str(out)], 10)
    assert result.returncode == 1 and "line 6: stopped: joining" in result.stderr, result
    assert not out.exists()


def test_a_library_call_in_a_thread_is_bounded_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No SIGALRM outside the main thread: the checks at each call stop the loop there."""
    monkeypatch.setattr(_jinja, "TIME_LIMIT", 1.0)
    team = _team(tmp_path, RUNAWAYS["nested-loops"][0])
    raised: list[BaseException] = []

    def call() -> None:
        try:
            new(RunFlags(name="web", image="nginx:1.25.3"), templates=str(team))
        except PodgenError as error:
            raised.append(error)

    thread = threading.Thread(target=call)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert [str(error) for error in raised] == [
        "--templates: pod.yaml.j2: line 2: stopped: still rendering after 1 s, the time a "
        "template has for one object (a loop that never ends?)"
    ]


def test_the_bounds_are_lifted_after_a_render(tmp_path: Path) -> None:
    """The alarm and the address-space limit are podgen's only while a template renders."""
    import signal

    before = resource.getrlimit(resource.RLIMIT_AS)
    team = _team(tmp_path, "")
    text = new(RunFlags(name="web", image="nginx:1.25.3"), templates=str(team))
    assert text.startswith("apiVersion: v1\nkind: Pod\n")
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


#: (template body, what the one line says): Python errors a team template provokes, named as
#: the template's, never "internal error" nor blamed on the input.
FAILURES = {
    "huge-range": (
        "{% for i in range(10**12) %}{% endfor %}\n",
        "line 2: stopped: range() may make at most 100,000 numbers",
    ),
    "range-list": (
        "{% set s = range(10**9) | list %}\n",
        "line 2: stopped: range() may make at most 100,000 numbers",
    ),
    "range-sum": (
        "# {{ range(10**15) | sum }}\n",
        "line 2: stopped: range() may make at most 100,000 numbers",
    ),
    "long-number": (
        "# {{ ((2 ** 100000) ** 100) | string | length }}\n",
        "line 2: stopped: a number of more than 4,300 digits cannot be written",
    ),
    "recursive-macro": (
        "{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}\n",
        "line 2: stopped: calls nested too deeply (a macro or include that calls itself?)",
    ),
    "self-include": (
        '{% include "pod.yaml.j2" %}\n',
        "line 2: stopped: calls nested too deeply (a macro or include that calls itself?)",
    ),
    "division": ("# {{ 1 / 0 }}\n", "line 2: ZeroDivisionError: division by zero"),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_python_error_in_a_team_template_is_one_line_naming_it(tmp_path: Path, case: str) -> None:
    body, reason = FAILURES[case]
    team = _team(tmp_path, body)
    out = tmp_path / "k8s"
    expected = f"--templates: pod.yaml.j2: {reason}"
    for argv in _new_and_render(tmp_path, team, out):
        result = _podgen(argv, limit=10)
        assert (result.returncode, result.stdout) == (1, ""), result
        assert result.stderr == f"error: {expected}\n"
        assert not out.exists()
    with pytest.raises(PodgenError) as raised:
        new(RunFlags(name="web", image="nginx:1.25.3"), templates=str(team))
    assert str(raised.value) == expected


def test_tojson_still_writes_what_fits(tmp_path: Path) -> None:
    team = _team(tmp_path, "")
    shared = ["x", 1]
    template = _jinja.environment(str(team)).from_string("{{ value | tojson }}")
    assert template.render(value={"a": [shared, shared]}) == '{"a": [["x", 1], ["x", 1]]}'
