"""Probe classification and the symptom -> finding table (mcp-clients.md 2.7), from recorded HTTP
exchanges replayed with httpx.MockTransport: no network."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from mcp_dockernet import engine
from mcp_dockernet.model import (
    HTTP_THEN_SSE,
    SSE,
    STREAMABLE_HTTP,
    ConfigFile,
    EngineState,
    HostState,
    Listener,
    Outcome,
    ProbeTarget,
    ServerEntry,
    Snapshot,
    Span,
)
from mcp_dockernet.probes.followup import followup_targets
from mcp_dockernet.probes.http import probe

URL = "http://localhost:8000/mcp"
INIT_RESULT = {
    "jsonrpc": "2.0",
    "id": 1,
    "result": {"protocolVersion": "2025-06-18", "serverInfo": {"name": "srv", "version": "2"}},
}
DISCOVER_RESULT = {  # recorded from mcp 2.3.0's MCPServer
    "jsonrpc": "2.0",
    "id": 1,
    "result": {
        "cacheScope": "private",
        "capabilities": {"tools": {"listChanged": True}},
        "resultType": "complete",
        "supportedVersions": ["2026-07-28"],
        "ttlMs": 0,
        "_meta": {"io.modelcontextprotocol/serverInfo": {"name": "lab-server", "version": "1.0.0"}},
    },
}
MISSING_SESSION = {
    "jsonrpc": "2.0",
    "id": None,
    "error": {"code": -32600, "message": "Bad Request: Missing session ID"},
}
JSON = {"content-type": "application/json"}
EVENTS = {"content-type": "text/event-stream"}


def run(handler, transport=STREAMABLE_HTTP, url=URL):
    async def go():
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await probe(client, url, transport, 2.0)

    return asyncio.run(go())


def sse_body(*events):
    return "".join(f"event: {e}\ndata: {d}\n\n" for e, d in events).encode()


def is_discover(request):
    return request.method == "POST" and json.loads(request.content)["method"] == "server/discover"


# --- servers of the three protocol generations -------------------------------------------------


def test_2026_server_answers_server_discover_and_no_session_is_opened():
    seen = []

    def handler(request):
        seen.append((request.method, request.headers.get("mcp-method"), request.headers.get("mcp-protocol-version")))
        return httpx.Response(200, json=DISCOVER_RESULT)

    result = run(handler)
    assert result.ok and result.protocol_version == "2026-07-28"
    assert (result.server_name, result.server_version) == ("lab-server", "1.0.0")
    assert seen == [("POST", "server/discover", "2026-07-28")]


def test_initialize_era_server_refuses_discover_then_answers_initialize_and_the_session_is_ended():
    seen = []

    def handler(request):
        seen.append(request.method)
        if request.method == "DELETE":
            assert request.headers["mcp-session-id"] == "abc"
            return httpx.Response(200)
        if is_discover(request):
            return httpx.Response(400, json=MISSING_SESSION)
        body = sse_body(("message", json.dumps(INIT_RESULT)))
        return httpx.Response(200, headers={**EVENTS, "mcp-session-id": "abc"}, content=body)

    result = run(handler)
    assert result.ok and result.server_name == "srv" and result.protocol_version == "2025-06-18"
    assert seen == ["POST", "POST", "DELETE"]
    assert [x.name for x in result.layers] == ["http", "http", "http", "mcp"]


def test_initialize_era_json_answer():
    def handler(request):
        return (
            httpx.Response(400, json=MISSING_SESSION) if is_discover(request) else httpx.Response(200, json=INIT_RESULT)
        )

    result = run(handler)
    assert result.ok and result.transport == STREAMABLE_HTTP


def test_legacy_sse_endpoint_then_message():
    def handler(request):
        if request.method == "GET":
            body = sse_body(("endpoint", "/messages/?session_id=1"), ("message", json.dumps(INIT_RESULT)))
            return httpx.Response(200, headers=EVENTS, content=body)
        assert request.url.path == "/messages/"
        return httpx.Response(202)

    result = run(handler, SSE, "http://localhost:8000/sse")
    assert result.ok and result.transport == SSE and result.protocol_version == "2025-06-18"


def test_http_then_sse_falls_back_on_405():
    def handler(request):
        if request.method == "POST" and request.url.path == "/sse":
            return httpx.Response(405)
        if request.method == "GET":
            body = sse_body(("endpoint", "/messages/"), ("message", json.dumps(INIT_RESULT)))
            return httpx.Response(200, headers=EVENTS, content=body)
        return httpx.Response(202)

    result = run(handler, HTTP_THEN_SSE, "http://localhost:8000/sse")
    assert result.ok and result.transport == SSE


@pytest.mark.parametrize(
    "error, outcome",
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), Outcome.REFUSED),
        (httpx.ConnectTimeout("timed out"), Outcome.TIMEOUT),
        (httpx.ReadTimeout("timed out"), Outcome.TIMEOUT),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), Outcome.RESET),
        (httpx.ReadError("[Errno 104] Connection reset by peer"), Outcome.RESET),
    ],
)
def test_network_errors_are_classified(error, outcome):
    def handler(request):
        raise error

    assert run(handler).outcome is outcome


# --- golden: recorded symptom -> finding code ---------------------------------------------------


def py_sdk_server(request):
    """mcp 2.3's streamable app at /mcp, as recorded: 307 for /mcp/, 404 elsewhere, 400 for a GET."""
    path = request.url.path
    if path == "/mcp/":
        return httpx.Response(307, headers={"location": "http://localhost:8000/mcp"})
    if path != "/mcp":
        return httpx.Response(404, text="Not Found", headers={"content-type": "text/plain; charset=utf-8"})
    if request.method == "GET":
        return httpx.Response(400, json=MISSING_SESSION)
    return httpx.Response(200, json=DISCOVER_RESULT)


def sse_server(request):
    path = request.url.path
    if path == "/sse" and request.method == "GET":
        body = sse_body(("endpoint", "/messages/?session_id=1"), ("message", json.dumps(INIT_RESULT)))
        return httpx.Response(200, headers=EVENTS, content=body)
    if path == "/sse":
        return httpx.Response(405, text="Method Not Allowed", headers={"allow": "HEAD, GET"})
    if path == "/messages/":
        return httpx.Response(202)
    return httpx.Response(404, text="Not Found")


def rejects_host(status, body):
    return lambda request: httpx.Response(status, text=body)


def health(request):
    return httpx.Response(200, json={"status": "ok"}, headers={"server": "uvicorn"})


def diagnose(handler, url, transport=STREAMABLE_HTTP, declared=True):
    async def round(targets):
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await asyncio.gather(*(probe(client, t.url, t.transport, 2.0, t.headers) for t in targets))

    targets = [ProbeTarget(url, transport)]
    first = asyncio.run(round(targets))
    probes = list(first) + list(asyncio.run(round(followup_targets(targets, first))))
    entry = ServerEntry("s", "c.json", "claude-code", "mcpServers", 1, url, Span(0, 1), transport, declared)
    config = ConfigFile("c.json", "claude-code", "{}", "x", (entry,), ())
    listening = HostState((Listener("0.0.0.0", 8000, 42, "python3"),))  # the recorded server's socket
    snap = Snapshot((config,), EngineState(()), listening, tuple(probes), probing=True)
    server = engine.run(snap).servers[0]
    return [f.code for f in server.findings], server


@pytest.mark.parametrize(
    "handler, url, transport, expected, suggested",
    [
        (py_sdk_server, URL, STREAMABLE_HTTP, [], None),
        (py_sdk_server, "http://localhost:8000/mcp/", STREAMABLE_HTTP, [], None),  # followed, as clients do
        (py_sdk_server, "http://localhost:8000/", STREAMABLE_HTTP, ["wrong-path"], URL),
        (py_sdk_server, URL, SSE, ["transport-mismatch"], URL),  # the same URL, with the other transport
        (sse_server, "http://localhost:8000/sse", STREAMABLE_HTTP, ["transport-mismatch"], "http://localhost:8000/sse"),
        (sse_server, "http://localhost:8000/mcp", SSE, ["wrong-path"], "http://localhost:8000/sse"),
        (rejects_host(421, "Invalid Host header"), URL, STREAMABLE_HTTP, ["host-header-rejected"], None),
        (rejects_host(421, "Misdirected Request"), URL, STREAMABLE_HTTP, ["host-header-rejected"], None),
        (
            rejects_host(
                403, '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Invalid Host: mcp-server"},"id":null}'
            ),
            URL,
            STREAMABLE_HTTP,
            ["host-header-rejected"],
            None,
        ),
        (health, "http://localhost:8000/health", STREAMABLE_HTTP, ["not-mcp"], None),
    ],
    ids=[
        "ok",
        "trailing-slash-307",
        "root-404",
        "sse-client-at-streamable",
        "streamable-client-at-sse",
        "sse-at-mcp-path",
        "py-sdk-421",
        "fastmcp-421",
        "ts-sdk-403",
        "health-endpoint",
    ],
)
def test_symptom_to_finding(handler, url, transport, expected, suggested):
    found, server = diagnose(handler, url, transport)
    assert found == expected, [f.message for f in server.findings]
    assert server.suggested_url == suggested
    other = SSE if transport == STREAMABLE_HTTP else STREAMABLE_HTTP  # no wrong-path row here changes it
    assert server.suggested_transport == (other if found == ["transport-mismatch"] else None)


def test_a_redirect_is_followed_as_clients_do_and_the_host_value_is_named():
    found, server = diagnose(py_sdk_server, "http://localhost:8000/mcp/")
    probe = server.probe
    assert probe.ok and probe.location == URL and probe.final_url == URL, probe
    assert any(x.detail.startswith("POST server/discover: HTTP 307 redirect to") for x in probe.layers)
    _, rejected = diagnose(rejects_host(421, "Invalid Host header"), "http://mcp-server:8000/mcp")
    assert '"mcp-server:*"' in rejected.findings[0].fix
