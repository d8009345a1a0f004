"""The API server's rules for RBAC: Roles, ClusterRoles and their bindings.

Ports from pkg/apis/rbac/validation.
"""

from __future__ import annotations

from podgen._checking.checks_base import KindRules

#: The kinds this module checks: their name rules and the rules on their fields.
KINDS: dict[tuple[str, str], KindRules] = {}
