"""The route builder (route/): targets, candidates, scope and evidence, the choice, and the probe plan."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mcp_dockernet.model import ProbeTarget
from mcp_dockernet.route import probe_targets, routes_of
from mcp_dockernet.route.evidence import choose
from mcp_dockernet.route.model import (
    CONTAINER,
    DOCKER_NAME,
    HOST,
    NOTHING,
    PEER,
    SELF,
    UNKNOWN_NAME,
    UNREACHABLE_PEER,
    Candidate,
    Evidence,
    Reach,
    Scope,
)
from tests.unit.rules.factory import box, client_in, probe, snapshot

AGENT = box("a-agent-1", service="agent", project="a", networks=("a_default",))


def _route(snap):
    (route,) = routes_of(snap)
    return route


@pytest.mark.parametrize(
    "url, boxes, client, kind",
    [
        ("http://localhost:8000/mcp", [box("s", publish={8000: 8000})], None, CONTAINER),
        ("http://localhost:8000/mcp", [], None, NOTHING),
        ("http://srv:8000/mcp", [box("srv", networks=("n",))], None, DOCKER_NAME),
        ("http://localhost:8000/mcp", [AGENT], AGENT, SELF),
        ("http://host.docker.internal:8000/mcp", [AGENT], AGENT, HOST),
        ("http://172.17.0.1:8000/mcp", [AGENT], AGENT, HOST),
        (
            "http://tools:8000/mcp",
            [AGENT, box("t", service="tools", project="a", networks=("a_default",))],
            AGENT,
            PEER,
        ),
        (
            "http://tools:8000/mcp",
            [AGENT, box("t", service="tools", project="b", networks=("b_default",))],
            AGENT,
            UNREACHABLE_PEER,
        ),
        ("http://nothing:8000/mcp", [AGENT], AGENT, UNKNOWN_NAME),
    ],
)
def test_what_the_url_as_written_reaches(url, boxes, client, kind):
    route = _route(snapshot(url, boxes, client=client_in(client) if client else None))
    assert route.target.kind == kind


def test_scope_orders_the_clients_project_then_the_selected_one_then_the_rest():
    boxes = [
        AGENT,
        box("mine", service="m", project="a", networks=("a_default",), listen=(8000,)),
        box("sel", service="s", project="sel", networks=("sel_default",), publish={8000: 1}, listen=(8000,)),
        box("far", service="f", project="far", networks=("far_default",), publish={8000: 2}, listen=(8000,)),
    ]
    compose = SimpleNamespace(name="sel", services=(), networks=())
    route = _route(snapshot("http://localhost:8000/mcp", boxes, client=client_in(AGENT), compose=compose))
    assert [(c.name, c.scope) for c in route.candidates] == [
        ("mine", Scope.CLIENT),
        ("sel", Scope.SELECTED),
        ("far", Scope.ELSEWHERE),
    ]
    assert route.choice.chosen.name == "mine" and route.choice.writable


@pytest.mark.parametrize(
    "spec, evidence",
    [
        (dict(expose=(8000,)), Evidence.DECLARED),
        (dict(listen=(8000,)), Evidence.LISTENING),
        (dict(expose=(8000,), listen=(9000,)), Evidence.CONTRADICTED),
    ],
)
def test_evidence_listening_beats_declaring_and_a_contradiction_counts_against(spec, evidence):
    route = _route(snapshot("http://localhost:8000/mcp", [box("s", **spec)]))
    assert [c.evidence for c in route.candidates] == [evidence]


def test_an_mcp_answer_from_the_clients_vantage_is_the_strongest_evidence():
    route = _route(
        snapshot(
            "http://localhost:8000/mcp", [box("s", publish={8000: 3000})], probes=(probe("http://localhost:3000/mcp"),)
        )
    )
    (c,) = route.candidates
    assert c.evidence is Evidence.ANSWERED and c.reach is Reach.MOVED and route.choice.writable


def _c(scope, evidence, url="u", probe_=None):
    return Candidate(None, 1, scope, evidence, Reach.BY_NAME, url, probe_)


@pytest.mark.parametrize(
    "cands, chosen, writable",
    [
        ([_c(Scope.CLIENT, Evidence.DECLARED)], 0, True),
        ([_c(Scope.CLIENT, Evidence.DECLARED, "a"), _c(Scope.CLIENT, Evidence.LISTENING, "b")], 1, True),
        ([_c(Scope.ELSEWHERE, Evidence.LISTENING)], 0, False),
        ([_c(Scope.ELSEWHERE, Evidence.ANSWERED, "a", probe("a"))], 0, True),
        (
            [_c(Scope.ELSEWHERE, Evidence.ANSWERED, "a", probe("a")), _c(Scope.ELSEWHERE, Evidence.DECLARED, "b")],
            None,
            False,
        ),
        ([_c(Scope.CLIENT, Evidence.LISTENING, "a"), _c(Scope.CLIENT, Evidence.LISTENING, "b")], None, False),
        ([_c(Scope.CLIENT, Evidence.DECLARED, "a", probe("a", ok=False))], None, False),
        ([_c(Scope.CLIENT, Evidence.CONTRADICTED, "a")], None, False),
    ],
    ids=[
        "in-scope",
        "stronger-evidence",
        "elsewhere-unconfirmed",
        "elsewhere-confirmed-alone",
        "elsewhere-two",
        "tie",
        "seen-failing",
        "contradicted",
    ],
)
def test_the_choice(cands, chosen, writable):
    choice = choose(cands)
    assert (choice.chosen is cands[chosen]) if chosen is not None else choice.chosen is None
    assert choice.writable is writable


def test_the_probe_plan_goes_out_from_the_clients_vantage_with_its_candidates():
    sibling = box("a-tools-1", service="tools", project="a", networks=("a_default",), listen=(8000,))
    snap = snapshot("http://localhost:8000/mcp", [AGENT, sibling], client=client_in(AGENT))
    assert probe_targets(snap) == {
        "container:a-agent-1": [
            ProbeTarget("http://localhost:8000/mcp", "streamable-http"),
            ProbeTarget("http://tools:8000/mcp", "streamable-http"),
        ]
    }


def test_a_client_that_is_not_running_is_not_probed():
    place = client_in(AGENT)
    from dataclasses import replace

    snap = snapshot("http://localhost:8000/mcp", [], client=replace(place, container_id=None))
    assert probe_targets(snap) == {}
