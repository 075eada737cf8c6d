"""wrong-port: from the host (a moved published port) and from a container (a host port on a shared network)."""

from __future__ import annotations

import pytest

from tests.unit.rules.factory import box, client_in, judge, probe, snapshot

URL = "http://localhost:8000/mcp"
MOVED = "http://localhost:3000/mcp"


@pytest.mark.parametrize(
    "boxes, probes, codes, suggested, writable",
    [
        ([box("srv", publish={8000: 3000})], [probe(MOVED)], ["wrong-port"], MOVED, True),
        # declared only, no probe: shown, not written (a container of no project is outside any scope)
        ([box("srv", publish={8000: 3000})], [], ["wrong-port"], MOVED, False),
        # the candidate's own probe failed: never suggested
        (
            [box("srv", publish={8000: 3000})],
            [probe(URL, False), probe(MOVED, False)],
            ["server-not-running"],
            None,
            False,
        ),
        # sockets read: it declares 8000 but listens on 9000 -> not a candidate
        ([box("srv", publish={8000: 3000}, listen=(9000,))], [], ["server-not-running"], None, False),
        # published on the URL's port: nothing wrong
        ([box("srv", publish={8000: 8000}, listen=(8000,))], [], [], None, False),
    ],
    ids=["confirmed", "declared-only", "probe-failed", "contradicted", "healthy"],
)
def test_from_the_host(boxes, probes, codes, suggested, writable):
    found, server = judge(snapshot(URL, boxes, probes=tuple(probes)))
    assert found == codes
    assert server.suggested_url == suggested
    assert server.writable is writable


def test_two_unrelated_projects_publishing_the_same_container_port_are_listed_not_chosen():
    boxes = [box("a-srv", project="a", publish={8000: 3000}), box("b-srv", project="b", publish={8000: 4000})]
    found, server = judge(snapshot(URL, boxes))
    assert found == ["wrong-port"]
    assert server.suggested_url is None
    assert set(server.findings[0].candidates) == {MOVED, "http://localhost:4000/mcp"}


def test_the_selected_compose_project_wins_over_another_project():
    from types import SimpleNamespace

    boxes = [box("a-srv", project="a", publish={8000: 3000}), box("b-srv", project="b", publish={8000: 4000})]
    compose = SimpleNamespace(name="b", services=(), networks=())
    found, server = judge(snapshot(URL, boxes, compose=compose))
    assert found == ["wrong-port"]
    assert server.suggested_url == "http://localhost:4000/mcp" and server.writable


@pytest.mark.parametrize(
    "url, server_box, codes, suggested",
    [
        (
            "http://tools:3000/mcp",
            box("tools", service="tools", project="p", networks=("p_default",), publish={8000: 3000}),
            ["wrong-port"],
            "http://tools:8000/mcp",
        ),
        (
            "http://tools:8000/mcp",
            box("tools", service="tools", project="p", networks=("p_default",), listen=(8001,)),
            ["wrong-port"],
            "http://tools:8001/mcp",
        ),
        (
            "http://tools:8000/mcp",
            box("tools", service="tools", project="p", networks=("p_default",), listen=(8000,)),
            [],
            None,
        ),
    ],
    ids=["host-port-by-name", "listens-elsewhere", "right"],
)
def test_from_a_container_on_a_shared_network(url, server_box, codes, suggested):
    agent = box("agent", service="agent", project="p", networks=("p_default",))
    found, server = judge(snapshot(url, [agent, server_box], client=client_in(agent)))
    assert found == codes
    assert server.suggested_url == suggested
    if suggested:
        assert server.writable  # the client's own project
