"""Blueprints: the built-ins, podgen render's modes, --out/--check, and the loader's refusals."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from syrupy.assertion import SnapshotAssertion

from podgen._blueprint import builtins as _builtins
from podgen._blueprint.schema import SCHEMA
from tests.conftest import assert_schema_valid, parse_documents, run_podgen
from tests.yaml_snapshot import YamlSnapshot

BUILTINS = _builtins.names()
HEAD = "apiVersion: podgen.dev/v1\nkind: Blueprint\n"
WEB = HEAD + "pods:\n  - name: web\n    image: nginx:1.25.3\n    port: 80\n"


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(YamlSnapshot)


def test_at_least_twelve_builtins() -> None:
    assert len(BUILTINS) >= 12


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_renders_validates_and_is_pinned(name: str, snapshot: SnapshotAssertion) -> None:
    result = run_podgen(["render", name])
    assert (result.code, result.stderr) == (0, "")
    assert_schema_valid(result.stdout)
    assert result.stdout == snapshot


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_follows_the_published_json_schema(name: str) -> None:
    jsonschema.validate(yaml.safe_load(_builtins.text(name)), SCHEMA)


def test_schema_command_prints_the_schema() -> None:
    result = run_podgen(["schema"])
    assert result.code == 0
    printed = json.loads(result.stdout)
    assert printed == SCHEMA
    jsonschema.Draft202012Validator.check_schema(printed)


def test_blueprints_lists_name_and_description() -> None:
    result = run_podgen(["blueprints"])
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == BUILTINS
    assert all(len(line.split(maxsplit=1)) == 2 for line in lines)


def test_blueprints_show_prints_the_file() -> None:
    assert run_podgen(["blueprints", "show", "nginx-web"]).stdout == _builtins.text("nginx-web")
    refused = run_podgen(["blueprints", "show", "nope"])
    assert refused.code == 1 and "nope" in refused.stderr


def test_render_a_file_a_folder_and_stdin_agree(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(WEB.replace("web", "b"))
    (tmp_path / "a.yaml").write_text(WEB.replace("web", "a"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.yml").write_text(WEB.replace("web", "c"))
    (tmp_path / "notes.yaml").write_text("just: some other yaml\n")  # not a blueprint: skipped
    folder = run_podgen(["render", str(tmp_path)])
    assert folder.code == 0, folder.stderr
    names = [d["metadata"]["name"] for d in parse_documents(folder.stdout, "yaml")]
    assert names == ["a", "b", "c"]  # sorted walk: deterministic
    one = run_podgen(["render", str(tmp_path / "a.yaml")]).stdout
    via_stdin = subprocess.run(
        [sys.executable, "-m", "podgen", "render", "-"],
        input=(tmp_path / "a.yaml").read_text(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert via_stdin.stdout == one
    assert folder.stdout.startswith(one)


def test_render_json(tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_text(WEB)
    result = run_podgen(["render", str(tmp_path / "w.yaml"), "-o", "json"])
    assert parse_documents(result.stdout, "json")[0]["kind"] == "Pod"
    assert_schema_valid(result.stdout, "json")


def test_out_writes_one_file_per_object_and_check_tracks_them(tmp_path: Path) -> None:
    out = tmp_path / "k8s"
    written = run_podgen(["render", "labelled-pods", "--out", str(out)])
    assert written.code == 0, written.stderr
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == [
        ".podgen-rendered",  # what podgen wrote, so that --prune removes only that
        "kustomization.yaml",  # the files below, for kubectl kustomize
        "namespace-shop.yaml",
        "shop/pod-web-1.yaml",
        "shop/pod-web-2.yaml",
        "shop/pod-web-canary.yaml",
        "shop/service-web.yaml",
    ]
    assert run_podgen(["render", "labelled-pods", "--out", str(out), "--check"]).code == 0
    (out / "shop" / "pod-web-1.yaml").write_text("edited by hand\n")
    drifted = run_podgen(["render", "labelled-pods", "--out", str(out), "--check"])
    assert drifted.code == 1
    assert f"changed: {out / 'shop' / 'pod-web-1.yaml'}" in drifted.stdout
    assert "-edited by hand" in drifted.stdout


def test_check_fails_after_the_blueprint_changes(tmp_path: Path) -> None:
    blueprint, out = tmp_path / "app.yaml", tmp_path / "k8s"
    blueprint.write_text(WEB)
    assert run_podgen(["render", str(blueprint), "--out", str(out)]).code == 0
    assert run_podgen(["render", str(blueprint), "--out", str(out), "--check"]).code == 0
    blueprint.write_text(WEB.replace("port: 80", "port: 8080"))
    result = run_podgen(["render", str(blueprint), "--out", str(out), "--check"])
    assert result.code == 1
    assert "+    - containerPort: 8080" in result.stdout


def test_out_never_overwrites_without_force(tmp_path: Path) -> None:
    blueprint, out = tmp_path / "app.yaml", tmp_path / "k8s"
    blueprint.write_text(WEB)
    assert run_podgen(["render", str(blueprint), "--out", str(out)]).code == 0
    target = out / "pod-web.yaml"
    target.write_text("mine\n")
    refused = run_podgen(["render", str(blueprint), "--out", str(out)])
    assert refused.code == 1 and "--force" in refused.stderr
    assert target.read_text() == "mine\n"
    assert run_podgen(["render", str(blueprint), "--out", str(out), "--force"]).code == 0
    assert target.read_text().startswith("apiVersion: v1\n")


def test_a_failed_render_writes_nothing(tmp_path: Path) -> None:
    source, out = tmp_path / "blueprints", tmp_path / "k8s"
    source.mkdir()
    (source / "a-good.yaml").write_text(WEB)
    (source / "b-bad.yaml").write_text(WEB.replace("port: 80", "port: 80\n    labels: {app: '~'}"))
    result = run_podgen(["render", str(source), "--out", str(out)])
    assert result.code == 1
    assert "b-bad.yaml:7:5: pods[0].labels" in result.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.rglob("*") if ".yaml." in p.name]  # no temp files


# Every refusal names the file and line; unknown keys also get a "did you mean".
REFUSALS = [
    (
        "unknown-key",
        WEB + "    imagePulPolicy: Always\n",
        ":7:5:",
        "unknown key 'imagePulPolicy'; did you mean 'imagePullPolicy'?",
    ),
    ("unknown-top-key", HEAD + "pod: []\n", ":3:1:", "did you mean 'pods'?"),
    ("duplicate-key", WEB + "    image: busybox\n", ":7:5:", "duplicate key 'image'"),
    # Anchors, aliases, merge keys and standard tags are read, as kubectl reads them
    # (tests/test_rules_reading.py); an alias to no anchor is still an error.
    ("bare-alias", HEAD + "pods: *a\n", ":3:", "alias"),
    (
        # an unknown tag is only its text, as to kubectl: nothing runs
        "python-tag",
        HEAD + "pods: !!python/object/apply:os.system ['touch PWNED']\n",
        ":3:40:",
        "pods[0]: expected a map, got a string",
    ),
    ("wrong-type", WEB + "    env: {DEBUG: yes}\n", ":7:11:", "expected a string, got a boolean"),
    ("wrong-kind", "apiVersion: podgen.dev/v1\nkind: Bluprint\n", ":2:1:", "'Blueprint'"),
    ("missing-image", HEAD + "pods:\n  - name: web\n", ":4:5:", "missing required key 'image'"),
    ("bad-enum", WEB + "    pattern: sidecr\n", ":7:5:", "did you mean 'sidecar'?"),
    ("tabs", HEAD + "pods:\n\t- name: web\n", ":4:1:", "tabs"),
    ("api-rule", WEB + "    labels: {app: web_}\n", ":7:5:", "pods[0].labels"),
    (
        "cross-field",
        WEB + "    sidecar: {native: true}\n",
        ":7:15:",
        "pods[0].sidecar.native: only applies with pods[0].pattern sidecar",
    ),
    (
        "unterminated-quote",
        WEB + "    command: \"sh -c 'x\n",
        ":8:1:",
        "while scanning a quoted scalar at line 7, column 14: found unexpected end of stream",
    ),
    ("not-a-map", "- just\n- a list\n", ":1:1:", "a blueprint is a map"),
]


@pytest.mark.parametrize(
    ("case_id", "text", "where", "reason"), REFUSALS, ids=[c[0] for c in REFUSALS]
)
def test_refusals_name_file_and_line(
    tmp_path: Path, case_id: str, text: str, where: str, reason: str
) -> None:
    blueprint = tmp_path / "bp.yaml"
    blueprint.write_text(text)
    os.chdir(tmp_path)
    result = run_podgen(["render", "bp.yaml"])
    assert result.code == 1, result
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"bp.yaml{where}" in result.stderr, result.stderr
    assert reason in result.stderr
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (b"\x00\x01binary", "binary"),
        (b"\xff\xfe not utf8", "not UTF-8"),
    ],
)
def test_empty_and_binary_files_get_a_clear_error(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    (tmp_path / "bp.yaml").write_bytes(content)
    result = run_podgen(["render", str(tmp_path / "bp.yaml")])
    assert result.code == 1 and reason in result.stderr and result.stderr.count("\n") == 1


def test_unknown_source_suggests_a_builtin() -> None:
    result = run_podgen(["render", "nginx-wb"])
    assert result.code == 1
    assert "did you mean the built-in 'nginx-web'?" in result.stderr


def test_check_and_force_need_out() -> None:
    for flag in ("--check", "--force"):
        result = run_podgen(["render", "nginx-web", flag])
        assert result.code == 1 and "needs --out" in result.stderr


def test_stdin_text_is_loaded_with_the_same_rules() -> None:
    from podgen._blueprint.loader import blueprints_from
    from podgen._io.strict_yaml import YamlInputError

    with pytest.raises(YamlInputError, match="<stdin>:3:7: found undefined alias"):
        blueprints_from("-", io.BytesIO((HEAD + "pods: *a\n").encode()))
