"""Probes against real servers on loopback: the official SDK's streamable app behind a bearer check that
echoes what it got, and a FastMCP-2-like app that opens sessions. The whole output is grepped for the token."""

from __future__ import annotations

import io
import json
import logging

from rich.console import Console
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mcp_dockernet import engine
from mcp_dockernet.model import STREAMABLE_HTTP, ConfigFile, EngineState, HostState, ProbeTarget, ServerEntry, Span
from mcp_dockernet.probes.codec import to_dict
from mcp_dockernet.probes.layers import probe_all
from mcp_dockernet.render import json_out, text
from tests.unit.probes.local_servers import serving

TOKEN = "sekrit-123"


def bearer_sdk_app():
    """mcp's MCPServer at /mcp; 401 + a challenge (that echoes the token it got) without the right one."""
    from mcp.server.mcpserver import MCPServer

    inner = MCPServer(name="bearer-lab", version="1.0.0").streamable_http_app()

    async def app(scope, receive, send):
        if scope["type"] == "http":
            got = dict(scope["headers"]).get(b"authorization", b"").decode()
            if got != f"Bearer {TOKEN}":
                body = json.dumps({"error": "invalid_token", "got": got, "echo": TOKEN}).encode()
                challenge = b'Bearer error="invalid_token", resource_metadata="http://127.0.0.1/.well-known/x"'
                await send({"type": "http.response.start", "status": 401,
                            "headers": [(b"content-type", b"application/json"), (b"www-authenticate", challenge)]})  # fmt: skip
                await send({"type": "http.response.body", "body": body})
                return
        await inner(scope, receive, send)

    return app


def test_the_sdk_server_with_the_right_bearer_token_answers_and_without_it_is_an_auth_answer():
    with serving(bearer_sdk_app()) as port:
        url = f"http://127.0.0.1:{port}/mcp"
        good, bare, wrong = probe_all(
            [
                ProbeTarget(url, STREAMABLE_HTTP, (("Authorization", f"Bearer {TOKEN}"),)),
                ProbeTarget(url, STREAMABLE_HTTP),
                ProbeTarget(url, STREAMABLE_HTTP, (("Authorization", "Bearer nope-nope-nope"),)),
            ],
            5.0,
            environ={},
        )
    assert good.ok and good.server_name == "bearer-lab" and good.sent_headers == ("Authorization",), good
    assert bare.http_status == 401 and bare.www_authenticate.startswith('Bearer error="invalid_token"')
    assert bare.sent_headers == () and wrong.sent_headers == ("Authorization",)
    assert "nope-nope-nope" not in json.dumps(to_dict(wrong)) and TOKEN in json.dumps(to_dict(bare))  # not a header


def fastmcp2_like(deleted: list[str]):
    """As FastMCP 2 answered on the wire: discover 400 "Missing session ID" with a session header."""

    async def mcp(request: Request) -> Response:
        if request.method == "DELETE":
            deleted.append(request.headers.get("mcp-session-id", ""))
            return Response(status_code=200)
        body = await request.json()
        if body["method"] == "server/discover":
            error = {"jsonrpc": "2.0", "id": "server-error", "error": {"code": -32600, "message": "Missing session ID"}}
            return JSONResponse(error, status_code=400, headers={"mcp-session-id": "discover-1"})
        result = {"protocolVersion": "2025-06-18", "serverInfo": {"name": "fm2", "version": "2"}, "capabilities": {}}
        return JSONResponse({"jsonrpc": "2.0", "id": 1, "result": result}, headers={"mcp-session-id": "init-1"})

    return Starlette(routes=[Route("/mcp/", mcp, methods=["POST", "DELETE"])])


def test_sessions_are_closed_after_a_400_and_after_initialize_and_the_307_is_followed():
    deleted: list[str] = []
    with serving(fastmcp2_like(deleted)) as port:
        (result,) = probe_all([(f"http://127.0.0.1:{port}/mcp", STREAMABLE_HTTP)], 5.0, environ={})
    assert result.ok and result.server_name == "fm2", result
    assert sorted(deleted) == ["discover-1", "init-1"]
    assert result.final_url == f"http://127.0.0.1:{port}/mcp/" and result.location is not None


def test_no_header_value_reaches_any_output(caplog):
    caplog.set_level(logging.DEBUG)
    with serving(bearer_sdk_app()) as port:
        url = f"http://127.0.0.1:{port}/mcp"
        # The wrong token is the one echoed back in the 401 body; the right one goes to a 404 path too.
        wrong = ServerEntry("w", "c.json", "claude-code", "mcpServers", 1, url, Span(0, 1), STREAMABLE_HTTP, True,
                            headers=(("Authorization", f"Bearer wrong-{TOKEN}"), ("X-Api-Key", TOKEN)))  # fmt: skip
        config = ConfigFile("c.json", "claude-code", "{}", "x", (wrong,), ())
        snap = engine.build_snapshot([config], EngineState(()), HostState(()), timeout=5.0)
    report = engine.run(snap)
    out = io.StringIO()
    text.render(report, Console(file=out, width=200))
    everything = [json_out.dumps(json_out.to_dict(report)), out.getvalue(), caplog.text, repr(snap.probes)]
    everything += [json.dumps(to_dict(p)) for p in snap.probes]
    assert snap.probes and snap.probes[0].http_status == 401
    assert snap.probes[0].sent_headers == ("Authorization", "X-Api-Key")
    for blob in everything:
        assert TOKEN not in blob, blob
