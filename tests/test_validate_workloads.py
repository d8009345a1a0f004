"""`podgen validate` on every kind that runs pods: the pod rules inside each pod template, and
each kind's own rules (issue 14), at the offending key's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_podgen

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  backoffLimit: 4
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: perl:5.34.0
"""
CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox:1.36
"""
STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  selector:
    matchLabels: {app: nginx}
  template:
    metadata:
      labels: {app: nginx}
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        volumeMounts:
        - {name: www, mountPath: /usr/share/nginx/html}
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
"""
DAEMONSET = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {name: agent}
  template:
    metadata:
      labels: {name: agent}
    spec:
      containers:
      - name: agent
        image: fluent/fluent-bit:3.0
"""
REPLICASET = DAEMONSET.replace("kind: DaemonSet", "kind: ReplicaSet").replace("agent", "fe")
DEPLOYMENT = DAEMONSET.replace("kind: DaemonSet", "kind: Deployment").replace("agent", "web")
RC = """\
apiVersion: v1
kind: ReplicationController
metadata:
  name: nginx
spec:
  replicas: 3
  selector:
    app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""


@pytest.mark.parametrize(
    "text",
    [JOB, CRONJOB, STATEFULSET, DAEMONSET, REPLICASET, DEPLOYMENT, RC],
    ids=lambda t: t.split()[3],
)
def test_valid_workloads_have_no_errors(tmp_path: Path, text: str) -> None:
    (tmp_path / "w.yaml").write_text(text)
    result = run_podgen(["validate", str(tmp_path / "w.yaml")])
    assert result.code == 0, result.stdout
    assert "kind-unchecked" not in result.stdout


CASES = [
    ("job-restart-always", JOB.replace("Never", "Always"), 9, "restart-policy",
     'supported values: "OnFailure", "Never"'),
    ("job-backoff-negative", JOB.replace("backoffLimit: 4", "backoffLimit: -1"), 6, "job-count",
     "must be greater than or equal to 0"),
    ("job-pod-rule", JOB.replace("perl:5.34.0", "perl:5.34.0\n        ports: [{containerPort: 0}]"),
     13, "port-range", "must be between 1 and 65535"),
    ("cronjob-six-fields", CRONJOB.replace("*/5 * * * *", "0 */5 * * * *"), 6, "cron-schedule",
     "expected exactly 5 fields, found 6"),
    ("cronjob-tz-prefix", CRONJOB.replace("*/5 * * * *", "TZ=UTC 0 * * * *"), 6, "cron-schedule",
     "use timeZone field instead"),
    ("cronjob-out-of-range", CRONJOB.replace("*/5 * * * *", "0 25 * * *"), 6, "cron-schedule",
     "hour: end of range (25) above maximum (23)"),
    ("cronjob-restart-always", CRONJOB.replace("OnFailure", "Always"), 11, "restart-policy",
     'supported values: "OnFailure", "Never"'),
    ("cronjob-long-name", CRONJOB.replace("name: hello", "name: " + "a" * 53), 4, "name",
     "must be no more than 52 characters"),
    ("cronjob-time-zone", CRONJOB.replace("  schedule:", "  timeZone: Mars/Base\n  schedule:"),
     6, "cron-time-zone", "unknown time zone"),
    ("cronjob-concurrency",
     CRONJOB.replace("  schedule:", "  concurrencyPolicy: Sometimes\n  schedule:"),
     6, "cron-concurrency-policy", 'supported values: "Allow", "Forbid", "Replace"'),
    ("statefulset-selector", STATEFULSET.replace("labels: {app: nginx}", "labels: {app: web}"), 11,
     "selector-mismatch", "`selector` does not match template `labels`"),
    ("statefulset-mount", STATEFULSET.replace("{name: www, mount", "{name: data, mount"), 17,
     "mount-volume", "Not found"),
    ("daemonset-replicas",
     DAEMONSET.replace("spec:\n  selector", "spec:\n  replicas: 2\n  selector"),
     6, "schema-unknown-field", "unknown field 'replicas'"),
    ("daemonset-restart",
     DAEMONSET.replace("    spec:\n", "    spec:\n      restartPolicy: Never\n"),
     12, "restart-policy", 'supported values: "Always"'),
    ("replicaset-empty-selector", REPLICASET.replace("matchLabels: {name: fe}", "matchLabels: {}"),
     6, "selector-empty", "empty selector is invalid for replicaset"),
    ("rc-selector", RC.replace("        app: nginx", "        app: web"), 11, "selector-mismatch",
     "`selector` does not match template `labels`"),
    # apps validation's StatefulSet, DaemonSet and Deployment strategies (defaulted first).
    # IsDNS1123Label says what is wrong with a valid subdomain: its dots (as the server does).
    ("statefulset-name-dots", STATEFULSET.replace("name: web", "name: web.v1"), 4, "name",
     "must not contain dots"),
    ("statefulset-pod-management",
     STATEFULSET.replace("  serviceName", "  podManagementPolicy: Serial\n  serviceName"), 6,
     "statefulset-pod-management-policy", "must be 'OrderedReady' or 'Parallel'"),
    ("statefulset-strategy-type",
     STATEFULSET.replace("  serviceName", "  updateStrategy: {type: Rolling}\n  serviceName"), 6,
     "update-strategy", "must be 'RollingUpdate' or 'OnDelete'"),
    ("statefulset-ondelete-rolling",
     STATEFULSET.replace("  serviceName", "  updateStrategy:\n    type: OnDelete\n"
                         "    rollingUpdate: {partition: 1}\n  serviceName"), 8,
     "update-strategy", "only allowed for updateStrategy 'RollingUpdate'"),
    ("statefulset-max-unavailable-zero",
     STATEFULSET.replace("  serviceName", "  updateStrategy:\n    rollingUpdate:\n"
                         "      maxUnavailable: 0\n  serviceName"), 8,
     "update-strategy", "cannot be 0"),
    ("statefulset-partition-negative",
     STATEFULSET.replace("  serviceName", "  updateStrategy:\n    rollingUpdate:\n"
                         "      partition: -1\n  serviceName"), 8,
     "update-strategy", "must be greater than or equal to 0"),
    ("statefulset-retention",
     STATEFULSET.replace("  serviceName", "  persistentVolumeClaimRetentionPolicy:\n"
                         "    whenDeleted: Keep\n  serviceName"), 7,
     "statefulset-claim-retention", 'supported values: "Retain", "Delete"'),
    ("daemonset-surge-and-unavailable",
     DAEMONSET.replace("  selector", "  updateStrategy:\n    rollingUpdate:\n"
                       "      maxUnavailable: 1\n      maxSurge: 1\n  selector"), 9,
     "update-strategy", "may not be set when maxUnavailable is non-zero"),
    ("daemonset-nothing-unavailable",
     DAEMONSET.replace("  selector", "  updateStrategy:\n    rollingUpdate:\n"
                       "      maxUnavailable: 0\n  selector"), 8,
     "update-strategy", "cannot be 0 when maxSurge is 0"),
    ("daemonset-over-100-percent",
     DAEMONSET.replace("  selector", "  updateStrategy:\n    rollingUpdate:\n"
                       "      maxUnavailable: 150%\n  selector"), 8,
     "int-or-percent", "must not be greater than 100%"),
    ("daemonset-strategy-type",
     DAEMONSET.replace("  selector", "  updateStrategy: {type: Surge}\n  selector"), 6,
     "update-strategy", 'supported values: "RollingUpdate", "OnDelete"'),
    ("daemonset-active-deadline",
     DAEMONSET.replace("    spec:\n", "    spec:\n      activeDeadlineSeconds: 60\n"), 12,
     "active-deadline-forbidden", "activeDeadlineSeconds in DaemonSet is not Supported"),
    ("deployment-strategy-type",
     DEPLOYMENT.replace("  selector", "  strategy: {type: BlueGreen}\n  selector"), 6,
     "update-strategy", 'supported values: "Recreate", "RollingUpdate"'),
    ("deployment-recreate-rolling",
     DEPLOYMENT.replace("  selector", "  strategy:\n    type: Recreate\n"
                        "    rollingUpdate: {maxSurge: 1}\n  selector"), 8,
     "update-strategy", "may not be specified when strategy `type` is 'Recreate'"),
    ("deployment-both-zero",
     DEPLOYMENT.replace("  selector", "  strategy:\n    rollingUpdate:\n"
                        "      maxSurge: 0\n      maxUnavailable: 0\n  selector"), 9,
     "update-strategy", "may not be 0 when `maxSurge` is 0"),
    ("deployment-bad-percent",
     DEPLOYMENT.replace("  selector", "  strategy:\n    rollingUpdate:\n"
                        "      maxSurge: 10 percent\n  selector"), 8,
     "int-or-percent", "a valid percent string"),
]  # fmt: skip


def test_a_statefulset_without_a_service_name_is_a_warning(tmp_path: Path) -> None:
    # Accepted by the API server since serviceName became optional; its pods then get no
    # stable DNS names, which is what a StatefulSet is for.
    (tmp_path / "w.yaml").write_text(STATEFULSET.replace("  serviceName: nginx\n", ""))
    result = run_podgen(["validate", str(tmp_path / "w.yaml")])
    assert result.code == 0, result.stdout
    assert ":5:1: warning" in result.stdout  # at `spec:`
    assert "warning: StatefulSet 'web' has no serviceName" in result.stdout
    strict = run_podgen(["validate", "--strict", str(tmp_path / "w.yaml")])
    assert strict.code == 1


@pytest.mark.parametrize(
    ("case", "text", "line", "rule", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_each_workload_mistake_is_found_at_its_line(
    tmp_path: Path, case: str, text: str, line: int, rule: str, words: str
) -> None:
    (tmp_path / "w.yaml").write_text(text)
    result = run_podgen(["validate", str(tmp_path / "w.yaml")])
    assert result.code == 1, result.stdout
    errors = [f for f in result.stdout.splitlines() if ": error: " in f and f"[{rule}]" in f]
    assert errors, result.stdout
    assert any(f":{line}:" in f and words in f for f in errors), errors
