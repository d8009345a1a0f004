"""CRD rules (`x-kubernetes-validations`) on a custom resource, as kube-apiserver runs them.

The walk and the messages follow apiextensions-apiserver's schema/cel/validation.go: each rule
runs with `self` bound to its node's value (never a null one), a rule that returns false gives
`Invalid value: <message>` (or `Forbidden:`, `Required value:`, `Duplicate value` by its
`reason`) at its node or its `fieldPath`, and a rule that fails to evaluate gives
`Invalid value: "<type>": <error> evaluating rule: <rule>`. Transition rules (`oldSelf`) do not
run on create, unless `optionalOldSelf` is set.

A rule runs only where crd_cel_lib can reproduce cel-go faithfully; any other rule yields one
`crd-cel-unchecked` warning, the same for every object, never a guessed error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping

from podgen._checking import crd_cel_lib as _lib
from podgen._checking.checks_base import Violation, is_int
from podgen._checking.crd_cel_types import (
    INT_OR_STRING,
    LIST_TYPE,
    MESSAGE_LIMIT,
    narrowed,
    typing_problem,
)
from podgen._errors import OMIT_VALUE, quoted
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

RULE, UNCHECKED = "crd-cel", "crd-cel-unchecked"
_RULES = "x-kubernetes-validations"
_OLD_SELF = re.compile(r"\boldSelf\b")
_STRING_LITERAL = re.compile(
    r"""(?s)[rRbB]*('''.*?'''|\"\"\".*?\"\"\"|'(\\.|[^'\\])*'|"(\\.|[^"\\])*")"""
)


class _Plan(NamedTuple):
    """What podgen does with one rule at one schema node."""

    skip: bool  #: a transition rule: the server does not run it on create
    why: str | None  #: why it is not checked, or None
    rule: Any = None
    message: Any = None  #: the compiled messageExpression
    path: str = ""  #: the normalized fieldPath
    typed: Any = None  #: the node `self` is typed with, when not the rule's own (`narrowed`)


_plans: dict[tuple[int, int], tuple[Mapping[str, Any], Mapping[str, Any], _Plan]] = {}


def cel_violations(obj: Any, schema: Mapping[str, Any]) -> Iterator[Violation]:
    """Every CEL rule of `schema` (a CRD version's openAPIV3Schema) that `obj` breaks.

    Rules podgen cannot evaluate faithfully yield one warning each (rule `crd-cel-unchecked`),
    whose text names the schema location and the rule, never the object.
    """
    if _blocked(obj, schema):
        # The server runs no rule on an object with a wrong type (hasBlockingErr).
        yield Violation("<nil>", None, CEL_BLOCKED, RULE)
        return
    reported: set[str] = set()
    for violation in _walk(obj, schema, "", "openAPIV3Schema", True):
        if violation.rule == UNCHECKED:
            if violation.reason in reported:
                continue
            reported.add(violation.reason)
        yield violation


_NO_OVERLOAD = (
    "call arguments did not match a supported operator, function or macro signature for rule:"
)
CEL_BLOCKED = (
    "some validation rules were not checked because the object was invalid; "
    "correct the existing errors to complete validation"
)


def rule_compile_error(rule: str, schema: Mapping[str, Any]) -> str | None:
    """Why `rule` cannot compile, where podgen is certain (a syntax error); else None."""
    del schema  # the types are not checked: only a rule that does not parse is certain
    if not _lib.available():
        return None
    return _lib.parse_error(rule)


def _walk(
    value: Any, node: Mapping[str, Any], path: str, where: str, root: bool
) -> Iterator[Violation]:
    """validate(): this node's rules, then its properties', map values' and items'."""
    if value is None:
        return  # the server runs no rule on a null value
    yield from _node_rules(value, node, path, where, root)
    if isinstance(value, Mapping):
        extra, props = node.get("additionalProperties"), node.get("properties") or {}
        for key, item in value.items():
            if isinstance(extra, Mapping):
                yield from _walk(
                    item, extra, f"{path}[{key}]", f"{where}.additionalProperties", False
                )
            elif isinstance(props.get(key), Mapping):
                yield from _walk(
                    item, props[key], _child(path, key), f"{where}.properties[{key}]", False
                )
    elif isinstance(value, list) and isinstance(node.get("items"), Mapping):
        for index, item in enumerate(value):
            yield from _walk(item, node["items"], f"{path}[{index}]", f"{where}.items", False)


def _node_rules(
    value: Any, node: Mapping[str, Any], path: str, where: str, root: bool
) -> Iterator[Violation]:
    rules = node.get(_RULES)
    if not isinstance(rules, list):
        return
    typed_values: dict[int, Any] = {}  # `self` as each typing gives it, made once
    for index, rule in enumerate(rules):
        if not isinstance(rule, Mapping) or not isinstance(rule.get("rule"), str):
            continue
        plan = _plan(rule, node, root)
        if plan.skip:
            continue
        source = str(rule["rule"]).strip()
        typed = plan.typed if plan.typed is not None else node
        self_value: Any = typed_values.get(id(typed), _UNSET)
        if plan.why is None and self_value is _UNSET:
            try:
                self_value = _to_cel(value, typed, root)
            except _FloatInteger:
                self_value = None
            typed_values[id(typed)] = self_value
        if plan.why is None and self_value is None:
            plan = plan._replace(why=_FLOAT_WHY)
        if plan.why is None:
            result = _lib.evaluate(plan.rule, self_value)
            if isinstance(result, _lib.Failed) and result.server_text is None:
                plan = plan._replace(why=_RUNTIME_WHY)
        if plan.why is not None:
            yield _unchecked(where, index, source, plan.why)
            continue
        node_type = _type_name(node)
        if isinstance(result, _lib.Failed) and result.server_text == _lib.NO_OVERLOAD:
            text = f"'{_lib.NO_OVERLOAD}': {_NO_OVERLOAD} {_error_string(rule)}"
            yield Violation(path or "<nil>", node_type, text, RULE)
        elif isinstance(result, _lib.Failed):
            text = f"{result.server_text} evaluating rule: {_error_string(rule)}"
            yield Violation(path or "<nil>", node_type, text, RULE)
        elif result is not True:
            detail = _message(plan, rule, self_value)
            at = _child(path, plan.path) if plan.path else path
            yield _failure(at or "<nil>", detail, rule.get("reason"), _shown(value))


_UNSET = object()
_RUNTIME_WHY = "cel-cpp failed to evaluate it where podgen cannot say what cel-go does"
_FLOAT_WHY = "its value has an integer written as a float (2.0), which the server reads apart"


class _FloatInteger(Exception):
    """An integer field holds a float: the server's rule fails on reading it, or not."""


def _shown(value: Any) -> Any:
    """The value a failed rule's error shows: a scalar as it is, nothing for a map or list."""
    if isinstance(value, float):
        return _GoFloat(value)
    return value if isinstance(value, str | int) else OMIT_VALUE


class _GoFloat(float):
    """A float64 as Go's %v prints it: shortest digits, an exponent below 1e-4 or from 1e6."""

    def __repr__(self) -> str:
        from decimal import Decimal

        if self != self or self in (float("inf"), float("-inf")):
            return {"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}[str(float(self))]
        number = Decimal(float.__repr__(self)).normalize()
        exponent = number.adjusted()
        if -4 <= exponent < 6:
            return format(number, "f")  # 2.0 prints as 2
        digits = "".join(map(str, number.as_tuple().digits)).rstrip("0") or "0"
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        sign = "-" if number < 0 else ""
        return f"{sign}{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"


def _failure(path: str, detail: str, reason: object, shown: Any) -> Violation:
    """fieldErrorForReason: the field error a rule's `reason` asks for."""
    if reason == "FieldValueForbidden":
        return Violation(path, OMIT_VALUE, f"Forbidden: {detail}", RULE)
    if reason == "FieldValueRequired":
        return Violation(path, OMIT_VALUE, f"Required value: {detail}", RULE)
    if reason == "FieldValueDuplicate":
        return Violation(path, shown, "Duplicate value", RULE)
    return Violation(path, shown, detail, RULE)


def _message(plan: _Plan, rule: Mapping[str, Any], self_value: Any) -> str:
    """The messageExpression's result where the server would use it, else the message."""
    if plan.message is not None:
        result = _lib.evaluate(plan.message, self_value)
        if isinstance(result, str):
            text = result.strip()
            if text and len(text.encode()) <= MESSAGE_LIMIT and "\n" not in text:
                return text
    message = rule.get("message")
    if isinstance(message, str) and message:
        return message.strip()
    return f"failed rule: {str(rule['rule']).strip()}"


def _error_string(rule: Mapping[str, Any]) -> str:
    message = rule.get("message")
    return message.strip() if isinstance(message, str) and message else str(rule["rule"]).strip()


def _unchecked(where: str, index: int, source: str, why: str) -> Violation:
    reason = f"{_RULES}[{index}] rule {quoted(source)} is not checked by podgen: {why}"
    return Violation(where, source, reason, UNCHECKED, warning=True)


def _plan(rule: Mapping[str, Any], node: Mapping[str, Any], root: bool) -> _Plan:
    """The rule compiled once per schema node (the entry keeps both alive, so ids stay theirs)."""
    key = (id(rule), id(node))
    cached = _plans.get(key)
    if cached is not None and cached[0] is rule and cached[1] is node:
        return cached[2]
    plan = _make_plan(rule, node, root)
    _plans[key] = (rule, node, plan)
    return plan


def _make_plan(rule: Mapping[str, Any], node: Mapping[str, Any], root: bool) -> _Plan:
    source = str(rule["rule"])
    if not _lib.available():
        if _OLD_SELF.search(_STRING_LITERAL.sub("''", source)):
            return _Plan(rule.get("optionalOldSelf") is not True, _NO_LIBRARY)
        return _Plan(False, _NO_LIBRARY)
    compiled = _lib.compile_rule(source)
    uses_old = (
        "oldSelf" in compiled.names
        if isinstance(compiled, _lib.Compiled)
        else bool(_OLD_SELF.search(_STRING_LITERAL.sub("''", source)))
    )
    if uses_old and rule.get("optionalOldSelf") is not True:
        return _Plan(True, None)  # a transition rule: the server runs it on updates only
    why, typed = typing_problem(node, root), None
    if why:
        texts = [source, str(rule.get("messageExpression") or "")]
        typed = narrowed(node, root, texts, _STRING_LITERAL)
        if typed is None or typing_problem(typed, root):
            return _Plan(False, why)
        node = typed
    if uses_old:  # optionalOldSelf: runs on create with oldSelf = optional.none()
        compiled = _lib.compile_rule(source, no_old_self=True)
    checked = _checked(compiled, "rule", node)
    if isinstance(checked, str):
        return _Plan(False, checked)
    message: Any = None
    if isinstance(rule.get("messageExpression"), str) and rule["messageExpression"]:
        message = _checked(_lib.compile_rule(rule["messageExpression"]), "messageExpression", node)
        if isinstance(message, str):
            return _Plan(False, message)
        if "oldSelf" in message.names:
            message = None  # the server evaluates it without oldSelf: it fails, the message stays
    path = ""
    if isinstance(rule.get("fieldPath"), str) and rule["fieldPath"]:
        normalized = _field_path(rule["fieldPath"], node)
        if normalized is None:
            return _Plan(False, f"its fieldPath {quoted(rule['fieldPath'])} is not understood")
        path = normalized
    return _Plan(False, None, checked, message, path, typed)


_NO_LIBRARY = "the CEL library cel-expr-python is not installed"


def _checked(
    compiled: _lib.Compiled | str, what: str, node: Mapping[str, Any]
) -> _lib.Compiled | str:
    """The compiled expression, or why podgen does not evaluate it."""
    if isinstance(compiled, str):
        return f"its {what} does not compile in podgen's CEL library ({compiled})"
    unfaithful = sorted(compiled.overloads - _lib.FAITHFUL)
    if unfaithful:
        return f"its {what} uses {', '.join(unfaithful)}, not evaluated as the server does"
    # A list-type set or map compares and concatenates as a set or a map on the server.
    if compiled.joins_lists and _has_keyed_list(node):
        return f"its {what} compares or joins lists the server treats as sets or maps"
    # A list built from a map (`m.map(k, k)[0]`) follows Go's map order, which is not fixed.
    builds = "@result" in compiled.names and "add_list" in compiled.overloads  # map, filter
    ordered = compiled.joins_lists or compiled.overloads & _ORDERED
    if builds and ordered and _has_map(node):
        return f"its {what} may build a list from a map, whose order the server does not fix"
    return compiled


_ORDERED = {"index_list", "list_join", "list_join_string"}


def _has_map(node: Mapping[str, Any]) -> bool:
    if isinstance(node.get("additionalProperties"), Mapping):
        return True
    children = [node.get("items"), *(node.get("properties") or {}).values()]
    return any(isinstance(child, Mapping) and _has_map(child) for child in children)


def _has_keyed_list(node: Mapping[str, Any]) -> bool:
    if node.get(LIST_TYPE) in ("set", "map"):
        return True
    children = [node.get("items"), node.get("additionalProperties")]
    children.extend((node.get("properties") or {}).values())
    return any(isinstance(child, Mapping) and _has_keyed_list(child) for child in children)


def _to_cel(value: Any, node: Mapping[str, Any], root: bool) -> Any:
    """The value as UnstructuredToVal gives it: numbers as doubles, only declared fields."""
    if value is None or node.get(INT_OR_STRING) is True:
        return value
    kind = node.get("type")
    if kind == "number" and is_int(value):
        return float(value)
    if kind == "integer" and isinstance(value, float):
        raise _FloatInteger
    if isinstance(value, list):
        items = node.get("items") or {}
        return [_to_cel(item, items, False) for item in value]
    if not isinstance(value, Mapping):
        return value
    props = dict(node.get("properties") or {})
    if root:  # WithTypeAndObjectMeta: apiVersion, kind, metadata.name and generateName only
        props.update(apiVersion={"type": "string"}, kind={"type": "string"})
        meta = {"type": "string"}
        props["metadata"] = {"type": "object", "properties": {"name": meta, "generateName": meta}}
    extra = node.get("additionalProperties")
    if not props and isinstance(extra, Mapping):
        return {key: _to_cel(item, extra, False) for key, item in value.items()}
    # A null field is an absent one to a rule: has() is false, `?.` gives none.
    return {
        key: _to_cel(item, props[key], False)
        for key, item in value.items()
        if key in props and item is not None
    }


def _type_name(node: Mapping[str, Any]) -> str:
    kind = node.get("type")
    return kind if isinstance(kind, str) else ""


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _field_path(path: str, node: Mapping[str, Any]) -> str | None:
    """ValidFieldPath's normalized path (`.a['b.c']` → `a[b.c]`), or None if it is invalid."""
    out, at, schema = "", 0, node
    for found in re.finditer(r"\.([^.\[\]']+)|\['((?:\\.|[^'\\])*)'\]|(.)", path):
        if found.start() != at or found.group(3) is not None:
            return None
        at = found.end()
        name = found.group(1) if found.group(1) is not None else found.group(2)
        if found.group(2) is not None and "\\" in name:
            return None  # escapes in a quoted key: not worth guessing
        props, extra = schema.get("properties"), schema.get("additionalProperties")
        if props is not None:
            if name not in props:
                return None
            out, schema = _child(out, name), props[name]
        elif isinstance(extra, Mapping):
            out, schema = f"{out}[{name}]", extra
        else:
            return None
    return out if at == len(path) and out else None


def _blocked(obj: Any, node: Mapping[str, Any]) -> bool:
    """Whether the server runs no rule: a value of the wrong type or not in its enum.

    (hasBlockingErr: the schema's TypeInvalid and NotSupported errors.)
    """
    if obj is None:
        return False
    if node.get(INT_OR_STRING) is True:
        return not (isinstance(obj, str) or _whole(obj))
    kind = node.get("type")
    if kind in _TYPES and not _TYPES[kind](obj):
        return True
    enum = node.get("enum")
    if isinstance(enum, list) and not any(_same(obj, allowed) for allowed in enum):
        return True
    if isinstance(obj, list) and isinstance(node.get("items"), Mapping):
        return any(_blocked(item, node["items"]) for item in obj)
    if isinstance(obj, Mapping):
        props, extra = node.get("properties") or {}, node.get("additionalProperties")
        for key, item in obj.items():
            sub = props.get(key, extra if isinstance(extra, Mapping) else None)
            if isinstance(sub, Mapping) and _blocked(item, sub):
                return True
    return False


def _whole(value: object) -> bool:
    """An integer to the server: JSON's 2.0 is decoded as the integer 2."""
    return is_int(value) or (isinstance(value, float) and value.is_integer())


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_TYPES: dict[object, Callable[[object], bool]] = {
    "string": lambda value: isinstance(value, str),
    "integer": _whole,
    "number": _number,
    "boolean": lambda value: isinstance(value, bool),
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, Mapping),
}


def _same(value: object, allowed: object) -> bool:
    """JSON equality: 1 is 1.0, but neither is true."""
    if isinstance(value, bool) or isinstance(allowed, bool):
        return value is allowed
    if _number(value) and _number(allowed):
        return value == allowed
    return type(value) is type(allowed) and value == allowed
