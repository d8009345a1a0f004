"""The CustomResourceDefinitions the tests write: one shape, each test's group and schema.

Every test that installs CRDs on the shared server uses a group of its own (see
tests/apiserver.py `installed`); this builds the object around it.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def version(name: str, schema: Obj, *, served: bool = True, storage: bool = True) -> Obj:
    """One entry of `spec.versions` with its openAPIV3Schema."""
    return {
        "name": name,
        "served": served,
        "storage": storage,
        "schema": {"openAPIV3Schema": schema},
    }


def crd(
    group: str,
    kind: str,
    *,
    schema: Obj | None = None,
    versions: list[Obj] | None = None,
    plural: str | None = None,
    scope: str = "Namespaced",
    names: Obj | None = None,
    **spec: Any,
) -> Obj:
    """A CRD of `kind` in `group`: one served v1 of `schema`, or the `versions` given.

    `plural` defaults to the lowercase kind and an s, the singular to the lowercase kind;
    `names` adds to or overrides spec.names; `spec` adds fields (conversion, ...).
    """
    plural = plural or kind.lower() + "s"
    if versions is None:
        versions = [version("v1", schema if schema is not None else {"type": "object"})]
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {
            "group": group,
            "scope": scope,
            "names": {"plural": plural, "singular": kind.lower(), "kind": kind, **(names or {})},
            "versions": versions,
            **spec,
        },
    }
