"""The flags that write blueprint words: --mount, --env-from, --volume-claim, and more.

Each value becomes the words (`words.WORDS`) a blueprint would hold for it, written as the API
has them, so flags and blueprints reach the same request.
"""

from __future__ import annotations

from podgen._errors import UsageError, quoted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


#: What `--mount` and `--env-from` take, and the volume source or envFrom entry each means.
_MOUNT_SOURCES = {
    "configmap": lambda name: {"configMap": {"name": name}},
    "secret": lambda name: {"secret": {"secretName": name}},
    "pvc": lambda name: {"persistentVolumeClaim": {"claimName": name}},
}
_ENV_SOURCES = {"configmap": "configMapRef", "secret": "secretRef"}


def word_flag(flag: str, item: str) -> dict[str, Any]:
    """The blueprint words one `--mount`, `--env-from`, `--volume-claim`, ... value gives."""
    if flag == "--volume-claim":
        return _volume_claim(item)
    if flag == "--max-unavailable":
        return {"updateStrategy": _rolling_update(item)}
    if flag == "--image-pull-secret":
        return {"imagePullSecrets": [{"name": item}]}
    if flag == "--env-from":
        kind, _, name = item.partition(":")
        if kind.lower() not in _ENV_SOURCES or not name:
            raise UsageError(
                f"--env-from: expected configmap:NAME or secret:NAME, not {quoted(item)}"
            )
        return {"envFrom": [{_ENV_SOURCES[kind.lower()]: {"name": name}}]}
    kind, _, rest = item.partition(":")
    name, _, path = rest.partition(":")
    read_only = path.endswith(":ro")
    path = path.removesuffix(":ro")
    if kind.lower() not in _MOUNT_SOURCES or not name or not path.startswith("/"):
        raise UsageError(
            f"--mount: expected configmap:NAME:PATH, secret:NAME:PATH or pvc:CLAIM:PATH "
            f"(PATH absolute, :ro for read-only), not {quoted(item)}"
        )
    mount: dict[str, Any] = {"name": name, "mountPath": path}
    if read_only:
        mount["readOnly"] = True
    return {
        "volumes": [{"name": name, **_MOUNT_SOURCES[kind.lower()](name)}],
        "mounts": [mount],
    }


def check_mount_paths(written: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Refuse two flag values that mount at one path, naming both (the API server would).

    `written` holds each word flag's value and the words it gave. The manifest's error
    could only name the `mounts` word, which `--mount` and `--volume-claim` both write.
    """
    first: dict[str, tuple[str, str]] = {}
    for flag, item, words in written:
        for mount in words.get("mounts", ()):
            path = mount["mountPath"]
            if path not in first:
                first[path] = (flag, item)
                continue
            # Blame a --volume-claim value if either is one: a claim mounts where it is named.
            (blamed, one), (other, two) = sorted(
                [first[path], (flag, item)], key=lambda given: given[0] != "--volume-claim"
            )
            also = "" if other == blamed else f"{other} "
            raise UsageError(
                f"{blamed}: {quoted(one)} and {also}{quoted(two)} both mount at {quoted(path)}; "
                "a container takes one volume at a path"
            )


def _volume_claim(item: str) -> dict[str, list[Any]]:
    """`data=10Gi:/var/lib/data` or `data=10Gi:fast:/var/lib/data`: a claim per pod, mounted."""
    from podgen._checking import rules as _rules

    name, _, rest = item.partition("=")
    size, _, path = rest.partition(":")
    storage_class, colon, path = path.rpartition(":") if path.count(":") else ("", "", path)
    problem = ""
    if not name or not size or not path:
        problem = "expected NAME=SIZE:PATH or NAME=SIZE:CLASS:PATH"
    elif _rules.is_dns1123_label(name):
        problem = f"the claim's name {quoted(name)} must be a DNS label (lower case, digits, -)"
    elif (amount := _rules.quantity_value(size)) is None or amount <= 0:
        problem = f"{quoted(size)} is not a storage size (e.g. 1Gi, 500Mi)"
    elif not path.startswith("/"):
        problem = f"{quoted(path)} must be an absolute path (start with /)"
    elif colon and not storage_class:
        problem = "the storage class between SIZE and PATH is empty"
    elif storage_class and _rules.is_dns1123_subdomain(storage_class):
        # The API server takes the StatefulSet, but its claims could never be created.
        problem = f"the storage class {quoted(storage_class)} is not a StorageClass name"
    if problem:
        raise UsageError(f"--volume-claim: {problem}, not {quoted(item)}")
    claim: dict[str, Any] = {
        "metadata": {"name": name},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": size}},
        },
    }
    if storage_class:
        claim["spec"]["storageClassName"] = storage_class
    return {"volumeClaimTemplates": [claim], "mounts": [{"name": name, "mountPath": path}]}


def _rolling_update(item: str) -> dict[str, Any]:
    """`--max-unavailable 1` or `25%`: a RollingUpdate strategy that takes that many down."""
    value: int | str
    if item.isdigit() and int(item) >= 1:
        value = int(item)
    elif item.endswith("%") and item[:-1].isdigit() and 1 <= int(item[:-1]) <= 100:
        value = item
    else:
        raise UsageError(
            f"--max-unavailable: expected a number of pods (1 or more) or a percentage "
            f"(1% to 100%), not {quoted(item)}"
        )
    return {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": value}}
