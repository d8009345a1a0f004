"""Property: for any text in a free-text flag, podgen rejects it cleanly, or prints YAML that
reads back (under YAML 1.1, as go-yaml reads it) to exactly that text, with no other fields."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import assert_schema_valid, parse_documents, run_podgen

# Any text argv can carry: every code point but NUL and lone surrogates.
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=60)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _expected_pod(
    *,
    env: str | None = None,
    annotation: str | None = None,
    args: list[str] | None = None,
    labels: dict[str, str] | None = None,
    namespace: str | None = None,
) -> dict[str, Any]:
    container: dict[str, Any] = {"image": "nginx", "name": "web", "resources": {}}
    if env is not None:
        container["env"] = [{"name": "V", "value": env}] if env else [{"name": "V"}]
    if args:
        container["args"] = args
    metadata: dict[str, Any] = {"labels": labels or {"run": "web"}, "name": "web"}
    if annotation is not None:
        metadata["annotations"] = {"note": annotation}
    if namespace:  # kubectl (and podgen) treat `-n ""` as no namespace
        metadata["namespace"] = namespace
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": "Always"},
        "status": {},
    }


def _check(args: list[str], expected: dict[str, Any]) -> None:
    result = run_podgen(["new", "web", "--image", "nginx", *args])
    if result.code != 0:
        assert result.code == 1
        assert result.stdout == ""
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
        return
    assert result.stderr == ""
    assert parse_documents(result.stdout, "yaml") == [expected]
    assert_schema_valid(result.stdout)
    assert parse_documents(
        run_podgen(["new", "web", "--image", "nginx", "-o", "json", *args]).stdout, "json"
    ) == [expected]


@SETTINGS
@given(TEXT)
def test_env_value_round_trips(value: str) -> None:
    _check(["--env", f"V={value}"], _expected_pod(env=value.replace("\r\n", "\n")))


@SETTINGS
@given(TEXT)
def test_annotation_value_round_trips(value: str) -> None:
    _check(
        ["--annotations", f"note={value}"], _expected_pod(annotation=value.replace("\r\n", "\n"))
    )


@SETTINGS
@given(st.lists(TEXT, min_size=1, max_size=4))
def test_args_round_trip(words: list[str]) -> None:
    _check(["--", *words], _expected_pod(args=words))


@SETTINGS
@given(TEXT)
def test_label_value_round_trips_or_is_rejected(value: str) -> None:
    if "," in value or "=" in value:
        return  # not one label: kubectl's a=b,c=d syntax splits it
    _check(["-l", f"app={value}"], _expected_pod(labels={"app": value}))


@SETTINGS
@given(TEXT)
def test_namespace_round_trips_or_is_rejected(value: str) -> None:
    _check(["-n", value], _expected_pod(namespace=value))


WORDS = st.one_of(
    st.sampled_from(
        [
            "new",
            "render",
            "validate",
            "import",
            "schema",
            "blueprints",
            "show",
            "web",
            "-",
            "--image",
            "nginx",
            "--port",
            "80",
            "-o",
            "json",
            "--out",
            "--check",
            "--probe",
            "http",
            "--pattern",
            "sidecar",
            "--env",
            "A=1",
            "-l",
            "a=b",
            "--",
            "--from",
            "mysql",
            "--format",
            "--templates",
            "/nonexistent",
            "--toleration",
            "k:NoSchedule",
            "--requests",
            "cpu=1",
        ]
    ),
    TEXT,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=8))
def test_no_argv_shows_a_traceback(argv: list[str]) -> None:
    result = run_podgen(argv)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.code in (0, 1, 2)
    if result.code != 0:
        # One clear message: an `error:` line, usage help, or validate's own findings report.
        assert (
            result.stderr.startswith("error: ")
            or "Usage:" in result.stdout + result.stderr
            or ": error: " in result.stdout
        ), result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | TEXT.map(str.encode))
def test_no_file_content_shows_a_traceback(content: bytes) -> None:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.yaml"
        path.write_bytes(content)
        for command in (["validate", str(path)], ["render", str(path)], ["import", str(path)]):
            result = run_podgen(command)
            assert "Traceback" not in result.stdout + result.stderr, (command, result)
            assert result.code in (0, 1, 2)
