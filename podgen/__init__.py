"""podgen: write Kubernetes Pod manifests exactly as kubectl would, and more.

The public API is small (docs/library.md):

- `new(RunFlags(...), output="yaml")`: what `podgen new` prints for those flags. `RunFlags`
  holds the flags `podgen new` shares with `kubectl run`; its `pod=PodFlags(...)` podgen's
  own. Every field follows one rule: a choice takes its enum (`Kind`, `Pattern`,
  `ProbeHandler`) or its value's text, a number an int or its decimal text, a repeatable flag
  a list of strings or one string (one flag's value).
- `generate(objects, output)`: render, check and emit spec objects; `build_manifests` makes
  them from a request; `dump_yaml` and `dump_json` write one object as kubectl does.
- Errors are `PodgenError` (`UsageError`, `InvalidFieldError`, `TemplateError`); `ExitCode`
  names the CLI's exit codes.

Submodules load on first use, to keep the CLI's start-up fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "ExitCode",
    "InvalidFieldError",
    "Kind",
    "OutputFormat",
    "Pattern",
    "PodFlags",
    "PodgenError",
    "ProbeHandler",
    "RunFlags",
    "TemplateError",
    "UsageError",
    "__version__",
    "build_manifests",
    "dump_json",
    "dump_yaml",
    "generate",
    "new",
]

_HOMES = {
    "ExitCode": "podgen._errors",
    "InvalidFieldError": "podgen._errors",
    "PodgenError": "podgen._errors",
    "TemplateError": "podgen._errors",
    "UsageError": "podgen._errors",
    "Kind": "podgen._model.spec",
    "OutputFormat": "podgen._model.spec",
    "Pattern": "podgen._model.spec",
    "ProbeHandler": "podgen._model.spec",
    "RunFlags": "podgen._building.flag_records",
    "PodFlags": "podgen._building.flag_records",
    "build_manifests": "podgen._building.build",
    "dump_json": "podgen._io.emit._gojson",
    "dump_yaml": "podgen._io.emit._goyaml",
    "generate": "podgen._rendering.pipeline",
    "new": "podgen._rendering.pipeline",
}

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from podgen._building.build import build_manifests
    from podgen._building.flag_records import PodFlags, RunFlags
    from podgen._errors import ExitCode, InvalidFieldError, PodgenError, TemplateError, UsageError
    from podgen._io.emit._gojson import dump_json
    from podgen._io.emit._goyaml import dump_yaml
    from podgen._model.spec import Kind, OutputFormat, Pattern, ProbeHandler
    from podgen._rendering.pipeline import generate, new


def __dir__() -> list[str]:
    """The public names (loaded on first use, so not yet in the module's namespace)."""
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'podgen' has no attribute {name!r}")
    import importlib  # only the library's users get here: the CLI imports its modules itself

    return getattr(importlib.import_module(home), name)
