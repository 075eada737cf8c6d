"""The entry's transport is not what the server speaks.

Fails when: the entry says ``sse`` and the server at that URL speaks streamable HTTP (a GET gets
``400 Missing session ID``), or the entry says streamable HTTP and the server is legacy SSE (the
POST gets 405/404 while a GET opens an event stream with an ``endpoint`` event), also when the entry
names no transport and its client then speaks only one (Claude Code: streamable HTTP; Cline: SSE);
or the container the URL leads to listens on no TCP port at all: a stdio server, which no URL can reach.
Passes when: the transport matches, or the entry names none and its client tries HTTP, then SSE.
Fix: declare the transport the server speaks (the finding says how: the "type" value the client
spells, or the bridge's flag such as mcp-remote's ``--transport sse-only``); ``mcp-dockernet fix
--write`` changes or adds it. For a stdio server, configure a command (``docker run -i --rm IMAGE``).
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.mcpconfig import type_keys
from mcp_dockernet.model import SSE, STREAMABLE_HTTP, Outcome, Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import CONTAINER, PEER, Route
from mcp_dockernet.rules._common import layer_lines

CODE = "transport-mismatch"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES = frozenset({"not-mcp"})


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        entry, url, probe = route.entry, route.url, route.probe
        if probe is None or probe.ok:
            continue
        other = STREAMABLE_HTTP if entry.transport == SSE else SSE
        answered = snap.probe_as(url, other, probe.vantage, probe.headers_id)  # same URL, same headers
        if type_keys.speaks_only(entry) and answered and answered.ok:
            how = type_keys.setting(entry, other)
            said = (
                "the entry speaks" if entry.transport_declared else "the entry names no transport, so its client speaks"
            )
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=route.id,
                message=f"{said} {entry.transport}, but the server at this URL speaks {other}",
                fix=how.words,
                evidence=layer_lines(probe) + (f"probe as {other}: {answered.summary()}",),
                # The same URL with the other transport, seen answering MCP from the client's vantage.
                suggested_url=url,
                suggested_transport=other,
                writable=how.why_not is None,
            )
            continue
        if probe.outcome not in (Outcome.REFUSED, Outcome.RESET):
            continue
        if route.target.kind not in (CONTAINER, PEER):
            continue  # localhost in a container is the client itself: localhost-in-container says so
        for peer, port in route.target.peers:
            if peer.listeners is None or peer.listeners or peer.container is None:
                continue
            container = peer.container
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=route.id,
                message=f"{container.label} listens on no TCP port at all: it looks like a stdio MCP server, "
                "which is not reached by URL",
                fix=f'configure it as a command instead of a URL: "command": "docker", "args": ["run", "-i", "--rm", "{container.image}"]',
                evidence=layer_lines(probe)
                + (f"sockets of {container.name}: no listening TCP socket (port {port} expected)",),
            )
