"""Something answers at the URL, but it is not an MCP server.

Fails when: the URL gets an HTTP answer that is no MCP handshake (a health endpoint's
``{"status": "ok"}``, a web page, a 404 of another service on that port) and no other usual path
of that server speaks MCP either. The finding says what answered.
Passes when: the URL answers the MCP handshake (or wrong-path found where it does).
Fix: point the URL at the MCP server's endpoint (often ``/mcp``, or ``/sse`` for legacy servers),
or at the port where the MCP server really runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Outcome, Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._common import layer_lines

CODE = "not-mcp"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset()
NOT_OURS = (401, 403, 407, 421)  # auth, Host checks and proxies: other findings explain them


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        probe = route.probe
        if probe is None or probe.outcome not in (Outcome.HTTP_ERROR, Outcome.NOT_MCP) or probe.http_status in NOT_OURS:
            continue
        if probe.proxy or "mcp error answer" in probe.detail.lower():
            continue  # a proxy answered (proxy-interference), or an MCP server did, with an error
        what = f"HTTP {probe.http_status} {probe.content_type or 'without a content type'}"
        if probe.server_header:
            what += f" from a {probe.server_header} server"
        body = f": {probe.body[:120]!r}" if probe.body else ""
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=f"not an MCP server: the URL answers {what}{body}",
            fix="point the URL at the MCP endpoint (often /mcp, or /sse for legacy servers) or the port the MCP server runs on",
            evidence=layer_lines(probe),
        )
