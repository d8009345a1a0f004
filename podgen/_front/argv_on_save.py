"""Reading the argv of the commands run on every save, `podgen render` and `podgen validate`.

Editor tasks and pre-commit hooks run these on every save, and the console script's lean
paths (`_front.entry`) parse their plain argv here, without Typer and without the option
table of `podgen new` (`_front.argv`), which they do not need. Anything else goes to the full
CLI; tests/test_entry.py holds the two to each other.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def parse_render(words: list[str]) -> dict[str, Any] | None:
    """`podgen render`'s arguments, or None for the full CLI.

    The lean path takes SOURCE (none: the project's), `-o FORMAT`, `--out DIR`,
    `--k8s-version X.Y`, `--env ENV` and `--crd PATH` (both repeatable) and the switches
    `--check`, `--force`, `--prune`: what editor tasks and pre-commit hooks run on every save.
    """
    parsed: dict[str, Any] = {
        "source": None,
        "output": None,
        "out": None,
        "env": [],
        "crds": [],
        "k8s_version": None,
    }
    switches = {"--check": "check", "--force": "force", "--prune": "prune"}
    parsed.update(dict.fromkeys(switches.values(), False))
    values = {
        "-o": "output",
        "--output": "output",
        "--out": "out",
        "--env": "env",
        "--crd": "crds",
        "--k8s-version": "k8s_version",
    }
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        flag, has_value, value = word.partition("=")
        if flag in values and (has_value or index < len(words)):
            if not has_value:
                value = words[index]
                index += 1
            if flag in ("--env", "--crd"):
                parsed[values[flag]].append(value)  # repeatable: every one named
            else:
                parsed[values[flag]] = value
        elif word in switches:
            parsed[switches[word]] = True
        elif (word == "-" or not word.startswith("-")) and parsed["source"] is None:
            parsed["source"] = word
        else:
            return None  # --templates, help, --debug, a second source: the full CLI
    if parsed["output"] is not None:
        parsed["output"] = parsed["output"].lower()
        if parsed["output"] not in ("yaml", "json", "kyaml"):
            return None
    return parsed  # no source: the project's (podgen.yaml)


def parse_validate(words: list[str]) -> dict[str, Any] | None:
    """`podgen validate SOURCE... [--strict] [--skip-other-yaml] [--format F] [--crd P]...`.

    And `--k8s-version X.Y`, as written (validate parses it). None: the full CLI parses the
    arguments (and reports any error).
    """
    parsed: dict[str, Any] = {
        "sources": [],
        "report_format": "text",
        "strict": False,
        "k8s_version": None,
        "skip_other_yaml": False,
        "crds": [],
    }
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        flag, has_value, value = word.partition("=")
        if flag == "--format" and (has_value or index < len(words)):
            if not has_value:
                value = words[index]
                index += 1
            parsed["report_format"] = value.lower()
        elif flag == "--crd" and (has_value or index < len(words)):
            if not has_value:
                value = words[index]
                index += 1
            parsed["crds"].append(value)
        elif flag == "--k8s-version" and (has_value or index < len(words)):
            if not has_value:
                value = words[index]
                index += 1
            parsed["k8s_version"] = value
        elif word == "--strict":
            parsed["strict"] = True
        elif word == "--skip-other-yaml":  # the pre-commit hook's: given every YAML file
            parsed["skip_other_yaml"] = True
        elif word == "-" or not word.startswith("-"):
            parsed["sources"].append(word)
        else:
            return None  # help, --debug: the full CLI
    if parsed["report_format"] not in ("text", "json"):
        return None
    return parsed  # no sources: the project's
