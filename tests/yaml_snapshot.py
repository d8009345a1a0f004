"""A syrupy extension that stores each snapshot as a plain `.yaml` file under tests/snapshots/.

Reviewers read (and could `kubectl apply`) exactly what podgen generates.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

if TYPE_CHECKING:
    from syrupy.location import PyTestLocation


class YamlSnapshot(SingleFileSnapshotExtension):
    """One `.yaml` file per snapshot, in tests/snapshots/<test module>/."""

    file_extension = "yaml"
    _write_mode = WriteMode.TEXT

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return str(Path(__file__).parent / "snapshots" / test_location.basename)
