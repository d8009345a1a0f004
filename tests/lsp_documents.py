"""The documents `podgen lsp`'s hover and completion tests work on, and their peers' setup.

Manifests of the kinds people write most, flow collections, quoted keys, CRLF, a custom
resource of each test CRD (installed on the shared kube-apiserver under groups of these tests'
own), a blueprint with Kubernetes objects under `objects:`, and the podgen.yaml (at 1.36, the
server's release) that holds them.
"""

from __future__ import annotations

import copy
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from tests.explain_crd_cases import CRDS
from tests.explain_peer import PODGEN, ExplainPeer

#: The groups of the test CRDs on the shared server are of each test module's own (tests
#: running at once must not share one): `zoned` moves the documents' into another.
ZONE = "lsp-hover.podgen.dev"
GROUP = f"certs.{ZONE}"
EDGE = f"edge.{ZONE}"
PROJECT = 'apiVersion: podgen.dev/v1\nkind: Project\nkubernetesVersion: "1.36"\nout: k8s\n'
PROJECT += "environments:\n  prod:\n    image: nginx:1.27\n    replicas: 2\n"

POD = """\
apiVersion: v1  # the core group
kind: Pod # a pod
metadata:
  name: web # the web pod
  labels:
    app: web
  annotations:
    note: "é😀 before nothing"
spec:
  restartPolicy: Always
  initContainers:
  - name: log
    image: busybox:1.36
    restartPolicy: Always
    command:
    - sh
    - -c
    - |
      tail -f /var/log/app.log
      restartPolicy: not a key
  containers:
  - name: app
    image: nginx:1.27
    imagePullPolicy: IfNotPresent
    ports:
    - containerPort: 80
      name: http
      protocol: TCP
    - {containerPort: 443, name: https}
    env:
    - name: MODE
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    resources:
      limits:
        memory: 64Mi
    securityContext:
      capabilities:
        add: [NET_ADMIN]
  volumes:
  - name: data
    emptyDir: {}
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports:
        - containerPort: 80
        livenessProbe:
          httpGet:
            path: /
            port: 80
"""
CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: job
            image: busybox:1.36
            args: [date]
"""
STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:17
        volumeMounts:
        - name: data
          mountPath: /var/lib/postgresql
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
    protocol: TCP
    nodePort: 30080
"""
#: Flow collections on one line, non-ASCII text (an astral emoji) before the keys.
FLOW = """\
apiVersion: v1
kind: Pod
metadata: {annotations: {note: "é😀"}, name: flow, labels: {"app": flow}}
spec: {containers: [{name: "é😀", image: nginx, ports: [{containerPort: 80, protocol: UDP}]}]}
"""
#: Flow collections over several lines, inside block maps.
FLOW_LINES = """\
apiVersion: v1
kind: Pod
metadata: {
  name: lines,
  labels: {app: lines}
}
spec:
  restartPolicy: Always
  containers: [
    {name: app, image: nginx, imagePullPolicy: Always},
    {name: log, image: busybox}
  ]
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 1000
  }
"""
QUOTED = """\
"apiVersion": v1
'kind': Service
"metadata":
  'name': quoted
"spec":
  "ports":
  - 'port': 80
    "appProtocol": http
"""
CERTIFICATE = f"""\
apiVersion: {GROUP}/v1
kind: Certificate
metadata:
  name: site
spec:
  secretName: site-tls
  dnsNames: [example.com]
  issuerRef:
    name: ca
    kind: ClusterIssuer
"""
#: A custom resource with a list of lists of objects, a map of objects, enums of integers.
ODDITY = f"""\
apiVersion: {EDGE}/v1
kind: Oddity
metadata:
  name: odd
spec:
  minReplicas: 2
  level: 2
  locked: true
  matrix:
  - - x: 1
      metadata: m
    - x: 2
  - [{{x: 3}}]
  nestedMap:
    east:
      weight: 2
  pod:
    apiVersion: v1
    kind: Pod
    spec:
      image: busybox
  defaults:
    mode: fast
"""
BLUEPRINT = """\
apiVersion: podgen.dev/v1
kind: Blueprint
description: a shop
namespace: shop
pods:
  - name: web
    image: nginx:1.27
    imagePullPolicy: Always
    probe: http:/healthz
    resources:
      cpu: 100m
services:
  - name: web
    port: 80
objects:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
    data:
      mode: fast
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: worker
    spec:
      template:
        spec:
          restartPolicy: Always
          containers:
          - name: worker
            image: busybox:1.36
"""
MANIFESTS = {
    "pod.yaml": POD,
    "pod-crlf.yaml": POD.replace("\n", "\r\n"),
    "deployment.yaml": DEPLOYMENT,
    "cronjob.yaml": CRONJOB,
    "statefulset.yaml": STATEFULSET,
    "service.yaml": SERVICE,
    "flow.yaml": FLOW,
    "flow-lines.yaml": FLOW_LINES,
    "quoted.yaml": QUOTED,
    "certificate.yaml": CERTIFICATE,
    "oddity.yaml": ODDITY,
    "many.yaml": f"{SERVICE}---\n{DEPLOYMENT}",
}


def zoned(text: str, zone: str) -> str:
    """A document's custom resources in the groups of the zone `zone` (`lsp-completion`)."""
    return text.replace(ZONE, f"{zone}.podgen.dev")


def installed_crds(
    peer: ExplainPeer, zone: str = "lsp-hover"
) -> Iterator[tuple[list[dict[str, Any]], ExplainPeer]]:
    """The test Certificate and Oddity CRDs in the groups of a test module's own, and kubectl."""
    crds = []
    groups = [zoned(GROUP, zone), zoned(EDGE, zone)]
    for kind, group in zip(("Certificate", "Oddity"), groups, strict=True):
        crd = copy.deepcopy(next(c for c in CRDS if c["spec"]["names"]["kind"] == kind))
        crd["spec"]["group"] = group
        crd["metadata"]["name"] = f"{crd['spec']['names']['plural']}.{group}"
        if kind == "Oddity":  # a description with a markdown fence in it, as some CRDs have
            properties = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]
            example = "Defaults, as in:\n\n```yaml\nmode: fast\n```\n\nand ``` alone."
            properties["spec"]["properties"]["defaults"]["description"] = example
        crds.append(crd)
    with peer.server.installed(crds):
        deadline = time.monotonic() + 60
        pending = list(groups)
        while pending and time.monotonic() < deadline:
            status, document, _ = peer.server.request("GET", f"/openapi/v3/apis/{pending[0]}/v1")
            if status == 200 and (document.get("components") or {}).get("schemas"):
                pending.pop(0)
            else:
                time.sleep(0.1)
        yield crds, peer.fresh()


def write_workspace(root: Path, crds: list[dict[str, Any]]) -> Path:
    """A folder with the podgen.yaml (at 1.36) and the CRDs."""
    (root / "podgen.yaml").write_text(PROJECT)
    (root / "crds").mkdir()
    for crd in crds:
        (root / "crds" / f"{crd['spec']['names']['plural']}.yaml").write_text(yaml.safe_dump(crd))
    return root


def kubectl_path(
    api_version: str, kind: str, keys: tuple[str, ...]
) -> tuple[tuple[str, ...], bool]:
    """The key's path as kubectl explain takes it, and whether it ends on a map's own key.

    kubectl walks through a map's values, not their keys: a custom resource's
    `spec.nestedMap.east.weight` is `spec.nestedMap.weight` (read off the CRD's schema).
    """
    crd = next((c for c in CRDS if c["spec"]["names"]["kind"] == kind), None)
    if crd is None or not api_version.endswith(".podgen.dev/v1") or "lsp-" not in api_version:
        return keys, False
    node = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    path: list[str] = []
    map_key = False
    for name in keys:
        while isinstance(node.get("items"), dict):
            node = node["items"]
        extra = node.get("additionalProperties")
        map_key = name not in node.get("properties", {}) and isinstance(extra, dict)
        node = extra if map_key else node.get("properties", {}).get(name, {})
        path += [] if map_key else [name]
    return tuple(path), map_key


def schema_node(schema: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    """A key's node in podgen's JSON Schema: through items, map values and alternatives."""
    nodes = [schema]
    for name in path:
        found = []
        while nodes:
            node = nodes.pop()
            nodes += [node["items"]] if isinstance(node.get("items"), dict) else []
            nodes += node.get("oneOf", []) + node.get("anyOf", [])
            if name in node.get("properties", {}):
                found.append(node["properties"][name])
            elif isinstance(node.get("additionalProperties"), dict):
                found.append(node["additionalProperties"])
        if not found:
            return None
        nodes = found[:1]
    return nodes[0]


def podgen_schema(*args: str) -> dict[str, Any]:
    run = subprocess.run(
        [str(PODGEN), "schema", *args], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(run.stdout)  # type: ignore[no-any-return]


#: Blueprint pods whose words hold API fields (`affinity:`, `volumes:`...), one kind each, and
#: where kubectl explain finds those fields in the object the kind writes (read off the API
#: reference, not off podgen).
WORD_BLUEPRINTS = {
    "words-cronjob.yaml": (
        "CronJob", "batch/v1", ("spec", "jobTemplate", "spec", "template", "spec"),
        """\
apiVersion: podgen.dev/v1
kind: Blueprint
pods:
  - name: nightly
    kind: cronjob
    schedule: "0 3 * * *"
    affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
          - matchExpressions:
            - {key: zone, operator: In, values: [a]}
    tolerations: [{key: spot, operator: Exists}]
""",
    ),
    "words-pod.yaml": (
        "Pod", "v1", ("spec",),
        """\
apiVersion: podgen.dev/v1
kind: Blueprint
pods:
  - name: web
    image: nginx:1.27
    volumes:
      - name: data
        emptyDir:
          sizeLimit: 1Gi
    livenessProbe:
      httpGet:
        path: /healthz
        port: 80
    overrides:
      hostUsers: false
      dnsConfig:
        nameservers: [192.0.2.53]
        options:
        - name: ndots
          value: "2"
""",
    ),
    "words-statefulset.yaml": (
        "StatefulSet", "apps/v1", ("spec", "template", "spec"),
        """\
apiVersion: podgen.dev/v1
kind: Blueprint
pods:
  - name: db
    kind: statefulset
    image: postgres:17
    containerSecurityContext:
      runAsUser: 999
    volumeClaimTemplates:
      - metadata:
          name: data
        spec:
          accessModes: [ReadWriteOnce]
""",
    ),
}  # fmt: skip
#: The API path each word above stands for, below its kind's pod spec or (`spec.`) its spec.
WORD_PATHS = {
    "affinity": ("affinity",),
    "volumes": ("volumes",),
    "livenessProbe": ("containers", "livenessProbe"),
    "containerSecurityContext": ("containers", "securityContext"),
    "volumeClaimTemplates": ("spec.", "volumeClaimTemplates"),
    "overrides": (),
}
