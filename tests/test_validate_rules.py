"""More of the API server's rules, each with a manifest that breaks it once (issue 15).

Each finding must name the rule, carry the upstream message and stand at the offending key's
line. The ones the API server accepts (issue 15's false errors) are in test_validate_corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_podgen
from tests.test_validate_corpus import pod

SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
    "  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n"
    "    spec: {containers: [{name: c, image: nginx:1.27}]}\n"
)

CASES = [
    ("host-port-range", pod("    ports:\n    - {containerPort: 80, hostPort: 70000}\n"), 11,
     "port-range", "between 1 and 65535"),
    ("env-from-both",
     pod("    envFrom:\n    - configMapRef: {name: a}\n      secretRef: {name: b}\n"),
     11, "env-from", "may not have more than one field"),
    ("env-from-prefix", pod("    envFrom:\n    - prefix: 'A='\n      configMapRef: {name: a}\n"),
     11, "env-from", "printable ASCII characters other than '='"),
    ("env-config-map-key", pod("    env:\n    - name: A\n      valueFrom:\n"
                               "        configMapKeyRef: {name: c, key: 'a/b'}\n"),
     13, "env-key-ref", "a valid config key"),
    ("mount-sub-path-absolute",
     pod("    volumeMounts:\n    - {name: d, mountPath: /d, subPath: /etc}\n",
         "  volumes:\n  - {name: d, emptyDir: {}}\n"),
     11, "mount-sub-path", "must be a relative path"),
    ("mount-sub-path-dotdot",
     pod("    volumeMounts:\n    - {name: d, mountPath: /d, subPath: a/../../b}\n",
         "  volumes:\n  - {name: d, emptyDir: {}}\n"),
     11, "mount-sub-path", "must not contain '..'"),
    ("mount-propagation",
     pod("    volumeMounts:\n    - {name: d, mountPath: /d, mountPropagation: Shared}\n",
         "  volumes:\n  - {name: d, emptyDir: {}}\n"),
     11, "mount-propagation", 'Unsupported value: "Shared"'),
    ("volume-default-mode", pod(extra_spec="  volumes:\n  - name: c\n    configMap:\n"
                                "      name: c\n      defaultMode: 1000\n"),
     14, "volume-file-mode", "between 0 and 0777 (octal)"),
    ("volume-item-path", pod(extra_spec="  volumes:\n  - name: c\n    secret:\n"
                             "      secretName: s\n      items:\n      - {key: a, path: /etc/a}\n"),
     15, "volume-items", "must be a relative path"),
    ("volume-host-path-type", pod(extra_spec="  volumes:\n  - name: h\n    hostPath:\n"
                                  "      path: /var/log\n      type: Folder\n"),
     14, "volume-source", 'Unsupported value: "Folder"'),
    ("volume-claim-name", pod(extra_spec="  volumes:\n  - name: p\n    persistentVolumeClaim:\n"
                              "      readOnly: true\n"),
     12, "schema-required", "missing required field 'claimName'"),
    ("probe-grace-on-readiness",
     pod("    readinessProbe:\n      tcpSocket: {port: 80}\n"
         "      terminationGracePeriodSeconds: 5\n"),
     12, "probe-timing", "must not be set for readinessProbes"),
    ("probe-grace-zero",
     pod("    livenessProbe:\n      tcpSocket: {port: 80}\n"
         "      terminationGracePeriodSeconds: 0\n"),
     12, "probe-timing", "must be greater than 0"),
    ("dns-none-without-config", pod(extra_spec="  dnsPolicy: None\n"), 6, "dns-config",
     "must provide `dnsConfig` when `dnsPolicy` is None"),
    ("dns-four-nameservers",
     pod(extra_spec="  dnsConfig:\n    nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9, 1.0.0.1]\n"),
     11, "dns-config", "must not have more than 3 nameservers"),
    ("active-deadline-zero", pod(extra_spec="  activeDeadlineSeconds: 0\n"), 10,
     "active-deadline", "must be between 1 and 2147483647"),
    ("hostname", pod(extra_spec="  hostname: Web_1\n"), 10, "pod-hostname", "RFC 1123 label"),
    ("spread-skew", pod(extra_spec="  topologySpreadConstraints:\n  - maxSkew: 0\n"
                        "    topologyKey: zone\n    whenUnsatisfiable: DoNotSchedule\n"),
     11, "topology-spread", "must be greater than zero"),
    ("spread-when", pod(extra_spec="  topologySpreadConstraints:\n  - maxSkew: 1\n"
                        "    topologyKey: zone\n    whenUnsatisfiable: Never\n"),
     13, "topology-spread", 'Unsupported value: "Never"'),
    ("spread-key", pod(extra_spec="  topologySpreadConstraints:\n  - maxSkew: 1\n"
                       "    whenUnsatisfiable: DoNotSchedule\n"),
     11, "schema-required", "missing required field 'topologyKey'"),
    ("anti-affinity-key",
     pod(extra_spec="  affinity:\n    podAntiAffinity:\n"
                    "      requiredDuringSchedulingIgnoredDuringExecution:\n"
                    "      - labelSelector: {matchLabels: {app: web}}\n"),
     13, "schema-required", "missing required field 'topologyKey'"),
    ("seccomp-type", pod("    securityContext:\n      seccompProfile: {type: Default}\n"), 11,
     "seccomp-profile", 'Unsupported value: "Default"'),
    ("seccomp-localhost", pod(extra_spec="  securityContext:\n    seccompProfile:\n"
                              "      type: Localhost\n"),
     11, "seccomp-profile", "must be set when seccomp type is Localhost"),
    ("service-node-port-range", SERVICE + "  type: NodePort\n  ports:\n"
     "  - {port: 80, nodePort: 8080}\n", 7, "service-node-port", "30000-32767"),
    ("service-session-affinity", SERVICE + "  sessionAffinity: Sticky\n  ports: [{port: 80}]\n",
     5, "service-session-affinity", 'Unsupported value: "Sticky"'),
    ("service-external-name-missing", SERVICE + "  type: ExternalName\n", 4,
     "service-external-name", "Required value"),
    ("service-traffic-policy-cluster-ip",
     SERVICE + "  externalTrafficPolicy: Local\n  ports: [{port: 80}]\n", 5,
     "service-traffic-policy", "may only be set for externally-accessible services"),
    ("env-from-without-name", pod("    envFrom:\n    - configMapRef: {optional: true}\n"), 11,
     "env-from", "Required value"),
    ("secret-key-ref-without-name",
     pod("    env:\n    - name: A\n      valueFrom:\n        secretKeyRef: {key: password}\n"),
     13, "env-key-ref", "Required value"),
    ("termination-message-policy", pod("    terminationMessagePolicy: Always\n"), 10,
     "termination-message-policy", 'Unsupported value: "Always"'),
    ("config-map-volume-without-name",
     pod(extra_spec="  volumes:\n  - name: c\n    configMap: {defaultMode: 420}\n"), 12,
     "volume-source", "Required value"),
    ("secret-volume-without-name",
     pod(extra_spec="  volumes:\n  - name: s\n    secret: {optional: true}\n"), 12,
     "volume-source", "Required value"),
    ("priority-class-name", pod(extra_spec="  priorityClassName: High_Priority\n"), 10,
     "pod-class-name", "RFC 1123 subdomain"),
    ("preemption-policy", pod(extra_spec="  preemptionPolicy: Always\n"), 10,
     "preemption-policy", 'Unsupported value: "Always"'),
    ("host-alias-ip", pod(extra_spec="  hostAliases:\n  - ip: 10.0.0.300\n"
                          "    hostnames: [db.local]\n"), 11,
     "host-aliases", "must be a valid IP address"),
    ("dns-nameserver-ip", pod(extra_spec="  dnsConfig:\n    nameservers: [dns.google]\n"), 11,
     "dns-config", "must be a valid IP address"),
    ("service-source-ranges-on-cluster-ip",
     SERVICE + "  loadBalancerSourceRanges: [10.0.0.0/8]\n  ports: [{port: 80}]\n", 5,
     "service-source-ranges", "may only be used when `type` is 'LoadBalancer'"),
    ("service-source-range-cidr",
     SERVICE + "  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/33]\n"
     "  ports: [{port: 80}]\n", 6, "service-source-ranges", "must be a list of IP ranges"),
    ("service-external-ip", SERVICE + "  externalIPs: [192.0.2.256]\n  ports: [{port: 80}]\n",
     5, "service-external-ips", "must be a valid IP address"),
    ("selector-operator",
     DEPLOYMENT.replace("  selector: {matchLabels: {app: a}}",
                        "  selector:\n    matchLabels: {app: a}\n    matchExpressions:\n"
                        "    - {key: tier, operator: Equals, values: [web]}"),
     8, "selector-requirement", "not a valid selector operator"),
    ("selector-in-without-values",
     DEPLOYMENT.replace("  selector: {matchLabels: {app: a}}",
                        "  selector:\n    matchLabels: {app: a}\n    matchExpressions:\n"
                        "    - {key: tier, operator: In}"),
     8, "selector-requirement", "must be specified when `operator` is 'In' or 'NotIn'"),
    ("deployment-progress-deadline",
     DEPLOYMENT.replace("  selector", "  minReadySeconds: 30\n  progressDeadlineSeconds: 10\n"
                        "  selector"),
     6, "progress-deadline", "must be greater than minReadySeconds"),
]  # fmt: skip


def test_every_case_has_its_own_id() -> None:
    assert len({case[0] for case in CASES}) == len(CASES) >= 25


@pytest.mark.parametrize(
    ("case", "text", "line", "rule", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_each_rule_is_found_at_its_line(
    tmp_path: Path, case: str, text: str, line: int, rule: str, words: str
) -> None:
    (tmp_path / "m.yaml").write_text(text)
    result = run_podgen(["validate", str(tmp_path / "m.yaml")])
    assert result.code == 1, result.stdout
    errors = [f for f in result.stdout.splitlines() if ": error: " in f and f"[{rule}]" in f]
    assert any(f":{line}:" in f and words in f for f in errors), result.stdout


ACCEPTED = [
    ("relative-sub-path", pod("    volumeMounts:\n    - {name: d, mountPath: /d, subPath: a/b}\n",
                              "  volumes:\n  - {name: d, emptyDir: {}}\n")),
    ("external-ips-traffic-policy", SERVICE + "  externalIPs: [192.0.2.10]\n"
     "  externalTrafficPolicy: Local\n  ports: [{port: 80}]\n"),
    ("external-name-with-dot", SERVICE + "  type: ExternalName\n  externalName: db.example.com.\n"),
    ("node-port-in-range", SERVICE + "  type: NodePort\n  ports: [{port: 80, nodePort: 30080}]\n"),
    ("dns-none-with-config", pod(extra_spec="  dnsPolicy: None\n  dnsConfig:\n"
                                 "    nameservers: [1.1.1.1]\n")),
    ("spread-min-domains", pod(extra_spec="  topologySpreadConstraints:\n  - maxSkew: 1\n"
                               "    minDomains: 2\n    topologyKey: zone\n"
                               "    whenUnsatisfiable: DoNotSchedule\n")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "text"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_what_the_api_server_accepts_stays_accepted(tmp_path: Path, case: str, text: str) -> None:
    (tmp_path / "m.yaml").write_text(text)
    result = run_podgen(["validate", str(tmp_path / "m.yaml")])
    assert ": error: " not in result.stdout, result.stdout
