"""Write RunFlags and PodFlags (podgen/_building/flag_records.py) from the option table.

The option table (`OPTIONS` in podgen/_model/options.py) is the one declaration of
`podgen new`'s options. The library's records of their raw values follow from it: an option
whose `attr` is `pod.X` is PodFlags' field X, any other `attr` a RunFlags field, each typed
and defaulted as the option says (a choice is its enum in podgen/_model/spec.py, the one
whose values are the choices). The records are written out, not built at run time, so that
type checkers and editors see their fields. tests/test_options.py checks that the module is
what this script generates. Run: python tools/flag_records.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from podgen._model import spec  # noqa: E402  (after the path set-up above)
from podgen._model.options import (  # noqa: E402
    BOOL,
    INT,
    OPTIONS,
    PORT,
    PORT_OR_NAME,
    Option,
    help_text,
)

TARGET = ROOT / "podgen" / "_building" / "flag_records.py"

HEADER = '''\
"""The raw values of `podgen new`'s flags: RunFlags, and PodFlags for podgen's own pod flags.

Generated from the option table (podgen/_model/options.py) by tools/flag_records.py; do not
edit. Each field is an option's `attr` (`pod.X`: PodFlags' X), typed and defaulted as the
option says; a default means "not given".
"""

from __future__ import annotations

from collections.abc import Sequence

from podgen._model.spec import {enums}
from podgen._records import NamedTuple


def _document(record: type, docs: dict[str, str]) -> None:
    for name, doc in docs.items():
        getattr(record, name).__doc__ = doc
'''

#: What the library call takes that is not an option: `kubectl run NAME --image IMAGE ...`
#: needs its first two, so they lead and have no default; the words after `--` come last.
LEADING = (("name", "str", None, "NAME: the pod's (or workload's) name."),)
REQUIRED = {"image"}
TRAILING = (
    (
        "args",
        "Sequence[str] | str",
        "()",
        "ARGS after --: a Pod's args (its command with command=True), any other kind's command; "
        "one string is one word.",
    ),
)


#: The one rule every field follows (checked by `podgen._building.flags.checked_flags`).
RULE = """\
    Each field is named after its long flag (`image_pull_policy` for `--image-pull-policy`),
    and takes, by one rule: for a choice, its enum or its value's text (`kind="deployment"`);
    for a number, an int or its decimal text (`replicas=3`, `replicas="3"`), for a port a
    number or text; for a yes/no flag, True or False; for text, a string; for a repeatable
    flag, a list or tuple of strings, or one string as one flag's value (`env="A=1"` is
    `env=["A=1"]`; `args="sleep 10"` is one word, as `-- "sleep 10"` is). Anything else is a
    `podgen.UsageError` naming the flag.
    """


def enum_of(option: Option) -> type[Enum]:
    """The enum in the spec whose values are the option's choices."""
    for value in vars(spec).values():
        is_enum = isinstance(value, type) and issubclass(value, Enum) and value is not Enum
        if is_enum and {member.value for member in value} == set(option.choices):
            return value
    raise SystemExit(f"{option.flag}: no enum in podgen/_model/spec.py has its choices")


def annotated(option: Option) -> tuple[str, str]:
    """The field's annotation and default, as the option declares them.

    The library's one rule (docs/library.md): a choice takes its enum or its value's text
    (`probe="http"`), a number an int or its decimal text (`replicas="3"`), a port a number or
    text, a repeatable flag a sequence of strings or one string (one flag's value).
    """
    if option.choices:
        enum = enum_of(option)
        return f"{enum.__name__} | str", f"{enum.__name__}.{enum(option.default).name}"
    if option.repeatable:
        return "Sequence[str] | str", "()"
    python = {BOOL: "bool", INT: "int | str"}.get(option.type, "str")
    # A port, or a number or percentage: 80 means "80", as the flag is text.
    if (option.schema in (PORT, PORT_OR_NAME) or option.metavar == "N|N%") and python == "str":
        python = "str | int"
    if option.default is None:
        return f"{python} | None", "None"
    return python, json.dumps(option.default) if python == "str" else repr(option.default)


class Field(NamedTuple):
    """One field of a record: its line in the class, and its documentation."""

    name: str
    line: str
    doc: str


def field(name: str, annotation: str, default: str | None, doc: str) -> Field:
    """One NamedTuple field."""
    return Field(
        name, f"    {name}: {annotation}" + ("" if default is None else f" = {default}"), doc
    )


def record(name: str, doc: str, fields: list[Field]) -> list[str]:
    """A NamedTuple class of `fields`, and each field's documentation (`help()` shows it)."""
    lines = ["", "", f"class {name}(NamedTuple):", f'    """{doc}"""', ""]
    lines += [one.line for one in fields]
    lines += ["", "", f"_document({name}, {{"]
    lines += [f"    {json.dumps(one.name)}: {json.dumps(one.doc)}," for one in fields]
    lines.append("})")
    return lines


def render() -> str:
    """The module's text."""
    pod: list[Field] = []
    run: list[Field] = [field(*leading) for leading in LEADING]
    enums: set[str] = set()
    for option in OPTIONS:
        if option.attr is None:
            continue  # the command line's only (--output, --dry-run, --from)
        annotation, default = annotated(option)
        if option.choices:
            enums.add(annotation.split(" | ")[0])
        group, _, name = option.attr.rpartition(".")
        doc = f"{option.flag}: {help_text(option)}"
        if group == "pod":
            pod.append(field(name, annotation, default, doc))
        elif name in REQUIRED:
            run.insert(len(LEADING), field(name, annotation.removesuffix(" | None"), None, doc))
        else:
            run.append(field(name, annotation, default, doc))
    run += [field(*trailing) for trailing in TRAILING]
    run.append(
        field(
            "pod",
            "PodFlags",
            "PodFlags()",
            "podgen's own flags: patterns, probes, resources, scheduling, lifecycle, --secure.",
        )
    )
    lines = HEADER.format(enums=", ".join(sorted(enums))).splitlines()
    lines += record("PodFlags", f"The raw values of podgen's own pod flags.\n\n{RULE}", pod)
    lines += record("RunFlags", f"The raw values of `podgen new`'s flags.\n\n{RULE}", run)
    return formatted("\n".join(lines) + "\n")


def formatted(text: str) -> str:
    """`text` as `ruff format` writes it, with the project's settings."""
    result = subprocess.run(  # noqa: S603 - this interpreter's ruff, fixed arguments
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(TARGET), "-"],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return result.stdout


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
