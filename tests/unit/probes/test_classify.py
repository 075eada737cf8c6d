"""Probe classification from recorded HTTP exchanges (httpx.MockTransport: no network)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from mcp_dockernet.model import HTTP_THEN_SSE, SSE, STREAMABLE_HTTP, Outcome
from mcp_dockernet.probes.http import probe

URL = "http://localhost:8000/mcp"
INIT_RESULT = {
    "jsonrpc": "2.0",
    "id": 1,
    "result": {"protocolVersion": "2025-06-18", "serverInfo": {"name": "srv", "version": "2"}},
}


def run(handler, transport=STREAMABLE_HTTP, url=URL):
    async def go():
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await probe(client, url, transport, 2.0)

    return asyncio.run(go())


def sse_body(*events):
    return "".join(f"event: {e}\ndata: {d}\n\n" for e, d in events).encode()


def test_streamable_http_answer_as_event_stream_and_the_session_is_ended():
    seen = []

    def handler(request):
        seen.append(request.method)
        if request.method == "DELETE":
            return httpx.Response(200)
        body = sse_body(("message", json.dumps(INIT_RESULT)))
        return httpx.Response(200, headers={"content-type": "text/event-stream", "mcp-session-id": "abc"}, content=body)

    result = run(handler)
    assert result.ok and result.server_name == "srv" and result.protocol_version == "2025-06-18"
    assert seen == ["POST", "DELETE"]


def test_streamable_http_json_answer():
    result = run(lambda r: httpx.Response(200, json=INIT_RESULT))
    assert result.ok and result.transport == STREAMABLE_HTTP


@pytest.mark.parametrize(
    "status, body, outcome",
    [
        (421, "Invalid Host header", Outcome.HTTP_ERROR),
        (404, "Not Found", Outcome.HTTP_ERROR),
        (200, '{"status": "ok"}', Outcome.NOT_MCP),
    ],
)
def test_http_answers_that_are_not_an_mcp_handshake(status, body, outcome):
    result = run(lambda r: httpx.Response(status, text=body, headers={"content-type": "application/json"}))
    assert result.outcome is outcome and result.http_status == status


def test_legacy_sse_endpoint_then_message():
    def handler(request):
        if request.method == "GET":
            body = sse_body(("endpoint", "/messages/?session_id=1"), ("message", json.dumps(INIT_RESULT)))
            return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)
        assert request.url.path == "/messages/"
        return httpx.Response(202)

    result = run(handler, SSE, "http://localhost:8000/sse")
    assert result.ok and result.transport == SSE


def test_http_then_sse_falls_back_on_405():
    def handler(request):
        if request.method == "POST" and request.url.path == "/sse":
            return httpx.Response(405)
        if request.method == "GET":
            body = sse_body(("endpoint", "/messages/"), ("message", json.dumps(INIT_RESULT)))
            return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)
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
