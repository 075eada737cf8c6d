"""unknown-host, no-shared-network, default-bridge-no-dns: names resolve within the client's project and networks."""

from __future__ import annotations

from tests.unit.rules.factory import box, client_in, judge, snapshot

AGENT = box("a-agent-1", service="agent", project="a", networks=("a_default",))


def test_a_service_name_of_another_project_does_not_resolve_here():
    other = box("b-server-1", service="server", project="b", networks=("b_default",), publish={8000: 31000})
    found, server = judge(snapshot("http://server:8000/mcp", [AGENT, other], client=client_in(AGENT)))
    assert found == ["no-shared-network"]
    assert "b_default" in server.findings[0].message


def test_the_own_projects_service_wins_over_a_same_named_one_elsewhere():
    mine = box("a-server-1", service="server", project="a", networks=("a_default",), listen=(8000,))
    other = box("b-server-1", service="server", project="b", networks=("a_default", "b_default"), listen=(9000,))
    found, server = judge(snapshot("http://server:8000/mcp", [AGENT, mine, other], client=client_in(AGENT)))
    assert found == []
    assert server.target.startswith("a-server-1")


def test_an_unknown_name_suggests_the_sibling_that_listens_on_the_port():
    sibling = box("a-tools-1", service="tools", project="a", networks=("a_default",), listen=(8000,))
    found, server = judge(snapshot("http://tool:8000/mcp", [AGENT, sibling], client=client_in(AGENT)))
    assert found == ["unknown-host"]
    assert server.suggested_url == "http://tools:8000/mcp" and server.writable


def test_only_the_default_bridge_in_common():
    agent = box("agent", networks=("bridge",))
    srv = box("srv", networks=("bridge",), listen=(8000,))
    found, _ = judge(snapshot("http://srv:8000/mcp", [agent, srv], client=client_in(agent)))
    assert found == ["default-bridge-no-dns"]  # and not no-shared-network too: it supersedes that


def test_a_docker_name_from_the_host():
    srv = box("srv", service="srv", project="p", networks=("p_default",), publish={8000: 8080})
    found, server = judge(snapshot("http://srv:8000/mcp", [srv]))
    assert found == ["unknown-host"]
    assert server.suggested_url == "http://localhost:8080/mcp"


def _override_networks(snap, server):  # type: ignore[no-untyped-def]
    from mcp_dockernet.fix.override import plan_override
    from mcp_dockernet.report import Report

    return plan_override(Report((server,), ()), snap).networks


def test_the_same_name_in_two_projects_is_not_guessed_and_no_override_is_written():
    b = box("b-server-1", service="server", project="b", networks=("b_default",), listen=(8000,))
    noise = box("n-server-1", service="server", project="n", networks=("n_default",), listen=(8000,))
    snap = snapshot("http://server:8000/mcp", [AGENT, b, noise], client=client_in(AGENT))
    found, server = judge(snap)
    assert found == ["no-shared-network"]
    finding = server.findings[0]
    assert "several projects" in finding.fix and finding.server is None
    assert _override_networks(snap, server) == {}


def test_of_the_same_name_in_two_projects_the_one_on_a_network_made_to_be_joined_is_meant():
    b = box("b-server-1", service="server", project="b", networks=("mcp-shared",), listen=(8000,))
    noise = box("n-server-1", service="server", project="n", networks=("n_default",), listen=(8000,))
    for order in ([AGENT, b, noise], [AGENT, noise, b]):
        snap = snapshot("http://server:8000/mcp", order, client=client_in(AGENT))
        found, server = judge(snap)
        assert found == ["no-shared-network"]
        finding = server.findings[0]
        assert finding.server is not None and finding.server.name == "b-server-1"
        assert "mcp-shared" in finding.fix and "made to be joined" in finding.fix
        assert _override_networks(snap, server) == {"mcp-shared": {"external": True, "name": "mcp-shared"}}
