"""What explain knows of one API resource: the record shared by the built-in table and CRDs.

Discovery (`/api`, `/apis/GROUP/VERSION`) is what kubectl resolves `kubectl explain NAME` with;
the built-in resources of each release and those a CRD declares are both read into these
records, so that name resolution does not care where a resource came from.
"""

from __future__ import annotations

from podgen._records import NamedTuple


class ApiResource(NamedTuple):
    """One resource in one group version, as discovery lists it."""

    group: str  #: "" for the core group
    version: str  #: "v1", "v1beta1"
    kind: str  #: "Deployment"
    plural: str  #: the resource's name in discovery: "deployments"
    singular: str  #: "deployment" ("" where discovery gives none)
    short_names: tuple[str, ...]  #: ("deploy",), in discovery's order
    namespaced: bool
    preferred: bool  #: the version discovery lists first for the group (kubectl's default)

    @property
    def group_version(self) -> str:
        """`v1` for the core group, `apps/v1` otherwise (an apiVersion)."""
        return f"{self.group}/{self.version}" if self.group else self.version
