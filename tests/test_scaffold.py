"""podgen scaffold and the cookiecutter template: projects that work out of the box."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from podgen._blueprint import builtins as _builtins
from podgen._blueprint.schema import SCHEMA
from podgen._front.scaffold import template_folder
from tests.conftest import run_podgen

ROOT = Path(__file__).resolve().parent.parent
BIN = str(Path(sys.executable).parent)
ENV = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}


def _scaffold(tmp_path: Path, *flags: str, name: str = "web") -> Path:
    result = run_podgen(["scaffold", name, "--output-dir", str(tmp_path), *flags])
    assert (result.code, result.stderr) == (0, ""), result
    assert result.stdout.startswith(f"created {tmp_path / name}/")
    return tmp_path / name


def _jsonc(text: str) -> object:
    """JSON with // comments, as VS Code reads tasks.json."""
    return json.loads(
        re.sub(
            r'^\s*//.*$|("(?:\\.|[^"\\])*")', lambda m: m.group(1) or "", text, flags=re.MULTILINE
        )
    )


def _manifests(project: Path) -> list[Path]:
    """The rendered manifests (not the kustomization.yaml listing them)."""
    return sorted(p for p in (project / "k8s").rglob("*.yaml") if p.name != "kustomization.yaml")


@pytest.mark.parametrize(
    "flags",
    [
        ["--kind", "job", "--", "sh", "-c", "echo hi"],
        ["--", "sleep", "-v", "--help"],
        ["--command", "--", "sh", "-c", "echo hi"],
        ["--kind", "cronjob", "--schedule", "*/5 * * * *", "--", "date", "-u"],
    ],
)
def test_scaffold_passes_the_words_after_dashes_to_new(tmp_path: Path, flags: list[str]) -> None:
    """After `--`, words that look like flags (`-c`) are the pod's command or args, as in new."""
    project = _scaffold(tmp_path, "--image", "busybox:1.36", *flags)
    [manifest] = _manifests(project)
    new = run_podgen(["new", "web", "--image", "busybox:1.36", *flags])
    assert (new.code, new.stderr) == (0, "")
    assert manifest.read_text() == new.stdout


@pytest.mark.parametrize("pattern", ["runtime", "init", "sidecar"])
def test_scaffold_each_pattern(tmp_path: Path, pattern: str) -> None:
    project = _scaffold(
        tmp_path, "--image", "nginx:1.25.3", "--port", "80", "--probe", "http", "--pattern", pattern
    )
    for expected in (
        "blueprint.yaml",
        "README.md",
        "Makefile",
        ".vscode/tasks.json",
        ".vscode/settings.json",
        ".vscode/podgen-blueprint.schema.json",
        ".vscode/extensions.json",
        ".helix/languages.toml",
        ".nvim.lua",
        ".pre-commit-config.yaml",
        "podgen.yaml",
        "k8s/kustomization.yaml",
    ):
        assert (project / expected).is_file(), expected
    assert not (project / ".podgen-answers.json").exists()  # the hook's input is cleaned up
    manifests = _manifests(project)
    assert [m.name for m in manifests] == ["pod-web.yaml"]
    for manifest in manifests:
        kubernetes_validate.validate(yaml.safe_load(manifest.read_text()), "1.37", strict=True)
    validated = run_podgen(["validate", str(project / "k8s"), str(project / "blueprint.yaml")])
    assert validated.code == 0 and ": error: " not in validated.stdout
    blueprint = yaml.safe_load((project / "blueprint.yaml").read_text())
    assert blueprint["pods"][0].get("pattern", "runtime") == pattern


def test_render_check_passes_fresh_and_fails_after_an_edit(tmp_path: Path) -> None:
    project = _scaffold(tmp_path, "--image", "nginx:1.25.3", "--port", "80")
    check = ["render", str(project / "blueprint.yaml"), "--out", str(project / "k8s"), "--check"]
    assert run_podgen(check).code == 0
    blueprint = project / "blueprint.yaml"
    blueprint.write_text(blueprint.read_text().replace("port: 80", "port: 8080"))
    failed = run_podgen(check)
    assert failed.code == 1 and "+    - containerPort: 8080" in failed.stdout


def test_the_makefile_tasks_work(tmp_path: Path) -> None:
    project = _scaffold(tmp_path, "--image", "nginx:1.25.3", "--port", "80")
    make = subprocess.run(
        ["make", "check", "validate"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert make.returncode == 0, make.stdout + make.stderr
    blueprint = project / "blueprint.yaml"
    blueprint.write_text(blueprint.read_text().replace("name: web", "name: api"))
    assert (
        subprocess.run(
            ["make", "check"], cwd=project, env=ENV, capture_output=True, check=False
        ).returncode
        != 0
    )
    assert (
        subprocess.run(
            ["make", "render", "check"], cwd=project, env=ENV, capture_output=True, check=False
        ).returncode
        == 0
    )
    assert [m.name for m in _manifests(project)] == ["pod-api.yaml"]  # --prune removed pod-web


def test_tasks_json_and_its_problem_matcher(tmp_path: Path) -> None:
    project = _scaffold(tmp_path, "--image", "nginx", "--port", "80")
    tasks = _jsonc((project / ".vscode" / "tasks.json").read_text())
    assert isinstance(tasks, dict)
    by_label = {task["label"]: task for task in tasks["tasks"]}
    assert set(by_label) == {
        "podgen: render",
        "podgen: check",
        "podgen: validate",
        "kubectl: apply --dry-run=server",
    }
    assert by_label["kubectl: apply --dry-run=server"]["command"] == "make apply-dry-run"
    matcher = by_label["podgen: validate"]["problemMatcher"]
    pattern = re.compile(matcher["pattern"]["regexp"])
    # Break a manifest, run the task's command as VS Code would, read its output.
    manifest = project / "k8s" / "pod-web.yaml"
    manifest.write_text(manifest.read_text().replace("containerPort: 80", "containerPort: 0"))
    command = shlex.split(by_label["podgen: validate"]["command"])
    output = subprocess.run(
        command, cwd=project, env=ENV, capture_output=True, text=True, check=False
    ).stdout
    matched = [pattern.match(line) for line in output.splitlines()]
    assert matched and all(matched), output
    groups = matcher["pattern"]
    severities = {m.group(groups["severity"]) for m in matched if m}
    assert severities == {"error", "warning"}
    for match in matched:
        assert match is not None
        assert (project / match.group(groups["file"])).is_file()
        assert int(match.group(groups["line"])) >= 1 and int(match.group(groups["column"])) >= 1
        assert re.fullmatch(r"[a-z0-9-]+", match.group(groups["code"]))
    error = next(m for m in matched if m and m.group(groups["severity"]) == "error")
    assert "containerPort" in error.group(groups["message"])


def test_settings_point_the_yaml_extension_at_the_schema(tmp_path: Path) -> None:
    project = _scaffold(tmp_path, "--image", "nginx:1.25.3")
    settings = json.loads((project / ".vscode" / "settings.json").read_text())
    schemas = {globs[0]: path for path, globs in settings["yaml.schemas"].items()}
    assert json.loads((project / schemas["blueprint.yaml"]).read_text()) == SCHEMA
    project_schema = json.loads((project / schemas["podgen.yaml"]).read_text())
    assert project_schema["title"] == "podgen project (podgen.yaml)"
    # The project file scaffold writes follows it (its commented example too, uncommented).
    written = yaml.safe_load((project / "podgen.yaml").read_text())
    jsonschema.validate(written, project_schema)
    example = "\n".join(
        line.removeprefix("# ")
        for line in (project / "podgen.yaml").read_text().splitlines()
        if line.startswith(("# environments", "#   "))
    )
    jsonschema.validate({**written, **yaml.safe_load(example)}, project_schema)


def test_pre_commit_runs_the_bare_commands_with_no_made_up_address(tmp_path: Path) -> None:
    project = _scaffold(tmp_path, "--image", "nginx:1.25.3", "--port", "80")
    text = (project / ".pre-commit-config.yaml").read_text()
    assert "http" not in text + (project / "README.md").read_text()  # no made-up repository
    (repo,) = yaml.safe_load(text)["repos"]
    assert repo["repo"] == "local"
    hooks = {hook["id"]: hook for hook in repo["hooks"]}
    assert {h["entry"] for h in hooks.values()} == {"podgen render --check", "podgen validate"}
    # Run each hook as pre-commit would (no file names: pass_filenames is false), from a
    # subfolder too: podgen finds podgen.yaml above it.
    for folder in (project, project / "k8s"):
        for hook in hooks.values():
            assert hook["pass_filenames"] is False
            ran = subprocess.run(
                shlex.split(hook["entry"]),
                cwd=folder,
                env=ENV,
                capture_output=True,
                text=True,
                check=False,
            )
            assert ran.returncode == 0, (hook["id"], ran.stdout, ran.stderr)


def test_values_never_become_code(tmp_path: Path) -> None:
    project = _scaffold(
        tmp_path,
        "--image",
        "nginx:1.25.3",
        "--env",
        "X={{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
        "--annotations",
        "note={% raw %}'''\nimport os",
    )
    assert not list(tmp_path.rglob("PWNED")) and not Path("PWNED").exists()
    pod = yaml.safe_load((project / "k8s" / "pod-web.yaml").read_text())
    assert pod["spec"]["containers"][0]["env"][0]["value"].startswith("{{ cycler")
    assert pod["metadata"]["annotations"]["note"] == "{% raw %}'''\nimport os"
    hook = (template_folder() / "hooks" / "post_gen_project.py").read_text()
    assert "{{" not in hook and "{%" not in hook  # the hook holds no template expressions


@pytest.mark.parametrize(
    ("flags", "reason"),
    [
        (["--image", "nginx", "--probe", "http"], "--probe"),
        (["--image", "NGINX"], "--image"),
        (["--pattern", "init"], "--image"),
    ],
)
def test_bad_flags_create_nothing(tmp_path: Path, flags: list[str], reason: str) -> None:
    result = run_podgen(["scaffold", "web", "--output-dir", str(tmp_path), *flags])
    assert result.code == 1 and reason in result.stderr and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "mine.txt").write_text("keep")
    result = run_podgen(["scaffold", "web", "--output-dir", str(tmp_path), "--image", "nginx"])
    assert result.code == 1 and "already exists" in result.stderr
    assert [p.name for p in (tmp_path / "web").iterdir()] == ["mine.txt"]


@pytest.mark.parametrize(
    ("where", "shown"),
    [
        ([], "web/"),
        (["--output-dir", "apps"], "apps/web/"),
        (["--output-dir", "./apps"], "apps/web/"),
    ],
)
def test_scaffold_names_the_folder_as_the_user_gave_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: list[str], shown: str
) -> None:
    # docs/scaffold.md shows `created web/`: the path as given, not the absolute one.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "apps").mkdir()
    result = run_podgen(["scaffold", "web", *where, "--image", "nginx:1.25.3"])
    assert (result.code, result.stderr) == (0, ""), result
    assert result.stdout.splitlines()[0] == f"created {shown}"
    assert (tmp_path / shown / "blueprint.yaml").is_file()


def test_scaffold_from_a_builtin_keeps_the_whole_blueprint(tmp_path: Path) -> None:
    project = _scaffold(tmp_path, "--from", "mysql", name="db")
    assert [m.name for m in _manifests(project)] == ["pod-mysql.yaml", "service-mysql.yaml"]
    assert (project / "blueprint.yaml").read_text() == _builtins.text("mysql")  # comments too
    assert (
        run_podgen(["render", "mysql"]).stdout
        == run_podgen(["render", str(project / "blueprint.yaml")]).stdout
    )


def test_scaffold_from_a_multi_pod_blueprint_keeps_every_object(tmp_path: Path) -> None:
    project = _scaffold(tmp_path, "--from", "labelled-pods", name="shop")
    assert [m.relative_to(project / "k8s").as_posix() for m in _manifests(project)] == [
        "namespace-shop.yaml",
        "shop/pod-web-1.yaml",
        "shop/pod-web-2.yaml",
        "shop/pod-web-canary.yaml",
        "shop/service-web.yaml",
    ]
    blueprint = yaml.safe_load((project / "blueprint.yaml").read_text())
    assert blueprint["createNamespace"] is True


def test_scaffold_from_with_flags_changes_only_that_pod(tmp_path: Path) -> None:
    project = _scaffold(tmp_path, "--from", "mysql", "--image", "mysql:8.4", name="db")
    rendered = run_podgen(["render", str(project / "blueprint.yaml")]).stdout
    assert rendered == run_podgen(["render", "mysql"]).stdout.replace("mysql:8.0", "mysql:8.4")
    # In a blueprint of several pods, NAME says which pod the flags change.
    project = _scaffold(tmp_path, "--from", "labelled-pods", "--image", "nginx:1.27", name="web-2")
    pods = yaml.safe_load((project / "blueprint.yaml").read_text())["pods"]
    assert [(pod["name"], pod["image"]) for pod in pods] == [
        ("web-1", "nginx:1.25.3"),
        ("web-2", "nginx:1.27"),
        ("web-canary", "nginx:1.25.3"),
    ]
    refused = run_podgen(
        [
            "scaffold",
            "shop",
            "--output-dir",
            str(tmp_path),
            "--from",
            "labelled-pods",
            "--port",
            "8",
        ]
    )
    assert refused.code == 1 and "name one as NAME" in refused.stderr
    assert not (tmp_path / "shop").exists()


def _cookiecutter(
    tmp_path: Path, *options: str, extra: tuple[str, ...] = (), answers: str | None = None
) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "cookiecutter", *options, str(template_folder()), *extra],
        cwd=tmp_path,
        env={**ENV, "HOME": str(home)},
        input=answers,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cookiecutter_no_input_gives_a_working_project(tmp_path: Path) -> None:
    result = _cookiecutter(tmp_path, "--no-input")
    assert result.returncode == 0, result.stderr
    project = tmp_path / "web"
    assert run_podgen(["validate", str(project / "k8s")]).code == 0
    assert (
        run_podgen(
            ["render", str(project / "blueprint.yaml"), "--out", str(project / "k8s"), "--check"]
        ).code
        == 0
    )


def test_cookiecutter_prompts_for_the_pod(tmp_path: Path) -> None:
    # name, image, port, pattern (2 = init), probe (4 = exec), kind, schedule (cronjob only),
    # namespace, slug, repo, rev
    answers = "api\nbusybox:1.36\n8080\n2\n4\n1\n\nteam-a\n\n\n\n"
    result = _cookiecutter(tmp_path, answers=answers)
    assert result.returncode == 0, result.stdout + result.stderr
    for prompt in ("Name", "image", "Port", "pattern", "probe", "runs the pod", "Namespace"):
        assert prompt in result.stdout, prompt
    blueprint = yaml.safe_load((tmp_path / "api" / "blueprint.yaml").read_text())
    assert blueprint["namespace"] == "team-a"
    (pod,) = blueprint["pods"]
    assert (pod["name"], pod["image"], pod["port"], pod["pattern"]) == (
        "api",
        "busybox:1.36",
        8080,
        "init",
    )
    assert pod["probe"]["type"] == "exec"
    assert run_podgen(["validate", str(tmp_path / "api" / "k8s")]).code == 0


@pytest.mark.parametrize(
    "kind", ["deployment", "statefulset", "daemonset", "replicaset", "job", "cronjob"]
)
def test_cookiecutter_makes_a_project_for_every_kind(tmp_path: Path, kind: str) -> None:
    extra = (f"kind={kind}", "schedule=0 4 * * 1")
    result = _cookiecutter(tmp_path, "--no-input", extra=extra)
    assert result.returncode == 0, result.stdout + result.stderr
    project = tmp_path / "web"
    (pod,) = yaml.safe_load((project / "blueprint.yaml").read_text())["pods"]
    assert pod["kind"] == kind
    assert ("schedule" in pod) == (kind == "cronjob")
    rendered = [yaml.safe_load(f.read_text()) for f in sorted((project / "k8s").glob("*.yaml"))]
    assert {o["kind"] for o in rendered} >= {KINDS[kind]}
    assert run_podgen(["validate", str(project / "k8s")]).code == 0
    check = ["render", str(project / "blueprint.yaml"), "--out", str(project / "k8s"), "--check"]
    assert run_podgen(check).code == 0


KINDS = {
    "deployment": "Deployment",
    "statefulset": "StatefulSet",
    "daemonset": "DaemonSet",
    "replicaset": "ReplicaSet",
    "job": "Job",
    "cronjob": "CronJob",
}


def test_cookiecutter_refuses_bad_answers_and_leaves_nothing(tmp_path: Path) -> None:
    result = _cookiecutter(tmp_path, "--no-input", extra=("name=Bad_Name",))
    assert result.returncode != 0
    assert "error: " in result.stdout + result.stderr
    assert not (tmp_path / "Bad_Name").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="the scaffold's tasks are make's")
def test_apply_dry_run_asks_about_every_folder_podgen_renders_into(tmp_path: Path) -> None:
    project = _scaffold(tmp_path, "--image", "nginx:1.27", "--port", "80")
    # Which folders the Makefile hands to kubectl: a kubectl on PATH that says what it got.
    shim = tmp_path / "bin" / "kubectl"
    shim.parent.mkdir()
    shim.write_text('#!/bin/sh\necho "kubectl $*" >> "$KUBECTL_LOG"\n')
    shim.chmod(0o755)
    log = tmp_path / "kubectl.log"
    env = {**os.environ, "PATH": f"{shim.parent}:{os.environ['PATH']}", "KUBECTL_LOG": str(log)}

    def folders() -> list[str]:
        log.write_text("")
        result = subprocess.run(
            ["make", "-s", "apply-dry-run"], cwd=project, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return [line.rsplit(" ", 1)[1] for line in log.read_text().splitlines()]

    assert folders() == ["k8s"]
    with (project / "podgen.yaml").open("a") as file:
        file.write("environments:\n  dev: {}\n  prod: {}\n")
    render = subprocess.run(
        [sys.executable, "-m", "podgen", "render"], cwd=project, capture_output=True, text=True
    )
    assert render.returncode == 0, render.stderr
    assert folders() == ["k8s/dev", "k8s/prod"]


# The cookiecutter template's exec probe checks that the app listens on its port (issue 24).

#: The head of /proc/net/tcp and one row, as the kernel writes them.
TCP_HEAD = (
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
    "timeout inode\n"
)
TCP_ROW = (
    "   0: {address}:{port} 00000000:0000 {state} 00000000:00000000 00:00000000 00000000  "
    "   0        0 12345 1 0000000000000000 100 0 0 10 0\n"
)


def _probe_exit(command: list[str], tables: Path | None = None) -> int:
    """Run the probe's command as the kubelet would, with `sh`; against fake tables if given."""
    script = command[2]
    if tables is not None:
        script = script.replace("/proc/net/", f"{tables}/")
    return subprocess.run([*command[:2], script], check=False).returncode


def _exec_probe(port: str) -> list[str]:
    from podgen._front.scaffold import blueprint_from_answers

    answers = {"name": "api", "image": "busybox:1.36", "port": port, "probe": "exec"}
    (pod,) = blueprint_from_answers(answers)["pods"]
    command: list[str] = pod["probe"]["command"]
    return command


def test_the_exec_probe_renders_and_validates(tmp_path: Path) -> None:
    from podgen._front.scaffold import blueprint_from_answers

    answers = {"name": "api", "image": "busybox:1.36", "port": "8080", "probe": "exec"}
    (tmp_path / "bp.yaml").write_text(yaml.safe_dump(blueprint_from_answers(answers)))
    rendered = run_podgen(["render", str(tmp_path / "bp.yaml"), "--out", str(tmp_path / "k8s")])
    assert rendered.code == 0, rendered
    pod = yaml.safe_load((tmp_path / "k8s" / "pod-api.yaml").read_text())
    container = pod["spec"]["containers"][0]
    assert container["livenessProbe"]["exec"]["command"][:2] == ["sh", "-c"]
    assert run_podgen(["validate", str(tmp_path / "k8s")]).code == 0


@pytest.mark.parametrize("family", [socket.AF_INET, socket.AF_INET6])
def test_the_exec_probe_passes_while_the_port_listens_and_fails_after(family: int) -> None:
    """On this machine's real /proc/net tables: a socket really listening, then closed."""
    with socket.socket(family, socket.SOCK_STREAM) as listening:
        listening.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        assert _probe_exit(_exec_probe(str(port))) == 0
    assert _probe_exit(_exec_probe(str(port))) == 1


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([], 1),  # nothing at all
        ([("0100007F", "1F90", "01")], 1),  # a connection on 8080, no listener
        ([("00000000", "1F91", "0A")], 1),  # a listener on 8081, not 8080
        ([("00000000", "01F9", "0A")], 1),  # port 505: the same digits, another port
        ([("0100007F", "1F91", "0A"), ("00000000", "1F90", "0A")], 0),  # 8080 listens
    ],
)
def test_the_exec_probe_fails_when_nothing_listens(
    tmp_path: Path, rows: list[tuple[str, str, str]], code: int
) -> None:
    (tmp_path / "tcp").write_text(
        TCP_HEAD + "".join(TCP_ROW.format(address=a, port=p, state=s) for a, p, s in rows)
    )
    assert _probe_exit(_exec_probe("8080"), tmp_path) == code


def test_the_exec_probe_needs_a_port(tmp_path: Path) -> None:
    result = _cookiecutter(tmp_path, "--no-input", extra=("probe=exec", "port="))
    assert result.returncode != 0
    assert "error: probe: the exec probe checks that the app listens on its port" in (
        result.stdout + result.stderr
    )
    assert not (tmp_path / "web").exists()
