"""The judge suite's machinery: generate, ask podgen and the real API server, compare.

`outcomes(server)` draws every kind's objects (tests/object_generator.py, one mistake away by
tests/object_mistakes.py), runs `podgen validate --format json` once over all of them (one
file per object, in-process) and sends each to the server (`ApiServer.verdict`: a dry-run
create with strict field validation). `table` is the per-kind agreement table.
"""

from __future__ import annotations

import json
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from tests.apiserver import ApiServer, Verdict
from tests.conftest import run_podgen
from tests.object_generator import BASES, Obj, draw_examples
from tests.object_mistakes import mistakes, one_mistake_away

#: Change it to draw other objects; every run with one seed draws the same ones.
SEED = 22
#: Objects drawn per kind and mistake.
PER_MISTAKE = 2


class Case(NamedTuple):
    """One generated object: its kind's label, the mistake made in it, and the object."""

    label: str
    mistake: str
    obj: Obj

    @property
    def key(self) -> tuple[str, str]:
        return (self.label, self.mistake)


class Outcome(NamedTuple):
    """What podgen and the server said of one case."""

    case: Case
    errors: list[dict[str, Any]]  #: podgen's error findings
    warnings: list[dict[str, Any]]  #: podgen's warnings
    verdict: Verdict

    @property
    def false_error(self) -> bool:
        """podgen refuses what the server accepts."""
        return bool(self.errors) and self.verdict.accepted

    @property
    def miss(self) -> bool:
        """podgen passes what the server refuses."""
        return not self.errors and not self.verdict.accepted

    @property
    def agrees(self) -> bool:
        return not (self.false_error or self.miss)

    @property
    def warning_missed(self) -> bool:
        """The server accepted with an API warning, and podgen said nothing."""
        return self.verdict.accepted and bool(self.verdict.warnings) and not self.warnings

    def explain(self) -> str:
        """Everything needed to reproduce a disagreement: the object and both verdicts."""
        text = json.dumps(self.case.obj, indent=1)
        if len(text) > 3000:
            text = text[:3000] + " ...(cut)"
        said = "accepted" if self.verdict.accepted else f"refused ({self.verdict.status})"
        findings = [
            f"{f['severity']}: {f['message']} [{f['rule']}]" for f in self.errors + self.warnings
        ]
        return (
            f"--- {self.case.label} / {self.case.mistake}\n{text}\n"
            f"podgen: {findings or 'no findings'}\n"
            f"server: {said} {self.verdict.message} warnings={self.verdict.warnings}"
        )


def cases(labels: Iterable[str] = BASES, per_mistake: int = PER_MISTAKE) -> list[Case]:
    """Every kind's objects, each mistake `per_mistake` times, the same on every run."""
    found = []
    for label in labels:
        for mistake in mistakes(label):
            fixed = SEED + zlib.crc32(f"{label}/{mistake.name}".encode())
            for obj in draw_examples(one_mistake_away(label, mistake), per_mistake, fixed):
                found.append(Case(label, mistake.name, obj))
    return found


def podgen_findings(objects: Sequence[Obj]) -> list[list[dict[str, Any]]]:
    """`podgen validate --format json` on the objects, one file each; each one's findings."""
    with tempfile.TemporaryDirectory() as folder:
        names = [str(Path(folder, f"{index:05}.json")) for index in range(len(objects))]
        for name, obj in zip(names, objects, strict=True):
            Path(name).write_text(json.dumps(obj))
        run = run_podgen(["validate", "--format", "json", folder])
        report = json.loads(run.stdout)
    by_file: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for finding in report["findings"]:
        by_file[finding["file"]].append(finding)
    return [by_file[name] for name in names]


def judge(server: ApiServer, drawn: Sequence[Case]) -> list[Outcome]:
    """podgen's findings and the server's verdict for each case."""
    findings = podgen_findings([case.obj for case in drawn])
    return [
        Outcome(
            case,
            [f for f in found if f["severity"] == "error"],
            [f for f in found if f["severity"] == "warning"],
            server.verdict(case.obj),
        )
        for case, found in zip(drawn, findings, strict=True)
    ]


def table(outcomes: Sequence[Outcome]) -> str:
    """Per kind: objects, agree, podgen-false-errors, podgen-misses, and API warnings seen by
    the server and by podgen."""
    rows: dict[str, Counter[str]] = {}
    for outcome in outcomes:
        row = rows.setdefault(outcome.case.label, Counter())
        row["objects"] += 1
        row["agree"] += outcome.agrees
        row["false-errors"] += outcome.false_error
        row["misses"] += outcome.miss
        warned = outcome.verdict.accepted and bool(outcome.verdict.warnings)
        row["server-warns"] += warned
        row["podgen-warns-too"] += warned and bool(outcome.warnings)
    columns = ["objects", "agree", "false-errors", "misses", "server-warns", "podgen-warns-too"]
    width = max(len(label) for label in rows) + 2
    lines = ["kind".ljust(width) + " ".join(columns)]
    total: Counter[str] = Counter()
    for label, row in rows.items():
        total.update(row)
        lines.append(label.ljust(width) + " ".join(f"{row[c]:>{len(c)}}" for c in columns))
    lines.append("TOTAL".ljust(width) + " ".join(f"{total[c]:>{len(c)}}" for c in columns))
    share = 100 * total["agree"] / max(1, total["objects"])
    lines.append(f"agreement: {share:.1f}% of {total['objects']} objects")
    return "\n".join(lines)


def disagreements(outcomes: Sequence[Outcome]) -> dict[tuple[str, str], list[Outcome]]:
    """The disagreeing outcomes by (kind, mistake): false errors first, then misses."""
    found: dict[tuple[str, str], list[Outcome]] = {}
    for outcome in sorted(outcomes, key=lambda o: (not o.false_error, o.case.label)):
        if not outcome.agrees:
            found.setdefault(outcome.case.key, []).append(outcome)
    return found
