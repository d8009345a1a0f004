"""The rules a request (flags or a blueprint pod) must meet before it is built.

These are the checks across fields and against each kind that `_rendering.build` relies on:
they name the flag or blueprint key at fault (SpecError), where the API server's rules on the
rendered object (`_checking`) could only name the manifest field.
"""

from __future__ import annotations

from podgen._checking import rules as _rules
from podgen._errors import SpecError
from podgen._model.options import WORDS
from podgen._model.spec import Kind, PodRequest, Toleration

#: Which words apply to which kinds (`Word.where`), beyond the pod's own.
_WORD_KINDS = {
    "deployment": (Kind.DEPLOYMENT,),
    "job": (Kind.JOB, Kind.CRONJOB),
    "cronjob": (Kind.CRONJOB,),
}


def check_request(request: PodRequest) -> None:
    """Raise SpecError for the first rule a request breaks, before anything is built."""
    if not request.image:
        raise SpecError("image", "required")
    if not _rules.is_image_reference(request.image):
        raise SpecError("image", f'invalid image name "{request.image}": invalid reference format')
    if request.expose and request.port is None:
        raise SpecError("expose", "{port} must be set when exposing a service")
    if request.restart is not None and request.restart not in _rules.RESTART_POLICIES:
        raise SpecError(
            "restart",
            f"invalid restart policy: {request.restart}, "
            f"valid values are: {', '.join(_rules.RESTART_POLICIES)}",
        )
    if (
        request.image_pull_policy is not None
        and request.image_pull_policy not in _rules.IMAGE_PULL_POLICIES
    ):
        raise SpecError(
            "imagePullPolicy",
            f"invalid image pull policy: {request.image_pull_policy}, "
            f"valid values are: {', '.join(_rules.IMAGE_PULL_POLICIES)}",
        )
    if request.kind is Kind.DEPLOYMENT:
        if request.restart not in (None, "Always"):
            raise SpecError("restart", 'a Deployment\'s pods must use restartPolicy "Always"')
    else:
        for given, field in (
            (request.replicas is not None, "replicas"),
            (request.selector, "selector"),
            (request.pod_labels, "podLabels"),
            (request.pod_annotations, "podAnnotations"),
        ):
            if given:
                raise SpecError(field, "only applies with {kind} deployment")
    for word in WORDS:
        kinds = _WORD_KINDS.get(word.where)
        if kinds is not None and word.key in request.words and request.kind not in kinds:
            raise SpecError(word.key, f"only applies with {{kind}} {' or '.join(kinds)}")
    if request.kind in (Kind.JOB, Kind.CRONJOB):
        if request.restart == "Always":
            raise SpecError(
                "restart",
                f"a {request.kind.value}'s pods must use restartPolicy OnFailure or Never",
            )
        if request.expose:
            raise SpecError("expose", "only applies with {kind} pod or deployment")
    if request.kind is Kind.CRONJOB:
        if not request.schedule:
            raise SpecError("schedule", "required with {kind} cronjob")
        problems = _rules.cron_schedule_problems(request.schedule)
        if problems:
            raise SpecError("schedule", f"invalid schedule {request.schedule!r}: {problems[0]}")
    elif request.schedule is not None:
        raise SpecError("schedule", "only applies with {kind} cronjob")
    if request.secure and request.privileged:
        raise SpecError("secure", "conflicts with {privileged} (the restricted profile forbids it)")
    if request.grace_period is not None and request.grace_period < 0:
        raise SpecError("gracePeriod", f"must be 0 or more seconds, not {request.grace_period}")
    for key, value in (
        ("nodeName", request.node_name),
        ("serviceAccount", request.service_account),
    ):
        if value is not None:
            reasons = _rules.is_dns1123_subdomain(value)
            if reasons:
                raise SpecError(key, f"{value!r}: {'; '.join(reasons)}")
    for item in request.tolerations:
        _check_toleration(item)
    _check_resources(request)


def _check_resources(request: PodRequest) -> None:
    for key, quantities in (
        ("resources.requests", request.requests),
        ("resources.limits", request.limits),
    ):
        for name, amount in quantities.items():
            if _rules.is_qualified_name(name):
                raise SpecError(key, f"{name!r} is not a resource name")
            value = _rules.quantity_value(amount)
            if value is None:
                raise SpecError(
                    key, f"{name}={amount!r} is not a quantity (e.g. 100m, 0.5, 128Mi, 1G)"
                )
            if value < 0:
                raise SpecError(key, f"{name}={amount} must not be negative")
            if name == "memory" and value != value.to_integral_value():
                raise SpecError(key, f"memory={amount} is a fraction of a byte")
    for name, request_amount in request.requests.items():
        limit = request.limits.get(name)
        if limit is None:
            continue
        asked, most = _rules.quantity_value(request_amount), _rules.quantity_value(limit)
        if asked is not None and most is not None and asked > most:
            raise SpecError(
                "resources.requests",
                f"{name}={request_amount} is more than its limit {name}={limit} "
                "({resources.limits})",
            )


def _check_toleration(toleration: Toleration) -> None:
    reasons = _rules.is_qualified_name(toleration.key)
    if reasons:
        raise SpecError("tolerations", f"key {toleration.key!r}: {'; '.join(reasons)}")
    if toleration.value is not None:
        reasons = _rules.is_valid_label_value(toleration.value)
        if reasons:
            raise SpecError("tolerations", f"value {toleration.value!r}: {'; '.join(reasons)}")
    if toleration.effect not in _rules.TAINT_EFFECTS:
        raise SpecError(
            "tolerations",
            f"effect {toleration.effect!r} must be one of {', '.join(_rules.TAINT_EFFECTS)}",
        )
    if toleration.seconds is not None:
        if toleration.effect != "NoExecute":
            raise SpecError("tolerations", "seconds only apply to the NoExecute effect")
        if toleration.seconds < 0:
            raise SpecError("tolerations", f"seconds must be 0 or more, not {toleration.seconds}")
