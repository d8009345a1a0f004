"""The API server's semantic rules (pkg/apis/core/validation), on parsed objects.

`violations` yields every rule an object breaks, each with the dotted path the API server
would report and a rule id; `podgen validate` lists them all. `check_manifest` raises the
first as an `InvalidFieldError`; the pipeline runs it on everything podgen writes, so no
template, built-in or not, can emit what the API server would reject. A few things the API
server only warns about (two containers on one port, duplicate env names, fractional memory)
are errors here too. Structure and types are the schema's job (`_k8s_schema`); these checks
skip what is not the expected shape rather than fail on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterator, Mapping
from typing import Any, NamedTuple, TypeGuard

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


class Violation(NamedTuple):
    """One broken rule: where, what value, why, and the rule's id."""

    path: str
    value: object
    reason: str
    rule: str

    def error(self) -> InvalidFieldError:
        """The same violation as the exception `new` and `render` raise."""
        return InvalidFieldError(self.path, self.value, self.reason)


def check_manifest(obj: object) -> None:
    """Raise InvalidFieldError for the first rule `obj` breaks."""
    for violation in violations(obj):
        raise violation.error()


def violations(obj: object) -> Iterator[Violation]:
    """Every API server rule `obj` breaks."""
    if not isinstance(obj, Mapping):
        yield Violation("<document>", type(obj).__name__, "must be a mapping (an object)", "object")
        return
    if _may_hold_unprintable(obj):
        yield from _strings(obj, "")
    kind = obj.get("kind")
    if not isinstance(kind, str) or (obj.get("apiVersion"), kind) not in _KINDS:
        yield Violation(
            "kind",
            kind,
            "podgen writes only v1 Pod, Service, Namespace and apps/v1 Deployment",
            "kind-unsupported",
        )
        return
    metadata = obj.get("metadata")
    if not isinstance(metadata, Mapping):
        yield Violation("metadata", metadata, "must be an object", "object")
        return
    yield from _metadata(metadata, "metadata", _NAME_RULES[kind], required_name=True)
    spec = obj.get("spec")
    if kind == "Namespace":
        return
    if not isinstance(spec, Mapping):
        yield Violation("spec", spec, "must be an object", "object")
    elif kind == "Pod":
        yield from _pod_spec(spec, "spec")
    elif kind == "Deployment":
        yield from _deployment_spec(spec, "spec")
    else:
        yield from _service_spec(spec, "spec")


def _rule(path: str, value: object, reasons: list[str], rule: str) -> Iterator[Violation]:
    if reasons:
        yield Violation(path, value, "; ".join(reasons), rule)


def _items(obj: Obj, key: str, path: str) -> Iterator[tuple[str, Obj]]:
    value = obj.get(key) or []
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                yield f"{path}.{key}[{index}]", item


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _may_hold_unprintable(obj: object) -> bool:
    """Whether any key or string might hold a character kubectl cannot print.

    One C-speed pass over the object's JSON text (which writes those characters as they are)
    answers for nearly every object; `_strings` then finds the place in the rare one that has.
    """
    try:
        text = json.dumps(obj, ensure_ascii=False)
    except (TypeError, ValueError):
        return True  # not JSON data: let the walk look
    return _rules.unprintable_character(text) is not None


def _strings(node: object, path: str) -> Iterator[Violation]:
    """Every string must survive kubectl's printers unchanged."""
    if isinstance(node, str):
        bad = _rules.unprintable_character(node)
        if bad is not None:
            yield Violation(
                path or "<document>",
                node,
                f"contains U+{ord(bad):04X}, a control character that kubectl's YAML printer "
                "rejects or rewrites",
                "string-control-character",
            )
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from _strings(key, path)
            yield from _strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _strings(item, f"{path}[{index}]")


def _metadata(
    metadata: Obj, path: str, name_rule: Callable[[str], list[str]], *, required_name: bool
) -> Iterator[Violation]:
    name = metadata.get("name")
    if required_name and (not isinstance(name, str) or not name):
        yield Violation(f"{path}.name", name, "name or generateName is required", "name-required")
    elif isinstance(name, str):
        yield from _rule(f"{path}.name", name, name_rule(name), "name")
    namespace = metadata.get("namespace")
    if isinstance(namespace, str):
        yield from _rule(
            f"{path}.namespace", namespace, _rules.is_dns1123_label(namespace), "namespace"
        )
    yield from _labels(metadata.get("labels"), f"{path}.labels", "label")
    annotations = metadata.get("annotations")
    if isinstance(annotations, Mapping):
        total = 0
        for key, value in annotations.items():
            reasons = _rules.is_qualified_name(str(key).lower())
            yield from _rule(f"{path}.annotations", key, reasons, "annotation-key")
            total += len(str(key)) + len(str(value))
        if total > _rules.TOTAL_ANNOTATION_SIZE_MAX:
            yield Violation(
                f"{path}.annotations",
                f"<{total} bytes>",
                f"must have at most {_rules.TOTAL_ANNOTATION_SIZE_MAX} bytes",
                "annotations-size",
            )


def _labels(labels: object, path: str, rule: str) -> Iterator[Violation]:
    if not isinstance(labels, Mapping):
        return
    for key, value in labels.items():
        yield from _rule(path, key, _rules.is_qualified_name(str(key)), f"{rule}-key")
        if not isinstance(value, str):
            yield Violation(path, value, "label values must be strings", f"{rule}-value")
        else:
            yield from _rule(path, value, _rules.is_valid_label_value(value), f"{rule}-value")


def _enum(
    obj: Obj, key: str, path: str, allowed: tuple[str, ...], rule: str
) -> Iterator[Violation]:
    value = obj.get(key)
    if value is not None and value not in allowed:
        quoted = ", ".join(f'"{a}"' for a in allowed)
        yield Violation(f"{path}.{key}", value, f"supported values: {quoted}", rule)


def _pod_spec(spec: Obj, path: str) -> Iterator[Violation]:
    containers = list(_items(spec, "containers", path))
    if not containers:
        yield Violation(f"{path}.containers", [], "Required value", "containers-required")
    volumes = yield from _volumes(spec, path)
    names: set[str] = set()
    ports: dict[int, str] = {}
    port_names: set[str] = set()
    for container_path, container in _items(spec, "initContainers", path):
        yield from _container(container, container_path, names, ports, port_names, volumes)
        yield from _init_container(container, container_path)
    for container_path, container in containers:
        yield from _container(container, container_path, names, ports, port_names, volumes)
        if "restartPolicy" in container:
            yield Violation(
                f"{container_path}.restartPolicy",
                container["restartPolicy"],
                "Forbidden: only init containers may set restartPolicy",
                "container-restart-policy",
            )
    yield from _enum(spec, "restartPolicy", path, RESTART_POLICIES, "restart-policy")
    yield from _enum(spec, "dnsPolicy", path, _DNS_POLICIES, "dns-policy")
    grace = spec.get("terminationGracePeriodSeconds")
    if _is_int(grace) and grace < 0:
        yield Violation(
            f"{path}.terminationGracePeriodSeconds",
            grace,
            "must be greater than or equal to 0",
            "grace-period",
        )
    for key, rule in (("serviceAccountName", "service-account"), ("nodeName", "node-name")):
        if isinstance(spec.get(key), str):
            yield from _rule(
                f"{path}.{key}", spec[key], _rules.is_dns1123_subdomain(spec[key]), rule
            )
    yield from _labels(spec.get("nodeSelector"), f"{path}.nodeSelector", "node-selector")
    for toleration_path, toleration in _items(spec, "tolerations", path):
        yield from _toleration(toleration, toleration_path)


def _volumes(spec: Obj, path: str) -> Generator[Violation, None, set[str]]:
    """Check the volumes; evaluates to their names (the generator's return value)."""
    names: set[str] = set()
    for volume_path, volume in _items(spec, "volumes", path):
        name = str(volume.get("name", ""))
        yield from _rule(f"{volume_path}.name", name, _rules.is_dns1123_label(name), "volume-name")
        if name in names:
            yield Violation(f"{volume_path}.name", name, "Duplicate value", "volume-duplicate")
        names.add(name)
        sources = [key for key in volume if key != "name"]
        if len(sources) != 1:
            yield Violation(
                volume_path, sources, "must specify exactly one volume type", "volume-source"
            )
    return names


def _init_container(container: Obj, path: str) -> Iterator[Violation]:
    policy = container.get("restartPolicy")
    if policy is not None and policy != "Always":
        yield Violation(
            f"{path}.restartPolicy", policy, 'supported values: "Always"', "init-restart-policy"
        )
    if policy is None:
        # A plain init container runs to completion: probes and hooks would never apply.
        for key in ("livenessProbe", "readinessProbe", "startupProbe", "lifecycle"):
            if key in container:
                yield Violation(
                    f"{path}.{key}",
                    "<set>",
                    "Forbidden: may not be set for init containers without restartPolicy=Always",
                    "init-probes",
                )


def _toleration(toleration: Obj, path: str) -> Iterator[Violation]:
    key = toleration.get("key")
    operator = toleration.get("operator", "Equal")
    if key:
        yield from _rule(f"{path}.key", key, _rules.is_qualified_name(str(key)), "toleration-key")
    elif operator != "Exists":
        yield Violation(
            f"{path}.operator",
            operator,
            "operator must be Exists when `key` is empty",
            "toleration-operator",
        )
    if operator not in ("Equal", "Exists"):
        yield Violation(
            f"{path}.operator",
            operator,
            'supported values: "Equal", "Exists"',
            "toleration-operator",
        )
    value = toleration.get("value")
    if operator == "Exists" and value:
        yield Violation(
            f"{path}.operator",
            value,
            "value must be empty when `operator` is 'Exists'",
            "toleration-operator",
        )
    if isinstance(value, str) and value:
        yield from _rule(
            f"{path}.value", value, _rules.is_valid_label_value(value), "toleration-value"
        )
    yield from _enum(toleration, "effect", path, TAINT_EFFECTS, "toleration-effect")
    if toleration.get("tolerationSeconds") is not None and toleration.get("effect") != "NoExecute":
        yield Violation(
            f"{path}.effect",
            toleration.get("effect"),
            "effect must be 'NoExecute' when `tolerationSeconds` is set",
            "toleration-seconds",
        )


def _container(
    container: Obj,
    path: str,
    names: set[str],
    ports: dict[int, str],
    port_names: set[str],
    volumes: set[str],
) -> Iterator[Violation]:
    name = container.get("name")
    if not isinstance(name, str) or not name:
        yield Violation(f"{path}.name", name, "Required value", "container-name")
    else:
        yield from _rule(f"{path}.name", name, _rules.is_dns1123_label(name), "container-name")
        if name in names:
            yield Violation(f"{path}.name", name, "Duplicate value", "container-name-duplicate")
        names.add(name)
    image = container.get("image")
    if not isinstance(image, str) or not image:
        yield Violation(f"{path}.image", image, "Required value", "image-required")
    elif image != image.strip():
        yield Violation(
            f"{path}.image",
            image,
            "must not have leading or trailing whitespace",
            "image-whitespace",
        )
    yield from _ports(container, path, ports, port_names)
    seen_env: set[str] = set()
    for env_path, env in _items(container, "env", path):
        env_name = env.get("name")
        if not isinstance(env_name, str):
            continue
        yield from _rule(f"{env_path}.name", env_name, _rules.is_env_var_name(env_name), "env-name")
        if env_name in seen_env:
            # The API server only warns; the later value silently wins, so podgen refuses.
            yield Violation(f"{env_path}.name", env_name, "Duplicate value", "env-duplicate")
        seen_env.add(env_name)
    yield from _enum(container, "imagePullPolicy", path, IMAGE_PULL_POLICIES, "image-pull-policy")
    mount_paths: set[str] = set()
    for mount_path_, mount in _items(container, "volumeMounts", path):
        if mount.get("name") not in volumes:
            yield Violation(f"{mount_path_}.name", mount.get("name"), "Not found", "mount-volume")
        where = str(mount.get("mountPath", ""))
        if not where.startswith("/"):
            yield Violation(
                f"{mount_path_}.mountPath", where, "must be an absolute path", "mount-path"
            )
        elif where in mount_paths:
            yield Violation(f"{mount_path_}.mountPath", where, "must be unique", "mount-path")
        mount_paths.add(where)
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        if isinstance(container.get(kind), Mapping):
            yield from _probe(container[kind], f"{path}.{kind}", kind)
    lifecycle = container.get("lifecycle")
    if isinstance(lifecycle, Mapping):
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), Mapping):
                yield from _handler(
                    lifecycle[hook],
                    f"{path}.lifecycle.{hook}",
                    ("exec", "httpGet", "tcpSocket", "sleep"),
                    "lifecycle-handler",
                )
    if isinstance(container.get("resources"), Mapping):
        yield from _resources(container["resources"], f"{path}.resources")
    security = container.get("securityContext")
    escalation = isinstance(security, Mapping) and security.get("allowPrivilegeEscalation")
    if isinstance(security, Mapping) and security.get("privileged") and escalation is False:
        yield Violation(
            f"{path}.securityContext",
            security,
            "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            "privileged-escalation",
        )


def _ports(
    container: Obj, path: str, ports: dict[int, str], port_names: set[str]
) -> Iterator[Violation]:
    for port_path, port in _items(container, "ports", path):
        number = port.get("containerPort")
        if _is_int(number):
            yield from _rule(
                f"{port_path}.containerPort", number, _rules.is_valid_port_num(number), "port-range"
            )
            if number in ports:
                # Containers share the pod's network namespace: two cannot listen on one port.
                yield Violation(
                    f"{port_path}.containerPort",
                    number,
                    f"Duplicate value: {ports[number]} already listens on it, and the containers "
                    "of a pod share one network namespace",
                    "port-duplicate",
                )
            ports.setdefault(number, path)
        port_name = port.get("name")
        if isinstance(port_name, str):
            yield from _rule(
                f"{port_path}.name", port_name, _rules.is_valid_port_name(port_name), "port-name"
            )
            if port_name in port_names:
                yield Violation(
                    f"{port_path}.name", port_name, "Duplicate value", "port-name-duplicate"
                )
            port_names.add(port_name)
        yield from _enum(port, "protocol", port_path, _PROTOCOLS, "port-protocol")


def _handler(handler: Obj, path: str, kinds: tuple[str, ...], rule: str) -> Iterator[Violation]:
    present = [k for k in kinds if k in handler]
    if len(present) != 1:
        yield Violation(path, present, "must specify exactly one handler type", rule)
        return
    (kind,) = present
    action = handler[kind] if isinstance(handler[kind], Mapping) else {}
    if kind == "exec" and not action.get("command"):
        yield Violation(f"{path}.exec.command", [], "Required value", rule)
    if kind in ("httpGet", "tcpSocket", "grpc"):
        port = action.get("port")
        if _is_int(port):
            yield from _rule(f"{path}.{kind}.port", port, _rules.is_valid_port_num(port), rule)
        elif isinstance(port, str) and port:
            yield from _rule(f"{path}.{kind}.port", port, _rules.is_valid_port_name(port), rule)
        else:
            yield Violation(f"{path}.{kind}.port", port, "Required value", rule)


def _probe(probe: Obj, path: str, kind: str) -> Iterator[Violation]:
    yield from _handler(probe, path, ("exec", "httpGet", "tcpSocket", "grpc"), "probe-handler")
    for field in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
        "terminationGracePeriodSeconds",
    ):
        value = probe.get(field)
        if _is_int(value) and value < 0:
            yield Violation(
                f"{path}.{field}", value, "must be greater than or equal to 0", "probe-timing"
            )
    if kind != "readinessProbe" and probe.get("successThreshold", 1) != 1:
        yield Violation(
            f"{path}.successThreshold",
            probe["successThreshold"],
            "must be 1",
            "probe-success-threshold",
        )


def _resources(resources: Obj, path: str) -> Iterator[Violation]:
    values = {}
    for group in ("limits", "requests"):
        quantities = resources.get(group)
        if not isinstance(quantities, Mapping):
            continue
        for name, amount in quantities.items():
            value = _rules.quantity_value(str(amount))
            if value is None or value < 0:
                yield Violation(
                    f"{path}.{group}[{name}]",
                    amount,
                    "must be a valid quantity",
                    "resource-quantity",
                )
                continue
            if name == "memory" and value != value.to_integral_value():
                yield Violation(
                    f"{path}.{group}[{name}]",
                    amount,
                    "fractional byte value is invalid",
                    "resource-fractional-memory",
                )
            values[group, name] = value
    for (group, name), value in values.items():
        limit = values.get(("limits", name))
        if group == "requests" and limit is not None and value > limit:
            yield Violation(
                f"{path}.requests[{name}]",
                resources["requests"][name],
                f"must be less than or equal to {name} limit of {resources['limits'][name]}",
                "resource-request-over-limit",
            )


def _deployment_spec(spec: Obj, path: str) -> Iterator[Violation]:
    replicas = spec.get("replicas")
    if _is_int(replicas) and replicas < 0:
        yield Violation(
            f"{path}.replicas", replicas, "must be greater than or equal to 0", "replicas"
        )
    selector = spec.get("selector")
    match_labels = selector.get("matchLabels") if isinstance(selector, Mapping) else None
    if not match_labels:
        yield Violation(
            f"{path}.selector",
            selector,
            "empty selector is invalid for deployment",
            "selector-empty",
        )
        match_labels = {}
    yield from _labels(match_labels, f"{path}.selector.matchLabels", "label")
    template = spec.get("template")
    if not isinstance(template, Mapping):
        yield Violation(f"{path}.template", template, "Required value", "template-required")
        return
    raw_meta = template.get("metadata")
    template_meta: Obj = raw_meta if isinstance(raw_meta, Mapping) else {}
    yield from _metadata(
        template_meta, f"{path}.template.metadata", _rules.is_dns1123_subdomain, required_name=False
    )
    template_labels = template_meta.get("labels") or {}
    if isinstance(match_labels, Mapping) and any(
        template_labels.get(k) != v for k, v in match_labels.items()
    ):
        yield Violation(
            f"{path}.template.metadata.labels",
            template_labels,
            "`selector` does not match template `labels`",
            "selector-mismatch",
        )
    pod_spec = template.get("spec")
    if not isinstance(pod_spec, Mapping):
        yield Violation(f"{path}.template.spec", pod_spec, "Required value", "template-required")
        return
    yield from _pod_spec(pod_spec, f"{path}.template.spec")
    if pod_spec.get("restartPolicy", "Always") != "Always":
        yield Violation(
            f"{path}.template.spec.restartPolicy",
            pod_spec["restartPolicy"],
            'supported values: "Always"',
            "restart-policy",
        )


def _service_spec(spec: Obj, path: str) -> Iterator[Violation]:
    ports = list(_items(spec, "ports", path))
    if not ports and spec.get("type") != "ExternalName":
        yield Violation(f"{path}.ports", [], "Required value", "service-ports-required")
    for port_path, port in ports:
        number = port.get("port", 0)  # decoded from `null`, a port is Go's zero
        if _is_int(number):
            yield from _rule(
                f"{port_path}.port", number, _rules.is_valid_port_num(number), "service-port"
            )
        target = port.get("targetPort")
        if _is_int(target):
            yield from _rule(
                f"{port_path}.targetPort", target, _rules.is_valid_port_num(target), "service-port"
            )
        elif isinstance(target, str):
            yield from _rule(
                f"{port_path}.targetPort", target, _rules.is_valid_port_name(target), "service-port"
            )
        yield from _enum(port, "protocol", port_path, _PROTOCOLS, "service-protocol")
    yield from _labels(spec.get("selector"), f"{path}.selector", "label")
    yield from _service_addresses(spec, path)


_FAMILY_POLICIES = ("SingleStack", "PreferDualStack", "RequireDualStack")


def _service_addresses(spec: Obj, path: str) -> Iterator[Violation]:
    """clusterIP, ipFamilyPolicy and ipFamilies, as ValidateService checks them."""
    cluster_ip = spec.get("clusterIP")
    if isinstance(cluster_ip, str) and cluster_ip not in ("", "None"):
        import ipaddress  # on first use: most Services have no address written

        try:
            ipaddress.ip_address(cluster_ip)
        except ValueError:
            yield Violation(
                f"{path}.clusterIP", cluster_ip, "must be a valid IP address", "service-cluster-ip"
            )
    if cluster_ip == "None" and spec.get("type") in ("NodePort", "LoadBalancer"):
        yield Violation(
            f"{path}.clusterIP",
            cluster_ip,
            f"may not be set to 'None' for {spec['type']} services",
            "service-cluster-ip",
        )
    yield from _enum(spec, "ipFamilyPolicy", path, _FAMILY_POLICIES, "service-ip-family")
    families = spec.get("ipFamilies")
    if not isinstance(families, list):
        return
    seen: set[object] = set()
    for index, family in enumerate(families):
        where = f"{path}.ipFamilies[{index}]"
        if family not in ("IPv4", "IPv6"):
            yield Violation(where, family, 'supported values: "IPv4", "IPv6"', "service-ip-family")
        elif family in seen:
            yield Violation(where, family, "Duplicate value", "service-ip-family")
        seen.add(family)
    if len(families) > 2:
        yield Violation(
            f"{path}.ipFamilies", families, "must have at most 2 items", "service-ip-family"
        )
    elif len(families) == 2 and spec.get("ipFamilyPolicy") == "SingleStack":
        yield Violation(
            f"{path}.ipFamilyPolicy",
            "SingleStack",
            "must be RequireDualStack or PreferDualStack when multiple 'ipFamilies' are specified",
            "service-ip-family",
        )
