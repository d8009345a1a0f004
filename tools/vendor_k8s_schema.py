"""Regenerate podgen/_checking/schemas/k8s-1.37.json from kubernetes-validate's 1.37 strict schemas.

podgen validates the kinds it writes and every kind that runs pods (Pod, Deployment, Service,
Namespace, Job, CronJob, StatefulSet, DaemonSet, ReplicaSet, ReplicationController) against the
Kubernetes 1.37 OpenAPI schema, applied strictly. kubernetes-validate (a test dependency,
108 MB installed) ships that schema; podgen ships only the definitions those kinds reach,
without descriptions. tests/test_k8s_schema.py fails when the vendored file no
longer matches what this script produces. Run: python tools/vendor_k8s_schema.py
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

VERSION = "1.37"
KINDS = {
    "v1/Pod": "pod-v1.json",
    "apps/v1/Deployment": "deployment-apps-v1.json",
    "v1/Service": "service-v1.json",
    "v1/Namespace": "namespace-v1.json",
    # The other kinds that run pods (issue 14): their pod templates are checked too.
    "batch/v1/Job": "job-batch-v1.json",
    "batch/v1/CronJob": "cronjob-batch-v1.json",
    "apps/v1/StatefulSet": "statefulset-apps-v1.json",
    "apps/v1/DaemonSet": "daemonset-apps-v1.json",
    "apps/v1/ReplicaSet": "replicaset-apps-v1.json",
    "v1/ReplicationController": "replicationcontroller-v1.json",
}
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "podgen" / "_checking" / "schemas" / f"k8s-{VERSION}.json"


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value.split("#/$defs/")[-1]
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _strip(node: Any) -> Any:
    """Drop descriptions and point every $ref at this file's own $defs."""
    if isinstance(node, dict):
        return {
            key: ("#/$defs/" + value.split("#/$defs/")[-1] if key == "$ref" else _strip(value))
            for key, value in node.items()
            if key != "description"
        }
    if isinstance(node, list):
        return [_strip(value) for value in node]
    return node


def build() -> dict[str, Any]:
    """The vendored schema, from the installed kubernetes-validate."""
    import kubernetes_validate

    folder = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    folder = folder / f"v{VERSION}.0-local-strict"
    definitions = json.loads((folder / "_definitions.json").read_text())["$defs"]
    kinds = {kind: json.loads((folder / file).read_text()) for kind, file in KINDS.items()}
    needed: set[str] = set()
    stack = [ref for schema in kinds.values() for ref in _refs(schema)]
    while stack:
        name = stack.pop()
        if name not in needed:
            needed.add(name)
            stack.extend(_refs(definitions[name]))
    return {
        "$comment": (
            f"Kubernetes {VERSION} OpenAPI schema (strict) for the kinds podgen validates, from "
            "kubernetes-validate (Apache-2.0), descriptions removed. Regenerate with "
            "tools/vendor_k8s_schema.py."
        ),
        "kinds": {kind: _strip(schema) for kind, schema in kinds.items()},
        "$defs": {name: _strip(definitions[name]) for name in sorted(needed)},
    }


def render() -> str:
    """The file's exact text."""
    return json.dumps(build(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render())
    sys.stdout.write(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)\n")
