"""localhost-in-container: scope first (the client's project and networks), then evidence."""

from __future__ import annotations

from tests.unit.rules.factory import box, client_in, judge, probe, snapshot

URL = "http://localhost:8001/mcp"
AGENT = box("a-agent-1", service="agent", project="a", networks=("a_default",))


def test_a_sibling_with_no_ports_found_by_its_socket_beats_another_projects_published_port():
    sibling = box("a-fastmcp-1", service="fastmcp", project="a", networks=("a_default",), listen=(8001,))
    other = box("b-srv-1", service="srv", project="b", networks=("b_default",), publish={8001: 34001}, listen=(8001,))
    found, server = judge(snapshot(URL, [AGENT, sibling, other], client=client_in(AGENT)))
    assert found == ["localhost-in-container"]
    assert server.suggested_url == "http://fastmcp:8001/mcp" and server.writable


def test_only_another_projects_server_is_a_candidate_not_written_without_an_mcp_answer():
    other = box("b-srv-1", service="srv", project="b", networks=("b_default",), publish={8001: 34001}, listen=(8001,))
    found, server = judge(snapshot(URL, [AGENT, other], client=client_in(AGENT)))
    assert found == ["localhost-in-container"]
    assert server.suggested_url == "http://host.docker.internal:34001/mcp"
    assert not server.writable
    assert "not written by fix --write" in server.findings[0].fix


def test_confirmed_from_the_client_it_may_be_written():
    other = box("b-srv-1", service="srv", project="b", networks=("b_default",), publish={8001: 34001}, listen=(8001,))
    vantage = "container:a-agent-1"
    probes = (probe(URL, False, vantage), probe("http://host.docker.internal:34001/mcp", True, vantage))
    found, server = judge(snapshot(URL, [AGENT, other], client=client_in(AGENT), probes=probes))
    assert server.suggested_url == "http://host.docker.internal:34001/mcp" and server.writable


def test_a_candidate_seen_failing_from_the_client_is_never_suggested():
    other = box("b-srv-1", service="srv", project="b", networks=("b_default",), publish={8001: 34001})
    vantage = "container:a-agent-1"
    probes = (probe(URL, False, vantage), probe("http://host.docker.internal:34001/mcp", False, vantage))
    found, server = judge(snapshot(URL, [AGENT, other], client=client_in(AGENT), probes=probes))
    assert found == ["localhost-in-container"] and server.suggested_url is None


def test_a_process_in_the_clients_own_container_makes_localhost_right():
    agent = box("a-agent-1", service="agent", project="a", networks=("a_default",), listen=(8001,))
    found, _ = judge(snapshot(URL, [agent], client=client_in(agent)))
    assert found == []


def test_two_siblings_serving_the_port_are_listed():
    one = box("a-x-1", service="x", project="a", networks=("a_default",), listen=(8001,))
    two = box("a-y-1", service="y", project="a", networks=("a_default",), listen=(8001,))
    found, server = judge(snapshot(URL, [AGENT, one, two], client=client_in(AGENT)))
    assert found == ["localhost-in-container"] and server.suggested_url is None
    assert set(server.findings[0].candidates) == {"http://x:8001/mcp", "http://y:8001/mcp"}
