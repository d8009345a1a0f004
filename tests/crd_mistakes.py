"""One mistake (or one valid variant) each, applied to every CRD of tests/crd_cases.py.

A mistake that does not apply to a CRD (a scale path where there is no scale) raises
KeyError and that pair is not drawn. The verdict each deserves is the real server's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.crd_cases import GROUP, Obj

S = {"type": "string"}
INT = {"type": "integer"}


def storage(c: Obj) -> Obj:
    return next(v for v in c["spec"]["versions"] if v.get("storage"))  # type: ignore[no-any-return]


def root(c: Obj) -> Obj:
    return storage(c)["schema"]["openAPIV3Schema"]  # type: ignore[no-any-return]


def spec_schema(c: Obj) -> Obj:
    return root(c)["properties"]["spec"]  # type: ignore[no-any-return]


def add(schema: Obj) -> Callable[[Obj], None]:
    """A new property `extra` in the storage version's spec."""
    return lambda c: spec_schema(c)["properties"].__setitem__("extra", schema)


def names(**values: Any) -> Callable[[Obj], None]:
    return lambda c: c["spec"]["names"].update(values)


def protected(group: str, annotation: str | None) -> Callable[[Obj], None]:
    def apply(c: Obj) -> None:
        c["spec"]["group"] = group
        c["metadata"]["name"] = f"{c['spec']['names']['plural']}.{group}"
        if annotation is not None:
            c["metadata"]["annotations"] = {"api-approved.kubernetes.io": annotation}

    return apply


def column(**values: Any) -> Callable[[Obj], None]:
    return lambda c: storage(c)["additionalPrinterColumns"][0].update(values)


def scale(**values: Any) -> Callable[[Obj], None]:
    return lambda c: storage(c)["subresources"]["scale"].update(values)


def webhook(**values: Any) -> Callable[[Obj], None]:
    def apply(c: Obj) -> None:
        c["spec"]["conversion"] = {
            "strategy": "Webhook",
            "webhook": {
                "conversionReviewVersions": ["v1"],
                "clientConfig": {"url": "https://convert.example.com/crd"},
                **values,
            },
        }

    return apply


def _two_storage(c: Obj) -> None:
    for version in c["spec"]["versions"]:
        version["storage"] = True
    if len(c["spec"]["versions"]) == 1:
        c["spec"]["versions"].append({**c["spec"]["versions"][0], "name": "v9"})


def _dup_version(c: Obj) -> None:
    c["spec"]["versions"].append({**storage(c), "storage": False})


def _metadata(schema: Obj) -> Callable[[Obj], None]:
    return lambda c: root(c)["properties"].__setitem__("metadata", schema)


def _in_spec(**values: Any) -> Callable[[Obj], None]:
    return lambda c: spec_schema(c).update(values)


def _deprecate(warning: Any, deprecated: bool = True) -> Callable[[Obj], None]:
    return lambda c: storage(c).update(deprecated=deprecated, deprecationWarning=warning)


def _selectable(*paths: Any) -> Callable[[Obj], None]:
    """selectableFields on the storage version, with `extra` (or f0..f8) in its spec."""

    def apply(c: Obj) -> None:
        schema = paths[1] if len(paths) > 1 and isinstance(paths[1], dict) else S
        wanted = [p for p in paths if isinstance(p, str)]
        for index in range(9):
            spec_schema(c)["properties"][f"f{index}"] = S
        spec_schema(c)["properties"]["extra"] = schema
        storage(c)["selectableFields"] = [{"jsonPath": p} for p in wanted]

    return apply


def _everywhere(change: Callable[[Obj], object]) -> Callable[[Obj], None]:
    """`change` made to every version, through a CRD of that version alone."""

    def apply(c: Obj) -> None:
        versions = c["spec"]["versions"]
        if len(versions) < 2:
            raise KeyError("one version: the plain mistake covers it")
        for version in versions:
            stored, version["storage"] = version["storage"], True
            change({**c, "spec": {**c["spec"], "versions": [version]}})
            version["storage"] = stored

    return apply


LIST_MAP = {
    "type": "array",
    "x-kubernetes-list-type": "map",
    "x-kubernetes-list-map-keys": ["name"],
    "items": {"type": "object", "required": ["name"], "properties": {"name": S, "value": S}},
}


def _list_map(**change: Any) -> Callable[[Obj], None]:
    def apply(c: Obj) -> None:
        schema: Obj = {**LIST_MAP, "items": {**LIST_MAP["items"]}}
        for key, value in change.items():
            if key.startswith("items_"):
                schema["items"][key[6:]] = value
            elif value is None:
                schema.pop(key)
            else:
                schema[key] = value
        add(schema)(c)

    return apply


#: Patterns where Go's regexp and Python's re disagree, one way or the other.
PATTERNS = {
    "flags-mid-pattern": "^abc(?i)def$",
    "unicode-class": "^\\pL+$",
    "unicode-script": "^\\p{Greek}+$",
    "end-of-text": "^abc\\z",
    "quoted-literal": "^\\Qa.b\\E$",
    "named-group": "^(?<name>a)$",
    "atomic-group": "^(?>a)$",
    "possessive": "^a*+$",
    "repeat-over-1000": "^a{1001}$",
    "repeat-1000": "^a{1000}$",
    "posix-class": "^[[:alpha:]]+$",
    "quantity": "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE])?$",
    "python-end": "a\\Z",
    "ungreedy-flag": "(?U)a*",
    "verbose-flag": "(?x) a",
    "unicode-escape": "\\u0041",
    "hex-braces": "\\x{41}",
    "class-escape-range": "[\\d-z]",
    "named-char": "\\N{LATIN SMALL LETTER A}",
    "reversed-range": "[z-a]",
    "comment-group": "(?#comment)",
    "conditional": "(a)(?(1)b|c)",
    "bracket-first": "[]a]",
    "lazy-then-repeat": "a*?+",
    "lazy": "a+?b",
}

#: name -> change; every one is tried on every CRD it applies to.
MISTAKES: dict[str, Callable[[Obj], object]] = {
    **{f"pattern-{name}": add({"type": "string", "pattern": p}) for name, p in PATTERNS.items()},
    "valid": lambda c: None,
    # metadata.name and the group
    "name-not-plural-group": lambda c: c["metadata"].update(name=f"others.{GROUP}"),
    "group-missing": lambda c: c["spec"].pop("group"),
    "group-without-dot": protected("crddef", None),
    "group-upper-case": lambda c: c["spec"].update(group="CRDDEF.podgen.test"),
    "group-k8s-io-without-approval": protected("crddef.k8s.io", None),
    "group-k8s-io-approved": protected(
        "crddef.k8s.io", "https://github.com/kubernetes/enhancements/pull/1111"
    ),
    "group-k8s-io-unapproved": protected("crddef.k8s.io", "unapproved, testing podgen"),
    "group-kubernetes-io-bad-approval": protected("crddef.kubernetes.io", "yes please"),
    # names
    "plural-upper-case": lambda c: (
        names(plural="Widgets")(c),
        c["metadata"].update(name=f"Widgets.{GROUP}"),
    ),
    "plural-missing": lambda c: (
        c["spec"]["names"].pop("plural"),
        c["metadata"].update(name=f".{GROUP}"),
    ),
    "singular-bad": names(singular="my_widget"),
    "singular-missing": lambda c: c["spec"]["names"].pop("singular"),
    "kind-missing": lambda c: c["spec"]["names"].pop("kind"),
    "kind-bad": names(kind="My_Kind"),
    "kind-starts-with-digit": names(kind="9Widget"),
    "list-kind-same-as-kind": lambda c: names(listKind=c["spec"]["names"]["kind"])(c),
    "list-kind-bad": names(listKind="Widget.List"),
    "short-name-bad": names(shortNames=["ok", "Not-OK"]),
    "category-bad": names(categories=["all", "my_category"]),
    "scope-missing": lambda c: c["spec"].pop("scope"),
    "scope-bad": lambda c: c["spec"].update(scope="Global"),
    # versions
    "versions-empty": lambda c: c["spec"].update(versions=[]),
    "version-name-upper-case": lambda c: storage(c).update(name="V1"),
    "version-name-duplicate": _dup_version,
    "no-storage-version": lambda c: storage(c).update(storage=False),
    "two-storage-versions": _two_storage,
    "not-served": lambda c: storage(c).update(served=False),
    "deprecation-warning-not-deprecated": _deprecate("going away", deprecated=False),
    "deprecation-warning-empty": _deprecate(""),
    "deprecation-warning-long": _deprecate("x" * 257),
    "deprecation-warning-control": _deprecate("going\taway"),
    "deprecated-with-warning": _deprecate("crddef v1 is going away"),
    "schema-missing": lambda c: storage(c).pop("schema"),
    # the schema: forbidden keywords
    "type-bad": add({"type": "strng"}),
    "type-null": add({"type": "null"}),
    "id": add({"type": "string", "id": "extra"}),
    "ref": add({"type": "string", "$ref": "#/definitions/extra"}),
    "schema-keyword": add({"type": "string", "$schema": "http://json-schema.org/draft-04/schema#"}),
    "definitions": add({"type": "object", "definitions": {"a": S}}),
    "pattern-properties": add({"type": "object", "patternProperties": {"^a": S}}),
    "dependencies": add({"type": "object", "properties": {"a": S}, "dependencies": {"a": ["b"]}}),
    "additional-items": add({"type": "array", "items": S, "additionalItems": False}),
    "items-array": add({"type": "array", "items": [S]}),
    "unique-items": add({"type": "array", "items": S, "uniqueItems": True}),
    "additional-properties-with-properties": add(
        {"type": "object", "properties": {"a": S}, "additionalProperties": S}
    ),
    "additional-properties-false-with-properties": add(
        {"type": "object", "properties": {"a": S}, "additionalProperties": False}
    ),
    "additional-properties-true-with-properties": add(
        {"type": "object", "properties": {"a": S}, "additionalProperties": True}
    ),
    "additional-properties-at-root": lambda c: root(c).update(additionalProperties=S),
    "nullable-root": lambda c: root(c).update(nullable=True),
    "root-enum-with-status": lambda c: root(c).update(maxProperties=10),
    "root-type-array": lambda c: root(c).update(type="array", items=S),
    "root-type-missing": lambda c: root(c).pop("type"),
    # structural
    "property-type-missing": add({"description": "no type"}),
    "items-type-missing": add({"type": "array", "items": {"description": "no type"}}),
    "array-without-items": add({"type": "array"}),
    "any-of-with-type": add({"type": "string", "anyOf": [{"type": "string"}, {"pattern": "^a"}]}),
    "all-of-with-description": add({"type": "string", "allOf": [{"description": "nested"}]}),
    "one-of-with-default": add({"type": "string", "oneOf": [{"default": "a"}]}),
    "not-with-nullable": add({"type": "string", "not": {"nullable": True}}),
    "any-of-with-list-type": add(
        {"type": "array", "items": S, "anyOf": [{"x-kubernetes-list-type": "set"}]}
    ),
    "any-of-value-only": add({"type": "string", "anyOf": [{"pattern": "^a"}, {"maxLength": 3}]}),
    "any-of-names-unknown-property": lambda c: spec_schema(c).update(
        anyOf=[{"required": ["a"], "properties": {"zzz": {"maxLength": 3}}}]
    ),
    "root-any-of-names-unknown-property": lambda c: root(c).update(
        anyOf=[{"properties": {"zzz": {"maxLength": 3}}}]
    ),
    "root-any-of-metadata": lambda c: root(c).update(
        anyOf=[{"properties": {"metadata": {"required": ["name"]}}}]
    ),
    "int-or-string-with-preserve": add(
        {"x-kubernetes-int-or-string": True, "x-kubernetes-preserve-unknown-fields": True}
    ),
    "int-or-string-plain": add({"x-kubernetes-int-or-string": True}),
    "int-or-string-all-of": add(
        {
            "x-kubernetes-int-or-string": True,
            "allOf": [
                {"anyOf": [{"type": "integer"}, {"type": "string"}]},
                {"pattern": "^[0-9]+%?$"},
            ],
        }
    ),
    "int-or-string-any-of-reversed": add(
        {"x-kubernetes-int-or-string": True, "anyOf": [{"type": "string"}, {"type": "integer"}]}
    ),
    "embedded-not-object": add({"type": "string", "x-kubernetes-embedded-resource": True}),
    "embedded-without-properties": add({"type": "object", "x-kubernetes-embedded-resource": True}),
    "embedded-with-properties": add(
        {
            "type": "object",
            "x-kubernetes-embedded-resource": True,
            "properties": {"spec": {"type": "object"}},
        }
    ),
    "embedded-with-additional-properties": add(
        {
            "type": "object",
            "x-kubernetes-embedded-resource": True,
            "x-kubernetes-preserve-unknown-fields": True,
            "additionalProperties": S,
        }
    ),
    "embedded-kind-not-string": add(
        {"type": "object", "x-kubernetes-embedded-resource": True, "properties": {"kind": INT}}
    ),
    "embedded-metadata-not-object": add(
        {"type": "object", "x-kubernetes-embedded-resource": True, "properties": {"metadata": S}}
    ),
    "metadata-with-labels": _metadata(
        {"type": "object", "properties": {"labels": {"type": "object"}}}
    ),
    "metadata-name-only": _metadata(
        {"type": "object", "properties": {"name": {"type": "string", "maxLength": 40}}}
    ),
    "metadata-name-and-generate-name": _metadata(
        {"type": "object", "properties": {"name": S, "generateName": S}}
    ),
    "metadata-string": _metadata(S),
    "metadata-with-description": _metadata({"type": "object", "description": "the metadata"}),
    "metadata-with-required": _metadata({"type": "object", "required": ["name"]}),
    "metadata-with-default": _metadata({"type": "object", "default": {"name": "a"}}),
    "kind-property-integer": lambda c: root(c)["properties"].__setitem__("kind", INT),
    "api-version-property-string": lambda c: root(c)["properties"].__setitem__("apiVersion", S),
    "nested-metadata-property": add(
        {
            "type": "object",
            "properties": {
                "metadata": {"type": "object", "properties": {"labels": {"type": "object"}}}
            },
        }
    ),
    "preserve-false": add({"type": "object", "x-kubernetes-preserve-unknown-fields": False}),
    "map-type-on-string": add({"type": "string", "x-kubernetes-map-type": "atomic"}),
    "map-type-bad": add({"type": "object", "x-kubernetes-map-type": "merge"}),
    "list-type-on-object": add({"type": "object", "x-kubernetes-list-type": "atomic"}),
    "list-type-bad": add({"type": "array", "items": S, "x-kubernetes-list-type": "bag"}),
    "list-map-keys-without-list-type": _list_map(**{"x-kubernetes-list-type": None}),
    "list-map-keys-with-set": _list_map(**{"x-kubernetes-list-type": "set"}),
    "list-map-without-keys": _list_map(**{"x-kubernetes-list-map-keys": None}),
    "list-map-key-not-property": _list_map(**{"x-kubernetes-list-map-keys": ["id"]}),
    "list-map-key-duplicate": _list_map(**{"x-kubernetes-list-map-keys": ["name", "name"]}),
    "list-map-key-object": _list_map(items_properties={"name": {"type": "object"}}),
    "list-map-key-optional": _list_map(items_required=[]),
    "list-map-key-defaulted": _list_map(
        items_required=[], items_properties={"name": {"type": "string", "default": "main"}}
    ),
    "list-map-key-nullable": _list_map(
        items_properties={"name": {"type": "string", "nullable": True}}
    ),
    "list-map-items-string": _list_map(items={"type": "string"}),
    "list-map-items-nullable": _list_map(items_nullable=True),
    "list-set-of-objects": add(
        {
            "type": "array",
            "x-kubernetes-list-type": "set",
            "items": {"type": "object", "properties": {"a": S}},
        }
    ),
    "list-set-of-atomic-objects": add(
        {
            "type": "array",
            "x-kubernetes-list-type": "set",
            "items": {"type": "object", "x-kubernetes-map-type": "atomic", "properties": {"a": S}},
        }
    ),
    "list-set-of-map-lists": add(
        {
            "type": "array",
            "x-kubernetes-list-type": "set",
            "items": {"type": "array", "x-kubernetes-list-type": "set", "items": S},
        }
    ),
    "pattern-lookahead": add({"type": "string", "pattern": "^(?!admin).*$"}),
    "pattern-unbalanced": add({"type": "string", "pattern": "^(a"}),
    "pattern-backreference": add({"type": "string", "pattern": "^(a)\\1$"}),
    # defaults
    "default-wrong-type": add({"type": "integer", "default": "three"}),
    "default-unknown-field": add(
        {"type": "object", "properties": {"a": S}, "default": {"a": "x", "b": "yy"}}
    ),
    "default-object-valid": add({"type": "object", "properties": {"a": S}, "default": {"a": "x"}}),
    "default-enum": add({"type": "string", "enum": ["a", "b"], "default": "c"}),
    "default-above-maximum": add({"type": "integer", "maximum": 10, "default": 11}),
    "default-too-long": add({"type": "string", "maxLength": 2, "default": "abc"}),
    "default-pattern": add({"type": "string", "pattern": "^[a-z]+$", "default": "ABC"}),
    "default-missing-required": add(
        {"type": "object", "required": ["a"], "properties": {"a": S, "b": S}, "default": {"b": "x"}}
    ),
    "default-null-not-nullable": add(
        {"type": "object", "properties": {"a": {"type": "string", "default": None}}}
    ),
    "default-in-top-level-kind": lambda c: root(c)["properties"].__setitem__(
        "kind", {"type": "string", "default": "Queue"}
    ),
    "default-in-additional-properties": add(
        {"type": "object", "additionalProperties": {"type": "string", "default": "x"}}
    ),
    "default-preserved-unknown": add(
        {"type": "object", "x-kubernetes-preserve-unknown-fields": True, "default": {"z": 1}}
    ),
    "default-in-embedded-unknown": add(
        {
            "type": "object",
            "x-kubernetes-embedded-resource": True,
            "properties": {"spec": {"type": "object"}},
            "default": {"apiVersion": "v1", "kind": "A", "other": 1},
        }
    ),
    "default-in-embedded-metadata-bad": add(
        {
            "type": "object",
            "x-kubernetes-embedded-resource": True,
            "properties": {"metadata": {"type": "object", "default": {"name": "Bad_Name"}}},
        }
    ),
    "default-bad-date-time": add({"type": "string", "format": "date-time", "default": "yesterday"}),
    "default-breaks-any-of": add({"type": "string", "anyOf": [{"maxLength": 1}], "default": "abc"}),
    "int-or-string-with-type": add({"type": "string", "x-kubernetes-int-or-string": True}),
    "rule-does-not-compile": _in_spec(
        **{"x-kubernetes-validations": [{"rule": "self.nothing > 1"}]}
    ),
    "rule-field-path-valid": _in_spec(
        **{"x-kubernetes-validations": [{"rule": "true", "fieldPath": ".extra"}]},
        properties={"extra": S},
    ),
    "rule-field-path-unknown": _in_spec(
        **{"x-kubernetes-validations": [{"rule": "true", "fieldPath": ".nothing"}]}
    ),
    "rule-field-path-line-break": _in_spec(
        **{"x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a\n.b"}]}
    ),
    "rule-field-path-blank": _in_spec(
        **{"x-kubernetes-validations": [{"rule": "true", "fieldPath": " "}]}
    ),
    "default-list-of-embedded": add(
        {
            "type": "array",
            "items": {
                "type": "object",
                "x-kubernetes-embedded-resource": True,
                "properties": {"spec": {"type": "object"}},
            },
            "default": [{"apiVersion": "v1", "kind": "A", "spec": {}}],
        }
    ),
    "default-list-of-embedded-unknown": add(
        {
            "type": "array",
            "items": {
                "type": "object",
                "x-kubernetes-embedded-resource": True,
                "properties": {"spec": {"type": "object"}},
            },
            "default": [{"apiVersion": "v1", "kind": "A", "zzz": {}}],
        }
    ),
    "default-nested-preserved": add(
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "x-kubernetes-preserve-unknown-fields": True,
                    "properties": {"b": S},
                }
            },
            "default": {"a": {"b": "x", "c": {"d": 1}}},
        }
    ),
    # CEL rules' shape
    "rule-empty": _in_spec(**{"x-kubernetes-validations": [{"rule": " "}]}),
    "rule-reason-bad": _in_spec(
        **{"x-kubernetes-validations": [{"rule": "true", "reason": "FieldValueWrong"}]}
    ),
    "rule-message-line-break": _in_spec(
        **{"x-kubernetes-validations": [{"rule": "true", "message": "a\nb"}]}
    ),
    "rule-multi-line-without-message": _in_spec(
        **{"x-kubernetes-validations": [{"rule": "true &&\ntrue"}]}
    ),
    "rule-message-blank": _in_spec(
        **{"x-kubernetes-validations": [{"rule": "true", "message": " "}]}
    ),
    "rule-message-expression-blank": _in_spec(
        **{"x-kubernetes-validations": [{"rule": "true", "messageExpression": " "}]}
    ),
    "rule-reason-valid": _in_spec(
        **{"x-kubernetes-validations": [{"rule": "true", "reason": "FieldValueForbidden"}]}
    ),
    # subresources
    "scale-spec-path-missing": scale(specReplicasPath=""),
    "scale-spec-path-not-under-spec": scale(specReplicasPath=".status.replicas"),
    "scale-status-path-without-dot": scale(statusReplicasPath="status.replicas"),
    "scale-status-path-spec": scale(statusReplicasPath=".spec.replicas"),
    "scale-label-selector-bad": scale(labelSelectorPath=".metadata.labels"),
    "scale-label-selector-spec": scale(labelSelectorPath=".spec.selector"),
    "scale-spec-path-bracket": scale(specReplicasPath=".spec.replicas[0]"),
    # printer columns
    "column-type-bad": column(type="strin"),
    "column-type-missing": lambda c: storage(c)["additionalPrinterColumns"][0].pop("type"),
    "column-format-bad": column(format="uuid"),
    "column-format-int32": column(format="int32"),
    "column-name-missing": lambda c: storage(c)["additionalPrinterColumns"][0].pop("name"),
    "column-json-path-missing": lambda c: storage(c)["additionalPrinterColumns"][0].pop("jsonPath"),
    "column-json-path-without-dot": column(jsonPath="spec.interval"),
    "column-json-path-unparsable": column(jsonPath=".spec[?(@.x=="),
    "column-json-path-braces": column(jsonPath="{.spec.interval}"),
    "column-priority-negative": column(priority=-1),
    # conversion
    "conversion-none": lambda c: c["spec"].update(conversion={"strategy": "None"}),
    "conversion-strategy-bad": lambda c: c["spec"].update(conversion={"strategy": "Auto"}),
    "conversion-strategy-empty": lambda c: c["spec"].update(conversion={"strategy": ""}),
    "conversion-none-with-webhook": lambda c: c["spec"].update(
        conversion={
            "strategy": "None",
            "webhook": {
                "conversionReviewVersions": ["v1"],
                "clientConfig": {"url": "https://x.example.com"},
            },
        }
    ),
    "conversion-webhook-valid-url": webhook(),
    "conversion-webhook-missing": lambda c: c["spec"].update(conversion={"strategy": "Webhook"}),
    "conversion-webhook-without-client-config": webhook(clientConfig=None),
    "conversion-webhook-url-and-service": webhook(
        clientConfig={"url": "https://x.example.com", "service": {"name": "a", "namespace": "b"}}
    ),
    "conversion-webhook-neither": webhook(clientConfig={"caBundle": "Zm9v"}),
    "conversion-webhook-http": webhook(clientConfig={"url": "http://convert.example.com/crd"}),
    "conversion-webhook-query": webhook(
        clientConfig={"url": "https://convert.example.com/crd?x=1"}
    ),
    "conversion-webhook-fragment": webhook(
        clientConfig={"url": "https://convert.example.com/crd#a"}
    ),
    "conversion-webhook-user": webhook(clientConfig={"url": "https://me@convert.example.com/crd"}),
    "conversion-webhook-no-host": webhook(clientConfig={"url": "https:///crd"}),
    "conversion-service-port-zero": webhook(
        clientConfig={"service": {"name": "a", "namespace": "b", "port": 0}}
    ),
    "conversion-service-path-relative": webhook(
        clientConfig={"service": {"name": "a", "namespace": "b", "path": "convert"}}
    ),
    "conversion-service-path-empty-segment": webhook(
        clientConfig={"service": {"name": "a", "namespace": "b", "path": "/a//b"}}
    ),
    "conversion-service-path-upper": webhook(
        clientConfig={"service": {"name": "a", "namespace": "b", "path": "/Convert"}}
    ),
    "conversion-service-name-empty": webhook(
        clientConfig={"service": {"name": "", "namespace": "b"}}
    ),
    "conversion-review-versions-missing": webhook(conversionReviewVersions=None),
    "conversion-review-versions-unknown": webhook(conversionReviewVersions=["v2"]),
    "conversion-review-versions-duplicate": webhook(conversionReviewVersions=["v1", "v1"]),
    "conversion-review-versions-bad-name": webhook(conversionReviewVersions=["v1", "V2"]),
    # selectable fields
    "selectable-field-string": _selectable(".spec.extra"),
    "selectable-field-enum": _selectable(".spec.extra", {"type": "string", "enum": ["a", "b"]}),
    "selectable-field-integer": _selectable(".spec.extra", INT),
    "selectable-field-number": _selectable(".spec.extra", {"type": "number"}),
    "selectable-field-unknown": _selectable(".spec.nothing"),
    "selectable-field-object": _selectable(".spec"),
    "selectable-field-metadata": _selectable(".metadata.name"),
    "selectable-field-without-dot": _selectable("spec.extra"),
    "selectable-field-empty": _selectable(""),
    "selectable-field-duplicate": _selectable(".spec.extra", S, ".spec.extra"),
    "selectable-fields-nine": _selectable(*[f".spec.f{i}" for i in range(9)]),
    "selectable-field-bracket": _selectable(".spec['extra']"),
    "metadata-with-rules": _metadata(
        {"type": "object", "x-kubernetes-validations": [{"rule": "true"}]}
    ),
    "root-rules": lambda c: root(c).update({"x-kubernetes-validations": [{"rule": "true"}]}),
    # odd but possibly valid shapes
    "metadata-name-integer": _metadata({"type": "object", "properties": {"name": INT}}),
    "metadata-generate-name-pattern": _metadata(
        {"type": "object", "properties": {"generateName": {"type": "string", "pattern": "^a"}}}
    ),
    "root-preserve-unknown-fields": lambda c: root(c).update(
        {"x-kubernetes-preserve-unknown-fields": True}
    ),
    "root-embedded-resource": lambda c: root(c).update({"x-kubernetes-embedded-resource": True}),
    "additional-properties-false-alone": add({"type": "object", "additionalProperties": False}),
    "additional-properties-true-alone": add({"type": "object", "additionalProperties": True}),
    "list-map-of-int-or-string-items": add(
        {
            "type": "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["name"],
            "items": {"x-kubernetes-int-or-string": True},
        }
    ),
    "list-set-of-int-or-string": add(
        {
            "type": "array",
            "x-kubernetes-list-type": "set",
            "items": {"x-kubernetes-int-or-string": True},
        }
    ),
    "conversion-none-with-empty-webhook": lambda c: c["spec"].update(
        conversion={"strategy": "None", "webhook": {}}
    ),
    "unserved-version-without-schema": lambda c: c["spec"]["versions"].append(
        {"name": "v0", "served": False, "storage": False}
    ),
    "served-missing": lambda c: storage(c).pop("served"),
    "storage-missing": lambda c: storage(c).pop("storage"),
    "not-storage-version-storage-missing": lambda c: next(
        v for v in c["spec"]["versions"] if not v["storage"]
    ).pop("storage"),
    "scope-lower-case": lambda c: c["spec"].update(scope="cluster"),
    "category-all": names(categories=["all"]),
    "kind-upper-case": names(kind="WIDGET", listKind="WIDGETLIST"),
    "plural-one-letter": lambda c: (names(plural="w")(c), c["metadata"].update(name=f"w.{GROUP}")),
    "version-name-with-dash": lambda c: storage(c).update(name="v1-alpha"),
    "nested-int-or-string-with-type": add(
        {
            "type": "object",
            "properties": {"a": {"type": "integer", "x-kubernetes-int-or-string": True}},
        }
    ),
    "enum-on-object": add({"type": "object", "enum": [{"a": 1}]}),
    "default-on-root": lambda c: root(c).update(default={}),
    "default-on-status": lambda c: root(c)["properties"]["status"].update(default={}),
    "max-length-negative": add({"type": "string", "maxLength": -1}),
    "format-unknown": add({"type": "string", "format": "colour"}),
    "format-int32-on-string": add({"type": "string", "format": "int32"}),
    "format-int32-on-number": add({"type": "number", "format": "int32"}),
    "format-double-on-number": add({"type": "number", "format": "double"}),
    "format-date-time-on-integer": add({"type": "integer", "format": "date-time"}),
    "format-short-name": add({"type": "string", "format": "k8s-short-name"}),
    "format-upper-case": add({"type": "string", "format": "Date-Time"}),
    "format-unknown-in-any-of": add({"type": "string", "anyOf": [{"format": "colour"}]}),
    "format-on-int-or-string": add({"x-kubernetes-int-or-string": True, "format": "int32"}),
    "nullable-item-in-atomic-list": add(
        {"type": "array", "items": {"type": "string", "nullable": True}}
    ),
    "description-in-all-of-items": add(
        {"type": "array", "items": S, "allOf": [{"items": {"description": "x"}}]}
    ),
    "all-of-names-items-without-items": add(
        {"type": "object", "allOf": [{"items": {"maxLength": 2}}]}
    ),
    # in every version alike (the server checks them once, at its internal top level)
    "every-version-column-type-bad": _everywhere(column(type="strin")),
    "every-version-scale-path-bad": _everywhere(scale(specReplicasPath=".status.replicas")),
    "every-version-root-enum": _everywhere(lambda c: root(c).update(maxProperties=10)),
    "every-version-property-without-type": _everywhere(add({"description": "no type"})),
    "every-version-selectable-field": _everywhere(_selectable(".spec.extra")),
    "every-version-selectable-field-object": _everywhere(_selectable(".spec")),
    # preserveUnknownFields
    "preserve-unknown-fields-true": lambda c: c["spec"].update(preserveUnknownFields=True),
    "preserve-unknown-fields-false": lambda c: c["spec"].update(preserveUnknownFields=False),
}


def _drop_none(obj: Any) -> Any:
    """A `None` in a mistake means "leave the field out"."""
    if isinstance(obj, dict):
        return {k: _drop_none(v) for k, v in obj.items() if v is not None or k == "default"}
    if isinstance(obj, list):
        return [_drop_none(v) for v in obj]
    return obj


def cases() -> list[tuple[str, str, Obj]]:
    """(base, mistake, CRD) for every mistake that applies to a base."""
    from tests.crd_cases import BASES, base

    found = []
    for base_name in BASES:
        for mistake, apply in MISTAKES.items():
            crd = base(base_name)
            try:
                apply(crd)
            except (KeyError, StopIteration, IndexError, TypeError):
                continue
            found.append((base_name, mistake, _drop_none(crd)))
    return found
