"""The judge suite's named disagreements, each with its reason (issue 22).

Keyed by (kind label, mistake) as tests/object_mistakes.py names them. Nothing is hidden:
the suite counts these in its table, and fails when one of them agrees with the server now
(then delete its line: the rule landed) or when a disagreement appears that is not here.
Every kind drawn is `COVERED`: what podgen does not check yet is a named miss.
"""

from __future__ import annotations

from tests.object_generator import BASES


def NOT_PORTED(item: str) -> str:
    """A rule not ported yet."""
    return f"rule not ported yet: {item}"


def FOUND(what: str) -> str:
    """A false error this suite found that issue 22 does not list."""
    return f"found by this suite, not in issue 22 yet: {what}"


def SERVER(what: str) -> str:
    """How this test server (../shared/k8s-apiserver, README) differs from a production one."""
    return f"this server's defaulting or admission: {what}"


ASTRAL = FOUND(
    "JSON escapes an astral character as a surrogate pair (\\ud83d\\ude00); podgen's YAML"
    " reader refuses the escape"
)

JOB_NAME = SERVER(
    "the server labels a Job's pods with its name (batch.kubernetes.io/job-name), so a name"
    " over 63 characters is refused: not ported yet"
)

NO_SA_ADMISSION = SERVER(
    "the ServiceAccount admission plugin is off here: no serviceAccountName is filled in, so"
    " a projected token is refused; a real cluster accepts this Pod"
)

NO_PRIORITY_CLASS = SERVER(
    "the Priority admission plugin finds no such PriorityClass here (only the system ones"
    " exist); podgen cannot know a cluster's classes"
)

FALSE_LIMITRANGE = (
    "this server's defaulting or admission: this server names a nameless LimitRange with a "
    "UUID (its registry does, before validation)"
)

FALSE_PERSISTENTVOLUMECLAIM = (
    "this server's defaulting or admission: the schema requires dataSource.kind, but the "
    "PVC strategy drops a dataSource it cannot use before validation"
)

CSI_DRIVER = NOT_PORTED("CSIDriver: fsGroupPolicy values and unique token audiences")

MISS_CRONJOB_INDEXED_WITHOUT_COMPLETIONS = (
    "rule not ported yet: issue 22, Job: Indexed needs completions"
)

ENDPOINT_SLICE = NOT_PORTED(
    "EndpointSlice: addresses of the addressType, addressType values, port names"
)

LEASE = NOT_PORTED("Lease: leaseDurationSeconds above 0, leaseTransitions not negative")

PERSISTENT_VOLUME = NOT_PORTED(
    "PersistentVolume: access modes, capacity, exactly one volume source, reclaim policy, NFS paths"
)

RUNTIME_CLASS = NOT_PORTED("RuntimeClass: handler a DNS label")

#: The kinds whose rules are ported: podgen must miss nothing the server refuses in them.
#: Every kind the suite draws; what is not ported yet is named in KNOWN_MISSES.
COVERED = frozenset(BASES)

#: podgen errors where the server accepts: each must go (none may be added).
KNOWN_FALSE_ERRORS: dict[tuple[str, str], str] = {
    ("ConfigMap", "value-astral-character"): ASTRAL,
    ("LimitRange", "name-missing"): FALSE_LIMITRANGE,
    ("PersistentVolumeClaim", "data-source-kind-missing"): FALSE_PERSISTENTVOLUMECLAIM,
}

#: What the server refuses and podgen lets through, by kind and mistake.
KNOWN_MISSES: dict[tuple[str, str], str] = {
    ("CSIDriver", "fs-group-policy-bad"): CSI_DRIVER,
    ("CSIDriver", "token-audience-duplicate"): CSI_DRIVER,
    ("CronJob", "indexed-without-completions"): MISS_CRONJOB_INDEXED_WITHOUT_COMPLETIONS,
    ("EndpointSlice", "address-bad"): ENDPOINT_SLICE,
    ("EndpointSlice", "address-type-bad"): ENDPOINT_SLICE,
    ("EndpointSlice", "port-name-bad"): ENDPOINT_SLICE,
    ("Job", "name-label-too-long"): JOB_NAME,
    ("Lease", "duration-zero"): LEASE,
    ("Lease", "transitions-negative"): LEASE,
    ("PersistentVolume", "access-mode-bad"): PERSISTENT_VOLUME,
    ("PersistentVolume", "capacity-missing"): PERSISTENT_VOLUME,
    ("PersistentVolume", "nfs-relative-path"): PERSISTENT_VOLUME,
    ("PersistentVolume", "no-source"): PERSISTENT_VOLUME,
    ("PersistentVolume", "reclaim-policy-bad"): PERSISTENT_VOLUME,
    ("Pod", "priority-class-absent"): NO_PRIORITY_CLASS,
    ("Pod", "projected-token-without-service-account"): NO_SA_ADMISSION,
    ("RuntimeClass", "handler-bad"): RUNTIME_CLASS,
}
