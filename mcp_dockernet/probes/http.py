"""The HTTP and MCP layers of a probe: what a client gets when it speaks MCP to a URL.

Streamable HTTP first asks the stateless 2026-07-28 ``server/discover`` (no session); a server
of the initialize era (2025-03-26 .. 2025-11-25) refuses it, and then gets an ``initialize``
like the official SDK's ``mode="auto"`` does (mcp 2.3 client/_probe.py). Legacy HTTP+SSE
(2024-11-05) opens the GET stream and waits for its ``endpoint`` event. Every outcome is a
ProbeResult whose layers say what each step saw; network errors are classified, never raised.
Probes never call tools, and a session the server opens is ended with DELETE (transport spec).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import httpx

from mcp_dockernet import __version__
from mcp_dockernet.model import HTTP_THEN_SSE, SSE, STREAMABLE_HTTP, Layer, Outcome, ProbeResult, ProbeTarget
from mcp_dockernet.probes import sse
from mcp_dockernet.probes.send import Sender
from mcp_dockernet.probes.wire import (
    answer,
    first_message,
    folded,
    from_message,
    json_rpc_error,
    mcp_answered,
    network_error,
)

HANDSHAKE_VERSION = "2025-11-25"  # newest initialize-era revision; servers answer with the one they speak
MODERN_VERSION = "2026-07-28"  # stateless: server/discover, no sessions, routing headers on every POST
CLIENT_INFO = {"name": "mcp-dockernet-probe", "version": __version__}
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": HANDSHAKE_VERSION, "capabilities": {}, "clientInfo": CLIENT_INFO},
}
# The wire shape of mcp 2.3's ClientSession.send_discover: the envelope rides in params._meta.
DISCOVER = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "server/discover",
    "params": {
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
            "io.modelcontextprotocol/clientInfo": CLIENT_INFO,
            "io.modelcontextprotocol/clientCapabilities": {},
        }
    },
}
POST_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
DISCOVER_HEADERS = {**POST_HEADERS, "MCP-Protocol-Version": MODERN_VERSION, "Mcp-Method": "server/discover"}
# Statuses with which a streamable-HTTP client falls back to legacy SSE (spec, backwards compatibility).
SSE_FALLBACK_STATUSES = {400, 404, 405}
# Answers to server/discover that an initialize would get too (redirects, auth, Host checks, no route):
# asking again would only double the traffic.
FINAL_STATUSES = {301, 302, 303, 307, 308, 401, 403, 404, 405, 407, 421, 502, 503, 504}


async def probe(
    client: httpx.AsyncClient, url: str, transport: str, timeout: float, headers: tuple[tuple[str, str], ...] = ()
) -> ProbeResult:
    """The HTTP and MCP layers only (the client decides how to connect), bounded by ``timeout``."""
    try:
        return await asyncio.wait_for(exchange(client, ProbeTarget(url, transport, headers)), timeout=timeout)
    except TimeoutError:
        layer = Layer("http", "timeout", f"no complete HTTP answer within {timeout:g}s")
        return ProbeResult(url, Outcome.TIMEOUT, layer.detail, requested_transport=transport, layers=(layer,))


async def exchange(client: httpx.AsyncClient, target: ProbeTarget) -> ProbeResult:
    sender = Sender(client, target)
    url, transport = target.url, target.transport
    if transport == SSE:
        result = await sse.probe_sse(sender, url, INITIALIZE)
    else:
        result = await probe_streamable(sender, url)
        if transport == HTTP_THEN_SSE and result.http_status in SSE_FALLBACK_STATUSES:
            fallback = await sse.probe_sse(sender, url, INITIALIZE)
            if fallback.ok:
                result = replace(fallback, layers=result.layers + fallback.layers)
    return sender.finish(replace(result, requested_transport=transport))


async def probe_streamable(sender: Sender, url: str) -> ProbeResult:
    layers: list[Layer] = []
    modern = await _post(sender, url, DISCOVER, DISCOVER_HEADERS, "server/discover", layers)
    if isinstance(modern, ProbeResult):
        return modern
    status, ctype, headers, message = modern
    # Any answer may open a session (FastMCP 2 answers server/discover 400 "Missing session ID"
    # with an mcp-session-id header, and keeps it 30 minutes): end it, whatever the status.
    await end_session(sender, url, headers.get("mcp-session-id"), layers)
    result = message.get("result") if isinstance(message, dict) else None
    if status == 200 and isinstance(result, dict) and "supportedVersions" in result:
        return _discovered(url, result, status, ctype, layers)
    if status in FINAL_STATUSES and json_rpc_error(message) is None:
        return answer(url, status, ctype, headers, message, layers)
    refused = next(x for x in reversed(layers) if x.detail.startswith("POST server/discover: HTTP"))
    at = layers.index(refused)  # not the 2026-07-28 revision: ask as the initialize era does
    layers[at] = Layer("http", "skipped", f"{refused.detail} (not 2026-07-28; falling back to initialize)")
    legacy = await _post(sender, url, INITIALIZE, POST_HEADERS, "initialize", layers)
    if isinstance(legacy, ProbeResult):
        return legacy
    status, ctype, headers, message = legacy
    await end_session(sender, url, headers.get("mcp-session-id"), layers)
    if status != 200:
        return answer(url, status, ctype, headers, message, layers)
    return from_message(url, message, status, ctype, STREAMABLE_HTTP, layers, "initialize")


async def _post(
    sender: Sender, url: str, body: dict[str, Any], headers: dict[str, str], what: str, layers: list[Layer]
) -> ProbeResult | tuple[int, str, httpx.Headers, Any]:
    """POST one JSON-RPC request; (status, content type, headers, parsed body or text) or a failed result."""
    try:
        async with sender.stream("POST", url, layers, json_body=body, headers=headers, what=what) as response:
            status, ctype = response.status_code, response.headers.get("content-type", "")
            state = "ok" if status < 300 else "failed"
            layers.append(Layer("http", state, f"POST {what}: HTTP {status} {ctype or 'no content type'}"))
            message = await first_message(response, ctype)
            return status, ctype, response.headers, message
    except httpx.HTTPError as e:
        return network_error(url, e, layers)


def _discovered(url: str, result: dict[str, Any], status: int, ctype: str, layers: list[Layer]) -> ProbeResult:
    versions = [str(v) for v in result.get("supportedVersions") or ()]
    version = MODERN_VERSION if MODERN_VERSION in versions else (versions[-1] if versions else None)
    meta = result.get("_meta")
    info = meta.get("io.modelcontextprotocol/serverInfo") if isinstance(meta, dict) else None
    what, summary = "server/discover", "MCP server/discover succeeded"
    return mcp_answered(url, info, version, status, ctype, STREAMABLE_HTTP, layers, what, summary)


async def end_session(sender: Sender, url: str, session: str | None, layers: list[Layer]) -> None:
    """DELETE the session a server opened (transport spec, "Session Management"), with the entry's headers."""
    if not session:
        return
    try:
        async with sender.stream("DELETE", url, layers, headers={"mcp-session-id": session}, what="session") as done:
            layers.append(Layer("http", "ok", f"DELETE ended the session: HTTP {done.status_code}"))
    except httpx.HTTPError as e:  # the server forgets idle sessions anyway; the verdict does not depend on this
        layers.append(Layer("http", "skipped", f"DELETE of the session failed: {folded(str(e), 80)}"))
