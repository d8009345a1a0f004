"""The rules a request (flags or a blueprint pod) must meet before it is built.

These are the checks across fields and against each kind that `_building.build` relies on:
they name the flag or blueprint key at fault (SpecError), where the API server's rules on the
rendered object (`_checking`) could only name the manifest field.
"""

from __future__ import annotations

from podgen._checking import rules as _rules
from podgen._errors import SpecError, go_quote, quoted
from podgen._model.options import OPTIONS, POD_KINDS
from podgen._model.spec import DEFAULT_VOLUME_NAME, Kind, Pattern, PodRequest, Toleration
from podgen._model.words import WORDS

#: The options (with a request field) that apply to some kinds only: --replicas, --schedule, ...
_KIND_OPTIONS = [
    (o.key, o.field, o.kinds)
    for o in OPTIONS
    if o.kinds != POD_KINDS and o.key and o.field and o.field != "words"
]


def check_request(request: PodRequest) -> None:
    """Raise SpecError for the first rule a request breaks, before anything is built."""
    if not request.image:
        raise SpecError("image", "required")
    if not _rules.is_image_reference(request.image):
        # kubectl's %q: a control character or backslash in the name shows escaped.
        shown = go_quote(request.image)
        raise SpecError("image", f"invalid image name {shown}: invalid reference format")
    if request.expose and request.port is None and request.kind is not Kind.STATEFULSET:
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
    kind = request.kind
    if kind.is_controller and request.restart not in (None, "Always"):
        raise SpecError("restart", f'a {kind.object_kind}\'s pods must use restartPolicy "Always"')
    if kind.is_controller and request.pod_labels == {}:
        raise SpecError(
            "podLabels",
            f"a {kind.object_kind}'s selector must match its pods' labels: they cannot have "
            "none (leave podLabels out for the selector's)",
        )
    for key, field, kinds in _KIND_OPTIONS:
        value = getattr(request, field)
        # Given: not the field's default (a written `podLabels: {}` is, its default None).
        given = value not in (None, "", ()) and value != PodRequest._field_defaults.get(field)
        if given and kind.value not in kinds:
            raise SpecError(key, f"only applies with {{kind}} {_either(kinds)}")
    for word in WORDS:
        if word.key in request.words and kind.value not in word.for_kinds:
            raise SpecError(word.key, f"only applies with {{kind}} {_either(word.for_kinds)}")
    if request.service_name is not None:
        reasons = _rules.is_dns1035_label(request.service_name)
        if reasons:
            raise SpecError("serviceName", f"{quoted(request.service_name)}: {'; '.join(reasons)}")
    if kind.is_batch:
        if request.restart == "Always":
            raise SpecError(
                "restart",
                f"a {request.kind.value}'s pods must use restartPolicy OnFailure or Never",
            )
        if request.expose:
            raise SpecError("expose", "does not apply to a {kind} " + kind.value)
    if request.kind is Kind.CRONJOB:
        if not request.schedule:
            raise SpecError("schedule", "required with {kind} cronjob")
        problems = _rules.cron_schedule_problems(request.schedule)
        if problems:
            raise SpecError(
                "schedule", f"invalid schedule {quoted(request.schedule)}: {problems[0]}"
            )
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
                raise SpecError(key, f"{quoted(value)}: {'; '.join(reasons)}")
    for item in request.tolerations:
        _check_toleration(item)
    _check_resources(request)
    _check_claims(request)


def _check_claims(request: PodRequest) -> None:
    """A StatefulSet's claims: one name each, none a name of another of the pod's volumes.

    The API server takes both (see docs/validation-rules.md, statefulset-claim-*), but the
    StatefulSet controller makes one claim per name, from the last template of the name,
    and puts it in place of a pod volume of the same name.
    """
    claims = request.words.get("volumeClaimTemplates")
    if not isinstance(claims, list):
        return
    named: dict[str, int] = {}
    for index, claim in enumerate(claims):
        name = claim.get("metadata", {}).get("name") if isinstance(claim, dict) else None
        if not isinstance(name, str):
            continue
        if name in named:
            raise SpecError(
                "volumeClaimTemplates",
                f"two claims are named {quoted(name)}{_mounted_at(request, name)}; the "
                "StatefulSet controller would make one claim of the name per pod, from the "
                "last, so give each its own name",
            )
        named[name] = index
    volumes = request.words.get("volumes")
    for volume in volumes if isinstance(volumes, list) else ():
        name = volume.get("name") if isinstance(volume, dict) else None
        if name in named:
            source = next((key for key in volume if key != "name"), "")
            raise SpecError(
                "volumeClaimTemplates",
                f"the claim {quoted(name)} has the name of the {source} volume {quoted(name)} "
                "of {volumes}; the StatefulSet controller would put the claim in its place",
            )
    if request.pattern is not Pattern.RUNTIME:
        shared = request.volume_name or DEFAULT_VOLUME_NAME
        if shared in named:
            raise SpecError(
                "volumeClaimTemplates",
                f"the claim {quoted(shared)} has the name of {{pattern}} "
                f"{request.pattern.value}'s emptyDir ({{volumeName}}); the StatefulSet "
                "controller would put the claim in its place",
            )


def _mounted_at(request: PodRequest, name: str) -> str:
    """` (mounted at '/a' and '/b')`: where the app mounts the volume `name`, if it does."""
    mounts = request.words.get("mounts")
    paths = [
        quoted(mount.get("mountPath"))
        for mount in (mounts if isinstance(mounts, list) else ())
        if isinstance(mount, dict) and mount.get("name") == name
    ]
    return f" (mounted at {' and '.join(paths)})" if paths else ""


def _either(kinds: tuple[str, ...]) -> str:
    """`deployment, statefulset or replicaset`."""
    return " or ".join(filter(None, (", ".join(kinds[:-1]), kinds[-1])))


def _check_resources(request: PodRequest) -> None:
    for key, quantities in (
        ("resources.requests", request.requests),
        ("resources.limits", request.limits),
    ):
        for name, amount in quantities.items():
            if _rules.is_qualified_name(name):
                raise SpecError(key, f"{quoted(name)} is not a resource name")
            value = _rules.quantity_value(amount)
            if value is None:
                raise SpecError(
                    key, f"{name}={quoted(amount)} is not a quantity (e.g. 100m, 0.5, 128Mi, 1G)"
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
    if toleration.key is not None:
        reasons = _rules.is_qualified_name(toleration.key)
        if reasons:
            raise SpecError("tolerations", f"key {quoted(toleration.key)}: {'; '.join(reasons)}")
    elif toleration.value is not None:
        raise SpecError("tolerations", "a toleration without a key tolerates every taint: no value")
    if toleration.value is not None:
        reasons = _rules.is_valid_label_value(toleration.value)
        if reasons:
            raise SpecError(
                "tolerations", f"value {quoted(toleration.value)}: {'; '.join(reasons)}"
            )
    if toleration.effect is not None and toleration.effect not in _rules.TAINT_EFFECTS:
        raise SpecError(
            "tolerations",
            f"effect {quoted(toleration.effect)} must be one of {', '.join(_rules.TAINT_EFFECTS)}",
        )
    if toleration.seconds is not None:
        if toleration.effect != "NoExecute":
            raise SpecError("tolerations", "seconds only apply to the NoExecute effect")
        if toleration.seconds < 0:
            raise SpecError("tolerations", f"seconds must be 0 or more, not {toleration.seconds}")
