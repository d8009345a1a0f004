"""The API server's rules for configuration, storage and the cluster's policy objects.

ConfigMaps, Secrets, PersistentVolumeClaims (and a StatefulSet's claim templates, through
`check_claim_spec`), Namespaces, ServiceAccounts, StorageClasses, PriorityClasses, LimitRanges
and ResourceQuotas: pkg/apis/core, storage and scheduling validation, with their messages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from podgen._checking import checks_quota
from podgen._checking import rules as _rules
from podgen._checking.checks_base import (
    KindRules,
    Obj,
    Violation,
    check_enum,
    check_finalizers,
    check_labels,
    check_rule,
    is_int,
)

#: core.MaxSecretSize: a ConfigMap's or a Secret's data, all keys together.
MAX_DATA_SIZE = 1024 * 1024
_TOO_LONG = f"Too long: may not be more than {MAX_DATA_SIZE} bytes"
_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def base64_error(text: str) -> int | None:
    """Where Go's base64.StdEncoding stops on `text` (a JSON []byte), or None if it decodes.

    The API server decodes a Secret's `data` and a ConfigMap's `binaryData` this way before any
    rule runs, so a bad value is refused with `illegal base64 data at input byte N`.
    """
    si, size = 0, len(text)
    while True:
        j = 0
        while j < 4:
            if si == size:
                return None if j == 0 else si - j
            char = text[si]
            si += 1
            if char in _BASE64:
                j += 1
                continue
            if char in "\r\n":
                continue
            if char != "=" or j < 2:
                return si - 1
            if j == 2:  # "==" expected: the first "=" is read
                while si < size and text[si] in "\r\n":
                    si += 1
                if si == size:
                    return size
                if text[si] != "=":
                    return si - 1
                si += 1
            while si < size and text[si] in "\r\n":
                si += 1
            return si if si < size else None


def _decoded_size(text: str) -> int:
    body = text.replace("\r", "").replace("\n", "").rstrip("=")
    return len(body) * 3 // 4


def _data(obj: Obj, key: str) -> Iterator[Violation]:
    """A base64 map's values, as strict decoding reads them."""
    values = obj.get(key)
    if isinstance(values, Mapping):
        for name, value in values.items():
            at = base64_error(value) if isinstance(value, str) else None
            if at is not None:
                yield Violation(
                    f"{key}[{name}]",
                    value,
                    f"illegal base64 data at input byte {at}",
                    "data-base64",
                )


def _keys(values: object, path: str) -> Iterator[Violation]:
    if isinstance(values, Mapping):
        for key in values:
            reasons = _rules.is_config_map_key(str(key))
            yield from check_rule(f"{path}[{key}]", key, reasons, "data-key")


def _config_map(obj: Obj) -> Iterator[Violation]:
    yield from _data(obj, "binaryData")
    data, binary = obj.get("data") or {}, obj.get("binaryData") or {}
    yield from _keys(data, "data")
    yield from _keys(binary, "binaryData")
    for key in data:
        if key in binary:
            yield Violation(
                f"data[{key}]", key, "duplicate of key present in binaryData", "data-key"
            )
            yield Violation(
                f"binaryData[{key}]", key, "duplicate of key present in data", "data-key"
            )
    size = sum(len(str(v).encode()) for v in data.values())
    size += sum(_decoded_size(str(v)) for v in binary.values())
    if size > MAX_DATA_SIZE:
        yield Violation("<document>", f"<{size} bytes>", _TOO_LONG, "data-size")


#: Each Secret type's required data keys (ValidateSecret).
_SECRET_KEYS = {
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
    "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/dockercfg": (".dockercfg",),
}


_SSH_KEY = "ssh-privatekey"


def _secret(obj: Obj) -> Iterator[Violation]:
    yield from _data(obj, "data")
    if any(v.rule == "data-base64" for v in _data(obj, "data")):
        return  # refused at decoding: no rule runs
    import base64

    # stringData is merged over data before validation.
    data = {str(k): str(v) for k, v in (obj.get("data") or {}).items()}
    plain = {str(k): str(v) for k, v in (obj.get("stringData") or {}).items()}
    keys = {**data, **plain}
    yield from _keys(keys, "data")
    size = sum(_decoded_size(v) for k, v in data.items() if k not in plain)
    size += sum(len(v.encode()) for v in plain.values())
    if size > MAX_DATA_SIZE:
        yield Violation("data", "", _TOO_LONG, "data-size")
    kind = obj.get("type")
    if kind == "kubernetes.io/service-account-token":
        annotations = (obj.get("metadata") or {}).get("annotations") or {}
        if not annotations.get("kubernetes.io/service-account.name"):
            where = "metadata.annotations[kubernetes.io/service-account.name]"
            yield Violation(where, "", "Required value", "secret-type-keys")
    elif kind == "kubernetes.io/basic-auth":
        if "username" not in keys and "password" not in keys:
            for key in ("username", "password"):
                yield Violation(f"data[{key}]", "", "Required value", "secret-type-keys")
    elif kind == "kubernetes.io/ssh-auth" and not (
        plain.get(_SSH_KEY) or _decoded_size(data.get(_SSH_KEY, ""))
    ):
        yield Violation(f"data[{_SSH_KEY}]", "", "Required value", "secret-type-keys")
    if kind == "kubernetes.io/tls" and "tls.crt" in keys and "tls.key" in keys:
        yield from _tls_pem(plain, data)
    for key in _SECRET_KEYS.get(str(kind), ()):
        if key not in keys:
            yield Violation(f"data[{key}]", "", "Required value", "secret-type-keys")
        elif key.startswith(".docker"):
            content = plain[key].encode() if key in plain else base64.b64decode(data[key])
            try:
                parsed = json.loads(content)
            except ValueError as error:
                yield Violation(
                    f"data[{key}]", "<secret contents redacted>", str(error), "secret-type-keys"
                )
            else:
                if not isinstance(parsed, dict):
                    yield Violation(
                        f"data[{key}]",
                        "<secret contents redacted>",
                        "must be a JSON object",
                        "secret-type-keys",
                    )


_ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")


def _class_name(spec: Obj, key: str, path: str, rule: str) -> Iterator[Violation]:
    value = spec.get(key)
    if isinstance(value, str) and value:
        yield from check_rule(f"{path}.{key}", value, _rules.is_dns1123_subdomain(value), rule)


def check_claim_spec(spec: Obj, path: str) -> Iterator[Violation]:
    """ValidatePersistentVolumeClaimSpec: a PVC's spec, or a claim template's."""
    modes = spec.get("accessModes") or []
    if not modes:
        yield Violation(
            f"{path}.accessModes",
            modes,
            "Required value: at least 1 access mode is required",
            "pvc-access-modes",
        )
    for mode in modes:
        if mode not in _ACCESS_MODES:
            quoted = ", ".join(f'"{m}"' for m in _ACCESS_MODES)
            yield Violation(
                f"{path}.accessModes", mode, f"supported values: {quoted}", "pvc-access-modes"
            )
    if "ReadWriteOncePod" in modes and len(modes) > 1:
        yield Violation(
            f"{path}.accessModes",
            modes,
            "Forbidden: may not use ReadWriteOncePod with other access modes",
            "pvc-access-modes",
        )
    requests = (spec.get("resources") or {}).get("requests") or {}
    where = f"{path}.resources[storage]"
    if "storage" not in requests:
        yield Violation(where, "", "Required value", "pvc-storage")
    else:
        amount = _rules.quantity_value(str(requests["storage"]).strip())
        if amount is not None and amount <= 0:
            yield Violation(where, requests["storage"], "must be greater than zero", "pvc-storage")
    yield from _class_name(spec, "storageClassName", path, "pvc-class-name")
    yield from _class_name(spec, "volumeAttributesClassName", path, "pvc-class-name")
    yield from check_enum(spec, "volumeMode", path, ("Block", "Filesystem"), "pvc-volume-mode")
    selector = spec.get("selector")
    if isinstance(selector, Mapping):
        yield from check_labels(
            selector.get("matchLabels"), f"{path}.selector.matchLabels", "label"
        )
    yield from _data_sources(spec, path)


def _data_sources(spec: Obj, path: str) -> Iterator[Violation]:
    """DataSource and dataSourceRef, as the API server normalizes then validates them."""
    source, ref = spec.get("dataSource"), spec.get("dataSourceRef")
    if isinstance(source, Mapping):
        group, kind = source.get("apiGroup") or "", source.get("kind")
        if not (
            (kind == "PersistentVolumeClaim" and not group)
            or (kind == "VolumeSnapshot" and group == "snapshot.storage.k8s.io")
        ):
            source = None  # a source the API server does not know is dropped, not refused
    if not isinstance(ref, Mapping):
        ref = None
    if source is not None and ref is not None:
        if not ref.get("namespace") and any(
            (source.get(k) or "") != (ref.get(k) or "") for k in ("apiGroup", "kind", "name")
        ):
            yield Violation(path, "dataSource", "must match dataSourceRef", "pvc-data-source")
        elif ref.get("namespace"):
            yield Violation(
                path,
                "dataSource",
                "may not be specified when dataSourceRef.namespace is specified",
                "pvc-data-source",
            )
    elif source is None and ref is not None and not ref.get("namespace"):
        source = ref  # the API server copies one into the other
    elif ref is None:
        ref = source
    for key, value in (("dataSource", source), ("dataSourceRef", ref)):
        if value is None:
            continue
        where = f"{path}.{key}"
        for field in ("name", "kind"):
            if not value.get(field):
                yield Violation(f"{where}.{field}", "", "Required value", "pvc-data-source")
        group = value.get("apiGroup") or ""
        if not group and value.get("kind") != "PersistentVolumeClaim":
            yield Violation(
                where,
                value.get("kind") or "",
                "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
                "pvc-data-source",
            )
        elif group:
            reasons = _rules.is_dns1123_subdomain(group)
            yield from check_rule(f"{where}.apiGroup", group, reasons, "pvc-data-source")


def _claim(obj: Obj) -> Iterator[Violation]:
    spec = obj.get("spec")
    yield from check_claim_spec(spec if isinstance(spec, Mapping) else {}, "spec")


def _namespace(obj: Obj) -> Iterator[Violation]:
    finalizers = (obj.get("spec") or {}).get("finalizers")
    for violation in check_finalizers(finalizers, "spec.finalizers"):
        # validateFinalizerName reports each at the list, not at its index
        yield violation._replace(path="spec.finalizers")


#: scheduling.HighestUserDefinablePriority and the two system classes.
_HIGHEST_USER_PRIORITY = 1_000_000_000
_SYSTEM_CLASSES = {"system-cluster-critical": 2_000_000_000, "system-node-critical": 2_000_001_000}


def _priority_class(obj: Obj) -> Iterator[Violation]:
    name = str((obj.get("metadata") or {}).get("name") or "")
    value = obj.get("value")
    if name.startswith("system-"):
        if name not in _SYSTEM_CLASSES:
            why = f"{name} is not a known system priority class"
        elif value != _SYSTEM_CLASSES[name]:
            why = f"value of {name} PriorityClass must be {_SYSTEM_CLASSES[name]}"
        elif obj.get("globalDefault"):
            why = f"globalDefault of {name} PriorityClass must be false"
        else:
            return
        yield Violation(
            "metadata.name",
            name,
            "Forbidden: priority class names with 'system-' prefix are reserved for system use "
            f"only. error: {why}",
            "priority-class-system",
        )
    elif is_int(value) and value > _HIGHEST_USER_PRIORITY:
        yield Violation(
            "value",
            value,
            "Forbidden: maximum allowed value of a user defined priority is "
            f"{_HIGHEST_USER_PRIORITY}",
            "priority-class-value",
        )
    yield from _enum(
        obj, "preemptionPolicy", ("PreemptLowerPriority", "Never"), "preemption-policy"
    )


def _storage_class(obj: Obj) -> Iterator[Violation]:
    provisioner = obj.get("provisioner")
    if not provisioner:
        yield Violation("provisioner", provisioner, "Required value", "storage-class-provisioner")
    elif isinstance(provisioner, str):
        reasons = _rules.is_qualified_name(provisioner.lower())
        yield from check_rule(
            "provisioner", provisioner.lower(), reasons, "storage-class-provisioner"
        )
    parameters = obj.get("parameters") or {}
    if "" in parameters:
        yield Violation("parameters", "", "field can not be empty.", "storage-class-parameters")
    size = sum(len(str(k)) + len(str(v)) for k, v in parameters.items())
    if len(parameters) > 512 or size > 256 * 1024:
        yield Violation(
            "parameters",
            f"<{size} bytes>",
            "Too long: too many parameters",
            "storage-class-parameters",
        )
    yield from _enum(obj, "reclaimPolicy", ("Delete", "Retain"), "storage-class-policy")
    modes = ("Immediate", "WaitForFirstConsumer")
    yield from _enum(obj, "volumeBindingMode", modes, "storage-class-policy")
    for index, term in enumerate(obj.get("allowedTopologies") or []):
        for number, requirement in enumerate((term or {}).get("matchLabelExpressions") or []):
            if not requirement.get("values"):
                where = f"allowedTopologies[{index}].matchLabelExpressions[{number}].values"
                yield Violation(where, [], "Required value", "storage-class-topology")


def _enum(obj: Obj, key: str, allowed: tuple[str, ...], rule: str) -> Iterator[Violation]:
    for violation in check_enum(obj, key, "", allowed, rule):
        yield violation._replace(path=key)


#: The kinds this module checks: their name rules and the rules on their fields.
KINDS: dict[tuple[str, str], KindRules] = {
    ("v1", "ConfigMap"): KindRules(_rules.is_dns1123_subdomain, _config_map),
    ("v1", "Secret"): KindRules(_rules.is_dns1123_subdomain, _secret),
    ("v1", "PersistentVolumeClaim"): KindRules(_rules.is_dns1123_subdomain, _claim),
    ("v1", "Namespace"): KindRules(_rules.is_dns1123_label, _namespace),
    ("v1", "ServiceAccount"): KindRules(_rules.is_dns1123_subdomain),
    **checks_quota.KINDS,
    ("storage.k8s.io/v1", "StorageClass"): KindRules(_rules.is_dns1123_subdomain, _storage_class),
    ("scheduling.k8s.io/v1", "PriorityClass"): KindRules(
        _rules.is_dns1123_subdomain, _priority_class
    ),
}


def _tls_pem(plain: dict[str, str], data: dict[str, str]) -> Iterator[Violation]:
    """warningsForSecret: a TLS certificate or key with no PEM block, an API warning.

    The server takes the Secret and warns in crypto/tls's words; nothing can serve with it.
    """
    import base64

    for key, what in (("tls.crt", "certificate"), ("tls.key", "key")):
        content = plain[key].encode() if key in plain else base64.b64decode(data[key])
        if b"-----BEGIN" not in content:
            yield Violation(
                f"data[{key}]",
                "<secret contents redacted>",
                f"tls: failed to find any PEM data in {what} input",
                "secret-tls-pem",
                warning=True,
            )
            return
