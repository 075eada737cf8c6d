"""Fix texts per server library (docs/server-libraries.md): host-header-rejected for every measured Host
check, loopback-bind / host-loopback-bind / ipv6-loopback-mismatch by the set-up's clues, and not-mcp reading
a library's 404 as the wrong path of an HTTP server."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
import pytest

from mcp_dockernet import engine
from mcp_dockernet.compose.model import BUILTIN_SOURCE, ComposeProject, ComposeService, EnvVar
from mcp_dockernet.model import (
    STREAMABLE_HTTP,
    ConfigFile,
    EngineState,
    HostState,
    Listener,
    Outcome,
    ProbeResult,
    ProbeTarget,
    ServerEntry,
    Snapshot,
    Span,
)
from mcp_dockernet.probes.followup import followup_targets
from mcp_dockernet.probes.http import probe
from tests.unit.route.test_library import RECORDED
from tests.unit.rules.factory import box, client_in, judge, snapshot


def diagnose(handler, url):
    """The real probe over recorded answers, its follow-ups, then every rule."""

    async def round(targets):
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await asyncio.gather(*(probe(client, t.url, t.transport, 2.0) for t in targets))

    planned = [ProbeTarget(url, STREAMABLE_HTTP)]
    first = asyncio.run(round(planned))
    probes = list(first) + list(asyncio.run(round(followup_targets(planned, first))))
    entry = ServerEntry("s", "c.json", "claude-code", "mcpServers", 1, url, Span(0, 1), STREAMABLE_HTTP, True)
    config = ConfigFile("c.json", "claude-code", "{}", "x", (entry,), ())
    snap = Snapshot((config,), EngineState(()), HostState((Listener("0.0.0.0", 8000, 42, "x"),)), tuple(probes))
    server = engine.run(snap).servers[0]
    return [f.code for f in server.findings], server


def always(name):
    status, headers, body = RECORDED[name]
    return lambda request: httpx.Response(status, headers=headers, text=body)


@pytest.mark.parametrize(
    "name, url, kind, fix_has",
    [
        (
            "sdk-421",
            "http://mcp-server:8000/mcp",
            "official Python SDK",
            ['"mcp-server:*"', "TransportSecuritySettings"],
        ),
        # a URL without a port sends a Host without one, which "NAME:*" does not match (measured)
        ("sdk-421", "http://mcp-server/mcp", "official Python SDK", ['"mcp-server"]', 'host="0.0.0.0"']),
        ("fastmcp4-421", "http://mcp-server:8000/mcp", "FastMCP", ["FASTMCP_HTTP_ALLOWED_HOSTS='[\"mcp-server\"]'"]),
        (
            "ts-app-403",
            "http://mcp-server:8000/mcp",
            "createMcpExpressApp",
            ['allowedHosts: ["localhost", "127.0.0.1", "mcp-server"]'],
        ),
        (
            "ts-transport-403",
            "http://mcp-server:8000/mcp",
            "transport's allowedHosts",
            ['"mcp-server:8000" (with the port)'],
        ),
    ],
)
def test_every_measured_host_check_is_host_header_rejected_with_its_setting(name, url, kind, fix_has):
    found, server = diagnose(always(name), url)
    assert found == ["host-header-rejected"], [f.message for f in server.findings]
    finding = server.findings[0]
    assert kind in finding.message
    for text in fix_has:
        assert text in finding.fix, finding.fix


@pytest.mark.parametrize("name", ["fastmcp4-origin-403", "fastmcp2-401", "uvicorn-404"])
def test_other_refusals_are_no_host_check(name):
    found, _ = diagnose(always(name), "http://mcp-server:8000/mcp")
    assert "host-header-rejected" not in found


@pytest.mark.parametrize(
    "name, server_words",
    [("express-404", "an express server"), ("uvicorn-404", "a uvicorn server")],
)
def test_a_librarys_404_is_an_http_server_at_the_wrong_path(name, server_words):
    found, server = diagnose(always(name), "http://mcp-server:8000/x")
    assert found == ["not-mcp"]
    message = server.findings[0].message
    assert message.startswith("no MCP endpoint at this path: " + server_words) and "404" in message


def test_another_servers_404_is_still_not_mcp():
    found, server = diagnose(lambda r: httpx.Response(404, text="404 page not found"), "http://mcp-server:8000/x")
    assert found == ["not-mcp"] and server.findings[0].message.startswith("not an MCP server")


def test_a_fastmcp_404_with_mcp_at_mcp_is_wrong_path():
    def fastmcp(request):
        if request.url.path == "/mcp":
            return httpx.Response(200, json=_DISCOVER)
        return httpx.Response(404, headers=RECORDED["uvicorn-404"][1], text="Not Found")

    found, server = diagnose(fastmcp, "http://mcp-server:8000/x")
    assert found == ["wrong-path"] and server.suggested_url == "http://mcp-server:8000/mcp"


_DISCOVER = {  # fastmcp 4.2.3 answering server/discover (measured, shortened)
    "jsonrpc": "2.0",
    "id": 1,
    "result": {
        "_meta": {"io.modelcontextprotocol/serverInfo": {"name": "fm", "version": "4.2.3"}},
        "supportedVersions": ["2026-07-28"],
    },
}

URL = "http://localhost:8000/mcp"
SERVER = box("srv", project="p", service="mcp", publish={8000: 8000}, listen=(("127.0.0.1", 8000),))


def _compose(*env: EnvVar, image: str | None = None) -> ComposeProject:
    service = ComposeService("mcp", image=image, environment=env)
    return ComposeProject("p", "/p", ("/p/compose.yaml",), (service,), (), BUILTIN_SOURCE)


def _with_image(snap: Snapshot, image: str) -> Snapshot:
    assert isinstance(snap.engine, EngineState)
    return replace(snap, engine=EngineState(tuple(replace(c, image=image) for c in snap.engine.containers)))


@pytest.mark.parametrize(
    "compose, image, has, lacks",
    [
        # FastMCP 2.x / 4.x honour FASTMCP_HOST (measured): the fix is the variable, and a note why it did not win
        (
            _compose(EnvVar("FASTMCP_HOST", "0.0.0.0")),
            "img",
            ["FASTMCP_HOST=0.0.0.0", "a host= in run() wins"],
            ["app.listen"],
        ),
        (
            _compose(EnvVar("FASTMCP_PORT", "8000")),
            "img",
            ["FASTMCP_HOST=0.0.0.0", "fastmcp run --host"],
            ["wins over it"],
        ),
        (None, "node:20-slim", ['app.listen(8000, "0.0.0.0")', "createMcpExpressApp"], ["FASTMCP_HOST"]),
        (None, "python:3.12-slim", ['host="0.0.0.0"', "FASTMCP_HOST=0.0.0.0", "ignored since 1.12.3"], ["app.listen"]),
        # nothing tells: the short list of the common ones
        (None, "img", ['host="0.0.0.0"', "FASTMCP_HOST=0.0.0.0", "app.listen(8000", "uvicorn --host"], []),
    ],
    ids=["fastmcp-host-set", "fastmcp-env", "node-image", "python-image", "unknown"],
)
def test_loopback_bind_names_the_setting_of_the_library(compose, image, has, lacks):
    found, server = judge(_with_image(snapshot(URL, [SERVER], compose=compose), image))
    assert found == ["loopback-bind"]
    fix = server.findings[0].fix
    assert all(t in fix for t in has), fix
    assert not any(t in fix for t in lacks), fix


AGENT = box("a-agent-1", service="agent", project="a", networks=("a_default",))


@pytest.mark.parametrize(
    "process, has",
    [
        ("fastmcp", "FASTMCP_HOST=0.0.0.0"),
        ("node", 'app.listen(9000, "0.0.0.0")'),
        ("python3", 'server.run("streamable-http", host="0.0.0.0")'),
        (None, "uvicorn --host 0.0.0.0"),
    ],
)
def test_host_loopback_bind_reads_the_library_from_the_process_name(process, has):
    place = client_in(AGENT, extra_hosts=(("host.docker.internal", "host-gateway"),))
    listeners = (Listener("127.0.0.1", 9000, 7, process),)
    found, server = judge(
        snapshot("http://host.docker.internal:9000/mcp", [AGENT], client=place, host_listeners=listeners)
    )
    assert found == ["host-loopback-bind"]
    assert has in server.findings[0].fix, server.findings[0].fix


def test_ipv6_mismatch_names_the_dual_stack_setting_of_the_server_that_answered():
    answered = ProbeResult(
        URL,
        Outcome.MCP,
        "ok",
        server_name="FastMCP-1a2b",
        server_version="4.2.3",
        transport=STREAMABLE_HTTP,
        requested_transport=STREAMABLE_HTTP,  # the entry's: probe_of keys on it
        connects=(("::1", "refused"), ("127.0.0.1", "connected")),
    )
    found, server = judge(snapshot(URL, probes=(answered,), host_listeners=(Listener("127.0.0.1", 8000, 1, "python"),)))
    assert "ipv6-loopback-mismatch" in found
    fix = next(f.fix for f in server.findings if f.code == "ipv6-loopback-mismatch")
    assert fix.startswith("use http://127.0.0.1:8000/mcp") and 'FASTMCP_HOST=""' in fix, fix
