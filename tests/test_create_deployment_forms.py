"""`podgen new --kind deployment` against the real `kubectl create deployment`, every form.

The words after `--` (the container's command), several `--image` (repeated, comma
separated, both), with `--port` and `--replicas`, in YAML, JSON and KYAML: podgen prints
kubectl 1.37's bytes. Where kubectl refuses, podgen refuses; where kubectl writes what the API
server refuses (two containers of one name), podgen refuses and the server is asked too.
"""

from __future__ import annotations

import pytest
import yaml

from tests.apiserver import ApiServer
from tests.conftest import assert_schema_valid, run_podgen
from tests.kubectl_peer import Kubectl

#: (id, NAME and --image flags, other flags, the words after --): each for both programs.
FORMS = [
    ("command", ["web", "--image", "nginx:1.25.3"], [], ["--", "nginx", "-g", "daemon off;"]),
    ("command-one-word", ["web", "--image", "busybox:1.36"], [], ["--", "sleep"]),
    (
        "command-port-replicas",
        ["web", "--image", "busybox:1.36"],
        ["--port", "8080", "--replicas", "3"],
        ["--", "sh", "-c", "echo 'a: b' && sleep 3600"],
    ),
    ("command-tricky-words", ["yes", "--image", "nginx"], ["-n", "1e3"], ["--", "y", "1e3", ""]),
    ("two-images", ["web", "--image", "nginx:1.25.3", "--image", "busybox:1.36"], [], []),
    ("comma-images", ["web", "--image", "nginx:1.25.3,redis:7"], [], []),
    (
        "three-images-port",
        ["web", "--image", "nginx", "--image", "busybox,redis"],
        ["--port", "80"],
        [],
    ),
    (
        "images-replicas",
        ["web", "--image", "nginx", "--image", "redis"],
        ["--replicas", "5"],
        [],
    ),
    (
        "images-port-replicas-namespace",
        ["api", "--image", "registry.example.com:5000/team/api:2.0", "--image=ghcr.io/o/side:1"],
        ["--port", "443", "--replicas", "0", "-n", "prod"],
        [],
    ),
    (
        "images-digest",
        ["web", "--image", "nginx@sha256:" + "a" * 64 + ",localhost/cache:1"],
        ["--replicas", "2"],
        [],
    ),
    ("image-csv-quoted", ["web", "--image", '"nginx:1.25.3",redis'], [], []),
    ("one-image-in-list", ["web", "--image=nginx"], ["--port=80", "--replicas=2"], ["--", "x"]),
]


@pytest.mark.parametrize("output", ["yaml", "json", "kyaml"])
@pytest.mark.parametrize(("case_id", "head", "flags", "words"), FORMS, ids=[f[0] for f in FORMS])
def test_matches_kubectl_create_deployment(
    kubectl: Kubectl, case_id: str, head: list[str], flags: list[str], words: list[str], output: str
) -> None:
    expected = kubectl(
        ["create", "deployment", *head, *flags, "--dry-run=client", "-o", output, *words]
    )
    assert expected.returncode == 0, expected.stderr
    actual = run_podgen(["new", *head, "--kind", "deployment", *flags, "-o", output, *words])
    assert (actual.code, actual.stderr) == (0, "")
    assert actual.stdout == expected.stdout
    assert_schema_valid(actual.stdout, output)


@pytest.mark.parametrize(("case_id", "head", "flags", "words"), FORMS, ids=[f[0] for f in FORMS])
def test_the_lean_path_prints_the_same(
    kubectl: Kubectl, case_id: str, head: list[str], flags: list[str], words: list[str]
) -> None:
    """The console script's lean parser (no Typer) reads repeated --image and -- alike."""
    import contextlib
    import io

    from podgen._front.entry import _lean_new, main

    expected = kubectl(
        ["create", "deployment", *head, *flags, "--dry-run=client", "-o", "yaml", *words]
    )
    argv = ["new", *head, "--kind", "deployment", *flags, "-o", "yaml", *words]
    assert _lean_new(argv[1:]) is not None  # the lean parser takes it: Typer is not asked
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code in (0, None)
    assert out.getvalue() == expected.stdout


def test_several_images_with_a_command_are_refused_like_kubectl(kubectl: Kubectl) -> None:
    args = ["web", "--image", "nginx", "--image", "redis"]
    expected = kubectl(["create", "deployment", *args, "--dry-run=client", "--", "sleep", "1"])
    assert expected.returncode == 1
    assert expected.stderr == "error: cannot specify multiple --image options and command\n"
    actual = run_podgen(["new", *args, "--kind", "deployment", "--", "sleep", "1"])
    assert (actual.code, actual.stdout) == (1, "")
    assert actual.stderr == (
        "error: ARGS after --: several images cannot share one command "
        "(kubectl: cannot specify multiple --image options and command)\n"
    )


@pytest.mark.parametrize(
    ("images", "first", "second", "name"),
    [
        (["nginx", "nginx:1.27"], "nginx", "nginx:1.27", "nginx"),
        (["nginx:1.25,library/nginx@sha256:" + "b" * 64], "nginx:1.25", None, "nginx"),
    ],
)
def test_two_images_of_one_container_name_are_refused_as_the_server_would(
    kubectl: Kubectl,
    api_server: ApiServer,
    images: list[str],
    first: str,
    second: str | None,
    name: str,
) -> None:
    flags = [word for image in images for word in ("--image", image)]
    written = kubectl(["create", "deployment", "web", *flags, "--dry-run=client", "-o", "yaml"])
    assert written.returncode == 0, written.stderr  # kubectl writes it ...
    deployment = yaml.safe_load(written.stdout)
    deployment["metadata"]["namespace"] = "default"
    verdict = api_server.verdict(deployment)  # ... and the API server refuses it
    assert not verdict.accepted
    assert 'spec.template.spec.containers[1].name: Duplicate value: "nginx"' in verdict.message
    actual = run_podgen(["new", "web", *flags, "--kind", "deployment"])
    assert (actual.code, actual.stdout) == (1, "")
    other = second or images[0].split(",")[1]
    assert actual.stderr == (
        f"error: --image: '{first}' and '{other}' both give the container name '{name}'; "
        "a pod's containers need different names\n"
    )


def test_an_image_named_like_the_container_name_is_refused() -> None:
    flags = ["--image", "nginx", "--image", "redis", "--container-name", "redis"]
    actual = run_podgen(["new", "web", *flags, "--kind", "deployment"])
    assert (actual.code, actual.stdout) == (1, "")
    assert actual.stderr == (
        "error: --image: --container-name and 'redis' both give the container name 'redis'; "
        "a pod's containers need different names\n"
    )


@pytest.mark.parametrize("kind", ["pod", "job", "cronjob"])
def test_kinds_kubectl_gives_one_image_refuse_several(kind: str) -> None:
    """kubectl run, create job and create cronjob take one --image: so do these kinds."""
    schedule = ["--schedule", "@daily"] if kind == "cronjob" else []
    actual = run_podgen(
        ["new", "web", "--image", "nginx", "--image", "redis", "--kind", kind, *schedule]
    )
    assert (actual.code, actual.stdout) == (1, "")
    object_kind = {"pod": "Pod", "job": "Job", "cronjob": "CronJob"}[kind]
    assert actual.stderr == (
        f"error: --image: given twice, as 'nginx' and as 'redis'; a {object_kind} runs one "
        "image (--kind deployment, statefulset, daemonset or replicaset take several, a "
        "container each)\n"
    )


def test_a_pod_image_with_a_comma_is_one_invalid_image_as_kubectl_run_says(
    kubectl: Kubectl,
) -> None:
    expected = kubectl(["run", "web", "--image", "nginx,redis", "--dry-run=client"])
    assert expected.returncode == 1
    actual = run_podgen(["new", "web", "--image", "nginx,redis"])
    assert actual.code == 1
    assert actual.stderr == expected.stderr.replace("error: ", "error: --image: ", 1)


@pytest.mark.parametrize("kind", ["statefulset", "daemonset", "replicaset"])
def test_other_controllers_take_several_images_as_create_deployment(kind: str) -> None:
    actual = run_podgen(
        ["new", "web", "--image", "nginx", "--image", "redis:7", "--kind", kind, "--port", "80"]
    )
    assert (actual.code, actual.stderr) == (0, "")
    workload = next(yaml.safe_load_all(actual.stdout))
    containers = workload["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"], c.get("ports")) for c in containers] == [
        ("nginx", "nginx", [{"containerPort": 80}]),
        ("redis", "redis:7", None),
    ]


@pytest.mark.parametrize("kind", ["statefulset", "daemonset", "replicaset"])
def test_other_controllers_take_the_words_after_dashes_as_the_command(kind: str) -> None:
    """Written in create deployment's conventions, the other controllers follow its `--` too."""
    actual = run_podgen(["new", "web", "--image", "busybox", "--kind", kind, "--", "sleep", "9"])
    assert (actual.code, actual.stderr) == (0, "")
    document = next(yaml.safe_load_all(actual.stdout))
    (container,) = document["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["sleep", "9"]
    assert "args" not in container


def test_library_takes_a_comma_list_of_images_as_kubectl_does() -> None:
    import podgen

    text = podgen.new(podgen.RunFlags(name="web", image="nginx,redis", kind="deployment"))
    containers = yaml.safe_load(text)["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["nginx", "redis"]
    text = podgen.new(podgen.RunFlags(name="web", image=["nginx", "redis"], kind="deployment"))
    assert [c["name"] for c in yaml.safe_load(text)["spec"]["template"]["spec"]["containers"]] == [
        "nginx",
        "redis",
    ]


def test_from_a_deployment_blueprint_takes_several_images_and_a_command() -> None:
    """With --from, the blueprint's kind decides: web-deployment is a Deployment."""
    several = run_podgen(["new", "--from", "web-deployment", "--image", "nginx:1,redis:7"])
    assert (several.code, several.stderr) == (0, "")
    containers = next(yaml.safe_load_all(several.stdout))["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [
        ("nginx", "nginx:1"),
        ("redis", "redis:7"),
    ]
    command = run_podgen(
        ["new", "web", "--from", "web-deployment", "--", "nginx", "-g", "daemon off;"]
    )
    assert (command.code, command.stderr) == (0, "")
    (app,) = next(yaml.safe_load_all(command.stdout))["spec"]["template"]["spec"]["containers"]
    assert (app.get("command"), app.get("args")) == (["nginx", "-g", "daemon off;"], None)
