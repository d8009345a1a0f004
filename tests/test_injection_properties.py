"""Properties: no value smuggles in a field, whatever the template; imports round-trip.

Values go into blueprints (and, through a careless team template, into unquoted template
expressions). podgen must either refuse them cleanly or write exactly them, at their place,
with no other field added. And any blueprint pod, rendered, imported and rendered again,
gives back the same bytes.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import parse_documents, run_podgen

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
NASTY = st.sampled_from(
    [
        "x\nhostNetwork: true",
        "a: b",
        "#c",
        "---\nkind: Pod",
        '"',
        "'",
        "- item",
        "{a: 1}",
        "[1]",
        "&a",
        "*a",
        "!!python/object/apply:os.system",
        "x\n  privileged: true",
        "\\",
    ]
)
VALUES = st.one_of(TEXT, NASTY, st.tuples(TEXT, NASTY, TEXT).map("".join))
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))

CARELESS_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {{ obj.name }}
  annotations:
{% for key, value in obj.annotations.items() %}
    {{ key }}: {{ value }}
{% endfor %}
spec:
  containers:
{% for c in obj.template.containers %}
  - name: {{ c.name }}
    image: {{ c.image }}
    args:
{% for arg in c.args %}
    - {{ arg }}
{% endfor %}
    env:
{% for e in c.env %}
    - name: {{ e.name }}
      value: {{ e.value }}
{% endfor %}
{% endfor %}
"""


def _paths(node: Any, prefix: str = "") -> set[str]:
    if isinstance(node, dict):
        return {p for k, v in node.items() for p in _paths(v, f"{prefix}.{k}")} | {prefix}
    if isinstance(node, list):
        return {p for i, v in enumerate(node) for p in _paths(v, f"{prefix}[{i}]")} | {prefix}
    return {prefix}


def _blueprint(value: str) -> str:
    pod = {
        "name": "web",
        "image": "nginx:1.25.3",
        "env": {"V": value},
        "annotations": {"note": value},
        "args": [value],
    }
    return json.dumps({"apiVersion": "podgen.dev/v1", "kind": "Blueprint", "pods": [pod]})


def _render(text: str, *extra: str) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "b.yaml"
        path.write_text(text)
        return run_podgen(["render", str(path), *extra])


def _check(value: str, *extra: str, empty_env_value_written: bool = False) -> None:
    result = _render(_blueprint(value), *extra)
    if result.code != 0:
        assert result.code == 1 and result.stdout == ""
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
        return
    (pod,) = parse_documents(result.stdout, "yaml")
    benign = "plain" if value else ""  # an empty env value is left out, as kubectl does
    (baseline,) = parse_documents(_render(_blueprint(benign), *extra).stdout, "yaml")
    assert _paths(pod) == _paths(baseline)  # no field added or lost
    container = pod["spec"]["containers"][0]
    assert container["args"] == [value]
    assert pod["metadata"]["annotations"] == {"note": value}
    if value or empty_env_value_written:  # podgen omits an empty value, as kubectl does
        assert container["env"] == [{"name": "V", "value": value}]
    else:
        assert container["env"] == [{"name": "V"}]


@SETTINGS
@given(VALUES)
def test_blueprint_values_cannot_add_fields(value: str) -> None:
    _check(value)


@SETTINGS
@given(VALUES)
def test_even_a_template_that_forgets_to_quote_cannot_be_injected(value: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "pod.yaml.j2").write_text(CARELESS_POD)
        _check(value, "--templates", folder, empty_env_value_written=True)


NAMES = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
POD = st.fixed_dictionaries(
    {"name": NAMES, "image": st.sampled_from(["nginx:1.25.3", "busybox:1.36", "redis:7"])},
    optional={
        "port": st.integers(1, 65535),
        "env": st.dictionaries(
            st.from_regex(r"[A-Z][A-Z0-9_]{0,6}", fullmatch=True), TEXT, max_size=3
        ),
        "labels": st.dictionaries(NAMES, NAMES, min_size=1, max_size=2),
        "args": st.lists(TEXT, max_size=3),
        "pattern": st.sampled_from(["runtime", "init", "sidecar"]),
        "waitFor": st.lists(NAMES, max_size=2, unique=True),
        "secure": st.booleans(),
        "gracePeriod": st.integers(0, 600),
        "nodeSelector": st.dictionaries(NAMES, NAMES, max_size=2),
        "resources": st.just({"requests": {"cpu": "100m"}, "limits": {"memory": "128Mi"}}),
        "kind": st.sampled_from(["pod", "deployment"]),
    },
)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(POD)
def test_render_import_render_round_trips(pod: dict[str, Any]) -> None:
    blueprint = json.dumps({"apiVersion": "podgen.dev/v1", "kind": "Blueprint", "pods": [pod]})
    first = _render(blueprint)
    if first.code != 0:
        assert first.code == 1 and first.stderr.count("\n") == 1
        return
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "objects.yaml").write_text(first.stdout)
        imported = run_podgen(["import", str(Path(folder) / "objects.yaml")])
    assert imported.code == 0, imported.stderr
    assert _render(imported.stdout).stdout == first.stdout
