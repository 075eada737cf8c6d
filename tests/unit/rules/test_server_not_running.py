"""server-not-running: nothing serves the port; a stopped container or a Compose service meant to."""

from __future__ import annotations

from mcp_dockernet.model import ContainerState
from tests.unit.rules.factory import box, judge, probe, snapshot

URL = "http://localhost:8000/mcp"


def test_nothing_at_all():
    found, server = judge(snapshot(URL))
    assert found == ["server-not-running"] and "no container serves it" in server.findings[0].message


def test_a_stopped_container_is_named_with_its_exit_code_and_log():
    dead = box("db", publish={8000: 8000}, state=ContainerState.EXITED, exit_code=137, logs=("Killed",))
    found, server = judge(snapshot(URL, [dead]))
    assert found == ["server-not-running"]
    assert "exit code 137" in server.findings[0].message and "Killed" in server.findings[0].message


def test_a_running_server_of_this_port_is_never_called_not_running():
    found, _ = judge(snapshot(URL, [box("srv", listen=(8000,))]))
    assert "server-not-running" not in found


def test_a_candidate_seen_failing_is_mentioned_but_not_suggested():
    found, server = judge(
        snapshot(
            URL, [box("other", project="x", publish={8000: 3000})], probes=(probe("http://localhost:3000/mcp", False),)
        )
    )
    assert found == ["server-not-running"]
    assert "no MCP server answered there" in server.findings[0].message
    assert server.suggested_url is None


def test_something_answering_that_we_cannot_see_is_not_a_finding():
    found, server = judge(snapshot(URL, probes=(probe(URL),)))
    assert found == [] and server.status == "ok"
