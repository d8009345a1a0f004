"""The package's layout: its parts are layers (pyproject.toml's import-linter contract), no
module imports itself back, and modules are small enough to read whole."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "podgen"
#: Faithful ports of Go code, kept whole so they can be read beside their originals, and
#: generated code (tools/compile_templates.py), read as its templates, not whole.
PORTS = {"_io/emit/_goyaml.py", "_rendering/compiled_templates.py"}
MAX_LINES = 530  # "none much over 500"


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The podgen modules `path` imports, at any level (a function's imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in modules}


def test_each_part_imports_only_the_parts_below_it(capsys: pytest.CaptureFixture[str]) -> None:
    """The real import-linter, on pyproject.toml's contract, as .ci/run runs it."""
    from importlinter.cli import lint_imports

    code = lint_imports(config_filename=str(PACKAGE.parent / "pyproject.toml"), no_cache=True)
    report = capsys.readouterr().out
    assert code == 0, report
    assert "1 kept, 0 broken" in report


def test_the_layers_contract_names_every_part() -> None:
    """Every module and package directly under podgen/ is a layer, so none escapes the
    contract (import-linter's `exhaustive` says the same, in its own words)."""
    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    parts = {
        path.stem if path.is_file() else path.name
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" and path.name != "__init__.py")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    assert contract["type"] == "layers"
    unnamed = parts - set(contract["layers"])
    assert not unnamed, f"name these parts in pyproject.toml's layers contract: {sorted(unnamed)}"
    assert set(contract["layers"]) <= parts, "the layers contract names parts that are gone"


def test_every_folder_of_code_is_a_package_the_wheel_ships() -> None:
    """A folder without __init__.py would be a namespace package: import-linter would not see
    it as a part, and setuptools would leave it out of the wheel."""
    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = set(config["tool"]["setuptools"]["packages"])
    folders = {path.parent for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts}
    for folder in folders:
        assert (folder / "__init__.py").exists(), f"{folder} has code but no __init__.py"
        name = ".".join(folder.relative_to(PACKAGE.parent).parts)
        assert name in shipped, f"{name} is not in pyproject.toml's [tool.setuptools] packages"


def test_no_module_imports_by_a_name_the_contract_cannot_see() -> None:
    """import-linter reads import statements; a module named in a string (importlib,
    __import__) would hide a dependency. Only the public facade loads its exports so."""
    hidden = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path != PACKAGE / "__init__.py"
        and any(
            call in path.read_text(encoding="utf-8") for call in ("import_module(", "__import__(")
        )
    ]
    assert hidden == []


def test_no_module_imports_itself_back() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    # Packages' __init__ modules load their children by name only; they are not stages.
    graph = {
        name: {t for t in targets if modules[t].name != "__init__.py"}
        for name, targets in graph.items()
    }

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for target in graph[start]:
            if target == goal or (target not in seen and reaches(target, goal, seen | {target})):
                return True
        return False

    cycles = sorted(name for name in graph if reaches(name, name, {name}))
    assert cycles == [], f"modules in an import cycle: {cycles}"


def test_modules_are_small_enough_to_read_whole() -> None:
    long = {
        path.relative_to(PACKAGE).as_posix(): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and path.relative_to(PACKAGE).as_posix() not in PORTS
    }
    assert long == {}
