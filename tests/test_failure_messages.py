"""Failure messages point at what the user wrote, in podgen's own words.

- A value `new --from` took from the blueprint is named at the blueprint's file:line, not as
  a flag the user never typed.
- A bad choice or number names the flag, the choices (or the kind of value) and the value, in
  one line, without the validation library's wording ("Value error", "Input should be").
- Values are quoted as typed: a backslash stays one backslash.
- No message names its flag twice (`--port: --port must be ...`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from podgen._front.entry import _lean_new
from tests.conftest import run_podgen


def test_a_blueprint_value_is_blamed_on_the_blueprint_not_on_a_flag() -> None:
    result = run_podgen(["new", "--from", "web-deployment", "--kind", "pod"])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: web-deployment (built-in):7:5: pods[0].replicas (from --from): only applies "
        "with --kind deployment, statefulset or replicaset\n"
    )


def test_a_value_the_user_typed_is_still_blamed_on_its_flag() -> None:
    result = run_podgen(["new", "--from", "web-deployment", "--kind", "pod", "--replicas", "2"])
    assert result.stderr == (
        "error: --replicas: only applies with --kind deployment, statefulset or replicaset\n"
    )


def test_a_blueprint_value_is_blamed_on_its_own_file_and_line(tmp_path: Path) -> None:
    blueprint = tmp_path / "db.yaml"
    blueprint.write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods:\n"
        "  - name: db\n    image: postgres:16\n    kind: statefulset\n"
        "    serviceName: db-headless\n"
    )
    result = run_podgen(["new", "--from", str(blueprint), "--kind", "deployment"])
    assert result.stderr == (
        f"error: {blueprint}:7:5: pods[0].serviceName (from --from): only applies with "
        "--kind statefulset\n"
    )


def test_the_lean_path_blames_the_blueprint_too(capsys: pytest.CaptureFixture[str]) -> None:
    from podgen._front.entry import main

    argv = ["new", "--from", "web-deployment", "--kind", "pod"]
    assert _lean_new(argv[1:]) is not None  # the console script's own parser takes it
    with pytest.raises(SystemExit):
        main(argv)
    assert capsys.readouterr().err == (
        "error: web-deployment (built-in):7:5: pods[0].replicas (from --from): only applies "
        "with --kind deployment, statefulset or replicaset\n"
    )


#: (argv, the one line podgen prints): every choice and number flag's bad value.
BAD_VALUES = [
    (
        ["new", "web", "--image", "nginx", "-o", "yml"],
        "--output: expected one of yaml, json or kyaml, not 'yml' (did you mean yaml?)",
    ),
    (
        ["new", "web", "--image", "nginx", "--kind", "pods"],
        "--kind: expected one of pod, deployment, statefulset, daemonset, replicaset, job or "
        "cronjob, not 'pods' (did you mean pod?)",
    ),
    (
        ["new", "web", "--image", "nginx", "--pattern", "side"],
        "--pattern: expected one of runtime, init or sidecar, not 'side' (did you mean sidecar?)",
    ),
    (
        ["new", "web", "--image", "nginx", "--probe", "htp"],
        "--probe: expected one of http, tcp, exec, grpc or none, not 'htp' (did you mean http?)",
    ),
    (
        ["new", "web", "--image", "nginx", "--kind", "deployment", "--replicas", "three"],
        "--replicas: expected a whole number, not 'three'",
    ),
    (
        ["new", "web", "--image", "nginx", "--pattern", "sidecar", "--sidecar-port", "1.5"],
        "--sidecar-port: expected a whole number, not '1.5'",
    ),
    (
        ["new", "web", "--image", "nginx", "--grace-period", "x"],
        "--grace-period: expected a whole number, not 'x'",
    ),
    (
        ["new", "web", "--image", "nginx", "--port", "http"],
        "--port: expected a whole number, not 'http'",
    ),
    (
        ["render", "nginx-web", "-o", "JSONN"],
        "--output: expected one of yaml, json or kyaml, not 'JSONN' (did you mean json?)",
    ),
    (
        ["validate", "--format", "xml", "x.yaml"],
        "--format: expected one of text or json, not 'xml'",
    ),
    (
        ["import", "-o", "yml", "x.yaml"],
        "--output: expected one of yaml, json or kyaml, not 'yml' (did you mean yaml?)",
    ),
]


@pytest.mark.parametrize(
    ("argv", "line"), BAD_VALUES, ids=[" ".join(a[-2:]) for a, _ in BAD_VALUES]
)
def test_a_bad_choice_or_number_gets_podgens_own_line(argv: list[str], line: str) -> None:
    result = run_podgen(argv)
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == f"error: {line}\n"
    assert "Value error" not in result.stderr and "Input should" not in result.stderr


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["new", "web", "--image", "nginx", "--pattern", "init", "--shared-path", "C:\\data"],
            "--shared-path: 'C:\\data' must be an absolute path (start with /)",
        ),
        (
            ["new", "db", "--image", "pg", "--kind", "statefulset", "--volume-claim", "d=1Gi:a\\b"],
            "--volume-claim: 'a\\b' must be an absolute path (start with /), not 'd=1Gi:a\\b'",
        ),
        (
            ["new", "web", "--image", "nginx", "--env-from", "configmap\\x"],
            "--env-from: expected configmap:NAME or secret:NAME, not 'configmap\\x'",
        ),
    ],
)
def test_backslashes_are_shown_as_typed(argv: list[str], line: str) -> None:
    result = run_podgen(argv)
    assert result.stderr == f"error: {line}\n"
    assert "\\\\" not in result.stderr


def test_a_blueprint_message_shows_backslashes_as_written(tmp_path: Path) -> None:
    blueprint = tmp_path / "web.yaml"
    blueprint.write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods:\n"
        "  - name: web\n    image: nginx\n    pattern: init\n    sharedPath: 'C:\\data'\n"
    )
    result = run_podgen(["render", str(blueprint)])
    assert result.code == 1
    assert "'C:\\data' must be an absolute path" in result.stderr
    assert "\\\\" not in result.stderr


#: Bad invocations across podgen's checks: none may name its flag twice.
MISTAKES = [
    ["new", "web", "--image", "nginx", "--port", "x"],
    [
        "new",
        "web",
        "--image",
        "nginx",
        "--probe",
        "exec",
        "--probe-command",
        "true",
        "--probe-path",
        "/x",
    ],
    ["new", "web", "--image", "nginx", "--port", "80", "--port", "81"],
    ["new", "web", "--image", "nginx", "--expose"],
    ["new", "web", "--image", "nginx", "--annotations", "x"],
    ["new", "web", "--image", "nginx", "--requests", "cpu"],
    ["new", "web", "--image", "nginx", "--toleration", "x"],
    ["new", "web", "--image", "nginx", "--wait-for", "Bad_Name"],
    ["new", "web", "--image", "nginx", "--max-unavailable", "0"],
]


@pytest.mark.parametrize("argv", MISTAKES, ids=[" ".join(a[3:]) for a in MISTAKES])
def test_no_message_names_its_flag_twice(argv: list[str]) -> None:
    result = run_podgen(argv)
    assert result.code == 1
    assert result.stderr.startswith("error: --"), result.stderr
    assert re.match(r"error: (--[a-z-]+): \1\b", result.stderr) is None, result.stderr
