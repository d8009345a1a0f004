"""What the API server's rules in `_checking.checks` and `_checking.checks_pod` share.

The violation record, and the helpers that walk maps and lists, check labels and metadata,
and check a value against the allowed ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._errors import InvalidFieldError
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias, TypeGuard

#: The protocols a port may have.
PROTOCOLS = ("TCP", "UDP", "SCTP")

Obj: TypeAlias = "Mapping[str, Any]"


class Violation(NamedTuple):
    """One broken rule: where, what value, why, and the rule's id.

    `warning`: the API server accepts the object and only warns (pkg/api/pod/warnings.go:
    duplicate env names, ports and port names, fractional memory). validate reports it as a
    warning; render and import keep the object; only `podgen new`'s own flags refuse it.
    """

    path: str
    value: object
    reason: str
    rule: str
    warning: bool = False

    def error(self) -> InvalidFieldError:
        """The same violation as the exception `new` and `render` raise."""
        return InvalidFieldError(self.path, self.value, self.reason)


class KindRules(NamedTuple):
    """What the API server checks on one kind besides the metadata every object has."""

    #: The kind's name rule (NameIsDNSSubdomain, a DNS label, a path segment, ...).
    name: Callable[[str], list[str]]
    #: Every rule the object's own fields break (its spec, data, rules, ...), from the top.
    fields: Callable[[Obj], Iterator[Violation]] | None = None


def check_rule(path: str, value: object, reasons: list[str], rule: str) -> Iterator[Violation]:
    """One violation for a value a rule gave reasons against (none without reasons)."""
    if reasons:
        yield Violation(path, value, "; ".join(reasons), rule)


def items_at(obj: Obj, key: str, path: str) -> Iterator[tuple[str, Obj]]:
    """The maps in the list at `obj[key]`, each with its dotted path."""
    value = obj.get(key) or []
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                yield f"{path}.{key}[{index}]", item


def is_int(value: object) -> TypeGuard[int]:
    """Whether `value` is a whole number (a bool is not, though Python says it is)."""
    return isinstance(value, int) and not isinstance(value, bool)


def check_metadata(
    metadata: Obj,
    path: str,
    name_rule: Callable[[str], list[str]],
    *,
    required_name: bool,
    kube_finalizers: bool = True,
) -> Iterator[Violation]:
    """ValidateObjectMeta: the metadata every object has.

    The name (or generateName), namespace, labels, annotations, finalizers and owner references.
    """
    name = metadata.get("name")
    generate_name = metadata.get("generateName")
    if isinstance(generate_name, str) and generate_name:
        # A prefix: the API server masks a trailing '-' before the kind's name rule.
        masked = generate_name[:-1] + "a" if generate_name.endswith("-") else generate_name
        reasons = name_rule(masked)
        yield from check_rule(f"{path}.generateName", generate_name, reasons, "generate-name")
    if (
        required_name
        and (not isinstance(name, str) or not name)
        and not (isinstance(generate_name, str) and generate_name)
    ):
        yield Violation(
            f"{path}.name",
            name,
            "Required value: name or generateName is required",
            "name-required",
        )
    elif isinstance(name, str) and name:
        yield from check_rule(f"{path}.name", name, name_rule(name), "name")
    if "finalizers" in metadata:  # rare: no call for the many objects without
        yield from check_finalizers(metadata["finalizers"], f"{path}.finalizers", kube_finalizers)
    if "ownerReferences" in metadata:
        yield from _owner_references(metadata["ownerReferences"], f"{path}.ownerReferences")
    namespace = metadata.get("namespace")
    if isinstance(namespace, str):
        yield from check_rule(
            f"{path}.namespace", namespace, _rules.is_dns1123_label(namespace), "namespace"
        )
    yield from check_labels(metadata.get("labels"), f"{path}.labels", "label")
    annotations = metadata.get("annotations")
    if isinstance(annotations, Mapping):
        total = 0
        for key, value in annotations.items():
            reasons = _rules.is_qualified_name(str(key).lower())
            yield from check_rule(f"{path}.annotations", key, reasons, "annotation-key")
            total += len(str(key)) + len(str(value))
        if total > _rules.TOTAL_ANNOTATION_SIZE_MAX:
            yield Violation(
                f"{path}.annotations",
                f"<{total} bytes>",
                f"must have at most {_rules.TOTAL_ANNOTATION_SIZE_MAX} bytes",
                "annotations-size",
            )


#: IsStandardFinalizerName: the finalizers that need no domain.
STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")


#: API groups whose kinds the server validates with apimachinery's ValidateObjectMeta alone:
#: their finalizers need not have a domain (probed: CRDs, Leases, PDBs and RuntimeClasses take
#: `cleanup`; core, apps, batch, networking, RBAC, storage, ... refuse it).
GENERIC_METADATA_GROUPS = frozenset(
    {"apiextensions.k8s.io", "coordination.k8s.io", "policy", "node.k8s.io"}
)


def check_finalizers(finalizers: object, path: str, kube: bool = True) -> Iterator[Violation]:
    """ValidateFinalizers: qualified names; `kube`: a domain unless standard (validateKube...)."""
    if not isinstance(finalizers, list):
        return
    for index, finalizer in enumerate(finalizers):
        if not isinstance(finalizer, str):
            continue
        yield from check_rule(path, finalizer, _rules.is_qualified_name(finalizer), "finalizer")
        if kube and "/" not in finalizer and finalizer not in STANDARD_FINALIZERS:
            yield Violation(
                f"{path}[{index}]",
                finalizer,
                "name is neither a standard finalizer name nor is it fully qualified",
                "finalizer",
            )
    if "orphan" in finalizers and "foregroundDeletion" in finalizers:
        yield Violation(
            path,
            finalizers,
            "finalizer orphan and foregroundDeletion cannot be both set",
            "finalizer",
        )


def _owner_references(references: object, path: str) -> Iterator[Violation]:
    """ValidateOwnerReferences: apiVersion, kind, name and uid set; one controller at most."""
    if not isinstance(references, list):
        return
    controllers = []
    for reference in references:
        if not isinstance(reference, Mapping):
            continue
        api_version = str(reference.get("apiVersion") or "")
        parts = api_version.split("/")
        if len(parts) > 2 or not parts[-1]:  # schema.ParseGroupVersion fails, or no version
            yield Violation(
                f"{path}.apiVersion", api_version, "version must not be empty", "owner-reference"
            )
        for key in ("kind", "name", "uid"):
            if not reference.get(key):
                value = reference.get(key) or ""
                yield Violation(f"{path}.{key}", value, "must not be empty", "owner-reference")
        if api_version == "v1" and reference.get("kind") == "Event":  # BannedOwners
            yield Violation(path, reference, "is disallowed from being an owner", "owner-reference")
        if reference.get("controller") is True:
            controllers.append(f"{reference.get('kind')}/{reference.get('name')}")
    if len(controllers) > 1:
        yield Violation(
            path,
            references,
            'Only one reference can have Controller set to true. Found "true" in references for '
            + " and ".join(controllers),
            "owner-reference",
        )


def check_labels(labels: object, path: str, rule: str) -> Iterator[Violation]:
    if not isinstance(labels, Mapping):
        return
    for key, value in labels.items():
        yield from check_rule(path, key, _rules.is_qualified_name(str(key)), f"{rule}-key")
        if not isinstance(value, str):
            yield Violation(path, value, "label values must be strings", f"{rule}-value")
        else:
            yield from check_rule(path, value, _rules.is_valid_label_value(value), f"{rule}-value")


def check_nonnegative(obj: Obj, key: str, path: str, rule: str) -> Iterator[Violation]:
    """ValidateNonnegativeField: a whole number at `obj[key]`, if any, is 0 or more."""
    value = obj.get(key)
    if is_int(value) and value < 0:
        yield Violation(f"{path}.{key}", value, "must be greater than or equal to 0", rule)


def check_enum(
    obj: Obj, key: str, path: str, allowed: tuple[str, ...], rule: str, *, defaulted: bool = False
) -> Iterator[Violation]:
    """One of the `allowed` values at `obj[key]`, if set.

    `defaulted`: the field is a plain Go string the API server defaults when empty (`""` is
    unset, as a dnsPolicy or a port's protocol is), not a pointer, where `""` is a value.
    """
    value = obj.get(key)
    if value is not None and value not in allowed and not (defaulted and value == ""):
        quoted = ", ".join(f'"{a}"' for a in allowed)
        yield Violation(f"{path}.{key}", value, f"supported values: {quoted}", rule)


def check_requirement(
    requirement: Obj, path: str, rule: str, *, numeric: bool = False, key: bool = True
) -> Iterator[Violation]:
    """One selector requirement: its operator, the values that operator takes, its key.

    A label selector's (ValidateLabelSelectorRequirement) knows In, NotIn, Exists and
    DoesNotExist; a node selector's (ValidateNodeSelectorRequirement, `numeric`) also Gt
    and Lt, with one value. `key`: whether the key is a label key (a matchFields' is not).
    """
    operator = requirement.get("operator")
    values = requirement.get("values") or []
    if operator in ("In", "NotIn"):
        if not values:
            yield Violation(
                f"{path}.values",
                values,
                "Required value: must be specified when `operator` is 'In' or 'NotIn'",
                rule,
            )
    elif operator in ("Exists", "DoesNotExist"):
        if values:
            yield Violation(
                f"{path}.values",
                values,
                "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                rule,
            )
    elif numeric and operator in ("Gt", "Lt"):
        if len(values) != 1:
            yield Violation(
                f"{path}.values",
                values,
                "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
                rule,
            )
    else:
        yield Violation(f"{path}.operator", operator, "not a valid selector operator", rule)
    name = requirement.get("key")
    if key and isinstance(name, str):
        yield from check_rule(f"{path}.key", name, _rules.is_qualified_name(name), rule)


def check_label_selector(selector: object, path: str, rule: str) -> Iterator[Violation]:
    """ValidateLabelSelector (apimachinery, invalid label values not allowed, as on create).

    matchLabels as labels, and each matchExpressions requirement: its operator and the values
    that operator takes, its key a qualified name, each value a label value.
    """
    if not isinstance(selector, Mapping):
        return
    match_labels = selector.get("matchLabels")
    if isinstance(match_labels, Mapping):
        for key, value in match_labels.items():
            yield from check_rule(
                f"{path}.matchLabels", key, _rules.is_qualified_name(str(key)), rule
            )
            if isinstance(value, str):
                reasons = _rules.is_valid_label_value(value)
                yield from check_rule(f"{path}.matchLabels", value, reasons, rule)
    for where, requirement in items_at(selector, "matchExpressions", path):
        yield from check_requirement(requirement, where, rule)
        values = requirement.get("values")
        for index, value in enumerate(values if isinstance(values, list) else []):
            if isinstance(value, str):
                reasons = _rules.is_valid_label_value(value)
                yield from check_rule(f"{where}.values[{index}]", value, reasons, rule)
