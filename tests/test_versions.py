"""The releases podgen targets: how `--k8s-version` is spelled and which run is targeting which."""

from __future__ import annotations

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
        (" 1.33 ", "1.33"),
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


@pytest.mark.parametrize("text", ["", "latest", "1", "1.x", "v1"])
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
