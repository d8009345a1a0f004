"""The API server's semantic rules (pkg/apis/core/validation), on parsed objects.

`violations` yields every rule an object breaks, each with the dotted path the API server
would report and a rule id; `podgen validate` lists them all. `check_manifest` raises the
first as an `InvalidFieldError`; the pipeline runs it on everything podgen writes, so no
template, built-in or not, can emit what the API server would reject. What the API server
only warns about (two containers on one port, duplicate env names, fractional memory) is a
violation marked `warning`: `check_manifest` raises it only when asked (for `podgen new`'s
own flags), never for a user's blueprint or manifest. Structure and types are the schema's
job (`_checking.k8s_schema`); these checks skip what is not the expected shape rather than
fail on it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping

from podgen._checking import checks_names
from podgen._checking import rules as _rules
from podgen._checking.checks_base import (
    GENERIC_METADATA_GROUPS,
    KindRules,
    Obj,
    Violation,
    check_labels,
    check_metadata,
)
from podgen._checking.checks_pod import check_pod_spec, pod_only
from podgen._checking.checks_workloads import WORKLOAD_API_VERSIONS, workload_spec


def _pod(obj: Obj) -> Iterator[Violation]:
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        yield Violation("spec", spec, "must be an object", "object")
    else:
        yield from check_pod_spec(spec, "spec")
        yield from pod_only(spec, "spec")


def _workload(obj: Obj) -> Iterator[Violation]:
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        yield Violation("spec", spec, "must be an object", "object")
    else:
        yield from workload_spec(obj["kind"], spec, "spec", obj["metadata"])


def _pod_template(obj: Obj) -> Iterator[Violation]:
    """A PodTemplate (ValidatePodTemplate): its template's labels, annotations and pod spec."""
    template = obj.get("template")
    if not isinstance(template, Mapping):
        return
    metadata = template.get("metadata")
    if isinstance(metadata, Mapping):
        yield from check_labels(metadata.get("labels"), "template.metadata.labels", "label")
    spec = template.get("spec")
    if isinstance(spec, Mapping):
        yield from check_pod_spec(spec, "template.spec")


#: The kinds that run pods, by (apiVersion, kind): their name rule and the rules on their fields.
POD_KINDS: dict[tuple[str, str], KindRules] = {
    ("v1", "Pod"): KindRules(_rules.is_dns1123_subdomain, _pod),
    ("v1", "PodTemplate"): KindRules(_rules.is_dns1123_subdomain, _pod_template),
    **{
        (api_version, kind): KindRules(_rules.is_dns1123_subdomain, _workload)
        for kind, api_version in WORKLOAD_API_VERSIONS.items()
    },
}


@functools.cache
def kinds() -> dict[tuple[str, str], KindRules]:
    """Every kind the API server's rules are ported for: the pods' and each area's own.

    The areas load on the first object of another kind: a pre-commit run over a Deployment
    never pays for the RBAC or Ingress rules.
    """
    from podgen._checking import (
        checks_config,
        checks_crd,
        checks_network,
        checks_rbac,
        checks_scaling,
    )

    return {
        **POD_KINDS,
        **checks_config.KINDS,
        **checks_network.KINDS,
        **checks_rbac.KINDS,
        **checks_scaling.KINDS,
        **checks_crd.KINDS,
    }


def check_manifest(obj: object, *, api_warnings: bool = False) -> None:
    """Raise InvalidFieldError for the first rule `obj` breaks.

    `api_warnings`: also for what the API server accepts with a warning.
    """
    for violation in violations(obj):
        if api_warnings or not violation.warning:
            raise violation.error()


def violations(obj: object) -> Iterator[Violation]:
    """Every API server rule `obj` breaks."""
    if not isinstance(obj, Mapping):
        yield Violation("<document>", type(obj).__name__, "must be a mapping (an object)", "object")
        return
    if _may_hold_unprintable(obj):
        yield from _strings(obj, "")
    kind = obj.get("kind")
    metadata = obj.get("metadata")
    if not isinstance(kind, str) or not kind or not isinstance(obj.get("apiVersion"), str):
        yield Violation("kind", kind, "every object needs a kind and an apiVersion", "object")
        return
    if not isinstance(metadata, Mapping):
        yield Violation("metadata", metadata, "must be an object", "object")
        return
    key = (obj["apiVersion"], kind)
    rules = POD_KINDS.get(key) or kinds().get(key) or checks_names.kind_rules(*key)
    if rules is None:
        # A kind with no rules here (a blueprint's `objects:`): the object metadata rules
        # every kind has; names are each kind's own (`system:reader` is a valid ClusterRole).
        # No schema checks its metadata's types here, and ObjectMeta's are every kind's.
        for field in ("name", "generateName", "namespace"):
            value = metadata.get(field)
            if value is not None and not isinstance(value, str):
                yield Violation(f"metadata.{field}", value, "must be a string", "object")
                return
        yield from check_metadata(metadata, "metadata", lambda name: [], required_name=True)
        return
    required = key not in checks_names.NAMELESS
    # checks_names holds every kind's name rule, as the server applies it; a module's own is
    # the default it falls back on.
    name_rule = checks_names.OTHER_NAME_RULES.get(key, rules.name)
    kube = obj["apiVersion"].rpartition("/")[0] not in GENERIC_METADATA_GROUPS
    yield from check_metadata(
        metadata, "metadata", name_rule, required_name=required, kube_finalizers=kube
    )
    if rules.fields is not None:
        yield from rules.fields(obj)


def _may_hold_unprintable(obj: object) -> bool:
    """Whether any key or string might hold a character kubectl cannot print.

    One C-speed pass over the object's JSON text (which writes those characters as they are)
    answers for nearly every object; `_strings` then finds the place in the rare one that has.
    """
    try:
        text = json.dumps(obj, ensure_ascii=False)
    except (TypeError, ValueError):
        return True  # not JSON data: let the walk look
    return _rules.unprintable_character(text) is not None


def _strings(node: object, path: str) -> Iterator[Violation]:
    """Every string must survive kubectl's printers unchanged."""
    if isinstance(node, str):
        bad = _rules.unprintable_character(node)
        if bad is not None:
            yield Violation(
                path or "<document>",
                node,
                f"contains U+{ord(bad):04X}, a control character that kubectl's YAML printer "
                "rejects or rewrites",
                "string-control-character",
            )
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from _strings(key, path)
            yield from _strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _strings(item, f"{path}[{index}]")
