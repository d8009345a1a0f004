"""CRDs with CEL rules in the shapes real operators use, and custom resources for each.

Written for podgen (group cel.podgen.test): an autoscaler, a certificate and a gateway here,
more in crd_cel_cases_more.py. Each kind has a valid object and objects one mistake
away from it, each mistake aimed at one rule or at one runtime error of a rule. The server is
the judge (tests/test_crd_cel.py); nothing here says what the answer is.
"""

from __future__ import annotations

import copy
from typing import Any

from tests import crd_builder as builder

Obj = dict[str, Any]
GROUP = "cel.podgen.test"
NULL = object()  #: a JSON null in a change (None deletes the field)


def rule(source: str, **extra: Any) -> Obj:
    """One x-kubernetes-validations entry."""
    return {"rule": source, **extra}


def string(max_length: int = 63, **extra: Any) -> Obj:
    return {"type": "string", "maxLength": max_length, **extra}


def integer(**extra: Any) -> Obj:
    return {"type": "integer", **extra}


def obj(properties: Obj, *rules: Obj, **extra: Any) -> Obj:
    node: Obj = {"type": "object", "properties": properties, **extra}
    if rules:
        node["x-kubernetes-validations"] = list(rules)
    return node


def array(items: Obj, *rules: Obj, max_items: int = 8, **extra: Any) -> Obj:
    node: Obj = {"type": "array", "maxItems": max_items, "items": items, **extra}
    if rules:
        node["x-kubernetes-validations"] = list(rules)
    return node


def crd(kind: str, spec: Obj, *root_rules: Obj) -> Obj:
    return builder.crd(GROUP, kind, schema=obj({"spec": spec}, *root_rules))


def resource(kind: str, name: str, spec: Obj) -> Obj:
    return {
        "apiVersion": f"{GROUP}/v1",
        "kind": kind,
        "metadata": {"name": name, "namespace": "default"},
        "spec": spec,
    }


def variants(kind: str, base: Obj, changes: list[Obj], name: str = "sample") -> list[Obj]:
    """The valid object, then one object per change (a dict merged into spec).

    None deletes a field, NULL sets it to null.
    """
    out = [resource(kind, name, copy.deepcopy(base))]
    for change in changes:
        spec = copy.deepcopy(base)
        for key, value in change.items():
            if key == "metadata.name":
                continue
            if value is None:
                spec.pop(key, None)
            elif value is NULL:
                spec[key] = None
            else:
                spec[key] = value
        out.append(resource(kind, change.get("metadata.name", name), spec))
    return out


AUTOSCALER = crd(
    "Autoscaler",
    obj(
        {
            "minReplicas": integer(),
            "maxReplicas": integer(),
            "targetCPU": integer(),
            "targetMemory": integer(),
            "mode": string(16),
            "scaleDown": obj({"stabilizationSeconds": integer(), "policy": string(16)}),
        },
        rule(
            "self.minReplicas <= self.maxReplicas",
            message="minReplicas must not exceed maxReplicas",
            fieldPath=".minReplicas",
        ),
        rule("!has(self.targetCPU) || (self.targetCPU > 0 && self.targetCPU <= 100)"),
        rule(
            "has(self.targetCPU) != has(self.targetMemory)",
            message="exactly one of targetCPU and targetMemory",
            reason="FieldValueRequired",
        ),
        rule(
            "self.mode in ['Auto', 'Manual', 'Off', 'Even']",
            reason="FieldValueForbidden",
            message="mode is not one podgen knows",
        ),
        rule("self.maxReplicas - self.minReplicas < 1000"),
        rule("self.maxReplicas * 1000 > 0", message="maxReplicas times a thousand"),
        rule("self.minReplicas % 2 == 0 || self.mode != 'Even'", reason="FieldValueDuplicate"),
        rule(
            "self.maxReplicas <= 50",
            messageExpression=(
                "'maxReplicas is ' + (self.maxReplicas > 100 ? 'far ' : '') + 'over 50'"
            ),
        ),
        rule("self.scaleDown.stabilizationSeconds >= 0", message="stabilization is not negative"),
        rule("self.mode == oldSelf.mode", message="mode is immutable"),
        rule(
            "!oldSelf.hasValue() || self.minReplicas >= oldSelf.value().minReplicas",
            optionalOldSelf=True,
            message="minReplicas only grows",
        ),
        rule(
            "oldSelf.hasValue() || self.mode != 'Off'",
            optionalOldSelf=True,
            messageExpression="'mode ' + oldSelf.orValue(self).mode + ' at creation'",
            message="a new autoscaler is not Off",
        ),
    ),
    rule("self.metadata.name.size() <= 20", message="name too long for an autoscaler"),
    rule("self.apiVersion == 'cel.podgen.test/v1' && self.kind == 'Autoscaler'"),
)
_AUTOSCALER_BASE: Obj = {
    "minReplicas": 2,
    "maxReplicas": 10,
    "targetCPU": 80,
    "mode": "Auto",
    "scaleDown": {"stabilizationSeconds": 300},
}
AUTOSCALERS = variants(
    "Autoscaler",
    _AUTOSCALER_BASE,
    [
        {"minReplicas": 11},
        {"targetCPU": 0},
        {"targetCPU": 101},
        {"targetMemory": 70},
        {"targetCPU": None},
        {"mode": "Sometimes"},
        {"mode": "Off"},
        {"maxReplicas": 2000, "minReplicas": 1},
        {"maxReplicas": 9223372036854775807},
        {"mode": "Even", "minReplicas": 3},
        {"maxReplicas": 60},
        {"maxReplicas": 200},
        {"scaleDown": {"stabilizationSeconds": -1}},
        {"scaleDown": {"policy": "Max"}},
        {"scaleDown": None},
        {"minReplicas": None},
        {"metadata.name": "a-name-far-too-long-for-it"},
    ],
)

_DNS = "^(\\\\*\\\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
CERTIFICATE = crd(
    "Certificate",
    obj(
        {
            "commonName": string(64, **{"x-kubernetes-validations": [rule("!self.contains(' ')")]}),
            "dnsNames": array(
                string(
                    253,
                    **{
                        "x-kubernetes-validations": [
                            rule(
                                f"self.matches('{_DNS}')",
                                message="must be a DNS name or a wildcard",
                            )
                        ]
                    },
                ),
                rule("self.all(n, !n.startsWith('*.') || size(n) > 3)"),
                max_items=16,
                **{"x-kubernetes-list-type": "set"},
            ),
            "usages": array(
                string(32),
                rule(
                    "self.all(u, u in ['digital signature', 'key encipherment', 'server auth', "
                    "'client auth'])"
                ),
                rule("self.all(u, self.exists_one(v, v == u))", message="usages must be unique"),
            ),
            "secretName": string(
                253,
                **{
                    "x-kubernetes-validations": [
                        rule("self.lowerAscii() == self", message="secretName must be lower case"),
                        rule("!self.endsWith('-')"),
                    ]
                },
            ),
            "issuerRef": obj(
                {"name": string(), "kind": string(), "group": string()},
                rule(
                    "self.kind in ['Issuer', 'ClusterIssuer'] || has(self.group)",
                    message="an issuer of another kind needs its group",
                ),
            ),
            "privateKey": obj(
                {"algorithm": string(16), "size": integer()},
                rule(
                    "self.algorithm != 'RSA' || self.size >= 2048",
                    fieldPath=".size",
                    message="RSA keys need 2048 bits",
                ),
                rule("self.algorithm == 'ECDSA' ? self.size in [256, 384, 521] : true"),
            ),
        },
        rule(
            "has(self.commonName) || size(self.dnsNames) > 0",
            message="one of commonName or dnsNames",
        ),
        rule(
            "!has(self.dnsNames) || self.dnsNames != ['localhost']",
            message="u-certificate: not only localhost",
        ),
    ),
)
_CERTIFICATE_BASE: Obj = {
    "commonName": "example.com",
    "dnsNames": ["example.com", "*.example.com"],
    "usages": ["server auth", "digital signature"],
    "secretName": "example-tls",
    "issuerRef": {"name": "letsencrypt", "kind": "ClusterIssuer"},
    "privateKey": {"algorithm": "RSA", "size": 4096},
}
CERTIFICATES = variants(
    "Certificate",
    _CERTIFICATE_BASE,
    [
        {"commonName": "example com"},
        {"dnsNames": ["Example.com"]},
        {"dnsNames": ["*."]},
        {"dnsNames": ["localhost"]},
        {"commonName": None, "dnsNames": None},
        {"commonName": None, "dnsNames": []},
        {"usages": ["server auth", "code signing"]},
        {"usages": ["server auth", "server auth"]},
        {"secretName": "Example-TLS"},
        {"secretName": "example-"},
        {"issuerRef": {"name": "vault", "kind": "VaultIssuer"}},
        {"issuerRef": {"name": "vault", "kind": "VaultIssuer", "group": "vault.example"}},
        {"privateKey": {"algorithm": "RSA", "size": 1024}},
        {"privateKey": {"algorithm": "ECDSA", "size": 4096}},
        {"privateKey": {"algorithm": "ECDSA", "size": 384}},
        {"privateKey": {"algorithm": "Ed25519"}},
        {"privateKey": {"algorithm": "RSA"}},
    ],
)

_LISTENER = obj(
    {
        "name": string(),
        "port": integer(),
        "protocol": string(8),
        "hostname": string(253),
        "tls": obj(
            {
                "mode": string(16),
                "certificateRefs": array(obj({"name": string()}), max_items=4),
            },
            rule(
                "self.mode == 'Passthrough' ? !has(self.certificateRefs) : "
                "size(self.certificateRefs) > 0",
                messageExpression="'tls mode ' + self.mode + ' does not fit its certificateRefs'",
            ),
        ),
    },
    rule("self.protocol in ['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP']"),
    rule(
        "self.protocol == 'HTTPS' ? has(self.tls) : true",
        message="tls is required for HTTPS",
        fieldPath=".tls",
        reason="FieldValueRequired",
    ),
    rule("!has(self.hostname) || self.hostname.matches('^(\\\\*\\\\.)?[a-z0-9.-]+$')"),
    required=["name", "port", "protocol"],
)
GATEWAY = crd(
    "Gateway",
    obj(
        {
            "gatewayClassName": string(
                253, **{"x-kubernetes-validations": [rule("self.size() > 0 && self.size() <= 63")]}
            ),
            "listeners": array(
                _LISTENER,
                rule("self.all(l, l.port >= 1 && l.port <= 65535)", message="port out of range"),
                rule(
                    "self.all(a, self.exists_one(b, a.port == b.port && "
                    "(has(a.hostname) ? a.hostname : '') == (has(b.hostname) ? b.hostname : '')))",
                    message="port and hostname combination must be unique",
                ),
                max_items=16,
                **{"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"]},
            ),
            "addresses": array(
                obj({"type": string(), "value": string(253)}),
                rule(
                    "self.all(a, a.type != 'IPAddress' || isIP(a.value))",
                    message="u-gateway: IPAddress values are IPs",
                ),
                max_items=4,
            ),
        },
        rule(
            "self.listeners.exists(l, l.protocol == 'HTTP' || l.protocol == 'HTTPS') || "
            "self.gatewayClassName.startsWith('l4-')",
            message="an L7 gateway needs HTTP",
        ),
        rule(
            "self.listeners.map(l, l.name).all(n, n.size() < 20)",
            message="u-gateway: listener names are short",
        ),
    ),
)
_GATEWAY_BASE: Obj = {
    "gatewayClassName": "istio",
    "listeners": [
        {"name": "http", "port": 80, "protocol": "HTTP"},
        {
            "name": "https",
            "port": 443,
            "protocol": "HTTPS",
            "hostname": "*.example.com",
            "tls": {"mode": "Terminate", "certificateRefs": [{"name": "wildcard"}]},
        },
    ],
    "addresses": [{"type": "IPAddress", "value": "10.0.0.1"}],
}
_HTTP = {"name": "http", "port": 80, "protocol": "HTTP"}
GATEWAYS = variants(
    "Gateway",
    _GATEWAY_BASE,
    [
        {"gatewayClassName": ""},
        {"listeners": [{"name": "http", "port": 0, "protocol": "HTTP"}]},
        {"listeners": [{"name": "http", "port": 70000, "protocol": "HTTP"}]},
        {"listeners": [_HTTP, {"name": "web", "port": 80, "protocol": "HTTP"}]},
        {"listeners": [_HTTP, {"name": "web", "port": 80, "protocol": "HTTP", "hostname": "a.b"}]},
        {"listeners": [_HTTP, {"name": "quic", "port": 443, "protocol": "QUIC"}]},
        {"listeners": [_HTTP, {"name": "https", "port": 443, "protocol": "HTTPS"}]},
        {"listeners": [_HTTP, {"name": "h", "port": 8080, "protocol": "HTTP", "hostname": "A.b"}]},
        {
            "listeners": [
                _HTTP,
                {
                    "name": "tls",
                    "port": 443,
                    "protocol": "TLS",
                    "tls": {"mode": "Passthrough", "certificateRefs": [{"name": "x"}]},
                },
            ]
        },
        {
            "listeners": [
                _HTTP,
                {
                    "name": "tls",
                    "port": 443,
                    "protocol": "TLS",
                    "tls": {"mode": "Terminate", "certificateRefs": []},
                },
            ]
        },
        {
            "listeners": [
                _HTTP,
                {"name": "tls", "port": 443, "protocol": "TLS", "tls": {"mode": "Terminate"}},
            ]
        },
        {"listeners": [{"name": "db", "port": 5432, "protocol": "TCP"}]},
        {
            "listeners": [{"name": "db", "port": 5432, "protocol": "TCP"}],
            "gatewayClassName": "l4-lb",
        },
        {
            "listeners": [
                _HTTP,
                {"name": "a-very-long-listener-name", "port": 81, "protocol": "TCP"},
            ]
        },
        {"addresses": [{"type": "IPAddress", "value": "not-an-ip"}]},
        {"listeners": None},
    ],
)
