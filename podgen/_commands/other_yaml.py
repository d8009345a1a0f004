"""Which YAML files are not Kubernetes manifests, for `validate --skip-other-yaml`.

The pre-commit hook and the language server check every YAML file a repository holds, and
most of them are other tools' (CI workflows, compose files, tool settings). Those are passed
over: a file none of whose documents is a map with `apiVersion` or `kind`; a Helm chart's
Chart.yaml and templates (Go template text until Helm renders it); and the configuration files
of Kubernetes' own programs and tools, which have an apiVersion and a kind but are read by a
program, never sent to the API server (a kubeconfig, kubeadm's, the kubelet's, an audit
policy, kind's and skaffold's). Text that is not YAML at all is not "other": it may be a
broken manifest, and validating it says what is wrong; so is a manifest pasted with its line
numbers.
"""

from __future__ import annotations

import os

from podgen._io.strict_yaml import YamlInputError, load_documents, pasted_line_numbers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: API groups of configuration files (`group/version`), never served by an API server.
CONFIG_GROUPS = frozenset(
    (
        "kubeadm.k8s.io",
        "kubelet.config.k8s.io",
        "kubeproxy.config.k8s.io",
        "kubescheduler.config.k8s.io",
        "controllermanager.config.k8s.io",
        "apiserver.config.k8s.io",  # EncryptionConfiguration, TracingConfiguration...
        "apiserver.k8s.io",  # AdmissionConfiguration
        "audit.k8s.io",  # an audit Policy
        "client.authentication.k8s.io",  # ExecCredential
        "kind.x-k8s.io",  # kind's Cluster
        "k3d.io",
        "skaffold",  # skaffold/v4beta6
    )
)
#: Helm's own files in a chart's folder.
HELM_FILES = frozenset(("Chart.yaml", "Chart.lock"))


def is_other_yaml(text: str, source: str) -> bool:
    """Whether the file is no manifest, blueprint or project (see the module's docstring)."""
    if source != "<stdin>" and (
        os.path.basename(source) in HELM_FILES or helm_template(os.path.abspath(source))
    ):
        return True
    try:
        documents: list[Any] = [document.data for document in load_documents(text, source)]
    except YamlInputError:
        # podgen refuses anchors, tags and duplicate keys in manifests; other tools' files
        # use them freely. Only the top-level keys matter here.
        keys = _top_level_keys(text)
        if keys is None:
            return False
        documents = [dict.fromkeys(found) for found in keys]
    if pasted_line_numbers(text):
        return False  # a manifest pasted with its line numbers: validate says so
    return not any(_object_like(data) for data in documents)


def helm_template(path: str) -> bool:
    """Whether the file is below a Helm chart's `templates/` folder (its Chart.yaml beside it)."""
    folder = os.path.dirname(path)
    while os.path.basename(folder) and os.path.basename(folder) != "templates":
        folder = os.path.dirname(folder)
    if os.path.basename(folder) != "templates":
        return False
    return os.path.isfile(os.path.join(os.path.dirname(folder), "Chart.yaml"))


def _object_like(data: Any) -> bool:
    """An object for the API server, or a bare YAML list holding one (kubectl refuses it).

    A map with `apiVersion` or `kind` that is no program's configuration file.
    """
    if isinstance(data, list):
        return any(_object_like(item) for item in data if isinstance(item, dict))
    if not isinstance(data, dict) or ("apiVersion" not in data and "kind" not in data):
        return False
    api_version = data.get("apiVersion")
    if not isinstance(api_version, str):
        return True
    if api_version == "v1" and data.get("kind") == "Config":
        return False  # a kubeconfig
    return api_version.rpartition("/")[0] not in CONFIG_GROUPS


def _top_level_keys(text: str) -> list[list[Any]] | None:
    """The plain keys of each document's top-level map, as any YAML reader reads them."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        nodes = list(yaml.compose_all(text, Loader=loader))
    except yaml.YAMLError:
        return None
    return [
        [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
        for node in nodes
        if isinstance(node, yaml.MappingNode)
    ]
