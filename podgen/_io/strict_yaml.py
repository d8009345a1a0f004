"""Load untrusted YAML safely and strictly, remembering where every key stands.

Blueprints and imported manifests come from files people paste and share. This loader
reads them as kubectl does (go-yaml v2 through sigs.k8s.io/yaml): plain scalars typed by
go-yaml's rules, anchors, aliases, merge keys and the standard tags read, any other tag
leaving its text a string (`!!python/object/apply` never runs: only plain data is built).
It refuses what kubectl refuses (an alias bomb past go-yaml's budget, nesting past its
depth, `.inf`); a key given twice is refused, or read as kubectl reads it (the last value
wins) for `podgen validate` to warn of. Every error names the file, the line and the column.
"""

from __future__ import annotations

import functools
import json
import re

from podgen._errors import Path, UsageError, quoted
from podgen._io.fast_yaml import NotFast, has_surrogate, read_written
from podgen._io.go_scalars import NotJson, go_key, go_plain, go_tagged

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


class _PyYaml:
    """PyYAML's pieces podgen uses, made once: the strict loader class."""

    def __init__(self) -> None:
        #: libyaml's parser when PyYAML has it (much faster); the pure-Python one otherwise.
        base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class Loader(base):  # type: ignore[valid-type,misc]
            """The safe loader, leaving every plain scalar for go_plain to type."""

            def resolve(
                self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]
            ) -> str:
                if kind is yaml.ScalarNode:
                    # A plain scalar is typed as kubectl types it (go_scalars), not by
                    # PyYAML's YAML 1.1 resolver; quoted ones are strings.
                    return _PLAIN if implicit[0] else _STR
                return str(super().resolve(kind, value, implicit))

        self.loader: type[yaml.SafeLoader] = Loader


@functools.cache
def _pyyaml() -> _PyYaml:
    return _PyYaml()


#: Refuse anything larger: no blueprint or manifest is anywhere near this.
MAX_BYTES = 4 * 1024 * 1024
#: What a command that must hold a whole file reads at once: `podgen import` (every object
#: goes into one blueprint) and a blueprint (all its pods render together).
WHOLE_MAX_BYTES = 64 * 1024 * 1024


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

    __slots__ = ("_positions", "data", "duplicates", "index", "node", "source", "text")

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
        #: Keys given twice in a map, read as kubectl reads them (the last value wins), when
        #: the caller asked to keep them (`duplicates="keep"`): each as the error it would be.
        self.duplicates: list[YamlInputError] = []

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

    def written(self, path: Path, value: Any) -> str | None:
        """The plain scalar at `path` as the file writes it (`1e3`, `y`), if it reads as `value`.

        A hint to quote a value must show what the file says, not the number or boolean
        it was read as.
        """
        if self.text is None or path not in self.positions:
            return None
        line, column = self.positions[path]
        lines = self.text.split("\n")
        rest = lines[line - 1][column - 1 :] if line <= len(lines) else ""
        if path and isinstance(path[-1], str):  # the position is the key's: skip to its value
            colon = rest.find(":")
            rest = rest[colon + 1 :] if colon >= 0 else ""
        token = re.split(r"[,\]}]| #", rest.strip(), maxsplit=1)[0].strip()
        try:
            same = go_plain(token)
        except NotJson:
            return None
        return token if token and type(same) is type(value) and same == value else None

    def where(self, path: Path) -> str:
        """`file:line:column` of `path`."""
        line, column = self.position(path)
        return f"{self.source}:{line}:{column}"


def decode(raw: bytes, source: str, limit: int = MAX_BYTES) -> str:
    """Check that raw input is non-empty text of a sane size; return it as a string.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM (PowerShell's `>` writes UTF-16 LE)
    are read, as kubectl reads them; kubectl refuses UTF-32 and UTF-16 without a BOM. `limit`:
    what one read may hold (a command that must hold everything, import, allows more).
    """
    if len(raw) > limit:
        raise YamlInputError(source, None, None, f"too large ({len(raw)} bytes; at most {limit})")
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise YamlInputError(
            source, None, None, "is UTF-32 text, which kubectl cannot read; re-save it as UTF-8"
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as error:
            raise YamlInputError(
                source,
                None,
                None,
                f"is not UTF-8 or UTF-16 text (it starts with a UTF-16 byte order mark; "
                f"byte {error.start + 2} is not UTF-16)",
            ) from None
    if b"\0" in raw:
        hint = (
            " (it looks like UTF-16 or UTF-32 text without a byte order mark; re-save it as UTF-8)"
            if raw[:2].count(0) == 1 or raw[:4].count(0) == 3
            else ""
        )
        raise YamlInputError(source, None, None, f"is a binary file, not YAML text{hint}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise YamlInputError(
            source, None, None, f"is not UTF-8 text (byte {error.start}: {raw[error.start]:#04x})"
        ) from None
    if not text.strip():
        raise YamlInputError(source, None, None, "is empty")
    return text


def load_documents(text: str, source: str, *, duplicates: str = "refuse") -> list[Document]:
    """Every document in `text`, strictly and safely loaded.

    A stream of JSON objects one after another (what `-o json` prints for several objects,
    and what `kubectl apply -f` reads) is a document per object. A key given twice in a map
    is an error, or with `duplicates="keep"` read as kubectl reads it (the last value wins)
    and kept in the document's `duplicates`.
    """
    spans = _json_stream(text)
    if spans is not None:
        documents = []
        for start, end in spans:
            # Blank out what comes before the object, so lines and columns stay the file's.
            line = text.count("\n", 0, start)
            column = start - (text.rfind("\n", 0, start) + 1)
            padded = "\n" * line + " " * column + text[start:end]
            documents.extend(_load_yaml(padded, source, duplicates))
        return documents
    return _load_yaml(text, source, duplicates)


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
        except (ValueError, RecursionError):
            return None  # not JSON after all (or too deep): the YAML reader says what is wrong
        spans.append((start, end))
        start = end + len(text[end:]) - len(text[end:].lstrip())
    return spans if len(spans) > 1 else None


def _load_yaml(text: str, source: str, duplicates: str = "refuse") -> list[Document]:
    if "&" not in text and "*" not in text and "!" not in text:
        # Anchors, aliases and tags each start with one of these; the fast reader reads
        # none of them.
        try:
            # Most files are plain block maps: the fast reader gives what kubectl would.
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
    except yaml.reader.ReaderError as error:  # a control character (U+001C, DEL...)
        before = text[: error.position]
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        code = f"U+{error.character:04X}" if isinstance(error.character, int) else "one"
        message = f"control characters are not allowed in YAML ({code})"
        raise YamlInputError(source, line, column, message) from None
    documents = []
    for index, node in enumerate(nodes):
        if node is None:
            continue
        document = Document(source, None, node=node, text=text, index=index)
        try:
            document.data = _Builder(document, keep_duplicates=duplicates == "keep").data(node, 1)
        except RecursionError:
            mark = node.start_mark
            raise YamlInputError(
                source,
                mark.line + 1,
                mark.column + 1,
                "is nested too deeply for podgen (about 500 levels of lists or maps at most; "
                f"kubectl reads up to {MAX_DEPTH})",
            ) from None
        documents.append(document)
    return documents


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


#: kubectl's JSON reader refuses nesting deeper than this (Go's encoding/json limit).
MAX_DEPTH = 10000


def _alias_ratio(decoded: int) -> float:
    """The share of decoded nodes go-yaml v2 lets come from aliases (its allowedAliasRatio)."""
    low, high = 400_000, 4_000_000
    if decoded <= low:
        return 0.99
    if decoded >= high:
        return 0.10
    return 0.99 - 0.89 * (decoded - low) / (high - low)


class _Builder:
    """Plain data from a composed node tree, as kubectl's YAML reader builds it.

    Aliases are expanded, merge keys (`<<`) merged, standard tags resolved, all as go-yaml
    v2 does; and, like go-yaml, it stops an alias bomb by its budget: once more than 100
    nodes came from aliases (in a document of more than 1,000), they may be at most 99% of
    all nodes (10% in a huge document).
    """

    def __init__(self, document: Document, *, keep_duplicates: bool = False) -> None:
        self.document = document
        self.keep_duplicates = keep_duplicates
        self.seen: set[int] = set()
        self.decoded = 0
        self.aliased = 0
        self.alias_depth = 0

    def fail(self, node: yaml.Node, message: str) -> YamlInputError:
        mark = node.start_mark
        return YamlInputError(self.document.source, mark.line + 1, mark.column + 1, message)

    def data(self, node: yaml.Node, depth: int) -> Any:
        self.decoded += 1
        alias = id(node) in self.seen
        if alias:
            # go-yaml decodes the alias node itself (not counted as aliased), then its target.
            self.decoded += 1
            self.alias_depth += 1
        else:
            self.seen.add(id(node))
        if self.alias_depth:
            self.aliased += 1
            if (
                self.aliased > 100
                and self.decoded > 1000
                and self.aliased / self.decoded > _alias_ratio(self.decoded)
            ):
                raise self.fail(
                    node, "document contains excessive aliasing (kubectl's limit; an alias bomb?)"
                )
        try:
            if isinstance(node, yaml.ScalarNode):
                return self.scalar(node)
            if depth > MAX_DEPTH:
                raise self.fail(node, f"exceeded max depth of {MAX_DEPTH} (kubectl's limit)")
            if isinstance(node, yaml.SequenceNode):
                return [self.data(item, depth + 1) for item in node.value]
            return self.mapping(node, depth)  # type: ignore[arg-type]
        finally:
            if alias:
                self.alias_depth -= 1

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        data: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.value == "<<"
                and (key_node.tag == _PLAIN or key_node.tag == _MERGE)
            ):
                self.merge(data, value_node, depth)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "keys must be plain strings")
            key = go_key(self.scalar(key_node))
            if key is None:
                raise self.fail(key_node, "a null key: kubectl refuses it (unsupported map key)")
            line = key_node.start_mark.line + 1
            if key in lines:
                error = self.fail(
                    key_node, f"duplicate key {quoted(key)} (first at line {lines[key]})"
                )
                if not self.keep_duplicates:
                    raise error
                self.document.duplicates.append(error)  # kubectl keeps the last value
            lines[key] = line
            data[key] = self.data(value_node, depth + 1)
        return data

    def merge(self, data: dict[str, Any], value: yaml.Node, depth: int) -> None:
        """go-yaml v2's merge: a map's keys, or each map's of a list, the first map winning."""
        maps = value.value if isinstance(value, yaml.SequenceNode) else [value]
        if not all(isinstance(each, yaml.MappingNode) for each in maps):
            raise self.fail(value, "map merge requires map or sequence of maps as the value")
        for each in reversed(maps) if isinstance(value, yaml.SequenceNode) else maps:
            data.update(self.data(each, depth))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR:
            value: Any = text
        else:
            try:
                if tag == _PLAIN:
                    value = go_plain(text)
                elif tag == _BINARY:
                    value = _binary(text)
                else:
                    value = go_tagged(tag, text)
            except NotJson as error:
                raise self.fail(node, f"error converting YAML to JSON: {error}") from None
            except ValueError as error:
                raise self.fail(node, str(error)) from None
        if isinstance(value, str) and has_surrogate(value):
            value = _join_surrogates(value, self.document, node)
        return value


def _binary(text: str) -> str:
    import base64
    import binascii

    try:
        return base64.b64decode("".join(text.split()), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError("!!binary value is not base64 of UTF-8 text") from None


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
_BINARY = "tag:yaml.org,2002:binary"
_MERGE = "tag:yaml.org,2002:merge"
#: The tag the loader gives a plain scalar: go_plain types it.
_PLAIN = "tag:podgen:plain"


def _plain_value(text: str) -> Any:
    """A plain scalar's value, as kubectl reads it (the fast reader's way to ask)."""
    try:
        return go_plain(text)
    except NotJson:
        raise NotFast from None  # the general reader says where


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


#: A line that starts with a line number, as an editor or a web page shows one: `  1 kind: x`.
_NUMBERED_LINE = re.compile(r"\s*(\d+)[ \t.:|)]")


def pasted_line_numbers(text: str) -> str | None:
    """The message for text pasted with its line numbers (1, 2, 3, ... down the lines)."""
    lines = [line for line in text.splitlines() if line.strip()]
    numbers = [match.group(1) for line in lines if (match := _NUMBERED_LINE.match(line))]
    if (
        len(lines) < 2
        or not _NUMBERED_LINE.match(lines[0])
        or len(numbers) < 0.8 * len(lines)
        or int(numbers[1]) <= int(numbers[0])  # counting up, as line numbers do
    ):
        return None
    first = lines[0].strip()
    return (
        f"the lines start with line numbers ({quoted(first[:30])}...): pasted from an editor or a "
        "web page? Remove the numbers (and the spaces before them) from every line"
    )
