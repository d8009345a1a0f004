"""The reader of rendered templates reads exactly what PyYAML's safe loader reads."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podgen import _rendered_yaml
from podgen._compiled_templates import RENDER
from podgen._quoting import quote
from podgen._render import _TEMPLATE_FOR, TEMPLATE_SUFFIX
from podgen._rendered_yaml import RenderedYamlError, load_rendered
from tests.test_compiled_templates import CORPUS, MANIFEST

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pyyaml(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)


def _fast(text: str) -> Any:
    """The fast reader alone; fails the test if it hands the text to PyYAML."""
    return _rendered_yaml._Reader(text).document()


def _rendered(manifest: Any) -> str:
    return RENDER[_TEMPLATE_FOR[type(manifest)] + TEMPLATE_SUFFIX](manifest)


@pytest.mark.parametrize("index", range(0, len(CORPUS), 7))
def test_reads_what_podgen_renders_itself_without_pyyaml(index: int) -> None:
    text = _rendered(CORPUS[index])
    assert _fast(text) == _pyyaml(text)


def test_every_corpus_object_reads_the_same() -> None:
    for manifest in CORPUS:
        text = _rendered(manifest)
        assert load_rendered(text) == _pyyaml(text)


@SETTINGS
@given(MANIFEST)
def test_reads_any_rendered_object_as_pyyaml_does(manifest: Any) -> None:
    text = _rendered(manifest)
    assert load_rendered(text) == _pyyaml(text)


VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)


@SETTINGS
@given(VALUE)
def test_reads_any_quoted_value_as_pyyaml_does(value: Any) -> None:
    assert _fast(f"key: {quote(value)}\n") == {"key": value}
    for text in (f"key:\n- {quote(value)}\n", f"a:\n  b:\n    {quote(value)}\n"):
        assert _fast(text) == _pyyaml(text)


# Each of these is outside what the fast reader knows; PyYAML reads them, and the result is
# the same as PyYAML's (values that are not strings, comments, other escapes, folding...).
OTHER_YAML = [
    "a: yes\n",
    "a: On\n",
    "a: ~\n",
    "a: 1.5\n",
    "a: 0x1F\n",
    "a: 012\n",
    "a: +5\n",
    "a: 1_000\n",
    "a: 2001-12-14\n",
    "a: nginx:1.25\n",
    "a: b # a comment\n",
    "# a comment\na: b\n",
    "a:  b\n",
    "a: b \n",
    "a:\n- - x\n  - y\n",
    "a:\n-   x\n",
    'a: "\\n\\t"\n',
    'a: "\\U0001F600"\n',
    "a: 'single'\n",
    "a: plain\n  folded\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "---\na: b\n",
    "a: b\n...\n",
    "true: b\n",
    "1: b\n",
    "a:\n\tb: c\n",
    "a: {b: c}\n",
    '{"a": "b"}\n',
    "- a\n",
    'a: [1, [2, 3], {"b": null}]\n',
    'a: {"b":"c"}\n',
    "a: é\n",
    "a: b\r\n",
    "",
]


def _same_as_pyyaml(text: str) -> None:
    try:
        expected: Any = _pyyaml(text)
    except yaml.YAMLError:
        with pytest.raises(RenderedYamlError):
            load_rendered(text)
    else:
        assert load_rendered(text) == expected


@pytest.mark.parametrize("text", OTHER_YAML)
def test_other_yaml_is_read_by_pyyaml(text: str) -> None:
    _same_as_pyyaml(text)


@pytest.mark.parametrize(
    "text",
    ["a: b\na: c\n", "a: [1, 2\n", "a: b\n  c: d\n", 'a: "open\n', "a:\n  - b\n  c: d\n"],
)
def test_text_pyyaml_refuses_is_an_error_and_duplicates_read_alike(text: str) -> None:
    _same_as_pyyaml(text)
