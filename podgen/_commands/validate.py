"""`podgen validate`: its inputs (files, folders, stdin, the project), each to its checker.

A manifest's text goes to `_checking.validate` (YAML, schema, the API server's rules,
warnings). A blueprint is validated by loading and rendering it, and a project file
(podgen.yaml) by loading it and rendering every environment, as `podgen render` does: checking
them means rendering them, so this sits above both. Files that a kustomization names as
patches (or as any other non-resource, `_checking.kustomize`) are not objects and are
skipped; so are YAML files of other tools when asked (`skip_other_yaml`).
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import os
import sys
from collections.abc import Iterator, Sequence

from podgen._checking.kustomize import NotResources
from podgen._checking.validate import (
    ERROR,
    WARNING,
    WHERE,
    Finding,
    Report,
    bare,
    finding_from,
    validate_large_file,
    validate_large_stream,
    validate_manifest_text,
)
from podgen._commands.other_yaml import is_other_yaml
from podgen._errors import ExitCode, InvalidFieldError, PodgenError
from podgen._io.files import files_below, source_bytes, source_size, unreadable, unsaved_bytes
from podgen._io.strict_yaml import MAX_BYTES, YamlInputError, decode, load_documents
from podgen._model.objects import API_VERSION, KUSTOMIZATION_NAMES, is_blueprint_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from typing import Any, BinaryIO

    from podgen._checking.crd_catalog import CrdCatalog

#: The name `podgen validate` and `render` find a project by (`_commands.project.PROJECT_FILE`;
#: importing that module costs every run its option table), and the project's kind.
_PROJECT_FILE, _PROJECT_KIND = "podgen.yaml", "Project"
#: The rule of what a project file says, or what rendering its environments finds.
PROJECT_RULE = "project"


def validate_sources(
    sources: Sequence[str],
    stdin: BinaryIO | None = None,
    *,
    skip_other_yaml: bool = False,
    crds: Sequence[str] = (),
    release_of: Callable[[str], AbstractContextManager[object]] | None = None,
    known_crds: CrdCatalog | None = None,
) -> Report:
    """Validate files, folders (every .yaml, .yml and .json below them) and `-` (stdin).

    Custom resources are checked with the CRDs among the inputs (wherever they are in the
    list: a cheap pre-pass names the files, read only when a custom resource asks), those
    `crds` names (`--crd`: files or folders; a missing one is a UsageError), and the
    project's `crds:` when a podgen.yaml is found above the current folder. The `crds`
    files are validated like the inputs.

    A file that a kustomization names as a patch (or any non-resource) is skipped, and with
    `skip_other_yaml` so is a file none of whose documents is a map with `apiVersion` or
    `kind` (a pre-commit hook's other YAML: CI workflows, compose files, tool settings). A
    file given twice, or found in two folders given, is read once. `release_of` says what
    targets the release each file is checked at (a project's environments say their own).
    `known_crds` is asked last and not validated (the CRDs of an editor's workspace).
    """
    catalog = _catalog(sources, crds, known_crds)
    report = Report(findings=[])
    kustomize = NotResources()
    read: set[str] = set()
    found: set[tuple[str, int, int, str]] = set()
    rendered_in: dict[Finding, str] = {}  # each environment's warnings: its folder
    # The CRDs given are validated too: a broken one would judge its custom resources wrongly.
    for source in [*sources, *crds]:
        for name, reader in _inputs(source, stdin, report, kustomize):
            if name != "<stdin>":
                if os.path.abspath(name) in read:
                    continue
                read.add(os.path.abspath(name))
                if kustomize.named_as_other(name):
                    report.skipped += 1
                    continue
            if name != "<stdin>" and _too_large_to_hold(name):
                report.files += 1
                held = unsaved_bytes(name)  # an editor's unsaved text (the language server)
                found_in_pieces = (
                    validate_large_stream(io.BytesIO(held), name, catalog)
                    if held is not None
                    else validate_large_file(name, catalog)
                )
                report.findings.extend(found_in_pieces)
                continue
            if name == "<stdin>" and stdin is not None:
                raw = stdin.read(MAX_BYTES + 1)
                if len(raw) > MAX_BYTES:  # `kubectl get ... -o yaml |`: read piece by piece
                    report.files += 1
                    lines = itertools.chain(io.BytesIO(raw + stdin.readline()), stdin)
                    report.findings.extend(validate_large_stream(lines, name, catalog))
                    continue
            else:
                try:
                    raw = reader()
                except OSError as error:  # a broken symlink, a file it may not read: named
                    report.files += 1
                    report.unusable = True
                    report.findings.append(Finding(name, 1, 1, ERROR, unreadable(error), "input"))
                    continue
            if skip_other_yaml and not raw.removeprefix(b"\xef\xbb\xbf").strip():
                report.skipped += 1  # an empty file holds no manifest
                continue
            try:
                text = decode(raw, name)
            except YamlInputError as error:
                report.files += 1
                report.unusable = True
                report.findings.append(Finding(name, 1, 1, ERROR, bare(error), "input"))
                continue
            if skip_other_yaml and is_other_yaml(text, name):
                report.skipped += 1
                continue
            report.files += 1
            if name == "<stdin>":
                catalog.add_file(name, text)  # read once: its CRDs count from here on
            try:
                release = release_of(name) if release_of else contextlib.nullcontext()
            except PodgenError as error:  # its podgen.yaml does not load: said once, there
                release = contextlib.nullcontext()
                finding = _finding_named(error, name, PROJECT_RULE)
                key = (finding.file, finding.line, finding.column, finding.message)
                if key not in found:
                    found.add(key)
                    report.findings.append(finding)
            with release:
                findings = validate_text(text, name, catalog, rendered_in)
            for finding in findings:
                key = (finding.file, finding.line, finding.column, finding.message)
                if finding.rule == PROJECT_RULE and key in found:
                    continue  # each environment repeats what is wrong with a blueprint
                found.add(key)
                report.findings.append(finding)
    report.findings = _said_once(report.findings, rendered_in)
    said_by_known = set(known_crds.all_problems()) if known_crds is not None else set()
    for problem in catalog.all_problems():  # two CRDs for one kind, if a custom resource asked
        if problem in said_by_known:
            continue  # the workspace's: validate says them of the files it was given
        severity = WARNING if problem.warning else ERROR
        finding = Finding(problem.source, problem.line, 1, severity, problem.message, problem.rule)
        report.findings.append(finding)
    return report


def _catalog(
    sources: Sequence[str], crds: Sequence[str], known: CrdCatalog | None = None
) -> CrdCatalog:
    """The CRDs validate may use: the inputs' files, `--crd`'s, the project's, then `known`.

    Only file names here: nothing is read until a custom resource asks (`CrdCatalog.find`).
    """
    from podgen._checking.crd_catalog import catalog_of, folder_files

    catalog = catalog_of(crds)  # --crd's errors before any input is read
    catalog.fallback = known
    inputs = catalog_of(())
    for source in sources:
        if os.path.isfile(source):
            inputs.add_file(source)
        elif os.path.isdir(source):
            for name in folder_files(source):
                inputs.add_file(name)
    inputs.fallback = catalog
    catalog.before_first_lookup = functools.partial(_project_crds, sources)
    return inputs


def _project_crds(sources: Sequence[str], catalog: CrdCatalog) -> None:
    """The `crds:` of the projects around, when a custom resource first asks (loading costs).

    The project above the current folder's, and that of each file or folder named (its
    podgen.yaml in its own folder or above), as each is checked at its project's release.
    """
    from podgen._commands.project import find_project, load_project

    folders = [os.path.dirname(os.path.abspath(s)) if os.path.isfile(s) else s for s in sources]
    found = [find_project(), *(find_project(f) for f in folders if os.path.isdir(f))]
    for path in dict.fromkeys(found):
        if path is None:
            continue
        try:
            project = load_project(path)
        except PodgenError:
            continue  # validating podgen.yaml says what is wrong with it
        for crd_path in project.crds:
            catalog.add_path(crd_path)


def _too_large_to_hold(name: str) -> bool:
    """A file over the reader's limit: validate reads it a document (or List item) at a time."""
    try:
        return source_size(name) > MAX_BYTES
    except OSError:
        return False  # reading it says what is wrong


def project_sources() -> tuple[list[str], Callable[[str], AbstractContextManager[object]] | None]:
    """What a bare `podgen validate` checks: the project around the current folder.

    Its blueprints, its podgen.yaml (validated by rendering every environment) and the
    manifests under its `out` folder; and the release each is checked at (an environment's
    folder at its `kubernetesVersion:`, the rest at the project's). A podgen.yaml that does
    not load is still validated: its finding says why.
    """
    from podgen._commands.project import (
        find_project,
        load_project,
        release_by_path,
        require_project,
    )

    path = find_project()
    if path is None:
        require_project("podgen validate")  # raises what a bare command says without one
        return [], None
    try:
        project = load_project(path)
    except PodgenError:
        return [os.path.relpath(path)], None
    out = [project.out] if os.path.exists(project.out) else []
    return [*project.blueprints, project.document.source, *out], release_by_path(project)


def _inputs(
    source: str, stdin: BinaryIO | None, report: Report, kustomize: NotResources
) -> Iterator[tuple[str, Any]]:
    if source == "-":
        if stdin is not None:
            yield "<stdin>", stdin.read
        return
    if os.path.isfile(source):  # the common case, run on every save: pathlib costs start-up
        yield source, lambda: _read_bytes(source)
    elif os.path.isdir(source):
        walked = files_below(source, _SUFFIXES, KUSTOMIZATION_NAMES)
        for name in walked:
            if os.path.basename(name) in KUSTOMIZATION_NAMES:  # it may name files beside it
                kustomize.add_folder(os.path.dirname(name))
        files = [name for name in walked if name.endswith(_SUFFIXES)]
        if not files:
            report.unusable = True
            report.findings.append(
                Finding(source, 1, 1, ERROR, "no YAML or JSON files here", "input")
            )
        for name in files:
            yield name, functools.partial(_read_bytes, name)
    elif os.path.exists(source) or os.path.islink(source):
        # A device or a pipe (/dev/null, <(kubectl get ...)): read it; a broken link: named
        yield source, lambda: _read_bytes(source)
    else:
        report.unusable = True
        report.findings.append(Finding(source, 1, 1, ERROR, "no such file or folder", "input"))


#: The files validate reads below a folder.
_SUFFIXES = (".yaml", ".yml", ".json")


def _read_bytes(name: str) -> bytes:
    return source_bytes(name)


def validate_text(
    text: str,
    source: str,
    crds: CrdCatalog | None = None,
    rendered_in: dict[Finding, str] | None = None,
) -> list[Finding]:
    """Every finding for one file's text: a project file, a blueprint or a manifest.

    `rendered_in` gets, for each warning of an environment's rendering, the folder its
    manifests go to (for `validate_sources` to say it once when a manifest there says it).
    """
    if is_blueprint_text(text):
        from podgen._checking.crd_catalog import given, using

        with using(crds if crds is not None else given()):
            if _is_project(text, source):
                return _validate_project(source, rendered_in)
            return _validate_blueprint(text, source)
    return validate_manifest_text(text, source, crds)


def _is_project(text: str, source: str) -> bool:
    """podgen.yaml, or a file of any name whose one document is of kind Project."""
    if os.path.basename(source) == _PROJECT_FILE:
        return True
    try:
        documents = load_documents(text, source)
    except YamlInputError:
        return False  # validated as a blueprint, which says what is wrong with it
    return any(
        isinstance(d.data, dict)
        and d.data.get("apiVersion") == API_VERSION
        and d.data.get("kind") == _PROJECT_KIND
        for d in documents
    )


def _validate_project(source: str, rendered_in: dict[Finding, str] | None = None) -> list[Finding]:
    """A project file's findings: loading it, then rendering every environment in memory.

    `podgen render` refuses a project when any environment does not render, so validate
    reports each failure where its error names it (a value's line in podgen.yaml), and each
    warning render gives (a field the environment's release drops) as render names it, at
    the environment's line: before the first render no manifest says it.
    """
    from podgen._commands.project import load_project, project_files
    from podgen._model.spec import OutputFormat
    from podgen._rendering.dropped import collecting

    if not os.path.isfile(source):
        message = (
            "a project file (kind: Project) is validated from its file, whose folder its paths "
            "start from: `podgen validate podgen.yaml`"
        )
        return [Finding(source, 1, 1, ERROR, message, PROJECT_RULE)]
    try:
        project = load_project(source)
    except PodgenError as error:
        return [_finding_named(error, source, PROJECT_RULE)]
    findings = []
    for environment in project.environments or (None,):
        try:
            with collecting() as warnings:
                project_files(project, environment, OutputFormat(project.output))
        except PodgenError as error:
            findings.append(_finding_named(error, project.document.source, PROJECT_RULE))
            continue
        for warning in dict.fromkeys(warnings):
            finding = _warning_named(warning, project.document.source)
            findings.append(finding)
            if rendered_in is not None:
                rendered_in[finding] = project.out_folder(environment)
    return findings


def _warning_named(warning: str, source: str) -> Finding:
    """A render warning (`podgen.yaml:9:3: environment prod: ...`) as a finding there."""
    match = WHERE.match(warning)
    if match is None:
        return Finding(source, 1, 1, WARNING, warning, GATE_RULE)
    line, column = int(match["line"]), int(match["column"])
    return Finding(match["file"], line, column, WARNING, warning[match.end() :], GATE_RULE)


#: The rule of a field the release's API server drops (`_checking.validate`'s too).
GATE_RULE = "feature-gate-off"


def _said_once(findings: list[Finding], rendered_in: dict[Finding, str]) -> list[Finding]:
    """Without an environment's warning that a manifest in its folder gives as well.

    The manifest's names the very line to look at; the environment's stays for a field no
    manifest has yet (before the first render, or since the blueprint changed).
    """
    if not rendered_in:
        return findings
    in_manifests = [
        (os.path.abspath(f.file) + os.sep, f.message) for f in findings if f.rule == GATE_RULE
    ]

    def repeated(finding: Finding) -> bool:
        folder = rendered_in.get(finding)
        if folder is None:
            return False
        folder = os.path.abspath(folder) + os.sep
        return any(
            file.startswith(folder) and finding.message.endswith(f": {message}")
            for file, message in in_manifests
        )

    return [finding for finding in findings if not repeated(finding)]


def _finding_named(error: PodgenError, source: str, rule: str) -> Finding:
    """A finding in the file, and at the line, the error's message starts with.

    An environment's error names podgen.yaml; a blueprint's, the blueprint.
    """
    message = str(error)
    match = WHERE.match(message)
    if match:
        file, line, column = match["file"], int(match["line"]), int(match["column"])
        return Finding(file, line, column, ERROR, message[match.end() :], rule)
    for name in (source, os.path.relpath(source)):
        message = message.removeprefix(f"{name}: ")
    return Finding(source, 1, 1, ERROR, message, rule)


def _validate_blueprint(text: str, source: str) -> list[Finding]:
    from podgen._blueprint.loader import load_blueprint
    from podgen._rendering.pipeline import render_blueprint

    try:
        render_blueprint(load_blueprint(text, source))
    except YamlInputError as error:
        return [finding_from(error, source, "yaml")]
    except InvalidFieldError as error:
        return [finding_from(error, source, "blueprint-rule")]
    except PodgenError as error:
        return [finding_from(error, source, "blueprint")]
    return []


def validate(
    sources: list[str],
    report_format: str = "text",
    *,
    strict: bool = False,
    k8s_version: str | None = None,
    skip_other_yaml: bool = False,
    crds: Sequence[str] = (),
) -> int:
    """`podgen validate`: print the findings as text or JSON; 0 clean, 1 errors, 2 unreadable.

    Without sources, the project's (podgen.yaml): its blueprints, what every environment
    renders to, and the manifests under `out`. `k8s_version` (`1.30`, `v1.30.2`) is the
    release whose schema and rules the findings are for; None: each file its project's
    (`kubernetesVersion:`, an environment's for its folder), else the newest.
    """
    from podgen._model import versions

    # Only a release the user gave is chosen: without one, a project's environments say theirs.
    release = versions.targeting_given(k8s_version)  # a bad one before any input
    release_of: Callable[[str], AbstractContextManager[object]] | None
    if sources:  # each in its project, if it is in one (its own folder or one above)
        from podgen._commands.project_release import release_of_paths

        release_of = release_of_paths()
    else:
        sources, release_of = project_sources()
    with release:
        report = validate_sources(
            sources,
            sys.stdin.buffer,
            skip_other_yaml=skip_other_yaml,
            crds=crds,
            release_of=release_of,
        )
    if report_format == "json":
        import json

        document = {
            "findings": [f.as_dict() for f in report.findings],
            "files": report.files,
            "skipped": report.skipped,
            "errors": report.errors,
            "warnings": report.warnings,
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        sys.stdout.writelines(f.text() + "\n" for f in report.findings)
        skipped = f", {report.skipped} skipped (not Kubernetes manifests)" if report.skipped else ""
        sys.stderr.write(
            f"{report.errors} error(s), {report.warnings} warning(s) in {report.files} file(s)"
            f"{skipped}\n"
        )
    if report.unusable:
        return ExitCode.UNREADABLE
    if report.errors or (strict and report.warnings):
        return ExitCode.FAILURE
    return ExitCode.OK
