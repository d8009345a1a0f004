"""The kustomization.yaml podgen writes beside the manifests of every folder it renders into.

It lists the files, and nothing else, so that `kubectl kustomize DIR` (and `kubectl apply
-k DIR`) gives exactly the objects podgen rendered, and a team's own overlays can take the
folder as their base. It is one of podgen's files like the manifests: recorded, checked by
`render --check`, replaced only while nobody has edited it.
"""

from __future__ import annotations

import os

from podgen._io.plan import OutputFile, read_record, same_text
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


def foreign_kustomization(folder: str, ours: str | None, *, force: bool) -> str | None:
    """Why podgen's kustomization.yaml cannot go into `folder` beside one of yours, or None.

    kustomize reads one kustomization a folder, under any of its names: a second one beside
    yours would make `kubectl kustomize` fail, and replacing yours would lose it. A file that
    podgen wrote (even if edited since: the writer names an edit as it names any other), or
    that holds exactly what podgen writes now (`ours`), is podgen's. `--force` may replace a
    kustomization.yaml (its content is kept), never add a second name.
    """
    recorded = read_record(folder)
    for name in KUSTOMIZATION_NAMES:
        path = os.path.join(folder, name)
        if not os.path.lexists(path) or name in recorded:
            continue
        if name == KUSTOMIZATION and (force or _holds_text(path, ours)):
            continue
        return (
            f"{path}: a kustomization of yours, where podgen writes its kustomization.yaml "
            "listing the manifests (kustomize reads one a folder); set `kustomization: false` "
            "in podgen.yaml (render --out: --no-kustomization) so that podgen writes none, and "
            "list podgen's files in yours"
        )
    return None


def _holds_text(path: str, text: str | None) -> bool:
    try:
        with open(path, "rb") as file:
            return text is not None and same_text(file.read()) == text.encode("utf-8")
    except OSError:
        return False


def ours_in(files: Sequence[OutputFile]) -> str | None:
    """The text of podgen's kustomization.yaml among a folder's files, if it writes one."""
    return next((f.text for f in files if f.relative_path == KUSTOMIZATION), None)
