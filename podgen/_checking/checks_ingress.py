"""The API server's rules for Ingresses and IngressClasses (networking.k8s.io/v1).

Ports from pkg/apis/networking/validation (ValidateIngressCreate, ValidateIngressClass).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import KindRules, Obj, Violation, check_rule, is_int, items_at
from podgen._checking.feature_gates import enabled

_PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")
_BAD_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_BAD_SUFFIXES = ("/..", "/.")
_WILDCARD = r"\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
_WILDCARD_RE = re.compile(_WILDCARD)
_HTTP_PATH = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"
_HTTP_PATH_RE = re.compile(_HTTP_PATH)
_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
#: IngressClass's spec.controller is at most this long.
_CONTROLLER_MAX = 250


def _wildcard_subdomain(value: str) -> list[str]:
    """IsWildcardDNS1123Subdomain: `*.` and then a DNS subdomain."""
    errors = []
    if len(value) > 253:
        errors.append("must be no more than 253 characters")
    if not _WILDCARD_RE.fullmatch(value):
        errors.append(
            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS "
            "subdomain, which must consist of lower case alphanumeric characters, '-' or '.' "
            f"and end with an alphanumeric character (e.g. '*.example.com', regex used for "
            f"validation is '{_WILDCARD}')"
        )
    return errors


def _host(host: str) -> list[str]:
    """A host or TLS host: a DNS subdomain, or one with a leading `*.` label."""
    return _wildcard_subdomain(host) if "*" in host else _rules.is_dns1123_subdomain(host)


def _path_segment(value: str) -> list[str]:
    """content.IsPathSegmentName: a name that can be one segment of a URL path."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return [f"may not contain '{bad}'" for bad in ("/", "%") if bad in value]


def _ingress(obj: Obj) -> Iterator[Violation]:
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        spec = {}
    rules = spec.get("rules") or []
    backend = spec.get("defaultBackend")
    if not rules and backend is None:
        yield Violation(
            "spec", None, "either `defaultBackend` or `rules` must be specified", "ingress-rules"
        )
    if isinstance(backend, Mapping):
        yield from _backend(backend, "spec.defaultBackend")
    for rule_path, rule in items_at(spec, "rules", "spec"):
        host = rule.get("host")
        if isinstance(host, str) and host:
            if _rules.parse_ip_sloppy(host)[0] is not None:
                yield Violation(
                    f"{rule_path}.host",
                    host,
                    "must be a DNS name, not an IP address",
                    "ingress-host",
                )
            yield from check_rule(f"{rule_path}.host", host, _host(host), "ingress-host")
        http = rule.get("http")
        if isinstance(http, Mapping):
            if not http.get("paths"):
                yield Violation(
                    f"{rule_path}.http.paths", None, "Required value", "ingress-paths-required"
                )
            for path_path, path in items_at(http, "paths", f"{rule_path}.http"):
                yield from _http_path(path, path_path)
    for tls_path, tls in items_at(spec, "tls", "spec"):
        hosts = tls.get("hosts")
        for index, host in enumerate(hosts if isinstance(hosts, list) else []):
            if isinstance(host, str):
                yield from check_rule(
                    f"{tls_path}.hosts[{index}]", host, _host(host), "ingress-tls-host"
                )
        secret = tls.get("secretName")
        if isinstance(secret, str) and secret:
            yield from check_rule(
                f"{tls_path}.secretName",
                secret,
                _rules.is_dns1123_subdomain(secret),
                "ingress-tls-secret",
            )
    class_name = spec.get("ingressClassName")
    if isinstance(class_name, str):
        yield from check_rule(
            "spec.ingressClassName",
            class_name,
            _rules.is_dns1123_subdomain(class_name),
            "ingress-class-name",
        )
        annotations = obj["metadata"].get("annotations")
        annotation = (
            annotations.get(_CLASS_ANNOTATION) if isinstance(annotations, Mapping) else None
        )
        if annotation is not None and annotation != class_name:
            yield Violation(
                f"annotations.{_CLASS_ANNOTATION}",
                annotation,
                "must match `ingressClassName` when both are specified",
                "ingress-class-name",
            )


def _http_path(path: Obj, where: str) -> Iterator[Violation]:
    """One HTTP path: its pathType, the path that type needs, and its backend."""
    path_type = path.get("pathType")
    text = path.get("path") or ""
    if path_type is None:
        yield Violation(
            f"{where}.pathType",
            None,
            "Required value: pathType must be specified",
            "ingress-path-type",
        )
        return  # the API server stops at this path: its backend goes unchecked
    if path_type in ("Exact", "Prefix"):
        if not text.startswith("/"):
            yield Violation(f"{where}.path", text, "must be an absolute path", "ingress-path")
        for bad in _BAD_SEQUENCES:
            if bad in text:
                yield Violation(f"{where}.path", text, f"must not contain '{bad}'", "ingress-path")
        for bad in _BAD_SUFFIXES:
            if text.endswith(bad):
                yield Violation(f"{where}.path", text, f"cannot end with '{bad}'", "ingress-path")
    elif path_type == "ImplementationSpecific":
        if text and not text.startswith("/"):
            yield Violation(f"{where}.path", text, "must be an absolute path", "ingress-path")
    else:
        quoted = ", ".join(f'"{t}"' for t in _PATH_TYPES)
        yield Violation(
            f"{where}.pathType",
            path_type,
            f"Unsupported value: supported values: {quoted}",
            "ingress-path-type",
        )
    backend = path.get("backend")
    yield from _backend(backend if isinstance(backend, Mapping) else {}, f"{where}.backend")


def _backend(backend: Obj, where: str) -> Iterator[Violation]:
    """validateIngressBackend: one of service and resource; a service's name and port."""
    service, resource = backend.get("service"), backend.get("resource")
    if service is not None and resource is not None:
        yield Violation(
            where, "", "cannot set both resource and service backends", "ingress-backend"
        )
    elif isinstance(resource, Mapping):
        yield from _typed_reference(resource, f"{where}.resource", "ingress-backend")
    elif isinstance(service, Mapping):
        name = service.get("name")
        if not name:
            yield Violation(f"{where}.service.name", "", "Required value", "ingress-backend")
        elif isinstance(name, str):
            # A DNS label since the RelaxedServiceNameValidation gate (on from 1.36), a
            # Service's own name rule (RFC 1035) before.
            relaxed = enabled("RelaxedServiceNameValidation")
            reasons = _rules.is_dns1123_label(name) if relaxed else _rules.is_dns1035_label(name)
            yield from check_rule(f"{where}.service.name", name, reasons, "ingress-backend")
        port = service.get("port")
        port = port if isinstance(port, Mapping) else {}
        port_name, number = port.get("name") or "", port.get("number") or 0
        if port_name and number:
            yield Violation(
                where, "", "cannot set both port name & port number", "ingress-backend-port"
            )
        elif isinstance(port_name, str) and port_name:
            yield from check_rule(
                f"{where}.service.port.name",
                port_name,
                _rules.is_valid_port_name(port_name),
                "ingress-backend-port",
            )
        elif is_int(number) and number:
            yield from check_rule(
                f"{where}.service.port.number",
                number,
                _rules.is_valid_port_num(number),
                "ingress-backend-port",
            )
        else:
            yield Violation(
                where,
                None,
                "Required value: port name or number is required",
                "ingress-backend-port",
            )
    else:
        yield Violation(where, "", "resource or service backend is required", "ingress-backend")


def _typed_reference(ref: Obj, where: str, rule: str) -> Iterator[Violation]:
    """A reference by apiGroup, kind and name (a resource backend, a class's parameters)."""
    group = ref.get("apiGroup")
    if isinstance(group, str):
        yield from check_rule(f"{where}.apiGroup", group, _rules.is_dns1123_subdomain(group), rule)
    for key in ("kind", "name"):
        value = ref.get(key)
        if not value:
            yield Violation(f"{where}.{key}", "", "Required value", rule)
        elif isinstance(value, str):
            yield from check_rule(f"{where}.{key}", value, _path_segment(value), rule)


def _ingress_class(obj: Obj) -> Iterator[Violation]:
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        spec = {}
    controller = spec.get("controller")
    if not controller:
        yield Violation("spec.controller", "", "Required value", "ingressclass-controller")
    elif isinstance(controller, str):
        yield from _domain_prefixed_path(controller, "spec.controller")
    parameters = spec.get("parameters")
    if not isinstance(parameters, Mapping):
        return
    where, rule = "spec.parameters", "ingressclass-parameters"
    yield from _typed_reference(parameters, where, rule)
    scope = parameters.get("scope")
    if scope is None:
        scope = "Cluster"  # the server defaults it (SetDefaults_IngressClass) before validation
    namespace = parameters.get("namespace")
    if scope not in ("Cluster", "Namespace"):
        yield Violation(
            f"{where}.scope",
            scope,
            'Unsupported value: supported values: "Cluster", "Namespace"',
            rule,
        )
    elif scope == "Namespace" and namespace is None:
        yield Violation(
            f"{where}.namespace",
            None,
            "Required value: `parameters.scope` is set to 'Namespace'",
            rule,
        )
    elif scope == "Namespace" and isinstance(namespace, str):
        yield from check_rule(
            f"{where}.namespace", namespace, _rules.is_dns1123_label(namespace), rule
        )
    elif scope == "Cluster" and namespace is not None:
        yield Violation(
            f"{where}.namespace",
            namespace,
            "Forbidden: `parameters.scope` is set to 'Cluster'",
            rule,
        )


def _domain_prefixed_path(value: str, where: str) -> Iterator[Violation]:
    """IsDomainPrefixedPath (and the length bound): `example.com/path`."""
    rule = "ingressclass-controller"
    if len(value) > _CONTROLLER_MAX:
        yield Violation(where, "", f"Too long: may not be more than {_CONTROLLER_MAX} bytes", rule)
    host, slash, path = value.partition("/")
    if not slash or not host or not path:
        yield Violation(
            where, value, 'must be a domain-prefixed path (such as "acme.io/foo")', rule
        )
        return
    yield from check_rule(where, host, _rules.is_dns1123_subdomain(host), rule)
    if not _HTTP_PATH_RE.fullmatch(path):
        yield Violation(
            where,
            path,
            f"Invalid path (regex used for validation is '{_HTTP_PATH}')",
            rule,
        )


#: The kinds this module checks: their name rules and the rules on their fields.
KINDS: dict[tuple[str, str], KindRules] = {
    ("networking.k8s.io/v1", "Ingress"): KindRules(_rules.is_dns1123_subdomain, _ingress),
    ("networking.k8s.io/v1", "IngressClass"): KindRules(
        _rules.is_dns1123_subdomain, _ingress_class
    ),
}
