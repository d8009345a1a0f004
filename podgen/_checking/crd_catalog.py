"""The CustomResourceDefinitions podgen was given, by the (group, kind) they define.

CRDs come from validate's inputs, `--crd PATH`, a project's `crds:` and a blueprint's folder.
Finding them is cheap: a file is only named here, and read when a custom resource first asks
for a CRD; then only files whose text holds `CustomResourceDefinition` are parsed. A CRD's
schema is not looked at here at all: `_checking.custom_resources` reads the one version a
custom resource names.

Two CRDs for one group and kind: the same object twice (a CRD vendored in two folders) is
one. With one name and different content, the later input wins, as `kubectl apply` of both
leaves the later, and a warning names both (`crd-replaced`). With two names, the server
would serve the kind from the first and not accept the second's names (NamesAccepted False):
an error naming both (`crd-conflict`), and the first is used.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator

from podgen._io.files import files_below
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The text every file holding a CRD has; a file without it is not parsed for CRDs.
MARKER = "CustomResourceDefinition"
_CRD_API_GROUP = "apiextensions.k8s.io/"
_SUFFIXES = (".yaml", ".yml", ".json")


class Crd(NamedTuple):
    """One CRD: the object, its name, and where it was read."""

    obj: dict[str, Any]
    name: str
    group: str
    kind: str
    source: str
    line: int

    def where(self) -> str:
        """`crds/cert.yaml:3`."""
        return f"{self.source}:{self.line}"

    def label(self) -> str:
        """`CRD certificates.cert.example.io, crds/cert.yaml:3`: what findings append."""
        return f"CRD {self.name}, {self.where()}"


class CatalogProblem(NamedTuple):
    """Something wrong with the CRDs given: two for one kind. At the later CRD's line."""

    source: str
    line: int
    warning: bool
    message: str
    rule: str


class CrdCatalog:
    """CRDs by (group, kind), read on the first lookup (`find`)."""

    def __init__(self, fallback: CrdCatalog | None = None, *, strict: bool = False) -> None:
        #: A file that cannot be read or parsed is a UsageError naming it (explain's --crd),
        #: not left to the file's own validation.
        self.strict = strict
        #: Strict: each file's text as read, for checking its CRDs (a pipe reads once).
        self.texts: dict[str, str] = {}
        #: Asked for what this catalog does not define (a blueprint's own, then --crd's).
        self.fallback = fallback
        #: (file, its text if already read), in input order: read and parsed on first lookup.
        self._pending: list[tuple[str, str | None]] = []
        self._named: set[str] = set()
        self._crds: dict[tuple[str, str], Crd] = {}
        self.problems: list[CatalogProblem] = []
        self._once: set[object] = set()
        #: Called once, before the first lookup: sources costly to find (a project's crds:).
        self.before_first_lookup: Callable[[CrdCatalog], None] | None = None

    def __bool__(self) -> bool:
        return bool(
            self._pending or self._crds or self.before_first_lookup or self.fallback is not None
        )

    def add_file(self, path: str, text: str | None = None) -> None:
        """A file that may hold CRDs (`text`: already read). Each file is taken once."""
        key = os.path.abspath(path) if path != "<stdin>" else path
        if key in self._named:
            return
        self._named.add(key)
        if text is None or MARKER in text:
            self._pending.append((path, text))

    def add_path(self, path: str) -> bool:
        """A file, or every .yaml/.yml/.json below a folder (hidden ones skipped).

        False if there is no such path.
        """
        if os.path.isfile(path):
            self.add_file(path)
            return True
        if self.strict and os.path.exists(path) and not os.path.isdir(path):
            self.add_file(path)  # a pipe or device named on its own is read, as validate's inputs
            return True
        if not os.path.isdir(path):
            return False
        for name in folder_files(path):
            self.add_file(name)
        return True

    def add_objects(self, objects: Iterable[tuple[Any, str, int]]) -> None:
        """CRDs already parsed (a blueprint's `objects:`), each with its file and line."""
        for obj, source, line in objects:
            self._register(obj, source, line)

    def find(self, group: str, kind: str) -> Crd | None:
        """The CRD that defines `kind` in `group`, or None."""
        self._prepare()
        found = self._crds.get((group, kind))
        if found is None and self.fallback is not None:
            return self.fallback.find(group, kind)
        return found

    def crds(self) -> list[Crd]:
        """Every CRD found (reads what is pending)."""
        self._prepare()
        return list(self._crds.values())

    def _prepare(self) -> None:
        if self.before_first_lookup is not None:
            hook, self.before_first_lookup = self.before_first_lookup, None
            hook(self)
        if self._pending:
            self._load()

    def all_problems(self) -> list[CatalogProblem]:
        """The problems of this catalog and of those it falls back on."""
        found = list(self.problems)
        if self.fallback is not None:
            found.extend(self.fallback.all_problems())
        return found

    def once(self, key: object) -> bool:
        """True the first time `key` is asked for in this run (a note reported once)."""
        if key in self._once:
            return False
        self._once.add(key)
        return True

    def _load(self) -> None:
        pending, self._pending = self._pending, []
        for path, text in pending:
            if text is None:
                text = _read(path, self.strict)
                if text is None or MARKER not in text:
                    continue
            if self.strict:
                self.texts[path] = text
            self.add_objects(_crd_objects(text, path, self.strict))

    def _register(self, obj: Any, source: str, line: int) -> None:
        key = _defines(obj)
        if key is None:
            return
        name = str(obj["metadata"].get("name") or "")
        crd = Crd(obj, name, key[0], key[1], source, line)
        first = self._crds.get(key)
        if first is None:
            self._crds[key] = crd
        elif first.obj == obj:
            return  # one CRD given twice
        elif first.name == name:
            self._crds[key] = crd
            self.problems.append(
                CatalogProblem(
                    source,
                    line,
                    True,
                    f"CRD {name} is also at {first.where()}, with other content: this one is "
                    "used, as applying both leaves the later",
                    "crd-replaced",
                )
            )
        else:
            self.problems.append(
                CatalogProblem(
                    source,
                    line,
                    False,
                    f"CRD {name} defines kind {key[1]} in group {key[0]}, which CRD "
                    f"{first.name} at {first.where()} defines too: the API server would not "
                    "accept this one's names; custom resources are checked with the first",
                    "crd-conflict",
                )
            )


def _defines(obj: Any) -> tuple[str, str] | None:
    """(group, kind) a CRD object defines, or None for anything else or a CRD without them."""
    if (
        not isinstance(obj, dict)
        or obj.get("kind") != MARKER
        or not str(obj.get("apiVersion")).startswith(_CRD_API_GROUP)
    ):
        return None
    spec, metadata = obj.get("spec"), obj.get("metadata")
    names = spec.get("names") if isinstance(spec, dict) else None
    if not isinstance(names, dict) or not isinstance(metadata, dict):
        return None
    group, kind = spec.get("group"), names.get("kind")  # type: ignore[union-attr]
    if not isinstance(group, str) or not isinstance(kind, str) or not group or not kind:
        return None
    return group, kind


def _crd_objects(text: str, source: str, strict: bool = False) -> Iterator[tuple[Any, str, int]]:
    """Each CRD in a file's text, with its line.

    A file that does not load holds none (its own validation says why; `strict`: raised).
    The items of a CustomResourceDefinitionList (what the API server lists) need not say
    their apiVersion and kind: the list's are theirs.
    """
    from podgen._io.strict_yaml import YamlInputError, load_documents
    from podgen._model.objects import is_list

    try:
        documents = load_documents(text, source, duplicates="keep")
    except YamlInputError:
        if strict:
            raise
        return
    for document in documents:
        data = document.data
        if is_list(data):
            typed = data["kind"] == MARKER + "List"
            for index, item in enumerate(data["items"]):
                if typed and isinstance(item, dict) and "kind" not in item:
                    item = {"apiVersion": data.get("apiVersion"), "kind": MARKER, **item}
                if isinstance(item, dict) and item.get("kind") == MARKER:
                    yield item, source, document.position(("items", index))[0]
        elif isinstance(data, dict) and data.get("kind") == MARKER:
            yield data, source, document.position(())[0]


def _read(path: str, strict: bool = False) -> str | None:
    """A file's text; None if it cannot be read (`strict`: a UsageError in validate's words)."""
    from podgen._io.files import read_bytes, source_size
    from podgen._io.strict_yaml import MAX_BYTES, YamlInputError, decode

    try:
        if source_size(path) > MAX_BYTES:
            return None  # read a document at a time by validate; not searched for CRDs
        return decode(read_bytes(path), path)
    except (OSError, YamlInputError):
        if strict:
            raise
        return None


def folder_files(folder: str) -> list[str]:
    """Every .yaml, .yml and .json file below `folder`, sorted, hidden ones left out."""
    return files_below(folder, _SUFFIXES)


def beside(path: str) -> list[str]:
    """The .yaml, .yml and .json files in the folder of `path` (a blueprint's), not below."""
    folder = os.path.dirname(path) or "."
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [
        os.path.join(folder, name)
        for name in names
        if name.endswith(_SUFFIXES) and not name.startswith(".")
    ]


#: The CRDs the running command was given (`--crd`, podgen.yaml's `crds:`): render and import
#: check every blueprint's custom resources with them (`using`, `given`).
_given: list[CrdCatalog] = [CrdCatalog()]


@contextlib.contextmanager
def using(catalog: CrdCatalog) -> Iterator[CrdCatalog]:
    """`catalog` as the given CRDs while the block runs (a command's `--crd`)."""
    _given.append(catalog)
    try:
        yield catalog
    finally:
        _given.remove(catalog)


def given() -> CrdCatalog:
    """The CRDs the running command was given (an empty catalog outside `using`)."""
    return _given[-1]


def catalog_of(paths: Iterable[str], flag: str = "--crd", *, strict: bool = False) -> CrdCatalog:
    """A catalog of CRD files and folders; a missing one is a UsageError naming `flag`.

    `strict`: a file that cannot be read or parsed is a UsageError when read.
    """
    from podgen._errors import UsageError

    catalog = CrdCatalog(strict=strict)
    for path in paths:
        if not catalog.add_path(path):
            raise UsageError(f"{flag}: {path}: no such file or folder (a CRD file or a folder)")
    return catalog


def for_blueprint(
    source: str, crds: Iterable[tuple[Any, str, int]], fallback: CrdCatalog | None = None
) -> CrdCatalog:
    """A blueprint's CRDs: its `objects:`', the files' beside it, then `fallback`'s.

    `fallback` is by default the CRDs given (`--crd`, podgen.yaml's `crds:`).
    """
    catalog = CrdCatalog(fallback if fallback is not None else given())
    catalog.add_objects(crds)
    if os.path.isfile(source):  # not "<stdin>" or "<import>"
        for path in beside(source):
            if os.path.abspath(path) != os.path.abspath(source):
                catalog.add_file(path)
    return catalog
