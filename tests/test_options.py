"""The one table of options: every front end agrees with it, the library's flag records and
the word flags follow from it, and docs/new.md shows it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import typer

from podgen._blueprint.schema import POD
from podgen._front.cli import app
from podgen._model import options as _options
from podgen._model.options import OPTIONS, flag_for

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> object:
    spec = importlib.util.spec_from_file_location(
        "readme_options", ROOT / "tools" / "readme_options.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_docs_table_is_the_options_table() -> None:
    text = (ROOT / "docs" / "new.md").read_text(encoding="utf-8")
    assert _tool().updated(text) == text, "run: python tools/readme_options.py"  # type: ignore[attr-defined]
    for option in OPTIONS:
        assert f"`{option.flag}" in text


def test_every_option_is_a_typer_option_with_its_help() -> None:
    command = typer.main.get_command(app).commands["new"]  # type: ignore[attr-defined]
    by_name = {param.name: param for param in command.params}
    for option in OPTIONS:
        param = by_name[option.param]
        assert list(param.opts) == list(option.flags)
        assert param.help == _options.help_text(option)
        assert bool(param.multiple) == option.repeatable


def test_every_blueprint_key_is_in_the_blueprint_schema() -> None:
    for option in OPTIONS:
        if option.key is None:
            continue
        schema = POD
        for part in option.key.split("."):
            assert part in schema["properties"], option.key
            schema = schema["properties"][part]


def test_messages_name_each_key_by_its_flag() -> None:
    assert flag_for("probe.port") == "--probe-port"
    assert flag_for("sidecar.native") == "--native-sidecar"
    assert flag_for("tolerations") == "--toleration"
    assert flag_for("name") == "NAME"
    for option in OPTIONS:
        if option.key is not None and option.key not in _options.POSITIONAL_KEYS:
            assert flag_for(option.key) == option.flag


def test_every_enum_field_has_a_default_of_its_enum() -> None:
    """The blueprint loader knows an enum field by its default's type (typing stays unloaded)."""
    import enum
    import typing

    from podgen._model.spec import PodRequest, ProbeRequest

    enum_fields = 0
    for record in (PodRequest, ProbeRequest):
        hints = typing.get_type_hints(record, localns={"Any": typing.Any})  # typing-only name
        for name, declared in hints.items():
            if isinstance(declared, type) and issubclass(declared, enum.Enum):
                enum_fields += 1
                assert type(record._field_defaults.get(name)) is declared, name
    assert enum_fields >= 3  # kind, pattern, probe type


def _load(name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_flag_records_are_what_the_table_generates() -> None:
    tool = _load("flag_records")
    assert tool.TARGET.read_text() == tool.render(), "run: python tools/flag_records.py"  # type: ignore[attr-defined]


def test_each_option_is_a_field_of_its_record_typed_as_it_says() -> None:
    from podgen import PodFlags, RunFlags

    for option in OPTIONS:
        if option.attr is None:
            continue
        group, _, name = option.attr.rpartition(".")
        record = PodFlags if group == "pod" else RunFlags
        assert name in record._fields, option.flag
        declared = record.__annotations__[name]
        if option.repeatable:
            assert declared.startswith("Sequence[str]"), option.flag
        elif option.choices:
            default = record._field_defaults[name]
            assert {member.value for member in type(default)} == set(option.choices)
            assert default.value == option.default, option.flag
        elif name != "image":  # `kubectl run NAME --image IMG`: the library requires it
            assert record._field_defaults[name] == option.default, option.flag
    attrs = {option.attr for option in OPTIONS if option.attr}
    assert {f"pod.{name}" for name in PodFlags._fields} <= attrs
    assert set(RunFlags._fields) - attrs == {"name", "args", "pod"}


#: A value of each flag that writes blueprint words, and of each word its parser makes.
_WORD_FLAG_VALUES = {
    "--volume-claim": "data=1Gi:/data",
    "--max-unavailable": "1",
    "--mount": "configmap:site:/usr/share/nginx/html",
    "--env-from": "secret:db",
    "--image-pull-secret": "registry",
}


def test_the_words_each_flag_writes_are_the_ones_the_table_declares() -> None:
    from podgen._building.word_flags import word_flag

    writers = [option for option in OPTIONS if option.writes]
    assert sorted(option.flag for option in writers) == sorted(_WORD_FLAG_VALUES)
    for option in writers:
        assert option.field == "words"
        written = word_flag(option.flag, _WORD_FLAG_VALUES[option.flag])
        assert sorted(written) == sorted(option.writes), option.flag
        assert flag_for(option.writes[0]) == option.flag
    assert flag_for("mounts") == "--mount"  # --volume-claim mounts its claims too
    assert flag_for("volumeClaimTemplates") == "--volume-claim"


def test_the_kinds_the_table_names_are_the_specs() -> None:
    """options.py lists the kinds without importing the spec (the lean start-up path reads it)."""
    from podgen._model import spec

    assert tuple(kind.value for kind in spec.Kind) == _options.POD_KINDS
    controllers = {kind.value for kind in spec._CONTROLLERS}
    assert set(_options.CONTROLLER_KINDS) == controllers
