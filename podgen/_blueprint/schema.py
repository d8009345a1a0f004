"""The blueprint format's JSON Schema, and the checks the loader runs with it.

The schema is the single description of the format: `podgen schema` prints it for editors,
and `check` walks a loaded document against the same dictionary, so the two cannot drift.
`check` knows the subset of JSON Schema used here (type, properties, required,
additionalProperties, items, enum, oneOf, minimum, maximum) and reports the first problem
with its file, line and a "did you mean" for unknown keys.
"""

from __future__ import annotations

from podgen._checking.k8s_schema import JSON_TYPES, matches_type
from podgen._errors import Path, UsageError, closest, dotted, quoted
from podgen._io.strict_yaml import Document
from podgen._model.objects import API_VERSION, KIND
from podgen._model.options import COMMAND, OPTIONS, PORT, STRING, STRING_MAP, STRINGS
from podgen._model.words import WORDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_STRING, _STRING_MAP, _STRINGS, _COMMAND, _PORT = STRING, STRING_MAP, STRINGS, COMMAND, PORT


def _obj(
    properties: dict[str, Any], description: str, required: tuple[str, ...] = ()
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    return schema


def _d(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {**schema, "description": description}


#: The groups of pod keys (`probe.port` is in `probe`): their descriptions and required keys.
_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "init": ("The init container (pattern: init).", ()),
    "sidecar": ("The sidecar container (pattern: sidecar).", ()),
    "probe": ("Health probes on the app container.", ("type",)),
    "resources": (
        "Resource quantities for the app container, e.g. {cpu: 100m, memory: 128Mi}.",
        (),
    ),
}


def _pod_schema() -> dict[str, Any]:
    """One pod's schema: the keys of the option table (podgen/_model/options.py) and a few more."""
    properties: dict[str, Any] = {
        "name": _d(_STRING, "Pod (or Deployment) name; also the app container's name."),
    }
    for option in OPTIONS:
        if option.key is None:
            continue
        group, _, key = option.key.rpartition(".")
        if group:
            description, required = _GROUPS[group]
            if group not in properties:
                properties[group] = _obj({}, description, required)
            properties[group]["properties"][key] = option.key_schema()
        else:
            properties[key] = option.key_schema()
    properties["command"] = _d(_COMMAND, "The app container's command.")
    properties["args"] = _d(_STRINGS, "The app container's args.")
    for word in WORDS:
        properties[word.key] = _d(word.schema, word.help)
    properties["overrides"] = _d(
        {"type": "object"}, "Pod spec fields podgen has no word for, merged into the pod spec."
    )
    return _obj(properties, "One pod, in the terms of `podgen new`'s flags.", ("name", "image"))


POD = _pod_schema()

SERVICE = _obj(
    {
        "name": _d(_STRING, "Service name."),
        "selector": _d(
            _STRING_MAP,
            "Labels of the pods to send traffic to; leave it out for a Service "
            "whose endpoints are managed elsewhere.",
        ),
        "ports": {
            "type": "array",
            "description": "Ports: a number, or {port, targetPort, protocol, name, nodePort, "
            "appProtocol}.",
            "items": {
                "oneOf": [
                    _PORT,
                    _obj(
                        {
                            "port": _PORT,
                            # 0 (and ""): the API server defaults it to `port`
                            "targetPort": {"oneOf": [{**_PORT, "minimum": 0}, _STRING]},
                            "protocol": {"enum": ["TCP", "UDP", "SCTP"]},
                            "name": _STRING,
                            "nodePort": _PORT,
                            "appProtocol": _STRING,
                        },
                        "One port.",
                        ("port",),
                    ),
                ]
            },
        },
        "type": {"enum": ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]},
        "externalName": _d(_STRING, "ExternalName Services: the DNS name they stand for."),
        "clusterIP": _d(_STRING, '"None" for a headless Service, or the address to ask for.'),
        "ipFamilyPolicy": {"enum": ["SingleStack", "PreferDualStack", "RequireDualStack"]},
        "ipFamilies": {"type": "array", "items": {"enum": ["IPv4", "IPv6"]}},
        "sessionAffinity": {"enum": ["None", "ClientIP"]},
        "externalTrafficPolicy": {"enum": ["Cluster", "Local"]},
        "internalTrafficPolicy": {"enum": ["Cluster", "Local"]},
        "publishNotReadyAddresses": {"type": "boolean"},
        "loadBalancerSourceRanges": _STRINGS,
        "labels": _STRING_MAP,
        "annotations": _STRING_MAP,
        "namespace": _d(_STRING, "Namespace (default: the blueprint's)."),
    },
    "A Service.",
    ("name",),
)

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://podgen.dev/schemas/blueprint-v1.json",
    "title": "podgen blueprint",
    **_obj(
        {
            "apiVersion": {"const": API_VERSION},
            "kind": {"const": KIND},
            "description": _d(_STRING, "One line, shown by `podgen blueprints`."),
            "skeleton": _d(
                {"enum": ["kubectl", "plain"]},
                "kubectl (the default): objects as kubectl writes them (dnsPolicy, "
                "restartPolicy, resources: {}, status: {}, a Deployment's replicas: 1 and "
                "strategy: {}); plain: without that skeleton, as people write manifests by hand.",
            ),
            "namespace": _d(_STRING, "Default namespace for every object."),
            "createNamespace": _d({"type": "boolean"}, "Also write the Namespace object."),
            "namespaceLabels": _d(
                _STRING_MAP,
                "The Namespace's labels (with createNamespace), e.g. Pod Security Admission's.",
            ),
            "namespaceAnnotations": _d(
                _STRING_MAP, "The Namespace's annotations (with createNamespace)."
            ),
            "pods": {"type": "array", "items": POD},
            "services": {"type": "array", "items": SERVICE},
            "objects": {
                "type": "array",
                "description": "Objects written out in full, for kinds podgen has no words "
                "for (ConfigMap, Secret, PersistentVolumeClaim, Ingress, ...): rendered as "
                "they are, checked like every other object.",
                "items": {
                    "type": "object",
                    "description": "A Kubernetes object, as in a manifest.",
                    "properties": {
                        "apiVersion": _STRING,
                        "kind": _STRING,
                        "metadata": {"type": "object"},
                    },
                    "required": ["apiVersion", "kind", "metadata"],
                },
            },
        },
        "Pods, Services, a Namespace and other objects, in podgen's declarative DSL.",
        ("apiVersion", "kind"),
    ),
}


class BlueprintError(UsageError):
    """A blueprint that does not follow the format; the message has file:line:column."""


def check(document: Document) -> None:
    """Raise BlueprintError for the first place `document` breaks the schema."""
    problem = _problem(document.data, SCHEMA, ())
    if problem is not None:
        path, message = problem
        raise BlueprintError(f"{document.where(path)}: {dotted(path) or '<top>'}: {message}")


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean (quote it if you meant text)"
    for name, kind in JSON_TYPES.items():
        if isinstance(value, kind):
            return {"object": "a map", "array": "a list"}.get(
                name, f"a{'n' if name[0] in 'ai' else ''} {name}"
            )
    if value is None:
        return "nothing (null)"
    return f"a {type(value).__name__} (quote it if you meant text)"


def _problem(value: Any, schema: dict[str, Any], path: Path) -> tuple[Path, str] | None:
    if "const" in schema and value != schema["const"]:
        return path, f"must be {quoted(schema['const'])}, not {quoted(value)}"
    if "enum" in schema and value not in schema["enum"]:
        hint = closest(str(value), [str(e) for e in schema["enum"]])
        did_you_mean = f" (did you mean {quoted(hint)}?)" if hint else ""
        choices = ", ".join(str(e) for e in schema["enum"])
        return path, f"{quoted(value)} is not one of {choices}{did_you_mean}"
    if "oneOf" in schema:
        problems = [_problem(value, option, path) for option in schema["oneOf"]]
        if all(problems):
            # Report against the option whose type matches, if any, else the first.
            for option, problem in zip(schema["oneOf"], problems, strict=True):
                if _matches_type(value, option):
                    return problem
            return path, f"expected {_describe(schema)}, got {_type_name(value)}"
        return None
    kind = schema.get("type")
    if kind is not None and not _matches_type(value, schema):
        return path, f"expected {_describe(schema)}, got {_type_name(value)}"
    if kind == "integer":
        if "minimum" in schema and value < schema["minimum"]:
            return path, f"must be {schema['minimum']} or more, not {value}"
        if "maximum" in schema and value > schema["maximum"]:
            return path, f"must be {schema['maximum']} or less, not {value}"
    if kind == "object":
        return _object_problem(value, schema, path)
    if kind == "array" and "items" in schema:
        for index, item in enumerate(value):
            problem = _problem(item, schema["items"], (*path, index))
            if problem is not None:
                return problem
    return None


def _object_problem(
    value: dict[str, Any], schema: dict[str, Any], path: Path
) -> tuple[Path, str] | None:
    properties: dict[str, Any] = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            problem = _problem(item, properties[key], (*path, key))
        elif extra is False:
            hint = closest(key, properties)
            did_you_mean = f"; did you mean {quoted(hint)}?" if hint else ""
            return (*path, key), f"unknown key {quoted(key)}{did_you_mean}"
        elif isinstance(extra, dict):
            problem = _problem(item, extra, (*path, key))
        else:
            problem = None
        if problem is not None:
            return problem
    for key in schema.get("required", []):
        if key not in value:
            return path, f"missing required key {quoted(key)}"
    return None


def _matches_type(value: Any, schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    if kind is None:
        return "enum" not in schema or value in schema["enum"]
    return matches_type(value, kind)


def _describe(schema: dict[str, Any]) -> str:
    if "oneOf" in schema:
        return " or ".join(_describe(option) for option in schema["oneOf"])
    if "enum" in schema:
        return "one of " + ", ".join(str(e) for e in schema["enum"])
    kind = schema.get("type", "value")
    if kind == "object":
        extra = schema.get("additionalProperties")
        return "a map of strings" if extra == _STRING else "a map"
    if kind == "array":
        items = schema.get("items", {})
        return "a list of strings" if items == _STRING else "a list"
    return {
        "integer": "a whole number",
        "number": "a number",
        "string": "a string",
        "boolean": "true or false",
    }[kind]
