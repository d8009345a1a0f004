"""podgen new against the real kubectl 1.37, byte for byte, in YAML and JSON.

Each case is a list of `kubectl run` arguments; podgen gets the same arguments (for
`--kind deployment`, kubectl gets the matching `kubectl create deployment` call). The expected
output is whatever kubectl prints: nothing here is hand-written.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_schema_valid, run_podgen
from tests.kubectl_peer import Kubectl

# Strings go-yaml treats specially: booleans, nulls, numbers, dates, base-60 floats, indicators,
# quotes, whitespace, unicode, control characters, long and multi-line text.
TRICKY = [
    "yes",
    "y",
    "Y",
    "NO",
    "n",
    "on",
    "Off",
    "true",
    "False",
    "null",
    "~",
    "",
    "1",
    "1e3",
    "0o17",
    "0x1F",
    "1_000",
    "012",
    "08",
    ".5",
    "+1",
    "-1",
    "1.",
    "1e999",
    "0b101",
    "-0b101",
    "9223372036854775808",
    "0xFFFFFFFFFFFFFFFFFFFF",
    ".inf",
    "-.inf",
    ".NaN",
    "1:20",
    "190:20:30",
    "1:2:3.5",
    "2024-01-01",
    "2023-02-29",
    "2024-02-29",
    "2024-1-1T1:2:3Z",
    "2024-01-01 10:00:00",
    "2024-01-01t10:00:00+05:30",
    " leading",
    "trailing ",
    "  ",
    "a: b",
    "a #b",
    "a#b",
    "x:",
    "key: value # comment",
    "*star",
    "&amp",
    "!bang",
    "%pct",
    "@at",
    "`tick",
    "|pipe",
    ">gt",
    "?q",
    "? q",
    "-dash",
    "- item",
    "[bracket",
    "{brace",
    "]",
    "}",
    ",comma",
    "#hash",
    "'single'",
    '"double"',
    "---",
    "--- doc",
    "...",
    "<<",
    "=",
    "tab\there",
    "multi\nline",
    "ends with newline\n",
    "two\n\nblank\n\n",
    "\nleading newline",
    "trailing space \nline",
    "a\r\nb",
    "bell\x07",
    "esc\x1b[0m",
    "ünïcödé",
    "日本語",
    "emoji 😀",
    "nbsp\xa0x",
    "bom\ufeffx",
    "ls\u2028x",
    "ps\u2029x",
    "<script>&</script>",
    "a'b",
    'a"b',
    "back\\slash",
    "word " * 30,
    "x" * 120,
    "long " + "z" * 90 + " tail",
    "x" * 79 + " y",
    "${HOME} $(id)",
    "http://example.com/a?b=c&d=e",
    "C:\\Windows\\path",
    "spaces   inside   value",
]

# Label values and names must pass the API server's rules, and still trip go-yaml's resolver.
TRICKY_LABEL_VALUES = [
    "yes",
    "y",
    "NO",
    "true",
    "null",
    "1e3",
    "0o17",
    "1_000",
    "012",
    "0x1F",
    "2024-01-01",
    "1",
    "1.5",
    "off",
    "",
    "a.b_c-d",
    "Z" * 63,
]
TRICKY_NAMES = [
    "yes",
    "y",
    "no",
    "true",
    "null",
    "on",
    "1e3",
    "0o17",
    "012",
    "1",
    "2024-01-01",
    "x" * 63,
    "a-b",
    "0x1f",
]


def _cases() -> list[tuple[str, list[str]]]:
    cases: list[tuple[str, list[str]]] = []
    base = ["web", "--image", "nginx:1.25.3"]

    def add(case_id: str, args: list[str]) -> None:
        cases.append((case_id, args))

    # Every flag on its own.
    add("minimal", base)
    add("port", [*base, "--port", "80"])
    add("port-plus-sign", [*base, "--port", "+8080"])
    add("port-leading-zero", [*base, "--port", "080"])
    add("labels", [*base, "-l", "app=web,tier=frontend"])
    add("labels-long-flag", [*base, "--labels", "app=web"])
    add("labels-natural-order", [*base, "-l", "a10=x,a9=y,a_b=z,aZ=w,a-b=v,a.b=u,A=t,a1=s,a01=r"])
    add("labels-prefixed", [*base, "-l", "app.kubernetes.io/name=web,example.com/tier=x"])
    add("env", [*base, "--env", "A=1", "--env", "B=two"])
    add("env-empty-value", [*base, "--env", "EMPTY="])
    add("env-equals-in-value", [*base, "--env", "URL=a=b=c"])
    add("env-dotted-name", [*base, "--env", "my.env-name=x", "--env", "_X=y"])
    for policy in ("Always", "OnFailure", "Never"):
        add(f"restart-{policy}", [*base, "--restart", policy])
    add("restart-equals", [*base, "--restart=Never"])
    add("args", [*base, "--", "--listen", ":8080"])
    add("command", [*base, "--command", "--", "sh", "-c", "echo hello && sleep 3600"])
    add("command-without-words", [*base, "--command"])
    add("annotations", [*base, "--annotations", "a=b", "--annotations", "c=d"])
    add("annotations-prefixed", [*base, "--annotations", "example.com/owner=team a"])
    add("annotations-equals", [*base, "--annotations", "k=v=w"])
    add("namespace", [*base, "--namespace", "prod"])
    add("namespace-short", [*base, "-n", "dev"])
    add("namespace-empty", [*base, "-n", ""])
    for policy in ("Always", "IfNotPresent", "Never"):
        add(f"pull-{policy}", [*base, "--image-pull-policy", policy])
    add("privileged", [*base, "--privileged"])
    add("expose", [*base, "--port", "80", "--expose"])
    add("expose-labels", [*base, "--port", "8080", "--expose", "-l", "app=web,tier=fe"])
    add("expose-namespace", [*base, "--port", "80", "--expose", "-n", "prod"])
    add("dry-run", [*base, "--dry-run=client"])
    add(
        "everything",
        [
            *base,
            "--port",
            "443",
            "-l",
            "app=web",
            "--env",
            "A=1",
            "--restart",
            "Never",
            "--annotations",
            "x=y",
            "-n",
            "ns1",
            "--image-pull-policy",
            "Always",
            "--privileged",
            "--expose",
            "--command",
            "--",
            "nginx",
            "-g",
            "daemon off;",
        ],
    )
    # Images.
    for image in [
        "nginx",
        "nginx:latest",
        "registry.example.com:5000/team/app:v1.2.3",
        "ghcr.io/org/app@sha256:" + "a" * 64,
        "localhost/app:1",
        "y",
        "1e3",
        "docker.io/library/busybox:1.36",
        "a__b",
        "app_v2.final",
    ]:
        add(f"image-{image[:30]}", ["web", "--image", image])
    # Tricky strings as env values, annotation values and args.
    for index, text in enumerate(TRICKY):
        add(f"env-tricky-{index}", [*base, "--env", f"V={text}"])
        add(f"annotation-tricky-{index}", [*base, "--annotations", f"note={text}"])
        add(f"arg-tricky-{index}", [*base, "--", text])
    for index, text in enumerate(TRICKY_LABEL_VALUES):
        add(f"label-tricky-{index}", [*base, "-l", f"k={text}"])
    for name in TRICKY_NAMES:
        add(
            f"name-{name[:20]}",
            [name, "--image", "nginx", "--port", "80", "--expose"]
            if name[0].isalpha()
            else [name, "--image", "nginx"],
        )
        add(f"namespace-{name[:20]}", [*base, "-n", name])
    return cases


CASES = _cases()
DEPLOYMENT_CASES = [
    ("minimal", ["web", "--image", "nginx"], []),
    ("replicas", ["web", "--image", "nginx:1.25.3"], ["--replicas", "3"]),
    ("port", ["web", "--image", "nginx:1.25.3"], ["--port", "8080"]),
    ("namespace", ["web", "--image", "nginx:1.25.3"], ["-n", "prod"]),
    (
        "all",
        ["api", "--image", "registry.example.com/team/api:2.0"],
        ["--replicas", "5", "--port", "443", "-n", "prod"],
    ),
    ("zero-replicas", ["web", "--image", "nginx"], ["--replicas", "0"]),
    ("tricky-name", ["yes", "--image", "nginx"], ["-n", "1e3"]),
]


#: `kubectl create job|cronjob` (its flags, then the words after --) and podgen's same flags.
BATCH_CASES = [
    ("job-minimal", ["job", "pi", "--image", "perl:5.34"], [], []),
    ("job-command", ["job", "pi", "--image", "perl:5.34"], [], ["--", "perl", "-e", "print 1"]),
    ("job-namespace", ["job", "pi", "--image", "perl:5.34"], ["-n", "batch"], ["--", "true"]),
    ("job-tricky", ["job", "yes", "--image", "busybox"], [], ["--", "sh", "-c", "echo 'a: b'"]),
    (
        "cronjob-minimal",
        ["cronjob", "hello", "--image", "busybox:1.36"],
        ["--schedule", "*/1 * * * *"],
        ["--", "date"],
    ),
    (
        "cronjob-never",
        ["cronjob", "hello", "--image", "busybox:1.36"],
        ["--schedule", "@hourly", "--restart", "Never", "-n", "ops"],
        [],
    ),
    (
        "cronjob-macro",
        ["cronjob", "nightly", "--image", "busybox:1.36"],
        ["--schedule", "@daily", "--restart", "OnFailure"],
        ["--", "sh", "-c", "echo 0 3 * * *"],
    ),
]


@pytest.mark.parametrize("output", ["yaml", "json", "kyaml"])
@pytest.mark.parametrize(
    ("case_id", "head", "flags", "words"), BATCH_CASES, ids=[c[0] for c in BATCH_CASES]
)
def test_matches_kubectl_create_job_and_cronjob(
    kubectl: Kubectl, case_id: str, head: list[str], flags: list[str], words: list[str], output: str
) -> None:
    kind, name, *image = head
    expected = kubectl(["create", *head, *flags, "--dry-run=client", "-o", output, *words])
    assert expected.returncode == 0, expected.stderr
    actual = run_podgen(["new", name, *image, "--kind", kind, *flags, "-o", output, *words])
    assert (actual.code, actual.stderr) == (0, "")
    assert actual.stdout == expected.stdout
    assert_schema_valid(actual.stdout, output)


def test_enough_cases() -> None:
    assert len(CASES) + len(DEPLOYMENT_CASES) >= 200


@pytest.mark.parametrize("output", ["yaml", "json", "kyaml"])
@pytest.mark.parametrize(("case_id", "args"), CASES, ids=[c[0] for c in CASES])
def test_matches_kubectl_run(kubectl: Kubectl, case_id: str, args: list[str], output: str) -> None:
    expected = kubectl(["run", *_with_output(args, output)])
    assert expected.returncode == 0, f"kubectl refused {case_id}: {expected.stderr}"
    actual = run_podgen(["new", *_with_output(args, output)])
    assert actual.stderr == ""
    assert actual.code == 0
    assert actual.stdout == expected.stdout
    assert_schema_valid(actual.stdout, output)


@pytest.mark.parametrize("output", ["yaml", "json", "kyaml"])
@pytest.mark.parametrize(
    ("case_id", "head", "flags"), DEPLOYMENT_CASES, ids=[c[0] for c in DEPLOYMENT_CASES]
)
def test_matches_kubectl_create_deployment(
    kubectl: Kubectl, case_id: str, head: list[str], flags: list[str], output: str
) -> None:
    expected = kubectl(["create", "deployment", *head, *flags, "--dry-run=client", "-o", output])
    assert expected.returncode == 0, expected.stderr
    actual = run_podgen(["new", *head, "--kind", "deployment", *flags, "-o", output])
    assert (actual.code, actual.stderr) == (0, "")
    assert actual.stdout == expected.stdout
    assert_schema_valid(actual.stdout, output)


def test_deployment_expose_matches_kubectl_expose(kubectl: Kubectl, tmp_path: object) -> None:
    """--kind deployment --expose adds the Service `kubectl expose deployment` would write."""
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    deployment = kubectl(
        [
            "create",
            "deployment",
            "web",
            "--image",
            "nginx",
            "--port",
            "80",
            "--dry-run=client",
            "-o",
            "yaml",
        ]
    )
    (tmp_path / "deploy.yaml").write_text(deployment.stdout)
    service = kubectl(
        [
            "expose",
            "-f",
            str(tmp_path / "deploy.yaml"),
            "--port",
            "80",
            "--dry-run=client",
            "-o",
            "yaml",
        ]
    )
    assert service.returncode == 0, service.stderr
    actual = run_podgen(
        ["new", "web", "--image", "nginx", "--port", "80", "--kind", "deployment", "--expose"]
    )
    assert actual.code == 0
    assert actual.stdout == deployment.stdout + "---\n" + service.stdout


def _with_output(args: list[str], output: str) -> list[str]:
    """Insert the dry-run and output flags before any `--`."""
    extra = ["-o", output] + ([] if "--dry-run=client" in args else ["--dry-run=client"])
    if "--" in args:
        cut = args.index("--")
        return [*args[:cut], *extra, *args[cut:]]
    return [*args, *extra]


#: Map keys KYAML must quote because YAML would read them as something else, and some it
#: leaves bare; all valid annotation keys.
KYAML_KEYS = [
    "1", "010", "0x1F", "0o17", "0b101", "1e3", "1.5", "1_000", "true", "True", "yes", "Off",
    "null", "y", "n", "nan", "inf", "Infinity", "2024-01-01", "1-2", "a.b", "a/b", "a_b",
    "x-y", "app.kubernetes.io/name", "example.com/1e3", "x.1", "9223372036854775808",
]  # fmt: skip


@pytest.mark.parametrize("key", KYAML_KEYS)
def test_kyaml_quotes_map_keys_as_kubectl_does(kubectl: Kubectl, key: str) -> None:
    args = ["web", "--image", "nginx", "--annotations", f"{key}=v", "-o", "kyaml"]
    expected = kubectl(["run", *args, "--dry-run=client"])
    assert expected.returncode == 0, expected.stderr
    actual = run_podgen(["new", *args])
    assert (actual.code, actual.stderr) == (0, "")
    assert actual.stdout == expected.stdout
