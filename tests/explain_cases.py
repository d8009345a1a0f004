"""The cases the explain renderers are held to: every kind the shared API server serves.

The server's own `/openapi/v3` documents and discovery are read here (not podgen's stored
copies), so that the renderers are judged on exactly what kubectl reads. Field paths are
generated from the schemas (every property, to a depth, through `$ref`, `allOf`, array items
and map values); kubectl runs in a pool of threads, since each call costs a cold start.
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

from podgen._errors import ExplainError, ExplainFieldError
from tests.explain_peer import ExplainPeer

#: kubectl calls at once: each is a process, most of its time spent starting up.
THREADS = 8


class Resource(NamedTuple):
    """One resource as discovery lists it, with the schema of its kind."""

    group_version: str
    plural: str
    kind: str
    schema: str  #: the name in components.schemas

    @property
    def group(self) -> str:
        """ "" for the core group."""
        return self.group_version.rpartition("/")[0]

    @property
    def version(self) -> str:
        """`v1`, `v2beta1`, ..."""
        return self.group_version.rpartition("/")[2]


class Documents:
    """The server's OpenAPI v3 documents and discovery (built-in groups), each fetched once."""

    def __init__(self, peer: ExplainPeer) -> None:
        self.server = peer.server

    @functools.cache  # noqa: B019 (one instance a session)
    def schemas(self, group_version: str) -> dict[str, dict[str, Any]]:
        """The `components.schemas` of /openapi/v3/api/v1 or /openapi/v3/apis/G/V."""
        prefix = "/openapi/v3/apis/" if "/" in group_version else "/openapi/v3/api/"
        status, body, _ = self.server.request("GET", prefix + group_version)
        assert status == 200, (group_version, status)
        schemas: dict[str, dict[str, Any]] = body["components"]["schemas"]
        return schemas

    @functools.cached_property
    def resources(self) -> list[Resource]:
        """Every top-level resource of discovery (no subresources), /api then /apis."""
        group_versions = ["v1"]
        status, groups, _ = self.server.request("GET", "/apis")
        assert status == 200
        group_versions += [v["groupVersion"] for g in groups["groups"] for v in g["versions"]]
        status, crds, _ = self.server.request(
            "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        )
        assert status == 200
        # Other tests install and delete CRDs on the shared server at any time: built-ins only.
        custom = {crd["spec"]["group"] for crd in crds["items"]}
        group_versions = [
            gv
            for gv in group_versions
            if gv.rpartition("/")[0] not in custom and "podgen" not in gv and ".test/" not in gv
        ]
        found = []
        for group_version in group_versions:
            path = "/apis/" if "/" in group_version else "/api/"
            status, listing, _ = self.server.request("GET", path + group_version)
            assert status == 200
            schemas = self.schemas(group_version)
            group, _, version = group_version.rpartition("/")
            for entry in listing["resources"]:
                if "/" in entry["name"]:
                    continue
                wanted = {"group": group, "version": version, "kind": entry["kind"]}
                names = [
                    name
                    for name, schema in schemas.items()
                    if wanted in schema.get("x-kubernetes-group-version-kind", [])
                ]
                assert len(names) == 1, (group_version, entry["name"], names)
                found.append(Resource(group_version, entry["name"], entry["kind"], names[0]))
        return found


def field_paths(
    schemas: dict[str, dict[str, Any]],
    root: str,
    depth: int,
    seen: set[tuple[str, str]] | None = None,
) -> list[tuple[str, ...]]:
    """Every field path below the kind `root`, to `depth` fields, in sorted order.

    With `seen` (shared across the kinds of a document), a field already reached through the
    same schema elsewhere (`metadata.name` of every kind: one ObjectMeta) is left out, and so
    is what lies below it: kubectl prints the same for both but for the header, which the
    kind's own page shows. That keeps the kubectl calls to what can differ.
    """
    paths: list[tuple[str, ...]] = []

    def below(schema: dict[str, Any], owner: str, path: tuple[str, ...]) -> None:
        if len(path) >= depth:
            return
        for name, (holder, field) in sorted(_properties(schemas, schema, owner).items()):
            if seen is not None:
                if (holder, name) in seen:
                    continue
                seen.add((holder, name))
            paths.append((*path, name))
            below(field, f"{holder}/{name}", (*path, name))

    below(schemas[root], root, ())
    return paths


def _properties(
    schemas: dict[str, dict[str, Any]], schema: dict[str, Any], owner: str
) -> dict[str, tuple[str, Any]]:
    """The fields a schema has, through its `$ref`, `allOf`, items and map values.

    Each with the name of the schema that holds it: the `$ref` followed, or where an inline
    schema sits below one (`owner`).
    """
    ref = schema.get("$ref")
    if ref:
        owner = ref.rpartition("/")[2]
        schema = schemas[owner]
    found = {name: (owner, field) for name, field in (schema.get("properties") or {}).items()}
    for index, part in enumerate(schema.get("allOf") or ()):
        found.update(_properties(schemas, part, f"{owner}/allOf{index}"))
    if isinstance(schema.get("items"), dict):
        found.update(_properties(schemas, schema["items"], f"{owner}/items"))
    if isinstance(schema.get("additionalProperties"), dict):
        found.update(_properties(schemas, schema["additionalProperties"], f"{owner}/values"))
    return found


def case(
    documents: Documents,
    renderer: Callable[..., str],
    resource: Resource,
    path: Sequence[str],
    *flags: str,
    **options: Any,
) -> tuple[list[str], Callable[[], str]]:
    """kubectl's arguments for one resource, path and flags, and our renderer for the same."""
    argument = ".".join((resource.plural, *path))
    args = [argument, f"--api-version={resource.group_version}", *flags]

    def render() -> str:
        return renderer(
            documents.schemas(resource.group_version),
            resource.schema,
            resource.group,
            resource.version,
            resource.kind,
            path,
            **options,
        )

    return args, render


def every_path(
    documents: Documents, depth: int, *, one_document: bool = False
) -> Iterator[tuple[Resource, tuple[str, ...]]]:
    """Each resource with no path, then its field paths to `depth`, each field schema once.

    Once a group version's document, or (`one_document`: kubectl's OpenAPI v2, one document
    for every group) once in all: the same schema name holds the same fields everywhere.
    """
    seen: dict[str, set[tuple[str, str]]] = {}
    for resource in documents.resources:
        schemas = documents.schemas(resource.group_version)
        once = seen.setdefault("" if one_document else resource.group_version, set())
        for path in [(), *field_paths(schemas, resource.schema, depth, once)]:
            yield resource, path


def unknown_paths(documents: Documents, resource: Resource) -> list[tuple[str, ...]]:
    """Paths with a field that is not there: at the top, below a field, below a string."""
    paths = field_paths(documents.schemas(resource.group_version), resource.schema, 1)
    first = paths[0][0] if paths else "metadata"
    return [
        ("nosuchfield",),
        (first, "nosuchfield", "deeper"),
        ("metadata", "name", "nosuchfield"),
        ("metadata", "labels", "anykey"),
    ]


class Outcome(NamedTuple):
    """What a run printed: stdout, and stderr (`error: ...` lines)."""

    stdout: str
    stderr: str


def kubectl_outcome(done: subprocess.CompletedProcess[str]) -> Outcome:
    """kubectl's outcome, its exit status folded into whether stderr is empty."""
    assert (done.returncode == 0) == (done.stderr == ""), done
    return Outcome(done.stdout, done.stderr)


def ours(render: Callable[[], str]) -> Outcome:
    """A renderer's outcome, its errors as kubectl prints them."""
    try:
        return Outcome(render(), "")
    except ExplainFieldError as error:
        return Outcome(error.stdout, f"error: {error}\n")
    except ExplainError as error:
        return Outcome("", f"error: {error}\n")


def run_all(peer: ExplainPeer, calls: Iterable[Sequence[str]]) -> Iterator[Outcome]:
    """kubectl explain for each argument list, in a pool, outcomes in order."""
    with ThreadPoolExecutor(THREADS) as pool:
        for done in pool.map(lambda args: peer.explain(*args), calls):
            yield kubectl_outcome(done)


def mismatches(
    peer: ExplainPeer, cases: Sequence[tuple[Sequence[str], Callable[[], str]]]
) -> tuple[int, list[str]]:
    """Run each case (kubectl's arguments, our renderer): how many ran, and the differences."""
    failures: list[str] = []
    outcomes = run_all(peer, [args for args, _ in cases])
    for (args, render), theirs in zip(cases, outcomes, strict=True):
        mine = ours(render)
        if mine != theirs:
            failures.append(f"kubectl explain {' '.join(args)}:\n{_diff(theirs, mine)}")
    return len(cases), failures


def _diff(theirs: Outcome, mine: Outcome) -> str:
    import difflib

    lines = []
    for label, a, b in (
        ("stdout", theirs.stdout, mine.stdout),
        ("stderr", theirs.stderr, mine.stderr),
    ):
        if a != b:
            diff = difflib.unified_diff(
                a.splitlines(True), b.splitlines(True), "kubectl", "podgen", n=1
            )
            lines.append(f"{label}:\n" + "".join(diff))
    return "".join(lines)[:4000]
