"""`NamedTuple` for podgen's record classes, without importing `typing` when podgen runs.

Editor tasks and pre-commit hooks start podgen on every save, and its start-up is measured
against kubectl's (benchmarks/bench.py). Importing `typing` costs about 3 ms there, and
`typing.NamedTuple` turns each field's annotation (a string, under `from __future__ import
annotations`) into a compiled ForwardRef: a few ms more over podgen's records. So podgen's
modules import `typing` for type checkers only (`TYPE_CHECKING = False; if TYPE_CHECKING:`),
and take `NamedTuple` from here: to mypy it is `typing.NamedTuple`; at run time it makes the
same class with `collections.namedtuple`. tests/test_records.py holds the two to each other.
"""

from __future__ import annotations

import collections

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    #: What a record's class body may hold besides its fields, its methods and its docstring.
    _SPECIAL = frozenset(
        {"__module__", "__qualname__", "__annotations__", "__doc__", "__classcell__"}
    )

    class _NamedTupleMeta(type):
        """Makes `class Point(NamedTuple): x: int; y: int = 0` a collections.namedtuple."""

        def __new__(cls, name: str, bases: tuple[type, ...], namespace: dict[str, object]) -> type:
            if bases == ():  # NamedTuple itself
                return super().__new__(cls, name, bases, namespace)
            fields = dict(namespace.get("__annotations__", {}))  # type: ignore[call-overload]
            defaults = [namespace[field] for field in fields if field in namespace]
            required_after_default = [
                field
                for field in list(fields)[len(fields) - len(defaults) :]
                if field not in namespace
            ]
            if required_after_default:
                raise TypeError(
                    f"Non-default namedtuple field {required_after_default[0]} cannot follow "
                    "default field"
                )
            record = collections.namedtuple(  # type: ignore[misc]
                name, fields, defaults=defaults, module=str(namespace["__module__"])
            )
            record.__annotations__ = fields
            record.__doc__ = namespace.get("__doc__") or record.__doc__
            for key, value in namespace.items():
                if key not in _SPECIAL and key not in fields:
                    setattr(record, key, value)
            if "__classcell__" in namespace:  # a method uses super() or __class__
                namespace["__classcell__"].cell_contents = record  # type: ignore[attr-defined]
            return record

    class NamedTuple(metaclass=_NamedTupleMeta):
        """The base of a record class: its annotated names are its fields."""
