"""Write tests/explain_expected/: what the real kubectl explain prints, for offline test runs.

For each case below, kubectl explain 1.37 (the test extras' kubectl) runs against the shared
API server (../shared/k8s-apiserver, Kubernetes 1.36), exactly as the differential tests run
it (tests/explain_peer.py: empty HOME, KUBERC=off); its stdout is written to
`NAME.txt` and its stderr, arguments and what the renderers are given to `cases.json`. The
schemas those renderers read are the server's own `/openapi/v3` documents, cut down to what the
cases' kinds reach through `$ref` (`schemas.json`: a name, then its schema, one a line, each
name once, with the group versions that serve it). tests/test_explain_expected.py renders every
case from that file and compares: nothing here is written by hand.
Run: python tools/explain_expected.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "explain_expected"

#: (file name, kubectl explain's arguments after the resource's field path).
#: The resource is `plural.FIELD...`; --api-version picks the group version.
CASES: list[tuple[str, str, str, list[str]]] = [
    ("pod", "v1", "pods", []),
    ("pod-spec", "v1", "pods.spec", []),
    ("pod-containers", "v1", "pods.spec.containers", []),
    ("pod-ports-protocol", "v1", "pods.spec.containers.ports.protocol", []),
    ("pod-resources-limits", "v1", "pods.spec.containers.resources.limits", []),
    ("pod-fieldsv1", "v1", "pods.metadata.managedFields.fieldsV1", []),
    ("pod-probe-port", "v1", "pods.spec.containers.livenessProbe.httpGet.port", []),
    ("pod-hostpath", "v1", "pods.spec.volumes.hostPath", []),
    ("pod-hostpath-type", "v1", "pods.spec.volumes.hostPath.type", []),
    ("pod-recursive", "v1", "pods", ["--recursive"]),
    ("pod-max-depth-2", "v1", "pods", ["--recursive", "--max-depth=2"]),
    ("pod-unknown", "v1", "pods.spec.nosuchfield.deeper", []),
    ("pod-below-string", "v1", "pods.metadata.name.nosuchfield", []),
    ("deployment", "apps/v1", "deployments", []),
    ("deployment-strategy", "apps/v1", "deployments.spec.strategy", []),
    ("deployment-spec-depth-1", "apps/v1", "deployments.spec", ["--recursive", "--max-depth=1"]),
    ("service-target-port", "v1", "services.spec.ports.targetPort", []),
    ("configmap", "v1", "configmaps", []),
    ("v2-pod", "v1", "pods", ["--output=plaintext-openapiv2"]),
    ("v2-pod-ports", "v1", "pods.spec.containers.ports", ["--output=plaintext-openapiv2"]),
    ("v2-protocol", "v1", "pods.spec.containers.ports.protocol", ["--output=plaintext-openapiv2"]),
    ("v2-fieldsv1", "v1", "pods.metadata.managedFields.fieldsV1", ["--output=plaintext-openapiv2"]),
    ("v2-label-value", "v1", "pods.metadata.labels.anykey", ["--output=plaintext-openapiv2"]),
    ("v2-below-string", "v1", "pods.metadata.name.nosuchfield", ["--output=plaintext-openapiv2"]),
    ("v2-limits", "v1", "pods.spec.containers.resources.limits", ["--output=plaintext-openapiv2"]),
    ("v2-pod-depth-2", "v1", "pods", ["--output=plaintext-openapiv2", "-R", "--max-depth=2"]),
    ("v2-deployment", "apps/v1", "deployments.spec", ["--output=plaintext-openapiv2"]),
    ("v2-unknown", "v1", "pods.spec.nosuchfield.deeper", ["--output=plaintext-openapiv2"]),
]


def main() -> int:
    """Run every case against the server; write the outputs, the cases and the schemas."""
    sys.path.insert(0, str(ROOT))
    from tests.explain_cases import Documents, kubectl_outcome
    from tests.explain_peer import peer_or_reason

    peer = peer_or_reason(Path(tempfile.mkdtemp(prefix="explain-expected-")))
    if isinstance(peer, str):
        print(peer, file=sys.stderr)
        return 1
    documents = Documents(peer)
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.txt"):
        old.unlink()
    cases, roots = [], set()
    for name, group_version, argument, flags in CASES:
        plural, *path = argument.split(".")
        (resource,) = [
            r
            for r in documents.resources
            if r.plural == plural and r.group_version == group_version
        ]
        args = [argument, f"--api-version={group_version}", *flags]
        outcome = kubectl_outcome(peer.explain(*args))
        (OUT / f"{name}.txt").write_text(outcome.stdout, encoding="utf-8")
        depth = next((int(f.partition("=")[2]) for f in flags if f.startswith("--max-depth")), 0)
        cases.append(
            {
                "name": name,
                "kubectl": ["explain", *args],
                "stderr": outcome.stderr,
                "output": "plaintext-openapiv2" if "openapiv2" in " ".join(flags) else "plaintext",
                "group_version": group_version,
                "kind": resource.kind,
                "schema": resource.schema,
                "fields": path,
                "recursive": "--recursive" in flags or "-R" in flags,
                "max_depth": depth or None,
            }
        )
        roots.add((group_version, resource.schema))
    lines = [json.dumps(case, ensure_ascii=False) for case in cases]
    (OUT / "cases.json").write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    _write_schemas(documents, roots)
    print(f"wrote {len(cases)} cases to {OUT.relative_to(ROOT)}")
    return 0


def _write_schemas(documents: Any, roots: set[tuple[str, str]]) -> None:
    """schemas.json: each schema the cases reach, once, with the group versions holding it."""
    served: dict[str, list[str]] = {}
    texts: dict[str, dict[str, Any]] = {}
    for group_version, root in sorted(roots):
        schemas = documents.schemas(group_version)
        for name in sorted(_reached(schemas, root)):
            if name in texts and texts[name] != schemas[name]:
                raise SystemExit(f"{name} differs between the documents that serve it")
            texts[name] = schemas[name]
            if group_version not in served.setdefault(name, []):
                served[name].append(group_version)
    lines = [
        json.dumps([name, served[name], texts[name]], sort_keys=True, ensure_ascii=False)
        for name in sorted(texts)
    ]
    (OUT / "schemas.json").write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")


def _reached(schemas: dict[str, Any], root: str) -> set[str]:
    """The schema names `root` reaches through `$ref`, itself included."""
    found: set[str] = set()
    waiting = [root]
    while waiting:
        name = waiting.pop()
        if name not in found:
            found.add(name)
            waiting.extend(_refs(schemas[name]))
    return found


def _refs(schema: Any) -> list[str]:
    """The schema names a schema's `$ref`s name (a property called `$ref` is not one)."""
    if isinstance(schema, list):
        return [name for item in schema for name in _refs(item)]
    if not isinstance(schema, dict):
        return []
    names = []
    for key, item in schema.items():
        if key == "$ref" and isinstance(item, str):
            names.append(item.rpartition("/")[2])
        elif key == "properties" and isinstance(item, dict):
            names += [name for field in item.values() for name in _refs(field)]
        else:
            names += _refs(item)
    return names


if __name__ == "__main__":
    sys.exit(main())
