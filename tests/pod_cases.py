"""The `podgen new` cases for patterns, probes and pod options, shared by several test files."""

from __future__ import annotations

PATTERNS = {
    "runtime": [],
    "init": ["--pattern", "init"],
    "sidecar": ["--pattern", "sidecar"],
}
PROBES = {
    "none": [],
    "http": ["--probe", "http"],
    "tcp": ["--probe", "tcp"],
    "grpc": ["--probe", "grpc"],
    "exec": ["--probe", "exec", "--probe-command", "cat /tmp/healthy"],
}
APP = ["web", "--image", "nginx:1.25.3", "--port", "80"]

#: Every pattern x probe handler combination.
PATTERN_PROBE_CASES = {
    f"{pattern}-{probe}": [*APP, *pattern_args, *probe_args]
    for pattern, pattern_args in PATTERNS.items()
    for probe, probe_args in PROBES.items()
}

#: Every kind that runs pods x pattern (a Pod's are above). A Job's or CronJob's sidecar is
#: native, so that it stops when the job's work is done; the job's command (the words after
#: --, as kubectl create job takes them) uses what the pattern shares.
JOB = ["report", "--image", "busybox:1.36", "--backoff-limit", "2"]
JOB_WORK = {
    "runtime": ["--", "sh", "-c", "echo report done"],
    "init": ["--", "sh", "-c", "cat /data/index.html"],
    "sidecar": ["--native-sidecar", "--", "sh", "-c", "echo report done >> /var/log/app/app.log"],
}
#: A StatefulSet with a claim per pod (and its headless Service, by default), and a DaemonSet
#: node agent rolled out one node at a time.
STATEFUL = [
    "db",
    "--image",
    "postgres:16.4",
    "--port",
    "5432",
    "--env-from",
    "secret:db-credentials",
    "--replicas",
    "3",
    "--volume-claim",
    "data=1Gi:/var/lib/postgresql/data",
]
AGENT = ["node-agent", "--image", "fluent/fluent-bit:3.1.9", "--max-unavailable", "1"]
KIND_PATTERN_CASES = {
    f"{kind}-{pattern}": [*app, "--kind", kind, *extra, *pattern_args, *work[pattern]]
    for kind, app, extra, work in (
        ("deployment", APP, [], {pattern: [] for pattern in PATTERNS}),
        ("statefulset", STATEFUL, [], {pattern: [] for pattern in PATTERNS}),
        ("daemonset", AGENT, [], {pattern: [] for pattern in PATTERNS}),
        ("replicaset", APP, ["--replicas", "2"], {pattern: [] for pattern in PATTERNS}),
        ("job", JOB, [], JOB_WORK),
        ("cronjob", JOB, ["--schedule", "0 3 * * *", "--time-zone", "Europe/Berlin"], JOB_WORK),
    )
    for pattern, pattern_args in PATTERNS.items()
}

#: Each option on its own, and the tutorial shapes.
OPTION_CASES = {
    "init-curl-nginx": [
        *APP,
        "--pattern",
        "init",
        "--init-image",
        "curlimages/curl:8.5.0",
        "--init-command",
        "curl -sSfo /work-dir/index.html https://kubernetes.io/",
        "--shared-path",
        "/usr/share/nginx/html",
        "--helper-path",
        "/work-dir",
    ],
    "init-wait-for-service": [
        "myapp",
        "--image",
        "busybox:1.36",
        "--wait-for",
        "myservice",
        "--command",
        "--",
        "sh",
        "-c",
        "echo The app is running! && sleep 3600",
    ],
    "init-names-overridden": [
        *APP,
        "--pattern",
        "init",
        "--init-name",
        "prepare",
        "--volume-name",
        "content",
        "--shared-path",
        "/srv",
    ],
    "sidecar-native": [*APP, "--pattern", "sidecar", "--native-sidecar"],
    "sidecar-nginx-logs": [
        *APP,
        "--pattern",
        "sidecar",
        "--shared-path",
        "/var/log/nginx",
        "--sidecar-command",
        "sh -c 'tail -n +1 -F /var/log/nginx/access.log /var/log/nginx/error.log'",
    ],
    "sidecar-with-port": [
        *APP,
        "--pattern",
        "sidecar",
        "--sidecar-name",
        "exporter",
        "--sidecar-image",
        "nginx/nginx-prometheus-exporter:1.1.0",
        "--sidecar-port",
        "9113",
        "--sidecar-command",
        "nginx-prometheus-exporter --nginx.scrape-uri=http://localhost/stub_status",
    ],
    "probe-kinds-all-timings": [
        *APP,
        "--probe",
        "http",
        "--probe-path",
        "/healthz",
        "--probe-kinds",
        "liveness,readiness,startup",
        "--initial-delay",
        "5",
        "--period",
        "10",
        "--timeout",
        "2",
        "--failure-threshold",
        "3",
    ],
    "probe-readiness-success-threshold": [
        *APP,
        "--probe",
        "tcp",
        "--probe-kinds",
        "readiness",
        "--success-threshold",
        "2",
    ],
    "probe-exec-liveness": [
        "liveness-exec",
        "--image",
        "busybox:1.36",
        "--probe",
        "exec",
        "--probe-command",
        "cat /tmp/healthy",
        "--probe-kinds",
        "liveness",
        "--initial-delay",
        "5",
        "--period",
        "5",
        "--command",
        "--",
        "sh",
        "-c",
        "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600",
    ],
    "probe-port-override": [*APP, "--probe", "http", "--probe-port", "8081"],
    "resources": [*APP, "--requests", "cpu=100m,memory=128Mi", "--limits", "cpu=500m,memory=256Mi"],
    "node-selector": [*APP, "--node-selector", "disktype=ssd"],
    "node-name": [*APP, "--node-name", "worker-1"],
    "tolerations": [
        *APP,
        "--toleration",
        "dedicated=web:NoSchedule",
        "--toleration",
        "node.kubernetes.io/unreachable:NoExecute:300",
    ],
    "lifecycle": [
        *APP,
        "--post-start",
        "sh -c 'echo started > /tmp/started'",
        "--pre-stop",
        "nginx -s quit",
        "--grace-period",
        "45",
    ],
    "service-account": [*APP, "--service-account", "web-reader"],
    "secure": [*APP, "--secure"],
    "secure-sidecar": [*APP, "--secure", "--pattern", "sidecar"],
    "deployment-everything": [
        *APP,
        "--kind",
        "deployment",
        "--replicas",
        "2",
        "--pattern",
        "sidecar",
        "--probe",
        "http",
        "--requests",
        "cpu=100m",
        "--secure",
        "--toleration",
        "dedicated=web:NoSchedule",
    ],
}
