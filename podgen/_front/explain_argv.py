"""`podgen explain`'s argv, read as kubectl reads its own (spf13/pflag), without Typer.

`podgen explain` must start within kubectl's own cold start, so the console script parses its
argv here and never imports Typer (only `--help` goes to the full CLI). The flags are
kubectl explain's, with its spellings (`-R`, `--recursive=false`, `-oplaintext`, `--output=`,
`--`), its checks in its order (one RESOURCE, then `--max-depth`) and its messages (the
first line of kubectl's: its `See 'kubectl explain --help'` line is left out); plus
podgen's `--k8s-version`, `--crd` (repeatable) and `--debug`.
"""

from __future__ import annotations

import sys

from podgen._errors import ExplainError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Each flag: its long name, its shorthand, and whether it takes a value.
_FLAGS = {
    "recursive": ("R", False),
    "api-version": ("", True),
    "output": ("o", True),
    "max-depth": ("", True),
    "k8s-version": ("", True),
    "crd": ("", True),
    "debug": ("", False),
}
_SHORT = {short: name for name, (short, _) in _FLAGS.items() if short}
_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")
NO_RESOURCE = (
    "You must specify the type of resource to explain. "
    'Use "kubectl api-resources" for a complete list of supported resources.'
)
TWO_RESOURCES = "We accept only this format: explain RESOURCE"


def wants_help(words: list[str]) -> bool:
    """Whether the full CLI should answer (`--help`, `-h` before any `--`)."""
    flags = words[: words.index("--")] if "--" in words else words
    return any(word in ("-h", "--help") for word in flags)


def parse_explain(words: list[str]) -> dict[str, Any]:
    """The flags and argument of kubectl explain, checked as kubectl checks them."""
    parsed: dict[str, Any] = {
        "recursive": False,
        "debug": False,
        "api_version": None,
        "output": "plaintext",
        "k8s_version": None,
        "max_depth": 0,
        "crds": [],
    }
    arguments: list[str] = []
    index = 0

    def value_of(label: str) -> str:
        nonlocal index
        if index >= len(words):
            raise ExplainError(f"flag needs an argument: {label}")
        index += 1
        return words[index - 1]

    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            arguments += words[index:]
            break
        if word.startswith("--"):
            name, equals, value = word[2:].partition("=")
            if not name or name[0] in "-=":
                raise ExplainError(f"bad flag syntax: {word}")
            if name not in _FLAGS:
                raise ExplainError(f"unknown flag: --{name}")
            if not equals:
                value = value_of(f"--{name}") if _FLAGS[name][1] else "true"
            _set(parsed, name, value)
        elif word.startswith("-") and word != "-":
            shorts = word[1:]
            while shorts:
                if shorts[0] not in _SHORT:
                    raise ExplainError(f"unknown shorthand flag: '{shorts[0]}' in -{shorts}")
                name = _SHORT[shorts[0]]
                if len(shorts) > 2 and shorts[1] == "=":
                    _set(parsed, name, shorts[2:])
                    break
                if not _FLAGS[name][1]:
                    _set(parsed, name, "true")
                    shorts = shorts[1:]
                    continue
                value = shorts[1:] or value_of(f"'{shorts[0]}' in -{shorts}")
                _set(parsed, name, value)
                break
        else:
            arguments.append(word)
    if not arguments:
        raise ExplainError(NO_RESOURCE)
    if len(arguments) > 1:
        raise ExplainError(TWO_RESOURCES)
    parsed["argument"] = arguments[0]
    return parsed


def _set(parsed: dict[str, Any], name: str, value: str) -> None:
    """One flag's value, converted as pflag converts it (its error at once, as pflag's)."""
    if name == "recursive":
        parsed["recursive"] = _boolean(value, "-R, --recursive")
    elif name == "debug":
        parsed["debug"] = _boolean(value, "--debug")
    elif name == "max-depth":
        parsed["max_depth"] = _integer(value, "--max-depth")
    elif name == "crd":
        parsed["crds"].append(value)
    else:
        parsed[name.replace("-", "_")] = value or (None if name == "api-version" else value)


def _boolean(text: str, flag: str) -> bool:
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ExplainError(
        f'invalid argument "{text}" for "{flag}" flag: strconv.ParseBool: parsing "{text}": '
        "invalid syntax"
    )


def _integer(text: str, flag: str) -> int:
    import re

    if re.fullmatch(r"[+-]?[0-9]+", text) and -(1 << 63) <= int(text) < 1 << 63:
        return int(text)
    reason = "value out of range" if re.fullmatch(r"[+-]?[0-9]+", text) else "invalid syntax"
    raise ExplainError(
        f'invalid argument "{text}" for "{flag}" flag: strconv.ParseInt: parsing "{text}": {reason}'
    )


def run_explain(parsed: dict[str, Any]) -> None:
    """Print what kubectl explain prints: warnings on stderr, the text on stdout.

    On an error, what kubectl prints before it; the error goes on to `run_command`.
    """
    from podgen._commands.explain import explain

    options = {key: value for key, value in parsed.items() if key not in ("argument", "debug")}
    try:
        text, warnings = explain(parsed["argument"], **options)
    except ExplainError as error:
        sys.stderr.write("".join(f"Warning: {warning}\n" for warning in error.warnings))
        sys.stdout.write(error.stdout)
        raise
    sys.stderr.write("".join(f"Warning: {warning}\n" for warning in warnings))
    sys.stdout.write(text)
