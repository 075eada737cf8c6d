"""port-not-published: a container serves the port (listening beats declaring) but publishes none for it."""

from __future__ import annotations

from tests.unit.rules.factory import box, judge, probe, snapshot

URL = "http://localhost:8000/mcp"


def test_a_server_with_no_expose_and_no_publish_is_found_by_its_socket():
    found, server = judge(snapshot(URL, [box("srv", listen=(8000,))]))
    assert found == ["port-not-published"]
    assert "srv serves port 8000" in server.findings[0].message
    assert "-p 127.0.0.1:8000:8000" in server.findings[0].fix


def test_the_listening_server_wins_over_another_projects_declared_port_whose_probe_failed():
    boxes = [box("srv", listen=(8000,)), box("other", project="x", publish={8000: 34001}, expose=(8000,))]
    probes = (probe(URL, False), probe("http://localhost:34001/mcp", False))
    found, server = judge(snapshot(URL, boxes, probes=probes))
    assert found == ["port-not-published"]
    assert server.findings[0].server.name == "srv"
    assert server.suggested_url is None  # nothing to write in the config: the container needs -p


def test_published_to_a_container_port_nothing_listens_on_names_the_right_mapping():
    found, server = judge(snapshot("http://localhost:3000/mcp", [box("srv", publish={8000: 3000}, listen=(9000,))]))
    assert found == ["port-not-published"]
    message, fix = server.findings[0].message, server.findings[0].fix
    assert "to container port 8000, but the server listens on 9000" in message
    assert "127.0.0.1:3000:9000" in fix


def test_declared_but_not_listening_is_not_a_candidate():
    found, _ = judge(snapshot(URL, [box("srv", expose=(8000,), listen=(9000,))]))
    assert found == ["server-not-running"]


def test_loopback_only_is_loopback_bind_when_published():
    found, _ = judge(snapshot(URL, [box("srv", publish={8000: 8000}, listen=(("127.0.0.1", 8000),))]))
    assert found == ["loopback-bind"]
