"""The kustomization.yaml podgen writes beside the manifests of every folder it renders into.

It lists the files, and nothing else, so that `kubectl kustomize DIR` (and `kubectl apply
-k DIR`) gives exactly the objects podgen rendered, and a team's own overlays can take the
folder as their base. It is one of podgen's files like the manifests: recorded, checked by
`render --check`, replaced only while nobody has edited it.
"""

from __future__ import annotations

import os

from podgen._errors import UsageError
from podgen._io.output import RECORD, OutputFile, read_record
from podgen._model.objects import KUSTOMIZATION_NAMES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


KUSTOMIZATION = KUSTOMIZATION_NAMES[0]  # the name podgen writes


def with_kustomization(files: Sequence[OutputFile]) -> list[OutputFile]:
    """`files` and a kustomization.yaml listing them.

    `kubectl kustomize DIR` then gives exactly the objects podgen rendered, and teams can put
    their own overlays on top of the folder. No object's file has its name: those are
    `KIND-NAME.yaml`.
    """
    listed = sorted(f.relative_path for f in files)
    text = (
        "# Written by podgen render: the manifests beside it, for kubectl kustomize and overlays.\n"
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        "resources:\n" + "".join(f"- {path}\n" for path in listed)
    )
    return sorted([*files, OutputFile(KUSTOMIZATION, text)], key=lambda f: f.relative_path)


def refuse_foreign_kustomization(folder: str, *, force: bool) -> None:
    """Refuse to write podgen's kustomization.yaml where a kustomization of yours is.

    kustomize reads one kustomization a folder, under any of its names: a second one beside
    yours would make `kubectl kustomize` fail, and replacing yours would lose it. `--force`
    may replace a kustomization.yaml (its content is kept), never add a second name.
    """
    recorded = read_record(folder)
    for name in KUSTOMIZATION_NAMES:
        path = os.path.join(folder, name)
        if not os.path.lexists(path):
            continue
        # podgen's own, even if edited since: the writer names an edit as it names any other.
        if name in recorded or (name == KUSTOMIZATION and force):
            continue
        raise UsageError(
            f"{path}: a kustomization of yours, where podgen writes its kustomization.yaml "
            "listing the manifests (kustomize reads one a folder); set `kustomization: false` "
            "in podgen.yaml (render --out: --no-kustomization) so that podgen writes none, and "
            f"list podgen's files in yours (they are the ones in {os.path.join(folder, RECORD)})"
        )
