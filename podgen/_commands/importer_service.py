"""Import of a Service: its fields in blueprint words (`services:`), or None to keep it whole."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


#: Service spec fields with blueprint words, and the words.
_SERVICE_WORDS = {
    "type": "type",
    "externalName": "externalName",
    "clusterIP": "clusterIP",
    "ipFamilyPolicy": "ipFamilyPolicy",
    "ipFamilies": "ipFamilies",
    "sessionAffinity": "sessionAffinity",
    "externalTrafficPolicy": "externalTrafficPolicy",
    "internalTrafficPolicy": "internalTrafficPolicy",
    "publishNotReadyAddresses": "publishNotReadyAddresses",
    "loadBalancerSourceRanges": "loadBalancerSourceRanges",
    "selector": "selector",
}
_PORT_WORDS = ("port", "targetPort", "protocol", "name", "nodePort", "appProtocol")


def service_entry(obj: dict[str, Any], skeleton: str, server: bool) -> dict[str, Any] | None:
    """The blueprint words for a Service; None if some field has none (it is kept whole).

    A port is a bare number where the skeleton writes it back as written: kubectl's writes
    its protocol (TCP) and targetPort (the port) out, a plain one only the port. A server's
    port means its defaults whether it shows them or not.
    """
    metadata, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    status: dict[str, Any] = {"status": {"loadBalancer": {}}} if skeleton == "kubectl" else {}
    if {
        k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata", "spec")
    } not in (
        {},
        status,
    ):
        return None
    if set(spec) - {*_SERVICE_WORDS, "ports"}:
        return None
    if set(metadata) - {"name", "namespace", "labels", "annotations"}:
        return None
    ports: list[Any] = []
    for port in spec.get("ports") or []:
        if set(port) - set(_PORT_WORDS):
            return None
        bare = (
            {"port": port["port"], "protocol": "TCP", "targetPort": port["port"]}
            if skeleton == "kubectl"
            else {"port": port["port"]}
        )
        defaults = {"protocol": "TCP", "targetPort": port["port"]} if server else {}
        if {**defaults, **port} == bare:
            ports.append(port["port"])  # `ports: [80]`
        else:
            ports.append({key: port[key] for key in _PORT_WORDS if key in port})
    result: dict[str, Any] = {"name": metadata["name"]}
    if ports:
        result["ports"] = ports
    for key, word in _SERVICE_WORDS.items():
        if key in spec:
            result[word] = spec[key]
    for key in ("labels", "annotations", "namespace"):
        if key in metadata:
            result[key] = metadata[key]
    return result
