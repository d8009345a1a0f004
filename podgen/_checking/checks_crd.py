"""The API server's rules for CustomResourceDefinitions (apiextensions validation).

The registry only: the rules load when a CRD is checked, so validating other kinds never
pays for them. `checks_crd_spec` holds the CRD's own rules (name, group, names, versions,
subresources, printer columns, selectable fields, conversion), `checks_crd_schema`,
`checks_crd_structural` (with `checks_crd_regex` for patterns) and `checks_crd_defaults`
those of each version's openAPIV3Schema.
"""

from __future__ import annotations

from collections.abc import Iterator

from podgen._checking import rules as _rules
from podgen._checking.checks_base import KindRules, Obj, Violation


def _crd(obj: Obj) -> Iterator[Violation]:
    from podgen._checking.checks_crd_spec import check_crd

    yield from check_crd(obj)


#: The kinds this module checks: their name rules and the rules on their fields.
KINDS: dict[tuple[str, str], KindRules] = {
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"): KindRules(
        _rules.is_dns1123_subdomain, _crd
    ),
}
