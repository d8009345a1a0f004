"""Shared fixtures: the real kubectl peer, in-process CLI runs, and schema validation."""

from __future__ import annotations

import contextlib
import importlib.util
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import kubernetes_validate
import pytest
import yaml

from podgen._front.cli import main
from tests import apiserver as _apiserver
from tests.explain_peer import ExplainPeer, peer_or_reason
from tests.kubectl_peer import KUBECTL_VERSION, Kubectl

K8S_VERSION = "1.37"


@pytest.fixture(scope="session")
def kubectl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kubectl]:
    peer = Kubectl(tmp_path_factory.mktemp("kubectl-home"))
    version = peer.version()
    assert version.startswith(KUBECTL_VERSION), f"the test peer must be kubectl 1.37, got {version}"
    yield peer
    peer.close()


@pytest.fixture(scope="session")
def api_server() -> _apiserver.ApiServer:
    """The real kube-apiserver (1.36), started once; skips where ../shared is absent."""
    if not (_apiserver.SHARED / "start.sh").exists():
        pytest.skip(_apiserver.NO_SERVER)
    return _apiserver.start()


@dataclass(frozen=True)
class Run:
    """What one podgen invocation did."""

    code: int
    stdout: str
    stderr: str


def run_podgen(args: Sequence[str]) -> Run:
    """Run the podgen CLI in-process, as the console script would."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
    return Run(code, out.getvalue(), err.getvalue())


class GoYamlReader(yaml.SafeLoader):
    """PyYAML's YAML 1.1 safe loader, reading plain scalars as go-yaml v2 (the API server) does.

    kubectl leaves a few scalars plain that PyYAML would type differently: dates that do not
    exist (`2023-02-29`), the YAML 1.1 value and merge keys `=` and `<<` as values, and hex or
    octal integers beyond 64 bits.
    go-yaml reads all three as strings, so this reader does too. Everything else is PyYAML's.
    """


def _plain_string(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


def _go_int(loader: yaml.SafeLoader, node: yaml.Node) -> int | str:
    value = yaml.SafeLoader.construct_yaml_int(loader, node)  # type: ignore[arg-type]
    return value if -(2**63) <= value < 2**64 else _plain_string(loader, node)


GoYamlReader.add_constructor("tag:yaml.org,2002:timestamp", _plain_string)
GoYamlReader.add_constructor("tag:yaml.org,2002:value", _plain_string)
GoYamlReader.add_constructor("tag:yaml.org,2002:merge", _plain_string)
GoYamlReader.add_constructor("tag:yaml.org,2002:int", _go_int)


def parse_documents(text: str, output: str) -> list[dict[str, Any]]:
    """Split kubectl-style output into objects (YAML `---` documents or concatenated JSON)."""
    if output in ("yaml", "kyaml"):  # KYAML is YAML
        return [doc for doc in yaml.load_all(text, Loader=GoYamlReader) if doc is not None]
    import json

    decoder, documents, index = json.JSONDecoder(), [], 0
    while index < len(text.rstrip()):
        obj, index = decoder.raw_decode(text, index)
        documents.append(obj)
        while index < len(text) and text[index].isspace():
            index += 1
    return documents


def assert_schema_valid(text: str, output: str = "yaml") -> None:
    """Every object validates against the Kubernetes 1.37 schema, strictly."""
    documents = parse_documents(text, output)
    assert documents, "expected at least one object"
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)


@pytest.fixture
def snapshot_dir() -> Path:
    return Path(__file__).parent / "snapshots"


def load_tool(name: str) -> ModuleType:
    """A script of tools/ (they are not a package), loaded as a module."""
    path = Path(__file__).resolve().parent.parent / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def explain_peer(tmp_path_factory: pytest.TempPathFactory) -> ExplainPeer:
    """kubectl explain 1.37 against the shared 1.36 API server; skips (saying why) without it."""
    peer = peer_or_reason(tmp_path_factory.mktemp("explain-peer"))
    if isinstance(peer, str):
        pytest.skip(peer)
    return peer
