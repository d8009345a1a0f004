"""A manifest's findings for `podgen validate`: exactly what is wrong, and where.

Four layers, each reported as `FILE:LINE:COL: error|warning: message [rule-id]`, the line
being that of the offending key in the source:
1. YAML: syntax (with line and column), tabs, duplicate keys, anchors, aliases, tags;
2. the Kubernetes 1.37 OpenAPI schema, strictly (unknown fields with "did you mean");
3. the API server's semantic rules (`_checking.checks`), and what podgen refuses on top;
4. lint warnings, which fail the run only with `--strict`.
Which files are read, and how blueprints and projects are validated (by rendering them), is
the command's (`_commands.validate`).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence

from podgen._checking.checks import violations
from podgen._checking.checks_workloads import CLAIM_RULES
from podgen._checking.feature_gates import dropped_fields
from podgen._checking.k8s_schema import as_decoded, covers, kinds, schema_problems
from podgen._errors import PodgenError, closest, dotted, parse_path, quoted
from podgen._io.strict_yaml import Document, YamlInputError, load_documents, pasted_line_numbers
from podgen._model.objects import (
    BUILT_IN_GROUPS,
    KUSTOMIZATION_NAMES,
    POD_TEMPLATE_AT,
    Identity,
    custom_group,
    describe,
    is_list,
    object_identity,
    pod_spec,
    pod_template,
)
from podgen._records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from podgen._checking.crd_catalog import CrdCatalog

ERROR, WARNING = "error", "warning"
_KUSTOMIZE = "kustomize.config.k8s.io/"
#: Rules podgen keeps (`new` and `render` never write such objects) that the API server does
#: not: validate reports them as warnings, so that its errors are exactly the server's. (What
#: the API server itself warns about is a violation marked `warning`: a warning here too.)
STRICTER_THAN_THE_API_SERVER = frozenset(
    {
        "service-session-affinity-config-ignored",  # the server drops it without a word
        "string-control-character",  # kubectl would print the string differently
        *CLAIM_RULES,  # the StatefulSet controller leaves a claim or a volume unused
        "job-template-metadata",  # a CronJob's Jobs would be refused, not the CronJob
    }
)


class Finding(NamedTuple):
    """One thing wrong (error) or worth a look (warning)."""

    file: str
    line: int
    column: int
    severity: str
    message: str
    rule: str

    def text(self) -> str:
        """`FILE:LINE:COL: severity: message [rule]`."""
        return (
            f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.rule}]"
        )

    def as_dict(self) -> dict[str, Any]:
        """For --format json."""
        return self._asdict()


class Report:
    """Everything validate found, and whether some input could not be read at all."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.files = 0
        #: files not validated: kustomize patches and the like, and with `skip_other_yaml`,
        #: YAML that is no manifest, blueprint or project
        self.skipped = 0
        self.unusable = False

    @property
    def errors(self) -> int:
        """How many error findings."""
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        """How many warnings."""
        return sum(f.severity == WARNING for f in self.findings)


#: The place an error's message starts with: `FILE:LINE:COL: `.
WHERE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<column>\d+): ")


def bare(error: PodgenError) -> str:
    """The message without its leading `file:line:col: `."""
    return WHERE.sub("", str(error), count=1)


def finding_from(error: PodgenError, source: str, rule: str) -> Finding:
    match = WHERE.match(str(error))
    line, column = (int(match["line"]), int(match["column"])) if match else (1, 1)
    return Finding(source, line, column, ERROR, bare(error), rule)


def validate_manifest_text(text: str, source: str, crds: CrdCatalog | None = None) -> list[Finding]:
    """Every finding for one manifest file's text (objects, not a blueprint or a project).

    Custom resources are checked with their CRDs in `crds` (`_checking.crd_catalog`).
    """
    try:
        documents = load_documents(text, source, duplicates="keep")
    except YamlInputError as error:
        pasted = pasted_line_numbers(text)
        if pasted is not None:  # what a YAML error deep in the file would not say
            return [Finding(source, 1, 1, ERROR, pasted, "pasted-line-numbers")]
        return [finding_from(error, source, "yaml")]
    if os.path.basename(source) in KUSTOMIZATION_NAMES:
        return []  # kustomize's own file, with or without its apiVersion: no objects
    findings: list[Finding] = [
        # kubectl and the server take the last value; a key written twice is still a slip.
        Finding(
            source,
            error.line or 1,
            error.column or 1,
            WARNING,
            f"{bare(error)}: kubectl sends the last value",
            "yaml-duplicate-key",
        )
        for document in documents
        for error in document.duplicates
    ]
    workloads: list[Mapping[str, Any]] = []
    services: list[tuple[Placed, Mapping[str, Any]]] = []
    first_at: dict[Identity, Placed] = {}
    for placed in _objects(documents):
        obj = _validate_object(placed, findings, crds)
        if obj is None:
            continue
        identity = object_identity(obj)
        if identity in first_at:
            findings.append(
                placed.at(
                    (),
                    ERROR,
                    f"{describe(identity)} is already at line "
                    f"{first_at[identity].line()}; one kind, namespace and name is one object",
                    "duplicate-object",
                )
            )
        first_at.setdefault(identity, placed)
        if identity[3]:
            continue  # a custom resource: Knative's Service is no core Service to lint
        if obj.get("kind") in POD_TEMPLATE_AT:
            workloads.append(obj)
        elif obj.get("kind") == "Service":
            services.append((placed, obj))
    if workloads:
        for placed, service in services:
            findings.extend(_lint_service(placed, service, workloads))
    return sorted(findings, key=lambda f: (f.line, f.column))


def validate_large_file(path: str, crds: CrdCatalog | None = None) -> list[Finding]:
    """Every finding for a manifest file too large to read at once, a piece at a time.

    Each document, and each item of a List, is read and checked alone (objects repeated
    across pieces are not noticed); positions and messages are the file's.
    """
    with open(path, "rb") as file:
        return validate_large_stream(file, path, crds)


def validate_large_stream(
    file: Iterable[bytes], path: str, crds: CrdCatalog | None = None
) -> list[Finding]:
    """`validate_large_file` for the lines of a file, or of stdin, read as they come."""
    from podgen._io.large_yaml import pieces

    findings: list[Finding] = []
    try:
        for piece in pieces(file, path):
            for finding in validate_manifest_text(piece.text, path, crds):
                message = finding.message
                if piece.prefix:
                    message = f"{dotted(piece.prefix)}: {message}"
                findings.append(finding._replace(line=finding.line + piece.line, message=message))
    except UnicodeDecodeError as error:
        findings.append(Finding(path, 1, 1, ERROR, f"is not UTF-8 text ({error.reason})", "input"))
    return findings


class Placed(NamedTuple):
    """One object of a file: its document, and where in it the object stands.

    A `kind: List` (what `kubectl get -o yaml` prints) holds its objects under `items`.
    """

    document: Document
    prefix: tuple[str | int, ...]
    obj: Any

    def at(self, path: tuple[str | int, ...], severity: str, message: str, rule: str) -> Finding:
        """A finding at `path` within the object; a List item's messages say which item."""
        line, column = self.document.position((*self.prefix, *path))
        if self.prefix:
            message = f"{dotted(self.prefix)}: {message}"
        return Finding(self.document.source, line, column, severity, message, rule)

    def line(self) -> int:
        """The line the object starts on."""
        return self.document.position(self.prefix)[0]


def errors_at_line(text: str, source: str, line: int, obj: Any) -> list[Finding]:
    """The errors validate finds in `obj`, the object of a file that starts on `line`.

    A CRD; a CustomResourceDefinitionList's item with the list's apiVersion and kind.
    """
    for placed in _objects(load_documents(text, source, duplicates="keep")):
        if placed.line() == line:
            findings: list[Finding] = []
            _validate_object(Placed(placed.document, placed.prefix, obj), findings, None)
            errors = [f for f in findings if f.severity == ERROR]
            return sorted(errors, key=lambda f: (f.line, f.column))
    return []


def _objects(documents: Sequence[Document]) -> Iterator[Placed]:
    for document in documents:
        obj = document.data
        if obj is None:
            continue
        if is_list(obj):
            for index, item in enumerate(obj["items"]):
                yield Placed(document, ("items", index), item)
        else:
            yield Placed(document, (), obj)


def _validate_object(
    placed: Placed, findings: list[Finding], crds: CrdCatalog | None
) -> Mapping[str, Any] | None:
    """Append the object's findings; return it as the API server decodes it if it is checked."""
    obj = placed.obj
    if isinstance(obj, dict) and str(obj.get("apiVersion")).startswith(_KUSTOMIZE):
        return None  # kustomize's own file (podgen render --out writes one), not an object
    group = custom_group(obj.get("apiVersion")) if isinstance(obj, dict) else None
    if group is not None and isinstance(obj.get("kind"), str) and obj["kind"]:
        findings.extend(_custom_resource(placed, group, crds))
        custom: Mapping[str, Any] = obj  # its identity counts: one Gateway of a group and name
        return custom
    if not covers(obj):
        kind = obj.get("kind") if isinstance(obj, dict) else None
        unserved = _unserved_in_built_in_group(obj)
        if unserved is not None:  # a CRD cannot add kinds to core, apps, batch, ...
            findings.append(placed.at(("kind",), ERROR, unserved, "schema-kind"))
            return None
        findings.append(placed.at((), WARNING, _unchecked(kind, None), "kind-unchecked"))
        return None
    problems = list(schema_problems(obj, warnings=True))
    for problem in problems:
        text = problem.text()
        if problem.rule == "schema-type" and text.endswith('")'):
            text = _quoted_as_written(placed, problem.path, text)
        severity = WARNING if problem.rule == "api-deprecated" else ERROR  # served, and warned
        findings.append(placed.at(problem.path, severity, text, problem.rule))
    errored = [tuple(problem.path) for problem in problems if problem.rule != "api-deprecated"]
    if errored:  # semantic rules assume the schema's shape; a gate's drop does not
        for dropped in dropped_fields(as_decoded(obj)) if isinstance(obj, dict) else ():
            # A field that is itself in error (unknown at the release) gets only its error.
            if not any(tuple(dropped.path)[: len(at)] == at for at in errored):
                findings.append(
                    placed.at(dropped.path, WARNING, dropped.message, "feature-gate-off")
                )
        return None
    # Nulls pass the schema (every field may be null) but mean "unset" to the API server:
    # the rules see the object as it decodes it.
    decoded = as_decoded(obj)
    for violation in violations(decoded):
        message = str(violation.error())  # the API server's shape: path, value, reason
        if violation.warning:
            message += " (the API server accepts this with a warning)"
        stricter = violation.warning or violation.rule in STRICTER_THAN_THE_API_SERVER
        severity = WARNING if stricter else ERROR
        findings.append(placed.at(parse_path(violation.path), severity, message, violation.rule))
    for dropped in dropped_fields(decoded):  # accepted, but not as written: the gate is off
        findings.append(placed.at(dropped.path, WARNING, dropped.message, "feature-gate-off"))
    findings.extend(_lint(placed, decoded))
    return decoded


def _quoted_as_written(placed: Placed, path: tuple[str | int, ...], text: str) -> str:
    """A `quote it: "..."` hint showing the value as the file writes it (`"y"`, not `"true"`)."""
    value: Any = placed.obj
    for part in path:
        value = value[part]
    written = placed.document.written((*placed.prefix, *path), value)
    hint = text.rfind(' (quote it: "')
    if written is None or hint < 0:
        return text
    return f'{text[:hint]} (quote it: "{written}")'


def _pod_spec_and_path(obj: Mapping[str, Any]) -> tuple[Mapping[str, Any], tuple[str | int, ...]]:
    found = pod_spec(obj)
    return found if found is not None else ({}, ("spec",))


def _lint(placed: Placed, obj: Mapping[str, Any]) -> Iterator[Finding]:
    """Warnings: things the API server accepts but people regret."""
    if obj.get("kind") not in POD_TEMPLATE_AT:
        return
    if obj.get("kind") == "StatefulSet" and not (obj.get("spec") or {}).get("serviceName"):
        # Optional to the API server, but without it the pods get no stable DNS names
        # (NAME-0.SERVICE), which is most of what a StatefulSet is for.
        name = (obj.get("metadata") or {}).get("name")
        yield placed.at(
            ("spec",),
            WARNING,
            f"StatefulSet {quoted(name)} has no serviceName: its pods get no stable DNS names "
            "(NAME-0.SERVICE); name its headless Service",
            "statefulset-service-name",
        )
    spec, base = _pod_spec_and_path(obj)
    pod_security = spec.get("securityContext") or {}
    for index, container in enumerate(spec.get("containers") or []):
        path = (*base, "containers", index)
        name = container.get("name")
        batch = obj.get("kind") in ("Job", "CronJob")  # runs to completion: nothing to probe
        if not batch and "livenessProbe" not in container and "readinessProbe" not in container:
            yield placed.at(
                path,
                WARNING,
                f"container {quoted(name)} has no liveness or readiness probe",
                "no-probes",
            )
        resources = container.get("resources") or {}
        if not resources.get("requests") and not resources.get("limits"):
            yield placed.at(
                path,
                WARNING,
                f"container {quoted(name)} sets no resource requests or limits",
                "no-resources",
            )
        image = str(container.get("image", ""))
        last = image.rsplit("/", 1)[-1]
        if "@" not in last and (":" not in last or last.endswith(":latest")):
            yield placed.at(
                (*path, "image"),
                WARNING,
                f"image {quoted(image)} is untagged or :latest; pin a version",
                "image-tag",
            )
        security = container.get("securityContext") or {}
        if security.get("privileged"):
            yield placed.at(
                (*path, "securityContext", "privileged"),
                WARNING,
                f"container {quoted(name)} is privileged",
                "privileged",
            )
        non_root = security.get("runAsNonRoot", pod_security.get("runAsNonRoot"))
        user = security.get("runAsUser", pod_security.get("runAsUser"))
        if non_root is not True and not (isinstance(user, int) and user > 0):
            yield placed.at(
                path,
                WARNING,
                f"container {quoted(name)} may run as root (set runAsNonRoot: true)",
                "run-as-root",
            )
        declared = {p.get("containerPort") for p in container.get("ports") or []}
        names = {p.get("name") for p in container.get("ports") or [] if p.get("name")}
        for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
            probe = container.get(kind) or {}
            for handler in ("httpGet", "tcpSocket", "grpc"):
                port = (probe.get(handler) or {}).get("port")
                if port is None:
                    continue
                if (isinstance(port, int) and port not in declared) or (
                    isinstance(port, str) and port not in names
                ):
                    yield placed.at(
                        (*path, kind, handler, "port"),
                        WARNING,
                        f"{kind} port {quoted(port)} is not a port the container declares",
                        "probe-port-undeclared",
                    )


def _lint_service(
    placed: Placed, service: Mapping[str, Any], workloads: list[Mapping[str, Any]]
) -> Iterator[Finding]:
    spec = service.get("spec") or {}
    selector = spec.get("selector") or {}
    if not selector:
        return
    matched = []
    for workload in workloads:
        template = pod_template(workload)
        labels = ((template[0] if template else {}).get("metadata") or {}).get("labels") or {}
        if all(labels.get(k) == v for k, v in selector.items()):
            matched.append(workload)
    if not matched:
        yield placed.at(
            ("spec", "selector"),
            WARNING,
            f"selector {selector} matches no pod in this file",
            "service-selector-unmatched",
        )
        return
    numbers, names = set(), set()
    for workload in matched:
        pod_spec, _ = _pod_spec_and_path(workload)
        for container in pod_spec.get("containers") or []:
            for port in container.get("ports") or []:
                numbers.add(port.get("containerPort"))
                names.add(port.get("name"))
    for index, port in enumerate(spec.get("ports") or []):
        target = port.get("targetPort", port.get("port"))
        if (isinstance(target, int) and target not in numbers) or (
            isinstance(target, str) and target not in names
        ):
            yield placed.at(
                ("spec", "ports", index, "targetPort" if "targetPort" in port else "port"),
                WARNING,
                f"targetPort {quoted(target)} is not a port of the pods it selects",
                "service-target-port",
            )


def _custom_resource(placed: Placed, group: str, crds: CrdCatalog | None) -> Iterator[Finding]:
    """A custom resource's findings: its CRD's rules, or `kind-unchecked` without its CRD."""
    kind = placed.obj["kind"]
    crd = crds.find(group, kind) if crds else None
    if crd is None:
        message = _unchecked(kind, group)
        siblings = sorted(c.kind for c in crds.crds() if c.group == group) if crds else []
        if siblings:  # a typo, or a CRD of the group that podgen was not given: no error
            hint = closest(str(kind), siblings)
            message += f"; the CRDs given for {group} define {', '.join(siblings)}" + (
                f" (did you mean {hint}?)" if hint else ""
            )
        yield placed.at((), WARNING, message, "kind-unchecked")
        return
    from podgen._checking.custom_resources import RULE_CEL_UNCHECKED, custom_resource_violations

    try:
        with _deep_enough():
            violations = list(custom_resource_violations(placed.obj, crd))
    except RecursionError:  # the server takes more levels than Python's stack here
        message = (
            f"not checked against its CRD ({crd.label()}): nested too deeply for podgen to "
            "walk; the API server may accept it"
        )
        yield placed.at((), WARNING, message, "crd-too-deep")
        return
    for violation in violations:
        if violation.rule == RULE_CEL_UNCHECKED and not crds.once(violation.reason):  # type: ignore[union-attr]
            continue  # the same note for every object of the kind: once per run
        severity = WARNING if violation.warning else ERROR
        # A finding on the object itself (a rule at the CRD's root) is its reason alone.
        message = str(violation.error()) if violation.path else violation.reason
        yield placed.at(parse_path(violation.path), severity, message, violation.rule)


@contextlib.contextmanager
def _deep_enough() -> Iterator[None]:
    """Room for a custom resource nested hundreds of levels deep (preserve-unknown-fields).

    The schema walkers recurse a few frames a level; CPython's default limit of 1,000 would
    stop them near 300 levels, where the server goes on.
    """
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def _unchecked(kind: object, group: str | None) -> str:
    """The `kind-unchecked` warning: what is not checked, and how to have it checked."""
    what = f"kind {quoted(kind)} of group {group}" if group else f"kind {quoted(kind)}"
    return (
        f"{what} is not checked: podgen was given no CRD for it (a custom resource?); give "
        "its CustomResourceDefinition with --crd FILE or folder, among the inputs, or under "
        "crds: in podgen.yaml"
    )


def _unserved_in_built_in_group(obj: Mapping[str, Any]) -> str | None:
    """Why a kind the schema does not know is no custom resource either, or None.

    Its group is one of Kubernetes' own, whose kinds are all built in (`kind: Deploymnet`).
    """
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str) or not kind:
        return None
    group = api_version.rpartition("/")[0]
    served = [k for k in kinds() if k.rsplit("/", 1)[0].rpartition("/")[0] == group]
    if not served and group and "." not in group and group not in BUILT_IN_GROUPS:
        hint = closest(group, sorted(BUILT_IN_GROUPS - {""}))
        return (
            f'no API group "{group}" is served: it is none of Kubernetes\' own groups, and a '
            f"CRD's group has a dot" + (f" (did you mean {hint}?)" if hint else "")
        )
    if not served:
        return None
    names = sorted({k.rsplit("/", 1)[1] for k in served})
    hint = closest(kind, names)
    suggestion = f" (did you mean {hint}?)" if hint else ""
    return (
        f'no kind "{kind}" is served in version "{api_version}": the API group '
        f"{group or 'core'} has no such kind{suggestion}"
    )
