"""Each built-in kind's name rule (its ValidateXName upstream), for every kind the schema knows.

Most kinds take NameIsDNSSubdomain; Namespaces (and StatefulSets and Services, whose own
modules say so) a DNS label; RBAC objects, PodDisruptionBudgets and core Events a path segment
(IsValidPathSegmentName); an IPAddress its address in canonical form; reviews and
CertificateSigningRequests nothing at all. Each was checked against the real API server.
Kinds with field rules of their own declare them in their area's module, which overrides
these entries in `checks.kinds()`.
"""

from __future__ import annotations

import functools

from podgen._checking import k8s_schema
from podgen._checking import rules as _rules
from podgen._checking.checks_base import KindRules
from podgen._model import versions

_RBAC = "rbac.authorization.k8s.io/v1"

#: Kinds the API server only answers, never stores: no name needed, none checked.
NAMELESS = frozenset(
    {
        ("authentication.k8s.io/v1", "SelfSubjectReview"),
        ("authentication.k8s.io/v1", "TokenReview"),
        ("authorization.k8s.io/v1", "LocalSubjectAccessReview"),
        ("authorization.k8s.io/v1", "SelfSubjectAccessReview"),
        ("authorization.k8s.io/v1", "SelfSubjectRulesReview"),
        ("authorization.k8s.io/v1", "SubjectAccessReview"),
    }
)


#: Kinds whose names follow another rule than NameIsDNSSubdomain, by (apiVersion, kind).
OTHER_NAME_RULES = {
    ("v1", "Namespace"): _rules.is_dns1123_label,
    ("apps/v1", "StatefulSet"): _rules.is_dns1123_label,
    ("v1", "Service"): _rules.is_dns1123_label,
    **{
        (_RBAC, kind): _rules.is_path_segment_name
        for kind in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
    },
    ("policy/v1", "PodDisruptionBudget"): _rules.is_path_segment_name,
    ("v1", "Event"): _rules.is_path_segment_name,
    ("networking.k8s.io/v1", "IPAddress"): _rules.is_canonical_ip,
    # ValidateCertificateRequestName accepts any name; a ClusterTrustBundle's holds its signer's
    # colons; subresources (Binding, Scale, Eviction, TokenRequest) and a StorageVersion are
    # named by what they belong to.
    ("certificates.k8s.io/v1", "CertificateSigningRequest"): _rules.no_name_rule,
    ("certificates.k8s.io/v1", "ClusterTrustBundle"): _rules.no_name_rule,
    ("certificates.k8s.io/v1beta1", "ClusterTrustBundle"): _rules.no_name_rule,
    ("v1", "Binding"): _rules.no_name_rule,
    ("v1", "ComponentStatus"): _rules.no_name_rule,
    ("autoscaling/v1", "Scale"): _rules.no_name_rule,
    ("policy/v1", "Eviction"): _rules.no_name_rule,
    ("lifecycle.k8s.io/v1alpha1", "Eviction"): _rules.no_name_rule,
    ("lifecycle.k8s.io/v1alpha1", "EvictionRequest"): _rules.no_name_rule,
    ("authentication.k8s.io/v1", "TokenRequest"): _rules.no_name_rule,
    ("internal.apiserver.k8s.io/v1alpha1", "StorageVersion"): _rules.no_name_rule,
    **dict.fromkeys(NAMELESS, _rules.no_name_rule),
}


def kind_rules(api_version: str, kind: str) -> KindRules | None:
    """The name rule, with no field rules, of a built-in kind; None for any other kind."""
    if f"{api_version}/{kind}" not in _built_in(versions.target()):
        return None
    return KindRules(OTHER_NAME_RULES.get((api_version, kind), _rules.is_dns1123_subdomain))


@functools.cache
def _built_in(version: str) -> frozenset[str]:
    return frozenset(k8s_schema.kinds(version))
