"""`podgen explain` against `kubectl explain` 1.37 and the shared 1.36 API server, end to end.

podgen runs as the console script (a process of its own, as users run it, on its lean path)
with `--k8s-version 1.36`, kubectl against the server; both must write the same stdout and
stderr and exit alike, for every spelling of a resource, every flag and every error. Where
kubectl follows a flag error with `See 'kubectl explain --help' for usage.`, podgen keeps to
one line: the first is compared.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from podgen._explaining import store
from podgen._explaining.resources import OPENAPIV2, group_resource
from tests.explain_peer import FLAG_HELP, PODGEN, ExplainPeer, differences, podgen_explain
from tests.test_explain_resources import QUIRKS, WITH_API_VERSION

OUTPUTS = ("plaintext", OPENAPIV2)


#: Flags and arguments kubectl refuses before it explains anything, and those it takes.
FLAG_ERRORS = [
    [], ["pods", "deployments"], ["--", "pods", "deployments"], ["pods", "--foo"],
    ["pods", "--foo=bar"], ["pods", "-x"], ["pods", "-Rx"], ["pods", "-o"], ["pods", "--output"],
    ["pods", "--api-version"], ["pods", "--max-depth", "x"], ["pods", "--max-depth", "1"],
    ["pods", "--max-depth=2"], ["--max-depth", "1"], ["foo", "--max-depth", "1"],
    ["pods", "-R", "--max-depth", "-1"], ["foo", "--max-depth", "-1", "-R"],
    ["pods", "--max-depth", "99999999999999999999"], ["pods", "--recursive=maybe"],
    ["pods", "-R=maybe"], ["pods", "---x"], ["pods", "--=x"], ["pods", "-o", "yaml"],
    ["pods", "-oyaml"], ["pods", "-o=yaml"], ["pods", "--output=Plaintext"], ["pods", "-o", ""],
    ["pods", "-Ro", "yaml"], ["pods", "-R", "-o", "json"], ["foo", "-o", "yaml"],
    ["pods", "-o", "yaml", "--api-version", "apps/v9"], ["pods", "--api-version", "a/b/c"],
    ["pods", "--api-version=apps/v1"], ["pods", "--api-version", "apps/v1", "-o", "yaml"],
    ["ev", "--api-version", "a/b/c"], ["ev", "-o", "yaml"], ["pods.foo", "-o", "yaml"],
    ["foo"], ["Po"], ["pods[0]"], ["pods}"], ["@pods"], [""], ["pods/log"], ["podlist"],
    ["list"], ["deploymentlist", "--api-version", "apps/v1"], ["pods", "--api-version", "/"],
    ["-", "-R"], ["list", "-o", "plaintext-openapiv2"],
    ["pods", "-o", "plaintext-openapiv2", "--api-version", "apps/v1"],
    ["deployments", "-o", "plaintext-openapiv2", "--api-version", "v1"],
    # --max-depth is Go's strconv.ParseInt(s, 0, 64): base prefixes, octal, underscores.
    ["cronjobs", "-R", "--max-depth", "010"], ["pods", "-R", "--max-depth=08"],
    *(
        ["pods", "-R", "--max-depth", depth]
        for depth in (
            "0x2", "0b10", "0o2", "0X2", "1_0", "+0x2", "-0x1", "08", "0_10", "0x_1", "1__0",
            "_1", "1_", "0x", "-0", "00", "0b2", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "-9223372036854775809", "", "+", "0B1", "0O1", "0xG",
        )
    ),
    # kubectl's global flags: taken, their values checked as kubectl checks them, ignored.
    ["pods", "-n", "default"], ["pods", "--namespace=x"], ["pods", "-nx", "-R"], ["-Rn", "x"],
    ["pods", "-v", "0"], ["pods", "-v=0"], ["pods", "-v0"], ["pods", "--v=-1"], ["pods", "-v"],
    ["pods", "-v", "x"], ["pods", "-v", "99999999999"], ["pods", "-v", "0x1"], ["-v", "1_0"],
    ["pods", "--request-timeout", "1s"], ["pods", "--request-timeout", "1"],
    ["pods", "--request-timeout", "-1"], ["pods", "--request-timeout", "-1s"],
    ["foo", "--request-timeout", "x"], ["--request-timeout=1.5h"], ["pods", "--as", "bob"],
    ["pods", "--cache-dir", "/nonexistent/x"], ["pods", "--cluster"], ["pods", "--user="],
    ["pods", "--token="], ["pods", "-s"], ["pods", "--insecure-skip-tls-verify=false"],
    ["pods", "--insecure-skip-tls-verify=x"], ["pods", "--profile", "none"],
    ["pods", "--profile", "foo"], ["--profile=", "--request-timeout", "x"],
    ["pods", "--disable-compression"], ["pods", "--disable-compression=0"],
    ["pods", "--log-flush-frequency", "1s"], ["pods", "--log-flush-frequency=1.5h2m"],
    ["pods", "--log-flush-frequency", "1"], ["pods", "--log-flush-frequency", ".s"],
    ["pods", "--log-flush-frequency", "1x"], ["pods", "--log-flush-frequency="],
    ["pods", "--log-flush-frequency", ".5\u00b5s"], ["pods", "--match-server-version=F"],
    ["ev", "--warnings-as-errors"], ["pods", "--warnings-as-errors", "x"],
    ["pods", "--warnings-as-errors=x"], ["pods", "--vmodule", "a=0"], ["pods", "--vmodule="],
    ["pods", "--vmodule", "x"], ["pods", "--vmodule", "a=-1"], ["pods", "--vmodule", "a=1=2"],
    ["pods", "--as-group", "a", "--as-group=b", "--as", "bob"],
    ["pods", "--tls-server-name", "localhost", "--proxy-url", ""],
    ["pods", "-R", "--max-depth", "-1", "--request-timeout", "x"], ["--namespace"],
    ["pods", "--namespace", "--as", "x"],
    # kubectl checks the flags before it shows its help.
    ["pods", "--foo", "--help"], ["--max-depth", "x", "--help"], ["--help", "--foo"],
    ["pods", "-v", "x", "-h"], ["--", "-h"], ["pods", "--help=false"],
]  # fmt: skip


def test_flags_and_errors_as_kubectl(explain_peer: ExplainPeer, tmp_path: Path) -> None:
    assert differences(explain_peer, FLAG_ERRORS, tmp_path) == []


def test_explain_never_reads_a_kubeconfig(tmp_path: Path) -> None:
    """A broken ~/.kube/config and KUBECONFIG change nothing: explain reads neither."""
    (tmp_path / ".kube").mkdir()
    (tmp_path / ".kube" / "config").write_text("{not yaml")
    bad = podgen_explain(["foo"], tmp_path)
    assert (bad.returncode, bad.stderr) == (1, 'the server doesn\'t have a resource type "foo"\n')


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["pods", "--k8s-version", "1.28"], "--k8s-version: "),
        (["pods", "--k8s-version", "x"], "--k8s-version: "),
    ],
)
def test_k8s_version_is_checked_as_validate_checks_it(
    tmp_path: Path, words: list[str], message: str
) -> None:
    ran = subprocess.run(
        [str(PODGEN), "explain", *words], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert ran.returncode == 1
    assert ran.stderr.startswith("error: " + message), ran.stderr
    assert ran.stderr.count("\n") == 1


def test_every_spelling_as_kubectl(explain_peer: ExplainPeer, tmp_path: Path) -> None:
    """The odd spellings of test_explain_resources, each explained in both outputs."""
    cases = [[argument, "-o", output] for argument in QUIRKS for output in OUTPUTS]
    assert differences(explain_peer, cases, tmp_path) == []


def test_every_resource_as_kubectl(explain_peer: ExplainPeer, tmp_path: Path) -> None:
    """Each built-in resource (its other names: test_explain_resources), in both outputs."""
    cases: list[list[str]] = []
    for resource in store.resources("1.36"):
        cases += [[resource.kind], [group_resource(resource), "-o", OPENAPIV2]]
        cases += [[resource.plural, "-R", "-o", output] for output in OUTPUTS]
    assert differences(explain_peer, cases, tmp_path) == []


def test_api_versions_and_depths_as_kubectl(explain_peer: ExplainPeer, tmp_path: Path) -> None:
    cases = [
        [argument, "--api-version", version, "-o", output]
        for argument in WITH_API_VERSION
        for version in ("v1", "apps/v1", "events.k8s.io/v1", "apps/v2")
        for output in OUTPUTS
    ]
    cases += [
        [argument, "-R", "--max-depth", str(depth), "-o", output]
        for argument in ("pods", "deploy.spec.template", "hpa.spec", "crd.spec.versions")
        for depth in (0, 1, 2, 3)
        for output in OUTPUTS
    ]
    assert differences(explain_peer, cases, tmp_path) == []


def test_a_project_explains_its_release(tmp_path: Path) -> None:
    """Below a podgen.yaml, its kubernetesVersion is the release, as --k8s-version would say."""
    (tmp_path / "podgen.yaml").write_text(
        'apiVersion: podgen.dev/v1\nkind: Project\nkubernetesVersion: "1.31"\nblueprints: [sub]\n'
    )
    (tmp_path / "sub").mkdir()
    argv = [str(PODGEN), "explain", "pods.spec.resources"]
    here = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path / "sub", check=False)
    told = subprocess.run([*argv, "--k8s-version", "1.31"], capture_output=True, text=True)
    newest = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path.parent)
    assert (here.returncode, here.stdout, here.stderr) == (
        told.returncode,
        told.stdout,
        told.stderr,
    )
    assert here.stderr == 'error: field "resources" does not exist\n'  # added in 1.32
    assert newest.returncode == 0


def _run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    ran = subprocess.run([str(PODGEN), *args], capture_output=True, text=True, cwd=cwd)
    return ran.returncode, ran.stdout, ran.stderr


def test_a_project_needs_only_its_release_and_crds(tmp_path: Path) -> None:
    """Explain reads a podgen.yaml's kubernetesVersion and crds alone: no blueprint needed;
    with --k8s-version, not even its kubernetesVersion; a bad one used is a file:line error."""
    project = tmp_path / "podgen.yaml"
    crd = Path(__file__).parent.parent / "examples/certificates/crds/certificate.yaml"
    (tmp_path / "cert.yaml").write_text(crd.read_text())
    project.write_text("apiVersion: podgen.dev/v1\nkind: Project\ncrds: [cert.yaml]\n")
    outside = _run(["explain", "pods.spec.os"], tmp_path.parent)
    assert _run(["explain", "pods.spec.os"], tmp_path) == outside
    assert _run(["explain", "certificate.spec.issuerRef"], tmp_path)[0] == 0
    project.write_text(
        'apiVersion: podgen.dev/v1\nkind: Project\nkubernetesVersion: "1.99"\ncrds: [cert.yaml]\n'
    )
    told = _run(["explain", "pods.spec.os", "--k8s-version", "1.36"], tmp_path.parent)
    assert _run(["explain", "pods.spec.os", "--k8s-version", "1.36"], tmp_path) == told
    code, out, err = _run(["explain", "pods.spec.os"], tmp_path)
    assert (code, out) == (1, "")
    assert err.startswith("error: podgen.yaml:3:1: kubernetesVersion: Kubernetes 1.99 ")
    project.write_text("apiVersion: podgen.dev/v1\nkind: Project\ncrds: [gone.yaml]\n")
    assert _run(["explain", "pods.spec.os", "--k8s-version", "1.36"], tmp_path) == (
        1,
        "",
        "error: podgen.yaml:3:8: crds[0]: gone.yaml: no such file or folder\n",
    )


#: Paths typed so far, to be completed after their dot.
COMPLETED = [
    "pods.", "pods.spec.", "po.spec.containers.", "deployments.apps.spec.template.spec.",
    "hpa.spec.", "crd.spec.versions.schema.", "cronjobs.spec.jobTemplate.spec.template.",
]  # fmt: skip


def _fields(page: str) -> list[str]:
    """The field names a kubectl explain page lists under FIELDS."""
    fields = page.partition("\nFIELDS:\n")[2]
    return [line.split("\t")[0].strip() for line in fields.splitlines() if "\t" in line]


@pytest.mark.parametrize("typed", COMPLETED)
def test_completion_offers_the_fields_kubectl_lists(explain_peer: ExplainPeer, typed: str) -> None:
    """After a dot, completion offers the fields kubectl lists there; those with fields of
    their own end in a dot, and kubectl lists fields under each of them."""
    from podgen._commands.explain import field_names

    offered = field_names("1.36", None, typed)
    listed = _fields(explain_peer.explain(typed.rstrip(".")).stdout)
    assert sorted(name.rstrip(".").rpartition(".")[2] for name in offered) == sorted(listed)
    for name in offered:
        has_fields = bool(_fields(explain_peer.explain(name.rstrip(".")).stdout))
        assert name.endswith(".") == has_fields, name


def test_completion_of_names_and_prefixes() -> None:
    from podgen._commands.explain import field_names, resource_names

    assert resource_names("1.36", "dep") == ["deploy.", "deployments.", "deployments.apps."]
    assert field_names("1.36", None, "pods.spec.con") == ["pods.spec.containers."]
    assert field_names("1.36", None, "deployments.ap") == [
        "deployments.apiVersion",
        "deployments.apps.",
    ]
    assert field_names("1.36", None, "pods.nofield.x") == []
    assert field_names("1.36", "autoscaling/v1", "hpa.spec.m") == [
        "hpa.spec.maxReplicas",
        "hpa.spec.minReplicas",
    ]


def test_completion_in_the_shell(tmp_path: Path) -> None:
    """Through Typer's completion protocol, as bash asks for it."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "_PODGEN_COMPLETE": "complete_bash",
        "COMP_WORDS": "podgen explain pods.spec.restart",
        "COMP_CWORD": "2",
    }
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    ran = subprocess.run([str(PODGEN)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert ran.stdout.split() == ["pods.spec.restartPolicy"]


@pytest.mark.parametrize(
    "words",
    [
        "podgen explain --k8s-version 9.9 po",
        "podgen explain --k8s-version 9.9 pods.spec.re",
        "podgen explain --crd nothing-here po",
        "podgen explain --crd nothing-here pods.spec.re",
    ],
)
def test_completion_of_bad_flags_is_silent(tmp_path: Path, words: str) -> None:
    """Tab after a bad --k8s-version or --crd offers nothing and prints nothing."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "_PODGEN_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    ran = subprocess.run([str(PODGEN)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert (ran.returncode, ran.stderr) == (0, "")


@pytest.mark.parametrize("args", [["pods", "-R"], ["foo"], ["pods", "--max-depth", "x"]])
def test_a_closed_stdout_as_kubectl(
    explain_peer: ExplainPeer, tmp_path: Path, args: list[str]
) -> None:
    """`explain ... >&-`: kubectl writes nowhere and says nothing more; so does podgen."""

    def closed(binary: Path, env: dict[str, str] | None, words: list[str]) -> tuple[int, str]:
        ran = subprocess.run(
            ["sh", "-c", 'exec "$@" >&-', "sh", str(binary), "explain", *words],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            check=False,
        )
        return ran.returncode, ran.stderr.removesuffix(FLAG_HELP)

    ours = closed(PODGEN, None, ["--k8s-version", "1.36", *args])
    assert ours == closed(explain_peer.binary, explain_peer.env, args)


@pytest.mark.parametrize("flags", [["--help"], ["pods", "-n", "x", "--help"], ["-h", "-v", "9"]])
def test_help_shows_the_argument_without_a_python_type(flags: list[str]) -> None:
    ran = subprocess.run(
        [str(PODGEN), "explain", *flags],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
        check=True,
    )
    assert "\n  RESOURCE[.FIELD...]  The resource" in ran.stdout
    assert "list[str]" not in ran.stdout


_CERT = Path(__file__).parent.parent / "examples/certificates/crds/certificate.yaml"


def test_a_crd_file_that_does_not_parse_is_an_error(tmp_path: Path) -> None:
    """As validate words it: file:line:column, one line, exit 1, not an unknown resource."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(_CERT.read_text() + "  bad: {x\n")
    said = subprocess.run(
        [str(PODGEN), "validate", "--crd", "broken.yaml", "broken.yaml"],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    code, out, err = _run(["explain", "certificate", "--crd", "broken.yaml"], tmp_path)
    assert (code, out) == (1, "")
    assert err.startswith("error: broken.yaml:") and len(err.splitlines()) == 1
    words = err.removeprefix("error: ").rstrip("\n")
    assert f"{words.split(': ', 1)[0]}: error: {words.split(': ', 1)[1]}" in said.stdout


def test_a_crd_list_as_the_server_lists_it(tmp_path: Path) -> None:
    """A CustomResourceDefinitionList's items without kind are CRDs, for explain and validate."""
    import yaml

    crd = yaml.safe_load(_CERT.read_text())
    item = {k: v for k, v in crd.items() if k not in ("apiVersion", "kind")}
    listed = {"apiVersion": crd["apiVersion"], "kind": crd["kind"] + "List", "items": [item]}
    (tmp_path / "list.yaml").write_text(yaml.safe_dump(listed))
    (tmp_path / "cert.yaml").write_text(_CERT.read_text())
    from_list = _run(["explain", "certificate.spec", "--crd", "list.yaml"], tmp_path)
    assert from_list == _run(["explain", "certificate.spec", "--crd", "cert.yaml"], tmp_path)
    assert from_list[0] == 0
    (tmp_path / "c.yaml").write_text(
        "apiVersion: cert.example.io/v1\nkind: Certificate\nmetadata: {name: a}\nspec: {x: 1}\n"
    )
    checked = _run(["validate", "--crd", "list.yaml", "c.yaml"], tmp_path)
    assert 'unknown field "spec.x"' in checked[1]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("type: object\n", "type: objekt\n"),
        ("apiextensions.k8s.io/v1\n", "apiextensions.k8s.io/v1beta1\n"),
        ("plural: certificates", "plural: Certificates"),
    ],
)
def test_a_crd_the_server_would_refuse_is_left_out(tmp_path: Path, old: str, new: str) -> None:
    """validate's own checks at the release: the CRD is not served, with one warning naming
    its first error, before the error; the same as validate's first error."""
    text = _CERT.read_text()
    assert old in text
    (tmp_path / "bad.yaml").write_text(text.replace(old, new, 1))
    checked = _run(["validate", "--k8s-version", "1.36", "bad.yaml"], tmp_path)[1]
    where, _, first = checked.splitlines()[0].partition(": error: ")
    code, out, err = _run(
        ["explain", "--k8s-version", "1.36", "certificate", "--crd", "bad.yaml"], tmp_path
    )
    lines = err.splitlines()
    assert (code, out, len(lines)) == (1, "", 2)
    assert lines[0].startswith(f"Warning: {where}: the CRD at line 2 is left out")
    assert f"would refuse it: {first}; " in lines[0]
    assert lines[0].endswith("`podgen validate bad.yaml` shows every error")
    assert lines[1] == 'the server doesn\'t have a resource type "certificate"'


def test_duplicate_crd_warnings_on_every_path(tmp_path: Path) -> None:
    """Two CRDs for one kind warn once, whether explain then prints or fails."""
    (tmp_path / "a.yaml").write_text(_CERT.read_text())
    (tmp_path / "b.yaml").write_text(_CERT.read_text().replace("A Certificate asks", "A cert asks"))
    found = _run(["explain", "pods.spec.os", "--crd", "a.yaml", "--crd", "b.yaml"], tmp_path)
    failed = _run(["explain", "foo", "--crd", "a.yaml", "--crd", "b.yaml"], tmp_path)
    warned = [line for line in found[2].splitlines() if line.startswith("Warning: ")]
    assert len(warned) == 1 and "is also at a.yaml" in warned[0]
    assert failed[2].splitlines() == [
        *warned,
        'the server doesn\'t have a resource type "foo"',
    ]


def test_a_named_pipe_or_device_is_read(tmp_path: Path) -> None:
    """As validate reads a named input: a pipe's CRDs; /dev/null, empty, in validate's words."""
    assert _run(["explain", "certificate", "--crd", "/dev/null"], tmp_path) == (
        1,
        "",
        "error: /dev/null: is empty\n",
    )
    os.mkfifo(tmp_path / "pipe.yaml")
    argv = [str(PODGEN), "explain", "certificate.spec", "--crd", "pipe.yaml"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=tmp_path) as running:
        (tmp_path / "pipe.yaml").write_text(_CERT.read_text())
        out = running.communicate(timeout=60)[0]
    (tmp_path / "cert.yaml").write_text(_CERT.read_text())
    assert running.returncode == 0
    assert out == _run(["explain", "certificate.spec", "--crd", "cert.yaml"], tmp_path)[1]
