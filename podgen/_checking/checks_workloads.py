"""The API server's rules for the kinds that run pods (pkg/apis/apps and batch validation).

Deployment, ReplicaSet, StatefulSet, DaemonSet and ReplicationController keep a set of pods
matching their selector, always restarting; a Job runs its pods to completion (restartPolicy
OnFailure or Never), and a CronJob makes Jobs on a schedule. Each checks its pod template with
the pod rules of `_checking.checks_pod`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import (
    Obj,
    Violation,
    check_enum,
    check_labels,
    check_metadata,
    check_nonnegative,
    check_requirement,
    check_rule,
    is_int,
    items_at,
)
from podgen._checking.checks_config import check_claim_spec
from podgen._checking.checks_jobs import cronjob_generated_labels, generated_labels, job_fields
from podgen._checking.checks_pod import check_pod_spec

#: The kinds that run pods besides Pod, and their apiVersions.
WORKLOAD_API_VERSIONS = {
    "Deployment": "apps/v1",
    "ReplicaSet": "apps/v1",
    "StatefulSet": "apps/v1",
    "DaemonSet": "apps/v1",
    "ReplicationController": "v1",
    "Job": "batch/v1",
    "CronJob": "batch/v1",
}
#: A CronJob's name becomes its Jobs' names plus an 11-character suffix.
CRONJOB_NAME_MAX = 52


def workload_spec(kind: str, spec: Obj, path: str, metadata: Obj) -> Iterator[Violation]:
    """Every rule the spec of a Deployment, Job, CronJob, ... breaks."""
    if kind == "Job":
        yield from _job_spec(spec, path, generated_selector=True)
        if spec.get("manualSelector") is not True:
            yield from generated_labels(spec, path, metadata.get("name"))
    elif kind == "CronJob":
        yield from _cronjob_spec(spec, path, metadata)
    else:
        yield from _replicas(spec, path)
        yield from _selected_pods(kind, spec, path)
        if kind == "StatefulSet":
            yield from _statefulset_spec(spec, path, metadata)
        elif kind == "DaemonSet":
            yield from _daemonset_strategy(spec.get("updateStrategy"), f"{path}.updateStrategy")
        elif kind == "Deployment":
            yield from _deployment_strategy(spec.get("strategy"), f"{path}.strategy")
            deadline, ready = spec.get("progressDeadlineSeconds"), spec.get("minReadySeconds", 0)
            if is_int(deadline) and is_int(ready) and deadline <= ready:
                yield Violation(
                    f"{path}.progressDeadlineSeconds",
                    deadline,
                    "must be greater than minReadySeconds",
                    "progress-deadline",
                )
        # No controller's pods may have a deadline; a Deployment's are its ReplicaSets'.
        deadline = ((spec.get("template") or {}).get("spec") or {}).get("activeDeadlineSeconds")
        if deadline is not None:
            owner = "ReplicaSet" if kind == "Deployment" else kind
            yield Violation(
                f"{path}.template.spec.activeDeadlineSeconds",
                deadline,
                f"Forbidden: activeDeadlineSeconds in {owner} is not Supported",
                "active-deadline-forbidden",
            )


def _statefulset_spec(spec: Obj, path: str, metadata: Obj) -> Iterator[Violation]:
    """ValidateStatefulSetSpec (apps), on the object as the API server defaults it."""
    name = metadata.get("name")
    if isinstance(name, str):  # a StatefulSet's name is its pods' hostnames' prefix
        yield from check_rule("metadata.name", name, _rules.is_dns1123_label(name), "name")
    service = spec.get("serviceName")
    if isinstance(service, str) and service:
        yield from check_rule(
            f"{path}.serviceName",
            service,
            _rules.is_dns1123_label(service),
            "statefulset-service-name",
        )
    policy = spec.get("podManagementPolicy")  # defaulted: OrderedReady
    if policy and policy not in ("OrderedReady", "Parallel"):
        yield Violation(
            f"{path}.podManagementPolicy",
            policy,
            "must be 'OrderedReady' or 'Parallel'",
            "statefulset-pod-management-policy",
        )
    strategy = spec.get("updateStrategy")
    strategy = strategy if isinstance(strategy, Mapping) else {}
    kind = strategy.get("type") or "RollingUpdate"  # defaulted
    rolling = strategy.get("rollingUpdate")
    at = f"{path}.updateStrategy"
    if kind == "OnDelete" and rolling is not None:
        yield Violation(
            f"{at}.rollingUpdate",
            rolling,
            "only allowed for updateStrategy 'RollingUpdate'",
            "update-strategy",
        )
    elif kind not in ("OnDelete", "RollingUpdate"):
        yield Violation(at, strategy, "must be 'RollingUpdate' or 'OnDelete'", "update-strategy")
    elif isinstance(rolling, Mapping):
        yield from check_nonnegative(rolling, "partition", f"{at}.rollingUpdate", "update-strategy")
        unavailable = rolling.get("maxUnavailable")
        if unavailable is not None:
            field = f"{at}.rollingUpdate.maxUnavailable"
            yield from _int_or_percent(unavailable, field)
            if _int_or_percent_value(unavailable) == 0:
                yield Violation(field, unavailable, "cannot be 0", "update-strategy")
    yield from _claim_volumes(spec, path)
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    retention = retention if isinstance(retention, Mapping) else {}
    for field in ("whenDeleted", "whenScaled"):
        yield from check_enum(
            retention,
            field,
            f"{path}.persistentVolumeClaimRetentionPolicy",
            ("Retain", "Delete"),
            "statefulset-claim-retention",
            defaulted=True,
        )
    ordinals = spec.get("ordinals")
    if isinstance(ordinals, Mapping):
        yield from check_nonnegative(ordinals, "start", f"{path}.ordinals", "ordinals")
    for at, claim in items_at(spec, "volumeClaimTemplates", path):
        yield from check_claim_spec(claim.get("spec") or {}, f"{at}.spec")
    yield from _claim_names(spec, path)


#: podgen's rules on claim names, stricter than the API server's (validate warns).
CLAIM_RULES = ("statefulset-claim-duplicate", "statefulset-claim-replaces-volume")


def _claim_names(spec: Obj, path: str) -> Iterator[Violation]:
    """Claims of one name, and a claim named like a pod volume: the server takes both.

    The StatefulSet controller keeps one claim per name (the last template of the name)
    and puts it in place of the pod's volume of that name (`updateStorage`), so a second
    template or that volume is silently unused: podgen refuses to write it.
    """
    claims: dict[str, str] = {}
    for at, claim in items_at(spec, "volumeClaimTemplates", path):
        meta = claim.get("metadata")
        name = meta.get("name") if isinstance(meta, Mapping) else None
        if not isinstance(name, str) or not name:
            continue
        if name in claims:
            yield Violation(f"{at}.metadata.name", name, "Duplicate value", CLAIM_RULES[0])
        claims.setdefault(name, at)
    template = spec.get("template")
    pod_spec = template.get("spec") if isinstance(template, Mapping) else None
    if not claims or not isinstance(pod_spec, Mapping):
        return
    for at, volume in items_at(pod_spec, "volumes", f"{path}.template.spec"):
        name = volume.get("name")
        if isinstance(name, str) and name in claims:
            yield Violation(
                f"{at}.name",
                name,
                f"the claim of {claims[name]} has this name: the StatefulSet controller "
                "puts the claim in this volume's place",
                CLAIM_RULES[1],
            )


def _claim_volumes(spec: Obj, path: str) -> Iterator[Violation]:
    """The claim templates' names, as the API server checks them: as the pods' volumes.

    Before the pod rules run, each claim name becomes a volume ahead of the template's own
    (which keep only names no claim has), so a claim's name is a volume's name (a DNS label).
    The server takes the claims from a map, in no fixed order: with several, the index it
    names varies from one request to the next; podgen names them in the claims' order.
    Their PVC specs are the PersistentVolumeClaim rules'.
    """
    names: list[object] = []
    for claim in spec.get("volumeClaimTemplates") or []:
        meta = claim.get("metadata") if isinstance(claim, Mapping) else None
        name = (meta.get("name") if isinstance(meta, Mapping) else None) or ""
        if isinstance(claim, Mapping) and name not in names:
            names.append(name)
    for index, name in enumerate(names):
        at = f"{path}.template.spec.volumes[{index}]"
        if not isinstance(name, str):
            continue
        if not name:
            yield Violation(f"{at}.name", name, "Required value", "volume-name")
            yield Violation(
                f"{at}.persistentVolumeClaim.claimName", name, "Required value", "volume-source"
            )
        else:
            yield from check_rule(f"{at}.name", name, _rules.is_dns1123_label(name), "volume-name")


def _daemonset_strategy(strategy: object, path: str) -> Iterator[Violation]:
    """A DaemonSet's updateStrategy, defaulted: RollingUpdate, maxUnavailable 1, maxSurge 0."""
    strategy = strategy if isinstance(strategy, Mapping) else {}
    kind = strategy.get("type") or "RollingUpdate"
    if kind not in ("RollingUpdate", "OnDelete"):
        yield Violation(
            path, strategy, 'supported values: "RollingUpdate", "OnDelete"', "update-strategy"
        )
        return
    rolling = strategy.get("rollingUpdate")
    if kind == "OnDelete" or not isinstance(rolling, Mapping):
        return
    unavailable = rolling.get("maxUnavailable", 1)
    surge = rolling.get("maxSurge", 0)
    for field, value in (("maxUnavailable", unavailable), ("maxSurge", surge)):
        yield from _int_or_percent(value, f"{path}.rollingUpdate.{field}")
    has_unavailable = _int_or_percent_value(unavailable) != 0
    has_surge = _int_or_percent_value(surge) != 0
    if has_unavailable and has_surge:
        yield Violation(
            f"{path}.rollingUpdate.maxSurge",
            surge,
            "may not be set when maxUnavailable is non-zero",
            "update-strategy",
        )
    elif not has_unavailable and not has_surge:
        yield Violation(
            f"{path}.rollingUpdate.maxUnavailable",
            unavailable,
            "Required value: cannot be 0 when maxSurge is 0",
            "update-strategy",
        )


def _deployment_strategy(strategy: object, path: str) -> Iterator[Violation]:
    """A Deployment's strategy, defaulted: RollingUpdate with maxUnavailable and maxSurge 25%."""
    strategy = strategy if isinstance(strategy, Mapping) else {}
    kind = strategy.get("type") or "RollingUpdate"
    rolling = strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            yield Violation(
                f"{path}.rollingUpdate",
                rolling,
                "Forbidden: may not be specified when strategy `type` is 'Recreate'",
                "update-strategy",
            )
        return
    if kind != "RollingUpdate":
        yield Violation(
            path, strategy, 'supported values: "Recreate", "RollingUpdate"', "update-strategy"
        )
        return
    if not isinstance(rolling, Mapping):
        return
    unavailable = rolling.get("maxUnavailable", "25%")
    surge = rolling.get("maxSurge", "25%")
    field = f"{path}.rollingUpdate.maxUnavailable"
    yield from _int_or_percent(unavailable, field)
    yield from _int_or_percent(surge, f"{path}.rollingUpdate.maxSurge", over_100=True)
    if _int_or_percent_value(unavailable) == 0 and _int_or_percent_value(surge) == 0:
        yield Violation(field, unavailable, "may not be 0 when `maxSurge` is 0", "update-strategy")


def _int_or_percent(value: object, path: str, over_100: bool = False) -> Iterator[Violation]:
    """ValidatePositiveIntOrPercent and, unless `over_100`, IsNotMoreThan100Percent."""
    if isinstance(value, str):
        if not _PERCENT.fullmatch(value):
            yield Violation(
                path,
                value,
                "a valid percent string must be a numeric string followed by an "
                "ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                "int-or-percent",
            )
        elif not over_100 and int(value[:-1]) > 100:
            yield Violation(path, value, "must not be greater than 100%", "int-or-percent")
    elif is_int(value) and value < 0:
        yield Violation(path, value, "must be greater than or equal to 0", "int-or-percent")


def _int_or_percent_value(value: object) -> int:
    if isinstance(value, str):
        return int(value[:-1]) if _PERCENT.fullmatch(value) else 0
    return value if is_int(value) else 0


_PERCENT = re.compile(r"[0-9]+%")


def _replicas(spec: Obj, path: str) -> Iterator[Violation]:
    for field in ("replicas", "minReadySeconds", "revisionHistoryLimit"):
        yield from check_nonnegative(spec, field, path, field)


def _selected_pods(kind: str, spec: Obj, path: str) -> Iterator[Violation]:
    """A controller's selector, its pod template matching it, and pods that always restart."""
    selector = spec.get("selector")
    if kind == "ReplicationController":  # a plain map, defaulted from the template's labels
        match_labels = selector if isinstance(selector, Mapping) and selector else None
        expressions = None
    else:
        match_labels = selector.get("matchLabels") if isinstance(selector, Mapping) else None
        expressions = selector.get("matchExpressions") if isinstance(selector, Mapping) else None
        if not match_labels and not expressions:
            yield Violation(
                f"{path}.selector",
                selector,
                f"empty selector is invalid for {kind.lower()}",
                "selector-empty",
            )
        yield from check_labels(match_labels, f"{path}.selector.matchLabels", "label")
        for requirement_path, requirement in items_at(
            selector if isinstance(selector, Mapping) else {},
            "matchExpressions",
            f"{path}.selector",
        ):
            yield from check_requirement(requirement, requirement_path, "selector-requirement")
    template = spec.get("template")
    if not isinstance(template, Mapping):
        yield Violation(f"{path}.template", template, "Required value", "template-required")
        return
    raw_meta = template.get("metadata")
    template_meta: Obj = raw_meta if isinstance(raw_meta, Mapping) else {}
    yield from _template_metadata(template_meta, f"{path}.template.metadata")
    template_labels = template_meta.get("labels") or {}
    if (
        isinstance(match_labels, Mapping)
        and any(template_labels.get(k) != v for k, v in match_labels.items())
    ) or not _expressions_match(expressions, template_labels):
        yield Violation(
            f"{path}.template.metadata.labels",
            template_labels,
            "`selector` does not match template `labels`",
            "selector-mismatch",
        )
    claims = frozenset(
        str((claim.get("metadata") or {}).get("name"))
        for claim in spec.get("volumeClaimTemplates") or []
        if isinstance(claim, Mapping)
    )
    yield from _pod_template_spec(template, f"{path}.template", ("Always",), claims)


def _template_metadata(metadata: object, path: str) -> Iterator[Violation]:
    """ValidatePodTemplateSpec on a template's labels and annotations (every kind's).

    Its name and namespace are never used (the pods get names of their own), so any value
    passes.
    """
    if isinstance(metadata, Mapping):
        yield from check_metadata(
            {k: v for k, v in metadata.items() if k not in ("name", "namespace")},
            path,
            _rules.is_dns1123_subdomain,
            required_name=False,
        )


def _job_template_metadata(metadata: object, path: str) -> Iterator[Violation]:
    """A CronJob's jobTemplate.metadata: the server takes any labels and annotations there.

    Each Job the CronJob makes gets them as its own, and the server refuses that Job: every
    run would fail. `new` and `render` refuse them; validate warns (STRICTER_THAN_THE_API_SERVER).
    """
    if isinstance(metadata, Mapping):
        wrong = check_metadata(
            {k: v for k, v in metadata.items() if k in ("labels", "annotations")},
            path,
            _rules.is_dns1123_subdomain,
            required_name=False,
        )
        for violation in wrong:
            reason = f"{violation.reason} (the server would refuse every Job this CronJob makes)"
            yield violation._replace(reason=reason, rule="job-template-metadata")


def _pod_template_spec(
    template: Obj,
    path: str,
    restart_policies: tuple[str, ...],
    claims: frozenset[str] = frozenset(),
) -> Iterator[Violation]:
    pod_spec = template.get("spec")
    if not isinstance(pod_spec, Mapping):
        yield Violation(f"{path}.spec", pod_spec, "Required value", "template-required")
        return
    yield from check_pod_spec(pod_spec, f"{path}.spec", claims)
    # The API server defaults an unset restartPolicy to Always before it checks.
    policy = pod_spec.get("restartPolicy") or "Always"
    if policy not in restart_policies:
        supported = ", ".join(f'"{p}"' for p in restart_policies)
        yield Violation(
            f"{path}.spec.restartPolicy", policy, f"supported values: {supported}", "restart-policy"
        )


def _job_spec(spec: Obj, path: str, *, generated_selector: bool) -> Iterator[Violation]:
    # ValidateJobSpec: each ValidateNonnegativeField, activeDeadlineSeconds too (a Job's may be
    # 0; only a pod's must be positive).
    for field in (
        "parallelism",
        "completions",
        "backoffLimit",
        "activeDeadlineSeconds",
        "ttlSecondsAfterFinished",
    ):
        yield from check_nonnegative(spec, field, path, "job-count")
    template = spec.get("template")
    if not isinstance(template, Mapping):
        yield Violation(f"{path}.template", template, "Required value", "template-required")
        return
    yield from _template_metadata(template.get("metadata"), f"{path}.template.metadata")
    yield from _pod_template_spec(template, f"{path}.template", ("OnFailure", "Never"))
    yield from job_fields(spec, path, generated_selector=generated_selector)
    if generated_selector and spec.get("manualSelector") is True:
        yield from _manual_selector_matches(spec.get("selector"), template, path)


def _manual_selector_matches(selector: object, template: Obj, path: str) -> Iterator[Violation]:
    """A Job's own selector (manualSelector) must select its pods; none selects nothing."""
    meta = template.get("metadata")
    labels = (meta.get("labels") if isinstance(meta, Mapping) else None) or {}
    matches = isinstance(selector, Mapping) and bool(selector)
    if isinstance(selector, Mapping):
        match_labels = selector.get("matchLabels") or {}
        matches = matches and (
            isinstance(match_labels, Mapping)
            and all(labels.get(k) == v for k, v in match_labels.items())
            and _expressions_match(selector.get("matchExpressions"), labels)
        )
    if not matches:
        yield Violation(
            f"{path}.template.metadata.labels",
            labels or None,
            "`selector` does not match template `labels`",
            "selector-mismatch",
        )


def _cronjob_spec(spec: Obj, path: str, metadata: Obj) -> Iterator[Violation]:
    name = metadata.get("name")
    if isinstance(name, str) and len(name) > CRONJOB_NAME_MAX:
        yield Violation(
            "metadata.name", name, f"must be no more than {CRONJOB_NAME_MAX} characters", "name"
        )
    schedule = spec.get("schedule")
    if not isinstance(schedule, str) or not schedule:
        yield Violation(f"{path}.schedule", schedule, "Required value", "cron-schedule")
    else:
        for reason in _rules.cron_schedule_problems(schedule):
            yield Violation(f"{path}.schedule", schedule, reason, "cron-schedule")
    time_zone = spec.get("timeZone")
    if isinstance(time_zone, str) and not _rules.is_time_zone(time_zone):
        yield Violation(f"{path}.timeZone", time_zone, "unknown time zone", "cron-time-zone")
    policy = spec.get("concurrencyPolicy")
    if policy and policy not in ("Allow", "Forbid", "Replace"):  # "": defaulted to Allow
        yield Violation(
            f"{path}.concurrencyPolicy",
            policy,
            'supported values: "Allow", "Forbid", "Replace"',
            "cron-concurrency-policy",
        )
    for field in (
        "startingDeadlineSeconds",
        "successfulJobsHistoryLimit",
        "failedJobsHistoryLimit",
    ):
        yield from check_nonnegative(spec, field, path, field)
    job_template = spec.get("jobTemplate")
    if isinstance(job_template, Mapping):
        yield from _job_template_metadata(
            job_template.get("metadata"), f"{path}.jobTemplate.metadata"
        )
    job = job_template.get("spec") if isinstance(job_template, Mapping) else None
    if not isinstance(job, Mapping):
        yield Violation(f"{path}.jobTemplate.spec", job, "Required value", "template-required")
        return
    yield from _job_spec(job, f"{path}.jobTemplate.spec", generated_selector=False)
    yield from cronjob_generated_labels(job, f"{path}.jobTemplate.spec")


def _expressions_match(expressions: object, labels: Mapping[str, object]) -> bool:
    """Whether `labels` meet every matchExpressions requirement (the schema reports bad ones)."""
    for requirement in expressions if isinstance(expressions, list) else []:
        if not isinstance(requirement, Mapping):
            continue
        key, operator = str(requirement.get("key")), requirement.get("operator")
        values = requirement.get("values") or []
        present = key in labels
        value = labels.get(key)
        if (
            (operator == "In" and not (present and value in values))
            or (operator == "NotIn" and present and value in values)
            or (operator == "Exists" and not present)
            or (operator == "DoesNotExist" and present)
        ):
            return False
    return True
