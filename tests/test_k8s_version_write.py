"""Writing for the release a cluster runs (issue 26): `--k8s-version` on new, render and import,
and `kubernetesVersion:` in podgen.yaml.

A field a later release added is refused at the release before it and written at that one,
naming what wrote it (the blueprint's word at its line, or `--from`'s) and both releases. Which
release added each field comes from kubernetes-validate's per-release strict schemas, read here
only: podgen finds the field by checking its output against the target's schema, not from a
list. What podgen writes never depends on the release: kubectl's output is the same for every
cluster, so `podgen new --k8s-version 1.29` is byte for byte kubectl 1.37's.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from podgen._model import versions
from podgen._rendering import bulk
from tests.apiserver import ApiServer
from tests.conftest import parse_documents, run_podgen
from tests.kubectl_peer import Kubectl
from tests.test_differential import BATCH_CASES, CASES, DEPLOYMENT_CASES

HEAD = "apiVersion: podgen.dev/v1\nkind: Blueprint\n"
PROJECT_HEAD = "apiVersion: podgen.dev/v1\nkind: Project\n"
_SCHEMAS = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
#: kubernetes-validate's schema file of each kind podgen writes.
_KIND_FILES = {
    "Pod": "pod-v1.json",
    "Deployment": "deployment-apps-v1.json",
    "Job": "job-batch-v1.json",
    "CronJob": "cronjob-batch-v1.json",
    "Service": "service-v1.json",
}


@functools.cache
def _upstream(version: str, kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
    folder = _SCHEMAS / f"v{version}.0-local-strict"
    definitions = json.loads((folder / "_definitions.json").read_text())["$defs"]
    return json.loads((folder / _KIND_FILES[kind]).read_text()), definitions


def _upstream_has(version: str, kind: str, path: tuple[str | int, ...]) -> bool:
    """Whether kubernetes-validate's strict schema of `version` has the field at `path`."""
    node, definitions = _upstream(version, kind)
    for step in path:
        while "$ref" in node:
            node = definitions[node["$ref"].rsplit("/", 1)[-1]]
        if isinstance(step, int):
            node = node["items"]
        elif step in node.get("properties", {}):
            node = node["properties"][step]
        else:
            return False
    return True


def upstream_added_in(kind: str, path: tuple[str | int, ...]) -> str:
    """The first supported release whose upstream schema has the field (not podgen's answer)."""
    found = [v for v in versions.SUPPORTED if _upstream_has(v, kind, path)]
    assert found, f"no supported release has {kind} {path}"
    return found[0]


def before(version: str) -> str:
    return f"1.{versions.minor(version) - 1}"


# Each field podgen writes that a release after 1.29 added, as a blueprint writes it: the
# pod's words (its kind's own, `overrides`, more containers), or an object under `objects:`.
# (id, the pod entry or object, where it is in the blueprint, the manifest's kind and path)
VOLUME = {"volumes": [{"name": "data", "emptyDir": {}}]}
FIELDS: list[tuple[str, dict[str, Any], str, str, tuple[str | int, ...]]] = [
    (
        "job-success-policy",
        {
            "kind": "job",
            "completionMode": "Indexed",
            "completions": 3,
            "successPolicy": {"rules": [{"succeededIndexes": "0"}]},
        },
        "pods[0].successPolicy",
        "Job",
        ("spec", "successPolicy"),
    ),
    (
        "cronjob-success-policy",
        {
            "kind": "cronjob",
            "schedule": "@daily",
            "completionMode": "Indexed",
            "completions": 3,
            "successPolicy": {"rules": [{"succeededCount": 1}]},
        },
        "pods[0].successPolicy",
        "CronJob",
        ("spec", "jobTemplate", "spec", "successPolicy"),
    ),
    (
        "pod-apparmor",
        {"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}},
        "pods[0].securityContext.appArmorProfile",
        "Pod",
        ("spec", "securityContext", "appArmorProfile"),
    ),
    (
        "deployment-container-apparmor",
        {
            "kind": "deployment",
            "containerSecurityContext": {"appArmorProfile": {"type": "RuntimeDefault"}},
        },
        "pods[0].containerSecurityContext.appArmorProfile",
        "Deployment",
        ("spec", "template", "spec", "containers", 0, "securityContext", "appArmorProfile"),
    ),
    (
        "recursive-read-only",
        {
            **VOLUME,
            "mounts": [
                {
                    "name": "data",
                    "mountPath": "/data",
                    "readOnly": True,
                    "recursiveReadOnly": "Disabled",
                }
            ],
        },
        "pods[0].mounts[0].recursiveReadOnly",
        "Pod",
        ("spec", "containers", 0, "volumeMounts", 0, "recursiveReadOnly"),
    ),
    (
        "supplemental-groups-policy",
        {"securityContext": {"supplementalGroupsPolicy": "Merge"}},
        "pods[0].securityContext.supplementalGroupsPolicy",
        "Pod",
        ("spec", "securityContext", "supplementalGroupsPolicy"),
    ),
    (
        "image-volume",
        {
            "volumes": [{"name": "tools", "image": {"reference": "busybox:1.36"}}],
            "mounts": [{"name": "tools", "mountPath": "/tools"}],
        },
        "pods[0].volumes[0].image",
        "Pod",
        ("spec", "volumes", 0, "image"),
    ),
    (
        "selinux-change-policy",
        {"securityContext": {"seLinuxChangePolicy": "Recursive"}},
        "pods[0].securityContext.seLinuxChangePolicy",
        "Pod",
        ("spec", "securityContext", "seLinuxChangePolicy"),
    ),
    (
        "pod-level-resources",
        {"overrides": {"resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}},
        "pods[0].overrides.resources",
        "Pod",
        ("spec", "resources"),
    ),
    (
        "stop-signal",
        {
            "containers": [
                {"name": "helper", "image": "busybox:1.36", "lifecycle": {"stopSignal": "SIGTERM"}}
            ],
            "overrides": {"os": {"name": "linux"}},
        },
        "pods[0].containers",
        "Pod",
        ("spec", "containers", 1, "lifecycle", "stopSignal"),
    ),
    (
        "hostname-override",
        {"overrides": {"hostnameOverride": "web-1"}},
        "pods[0].overrides.hostnameOverride",
        "Pod",
        ("spec", "hostnameOverride"),
    ),
    (
        "bind-mount-options",
        {
            **VOLUME,
            "mounts": [{"name": "data", "mountPath": "/data", "bindMountOptions": ["nodev"]}],
        },
        "pods[0].mounts[0].bindMountOptions",
        "Pod",
        ("spec", "containers", 0, "volumeMounts", 0, "bindMountOptions"),
    ),
    (
        "service-traffic-distribution",
        {
            "objects": [
                {
                    "apiVersion": "v1",
                    "kind": "Service",
                    "metadata": {"name": "web"},
                    "spec": {
                        "selector": {"run": "web"},
                        "ports": [{"port": 80}],
                        "trafficDistribution": "PreferClose",
                    },
                }
            ]
        },
        "objects[0].spec.trafficDistribution",
        "Service",
        ("spec", "trafficDistribution"),
    ),
    (
        "job-managed-by",
        {
            "objects": [
                {
                    "apiVersion": "batch/v1",
                    "kind": "Job",
                    "metadata": {"name": "queue"},
                    "spec": {
                        "managedBy": "kueue.x-k8s.io/multikueue",
                        "template": {
                            "spec": {
                                "restartPolicy": "Never",
                                "containers": [{"name": "work", "image": "busybox:1.36"}],
                            }
                        },
                    },
                }
            ]
        },
        "objects[0].spec.managedBy",
        "Job",
        ("spec", "managedBy"),
    ),
]
FIELD_IDS = [case[0] for case in FIELDS]


def _blueprint(words: dict[str, Any]) -> str:
    """A blueprint of one pod `web` with `words`, or of that pod and `words`' objects."""
    pod = {"name": "web", "image": "nginx:1.27.0"}
    objects = words.get("objects")
    pod.update({k: v for k, v in words.items() if k != "objects"})
    document: dict[str, Any] = {"pods": [pod]}
    if objects:
        document["objects"] = objects
    return HEAD + yaml.safe_dump(document, sort_keys=False)


def _line_of(text: str, key: str) -> int:
    """The line of the blueprint key `key` (`pods[0].mounts[0].name`) in `text`, by PyYAML."""
    node = yaml.compose(text)
    line = 0
    for part in re.findall(r"[^.\[\]]+", key):
        if part.isdigit():
            node = node.value[int(part)]
            line = node.start_mark.line + 1
        else:
            name, node = next((k, v) for k, v in node.value if k.value == part)
            line = name.start_mark.line + 1
    return line


def test_the_table_covers_every_field_since_1_29_that_a_word_writes() -> None:
    """Each field of the table was added after 1.29, as kubernetes-validate's schemas say."""
    for case_id, _, _, kind, path in FIELDS:
        assert versions.minor(upstream_added_in(kind, path)) > 29, case_id


@pytest.mark.parametrize(("case_id", "words", "key", "kind", "path"), FIELDS, ids=FIELD_IDS)
def test_render_refuses_a_field_before_its_release_and_writes_it_from_then(
    tmp_path: Path, case_id: str, words: dict[str, Any], key: str, kind: str, path: tuple[Any, ...]
) -> None:
    since = upstream_added_in(kind, path)
    text = _blueprint(words)
    blueprint = tmp_path / "app.yaml"
    blueprint.write_text(text)
    refused = run_podgen(["render", str(blueprint), "--k8s-version", before(since)])
    assert refused.code == 1
    assert refused.stdout == ""
    field = re.sub(r"\.(\d+)", r"[\1]", ".".join(map(str, path)))
    assert re.fullmatch(
        rf"error: {re.escape(str(blueprint))}:{_line_of(text, key)}:\d+: {re.escape(key)}: "
        rf"{re.escape(field)}: a {kind}'s field in Kubernetes {since} and later, not in "
        rf"{before(since)} \(see --k8s-version\)\n",
        refused.stderr,
    ), refused.stderr
    written = run_podgen(["render", str(blueprint), "--k8s-version", since])
    assert written.code == 0, written.stderr
    newest = run_podgen(["render", str(blueprint)])
    assert written.stdout == newest.stdout  # what is written does not depend on the release
    for document in parse_documents(written.stdout, "yaml"):
        kubernetes_validate.validate(document, since, strict=True)


POD_FIELDS = [case for case in FIELDS if "objects" not in case[1]]


@pytest.mark.parametrize(
    ("case_id", "words", "key", "kind", "path"), POD_FIELDS, ids=[c[0] for c in POD_FIELDS]
)
def test_new_from_a_blueprint_refuses_a_field_before_its_release(
    tmp_path: Path, case_id: str, words: dict[str, Any], key: str, kind: str, path: tuple[Any, ...]
) -> None:
    since = upstream_added_in(kind, path)
    text = _blueprint(words)
    blueprint = tmp_path / "app.yaml"
    blueprint.write_text(text)
    refused = run_podgen(["new", "--from", str(blueprint), "--k8s-version", before(since)])
    assert refused.code == 1
    assert refused.stdout == ""
    # Named at the key that wrote it, at its own line, as render names it.
    assert re.fullmatch(
        rf"error: {re.escape(str(blueprint))}:{_line_of(text, key)}:\d+: "
        rf"{re.escape(key)} \(from --from\): .*: a {kind}'s field in Kubernetes {since} "
        rf"and later, not in {before(since)} \(see --k8s-version\)\n",
        refused.stderr,
    ), refused.stderr
    rendered = run_podgen(["render", str(blueprint), "--k8s-version", before(since)])
    assert refused.stderr.split(" (from --from)")[0] == rendered.stderr.split(f"{key}: ")[0] + key
    written = run_podgen(["new", "--from", str(blueprint), "--k8s-version", since])
    assert written.code == 0  # perhaps with a warning: the field's feature may be off there
    assert all(line.startswith("warning: ") for line in written.stderr.splitlines())
    assert written.stdout == run_podgen(["new", "--from", str(blueprint)]).stdout


# -- podgen new's own flags: kubectl's output whatever the release --------------------------


# Each form for one older release, the releases taken in turn: every release, every form.
ALIKE = [
    (case_id, args, versions.SUPPORTED[index % (len(versions.SUPPORTED) - 1)])
    for index, (case_id, args) in enumerate(CASES)
]


@pytest.mark.parametrize(("case_id", "args", "version"), ALIKE, ids=[c[0] for c in ALIKE])
def test_every_kubectl_run_form_is_written_alike_for_every_release(
    case_id: str, args: list[str], version: str
) -> None:
    newest = run_podgen(["new", *args])
    assert newest.code == 0, newest.stderr
    assert run_podgen(["new", *_with_k8s_version(args, version)]) == newest


def _with_k8s_version(args: list[str], version: str) -> list[str]:
    """`args` with --k8s-version before any `--` (the words after it are the pod's)."""
    if "--" not in args:
        return [*args, "--k8s-version", version]
    at = args.index("--")
    return [*args[:at], "--k8s-version", version, *args[at:]]


KUBECTL_FORMS = [
    *((f"run-{case_id}", ["run", *args], ["new", *args]) for case_id, args in CASES[::7]),
    *(
        (
            f"deployment-{case_id}",
            ["create", "deployment", *head, *flags],
            ["new", *head, "--kind", "deployment", *flags],
        )
        for case_id, head, flags in DEPLOYMENT_CASES
    ),
    *(
        (
            case_id,
            ["create", *head, *flags, *words],
            ["new", head[1], *head[2:], "--kind", head[0], *flags, *words],
        )
        for case_id, head, flags, words in BATCH_CASES
    ),
]


@pytest.mark.parametrize(
    ("case_id", "peer", "ours"), KUBECTL_FORMS, ids=[c[0] for c in KUBECTL_FORMS]
)
def test_new_for_the_oldest_release_is_kubectl_byte_for_byte(
    kubectl: Kubectl, case_id: str, peer: list[str], ours: list[str]
) -> None:
    """kubectl 1.37's client writes the same whatever the cluster; so does podgen."""
    expected = kubectl(_dry_run(peer))
    assert expected.returncode == 0, expected.stderr
    actual = run_podgen(_with_k8s_version(ours, versions.SUPPORTED[0]))
    assert (actual.code, actual.stderr) == (0, "")
    assert actual.stdout == expected.stdout
    for document in parse_documents(actual.stdout, "yaml"):  # and 1.29's API server takes it
        kubernetes_validate.validate(document, versions.SUPPORTED[0], strict=True)


def _dry_run(args: list[str]) -> list[str]:
    """kubectl's command for `args`, printing YAML without a cluster, words after -- last."""
    at = args.index("--") if "--" in args else len(args)
    dry_run = [] if "--dry-run=client" in args else ["--dry-run=client"]
    return [*args[:at], *dry_run, "-o", "yaml", *args[at:]]


# -- the flag: parsed, listed, completed ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["new", "web", "--image", "nginx", "--k8s-version", "1.28"],
            "error: --k8s-version: Kubernetes 1.28 is not supported: "
            "podgen supports 1.29 to 1.37\n",
        ),
        (
            ["new", "web", "--image", "nginx", "--k8s-version=latest"],
            "error: --k8s-version: expected a Kubernetes version like 1.37, not 'latest' "
            "(podgen supports 1.29 to 1.37)\n",
        ),
        (
            ["render", "nginx-web", "--k8s-version", "1.38"],
            "error: --k8s-version: Kubernetes 1.38 is not supported: "
            "podgen supports 1.29 to 1.37\n",
        ),
        (
            ["import", "-", "--k8s-version", "2.0"],
            "error: --k8s-version: Kubernetes 2.0 is not supported: podgen supports 1.29 to 1.37\n",
        ),
    ],
)
def test_a_release_podgen_does_not_have_is_one_line_listing_the_range(
    args: list[str], message: str
) -> None:
    result = run_podgen(args)
    assert (result.code, result.stdout, result.stderr) == (1, "", message)


@pytest.mark.parametrize("command", ["new", "render", "import", "scaffold"])
def test_help_shows_the_option_with_an_example(command: str) -> None:
    result = run_podgen([command, "--help"])
    assert result.code == 0
    text = " ".join(result.stdout.split())
    assert "--k8s-version X.Y" in text
    assert "e.g. 1.30 (1.29 to 1.37" in text
    assert re.search(rf"podgen {command} .*--k8s-version 1\.(29|30)", text)


@pytest.mark.parametrize(
    "words",
    [
        ["new", "web", "--k8s-version", "1.3"],
        ["render", "--k8s-version", "1.3"],
        ["scaffold", "web", "--k8s-version", "1.3"],
    ],
)
def test_the_shell_completes_the_supported_releases(words: list[str]) -> None:
    script = Path(sys.executable).parent / "podgen"
    environment = {
        **os.environ,
        "_PODGEN_COMPLETE": "complete_bash",
        "COMP_WORDS": " ".join(["podgen", *words]),
        "COMP_CWORD": str(len(words)),
    }
    completed = subprocess.run(
        [str(script)], env=environment, capture_output=True, text=True, check=True
    )
    assert completed.stdout.split() == [v for v in versions.SUPPORTED if v.startswith("1.3")]


# -- podgen.yaml: kubernetesVersion for the project and each environment ----------------------

SUCCESS_POLICY = next(case for case in FIELDS if case[0] == "job-success-policy")


def _project(tmp_path: Path, project: str) -> Path:
    (tmp_path / "blueprint.yaml").write_text(_blueprint(SUCCESS_POLICY[1]))
    (tmp_path / "podgen.yaml").write_text(PROJECT_HEAD + project)
    return tmp_path


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_project_release_refuses_what_it_does_not_have(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_project(tmp_path, 'kubernetesVersion: "1.29"\n'))
    result = run_podgen(["render"])
    assert result.code == 1
    assert result.stderr.endswith(
        "spec.successPolicy: a Job's field in Kubernetes 1.30 and later, not in 1.29 "
        "(see podgen.yaml:3:1: kubernetesVersion)\n"
    )
    assert result.stderr.startswith("error: blueprint.yaml:")
    assert not (tmp_path / "k8s").exists()  # nothing half-written


def test_an_environment_release_wins_over_the_project_and_the_flag_over_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        'kubernetesVersion: "1.29"\n'
        "environments:\n"
        "  dev:\n"
        '    kubernetesVersion: "1.30"\n'
        "  prod: {}\n"
    )
    monkeypatch.chdir(_project(tmp_path, text))
    dev = run_podgen(["render", "--env", "dev"])
    assert dev.code == 0, dev.stderr
    prod = run_podgen(["render", "--env", "prod"])
    assert prod.code == 1
    assert prod.stderr.startswith(f"error: podgen.yaml:{_line(PROJECT_HEAD + text, 'prod')}:3:")
    assert "not in 1.29 (see podgen.yaml:3:1: kubernetesVersion)" in prod.stderr
    # The flag wins over both: every environment renders for 1.30, or all fail at 1.29.
    assert run_podgen(["render", "--k8s-version", "1.30"]).code == 0
    both = run_podgen(["render", "--check", "--k8s-version", "1.29"])
    assert both.code == 1
    assert "environment dev: " in both.stderr
    assert "not in 1.29 (see --k8s-version)" in both.stderr


def test_an_environment_older_than_the_project_is_refused_at_its_own_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = 'kubernetesVersion: "1.31"\nenvironments:\n  prod:\n    kubernetesVersion: v1.29.4\n'
    monkeypatch.chdir(_project(tmp_path, text))
    result = run_podgen(["render"])
    assert result.code == 1
    assert result.stderr.endswith(
        "not in 1.29 (see podgen.yaml:6:5: environments.prod.kubernetesVersion)\n"
    )
    assert run_podgen(["render", "--k8s-version", "1.31"]).code == 0


BAD_RELEASES = [
    ("1.28", '"1.28"', "Kubernetes 1.28 is not supported: podgen supports 1.29 to 1.37"),
    (
        "latest",
        "latest",
        "expected a Kubernetes version like 1.37, not 'latest' (podgen supports 1.29 to 1.37)",
    ),
    (
        "1.30-unquoted",
        "1.30",
        'quote the release, "1.30": unquoted, YAML reads 1.30 as the number 1.3',
    ),
    (
        "1.3-unquoted",
        "1.3",
        "Kubernetes 1.3 is not supported: podgen supports 1.29 to 1.37",
    ),
    ("1.31-unquoted", "1.31", 'quote the release, "1.31": unquoted, YAML reads 1.31 as a number'),
    ("boolean", "true", 'expected a Kubernetes version like "1.37", not true'),
    ("empty", "", 'expected a Kubernetes version like "1.37", not null'),
    ("null", "null", 'expected a Kubernetes version like "1.37", not null'),
    ("list", '["1.30"]', "expected a Kubernetes version like \"1.37\", not ['1.30']"),
]


@pytest.mark.parametrize(
    ("case_id", "value", "message"), BAD_RELEASES, ids=[c[0] for c in BAD_RELEASES]
)
@pytest.mark.parametrize("where", ["project", "environment"])
def test_a_bad_release_in_podgen_yaml_names_its_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case_id: str,
    value: str,
    message: str,
    where: str,
) -> None:
    if where == "project":
        text, at = f"kubernetesVersion: {value}\n", "podgen.yaml:3:1: kubernetesVersion"
    else:
        text = f"environments:\n  dev:\n    kubernetesVersion: {value}\n"
        at = "podgen.yaml:5:5: environments.dev.kubernetesVersion"
    monkeypatch.chdir(_project(tmp_path, text))
    for command in (["render"], ["render", "--check"], ["validate", "podgen.yaml"]):
        result = run_podgen(command)
        assert result.code == 1
        if command[0] == "render":
            assert (result.stdout, result.stderr) == ("", f"error: {at}: {message}\n")
        else:
            line, column = at.split(":")[1:3]
            finding = f"podgen.yaml:{line}:{column}: error: {at.split(': ', 1)[1]}: {message}"
            assert result.stdout == f"{finding} [project]\n"
    assert not (tmp_path / "k8s").exists()


MISSPELT = ["kubernetesversion", "KubernetesVersion", "k8sVersion", "kubeVersion", "k8s-version",
            "kubernetes_version", "kubernetes-version", "kubernetesVersions"]  # fmt: skip


@pytest.mark.parametrize("key", MISSPELT)
@pytest.mark.parametrize("where", ["project", "environment"])
def test_a_misspelt_release_key_suggests_kubernetes_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, where: str
) -> None:
    if where == "project":
        text, at = f'{key}: "1.30"\n', f"podgen.yaml:3:1: {key}"
    else:
        text, at = (
            f'environments:\n  dev:\n    {key}: "1.30"\n',
            f"podgen.yaml:5:5: environments.dev.{key}",
        )
    monkeypatch.chdir(_project(tmp_path, text))
    result = run_podgen(["render"])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == f"error: {at}: unknown key '{key}'; did you mean 'kubernetesVersion'?\n"


def test_the_project_schema_describes_kubernetes_version() -> None:
    import jsonschema

    from podgen._commands.project_schema import project_schema

    schema = project_schema()
    good = {"apiVersion": "podgen.dev/v1", "kind": "Project", "kubernetesVersion": "1.30"}
    jsonschema.validate({**good, "environments": {"dev": {"kubernetesVersion": "v1.31.2"}}}, schema)
    for bad in (1.3, "latest"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**good, "kubernetesVersion": bad}, schema)
    assert "1.29 to 1.37" in schema["properties"]["kubernetesVersion"]["description"]


def test_validate_checks_each_environment_at_its_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = 'environments:\n  dev: {}\n  prod:\n    kubernetesVersion: "1.29"\n'
    monkeypatch.chdir(_project(tmp_path, text))
    assert run_podgen(["render", "--k8s-version", "1.37"]).code == 0  # k8s/ as 1.37 has it
    result = run_podgen(["validate"])
    assert result.code == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    # podgen.yaml's prod renders at 1.29 (its error names the environment), and the manifest
    # written into prod's folder is checked at 1.29 too; dev's, at the newest, is fine.
    assert len(errors) == 2, result.stdout
    assert errors[0].startswith("podgen.yaml:5:3: error: environment prod: blueprint.yaml:")
    assert errors[0].endswith(
        "(see podgen.yaml:6:5: environments.prod.kubernetesVersion) [project]"
    )
    assert errors[1].startswith("k8s/prod/job-web.yaml:")
    assert errors[1].endswith(
        "added in Kubernetes 1.30 (this checks 1.29, see podgen.yaml:6:5: "
        "environments.prod.kubernetesVersion) [field-not-in-version]"
    )
    assert run_podgen(["validate", "--k8s-version", "1.30"]).code == 0  # the flag wins


def test_scaffold_writes_the_release_into_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    made = run_podgen(["scaffold", "web", "--image", "nginx:1.27.0", "--k8s-version", "v1.30.2"])
    assert made.code == 0, made.stderr
    text = (tmp_path / "web" / "podgen.yaml").read_text()
    assert '\nkubernetesVersion: "1.30"\n' in text
    monkeypatch.chdir(tmp_path / "web")
    assert run_podgen(["render", "--check"]).code == 0


# -- import at a release ----------------------------------------------------------------------

MANAGED_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: queue
spec:
  managedBy: kueue.x-k8s.io/multikueue
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox:1.36
"""


def test_import_checks_the_manifests_at_the_release(tmp_path: Path) -> None:
    manifest = tmp_path / "job.yaml"
    manifest.write_text(MANAGED_JOB)
    refused = run_podgen(["import", str(manifest), "--k8s-version", "1.29"])
    assert refused.code == 1
    assert refused.stdout == ""
    assert refused.stderr.startswith(f"error: {manifest}:6:3: spec.managedBy: ")
    assert "Kubernetes 1.30" in refused.stderr and "1.29" in refused.stderr
    imported = run_podgen(["import", str(manifest), "--k8s-version", "1.30"])
    assert imported.code == 0, imported.stderr
    assert imported.stdout == run_podgen(["import", str(manifest)]).stdout
    blueprint = tmp_path / "job-blueprint.yaml"
    blueprint.write_text(imported.stdout)
    # What import wrote renders back at that release, and is refused before it.
    assert run_podgen(["render", str(blueprint), "--k8s-version", "1.30"]).code == 0
    assert run_podgen(["render", str(blueprint), "--k8s-version", "1.29"]).code == 1


def test_a_field_overrides_wrote_is_named_there_not_at_a_word_of_its_name(tmp_path: Path) -> None:
    """Pod-level resources come only from overrides: an error there is not the app's request."""
    blueprint = tmp_path / "app.yaml"
    blueprint.write_text(
        HEAD + "pods:\n  - name: web\n    image: nginx\n    resources: {requests: {cpu: 100m}}\n"
        "    overrides:\n      resources:\n        requests: {cpu: 1GB}\n"
    )
    result = run_podgen(["render", str(blueprint)])
    assert result.code == 1
    assert result.stderr.startswith(
        f"error: {blueprint}:9:20: pods[0].overrides.resources.requests.cpu: "
        "spec.resources.requests.cpu: quantities must match"
    )


# -- what a run targets ------------------------------------------------------------------------


def test_a_release_given_is_chosen_and_the_default_is_not() -> None:
    assert (versions.chosen(), versions.chosen_by()) == (None, "--k8s-version")
    with versions.targeting_given(None):
        assert (versions.target(), versions.chosen()) == (versions.NEWEST, None)
    with versions.targeting_given("v1.30.1"):
        assert (versions.target(), versions.chosen()) == ("1.30", "1.30")
        with versions.targeting("1.31", "podgen.yaml:3:1: kubernetesVersion"):
            assert versions.chosen_by() == "podgen.yaml:3:1: kubernetesVersion"
        assert versions.chosen_by() == "--k8s-version"
    assert versions.chosen() is None


# -- a field whose feature is off by default in the target: a warning naming the gate ----------

# SupplementalGroupsPolicy is alpha in 1.31 and 1.32 and beta, on by default, from 1.33 (its
# KEP-3619 and the feature-gates page); ContainerStopSignals alpha from 1.33, off in 1.36.
GATED = HEAD + (
    "pods:\n  - name: web\n    image: nginx:1.27.0\n"
    "    securityContext:\n      supplementalGroupsPolicy: Merge\n"
)
GATED_WARNING = (
    "pods[0].securityContext.supplementalGroupsPolicy: "
    "spec.securityContext.supplementalGroupsPolicy: dropped by the API server: feature "
    "SupplementalGroupsPolicy is off by default in {version}\n"
)


@pytest.mark.parametrize("version", ["1.31", "1.32"])
def test_render_warns_of_a_field_the_release_drops_and_writes_it_all_the_same(
    tmp_path: Path, version: str
) -> None:
    blueprint = tmp_path / "app.yaml"
    blueprint.write_text(GATED)
    result = run_podgen(["render", str(blueprint), "--k8s-version", version])
    assert result.code == 0
    assert result.stderr == f"warning: {blueprint}:7:7: " + GATED_WARNING.format(version=version)
    assert result.stdout == run_podgen(["render", str(blueprint)]).stdout
    written = run_podgen(["new", "--from", str(blueprint), "--k8s-version", version])
    assert written.code == 0
    assert written.stderr == (
        f"warning: {blueprint}:7:7: pods[0].securityContext.supplementalGroupsPolicy "
        "(from --from): " + GATED_WARNING.format(version=version).split(": ", 1)[1]
    )


def test_no_warning_once_the_feature_is_on(tmp_path: Path) -> None:
    blueprint = tmp_path / "app.yaml"
    blueprint.write_text(GATED)
    for version in ("1.33", "1.37"):
        assert run_podgen(["render", str(blueprint), "--k8s-version", version]).stderr == ""


def test_each_environment_warns_at_its_own_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "blueprint.yaml").write_text(GATED)
    (tmp_path / "podgen.yaml").write_text(
        PROJECT_HEAD + 'environments:\n  dev: {}\n  prod:\n    kubernetesVersion: "1.31"\n'
    )
    monkeypatch.chdir(tmp_path)
    result = run_podgen(["render"])
    assert result.code == 0
    assert result.stderr == (
        "warning: podgen.yaml:5:3: environment prod: blueprint.yaml:7:7: "
        + GATED_WARNING.format(version="1.31")
    )
    assert run_podgen(["render", "--k8s-version", "1.33"]).stderr == (
        "k8s/dev: up to date (2 files)\nk8s/prod: up to date (2 files)\n"
    )


def test_a_folder_rendered_by_workers_warns_as_one_process_does(tmp_path: Path) -> None:
    folder = tmp_path / "blueprints"
    folder.mkdir()
    for index in range(bulk.PARALLEL_FROM):  # enough for worker processes
        (folder / f"app-{index:03}.yaml").write_text(GATED.replace("name: web", f"name: w{index}"))
    result = run_podgen(["render", str(folder), "--k8s-version", "1.31"])
    assert result.code == 0
    warnings = result.stderr.splitlines()
    assert len(warnings) == bulk.PARALLEL_FROM
    assert warnings[0] == (
        f"warning: {folder}/app-000.yaml:7:7: " + GATED_WARNING.format(version="1.31").rstrip()
    )
    assert warnings == sorted(warnings)  # in the folder's order


def test_import_notes_a_field_the_release_drops(tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n"
        "    supplementalGroupsPolicy: Merge\n  containers:\n  - name: web\n    image: nginx\n"
    )
    result = run_podgen(["import", str(manifest), "--k8s-version", "1.32"])
    assert result.code == 0
    assert result.stderr == (
        f"note: {manifest}:7:5: spec.securityContext.supplementalGroupsPolicy: dropped by the "
        "API server: feature SupplementalGroupsPolicy is off by default in 1.32; kept it as "
        "written\n"
    )
    assert run_podgen(["import", str(manifest)]).stderr == ""


def test_the_1_36_api_server_drops_what_render_warns_of(
    tmp_path: Path, api_server: ApiServer
) -> None:
    """The warning is the real server's behaviour: it takes the object and drops the field."""
    stop = next(case for case in FIELDS if case[0] == "stop-signal")
    blueprint = tmp_path / "app.yaml"
    blueprint.write_text(_blueprint(stop[1]))
    result = run_podgen(["render", str(blueprint), "--k8s-version", "1.36"])
    assert result.code == 0
    assert result.stderr.endswith(
        "dropped by the API server: feature ContainerStopSignals is off by default in 1.36\n"
    )
    (pod,) = parse_documents(result.stdout, "yaml")
    assert pod["spec"]["containers"][1]["lifecycle"] == {"stopSignal": "SIGTERM"}
    status, created, _ = api_server.request(
        "POST", "/api/v1/namespaces/default/pods?dryRun=All&fieldValidation=Strict", pod
    )
    assert status == 201, created
    assert "lifecycle" not in created["spec"]["containers"][1]


# -- a field a team template wrote is the template's, not a flag's nobody gave ----------------

# What a team's pod.yaml.j2 adds to the pod spec, each at a field whose name a flag or a
# blueprint key also writes (`--requests`, `--toleration`, `--mount`, ...), or none does;
# and the release it is checked at (a field the release lacks, or a value no release takes).
TEMPLATE_FIELDS = [
    ("pod-level-resources", '  resources: {limits: {cpu: "1"}}\n', "1.29", "spec.resources"),
    (
        "toleration",
        "  tolerations: [{key: a b, operator: Exists}]\n",
        "1.37",
        "spec.tolerations[0].key",
    ),
    ("node-selector", '  nodeSelector: {"bad key!": x}\n', "1.37", "spec.nodeSelector"),
    ("node-name", "  nodeName: Bad_Name\n", "1.37", "spec.nodeName"),
    ("service-account", "  serviceAccountName: Bad_Name\n", "1.37", "spec.serviceAccountName"),
    ("volume-name", "  volumes: [{name: B_1, emptyDir: {}}]\n", "1.37", "spec.volumes[0].name"),
    ("hostname-override", "  hostnameOverride: web-1\n", "1.33", "spec.hostnameOverride"),
    ("deadline", "  activeDeadlineSeconds: 0\n", "1.37", "spec.activeDeadlineSeconds"),
]


def _team_pod_template(folder: Path, extra: str) -> Path:
    """A team folder whose pod.yaml.j2 is podgen's own with `extra` at the top of the spec."""
    own = (Path(__file__).parents[1] / "templates" / "pod.yaml.j2").read_text()
    assert "spec:\n{{ pod_spec" in own
    folder.mkdir()
    (folder / "pod.yaml.j2").write_text(
        own.replace("spec:\n{{ pod_spec", f"spec:\n{extra}{{{{ pod_spec")
    )
    return folder


@pytest.mark.parametrize(
    ("case_id", "extra", "version", "field"), TEMPLATE_FIELDS, ids=[c[0] for c in TEMPLATE_FIELDS]
)
def test_a_field_a_team_template_wrote_is_named_as_the_templates(
    tmp_path: Path, case_id: str, extra: str, version: str, field: str
) -> None:
    team = str(_team_pod_template(tmp_path / "tpl", extra))
    blueprint = tmp_path / "app.yaml"
    blueprint.write_text(HEAD + "pods:\n  - name: web\n    image: nginx:1.25.3\n")
    runs = [
        ["new", "web", "--image", "nginx:1.25.3", "--requests", "cpu=100m", "--templates", team],
        ["new", "--from", str(blueprint), "--templates", team],
        ["render", str(blueprint), "--templates", team],
    ]
    for args in runs:
        result = run_podgen([*args, "--k8s-version", version])
        assert (result.code, result.stdout) == (1, ""), args
        assert result.stderr.startswith(f"error: --templates: pod.yaml.j2: {field}: "), (
            args,
            result.stderr,
        )
        assert result.stderr.count("\n") == 1


def test_a_warning_of_a_field_a_team_template_wrote_names_the_template(tmp_path: Path) -> None:
    """PodLevelResources is beta but off by default in 1.33 (on from 1.34)."""
    team = str(_team_pod_template(tmp_path / "tpl", '  resources: {limits: {cpu: "1"}}\n'))
    result = run_podgen(
        ["new", "web", "--image", "nginx:1.25.3", "--templates", team, "--k8s-version", "1.33"]
    )
    assert result.code == 0
    assert result.stderr == (
        "warning: --templates: pod.yaml.j2: spec.resources: dropped by the API server: "
        "feature PodLevelResources is off by default in 1.33\n"
    )
    # A field the team's template writes as podgen's does is still the flag's.
    own = run_podgen(
        ["new", "web", "--image", "nginx:1.25.3", "--requests", "cpu=1GB", "--templates", team]
    )
    assert own.code == 1
    assert own.stderr.startswith("error: --requests: ")


# -- scaffold warns as new does ----------------------------------------------------------------


@pytest.mark.parametrize("flags", [[], ["--parallelism", "2"]], ids=["as-written", "with-a-flag"])
def test_scaffold_from_a_blueprint_warns_of_a_field_the_release_drops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: list[str]
) -> None:
    """SupplementalGroupsPolicy is alpha, off by default, in 1.31 (as render and new warn)."""
    source = Path(__file__).parents[1] / "examples/cluster-version/project/blueprint.yaml"
    text = source.read_text()
    monkeypatch.chdir(tmp_path)
    rendered = run_podgen(["render", str(source), "--k8s-version", "1.31"])
    assert rendered.code == 0 and rendered.stderr.startswith("warning: ")
    made = run_podgen(["scaffold", "train", "--from", str(source), "--k8s-version", "1.31", *flags])
    assert made.code == 0, made.stderr
    assert made.stderr == rendered.stderr  # once, at the user's file and line, as render says
    assert made.stderr.startswith(f"warning: {source}:{_line(text, 'supplementalGroupsPolicy')}:")
    if not flags:  # the release is no pod flag: the blueprint is kept as written
        assert (tmp_path / "train" / "blueprint.yaml").read_text() == text
    refused = run_podgen(["scaffold", "old", "--from", str(source), "--k8s-version", "1.29"])
    assert refused.code == 1
    assert refused.stderr.startswith(f"error: {source}:{_line(text, 'supplementalGroupsPolicy')}:")
    assert not (tmp_path / "old").exists()
