"""podgen scaffold: a project folder made by the cookiecutter template in templates/.

The template (templates/cookiecutter) holds the static files: README, Makefile, VS Code tasks
and settings, the editors' language-server set-up (VS Code, Helix, Neovim: `podgen lsp`),
pre-commit config. Its post-generation hook calls `finish_project`, which writes
the blueprint and renders `k8s/` with podgen's library. `podgen scaffold` passes the pod as a
ready blueprint in the private `_podgen_blueprint` variable, which cookiecutter never renders
as a template, so no value given to podgen is ever evaluated by Jinja or written into code.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from podgen._building.flags import RunFlags, flag_for, overlay, request_from_flags
from podgen._commands.project import PROJECT_FILE
from podgen._commands.project_schema import project_schema
from podgen._errors import PodgenError, SpecError, UsageError, quoted
from podgen._model.versions import targeting

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from podgen._blueprint.loader import Blueprint

#: The file the template writes the answers into, for the hook to read as data.
CONTEXT_FILE = ".podgen-answers.json"
BLUEPRINT_FILE = "blueprint.yaml"
SCHEMA_FILE = ".vscode/podgen-blueprint.schema.json"
PROJECT_SCHEMA_FILE = ".vscode/podgen-project.schema.json"
MANIFEST_FOLDER = "k8s"
#: The project file: the bare commands (`podgen render`, `podgen validate`) act on it.
PROJECT_TEXT = f"""\
# podgen's project file: `podgen render`, `podgen render --check` and `podgen validate`
# act on what it names, run from this folder or any folder below it.
apiVersion: podgen.dev/v1
kind: Project
blueprints: [{BLUEPRINT_FILE}]
out: {MANIFEST_FOLDER}
# CustomResourceDefinitions (files or folders) that custom resources are checked with, under
# a blueprint's objects: and in the manifests `podgen validate` reads:
# crds: [crds/]
# Environments layer values over every pod whose kind takes them (or pods by name); each
# renders into {MANIFEST_FOLDER}/ENV. Uncommented, this example renders:
# environments:
"""
#: What an exec probe runs when the cookiecutter prompts chose `exec`: does the app listen on
#: its port? The kernel's socket tables say, read with the shell's builtins only (`read`,
#: `case`, `[`), so the image needs `sh` and nothing else. {port} is four hex digits, as the
#: tables write ports; 0A is TCP_LISTEN.
LISTENING_PROBE = (
    "for table in /proc/net/tcp /proc/net/tcp6; do "
    '[ -r "$table" ] || continue; '
    "while read -r _ address _ state _; do "
    'case "$address:$state" in *:{port}:0A) exit 0;; esac; '
    'done < "$table"; '
    "done; exit 1"
)


def listening_probe(port: int) -> list[str]:
    """An exec probe's command that fails unless something listens on TCP `port`."""
    return ["sh", "-c", LISTENING_PROBE.replace("{port}", f"{port:04X}")]


def template_folder() -> Path:
    """The cookiecutter template, wherever podgen is installed."""
    return Path(str(resources.files("podgen.templates").joinpath("cookiecutter")))


def blueprint_from_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """A blueprint for the pod the cookiecutter prompts describe."""
    pod: dict[str, Any] = {"name": answers["name"], "image": answers["image"]}
    port = str(answers.get("port", "")).strip()
    if port:
        if not port.isdigit():
            raise UsageError(f"port: {quoted(port)} is not a number")
        pod["port"] = int(port)
    if answers.get("kind", "pod") != "pod":
        pod["kind"] = answers["kind"]
    if answers.get("kind") == "cronjob":
        pod["schedule"] = answers.get("schedule") or "@daily"
    if answers.get("pattern", "runtime") != "runtime":
        pod["pattern"] = answers["pattern"]
    probe = answers.get("probe", "none")
    if probe != "none":
        pod["probe"] = {"type": probe}
        if probe == "exec":
            if "port" not in pod:
                raise UsageError(
                    "probe: the exec probe checks that the app listens on its port: "
                    "give a port, or choose another probe"
                )
            pod["probe"]["command"] = listening_probe(pod["port"])
    blueprint: dict[str, Any] = {
        "apiVersion": "podgen.dev/v1",
        "kind": "Blueprint",
        "description": f"{answers['name']}, scaffolded by podgen",
    }
    if answers.get("namespace"):
        blueprint["namespace"] = answers["namespace"]
    blueprint["pods"] = [pod]
    return blueprint


def project_text(blueprint: Blueprint, k8s_version: str | None = None) -> str:
    """The project file, its commented environment example fitted to the blueprint's pods.

    `k8s_version` (`scaffold --k8s-version`) is written as the project's kubernetesVersion.

    Every line of the example renders when uncommented: `replicas` only when a pod's kind
    takes it, `resources` only for pods that set none (a limit could undercut a request),
    and a tag for the first pod only (a tag is one repository's) unless its image is pinned
    by digest (a tag would drop the digest).
    """
    from podgen._model.words import kinds_taking

    pods = blueprint.pods
    text = PROJECT_TEXT
    if k8s_version is not None:  # before the comments on crds and environments
        release = (
            f'# The Kubernetes release the clusters run.\nkubernetesVersion: "{k8s_version}"\n'
        )
        text = text.replace("# CustomResourceDefinitions", release + "# CustomResourceDefinitions")
    lines = [text, "#   dev:\n", "#     labels: {env: dev}\n"]
    if pods:
        lines.append("#     env: {LOG_LEVEL: debug}\n")
    lines += ["#   prod:\n", "#     labels: {env: prod}\n"]
    if any(pod.kind.value in kinds_taking("replicas") for pod in pods):
        lines.append("#     replicas: 3\n")
    if pods and not any(pod.requests or pod.limits for pod in pods):
        lines.append("#     resources: {limits: {memory: 512Mi}}\n")
    if pods and "@" not in pods[0].image:
        lines.append(f'#     pods: {{{pods[0].name}: {{tag: "1.27.1"}}}}\n')
    return "".join(lines)


def finish_project(
    project: Path, answers: Mapping[str, Any], k8s_version: str | None = None
) -> None:
    """Write the blueprint, the editor schema and the rendered manifests into `project`.

    `k8s_version`: the release the project's clusters run (checked for, and written down).
    """
    from podgen._blueprint.loader import load_blueprint
    from podgen._blueprint.schema import SCHEMA
    from podgen._io import output as _output
    from podgen._io.emit._goyaml import dump_yaml
    from podgen._model.spec import OutputFormat
    from podgen._rendering.dropped import collecting
    from podgen._rendering.pipeline import render_blueprint

    blueprint = answers.get("_podgen_blueprint") or blueprint_from_answers(answers)
    text = blueprint if isinstance(blueprint, str) else dump_yaml(blueprint)
    loaded = load_blueprint(text, BLUEPRINT_FILE)
    # Its warnings were collected where the pod was made, naming what the user wrote.
    release = contextlib.nullcontext() if k8s_version is None else targeting(k8s_version)
    with release, collecting():
        documents = render_blueprint(loaded)
    from podgen._io.kustomization import with_kustomization
    from podgen._io.plan import Folder

    files = with_kustomization(_output.files_for(documents, OutputFormat.YAML, dump_yaml))
    (project / BLUEPRINT_FILE).write_text(text, encoding="utf-8")
    (project / PROJECT_FILE).write_text(project_text(loaded, k8s_version), encoding="utf-8")
    (project / SCHEMA_FILE).parent.mkdir(parents=True, exist_ok=True)
    (project / SCHEMA_FILE).write_text(json.dumps(SCHEMA, indent=2) + "\n", encoding="utf-8")
    (project / PROJECT_SCHEMA_FILE).write_text(
        json.dumps(project_schema(), indent=2) + "\n", encoding="utf-8"
    )
    _output.write([Folder(str(project / MANIFEST_FOLDER), files)])


def scaffold(
    blueprint: str | dict[str, Any], name: str, output_dir: Path, k8s_version: str | None = None
) -> Path:
    """Run the cookiecutter template without prompts; return the new project folder.

    `k8s_version` (parsed) is the release the project's clusters run: podgen.yaml says it.

    The project is made in a hidden scratch folder beside it and renamed into place once
    complete, so that an error, Ctrl-C or SIGTERM at any moment leaves no half-made project.
    The post-generation hook's work runs here, in this process, rather than in the hook's
    process, which a signal to podgen alone would leave writing.
    """
    from podgen._io.transaction import signals_deferred

    target = output_dir / name
    if target.exists():
        raise UsageError(f"{target}: already exists; choose another NAME or --output-dir")
    made = _missing_folders(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{name}.podgen-", dir=output_dir))
    except OSError as error:
        _remove_folders(made)
        raise UsageError(f"--output-dir: {output_dir}: {error.strerror or error}") from None
    try:
        created = _cookiecutter(blueprint, name, scratch)
        answers = json.loads((created / CONTEXT_FILE).read_text(encoding="utf-8"))
        (created / CONTEXT_FILE).unlink()
        finish_project(created, answers, k8s_version)
        with signals_deferred():
            if target.exists():  # made meanwhile by someone else: theirs
                raise UsageError(f"{target}: already exists")
            created.rename(target)
    except BaseException:
        with signals_deferred():
            shutil.rmtree(scratch, ignore_errors=True)
            _remove_folders(made)
        raise
    with signals_deferred():
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def _missing_folders(folder: Path) -> list[Path]:
    """The folders `mkdir(parents=True)` would make for `folder`, deepest first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_folders(folders: list[Path]) -> None:
    """Remove the (empty) folders podgen made, deepest first."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _cookiecutter(blueprint: str | dict[str, Any], name: str, output_dir: Path) -> Path:
    """The cookiecutter template's files for the project, in `output_dir`, without its hook."""
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.main import cookiecutter

    with tempfile.TemporaryDirectory(prefix="podgen-cookiecutter-") as scratch:
        # A config of our own: never read the user's ~/.cookiecutterrc or write replays there.
        config = Path(scratch) / "config.yaml"
        config.write_text(
            json.dumps({"cookiecutters_dir": scratch, "replay_dir": scratch}), encoding="utf-8"
        )
        try:
            created = cookiecutter(
                str(template_folder()),
                no_input=True,
                # Only NAME (already checked as a DNS name) is a rendered variable; the pod
                # itself travels raw in `_podgen_blueprint`.
                extra_context={
                    "name": name,
                    "project_slug": name,
                    "kind": _kind_of(blueprint),  # for the README's environment example
                    "_podgen_blueprint": blueprint,
                },
                output_dir=str(output_dir),
                config_file=str(config),
                accept_hooks=False,  # the hook's work is `finish_project`, run by the caller
            )
        except (CookiecutterException, OSError) as error:
            raise PodgenError(f"scaffold: {error}") from error
    return Path(created)


def _kind_of(blueprint: str | dict[str, Any]) -> str:
    """The kind of the scaffolded blueprint's first pod (`pod` when it has none)."""
    pods = blueprint.get("pods") if isinstance(blueprint, dict) else None
    if isinstance(pods, list) and pods and isinstance(pods[0], dict):
        return str(pods[0].get("kind", "pod"))
    return "pod"


def blueprint_from(
    source: str, flags: RunFlags, given: set[str], templates: str | None = None
) -> str | dict[str, Any]:
    """`podgen scaffold NAME --from BLUEPRINT [flags]`: the whole blueprint, flags applied.

    Without pod flags, the blueprint file's own text, comments and all. With them, the
    blueprint that renders to all its objects with the flags applied to its only pod, or to
    the pod named NAME. Either way NAME names the project, not a pod.
    """
    from podgen._rendering.pipeline import one_blueprint, pick_pod, render_blueprint

    blueprint = one_blueprint(source)
    pod_flags = given - {"name", "from_", "templates", "output", "dry_run", "k8s_version"}
    if not pod_flags:
        # Checked here, at the release, so that errors and warnings name the user's file;
        # the project renders it as written, without team templates.
        render_blueprint(blueprint)
        text = blueprint.document.text
        if text is None:  # read by the general YAML reader, which keeps no text
            from podgen._io.emit._goyaml import dump_yaml

            return dump_yaml(blueprint.document.data)
        return text
    chosen = pick_pod(blueprint, source, flags.name)
    flagged = request_from_flags(flags._replace(image=flags.image or chosen.image))
    try:
        changed = overlay(chosen, flagged, pod_flags)
    except SpecError as error:
        raise UsageError(error.render(flag_for)) from error
    pods = tuple(changed if pod is chosen else pod for pod in blueprint.pods)
    documents = render_blueprint(blueprint._replace(pods=pods), templates)
    result = blueprint_for(documents, flags.name)
    result["description"] = blueprint.description or result["description"]
    return result


def blueprint_for(documents: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """The blueprint that renders to `documents` (checked by import's round trip)."""
    from podgen._commands.importer import import_documents
    from podgen._io.strict_yaml import Document
    from podgen._rendering.dropped import collecting

    with collecting():  # import's round trip: the documents' warnings were collected already
        blueprint = import_documents([Document(source=name, data=d) for d in documents], name)
    blueprint["description"] = f"{name}, scaffolded by podgen"
    return blueprint
