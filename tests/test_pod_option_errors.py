"""Every bad pattern, probe or pod option is refused before anything is printed.

One stderr line that names the flag, exit code 2, nothing on stdout.
"""

from __future__ import annotations

import pytest

from tests.conftest import run_podgen

APP = ["web", "--image", "nginx:1.25.3", "--port", "80"]

CASES = [
    # (id, args, flag named, words of the reason)
    ("unknown-pattern", [*APP, "--pattern", "ambassador"], "--pattern", "ambassador"),
    ("unknown-probe", [*APP, "--probe", "ping"], "--probe", "ping"),
    ("probe-without-port", ["web", "--image", "nginx", "--probe", "http"], "--probe", "port"),
    ("tcp-probe-without-port", ["web", "--image", "nginx", "--probe", "tcp"], "--probe", "port"),
    ("exec-probe-without-command", [*APP, "--probe", "exec"], "--probe-command", "required"),
    (
        "exec-probe-bad-quoting",
        [*APP, "--probe", "exec", "--probe-command", "cat 'x"],
        "--probe-command",
        "like a shell",
    ),
    (
        "native-sidecar-without-sidecar",
        [*APP, "--native-sidecar"],
        "--native-sidecar",
        "--pattern sidecar",
    ),
    (
        "native-sidecar-with-init",
        [*APP, "--pattern", "init", "--native-sidecar"],
        "--native-sidecar",
        "--pattern sidecar",
    ),
    ("bad-toleration-effect", [*APP, "--toleration", "k=v:NoWay"], "--toleration", "effect"),
    (
        "toleration-seconds-not-noexecute",
        [*APP, "--toleration", "k:NoSchedule:30"],
        "--toleration",
        "NoExecute",
    ),
    ("toleration-no-effect", [*APP, "--toleration", "k=v"], "--toleration", "key[=value]"),
    ("bad-quantity", [*APP, "--requests", "cpu=lots"], "--requests", "not a quantity"),
    ("bad-limit-quantity", [*APP, "--limits", "memory=12XB"], "--limits", "not a quantity"),
    (
        "requests-above-limits",
        [*APP, "--requests", "cpu=2", "--limits", "cpu=500m"],
        "--requests",
        "more than its limit",
    ),
    (
        "memory-requests-above-limits",
        [*APP, "--requests", "memory=1Gi", "--limits", "memory=512Mi"],
        "--requests",
        "more than its limit",
    ),
    ("fractional-memory", [*APP, "--requests", "memory=0.5"], "--requests", "fraction"),
    ("negative-quantity", [*APP, "--limits", "cpu=-1"], "--limits", "negative"),
    ("negative-grace-period", [*APP, "--grace-period", "-5"], "--grace-period", "0 or more"),
    (
        "unknown-probe-kind",
        [*APP, "--probe", "http", "--probe-kinds", "liveness,alive"],
        "--probe-kinds",
        "alive",
    ),
    (
        "success-threshold-on-liveness",
        [*APP, "--probe", "http", "--success-threshold", "2"],
        "--success-threshold",
        "must be 1",
    ),
    ("port-too-big", ["web", "--image", "nginx", "--port", "65536"], "--port", "65535"),
    ("probe-port-zero", [*APP, "--probe", "http", "--probe-port", "0"], "--probe-port", "65535"),
    (
        "sidecar-port-too-big",
        [*APP, "--pattern", "sidecar", "--sidecar-port", "70000"],
        "--sidecar-port",
        "65535",
    ),
    (
        "relative-shared-path",
        [*APP, "--pattern", "init", "--shared-path", "data"],
        "--shared-path",
        "absolute",
    ),
    (
        "relative-helper-path",
        [*APP, "--pattern", "sidecar", "--helper-path", "logs"],
        "--helper-path",
        "absolute",
    ),
    (
        "same-port-twice",
        [*APP, "--pattern", "sidecar", "--sidecar-port", "80"],
        "--sidecar-port",
        "network namespace",
    ),
    (
        "negative-initial-delay",
        [*APP, "--probe", "http", "--initial-delay", "-1"],
        "--initial-delay",
        "0 or more",
    ),
    ("zero-period", [*APP, "--probe", "http", "--period", "0"], "--period", "1 or more"),
    ("probe-flag-without-probe", [*APP, "--probe-path", "/healthz"], "--probe-path", "--probe"),
    (
        "init-flag-without-init",
        [*APP, "--init-command", "true"],
        "--init-command",
        "--pattern init",
    ),
    (
        "sidecar-flag-without-sidecar",
        [*APP, "--sidecar-image", "busybox"],
        "--sidecar-image",
        "--pattern sidecar",
    ),
    (
        "shared-path-with-runtime",
        [*APP, "--shared-path", "/data"],
        "--shared-path",
        "--pattern init or sidecar",
    ),
    (
        "sidecar-named-like-app",
        [*APP, "--pattern", "sidecar", "--sidecar-name", "web"],
        "--sidecar-name",
        "Duplicate",
    ),
    (
        "bad-volume-name",
        [*APP, "--pattern", "init", "--volume-name", "Data_Dir"],
        "--volume-name",
        "RFC 1123",
    ),
    ("wait-for-bad-service", [*APP, "--wait-for", "My_Service"], "--wait-for", "Service name"),
    (
        "bad-node-selector",
        [*APP, "--node-selector", "disk=s s d"],
        "--node-selector",
        "valid label",
    ),
    ("bad-node-name", [*APP, "--node-name", "Node_1"], "--node-name", "RFC 1123"),
    ("bad-service-account", [*APP, "--service-account", "Web"], "--service-account", "RFC 1123"),
    ("secure-and-privileged", [*APP, "--secure", "--privileged"], "--secure", "privileged"),
    ("empty-post-start", [*APP, "--post-start", " "], "--post-start", "empty"),
    (
        "deployment-probe-without-port",
        ["web", "--image", "nginx", "--kind", "deployment", "--probe", "grpc"],
        "--probe",
        "port",
    ),
]


@pytest.mark.parametrize(("case_id", "args", "flag", "reason"), CASES, ids=[c[0] for c in CASES])
def test_refused_with_the_flag_named(case_id: str, args: list[str], flag: str, reason: str) -> None:
    result = run_podgen(["new", *args])
    assert result.code == 1, result
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert flag in result.stderr
    assert reason in result.stderr


#: The probe handlers each probe setting applies to: a refusal lists exactly these, and names
#: only the flag given.
PROBE_SETTINGS = {
    ("--probe-port", "80"): "http, tcp or grpc",
    ("--probe-path", "/healthz"): "http",
    ("--probe-command", "true"): "exec",
    ("--probe-kinds", "liveness"): "http, tcp, exec or grpc",
}


REFUSED_PROBE_SETTINGS = [
    (setting, handler)
    for setting, applies in PROBE_SETTINGS.items()
    for handler in ("none", "http", "tcp", "exec", "grpc")
    if handler not in applies.replace(" or ", ", ").split(", ")
]


@pytest.mark.parametrize(
    ("setting", "handler"),
    REFUSED_PROBE_SETTINGS,
    ids=[f"{setting[0]}-{handler}" for setting, handler in REFUSED_PROBE_SETTINGS],
)
def test_a_probe_setting_refused_lists_the_probes_it_applies_to(
    setting: tuple[str, str], handler: str
) -> None:
    command = [] if "--probe-command" in setting or handler != "exec" else ["--probe-command", "x"]
    result = run_podgen(["new", *APP, "--probe", handler, *setting, *command])
    assert (result.code, result.stdout) == (1, ""), result
    assert (
        result.stderr
        == f"error: {setting[0]}: only applies with --probe {PROBE_SETTINGS[setting]}\n"
    )
