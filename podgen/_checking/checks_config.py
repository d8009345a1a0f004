"""The API server's rules for configuration, storage and the cluster's policy objects.

ConfigMaps, Secrets, PersistentVolumeClaims, Namespaces, ServiceAccounts, StorageClasses,
PriorityClasses, LimitRanges and ResourceQuotas (pkg/apis/core, storage and scheduling
validation).
"""

from __future__ import annotations

from podgen._checking import rules as _rules
from podgen._checking.checks_base import KindRules

#: The kinds this module checks: their name rules and the rules on their fields.
KINDS: dict[tuple[str, str], KindRules] = {
    ("v1", "Namespace"): KindRules(_rules.is_dns1123_label),
}
