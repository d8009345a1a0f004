"""Blueprint words for real pods: volumes, mounts, env sources, security contexts, affinity,
more containers, ports, image pull Secrets; the flags for the common ones; import back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_podgen

#: A pod shaped like the ones in public examples (a web server with its config from a
#: ConfigMap, a cache in memory, a metrics exporter beside it, secrets as env).
WORDS_BLUEPRINT = """\
apiVersion: podgen.dev/v1
kind: Blueprint
skeleton: plain
pods:
  - name: web
    kind: deployment
    image: nginx:1.27
    securityContext: {runAsNonRoot: true, runAsUser: 101, fsGroup: 101}
    containerSecurityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}
    imagePullSecrets: [{name: regcred}]
    volumes:
      - {name: config, configMap: {name: web-config}}
      - {name: cache, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
      - name: tokens
        projected:
          sources:
          - serviceAccountToken: {path: token, expirationSeconds: 3600}
      - name: podinfo
        downwardAPI:
          items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]
    mounts:
      - name: config
        mountPath: /etc/nginx/conf.d/default.conf
        subPath: default.conf
        readOnly: true
      - {name: cache, mountPath: /var/cache/nginx}
      - {name: tokens, mountPath: /var/run/tokens, readOnly: true}
      - {name: podinfo, mountPath: /etc/podinfo}
    env:
      - name: POD_IP
        valueFrom: {fieldRef: {fieldPath: status.podIP}}
      - name: DB_PASSWORD
        valueFrom: {secretKeyRef: {name: db, key: password}}
    envFrom: [{configMapRef: {name: web-env}}]
    ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9113}]
    initContainers:
      - {name: migrate, image: "migrate/migrate:v4.17.0", args: [up]}
    containers:
      - name: exporter
        image: nginx/nginx-prometheus-exporter:1.1.0
        args: [--nginx.scrape-uri=http://localhost:8080/stub_status]
      - {name: ambassador, image: "envoyproxy/envoy:v1.30.1"}
    affinity:
      podAntiAffinity:
        preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 100
          podAffinityTerm:
            topologyKey: kubernetes.io/hostname
            labelSelector: {matchLabels: {app: web}}
    topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: ScheduleAnyway
        labelSelector: {matchLabels: {app: web}}
"""


def _render(tmp_path: Path, text: str) -> list[Any]:
    (tmp_path / "blueprint.yaml").write_text(text)
    result = run_podgen(["render", str(tmp_path / "blueprint.yaml")])
    assert result.code == 0, result.stderr
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def test_every_word_lands_where_the_api_has_it(tmp_path: Path) -> None:
    (deployment,) = _render(tmp_path, WORDS_BLUEPRINT)
    pod = deployment["spec"]["template"]["spec"]
    words = yaml.safe_load(WORDS_BLUEPRINT)["pods"][0]
    app, *others = pod["containers"]
    assert pod["securityContext"] == words["securityContext"]
    assert app["securityContext"] == words["containerSecurityContext"]
    assert pod["imagePullSecrets"] == words["imagePullSecrets"]
    assert pod["volumes"] == words["volumes"]
    assert app["volumeMounts"] == words["mounts"]
    assert app["env"] == words["env"] and app["envFrom"] == words["envFrom"]
    assert app["ports"] == words["ports"]
    assert pod["initContainers"] == words["initContainers"]
    assert others == words["containers"]
    assert pod["affinity"] == words["affinity"]
    assert pod["topologySpreadConstraints"] == words["topologySpreadConstraints"]


def test_the_rendered_pod_validates_and_imports_back_to_the_same_words(tmp_path: Path) -> None:
    (tmp_path / "blueprint.yaml").write_text(WORDS_BLUEPRINT)
    rendered = run_podgen(["render", str(tmp_path / "blueprint.yaml")]).stdout
    (tmp_path / "web.yaml").write_text(rendered)
    validated = run_podgen(["validate", str(tmp_path / "web.yaml")])
    assert validated.code == 0 and "error" not in validated.stdout, validated.stdout
    imported = run_podgen(["import", str(tmp_path / "web.yaml")])
    assert imported.code == 0 and imported.stderr == "", imported.stderr
    (entry,) = yaml.safe_load(imported.stdout)["pods"]
    assert "overrides" not in entry
    (tmp_path / "again.yaml").write_text(imported.stdout)
    assert run_podgen(["render", str(tmp_path / "again.yaml")]).stdout == rendered


def test_the_flags_for_the_common_ones() -> None:
    result = run_podgen(
        ["new", "web", "--image", "nginx:1.27", "--mount", "configmap:web-config:/etc/nginx:ro",
         "--mount", "secret:tls:/etc/tls", "--mount", "pvc:data:/data", "--env-from",
         "configmap:web-env", "--env-from", "secret:db", "--image-pull-secret", "regcred"]
    )  # fmt: skip
    assert result.code == 0, result.stderr
    spec = yaml.safe_load(result.stdout)["spec"]
    assert spec["volumes"] == [
        {"name": "web-config", "configMap": {"name": "web-config"}},
        {"name": "tls", "secret": {"secretName": "tls"}},
        {"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
    ]
    (app,) = spec["containers"]
    assert app["volumeMounts"] == [
        {"name": "web-config", "mountPath": "/etc/nginx", "readOnly": True},
        {"name": "tls", "mountPath": "/etc/tls"},
        {"name": "data", "mountPath": "/data"},
    ]
    assert app["envFrom"] == [{"configMapRef": {"name": "web-env"}}, {"secretRef": {"name": "db"}}]
    assert spec["imagePullSecrets"] == [{"name": "regcred"}]


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--mount", "nfs:x:/y", "--mount: expected configmap:NAME:PATH"),
        ("--mount", "configmap:x:relative", "--mount: expected configmap:NAME:PATH"),
        ("--env-from", "vault:x", "--env-from: expected configmap:NAME or secret:NAME"),
        (
            "--mount",
            "configmap:Bad_Name:/x",
            '--mount: spec.volumes[0].name: Invalid value: "Bad_Name"',
        ),
    ],
)
def test_bad_flag_values_are_one_line_naming_the_flag(flag: str, value: str, message: str) -> None:
    result = run_podgen(["new", "web", "--image", "nginx:1.27", flag, value])
    assert result.code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: {message}") and result.stderr.count("\n") == 1


def test_a_bad_word_names_its_blueprint_line(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\npods:\n  - name: w\n    image: nginx:1.27\n"
        "    volumes: [{name: Bad_Name, emptyDir: {}}]\n"
    )
    result = run_podgen(["render", str(tmp_path / "b.yaml")])
    assert result.code == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'b.yaml'}:6:16: pods[0].volumes[0].name: ")


def test_new_from_a_blueprint_keeps_the_words_a_flag_does_not_write(tmp_path: Path) -> None:
    (tmp_path / "blueprint.yaml").write_text(WORDS_BLUEPRINT)
    result = run_podgen(
        ["new", "--from", str(tmp_path / "blueprint.yaml"), "--image-pull-secret", "other"]
    )
    pod = yaml.safe_load(result.stdout)["spec"]["template"]["spec"]
    assert pod["imagePullSecrets"] == [{"name": "other"}]  # the flag's word, replaced
    assert pod["affinity"] and len(pod["volumes"]) == 4  # the others, kept
