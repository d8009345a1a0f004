"""A CustomResourceDefinition's own rules, as apiextensions validates them on create.

`ValidateCustomResourceDefinition` as a create sees it: the name (`<plural>.<group>`), the
group, the names, the versions (one storage version, per-version schemas, subresources and
printer columns, deprecation warnings), conversion, `preserveUnknownFields` and the API
approval of protected groups. The schema rules are in `checks_crd_schema`.

The server converts a v1 CRD to its internal form first: a schema, subresources or printer
columns that every version has alike move to the top (`spec.validation.openAPIV3Schema`,
`spec.subresources`, `spec.additionalPrinterColumns`), and it reports them there once. podgen
checks them once too, and names the place where they stand in the file: the first version's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import Obj, Violation, is_int, items_at

_PRINTER_COLUMN_TYPES = ("boolean", "date", "integer", "number", "string")
_PRINTER_COLUMN_FORMATS = (
    *("byte", "date", "date-time", "double", "float", "int32", "int64", "password"),
)
#: The ConversionReview versions this server understands (one of them is required).
_REVIEW_VERSIONS = ("v1", "v1beta1")
_APPROVAL = "api-approved.kubernetes.io"
_APPROVAL_SEE = "see https://github.com/kubernetes/enhancements/pull/1111"
_MIXED_CASE = "may have mixed case, but should otherwise match: "


def check_crd(obj: Obj) -> Iterator[Violation]:
    """ValidateCustomResourceDefinition's rules on one CRD, but its ObjectMeta's."""
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        return
    names: Obj = spec["names"] if isinstance(spec.get("names"), Mapping) else {}
    group: str = spec["group"] if isinstance(spec.get("group"), str) else ""
    name = obj["metadata"].get("name") or ""
    plural: str = names["plural"] if isinstance(names.get("plural"), str) else ""
    if name != f"{plural}.{group}":
        yield Violation(
            "metadata.name", name, 'must be spec.names.plural+"."+spec.group', "crd-name"
        )
    yield from _group(group)
    scope = spec.get("scope")
    if not scope:
        yield Violation("spec.scope", scope, "Required value", "crd-scope")
    elif scope not in ("Cluster", "Namespaced"):
        reason = 'supported values: "Cluster", "Namespaced"'
        yield Violation("spec.scope", scope, reason, "crd-scope")
    yield from _names(names, "spec.names")
    yield from _versions(spec)
    yield from _conversion(spec)
    if spec.get("preserveUnknownFields") is True:
        reason = (
            "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in "
            "spec.versions[*].schema instead"
        )
        yield Violation("spec.preserveUnknownFields", True, reason, "crd-preserve-unknown-fields")
    yield from _approval(group, obj["metadata"].get("annotations"))


def _group(group: str) -> Iterator[Violation]:
    if not group:
        yield Violation("spec.group", group, "Required value", "crd-group")
    elif errors := _rules.is_dns1123_subdomain(group):
        yield Violation("spec.group", group, ",".join(errors), "crd-group")
    elif "." not in group:
        yield Violation(
            "spec.group", group, "should be a domain with at least one dot", "crd-group"
        )


def _names(names: Obj, path: str) -> Iterator[Violation]:
    """ValidateCustomResourceDefinitionNames, after v1's defaults (singular, listKind)."""

    def text(key: str) -> str:
        value = names.get(key)
        return value if isinstance(value, str) else ""

    plural, kind = text("plural"), text("kind")
    singular = text("singular") or kind.lower()
    list_kind = text("listKind") or (f"{kind}List" if kind else "")
    for key, value in (("plural", plural), ("singular", singular), ("kind", kind)):
        if not value:
            yield Violation(f"{path}.{key}", value, "Required value", "crd-names")
    if not list_kind:
        yield Violation(f"{path}.listKind", list_kind, "Required value", "crd-names")
    for key, value in (("plural", plural), ("singular", singular)):
        if value and (errors := _rules.is_dns1035_label(value)):
            yield Violation(f"{path}.{key}", value, ",".join(errors), "crd-names")
    for key, value in (("kind", kind), ("listKind", list_kind)):
        if value and (errors := _rules.is_dns1035_label(value.lower())):
            yield Violation(f"{path}.{key}", value, _MIXED_CASE + ",".join(errors), "crd-names")
    for key in ("shortNames", "categories"):
        values = names.get(key)
        for index, value in enumerate(values if isinstance(values, list) else []):
            if isinstance(value, str) and (errors := _rules.is_dns1035_label(value)):
                yield Violation(f"{path}.{key}[{index}]", value, ",".join(errors), "crd-names")
    if kind and kind == list_kind:
        reason = "kind and listKind may not be the same"
        yield Violation(f"{path}.listKind", list_kind, reason, "crd-names")


def _alike(versions: list[tuple[str, Obj]], key: str) -> bool:
    """Whether every version has the same `key` (the server moves it to the top then)."""
    return all(version.get(key) == versions[0][1].get(key) for _, version in versions)


def _versions(spec: Obj) -> Iterator[Violation]:
    from podgen._checking.checks_crd_schema import check_schema, has_defaults

    versions = list(items_at(spec, "versions", "spec"))
    seen: set[str] = set()
    unique = True
    for path, version in versions:
        name = version.get("name")
        unique = unique and str(name) not in seen
        seen.add(str(name))
        if errors := _rules.is_dns1035_label(name if isinstance(name, str) else ""):
            yield Violation(f"{path}.name", name, ",".join(errors), "crd-versions")
        yield from _deprecation(version, path)
    names = [version.get("name") for _, version in versions]
    if not unique:
        yield Violation("spec.versions", names, "must contain unique version names", "crd-versions")
    if sum(version.get("storage") is True for _, version in versions) != 1:
        reason = "must have exactly one version marked as storage version"
        yield Violation("spec.versions", names, reason, "crd-versions")
    if not versions:
        return
    for path, version in versions:
        schema = version.get("schema")
        if not isinstance(schema, Mapping) or schema.get("openAPIV3Schema") is None:
            at = f"{path}.schema.openAPIV3Schema"
            yield Violation(at, None, "Required value", "crd-schema")
    status = [isinstance(_subresources(v).get("status"), Mapping) for _, v in versions]
    if spec.get("preserveUnknownFields") is True and has_defaults(versions):
        reason = "must be false in order to use defaults in the schema"
        yield Violation("spec.preserveUnknownFields", True, reason, "crd-preserve-unknown-fields")
    schemas = versions[:1] if _alike(versions, "schema") else versions
    for index, (path, version) in enumerate(schemas):
        schema = version.get("schema")
        if isinstance(schema, Mapping) and isinstance(schema.get("openAPIV3Schema"), Mapping):
            with_status = any(status) if len(schemas) == 1 else status[index]
            at = f"{path}.schema.openAPIV3Schema"
            yield from check_schema(schema["openAPIV3Schema"], at, status=with_status)
    yield from _selectable_fields(versions)
    for path, version in versions[:1] if _alike(versions, "subresources") else versions:
        yield from _scale(_subresources(version).get("scale"), f"{path}.subresources.scale")
    for path, version in versions[:1] if _alike(versions, "additionalPrinterColumns") else versions:
        for column_path, column in items_at(version, "additionalPrinterColumns", path):
            yield from _column(column, column_path)


def _root_schema(version: Obj) -> Obj | None:
    schema = version.get("schema")
    root = schema.get("openAPIV3Schema") if isinstance(schema, Mapping) else None
    return root if isinstance(root, Mapping) else None


def _selectable_fields(versions: list[tuple[str, Obj]]) -> Iterator[Violation]:
    """The selectableFields, where the internal form has them.

    At the top when every version's are alike, and checked against the schema at the same
    level (or refused without one).
    """
    rule, top_schema = "crd-selectable-fields", _alike(versions, "schema")
    if _alike(versions, "selectableFields"):
        path, version = versions[0]
        if version.get("selectableFields"):
            if not top_schema:
                reason = "may only be set when validations.schema is included"
                yield Violation(f"{path}.selectableFields", "", reason, rule)
            else:
                yield from _selectable(version, _root_schema(version), path)
        return
    for path, version in versions:
        if not version.get("selectableFields"):
            continue
        if top_schema:
            reason = "may only be set when `version.schema.openAPIV3Schema` is not included"
            yield Violation(f"{path}.selectableFields", "", reason, rule)
        else:
            yield from _selectable(version, _root_schema(version), path)


def _selectable(version: Obj, schema: Obj | None, path: str) -> Iterator[Violation]:
    """ValidateCustomResourceSelectableFields: a scalar field of the schema, outside metadata."""
    from podgen._checking.checks_crd_structural import field_path_schema

    rule, seen = "crd-selectable-fields", set()
    for field_path, item in items_at(version, "selectableFields", path):
        json_path, at = item.get("jsonPath"), f"{field_path}.jsonPath"
        if not json_path:
            yield Violation(at, json_path, "Required value", rule)
            continue
        found, error = field_path_schema(str(json_path), schema or {}, arrays=False)
        if error:
            yield Violation(at, json_path, f"is an invalid path: {error}", rule)
            continue
        if str(json_path).split(".")[1] == "metadata":
            yield Violation(at, json_path, "must not point to fields in metadata", rule)
        if found is None or found.get("type") not in ("string", "boolean", "integer"):
            reason = (
                "must point to a field of type string, boolean or integer. Enum string fields "
                "and strings with formats are allowed."
            )
            yield Violation(at, json_path, reason, rule)
        if json_path in seen:
            yield Violation(at, json_path, "Duplicate value", rule)
        seen.add(json_path)
    if len(seen) > 8:
        reason = "Too many: must have at most 8 items"
        yield Violation(f"{path}.selectableFields", len(seen), reason, rule)


def _subresources(version: Obj) -> Obj:
    subresources = version.get("subresources")
    return subresources if isinstance(subresources, Mapping) else {}


def _deprecation(version: Obj, path: str) -> Iterator[Violation]:
    warning = version.get("deprecationWarning")
    if warning is None:
        return
    at = f"{path}.deprecationWarning"
    if version.get("deprecated") is not True:
        yield Violation(at, warning, "can only be set for deprecated versions", "crd-versions")
        return
    text = str(warning)
    if len(text.encode()) > 256:
        yield Violation(at, warning, "must be <= 256 characters long", "crd-versions")
    if not text:
        yield Violation(at, warning, "must not be an empty string", "crd-versions")
    for index, char in enumerate(text):
        if not char.isprintable():  # Go's IsPrint: a control character is not printable
            offset = len(text[:index].encode())
            reason = (
                "must only contain printable UTF-8 characters; "
                f"non-printable character found at index {offset}"
            )
            yield Violation(at, warning, reason, "crd-versions")
            break


def _simple_json_path(value: object, path: str, rule: str) -> Iterator[Violation]:
    """validateSimpleJSONPath: a path in the dot notation, starting with `.`."""
    if not isinstance(value, str) or not value:
        yield Violation(path, value, "must not be empty", rule)
    elif not value.startswith("."):
        yield Violation(path, value, "must be a simple json path starting with .", rule)


def _scale(scale: object, path: str) -> Iterator[Violation]:
    if not isinstance(scale, Mapping):
        return
    for key, under in (("specReplicasPath", ".spec."), ("statusReplicasPath", ".status.")):
        value = scale.get(key)
        if not value:
            yield Violation(f"{path}.{key}", value, "Required value", "crd-subresources")
            continue
        found = list(_simple_json_path(value, f"{path}.{key}", "crd-subresources"))
        yield from found
        if not found and not str(value).startswith(under):
            reason = f"should be a json path under {under[:-1]}"
            yield Violation(f"{path}.{key}", value, reason, "crd-subresources")
    selector = scale.get("labelSelectorPath")
    if selector:
        found = list(_simple_json_path(selector, f"{path}.labelSelectorPath", "crd-subresources"))
        yield from found
        if not found and not str(selector).startswith((".spec.", ".status.")):
            reason = "should be a json path under either .spec or .status"
            yield Violation(f"{path}.labelSelectorPath", selector, reason, "crd-subresources")


def _column(column: Obj, path: str) -> Iterator[Violation]:
    """ValidateCustomResourceColumnDefinition."""
    rule = "crd-printer-column"
    if not column.get("name"):
        yield Violation(f"{path}.name", column.get("name"), "Required value", rule)
    kind = column.get("type")
    types = f"must be one of {','.join(_PRINTER_COLUMN_TYPES)}"
    if not kind:
        yield Violation(f"{path}.type", kind, f"Required value: {types}", rule)
    elif kind not in _PRINTER_COLUMN_TYPES:
        yield Violation(f"{path}.type", kind, types, rule)
    form = column.get("format")
    if form and form not in _PRINTER_COLUMN_FORMATS:
        reason = f"must be one of {','.join(_PRINTER_COLUMN_FORMATS)}"
        yield Violation(f"{path}.format", form, reason, rule)
    if not column.get("jsonPath"):
        yield Violation(f"{path}.jsonPath", column.get("jsonPath"), "Required value", rule)
    else:
        yield from _simple_json_path(column["jsonPath"], f"{path}.jsonPath", rule)


def _conversion(spec: Obj) -> Iterator[Violation]:
    """The conversion (validateCustomResourceConversion); v1 defaults no blank strategy."""
    conversion = spec.get("conversion")
    if not isinstance(conversion, Mapping):
        return
    rule, path = "crd-conversion", "spec.conversion"
    strategy = conversion.get("strategy")
    webhook = conversion.get("webhook")
    webhook = webhook if isinstance(webhook, Mapping) else {}
    config, versions = webhook.get("clientConfig"), webhook.get("conversionReviewVersions")
    if not strategy:
        yield Violation(f"{path}.strategy", strategy, "Required value", rule)
    elif strategy not in ("None", "Webhook"):
        reason = 'supported values: "None", "Webhook"'
        yield Violation(f"{path}.strategy", strategy, reason, rule)
    if strategy == "Webhook" and spec.get("preserveUnknownFields") is True:
        reason = "must be None if spec.preserveUnknownFields is true"
        yield Violation(f"{path}.strategy", strategy, reason, rule)
    if strategy != "Webhook":
        why = "Forbidden: should not be set when strategy is not set to Webhook"
        if config is not None:
            yield Violation(f"{path}.webhook.clientConfig", config, why, rule)
        if versions:
            yield Violation(f"{path}.webhook.conversionReviewVersions", versions, why, rule)
        return
    if not isinstance(config, Mapping):
        reason = "Required value: required when strategy is set to Webhook"
        yield Violation(f"{path}.webhook.clientConfig", config, reason, rule)
    else:
        yield from _client_config(config, f"{path}.webhook.clientConfig")
    yield from _review_versions(versions, f"{path}.webhook.conversionReviewVersions")


def _client_config(config: Obj, path: str) -> Iterator[Violation]:
    from urllib.parse import urlsplit  # only for a CRD with a conversion webhook

    rule = "crd-conversion"
    url, service = config.get("url"), config.get("service")
    if (url is None) == (service is None):
        reason = "Required value: exactly one of url or service is required"
        yield Violation(path, None, reason, rule)
    elif isinstance(url, str):
        form = "; desired format: https://host[/path]"
        try:
            parts = urlsplit(url)
        except ValueError as error:
            yield Violation(f"{path}.url", url, f"url must be a valid URL: {error}{form}", rule)
            return
        if parts.scheme != "https":
            reason = f"'https' is the only allowed URL scheme{form}"
            yield Violation(f"{path}.url", parts.scheme, reason, rule)
        if not parts.netloc:
            yield Violation(f"{path}.url", "", f"host must be specified{form}", rule)
        if "@" in parts.netloc:
            reason = "user information is not permitted in the URL"
            yield Violation(f"{path}.url", parts.netloc.rpartition("@")[0], reason, rule)
        if parts.fragment:
            reason = "fragments are not permitted in the URL"
            yield Violation(f"{path}.url", parts.fragment, reason, rule)
        if parts.query:
            reason = "query parameters are not permitted in the URL"
            yield Violation(f"{path}.url", parts.query, reason, rule)
    elif isinstance(service, Mapping):
        yield from _service(service, f"{path}.service")


def _service(service: Obj, path: str) -> Iterator[Violation]:
    """ValidateWebhookService, as the CRD calls it: with name and namespace swapped."""
    rule = "crd-conversion"
    if not service.get("namespace"):
        yield Violation(f"{path}.name", None, "Required value", rule)
    if not service.get("name"):
        yield Violation(f"{path}.namespace", None, "Required value", rule)
    port = service.get("port", 443)
    if is_int(port) and not 1 <= port <= 65535:
        reason = "port is not valid: must be between 1 and 65535, inclusive"
        yield Violation(f"{path}.port", port, reason, rule)
    url_path = service.get("path")
    if not isinstance(url_path, str) or url_path in ("", "/"):
        return
    if url_path == "//":
        yield Violation(f"{path}.path", url_path, "segment[0] may not be empty", rule)
        return
    if not url_path.startswith("/"):
        yield Violation(f"{path}.path", url_path, "must start with a '/'", rule)
    steps = url_path[1:].removesuffix("/").split("/")
    for index, step in enumerate(steps):
        if not step:
            reason = f"segment[{index}] may not be empty"
            yield Violation(f"{path}.path", url_path, reason, rule)
        for error in _rules.is_dns1123_subdomain(step) if step else []:
            yield Violation(f"{path}.path", url_path, f"segment[{index}]: {error}", rule)


def _review_versions(versions: object, path: str) -> Iterator[Violation]:
    rule = "crd-conversion"
    if not isinstance(versions, list) or not versions:
        yield Violation(path, versions, "Required value", rule)
        return
    seen: set[str] = set()
    for index, version in enumerate(versions):
        text = str(version)
        if text in seen:
            yield Violation(f"{path}[{index}]", version, "duplicate version", rule)
            continue
        seen.add(text)
        for error in _rules.is_dns1035_label(text):
            yield Violation(f"{path}[{index}]", version, error, rule)
    if not seen & set(_REVIEW_VERSIONS):
        reason = f"must include at least one of {', '.join(_REVIEW_VERSIONS)}"
        yield Violation(path, versions, reason, rule)


def _approval(group: str, annotations: object) -> Iterator[Violation]:
    """validateAPIApproval: groups under k8s.io and kubernetes.io need the annotation."""
    protected = any(group == d or group.endswith("." + d) for d in ("k8s.io", "kubernetes.io"))
    if not protected:
        return
    value = annotations.get(_APPROVAL) if isinstance(annotations, Mapping) else None
    value = value if isinstance(value, str) else ""
    path = f"metadata.annotations[{_APPROVAL}]"
    if not value:
        reason = f'Required value: protected groups must have approval annotation "{_APPROVAL}"'
        yield Violation(path, None, f"{reason}, {_APPROVAL_SEE}", "crd-api-approval")
        return
    if value.startswith("unapproved"):
        return
    from urllib.parse import urlsplit  # only for a CRD of a protected group

    parts = urlsplit(value) if value.startswith("/") or "://" in value else None
    if parts is None or not parts.scheme or not parts.netloc:
        reason = (
            f'protected groups must have approval annotation "{_APPROVAL}" with either a URL '
            f'or a reason starting with "unapproved", {_APPROVAL_SEE}'
        )
        yield Violation(path, value, reason, "crd-api-approval")
