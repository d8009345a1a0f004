"""The Kubernetes releases podgen checks and writes for, and the one a run targets.

`--k8s-version X.Y` (validate, new, render, import) and `kubernetesVersion:` in podgen.yaml
(for the project or one environment) name the release of the cluster the manifests are for.
Everything that depends on the release (the schema, the API versions served, the feature gates
on by default) asks `target()`.

The target is a context variable rather than an argument threaded through every check: one
run targets one release at a time (a project's environments, each with its own, are checked one
after another inside `targeting(...)`), and the many checks that do not care need not carry it.
A context variable keeps threads and asyncio tasks of a library user apart.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterator

from podgen._errors import UsageError, quoted

#: Every release podgen has the schema, API lifecycle and feature gates of, oldest first.
SUPPORTED = tuple(f"1.{minor}" for minor in range(29, 38))
#: What a run targets when nothing says otherwise.
NEWEST = SUPPORTED[-1]

_TARGET: contextvars.ContextVar[str] = contextvars.ContextVar("podgen_k8s_version", default=NEWEST)
# `1.30`, `v1.30`, `1.30.2` (a patch release has the minor's API), `v1.30.2`: numbers as
# Kubernetes writes them, without leading zeros or spaces (`01.30`, ` 1.30` are refused).
_NUMBER = "(?:0|[1-9][0-9]*)"
_SPELLING = re.compile(rf"v?(?P<major>{_NUMBER})\.(?P<minor>{_NUMBER})(?:\.{_NUMBER})?")
#: What `parse` accepts, as a JSON Schema (ECMA) pattern for editors: a supported release,
#: spelled as above.
PATTERN = "^v?(?:" + "|".join(re.escape(version) for version in SUPPORTED) + rf")(?:\.{_NUMBER})?$"


def parse(text: str, where: str = "--k8s-version") -> str:
    """`X.Y` for a release podgen supports, from how people write it; a UsageError otherwise.

    `where` names the flag or the file:line of the value in the error.
    """
    match = _SPELLING.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise UsageError(
            f"{where}: expected a Kubernetes version like {NEWEST}, not {quoted(text)} "
            f"(podgen supports {SUPPORTED[0]} to {NEWEST})"
        )
    version = f"{match['major']}.{match['minor']}"
    if version not in SUPPORTED:
        raise UsageError(
            f"{where}: Kubernetes {version} is not supported: podgen supports "
            f"{SUPPORTED[0]} to {NEWEST}"
        )
    return version


def target() -> str:
    """The release this run checks and writes for (`NEWEST` unless told otherwise)."""
    return _TARGET.get()


def minor(version: str) -> int:
    """29 for `1.29`: releases compare by their minor number."""
    return int(version.split(".")[1])


@contextlib.contextmanager
def targeting(version: str, by: str = "--k8s-version") -> Iterator[str]:
    """Check and write for `version` (already parsed) inside the block.

    `by` says what chose it, for messages that point the user there: the flag, or the
    place of `kubernetesVersion:` in podgen.yaml.
    """
    token, chooser = _TARGET.set(version), _CHOSEN_BY.set(by)
    try:
        yield version
    finally:
        _CHOSEN_BY.reset(chooser)
        _TARGET.reset(token)


#: What chose the target (`targeting`'s `by`); unset while the default stands.
_CHOSEN_BY: contextvars.ContextVar[str] = contextvars.ContextVar("podgen_k8s_version_by")


def chosen() -> str | None:
    """The release a caller chose with `targeting`, or None while the default (NEWEST) stands.

    A project's environments each target their own `kubernetesVersion:`, unless the run
    was told one release for all (`--k8s-version`): then that one.
    """
    return _TARGET.get(None)


def chosen_by() -> str:
    """What chose the target, as messages name it: `--k8s-version` while none did."""
    return _CHOSEN_BY.get("--k8s-version")


def targeting_given(
    text: str | None, where: str = "--k8s-version"
) -> contextlib.AbstractContextManager[object]:
    """`targeting(parse(text))` for a release the user gave (`where` names it), else nothing."""
    if text is None:
        return contextlib.nullcontext()
    return targeting(parse(text, where), where)
