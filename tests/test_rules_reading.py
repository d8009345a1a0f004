"""validate, import and render read YAML as kubectl reads it (issue 22, reading).

Scalars are typed by go-yaml's rules (tests/test_reading_kubectl.py holds that to the real
kubectl); here every command's path is held to it, with anchors, aliases, merge keys and
tags, kubectl's alias budget, deep nesting, UTF-16 and large files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from podgen._io.strict_yaml import MAX_BYTES
from tests.apiserver import ApiServer
from tests.conftest import run_podgen

POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
"""


def _write(tmp_path: Path, text: str, name: str = "m.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# --- scalars ----------------------------------------------------------------------------------


def test_a_bare_equals_sign_is_the_string_it_is(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ops}\ndata: {op: =}\n"
    )
    checked = run_podgen(["validate", str(path)])
    assert checked.code == 0, checked.stdout + checked.stderr
    imported = run_podgen(["import", str(path)])
    assert imported.code == 0, imported.stderr
    assert "internal error" not in checked.stderr + imported.stderr


def test_a_time_of_day_is_text_as_kubectl_reads_it(tmp_path: Path) -> None:
    path = _write(tmp_path, POD + "    args: [12:30:00, '1']\n")
    checked = run_podgen(["validate", str(path)])
    assert checked.code == 0, checked.stdout
    imported = run_podgen(["import", str(path)])
    assert imported.code == 0, imported.stderr
    assert "12:30:00" in imported.stdout


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("y", "a boolean (true)"),
        ("N", "a boolean (false)"),
        ("1e3", "a number (1000)"),
        ("0o17", "a number (15)"),
        ("0x1F", "a number (31)"),
    ],
)
def test_what_kubectl_types_is_refused_with_the_text_as_written(
    tmp_path: Path, written: str, read: str
) -> None:
    path = _write(tmp_path, POD + f"    env:\n    - name: A\n      value: {written}\n")
    checked = run_podgen(["validate", str(path)])
    assert checked.code == 1
    assert f'{read} (quote it: "{written}")' in checked.stdout, checked.stdout
    assert ":11:7: error: spec.containers[0].env[0].value" in checked.stdout
    assert run_podgen(["import", str(path)]).code != 0


# --- anchors, aliases, merge keys, tags -------------------------------------------------------

ANCHORED = """apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: &labels {app: web}
  annotations: !!map {note: !!str 5}
spec:
  containers:
  - &container
    name: web
    image: nginx
    env:
    - &env {name: A, value: "1"}
    - <<: *env
      name: B
  nodeSelector: *labels
"""


def test_anchors_aliases_merge_keys_and_tags_are_read(tmp_path: Path) -> None:
    path = _write(tmp_path, ANCHORED)
    checked = run_podgen(["validate", str(path)])
    assert checked.code == 0, checked.stdout + checked.stderr
    imported = run_podgen(["import", str(path)])
    assert imported.code == 0, imported.stderr
    blueprint = _write(tmp_path, imported.stdout, "blueprint.yaml")
    rendered = run_podgen(["render", str(blueprint)])
    assert rendered.code == 0, rendered.stderr
    (pod,) = [d for d in yaml.safe_load_all(rendered.stdout) if d]
    assert pod["spec"]["nodeSelector"] == {"app": "web"}
    assert pod["metadata"]["annotations"] == {"note": "5"}
    assert pod["spec"]["containers"][0]["env"] == [
        {"name": "A", "value": "1"},
        {"name": "B", "value": "1"},
    ]


def test_a_blueprint_may_use_anchors(tmp_path: Path) -> None:
    blueprint = _write(
        tmp_path,
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods:\n"
        "  - name: web-1\n    image: &image nginx:1.25.3\n    labels: &labels {app: web}\n"
        "  - name: web-2\n    image: *image\n    labels: *labels\n",
        "blueprint.yaml",
    )
    rendered = run_podgen(["render", str(blueprint)])
    assert rendered.code == 0, rendered.stderr
    pods = [d for d in yaml.safe_load_all(rendered.stdout) if d]
    assert [p["spec"]["containers"][0]["image"] for p in pods] == ["nginx:1.25.3"] * 2


def _bomb(levels: int) -> str:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, levels):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("command", ["validate", "import"])
def test_an_alias_bomb_stops_at_kubectls_budget(tmp_path: Path, command: str) -> None:
    path = _write(tmp_path, _bomb(9))  # a billion strings, if it were expanded
    result = run_podgen([command, str(path)])
    assert result.code != 0
    out = result.stdout + result.stderr
    assert f"{path}:" in out and "document contains excessive aliasing" in out, out
    assert "internal error" not in out


def test_a_few_aliases_stay_within_the_budget(tmp_path: Path) -> None:
    text = _bomb(3).replace("metadata: {name: bomb}", "metadata: {name: fine}")
    path = _write(tmp_path, text)
    result = run_podgen(["validate", str(path)])
    assert "excessive aliasing" not in result.stdout + result.stderr


# --- encodings --------------------------------------------------------------------------------

CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: café\ndata: {k: héllo}\n"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
@pytest.mark.parametrize("command", ["validate", "import"])
def test_utf16_and_a_utf8_bom_are_read_as_kubectl_reads_them(
    tmp_path: Path, encoding: str, bom: bytes, command: str
) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(bom + CONFIG_MAP.replace("café", "cafe").encode(encoding))
    result = run_podgen([command, str(path)])
    assert result.code == 0, result.stdout + result.stderr
    assert "binary" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (CONFIG_MAP.encode("utf-16-le"), "without a byte order mark; re-save it as UTF-8"),
        (b"\xff\xfe\x00\x00" + CONFIG_MAP.encode("utf-32-le"), "UTF-32"),
    ],
)
def test_what_kubectl_cannot_read_says_how_to_fix_it(
    tmp_path: Path, raw: bytes, words: str
) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(raw)
    result = run_podgen(["validate", str(path)])
    assert result.code == 2
    assert words in result.stdout and "re-save it as UTF-8" in result.stdout, result.stdout


def test_a_blueprint_in_utf16_renders(tmp_path: Path) -> None:
    path = tmp_path / "blueprint.yaml"
    text = "apiVersion: podgen.dev/v1\nkind: Blueprint\npods:\n  - name: web\n    image: nginx\n"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    rendered = run_podgen(["render", str(path)])
    assert rendered.code == 0, rendered.stderr
    assert "image: nginx" in rendered.stdout


# --- large files ------------------------------------------------------------------------------

BAD_POD_ITEM = """- apiVersion: v1
  kind: Pod
  metadata:
    name: bad
  spec:
    containers:
    - name: a
      image: nginx:1.25
      ports: [{containerPort: 0}]
"""


def _large_list(items: int) -> str:
    config_map = (
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-{i}\n"
        "  data:\n    key: '" + "x" * 400 + "'  # a comment\n"
    )
    before = "".join(config_map.format(i=i) for i in range(items))
    after = "".join(config_map.format(i=-i) for i in range(1, items))
    return f"apiVersion: v1\nitems:\n{before}{BAD_POD_ITEM}{after}kind: List\nmetadata: {{}}\n"


def _large_stream(documents: int) -> str:
    config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i}}}\ndata: {{k: '{x}'}}\n"
    body = "---\n".join(config_map.format(i=i, x="x" * 400) for i in range(documents))
    pod = BAD_POD_ITEM.replace("\n  ", "\n").removeprefix("- ")
    return f"{body}---\n{pod}---\n# the end\n"


@pytest.mark.parametrize("make", [_large_list, _large_stream], ids=["list", "stream"])
def test_a_file_over_4_mib_is_read_and_placed_as_a_small_one_is(
    tmp_path: Path, make: Callable[[int], str]
) -> None:
    from podgen._checking.validate import validate_manifest_text

    path = _write(tmp_path, make(10000))
    assert path.stat().st_size > MAX_BYTES
    result = run_podgen(["validate", str(path)])
    assert "too large" not in result.stdout
    expected = validate_manifest_text(path.read_text(), str(path))  # all of it at once
    assert [f.text() for f in expected if f.severity == "error"]  # the bad Pod's port
    assert result.stdout.splitlines() == [finding.text() for finding in expected]
    assert result.code == 1


def test_a_50_mb_file_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = _write(tmp_path, _large_stream(10))
    with path.open("a") as file:
        file.write(("---\n" + _large_stream(1000)) * 120)
    assert path.stat().st_size > 50_000_000
    # VmHWM: this process's peak resident memory (ru_maxrss would count what the parent had
    # before exec).
    script = (
        "import sys\nfrom podgen._front.cli import main\n"
        "try:\n    main(['validate', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(int(peak.split()[1]) // 1024, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=False
    )
    peak_mib = int(done.stderr.strip().splitlines()[-1])
    assert peak_mib < 100, f"{peak_mib} MiB for a {path.stat().st_size} byte file"
    assert "port-range" in done.stdout


# --- deep nesting -----------------------------------------------------------------------------


@pytest.mark.parametrize("levels", [990, 1500])
@pytest.mark.parametrize("command", ["validate", "import"])
def test_deep_nesting_is_a_clean_error_naming_the_file(
    tmp_path: Path, levels: int, command: str
) -> None:
    # kubectl reads up to 10000 levels; podgen stops sooner, but says where, never a traceback.
    path = _write(tmp_path, POD + "    args: " + "[" * levels + "]" * levels + "\n")
    result = run_podgen([command, str(path)])
    out = result.stdout + result.stderr
    assert result.code != 0
    assert f"{path}:" in out and "nest" in out, out
    assert "internal error" not in out and "Traceback" not in out


@pytest.mark.parametrize(
    ("api_version", "kind", "hint"),
    [("v1", "Servcie", "Service"), ("apps/v1", "Deploymnet", "Deployment")],
)
def test_a_misspelt_kind_of_a_built_in_group_is_an_error(
    tmp_path: Path, api_version: str, kind: str, hint: str, api_server: ApiServer
) -> None:
    """A CRD cannot add kinds to Kubernetes' own groups: the server says no such kind, and so
    does podgen (a kind of another group stays a custom resource, unchecked)."""
    text = f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: web\n"
    (tmp_path / "m.yaml").write_text(text)
    result = run_podgen(["validate", str(tmp_path / "m.yaml")])
    assert result.code == 1
    assert f"(did you mean {hint}?) [schema-kind]" in result.stdout
    obj = {"apiVersion": api_version, "kind": kind, "metadata": {"name": "web"}}
    assert not api_server.verdict(obj).accepted


def test_stdin_over_the_limit_is_read_piece_by_piece(tmp_path: Path) -> None:
    """`kubectl get ... -o yaml | podgen validate -`: a dump over 4 MiB is read a document at a
    time, as a file is, with the same findings at the same lines."""
    padding = "x" * 300
    documents = [
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{index}\n"
        f'data:\n  padding: "{padding}"\n'
        for index in range(MAX_BYTES // 350 + 10)
    ]
    documents.append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: My_Config\n")
    text = "---\n" + "---\n".join(documents)
    assert len(text) > MAX_BYTES
    (tmp_path / "dump.yaml").write_text(text)
    from_file = subprocess.run(
        [sys.executable, "-m", "podgen", "validate", str(tmp_path / "dump.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    from_stdin = subprocess.run(
        [sys.executable, "-m", "podgen", "validate", "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (from_stdin.returncode, from_file.returncode) == (1, 1)
    assert from_stdin.stdout == from_file.stdout.replace(str(tmp_path / "dump.yaml"), "<stdin>")
    assert from_stdin.stdout.count("[name]") == 1


def test_import_and_render_take_a_dump_over_4_mib(tmp_path: Path) -> None:
    """`kubectl get cm -A -o yaml > dump.yaml` is often over 4 MiB: import reads it whole (it
    writes one blueprint of every object), and render reads that blueprint back."""
    padding = "x" * 300
    documents = [
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{index}\n"
        f'data:\n  padding: "{padding}"\n'
        for index in range(MAX_BYTES // 350 + 10)
    ]
    text = "---\n" + "---\n".join(documents)
    assert len(text) > MAX_BYTES
    (tmp_path / "dump.yaml").write_text(text)
    imported = run_podgen(["import", str(tmp_path / "dump.yaml")])
    assert imported.code == 0, imported.stderr
    (tmp_path / "blueprint.yaml").write_text(imported.stdout)
    assert len(imported.stdout) > MAX_BYTES
    rendered = run_podgen(["render", str(tmp_path / "blueprint.yaml")])
    assert rendered.code == 0, rendered.stderr
    assert list(yaml.safe_load_all(rendered.stdout)) == list(yaml.safe_load_all(text))


def test_a_pipe_is_read_as_a_file() -> None:
    """`podgen validate <(kubectl get cm -o yaml)` names a pipe, not a regular file."""
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: My_Config}\n"
    result = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m podgen validate <(printf "%s" "$M")'],
        env={**os.environ, "M": manifest},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert ':3:12: error: metadata.name: Invalid value: "My_Config"' in result.stdout
