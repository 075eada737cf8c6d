"""Reading HTTP answers as MCP or not, and naming network errors: shared by every transport."""

from __future__ import annotations

import errno
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx

from mcp_dockernet.model import Layer, Outcome, ProbeResult
from mcp_dockernet.probes.event_stream import EventStreamParser

MAX_EVENT_BYTES = 256 * 1024
MAX_BODY = 4096


async def first_message(response: httpx.Response, ctype: str) -> Any:
    """The first JSON-RPC answer of a response (JSON body or an SSE `message` event), else its text.

    On a stream, events without data are skipped as the SDK clients skip them: the TypeScript
    SDK's priming event (``id: X`` and an empty ``data:``) says only where to resume (mcp
    client/streamable_http.py "priming events"), and so are the server's own requests and
    notifications that may come before the answer (they carry a ``method``).
    """
    if ctype.startswith("text/event-stream"):
        async for kind, data in sse_events(response):
            message = parse_json(data) if kind == "message" else None
            if kind == "message" and not (isinstance(message, dict) and "method" in message):
                return message
        return None
    text = (await read_some(response)).decode("utf-8", "replace")
    parsed = parse_json(text)
    return parsed if parsed is not None else text


async def sse_events(response: httpx.Response) -> AsyncIterator[tuple[str, str]]:
    """(event type, data) of a text/event-stream, by the WHATWG rules (event_stream.py), bounded in size.

    Events with empty data are left out: no MCP event means anything without data.
    """
    parser = EventStreamParser(limit=MAX_EVENT_BYTES)
    async for chunk in response.aiter_bytes():
        for event in parser.feed(chunk):
            if event.data:
                yield event.type, event.data
        if parser.overflowed:
            return
    for event in parser.close():
        if event.data:
            yield event.type, event.data


async def next_event(events: AsyncIterator[tuple[str, str]], name: str) -> str | None:
    async for event, data in events:
        if event == name:
            return str(data)
    return None


async def read_some(response: httpx.Response) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_BODY:
            break
    return b"".join(chunks)


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def folded(text: str, limit: int = 160) -> str:
    return " ".join(text.split())[:limit]


def json_rpc_error(message: Any) -> dict[str, Any] | None:
    if isinstance(message, dict) and message.get("jsonrpc") == "2.0" and isinstance(message.get("error"), dict):
        return message["error"]
    return None


def body_text(message: Any) -> str:
    if message is None:
        return ""
    return message if isinstance(message, str) else json.dumps(message)


def from_message(
    url: str, message: Any, status: int, ctype: str, transport: str, layers: list[Layer], what: str
) -> ProbeResult:
    """An initialize answer: MCP when it carries a protocolVersion, else what it was."""
    result = message.get("result") if isinstance(message, dict) else None
    if not isinstance(result, dict) or "protocolVersion" not in result:
        return answer(url, status, ctype, httpx.Headers(), message, layers)
    info = result.get("serverInfo")
    protocol = str(result.get("protocolVersion"))
    return mcp_answered(url, info, protocol, status, ctype, transport, layers, what, "MCP handshake succeeded")


def mcp_answered(
    url: str,
    info: Any,
    protocol: str | None,
    status: int,
    ctype: str,
    transport: str,
    layers: list[Layer],
    what: str,
    summary: str,
) -> ProbeResult:
    """The probe result of an MCP server that answered, with the name and version it gave."""
    info = info if isinstance(info, dict) else {}
    name, version = str(info.get("name", "")) or None, str(info.get("version", "")) or None
    detail = f"{what}: {name or 'unnamed server'} {version or ''}".rstrip() + f", protocol {protocol}"
    return ProbeResult(
        url,
        Outcome.MCP,
        summary,
        http_status=status,
        content_type=ctype,
        server_name=name,
        server_version=version,
        protocol_version=protocol,
        transport=transport,
        layers=(*layers, Layer("mcp", "ok", detail)),
    )


def answer(url: str, status: int, ctype: str, headers: httpx.Headers, message: Any, layers: list[Layer]) -> ProbeResult:
    """An HTTP answer that is not an MCP handshake: an MCP error, an HTTP error, or something else."""
    body = folded(body_text(message))
    location = headers.get("location")
    server = headers.get("server")
    error = json_rpc_error(message)
    # A 401/403 challenge (RFC 9110 11.6.1; MCP authorization spec: resource_metadata) says the
    # network path works and what the server asks for; several challenges arrive joined by ", ".
    challenge = headers.get("www-authenticate") if status in (401, 403) else None
    common = dict(
        http_status=status,
        content_type=ctype or None,
        location=location,
        server_header=server,
        body=body,
        www_authenticate=folded(challenge, 400) if challenge else None,
    )
    if error is not None:
        detail = f"HTTP {status}, MCP error answer: {folded(str(error.get('message', '')), 160)}"
        return ProbeResult(url, Outcome.HTTP_ERROR, detail, layers=(*layers, Layer("mcp", "failed", detail)), **common)  # type: ignore[arg-type]
    if 200 <= status < 300:
        detail = f"HTTP {status} {ctype or 'no content type'}, not MCP: {body[:120]!r}"
        return ProbeResult(url, Outcome.NOT_MCP, detail, layers=(*layers, Layer("mcp", "failed", detail)), **common)  # type: ignore[arg-type]
    detail = f"HTTP {status}" + (f" redirect to {location}" if location else "") + (f": {body}" if body else "")
    return ProbeResult(
        url, Outcome.HTTP_ERROR, detail, layers=(*layers, Layer("mcp", "skipped", "no MCP answer")), **common
    )  # type: ignore[arg-type]


def network_error(url: str, e: BaseException, layers: list[Layer]) -> ProbeResult:
    outcome, detail = classify_network_error(e)
    status = "timeout" if outcome is Outcome.TIMEOUT else "failed"
    return ProbeResult(url, outcome, detail, layers=(*layers, Layer("http", status, detail)))


def _refused(e: BaseException) -> bool:
    return isinstance(e.__cause__ or e.__context__, ConnectionRefusedError)


def classify_network_error(e: BaseException) -> tuple[Outcome, str]:
    if isinstance(e, httpx.ConnectTimeout):
        return Outcome.TIMEOUT, "TCP connect timed out"
    if isinstance(e, httpx.TimeoutException):
        return Outcome.TIMEOUT, "connected, but no HTTP answer in time"
    if isinstance(e, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError) and not _refused(e):
        return Outcome.RESET, "connected, then the connection was closed without an HTTP answer"
    cause: BaseException | None = e
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return Outcome.DNS, f"the name does not resolve ({cause.strerror})"
        if isinstance(cause, ConnectionRefusedError):
            return Outcome.REFUSED, "connection refused"
        if isinstance(cause, ConnectionResetError):
            return Outcome.RESET, "connection reset by peer"
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL):
            return Outcome.UNREACHABLE, f"no route: {cause.strerror}"
        cause = cause.__cause__ or cause.__context__
    text = str(e).lower()
    if "refused" in text:
        return Outcome.REFUSED, "connection refused"
    if "reset" in text:
        return Outcome.RESET, "connection reset by peer"
    if "name or service not known" in text or "nodename" in text:
        return Outcome.DNS, "the name does not resolve"
    return Outcome.ERROR, f"{type(e).__name__}: {folded(str(e), 200)}"
