"""A custom resource checked against its CRD version's openAPIV3Schema, as the API server does.

The server (apiextensions-apiserver, a create with fieldValidation=Strict) takes these steps,
and `schema_violations` takes them in its order:

1. decoding: `default`s fill missing fields (and nulls where null is not allowed); fields the
   schema does not know are pruned, each an error (`strict decoding error: unknown field
   "spec.extra"`), except beneath x-kubernetes-preserve-unknown-fields; an embedded resource's
   apiVersion, kind and metadata must have their Go types; nulls where the schema allows none
   (and has no default) are dropped. The server answers 400 at the first of these errors.
2. validation: kube-openapi's schema validation (crd_values), the embedded resources'
   apiVersion, kind and metadata rules, and the uniqueness of list-type set and map items
   (crd_lists). The server answers 422 with all of them.

The root's apiVersion and kind are the caller's, and so are the rules of its metadata's
values (podgen's ObjectMeta rules, the CRD's names, versions and scope): this module decodes
the root metadata as the server does (unknown fields, Go types) and applies the schema's
metadata constraints (name, generateName), nothing more. CEL rules (x-kubernetes-validations)
are the next step's, run on the object this returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from podgen._checking import crd_node as _node
from podgen._checking import rules as _rules
from podgen._checking.checks_base import Violation, check_metadata
from podgen._checking.crd_lists import list_violations
from podgen._checking.crd_node import Node
from podgen._checking.crd_values import validate
from podgen._errors import OMIT_VALUE, closest, quoted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The fields of ObjectMeta and the Go type each decodes into.
_OBJECT_META = {
    "name": "string",
    "generateName": "string",
    "namespace": "string",
    "selfLink": "string",
    "uid": "types.UID",
    "resourceVersion": "string",
    "generation": "int64",
    "creationTimestamp": "v1.Time",
    "deletionTimestamp": "*v1.Time",
    "deletionGracePeriodSeconds": "*int64",
    "labels": "map[string]string",
    "annotations": "map[string]string",
    "ownerReferences": "[]v1.OwnerReference",
    "finalizers": "[]string",
    "managedFields": "[]v1.ManagedFieldsEntry",
}
_ROOT_FIELDS = ("apiVersion", "kind", "metadata")


def schema_violations(
    obj: Mapping[str, Any], schema: Mapping[str, Any], *, status_subresource: bool = False
) -> tuple[list[Violation], Any]:
    """Every violation the API server reports for `obj` against its version's `schema`.

    `obj` is the whole custom resource as read; `schema` the version's openAPIV3Schema;
    `status_subresource`: the version has `subresources.status`, so a create drops `status`
    after decoding (its unknown fields are still errors, its values are not validated).
    Returns the violations in the server's order of steps (the Go types of apiVersion, kind
    and metadata; unknown fields; then validation: the server reports only the first step
    that has any) and the object as the server sees it after defaulting and pruning, for the
    CEL rules.
    """
    root = _node.compiled(schema)
    work = _node.normalize(obj)
    if not isinstance(work, dict):
        return [], work
    _default(work, root)
    decoding: list[Violation] = []
    _prune(work, root, "", decoding, root=True)
    _drop_nulls(work, root)
    if status_subresource:
        work.pop("status", None)
    _generate_name(work.get("metadata"))
    found: list[Violation] = []
    validate(work, root, "", found)
    _embedded(work, root, "", found, root=True)
    list_violations(work, root, "", found)
    # The server meets Go type errors while it decodes, before it reports unknown fields.
    decoding.sort(key=lambda violation: violation.rule != "crd-embedded-type")
    return decoding + found, work


#: Five characters of the kind the server's name generator appends (it draws them at random).
_GENERATED = "bcdfg"


def _generate_name(metadata: Any) -> None:
    """BeforeCreate: a name from generateName (its first 58 characters and five more).

    The server makes it before it validates, so the schema's metadata.name rules apply to it.
    """
    if isinstance(metadata, dict) and not metadata.get("name"):
        prefix = metadata.get("generateName")
        if isinstance(prefix, str) and prefix:
            metadata["name"] = prefix[:58] + _GENERATED


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _default(value: Any, node: Node | None) -> None:
    """structuraldefaulting.Default: fill missing fields (and disallowed nulls), then descend."""
    if node is None:
        return
    if isinstance(value, dict):
        for key, prop in node.props.items():
            if prop.has_default and (
                key not in value or (value[key] is None and not prop.nullable)
            ):
                value[key] = _copy(prop.default)
        extra = node.additional if isinstance(node.additional, Node) else None
        for key, item in value.items():
            child = node.props.get(key)
            if child is not None:
                _default(item, child)
            elif extra is not None:
                if item is None and extra.has_default and not extra.nullable:
                    value[key] = item = _copy(extra.default)
                _default(item, extra)
    elif isinstance(value, list):
        items = node.items
        for index, item in enumerate(value):
            if item is None and items is not None and items.has_default and not items.nullable:
                value[index] = item = _copy(items.default)
            _default(item, items)


def _prune(
    value: Any, node: Node | None, path: str, out: list[Violation], *, root: bool = False
) -> None:
    """structuralpruning: drop and report every field the schema does not know."""
    if node is not None and node.preserve:
        _prune_known(value, node, path, out, root=root)
        return
    if isinstance(value, dict):
        prefix = f"{path}." if path else ""
        for key in list(value):
            item = value[key]
            if root and key in ("apiVersion", "kind"):
                continue  # the caller's: the CRD's group, versions and kind
            if (root or (node is not None and node.embedded)) and key in _ROOT_FIELDS:
                _coerce_embedded(key, item, f"{prefix}{key}", out)
                continue
            if node is not None and key in node.props:
                _prune(item, node.props[key], f"{prefix}{key}", out)
            elif node is not None and node.additional_set:
                extra = node.additional if isinstance(node.additional, Node) else None
                _prune(item, extra, f"{prefix}{key}", out)
            else:
                out.append(_unknown(f"{prefix}{key}", node.props if node is not None else ()))
                del value[key]
    elif isinstance(value, list):
        items = node.items if node is not None else None
        for index, item in enumerate(value):
            _prune(item, items, f"{path}[{index}]", out)


def _prune_known(
    value: Any, node: Node, path: str, out: list[Violation], *, root: bool = False
) -> None:
    """Beneath x-kubernetes-preserve-unknown-fields: unknown fields stay, known ones prune."""
    if isinstance(value, dict):
        prefix = f"{path}." if path else ""
        for key, item in value.items():
            if root and key in ("apiVersion", "kind"):
                continue
            if (root or node.embedded) and key in _ROOT_FIELDS:
                _coerce_embedded(key, item, f"{prefix}{key}", out)
            elif key in node.props:
                _prune(item, node.props[key], f"{prefix}{key}", out)
            elif node.additional_set:
                extra = node.additional if isinstance(node.additional, Node) else None
                _prune(item, extra, f"{prefix}{key}", out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if node.items is not None:
                _prune_known(item, node.items, f"{path}[{index}]", out)


def _unknown(path: str, known: Iterable[str]) -> Violation:
    """The server's strict decoding error, with podgen's hint at a misspelled known field."""
    reason = f'strict decoding error: unknown field "{path}"'
    hint = closest(path.rpartition(".")[2], known)
    if hint is not None:
        reason += f'; did you mean "{hint}"?'
    return Violation(path, OMIT_VALUE, reason, "crd-unknown-field")


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _coerce_embedded(key: str, value: Any, path: str, out: list[Violation]) -> None:
    """objectmeta.Coerce: apiVersion and kind are strings, metadata an ObjectMeta.

    The metadata's unknown fields are unknown fields like any other (strict decoding).
    """
    if key != "metadata":
        if not isinstance(value, str):
            out.append(Violation(path, value, "must be a string", "crd-embedded-type"))
        return
    if value is None:
        return
    if not isinstance(value, dict):
        reason = f"json: cannot unmarshal {_json_type(value)} into Go value of type v1.ObjectMeta"
        out.append(Violation(path, value, reason, "crd-embedded-type"))
        return
    for field, item in list(value.items()):
        go_type = _OBJECT_META.get(field)
        if go_type is None:
            out.append(_unknown(f"{path}.{field}", _OBJECT_META))
            del value[field]
            continue
        wrong = _meta_type_problem(item, go_type)
        if wrong:
            reason = (
                f"json: cannot unmarshal {wrong[0]} into Go struct field ObjectMeta.{field}"
                f" of type {wrong[1]}"
            )
            out.append(Violation(path, value, reason, "crd-embedded-type"))


def _meta_type_problem(value: Any, go_type: str) -> tuple[str, str] | None:
    """The JSON type that does not decode into `go_type`, and the Go type it meets."""
    if value is None:
        return None
    if go_type in ("string", "types.UID", "v1.Time", "*v1.Time"):
        return None if isinstance(value, str) else (_json_type(value), go_type)
    if go_type in ("int64", "*int64"):
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if whole and not isinstance(value, bool):
            return None
        shown = f"number {quoted(value)}" if isinstance(value, float) else _json_type(value)
        return shown, "int64"
    shape = dict if go_type.startswith("map") else list
    if not isinstance(value, shape):
        return _json_type(value), go_type
    if isinstance(value, dict):
        bad = [v for v in value.values() if v is not None and not isinstance(v, str)]
    elif go_type == "[]string":
        bad = [v for v in value if v is not None and not isinstance(v, str)]
    else:
        bad = []
    return (_json_type(bad[0]), "string") if bad else None


def _drop_nulls(value: Any, node: Node | None) -> None:
    """PruneNonNullableNullsWithoutDefaults: a null where the schema allows none is dropped."""
    if node is None:
        return
    if isinstance(value, dict):
        for key in list(value):
            child = node.child(key)
            if child is None:
                continue
            if value[key] is None and not child.has_default and not child.nullable:
                del value[key]
            else:
                _drop_nulls(value[key], child)
    elif isinstance(value, list):
        for item in value:
            _drop_nulls(item, node.items)


def _embedded(
    value: Any, node: Node | None, path: str, out: list[Violation], *, root: bool = False
) -> None:
    """objectmeta.Validate: each embedded resource's apiVersion, kind and metadata."""
    if node is None:
        return
    if isinstance(value, dict):
        prefix = f"{path}." if path else ""
        if node.embedded and not root:
            _embedded_resource(value, prefix, out)
        for key, item in value.items():
            if root and key in _ROOT_FIELDS:
                continue
            _embedded(item, node.child(key), f"{prefix}{key}", out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _embedded(item, node.items, f"{path}[{index}]", out)


def _embedded_resource(value: dict[str, Any], prefix: str, out: list[Violation]) -> None:
    for key in ("apiVersion", "kind"):
        if key not in value:
            out.append(Violation(f"{prefix}{key}", "", "Required value", "crd-embedded"))
    api_version, kind = value.get("apiVersion"), value.get("kind")
    if isinstance(api_version, str):
        if not api_version:
            out.append(Violation(f"{prefix}apiVersion", "", "must not be empty", "crd-embedded"))
        elif api_version.count("/") > 1:
            reason = f"unexpected GroupVersion string: {api_version}"
            out.append(Violation(f"{prefix}apiVersion", api_version, reason, "crd-embedded"))
    if isinstance(kind, str):
        if not kind:
            out.append(Violation(f"{prefix}kind", "", "must not be empty", "crd-embedded"))
        else:
            errors = _rules.is_dns1035_label(kind.lower())
            if errors:
                reason = "may have mixed case, but should otherwise match: " + ",".join(errors)
                out.append(Violation(f"{prefix}kind", kind, reason, "crd-embedded"))
    metadata = value.get("metadata")
    if isinstance(metadata, dict):
        out.extend(
            violation._replace(rule="crd-embedded")
            for violation in check_metadata(
                metadata,
                f"{prefix}metadata",
                _rules.is_path_segment_name,
                required_name=False,
                kube_finalizers=False,
            )
        )
