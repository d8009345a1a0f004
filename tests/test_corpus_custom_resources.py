"""Custom resources of our own (tests/corpus/custom_resources/), held to the real API server.

Each area's folder holds CRDs written in the shape of a popular operator's, custom resources a
user would write (resources.yaml) and ones a realistic mistake away from valid (mistakes.yaml);
the README there says which operator each imitates. The tests:
- hold the corpus to what it says, on the real kube-apiserver (1.36): every CRD is created and
  Established, every resource is accepted, every mistake refused (a server-side dry run with
  strict field validation, after the area's CRDs are installed; they are deleted afterwards);
- compare podgen with the server (the differential): `podgen validate --format json` on the
  area's folder (the CRDs are found among its inputs) reports an error on an object's lines
  exactly where the server refused the object;
- hold podgen to the identity rules of issue 23: a kind named like a built-in kind in another
  group is not the built-in, and two Gateways of one name in two groups are two objects.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from tests.apiserver import ApiServer, Verdict
from tests.conftest import GoYamlReader

CORPUS = Path(__file__).parent / "corpus" / "custom_resources"
AREAS = sorted(path.name for path in CORPUS.iterdir() if path.is_dir())
FILES = ("crds.yaml", "resources.yaml", "mistakes.yaml")
GROUP_SUFFIX = ".corpus.podgen.test"


class Document(NamedTuple):
    """One object of a corpus file, and the line (1-based) its document starts at."""

    file: str
    line: int
    obj: dict[str, Any]

    def label(self) -> str:
        meta = self.obj.get("metadata") or {}
        name = meta.get("name") or meta.get("generateName")
        return f"{self.file}:{self.line} {self.obj.get('apiVersion')} {self.obj['kind']} {name}"


def documents(area: str, file: str) -> list[Document]:
    """The file's objects as kubectl reads them (go-yaml's scalars), with their lines."""
    loader = GoYamlReader((CORPUS / area / file).read_text())
    found: list[Document] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            obj = loader.construct_document(node)
            if obj is not None:
                found.append(Document(file, node.start_mark.line + 1, obj))
    finally:
        loader.dispose()
    return found


class Judged(NamedTuple):
    """What the server said of one area: its CRDs, then each resource and mistake."""

    crds_refused: str  #: "" when every CRD was created and Established
    verdicts: dict[tuple[str, int], Verdict]  #: (file, line) -> the server's verdict


@pytest.fixture(scope="module")
def judged(api_server: ApiServer) -> dict[str, Judged]:
    """Every area judged by the real server, one area's CRDs installed at a time."""
    results: dict[str, Judged] = {}
    for area in AREAS:
        crds = [d.obj for d in documents(area, "crds.yaml")]
        verdicts: dict[tuple[str, int], Verdict] = {}
        try:
            with api_server.installed(crds):
                for file in FILES[1:]:
                    for document in documents(area, file):
                        verdicts[(file, document.line)] = api_server.verdict(document.obj)
        except RuntimeError as error:  # a CRD the server would not create
            results[area] = Judged(str(error), verdicts)
            continue
        results[area] = Judged("", verdicts)
    return results


def test_the_corpus_is_large_and_varied() -> None:
    """Eight areas, each with CRDs, resources and mistakes; every group our own."""
    assert len(AREAS) >= 8, AREAS
    kinds: Counter[str] = Counter()
    for area in AREAS:
        crds = documents(area, "crds.yaml")
        resources = documents(area, "resources.yaml")
        mistakes = documents(area, "mistakes.yaml")
        assert len(crds) >= 2 and len(resources) >= 4 and len(mistakes) >= 12, area
        for crd in crds:
            assert crd.obj["kind"] == "CustomResourceDefinition"
            assert crd.obj["spec"]["group"].endswith(GROUP_SUFFIX), crd.label()
        for document in resources + mistakes:
            group = document.obj["apiVersion"].rpartition("/")[0]
            assert group.endswith(GROUP_SUFFIX), document.label()
        kinds.update(d.obj["kind"] for d in resources)
    # The kinds named like built-in kinds, in groups of their own (issue 23's false errors).
    assert kinds["Service"] >= 2 and kinds["Job"] >= 2 and kinds["Gateway"] >= 3, kinds


@pytest.mark.parametrize("area", AREAS)
def test_the_server_accepts_the_crds(area: str, judged: dict[str, Judged]) -> None:
    assert judged[area].crds_refused == ""


@pytest.mark.parametrize("area", AREAS)
def test_the_server_accepts_every_resource(area: str, judged: dict[str, Judged]) -> None:
    refused = {
        document.label(): verdict.message
        for document in documents(area, "resources.yaml")
        if not (verdict := judged[area].verdicts[("resources.yaml", document.line)]).accepted
    }
    assert refused == {}


@pytest.mark.parametrize("area", AREAS)
def test_the_server_refuses_every_mistake(area: str, judged: dict[str, Judged]) -> None:
    accepted = [
        document.label()
        for document in documents(area, "mistakes.yaml")
        if judged[area].verdicts[("mistakes.yaml", document.line)].accepted
    ]
    assert accepted == []


#: The kinds of mistake the corpus must hold, by the words of the server's refusal.
MISTAKE_KINDS = {
    "unknown field (a typo)": "unknown field",
    "wrong type (an integer as a string)": "must be of type",
    "required field left out": "Required value",
    "enum miss": "Unsupported value",
    "pattern miss": "should match",
    "out of range": "should be greater than or equal to",
    "over a maximum": "should be less than or equal to",
    "duplicate list-map key or set item": "Duplicate value",
    "too few items": "should have at least",
    "too long": "Too long",
    "too many properties": "Too many",
    "version not served or kind unknown": "does not serve",
    "metadata": "metadata.name",
    "oneOf": "must validate one and only one",
    "a format (date-time)": "must be of type date-time",
    "a format (byte)": "must be of type byte",
    "an exclusive minimum": "should be greater than 0",
}


def test_the_mistakes_cover_every_kind_of_mistake(judged: dict[str, Judged]) -> None:
    messages = [
        verdict.message
        for result in judged.values()
        for (file, _), verdict in result.verdicts.items()
        if file == "mistakes.yaml"
    ]
    missing = [
        kind for kind, words in MISTAKE_KINDS.items() if not any(words in m for m in messages)
    ]
    assert missing == []
    # CEL rules broken: the server gives the rule's message, not a schema's words.
    cel = [m for m in messages if "Invalid value: " in m and "in body" not in m and ": " in m]
    assert len(cel) >= 10


# --- The differential: podgen validate against the server, object by object ---------------


def podgen_findings(*inputs: Path) -> list[dict[str, Any]]:
    """`podgen validate --format json` on the inputs, run as a user runs it: its findings.

    A process of its own for each run, so no CRD read for one run can be remembered in the next.
    """
    result = subprocess.run(
        [sys.executable, "-m", "podgen", "validate", "--format", "json", *map(str, inputs)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return findings


def by_document(
    findings: list[dict[str, Any]], placed: dict[str, list[Document]], severity: str = "error"
) -> dict[tuple[str, int], list[str]]:
    """Each finding of a severity under the document whose lines hold it: (file, start line) ->
    the findings, as `line:column message [rule]`."""
    found: dict[tuple[str, int], list[str]] = {}
    for finding in findings:
        if finding["severity"] != severity:
            continue
        file = Path(finding["file"]).name
        starts = [d.line for d in placed.get(file, []) if d.line <= finding["line"]]
        start = max(starts) if starts else 0  # 0: before the first object (the file itself)
        found.setdefault((file, start), []).append(
            f"{finding['line']}:{finding['column']} {finding['message']} [{finding['rule']}]"
        )
    return found


def _unknown_kind(
    verdict: Verdict, warnings: dict[tuple[str, int], list[str]], document: Document
) -> bool:
    """A kind no given CRD defines, in a group some given CRDs define: the one named case.

    The server serves no such kind (404); podgen cannot know that no other CRD of the group
    defines it, so it warns (kind-unchecked, naming the kinds the group's CRDs define), never
    a guessed error.
    """
    said = warnings.get((document.file, document.line), [])
    return verdict.status == 404 and any(
        "[kind-unchecked]" in w and "the CRDs given for" in w for w in said
    )


#: Objects the server refuses by a CEL rule podgen reports as not evaluated (printed).
NOT_EVALUATED: list[str] = []


def _rule_messages(value: Any) -> dict[str, str]:
    """Every CEL rule of a CRD (at any depth) with the words the server refuses it in."""
    found: dict[str, str] = {}
    if isinstance(value, dict):
        for rule in value.get("x-kubernetes-validations") or []:
            found[rule["rule"].strip()] = rule.get("message") or rule["rule"].strip()
        for item in value.values():
            found.update(_rule_messages(item))
    elif isinstance(value, list):
        for item in value:
            found.update(_rule_messages(item))
    return found


_UNCHECKED_RULE = re.compile(r"rule (?P<q>['\"])(?P<rule>.*?)(?P=q) is not checked by podgen")


def _refused_by_unchecked_rule(
    verdict: Verdict, findings: list[dict[str, Any]], crds: list[Document]
) -> bool:
    """The server refuses by a CEL rule podgen said (once in the run) it does not evaluate.

    podgen never guesses a rule it cannot evaluate as cel-go does: such a refusal is the
    named limit, and the warning is the user's notice of it.
    """
    messages = {rule: m for crd in crds for rule, m in _rule_messages(crd.obj).items()}
    unchecked = {
        match["rule"]
        for finding in findings
        if finding["rule"] == "crd-cel-unchecked"
        and (match := _UNCHECKED_RULE.search(finding["message"]))
    }
    return any(messages.get(rule, rule) in verdict.message for rule in unchecked)


def _disagreements(area: str, result: Judged) -> Iterator[str]:
    placed = {file: documents(area, file) for file in FILES}
    findings = podgen_findings(CORPUS / area)
    errors = by_document(findings, placed)
    warnings = by_document(findings, placed, "warning")
    for document in placed["crds.yaml"]:  # the server created them all (the test above)
        for error in errors.get(("crds.yaml", document.line), []):
            yield f"{document.label()}: the server created it; podgen says {error}"
    for file in FILES[1:]:
        for document in placed[file]:
            verdict = result.verdicts[(file, document.line)]
            ours = errors.get((file, document.line), [])
            if verdict.accepted and ours:
                yield f"{document.label()}: the server accepts it; podgen says {ours[0]}"
            elif not verdict.accepted and not ours:
                if _unknown_kind(verdict, warnings, document):
                    continue
                if _refused_by_unchecked_rule(verdict, findings, placed["crds.yaml"]):
                    NOT_EVALUATED.append(document.label())
                    continue
                said = verdict.message[:300]
                yield f"{document.label()}: the server says {said}; podgen says nothing"
    for error in errors.get(("crds.yaml", 0), []) + errors.get(("resources.yaml", 0), []):
        yield f"before the first object: podgen says {error}"


@pytest.mark.parametrize("area", AREAS)
def test_podgen_validate_agrees_with_the_server_on_every_custom_resource(
    area: str, judged: dict[str, Judged]
) -> None:
    """An error on an object's lines if and only if the server refused the object.

    Two named exceptions, where podgen warns instead of guessing: a kind no given CRD of its
    group defines (`_unknown_kind`), and a refusal by a CEL rule podgen does not evaluate
    (`_refused_by_unchecked_rule`; printed).
    """
    assert judged[area].crds_refused == "", "the CRDs must be installed to judge the area"
    assert list(_disagreements(area, judged[area])) == []
    print(f"{area}: refused by a CEL rule podgen does not evaluate: {NOT_EVALUATED}")


@pytest.mark.parametrize("area", AREAS)
def test_no_custom_resource_is_left_unchecked_when_its_crd_is_given(area: str) -> None:
    """`kind-unchecked` stays only for a custom resource whose CRD podgen was not given: with
    the area's folder validated, none of its resources is unchecked."""
    placed = {"resources.yaml": documents(area, "resources.yaml")}
    warnings = by_document(podgen_findings(CORPUS / area), placed, "warning")
    unchecked = {
        document.label()
        for document in placed["resources.yaml"]
        if any("[kind-unchecked]" in w for w in warnings.get(("resources.yaml", document.line), []))
    }
    assert unchecked == set()


# --- Identity: a kind's group is part of it -----------------------------------------------


def _named(area: str, kind: str) -> list[Document]:
    return [d for d in documents(area, "resources.yaml") if d.obj["kind"] == kind]


@pytest.mark.parametrize(("area", "kind"), [("serving", "Service"), ("jobs", "Job")])
def test_kinds_named_like_built_ins_are_not_refused_as_built_ins(
    area: str, kind: str, judged: dict[str, Judged], tmp_path: Path
) -> None:
    """A Knative-like Service and a Volcano-like Job, which the server accepts, get no error:
    neither with their CRDs given nor without them (then each is unchecked, with a warning
    that says how to give its CRD)."""
    placed = {"resources.yaml": documents(area, "resources.yaml")}
    ours = [(d.file, d.line) for d in placed["resources.yaml"] if d.obj["kind"] == kind]
    assert ours and all(judged[area].verdicts[key].accepted for key in ours)
    given = podgen_findings(CORPUS / area / "crds.yaml", CORPUS / area / "resources.yaml")
    errors = by_document(given, placed)
    assert {key: errors[key] for key in ours if key in errors} == {}
    alone = tmp_path / "resources.yaml"
    alone.write_text((CORPUS / area / "resources.yaml").read_text())
    not_given = podgen_findings(alone)
    errors = by_document(not_given, placed)
    assert {key: errors[key] for key in ours if key in errors} == {}
    warnings = by_document(not_given, placed, "warning")
    unchecked = {key for key in ours if any("[kind-unchecked]" in w for w in warnings.get(key, []))}
    assert unchecked == set(ours)


def _public_gateways() -> tuple[dict[str, Any], dict[str, Any]]:
    """The Gateway API Gateway and the mesh Gateway named public in namespace edge."""
    (api,) = [d.obj for d in _named("gateways", "Gateway") if d.obj["metadata"]["name"] == "public"]
    (mesh,) = [d.obj for d in _named("mesh", "Gateway") if d.obj["metadata"]["name"] == "public"]
    assert api["metadata"]["namespace"] == mesh["metadata"]["namespace"]
    assert api["apiVersion"].split("/")[0] != mesh["apiVersion"].split("/")[0]
    return api, mesh


def test_two_gateways_of_one_name_in_two_groups_are_two_objects(tmp_path: Path) -> None:
    """One file holding both Gateways named edge/public: no duplicate, no error.

    The control below (one Gateway twice in one group is a duplicate) shows that custom
    resources are compared at all.
    """
    api, mesh = _public_gateways()
    (tmp_path / "gateways.yaml").write_text(yaml.safe_dump_all([api, mesh], sort_keys=False))
    crds = (CORPUS / "gateways" / "crds.yaml", CORPUS / "mesh" / "crds.yaml")
    findings = podgen_findings(*crds, tmp_path / "gateways.yaml")
    assert [f for f in findings if f["severity"] == "error"] == []


def test_one_gateway_twice_in_one_group_is_still_a_duplicate(tmp_path: Path) -> None:
    """The control: the same group, kind, namespace and name twice is one object written twice."""
    api, _ = _public_gateways()
    (tmp_path / "gateways.yaml").write_text(yaml.safe_dump_all([api, api], sort_keys=False))
    findings = podgen_findings(CORPUS / "gateways" / "crds.yaml", tmp_path / "gateways.yaml")
    assert [f["rule"] for f in findings if f["severity"] == "error"] == ["duplicate-object"]
