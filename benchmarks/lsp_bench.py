"""`podgen lsp`'s speed, as an editor meets it (issue 29): part of benchmarks/bench.py.

Two measures, over the language server's own stdio with a minimal client here:
- edit: a 1,000-line manifest of 40 Deployments is opened; then ten times, one value in its
  middle is changed (an incremental didChange) and the time until the diagnostics of that
  version arrive is taken. The median is shown (target: at most 300 ms).
- open: 200 manifests (Deployments, Services, ConfigMaps, Pods) are opened in a row, each
  with didOpen at once; the time until all 200 have their diagnostics (target: within 5 s).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{n}
  labels: {{app: app-{n}, tier: backend}}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: app-{n}}}
  template:
    metadata:
      labels: {{app: app-{n}, tier: backend}}
    spec:
      containers:
      - name: app
        image: registry.example.com/app-{n}:1.4.{n}
        ports:
        - {{containerPort: 8080, name: http}}
        readinessProbe:
          httpGet: {{path: /ready, port: http}}
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{memory: 256Mi}}
        env:
        - {{name: MODE, value: production}}
"""
_SMALL = {
    0: _DEPLOYMENT,
    1: "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{n}\nspec:\n  selector: "
    "{{app: app-{n}}}\n  ports:\n  - {{port: 80, targetPort: 8080}}\n",
    2: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{n}\ndata:\n  mode: "
    "production\n  replicas: '{replicas}'\n",
    3: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: job-{n}\nspec:\n  restartPolicy: Never\n"
    "  containers:\n  - name: main\n    image: busybox:1.36.1\n    command: [sh, -c, 'echo {n}']\n",
}


class Client:
    """Just enough of an LSP client: framed JSON over the server's pipes, a reader thread."""

    def __init__(self, podgen: Path, root: Path) -> None:
        self.process = subprocess.Popen(
            [str(podgen), "lsp"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.published: dict[tuple[str, int | None], float] = {}
        self.answers: dict[int, Any] = {}
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self._ids = 0
        root_uri = root.as_uri()
        self.request(
            "initialize",
            {"processId": None, "rootUri": root_uri, "capabilities": {}},
        )
        self.notify("initialized", {})

    def send(self, message: dict[str, Any]) -> None:
        """Write one message."""
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        if self.process.stdin is None:
            raise RuntimeError("the server has no stdin")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        """Send a notification."""
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        """Send a request and wait for its answer."""
        self._ids += 1
        number = self._ids
        self.send({"id": number, "method": method, "params": params})
        with self._changed:
            self._changed.wait_for(lambda: number in self.answers, timeout=120)
        return self.answers.get(number)

    def wait(self, keys: list[tuple[str, int | None]], timeout: float = 120) -> float:
        """Wait until diagnostics for each (uri, version) arrived; when the last did."""
        with self._changed:
            self._changed.wait_for(lambda: all(k in self.published for k in keys), timeout)
        missing = [key for key in keys if key not in self.published]
        if missing:
            raise RuntimeError(f"no diagnostics for {missing[:3]} within {timeout} s")
        return max(self.published[key] for key in keys)

    def close(self) -> None:
        """shutdown, exit."""
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=30)

    def _read(self) -> None:
        stream = self.process.stdout
        if stream is None:
            return
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            message = json.loads(stream.read(length))
            now = time.perf_counter()
            with self._changed:
                if message.get("method") == "textDocument/publishDiagnostics":
                    params = message["params"]
                    self.published[(params["uri"], params.get("version"))] = now
                elif "id" in message and "method" not in message:
                    self.answers[message["id"]] = message.get("result")
                elif "id" in message:  # a request of the server's (registerCapability)
                    self.send({"id": message["id"], "result": None})
                self._changed.notify_all()


def _open(client: Client, path: Path, text: str) -> str:
    uri = path.as_uri()
    item = {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
    client.notify("textDocument/didOpen", {"textDocument": item})
    return uri


def edit_latency(podgen: Path, folder: Path, edits: int = 10) -> float:
    """The median seconds from an edit to its diagnostics, in a 1,000-line, 40-document file."""
    documents = [_DEPLOYMENT.format(n=n, replicas=2) for n in range(40)]
    text = "---\n".join(documents)
    path = folder / "deployments.yaml"
    path.write_text(text)
    lines = text.splitlines()
    if len(lines) < 1000:
        raise RuntimeError(f"the edited manifest has {len(lines)} lines, not 1,000")
    client = Client(podgen, folder)
    try:
        uri = _open(client, path, text)
        client.wait([(uri, 1)])
        middle = next(i for i, line in enumerate(lines) if "replicas: 2" in line and i > 480)
        column = lines[middle].index("2")
        times = []
        for version in range(2, edits + 2):
            change = {
                "range": {
                    "start": {"line": middle, "character": column},
                    "end": {"line": middle, "character": column + len(str(version - 1))},
                },
                "text": str(version),
            }
            sent = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            times.append(client.wait([(uri, version)]) - sent)
        return statistics.median(times)
    finally:
        client.close()


def open_many(podgen: Path, folder: Path, count: int = 200) -> float:
    """Seconds from the first of `count` didOpens to the last file's diagnostics."""
    texts = []
    for n in range(count):
        text = _SMALL[n % len(_SMALL)].format(n=n, replicas=n % 5 + 1)
        path = folder / f"manifest-{n:03}.yaml"
        path.write_text(text)
        texts.append((path, text))
    client = Client(podgen, folder)
    try:
        start = time.perf_counter()
        uris = [_open(client, path, text) for path, text in texts]
        return client.wait([(uri, 1) for uri in uris]) - start
    finally:
        client.close()
