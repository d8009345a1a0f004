"""kube-openapi's schema validation of a custom resource, as the API server runs it.

pkg/validation/validate in k8s.io/kube-openapi: the type (with its format), allOf/anyOf/oneOf/
not, the string, format, number, array, enum and object validators of each node, with the
messages the server sends (`spec.size in body must be of type integer: "string"`). It runs on
the object after defaulting and pruning, so it never sees an unknown field.
"""

from __future__ import annotations

from decimal import Decimal

from podgen._checking.checks_base import Violation
from podgen._checking.crd_formats import FORMATS
from podgen._checking.crd_lists import go_json
from podgen._checking.crd_node import Node

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: swag.IsFloat64AJSONInteger: a float is a JSON integer up to 2^53 - 1.
_MAX_JSON_FLOAT = float(2**53 - 1)


def validate(value: Any, node: Node, path: str, out: list[Violation]) -> None:
    """Every violation of `node` by `value` at `path`, appended to `out`."""
    if value is None:
        if node.types and not node.nullable:
            out.append(_type_error(path, ",".join(node.types), "null"))
        _enum(value, node, path, out)
        return
    _type(value, node, path, out)
    _composed(value, node, path, out)
    if isinstance(value, str):
        _string(value, node, path, out)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        _number(value, node, path, out)
    elif isinstance(value, list):
        _array(value, node, path, out)
    _enum(value, node, path, out)
    if isinstance(value, dict):
        _object(value, node, path, out)


def _kind(value: Any) -> tuple[str, str]:
    """The JSON type and Go format kube-openapi infers from a decoded value."""
    if isinstance(value, bool):
        return "boolean", ""
    if isinstance(value, str):
        return "string", ""
    if isinstance(value, int):
        return "integer", "int64"
    if isinstance(value, float):
        return "number", "float64"
    if isinstance(value, list):
        return "array", ""
    return "object", ""


def _type_error(path: str, want: str, got: str) -> Violation:
    return Violation(path, got, f'{path} in body must be of type {want}: "{got}"', "crd-type")


def _json_integer(value: float) -> bool:
    """conv.IsFloat64AJSONInteger: within 2^53, and whole up to a relative error of 1e-9."""
    import math

    if math.isnan(value) or math.isinf(value) or abs(value) > _MAX_JSON_FLOAT:
        return False
    rounded = math.copysign(math.floor(abs(value) + 0.5), value)  # Go's math.Round
    if value == rounded:
        return True
    if rounded == 0:
        return False
    return abs(value - rounded) < 1e-9 * abs(rounded)


def _type(value: Any, node: Node, path: str, out: list[Violation]) -> None:
    """typeValidator: the JSON type, and a number's Go format against the schema's."""
    types, fmt = node.types, node.format
    if not types and not fmt:
        return
    kind, kind_format = _kind(value)
    float_int = kind == "number" and _json_integer(value) and "integer" in types
    int_float = kind == "integer" and "number" in types
    mismatch = not (kind in types or kind_format == fmt or float_int or int_float)
    if kind not in ("string", "array") and fmt and mismatch:
        out.append(_type_error(path, fmt, kind_format))
        return
    if fmt and "number" not in types and "integer" not in types and kind in ("string", "array"):
        return
    if not (kind in types or float_int or int_float):
        out.append(_type_error(path, ",".join(types), kind))


def _composed(value: Any, node: Node, path: str, out: list[Violation]) -> None:
    """allOf, anyOf, oneOf and not: whole schemas the value must (not) satisfy."""
    quoted = f'"{path}"'
    failures: list[list[Violation]]
    if node.all_of:
        failures = [_sub(value, sub, path) for sub in node.all_of]
        if any(failures):
            for failure in failures:
                out.extend(failure)
            out.append(
                Violation(path, "", f"{quoted} must validate all the schemas (allOf)", "crd-all-of")
            )
    if node.any_of:
        failures = [_sub(value, sub, path) for sub in node.any_of]
        if all(failures):
            out.append(
                Violation(
                    path, "", f"{quoted} must validate at least one schema (anyOf)", "crd-any-of"
                )
            )
            out.extend(_fewest(failures))
    if node.one_of:
        failures = [_sub(value, sub, path) for sub in node.one_of]
        valid = sum(1 for failure in failures if not failure)
        if valid == 0:
            reason = f"{quoted} must validate one and only one schema (oneOf). Found none valid"
            out.append(Violation(path, "", reason, "crd-one-of"))
            out.extend(_fewest(failures))
        elif valid > 1:
            reason = (
                f"{quoted} must validate one and only one schema (oneOf). "
                f"Found {valid} valid alternatives"
            )
            out.append(Violation(path, "", reason, "crd-one-of"))
    if node.not_ is not None and not _sub(value, node.not_, path):
        out.append(Violation(path, "", f"{quoted} must not validate the schema (not)", "crd-not"))


def _fewest(failures: list[list[Violation]]) -> list[Violation]:
    """The errors of the alternative kube-openapi keeps with its composite error.

    It keeps the first, unless a later one has more checks that passed (its MatchCount),
    which alternatives of one shape (`required` lists, types) do not.
    """
    return failures[0]


def _sub(value: Any, node: Node, path: str) -> list[Violation]:
    found: list[Violation] = []
    validate(value, node, path, found)
    return found


def _string(value: str, node: Node, path: str, out: list[Violation]) -> None:
    """The string and format validators: lengths in runes, the pattern, the format.

    The string validator stops at its first error: maxLength, minLength, then the pattern.
    """
    if node.max_length is not None and len(value) > node.max_length:
        reason = f"Too long: may not be more than {node.max_length} bytes"
        out.append(Violation(path, value, reason, "crd-length"))
    elif node.min_length is not None and len(value) < node.min_length:
        reason = f"{path} in body should be at least {node.min_length} chars long"
        out.append(Violation(path, value, reason, "crd-length"))
    elif node.pattern is not None and not node.pattern.search(value):
        reason = f"{path} in body should match '{node.pattern_text}'"
        out.append(Violation(path, value, reason, "crd-pattern"))
    check = FORMATS.get(node.format.replace("-", "")) if node.format else None
    if check is not None and not check(value):
        reason = f'{path} in body must be of type {node.format}: "{value}"'
        out.append(Violation(path, value, reason, "crd-format"))


def _go_float(value: float) -> str:
    """Go's %v of a float64: shortest digits, an exponent from 1e+06 and below 1e-04."""
    if value == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text = "".join(map(str, digits))
    point = len(text) + int(exponent)  # the decimal point's place after the first digits
    lead = "-" if sign else ""
    if point - 1 < -4 or point - 1 >= 6:  # strconv's %g: shortest digits decide at 6
        rest = f".{text[1:]}" if len(text) > 1 else ""
        power = point - 1
        return f"{lead}{text[0]}{rest}e{'+' if power >= 0 else '-'}{abs(power):02d}"
    if point <= 0:
        return f"{lead}0.{'0' * -point}{text}"
    if point >= len(text):
        return f"{lead}{text}{'0' * (point - len(text))}"
    return f"{lead}{text[:point]}.{text[point:]}"


def _plain(value: int | float) -> str:
    """swag.FormatFloat64 / FormatInt64: the number in plain decimals."""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _in_range(value: int | float, kind: str, fmt: str) -> bool:
    """IsValueValidAgainstRange: the number converts to the type and format without loss."""
    text = _plain(value)
    if kind == "integer":
        if not text.lstrip("-").isdigit():
            return False
        limit: int = 2**31 if fmt == "int32" else 2**63
        return -limit <= int(text) < limit
    if fmt == "float":
        import struct

        try:
            struct.pack("<f", float(text))
        except OverflowError:
            return False
    return True


def _range_error(value: float, kind: str, fmt: str, prefix: str, path: str) -> Violation | None:
    if _in_range(value, kind, fmt):
        return None
    shape = f"with format {fmt}" if fmt else "(default format)"
    reason = f"{prefix} value must be of type {kind} {shape} in {path}"
    return Violation(path, "", reason, "crd-range")


def _number(value: int | float, node: Node, path: str, out: list[Violation]) -> None:
    """numberValidator: the value fits its format; multipleOf, maximum and minimum."""
    kind = node.types[0] if len(node.types) == 1 else ""  # int-or-string: no range check
    fmt = node.format
    problem = _range_error(value, kind, fmt, "Checked", path)
    if problem:
        out.append(problem)
    if node.multiple_of is not None:
        _multiple(value, node.multiple_of, kind, fmt, path, out)
    for bound, exclusive, upper in (
        (node.maximum, node.exclusive_maximum, True),
        (node.minimum, node.exclusive_minimum, False),
    ):
        if bound is None:
            continue
        problem = _range_error(
            bound, kind, fmt, "Maximum boundary" if upper else "Minimum boundary", path
        )
        native = isinstance(value, int) and problem is None
        if problem:
            out.append(problem)
        limit: int | float = int(bound) if native else bound
        shown = str(limit) if native else _go_float(bound)
        if upper and (value > limit or (exclusive and value == limit)):
            word = "less than" if exclusive else "less than or equal to"
            out.append(
                Violation(path, value, f"{path} in body should be {word} {shown}", "crd-range")
            )
        if not upper and (value < limit or (exclusive and value == limit)):
            word = "greater than" if exclusive else "greater than or equal to"
            out.append(
                Violation(path, value, f"{path} in body should be {word} {shown}", "crd-range")
            )


def _multiple(
    value: int | float, factor: float, kind: str, fmt: str, path: str, out: list[Violation]
) -> None:
    problem = _range_error(factor, kind, fmt, "MultipleOf", path)
    if problem:
        out.append(problem)
    if isinstance(value, int) and problem is None:
        whole = int(factor)
        if whole <= 0:
            reason = f"factor MultipleOf declared for {path} must be positive: {whole}"
            out.append(Violation(path, whole, reason, "crd-multiple-of"))
        elif value % whole:
            out.append(
                Violation(
                    path,
                    value,
                    f"{path} in body should be a multiple of {whole}",
                    "crd-multiple-of",
                )
            )
        return
    if factor <= 0:
        reason = f"factor MultipleOf declared for {path} must be positive: {_go_float(factor)}"
        out.append(Violation(path, factor, reason, "crd-multiple-of"))
        return
    quotient = 1 / factor * value if factor < 1 else value / factor
    if not _json_integer(float(quotient)):
        reason = f"{path} in body should be a multiple of {_go_float(factor)}"
        out.append(Violation(path, value, reason, "crd-multiple-of"))


def _array(value: list[Any], node: Node, path: str, out: list[Violation]) -> None:
    """sliceValidator: item counts, uniqueness, and each item against `items`."""
    size = len(value)
    if node.min_items is not None and size < node.min_items:
        reason = f"{path} in body should have at least {node.min_items} items"
        out.append(Violation(path, size, reason, "crd-items"))
    if node.max_items is not None and size > node.max_items:
        noun = "item" if node.max_items == 1 else "items"
        reason = f"Too many: {size}: must have at most {node.max_items} {noun}"
        out.append(Violation(path, size, reason, "crd-items"))
    if node.unique:
        seen = {go_json(item) for item in value}
        if len(seen) < size:
            out.append(
                Violation(
                    path, value, f"{path} in body shouldn't contain duplicates", "crd-unique-items"
                )
            )
    if node.items is not None:
        for index, item in enumerate(value):
            validate(item, node.items, f"{path}[{index}]", out)


def _same(value: Any, allowed: Any) -> bool:
    """reflect.DeepEqual after converting the value to the enum value's Go type."""
    if allowed is None:
        return False
    if isinstance(allowed, bool) or isinstance(value, bool):
        return isinstance(allowed, bool) and isinstance(value, bool) and value == allowed
    if isinstance(allowed, int):
        if isinstance(value, float) and not abs(value) < float("inf"):
            return False  # NaN and infinities convert to no int64 that equals one
        return isinstance(value, int | float) and int(value) == int(allowed)
    if isinstance(allowed, float):
        return isinstance(value, int | float) and float(value) == float(allowed)
    if isinstance(allowed, str):
        if isinstance(value, int):  # Go converts an integer to the string of that rune
            return 0 <= value <= 0x10FFFF and chr(value) == allowed
        return isinstance(value, str) and value == allowed
    return type(value) is type(allowed) and go_json(value, exact=True) == go_json(
        allowed, exact=True
    )


def _enum(value: Any, node: Node, path: str, out: list[Violation]) -> None:
    if node.enum is None or any(_same(value, allowed) for allowed in node.enum):
        return
    import json

    # field.NotSupported: each allowed value as a string (JSON if it is none), Go-quoted
    shown = ", ".join(
        json.dumps(v if isinstance(v, str) else go_json(v), ensure_ascii=False) for v in node.enum
    )
    out.append(Violation(path, value, f"supported values: {shown}", "crd-enum"))


def _object(value: dict[str, Any], node: Node, path: str, out: list[Violation]) -> None:
    """objectValidator: property counts, required, forbidden and each property's schema."""
    size = len(value)
    if node.max_properties is not None and size > node.max_properties:
        noun = "item" if node.max_properties == 1 else "items"
        reason = f"Too many: {size}: must have at most {node.max_properties} {noun}"
        out.append(Violation(path, size, reason, "crd-properties"))
    if node.min_properties is not None and size < node.min_properties:
        reason = f"{path} in body should have at least {node.min_properties} properties"
        out.append(Violation(path, size, reason, "crd-properties"))
    prefix = f"{path}." if path else ""
    for key in node.required:
        if key not in value:
            out.append(Violation(f"{prefix}{key}", "", "Required value", "crd-required"))
    for key, item in value.items():
        child = node.props.get(key)
        if child is not None:
            validate(item, child, f"{prefix}{key}", out)
        elif isinstance(node.additional, Node):
            validate(item, node.additional, f"{prefix}{key}", out)
        elif node.additional is False:
            reason = f"{prefix}{key} in body is a forbidden property"
            out.append(Violation(path, key, reason, "crd-additional-properties"))
