"""Read a YAML file too large to hold at once a piece at a time, in bounded memory.

`kubectl get -o yaml` dumps and CRD bundles run to tens of megabytes. Such a file is split
where YAML itself splits it: at each `---` document marker, and, in a `kind: List` as kubectl
prints it, at each item of its top-level `items` (a `- ` at column 0). Each piece keeps its
lines' columns and says on which line of the file it starts, so that positions stay the
file's. Only one piece (and the list's own few lines) is held at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from podgen._records import NamedTuple


class Piece(NamedTuple):
    """A document, or one item of a List, with where it stands in the file."""

    text: str
    #: Lines of the file before the piece's first line.
    line: int
    #: ("items", n) for the nth item of a List; () for a whole document.
    prefix: tuple[str | int, ...]


def pieces(file: Iterable[bytes], source: str) -> Iterator[Piece]:
    """The file's documents and List items, in order, each read once."""
    head: list[str] = []  # the document's lines outside its items (blank for item lines)
    head_line = 0
    item: list[str] = []
    item_line = 0
    index = -1
    in_items = False
    for number, raw in enumerate(file):
        line = raw.decode("utf-8-sig" if number == 0 else "utf-8")
        if line.rstrip("\r\n") == "---" or line.startswith(("--- ", "---\t")):
            if item:
                yield Piece("".join(item), item_line, ("items", index))
            if any(text.strip() and not text.lstrip().startswith("#") for text in head):
                yield Piece("".join(head), head_line, ())
            head, item, in_items, index = [], [], False, -1
            head_line = number + 1
            continue
        if in_items and (line.startswith("- ") or line.rstrip("\r\n") == "-"):
            if item:
                yield Piece("".join(item), item_line, ("items", index))
            index += 1
            item, item_line = ["  " + line[2:] if line[1:2] == " " else "\n"], number
            head.append("\n")
            continue
        if in_items and (not line[:1].strip() or line.startswith("#")):
            item.append(line)
            head.append("\n")
            continue
        if in_items:  # the next top-level key: the items are over
            if item:
                yield Piece("".join(item), item_line, ("items", index))
            item, in_items = [], False
        if line.split("#")[0].rstrip() == "items:":
            in_items = True
            head.append("items: []\n")  # the List itself, its items read one by one
            continue
        head.append(line)
    if item:
        yield Piece("".join(item), item_line, ("items", index))
    if any(text.strip() and not text.lstrip().startswith("#") for text in head):
        yield Piece("".join(head), head_line, ())
