"""Patterns, probes and pod options, as kubectl itself would print them.

kubectl run cannot express these, but `kubectl run --overrides` decodes a pod spec into the
typed Pod and prints it: Go field order, Go zero values, go-yaml quoting. Feeding it the
metadata and spec podgen wrote must give back podgen's output byte for byte.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_podgen
from tests.kubectl_peer import Kubectl
from tests.pod_cases import OPTION_CASES, PATTERN_PROBE_CASES

POD_CASES = {
    name: args
    for name, args in {**PATTERN_PROBE_CASES, **OPTION_CASES}.items()
    if "deployment" not in args
}


@pytest.mark.parametrize("output", ["json", "yaml"])
@pytest.mark.parametrize("name", sorted(POD_CASES))
def test_kubectl_prints_the_same_pod(kubectl: Kubectl, name: str, output: str) -> None:
    args = POD_CASES[name]
    ours = run_podgen(["new", *_with_output(args, "json")])
    assert ours.code == 0, ours.stderr
    pod = json.loads(ours.stdout)
    overrides = json.dumps({"metadata": pod["metadata"], "spec": pod["spec"]})
    pod_name, image = args[0], args[args.index("--image") + 1]
    theirs = kubectl(
        [
            "run",
            pod_name,
            "--image",
            image,
            "--dry-run=client",
            "-o",
            output,
            "--overrides",
            overrides,
        ]
    )
    assert theirs.returncode == 0, theirs.stderr
    assert run_podgen(["new", *_with_output(args, output)]).stdout == theirs.stdout


def _with_output(args: list[str], output: str) -> list[str]:
    cut = args.index("--") if "--" in args else len(args)
    return [*args[:cut], "-o", output, *args[cut:]]
