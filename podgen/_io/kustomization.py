"""The kustomization.yaml podgen writes beside the manifests of every folder it renders into.

It lists the files, and nothing else, so that `kubectl kustomize DIR` (and `kubectl apply
-k DIR`) gives exactly the objects podgen rendered, and a team's own overlays can take the
folder as their base. It is one of podgen's files like the manifests: recorded, checked by
`render --check`, replaced only while nobody has edited it.
"""

from __future__ import annotations

from podgen._io.output import OutputFile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


KUSTOMIZATION = "kustomization.yaml"


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
