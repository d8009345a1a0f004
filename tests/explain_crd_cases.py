"""The test CRDs of `podgen explain` (tests/explain_crds) and their installation.

Written for podgen's tests, shaped like cert-manager's, prometheus-operator's and Argo's CRDs,
one with several versions and two with every schema feature the server rewrites. Their groups
(`*.crd.explain-test.podgen.dev`) are theirs alone on the shared API server: installed for a
test module's run and deleted afterwards.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from podgen._explaining.crds import schema_name
from tests.apiserver import ApiServer

CRD_FOLDER = Path(__file__).parent / "explain_crds"
CRDS: list[dict[str, Any]] = [
    document
    for path in sorted(CRD_FOLDER.glob("*.yaml"))
    for document in yaml.safe_load_all(path.read_text(encoding="utf-8"))
]
#: Every group version the test CRDs serve.
SERVED = sorted(
    {
        f"{crd['spec']['group']}/{version['name']}"
        for crd in CRDS
        for version in crd["spec"]["versions"]
        if version["served"]
    }
)
GROUPS = sorted({crd["spec"]["group"] for crd in CRDS})


def kind_schemas(group_version: str) -> set[str]:
    """The schema names of the kinds the test CRDs serve in a group version."""
    group, _, version = group_version.partition("/")
    return {
        schema_name(group, version, crd["spec"]["names"]["kind"])
        for crd in CRDS
        if crd["spec"]["group"] == group
        and any(v["name"] == version and v["served"] for v in crd["spec"]["versions"])
    }


@contextlib.contextmanager
def installed(server: ApiServer) -> Iterator[ApiServer]:
    """The server with the test CRDs, created in reverse order of their groups' names.

    Reversed, so that a group order that holds comes from the server's rule, not from the
    order the CRDs were created in. The block runs once every served group version's
    /openapi/v3 document holds its kinds (the server publishes them a moment later).
    """
    with server.installed(list(reversed(CRDS))):
        deadline = time.monotonic() + 60
        pending = list(SERVED)
        while pending and time.monotonic() < deadline:
            status, document, _ = server.request("GET", f"/openapi/v3/apis/{pending[0]}")
            schemas = (document.get("components") or {}).get("schemas") or {}
            if status == 200 and kind_schemas(pending[0]) <= schemas.keys():
                pending.pop(0)
            else:
                time.sleep(0.1)
        assert not pending, f"the server did not publish {pending} within 60 s"
        yield server
