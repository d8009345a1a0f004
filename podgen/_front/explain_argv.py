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
    "help": ("h", False),
}
#: kubectl's global flags, which say which cluster to ask and how to log: podgen asks none,
#: so it takes them as kubectl does (their values checked as kubectl checks them) and
#: ignores them; it never reads the kubeconfig they name. Each: shorthand and value kind.
_GLOBAL = {
    **dict.fromkeys(
        (
            "as", "as-uid", "cache-dir", "certificate-authority", "client-certificate",
            "client-key", "cluster", "context", "kubeconfig", "kuberc", "password", "profile",
            "profile-output", "proxy-url", "request-timeout", "tls-server-name", "token",
            "user", "username", "as-group", "as-user-extra",
        ),
        ("", "string"),
    ),
    **dict.fromkeys(
        (
            "disable-compression", "insecure-skip-tls-verify", "match-server-version",
            "warnings-as-errors",
        ),
        ("", "bool"),
    ),
    "namespace": ("n", "string"),
    "server": ("s", "string"),
    "v": ("v", "level"),
    "vmodule": ("", "vmodule"),
    "log-flush-frequency": ("", "duration"),
}  # fmt: skip
_FLAGS.update({name: (short, kind != "bool") for name, (short, kind) in _GLOBAL.items()})
#: The profiles `--profile` takes (Go's runtime/pprof, and none).
_PROFILES = ("none", "cpu", "heap", "allocs", "goroutine", "threadcreate", "block", "mutex")
_TIMEOUT = (
    "Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
    "followed by a corresponding time unit (e.g. 1s | 2m | 3h)"
)
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


def parse_explain(words: list[str], flags_only: bool = False) -> dict[str, Any]:
    """The flags and argument of kubectl explain, checked as kubectl checks them.

    `flags_only`: pflag's checks alone, which kubectl makes before it shows --help.
    """
    parsed: dict[str, Any] = {
        "recursive": False,
        "debug": False,
        "api_version": None,
        "output": "plaintext",
        "k8s_version": None,
        "max_depth": 0,
        "crds": [],
        "global": {},
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
    # kubectl checks these before its explain does: the profile, then (building its client)
    # the request timeout.
    ignored = parsed.pop("global")
    parsed.pop("help", None)
    if flags_only:
        return parsed
    if ignored.get("profile", "none") not in _PROFILES:
        raise ExplainError(f"unknown profile '{ignored['profile']}'")
    if not _timeout_ok(ignored.get("request-timeout", "")):
        raise ExplainError(_TIMEOUT)
    if not arguments:
        raise ExplainError(NO_RESOURCE)
    if len(arguments) > 1:
        raise ExplainError(TWO_RESOURCES)
    parsed["argument"] = arguments[0]
    return parsed


def _set(parsed: dict[str, Any], name: str, value: str) -> None:
    """One flag's value, converted as pflag converts it (its error at once, as pflag's)."""
    if name in _GLOBAL:
        parsed["global"][name] = _global(name, value)
    elif name == "recursive":
        parsed["recursive"] = _boolean(value, "-R, --recursive")
    elif name == "help":
        parsed["help"] = _boolean(value, "-h, --help")
    elif name == "debug":
        parsed["debug"] = _boolean(value, "--debug")
    elif name == "max-depth":
        parsed["max_depth"] = _integer(value, "--max-depth")
    elif name == "crd":
        parsed["crds"].append(value)
    else:
        parsed[name.replace("-", "_")] = value or (None if name == "api-version" else value)


def _global(name: str, value: str) -> str:
    """A global flag's value, checked as kubectl's pflag checks it, then ignored."""
    kind = _GLOBAL[name][1]
    label = f"-{_GLOBAL[name][0]}, --{name}" if _GLOBAL[name][0] else f"--{name}"
    reason = ""
    if kind == "bool":
        _boolean(value, label)
    elif kind == "level":
        reason = _parse_int(value, 10, 32)[1]
        reason = reason and f'strconv.ParseInt: parsing "{value}": {reason}'
    elif kind == "duration":
        reason = "" if _duration_ok(value) else "parse error"
    elif kind == "vmodule":
        reason = _vmodule_error(value)
    if reason:
        raise ExplainError(f'invalid argument "{value}" for "{label}" flag: {reason}')
    return value


def _vmodule_error(text: str) -> str:
    """What klog says of a bad --vmodule (pattern=N,...), or nothing."""
    for pattern in text.split(","):
        if not pattern:
            continue
        parts = pattern.split("=")
        if len(parts) != 2 or not all(parts) or _parse_int(parts[1], 10, 32)[1]:
            return "syntax error: expect comma-separated list of filename=N"
        if _parse_int(parts[1], 10, 32)[0] < 0:
            return "negative value for vmodule level"
    return ""


#: Go's time.ParseDuration units, in nanoseconds.
_UNITS = {"ns": 1, "us": 10**3, "\u00b5s": 10**3, "\u03bcs": 10**3, "ms": 10**6, "s": 10**9}
_UNITS.update({"m": 60 * 10**9, "h": 3600 * 10**9})


def _duration_ok(text: str) -> bool:
    """Whether Go's time.ParseDuration takes `text` ("1.5h2m", "-1s", "0")."""
    import re

    negative = text[:1] == "-"
    rest = text[1:] if text[:1] in ("+", "-") else text
    if rest == "0":
        return True
    total = 0
    if not rest:
        return False
    # Each part: whole digits, a dot and fraction digits, a unit; then an empty match at the end.
    for whole, dot, fraction, unit in re.findall(r"([0-9]*)(\.?)([0-9]*)([^0-9.]*)", rest):
        if not (whole or dot or unit):
            break
        if not (whole or fraction) or unit not in _UNITS:
            return False
        scale = _UNITS[unit]
        total += int(whole or "0") * scale
        total += int(fraction or "0") * scale // 10 ** len(fraction)
        if total > (1 << 63) - (0 if negative else 1):
            return False
    return True


def _timeout_ok(text: str) -> bool:
    """Whether client-go takes `text` as --request-timeout: whole seconds, or a duration."""
    if not text:
        return True
    number, reason = _parse_int(text, 10, 64)
    return (not reason and number >= 0) or _duration_ok(text)


def _boolean(text: str, flag: str) -> bool:
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ExplainError(
        f'invalid argument "{text}" for "{flag}" flag: strconv.ParseBool: parsing "{text}": '
        "invalid syntax"
    )


def _integer(text: str, flag: str) -> int:
    """`text` as Go's strconv.ParseInt(text, 0, 64) reads it, as pflag's int flags do.

    A sign, a base prefix (0x, 0b, 0o, or a lone leading 0 for octal), underscores between digits.
    """
    value, reason = _parse_int(text)
    if reason:
        raise ExplainError(
            f'invalid argument "{text}" for "{flag}" flag: '
            f'strconv.ParseInt: parsing "{text}": {reason}'
        )
    return value


def _parse_int(text: str, base: int = 0, bits: int = 64) -> tuple[int, str]:
    """Go's strconv.ParseInt(text, base, bits), base 0 or 10.

    The value, or the reason Go gives ("invalid syntax", "value out of range").
    """
    base0 = base == 0
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits:
        return 0, "invalid syntax"
    base, rest = 10, digits
    if base0 and digits[0] == "0":
        prefix = digits[1:2].lower()
        if len(digits) >= 3 and prefix in ("b", "o", "x"):
            base, rest = {"b": 2, "o": 8, "x": 16}[prefix], digits[2:]
        else:
            base, rest = 8, digits[1:]
    number, underscores = 0, False
    for char in rest:
        if char == "_" and base0:
            underscores = True
            continue
        lower = chr(ord(char) | 0x20) if char.isascii() else char
        if "0" <= char <= "9":
            digit = ord(char) - ord("0")
        elif "a" <= lower <= "z":
            digit = ord(lower) - ord("a") + 10
        else:
            return 0, "invalid syntax"
        if digit >= base:
            return 0, "invalid syntax"
        number = number * base + digit
        if number >= 1 << bits:  # Go stops at the first digit past its unsigned range
            return 0, "value out of range"
    if underscores and not _underscores_ok(text):
        return 0, "invalid syntax"
    if text[0] == "-":
        return (-number, "") if number <= 1 << (bits - 1) else (0, "value out of range")
    return (number, "") if number < 1 << (bits - 1) else (0, "value out of range")


def _underscores_ok(text: str) -> bool:
    """Go's underscoreOK: each underscore between digits (a base prefix counts as one)."""
    text = text[1:] if text[:1] in ("+", "-") else text
    saw, index, hexadecimal = "^", 0, False
    if len(text) >= 2 and text[0] == "0" and text[1].lower() in ("b", "o", "x"):
        saw, index, hexadecimal = "0", 2, text[1].lower() == "x"
    for char in text[index:]:
        if "0" <= char <= "9" or (hexadecimal and char.lower() in "abcdef"):
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


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
