"""Load untrusted YAML safely and strictly, remembering where every key stands.

Blueprints and imported manifests come from files people paste and share. This loader only
ever builds plain data (never objects), and refuses what makes YAML surprising or dangerous:
tags (`!!python/object/apply` never runs), anchors, aliases and merge keys (so alias bombs
cannot blow up), duplicate keys, binary and oversized input. Every error names the file, the
line and the column.
"""

from __future__ import annotations

import functools
import json

from podgen._errors import Path, UsageError
from podgen._io.fast_yaml import NotFast, has_surrogate, read_written

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import yaml
else:

    class _OnFirstUse:
        """PyYAML, imported when first used: a plain blueprint is read without it.

        Importing PyYAML costs about 20 ms, a quarter of `podgen render --check`'s run.
        """

        def __getattr__(self, name: str) -> Any:
            import yaml as module

            globals()["yaml"] = module
            return getattr(module, name)

    yaml = _OnFirstUse()


@functools.lru_cache(maxsize=4096)
def _scalar_tag(value: str, implicit: tuple[bool, bool]) -> str:
    return str(_pyyaml().resolver.resolve(yaml.ScalarNode, value, implicit))  # type: ignore[no-untyped-call]


class _PyYaml:
    """PyYAML's pieces podgen uses, made once: the strict loader class and a resolver."""

    def __init__(self) -> None:
        #: libyaml's parser when PyYAML has it (much faster); the pure-Python one otherwise.
        base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class Loader(base):  # type: ignore[valid-type,misc]
            """The safe loader, remembering the type each plain scalar resolves to.

            Keys and common values repeat in every blueprint, and the resolver tries a list
            of regexes for each one.
            """

            def resolve(
                self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]
            ) -> str:
                if kind is yaml.ScalarNode:
                    return _scalar_tag(value, implicit)
                return str(super().resolve(kind, value, implicit))

        class Constructor(yaml.SafeLoader):
            """PyYAML's safe scalar construction, without a stream of its own."""

            def __init__(self) -> None:
                super().__init__("")

        self.loader: type[yaml.SafeLoader] = Loader
        self.resolver = yaml.resolver.Resolver()
        self.constructor = Constructor()


@functools.cache
def _pyyaml() -> _PyYaml:
    return _PyYaml()


#: Refuse anything larger: no blueprint or manifest is anywhere near this.
MAX_BYTES = 4 * 1024 * 1024


class YamlInputError(UsageError):
    """Input that is not usable YAML, with its file, line and column."""

    def __init__(self, source: str, line: int | None, column: int | None, message: str) -> None:
        where = source if line is None else f"{source}:{line}:{column}"
        self.source, self.line, self.column = source, line, column
        super().__init__(f"{where}: {message}")


class Document:
    """One YAML document as plain data, with the position of every key and list item.

    A plain class, not a dataclass: `podgen validate` and `render` read documents on every
    save, and importing dataclasses costs them several milliseconds of start-up.
    """

    __slots__ = ("_positions", "data", "index", "node", "source", "text")

    def __init__(
        self,
        source: str,
        data: Any,
        *,
        node: yaml.Node | None = None,
        text: str | None = None,
        index: int = 0,
        positions: dict[Path, tuple[int, int]] | None = None,
    ) -> None:
        self.source = source
        self.data = data
        #: The file's text (all of it, the `index`th document being this one): a scaffold
        #: keeps a blueprint as written, comments and all.
        self.text = text
        self.index = index
        #: The composed node tree, kept to find positions when an error needs one; None for
        #: a document the fast reader read (it records positions as it reads).
        self.node = node
        self._positions = positions

    def __repr__(self) -> str:
        return f"Document(source={self.source!r}, data={self.data!r})"

    @property
    def positions(self) -> dict[Path, tuple[int, int]]:
        """(line, column), both 1-based, of each key (for maps) and item (for lists).

        The fast reader records them; for a document PyYAML composed they are worked out on
        first use: only findings need them.
        """
        if self._positions is None:
            self._positions = {}
            if self.node is None and self.text is not None:
                nodes = list(yaml.compose_all(self.text, Loader=_pyyaml().loader))
                self.node = nodes[self.index]
            if self.node is not None:
                _record_positions(self.node, (), self._positions)
        return self._positions

    def position(self, path: Path) -> tuple[int, int]:
        """Where `path` stands, or its nearest ancestor that is in the file."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def where(self, path: Path) -> str:
        """`file:line:column` of `path`."""
        line, column = self.position(path)
        return f"{self.source}:{line}:{column}"


def decode(raw: bytes, source: str) -> str:
    """Check that raw input is non-empty UTF-8 text of a sane size."""
    if len(raw) > MAX_BYTES:
        raise YamlInputError(
            source, None, None, f"too large ({len(raw)} bytes; at most {MAX_BYTES})"
        )
    if b"\0" in raw:
        raise YamlInputError(source, None, None, "is a binary file, not YAML text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise YamlInputError(
            source, None, None, f"is not UTF-8 text (byte {error.start}: {raw[error.start]:#04x})"
        ) from None
    if not text.strip():
        raise YamlInputError(source, None, None, "is empty")
    return text


def load_documents(text: str, source: str) -> list[Document]:
    """Every document in `text`, strictly and safely loaded.

    A stream of JSON objects one after another (what `-o json` prints for several objects,
    and what `kubectl apply -f` reads) is a document per object.
    """
    spans = _json_stream(text)
    if spans is not None:
        documents = []
        for start, end in spans:
            # Blank out what comes before the object, so lines and columns stay the file's.
            line = text.count("\n", 0, start)
            column = start - (text.rfind("\n", 0, start) + 1)
            documents.extend(_load_yaml("\n" * line + " " * column + text[start:end], source))
        return documents
    return _load_yaml(text, source)


def _json_stream(text: str) -> list[tuple[int, int]] | None:
    """Where each of two or more JSON objects in a row stands, or None for any other text."""
    start = len(text) - len(text.lstrip())
    if not text.startswith("{", start):
        return None
    decoder = json.JSONDecoder()
    spans = []
    while start < len(text):
        try:
            _, end = decoder.raw_decode(text, start)
        except ValueError:
            return None  # not JSON after all: the YAML reader says what is wrong, and where
        spans.append((start, end))
        start = end + len(text[end:]) - len(text[end:].lstrip())
    return spans if len(spans) > 1 else None


def _load_yaml(text: str, source: str) -> list[Document]:
    if "&" in text or "*" in text or "!" in text:
        # Anchors, aliases and tags each start with one of these; text without any of them
        # has none, and needs no pass over its events to find them.
        _refuse_dangerous_events(text, source)
    else:
        try:
            # Most files are plain block maps: the fast reader gives what PyYAML would.
            return [
                Document(source, data, text=text, index=index, positions=positions)
                for index, (data, positions) in enumerate(read_written(text, _plain_value))
            ]
        except NotFast:
            pass
    try:
        nodes = list(yaml.compose_all(text, Loader=_pyyaml().loader))
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, source, text) from None
    documents = []
    for index, node in enumerate(nodes):
        if node is None:
            continue
        document = Document(source, None, node=node, text=text, index=index)
        document.data = _to_data(node, document, _constructor())
        documents.append(document)
    return documents


def _refuse_dangerous_events(text: str, source: str) -> None:
    try:
        for event in yaml.parse(text, Loader=_pyyaml().loader):
            mark = event.start_mark
            if mark is None:  # the parser marks every event; this keeps the types honest
                continue
            if isinstance(event, yaml.AliasEvent):
                raise YamlInputError(
                    source,
                    mark.line + 1,
                    mark.column + 1,
                    f"aliases (*{event.anchor}) are not allowed; write the value out",
                )
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise YamlInputError(
                    source,
                    mark.line + 1,
                    mark.column + 1,
                    f"anchors (&{anchor}) are not allowed; write values out",
                )
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!" and not _implicit(event):
                raise YamlInputError(
                    source, mark.line + 1, mark.column + 1, f"YAML tags ({tag}) are not allowed"
                )
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, source, text) from None


def _implicit(event: yaml.Event) -> bool:
    implicit = getattr(event, "implicit", False)
    return bool(implicit[0] or implicit[1]) if isinstance(implicit, tuple) else bool(implicit)


def _syntax_error(error: yaml.MarkedYAMLError, source: str, text: str) -> YamlInputError:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "invalid YAML"
    context = error.context_mark
    if error.context and context is not None and error.problem_mark is not None:
        # e.g. an unterminated quote: say where the quoted scalar started, not only where
        # the text ran out.
        problem = (
            f"{error.context} at line {context.line + 1}, column {context.column + 1}: {problem}"
        )
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
        problem += " (tabs are not allowed for indentation; use spaces)"
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    return YamlInputError(source, line, column, problem)


def _constructor() -> yaml.SafeLoader:
    """One constructor for every document (making one costs more than a small blueprint)."""
    builder = _pyyaml().constructor
    builder.constructed_objects = {}  # what it built for the last document
    return builder


def _to_data(node: yaml.Node, document: Document, builder: yaml.SafeLoader) -> Any:
    if isinstance(node, yaml.MappingNode):
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlInputError(
                    document.source, mark.line + 1, mark.column + 1, "keys must be plain strings"
                )
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlInputError(
                    document.source,
                    mark.line + 1,
                    mark.column + 1,
                    "merge keys (<<) are not allowed; write the keys out",
                )
            key = str(key_node.value)
            if key in data:
                first = next(k.start_mark.line for k, _ in node.value if str(k.value) == key)
                raise YamlInputError(
                    document.source,
                    mark.line + 1,
                    mark.column + 1,
                    f"duplicate key {key!r} (first at line {first + 1})",
                )
            data[key] = _to_data(value_node, document, builder)
        return data
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, document, builder) for item in node.value]
    # A string's value is the node's: skip the constructor's bookkeeping for the common case.
    value = node.value if node.tag == _STR else builder.construct_object(node)
    if isinstance(value, str) and has_surrogate(value):
        value = _join_surrogates(value, document, node)
    return value


def _record_positions(node: yaml.Node, path: Path, positions: dict[Path, tuple[int, int]]) -> None:
    positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*path, str(key_node.value))
            positions[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _record_positions(value_node, key, positions)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_positions(item, (*path, index), positions)


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"


#: The first characters with which PyYAML's YAML 1.1 resolver may read a plain scalar as
#: something other than text (numbers, dates, `~`, `<<`, `=`), beside letters; and the only
#: words that start with a letter and are not text.
_MAY_BE_TYPED = frozenset("-+.0123456789<~=")
_WORDS = frozenset(
    spelling
    for word in ("yes", "no", "true", "false", "on", "off", "null")
    for spelling in (word, word.capitalize(), word.upper())
)


def _plain_value(text: str) -> Any:
    """A plain scalar's value, as the composer and constructor make it."""
    first = text[:1]
    if first and first not in _MAY_BE_TYPED and (not first.isalpha() or text not in _WORDS):
        return text  # text by the resolver's own first-character table, without PyYAML
    if text.isdigit() and text.isascii() and (text[0] != "0" or text == "0"):
        return int(text)  # what construct_yaml_int does for a plain decimal
    tag = _scalar_tag(text, (True, False))
    if tag == _STR:
        return text
    if tag == _INT and text.isdigit() and text.isascii() and (text[0] != "0" or text == "0"):
        return int(text)  # what construct_yaml_int does for a plain decimal
    try:
        return _constructor().construct_object(yaml.ScalarNode(tag, text))
    except Exception as error:  # e.g. a date that does not exist: PyYAML's path says it
        raise NotFast from error


def _join_surrogates(value: str, document: Document, node: yaml.Node) -> str:
    """Turn JSON-style surrogate pair escapes into the one character the pair stands for."""
    try:
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        mark = node.start_mark
        raise YamlInputError(
            document.source,
            mark.line + 1,
            mark.column + 1,
            "contains a lone UTF-16 surrogate escape, which is not a character",
        ) from None
