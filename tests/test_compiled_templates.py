"""The compiled templates: fresh, and rendering exactly what Jinja renders from templates/."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podgen._blueprint.builtins import names, text
from podgen._blueprint.loader import load_blueprint, plan
from podgen._building.build import build_manifests
from podgen._errors import PodgenError, SpecError
from podgen._front.argv import parse_new
from podgen._model.spec import (
    Container,
    CronJob,
    Deployment,
    EnvVar,
    Job,
    Kind,
    Manifest,
    OutputFormat,
    Pattern,
    Pod,
    PodTemplate,
    Probe,
    ProbeHandler,
    Service,
    ServicePort,
    Toleration,
    VolumeMount,
)
from podgen._rendering.compiled_templates import RENDER
from podgen._rendering.jinja import render_text
from podgen._rendering.pipeline import request_from_params
from podgen._rendering.render import _TEMPLATE_FOR, TEMPLATE_SUFFIX
from tests.conftest import load_tool
from tests.test_differential import CASES
from tests.test_snapshots import ALL_CASES

ROOT = Path(__file__).resolve().parent.parent


def test_compiled_module_is_what_the_tool_generates() -> None:
    tool = load_tool("compile_templates")
    assert tool.TARGET.read_text() == tool.render(), "run: python tools/compile_templates.py"


def _manifests_for(argv: list[str]) -> list[Manifest]:
    parsed = parse_new(argv)
    if parsed is None:
        return []
    params, given_params = parsed
    typed = {
        **params,
        "output": OutputFormat(params["output"]),
        "kind": Kind(params["kind"]),
        "pattern": Pattern(params["pattern"]),
        "probe": ProbeHandler(params["probe"]),
    }
    try:
        return build_manifests(request_from_params(typed, given_params))
    except (PodgenError, SpecError):
        return []  # a case podgen refuses: nothing to render


def _corpus() -> list[Manifest]:
    manifests = [m for _, argv in CASES for m in _manifests_for(argv)]
    manifests += [m for argv in ALL_CASES.values() for m in _manifests_for(argv)]
    for name in names():
        manifests += [item.manifest for item in plan(load_blueprint(text(name), name))]
    return [m for m in manifests if type(m) in _TEMPLATE_FOR]  # objects: written as given


CORPUS = _corpus()


def test_the_corpus_covers_every_template() -> None:
    assert len(CORPUS) > 400
    assert {type(m) for m in CORPUS} == set(_TEMPLATE_FOR)


def _same_text(manifest: Manifest) -> None:
    name = _TEMPLATE_FOR[type(manifest)] + TEMPLATE_SUFFIX
    assert RENDER[name](manifest) == render_text(name, manifest)


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_compiled_renders_what_jinja_renders(index: int) -> None:
    _same_text(CORPUS[index])


# Any text, including what no check would let through: the templates must write it as data.
TEXT = st.text(max_size=20)
WORDS = st.lists(TEXT, max_size=3).map(tuple)
MAPS = st.dictionaries(TEXT, TEXT, max_size=3)
NUMBER = st.integers(-(2**40), 2**40)
PROBE = st.builds(
    Probe,
    handler=st.sampled_from(list(ProbeHandler)),
    port=st.none() | NUMBER,
    path=TEXT,
    command=WORDS,
    initial_delay=st.none() | NUMBER,
    period=st.none() | NUMBER,
    timeout=st.none() | NUMBER,
    success_threshold=st.none() | NUMBER,
    failure_threshold=st.none() | NUMBER,
)
CONTAINER = st.builds(
    Container,
    name=TEXT,
    image=TEXT,
    command=WORDS,
    args=WORDS,
    ports=st.lists(NUMBER, max_size=2).map(tuple),
    env=st.lists(st.builds(EnvVar, TEXT, TEXT), max_size=2).map(tuple),
    image_pull_policy=st.none() | TEXT,
    privileged=st.booleans(),
    restricted=st.booleans(),
    restart_policy=st.none() | TEXT,
    volume_mounts=st.lists(st.builds(VolumeMount, TEXT, TEXT), max_size=2).map(tuple),
    liveness_probe=st.none() | PROBE,
    readiness_probe=st.none() | PROBE,
    startup_probe=st.none() | PROBE,
    requests=MAPS,
    limits=MAPS,
    post_start=WORDS,
    pre_stop=WORDS,
)
TEMPLATE = st.builds(
    PodTemplate,
    containers=st.lists(CONTAINER, min_size=1, max_size=2).map(tuple),
    labels=MAPS,
    restart_policy=st.none() | TEXT,
    dns_policy=st.none() | TEXT,
    init_containers=st.lists(CONTAINER, max_size=2).map(tuple),
    volumes=WORDS,
    node_selector=MAPS,
    node_name=st.none() | TEXT,
    tolerations=st.lists(
        st.builds(Toleration, TEXT, TEXT, st.none() | TEXT, st.none() | NUMBER), max_size=2
    ).map(tuple),
    grace_period=st.none() | NUMBER,
    service_account=st.none() | TEXT,
    restricted=st.booleans(),
    overrides=st.just({}),  # merged after rendering, never seen by a template
)
MANIFEST = st.one_of(
    st.builds(Pod, TEXT, TEMPLATE, st.none() | TEXT, MAPS),
    st.builds(
        Deployment,
        name=TEXT,
        template=TEMPLATE,
        labels=MAPS,
        selector=MAPS,
        replicas=st.none() | NUMBER,
        namespace=st.none() | TEXT,
        annotations=MAPS,
        pod_annotations=MAPS,
    ),
    st.builds(
        Job,
        name=TEXT,
        template=TEMPLATE,
        namespace=st.none() | TEXT,
        labels=MAPS,
        annotations=MAPS,
    ),
    st.builds(
        CronJob,
        name=TEXT,
        template=TEMPLATE,
        schedule=TEXT,
        namespace=st.none() | TEXT,
        labels=MAPS,
        annotations=MAPS,
    ),
    st.builds(
        Service,
        TEXT,
        MAPS,
        st.lists(
            st.builds(ServicePort, NUMBER, NUMBER | TEXT, TEXT, st.none() | TEXT), max_size=2
        ).map(tuple),
        MAPS,
        st.none() | TEXT,
        st.none() | TEXT,
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MANIFEST)
def test_compiled_renders_what_jinja_renders_for_any_values(manifest: Manifest) -> None:
    _same_text(manifest)


def test_the_compiler_refuses_jinja_it_does_not_know() -> None:
    tool = load_tool("compile_templates")
    from podgen._rendering.jinja import environment

    env = environment()
    for source, what in [
        ("{{ obj.name | upper }}", "the filter 'upper'"),
        ("{% for x in obj.items %}{{ loop.index }}{% endfor %}", "the name 'loop'"),
        ("{{ obj['name'] }}", "the expression Getitem"),
        ("{% set x = 1 %}", "Assign"),
        ("{{ obj.name is defined }}", "the test 'defined'"),
    ]:
        compiler = tool._Compiler("t.yaml.j2", {})
        with pytest.raises(tool.CompileError, match=what):
            compiler.block(env.parse(source).body, {"obj": "l_obj"}, 1)
