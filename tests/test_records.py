"""podgen's run-time NamedTuple (`podgen._records`) makes the classes typing.NamedTuple makes."""

from __future__ import annotations

import pickle
import typing

import pytest

from podgen._records import NamedTuple


class Probe(NamedTuple):
    """A record with defaults, a method and a property."""

    kind: str
    port: int = 80
    path: str | None = None

    def describe(self) -> str:
        return f"{self.kind}:{self.port}{self.path or ''}"

    @property
    def secure(self) -> bool:
        return self.port == 443

    def plain_repr(self) -> str:
        return super().__repr__()  # super() needs the class cell set


class TypingProbe(typing.NamedTuple):
    """A record with defaults, a method and a property."""

    kind: str
    port: int = 80
    path: str | None = None


def test_the_class_is_a_namedtuple_like_typings() -> None:
    ours, theirs = Probe("http"), TypingProbe("http")
    assert tuple(ours) == tuple(theirs) == ("http", 80, None)
    assert Probe._fields == TypingProbe._fields
    assert Probe._field_defaults == TypingProbe._field_defaults == {"port": 80, "path": None}
    assert Probe.__doc__ == TypingProbe.__doc__
    assert Probe.__module__ == TypingProbe.__module__ == __name__
    assert repr(ours) == "Probe(kind='http', port=80, path=None)"
    assert ours._replace(port=443).secure
    assert ours._asdict() == theirs._asdict()
    assert ours.describe() == "http:80"
    assert ours.plain_repr() == "('http', 80, None)"  # super() is tuple, as in typing
    assert pickle.loads(pickle.dumps(ours)) == ours  # noqa: S301  (our own bytes)
    assert typing.get_type_hints(Probe) == typing.get_type_hints(TypingProbe)


def test_a_field_without_default_after_one_with_is_refused_as_typing_does() -> None:
    with pytest.raises(TypeError, match="Non-default namedtuple field b cannot follow default"):

        class Wrong(NamedTuple):
            a: int = 1
            b: int  # type: ignore[misc]


def test_fields_are_required_and_immutable() -> None:
    with pytest.raises(TypeError):
        Probe()  # type: ignore[call-arg]
    with pytest.raises(AttributeError):
        Probe("tcp").port = 1  # type: ignore[misc]
