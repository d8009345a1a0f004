"""The real kube-apiserver as the judge of every validation rule.

../shared/k8s-apiserver holds a real kube-apiserver (1.36) and etcd; its start.sh starts them on
loopback in seconds (and only checks readiness when they already run). `ApiServer.verdict`
sends one object as a server-side dry run with strict field validation, straight over HTTP
(no kubectl, so thousands of objects take seconds), and returns what the server said: accepted
or refused, its message and causes, and the API warnings it sent back.

The server is 1.36 and podgen targets 1.37: a test that depends on a difference names it
(`SKEW`). Where ../shared is absent (a user's clone), the tests that need the server skip and
say why.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
#: The server's folder: ../shared/k8s-apiserver, or where .ci/run found it for a clone made
#: elsewhere (PODGEN_APISERVER_DIR).
SHARED = Path(os.environ.get("PODGEN_APISERVER_DIR") or ROOT.parent / "shared" / "k8s-apiserver")
SERVER_VERSION = "1.36"
#: Why a test that needs the server skips where there is none.
NO_SERVER = (
    f"no real kube-apiserver: {SHARED} is absent (a clone outside the podgen workplace); "
    "the differential validation tests need it"
)


class Verdict(NamedTuple):
    """What the API server said of one object."""

    accepted: bool
    status: int  #: the HTTP status: 201 accepted, 4xx refused
    message: str
    causes: list[dict[str, Any]]  #: `details.causes`: field, reason, message
    warnings: list[str]  #: the `Warning` headers (duplicate ports, deprecated APIs, ...)


class ApiServer:
    """A running kube-apiserver, from its kubeconfig."""

    def __init__(self, kubeconfig: Path) -> None:
        config = yaml.safe_load(kubeconfig.read_text())
        cluster = config["clusters"][0]["cluster"]
        self.url = cluster["server"].rstrip("/")
        self.token = config["users"][0]["user"]["token"]
        ca = base64.b64decode(cluster["certificate-authority-data"]).decode()
        self.context = ssl.create_default_context(cadata=ca)
        self._resources: dict[str, dict[str, tuple[str, bool]]] = {}
        self._namespaces: set[str] = set()

    def request(
        self, method: str, path: str, body: object = None
    ) -> tuple[int, dict[str, Any], list[str]]:
        """One call: its status, its JSON body and its warnings."""
        data = None if body is None else json.dumps(body).encode()
        # The URL is the kubeconfig's https server, never a user's: S310 does not apply.
        request = urllib.request.Request(self.url + path, data=data, method=method)  # noqa: S310
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=30) as response:  # noqa: S310
                status, raw, headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, headers = error.code, error.read(), error.headers
        warnings = [_warning_text(value) for value in headers.get_all("Warning") or []]
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {"message": raw.decode(errors="replace")}
        return status, payload if isinstance(payload, dict) else {}, warnings

    def resource(self, api_version: str, kind: str) -> tuple[str, bool] | None:
        """The kind's resource name (plural) and whether it is namespaced; None if not served."""
        if api_version not in self._resources:
            base = f"/api/{api_version}" if "/" not in api_version else f"/apis/{api_version}"
            status, payload, _ = self.request("GET", base)
            self._resources[api_version] = {
                item["kind"]: (item["name"], item["namespaced"])
                for item in (payload.get("resources") or [] if status == 200 else [])
                if "/" not in item["name"]  # not a subresource
            }
        return self._resources[api_version].get(kind)

    def verdict(self, obj: Mapping[str, Any]) -> Verdict:
        """Send `obj` as a dry-run create with strict field validation."""
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        found = (
            self.resource(api_version, kind)
            if isinstance(api_version, str) and isinstance(kind, str)
            else None
        )
        if found is None:
            return Verdict(False, 404, f"the server does not serve {api_version} {kind}", [], [])
        plural, namespaced = found
        base = f"/api/{api_version}" if "/" not in api_version else f"/apis/{api_version}"
        if namespaced:
            metadata = obj.get("metadata")
            namespace = metadata.get("namespace") if isinstance(metadata, Mapping) else None
            namespace = namespace if isinstance(namespace, str) and namespace else "default"
            self._ensure_namespace(namespace)
            base += f"/namespaces/{namespace}"
        status, payload, warnings = self.request(
            "POST", f"{base}/{plural}?dryRun=All&fieldValidation=Strict", obj
        )
        details = payload.get("details") or {}
        return Verdict(
            200 <= status < 300,
            status,
            str(payload.get("message", "")) if status >= 300 else "",
            list(details.get("causes") or []),
            warnings,
        )

    @contextlib.contextmanager
    def installed(self, crds: Sequence[Mapping[str, Any]]) -> Iterator[None]:
        """CustomResourceDefinitions created, Established and served while the block runs.

        Each is deleted afterwards (and waited for), so a test leaves the server as it found
        it. A CRD already there (a test that died before cleaning up) is replaced. Tests that
        run at once on one server must use CRDs of their own groups.
        """
        base = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        names = [str(crd["metadata"]["name"]) for crd in crds]
        try:
            for name, crd in zip(names, crds, strict=True):
                self._delete_crd(name)
                status, payload, _ = self.request("POST", base, crd)
                if status >= 300:
                    raise RuntimeError(f"CRD {name} not created: {payload.get('message')}")
            for name, crd in zip(names, crds, strict=True):
                self._wait_established(name, crd)
            yield
        finally:
            for name in names:
                self._delete_crd(name)

    def _wait_established(self, name: str, crd: Mapping[str, Any]) -> None:
        """Until the CRD's Established condition is True and discovery lists its kind."""
        base = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        spec = crd["spec"]
        served = [v["name"] for v in spec["versions"] if v.get("served")]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            _, payload, _ = self.request("GET", f"{base}/{name}")
            conditions = (payload.get("status") or {}).get("conditions") or []
            established = {"type": "Established", "status": "True"}
            if any(established.items() <= c.items() for c in conditions):
                for version in served:
                    self._resources.pop(f"{spec['group']}/{version}", None)
                if all(
                    self.resource(f"{spec['group']}/{v}", spec["names"]["kind"]) for v in served
                ):
                    return
            time.sleep(0.05)
        raise RuntimeError(f"CRD {name} was not Established within 60 s")

    def _delete_crd(self, name: str) -> None:
        """Delete a CRD if it is there, and wait until it is gone (its kind no longer served)."""
        path = f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}"
        status, payload, _ = self.request("GET", path)
        if status == 404:
            return
        spec = payload.get("spec") or {}
        self.request("DELETE", path)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.request("GET", path)[0] != 404:
            time.sleep(0.05)
        for version in spec.get("versions") or []:
            self._resources.pop(f"{spec.get('group')}/{version.get('name')}", None)

    def _ensure_namespace(self, name: str) -> None:
        """Namespaced objects are sent to their own namespace, which must exist."""
        if name in self._namespaces:
            return
        body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
        self.request("POST", "/api/v1/namespaces", body)  # 409 when it is there already
        self._namespaces.add(name)


def _warning_text(header: str) -> str:
    """`299 - "text"` as the text."""
    code, _, rest = header.partition(" ")
    _agent, _, text = rest.partition(" ")
    return text.strip().strip('"').replace('\\"', '"') if code == "299" else header


def start() -> ApiServer:
    """Start the shared server (or find it running) and connect to it."""
    result = subprocess.run(
        [str(SHARED / "start.sh")], capture_output=True, text=True, check=True, timeout=240
    )
    return ApiServer(Path(result.stdout.strip().splitlines()[-1]))
