"""More CRDs for tests/test_crd_cel.py: a message queue, a schedule with typed strings, a meter.

The queue uses Kubernetes' own CEL libraries (quantity, url) and two-variable comprehensions,
which podgen does not evaluate; the schedule has the schema shapes podgen does not type as the
server does (date-time, duration, preserve-unknown-fields, escaped names); the meter goes
through every overload podgen evaluates (numbers, strings, lists, maps, optionals, nulls).
"""

from __future__ import annotations

from tests.crd_cel_cases import (
    AUTOSCALER,
    AUTOSCALERS,
    CERTIFICATE,
    CERTIFICATES,
    GATEWAY,
    GATEWAYS,
    NULL,
    Obj,
    array,
    crd,
    integer,
    obj,
    rule,
    string,
    variants,
)

_INT_OR_STRING: Obj = {
    "x-kubernetes-int-or-string": True,
    "anyOf": [{"type": "integer"}, {"type": "string"}],
}
QUEUE = crd(
    "Queue",
    obj(
        {
            "queueName": string(
                63,
                **{
                    "x-kubernetes-validations": [
                        rule(
                            "self.matches('^[a-z][a-z0-9-]*$') && !self.endsWith('-')",
                            message="queueName is a lower-case name",
                        ),
                        rule("self.indexOf('--') == -1", message="no double dash"),
                        rule("self.split('-').size() <= 4", message="at most four parts"),
                        rule("self.lastIndexOf('q') < 10"),
                    ]
                },
            ),
            "partitions": integer(
                **{
                    "x-kubernetes-validations": [
                        rule("120 / self >= 2", message="at most sixty partitions"),
                        rule("self != 7", reason="FieldValueDuplicate"),
                    ]
                }
            ),
            "replicas": integer(),
            "retentionHours": integer(
                **{
                    "x-kubernetes-validations": [
                        rule(
                            "self % 24 == 0",
                            messageExpression="'retentionHours must be whole days, not ' + "
                            "(self < 24 ? 'less' : 'more') + ' than one'",
                        ),
                    ]
                }
            ),
            "weight": {"type": "number"},
            "priorityClass": string(
                32,
                **{
                    "x-kubernetes-validations": [
                        rule("self.upperAscii() != 'SYSTEM'"),
                    ]
                },
            ),
            "endpoint": string(253),
            "resources": obj(
                {"memory": _INT_OR_STRING, "cpu": _INT_OR_STRING},
                rule(
                    "quantity(self.memory).compareTo(quantity('64Mi')) >= 0",
                    message="u-queue: at least 64Mi",
                ),
                rule("!has(self.cpu) || self.cpu != 0", message="cpu is not zero"),
            ),
            "config": {
                "type": "object",
                "maxProperties": 16,
                "additionalProperties": string(100),
                "x-kubernetes-validations": [
                    rule("self.all(k, k.matches('^[a-z.]+$'))", message="config keys are dotted"),
                    rule(
                        "!('retention.ms' in self) || int(self['retention.ms']) > 0",
                        message="u-queue: retention.ms is positive",
                    ),
                    rule("self.all(k, size(self[k]) <= 20)", message="config values are short"),
                ],
            },
            "labels": {
                "type": "object",
                "maxProperties": 16,
                "additionalProperties": string(63),
                "x-kubernetes-validations": [
                    rule("self.all(k, k.size() <= 30 && self[k].size() <= 30)"),
                    rule(
                        "self.all(k, v, k.size() + v.size() < 40)", message="u-queue: short pairs"
                    ),
                    rule(
                        "self.map(k, k)[0] != 'forbidden'",
                        message="u-queue: the first label in Go's order",
                    ),
                    rule(
                        "self.exists(k, k == 'team') ? self['team'] != '' : true",
                        message="team is named",
                    ),
                ],
            },
        },
        rule("self.partitions >= self.replicas", message="at least one partition per replica"),
        rule(
            "!('cleanup.policy' in self.config) || self.config['cleanup.policy'] != 'compact'",
            fieldPath=".config['cleanup.policy']",
            message="compaction is not offered",
        ),
        rule("self.weight > 0.0 && self.weight <= 1.0", message="weight is in (0, 1]"),
        rule("self.replicas * self.partitions <= 10000"),
        rule("[1, 2, 3, 4][self.replicas] > 0", message="replicas index a table"),
        rule("self.?priorityClass.orValue('') != 'forbidden'"),
        rule(
            "!has(self.endpoint) || url(self.endpoint).getScheme() == 'https'",
            message="u-queue: the endpoint is https",
        ),
        rule("self.queueName.size() + self.partitions > 2"),
    ),
    rule("self.metadata.name.matches('^[a-z]')", message="names start with a letter"),
)
_QUEUE_BASE: Obj = {
    "queueName": "orders-q",
    "partitions": 3,
    "replicas": 3,
    "retentionHours": 48,
    "weight": 0.5,
    "resources": {"memory": "128Mi", "cpu": "500m"},
    "config": {"cleanup.policy": "delete", "retention.ms": "1000"},
    "labels": {"team": "payments"},
}
QUEUES = variants(
    "Queue",
    _QUEUE_BASE,
    [
        {"queueName": "Orders"},
        {"queueName": "orders--q"},
        {"queueName": "a-b-c-d-e"},
        {"queueName": "qqqqqqqqqqqq"},
        {"queueName": "ü"},
        {"partitions": 1},
        {"partitions": 0},
        {"partitions": 61, "replicas": 2},
        {"partitions": 7},
        {"retentionHours": 25},
        {"weight": 1},
        {"weight": 2},
        {"weight": 0},
        {"weight": None},
        {"priorityClass": "system"},
        {"priorityClass": "forbidden"},
        {"endpoint": "http://queue.local"},
        {"resources": {"memory": 0, "cpu": 0}},
        {"resources": {"memory": "1Gi", "cpu": "0"}},
        {"config": {"Cleanup": "delete"}},
        {"config": {"cleanup.policy": "compact"}},
        {"config": {"retention.ms": "-5"}},
        {"config": {"cleanup.policy": "x" * 30}},
        {"labels": {"team": ""}},
        {"labels": {"a" * 31: "b"}},
        {"labels": {"owner": "x" * 35}},
        {"replicas": 4, "partitions": 4},
        {"replicas": 3037000500, "partitions": 3037000500},
        {"replicas": -1},
        {"replicas": None},
        {"metadata.name": "9-lives"},
    ],
)

SCHEDULE = crd(
    "Schedule",
    obj(
        {
            "startTime": string(64, format="date-time"),
            "window": string(32, format="duration"),
            "mode": string(8, enum=["Once", "Daily"]),
            "retry": obj({"attempts": integer()}, rule("self.attempts <= 10")),
            "extra": {
                "type": "object",
                "x-kubernetes-preserve-unknown-fields": True,
                "properties": {"note": string()},
                "x-kubernetes-validations": [
                    rule("!has(self.note) || self.note != 'debug'", message="u-schedule: debug")
                ],
            },
            "limits": obj(
                {"max-size": integer()},
                rule("self.max__dash__size > 0", message="u-schedule: max-size"),
            ),
            "steps": array(string(), max_items=4),
        },
        rule(
            "self.startTime < timestamp('2100-01-01T00:00:00Z')",
            message="u-schedule: starts this century",
        ),
        rule("!has(self.steps) || size(self.steps) > 0", message="u-schedule: steps not empty"),
    ),
)
_SCHEDULE_BASE: Obj = {
    "startTime": "2030-01-01T00:00:00Z",
    "window": "1h",
    "retry": {"attempts": 3},
    "extra": {"note": "x"},
    "limits": {"max-size": 3},
    "steps": ["a"],
}
SCHEDULES = variants(
    "Schedule",
    _SCHEDULE_BASE,
    [
        {"retry": {"attempts": 11}},
        {"startTime": "2200-01-01T00:00:00Z"},
        {"extra": {"note": "debug", "more": 1}},
        {"limits": {"max-size": 0}},
        {"steps": []},
        {"steps": None},
    ],
)

_TAGS = array(string(16), max_items=4)
METER = crd(
    "Meter",
    obj(
        {
            "name": string(
                16,
                **{
                    "x-kubernetes-validations": [
                        rule("size(self) <= 5", message="at most five characters"),
                        rule("self.matches('^.{1,4}$')", message="one to four characters"),
                        rule(
                            "self.lowerAscii() == self || self.upperAscii() == self",
                            message="one case",
                        ),
                        rule("self.indexOf('a') != 1", message="no a second"),
                        rule("self < 'p'", message="sorts before p"),
                    ]
                },
            ),
            "prefix": string(8),
            "ratio": {"type": "number"},
            "offset": integer(),
            "enabled": {"type": "boolean"},
            "note": string(16, nullable=True),
            "size": {
                "x-kubernetes-int-or-string": True,
                "x-kubernetes-validations": [rule("self != 0", message="size is not zero")],
            },
            "tags": _TAGS,
            "extraTags": _TAGS,
            "annotations": {
                "type": "object",
                "maxProperties": 4,
                "additionalProperties": string(16),
            },
        },
        rule("self.ratio * 2.0 < 1.5 && self.ratio / 2.0 >= 0.0", message="ratio in [0, 0.75)"),
        rule("self.ratio - 0.25 != 0.0", message="ratio is not a quarter"),
        rule("-self.offset < 10 && -self.ratio < 1.0", message="offset above -10"),
        rule("self.prefix + '-' + self.name != 'x-y'", message="not x-y"),
        rule("size(self.tags + self.extraTags) <= 5", message="five tags in all"),
        rule("self.tags.join(',').size() < 20", message="tags are short"),
        rule("self.tags.map(t, t.size()).all(n, n < 10)", message="each tag is short"),
        rule("self.tags.filter(t, t.startsWith('x')).size() == 0", message="no x tags"),
        rule("!('forbidden' in self.annotations)", message="no forbidden annotation"),
        rule("self.enabled == true || self.offset == 0", message="disabled meters have no offset"),
        rule("self.enabled >= false"),
        rule("!has(self.note)", message="note is unset"),
        rule("self.?prefix.hasValue() && optional.of(self.offset).value() >= -100"),
        rule("self.?note.value() != ''", message="the note is not empty"),
        rule("self.offset + 9223372036854775000 > 0", message="offset above the floor"),
        rule("self.tags[self.offset] != ''", message="tags index"),
    ),
)
_METER_BASE: Obj = {
    "name": "ab",
    "prefix": "m",
    "ratio": 0.5,
    "offset": 1,
    "enabled": True,
    "size": "1Gi",
    "tags": ["a", "b"],
    "extraTags": ["c"],
    "annotations": {"team": "x"},
}
METERS = variants(
    "Meter",
    _METER_BASE,
    [
        {"name": "üüüüüü"},
        {"name": "üüü"},
        {"name": "Ab"},
        {"name": "zz"},
        {"name": "üa"},
        {"name": "\U0001f600" * 6},
        {"name": "\U0001f600a"},
        {"name": "ÄB"},
        {"name": "äB"},
        {"name": "y", "prefix": "x"},
        {"ratio": 1},
        {"ratio": 0.25},
        {"ratio": -0.5},
        {"offset": -20},
        {"offset": -9223372036854775000},
        {"offset": 5},
        {"enabled": False},
        {"enabled": False, "offset": 0},
        {"note": NULL},
        {"note": "x"},
        {"prefix": NULL, "offset": 3},
        {"size": 0},
        {"size": "0"},
        {"size": 5},
        {"tags": ["a", "b", "c", "d"]},
        {"tags": ["abcdefghijkl", "b"]},
        {"tags": ["abcdefghij", "b"]},
        {"tags": ["a", "xb"]},
        {"annotations": {"forbidden": "1"}},
        {"annotations": {}},
        {"prefix": None},
        {"tags": []},
    ],
)

PATTERN = crd(
    "Pattern",
    obj(
        {
            "text": string(
                64,
                **{
                    "x-kubernetes-validations": [
                        rule("self.matches('^\\\\p{L}+$')", message="letters only"),
                        rule("!self.matches('\\\\bfoo\\\\b')", message="no word foo"),
                        rule("self.matches('^.{1,3}$') || size(self) > 3", message="dots"),
                        rule("!self.matches('(?i)^forbidden')", message="not forbidden"),
                        rule("!self.matches('[[:digit:]]')", message="no digits"),
                    ]
                },
            ),
            "scale": {
                "type": "number",
                "x-kubernetes-validations": [
                    rule("self >= 1.0", message="scale at least one"),
                    rule("self < 100000.0", message="scale below 1e5"),
                ],
            },
            "a": integer(),
            "pattern": string(32),
            "scores": array(
                integer(),
                rule("self.isSorted()", message="scores ascend"),
                rule("self.sum() <= 100", message="scores sum to 100 at most"),
                rule("size(self) == 0 || self.min() >= 0", message="no negative score"),
                rule("self.max() <= 50", message="no score above 50"),
            ),
            "weights": array(
                {"type": "number"},
                rule("self.sum() <= 1.0", message="weights sum to one at most"),
                rule("self.isSorted()", message="weights ascend"),
            ),
            "names": array(string(8), rule("self.isSorted()", message="names are sorted")),
            "size": {"x-kubernetes-int-or-string": True},
            "items": array(
                obj({"weight": integer(), "rank": integer()}),
                rule("self.all(i, i.weight > 0)", message="weights positive"),
                rule("self.exists(i, i.rank == 1)", message="one is first"),
                rule("self.all(i, i.weight > 0 && i.rank > 0)", message="both positive"),
                max_items=4,
            ),
        },
        rule("self.a % 3 != -1", message="a mod 3"),
        rule("self.a != 4", messageExpression="'four is\\nbad'", message="no four"),
        rule("self.a != 5", messageExpression="'   '"),
        rule("self.a != 6", messageExpression="'six ' + self.pattern", message="no six"),
        rule("self.a != 7", messageExpression="'  seven is bad  '"),
        rule("self.a / 2 != -1", message="a div 2"),
        rule("!has(self.size) || self.size == 0 || self.size > 1", message="size above one"),
        rule("!has(self.size) || !self.size.startsWith('9')"),
        rule("!has(self.pattern) || self.text.matches(self.pattern)", message="text fits pattern"),
    ),
)
_PATTERN_BASE: Obj = {
    "text": "abc",
    "scale": 2.5,
    "a": 3,
    "items": [{"weight": 1, "rank": 1}],
    "scores": [1, 2, 3],
    "weights": [0.25, 0.5],
    "names": ["a", "b"],
}
PATTERNS = variants(
    "Pattern",
    _PATTERN_BASE,
    [
        {"text": "ÄBC"},
        {"text": "日本語"},
        {"text": "a b"},
        {"text": "foo"},
        {"text": "FORBIDDEN"},
        {"text": "abc1"},
        {"text": "ab\u00e9"},
        {"scale": 0.00001},
        {"scale": 0.5},
        {"scale": 100000.5},
        {"scale": 1234567.5},
        {"scale": 1e21},
        {"scale": 2.0},
        {"scale": 0.0},
        {"scale": 1e7},
        {"scale": 200000.0},
        {"a": -1},
        {"a": -3},
        {"a": -2},
        {"a": 4},
        {"a": 5},
        {"a": 6},
        {"a": 6, "pattern": "^a"},
        {"a": 7},
        {"size": "1Gi"},
        {"size": 5},
        {"size": 1},
        {"size": "9"},
        {"scores": [3, 1]},
        {"scores": [60]},
        {"scores": []},
        {"scores": [-1, 5]},
        {"scores": [9223372036854775807, 9223372036854775807]},
        {"scores": [2, 2]},
        {"weights": [0.75, 0.5]},
        {"weights": [0.1, 0.2, 0.7]},
        {"weights": [0.5, 0.6]},
        {"weights": []},
        {"weights": [1]},
        {"names": ["b", "a"]},
        {"names": ["B", "a"]},
        {"names": ["é", "z"]},
        {"pattern": "^a"},
        {"pattern": "^b"},
        {"pattern": "("},
        {"items": [{"rank": 1}]},
        {"items": [{"rank": 2}, {"weight": -1, "rank": 1}]},
        {"items": [{"rank": 1}, {"weight": 1}]},
        {"items": [{"weight": 1}, {"rank": 1}]},
        {"items": [{"weight": 1, "rank": 2}, {"weight": 2}]},
        {"items": []},
    ],
)

#: Every CRD with its objects.
CASES = [
    (AUTOSCALER, AUTOSCALERS),
    (CERTIFICATE, CERTIFICATES),
    (GATEWAY, GATEWAYS),
    (QUEUE, QUEUES),
    (SCHEDULE, SCHEDULES),
    (METER, METERS),
    (PATTERN, PATTERNS),
]
