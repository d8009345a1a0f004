"""`kubectl explain` 1.37 against the shared kube-apiserver (1.36): the peer of `podgen explain`.

kubectl explain reads the server's discovery and its OpenAPI v3 (or v2) documents; what it prints
is the ground truth podgen's offline explain is held to, byte for byte. Everything that changes
kubectl's output is pinned: an empty HOME, no kuberc (KUBERC=off), no KUBECTL_* variables, one
kubeconfig of this run's own. The discovery and OpenAPI cache lives in a folder of the peer's own
(`cache`): a test that installs a CRD uses `fresh()` for a cache that has not seen the server
without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.apiserver import NO_SERVER, SERVER_VERSION, SHARED, ApiServer

__all__ = [
    "NO_SERVER",
    "PODGEN",
    "SERVER_VERSION",
    "ExplainPeer",
    "differences",
    "peer_or_reason",
    "podgen_explain",
]

#: The console script of the podgen under test.
PODGEN = Path(sys.executable).parent / "podgen"
#: The usage hint kubectl adds under a flag error; podgen prints the error line alone.
FLAG_HELP = "See 'kubectl explain --help' for usage.\n"


class ExplainPeer:
    """kubectl 1.37 wired to the shared API server, with a home and a cache of its own."""

    def __init__(self, server: ApiServer, kubeconfig: Path, home: Path) -> None:
        self.server = server
        self.binary = Path(sys.executable).parent / "kubectl"
        self.home = home
        self.kubeconfig = home / "kubeconfig"
        shutil.copyfile(kubeconfig, self.kubeconfig)
        self.cache = home / "cache"
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(home),
            "KUBECONFIG": str(self.kubeconfig),
            "KUBERC": "off",
            "KUBECACHEDIR": str(self.cache),
            "LANG": "C.UTF-8",
        }

    def __call__(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        """`kubectl ARGS` (for example `["explain", "pod.spec"]`): its exit code and output."""
        return subprocess.run(
            [str(self.binary), *args],
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            timeout=120,
            check=False,
        )

    def explain(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`kubectl explain ARGS`."""
        return self(["explain", *args])

    def fresh(self) -> ExplainPeer:
        """The same kubectl with an empty cache (after a CRD is installed or removed)."""
        home = Path(tempfile.mkdtemp(prefix="explain-peer-", dir=self.home))
        return ExplainPeer(self.server, self.kubeconfig, home)


def peer_or_reason(home: Path) -> ExplainPeer | str:
    """The peer, or why there is none (no ../shared: a user's clone)."""
    if not (SHARED / "start.sh").is_file():
        return NO_SERVER
    started = subprocess.run(
        [str(SHARED / "start.sh")], capture_output=True, text=True, check=True, timeout=240
    )
    kubeconfig = Path(started.stdout.strip().splitlines()[-1])
    return ExplainPeer(ApiServer(kubeconfig), kubeconfig, home)


def podgen_explain(
    args: Sequence[str], cwd: Path, crds: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """The console script, as users run it: `podgen explain --k8s-version 1.36 [--crd C] ARGS`."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd), "LANG": "C.UTF-8"}
    if "PYTHONPATH" in os.environ:  # a worktree's podgen in another's virtualenv
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    crd_flags = [word for path in crds for word in ("--crd", path)]
    return subprocess.run(
        [str(PODGEN), "explain", "--k8s-version", "1.36", *crd_flags, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def differences(
    peer: ExplainPeer, cases: Sequence[Sequence[str]], cwd: Path, crds: Sequence[str] = ()
) -> list[str]:
    """Each case where `podgen explain` and `kubectl explain` differ in exit code or output."""

    def compare(args: Sequence[str]) -> str | None:
        ours, theirs = podgen_explain(args, cwd, crds), peer.explain(*args)
        expected = theirs.stderr.removesuffix(FLAG_HELP)
        if (ours.returncode, ours.stdout, ours.stderr) == (
            theirs.returncode,
            theirs.stdout,
            expected,
        ):
            return None
        return f"{list(args)}:\n podgen  {ours}\n kubectl {theirs}"

    with ThreadPoolExecutor(8) as pool:
        return [found for found in pool.map(compare, cases) if found]
