"""The direct writer of common documents writes exactly what the go-yaml emitter port writes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podgen._io.emit import _goyaml
from podgen._io.emit._goyaml import emit, write_direct
from podgen._rendering.render import render
from tests.test_compiled_templates import CORPUS

DOCUMENTS = [render(manifest) for manifest in CORPUS]


def test_the_direct_writer_takes_most_objects() -> None:
    direct = [d for d in DOCUMENTS if write_direct(d) is not None]
    # The rest hold a scalar near column 80 (the init pattern's command, deep in a workload),
    # which the emitter may fold.
    assert len(direct) > 0.85 * len(DOCUMENTS)


@pytest.mark.parametrize("index", range(len(DOCUMENTS)))
def test_writes_what_the_emitter_writes(index: int) -> None:
    direct = write_direct(DOCUMENTS[index])
    assert direct is None or direct == emit(DOCUMENTS[index])


# Keys and scalars that stress styles and folding: indicators, quotes, spaces, breaks, lines
# near and past column 80, numbers and words YAML reads as other types.
PIECES = st.sampled_from(
    [
        "",
        " ",
        "a",
        "web",
        "-",
        ": ",
        "#",
        "'",
        '"',
        "\\",
        "\n",
        "\x85",
        "\u2028",
        "é",
        "\ufeff",
        "1",
        "0x1",
        "true",
        "~",
        "null",
        "*",
        "&",
        "!",
        "- ",
        "? ",
        "x" * 30,
        "y " * 20,
        "\t",
    ]
)
TEXT = st.lists(PIECES | st.text(max_size=5), max_size=6).map("".join)
SCALAR = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
DOCUMENT = st.dictionaries(
    TEXT,
    st.recursive(
        SCALAR,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
        max_leaves=10,
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT)
def test_writes_what_the_emitter_writes_for_any_document(document: dict[str, Any]) -> None:
    direct = write_direct(document)
    assert direct is None or direct == emit(document)


SIMPLE = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._/-]*", fullmatch=True)


@settings(max_examples=500, deadline=None)
@given(SIMPLE)
def test_the_analysis_shortcut_for_simple_strings_agrees(value: str) -> None:
    shortcut = _goyaml._Analysis(value)
    saved = _goyaml._SIMPLE
    try:
        _goyaml._SIMPLE = re.compile("(?!)")  # matches nothing: the full analysis runs
        full = _goyaml._Analysis(value)
    finally:
        _goyaml._SIMPLE = saved
    for flag in _goyaml._Analysis.__slots__:
        assert getattr(shortcut, flag) == getattr(full, flag), flag
