"""Rule tables on hand-made snapshots (pure logic; the real-engine tests are in tests/integration)."""

from __future__ import annotations

import pytest

from mcp_dockernet import engine
from mcp_dockernet.model import (
    STREAMABLE_HTTP,
    ConfigFile,
    Container,
    ContainerState,
    EngineState,
    HostState,
    Listener,
    Outcome,
    PortBinding,
    ProbeResult,
    ServerEntry,
    Snapshot,
    Span,
    Unavailable,
)
from mcp_dockernet.rules import RULES, explain

URL = "http://localhost:8000/mcp"


def snapshot(containers=(), listeners=(), probes=(), url=URL, host=True):
    entry = ServerEntry("s", "c.json", "claude-code", "mcpServers", 1, url, Span(0, 1), "streamable-http", True)
    config = ConfigFile("c.json", "claude-code", "{}", "x", (entry,), ())
    host_state = HostState(tuple(listeners)) if host else Unavailable("no psutil")
    return Snapshot((config,), EngineState(tuple(containers)), host_state, tuple(probes), probing=bool(probes))


def container(name, *ports, state=ContainerState.RUNNING, exit_code=None, logs=()):
    return Container(name, name, "img", state, exit_code, tuple(ports), log_tail=tuple(logs))


def codes(snap):
    report = engine.run(snap)
    return [f.code for f in report.servers[0].findings], report.servers[0]


@pytest.mark.parametrize(
    "containers, listeners, expected",
    [
        (
            [container("a", PortBinding(8000, "tcp", "0.0.0.0", 8000))],
            [Listener("0.0.0.0", 8000, 9, "docker-proxy")],
            [],
        ),
        ([], [Listener("127.0.0.1", 8000, 9, "python3")], []),
        ([container("a", PortBinding(8000, "tcp", "0.0.0.0", 3000))], [], ["wrong-port"]),
        ([container("a", PortBinding(8000, "tcp"))], [], ["port-not-published"]),
        (
            [container("a", PortBinding(8000, "tcp", None, 8000), state=ContainerState.EXITED, exit_code=1)],
            [],
            ["server-not-running"],
        ),
        ([], [], ["server-not-running"]),
        ([container("a", PortBinding(9000, "tcp", "0.0.0.0", 9000))], [], ["server-not-running"]),
    ],
    ids=["published", "host-process", "moved", "unpublished", "exited", "nothing", "other-port"],
)
def test_host_client_verdicts(containers, listeners, expected):
    found, _ = codes(snapshot(containers, listeners))
    assert found == expected


def test_wrong_port_suggests_the_published_port():
    _, server = codes(snapshot([container("a", PortBinding(8000, "tcp", "0.0.0.0", 3000))]))
    assert server.suggested_url == "http://localhost:3000/mcp"


def test_wrong_port_with_two_candidates_picks_the_one_that_answers_mcp():
    both = [
        container("a", PortBinding(8000, "tcp", "0.0.0.0", 3000)),
        container("b", PortBinding(8000, "tcp", "0.0.0.0", 4000)),
    ]
    probes = [
        ProbeResult(URL, Outcome.REFUSED, "connection refused", requested_transport=STREAMABLE_HTTP),
        ProbeResult("http://localhost:3000/mcp", Outcome.NOT_MCP, "HTTP 200 text/html"),
        ProbeResult("http://localhost:4000/mcp", Outcome.MCP, "ok", server_name="x"),
    ]
    _, server = codes(snapshot(both, probes=probes))
    assert server.suggested_url == "http://localhost:4000/mcp"
    _, undecided = codes(snapshot(both))
    assert undecided.suggested_url is None


def test_stopped_container_is_named_with_exit_code_and_log():
    dead = container(
        "db-mcp", PortBinding(8000, "tcp", None, 8000), state=ContainerState.EXITED, exit_code=137, logs=["Killed"]
    )
    _, server = codes(snapshot([dead]))
    message = server.findings[0].message
    assert "db-mcp" in message and "exit code 137" in message and "Killed" in message


def test_a_rule_whose_source_is_missing_is_skipped_with_the_reason():
    report = engine.run(snapshot(host=False))
    assert ("server-not-running", "no psutil") in report.skipped_rules


def test_a_crashing_rule_is_reported_and_the_others_still_run(monkeypatch):
    class Broken:
        CODE, SEVERITY, NEEDS = "broken", RULES["wrong-port"].SEVERITY, frozenset()

        @staticmethod
        def check(snap, routes):
            raise RuntimeError("boom")

    rules = {"broken": Broken, **RULES}
    report = engine.run(snapshot(), rules)
    assert report.rule_errors == (("broken", "RuntimeError: boom"),)
    assert [f.code for f in report.servers[0].findings] == ["server-not-running"]


def test_a_failed_probe_with_no_known_cause_is_a_warning_not_ok():
    published = container("a", PortBinding(8000, "tcp", "0.0.0.0", 8000))
    probes = [ProbeResult(URL, Outcome.RESET, "connection reset by peer", requested_transport=STREAMABLE_HTTP)]
    found, server = codes(snapshot([published], probes=probes))
    assert found == [] and server.status == "warning"


@pytest.mark.parametrize("code", list(RULES))
def test_every_rule_documents_itself(code):
    doc = explain(code)
    assert doc and "Fails when" in doc and "Passes when" in doc and "Fix" in doc
    assert code == code.lower() and " " not in code


def test_rules_import_no_io_library():
    import ast
    import pathlib

    for path in pathlib.Path("mcp_dockernet/rules").glob("*.py"):
        tree = ast.parse(path.read_text())
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not names & {"docker", "psutil", "httpx", "rich", "typer"}, path
