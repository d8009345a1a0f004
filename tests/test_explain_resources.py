"""resources.resolve against kubectl explain 1.37 and the shared 1.36 API server.

For each spelling of a resource (and the odd ones kubectl's JSONPath parser and REST mapper make
of an argument), `resolve` names a resource and a field path, or an error. kubectl is then run
twice: with the spelling, and with the plain spelling of what `resolve` found (`--api-version
GROUP/VERSION PLURAL.FIELD...`, a different path through kubectl). The two must print the same
bytes and exit alike, and kubectl's warnings must be `resolve`'s. Where `resolve` refuses,
kubectl must refuse with the same line. The resources are the stored discovery of 1.36
(store.resources), which is the server's own, in its order.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import pytest

from podgen._errors import ExplainError
from podgen._explaining import store
from podgen._explaining.kinds import ApiResource
from podgen._explaining.resources import OPENAPIV2, Resolved, group_resource, resolve
from tests.explain_peer import ExplainPeer

TERMINATORS = " \t\r\n.,[]$@{}"


def discovery(peer: ExplainPeer) -> tuple[ApiResource, ...]:
    """The server's resources as kubectl reads them: /api, then /apis, in the server's order."""
    request = peer.server.request
    lists: list[tuple[str, str, bool]] = [
        ("", version, True) for version in request("GET", "/api")[1]["versions"]
    ]
    for group in request("GET", "/apis")[1]["groups"]:
        preferred = group["preferredVersion"]["version"]
        for version in group["versions"]:
            lists.append((group["name"], version["version"], version["version"] == preferred))
    found = []
    for group, version, preferred in lists:
        path = f"/apis/{group}/{version}" if group else f"/api/{version}"
        for item in request("GET", path)[1]["resources"]:
            if "/" in item["name"]:
                continue  # a subresource: kubectl's mapper skips them
            found.append(
                ApiResource(
                    group=group,
                    version=version,
                    kind=item["kind"],
                    plural=item["name"],
                    singular=item.get("singularName", ""),
                    short_names=tuple(item.get("shortNames", ())),
                    namespaced=item["namespaced"],
                    preferred=preferred,
                )
            )
    return tuple(found)


@pytest.fixture(scope="module")
def peer(explain_peer: ExplainPeer) -> ExplainPeer:
    """kubectl with a discovery cache of this module's own, filled when `resources` is read."""
    return explain_peer.fresh()


@pytest.fixture(scope="module")
def resources(peer: ExplainPeer) -> tuple[ApiResource, ...]:
    """The stored 1.36 discovery, then any CRDs other tests have installed meanwhile (kubectl
    sees them too: a name they share with a built-in resource would change its answer)."""
    built_in = store.group_versions("1.36")
    served = discovery(peer)
    return store.resources("1.36") + tuple(r for r in served if r.group_version not in built_in)


def test_the_stored_discovery_is_the_servers(peer: ExplainPeer) -> None:
    built_in = store.group_versions("1.36")
    served = tuple(r for r in discovery(peer) if r.group_version in built_in)
    assert store.resources("1.36") == served


def plain(resolved: Resolved, output: str) -> list[str]:
    """The kubectl arguments that say what `resolved` found in the plainest way."""
    resource = resolved.resource
    path = "".join("['']" if not field else "." + _escaped(field) for field in resolved.fields)
    version = f"{resource.group}/{resource.version}" if resource.group else resource.version
    return [resource.plural + path, "--api-version", version or "/", "-o", output]


def _escaped(field: str) -> str:
    if field == "*":
        return "\\*"
    return "".join("\\" + char if char in TERMINATORS else char for char in field)


def expected_error(error: ExplainError) -> str:
    warnings = "".join(f"Warning: {warning}\n" for warning in error.warnings)
    return f"{warnings}{error.prefix}{error}\n"


def mismatches(
    peer: ExplainPeer, resources: tuple[ApiResource, ...], cases: Iterable[tuple[str, ...]]
) -> list[str]:
    """Each case (ARGUMENT, [--api-version X], [-o OUTPUT]) where kubectl and resolve differ."""

    @cache
    def kubectl(args: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
        return peer.explain(*args)

    def check(case: tuple[str, ...]) -> str | None:
        argument, api_version, output = case[0], None, "plaintext"
        options = dict(zip(case[1::2], case[2::2], strict=True))
        api_version = options.get("--api-version", api_version)
        output = options.get("-o", output)
        got = kubectl(case)
        try:
            resolved = resolve(resources, argument, api_version, output=output)
        except ExplainError as error:
            want = expected_error(error)
            if (got.returncode, got.stdout, got.stderr) == (1, "", want):
                return None
            return f"{case}: resolve refused with {want!r}; kubectl: {got}"
        again = kubectl(tuple(plain(resolved, output)))
        warnings = "".join(f"Warning: {warning}\n" for warning in resolved.warnings)
        if (got.returncode, got.stdout, got.stderr) == (
            again.returncode,
            again.stdout,
            warnings + again.stderr,
        ):
            return None
        return f"{case}: resolve found {resolved}; kubectl: {got}; plainly: {again}"

    unique = list(dict.fromkeys(cases))
    with ThreadPoolExecutor(8) as pool:
        return [found for found in pool.map(check, unique) if found]


#: Spellings whose outcome turns on one rule of kubectl's parser or mapper (each one found by
#: running kubectl; the module docstring of podgen/_explaining/resources.py names them).
QUIRKS = [
    # case: plural, singular and kind in any case; short names only as discovery has them
    "pods", "pod", "po", "Pod", "POD", "PODS", "Pods", "Po", "PO", "pOd",
    "persistentvolumeclaim", "PersistentVolumeClaim", "PVC", "pvc",
    # trailing dots, empty fields and recursive descent
    "pods.", "pods..", "pods..spec", "pods...spec", "pods.spec..containers", "pods.spec.",
    "pods.spec.containers.", "..pods", ".pods", "", " ", ".", "pods.@", "pods.$", "@pods",
    "$pods", "pods.spec.@", "pods.spec.$.containers",
    # plural.group and what is not it
    "deployments.apps", "deployments.apps.spec", "deployment.apps", "deploy.apps",
    "Deployments.apps", "Deployment.apps", "deployments.app", "deployments.appsx",
    "deployments.appsx.spec", "deployments.apps.v1", "deployments.v1.apps", "deployments.v1",
    "horizontalpodautoscalers.autoscaling", "hpa", "hpa.spec", "cronjobs.batch.spec.schedule",
    "storageclasses.storage.k8s.io", "storageclasses.storage", "sc.storage.k8s.io",
    # the core Event shadows events.k8s.io's, and ev warns
    "events", "ev", "Event", "EV", "events.events.k8s.io", "events.events.k8s.io.note",
    "events.events", "event.events.k8s.io", "ev.spec", "ev.note",
    # names the mapper knows that explain cannot find
    "podlist", "podlists", "PodList", "list", "lists", "deploymentlist", "endpointslist",
    "endpointslists", "eventlist", "bindinglist", "List",
    # JSONPath: brackets, quotes, filters, unions, numbers and odd characters
    "pods[0]", "pods.spec.containers[0]", "pods.spec.containers[*]", "pods.*", "pods.spec.*",
    "pods['spec']", "pods.spec['containers']", "pods['spec.containers']", "pods['']",
    "pods}", "pods}{.spec", "pods.spec}", "{pods}", "pods{", "pods spec", "pods\\.spec",
    "pods.metadata.labels\\.x", "pods.spec.containers.name", "pods.1", "1pods", "pods.-1",
    "pods.+1", "pods.1.2.3", "pods.spec -1.2.3", "pods -", "pods.true", "pods[?(@.a)]",
    "pods.spec[?(@.a)]", "pods[?(@.a == 'x')]", "pods[?(@.a", "pods[?(@.a)", "'pods'",
    "pods.'spec'", 'pods."spec"', "pods.'sp\\'ec'", 'pods."a\\x41"', 'pods."\\q"',
    'pods."\\u12"', 'pods."\\101"', 'pods."\\400"', "pods.'a", "pods,", "pods.a,b",
    "pods[0,1]", "pods[a,b]", "pods[0:1]", "pods[1:2:3]", "pods[-]", "pods[1:-]", "pods[::]",
    "pods[a]", "pods.spec[", 'pods"', "pods.spec.containers.ports.containerPort", "pods\t",
    "pods.spec\n", "pods\r", "pods.\u00e9t\u00e9", "pods.sp*ec", "pods.spec(", "pods.sp\\ec",
    "pods.sp\\", "pods#", "pods/log", "pods.spec.containers[0].name", "pods.spec.volumes..name",
    "pods.spec. containers", "pods.spec.containers ", "pods..spec..containers",
    "pods.\u0663", "pods \u0663", "pods.[0]", "pods.spec.@containers", "pods.spec.{",
    "pods.spec.}", "pods.spec.]", "pods.spec.containers.9999999999999999999999",
    "pods. 99999999999999999999", "pods -" + "9" * 400, "pods.true.false", "pods true",
]  # fmt: skip


@pytest.mark.parametrize("output", ["plaintext", OPENAPIV2, "yaml"])
def test_quirky_spellings_resolve_as_kubectl(
    peer: ExplainPeer, resources: tuple[ApiResource, ...], output: str
) -> None:
    # An unknown format is refused after the name: a sample of the names shows the order.
    arguments = QUIRKS[::4] if output == "yaml" else QUIRKS
    cases = [(argument, "-o", output) for argument in arguments]
    assert mismatches(peer, resources, cases) == []


API_VERSIONS = [
    "v1", "apps/v1", "apps/v2", "apps", "apps/v1/x", "/v1", "/", "events.k8s.io/v1",
    "autoscaling/v1",
]  # fmt: skip
WITH_API_VERSION = [
    "pods", "Pod", "po", "Po", "deployments", "deploy.spec", "deployments.apps", "hpa",
    "hpa.spec", "events", "ev", "ev.note", "pods[0]", "pods.spec[0]", "pods.spec..x",
    "pods['spec']", "podlist", "list", "foo", "", "pods.spec.containers",
]  # fmt: skip


@pytest.mark.parametrize("output", ["plaintext", OPENAPIV2, "yaml"])
def test_api_version_as_kubectl(
    peer: ExplainPeer, resources: tuple[ApiResource, ...], output: str
) -> None:
    arguments = WITH_API_VERSION[::4] if output == "yaml" else WITH_API_VERSION
    cases = [
        (argument, "--api-version", version, "-o", output)
        for argument in arguments
        for version in API_VERSIONS
    ]
    assert mismatches(peer, resources, cases) == []


def spellings(resource: ApiResource) -> Iterable[str]:
    """The ways people write one resource, and the near misses kubectl refuses."""
    names = [resource.plural, resource.singular, resource.kind, resource.kind.upper()]
    names += [*resource.short_names, *(short.upper() for short in resource.short_names)]
    yield from names
    yield f"{resource.plural}.metadata.name"
    yield f"{group_resource(resource)}.{resource.version}"
    if resource.group:
        yield f"{resource.singular}.{resource.group}"
        yield f"{group_resource(resource)}.spec"


def test_every_resource_by_every_name(
    peer: ExplainPeer, resources: tuple[ApiResource, ...]
) -> None:
    built_in = store.resources("1.36")
    cases = [(spelling,) for resource in built_in for spelling in spellings(resource)]
    assert mismatches(peer, resources, cases) == []


def test_every_resource_at_other_api_versions(
    peer: ExplainPeer, resources: tuple[ApiResource, ...]
) -> None:
    """Each resource at its own group version and at apps/v1, in both outputs."""
    cases = [
        (resource.plural, "--api-version", version, "-o", output)
        for resource in store.resources("1.36")
        for version in {resource.group_version, "apps/v1"}
        for output in ("plaintext", OPENAPIV2)
    ]
    assert mismatches(peer, resources, cases) == []
