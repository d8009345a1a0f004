"""Writing objects as kubectl prints them: YAML (go-yaml v2), JSON (encoding/json), KYAML."""

from __future__ import annotations

from collections.abc import Callable, Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from podgen._model.spec import OutputFormat


def dumper(output: OutputFormat) -> Callable[[Mapping[str, object]], str]:
    """The writer of one object in `output`'s format; each loads only when asked for."""
    if output == "json":
        from podgen._io.emit._gojson import dump_json

        return dump_json
    if output == "kyaml":
        from podgen._io.emit._kyaml import dump_kyaml

        return dump_kyaml
    from podgen._io.emit._goyaml import dump_yaml

    return dump_yaml


def separator(output: OutputFormat) -> str:
    """What goes between two objects: `---` for YAML (each KYAML document has its own)."""
    return "---\n" if output == "yaml" else ""
