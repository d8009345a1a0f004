"""Import's test of a blueprint pod entry: render it as `podgen render` would, in memory.

Each candidate entry import writes is rendered again and compared with the manifest; what
does not render says why, for the note that keeps an object whole.
"""

from __future__ import annotations

import json
import re

from podgen._errors import PodgenError
from podgen._model.objects import API_VERSION, KIND

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def rendered_workload(entry: dict[str, Any], skeleton: str) -> dict[str, Any] | None:
    """The workload one blueprint pod entry renders to, or None if it does not render."""
    objects = rendered_objects(entry, skeleton)
    return objects[0] if objects else None


def rendered_objects(entry: dict[str, Any], skeleton: str) -> list[dict[str, Any]]:
    """What one blueprint pod entry renders to (its workload, then any Service), or []."""
    try:
        return _render_entry(entry, skeleton)
    except PodgenError:
        return []


def render_failure(entry: dict[str, Any], skeleton: str) -> str:
    """Why one blueprint pod entry does not render: its error, without the scratch file's place."""
    try:
        _render_entry(entry, skeleton)
    except PodgenError as error:
        return re.sub(r"^<import>(:\d+)*: (pods\[0\]\.)?", "", str(error))
    return "it renders, but not to the object as written"


def _render_entry(entry: dict[str, Any], skeleton: str) -> list[dict[str, Any]]:
    from podgen._blueprint.loader import load_blueprint
    from podgen._rendering.pipeline import render_blueprint

    text = json.dumps(
        {"apiVersion": API_VERSION, "kind": KIND, "skeleton": skeleton, "pods": [entry]}
    )
    return render_blueprint(load_blueprint(text, "<import>"))
