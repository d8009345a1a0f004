"""mkdocs hooks (mkdocs.yml `hooks:`): the pages read the same on GitHub and on the site."""

from __future__ import annotations

import re

_CODE = re.compile(r"`[^`\n]*`")


def on_page_markdown(markdown: str, **_: object) -> str:
    r"""The page, with `\|` inside a table's code spans as a plain `|`.

    GitHub needs the escape there (a bare `|` ends the cell); Python-Markdown's tables keep the
    code spans whole, and would show the backslash.
    """
    return "\n".join(
        _CODE.sub(lambda code: code.group(0).replace("\\|", "|"), line)
        if line.startswith("|")
        else line
        for line in markdown.split("\n")
    )
