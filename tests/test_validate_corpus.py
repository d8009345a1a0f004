"""A corpus of bad manifests: each finding names the rule, the field and the line of its key.

Every case is a Pod (or Deployment or Service) with one thing wrong. `podgen validate` must
exit 1, print a finding `FILE:LINE:COL: error: ... [rule]` at the offending key's line, and
write nothing. Lines are counted in the YAML below, which starts at line 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_podgen

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: web
    image: nginx:1.25.3
"""  # the container's keys are at line 8 onwards; extra keys below start at line 10


def pod(extra_container: str = "", extra_spec: str = "", metadata: str = "") -> str:
    text = POD.replace("  labels: {app: web}\n", "  labels: {app: web}\n" + metadata)
    return text + extra_container + extra_spec


# (id, manifest, line, rule, words the message must contain)
CASES: list[tuple[str, str, int, str, str]] = [
    # 1. YAML
    ("yaml-tab", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n", 4, "yaml", "tabs"),
    ("yaml-unterminated-quote", 'apiVersion: "v1\nkind: Pod\n', 3, "yaml", "quoted scalar"),
    ("yaml-bad-indent", "apiVersion: v1\nkind: Pod\n  metadata: {}\n", 3, "yaml", "mapping values"),
    # Anchors, aliases, merge keys and tags are read as kubectl reads them; what kubectl
    # refuses in them is refused at its line.
    ("yaml-undefined-alias", "apiVersion: v1\nkind: Pod\nmetadata: *m\n", 3, "yaml", "alias"),
    ("yaml-infinity", "apiVersion: v1\nkind: Pod\nmetadata: {name: .inf}\n", 3, "yaml", "+Inf"),
    (
        "yaml-bad-int-tag",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: !!int x}\n",
        3,
        "yaml",
        "!!int",
    ),
    (
        "yaml-merge",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  <<: [x]\n",
        4,
        "yaml",
        "map merge requires map or sequence of maps",
    ),
    (
        "yaml-flow-unclosed",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n",
        4,
        "yaml",
        "flow mapping",
    ),
    # 2. Schema
    (
        "kind-lowercase",
        POD.replace("kind: Pod", "kind: pod"),
        2,
        "schema-kind",
        "did you mean 'Pod'",
    ),
    (
        "kind-wrong-api",
        POD.replace("apiVersion: v1", "apiVersion: apps/v1"),
        1,
        "schema-kind",
        "apiVersion 'v1'",
    ),
    (
        "field-contatiners",
        POD.replace("  containers:", "  contatiners:"),
        7,
        "schema-unknown-field",
        "did you mean 'containers'",
    ),
    (
        "field-images",
        pod("    images: busybox\n"),
        10,
        "schema-unknown-field",
        "did you mean 'image'",
    ),
    ("field-port", pod("    port: 80\n"), 10, "schema-unknown-field", "did you mean 'ports'"),
    (
        "field-metadata-typo",
        pod(metadata="  namspace: prod\n"),
        6,
        "schema-unknown-field",
        "did you mean 'namespace'",
    ),
    ("field-top-level", pod() + "specs: {}\n", 10, "schema-unknown-field", "did you mean 'spec'"),
    (
        "type-env-value",
        pod("    env:\n    - name: PORT\n      value: 3306\n"),
        12,
        "schema-type",
        'quote it: "3306"',
    ),
    (
        "type-port-string",
        pod("    ports:\n    - containerPort: '80'\n"),
        11,
        "schema-type",
        "whole number",
    ),
    ("type-command-string", pod("    command: sleep 3600\n"), 10, "schema-type", "a list"),
    (
        "type-labels-list",
        POD.replace("labels: {app: web}", "labels: [app]"),
        5,
        "schema-type",
        "a map",
    ),
    (
        "type-containers-map",
        POD.replace("  - name: web\n    image: nginx:1.25.3\n", "    name: web\n"),
        7,
        "schema-type",
        "a list",
    ),
    (
        "required-container-name",
        POD.replace("  - name: web\n    image", "  - image"),
        8,
        "schema-required",
        "'name'",
    ),
    (
        "required-port",
        pod("    ports:\n    - name: http\n"),
        11,
        "schema-required",
        "containerPort",
    ),
    (
        "type-replicas",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: two\n",
        5,
        "schema-type",
        "whole number",
    ),
    ("type-bool", pod("    stdin: yes please\n"), 10, "schema-type", "true or false"),
    # 3. The API server's rules
    (
        "name-uppercase",
        POD.replace("name: web\n  labels", "name: Web\n  labels"),
        4,
        "name",
        "RFC 1123",
    ),
    (
        "name-underscore",
        POD.replace("name: web\n  labels", "name: web_1\n  labels"),
        4,
        "name",
        "RFC 1123",
    ),
    (
        "container-name-dot",
        POD.replace("  - name: web", "  - name: web.v1"),
        8,
        "container-name",
        "must not contain dots",  # IsDNS1123Label's word for a valid subdomain
    ),
    (
        "container-name-duplicate",
        pod("  - name: web\n    image: busybox:1.36\n"),
        10,
        "container-name-duplicate",
        "Duplicate",
    ),
    (
        "init-name-duplicate",
        pod(extra_spec="  initContainers:\n  - name: web\n    image: busybox:1.36\n"),
        8,
        "container-name-duplicate",
        "Duplicate",
    ),
    ("namespace-uppercase", pod(metadata="  namespace: Prod\n"), 6, "namespace", "RFC 1123"),
    ("label-value-tilde", POD.replace("{app: web}", "{app: '~'}"), 5, "label-value", "valid label"),
    ("label-key-bad", POD.replace("{app: web}", "{'a b': web}"), 5, "label-key", "name part"),
    (
        "label-value-long",
        POD.replace("{app: web}", "{app: " + "x" * 64 + "}"),
        5,
        "label-value",
        "no more than 63",
    ),
    (
        "annotation-key-bad",
        pod(metadata="  annotations: {'-bad': x}\n"),
        6,
        "annotation-key",
        "name part",
    ),
    (
        "annotations-too-big",
        pod(metadata=f"  annotations: {{big: {'x' * 262200}}}\n"),
        6,
        "annotations-size",
        "262144",
    ),
    (
        "port-zero",
        pod("    ports:\n    - containerPort: 0\n"),
        11,
        "port-range",
        "between 1 and 65535",
    ),
    ("port-huge", pod("    ports:\n    - containerPort: 70000\n"), 11, "port-range", "65535"),
    (
        "port-name-long",
        pod("    ports:\n    - containerPort: 80\n      name: http-port-name-too-long\n"),
        12,
        "port-name",
        "no more than 15",
    ),
    (
        "port-name-upper",
        pod("    ports:\n    - containerPort: 80\n      name: HTTP\n"),
        12,
        "port-name",
        "alpha-numeric",
    ),
    (
        "port-name-duplicate",
        pod(
            "    ports:\n    - {containerPort: 80, name: web}\n"
            "    - {containerPort: 81, name: web}\n"
        ),
        12,
        "port-name-duplicate",
        "Duplicate",
    ),
    (
        "port-protocol",
        pod("    ports:\n    - containerPort: 80\n      protocol: HTTP\n"),
        12,
        "port-protocol",
        "TCP",
    ),
    (
        "mount-unknown-volume",
        pod("    volumeMounts:\n    - {name: data, mountPath: /data}\n"),
        11,
        "mount-volume",
        "Not found",
    ),
    (
        "mount-path-duplicate",
        pod(
            "    volumeMounts:\n    - {name: data, mountPath: /d}\n"
            "    - {name: data, mountPath: /d}\n",
            "  volumes:\n  - {name: data, emptyDir: {}}\n",
        ),
        12,
        "mount-path",
        "unique",
    ),
    (
        "volume-name-bad",
        pod(extra_spec="  volumes:\n  - {name: Data, emptyDir: {}}\n"),
        11,
        "volume-name",
        "RFC 1123",
    ),
    (
        "volume-two-sources",
        pod(extra_spec="  volumes:\n  - {name: d, emptyDir: {}, hostPath: {path: /x}}\n"),
        11,
        "volume-source",
        "may not specify more than 1 volume type",
    ),
    (
        "probe-two-handlers",
        pod(
            "    livenessProbe:\n      exec: {command: [cat, /tmp/ok]}\n"
            "      tcpSocket: {port: 80}\n"
        ),
        10,
        "probe-handler",
        "exactly one",
    ),
    (
        "probe-no-handler",
        pod("    readinessProbe:\n      periodSeconds: 5\n"),
        10,
        "probe-handler",
        "exactly one",
    ),
    (
        "probe-success-threshold",
        pod(
            "    livenessProbe:\n      exec: {command: [cat, /tmp/ok]}\n      successThreshold: 2\n"
        ),
        12,
        "probe-success-threshold",
        "must be 1",
    ),
    (
        "probe-negative",
        pod(
            "    readinessProbe:\n      exec: {command: [cat, /tmp/ok]}\n      periodSeconds: -1\n"
        ),
        12,
        "probe-timing",
        "greater than or equal to 0",
    ),
    (
        "probe-exec-empty",
        pod("    livenessProbe:\n      exec: {command: []}\n"),
        11,
        "probe-handler",
        "Required value",
    ),
    (
        "probe-port-name-bad",
        pod("    livenessProbe:\n      httpGet: {path: /, port: HTTP}\n"),
        11,
        "probe-handler",
        "alpha-numeric",
    ),
    (
        "lifecycle-no-handler",
        pod("    lifecycle:\n      preStop: {}\n"),
        11,
        "lifecycle-handler",
        "exactly one",
    ),
    (
        "restart-policy",
        pod(extra_spec="  restartPolicy: Sometimes\n"),
        10,
        "restart-policy",
        "Always",
    ),
    (
        "init-probe",
        pod(
            extra_spec="  initContainers:\n  - name: i\n    image: busybox:1.36\n"
            "    readinessProbe: {exec: {command: [cat, /tmp/ok]}}\n"
        ),
        13,
        "init-probes",
        "Forbidden",
    ),
    ("dns-policy", pod(extra_spec="  dnsPolicy: Google\n"), 10, "dns-policy", "ClusterFirst"),
    (
        "pull-policy",
        pod("    imagePullPolicy: Sometimes\n"),
        10,
        "image-pull-policy",
        "IfNotPresent",
    ),
    (
        "image-empty",
        POD.replace("image: nginx:1.25.3", "image: ''"),
        9,
        "image-required",
        "Required",
    ),
    (
        "image-space",
        POD.replace("image: nginx:1.25.3", "image: ' nginx'"),
        9,
        "image-whitespace",
        "whitespace",
    ),
    (
        "node-selector-bad",
        pod(extra_spec="  nodeSelector: {disk: 's s d'}\n"),
        10,
        "node-selector-value",
        "valid label",
    ),
    (
        "toleration-effect",
        pod(extra_spec="  tolerations:\n  - {key: k, operator: Exists, effect: Never}\n"),
        11,
        "toleration-effect",
        "NoSchedule",
    ),
    (
        "toleration-exists-value",
        pod(
            extra_spec="  tolerations:\n  - {key: k, operator: Exists, value: v, "
            "effect: NoSchedule}\n"
        ),
        11,
        "toleration-operator",
        "value must be empty",
    ),
    (
        "toleration-seconds",
        pod(
            extra_spec="  tolerations:\n  - {key: k, operator: Exists, "
            "effect: NoSchedule, tolerationSeconds: 5}\n"
        ),
        11,
        "toleration-seconds",
        "NoExecute",
    ),
    (
        "quantity-bad",
        pod("    resources: {requests: {cpu: lots}}\n"),
        10,
        "schema-quantity",  # refused while decoding, as the API server does
        "quantities must match the regular expression",
    ),
    (
        "quantity-negative",
        pod("    resources: {limits: {memory: -1Gi}}\n"),
        10,
        "resource-quantity",
        "valid quantity",
    ),
    (
        "requests-over-limits",
        pod("    resources: {requests: {cpu: '2'}, limits: {cpu: 500m}}\n"),
        10,
        "resource-request-over-limit",
        "less than or equal to cpu limit",
    ),
    (
        "service-account-bad",
        pod(extra_spec="  serviceAccountName: My_SA\n"),
        10,
        "service-account",
        "RFC 1123",
    ),
    (
        "privileged-no-escalation",
        pod("    securityContext: {privileged: true, allowPrivilegeEscalation: false}\n"),
        10,
        "privileged-escalation",
        "allowPrivilegeEscalation",
    ),
    (
        "service-name-dns-label",  # `1web` is one since RelaxedServiceNameValidation
        "apiVersion: v1\nkind: Service\nmetadata: {name: web.v1}\n"
        "spec: {ports: [{port: 80}], selector: {app: web}}\n",
        3,
        "name",
        "must not contain dots",
    ),
    (
        "service-no-ports",
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {a: b}}\n",
        4,
        "service-ports-required",
        "Required",
    ),
    (
        "service-target-port-name",
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
        "spec:\n  ports:\n  - {port: 80, targetPort: Web_Port}\n",
        6,
        "service-port",
        "alpha-numeric",
    ),
    (
        "deployment-selector-mismatch",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
        "  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: b}}\n"
        "    spec: {containers: [{name: c, image: nginx:1.25.3}]}\n",
        7,
        "selector-mismatch",
        "does not match",
    ),
    (
        "deployment-restart-never",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
        "  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n"
        "    spec:\n      restartPolicy: Never\n"
        "      containers: [{name: c, image: nginx:1.25.3}]\n",
        9,
        "restart-policy",
        "Always",
    ),
    # Issue 15: what the API server refused and podgen let through.
    (
        "env-value-and-value-from",
        pod(
            "    env:\n    - name: A\n      value: x\n      valueFrom:\n"
            "        fieldRef: {fieldPath: metadata.name}\n"
        ),
        13,
        "env-value-from",
        "may not be specified when `value` is not empty",
    ),
    (
        "env-field-path-unsupported",
        pod(
            "    env:\n    - name: A\n      valueFrom:\n"
            "        fieldRef: {fieldPath: spec.hostname}\n"
        ),
        13,
        "env-field-path",
        'Unsupported value: "spec.hostname"',
    ),
    (
        "env-value-from-empty",
        pod("    env:\n    - name: A\n      valueFrom: {}\n"),
        12,
        "env-value-from",
        "must specify one of",
    ),
    (
        "probe-scheme",
        pod("    livenessProbe:\n      httpGet: {port: 80, scheme: TCP}\n"),
        11,
        "probe-handler",
        'Unsupported value: "TCP": supported values: "HTTP", "HTTPS"',
    ),
    (
        "resource-name-not-standard",
        pod("    resources:\n      limits: {gpu: 1}\n"),
        11,
        "resource-name",
        "must be a standard resource for containers",
    ),
    (
        "resource-extended-fraction",
        pod("    resources:\n      limits: {nvidia.com/gpu: 0.5}\n"),
        11,
        "resource-extended-integer",
        "must be an integer",
    ),
    (
        "resource-extended-request-not-limit",
        pod(
            "    resources:\n      requests: {example.com/dongle: 1}\n"
            "      limits: {example.com/dongle: 2}\n"
        ),
        11,
        "resource-extended-limit",
        "must be equal to example.com/dongle limit of 2",
    ),
    (
        "host-network-host-port",
        pod("    ports:\n    - {containerPort: 80, hostPort: 8080}\n", "  hostNetwork: true\n"),
        11,
        "host-network-port",
        "must match `containerPort` when `hostNetwork` is true",
    ),
    (
        "run-as-user-negative",
        pod("    securityContext: {runAsUser: -1}\n"),
        10,
        "security-id",
        "must be between 0 and 2147483647, inclusive",
    ),
    (
        "pod-fs-group-negative",
        pod(extra_spec="  securityContext:\n    fsGroup: -5\n"),
        11,
        "security-id",
        "must be between 0 and 2147483647",
    ),
    (
        "node-affinity-operator",
        pod(
            extra_spec="  affinity:\n    nodeAffinity:\n"
            "      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n"
            "        - matchExpressions:\n          - {key: zone, operator: Near, values: [a]}\n"
        ),
        15,
        "node-affinity",
        "not a valid selector operator",
    ),
    (
        "node-affinity-exists-with-values",
        pod(
            extra_spec="  affinity:\n    nodeAffinity:\n"
            "      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 1\n"
            "        preference:\n          matchExpressions:\n"
            "          - key: disk\n            operator: Exists\n            values: [ssd]\n"
        ),
        18,
        "node-affinity",
        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ),
    (
        "deployment-strategy-type",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
        "  strategy: {type: Canary}\n"
        "  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n"
        "    spec: {containers: [{name: c, image: nginx:1.25.3}]}\n",
        5,
        "update-strategy",
        'supported values: "Recreate", "RollingUpdate"',
    ),
    (
        "service-duplicate-port",
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n"
        "  - {name: a, port: 80}\n  - {name: b, port: 80}\n",
        7,
        "service-port-duplicate",
        "Duplicate value",
    ),
    (
        "service-ports-unnamed",
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n"
        "  - {port: 80}\n  - {port: 443}\n",
        6,
        "service-port-name",
        "Required value",
    ),
    (
        "service-type-unknown",
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: Internal\n"
        "  ports: [{port: 80}]\n",
        5,
        "service-type",
        'Unsupported value: "Internal"',
    ),
    (
        "service-node-port-on-cluster-ip",
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n"
        "  - {port: 80, nodePort: 30080}\n",
        6,
        "service-node-port",
        "may not be used when `type` is 'ClusterIP'",
    ),
]


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 60
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(
    ("case_id", "text", "line", "rule", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_each_mistake_is_found_at_its_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case_id: str,
    text: str,
    line: int,
    rule: str,
    words: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad.yaml").write_text(text)
    result = run_podgen(["validate", "bad.yaml"])
    assert result.code == 1, result
    errors = [f for f in result.stdout.splitlines() if ": error: " in f]
    assert errors, result.stdout
    expected = [
        f
        for f in errors
        if f.startswith(f"bad.yaml:{line}:") and f.endswith(f"[{rule}]") and words in f
    ]
    assert expected, "\n".join(errors)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]  # nothing written


#: What the API server of 1.37 accepts, which podgen once called errors (issue 15).
ACCEPTED = [
    # RelaxedEnvironmentVariableValidation: any printable ASCII but '='.
    (
        "env-name-digit",
        pod("    env:\n    - {name: 1X, value: a}\n    - {name: 'a b:c', value: a}\n"),
    ),
    # A mount path need not be absolute, nor a Unix path (a Windows pod mounts at C:\etc).
    (
        "mount-relative-and-windows-paths",
        pod(
            "    volumeMounts:\n    - {name: data, mountPath: data}\n"
            "    - {name: data, mountPath: 'C:\\etc\\foo'}\n",
            "  volumes:\n  - {name: data, emptyDir: {}}\n",
        ),
    ),
    # A volume with no source is defaulted to emptyDir.
    (
        "volume-without-source",
        pod("    volumeMounts:\n    - {name: d, mountPath: /d}\n", "  volumes:\n  - name: d\n"),
    ),
    # Container restart rules (ContainerRestartRules, on by default in 1.37): an init
    # container may restart Never or OnFailure, and so may an app container.
    (
        "init-restart-never",
        pod(
            extra_spec="  initContainers:\n  - name: i\n    image: busybox:1.36\n"
            "    restartPolicy: Never\n  - name: j\n    image: busybox:1.36\n"
            "    restartPolicy: OnFailure\n"
        ),
    ),
    ("container-restart-policy", pod("    restartPolicy: Never\n")),
]


@pytest.mark.parametrize(("case", "text"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_what_the_api_server_accepts_is_no_error(tmp_path: Path, case: str, text: str) -> None:
    (tmp_path / "pod.yaml").write_text(text)
    result = run_podgen(["validate", str(tmp_path / "pod.yaml")])
    assert result.code == 0, result.stdout
    assert ": error: " not in result.stdout


#: podgen's own rules, stricter than the API server, and what the API server accepts with a
#: warning: warnings in validate (issue 15: the API server's errors, and only those, are errors).
STRICTER = [
    (
        "grace-negative",
        pod(extra_spec="  terminationGracePeriodSeconds: -5\n"),
        10,
        "grace-period",
        "treated as 1",
    ),
    (
        "memory-fractional",
        pod("    resources: {requests: {memory: 0.5}}\n"),
        10,
        "resource-fractional-memory",
        "fractional",
    ),
    (
        "env-duplicate",
        pod("    env:\n    - {name: A, value: a}\n    - {name: A, value: b}\n"),
        12,
        "env-duplicate",
        "Duplicate",
    ),
    (
        "control-character",
        pod('    env:\n    - {name: A, value: "x\\x7fy"}\n'),
        11,
        "string-control-character",
        "U+007F",
    ),
    (
        "port-shared",
        pod(
            "    ports:\n    - containerPort: 80\n  - name: side\n    image: busybox:1.36\n"
            "    ports:\n    - containerPort: 80\n"
        ),
        15,
        "port-duplicate",
        "network namespace",
    ),
]


@pytest.mark.parametrize(
    ("case_id", "text", "line", "rule", "words"), STRICTER, ids=[c[0] for c in STRICTER]
)
def test_podgens_own_rules_are_warnings(
    tmp_path: Path, case_id: str, text: str, line: int, rule: str, words: str
) -> None:
    (tmp_path / "pod.yaml").write_text(text)
    result = run_podgen(["validate", str(tmp_path / "pod.yaml")])
    assert result.code == 0, result.stdout
    found = [f for f in result.stdout.splitlines() if f"[{rule}]" in f]
    assert found and all(": warning: " in f for f in found), result.stdout
    assert any(f":{line}:" in f and words in f for f in found), found
    strict = run_podgen(["validate", "--strict", str(tmp_path / "pod.yaml")])
    assert strict.code == 1
