"""Write the flag table of docs/new.md (`podgen new`'s options) from the one option table.

Run: python tools/readme_options.py (tests/test_options.py fails when the page is stale).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from podgen._model.words import markdown_table  # noqa: E402 - after the path is set

PAGE = ROOT / "docs" / "new.md"  #: the page that shows the table
START, END = "<!-- options:start -->\n", "<!-- options:end -->\n"
SECTION = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)


def updated(text: str) -> str:
    """`text` with the options section rewritten from the table."""
    if not SECTION.search(text):
        raise SystemExit(
            f"{PAGE.relative_to(ROOT)} has no {START.strip()} ... {END.strip()} section"
        )
    return SECTION.sub(lambda _: START + markdown_table() + END, text)


def main() -> None:
    """Rewrite the section in place."""
    PAGE.write_text(updated(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote the options table into {PAGE}")


if __name__ == "__main__":
    main()
