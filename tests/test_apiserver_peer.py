"""The judge itself: the real kube-apiserver answers as tests/apiserver.py reads it."""

from __future__ import annotations

from tests.apiserver import ApiServer


def test_the_server_refuses_what_its_validation_refuses(api_server: ApiServer) -> None:
    verdict = api_server.verdict(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "My_Config"}}
    )
    assert not verdict.accepted and verdict.status == 422
    assert [cause["field"] for cause in verdict.causes] == ["metadata.name"]


def test_the_server_accepts_a_valid_object_in_any_namespace(api_server: ApiServer) -> None:
    obj = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "site", "namespace": "judge-check"},
        "data": {"index.html": "hello"},
    }
    assert api_server.verdict(obj).accepted


def test_strict_field_validation_and_warnings_come_back(api_server: ApiServer) -> None:
    container = {"name": "a", "image": "nginx", "ports": [{"containerPort": 80, "name": "http"}]}
    twin = {**container, "name": "b", "ports": [{"containerPort": 81, "name": "http"}]}
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}
    unknown = api_server.verdict({**pod, "spec": {"containers": [{**container, "bogus": 1}]}})
    assert not unknown.accepted and 'unknown field "spec.containers[0].bogus"' in unknown.message
    warned = api_server.verdict({**pod, "spec": {"containers": [container, twin]}})
    assert warned.accepted
    assert warned.warnings == [
        'spec.containers[1].ports[0]: duplicate port name "http" with spec.containers[0].ports[0],'
        " services and probes that select ports by name will use spec.containers[0].ports[0]"
    ]
    assert api_server.verdict({**pod, "apiVersion": "v9", "kind": "Nothing"}).status == 404
