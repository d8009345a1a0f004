"""No false pass, no crash, no silent loss: what issue 11 found, each held by a test.

Lists and JSON streams are read whole; structurally wrong documents give findings, never an
internal error; numbers past int32/int64 are refused; an object written twice is an error
naming both places; repeated flags add up or are refused; the library checks its arguments;
import keeps what a person wrote on a Service.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podgen import PodFlags, RunFlags, UsageError, generate, new
from podgen._commands.validate import validate_text
from podgen._model.spec import Namespace
from tests.conftest import assert_schema_valid, parse_documents, run_podgen
from tests.kubectl_peer import Kubectl

HEAD = "apiVersion: podgen.dev/v1\nkind: Blueprint\n"


def _findings(text: str) -> list[tuple[int, str, str]]:
    return [(f.line, f.severity, f.rule) for f in validate_text(text, "m.yaml")]


# validate: Lists, nulls, wrong shapes

POD_LIST = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: ok
  spec:
    containers:
    - name: ok
      image: nginx:1.25.3
- apiVersion: v1
  kind: Pod
  metadata:
    name: Web
  spec:
    containers:
    - name: web
      imgae: nginx:1.25.3
metadata:
  resourceVersion: ""
"""


def test_validate_checks_every_item_of_a_list(tmp_path: Path) -> None:
    (tmp_path / "pods.yaml").write_text(POD_LIST)
    result = run_podgen(["validate", str(tmp_path / "pods.yaml")])
    assert result.code == 1
    assert (
        f"{tmp_path / 'pods.yaml'}:19:7: error: items[1]: spec.containers[0].imgae: unknown field "
        "'imgae'; did you mean 'image'? [schema-unknown-field]"
    ) in result.stdout
    assert "kind-unchecked" not in result.stdout
    fixed = POD_LIST.replace("imgae", "image")
    assert (15, "error", "name") in _findings(fixed)  # then the name `Web`


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: [null]\n",
            (6, "error", "container-name"),
        ),
        (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n"
            "  selector: {matchLabels: {a: b}}\n  template: null\n",
            (7, "error", "template-required"),
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: null\nspec: null\n",
            (3, "error", "name-required"),
        ),
    ],
)
def test_nulls_give_the_api_servers_findings(text: str, expected: tuple[int, str, str]) -> None:
    assert expected in _findings(text)


def test_a_bad_file_does_not_stop_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [null]\n"
    )
    (tmp_path / "b.yaml").write_text(POD_LIST)
    result = run_podgen(["validate", str(tmp_path), "--format", "json"])
    report = json.loads(result.stdout)
    assert {Path(f["file"]).name for f in report["findings"]} == {"a.yaml", "b.yaml"}
    assert "internal error" not in result.stderr


def _valid_objects() -> list[dict[str, Any]]:
    texts = [
        run_podgen(["new", "web", "--image", "nginx:1.25.3", "--port", "80", "--expose"]).stdout,
        run_podgen(["render", "labelled-pods"]).stdout,
        run_podgen(["render", "web-deployment"]).stdout,
        run_podgen(["render", "native-sidecar"]).stdout,
        (Path(__file__).parent / "manifests" / "kubectl-get-pod.yaml").read_text(),
    ]
    return [doc for text in texts for doc in yaml.safe_load_all(text) if doc]


VALID = _valid_objects()
WRONG = st.sampled_from(
    [None, [], {}, "", "x", 0, -1, 1.5, True, 2**40, [None], [1], {"a": None}, {"a": [None]}]
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*path, index)))
    return found


def _mangled(data: st.DataObject) -> str:
    """A real manifest with one to three values replaced by something of the wrong shape."""
    obj = copy.deepcopy(data.draw(st.sampled_from(VALID)))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(obj) if p]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = obj
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = copy.deepcopy(data.draw(WRONG))
    return json.dumps(obj) if data.draw(st.booleans()) else yaml.safe_dump(obj)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_structurally_wrong_documents_give_findings_not_crashes(data: st.DataObject) -> None:
    findings = validate_text(_mangled(data), "m.yaml")  # raises nothing
    for finding in findings:
        assert finding.line >= 1 and finding.rule and finding.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_import_of_wrong_shapes_is_one_clear_line(data: st.DataObject) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.yaml"
        path.write_text(_mangled(data))
        result = run_podgen(["import", str(path)])
    assert "internal error" not in result.stderr, result.stderr
    if result.code:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


# JSON streams


def test_validate_and_import_read_a_stream_of_json_objects() -> None:
    printed = run_podgen(
        ["new", "web", "--image", "nginx:1.25.3", "--port", "80", "--expose", "-o", "json"]
    ).stdout
    assert len(parse_documents(printed, "json")) == 2
    found = validate_text(printed, "<stdin>")
    assert [f for f in found if f.severity == "error"] == []
    broken = printed.replace('"containerPort": 80', '"containerPort": 99999')
    errors = [f for f in validate_text(broken, "x.json") if f.severity == "error"]
    line = broken.splitlines().index('                        "containerPort": 99999') + 1
    assert [(f.line, f.rule) for f in errors] == [(line, "port-range")]


@pytest.mark.parametrize("name", ["labelled-pods", "nginx-web", "web-deployment"])
def test_import_of_render_json_renders_back(tmp_path: Path, name: str) -> None:
    printed = run_podgen(["render", name, "-o", "json"]).stdout
    (tmp_path / "all.json").write_text(printed)
    imported = run_podgen(["import", str(tmp_path / "all.json")])
    assert imported.code == 0, imported.stderr
    (tmp_path / "bp.yaml").write_text(imported.stdout)
    assert run_podgen(["render", str(tmp_path / "bp.yaml"), "-o", "json"]).stdout == printed


# Numbers past int32 and int64


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--kind", "deployment", "--replicas", "99999999999999999999"],
            "error: --replicas: spec.replicas: must be a whole number from -2147483648 to "
            "2147483647 (int32), not 99999999999999999999\n",
        ),
        (
            ["--grace-period", "9223372036854775808"],
            "error: --grace-period: spec.terminationGracePeriodSeconds: must be a whole number "
            "from -9223372036854775808 to 9223372036854775807 (int64), not 9223372036854775808\n",
        ),
        (
            ["--toleration", "k:NoExecute:99999999999999999999"],
            "error: --toleration: spec.tolerations[0].tolerationSeconds: must be a whole number "
            "from -9223372036854775808 to 9223372036854775807 (int64), not 99999999999999999999\n",
        ),
        (
            ["--probe", "tcp", "--port", "80", "--period", "2147483648"],
            "error: --probe: spec.containers[0].livenessProbe.periodSeconds: must be a whole "
            "number from -2147483648 to 2147483647 (int32), not 2147483648\n",
        ),
    ],
)
def test_numbers_past_the_apis_integers_are_refused(argv: list[str], message: str) -> None:
    result = run_podgen(["new", "web", "--image", "nginx:1.25.3", *argv])
    assert (result.code, result.stdout, result.stderr) == (1, "", message)


def test_a_number_in_e_notation_is_not_a_whole_number() -> None:
    result = run_podgen(["new", "web", "--image", "nginx:1", "--grace-period", "1e23"])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == "error: --grace-period: expected a whole number, not '1e23'\n"


def test_kubectl_refuses_the_huge_replica_count_too(kubectl: Kubectl) -> None:
    args = ["create", "deployment", "web", "--image", "nginx", "--replicas", "99999999999999999999"]
    assert kubectl([*args, "--dry-run=client", "-o", "yaml"]).returncode == 1


def test_a_blueprint_and_a_manifest_past_int32(tmp_path: Path) -> None:
    (tmp_path / "bp.yaml").write_text(
        HEAD + "pods:\n  - name: web\n    image: nginx:1\n    kind: deployment\n"
        "    replicas: 3000000000\n"
    )
    result = run_podgen(["render", str(tmp_path / "bp.yaml")])
    assert result.code == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'bp.yaml'}:7:5: pods[0].replicas: ")
    manifest = run_podgen(["new", "web", "--image", "nginx:1", "--kind", "deployment"]).stdout
    manifest = manifest.replace("replicas: 1", "replicas: 3000000000")
    assert (8, "error", "schema-range") in _findings(manifest)


# One kind, namespace and name is one object


TWO_WEBS = HEAD + "pods:\n  - name: web\n    image: nginx:1\n  - name: web\n    image: nginx:2\n"


def test_a_blueprint_writing_one_object_twice_is_refused(tmp_path: Path) -> None:
    blueprint = tmp_path / "two.yaml"
    blueprint.write_text(TWO_WEBS)
    for argv in (
        ["render", str(blueprint)],
        ["render", str(blueprint), "--out", str(tmp_path / "o")],
    ):
        result = run_podgen(argv)
        assert (result.code, result.stdout) == (1, "")
        assert result.stderr == (
            f"error: {blueprint}:6:5: pods[1] writes Pod 'web', which pods[0] at {blueprint}:4:5 "
            "writes too; one kind, namespace and name is one object\n"
        )
    assert not (tmp_path / "o").exists()
    result = run_podgen(["validate", str(blueprint)])
    assert result.code == 1 and ":6:5: error: pods[1] writes Pod 'web'" in result.stdout


def test_two_blueprints_writing_one_object_are_refused(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(HEAD + "pods:\n  - name: web\n    image: nginx:1\n")
    result = run_podgen(["render", str(tmp_path)])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: {tmp_path / 'b.yaml'}:4:5 (pods[0]): writes Pod 'web', which "
        f"{tmp_path / 'a.yaml'}:4:5 (pods[0]) writes too; one kind, namespace and name is "
        "one object\n"
    )


def test_new_from_refuses_a_blueprint_with_two_pods_of_one_name(tmp_path: Path) -> None:
    (tmp_path / "two.yaml").write_text(TWO_WEBS)
    result = run_podgen(["new", "web", "--from", str(tmp_path / "two.yaml"), "--image", "x"])
    assert (result.code, result.stdout) == (1, "")
    assert "pods[1] is named 'web' like pods[0]" in result.stderr


def test_validate_reports_an_object_written_twice() -> None:
    pod = run_podgen(["new", "web", "--image", "nginx:1.25.3"]).stdout
    found = validate_text(pod + "---\n" + pod, "twice.yaml")
    duplicates = [f for f in found if f.rule == "duplicate-object"]
    assert [(f.line, f.severity, f.message) for f in duplicates] == [
        (
            16,
            "error",
            "Pod 'web' is already at line 1; one kind, namespace and name is one object",
        )
    ]
    other = pod.replace("  name: web\n", "  name: web\n  namespace: shop\n")
    assert not [
        f for f in validate_text(pod + "---\n" + other, "m") if f.rule == "duplicate-object"
    ]


def test_import_refuses_the_same_object_twice(tmp_path: Path) -> None:
    # Two files holding one object; one file named twice is read once (issue 24), as validate.
    pod = run_podgen(["new", "web", "--image", "nginx:1"]).stdout
    (tmp_path / "pod.yaml").write_text(pod)
    (tmp_path / "copy.yaml").write_text(pod)
    result = run_podgen(["import", str(tmp_path / "pod.yaml"), str(tmp_path / "copy.yaml")])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: {tmp_path / 'copy.yaml'}:1:1: Pod 'web' is also at {tmp_path / 'pod.yaml'}:1:1; "
        "one kind, namespace and name is one object\n"
    )
    once = run_podgen(["import", str(tmp_path / "pod.yaml")])
    twice = run_podgen(["import", str(tmp_path / "pod.yaml"), str(tmp_path / "pod.yaml")])
    assert (twice.code, twice.stdout) == (0, once.stdout)


def test_import_of_a_server_object_of_the_wrong_shape_names_the_field(tmp_path: Path) -> None:
    # Found by the property below: a status makes it look server-returned, and stripping the
    # server's fields from a metadata that is a string was an internal error.
    (tmp_path / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: x\nspec:\n  ports:\n  - port: 80\n"
        "status:\n  loadBalancer: {}\n"
    )
    result = run_podgen(["import", str(tmp_path / "svc.yaml")])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"error: {tmp_path / 'svc.yaml'}:3:1: metadata: expected a map")
    (tmp_path / "ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\nstatus: x\n")
    result = run_podgen(["import", str(tmp_path / "ns.yaml")])
    assert (result.code, result.stdout) == (1, "")
    assert (
        result.stderr.startswith(f"error: {tmp_path / 'ns.yaml'}:")
        and "internal" not in result.stderr
    )


def test_a_team_template_repeating_a_key_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml.j2").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ obj.name }}\n  labels:\n"
        "    app: {{ obj.name }}\n  labels:\n    team: shop\nspec:\n  containers:\n"
        "  - name: app\n    image: nginx:1.25.3\n"
    )
    result = run_podgen(["new", "web", "--image", "nginx:1", "--templates", str(tmp_path)])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: --templates: pod.yaml.j2 rendered invalid YAML (line 7, column 3 of its "
        "output): duplicate key 'labels' (first at line 5)\n"
    )


# Repeated flags


def test_repeated_requests_and_limits_add_up() -> None:
    result = run_podgen(
        [
            "new", "web", "--image", "nginx:1",
            "--requests", "cpu=100m", "--requests", "memory=1Gi",
            "--limits", "cpu=1", "--limits=memory=2Gi",
        ]
    )  # fmt: skip
    assert result.code == 0, result.stderr
    resources = yaml.safe_load(result.stdout)["spec"]["containers"][0]["resources"]
    assert resources == {
        "requests": {"cpu": "100m", "memory": "1Gi"},
        "limits": {"cpu": "1", "memory": "2Gi"},
    }
    twice = run_podgen(["new", "web", "--image", "x", "--requests", "cpu=1", "--requests", "cpu=2"])
    assert twice.stderr == "error: --requests: cpu is given twice\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--image", "httpd"],
            "error: --image: given twice, as 'nginx:1' and as 'httpd'; a Pod runs one image "
            "(--kind deployment, statefulset, daemonset or replicaset take several, a container "
            "each)\n",
        ),
        (
            ["-l", "a=b", "--labels", "c=d"],
            "error: --labels: given twice, as 'a=b' and as 'c=d'; give it once\n",
        ),
        (["-nprod", "-n", "dev"], "error: -n: given twice, as 'prod' and as 'dev'; give it once\n"),
    ],
)
def test_a_one_value_flag_given_twice_is_refused(argv: list[str], message: str) -> None:
    result = run_podgen(["new", "web", "--image", "nginx:1", *argv])
    assert (result.code, result.stdout, result.stderr) == (1, "", message)
    same = run_podgen(["new", "web", "--image", "nginx:1", "--image", "nginx:1"])
    assert same.code == 0


# kubectl's spellings


@pytest.mark.parametrize(
    "flags",
    [
        ["--privileged=true", "--expose=true", "--port", "80"],
        ["--privileged=false", "--expose=false", "--command=false", "--", "sleep", "1"],
        ["--command=true", "--privileged=1", "--", "sleep", "1"],
        ["--expose=True", "--port=80", "--privileged=F"],
        ["--dry-run", "-o", "json"],
        ["--dry-run", "--port", "80"],
    ],
)
def test_kubectl_spellings_give_kubectls_output(kubectl: Kubectl, flags: list[str]) -> None:
    base = ["web", "--image", "nginx:1.25.3"]
    output = [] if "-o" in flags else ["-o", "yaml"]
    dry_run = [] if "--dry-run" in flags else ["--dry-run=client"]
    cut = flags.index("--") if "--" in flags else len(flags)
    argv = [*base, *flags[:cut], *dry_run, *output, *flags[cut:]]
    expected = kubectl(["run", *argv])
    assert expected.returncode == 0, expected.stderr
    result = run_podgen(["new", *argv])
    assert (result.code, result.stdout) == (0, expected.stdout)


def test_a_bad_boolean_is_refused_as_kubectl_refuses_it(kubectl: Kubectl) -> None:
    argv = ["web", "--image", "nginx", "--privileged=maybe", "--dry-run=client", "-o", "yaml"]
    assert kubectl(["run", *argv]).returncode == 1
    result = run_podgen(["new", *argv])
    assert (result.code, result.stderr) == (
        1,
        'error: --privileged: invalid argument "maybe": expected true or false\n',
    )


def test_false_overrides_a_blueprint_with_from(tmp_path: Path) -> None:
    (tmp_path / "bp.yaml").write_text(
        HEAD + "pods:\n  - name: web\n    image: nginx:1\n    privileged: true\n"
    )
    result = run_podgen(["new", "--from", str(tmp_path / "bp.yaml"), "--privileged=false"])
    assert result.code == 0 and "privileged" not in result.stdout


# The library


def test_the_library_takes_what_means_one_thing() -> None:
    flags = RunFlags(name="web", image="nginx:1.25.3", port=80)  # type: ignore[arg-type]
    assert new(flags) == new(RunFlags(name="web", image="nginx:1.25.3", port="80"))
    as_json = new(flags, output="json")  # type: ignore[arg-type]
    assert json.loads(as_json)["kind"] == "Pod"
    assert new(flags, output="JSON") == as_json  # type: ignore[arg-type]
    deployment = new(RunFlags(name="web", image="nginx:1.25.3", kind="deployment"))  # type: ignore[arg-type]
    assert yaml.safe_load(deployment)["kind"] == "Deployment"
    sidecar = new(
        RunFlags(name="web", image="nginx:1.25.3", pod=PodFlags(pattern="sidecar"))  # type: ignore[arg-type]
    )
    assert len(yaml.safe_load(sidecar)["spec"]["containers"]) == 2
    assert_schema_valid(generate([Namespace(name="shop")], output="json"), "json")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: new(RunFlags(name="web", image="busybox", args=["sleep", 10])),  # type: ignore[list-item]
            "ARGS after --: expected a list of strings or one string, not ['sleep', 10]",
        ),
        (
            lambda: new(RunFlags(name="web", image="nginx"), output="xml"),  # type: ignore[arg-type]
            "output: expected 'yaml', 'json' or 'kyaml', not 'xml'",
        ),
        (
            lambda: new(RunFlags(name="web", image="nginx", kind="statefulsets")),  # type: ignore[arg-type]
            "--kind: expected one of pod, deployment, statefulset, daemonset, replicaset, job "
            "or cronjob, not 'statefulsets'",
        ),
        (
            lambda: new(RunFlags(name="web", image="nginx"), templates="/no/such/folder"),
            "templates: /no/such/folder: no such folder",
        ),
        (
            lambda: new(RunFlags(name="web", image="nginx", replicas="three")),
            "--replicas: expected a whole number (an int or its decimal text), not 'three'",
        ),
        (
            lambda: new(RunFlags(name="web", image="nginx", env={"A": "1"})),  # type: ignore[arg-type]
            "--env: expected a list of strings or one string, not {'A': '1'}",
        ),
        (
            lambda: new(RunFlags(name="web", image="nginx", privileged="yes")),  # type: ignore[arg-type]
            "--privileged: expected True or False, not 'yes'",
        ),
        (lambda: new({"name": "web"}), "flags: expected podgen.RunFlags, not dict"),  # type: ignore[arg-type]
    ],
)
def test_the_library_refuses_wrong_types_with_the_clis_messages(call: Any, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        call()
    assert str(raised.value) == message


# import keeps what a person wrote on a Service

HEADLESS = """\
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  ipFamilyPolicy: SingleStack
  ipFamilies: [IPv4]
  selector:
    app: db
  ports:
  - port: 5432
"""


def test_import_keeps_a_headless_service_and_its_ip_families(tmp_path: Path) -> None:
    (tmp_path / "svc.yaml").write_text(HEADLESS)
    imported = run_podgen(["import", str(tmp_path / "svc.yaml")])
    assert imported.code == 0, imported.stderr
    service = yaml.safe_load(imported.stdout)["services"][0]
    assert (service["clusterIP"], service["ipFamilyPolicy"], service["ipFamilies"]) == (
        "None",
        "SingleStack",
        ["IPv4"],
    )
    (tmp_path / "bp.yaml").write_text(imported.stdout)
    rendered = yaml.safe_load(run_podgen(["render", str(tmp_path / "bp.yaml")]).stdout)
    assert {k: rendered["spec"][k] for k in ("clusterIP", "ipFamilyPolicy", "ipFamilies")} == {
        "clusterIP": "None",
        "ipFamilyPolicy": "SingleStack",
        "ipFamilies": ["IPv4"],
    }


def test_import_strips_only_what_the_server_assigned(tmp_path: Path) -> None:
    from_cluster = HEADLESS.replace(
        "  name: db\n", '  name: db\n  uid: 1a2b\n  resourceVersion: "7"\n'
    )
    assigned = from_cluster.replace(
        "clusterIP: None", "clusterIP: 10.96.0.7\n  clusterIPs: [10.96.0.7]"
    )
    (tmp_path / "assigned.yaml").write_text(
        assigned + "  type: ClusterIP\nstatus: {loadBalancer: {}}\n"
    )
    service = yaml.safe_load(run_podgen(["import", str(tmp_path / "assigned.yaml")]).stdout)
    assert service["services"][0] == {"name": "db", "ports": [5432], "selector": {"app": "db"}}
    (tmp_path / "headless.yaml").write_text(from_cluster)
    service = yaml.safe_load(run_podgen(["import", str(tmp_path / "headless.yaml")]).stdout)
    assert service["services"][0]["clusterIP"] == "None"
    # A type written out by a person comes back.
    (tmp_path / "typed.yaml").write_text(HEADLESS + "  type: ClusterIP\n")
    service = yaml.safe_load(run_podgen(["import", str(tmp_path / "typed.yaml")]).stdout)
    assert service["services"][0]["type"] == "ClusterIP"


@pytest.mark.parametrize(
    ("spec", "rule", "message"),
    [
        ("  clusterIP: 10.0.0.300\n", "service-cluster-ip", "must be a valid IP address"),
        (
            "  clusterIP: None\n  type: NodePort\n",
            "service-cluster-ip",
            "may not be set to 'None' for NodePort services",
        ),
        ("  ipFamilies: [IPv4, IPv4]\n", "service-ip-family", "Duplicate value"),
        (
            "  ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv4, IPv6]\n",
            "service-ip-family",
            "must be RequireDualStack or PreferDualStack",
        ),
    ],
)
def test_service_addresses_follow_the_api_servers_rules(spec: str, rule: str, message: str) -> None:
    text = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n"
        "  selector: {app: db}\n  ports: [{port: 80}]\n" + spec
    )
    found = [f for f in validate_text(text, "s.yaml") if f.severity == "error"]
    assert [f.rule for f in found] == [rule] and message in found[0].message
