"""podgen.yaml's JSON Schema (`podgen schema --project`), for completion in editors.

Its environment values are the blueprint schema's pod words (`_blueprint.schema`), plus
`tag` and `namespace`; scaffold writes it beside the blueprint's schema.
"""

from __future__ import annotations

from podgen._commands.project import POD_KEY_PATTERN, PROJECT_KIND, VERSION_KEY
from podgen._model.objects import API_VERSION
from podgen._model.spec import OutputFormat
from podgen._model.versions import NEWEST, PATTERN, SUPPORTED

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def project_schema() -> dict[str, Any]:
    """podgen.yaml's JSON Schema, for editor completion (`podgen schema --project`)."""
    from podgen._blueprint.schema import POD

    values = {
        **{k: v for k, v in POD["properties"].items() if k != "name"},
        "tag": {
            "type": "string",
            "description": "The app image's tag, e.g. 1.27.1: environment-wide when every pod "
            "it reaches runs one repository's image, else per pod; never on an image pinned "
            "by digest.",
        },
        "namespace": {"type": "string", "description": "The blueprints' namespace."},
    }
    environment = {
        "type": "object",
        "description": "Values layered over every pod whose kind takes them; `pods` over pods "
        "by name.",
        "properties": {
            **values,
            VERSION_KEY: release(
                "The Kubernetes release this environment's cluster runs (over the project's)."
            ),
            "pods": {
                "type": "object",
                "description": "Values for one pod: by its name, or as BLUEPRINT:POD (the "
                "blueprint file's path from the project folder, e.g. api/blueprint.yaml:web) "
                "where pods of that name are in several blueprints.",
                "propertyNames": {"pattern": POD_KEY_PATTERN},
                "additionalProperties": {
                    "type": "object",
                    "properties": values,
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://podgen.dev/schemas/project-v1.json",
        "title": "podgen project (podgen.yaml)",
        "type": "object",
        "properties": {
            "apiVersion": {"const": API_VERSION},
            "kind": {"const": PROJECT_KIND},
            "blueprints": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Blueprint files or folders (default: blueprint.yaml).",
            },
            "out": {"type": "string", "description": "Where manifests go (default: k8s)."},
            "output": {
                "enum": [choice.value for choice in OutputFormat],
                "description": "Default: yaml.",
            },
            "kustomization": {
                "type": "boolean",
                "description": "Write a kustomization.yaml listing the manifests in each "
                "folder (default: true; false when the folder holds a kustomization of yours).",
            },
            "crds": {
                "type": "array",
                "items": {"type": "string"},
                "description": "CustomResourceDefinition files or folders: custom resources "
                "(under objects:, and in manifests validate reads) are checked with them.",
            },
            VERSION_KEY: release(
                f'The Kubernetes release the clusters run, e.g. "1.30" (default {NEWEST}): a '
                "field it does not have is refused."
            ),
            "environments": {
                "type": "object",
                "description": "Each renders into OUT/ENV.",
                "additionalProperties": environment,
            },
        },
        "required": ["apiVersion", "kind"],
        "additionalProperties": False,
    }


def release(description: str) -> dict[str, Any]:
    """A `kubernetesVersion:` value: a release podgen supports, as text (`v1.30.2` too)."""
    return {
        "description": f"{description} {SUPPORTED[0]} to {NEWEST}, in quotes (YAML reads 1.30 "
        "unquoted as the number 1.3); `--k8s-version` overrides it.",
        # The enum for editors to offer; the pattern is exactly what podgen accepts
        # (`versions.parse`), built from the releases it supports.
        "anyOf": [{"enum": list(SUPPORTED)}, {"type": "string", "pattern": PATTERN}],
    }
