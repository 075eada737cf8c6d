"""Entry headers, redirects and sessions, with recorded answers replayed by httpx.MockTransport."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from mcp_dockernet.model import SSE, STREAMABLE_HTTP, ProbeTarget
from mcp_dockernet.probes.codec import to_dict
from mcp_dockernet.probes.followup import followup_targets
from mcp_dockernet.probes.http import probe
from mcp_dockernet.probes.send import MAX_REDIRECTS

URL = "http://localhost:8000/mcp"
TOKEN = "sekrit-123"
AUTH = (("Authorization", f"Bearer {TOKEN}"), ("X-Api-Key", "k-" + TOKEN))
INIT = {"jsonrpc": "2.0", "id": 1, "result": {"protocolVersion": "2025-06-18", "serverInfo": {"name": "srv"}}}
MISSING_SESSION = {"jsonrpc": "2.0", "id": "server-error", "error": {"code": -32600, "message": "Missing session ID"}}


def run(handler, url=URL, transport=STREAMABLE_HTTP, headers=()):
    seen: list[httpx.Request] = []

    def record(request):
        seen.append(request)
        return handler(request)

    async def go():
        async with httpx.AsyncClient(transport=httpx.MockTransport(record)) as client:
            return await probe(client, url, transport, 2.0, headers)

    return asyncio.run(go()), seen


def method_of(request):
    return json.loads(request.content).get("method") if request.content else None


def fastmcp2(request):
    """FastMCP 2.x as measured: server/discover -> 400 "Missing session ID" with a session id; then a session."""
    if request.method == "DELETE":
        return httpx.Response(200)
    if method_of(request) == "server/discover":
        return httpx.Response(400, json=MISSING_SESSION, headers={"mcp-session-id": "s-discover"})
    return httpx.Response(200, json=INIT, headers={"mcp-session-id": "s-init"})


def test_every_session_a_probe_opens_is_deleted_with_the_entry_headers():
    result, seen = run(fastmcp2, headers=AUTH)
    assert result.ok, result
    deletes = [r.headers["mcp-session-id"] for r in seen if r.method == "DELETE"]
    assert deletes == ["s-discover", "s-init"]
    assert all(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in seen)
    assert all(r.headers.get("x-api-key") == "k-" + TOKEN for r in seen)
    assert result.sent_headers == ("Authorization", "X-Api-Key")
    assert result.headers_id == ProbeTarget(URL, STREAMABLE_HTTP, AUTH).headers_id != ""


def test_a_session_opened_by_a_failing_answer_is_deleted_too():
    def handler(request):
        if request.method == "DELETE":
            return httpx.Response(204)
        return httpx.Response(400, json=MISSING_SESSION, headers={"mcp-session-id": f"s-{method_of(request)}"})

    result, seen = run(handler)
    assert result.http_status == 400
    assert [r.headers["mcp-session-id"] for r in seen if r.method == "DELETE"] == ["s-server/discover", "s-initialize"]


def test_a_307_keeps_post_body_and_headers_and_each_hop_is_a_layer():
    def handler(request):  # FastMCP: /mcp -> 307 /mcp/
        if request.url.path == "/mcp":
            return httpx.Response(307, headers={"location": "/mcp/"})
        if method_of(request) == "server/discover":
            return httpx.Response(400, json=MISSING_SESSION)
        return httpx.Response(200, json=INIT)

    result, seen = run(handler, headers=AUTH)
    assert result.ok and result.location == "/mcp/" and result.final_url == URL + "/"
    assert [(r.method, r.url.path, method_of(r)) for r in seen] == [
        ("POST", "/mcp", "server/discover"),
        ("POST", "/mcp/", "server/discover"),
        ("POST", "/mcp", "initialize"),
        ("POST", "/mcp/", "initialize"),
    ]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in seen)
    hops = [x.detail for x in result.layers if "redirect to" in x.detail]
    assert hops == [
        "POST server/discover: HTTP 307 redirect to http://localhost:8000/mcp/",
        "POST initialize: HTTP 307 redirect to http://localhost:8000/mcp/",
    ]


def test_a_redirect_to_another_origin_goes_without_the_entry_headers_and_ends_in_an_auth_answer():
    challenge = 'Bearer error="invalid_token", resource_metadata="http://auth:9000/.well-known/x"'

    def handler(request):
        if request.url.port == 8000:
            return httpx.Response(307, headers={"location": "http://other:9000/mcp"})
        return httpx.Response(401, json={"error": "invalid_token"}, headers={"www-authenticate": challenge})

    result, seen = run(handler, headers=AUTH)
    assert [r.url.port for r in seen] == [8000, 9000]
    assert "authorization" in seen[0].headers and "authorization" not in seen[1].headers
    assert "x-api-key" not in seen[1].headers
    assert result.http_status == 401 and result.www_authenticate == challenge
    assert result.location == "http://other:9000/mcp" and result.final_url == "http://other:9000/mcp"
    assert "the entry's headers stay behind" in result.layers[0].detail


def test_a_302_turns_post_into_get_and_hops_are_bounded():
    def handler(request):
        if request.url.path == "/mcp":
            return httpx.Response(302, headers={"location": "/page"})
        return httpx.Response(200, text="<html>", headers={"content-type": "text/html"})

    result, seen = run(handler)
    assert [(r.method, r.content) for r in seen[:2]] == [("POST", seen[0].content), ("GET", b"")]
    assert result.outcome.value == "not-mcp"

    loop, seen = run(lambda r: httpx.Response(307, headers={"location": r.url.path + "x"}))
    assert len([r for r in seen if method_of(r) == "server/discover"]) == MAX_REDIRECTS + 1
    assert loop.http_status == 307


def test_sse_get_and_endpoint_post_carry_the_headers_only_on_the_origin():
    def handler(request):
        if request.method == "GET":
            body = b"id: 0\ndata: \n\nevent: endpoint\ndata: /messages/?session_id=1\n\n"
            body += b"event: message\ndata: " + json.dumps(INIT).encode() + b"\n\n"
            return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)
        return httpx.Response(202)

    result, seen = run(handler, url="http://localhost:8000/sse", transport=SSE, headers=AUTH)
    assert result.ok and result.transport == SSE
    assert [r.method for r in seen] == ["GET", "POST"] and all("authorization" in r.headers for r in seen)


def test_no_header_value_reaches_the_result_even_when_the_server_echoes_it():
    def echo(request):
        return httpx.Response(
            401, text=f"bad token {TOKEN} in {request.headers['authorization']}", headers={"location": f"/?t={TOKEN}"}
        )

    result, _ = run(echo, headers=AUTH)
    assert TOKEN not in json.dumps(to_dict(result)) and TOKEN not in repr(result)
    assert "***" in result.body and "***" in result.location


@pytest.mark.parametrize(
    "followup, carries",
    [
        ("http://localhost:8000/sse", True),  # same origin, another path or transport
        ("http://127.0.0.1:8000/mcp", False),  # another host
        ("http://localhost:8001/mcp", False),  # another port
        ("https://localhost:8000/mcp", False),  # another scheme
    ],
)
def test_a_target_moved_elsewhere_keeps_its_headers_only_on_its_origin(followup, carries):
    moved = ProbeTarget(URL, STREAMABLE_HTTP, AUTH).at(followup)
    assert (moved.headers == AUTH) is carries
    assert TOKEN not in repr(moved)


def test_followups_of_a_probe_with_headers_keep_them_on_the_same_origin():
    target = ProbeTarget(URL, STREAMABLE_HTTP, AUTH)
    result, _ = run(lambda r: httpx.Response(404, text="Not Found"), headers=AUTH)
    more = followup_targets([target], [result])
    assert more and all(t.headers == AUTH for t in more)
    assert ProbeTarget(URL, SSE, AUTH) in more
