"""kubectl run's flags, and podgen's own, parsed into a PodRequest (for the CLI and library).

The kubectl-compatible flags are parsed exactly as kubectl 1.37 parses them
(`pkg/cmd/run/run.go`), with its messages, so podgen fails where kubectl fails. Everything
else (checks across fields, the API server's rules) happens on the PodRequest and on the
rendered manifests, whose errors name blueprint keys; `FLAG_FOR_FIELD` shows them as flags.
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Callable, Mapping, Sequence
from enum import Enum

from podgen._building.flag_records import PodFlags as PodFlags  # the records, re-exported
from podgen._building.flag_records import RunFlags as RunFlags
from podgen._building.word_flags import check_mount_paths, word_flag
from podgen._checking import rules as _rules
from podgen._errors import SpecError, UsageError, one_of, quoted
from podgen._model import options as options
from podgen._model import spec
from podgen._model.options import OPTIONS
from podgen._model.spec import (
    EnvVar,
    Kind,
    PodRequest,
    ProbeRequest,
    Toleration,
)
from podgen._model.words import WORDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def checked_flags(flags: object, *, command_line: bool = False) -> RunFlags:
    """`flags` as a RunFlags whose every field has its declared type, or a UsageError.

    The library's boundary, with one rule for every field (docs/library.md): a choice takes
    its enum or its value's text (`kind="deployment"`); a number an int or its decimal text
    (`replicas="3"`), a port a number or text; a yes/no field True or False; text a string;
    and a repeatable field a sequence of strings, or one string, which is one flag's value
    (`env="A=1"` is `env=["A=1"]`, as one `--env A=1` is; `args="sleep 10"` is one word, as
    a quoted `-- "sleep 10"` is). Anything else is refused, naming the field as the CLI names
    its flag. A choice kubectl keeps as text (`--restart`) is case-sensitive on the
    `command_line`, as kubectl's flag is; the library takes it in any case, as every choice.
    """
    if not isinstance(flags, RunFlags):
        raise UsageError(f"flags: expected podgen.RunFlags, not {type(flags).__name__}")
    pod = flags.pod
    if not isinstance(pod, PodFlags):
        raise UsageError(f"pod: expected podgen.PodFlags, not {type(pod).__name__}")
    return flags._replace(
        **_typed(flags, RunFlags, command_line),
        pod=pod._replace(**_typed(pod, PodFlags, command_line)),
    )


_DECIMAL = re.compile(r"[+-]?[0-9]+")


def _typed(values: Any, kind: type, command_line: bool) -> dict[str, Any]:
    """The fields of `values` that need converting, converted; a UsageError for a wrong type.

    The declared type is read from the NamedTuple's annotations: their text, as
    `flag_records` uses `from __future__ import annotations` (a choice's is its enum's name).
    """
    changes: dict[str, Any] = {}
    for field_name, value in values._asdict().items():
        if field_name == "pod":
            continue  # checked on its own
        declared = str(kind.__annotations__[field_name])
        attribute = field_name if kind is RunFlags else f"pod.{field_name}"
        label = FLAG_OF_ATTRIBUTE.get(attribute, f"--{field_name.replace('_', '-')}")
        enum = getattr(spec, declared.partition(" | ")[0], None)  # `Pattern | str`
        if isinstance(enum, type) and issubclass(enum, Enum):
            try:
                changes[field_name] = enum(value.lower() if isinstance(value, str) else value)
            except ValueError:
                choices = one_of(str(choice.value) for choice in enum)
                raise UsageError(
                    f"{label}: expected one of {choices}, not {quoted(value)}"
                ) from None
        elif declared in ("bool", "bool | None"):
            if not isinstance(value, bool) and not (value is None and declared != "bool"):
                raise UsageError(f"{label}: expected True or False, not {quoted(value)}")
        elif declared.startswith("Sequence["):
            if isinstance(value, str):
                value = (value,)  # one flag's value: `env="A=1"`, `requests="cpu=1,memory=1Gi"`
            if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
                raise UsageError(
                    f"{label}: expected a list of strings or one string, not {quoted(value)}"
                )
            changes[field_name] = tuple(value)
        elif value is None and declared.endswith("| None"):
            continue
        elif declared.startswith("int"):
            if isinstance(value, str) and _DECIMAL.fullmatch(value):
                changes[field_name] = int(value)  # `replicas="3"`: its decimal text
            elif type(value) is not int:
                raise UsageError(
                    f"{label}: expected a whole number (an int or its decimal text), "
                    f"not {quoted(value)}"
                )
        elif declared.startswith("str | int") and type(value) is int:
            changes[field_name] = str(value)  # port=80 is the port "80" (a port's flag is text)
        elif declared.startswith("str | int") and not isinstance(value, str):
            raise UsageError(f"{label}: expected a whole number or text, not {quoted(value)}")
        elif declared.startswith("str") and not isinstance(value, str):
            raise UsageError(f"{label}: expected a string, not {quoted(value)}")
        elif isinstance(value, str) and attribute in TEXT_CHOICES and not command_line:
            # A choice kept as the API's text (`restart="never"` is Never): any case, as the
            # enum choices; a value that is none of them is left to the flag's own check.
            canonical = TEXT_CHOICES[attribute].get(value.lower())
            if canonical is not None and canonical != value:
                changes[field_name] = canonical
    return changes


def _text_choices() -> dict[str, dict[str, str]]:
    """The choices of each flag kept as text (`--restart`, a word's enum), by attribute."""
    words = {word.key: word for word in WORDS}
    found: dict[str, dict[str, str]] = {}
    for option in OPTIONS:
        if option.attr is None or option.choices:  # an enum: `_typed` reads it from the record
            continue
        schema = words[option.word].schema if option.word else option.key_schema()
        if "enum" in schema:
            found[option.attr] = {str(value).lower(): str(value) for value in schema["enum"]}
    return found


#: {attribute: {lower-case text: the choice}} for every choice a record keeps as text.
TEXT_CHOICES = _text_choices()


def request_from_flags(flags: RunFlags) -> PodRequest:
    """Parse the flags' syntax (kubectl's rules for kubectl's flags) into a PodRequest."""
    _require_utf8(flags)
    kind = Kind(flags.kind)  # checked_flags made it one; `kind="job"` is taken
    images = _images(flags.image, kind)
    pod = flags.pod
    # As kubectl create deployment, job and cronjob take them, the words after -- are the
    # command (podgen's other controllers follow create deployment); kubectl run's are args.
    as_command = flags.command or kind is not Kind.POD
    if len(images) > 1 and flags.args:
        raise UsageError(
            "ARGS after --: several images cannot share one command "
            "(kubectl: cannot specify multiple --image options and command)"
        )
    return PodRequest(
        name=flags.name,
        image=images[0],
        more_images=images[1:],
        kind=kind,
        container_name=flags.container_name,
        replicas=None if flags.replicas is None else int(flags.replicas),  # checked: an int
        port=_parse_port(None if flags.port is None else str(flags.port)),
        labels=parse_labels(flags.labels) or None,  # kubectl: no -l means run=NAME
        annotations=parse_pairs(flags.annotations, "--annotations"),
        env=parse_env(flags.env),
        # As kubectl create job and cronjob take them, the words after -- are the command.
        command=tuple(flags.args) if as_command else (),
        args=() if as_command else tuple(flags.args),
        restart=flags.restart or None,  # kubectl: empty means the default
        image_pull_policy=flags.image_pull_policy or None,
        privileged=flags.privileged,
        namespace=flags.namespace or None,  # kubectl: `-n ""` means no namespace
        expose=flags.expose,
        **_pod_fields(pod),
    )


def _images(given: Sequence[str] | str, kind: Kind) -> tuple[str, ...]:
    """The images `--image` names: one, or for a controller several, one container each.

    kubectl create deployment's --image is a string slice: repeated, and each value read as
    one line of CSV (`--image a,b`). kubectl run, create job and create cronjob take one.
    """
    values = (given,) if isinstance(given, str) else tuple(given)
    values = tuple(value for value in values if value)  # --image "" is not given
    if not values:
        raise UsageError("--image is required")
    if not kind.is_controller:
        values = tuple(dict.fromkeys(values))  # one image given twice is still one
        if len(values) > 1:
            *most, last = map(quoted, values)
            times = "twice" if len(values) == 2 else f"{len(values)} times"
            raise UsageError(
                f"--image: given {times}, as {', '.join(most)} and as {last}; a "
                f"{kind.object_kind} runs one image (--kind deployment, statefulset, daemonset "
                "or replicaset take several, a container each)"
            )
        return values
    import csv

    images: list[str] = []
    for value in values:
        # kubectl reads only the first line; a line break is no image, and is refused as one.
        items = [value] if "\n" in value or "\r" in value else next(csv.reader([value]))
        if "" in items:
            raise UsageError(f"--image: {quoted(value)} has an empty image between its commas")
        images.extend(items)
    return tuple(images)


def _pod_fields(pod: PodFlags) -> dict[str, Any]:
    """The PodRequest fields podgen's own flags set, parsed as each value's kind says."""
    fields: dict[str, Any] = {}
    probe: dict[str, Any] = {}
    words: dict[str, Any] = {}
    written: list[tuple[str, str, dict[str, Any]]] = []  # (flag, value, the words it gave)
    for option in _POD_OPTIONS:
        value = getattr(pod, option.attr.removeprefix("pod."))  # type: ignore[union-attr]
        if option.word is not None:  # a flag for one field the API defines (--backoff-limit)
            if value is not None and value is not False:
                words[option.word] = value
            continue
        if option.field == "words":  # flags that write blueprint words (volumes, mounts, ...)
            for item in value if option.repeatable else () if value is None else (value,):
                written.append((option.flag, item, word_flag(option.flag, item)))
                for key, more in written[-1][2].items():
                    if isinstance(more, list):  # list words add up (two --mount flags)
                        words.setdefault(key, []).extend(more)
                    else:
                        words[key] = more
            continue
        parse = _parsers().get(id(option.schema))
        if parse is not None and value is not None:
            value = parse(value, option.flag)
        if value is None or (option.repeatable and not value):
            continue  # not given: the spec's default
        group, _, name = option.field.rpartition(".")  # type: ignore[union-attr]
        (probe if group else fields)[name] = value
    check_mount_paths(written)
    return {**fields, "probe": ProbeRequest(**probe), "words": words}


#: The options whose raw value PodFlags keeps and whose parsed value a PodRequest field gets.
_POD_OPTIONS = [o for o in OPTIONS if o.attr and o.attr.startswith("pod.") and o.field]


@functools.cache
def _parsers() -> dict[int, Callable[[Any, str], Any]]:
    """How a flag's raw text is parsed, by the schema of its blueprint value (its kind)."""
    return {
        id(options.COMMAND): _words,
        id(options.QUANTITIES): _resource_list,
        id(options.STRING_MAP): parse_pairs,
        id(options.STRINGS): lambda value, flag: tuple(value),
        id(options.TOLERATIONS): lambda value, flag: tuple(parse_toleration(t) for t in value),
        id(options.PROBE_KINDS): lambda value, flag: tuple(k.strip() for k in value.split(",")),
        id(options.PORT_OR_NAME): _port_or_name,
    }


#: How messages name each RunFlags attribute (`pod.grace_period` for PodFlags' fields).
FLAG_OF_ATTRIBUTE = {
    "name": "NAME",
    "args": "ARGS after --",
    **{option.attr: option.flag for option in OPTIONS if option.attr},
}


def _require_utf8(flags: RunFlags) -> None:
    """Refuse bytes that are not UTF-8 (Python hands them over as lone surrogates)."""
    for attribute, flag in FLAG_OF_ATTRIBUTE.items():
        group, _, name = attribute.rpartition(".")
        value = getattr(flags.pod if group else flags, name)
        for text in [value] if not isinstance(value, tuple | list) else value:
            if isinstance(text, str) and re.search("[\ud800-\udfff]", text):
                shown = text.encode("utf-8", "surrogateescape")
                raise UsageError(f"{flag}: {shown!r} is not valid UTF-8")


def _words(text: str | None, flag: str) -> tuple[str, ...] | None:
    """Split a command the way a POSIX shell would (shlex), naming the flag on error."""
    if text is None:
        return None
    try:
        words = tuple(shlex.split(text))
    except ValueError as error:
        raise UsageError(f"{flag}: cannot split {quoted(text)} like a shell: {error}") from None
    if not words:
        raise UsageError(f"{flag}: the command is empty")
    return words


def _resource_list(texts: Sequence[str] | str, flag: str) -> dict[str, str]:
    """Parse `cpu=100m,memory=128Mi` (each of several); quantities are checked with the request."""
    quantities: dict[str, str] = {}
    items = [
        item
        for text in ([texts] if isinstance(texts, str) else texts)
        if text
        for item in text.split(",")
    ]
    for item in items:
        name, found, amount = item.partition("=")
        name, amount = name.strip(), amount.strip()
        if not found or not name:
            raise UsageError(
                f"{flag}: expected NAME=QUANTITY, e.g. cpu=100m,memory=128Mi, not {quoted(item)}"
            )
        if name in quantities:
            raise UsageError(f"{flag}: {name} is given twice")
        quantities[name] = amount
    return quantities


_TOLERATION_RE = re.compile(
    r"(?P<key>[^=:]+)(?:=(?P<value>[^:]*))?:(?P<effect>[^:]+)(?::(?P<seconds>.+))?"
)


def parse_toleration(text: str) -> Toleration:
    """Parse `key[=value]:Effect[:seconds]`; the effect is checked with the request."""
    match = _TOLERATION_RE.fullmatch(text)
    if match is None:
        raise SpecError("tolerations", f"expected key[=value]:Effect[:seconds], not {quoted(text)}")
    key, value, effect, seconds = match.group("key", "value", "effect", "seconds")
    if seconds is not None and not re.fullmatch(r"[0-9]+", seconds):
        raise SpecError("tolerations", f"seconds must be a whole number, not {quoted(seconds)}")
    return Toleration(
        key=key, effect=effect, value=value, seconds=int(seconds) if seconds is not None else None
    )


_GO_ATOI_RE = re.compile(r"[+-]?[0-9]+")


def _parse_port(port: str | None) -> int | None:
    if port is None or port == "":
        return None
    if not _GO_ATOI_RE.fullmatch(port):
        raise UsageError(f"--port: expected a whole number, not {quoted(port)}")
    return int(port)


def _port_or_name(text: str, flag: str) -> int | str:
    """A port number, or the name of a container port (checked with the request)."""
    return int(text) if _GO_ATOI_RE.fullmatch(text) else text


def parse_labels(spec: str) -> dict[str, str]:
    """Parse `a=b,c=d` exactly as kubectl run does (no '=' inside keys or values)."""
    if not spec:
        return {}
    labels: dict[str, str] = {}
    for item in spec.split(","):
        parts = item.split("=")
        if len(parts) != 2:
            raise UsageError(f"--labels: unexpected label spec: {item}")
        if not parts[0]:
            raise UsageError("--labels: unexpected empty label key")
        labels[parts[0]] = parts[1]
    return labels


def parse_env(items: Sequence[str]) -> tuple[EnvVar, ...]:
    """Parse repeated `--env NAME=VALUE` as kubectl run does."""
    env = []
    for item in items:
        name, found, value = item.partition("=")
        reasons = _rules.is_env_var_name(name) if name else ["name must not be empty"]
        if not found or reasons:
            detail = "; ".join(reasons) if found else "expected NAME=VALUE"
            raise UsageError(f"--env: invalid env: {item} ({detail})")
        # kubectl turns CRLF line ends in --env and --annotations values into LF.
        env.append(EnvVar(name=name, value=value.replace("\r\n", "\n")))
    return tuple(env)


def parse_pairs(items: Sequence[str], flag: str) -> dict[str, str]:
    """Parse repeated `key=value` flags like kubectl's cmdutil.ParsePairs."""
    pairs: dict[str, str] = {}
    invalid = [item for item in items if "=" not in item or item.startswith("=")]
    if invalid:
        raise UsageError(f"{flag}: invalid {flag.lstrip('-')} format: {', '.join(invalid)}")
    for item in items:
        key, _, value = item.partition("=")
        pairs[key] = value.replace("\r\n", "\n")
    return pairs


def flag_for(field_name: str) -> str:
    """The flag that sets a blueprint key (`probe.port` -> `--probe-port`)."""
    return options.flag_for(field_name)


def overlay(base: PodRequest, flagged: PodRequest, given: set[str]) -> PodRequest:
    """`base` (from a blueprint) with every field set by a flag in `given` taken from `flagged`.

    A flag replaces the blueprint's value (`--env` replaces the whole env, not one variable).
    """
    changes: dict[str, Any] = {"name": flagged.name} if "name" in given else {}
    probe_changes: dict[str, Any] = {}
    for option in OPTIONS:
        if option.field is None or option.param not in given:
            continue
        group, _, field_name = option.field.rpartition(".")
        if group == "probe":
            probe_changes[field_name] = getattr(flagged.probe, field_name)
        elif field_name == "words":  # a flag replaces the words it writes, not the others
            changes["words"] = {**changes.get("words", base.words), **flagged.words}
        elif field_name != "command":  # with the words after --, below
            changes[field_name] = getattr(flagged, field_name)
            if field_name == "image":  # --image A --image B: the images after the first too
                changes["more_images"] = flagged.more_images
    if "args" in given or "command" in given:
        changes["command"], changes["args"] = flagged.command, flagged.args
    if probe_changes:
        changes["probe"] = base.probe._replace(**probe_changes)
    return base._replace(**changes)


def flags_from_params(p: Mapping[str, Any]) -> RunFlags:
    """The RunFlags `podgen new`'s parsed parameters hold."""
    if p["dry_run"] != "client":
        raise UsageError(
            "--dry-run: podgen only prints manifests, so only "
            f'"client" makes sense, not {quoted(p["dry_run"])}'
        )
    if p["from_"] is None:
        if p["name"] is None:
            raise UsageError("Missing argument 'NAME'.")
        if not p["image"]:
            raise UsageError("Missing option '--image'.")
    run: dict[str, Any] = {}
    pod: dict[str, Any] = {}
    for option in OPTIONS:
        if option.attr is None:
            continue
        value = p[option.param]
        if option.repeatable:
            value = tuple(value or ())
        group, _, name = option.attr.rpartition(".")
        (pod if group else run)[name] = value
    run["image"] = run["image"] or ()  # with --from, the blueprint's
    # Choices arrive as text and become enums in `checked_flags`, for both parsers.
    return checked_flags(
        RunFlags(name=p["name"] or "", args=tuple(p["args"] or ()), **run, pod=PodFlags(**pod)),
        command_line=True,
    )
