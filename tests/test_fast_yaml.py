"""The fast YAML reader reads exactly what PyYAML's safe loader reads, or leaves the text to it."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podgen._io import fast_yaml as _fast_yaml
from podgen._io import strict_yaml as _strict_yaml
from podgen._io.fast_yaml import NotFast, RenderedYamlError, load_rendered
from podgen._rendering.compiled_templates import RENDER
from podgen._rendering.quoting import quote
from podgen._rendering.render import _TEMPLATE_FOR, TEMPLATE_SUFFIX
from tests.test_compiled_templates import CORPUS, MANIFEST

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pyyaml(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)


def _fast(text: str) -> Any:
    """The fast reader alone; fails the test if it hands the text to PyYAML."""
    return _fast_yaml._Reader(text, None).document()


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


# --- what people write: blueprints and manifests ---------------------------------------------


def _pyyaml_path(text: str) -> list[Any]:
    """The strict loader's general path: libyaml composes, and nodes become data."""
    return [
        _strict_yaml._Builder(_strict_yaml.Document("t", None)).data(node, 1)
        for node in yaml.compose_all(text, Loader=_strict_yaml._pyyaml().loader)
        if node is not None
    ]


def _pyyaml_positions(text: str) -> list[dict[Any, tuple[int, int]]]:
    """Where PyYAML's nodes put each key and item, document by document."""
    found = []
    for node in yaml.compose_all(text, Loader=_strict_yaml._pyyaml().loader):
        positions: dict[Any, tuple[int, int]] = {}
        _strict_yaml._record_positions(node, (), positions)
        found.append(positions)
    return found


def _read_written(text: str) -> list[Any]:
    """The fast reader's documents; its positions are held to PyYAML's on the way."""
    documents = _fast_yaml.read_written(text, _strict_yaml._plain_value)
    expected = _pyyaml_positions(text)
    assert len(documents) == len(expected)
    for (data, positions), pyyaml_positions in zip(documents, expected, strict=True):
        if data is None:
            assert positions is None  # an empty document: PyYAML's node, if ever asked
        else:
            assert positions == pyyaml_positions
    return [data for data, _ in documents]


FILES = sorted(
    path
    for folder in ("blueprints", "tests/manifests", "tests/tutorial_mistakes", "tests/blueprints")
    for path in (ROOT / folder).glob("*.yaml")
)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_written_files_read_as_pyyaml_reads_them(path: Path) -> None:
    text = path.read_text()
    try:
        fast = _read_written(text)
    except NotFast:
        return  # PyYAML reads it (the loader's other path)
    assert fast == _pyyaml_path(text)


def test_most_builtin_blueprints_take_the_fast_path() -> None:
    fast = 0
    for path in FILES:
        if path.parent.name == "blueprints" and path.parent.parent == ROOT:
            with contextlib.suppress(NotFast):
                _read_written(path.read_text())
                fast += 1
    assert fast >= 10


# Plain scalars YAML 1.1 types in every way, and texts that only look plain.
PLAIN_VALID = st.sampled_from(
    [
        "80",
        "080",
        "0",
        "-5",
        "+5",
        "0x1F",
        "0o17",
        "1_000",
        "1:30",
        "1.5",
        "1e5",
        "1.5e+3",
        ".inf",
        "-.inf",
        ".nan",
        "yes",
        "No",
        "ON",
        "off",
        "y",
        "n",
        "true",
        "False",
        "null",
        "~",
        "NULL",
        "2023-01-01",
        "2001-12-14t21:59:43.10-05:00",
        "nginx:1.25.3",
        "a b",
        "a#b",
        "web-1",
        "-x",
        "café",
        "a,b",
        "a]",
        "=",
        "a  b",
        "http://x/y?z=1",
        "a #b",
    ]
)
# Texts that only look plain: YAML refuses them, reads them otherwise, or they need its rules.
PLAIN_TRICKY = st.sampled_from(
    [
        "2023-02-30",
        ":x",
        "?x",
        "x:",
        "a: b",
        "<<",
        "@x",
        "`x`",
        "%x",
        "!x",
        "&x",
        "*x",
        "|",
        ">",
        "- x",
        "? x",
        ": x",
    ]
)
PLAIN = PLAIN_VALID | PLAIN_VALID | PLAIN_VALID | PLAIN_TRICKY
QUOTED = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8).map(
    lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
) | st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=8).map(
    lambda text: "'" + text.replace("'", "''") + "'"
)
ITEM = PLAIN | QUOTED
SEPARATOR = st.sampled_from([", ", ",", " , ", ",  "])
FLOW = st.one_of(
    st.tuples(st.lists(ITEM, max_size=3), SEPARATOR).map(
        lambda pair: "[" + pair[1].join(pair[0]) + "]"
    ),
    st.tuples(st.lists(st.tuples(ITEM, ITEM), max_size=3), SEPARATOR).map(
        lambda pair: "{" + pair[1].join(f"{k}: {v}" for k, v in pair[0]) + "}"
    ),
    st.sampled_from(["[]", "{}", "[ ]", "[1, [2]]", "[a, {b: c}]", "{a: [b]}", "[a]]"]),
)
SCALAR = PLAIN | QUOTED | FLOW
KEY = st.sampled_from(["name", "image", "port", "labels", "a", "b", "on", "null", '"x y"', "k1"])
COMMENT = st.sampled_from(["", " # note", "  #x", "#x"])


@st.composite
def written_documents(draw: st.DrawFn) -> str:
    """Block YAML as people write it: maps and lists, comments, aligned values, `---`."""
    lines = ["---"] if draw(st.booleans()) else []

    def block(depth: int, indent: int) -> None:
        for key in draw(st.lists(KEY, min_size=1, max_size=3, unique=True)):
            kind = (
                draw(st.sampled_from(["scalar", "scalar", "map", "list"]))
                if depth < 2
                else "scalar"
            )
            pad = " " * indent
            if kind == "scalar":
                space = draw(st.sampled_from([" ", "  "]))
                lines.append(f"{pad}{key}:{space}{draw(SCALAR)}{draw(COMMENT)}")
            elif kind == "map":
                lines.append(f"{pad}{key}:{draw(COMMENT)}")
                block(depth + 1, indent + 2)
            else:
                lines.append(f"{pad}{key}:")
                items = " " * (indent + draw(st.sampled_from([0, 2])))
                for _ in range(draw(st.integers(1, 2))):
                    if draw(st.booleans()):
                        lines.append(f"{items}- {draw(SCALAR)}{draw(COMMENT)}")
                    else:
                        lines.append(f"{items}- {draw(KEY)}: {draw(SCALAR)}")
            if draw(st.integers(0, 5)) == 0:
                lines.append(draw(st.sampled_from(["", "# a comment", "   ", "  # indented"])))

    block(0, 0)
    for _ in range(draw(st.integers(0, 2))):  # more documents, an empty one, a trailing `---`
        lines.append("---")
        if draw(st.integers(0, 3)):
            block(0, 0)
    return "\n".join(lines) + "\n"


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_documents())
def test_written_text_reads_as_pyyaml_reads_it(text: str) -> None:
    try:
        expected = _pyyaml_path(text)
    except (yaml.YAMLError, _strict_yaml.YamlInputError, ValueError):
        with pytest.raises(NotFast):  # what PyYAML refuses is never read here
            _read_written(text)
        return
    try:
        fast = _read_written(text)
    except NotFast:
        return
    assert fast == expected


WRITTEN = [
    "apiVersion: podgen.dev/v1\nkind: Blueprint  # a comment\npods:\n  - name: web-1\n"
    "    image: nginx:1.25.3\n    port: 80\n    labels: {app: web, tier: front}\n",
    "---\n# header\nenv:\n  MYSQL_ROOT_PASSWORD: change-me\n  m: '1'\n  k: \"a b\"\n",
    'command: [sh, -c, "echo hi && sleep 1"]\nkinds: [readiness]\nrequests: {cpu: 100m}\n',
    "labels:\n  app.kubernetes.io/name: web\n  on-call: no-one\nratio:   1.5\nwhen: 2024-01-01\n",
    "kind: Pod\n---\nkind: Service\nspec:\n  ports:\n  - port: 80\n---\n",
    "# a header\n---\n---\nkind: Pod\n---\n# nothing\n---\nkind: Service\n",
    "args: [ --port, {m: [ 8080, x ]} ]\nc:\n  - - a\n    - {b: c,  d: [e]}\n",
]


@pytest.mark.parametrize("text", WRITTEN)
def test_common_written_forms_take_the_fast_path(text: str) -> None:
    assert _read_written(text) == _pyyaml_path(text)


def test_duplicate_keys_and_tags_are_left_to_pyyaml() -> None:
    for text in [
        *("a: 1\na: 2\n", "a: !!str 1\n", "a: &x 1\nb: *x\n", "<<: {a: 1}\n", "a: |\n  x\n"),
        *("a: 1\n...\n", "a: 1\n--- # two\nb: 2\n", "--- a: 1\n", "# only a comment\n"),
    ]:
        with pytest.raises(NotFast):
            _read_written(text)


BOOL_AND_NULL = ("yes", "no", "true", "false", "on", "off", "null")
PLAIN_SCALARS = [
    *[spelling for word in BOOL_AND_NULL for spelling in (word, word.title(), word.upper())],
    "y", "n", "Y", "N", "o", "t", "f", "nginx", "namespace", "tolerations", "overrides",
    "yesterday", "nul", "truex", "Off-peak", "~", "1e3", "1.5", ".5", ".inf", ".NaN", "0o7",
    "0x1F", "0b101", "010", "1_000", "1:20", "-1", "+1", "0", "2023-01-01", "2023-02-29", "é",
    "_x", "/data", "80", "nginx:1.25.3", "a b", "ünïcode",
]  # fmt: skip


@pytest.mark.parametrize("scalar", PLAIN_SCALARS)
def test_plain_values_are_what_the_general_path_reads(scalar: str) -> None:
    """The fast reader types plain scalars as the general path does (both as kubectl does:
    tests/test_reading_kubectl.py holds them to the real kubectl)."""
    try:
        expected = _pyyaml_path(f"v: {scalar}\n")[0]["v"]
    except (
        _strict_yaml.YamlInputError
    ):  # .inf and .nan: kubectl refuses them, the general path says where
        with pytest.raises(_fast_yaml.NotFast):
            _strict_yaml._plain_value(scalar)
        return
    value = _strict_yaml._plain_value(scalar)
    assert (type(value), value) == (type(expected), expected)


def test_a_map_key_too_long_to_be_implicit_still_reads_as_data() -> None:
    # Found by the property above: YAML reads an implicit key only within 1024 characters.
    annotations = {"k" * 1100: "v", "short": "w"}
    text = f"metadata:\n  annotations: {quote(annotations)}\n"
    assert _pyyaml(text) == load_rendered(text) == {"metadata": {"annotations": annotations}}
