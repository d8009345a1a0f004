"""The API server's rules on a Job's own fields (pkg/apis/batch/validation: validateJobSpec).

podFailurePolicy (its rules' actions, exit codes and pod conditions, and the restartPolicy
Never it needs), the completion mode and what needs Indexed (successPolicy,
backoffLimitPerIndex, maxFailedIndexes), podReplacementPolicy, and manualSelector with its
selector, and the pod labels the server writes itself (job-name, controller-uid).
`_checking.checks_workloads` calls them for Jobs and CronJobs' job templates, on
the object as the API server defaults it (no parallelism and no completions: both 1).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from podgen._checking import rules as _rules
from podgen._checking.checks_base import Obj, Violation, check_enum, check_rule, is_int, items_at

_ACTIONS = ("Count", "FailIndex", "FailJob", "Ignore")
#: MaxParallelismForIndexedJob.
_MAX_INDEXED_PARALLELISM = 100000


def job_fields(spec: Obj, path: str, *, generated_selector: bool) -> Iterator[Violation]:
    """Every rule a Job's spec breaks on its own fields.

    `generated_selector`: a CronJob's Jobs get their selector from the controller, as a Job
    created without manualSelector does; a selector written without it is refused.
    """
    indexed = spec.get("completionMode") == "Indexed"
    yield from check_enum(
        spec, "completionMode", path, ("NonIndexed", "Indexed"), "job-completion-mode"
    )
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    if indexed:
        # Defaulting sets completions (and parallelism) to 1 when neither is written.
        if completions is None and parallelism is not None:
            yield Violation(
                f"{path}.completions",
                None,
                "Required value: when completion mode is Indexed",
                "job-completion-mode",
            )
        if is_int(parallelism) and parallelism > _MAX_INDEXED_PARALLELISM:
            yield Violation(
                f"{path}.parallelism",
                parallelism,
                f"must be less than or equal to {_MAX_INDEXED_PARALLELISM} when completion "
                "mode is Indexed",
                "job-completion-mode",
            )
    for key in ("backoffLimitPerIndex", "maxFailedIndexes", "successPolicy"):
        if spec.get(key) is not None and not indexed:
            yield Violation(
                f"{path}.{key}", spec[key], "requires indexed completion mode", "job-indexed-only"
            )
    failed = spec.get("maxFailedIndexes")
    if failed is not None and spec.get("backoffLimitPerIndex") is None:
        yield Violation(
            f"{path}.backoffLimitPerIndex",
            None,
            "Required value: when maxFailedIndexes is specified",
            "job-indexed-only",
        )
    if completions is None and parallelism is None:
        completions = 1  # defaulted
    if indexed and is_int(failed) and is_int(completions) and failed > completions:
        yield Violation(
            f"{path}.maxFailedIndexes",
            failed,
            "must be less than or equal to completions",
            "job-indexed-only",
        )
    policy = spec.get("podFailurePolicy")
    replacement = ("Failed",) if policy is not None else ("Failed", "TerminatingOrFailed")
    yield from check_enum(spec, "podReplacementPolicy", path, replacement, "job-pod-replacement")
    if isinstance(policy, Mapping):
        yield from _pod_failure_policy(policy, spec, path)
    yield from _selector(spec, path, generated_selector)


def _pod_failure_policy(policy: Obj, spec: Obj, path: str) -> Iterator[Violation]:
    at = f"{path}.podFailurePolicy"
    template = spec.get("template")
    pod = template.get("spec") if isinstance(template, Mapping) else None
    pod = pod if isinstance(pod, Mapping) else {}
    restart = pod.get("restartPolicy") or "Always"  # defaulted
    if restart != "Never":
        yield Violation(
            f"{path}.template.spec.restartPolicy",
            restart,
            'only "Never" is supported when podFailurePolicy is specified',
            "job-pod-failure-policy",
        )
    names = {
        c.get("name") for key in ("initContainers", "containers") for _, c in items_at(pod, key, "")
    }
    for rule_path, rule in items_at(policy, "rules", at):
        action = rule.get("action")
        if action not in _ACTIONS:
            yield from check_enum(rule, "action", rule_path, _ACTIONS, "job-pod-failure-policy")
        elif action == "FailIndex" and spec.get("backoffLimitPerIndex") is None:
            yield Violation(
                f"{rule_path}.action",
                action,
                "requires the backoffLimitPerIndex to be set",
                "job-pod-failure-policy",
            )
        codes, conditions = rule.get("onExitCodes"), rule.get("onPodConditions")
        if codes is None and conditions is None:
            yield Violation(
                rule_path,
                "",
                "specifying one of OnExitCodes and OnPodConditions is required",
                "job-pod-failure-policy",
            )
        elif codes is not None and conditions is not None:
            yield Violation(
                rule_path,
                "",
                "specifying both OnExitCodes and OnPodConditions is not supported",
                "job-pod-failure-policy",
            )
        if isinstance(codes, Mapping):
            yield from _exit_codes(codes, f"{rule_path}.onExitCodes", names)
        for condition_path, condition in items_at(rule, "onPodConditions", rule_path):
            yield from check_enum(
                condition,
                "status",
                condition_path,
                ("False", "True", "Unknown"),
                "job-pod-failure-policy",
            )
            kind = condition.get("type")
            if isinstance(kind, str):
                yield from check_rule(
                    f"{condition_path}.type",
                    kind,
                    _rules.is_qualified_name(kind),
                    "job-pod-failure-policy",
                )


def _exit_codes(codes: Obj, path: str, names: set[object]) -> Iterator[Violation]:
    """validatePodFailurePolicyRuleOnExitCodes: operator, containerName, values."""
    operator = codes.get("operator")
    yield from check_enum(codes, "operator", path, ("In", "NotIn"), "job-pod-failure-policy")
    name = codes.get("containerName")
    if name is not None and name not in names:
        yield Violation(
            f"{path}.containerName",
            name,
            "must be one of the container or initContainer names in the pod template",
            "job-pod-failure-policy",
        )
    values = codes.get("values")
    if not isinstance(values, list):
        return
    seen: set[int] = set()
    for index, value in enumerate(values):
        if not is_int(value):
            continue
        if operator == "In" and value == 0:
            yield Violation(
                f"{path}.values[{index}]",
                value,
                "must not be 0 for the In operator",
                "job-pod-failure-policy",
            )
        if value in seen:
            yield Violation(
                f"{path}.values[{index}]", value, "Duplicate value", "job-pod-failure-policy"
            )
        seen.add(value)
    numbers = [v for v in values if is_int(v)]
    if numbers != sorted(numbers):
        yield Violation(f"{path}.values", values, "must be ordered", "job-pod-failure-policy")


def _selector(spec: Obj, path: str, generated: bool) -> Iterator[Violation]:
    """A Job's selector only with manualSelector, and manualSelector only with a selector.

    A CronJob's job template may have neither: the controller writes its Jobs' selectors.
    """
    manual = spec.get("manualSelector")
    selector = spec.get("selector")
    if not generated:
        if selector is not None:
            yield Violation(
                f"{path}.selector",
                selector,
                "`selector` will be auto-generated",
                "job-manual-selector",
            )
        if manual is True:
            yield Violation(
                f"{path}.manualSelector",
                True,
                'Unsupported value: true: supported values: "nil", "false"',
                "job-manual-selector",
            )
    elif manual is True and selector is None:
        yield Violation(f"{path}.selector", None, "Required value", "job-manual-selector")
    elif selector is not None and manual is not True:
        yield Violation(
            f"{path}.selector", selector, "`selector` not auto-generated", "job-manual-selector"
        )


#: The labels the server gives a Job's pods (generateSelector), uid ones first, as it checks.
_UID_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid")
_NAME_LABELS = ("job-name", "batch.kubernetes.io/job-name")
#: The server names the uid it gave the Job, which no manifest can know.
UID_REASON = "must be '<uid>' (the uid the server gives the Job)"


def _template_labels(spec: Obj) -> Mapping[str, object]:
    template = spec.get("template")
    meta = template.get("metadata") if isinstance(template, Mapping) else None
    labels = meta.get("labels") if isinstance(meta, Mapping) else None
    return labels if isinstance(labels, Mapping) else {}


def generated_labels(spec: Obj, path: str, name: object) -> Iterator[Violation]:
    """ValidateGeneratedSelector: a Job's own pod labels the server writes must be its own.

    Without manualSelector the server adds job-name (its name) and controller-uid (the uid it
    gives the Job) to the pods' labels, keeping any written, and selects
    batch.kubernetes.io/controller-uid: a written uid is never the Job's.
    """
    labels = _template_labels(spec)
    at = f"{path}.template.metadata.labels"
    for uid_key, name_key in zip(_UID_LABELS, _NAME_LABELS, strict=True):
        if uid_key in labels:
            yield Violation(f"{at}[{uid_key}]", labels, UID_REASON, "job-generated-labels")
        if name_key in labels and isinstance(name, str) and labels[name_key] != name:
            yield Violation(
                f"{at}[{name_key}]", labels, f"must be '{name}'", "job-generated-labels"
            )
    if _UID_LABELS[1] in labels:
        yield Violation(
            at, labels, "`selector` does not match template `labels`", "selector-mismatch"
        )


def cronjob_generated_labels(spec: Obj, path: str) -> Iterator[Violation]:
    """A CronJob's Jobs get names and uids of their own: any such pod label refuses them all."""
    labels = _template_labels(spec)
    for key in (*_UID_LABELS, *_NAME_LABELS):
        if key in labels:
            what = "uid" if key in _UID_LABELS else "name"
            yield Violation(
                f"{path}.template.metadata.labels[{key}]",
                labels,
                f"must be each Job's {what}, which the CronJob's controller gives it "
                "(the server would refuse every Job this CronJob makes)",
                "job-template-metadata",
            )
