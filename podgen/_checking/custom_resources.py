"""A custom resource checked against its CRD, as the API server checks it.

In order: the version its apiVersion names must be one the CRD serves (the server has no
endpoint for another); the scope (the server clears a namespace on a cluster-scoped kind
without a word: podgen warns); `metadata` with the rules every object's has, the name a DNS
subdomain (apiextensions-apiserver validates custom resources with NameIsDNSSubdomain); then
the version's openAPIV3Schema and its CEL rules. Every message ends with the CRD's name and
where it was read, so a finding says which definition judged it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import STANDARD_FINALIZERS, Violation, check_metadata
from podgen._checking.crd_catalog import Crd
from podgen._checking.crd_cel import CEL_BLOCKED, cel_violations
from podgen._checking.crd_schema import schema_violations
from podgen._errors import OMIT_VALUE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_KUBE_VERSION = re.compile(r"v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?")
#: A custom resource's apiVersion names a version the CRD does not serve (or has not).
RULE_VERSION = "crd-version"
#: A version the CRD marks deprecated: the server's warning (its deprecationWarning, or its own).
RULE_DEPRECATED = "crd-version-deprecated"
#: A namespace on a cluster-scoped custom resource: the server drops it (a warning).
RULE_NAMESPACE = "crd-namespace-ignored"
#: The schema engine's rule for values that do not decode into the server's Go types.
GO_TYPE = "crd-embedded-type"
#: An object whose types or enums are wrong runs no CEL rule (the server says so too, as an
#: error beside the others): podgen notes it as a warning, as the errors that cause it are
#: reported too.
RULE_CEL_BLOCKED = "crd-cel-blocked"
#: The schema engine's rules for the field errors that stop the server's CEL step.
_BLOCKING = frozenset({"crd-type", "crd-enum", "crd-required"})
_BLOCKED_NOTE = (
    "the CRD's CEL rules were not checked, as the API server does not run them on an object "
    "with a wrong type, a value outside its enum or a missing required field (reported "
    "here); fix those and validate again"
)
#: A CEL rule podgen cannot evaluate: reported once per run, never guessed.
RULE_CEL_UNCHECKED = "crd-cel-unchecked"


def custom_resource_violations(obj: Mapping[str, Any], crd: Crd) -> Iterator[Violation]:
    """Every rule of its CRD that `obj` (a custom resource of `crd`'s group and kind) breaks.

    The reasons end with `(CRD NAME, FILE:LINE)`. A `crd-cel-unchecked` warning is the same
    for every object; the caller reports it once.
    """
    for violation in _violations(obj, crd):
        yield violation._replace(reason=f"{violation.reason} ({crd.label()})")


def served_version(obj: Mapping[str, Any], crd: Crd) -> dict[str, Any] | None:
    """The CRD's entry of `spec.versions` that `obj`'s apiVersion names, if it is served."""
    version = str(obj.get("apiVersion")).rpartition("/")[2]
    for entry in _versions(crd):
        if entry.get("name") == version and entry.get("served") is True:
            return entry
    return None


def _versions(crd: Crd) -> list[dict[str, Any]]:
    versions = (crd.obj.get("spec") or {}).get("versions")
    return [v for v in versions if isinstance(v, dict)] if isinstance(versions, list) else []


def _deprecation(entry: dict[str, Any], crd: Crd) -> str:
    """The server's warning for a deprecated version (getDeprecationWarning)."""
    if isinstance(entry.get("deprecationWarning"), str):
        return str(entry["deprecationWarning"])
    message = f"{crd.group}/{entry.get('name')} {crd.kind} is deprecated"
    preferred = [
        str(v.get("name"))
        for v in _versions(crd)
        if v.get("served") is True and v.get("deprecated") is not True
    ]
    if preferred:
        message += f"; use {crd.group}/{max(preferred, key=_kube_aware)} {crd.kind}"
    return message


def _kube_aware(name: str) -> tuple[int, int, int, str]:
    """version.CompareKubeAwareVersionStrings as a key: GA over beta over alpha, then numbers.

    Names not of that shape come below them all, by their text.
    """
    match = _KUBE_VERSION.fullmatch(name)
    if match is None:
        return (-1, 0, 0, name)
    stage = {None: 2, "beta": 1, "alpha": 0}[match[2]]
    return (stage, int(match[1]), int(match[3] or 0), "")


def _finalizer_warnings(finalizers: object) -> Iterator[Violation]:
    """The server's warning for a custom resource's finalizer without a domain (probed)."""
    if not isinstance(finalizers, list):
        return
    for index, finalizer in enumerate(finalizers):
        if isinstance(finalizer, str) and "/" not in finalizer:
            if finalizer in STANDARD_FINALIZERS or _rules.is_qualified_name(finalizer):
                continue  # a standard one, or an error check_metadata reports
            yield Violation(
                f"metadata.finalizers[{index}]",
                finalizer,
                "prefer a domain-qualified finalizer name to avoid accidental conflicts with "
                "other finalizer writers",
                "finalizer-domain",
                warning=True,
            )


def _violations(obj: Mapping[str, Any], crd: Crd) -> Iterator[Violation]:
    entry = served_version(obj, crd)
    if entry is None:
        served = [str(v.get("name")) for v in _versions(crd) if v.get("served") is True]
        api_version = str(obj.get("apiVersion"))
        serves = (
            f"it serves {', '.join(f'{crd.group}/{name}' for name in served)}"
            if served
            else "it serves no version"
        )
        yield Violation(
            "apiVersion",
            api_version,
            f'no kind "{crd.kind}" is served in version "{api_version}": {serves}',
            RULE_VERSION,
        )
        return  # no schema to check it with
    if entry.get("deprecated") is True:
        yield Violation(
            "apiVersion", obj.get("apiVersion"), _deprecation(entry, crd), RULE_DEPRECATED, True
        )
    schema = (entry.get("schema") or {}).get("openAPIV3Schema")
    schema = schema if isinstance(schema, dict) else {}  # none: apiextensions v1beta1 only
    subresources = entry.get("subresources")
    status = isinstance(subresources, Mapping) and "status" in subresources
    problems, defaulted = schema_violations(obj, schema, status_subresource=status)
    yield from problems
    if any(p.rule == GO_TYPE and p.path.startswith("metadata") for p in problems):
        return  # metadata that does not decode: the server stops there, and so do its rules
    metadata = obj.get("metadata") or {}  # none: as the server decodes it, then name is required
    namespace = metadata.get("namespace")
    cluster = (crd.obj.get("spec") or {}).get("scope") == "Cluster"
    if cluster and namespace:
        yield Violation(
            "metadata.namespace",
            namespace,
            f"{crd.kind} is cluster-scoped: the API server ignores the namespace (clears it); "
            "remove it",
            RULE_NAMESPACE,
            warning=True,
        )
        metadata = {k: v for k, v in metadata.items() if k != "namespace"}
    # ValidateObjectMetaAccessor with NameIsDNSSubdomain, as for any custom resource; its
    # finalizers need no domain (the generic ObjectMeta rules, not Kubernetes' own kinds').
    yield from check_metadata(
        metadata,
        "metadata",
        _rules.is_dns1123_subdomain,
        required_name=True,
        kube_finalizers=False,
    )
    yield from _finalizer_warnings(metadata.get("finalizers"))
    if any(p.rule == GO_TYPE for p in problems) or not _has_rules(schema):
        return  # an object that does not decode, or a CRD without CEL rules
    # hasBlockingErr: a wrong type, a value outside its enum or a missing required field, and
    # the server runs no rule (it says so beside the errors that stopped it).
    if any(p.rule in _BLOCKING and not p.warning for p in problems):
        yield Violation("", OMIT_VALUE, _BLOCKED_NOTE, RULE_CEL_BLOCKED, warning=True)
        return
    # CEL runs on the object as defaulted and pruned; its rules at the root name no field
    # (the server's `<nil>`), which podgen places at the object itself.
    for violation in cel_violations(defaulted, schema):
        if violation.reason == CEL_BLOCKED:  # a blocking error the schema step words otherwise
            yield Violation("", OMIT_VALUE, _BLOCKED_NOTE, RULE_CEL_BLOCKED, warning=True)
            continue
        yield violation._replace(path=violation.path.replace("<nil>", ""))


#: Whether each schema (by id, kept alive beside its answer) has CEL rules: asked per object.
_RULES_IN: dict[int, tuple[Mapping[str, Any], bool]] = {}


def _has_rules(schema: Mapping[str, Any]) -> bool:
    """Whether a version's schema holds any x-kubernetes-validations, read once per schema."""
    known = _RULES_IN.get(id(schema))
    if known is None or known[0] is not schema:
        known = _RULES_IN[id(schema)] = (schema, "x-kubernetes-validations" in repr(schema))
    return known[1]
