"""Bad input: one line on stderr naming the flag and the rule, exit code 2, nothing printed."""

from __future__ import annotations

import pytest

from tests.conftest import run_podgen
from tests.kubectl_peer import Kubectl

BASE = ["web", "--image", "nginx"]

# Inputs kubectl itself rejects: podgen must reject them too.
KUBECTL_REJECTS = [
    ("missing-image", ["web"], "--image"),
    ("bad-restart", [*BASE, "--restart", "Sometimes"], "--restart"),
    ("restart-lowercase", [*BASE, "--restart", "never"], "--restart"),
    ("expose-without-port", [*BASE, "--expose"], "--expose"),
    ("port-not-a-number", [*BASE, "--port", "abc"], "--port"),
    ("port-float", [*BASE, "--port", "80.5"], "--port"),
    ("env-without-equals", [*BASE, "--env", "FOO"], "--env"),
    ("env-empty-name", [*BASE, "--env", "=x"], "--env"),
    ("env-name-starts-with-digit", [*BASE, "--env", "1X=y"], "--env"),
    ("env-name-with-space", [*BASE, "--env", "A B=y"], "--env"),
    ("bad-pull-policy", [*BASE, "--image-pull-policy", "Sometimes"], "--image-pull-policy"),
    ("labels-no-equals", [*BASE, "-l", "app"], "--labels"),
    ("labels-two-equals", [*BASE, "-l", "a=b=c"], "--labels"),
    ("labels-empty-key", [*BASE, "-l", "=b"], "--labels"),
    ("annotation-no-equals", [*BASE, "--annotations", "note"], "--annotations"),
    ("image-uppercase", ["web", "--image", "NGINX"], "--image"),
    ("image-with-space", ["web", "--image", "nginx latest"], "--image"),
    ("image-bad-tag", ["web", "--image", "nginx:"], "--image"),
]

# Inputs kubectl prints but the API server rejects (or only warns about): podgen refuses.
PODGEN_REJECTS = [
    ("name-uppercase", ["Web", "--image", "nginx"], "NAME", "RFC 1123"),
    ("name-underscore", ["web_1", "--image", "nginx"], "NAME", "RFC 1123"),
    ("name-dot-in-container", ["web.v1", "--image", "nginx"], "NAME", "must not contain dots"),
    ("name-too-long", ["x" * 64, "--image", "nginx"], "NAME", "no more than 63"),
    ("label-value-tilde", [*BASE, "-l", "app=~"], "--labels", "valid label"),
    ("label-value-injection", [*BASE, "-l", "app=x\nhostNetwork: true"], "--labels", "valid label"),
    ("label-key-injection", [*BASE, "-l", "a\nhostNetwork: true=x"], "--labels", "name part"),
    ("label-value-too-long", [*BASE, "-l", "app=" + "x" * 64], "--labels", "no more than 63"),
    ("annotation-key-bad", [*BASE, "--annotations", "bad key=x"], "--annotations", "name part"),
    ("namespace-uppercase", [*BASE, "-n", "Prod"], "--namespace", "RFC 1123 label"),
    ("namespace-dot", [*BASE, "-n", "a.b"], "--namespace", "must not contain dots"),
    ("port-zero", [*BASE, "--port", "0"], "--port", "between 1 and 65535"),
    ("port-too-big", [*BASE, "--port", "70000"], "--port", "between 1 and 65535"),
    ("port-negative", [*BASE, "--port", "-1"], "--port", "between 1 and 65535"),
    (
        # A Service's name is a DNS label: since RelaxedServiceNameValidation (on in 1.36, as
        # the real server shows), `1web` is one; a dot is not.
        "expose-name-not-dns-label",
        ["web.v1", "--image", "nginx", "--port", "80", "--expose", "--container-name", "web"],
        "NAME",
        "must not contain dots",
    ),
    ("env-duplicate", [*BASE, "--env", "A=1", "--env", "A=2"], "--env", "Duplicate value"),
    ("env-value-del", [*BASE, "--env", "A=x\x7fy"], "--env", "U+007F"),
    ("env-value-nel", [*BASE, "--env", "A=x\x85y"], "--env", "U+0085"),
    ("annotation-value-c1", [*BASE, "--annotations", "a=x\x9by"], "--annotations", "U+009B"),
    ("arg-noncharacter", [*BASE, "--", "x\uffffy"], "ARGS", "U+FFFF"),
    ("dry-run-server", [*BASE, "--dry-run=server"], "--dry-run", "client"),
    (
        "env-not-utf8",
        [*BASE, "--env", b"A=\xff".decode("utf-8", "surrogateescape")],
        "--env",
        "not valid UTF-8",
    ),
    (
        "arg-not-utf8",
        [*BASE, "--", b"\xc3(".decode("utf-8", "surrogateescape")],
        "ARGS",
        "not valid UTF-8",
    ),
    ("labels-trailing-comma", [*BASE, "-l", "a=b,"], "--labels", "unexpected label spec"),
    (
        "replicas-not-a-number",
        [*BASE, "--kind", "deployment", "--replicas", "abc"],
        "--replicas",
        "expected a whole number",
    ),
    ("output-name", [*BASE, "-o", "name"], "--output", "yaml"),
    ("kind-unknown", [*BASE, "--kind", "cronjobs"], "--kind", "replicaset"),
    ("replicas-with-pod", [*BASE, "--replicas", "3"], "--replicas", "deployment"),
    (
        "deployment-restart-never",
        [*BASE, "--kind", "deployment", "--restart", "Never"],
        "--restart",
        "Always",
    ),
    (
        "deployment-negative-replicas",
        [*BASE, "--kind", "deployment", "--replicas", "-1"],
        "--replicas",
        "greater than or equal to 0",
    ),
    # Jobs and CronJobs: what the API server refuses, kubectl's client included (issue 14).
    ("job-restart-always", [*BASE, "--kind", "job", "--restart", "Always"], "--restart", "Never"),
    ("job-uppercase-name", ["Web", "--image", "nginx", "--kind", "job"], "NAME", "lowercase"),
    ("cronjob-no-schedule", [*BASE, "--kind", "cronjob"], "--schedule", "required"),
    (
        "cronjob-six-fields",
        [*BASE, "--kind", "cronjob", "--schedule", "0 0 * * * *"],
        "--schedule",
        "expected exactly 5 fields",
    ),
    (
        "cronjob-tz-prefix",
        [*BASE, "--kind", "cronjob", "--schedule", "TZ=UTC 0 * * * *"],
        "--schedule",
        "use timeZone field instead",
    ),
    (
        "cronjob-restart-always",
        [*BASE, "--kind", "cronjob", "--schedule", "@daily", "--restart", "Always"],
        "--restart",
        "OnFailure or Never",
    ),
    (
        "cronjob-long-name",
        ["a" * 53, "--image", "nginx", "--kind", "cronjob", "--schedule", "@daily"],
        "NAME",
        "no more than 52 characters",
    ),
    (
        "cronjob-time-zone",
        [*BASE, "--kind", "cronjob", "--schedule", "@daily", "--time-zone", "Mars/Olympus"],
        "--time-zone",
        "unknown time zone",
    ),
    ("schedule-with-pod", [*BASE, "--schedule", "@daily"], "--schedule", "cronjob"),
    ("backoff-with-pod", [*BASE, "--backoff-limit", "2"], "--backoff-limit", "job or cronjob"),
    (
        "job-expose",
        [*BASE, "--kind", "job", "--port", "80", "--expose"],
        "--expose",
        "does not apply to a --kind job",
    ),
]


@pytest.mark.parametrize(
    ("case_id", "args", "flag"), KUBECTL_REJECTS, ids=[c[0] for c in KUBECTL_REJECTS]
)
def test_rejects_what_kubectl_rejects(
    kubectl: Kubectl, case_id: str, args: list[str], flag: str
) -> None:
    expected = kubectl(["run", *args, "--dry-run=client", "-o", "yaml"])
    assert expected.returncode != 0, f"kubectl accepted {case_id}: {expected.stdout}"
    result = run_podgen(["new", *args])
    _assert_clean_rejection(result, flag)
    assert result.code == expected.returncode  # the same exit code as kubectl's


@pytest.mark.parametrize(
    ("case_id", "args", "flag", "rule"), PODGEN_REJECTS, ids=[c[0] for c in PODGEN_REJECTS]
)
def test_rejects_what_the_api_server_rejects(
    case_id: str, args: list[str], flag: str, rule: str
) -> None:
    result = run_podgen(["new", *args])
    _assert_clean_rejection(result, flag)
    assert rule in result.stderr


def test_kubectl_accepts_what_podgen_is_stricter_about(kubectl: Kubectl) -> None:
    """The stricter cases are real gaps in kubectl, not inputs kubectl refuses anyway."""
    for args in (
        ["Web", "--image", "nginx"],
        ["web_1", "--image", "nginx"],
        ["web.v1", "--image", "nginx"],
        [*BASE, "-l", "app=~"],
    ):
        assert kubectl(["run", *args, "--dry-run=client", "-o", "yaml"]).returncode == 0
    for args in (
        ["job", "Web", "--image", "nginx"],
        ["cronjob", "a" * 53, "--image", "nginx", "--schedule", "@daily"],
        ["cronjob", "web", "--image", "nginx", "--schedule", "0 0 * * * *"],
        ["cronjob", "web", "--image", "nginx", "--schedule", "TZ=UTC 0 * * * *"],
    ):
        result = kubectl(["create", *args, "--dry-run=client", "-o", "yaml"])
        assert result.returncode == 0, (args, result.stderr)


def _assert_clean_rejection(result: object, flag: str) -> None:
    from tests.conftest import Run

    assert isinstance(result, Run)
    assert result.code == 1, result
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1, f"not one line: {result.stderr!r}"
    assert flag in result.stderr
    assert "Traceback" not in result.stderr
