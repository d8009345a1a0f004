"""CEL through Google's C++ runtime (cel-expr-python), and what of it matches the API server's.

kube-apiserver evaluates CRD rules with cel-go. cel-expr-python is the CEL team's own Python
binding of cel-cpp: the same language spec, RE2 for `matches`, checked integer overflow, the
same error absorption in `&&`/`||`. It lacks Kubernetes' libraries (quantity, url, ip, cidr,
format, semver, lists, regex find, sets, math, two-variable comprehensions) and a rule using one
does not compile here. A rule that compiles is evaluated only when every overload the checker
resolved for it is in `FAITHFUL`, each shown to give the server's result by
tests/test_crd_cel.py. The library is imported on first use only (start-up is benchmarked).
"""

from __future__ import annotations

import re

from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Overloads that behave as cel-go's on the values the server gives a rule, each used by a
#: rule of tests/crd_cel_cases*.py. Absent on purpose: conversions, whose parsing and printing
#: differ (`string(1.0)`, `int(" 1")`), timestamps and durations (formats, time zones),
#: `type()`, bytes and uints (no object holds one), strings' `format` and `trim` (cel-go and
#: cel-cpp disagree on which characters are blank), `charAt`/`substring` (their errors differ).
# One string, split: the ids read as cel-cpp names them, a family a line.
FAITHFUL = frozenset(
    """
    logical_and logical_or logical_not not_strictly_false conditional equals not_equals
    less_int64 less_double less_string less_bool
    less_equals_int64 less_equals_double less_equals_string less_equals_bool
    greater_int64 greater_double greater_string greater_bool
    greater_equals_int64 greater_equals_double greater_equals_string greater_equals_bool
    add_int64 add_double add_string add_list subtract_int64 subtract_double
    multiply_int64 multiply_double divide_int64 divide_double modulo_int64
    negate_int64 negate_double
    size_string size_list size_map string_size list_size map_size
    in_list in_map index_list index_map
    contains_string starts_with_string ends_with_string matches_string
    string_lower_ascii string_upper_ascii string_index_of_string string_last_index_of_string
    string_split_string list_join list_join_string
    select_optional_field optional_orValue_value optional_hasValue optional_value
    optional_of optional_none
    kubernetes_list_is_sorted kubernetes_list_sum kubernetes_list_min kubernetes_list_max
    """.split()  # noqa: SIM905
)

#: cel-cpp's runtime errors and cel-go's words for them (`no such key: a`, ...), which the
#: server puts in `<error> evaluating rule: <rule>`. Any other error is not reproduced.
NO_OVERLOAD = "no such overload"
_ERRORS = (
    (re.compile(r'NOT_FOUND: Key not found in map : "([^"\\]*)"'), "no such key: {0}"),
    (re.compile(r"UNKNOWN: Index error: index=(-?\d+) size=\d+"), "index out of bounds: {0}"),
    (re.compile(r"INVALID_ARGUMENT: divide by zero"), "division by zero"),
    (re.compile(r"INVALID_ARGUMENT: modulus by zero"), "modulus by zero"),
    (re.compile(r"OUT_OF_RANGE: integer overflow"), "integer overflow"),
    (re.compile(r"OUT_OF_RANGE: ((min|max) called on empty list)"), "{0}"),
    (re.compile(r"FAILED_PRECONDITION: (optional.none\(\) dereference)"), "{0}"),
    # A dyn value (int-or-string) of the wrong type: cel-go's NoSuchOverloadErr.
    (re.compile(r"UNKNOWN: No matching overloads found : .*", re.DOTALL), NO_OVERLOAD),
)

_envs: dict[bool, Any] = {}


class Compiled(NamedTuple):
    """A rule as cel-cpp compiled it: the program, and the names and overloads it uses."""

    program: Any
    names: frozenset[str]  #: identifiers and functions the checker resolved
    overloads: frozenset[str]
    #: Whether it compares or joins (`==`, `!=`, `+`) two values that may be lists or maps
    #: from the object: the server compares a list-type set or map as a set or a map.
    joins_lists: bool


class Failed(NamedTuple):
    """An evaluation that ended in an error: cel-go's words for it, or None if unknown."""

    server_text: str | None


def available() -> bool:
    """Whether cel-expr-python is installed (it has wheels for common platforms only)."""
    try:
        _environment()
    except ImportError:
        return False
    return True


def _environment(bind: bool = False) -> Any:
    """The environment (built once): `self` and `oldSelf` dyn, strings and optionals.

    `bind` adds cel.bind, which podgen alone uses to give a rule `oldSelf` = optional.none()
    as the server does for an `optionalOldSelf` rule on create.
    """
    if bind not in _envs:
        from cel_expr_python import cel
        from cel_expr_python.ext import ext_bindings, ext_optional, ext_strings

        extensions = [ext_strings.ExtStrings(), ext_optional.ExtOptional()]
        _envs[bind] = cel.NewEnv(
            variables={"self": cel.Type.DYN, "oldSelf": cel.Type.DYN},
            extensions=[*extensions, ext_bindings.ExtBindings()] if bind else extensions,
            functions=_kubernetes_lists(cel),
        )
    return _envs[bind]


def _kubernetes_lists(cel: Any) -> list[Any]:
    """Kubernetes' lists library (library/lists.go): isSorted, sum, min, max on a list.

    Its elements come from one schema node, so they share a type; a mixed list fails in
    Python and the rule is then not checked. (indexOf/lastIndexOf would collide with the
    strings extension's overloads here, and stay out.)
    """

    def member(name: str, overload: str, result: Any, impl: Any) -> Any:
        parameters = [cel.Type.List(cel.Type.DYN)]
        return cel.FunctionDecl(
            name, [cel.Overload(overload, result, parameters, is_member=True, impl=impl)]
        )

    return [
        member("isSorted", "kubernetes_list_is_sorted", cel.Type.BOOL, _is_sorted),
        member("sum", "kubernetes_list_sum", cel.Type.DYN, _sum),
        member("min", "kubernetes_list_min", cel.Type.DYN, lambda items: _least(items, "min")),
        member("max", "kubernetes_list_max", cel.Type.DYN, lambda items: _least(items, "max")),
    ]


def _is_sorted(items: list[Any]) -> bool:
    from itertools import pairwise

    return not any(before > after for before, after in pairwise(items))


def _sum(items: list[Any]) -> Any:
    total: Any = 0
    for item in items:
        total += item
        if isinstance(total, int) and not -(2**63) <= total < 2**63:
            raise ValueError("integer overflow")  # cel-go's Int.Add
    return total


def _least(items: list[Any], name: str) -> Any:
    if not items:
        raise ValueError(f"{name} called on empty list")
    return min(items) if name == "min" else max(items)  # the first of equals, as cel-go


def compile_rule(source: str, *, no_old_self: bool = False) -> Compiled | str:
    """The compiled rule, or the first line of cel-cpp's compile error.

    `no_old_self`: `oldSelf` is optional.none() (an optionalOldSelf rule on create).
    """
    text = f"cel.bind(oldSelf, optional.none(),\n{source}\n)" if no_old_self else source
    try:
        program = _environment(no_old_self).compile(text)
    except RuntimeError as error:
        return _first_error(str(error))
    checked = dict(_fields(program.serialize())).get(2, b"")  # the Any's CheckedExpr
    assert isinstance(checked, bytes)  # noqa: S101 - an Any's value is bytes
    names, overloads = _references(checked)
    return Compiled(program, frozenset(names), frozenset(overloads), _joins_lists(checked))


def parse_error(source: str) -> str | None:
    """cel-cpp's syntax error for a rule that does not parse (cel-go's grammar is the same)."""
    try:
        _environment().compile(source, disable_check=True)
    except RuntimeError as error:
        return _first_error(str(error))
    return None


def evaluate(compiled: Compiled, value: object) -> object:
    """The rule's result on `self` = value (a plain Python value), or `Failed`."""
    try:
        result = compiled.program.eval(data={"self": value})
    except (RuntimeError, ValueError, TypeError, OverflowError):
        return Failed(None)  # a value cel-cpp cannot take (a lone surrogate, ...)
    if result.type().name() == "ERROR":
        text = str(result.value())
        for pattern, words in _ERRORS:
            found = pattern.fullmatch(text)
            if found:
                return Failed(words.format(*found.groups()))
        return Failed(None)
    return result.value()


def _first_error(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "does not compile"
    return re.sub(r"^[A-Z_]+: (ERROR: )?(<input>:\d+:\d+: )?", "", line)


def _references(checked: bytes) -> tuple[set[str], set[str]]:
    """Names and overload ids in a CheckedExpr's reference_map, read from the wire."""
    names: set[str] = set()
    overloads: set[str] = set()
    for number, entry in _fields(checked):
        if number != 2 or not isinstance(entry, bytes):  # reference_map
            continue
        reference = dict(_fields(entry)).get(2, b"")
        assert isinstance(reference, bytes)  # noqa: S101
        candidates: set[str] = set()
        for field, data in _fields(reference):
            if field == 1 and isinstance(data, bytes):
                names.add(data.decode())
            elif field == 3 and isinstance(data, bytes):
                candidates.add(data.decode())
        overloads |= _possible(candidates)
    return names, overloads


def _possible(candidates: set[str]) -> set[str]:
    """The overloads of one call that can apply to the values a rule is given.

    `self` is declared dyn, so a call on it lists every overload (`_<=_` on bytes, uints,
    timestamps, durations, optionals). A value from an object is never one of those: such
    overloads matter only when they are the call's only candidates (a literal made it).
    """
    data = {name for name in candidates if not _NEVER_DATA.search(name)}
    return data or candidates


_NEVER_DATA = re.compile(r"(^|_)(bytes|uint64|timestamp|duration)(_|$)|^optional_(list|map)_index_")


def _joins_lists(checked: bytes) -> bool:
    """Whether a call `==`, `!=` or `+` may take two lists or maps from the object.

    One operand of a primitive type (`l.protocol == 'HTTP'`) is safe; so is a macro's
    accumulator joined with a list literal (`map`, `filter`: nothing is compared). Field
    numbers are cel.expr's: CheckedExpr.type_map = 3 and expr = 4, Expr.id = 2 and
    call_expr = 6, Type.null = 2 and primitive = 3.
    """
    primitive: set[int] = set()
    for number, entry in _fields(checked):
        if number == 3 and isinstance(entry, bytes):
            pair = dict(_fields(entry))
            kind = pair.get(2, b"")
            kinds = {field for field, _ in _fields(kind)} if isinstance(kind, bytes) else set()
            if kinds & {2, 3} and isinstance(pair.get(1), int):
                primitive.add(int(pair[1]))
    expr = dict(_fields(checked)).get(4, b"")
    return isinstance(expr, bytes) and _risky(expr, primitive)


def _risky(expr: bytes, primitive: set[int]) -> bool:
    fields = _fields(expr)
    for number, data in fields:
        if number == 6 and isinstance(data, bytes):  # a call
            call = _fields(data)
            function = next((v for f, v in call if f == 2 and isinstance(v, bytes)), b"")
            args = [v for f, v in call if f == 3 and isinstance(v, bytes)]
            if function in (b"_==_", b"_!=_", b"_+_") and _may_be_lists(
                args, primitive, joins=function == b"_+_"
            ):
                return True
        if isinstance(data, bytes) and number >= 5 and data and _risky_nested(data, primitive):
            return True
    return False


def _risky_nested(message: bytes, primitive: set[int]) -> bool:
    """Look for calls in every sub-expression of a select, call, list or comprehension."""
    try:
        parts = _fields(message)
    except (ValueError, IndexError):
        return False
    return any(
        isinstance(part, bytes) and part and _is_expr(part) and _risky(part, primitive)
        for _, part in parts
    )


def _is_expr(data: bytes) -> bool:
    try:
        fields = _fields(data)
    except (ValueError, IndexError):
        return False
    return bool(fields) and fields[0][0] == 2 and isinstance(fields[0][1], int)


def _may_be_lists(args: list[bytes], primitive: set[int], *, joins: bool) -> bool:
    """Whether the operands may both be lists from the object (or hold them, for `==`)."""
    ids, plain = [], 0
    for arg in args:
        fields = dict(_fields(arg))
        ids.append(fields.get(2))
        ident = fields.get(4)
        if 7 in fields or (isinstance(ident, bytes) and b"@result" in ident):
            plain += 1  # a list literal, or a macro's accumulator
    if any(isinstance(i, int) and i in primitive for i in ids):
        return False
    return not joins or plain < len(args)


def _fields(data: bytes) -> list[tuple[int, bytes | int]]:
    """A protobuf message's fields in order: (number, bytes or int)."""
    out: list[tuple[int, bytes | int]] = []
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(data, at)
            out.append((number, value))
        elif wire == 2:
            size, at = _varint(data, at)
            out.append((number, data[at : at + size]))
            at += size
        elif wire in (1, 5):
            at += 8 if wire == 1 else 4
        else:
            raise ValueError(f"protobuf wire type {wire}")
    return out


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at
