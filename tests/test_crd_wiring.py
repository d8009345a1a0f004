"""Where CRDs come from, and custom resources checked with them, end to end through the CLI.

Sources: validate's inputs (in any order), `--crd FILE|DIR`, podgen.yaml's `crds:`, a
blueprint's folder. What the CRD's version and scope say, and metadata, are judged by the
real API server with the CRD installed (groups under wiring.podgen.test, this file's own).
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from podgen._checking.k8s_schema import kinds
from podgen._io.output import files_for, kind_part
from podgen._model.objects import BUILT_IN_GROUPS, custom_group, object_identity
from podgen._model.spec import OutputFormat
from tests.conftest import run_podgen
from tests.crd_builder import crd as builder
from tests.crd_builder import version

Obj = dict[str, Any]
GROUP = "wiring.podgen.test"


def crd(kind: str, plural: str, *, scope: str = "Namespaced", group: str = GROUP) -> Obj:
    """A CRD serving v1 (a small schema) and declaring v1beta1 unserved."""
    spec = {"type": "object", "properties": {"dnsName": {"type": "string"}}}
    schema = {"type": "object", "properties": {"spec": spec}}
    versions = [version("v1", schema), version("v1beta1", schema, served=False, storage=False)]
    names = {"listKind": f"{kind}List"}
    return builder(group, kind, versions=versions, plural=plural, scope=scope, names=names)


CERT = crd("Certificate", "certificates")
ISSUER = crd("ClusterIssuer", "clusterissuers", scope="Cluster")


def cr(kind: str = "Certificate", version: str = "v1", **metadata: Any) -> Obj:
    return {
        "apiVersion": f"{GROUP}/{version}",
        "kind": kind,
        "metadata": metadata or {"name": "web"},
        "spec": {"dnsName": "web.example.com"},
    }


def write(path: Path, *objects: Obj) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump_all(objects, sort_keys=False))
    return path


def findings(*args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_podgen(["validate", "--format", "json", *args])
    return result.code, json.loads(result.stdout)["findings"]


def rules(found: list[dict[str, Any]]) -> list[str]:
    return [f["rule"] for f in found]


# Where CRDs come from ----------------------------------------------------------------------


def test_a_crd_among_the_inputs_checks_a_custom_resource_listed_before_it(
    tmp_path: Path,
) -> None:
    bad = write(tmp_path / "a-cert.yaml", cr(version="v1beta1"))
    crd_file = write(tmp_path / "z-crd.yaml", CERT)
    code, found = findings(str(bad), str(crd_file))
    assert code == 1 and rules(found) == ["crd-version"]
    (finding,) = found
    assert (finding["file"], finding["line"], finding["column"]) == (str(bad), 1, 1)
    assert f"it serves {GROUP}/v1" in finding["message"]
    assert f"(CRD certificates.{GROUP}, {crd_file}:1)" in finding["message"]
    # A folder of both, and a CRD in the same file after its custom resource.
    assert rules(findings(str(tmp_path))[1]) == ["crd-version"]
    both = write(tmp_path / "both" / "all.yaml", cr(version="v1beta1"), CERT)
    assert rules(findings(str(both))[1]) == ["crd-version"]


def test_crd_flag_takes_a_file_or_a_folder_and_repeats(tmp_path: Path) -> None:
    manifest = write(tmp_path / "k8s" / "app.yaml", cr(version="v1beta1"), cr("ClusterIssuer"))
    write(tmp_path / "crds" / "cert.yaml", CERT)
    write(tmp_path / "more" / "issuer.yaml", ISSUER)
    assert rules(findings(str(manifest))[1]) == ["kind-unchecked", "kind-unchecked"]
    file_given = findings(str(manifest), "--crd", str(tmp_path / "crds" / "cert.yaml"))[1]
    assert rules(file_given) == ["crd-version", "kind-unchecked"]
    folders = findings(
        str(manifest), "--crd", str(tmp_path / "crds"), "--crd", str(tmp_path / "more")
    )
    assert folders == (1, folders[1]) and rules(folders[1]) == ["crd-version"]


def test_a_missing_crd_path_is_one_error_naming_the_flag(tmp_path: Path) -> None:
    manifest = write(tmp_path / "app.yaml", cr())
    for command in (["validate", str(manifest)], ["import", str(manifest)]):
        result = run_podgen([*command, "--crd", str(tmp_path / "nope")])
        assert result.code == 1 and result.stdout == ""
        assert result.stderr.strip().splitlines() == [
            f"error: --crd: {tmp_path / 'nope'}: no such file or folder (a CRD file or a folder)"
        ]


def test_kind_unchecked_says_how_to_give_the_crd(tmp_path: Path) -> None:
    (finding,) = findings(str(write(tmp_path / "app.yaml", cr())))[1]
    assert finding["severity"] == "warning" and finding["rule"] == "kind-unchecked"
    assert f"group {GROUP}" in finding["message"] and "--crd" in finding["message"]


def _project(root: Path, blueprint: Obj) -> None:
    write(root / "crds" / "cert.yaml", CERT)
    write(root / "blueprint.yaml", blueprint)
    (root / "podgen.yaml").write_text(
        "apiVersion: podgen.dev/v1\nkind: Project\nout: k8s\ncrds: [crds/]\n"
    )


def _blueprint(*objects: Obj) -> Obj:
    return {"apiVersion": "podgen.dev/v1", "kind": "Blueprint", "objects": list(objects)}


def test_a_projects_crds_check_its_blueprints_and_manifests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, _blueprint(cr(version="v1beta1")))
    write(tmp_path / "manifests" / "cert.yaml", cr(version="v1beta1"))
    monkeypatch.chdir(tmp_path)
    render = run_podgen(["render"])
    assert render.code == 1
    (line,) = render.stderr.strip().splitlines()
    assert "blueprint.yaml:4:" in line and "objects[0].apiVersion" in line
    assert f"CRD certificates.{GROUP}, crds/cert.yaml:1" in line
    # validate of the project, and of a manifest folder inside it, use crds: too.
    code, found = findings()
    assert code == 1 and "is served in version" in found[0]["message"]
    assert rules(findings("manifests")[1]) == ["crd-version"]
    # Fixed: render writes it, under a file name of its group's.
    write(tmp_path / "blueprint.yaml", _blueprint(cr()))
    assert run_podgen(["render"]).code == 0
    assert (tmp_path / "k8s" / f"certificate.{GROUP}_web.yaml").is_file()


def test_a_projects_crds_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, _blueprint(cr()))
    (tmp_path / "podgen.yaml").write_text(
        "apiVersion: podgen.dev/v1\nkind: Project\ncrds: [crds/, vendor/]\n"
    )
    monkeypatch.chdir(tmp_path)
    result = run_podgen(["render"])
    assert result.code == 1
    assert "podgen.yaml:3:" in result.stderr and "crds[1]" not in result.stderr.split(":")[0]
    assert "vendor/: no such file or folder" in result.stderr


def test_render_checks_objects_with_crds_beside_the_blueprint(tmp_path: Path) -> None:
    blueprint = write(tmp_path / "app" / "blueprint.yaml", _blueprint(cr(version="v1beta1")))
    alone = run_podgen(["render", str(blueprint)])
    assert alone.code == 0  # no CRD at hand: nothing to check it with (validate warns)
    write(tmp_path / "app" / "crds.yaml", CERT)
    result = run_podgen(["render", str(blueprint)])
    assert result.code == 1 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {blueprint}:4:")
    assert 'objects[0].apiVersion: apiVersion: Invalid value: "wiring.podgen.test/v1beta1"' in line
    assert f"(CRD certificates.{GROUP}, {tmp_path / 'app' / 'crds.yaml'}:1)" in line


def test_render_takes_crd_and_a_crd_among_the_objects(tmp_path: Path) -> None:
    blueprint = write(tmp_path / "app.yaml", _blueprint(cr(name="Web_1")))
    write(tmp_path / "elsewhere" / "cert.yaml", CERT)
    result = run_podgen(["render", str(blueprint), "--crd", str(tmp_path / "elsewhere")])
    assert result.code == 1 and "objects[0].metadata.name: metadata.name: Invalid" in result.stderr
    inline = write(tmp_path / "inline.yaml", _blueprint(CERT, cr(name="Web_1")))
    result = run_podgen(["render", str(inline)])
    assert result.code == 1 and "objects[1].metadata.name" in result.stderr
    assert f"{inline}:" in result.stderr and f"certificates.{GROUP}" in result.stderr


def test_a_cluster_scoped_custom_resource_takes_no_namespace_from_its_blueprint(
    tmp_path: Path,
) -> None:
    issuer = cr("ClusterIssuer", name="letsencrypt")
    blueprint = write(
        tmp_path / "app.yaml",
        {**_blueprint(issuer, cr()), "namespace": "shop"},
    )
    write(tmp_path / "issuer-crd.yaml", ISSUER, CERT)
    result = run_podgen(["render", str(blueprint), "--out", str(tmp_path / "out")])
    assert result.code == 0, result.stderr
    assert (tmp_path / "out" / f"clusterissuer.{GROUP}_letsencrypt.yaml").is_file()
    assert (tmp_path / "out" / "shop" / f"certificate.{GROUP}_web.yaml").is_file()
    code, found = findings(str(tmp_path / "out"), "--crd", str(tmp_path / "issuer-crd.yaml"))
    assert (code, found) == (0, [])


def test_import_keeps_custom_resources_and_notes_one_its_crd_refuses(tmp_path: Path) -> None:
    dump = write(tmp_path / "dump.yaml", CERT, cr(), cr(name="old", version="v1beta1"))
    result = run_podgen(["import", str(dump)])
    assert result.code == 0, result.stderr
    blueprint = yaml.safe_load(result.stdout)
    kept = [(o["kind"], o["metadata"]["name"]) for o in blueprint["objects"]]
    assert kept == [
        ("CustomResourceDefinition", f"certificates.{GROUP}"),
        ("Certificate", "web"),
        ("Certificate", "old"),
    ]
    (note,) = result.stderr.strip().splitlines()
    assert note.startswith(f"note: {dump}:") and "crd-version" not in note
    assert "kept it as it is" in note and f"certificates.{GROUP}" in note
    # The same with the CRD given by --crd instead.
    only = write(tmp_path / "only.yaml", cr(name="old", version="v1beta1"))
    write(tmp_path / "crds" / "cert.yaml", CERT)
    result = run_podgen(["import", str(only), "--crd", str(tmp_path / "crds")])
    assert result.code == 0 and "kept it as it is" in result.stderr


def test_two_crds_for_one_kind(tmp_path: Path) -> None:
    manifest = write(tmp_path / "app.yaml", cr())
    write(tmp_path / "a" / "cert.yaml", CERT)
    changed = copy.deepcopy(CERT)
    changed["spec"]["versions"][1]["served"] = True
    write(tmp_path / "b" / "cert.yaml", changed)
    # The same CRD twice: one. The same name, other content: the later wins, with a warning.
    assert (
        findings(
            str(manifest), "--crd", str(tmp_path / "a"), "--crd", str(tmp_path / "a" / "cert.yaml")
        )[1]
        == []
    )
    old = write(tmp_path / "old.yaml", cr(version="v1beta1"))
    code, found = findings(str(old), "--crd", str(tmp_path / "a"), "--crd", str(tmp_path / "b"))
    assert code == 0 and rules(found) == ["crd-replaced"]
    assert str(tmp_path / "a" / "cert.yaml") in found[0]["message"]
    # Two names for one kind: the server would not accept the second's names, an error.
    other = copy.deepcopy(CERT)
    other["metadata"]["name"] = f"certs.{GROUP}"
    other["spec"]["names"]["plural"] = "certs"
    write(tmp_path / "c" / "cert.yaml", other)
    code, found = findings(
        str(manifest), "--crd", str(tmp_path / "a"), "--crd", str(tmp_path / "c")
    )
    assert code == 1 and rules(found) == ["crd-conflict"]
    assert (
        f"certificates.{GROUP}" in found[0]["message"] and f"certs.{GROUP}" in found[0]["message"]
    )


def test_a_cel_note_is_reported_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the CEL module yields for a rule it cannot evaluate, for every object: one finding."""
    from podgen._checking import custom_resources
    from podgen._checking.checks_base import Violation

    def unchecked(obj: Obj, crd: Any) -> Any:
        yield Violation(
            "spec",
            None,
            f"1 CEL rule not checked ({crd.label()})",
            "crd-cel-unchecked",
            warning=True,
        )

    monkeypatch.setattr(custom_resources, "custom_resource_violations", unchecked)
    write(tmp_path / "crd.yaml", CERT)
    write(tmp_path / "a.yaml", cr(name="a"), cr(name="b"))
    write(tmp_path / "b.yaml", cr(name="c"))
    code, found = findings(str(tmp_path))
    assert code == 0 and rules(found) == ["crd-cel-unchecked"]


# Group-aware identity ----------------------------------------------------------------------

KNATIVE = {
    "apiVersion": "serving.knative.dev/v1",
    "kind": "Service",
    "metadata": {"name": "web"},
    "spec": {"template": {"spec": {"containers": [{"image": "nginx:1.27"}]}}},
}
VOLCANO = {
    "apiVersion": "batch.volcano.sh/v1alpha1",
    "kind": "Job",
    "metadata": {"name": "train"},
    "spec": {"minAvailable": 1, "tasks": [{"replicas": 1, "name": "worker"}]},
}


def gateway(api_version: str) -> Obj:
    return {"apiVersion": api_version, "kind": "Gateway", "metadata": {"name": "edge"}}


ISTIO = gateway("networking.istio.io/v1")
GATEWAY_API = gateway("gateway.networking.k8s.io/v1")


def test_custom_kinds_named_as_built_in_ones_are_no_errors_and_no_duplicates(
    tmp_path: Path,
) -> None:
    manifest = write(tmp_path / "app.yaml", KNATIVE, VOLCANO, ISTIO, GATEWAY_API)
    code, found = findings(str(manifest))
    assert code == 0 and set(rules(found)) == {"kind-unchecked"} and len(found) == 4
    twice = write(tmp_path / "twice.yaml", ISTIO, ISTIO)
    assert rules(findings(str(twice))[1]) == [
        "kind-unchecked",
        "kind-unchecked",
        "duplicate-object",
    ]
    # import keeps all four, render writes each to a file of its own
    imported = run_podgen(["import", str(manifest)])
    assert imported.code == 0, imported.stderr
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(imported.stdout)
    assert run_podgen(["render", str(blueprint), "--out", str(tmp_path / "out")]).code == 0
    written = sorted(p.name for p in (tmp_path / "out").iterdir() if p.suffix == ".yaml")
    assert written == [
        "gateway.gateway.networking.k8s.io_edge.yaml",
        "gateway.networking.istio.io_edge.yaml",
        "job.batch.volcano.sh_train.yaml",
        "kustomization.yaml",
        "service.serving.knative.dev_web.yaml",
    ]


@pytest.mark.parametrize(
    ("api_version", "kind", "message"),
    [
        ("apps/v1", "Deploymnet", "did you mean Deployment?"),
        ("app/v1", "Deployment", "Deployment is in apiVersion 'apps/v1', not 'app/v1'"),
        ("v1", "Servcie", "did you mean Service?"),
        ("batchs/v1", "Widget", 'no API group "batchs" is served'),
    ],
)
def test_typos_in_built_in_groups_stay_errors(
    tmp_path: Path, api_version: str, kind: str, message: str
) -> None:
    obj = {"apiVersion": api_version, "kind": kind, "metadata": {"name": "web"}}
    code, found = findings(str(write(tmp_path / "x.yaml", obj)))
    assert code == 1 and rules(found) == ["schema-kind"] and message in found[0]["message"]


def test_built_in_groups_are_the_schemas() -> None:
    assert {k.rsplit("/", 1)[0].rpartition("/")[0] for k in kinds()} == BUILT_IN_GROUPS


def test_identity_and_file_names_hold_the_group_of_custom_resources_only() -> None:
    assert object_identity(ISTIO) != object_identity(GATEWAY_API)
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}
    assert object_identity(deployment) == ("Deployment", "", "web", "")
    assert kind_part(deployment) == "deployment-"  # existing projects' records keep matching
    assert (
        custom_group("app/v1") is None and custom_group("cert.example.io/v1") == "cert.example.io"
    )
    # `a.b` + `c-d.e` and `a.b-c` + `d.e`: a `-` after the group would give both one file.
    one = {"apiVersion": "a.b/v1", "kind": "K", "metadata": {"name": "c-d.e"}}
    two = {"apiVersion": "a.b-c/v1", "kind": "K", "metadata": {"name": "d.e", "namespace": "ns"}}
    files = files_for([one, two], OutputFormat.YAML, lambda _: "")
    assert [f.relative_path for f in files] == ["k.a.b_c-d.e.yaml", "ns/k.a.b-c_d.e.yaml"]
    assert [f.describe() for f in files] == ["K.a.b 'c-d.e'", "K.a.b-c 'd.e' in namespace 'ns'"]
    assert not set('<>:"\\|?*').intersection("".join(f.relative_path for f in files))
    device = {"apiVersion": "a.b/v1", "kind": "Con", "metadata": {"name": "x"}}
    (file,) = files_for([device], OutputFormat.YAML, lambda _: "")
    assert file.relative_path == "%63on.a.b_x.yaml" and file.describe() == "Con.a.b 'x'"


def test_validate_checks_a_blueprints_custom_resources_with_the_crds_beside_it(
    tmp_path: Path,
) -> None:
    blueprint = write(tmp_path / "app" / "blueprint.yaml", _blueprint(cr(name="Web_1")))
    write(tmp_path / "app" / "crds.yaml", CERT)
    code, found = findings(str(blueprint))
    assert code == 1 and rules(found) == ["blueprint-rule"]
    assert (found[0]["file"], found[0]["line"]) == (str(blueprint), 7)
    assert f"CRD certificates.{GROUP}" in found[0]["message"]


# Speed -------------------------------------------------------------------------------------


def test_crds_are_read_only_when_a_custom_resource_asks(tmp_path: Path) -> None:
    """A run without custom resources neither searches the CRD files nor loads the CR checks."""
    write(tmp_path / "crds" / "cert.yaml", CERT)
    pod = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web"}}
    write(tmp_path / "cm.yaml", pod)
    script = (
        "import builtins, sys\n"
        "opened = []\n"
        "real = builtins.open\n"
        "def spy(file, *a, **k):\n"
        "    opened.append(str(file)); return real(file, *a, **k)\n"
        "builtins.open = spy\n"
        "from podgen._front.cli import main\n"
        "try:\n"
        "    main(['validate', 'cm.yaml', '--crd', 'crds'])\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        "assert 'podgen._checking.custom_resources' not in sys.modules\n"
        # validate checks the --crd file itself (one read, which names it if it cannot be
        # read); the catalog, with no custom resource asking, does not read it again
        "assert len([f for f in opened if 'cert.yaml' in f]) == 1, opened\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
