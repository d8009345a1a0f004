"""The library's public face: `dir(podgen)` and `help(podgen)` show the API, and every field of
RunFlags and PodFlags follows one coercion rule (issue 24, docs/library.md).

The cases are generated from the records' own annotations, field by field, so a field added
to the option table is held to the rule without a line here.
"""

from __future__ import annotations

import pydoc
from enum import Enum
from typing import Any, NamedTuple

import pytest
import yaml

import podgen
from podgen import PodFlags, RunFlags, UsageError, new
from podgen._building.flags import FLAG_OF_ATTRIBUTE, checked_flags
from podgen._model import spec
from podgen._model.options import OPTIONS
from podgen._model.words import WORDS
from tests.conftest import run_podgen

# The API


def test_dir_shows_the_public_api() -> None:
    names = dir(podgen)
    assert set(podgen.__all__) <= set(names)
    assert [name for name in names if not name.startswith("_")] == sorted(
        name for name in podgen.__all__ if not name.startswith("_")
    )


@pytest.mark.parametrize("name", [name for name in podgen.__all__ if name != "__version__"])
def test_every_public_name_is_documented_and_in_help(name: str) -> None:
    value = getattr(podgen, name)
    assert (value.__doc__ or "").strip(), name
    shown = pydoc.render_doc(podgen, renderer=pydoc.plaintext)
    assert name in shown


# One rule for every field


class Case(NamedTuple):
    """One value given to one field, and what the field holds then (None: refused)."""

    record: type
    field: str
    given: Any
    holds: Any


def _api_choices() -> dict[str, list[str]]:
    """The choices of each field kept as the API's text, from the option table and the words."""
    words = {word.key: word.schema for word in WORDS}
    found = {}
    for option in OPTIONS:
        schema = words[option.word] if option.word else option.schema or {}
        if option.attr and "enum" in schema:
            found[option.attr.removeprefix("pod.")] = schema["enum"]
    return found


API_CHOICES = _api_choices()


def _cases() -> list[Case]:
    cases: list[Case] = []
    for record in (RunFlags, PodFlags):
        for field, annotation in record.__annotations__.items():
            if field == "pod":
                continue
            declared = str(annotation)
            enum = getattr(spec, declared.partition(" | ")[0], None)
            if isinstance(enum, type) and issubclass(enum, Enum):
                for member in enum:
                    for given in (member, member.value, member.value.upper()):
                        cases.append(Case(record, field, given, member))
                refused: list[Any] = ["no-such-choice", 1, None]
            elif declared.startswith("bool"):
                cases += [Case(record, field, True, True), Case(record, field, False, False)]
                refused = ["yes", "true", 1, 0]
            elif declared.startswith("Sequence[str]"):
                cases += [
                    Case(record, field, ("a=b", "c=d"), ("a=b", "c=d")),
                    Case(record, field, ["a=b"], ("a=b",)),
                    Case(record, field, [], ()),
                    Case(record, field, "a=b,c=d", ("a=b,c=d",)),  # one string: one flag's value
                ]
                refused = [[1], ["a", None], 5, None, {"a": "b"}]
            elif declared.startswith("int"):
                for given, holds in ((3, 3), ("3", 3), ("-2", -2), ("+4", 4), (0, 0)):
                    cases.append(Case(record, field, given, holds))
                refused = ["three", "3.0", " 3", "", 3.0, True, ["3"]]
            elif declared.startswith("str | int"):  # a port: text, as kubectl's flag is
                cases += [Case(record, field, 80, "80"), Case(record, field, "80", "80")]
                refused = [80.0, True, ["80"]]
            elif field in API_CHOICES:  # a choice kept as the API's text: any case, too
                for value in API_CHOICES[field]:
                    for given in (value, value.lower(), value.upper()):
                        cases.append(Case(record, field, given, value))
                refused = [5, True, ["text"]]
            else:
                assert declared.startswith("str"), (field, declared)
                cases.append(Case(record, field, "text", "text"))
                refused = [5, True, ["text"]]
            if declared.endswith("| None"):
                cases.append(Case(record, field, None, None))
                refused = [value for value in refused if value is not None]
            cases += [Case(record, field, value, UsageError) for value in refused]
    return cases


CASES = _cases()


def _flags(case: Case) -> RunFlags:
    if case.record is RunFlags:
        return RunFlags(**{"name": "web", "image": "nginx:1.25.3", case.field: case.given})
    return RunFlags(name="web", image="nginx:1.25.3", pod=PodFlags(**{case.field: case.given}))


def _held(flags: RunFlags, case: Case) -> Any:
    return getattr(flags if case.record is RunFlags else flags.pod, case.field)


def test_every_field_is_covered() -> None:
    fields = {(case.record.__name__, case.field) for case in CASES}
    expected = {(r.__name__, f) for r in (RunFlags, PodFlags) for f in r._fields if f != "pod"}
    assert fields == expected
    assert len(expected) > 60


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case.holds is not UsageError],
    ids=lambda case: f"{case.record.__name__}.{case.field}={case.given!r}",
)
def test_a_field_takes_what_the_rule_takes(case: Case) -> None:
    held = _held(checked_flags(_flags(case)), case)
    assert held == case.holds and type(held) is type(case.holds)


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case.holds is UsageError],
    ids=lambda case: f"{case.record.__name__}.{case.field}={case.given!r}",
)
def test_a_field_refuses_the_rest_naming_its_flag(case: Case) -> None:
    attribute = case.field if case.record is RunFlags else f"pod.{case.field}"
    with pytest.raises(UsageError) as raised:
        checked_flags(_flags(case))
    message = str(raised.value)
    assert message.startswith(f"{FLAG_OF_ATTRIBUTE[attribute]}: expected "), message
    assert message.endswith(f"not {case.given!r}") and "\n" not in message
    if str(case.record.__annotations__[case.field]).startswith("str | int"):
        assert "expected a whole number or text, not" in message  # what is taken, not "string"


def test_every_choice_field_is_one() -> None:
    """The fields of the flags whose values are a fixed list: all held to the rule above."""
    assert sorted(API_CHOICES) == [
        "concurrency_policy",
        "image_pull_policy",
        "pod_management_policy",
        "restart",
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["--restart", "never"],
        ["--image-pull-policy", "always"],
        ["--kind", "cronjob", "--schedule", "* * * * *", "--concurrency-policy", "forbid"],
        ["--kind", "statefulset", "--pod-management-policy", "parallel"],
    ],
)
def test_the_command_line_keeps_kubectls_case(argv: list[str]) -> None:
    """kubectl's --restart and --image-pull-policy are case-sensitive; so are podgen's flags
    for the API's own choices: only the library folds case, by its one rule."""
    result = run_podgen(["new", "web", "--image", "nginx:1.25.3", *argv])
    assert result.code == 1 and result.stderr.startswith(f"error: {argv[-2]}: "), result
    assert repr(argv[-1]).replace("'", "") in result.stderr, result


def test_max_unavailable_takes_a_number_as_the_flag_does() -> None:
    flags = RunFlags(name="web", image="nginx:1.25.3", kind="daemonset")
    as_number = new(flags._replace(pod=PodFlags(max_unavailable=1)))
    assert as_number == new(flags._replace(pod=PodFlags(max_unavailable="1")))
    assert "maxUnavailable: 1\n" in as_number


# The issue's own examples, end to end: each spelling writes the same manifest.


@pytest.mark.parametrize(
    ("spellings"),
    [
        [{"port": 80}, {"port": "80"}],
        [{"replicas": 3}, {"replicas": "3"}],
        [{"env": ["A=1"]}, {"env": "A=1"}, {"env": ("A=1",)}],
        [{"annotations": ["team=web"]}, {"annotations": "team=web"}],
        [{"kind": "deployment"}, {"kind": "Deployment"}, {"kind": podgen.Kind.DEPLOYMENT}],
    ],
)
def test_every_spelling_writes_the_same(spellings: list[dict[str, Any]]) -> None:
    texts = {
        new(RunFlags(name="web", image="nginx:1.25.3", **({"kind": "deployment"} | one)))
        for one in spellings
    }
    assert len(texts) == 1
    (text,) = texts
    assert yaml.safe_load(text)["kind"] == "Deployment"


@pytest.mark.parametrize(
    ("pod", "where"),
    [
        ({"requests": "cpu=1"}, {"requests": {"cpu": "1"}}),
        ({"requests": ["cpu=1"]}, {"requests": {"cpu": "1"}}),
        ({"limits": "cpu=1,memory=1Gi"}, {"limits": {"cpu": "1", "memory": "1Gi"}}),
    ],
)
def test_pod_flags_take_one_string_or_a_list(pod: dict[str, Any], where: dict[str, Any]) -> None:
    text = new(RunFlags(name="web", image="nginx:1.25.3", pod=PodFlags(**pod)))
    assert yaml.safe_load(text)["spec"]["containers"][0]["resources"] == where
