"""Networking rules (Ingress, IngressClass, NetworkPolicy, Service), judged by the real server.

Each case is one object, valid or one mistake away from valid, with the rule podgen must report
(and where) or none. The same object goes to the real kube-apiserver: it must refuse exactly
the objects podgen reports an error on, naming the same field.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podgen._checking import rules
from podgen._checking.checks import violations
from podgen._checking.validate import STRICTER_THAN_THE_API_SERVER
from tests.apiserver import ApiServer

BACKEND = {"service": {"name": "web", "port": {"number": 80}}}


def _ingress(spec: dict[str, Any], annotations: dict[str, str] | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": "site"}
    if annotations:
        metadata["annotations"] = annotations
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": metadata,
        "spec": spec,
    }


def _path(path: str = "/", path_type: str | None = "Prefix", backend: Any = None) -> Any:
    item: dict[str, Any] = {"path": path, "backend": BACKEND if backend is None else backend}
    if path_type is not None:
        item["pathType"] = path_type
    return _ingress({"rules": [{"host": "example.com", "http": {"paths": [item]}}]})


def _host(host: str) -> Any:
    return _ingress(
        {
            "rules": [
                {
                    "host": host,
                    "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": BACKEND}]},
                }
            ]
        }
    )


def _default(backend: Any) -> Any:
    return _ingress({"defaultBackend": backend})


def _class(spec: dict[str, Any]) -> Any:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "nginx"},
        "spec": spec,
    }


PARAMS = {"apiGroup": "k8s.example.com", "kind": "Params", "name": "p"}


def _policy(spec: dict[str, Any]) -> Any:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "np"},
        "spec": {"podSelector": {}, **spec},
    }


def _from(peer: dict[str, Any]) -> Any:
    return _policy({"ingress": [{"from": [peer]}]})


def _port(port: dict[str, Any]) -> Any:
    return _policy({"egress": [{"ports": [port]}]})


def _service(spec: dict[str, Any]) -> Any:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {"ports": [{"port": 80}], **spec},
    }


R0 = "spec.rules[0]"
P0 = f"{R0}.http.paths[0]"
F0 = "spec.ingress[0].from[0]"
E0 = "spec.egress[0].ports[0]"
LB = {"type": "LoadBalancer"}
LOCAL = {"type": "LoadBalancer", "externalTrafficPolicy": "Local"}
CLIENT_IP = {"sessionAffinity": "ClientIP"}

#: (case, object, the rule podgen reports and the field the server names, or None if valid)
CASES: list[tuple[str, Any, tuple[str, str] | None]] = [
    # Ingress
    ("ingress ok", _path(), None),
    ("ingress default backend only", _default(BACKEND), None),
    ("ingress neither rules nor default backend", _ingress({}), ("ingress-rules", "spec")),
    ("prefix path relative", _path("api"), ("ingress-path", f"{P0}.path")),
    ("exact path relative", _path("api", "Exact"), ("ingress-path", f"{P0}.path")),
    ("exact path with //", _path("/a//b", "Exact"), ("ingress-path", f"{P0}.path")),
    ("prefix path ends /..", _path("/a/..", "Prefix"), ("ingress-path", f"{P0}.path")),
    ("prefix path with %2F", _path("/a%2Fb"), ("ingress-path", f"{P0}.path")),
    ("impl-specific empty path", _path("", "ImplementationSpecific"), None),
    (
        "impl-specific relative path",
        _path("a", "ImplementationSpecific"),
        ("ingress-path", f"{P0}.path"),
    ),
    ("impl-specific regex path", _path("/a(/|$)(.*)", "ImplementationSpecific"), None),
    ("pathType missing", _path(path_type=None), ("ingress-path-type", f"{P0}.pathType")),
    ("pathType unknown", _path(path_type="Regex"), ("ingress-path-type", f"{P0}.pathType")),
    ("host an IP", _host("10.1.2.3"), ("ingress-host", f"{R0}.host")),
    ("host an IP, leading zero", _host("010.1.2.3"), ("ingress-host", f"{R0}.host")),
    ("host wildcard first", _host("*.example.com"), None),
    ("host wildcard inside", _host("www.*.example.com"), ("ingress-host", f"{R0}.host")),
    ("host upper case", _host("Example.com"), ("ingress-host", f"{R0}.host")),
    (
        "paths empty",
        _ingress({"rules": [{"http": {"paths": []}}]}),
        ("ingress-paths-required", f"{R0}.http.paths"),
    ),
    ("rule without http", _ingress({"rules": [{"host": "example.com"}]}), None),
    (
        "both service and resource",
        _default({**BACKEND, "resource": {"kind": "B", "name": "b"}}),
        ("ingress-backend", "spec.defaultBackend"),
    ),
    (
        "resource backend",
        _default({"resource": {"apiGroup": "k8s.example.com", "kind": "Bucket", "name": "b"}}),
        None,
    ),
    (
        "resource backend kind with /",
        _default({"resource": {"kind": "a/b", "name": "b"}}),
        ("ingress-backend", "spec.defaultBackend.resource.kind"),
    ),
    (
        "resource backend bad apiGroup",
        _default({"resource": {"apiGroup": "A_B", "kind": "B", "name": "b"}}),
        ("ingress-backend", "spec.defaultBackend.resource.apiGroup"),
    ),
    ("empty backend", _default({}), ("ingress-backend", "spec.defaultBackend")),
    (
        "service name not a label",
        _default({"service": {"name": "web.app", "port": {"number": 80}}}),
        ("ingress-backend", "spec.defaultBackend.service.name"),
    ),
    (
        "service name digit first (relaxed)",
        _default({"service": {"name": "1web", "port": {"number": 80}}}),
        None,
    ),
    (
        "port name and number",
        _default({"service": {"name": "web", "port": {"number": 80, "name": "http"}}}),
        ("ingress-backend-port", "spec.defaultBackend"),
    ),
    (
        "port neither",
        _default({"service": {"name": "web", "port": {}}}),
        ("ingress-backend-port", "spec.defaultBackend"),
    ),
    (
        "port name invalid",
        _default({"service": {"name": "web", "port": {"name": "HTTP"}}}),
        ("ingress-backend-port", "spec.defaultBackend.service.port.name"),
    ),
    (
        "port number too big",
        _default({"service": {"name": "web", "port": {"number": 70000}}}),
        ("ingress-backend-port", "spec.defaultBackend.service.port.number"),
    ),
    (
        "path backend port missing",
        _path(backend={"service": {"name": "web", "port": {}}}),
        ("ingress-backend-port", f"{P0}.backend"),
    ),
    ("ingressClassName", _ingress({"defaultBackend": BACKEND, "ingressClassName": "nginx"}), None),
    (
        "ingressClassName invalid",
        _ingress({"defaultBackend": BACKEND, "ingressClassName": "Nginx_1"}),
        ("ingress-class-name", "spec.ingressClassName"),
    ),
    (
        "class annotation differs",
        _ingress(
            {"defaultBackend": BACKEND, "ingressClassName": "a"},
            {"kubernetes.io/ingress.class": "b"},
        ),
        ("ingress-class-name", "annotations.kubernetes.io/ingress.class"),
    ),
    (
        "class annotation agrees",
        _ingress(
            {"defaultBackend": BACKEND, "ingressClassName": "a"},
            {"kubernetes.io/ingress.class": "a"},
        ),
        None,
    ),
    (
        "tls",
        _ingress(
            {
                "defaultBackend": BACKEND,
                "tls": [{"hosts": ["*.example.com", "example.com"], "secretName": "cert"}],
            }
        ),
        None,
    ),
    (
        "tls host wildcard inside",
        _ingress({"defaultBackend": BACKEND, "tls": [{"hosts": ["a.*.example.com"]}]}),
        ("ingress-tls-host", "spec.tls[0].hosts[0]"),
    ),
    (
        "tls host with port",
        _ingress({"defaultBackend": BACKEND, "tls": [{"hosts": ["example.com:443"]}]}),
        ("ingress-tls-host", "spec.tls[0].hosts[0]"),
    ),
    (
        "tls secret name invalid",
        _ingress({"defaultBackend": BACKEND, "tls": [{"secretName": "My_Cert"}]}),
        ("ingress-tls-secret", "spec.tls[0].secretName"),
    ),
    # IngressClass
    ("class ok", _class({"controller": "k8s.io/ingress-nginx"}), None),
    (
        "class with parameters",
        _class(
            {
                "controller": "example.com/lb",
                "parameters": {**PARAMS, "scope": "Namespace", "namespace": "infra"},
            }
        ),
        None,
    ),
    ("controller missing", _class({}), ("ingressclass-controller", "spec.controller")),
    (
        "controller without domain",
        _class({"controller": "nginx"}),
        ("ingressclass-controller", "spec.controller"),
    ),
    (
        "controller bad domain",
        _class({"controller": "Ex_ample/nginx"}),
        ("ingressclass-controller", "spec.controller"),
    ),
    (
        "controller bad path",
        _class({"controller": "example.com/a b"}),
        ("ingressclass-controller", "spec.controller"),
    ),
    (
        "controller too long",
        _class({"controller": "example.com/" + "a" * 240}),
        ("ingressclass-controller", "spec.controller"),
    ),
    (
        "parameters no kind",
        _class({"controller": "a.io/b", "parameters": {"name": "p", "scope": "Cluster"}}),
        ("ingressclass-parameters", "spec.parameters.kind"),
    ),
    (
        "parameters name with %",
        _class(
            {"controller": "a.io/b", "parameters": {**PARAMS, "name": "a%b", "scope": "Cluster"}}
        ),
        ("ingressclass-parameters", "spec.parameters.name"),
    ),
    (
        "parameters scope unknown",
        _class({"controller": "a.io/b", "parameters": {**PARAMS, "scope": "Global"}}),
        ("ingressclass-parameters", "spec.parameters.scope"),
    ),
    (
        "parameters namespace missing",
        _class({"controller": "a.io/b", "parameters": {**PARAMS, "scope": "Namespace"}}),
        ("ingressclass-parameters", "spec.parameters.namespace"),
    ),
    (
        "parameters namespace on Cluster",
        _class(
            {
                "controller": "a.io/b",
                "parameters": {**PARAMS, "scope": "Cluster", "namespace": "infra"},
            }
        ),
        ("ingressclass-parameters", "spec.parameters.namespace"),
    ),
    (
        "parameters namespace invalid",
        _class(
            {
                "controller": "a.io/b",
                "parameters": {**PARAMS, "scope": "Namespace", "namespace": "In_fra"},
            }
        ),
        ("ingressclass-parameters", "spec.parameters.namespace"),
    ),
    # NetworkPolicy
    ("policy deny all", _policy({"policyTypes": ["Ingress", "Egress"]}), None),
    (
        "policy type unknown",
        _policy({"policyTypes": ["Inbound"]}),
        ("policy-types", "spec.policyTypes[0]"),
    ),
    (
        "policy types three",
        _policy({"policyTypes": ["Ingress", "Egress", "Ingress"]}),
        ("policy-types", "spec.policyTypes"),
    ),
    ("port range", _port({"protocol": "TCP", "port": 32000, "endPort": 32768}), None),
    ("named port", _port({"port": "dns", "protocol": "UDP"}), None),
    ("protocol unknown", _port({"protocol": "ICMP"}), ("policy-port", f"{E0}.protocol")),
    ("port zero", _port({"port": 0}), ("policy-port", f"{E0}.port")),
    ("port name invalid", _port({"port": "DNS"}), ("policy-port", f"{E0}.port")),
    (
        "endPort below port",
        _port({"port": 100, "endPort": 90}),
        ("policy-end-port", f"{E0}.endPort"),
    ),
    (
        "endPort with a named port",
        _port({"port": "dns", "endPort": 90}),
        ("policy-end-port", f"{E0}.endPort"),
    ),
    ("endPort without port", _port({"endPort": 90}), ("policy-end-port", f"{E0}.endPort")),
    (
        "endPort too big",
        _port({"port": 100, "endPort": 70000}),
        ("policy-end-port", f"{E0}.endPort"),
    ),
    ("ipBlock", _from({"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}), None),
    (
        "ipBlock v6",
        _from({"ipBlock": {"cidr": "2001:db8::/32", "except": ["2001:db8:1::/48"]}}),
        None,
    ),
    (
        "cidr not a cidr",
        _from({"ipBlock": {"cidr": "10.0.0.0"}}),
        ("policy-cidr", f"{F0}.ipBlock.cidr"),
    ),
    (
        "cidr host bits",
        _from({"ipBlock": {"cidr": "10.0.0.1/8"}}),
        ("policy-cidr", f"{F0}.ipBlock.cidr"),
    ),
    (
        "cidr leading zero",
        _from({"ipBlock": {"cidr": "10.0.0.0/08"}}),
        ("policy-cidr", f"{F0}.ipBlock.cidr"),
    ),
    (
        "cidr v4-mapped",
        _from({"ipBlock": {"cidr": "::ffff:10.0.0.0/104"}}),
        ("policy-cidr", f"{F0}.ipBlock.cidr"),
    ),
    (
        "cidr prefix too long",
        _from({"ipBlock": {"cidr": "10.0.0.0/33"}}),
        ("policy-cidr", f"{F0}.ipBlock.cidr"),
    ),
    (
        "except outside",
        _from({"ipBlock": {"cidr": "10.0.0.0/8", "except": ["11.0.0.0/16"]}}),
        ("policy-cidr-except", f"{F0}.ipBlock.except[0]"),
    ),
    (
        "except equal",
        _from({"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.0.0.0/8"]}}),
        ("policy-cidr-except", f"{F0}.ipBlock.except[0]"),
    ),
    (
        "except other family",
        _from({"ipBlock": {"cidr": "10.0.0.0/8", "except": ["::/120"]}}),
        ("policy-cidr-except", f"{F0}.ipBlock.except[0]"),
    ),
    (
        "except invalid",
        _from({"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.1/16"]}}),
        ("policy-cidr", f"{F0}.ipBlock.except[0]"),
    ),
    (
        "ipBlock and a selector",
        _from({"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}}),
        ("policy-peer", F0),
    ),
    (
        "selectors",
        _from(
            {
                "namespaceSelector": {"matchLabels": {"team": "a"}},
                "podSelector": {
                    "matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]
                },
            }
        ),
        None,
    ),
    (
        "selector value invalid",
        _from(
            {
                "podSelector": {
                    "matchExpressions": [{"key": "app", "operator": "In", "values": ["-web"]}]
                }
            }
        ),
        ("label-selector", f"{F0}.podSelector.matchExpressions[0].values[0]"),
    ),
    (
        "selector operator Gt",
        _from(
            {"podSelector": {"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}}
        ),
        ("label-selector", f"{F0}.podSelector.matchExpressions[0].operator"),
    ),
    (
        "selector In without values",
        _from({"namespaceSelector": {"matchExpressions": [{"key": "a", "operator": "In"}]}}),
        ("label-selector", f"{F0}.namespaceSelector.matchExpressions[0].values"),
    ),
    (
        "selector Exists with values",
        _policy(
            {
                "podSelector": {
                    "matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]
                }
            }
        ),
        ("label-selector", "spec.podSelector.matchExpressions[0].values"),
    ),
    (
        "selector key invalid",
        _policy({"podSelector": {"matchExpressions": [{"key": "a/b/c", "operator": "Exists"}]}}),
        ("label-selector", "spec.podSelector.matchExpressions[0].key"),
    ),
    (
        "matchLabels value invalid",
        _policy({"podSelector": {"matchLabels": {"app": "-x"}}}),
        ("label-selector", "spec.podSelector.matchLabels"),
    ),
    # Service
    ("loadBalancerClass", _service({**LB, "loadBalancerClass": "example.com/lb"}), None),
    (
        "loadBalancerClass on ClusterIP",
        _service({"loadBalancerClass": "example.com/lb"}),
        ("service-load-balancer-class", "spec.loadBalancerClass"),
    ),
    (
        "loadBalancerClass invalid",
        _service({**LB, "loadBalancerClass": "a/b/c"}),
        ("service-load-balancer-class", "spec.loadBalancerClass"),
    ),
    (
        "allocateLoadBalancerNodePorts on NodePort",
        _service({"type": "NodePort", "allocateLoadBalancerNodePorts": False}),
        ("service-allocate-node-ports", "spec.allocateLoadBalancerNodePorts"),
    ),
    ("appProtocol", _service({"ports": [{"port": 80, "appProtocol": "kubernetes.io/h2c"}]}), None),
    (
        "appProtocol invalid",
        _service({"ports": [{"port": 80, "appProtocol": "-http"}]}),
        ("service-app-protocol", "spec.ports[0].appProtocol"),
    ),
    (
        "affinity timeout",
        _service({**CLIENT_IP, "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 86400}}}),
        None,
    ),
    (
        "affinity timeout zero",
        _service({**CLIENT_IP, "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 0}}}),
        ("service-session-affinity-config", "spec.sessionAffinityConfig.clientIP.timeoutSeconds"),
    ),
    (
        "affinity timeout over a day",
        _service({**CLIENT_IP, "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 86401}}}),
        ("service-session-affinity-config", "spec.sessionAffinityConfig.clientIP.timeoutSeconds"),
    ),
    ("healthCheckNodePort", _service({**LOCAL, "healthCheckNodePort": 31000}), None),
    (
        "healthCheckNodePort on NodePort",
        _service({"type": "NodePort", "healthCheckNodePort": 31000}),
        ("service-health-check-node-port", "spec.healthCheckNodePort"),
    ),
    (
        "healthCheckNodePort, Cluster policy",
        _service({**LB, "healthCheckNodePort": 31000}),
        ("service-health-check-node-port", "spec.healthCheckNodePort"),
    ),
    (
        "healthCheckNodePort too big",
        _service({**LOCAL, "healthCheckNodePort": 70000}),
        ("service-health-check-node-port", "spec.healthCheckNodePort"),
    ),
    ("trafficDistribution", _service({"trafficDistribution": "PreferSameZone"}), None),
    (
        "trafficDistribution unknown",
        _service({"trafficDistribution": "Nearest"}),
        ("service-traffic-distribution", "spec.trafficDistribution"),
    ),
    ("clusterIPs", _service({"clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"]}), None),
    ("headless with a family", _service({"clusterIP": "None", "ipFamilies": ["IPv4"]}), None),
    (
        "clusterIPs first differs",
        _service({"clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.11"]}),
        ("service-cluster-ips", "spec.clusterIPs"),
    ),
    (
        "clusterIPs without clusterIP",
        _service({"clusterIPs": ["10.96.0.11"]}),
        ("service-cluster-ips", "spec.clusterIPs"),
    ),
    (
        "clusterIPs second invalid",
        _service({"clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10", "x"]}),
        ("service-cluster-ips", "spec.clusterIPs[1]"),
    ),
    (
        "clusterIPs two IPv4",
        _service({"clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10", "10.96.0.11"]}),
        ("service-cluster-ips", "spec.clusterIPs"),
    ),
    (
        "clusterIPs three",
        _service(
            {"clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10", "fd00::1", "10.96.0.11"]}
        ),
        ("service-cluster-ips", "spec.clusterIPs"),
    ),
    (
        "clusterIPs None and more",
        _service({"clusterIP": "None", "clusterIPs": ["None", "10.96.0.1"]}),
        ("service-cluster-ips", "spec.clusterIPs"),
    ),
    (
        "clusterIP against ipFamilies",
        _service({"clusterIP": "10.96.0.10", "ipFamilies": ["IPv6"]}),
        ("service-cluster-ips", "spec.clusterIPs[0]"),
    ),
    (
        "ExternalName with clusterIP None",
        _service({"type": "ExternalName", "externalName": "db.example.com", "clusterIP": "None"}),
        ("service-cluster-ips", "spec.clusterIPs"),
    ),
    (
        "ExternalName with ipFamilies",
        _service(
            {"type": "ExternalName", "externalName": "db.example.com", "ipFamilies": ["IPv4"]}
        ),
        ("service-ip-family", "spec.ipFamilies"),
    ),
    (
        "ExternalName with ipFamilyPolicy",
        _service(
            {
                "type": "ExternalName",
                "externalName": "db.example.com",
                "ipFamilyPolicy": "SingleStack",
            }
        ),
        ("service-ip-family", "spec.ipFamilyPolicy"),
    ),
]


def _podgen(obj: Any) -> tuple[list[tuple[str, str]], list[str]]:
    """podgen's errors (rule, path) and its warnings' rules."""
    found = list(violations(copy.deepcopy(obj)))
    errors = [(v.rule, v.path) for v in found if v.rule not in STRICTER_THAN_THE_API_SERVER]
    return errors, [v.rule for v in found if v.rule in STRICTER_THAN_THE_API_SERVER]


@pytest.mark.parametrize(("case", "obj", "expected"), CASES, ids=[c[0] for c in CASES])
def test_podgen_and_the_server_agree(
    api_server: ApiServer, case: str, obj: Any, expected: tuple[str, str] | None
) -> None:
    errors, _ = _podgen(obj)
    verdict = api_server.verdict(obj)
    if expected is None:
        assert errors == [], case
        assert verdict.accepted, (case, verdict.message)
        return
    assert errors == [expected], case
    assert not verdict.accepted, case
    assert expected[1] in [cause.get("field") for cause in verdict.causes], (case, verdict.causes)


def test_a_session_affinity_config_without_client_ip_is_a_warning(api_server: ApiServer) -> None:
    # The server drops sessionAffinityConfig unless sessionAffinity is ClientIP (even an
    # invalid one): podgen says so as a warning of its own, never an error.
    obj = _service({"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 0}}})
    assert _podgen(obj) == ([], ["service-session-affinity-config-ignored"])
    assert api_server.verdict(obj).accepted


def test_an_empty_peer_is_refused(api_server: ApiServer) -> None:
    obj = _from({})
    assert _podgen(obj) == ([("policy-peer", F0)], [])
    verdict = api_server.verdict(obj)
    assert [cause["field"] for cause in verdict.causes] == [F0]


def _agree(api_server: ApiServer, obj: Any) -> None:
    """The server refuses exactly when podgen reports errors, on the same fields."""
    errors, _ = _podgen(obj)
    verdict = api_server.verdict(obj)
    assert verdict.accepted == (not errors), (obj, errors, verdict.causes)
    assert {path for _, path in errors} == {cause["field"] for cause in verdict.causes}, (
        obj,
        errors,
        verdict.causes,
    )


_octet = st.sampled_from(["0", "1", "10", "01", "127", "192", "255", "256"])
_ipv4 = st.builds(lambda *o: ".".join(o), _octet, _octet, _octet, _octet)
_ipv6 = st.sampled_from(["::", "2001:db8::", "2001:db8::1", "fd00:1::", "::ffff:10.0.0.0", "x::"])
_cidr = st.builds(
    lambda ip, prefix: f"{ip}/{prefix}",
    st.one_of(_ipv4, _ipv6),
    st.sampled_from(["0", "8", "08", "16", "24", "32", "33", "64", "104", "129", ""]),
) | st.sampled_from(["10.0.0.0", "", "a/8"])


@settings(max_examples=150, deadline=None)
@given(cidr=_cidr, excepted=st.lists(_cidr, max_size=2))
def test_generated_ip_blocks_agree_with_the_server(
    api_server: ApiServer, cidr: str, excepted: list[str]
) -> None:
    _agree(api_server, _from({"ipBlock": {"cidr": cidr, "except": excepted}}))


_path_text = st.text(alphabet="/.a%2fF-", max_size=8)
_path_type = st.sampled_from(["Exact", "Prefix", "ImplementationSpecific", "Regex"])


@settings(max_examples=150, deadline=None)
@given(text=_path_text, path_type=_path_type)
def test_generated_ingress_paths_agree_with_the_server(
    api_server: ApiServer, text: str, path_type: str
) -> None:
    _agree(api_server, _path(text, path_type))


@settings(max_examples=150, deadline=None)
@given(host=st.text(alphabet="a1*.-A:", min_size=1, max_size=10), tls=st.booleans())
def test_generated_ingress_hosts_agree_with_the_server(
    api_server: ApiServer, host: str, tls: bool
) -> None:
    if tls:
        _agree(api_server, _ingress({"defaultBackend": BACKEND, "tls": [{"hosts": [host]}]}))
    else:
        _agree(api_server, _host(host))


@settings(max_examples=100, deadline=None)
@given(
    port=st.one_of(st.none(), st.integers(-1, 70000), st.sampled_from(["dns", "DNS", "a--b", "9"])),
    end=st.one_of(st.none(), st.integers(-1, 70000)),
    protocol=st.sampled_from([None, "TCP", "UDP", "SCTP", "tcp"]),
)
def test_generated_policy_ports_agree_with_the_server(
    api_server: ApiServer, port: Any, end: Any, protocol: Any
) -> None:
    item = {
        k: v for k, v in (("port", port), ("endPort", end), ("protocol", protocol)) if v is not None
    }
    _agree(api_server, _port(item))


@settings(max_examples=100, deadline=None)
@given(controller=st.text(alphabet="a.b/_ %-A", min_size=1, max_size=12))
def test_generated_ingress_class_controllers_agree_with_the_server(
    api_server: ApiServer, controller: str
) -> None:
    _agree(api_server, _class({"controller": controller}))


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("10.0.0.0/8", []),
        ("2001:db8::/32", []),
        ("10.0.0.0", ["must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"]),
        ("010.0.0.0/8", ["must not have leading 0s in IP or prefix length"]),
        ("10.0.0.1/8", ["must not have bits set beyond the prefix length"]),
    ],
)
def test_cidr_problems_speak_as_the_server(text: str, problems: list[str]) -> None:
    assert rules.cidr_problems(text) == problems
