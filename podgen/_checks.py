"""Check parsed manifests against the API server's rules before anything is printed.

This runs on the objects parsed back from rendered templates, never on template text, so it
guards every template, built-in or not. It raises `InvalidFieldError` for the first violation,
with the dotted path the API server would report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from podgen import _rules
from podgen._errors import InvalidFieldError
from podgen._spec import IMAGE_PULL_POLICIES, RESTART_POLICIES, TAINT_EFFECTS

_KINDS = {("v1", "Pod"), ("v1", "Service"), ("apps/v1", "Deployment"), ("v1", "Namespace")}
_DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
_PROTOCOLS = ("TCP", "UDP", "SCTP")
_NAME_RULES: dict[str, Callable[[str], list[str]]] = {
    "Pod": _rules.is_dns1123_subdomain,
    "Deployment": _rules.is_dns1123_subdomain,
    "Service": _rules.is_dns1035_label,
    "Namespace": _rules.is_dns1123_label,
}

Obj = Mapping[str, Any]


def check_manifest(obj: object) -> None:
    """Raise InvalidFieldError if `obj` is not an object the API server would accept."""
    if not isinstance(obj, Mapping):
        raise InvalidFieldError("<document>", type(obj).__name__, "must be a mapping (an object)")
    _check_strings(obj, "")
    kind = obj.get("kind")
    if not isinstance(kind, str) or (obj.get("apiVersion"), kind) not in _KINDS:
        raise InvalidFieldError(
            "kind", kind, "podgen writes only v1 Pod, Service, Namespace and apps/v1 Deployment"
        )
    metadata = _mapping(obj, "metadata", "metadata")
    _check_metadata(metadata, "metadata", _NAME_RULES[kind], required_name=True)
    if kind == "Pod":
        _check_pod_spec(_mapping(obj, "spec", "spec"), "spec")
    elif kind == "Deployment":
        _check_deployment_spec(_mapping(obj, "spec", "spec"), "spec")
    elif kind == "Service":
        _check_service_spec(_mapping(obj, "spec", "spec"), "spec")


def _fail(path: str, value: object, reasons: list[str]) -> None:
    if reasons:
        raise InvalidFieldError(path, value, "; ".join(reasons))


def _mapping(obj: Obj, key: str, path: str) -> Obj:
    value = obj.get(key)
    if not isinstance(value, Mapping):
        raise InvalidFieldError(path, value, "must be an object")
    return value


def _items(obj: Obj, key: str, path: str) -> Iterator[tuple[str, Obj]]:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise InvalidFieldError(f"{path}.{key}", value, "must be a list")
    for index, item in enumerate(value):
        item_path = f"{path}.{key}[{index}]"
        if not isinstance(item, Mapping):
            raise InvalidFieldError(item_path, item, "must be an object")
        yield item_path, item


def _check_strings(node: object, path: str) -> None:
    """Every string must survive kubectl's printers unchanged."""
    if isinstance(node, str):
        bad = _rules.unprintable_character(node)
        if bad is not None:
            raise InvalidFieldError(
                path or "<document>",
                node,
                f"contains U+{ord(bad):04X}, a control character that kubectl's YAML printer "
                "rejects or rewrites",
            )
    elif isinstance(node, Mapping):
        for key, value in node.items():
            _check_strings(key, path)
            _check_strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            _check_strings(item, f"{path}[{index}]")


def _check_metadata(
    metadata: Obj, path: str, name_rule: Callable[[str], list[str]], *, required_name: bool
) -> None:
    name = metadata.get("name")
    if required_name or name is not None:
        if not isinstance(name, str) or not name:
            raise InvalidFieldError(f"{path}.name", name, "name or generateName is required")
        _fail(f"{path}.name", name, name_rule(name))
    namespace = metadata.get("namespace")
    if namespace is not None:
        _fail(f"{path}.namespace", namespace, _rules.is_dns1123_label(str(namespace)))
    _check_labels(metadata.get("labels") or {}, f"{path}.labels")
    annotations = metadata.get("annotations") or {}
    total = 0
    for key, value in annotations.items():
        _fail(f"{path}.annotations", key, _rules.is_qualified_name(str(key).lower()))
        total += len(key) + len(str(value))
    if total > _rules.TOTAL_ANNOTATION_SIZE_MAX:
        raise InvalidFieldError(
            f"{path}.annotations",
            f"<{total} bytes>",
            f"must have at most {_rules.TOTAL_ANNOTATION_SIZE_MAX} bytes",
        )


def _check_labels(labels: Obj, path: str) -> None:
    for key, value in labels.items():
        _fail(path, key, _rules.is_qualified_name(str(key)))
        if not isinstance(value, str):
            raise InvalidFieldError(path, value, "label values must be strings")
        _fail(path, value, _rules.is_valid_label_value(value))


def _check_pod_spec(spec: Obj, path: str) -> None:
    containers = list(_items(spec, "containers", path))
    if not containers:
        raise InvalidFieldError(f"{path}.containers", [], "Required value")
    volumes = _check_volumes(spec, path)
    names: set[str] = set()
    ports: dict[int, str] = {}
    for container_path, container in _items(spec, "initContainers", path):
        _check_container(container, container_path, names, ports, volumes)
        _check_init_container(container, container_path)
    for container_path, container in containers:
        _check_container(container, container_path, names, ports, volumes)
        if "restartPolicy" in container:
            raise InvalidFieldError(
                f"{container_path}.restartPolicy",
                container["restartPolicy"],
                "Forbidden: only init containers may set restartPolicy",
            )
    _enum(spec, "restartPolicy", path, RESTART_POLICIES)
    _enum(spec, "dnsPolicy", path, _DNS_POLICIES)
    grace = spec.get("terminationGracePeriodSeconds")
    if grace is not None and (not _is_int(grace) or grace < 0):
        raise InvalidFieldError(
            f"{path}.terminationGracePeriodSeconds", grace, "must be greater than or equal to 0"
        )
    for key in ("serviceAccountName", "nodeName"):
        if key in spec:
            _fail(f"{path}.{key}", spec[key], _rules.is_dns1123_subdomain(str(spec[key])))
    _check_labels(spec.get("nodeSelector") or {}, f"{path}.nodeSelector")
    for toleration_path, toleration in _items(spec, "tolerations", path):
        _check_toleration(toleration, toleration_path)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_volumes(spec: Obj, path: str) -> set[str]:
    names: set[str] = set()
    for volume_path, volume in _items(spec, "volumes", path):
        name = str(volume.get("name", ""))
        _fail(f"{volume_path}.name", name, _rules.is_dns1123_label(name))
        if name in names:
            raise InvalidFieldError(f"{volume_path}.name", name, "Duplicate value")
        names.add(name)
        sources = [key for key in volume if key != "name"]
        if len(sources) != 1:
            raise InvalidFieldError(volume_path, sources, "must specify exactly one volume type")
    return names


def _check_init_container(container: Obj, path: str) -> None:
    policy = container.get("restartPolicy")
    if policy is not None and policy != "Always":
        raise InvalidFieldError(f"{path}.restartPolicy", policy, 'supported values: "Always"')
    if policy is None:
        # A plain init container runs to completion: probes and hooks would never apply.
        for key in ("livenessProbe", "readinessProbe", "startupProbe", "lifecycle"):
            if key in container:
                raise InvalidFieldError(
                    f"{path}.{key}",
                    "<set>",
                    "Forbidden: may not be set for init containers without restartPolicy=Always",
                )


def _check_toleration(toleration: Obj, path: str) -> None:
    key = toleration.get("key")
    operator = toleration.get("operator", "Equal")
    if key:
        _fail(f"{path}.key", key, _rules.is_qualified_name(str(key)))
    elif operator != "Exists":
        raise InvalidFieldError(
            f"{path}.operator", operator, "operator must be Exists when `key` is empty"
        )
    if operator not in ("Equal", "Exists"):
        raise InvalidFieldError(f"{path}.operator", operator, 'supported values: "Equal", "Exists"')
    value = toleration.get("value")
    if operator == "Exists" and value:
        raise InvalidFieldError(
            f"{path}.operator", value, "value must be empty when `operator` is 'Exists'"
        )
    if value:
        _fail(f"{path}.value", value, _rules.is_valid_label_value(str(value)))
    _enum(toleration, "effect", path, TAINT_EFFECTS)
    seconds = toleration.get("tolerationSeconds")
    if seconds is not None and toleration.get("effect") != "NoExecute":
        raise InvalidFieldError(
            f"{path}.effect",
            toleration.get("effect"),
            "effect must be 'NoExecute' when `tolerationSeconds` is set",
        )


def _enum(obj: Obj, key: str, path: str, allowed: tuple[str, ...]) -> None:
    value = obj.get(key)
    if value is not None and value not in allowed:
        quoted = ", ".join(f'"{a}"' for a in allowed)
        raise InvalidFieldError(f"{path}.{key}", value, f"supported values: {quoted}")


def _check_container(
    container: Obj, path: str, names: set[str], ports: dict[int, str], volumes: set[str]
) -> None:
    name = container.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidFieldError(f"{path}.name", name, "Required value")
    _fail(f"{path}.name", name, _rules.is_dns1123_label(name))
    if name in names:
        raise InvalidFieldError(f"{path}.name", name, "Duplicate value")
    names.add(name)
    image = container.get("image")
    if not isinstance(image, str) or not image:
        raise InvalidFieldError(f"{path}.image", image, "Required value")
    if image != image.strip():
        raise InvalidFieldError(
            f"{path}.image", image, "must not have leading or trailing whitespace"
        )
    for port_path, port in _items(container, "ports", path):
        number = port.get("containerPort")
        if not isinstance(number, int) or isinstance(number, bool):
            raise InvalidFieldError(f"{port_path}.containerPort", number, "must be an integer")
        _fail(f"{port_path}.containerPort", number, _rules.is_valid_port_num(number))
        if number in ports:
            # Containers share the pod's network namespace: two cannot listen on one port.
            raise InvalidFieldError(
                f"{port_path}.containerPort",
                number,
                f"Duplicate value: {ports[number]} already listens on it, and the containers "
                "of a pod share one network namespace",
            )
        ports[number] = path
    seen_env: set[str] = set()
    for env_path, env in _items(container, "env", path):
        env_name = env.get("name")
        if not isinstance(env_name, str):
            raise InvalidFieldError(f"{env_path}.name", env_name, "Required value")
        _fail(f"{env_path}.name", env_name, _rules.is_env_var_name(env_name))
        if env_name in seen_env:
            # The API server only warns; the later value silently wins, so podgen refuses.
            raise InvalidFieldError(f"{env_path}.name", env_name, "Duplicate value")
        seen_env.add(env_name)
    _enum(container, "imagePullPolicy", path, IMAGE_PULL_POLICIES)
    mount_paths: set[str] = set()
    for mount_path_, mount in _items(container, "volumeMounts", path):
        if mount.get("name") not in volumes:
            raise InvalidFieldError(f"{mount_path_}.name", mount.get("name"), "Not found")
        where = str(mount.get("mountPath", ""))
        if not where.startswith("/"):
            raise InvalidFieldError(f"{mount_path_}.mountPath", where, "must be an absolute path")
        if where in mount_paths:
            raise InvalidFieldError(f"{mount_path_}.mountPath", where, "must be unique")
        mount_paths.add(where)
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        if kind in container:
            _check_probe(container[kind], f"{path}.{kind}", kind)
    lifecycle = container.get("lifecycle") or {}
    for hook in ("postStart", "preStop"):
        if hook in lifecycle:
            _check_handler(
                lifecycle[hook],
                f"{path}.lifecycle.{hook}",
                ("exec", "httpGet", "tcpSocket", "sleep"),
            )
    _check_resources(container.get("resources") or {}, f"{path}.resources")
    security = container.get("securityContext") or {}
    if security.get("privileged") and security.get("allowPrivilegeEscalation") is False:
        raise InvalidFieldError(
            f"{path}.securityContext",
            security,
            "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
        )


_PROBE_TIMINGS = {
    "initialDelaySeconds": 0,
    "timeoutSeconds": 0,
    "periodSeconds": 0,
    "successThreshold": 0,
    "failureThreshold": 0,
}


def _check_handler(handler: object, path: str, kinds: tuple[str, ...]) -> Obj:
    if not isinstance(handler, Mapping):
        raise InvalidFieldError(path, handler, "must be an object")
    present = [k for k in kinds if k in handler]
    if len(present) != 1:
        raise InvalidFieldError(path, present, "must specify exactly one handler type")
    (kind,) = present
    action = handler[kind]
    if kind == "exec" and not (action or {}).get("command"):
        raise InvalidFieldError(f"{path}.exec.command", [], "Required value")
    if kind in ("httpGet", "tcpSocket", "grpc"):
        port = (action or {}).get("port")
        if isinstance(port, int) and not isinstance(port, bool):
            _fail(f"{path}.{kind}.port", port, _rules.is_valid_port_num(port))
        elif not isinstance(port, str) or not port:
            raise InvalidFieldError(f"{path}.{kind}.port", port, "Required value")
    return handler


def _check_probe(probe: object, path: str, kind: str) -> None:
    handler = _check_handler(probe, path, ("exec", "httpGet", "tcpSocket", "grpc"))
    for field, least in _PROBE_TIMINGS.items():
        value = handler.get(field)
        if value is not None and (not _is_int(value) or value < least):
            raise InvalidFieldError(f"{path}.{field}", value, "must be greater than or equal to 0")
    if kind != "readinessProbe" and handler.get("successThreshold", 1) != 1:
        raise InvalidFieldError(
            f"{path}.successThreshold", handler["successThreshold"], "must be 1"
        )


def _check_resources(resources: Obj, path: str) -> None:
    values = {}
    for group in ("limits", "requests"):
        for name, amount in (resources.get(group) or {}).items():
            value = _rules.quantity_value(str(amount))
            if value is None or value < 0:
                raise InvalidFieldError(
                    f"{path}.{group}[{name}]", amount, "must be a valid quantity"
                )
            if name == "memory" and value != value.to_integral_value():
                raise InvalidFieldError(
                    f"{path}.{group}[{name}]", amount, "fractional byte value is invalid"
                )
            values[group, name] = value
    for (group, name), value in values.items():
        limit = values.get(("limits", name))
        if group == "requests" and limit is not None and value > limit:
            raise InvalidFieldError(
                f"{path}.requests[{name}]",
                resources["requests"][name],
                f"must be less than or equal to {name} limit of {resources['limits'][name]}",
            )


def _check_deployment_spec(spec: Obj, path: str) -> None:
    replicas = spec.get("replicas")
    if replicas is not None and (not isinstance(replicas, int) or replicas < 0):
        raise InvalidFieldError(f"{path}.replicas", replicas, "must be greater than or equal to 0")
    selector = _mapping(spec, "selector", f"{path}.selector")
    match_labels = selector.get("matchLabels") or {}
    if not match_labels:
        raise InvalidFieldError(
            f"{path}.selector", selector, "empty selector is invalid for deployment"
        )
    _check_labels(match_labels, f"{path}.selector.matchLabels")
    template = _mapping(spec, "template", f"{path}.template")
    template_meta = _mapping(template, "metadata", f"{path}.template.metadata")
    _check_metadata(
        template_meta, f"{path}.template.metadata", _rules.is_dns1123_subdomain, required_name=False
    )
    template_labels = template_meta.get("labels") or {}
    if any(template_labels.get(k) != v for k, v in match_labels.items()):
        raise InvalidFieldError(
            f"{path}.template.metadata.labels",
            template_labels,
            "`selector` does not match template `labels`",
        )
    pod_spec = _mapping(template, "spec", f"{path}.template.spec")
    _check_pod_spec(pod_spec, f"{path}.template.spec")
    if pod_spec.get("restartPolicy", "Always") != "Always":
        raise InvalidFieldError(
            f"{path}.template.spec.restartPolicy",
            pod_spec["restartPolicy"],
            'supported values: "Always"',
        )


def _check_service_spec(spec: Obj, path: str) -> None:
    ports = list(_items(spec, "ports", path))
    if not ports:
        raise InvalidFieldError(f"{path}.ports", [], "Required value")
    for port_path, port in ports:
        number = port.get("port")
        if not isinstance(number, int) or isinstance(number, bool):
            raise InvalidFieldError(f"{port_path}.port", number, "must be an integer")
        _fail(f"{port_path}.port", number, _rules.is_valid_port_num(number))
        target = port.get("targetPort")
        if isinstance(target, int):
            _fail(f"{port_path}.targetPort", target, _rules.is_valid_port_num(target))
        _enum(port, "protocol", port_path, _PROTOCOLS)
    _check_labels(spec.get("selector") or {}, f"{path}.selector")
