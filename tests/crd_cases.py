"""CRDs for the CRD rules' differential test: valid ones in the shapes operators ship, and
mistakes that each take one of them one step away from valid.

Written for podgen (group crddef.podgen.test): a monitoring probe, a certificate, a gateway
route and a batch queue, each in its usual shape (status and scale subresources, printer
columns, list-maps, int-or-string ports, embedded templates, defaults, conversion webhooks).
Which verdict a mistake deserves is never written here: the real API server says it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from tests.crd_builder import crd

Obj = dict[str, Any]
GROUP = "crddef.podgen.test"
S = {"type": "string"}
INT = {"type": "integer"}
CONDITIONS = {
    "type": "array",
    "x-kubernetes-list-type": "map",
    "x-kubernetes-list-map-keys": ["type"],
    "items": {
        "type": "object",
        "required": ["type", "status"],
        "properties": {
            "type": S,
            "status": {"type": "string", "enum": ["True", "False", "Unknown"]},
            "reason": S,
            "lastTransitionTime": {"type": "string", "format": "date-time"},
        },
    },
}


def _crd(plural: str, kind: str, versions: list[Obj], **spec: Any) -> Obj:
    names = {"singular": plural[:-1], **spec.pop("names", {})}
    return crd(GROUP, kind, versions=versions, plural=plural, names=names, **spec)


def _root(spec: Obj, status: Obj | None = None) -> Obj:
    properties: Obj = {"spec": spec}
    if status is not None:
        properties["status"] = status
    return {
        "type": "object",
        "description": "Written for podgen's tests.",
        "properties": properties,
    }


PROBE_SPEC = {
    "type": "object",
    "required": ["endpoints"],
    "properties": {
        "jobLabel": {"type": "string", "maxLength": 63},
        "interval": {"type": "string", "pattern": "^[0-9]+(ms|s|m|h)$", "default": "30s"},
        "selector": {
            "type": "object",
            "properties": {"matchLabels": {"type": "object", "additionalProperties": S}},
            "x-kubernetes-map-type": "atomic",
        },
        "endpoints": {
            "type": "array",
            "minItems": 1,
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["port"],
            "items": {
                "type": "object",
                "required": ["port"],
                "properties": {
                    "port": S,
                    "path": {"type": "string", "default": "/metrics"},
                    "scheme": {"type": "string", "enum": ["http", "https"]},
                },
            },
        },
    },
}
PROBE = _crd(
    "probemonitors",
    "ProbeMonitor",
    [
        {
            "name": "v1",
            "served": True,
            "storage": True,
            "schema": {
                "openAPIV3Schema": _root(
                    PROBE_SPEC, {"type": "object", "properties": {"conditions": CONDITIONS}}
                )
            },
            "subresources": {"status": {}},
            "additionalPrinterColumns": [
                {"name": "Interval", "type": "string", "jsonPath": ".spec.interval"},
                {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
            ],
        },
        {
            "name": "v1alpha1",
            "served": True,
            "storage": False,
            "deprecated": True,
            "deprecationWarning": "crddef.podgen.test/v1alpha1 ProbeMonitor is deprecated; use v1",
            "schema": {
                "openAPIV3Schema": _root(
                    PROBE_SPEC, {"type": "object", "properties": {"conditions": CONDITIONS}}
                )
            },
            "subresources": {"status": {}},
            "additionalPrinterColumns": [
                {"name": "Interval", "type": "string", "jsonPath": ".spec.interval"},
            ],
        },
    ],
    names={"shortNames": ["pm"], "categories": ["monitoring"]},
)

CERTIFICATE = _crd(
    "certificates",
    "Certificate",
    [
        {
            "name": "v1",
            "served": True,
            "storage": True,
            "schema": {
                "openAPIV3Schema": _root(
                    {
                        "type": "object",
                        "required": ["secretName", "issuerRef"],
                        "properties": {
                            "secretName": {"type": "string", "minLength": 1},
                            "commonName": {"type": "string", "maxLength": 64},
                            "dnsNames": {
                                "type": "array",
                                "x-kubernetes-list-type": "set",
                                "items": S,
                            },
                            "duration": S,
                            "isCA": {"type": "boolean"},
                            "usages": {
                                "type": "array",
                                "items": {"type": "string", "enum": ["server auth", "client auth"]},
                            },
                            "issuerRef": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {"name": S, "kind": S, "group": S},
                            },
                            "privateKey": {
                                "type": "object",
                                "properties": {
                                    "algorithm": {
                                        "type": "string",
                                        "enum": ["RSA", "ECDSA", "Ed25519"],
                                    },
                                    "size": {"type": "integer", "minimum": 256, "maximum": 8192},
                                    "rotationPolicy": {"type": "string", "default": "Always"},
                                },
                            },
                        },
                    },
                    {
                        "type": "object",
                        "properties": {
                            "conditions": CONDITIONS,
                            "notAfter": {"type": "string", "format": "date-time"},
                            "revision": INT,
                        },
                    },
                )
            },
            "subresources": {"status": {}},
            "additionalPrinterColumns": [
                {
                    "name": "Ready",
                    "type": "string",
                    "jsonPath": '.status.conditions[?(@.type=="Ready")].status',
                },
                {"name": "Secret", "type": "string", "jsonPath": ".spec.secretName", "priority": 1},
                {
                    "name": "Expires",
                    "type": "string",
                    "format": "date-time",
                    "jsonPath": ".status.notAfter",
                },
            ],
        }
    ],
    names={"shortNames": ["cert", "certs"], "categories": ["crddef"]},
)

ROUTE = _crd(
    "routes",
    "Route",
    [
        {
            "name": "v1beta1",
            "served": True,
            "storage": True,
            "schema": {
                "openAPIV3Schema": _root(
                    {
                        "type": "object",
                        "x-kubernetes-validations": [
                            {
                                "rule": "self.hostnames.size() <= 16",
                                "message": "at most 16 hostnames",
                            }
                        ],
                        "properties": {
                            "hostnames": {
                                "type": "array",
                                "maxItems": 16,
                                "items": {"type": "string", "maxLength": 253},
                            },
                            "rules": {
                                "type": "array",
                                "maxItems": 16,
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "backendRefs": {
                                            "type": "array",
                                            "items": {
                                                "type": "object",
                                                "properties": {
                                                    "name": S,
                                                    "port": {
                                                        "x-kubernetes-int-or-string": True,
                                                        "anyOf": [
                                                            {"type": "integer"},
                                                            {"type": "string"},
                                                        ],
                                                    },
                                                    "weight": {
                                                        "type": "integer",
                                                        "default": 1,
                                                        "minimum": 0,
                                                        "maximum": 1000000,
                                                    },
                                                },
                                            },
                                        },
                                        "filters": {
                                            "type": "array",
                                            "items": {
                                                "type": "object",
                                                "x-kubernetes-preserve-unknown-fields": True,
                                            },
                                        },
                                        "timeouts": {
                                            "type": "object",
                                            "default": {"request": "10s"},
                                            "properties": {"request": S, "backendRequest": S},
                                        },
                                    },
                                },
                            },
                        },
                    },
                    {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                )
            },
            "subresources": {"status": {}},
        }
    ],
)

QUEUE_SPEC = {
    "type": "object",
    "properties": {
        "replicas": {"type": "integer", "format": "int32", "minimum": 0},
        "weight": {"type": "integer", "minimum": 1, "default": 1},
        "capacity": {
            "type": "object",
            "additionalProperties": {
                "x-kubernetes-int-or-string": True,
                "anyOf": [{"type": "integer"}, {"type": "string"}],
            },
        },
        "template": {
            "type": "object",
            "x-kubernetes-embedded-resource": True,
            "x-kubernetes-preserve-unknown-fields": True,
        },
    },
}
QUEUE_STATUS = {
    "type": "object",
    "properties": {
        "replicas": INT,
        "selector": S,
        "state": {"type": "string", "enum": ["Open", "Closed"]},
    },
}
QUEUE = _crd(
    "queues",
    "Queue",
    [
        {
            "name": "v1beta1",
            "served": True,
            "storage": False,
            "schema": {
                "openAPIV3Schema": _root(
                    {"type": "object", "x-kubernetes-preserve-unknown-fields": True}, QUEUE_STATUS
                )
            },
            "subresources": {
                "status": {},
                "scale": {
                    "specReplicasPath": ".spec.replicas",
                    "statusReplicasPath": ".status.replicas",
                },
            },
        },
        {
            "name": "v1",
            "served": True,
            "storage": True,
            "schema": {"openAPIV3Schema": _root(QUEUE_SPEC, QUEUE_STATUS)},
            "subresources": {
                "status": {},
                "scale": {
                    "specReplicasPath": ".spec.replicas",
                    "statusReplicasPath": ".status.replicas",
                    "labelSelectorPath": ".status.selector",
                },
            },
            "additionalPrinterColumns": [
                {"name": "State", "type": "string", "jsonPath": ".status.state"},
                {"name": "Weight", "type": "integer", "jsonPath": ".spec.weight"},
            ],
        },
    ],
    scope="Cluster",
    conversion={
        "strategy": "Webhook",
        "webhook": {
            "conversionReviewVersions": ["v1"],
            "clientConfig": {
                "service": {
                    "name": "queue-webhook",
                    "namespace": "queues",
                    "path": "/convert",
                    "port": 9443,
                }
            },
        },
    },
)


def _broker_version(name: str, storage: bool) -> Obj:
    """One of two versions alike in all but name: the server keeps their parts at the top."""
    return {
        "name": name,
        "served": True,
        "storage": storage,
        "schema": {
            "openAPIV3Schema": _root(
                {
                    "type": "object",
                    "required": ["queues"],
                    "properties": {
                        "replicas": {"type": "integer", "minimum": 1, "default": 3},
                        "queues": {
                            "type": "array",
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                            "items": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": S,
                                    "durable": {"type": "boolean", "default": True},
                                    "maxLength": {
                                        "x-kubernetes-int-or-string": True,
                                        "anyOf": [{"type": "integer"}, {"type": "string"}],
                                    },
                                },
                            },
                        },
                        "tls": {
                            "type": "object",
                            "nullable": True,
                            "properties": {"secretName": S},
                        },
                    },
                },
                {"type": "object", "properties": {"replicas": INT, "phase": S}},
            )
        },
        "subresources": {
            "status": {},
            "scale": {
                "specReplicasPath": ".spec.replicas",
                "statusReplicasPath": ".status.replicas",
            },
        },
        "additionalPrinterColumns": [
            {"name": "Phase", "type": "string", "jsonPath": ".status.phase"},
            {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
        ],
    }


BROKER = _crd(
    "brokers",
    "Broker",
    [_broker_version("v1beta2", False), _broker_version("v1", True)],
    names={"shortNames": ["brk"]},
)

#: The valid CRDs, by name.
BASES: dict[str, Obj] = {
    "probe": PROBE,
    "certificate": CERTIFICATE,
    "route": ROUTE,
    "queue": QUEUE,
    "broker": BROKER,
}
Mistake = Callable[[Obj], object]


def base(name: str) -> Obj:
    return copy.deepcopy(BASES[name])
