"""The one exception root, its few subclasses, and the exit codes the CLI maps them to."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from enum import IntEnum

#: Where a value sits in a document: keys and list indexes, from the top.
Path = tuple[str | int, ...]


def error_line(message: str, prefix: str = "error: ") -> str:
    """The `error: ...` line the CLI prints for a message: one line, whatever it spans.

    A control character a value brought into the message (a NUL, an ESC that would drive the
    terminal) is shown escaped, as Go's %q shows it.
    """
    line = " ".join(line.strip() for line in message.splitlines() if line.strip())
    return prefix + _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", line)


#: Control characters left in one line (splitlines took the line ends); a tab is fine.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate `word` is most likely a misspelling of, for a "did you mean" hint.

    A candidate spelt alike but for case, `-` and `_`, or an abbreviation (`kubernetesversion`,
    `kubernetes_version`, `k8sVersion`, `kubeVersion`: kubernetesVersion) comes first; then
    the closest by spelling, as written, then as folded.
    """
    import difflib  # only a message with a hint needs it: a clean run never loads it

    choices = list(candidates)
    folded = {_folded(choice): choice for choice in reversed(choices)}  # the first wins
    if _folded(word) in folded:
        return folded[_folded(word)]
    hint = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    if not hint:
        hint = difflib.get_close_matches(_folded(word), list(folded), n=1, cutoff=cutoff)
        hint = [folded[h] for h in hint]
    return hint[0] if hint else None


#: Abbreviations people write for a word of a key, as `_folded` spells them.
_ABBREVIATIONS = {"k8s": "kubernetes", "kube": "kubernetes"}


def _folded(word: str) -> str:
    """`word` lower-cased, without `-` and `_`, each abbreviation written out."""
    import re

    plain = re.sub(r"[-_]", "", word.lower())
    return re.sub(r"k8s|kube(?!rnetes)", lambda m: _ABBREVIATIONS[m.group()], plain)


def one_of(choices: Iterable[str]) -> str:
    """`a, b or c`: the choices as a message lists them."""
    *most, last = choices
    return f"{', '.join(most)} or {last}" if most else last


def quoted(value: object) -> str:
    """A string in a message, quoted as Python's repr quotes it but with backslashes as typed.

    repr doubles each backslash of a Windows path; people compare the message with what they
    typed, so only what cannot be seen (a newline, a tab, control characters) is escaped.
    Other values (numbers, lists, None) show as repr shows them: their type stays clear.
    """
    if not isinstance(value, str):
        return repr(value)
    quote = '"' if "'" in value and '"' not in value else "'"
    return quote + _escaped(value, quote, backslash=False) + quote


def dotted(path: Path) -> str:
    """`("spec", "containers", 0, "name")` as `spec.containers[0].name`, as messages show it."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


_PART = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def parse_path(path: str) -> Path:
    """`spec.containers[0].resources.requests[cpu]` as keys and indexes: `dotted`, undone."""
    parts: list[str | int] = []
    for key, index in _PART.findall(path):
        if key:
            parts.append(key)
        else:
            parts.append(int(index) if index.isdigit() else index)
    return tuple(parts)


class ExitCode(IntEnum):
    """Process exit codes. Every error exits 1, as in kubectl, whatever its cause."""

    OK = 0
    FAILURE = 1  #: any error: bad flags, bad input, a failed write
    USAGE = 1  #: bad flags or bad input (kubectl's code for them, so the same as FAILURE)
    UNREADABLE = 2  #: `podgen validate` only: some input could not be read at all
    INTERRUPTED = 130  #: Ctrl-C (SIGINT): 128 + SIGINT, as shells report it
    CLOSED_PIPE = 141  #: the reader of stdout went away (`| head`): 128 + SIGPIPE, quietly
    TERMINATED = 143  #: SIGTERM (a CI runner, an editor, `kill`): 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the process is: it cleans up as Ctrl-C does, and exits 143.

    A KeyboardInterrupt, so that every clean-up written for Ctrl-C (the writer's rollback, the
    workers' reaping) runs for it too.
    """


class PodgenError(Exception):
    """Root of every error podgen raises on purpose; the CLI prints its message on one line."""

    exit_code: ExitCode = ExitCode.FAILURE
    prefix = "error: "  #: what the CLI writes before the message
    verbatim = False  #: the message as it is, not made one line (kubectl's, byte for byte)


class UsageError(PodgenError):
    """A flag or argument is malformed or conflicts with another; the message names it."""

    exit_code = ExitCode.USAGE


class SpecError(UsageError):
    """A value in a pod request is invalid or conflicts with another.

    `field` is the blueprint key (`probe.port`, `sidecar.native`); `reason` may name other
    fields as `{field}`. Each front end renders field names its own way: the CLI as flags
    (`--probe-port`), blueprints as keys with their file and line.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(self.render(lambda name: name))

    def render(self, name_of: Callable[[str], str]) -> str:
        """The message, with every field named by `name_of`."""
        reason = re.sub(r"\{([A-Za-z.]+)\}", lambda m: name_of(m.group(1)), self.reason)
        if self.reason.startswith(f"{{{self.field}}} "):  # names the field itself: once is enough
            return reason
        return f"{name_of(self.field)}: {reason}"


class InvalidFieldError(PodgenError):
    """A manifest field breaks an API server rule.

    The message has the API server's shape: `path: Invalid value: "value": reason`, prefixed
    with where the value came from (a flag, or a file and line) when that is known.
    """

    exit_code = ExitCode.USAGE

    def __init__(
        self,
        path: str,
        value: object,
        reason: str,
        source: str | None = None,
        *,
        show_value: bool = True,
    ) -> None:
        self.path = path
        self.value = value
        self.reason = reason
        self.source = source
        self.show_value = show_value
        prefix = f"{source}: " if source else ""
        where = f"{path}: " if path else ""  # the object itself (a CRD's rule at its root)
        super().__init__(f"{prefix}{where}{_field_error(value, reason, show_value)}")


class ExplainError(PodgenError):
    """`podgen explain` cannot answer: an unknown resource, field or API version.

    The message is kubectl explain's own (the text after its `error: `), so that scripts which
    read one read the other. `warnings` are kubectl's warnings printed before it (an ambiguous
    short name), `stdout` what it printed; `bare` is for the one message kubectl prints
    without `error: ` (`the server doesn't have a resource type "x"`).
    """

    def __init__(self, message: str, *, bare: bool = False) -> None:
        super().__init__(message)
        self.prefix = "" if bare else "error: "
        self.verbatim = True
        self.warnings: tuple[str, ...] = ()
        self.stdout = ""  #: what kubectl prints before it fails (the GROUP/KIND/VERSION lines)


class ExplainFieldError(ExplainError):
    """A field kubectl explain does not find, after it printed the header (`stdout`)."""

    def __init__(self, message: str, stdout: str) -> None:
        super().__init__(message)
        self.stdout = stdout  #: what kubectl had written to stdout when it stopped


class TemplateError(PodgenError):
    """A template failed to render or rendered something that is not a manifest."""


class _Omitted:
    """apimachinery's `omitValue`: a field error that shows no value (`Invalid value: why`)."""

    def __repr__(self) -> str:
        return "OMIT_VALUE"


#: The value of a field error the server shows without one (CRD rules' `failed rule: ...`).
OMIT_VALUE = _Omitted()


def _field_error(value: object, reason: str, show_value: bool) -> str:
    """The API server's shape of one field error, by its type (field.Required, ...)."""
    if value is OMIT_VALUE:
        typed = reason.startswith(
            ("Required value", "Forbidden:", "Duplicate value", "strict decoding error")
        )
        return reason if typed else f"Invalid value: {reason}"
    shown = _go_value(value)
    if not show_value or reason.startswith(("Required value", "Forbidden:")):
        return reason
    if reason in ("Duplicate value", "Not found"):
        return f"{reason}: {shown}"
    if reason.startswith("supported values:"):
        return f"Unsupported value: {shown}: {reason}"
    return f"Invalid value: {shown}: {reason}"


def _go_value(value: object) -> str:
    """A value as the API server's messages show it (Go's %#v for the common types)."""
    if isinstance(value, str):
        return go_quote(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "[]string{" + ", ".join(go_quote(item) for item in value) + "}"
    if isinstance(value, list | dict):
        import json

        return json.dumps(value, separators=(",", ":"), default=str)
    return repr(value)


def go_quote(value: str) -> str:
    """Quote like Go's %q, so messages show hidden characters (newlines, tabs) visibly."""
    return '"' + _escaped(value, '"', backslash=True) + '"'


#: How messages write the invisible characters they show.
_INVISIBLE = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escaped(text: str, quote: str, *, backslash: bool) -> str:
    """`text` with its quote (and, Go's way, its backslashes) escaped and the invisible shown."""
    out = []
    for c in text:
        if c == quote or (backslash and c == "\\"):
            out.append("\\" + c)
        elif c in _INVISIBLE:
            out.append(_INVISIBLE[c])
        elif not c.isprintable():
            o = ord(c)
            out.append(
                f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}"
            )
        else:
            out.append(c)
    return "".join(out)


def signal_behind(error: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C or SIGTERM that `error` was raised while handling, if any.

    A signal can land in the middle of an import; code that then runs during the unwinding (an
    `except` clause naming a class of that module, say) fails on the half-made module, and its
    error hides the signal.
    """
    seen = error.__context__
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__context__
    return None
