"""The releases podgen targets: how `--k8s-version` is spelled and which run is targeting which."""

from __future__ import annotations

import itertools
import re

import jsonschema
import pytest

from podgen._errors import UsageError
from podgen._model import versions


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("1.29", "1.29"),
        ("v1.30", "1.30"),
        ("1.31.4", "1.31"),
        ("v1.37.0", "1.37"),
    ],
)
def test_spellings_people_write(text: str, version: str) -> None:
    assert versions.parse(text) == version


@pytest.mark.parametrize("text", ["1.28", "1.38", "2.0", "0.29"])
def test_a_release_outside_the_range_lists_the_range(text: str) -> None:
    with pytest.raises(
        UsageError, match=r"^--k8s-version: Kubernetes .* podgen supports 1\.29 to 1\.37$"
    ):
        versions.parse(text)


@pytest.mark.parametrize(
    "text", ["", "latest", "1", "1.x", "v1", " 1.33 ", "01.30", "1.030", "1.30.02", "V1.30"]
)
def test_not_a_version_says_what_one_looks_like(text: str) -> None:
    with pytest.raises(UsageError, match=r"expected a Kubernetes version like 1\.37"):
        versions.parse(text)


def test_the_newest_is_the_default_and_targeting_is_scoped() -> None:
    assert versions.target() == versions.NEWEST == "1.37"
    with versions.targeting("1.29"):
        assert versions.target() == "1.29"
        with versions.targeting("1.33"):
            assert versions.target() == "1.33"
        assert versions.target() == "1.29"
    assert versions.target() == "1.37"


def _spellings() -> list[str]:
    """Many ways to write a release, right and wrong: prefixes, numbers, patches, suffixes."""
    prefixes = ["", "v", "V", " ", "vv"]
    majors = ["1", "01", "0", "2", "10"]
    minors = [str(n) for n in range(0, 41)] + ["029", "030", "037", "3", "3.0", "+30", "-30"]
    patches = ["", ".0", ".2", ".10", ".02", ".00", ".", ".x", ".1.2", "-rc.1", "+k3s1"]
    suffixes = ["", " ", "\t"]
    return [
        f"{prefix}{major}.{minor}{patch}{suffix}"
        for prefix, major, minor, patch, suffix in itertools.product(
            prefixes, majors, minors, patches, suffixes
        )
    ]


def test_the_editor_schema_takes_exactly_what_podgen_takes() -> None:
    """podgen.yaml's schema (editors) and `parse` (the CLI, podgen.yaml) agree on each spelling.

    (A trailing newline is left out: JSON Schema's `$` is ECMA's, which never matches before
    one, while the Python checker's `re.search` does.)
    """
    from podgen._commands.project_schema import project_schema

    schema = project_schema()
    value_schema = schema["properties"]["kubernetesVersion"]
    accepted: list[str] = []
    for text in _spellings():
        try:
            versions.parse(text)
        except UsageError:
            by_podgen = False
        else:
            by_podgen = True
            accepted.append(text)
        by_schema = jsonschema.Draft7Validator(value_schema).is_valid(text)
        assert by_schema == by_podgen, text
        assert bool(re.search(versions.PATTERN, text)) == by_podgen, text
    # Each supported release, in its four spellings and with patches: and nothing else.
    assert {versions.parse(text) for text in accepted} == set(versions.SUPPORTED)
    assert not any(text.startswith(("1.28", "1.38", "01", " ")) for text in accepted)
    assert len(accepted) == len(versions.SUPPORTED) * 2 * 4  # v or not; "", .0, .2, .10
