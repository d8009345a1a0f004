"""Check podgen's API lifecycle table against kubernetes-validate's schemas of every release.

podgen/_checking/api_lifecycle.py says, for each built-in apiVersion and kind, the releases
that have it. kubernetes-validate (a test dependency) ships the strict OpenAPI schema of
Kubernetes 1.25 to 1.37, each definition naming its x-kubernetes-group-version-kind: the kinds
each release has (served by default or behind --runtime-config). This script lists every
(release, apiVersion, kind) where the two disagree: a kind a release's schema has that the
table says it does not (missing, or outside its introduced..removed), or the reverse; it exits
1 if there is one. tests/test_api_lifecycle.py runs the same comparison.
Run: python tools/api_lifecycle.py
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

#: The releases kubernetes-validate has schemas of.
RELEASES = tuple(f"1.{minor}" for minor in range(25, 38))


def _vendor_tool() -> ModuleType:
    """tools/vendor_k8s_schema.py, which reads a release's kinds (tools/ is not a package)."""
    path = Path(__file__).resolve().parent / "vendor_k8s_schema.py"
    spec = importlib.util.spec_from_file_location("vendor_k8s_schema", path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def schema_kinds(version: str) -> frozenset[tuple[str, str]]:
    """Every (apiVersion, kind) of Kubernetes `version`'s schema, from kubernetes-validate."""
    _, kinds = _vendor_tool().release_kinds(version)
    return frozenset(tuple(name.rsplit("/", 1)) for name in kinds)  # type: ignore[misc]


def differences() -> list[str]:
    """Every place the table and a release's schema disagree, one line each."""
    from podgen._checking.api_lifecycle import lookup, served

    lines = []
    for version in RELEASES:
        schema = schema_kinds(version)
        table = served(version)
        for api_version, kind in sorted(schema - table):
            api = lookup(api_version, kind)
            why = "not in the table" if api is None else "outside its releases in the table"
            lines.append(f"{version}: {api_version} {kind} is in the schema, {why}")
        for api_version, kind in sorted(table - schema):
            lines.append(f"{version}: {api_version} {kind} is in the table, not in the schema")
    return lines


def main() -> int:
    """Print the differences; 1 if there are any."""
    found = differences()
    sys.stdout.writelines(f"{line}\n" for line in found)
    if not found:
        print(f"the table agrees with the schemas of {RELEASES[0]} to {RELEASES[-1]}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
