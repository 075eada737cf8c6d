"""Probe an MCP URL the way a client would: connect, then the MCP handshake over HTTP.

Every outcome is a ProbeResult; network errors are classified, never raised. Probes never call
tools, and a session the server opens is ended with DELETE as the transport spec asks.
"""

from __future__ import annotations

import asyncio
import errno
import json
import socket
from collections.abc import Iterable
from urllib.parse import urljoin

import httpx

from mcp_dockernet import __version__
from mcp_dockernet.model import HTTP_THEN_SSE, SSE, STREAMABLE_HTTP, Outcome, ProbeResult

HANDSHAKE_VERSION = "2025-11-25"  # newest initialize-era revision; servers answer with the one they speak
MAX_EVENT_BYTES = 256 * 1024
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": HANDSHAKE_VERSION,
        "capabilities": {},
        "clientInfo": {"name": "mcp-dockernet-probe", "version": __version__},
    },
}
POST_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
# Statuses with which a streamable-HTTP client falls back to legacy SSE (spec, backwards compatibility).
SSE_FALLBACK_STATUSES = {400, 404, 405}


def probe_all(targets: Iterable[tuple[str, str]], timeout: float) -> tuple[ProbeResult, ...]:
    """Probe every (url, transport) at once; the whole run takes about one timeout at most."""
    unique = list(dict.fromkeys(targets))
    if not unique:
        return ()
    return tuple(asyncio.run(_probe_many(unique, timeout)))


async def _probe_many(targets: list[tuple[str, str]], timeout: float) -> list[ProbeResult]:
    limits = httpx.Limits(max_connections=max(len(targets), 1) * 2)
    async with httpx.AsyncClient(timeout=timeout, trust_env=False, limits=limits) as client:
        return list(await asyncio.gather(*(probe(client, url, transport, timeout) for url, transport in targets)))


async def probe(client: httpx.AsyncClient, url: str, transport: str, timeout: float) -> ProbeResult:
    try:
        return await asyncio.wait_for(_probe(client, url, transport), timeout=timeout * 2)
    except TimeoutError:
        return ProbeResult(url, Outcome.TIMEOUT, f"no complete answer within {timeout * 2:g}s")


async def _probe(client: httpx.AsyncClient, url: str, transport: str) -> ProbeResult:
    if transport == SSE:
        return await _probe_sse(client, url)
    result = await _probe_streamable(client, url)
    if transport == HTTP_THEN_SSE and result.http_status in SSE_FALLBACK_STATUSES:
        sse = await _probe_sse(client, url)
        if sse.ok:
            return sse
    return result


async def _probe_streamable(client: httpx.AsyncClient, url: str) -> ProbeResult:
    try:
        async with client.stream("POST", url, json=INITIALIZE, headers=POST_HEADERS) as response:
            status, ctype = response.status_code, response.headers.get("content-type", "")
            session = response.headers.get("mcp-session-id")
            if status != 200:
                body = (await _read_some(response)).decode("utf-8", "replace")
                return _http_error(url, status, ctype, body, response.headers.get("location"))
            message = await _first_message(response, ctype)
    except httpx.HTTPError as e:
        return _network_error(url, e)
    if session:
        await _end_session(client, url, session)
    return _from_message(url, message, status, ctype, STREAMABLE_HTTP)


async def _probe_sse(client: httpx.AsyncClient, url: str) -> ProbeResult:
    """Legacy HTTP+SSE (2024-11-05): GET opens the stream, its `endpoint` event says where to POST."""
    try:
        async with client.stream("GET", url, headers={"Accept": "text/event-stream"}) as response:
            status, ctype = response.status_code, response.headers.get("content-type", "")
            if status != 200:
                body = (await _read_some(response)).decode("utf-8", "replace")
                return _http_error(url, status, ctype, body, response.headers.get("location"))
            if not ctype.startswith("text/event-stream"):
                body = (await _read_some(response)).decode("utf-8", "replace")
                return _not_mcp(url, status, ctype, body)
            events = _sse_events(response)
            endpoint = await _next_event(events, "endpoint")
            if endpoint is None:
                return ProbeResult(
                    url, Outcome.NOT_MCP, "an event stream without the `endpoint` event", "host", 200, ctype
                )
            posted = await client.post(urljoin(url, endpoint), json=INITIALIZE)
            if posted.status_code >= 300:
                return _http_error(url, posted.status_code, posted.headers.get("content-type", ""), posted.text, None)
            data = await _next_event(events, "message")
    except httpx.HTTPError as e:
        return _network_error(url, e)
    message = _json(data) if data is not None else None
    return _from_message(url, message, 200, ctype, SSE)


async def _first_message(response: httpx.Response, ctype: str) -> object:
    if ctype.startswith("text/event-stream"):
        data = await _next_event(_sse_events(response), "message")
        return _json(data) if data is not None else None
    return _json((await _read_some(response)).decode("utf-8", "replace"))


async def _sse_events(response: httpx.Response):  # type: ignore[no-untyped-def]
    """(event, data) pairs of a text/event-stream, bounded in size."""
    event, data, seen = "message", list[str](), 0
    async for line in response.aiter_lines():
        seen += len(line)
        if seen > MAX_EVENT_BYTES:
            return
        if not line:
            if data:
                yield event, "\n".join(data)
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())


async def _next_event(events, name: str) -> str | None:  # type: ignore[no-untyped-def]
    async for event, data in events:
        if event == name:
            return str(data)
    return None


async def _read_some(response: httpx.Response) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= 4096:
            break
    return b"".join(chunks)


async def _end_session(client: httpx.AsyncClient, url: str, session: str) -> None:
    try:
        await client.delete(url, headers={"mcp-session-id": session})
    except httpx.HTTPError:
        pass  # the server forgets idle sessions anyway; the verdict does not depend on this


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _from_message(url: str, message: object, status: int, ctype: str, transport: str) -> ProbeResult:
    result = message.get("result") if isinstance(message, dict) else None
    if not isinstance(result, dict) or "protocolVersion" not in result:
        if isinstance(message, dict) and "error" in message:
            error = message["error"]
            text = error.get("message") if isinstance(error, dict) else error
            return ProbeResult(url, Outcome.HTTP_ERROR, f"MCP error answer: {text}", "host", status, ctype)
        return _not_mcp(url, status, ctype, json.dumps(message)[:200] if message is not None else "")
    info = result.get("serverInfo") or {}
    return ProbeResult(
        url,
        Outcome.MCP,
        "MCP handshake succeeded",
        "host",
        status,
        ctype,
        server_name=str(info.get("name", "")) or None,
        server_version=str(info.get("version", "")) or None,
        protocol_version=str(result.get("protocolVersion")),
        transport=transport,
    )


def _not_mcp(url: str, status: int, ctype: str, body: str) -> ProbeResult:
    snippet = " ".join(body.split())[:120]
    return ProbeResult(
        url, Outcome.NOT_MCP, f"HTTP {status} {ctype or 'no content type'}, not MCP: {snippet!r}", "host", status, ctype
    )


def _http_error(url: str, status: int, ctype: str, body: str, location: str | None) -> ProbeResult:
    snippet = " ".join(body.split())[:160]
    detail = f"HTTP {status}" + (f" redirect to {location}" if location else "") + (f": {snippet}" if snippet else "")
    return ProbeResult(url, Outcome.HTTP_ERROR, detail, "host", status, ctype)


def _network_error(url: str, e: httpx.HTTPError) -> ProbeResult:
    outcome, detail = classify_network_error(e)
    return ProbeResult(url, outcome, detail)


def classify_network_error(e: BaseException) -> tuple[Outcome, str]:
    if isinstance(e, httpx.ConnectTimeout):
        return Outcome.TIMEOUT, "TCP connect timed out"
    if isinstance(e, httpx.TimeoutException):
        return Outcome.TIMEOUT, "connected, but no HTTP answer in time"
    if isinstance(e, httpx.RemoteProtocolError):
        return Outcome.RESET, "connected, then the connection was closed without an HTTP answer"
    cause: BaseException | None = e
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return Outcome.DNS, f"the name does not resolve ({cause.strerror})"
        if isinstance(cause, ConnectionRefusedError):
            return Outcome.REFUSED, "connection refused"
        if isinstance(cause, ConnectionResetError):
            return Outcome.RESET, "connection reset by peer"
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return Outcome.UNREACHABLE, f"no route: {cause.strerror}"
        cause = cause.__cause__ or cause.__context__
    text = str(e)
    if "refused" in text.lower():
        return Outcome.REFUSED, "connection refused"
    if "reset" in text.lower():
        return Outcome.RESET, "connection reset by peer"
    if "name or service not known" in text.lower() or "nodename" in text.lower():
        return Outcome.DNS, "the name does not resolve"
    return Outcome.ERROR, f"{type(e).__name__}: {text[:200]}"
