"""podgen new --from: a blueprint's pod as the base, with the flags given overriding it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import assert_schema_valid, parse_documents, run_podgen


def _pod(args: list[str]) -> dict[str, object]:
    result = run_podgen(["new", *args])
    assert (result.code, result.stderr) == (0, ""), result
    assert_schema_valid(result.stdout)
    (pod,) = parse_documents(result.stdout, "yaml")
    return pod


def test_from_alone_prints_the_blueprints_pod() -> None:
    rendered = parse_documents(run_podgen(["render", "nginx-web"]).stdout, "yaml")
    assert _pod(["--from", "nginx-web"]) == rendered[0]


def test_flags_override_fields(tmp_path: Path) -> None:
    pod = _pod(["--from", "mysql", "--port", "3307", "--env", "ONLY=this", "-n", "db"])
    container = pod["spec"]["containers"][0]  # type: ignore[index]
    assert container["ports"] == [{"containerPort": 3307}]
    assert container["env"] == [{"name": "ONLY", "value": "this"}]  # --env replaces the env
    assert pod["metadata"]["namespace"] == "db"  # type: ignore[index]
    # The readiness probe follows the new port, and the labels stay the blueprint's.
    assert container["readinessProbe"]["tcpSocket"]["port"] == 3307
    assert pod["metadata"]["labels"] == {"app": "mysql"}  # type: ignore[index]


def test_name_renames_a_single_pod_and_picks_one_of_several() -> None:
    assert _pod(["db", "--from", "mysql"])["metadata"]["name"] == "db"  # type: ignore[index]
    picked = _pod(["web-canary", "--from", "labelled-pods", "--image", "nginx:1.26"])
    assert picked["metadata"] == {  # the pod named, in the blueprint's namespace
        "labels": {"app": "web", "tier": "frontend", "track": "canary"},
        "name": "web-canary",
        "namespace": "shop",
    }
    assert picked["spec"]["containers"][0]["image"] == "nginx:1.26"  # type: ignore[index]


def test_several_pods_need_a_name() -> None:
    result = run_podgen(["new", "--from", "labelled-pods"])
    assert result.code == 1
    assert "holds 3 pods (web-1, web-2, web-canary); name one as NAME" in result.stderr


def test_from_a_file(tmp_path: Path) -> None:
    blueprint = tmp_path / "app.yaml"
    blueprint.write_text(
        "apiVersion: podgen.dev/v1\nkind: Blueprint\n"
        "pods:\n  - name: api\n    image: busybox:1.36\n    pattern: sidecar\n"
    )
    pod = _pod(["--from", str(blueprint), "--sidecar-name", "shipper"])
    assert [c["name"] for c in pod["spec"]["containers"]] == ["api", "shipper"]  # type: ignore[index]


def test_bad_sources_and_missing_flags_are_refused() -> None:
    for args, reason in (
        (["--from", "no-such-blueprint"], "no such file, folder or built-in"),
        (["--image", "nginx"], "Missing argument 'NAME'"),
        (["web"], "Missing option '--image'"),
        (["--from", "mysql", "--port", "0"], "--port"),
    ):
        result = run_podgen(["new", *args])
        assert result.code == 1, args
        assert reason in result.stderr and result.stderr.count("\n") == 1
