"""What a careless user does (issue 24): pipes podgen into `head -1`, points it at a folder it
cannot write, feeds it NUL bytes and backslashes. Each ends in podgen's usual way: a quiet
141 for a closed pipe, one `error: ...` line and nothing written, values kept exactly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.apiserver import ApiServer
from tests.conftest import run_podgen
from tests.kubectl_peer import Kubectl
from tests.test_team_templates import BLUEPRINT

PODGEN = Path(sys.executable).parent / "podgen"

# `podgen ... | head -1`


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Inputs big enough that their output overflows a pipe's buffer."""
    folder = tmp_path_factory.mktemp("inputs")
    manifest = run_podgen(["new", "web", "--image", "nginx:1.25.3", "--kind", "deployment"])
    many = folder / "many"
    many.mkdir()
    for index in range(300):
        (many / f"d{index:03}.yaml").write_text(manifest.stdout.replace("web", f"web{index}"))
    documents = [manifest.stdout.replace("web", f"web{i}") for i in range(300)]
    (folder / "all.yaml").write_text("---\n".join(documents))
    (folder / "team").mkdir()
    return folder


@pytest.mark.parametrize(
    "argv",
    [
        ["new", "web", "--image", "nginx:1.25.3"],  # the lean path
        ["new", "web", "--image", "nginx:1.25.3", "--templates", "{inputs}/team"],  # full CLI
        ["render", "nginx-web"],
        ["validate", "{inputs}/many"],
        ["import", "{inputs}/all.yaml"],
        ["blueprints"],
        ["blueprints", "show", "configured-web"],
        ["schema"],
        ["--help"],
    ],
)
def test_a_closed_pipe_ends_every_command_quietly(argv: list[str], inputs: Path) -> None:
    process = subprocess.Popen(
        [str(PODGEN), *(word.format(inputs=inputs) for word in argv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()
    process.stdout.close()  # `| head -1`
    stderr = process.stderr.read()
    process.stderr.close()
    # 0 when everything fit in the pipe before it closed; 141 (as SIGPIPE) when it did not.
    assert (process.wait(timeout=60), stderr) in ((0, b""), (141, b""))


# A folder podgen cannot write


def _as_user(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """podgen as a user bound by file permissions: as root, without root's overrides."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "root runs these tests: setpriv (util-linux) drops its file overrides"
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    return subprocess.run(
        [*prefix, str(PODGEN), *argv], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def _tree(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["render", "nginx-web", "--out", "ro/k8s"], "error: --out: could not write ro/k8s"),
        (
            ["render", "nginx-web", "--out", "ro/existing"],
            "error: --out: could not write ro/existing/kustomization.yaml: Permission denied",
        ),
        (
            ["scaffold", "web", "--output-dir", "ro", "--image", "nginx:1.25.3"],
            "error: --output-dir: ro: Permission denied",
        ),
        (
            ["scaffold", "web", "--output-dir", "ro/apps/team", "--image", "nginx:1.25.3"],
            "error: --output-dir: ro/apps/team: Permission denied",
        ),
    ],
)
def test_a_read_only_folder_is_one_line_and_nothing_written(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    read_only = tmp_path / "ro"
    (read_only / "existing").mkdir(parents=True)
    (read_only / "existing").chmod(0o555)
    read_only.chmod(0o555)
    try:
        result = _as_user(argv, tmp_path)
        assert result.returncode == 1 and result.stdout == "", result
        assert result.stderr.startswith(message) and result.stderr.count("\n") == 1, result
        assert _tree(read_only) == ["existing"]
    finally:
        (read_only / "existing").chmod(0o755)
        read_only.chmod(0o755)


# NUL bytes and backslashes in values

WEIRD = """\
apiVersion: podgen.dev/v1
kind: Blueprint
pods:
  - name: web
    image: nginx:1.25.3
    env: {A: "x\\0y", B: 'C:\\data\\x', C: "tab\\there\\\\", D: "\\\\\\\\server\\\\share"}
    annotations: {note: "a\\\\b\\0c"}
    command: ["sh", "-c", "printf '%s\\\\n' \\"\\\\\\\\\\""]
"""


def test_nul_bytes_and_backslashes_in_values_survive_every_round_trip(
    tmp_path: Path, api_server: ApiServer
) -> None:
    given = yaml.safe_load(WEIRD)["pods"][0]
    assert given["env"]["A"] == "x\0y" and given["env"]["D"] == "\\\\server\\share"
    (tmp_path / "bp.yaml").write_text(WEIRD)
    texts = {}
    for output in ("yaml", "json"):
        result = run_podgen(["render", str(tmp_path / "bp.yaml"), "-o", output])
        assert (result.code, result.stderr) == (0, ""), result
        texts[output] = result.stdout
        pod = yaml.safe_load(result.stdout) if output == "yaml" else json.loads(result.stdout)
        container = pod["spec"]["containers"][0]
        assert {e["name"]: e["value"] for e in container["env"]} == given["env"]
        assert pod["metadata"]["annotations"] == given["annotations"]
        assert container["command"] == given["command"]
        assert api_server.verdict(pod).accepted  # the API server takes them, as podgen does
    (tmp_path / "pod.yaml").write_text(texts["yaml"])
    assert run_podgen(["validate", str(tmp_path / "pod.yaml")]).code == 0
    imported = run_podgen(["import", str(tmp_path / "pod.yaml")])
    assert imported.code == 0, imported
    (tmp_path / "back.yaml").write_text(imported.stdout)
    assert run_podgen(["render", str(tmp_path / "back.yaml")]).stdout == texts["yaml"]


@pytest.mark.parametrize(
    ("image", "shown"),
    [
        ("nginx\0:1", '"nginx\\x00:1"'),
        ("ngi\\nx:1", '"ngi\\\\nx:1"'),
        ("nginx\x1b[31m:1", '"nginx\\x1b[31m:1"'),
    ],
)
def test_an_error_line_shows_control_characters_escaped(
    tmp_path: Path, image: str, shown: str
) -> None:
    (tmp_path / "bp.yaml").write_text(BLUEPRINT.replace("nginx:1.25.3", json.dumps(image)))
    result = run_podgen(["render", str(tmp_path / "bp.yaml")])
    assert result.code == 1 and result.stderr.count("\n") == 1
    assert f"invalid image name {shown}: invalid reference format" in result.stderr
    assert not any(c < " " for c in result.stderr.rstrip("\n"))


@pytest.mark.parametrize("image", ["ngi\\nx:1", "nginx\x01:1", "nginx\x1b:1"])
def test_an_image_error_quotes_as_kubectl_does(kubectl: Kubectl, image: str) -> None:
    expected = kubectl(["run", "web", f"--image={image}", "--dry-run=client", "-o", "yaml"])
    result = run_podgen(["new", "web", "--image", image])
    assert expected.returncode == result.code == 1
    assert result.stderr == expected.stderr.replace("error: ", "error: --image: ", 1)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A blueprint and a manifest whose output is megabytes: far more than a pipe holds."""
    folder = tmp_path_factory.mktemp("big")
    pods = [{"name": f"p{index}", "image": "nginx:1.27"} for index in range(3000)]
    blueprint = {"apiVersion": "podgen.dev/v1", "kind": "Blueprint", "pods": pods}
    (folder / "blueprint.yaml").write_text(yaml.safe_dump(blueprint))
    rendered = run_podgen(["render", str(folder / "blueprint.yaml")])
    assert rendered.code == 0
    (folder / "manifest.yaml").write_text(rendered.stdout)
    return folder


_ENV = [word for index in range(8000) for word in ("--env", f"K{index}=v")]


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "PYTHONUNBUFFERED"])
@pytest.mark.parametrize(
    "argv",
    [
        ["new", "web", "--image", "nginx:1.27", "-o", "json", *_ENV],  # the lean path
        ["new", "web", "--image", "nginx:1.27", *_ENV],
        ["new", "web", "--image", "nginx:1.27", "--debug", *_ENV],  # the full CLI
        ["render", "{big}/blueprint.yaml"],  # bulk
        ["render", "{big}/blueprint.yaml", "-o", "json"],
        ["validate", "{big}/manifest.yaml"],
        ["import", "{big}/manifest.yaml"],
        ["import", "{big}/manifest.yaml", "-o", "json"],
    ],
    ids=[
        "new-json",
        "new",
        "new-full-cli",
        "render",
        "render-json",
        "validate",
        "import",
        "import-json",
    ],
)
def test_a_reader_gone_mid_output_ends_every_command_with_141(
    argv: list[str], unbuffered: bool, big: Path
) -> None:
    # Every output here is far bigger than a pipe's buffer: the reader goes away mid-output,
    # and each command must say so as `| head -1` sees it, 141, not 0 with the rest lost.
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        environment["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen(
        [str(PODGEN), *(word.format(big=big) for word in argv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()
    process.stdout.close()  # `| head -1`
    stderr = process.stderr.read()
    process.stderr.close()
    assert (process.wait(timeout=120), stderr) == (141, b"")
