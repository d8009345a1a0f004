"""Which files a kustomization names as something other than a resource: patches and the like.

An overlay folder holds files that are not manifests: strategic-merge patches (often only
`spec.replicas` under a kind and name), JSON patches, generator inputs, replacement and
transformer configurations, Helm values. `podgen validate` must not read them as objects.
kustomize reads a folder's kustomization from any of `KUSTOMIZATION_NAMES`, and the fields
below name files relative to that folder (kubernetes-sigs/kustomize api/types:
kustomization.go, kvpairsources.go, helmchartargs.go, replacement.go). By default kustomize
loads no such file from outside the kustomization's folder, so a file's own folder and those
above it hold every kustomization that can name it.

A file that a kustomization also lists as a resource (`resources`, `bases`, `components`)
stays a resource. This module reads files but imports nothing heavy: `podgen validate FILE`
runs on every save.
"""

from __future__ import annotations

import os

from podgen._io.strict_yaml import YamlInputError, decode, load_documents
from podgen._model.objects import KUSTOMIZATION_NAMES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

#: Fields that list files of objects kustomize builds on: still validated.
_RESOURCES = ("resources", "bases", "components")
#: Fields that list paths (files, or folders of them) that are not resources.
_PATH_LISTS = (
    "patchesStrategicMerge",  # each a file, or an inline patch
    "configurations",  # transformer configurations
    "crds",  # CustomResourceDefinition files, read for their schemas only
    "generators",  # each a file or folder of generator configs, or an inline one
    "transformers",
    "validators",
)
#: Fields that list maps whose `path` names a file.
_PATH_ITEMS = ("patches", "patchesJson6902", "replacements")
#: ConfigMap and Secret generators: `files` take `[KEY=]PATH`; the others are paths.
_GENERATORS = ("configMapGenerator", "secretGenerator")
_GENERATOR_PATHS = ("envs", "env", "ageIdentities")
#: Where kustomize looks for Helm charts when no `helmGlobals.chartHome` says.
_CHART_HOME = "charts"


def kustomization_in(folder: str) -> str | None:
    """The kustomization file of `folder`, or None."""
    for name in KUSTOMIZATION_NAMES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def named_paths(kustomization: Any) -> tuple[list[str], list[str]]:
    """(resources, other paths) a kustomization's data names, as written in it."""
    if not isinstance(kustomization, dict):
        return [], []
    field = kustomization.get
    resources = [*_paths(p for name in _RESOURCES for p in _list(field(name)))]
    others = [*_paths(p for name in _PATH_LISTS for p in _list(field(name)))]
    others.extend(_paths(item.get("path") for name in _PATH_ITEMS for item in _maps(field(name))))
    for generator in (g for name in _GENERATORS for g in _maps(field(name))):
        files = (p.partition("=")[2] or p for p in _paths(_list(generator.get("files"))))
        others.extend(files)
        for name in _GENERATOR_PATHS:
            value = generator.get(name)
            others.extend(_paths([value] if isinstance(value, str) else _list(value)))
    openapi = field("openapi")
    if isinstance(openapi, dict):
        others.extend(_paths([openapi.get("path")]))
    charts = [*_maps(field("helmCharts"))]
    legacy = [*_maps(field("helmChartInflationGenerator"))]
    others.extend(_paths(chart.get("valuesFile") for chart in charts))
    others.extend(_paths(p for chart in charts for p in _list(chart.get("additionalValuesFiles"))))
    others.extend(_paths(chart.get("values") for chart in legacy))
    helm = field("helmGlobals")
    homes = [*_paths([helm.get("chartHome") if isinstance(helm, dict) else None])]
    homes.extend(_paths(chart.get("chartHome") for chart in legacy))
    if charts or legacy:
        others.extend(homes or [_CHART_HOME])  # each chart's files: templates, values
    return resources, others


def _paths(values: Iterable[Any]) -> Iterator[str]:
    """The entries that are paths: not inline YAML (a patch, a generator), not URLs."""
    for value in values:
        if isinstance(value, str) and value.strip() and "\n" not in value and "://" not in value:
            yield value.strip()


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _maps(values: Any) -> Iterator[dict[str, Any]]:
    yield from (value for value in _list(values) if isinstance(value, dict))


class NotResources:
    """The files kustomizations name as anything but a resource, folder by folder, cached."""

    def __init__(self) -> None:
        #: folder -> (resources, other paths) its kustomization names, absolute and normalized
        self._named: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
        #: folders whose kustomizations name files anywhere (a walked tree's), besides the
        #: folders above a file
        self._also: set[str] = set()

    def add_folder(self, folder: str) -> None:
        """Consult `folder`'s kustomization for every file, not only for those below it."""
        self._also.add(os.path.abspath(folder))

    def named_as_other(self, path: str) -> bool:
        """Whether a kustomization names `path` (or a folder above it) as a non-resource."""
        target = os.path.abspath(path)
        folders = set(self._also)
        folder = os.path.dirname(target)
        while True:
            folders.add(folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        named = [self._named_by(folder) for folder in sorted(folders)]
        if any(target in resources for resources, _ in named):
            return False
        return any(
            target == other or target.startswith(other.rstrip(os.sep) + os.sep)
            for _, others in named
            for other in others
        )

    def _named_by(self, folder: str) -> tuple[frozenset[str], tuple[str, ...]]:
        if folder not in self._named:
            self._named[folder] = frozenset(), ()
            found = kustomization_in(folder)
            if found is not None:
                resources, others = named_paths(_read(found))

                def absolute(path: str) -> str:
                    return os.path.normpath(os.path.join(folder, path))

                self._named[folder] = (
                    frozenset(map(absolute, resources)),
                    tuple(map(absolute, others)),
                )
        return self._named[folder]


def _read(path: str) -> Any:
    """A kustomization's data; None when it cannot be read (validating it says why)."""
    try:
        with open(path, "rb") as file:
            documents = load_documents(decode(file.read(), path), path)
    except (OSError, YamlInputError):
        return None
    return documents[0].data if documents else None
