"""Reading `podgen new`'s argv without Typer, from the option table.

The console script's lean path for `new` (`_front.entry`) parses plain argv with these
(`_front.argv_on_save` does the same for `render` and `validate`); the full CLI
(`_front.cli`) uses `normalize_new_words` too, so that both take kubectl's spellings and
refuse a one-value flag given twice in the same way. tests/test_entry.py holds the lean
parser to Typer's.
"""

from __future__ import annotations

from podgen._model.options import BOOL, CHOICE, OPTIONS, Option

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _lean_kind(option: Option) -> str:
    """How the lean parser reads an option: str, int, flag, multi, or choice:<a,b> (any case)."""
    if option.type == BOOL:
        return "flag"
    if option.repeatable:
        return "multi"
    if option.type == CHOICE:
        return "choice:" + ",".join(option.choices)
    return option.type


#: `podgen new`'s options, from the one table: flag -> (parameter, kind).
NEW_OPTIONS: dict[str, tuple[str, str]] = {
    flag: (option.param, _lean_kind(option)) for option in OPTIONS for flag in option.flags
}
#: Switches also take a `--no-` form, as Typer gives them.
NEW_OPTIONS.update({f"--no-{o.flag[2:]}": (o.param, "no-flag") for o in OPTIONS if o.type == BOOL})

#: The defaults of the parameters, as the Typer command has them.
NEW_DEFAULTS: dict[str, Any] = {
    "name": None,
    "args": None,
    "templates": None,
    "debug": False,
    **{option.param: option.default for option in OPTIONS},
}


#: What Go's strconv.ParseBool (so kubectl's `--privileged=VALUE`) reads as true and false.
_GO_TRUE = ("1", "t", "T", "true", "TRUE", "True")
_GO_FALSE = ("0", "f", "F", "false", "FALSE", "False")


def normalize_new_words(words: list[str]) -> list[str]:
    """`podgen new`'s words in the spellings both parsers take, or a UsageError.

    As kubectl does: `--privileged=true|false` (any of Go's boolean spellings), and a bare
    `--dry-run`, which means `--dry-run=client` and never takes the next word as its value.
    A flag that holds one value, given twice with two values, is refused rather than
    quietly keeping the last (repeatable flags add up).
    """
    from podgen._errors import UsageError, quoted

    normalized: list[str] = []
    seen: dict[str, tuple[str, str]] = {}  # parameter -> (flag, value)
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            normalized.extend(words[index - 1 :])
            break
        flag, equals, value = word.partition("=")
        has_value = bool(equals)
        if not (flag.startswith("--") or (len(flag) == 2 and flag.startswith("-"))):
            if not (flag[:2] in NEW_OPTIONS and flag[1:2] != "-"):
                normalized.append(word)  # a positional word
                continue
            flag, has_value, value = word[:2], True, word[2:]  # -nprod, -ojson
        entry = NEW_OPTIONS.get(flag)
        if entry is None:
            normalized.append(word)  # podgen's parser says what is wrong with it
            continue
        param, kind = entry
        if kind == "no-flag":
            normalized.append(word)
            continue
        if kind == "flag":
            if has_value and value not in _GO_TRUE + _GO_FALSE:
                raise UsageError(f'{flag}: invalid argument "{value}": expected true or false')
            normalized.append(flag if not has_value or value in _GO_TRUE else f"--no-{flag[2:]}")
            continue
        if flag == "--dry-run" and not has_value:
            normalized.append("--dry-run=client")
            continue
        if not has_value:
            if index >= len(words):
                normalized.append(word)
                continue
            value = words[index]
            index += 1
        normalized.extend([f"{flag}={value}"] if flag.startswith("--") else [flag, value])
        if kind == "multi":
            continue
        earlier = seen.get(param)
        if earlier is not None and earlier[1] != value:
            raise UsageError(
                f"{flag}: given twice, as {quoted(earlier[1])} and as {quoted(value)}; give it once"
            )
        seen[param] = (flag, value)
    return normalized


def parse_new(words: list[str]) -> tuple[dict[str, Any], set[str]] | None:
    """`podgen new`'s parameters and the ones given, or None to let the full CLI decide."""
    params = dict(NEW_DEFAULTS)
    given: set[str] = set()
    positional: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            positional.extend(words[index:])
            break
        if not word.startswith("-") or word == "-":
            positional.append(word)
            continue
        flag, has_value, value = word.partition("=")
        if flag not in NEW_OPTIONS:
            return None  # help, --debug, --templates, -oyaml, typos: the full CLI knows
        param, kind = NEW_OPTIONS[flag]
        if kind in ("flag", "no-flag"):
            if has_value:
                return None
            params[param] = kind == "flag"
        else:
            if not has_value:
                if index >= len(words):
                    return None
                value = words[index]
                index += 1
            converted = _convert(value, kind)
            if converted is None:
                return None
            if kind == "multi":
                params[param] = [*(params[param] or []), converted]
            else:
                params[param] = converted
        given.add(param)
    if positional:
        params["name"] = positional[0]
        given.add("name")
        if positional[1:]:
            params["args"] = positional[1:]
            given.add("args")
    return params, given


def _convert(value: str, kind: str) -> Any:
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            return None
    if kind.startswith("choice:"):
        lowered = value.lower()
        return lowered if lowered in kind.removeprefix("choice:").split(",") else None
    return value
