"""CRDs of our own (group engine.podgen.test) for the schema engine's differential test.

Each is written in the shape of a popular operator's kind (a monitor, a certificate, an HTTP
route, a queue topic, a batch job, a mesh route, a format zoo) and between them they use every
keyword of a structural schema the API server checks. Strings whose pattern a generator cannot
invent carry an `example` (a JSONSchemaProps field): tests/crd_schema_cases.py starts there.
"""

from __future__ import annotations

from typing import Any

from tests import crd_builder as builder
from tests.crd_schema_values import PATTERNS

GROUP = "engine.podgen.test"
Obj = dict[str, Any]

S: Obj = {"type": "string"}
INT: Obj = {"type": "integer"}
B: Obj = {"type": "boolean"}


def obj(props: Obj, **more: Any) -> Obj:
    return {"type": "object", "properties": props, **more}


def arr(items: Obj, **more: Any) -> Obj:
    return {"type": "array", "items": items, **more}


def crd(plural: str, kind: str, spec: Obj, *, scope: str = "Namespaced", **root: Any) -> Obj:
    """A CRD of one version (v1) whose schema has `spec` (and the root's extra properties)."""
    schema = obj({"spec": spec, **root.pop("props", {})}, **root)
    return builder.crd(GROUP, kind, schema=schema, plural=plural, scope=scope)


_DURATION = {"type": "string", "pattern": "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$", "example": "30s"}
_HOST_PATTERN = "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
#: controller-gen's resource.Quantity: int-or-string spelled with anyOf, and its pattern.
_QUANTITY = {
    "anyOf": [{"type": "integer"}, {"type": "string"}],
    "pattern": "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?"
    "(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
    "x-kubernetes-int-or-string": True,
}
_LABELS = {"type": "object", "additionalProperties": S}

#: What controller-gen writes at every root: apiVersion, kind, an open metadata.
_ROOT = {"apiVersion": S, "kind": S, "metadata": {"type": "object"}}

MONITOR = crd(
    "monitors",
    "Monitor",
    obj(
        {
            "selector": obj(
                {
                    "matchLabels": _LABELS,
                    "matchExpressions": arr(
                        obj(
                            {
                                "key": S,
                                "operator": {"type": "string", "enum": ["In", "NotIn", "Exists"]},
                                "values": arr(S, **{"x-kubernetes-list-type": "set"}),
                            },
                            required=["key", "operator"],
                        )
                    ),
                },
                **{"x-kubernetes-map-type": "atomic"},
            ),
            "endpoints": arr(
                obj(
                    {
                        "port": {"type": "string", "minLength": 1, "maxLength": 15},
                        "interval": _DURATION,
                        "scheme": {"type": "string", "enum": ["http", "https"], "default": "http"},
                        "path": {"type": "string", "pattern": "^/", "example": "/metrics"},
                        "honorLabels": B,
                        "relabelings": arr(
                            obj({}, **{"x-kubernetes-preserve-unknown-fields": True})
                        ),
                        "params": {"type": "object", "additionalProperties": arr(S)},
                    },
                    required=["port"],
                ),
                minItems=1,
                **{"x-kubernetes-list-type": "atomic"},
            ),
            "jobLabel": {"type": "string", "nullable": True},
            "sampleLimit": {"type": "integer", "format": "int64", "minimum": 0},
            "namespaceSelector": obj({"any": B, "matchNames": arr(S, maxItems=4)}),
        },
        required=["selector", "endpoints"],
    ),
    props=_ROOT,
)

CERTIFICATE = crd(
    "certificates",
    "Certificate",
    obj(
        {
            "secretName": {"type": "string", "format": "k8s-short-name"},
            "commonName": {"type": "string", "maxLength": 64},
            "dnsNames": arr(
                {"type": "string", "format": "hostname"},
                maxItems=10,
                **{"x-kubernetes-list-type": "set"},
            ),
            "ipAddresses": arr({"type": "string", "format": "ipv4"}),
            "emailAddresses": arr({"type": "string", "format": "email"}),
            "uris": arr({"type": "string", "format": "uri"}),
            "duration": {"type": "string", "format": "duration"},
            "isCA": B,
            "issuerRef": obj(
                {"name": S, "kind": {"type": "string", "default": "Issuer"}, "group": S},
                required=["name", "kind"],
            ),
            "privateKey": obj(
                {
                    "algorithm": {"type": "string", "enum": ["RSA", "ECDSA", "Ed25519"]},
                    "size": {"type": "integer", "enum": [256, 384, 2048, 4096]},
                    "rotationPolicy": {
                        "type": "string",
                        "enum": ["Never", "Always"],
                        "default": "Never",
                    },
                }
            ),
            "usages": arr(
                {"type": "string", "enum": ["digital signature", "server auth", "client auth"]},
                **{"x-kubernetes-list-type": "set"},
            ),
            "revisionHistoryLimit": {"type": "integer", "format": "int32", "minimum": 1},
            "subject": obj({"organizations": arr(S), "countries": arr(S, minItems=1)}),
        },
        required=["secretName", "issuerRef"],
    ),
)

ROUTE = crd(
    "routes",
    "Route",
    obj(
        {
            "parentRefs": arr(
                obj(
                    {"name": S, "sectionName": {"type": "string", "default": "http"}, "port": INT},
                    required=["name"],
                ),
                maxItems=32,
                **{
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["name", "sectionName"],
                },
            ),
            "hostnames": arr(
                {
                    "type": "string",
                    "maxLength": 253,
                    "pattern": _HOST_PATTERN,
                    "example": "shop.example.com",
                },
                maxItems=16,
                **{"x-kubernetes-list-type": "set"},
            ),
            "rules": arr(
                obj(
                    {
                        "matches": arr(
                            obj(
                                {
                                    "path": obj(
                                        {
                                            "type": {
                                                "type": "string",
                                                "enum": ["Exact", "PathPrefix"],
                                                "default": "PathPrefix",
                                            },
                                            "value": {
                                                "type": "string",
                                                "default": "/",
                                                "maxLength": 1024,
                                            },
                                        }
                                    ),
                                    "headers": arr(
                                        obj({"name": S, "value": S}, required=["name", "value"]),
                                        **{
                                            "x-kubernetes-list-type": "map",
                                            "x-kubernetes-list-map-keys": ["name"],
                                        },
                                    ),
                                }
                            ),
                            maxItems=8,
                        ),
                        "backendRefs": arr(
                            obj(
                                {
                                    "name": {"type": "string", "minLength": 1},
                                    "port": {
                                        "type": "integer",
                                        "format": "int32",
                                        "minimum": 1,
                                        "maximum": 65535,
                                    },
                                    "weight": {
                                        "type": "integer",
                                        "format": "int32",
                                        "default": 1,
                                        "minimum": 0,
                                        "maximum": 1000000,
                                    },
                                },
                                required=["name"],
                            )
                        ),
                        "timeouts": obj({"request": _DURATION}),
                    }
                ),
                minItems=1,
                maxItems=4,
            ),
        }
    ),
)

TOPIC = crd(
    "topics",
    "Topic",
    obj(
        {
            "topicName": {
                "type": "string",
                "pattern": "^[a-zA-Z0-9._-]+$",
                "maxLength": 249,
                "example": "orders.v1",
            },
            "partitions": {
                "type": "integer",
                "format": "int32",
                "minimum": 1,
                "exclusiveMaximum": True,
                "maximum": 1000,
            },
            "replicas": {"type": "integer", "minimum": 1, "maximum": 5, "exclusiveMinimum": False},
            "config": {
                "type": "object",
                "additionalProperties": {"x-kubernetes-int-or-string": True},
                "maxProperties": 3,
            },
            "retentionHours": {
                "type": "number",
                "multipleOf": 0.5,
                "minimum": 0,
                "exclusiveMinimum": True,
            },
            "weight": {"type": "number", "format": "float"},
            "ratio": {"type": "number", "format": "double", "maximum": 1.5},
            "cleanupPolicy": {"type": "string", "enum": ["delete", "compact"]},
            "consumers": arr(S, minItems=1, maxItems=3, **{"x-kubernetes-list-type": "set"}),
            "priority": {"type": "integer", "nullable": True},
            "port": {"x-kubernetes-int-or-string": True, "pattern": "^[a-z]+$", "example": 9092},
            "batchSize": {"type": "integer", "multipleOf": 8},
            "dlq": obj(
                {
                    "enabled": {"type": "boolean", "default": False},
                    "maxRetries": {"type": "integer", "default": 3},
                },
                default={},
            ),
            "labels": {"type": "object", "additionalProperties": S, "minProperties": 1},
            "resources": {"type": "object", "additionalProperties": _QUANTITY},
            "limit": _QUANTITY,
        },
        required=["topicName", "partitions"],
    ),
    props={"status": obj({"ready": B})},
)

_TEMPLATE = {
    "type": "object",
    "x-kubernetes-embedded-resource": True,
    "x-kubernetes-preserve-unknown-fields": True,
}
BATCH = crd(
    "batchjobs",
    "BatchJob",
    obj(
        {
            "queue": {"type": "string", "default": "default"},
            "minAvailable": {"type": "integer", "minimum": 0},
            "tasks": arr(
                obj(
                    {
                        "name": S,
                        "replicas": {"type": "integer", "default": 1, "minimum": 0},
                        "template": _TEMPLATE,
                        "policies": arr(
                            obj({"event": S, "action": S}), **{"x-kubernetes-list-type": "atomic"}
                        ),
                    },
                    required=["name", "template"],
                ),
                minItems=1,
                **{"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"]},
            ),
            "plugins": {"type": "object", "additionalProperties": arr(S), "maxProperties": 3},
            "podGroup": {
                "type": "object",
                "x-kubernetes-embedded-resource": True,
                "properties": {"spec": obj({"minMember": INT, "queue": S})},
            },
            "extra": {
                "type": "object",
                "x-kubernetes-preserve-unknown-fields": True,
                "properties": {"known": obj({"a": S})},
            },
            "anyValue": {"x-kubernetes-preserve-unknown-fields": True},
            "looseMap": {"type": "object", "additionalProperties": True},
            "closedMap": {"type": "object", "additionalProperties": False},
        },
        required=["tasks"],
    ),
)

MESH = crd(
    "meshroutes",
    "MeshRoute",
    obj(
        {
            "match": obj(
                {"prefix": S, "exact": S, "regex": S},
                oneOf=[{"required": ["prefix"]}, {"required": ["exact"]}, {"required": ["regex"]}],
                example={"prefix": "/api"},
            ),
            "retries": obj(
                {"attempts": INT, "perTryTimeout": _DURATION},
                anyOf=[{"required": ["attempts"]}, {"required": ["perTryTimeout"]}],
                example={"perTryTimeout": "2s"},
            ),
            "fault": obj(
                {"delayPercent": {"type": "integer"}, "abortPercent": {"type": "integer"}},
                allOf=[
                    {"properties": {"delayPercent": {"maximum": 100}}},
                    {"properties": {"abortPercent": {"maximum": 100}}},
                ],
            ),
            "mirror": obj(
                {"host": S},
                **{"not": {"required": ["host"], "properties": {"host": {"enum": ["self"]}}}},
            ),
            "headers": {
                "type": "object",
                "additionalProperties": S,
                "x-kubernetes-map-type": "granular",
            },
            "timeout": {"type": "string", "nullable": True, "default": "15s"},
            "corsPolicy": {
                "type": "object",
                "nullable": True,
                "properties": {"allowOrigins": arr(S)},
            },
        },
        required=["match"],
    ),
    scope="Cluster",
)

_FORMATS = [
    "date",
    "date-time",
    "datetime",
    "duration",
    "byte",
    "uuid",
    "uuid3",
    "uuid4",
    "uuid5",
    "hostname",
    "email",
    "uri",
    "ipv4",
    "ipv6",
    "cidr",
    "mac",
    "bsonobjectid",
    "password",
    "isbn",
    "isbn10",
    "isbn13",
    "creditcard",
    "ssn",
    "hexcolor",
    "rgbcolor",
    "quantity",
    "k8s-short-name",
    "k8s-long-name",
    "made-up",
]
FORMATS = crd(
    "formatzoos",
    "FormatZoo",
    obj(
        {
            **{f.replace("-", "_"): {"type": "string", "format": f} for f in _FORMATS},
            "i32": {"type": "integer", "format": "int32"},
            "i64": {"type": "integer", "format": "int64"},
            "f32": {"type": "number", "format": "float"},
            "f64": {"type": "number", "format": "double"},
            "plainInt": INT,
            "plainNumber": {"type": "number"},
            "intFormatted": {"type": "integer", "format": "uint8"},
        }
    ),
    props={"metadata": obj({"name": {"type": "string", "maxLength": 20}})},
)

PATTERN_ZOO = crd(
    "patternzoos",
    "PatternZoo",
    obj(
        {
            **{
                name: {"type": "string", "pattern": pattern, "example": example}
                for name, (pattern, example, _) in PATTERNS.items()
            },
            "runes": {
                "type": "string",
                "maxLength": 3,
                "minLength": 2,
                "example": "\U0001f600\U0001f600",
            },
            "rootLess": {
                "type": "object",
                "x-kubernetes-preserve-unknown-fields": True,
                "properties": {"items": arr(obj({"a": S}))},
            },
        }
    ),
    **{"x-kubernetes-preserve-unknown-fields": True},
)

#: A status subresource: a create drops `status` after decoding.
QUEUE = crd(
    "queues",
    "Queue",
    obj({"weight": {"type": "integer", "minimum": 1, "default": 1}, "reclaimable": B}),
    props={
        "status": obj(
            {"state": {"type": "string", "enum": ["Open", "Closed"]}, "running": INT},
            required=["state"],
        )
    },
)
QUEUE["spec"]["versions"][0]["subresources"] = {"status": {}}

#: Enums of every JSON type, and the conversions kube-openapi makes before comparing.
ENUM_ZOO = crd(
    "enumzoos",
    "EnumZoo",
    obj(
        {
            "portOrName": {"x-kubernetes-int-or-string": True, "enum": [80, "http", "a"]},
            "ratio": {"type": "number", "enum": [1.5, 2]},
            "count": {"type": "integer", "enum": [1, 3]},
            "flag": {"type": "boolean", "enum": [True]},
            "maybe": {"type": "string", "nullable": True, "enum": ["on", None]},
            "anything": {
                "x-kubernetes-preserve-unknown-fields": True,
                "enum": [1, "one", [1, 2], {"a": 1}],
            },
            "tags": arr({"type": "string", "enum": ["x", "y"]}),
            "nested": obj({"mode": {"type": "string", "enum": ["A"], "default": "A"}}),
            "items": arr(
                obj(
                    {
                        "a": {"type": "integer", "default": 0},
                        "b": {"type": "string", "default": "b"},
                    }
                ),
                **{"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["a", "b"]},
            ),
            "weights": {
                "type": "object",
                "additionalProperties": {"type": "integer", "default": 5},
            },
            "slots": arr({"type": "integer", "default": 7}),
            "grid": arr(
                arr(INT, **{"x-kubernetes-list-type": "atomic"}),
                **{"x-kubernetes-list-type": "set"},
            ),
        }
    ),
)
ALL = [MONITOR, CERTIFICATE, ROUTE, TOPIC, BATCH, MESH, FORMATS, PATTERN_ZOO, QUEUE, ENUM_ZOO]
