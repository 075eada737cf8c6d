"""The entry's transport is not what the server speaks.

Fails when: the entry says ``sse`` and the server at that URL speaks streamable HTTP (a GET gets
``400 Missing session ID``), or the entry says streamable HTTP and the server is legacy SSE (the
POST gets 405/404 while a GET opens an event stream with an ``endpoint`` event); or the container
the URL leads to listens on no TCP port at all: a stdio server, which no URL can reach.
Passes when: the transport matches, or the entry names none (the client tries HTTP, then SSE).
Fix: set the entry's type to the transport the server speaks (the finding names it), or for a
stdio server configure a command (``docker run -i --rm IMAGE``) instead of a URL.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import SSE, STREAMABLE_HTTP, Outcome, Snapshot
from mcp_dockernet.report import Finding, Severity, entry_key
from mcp_dockernet.rules._probed import TYPE_VALUES, lines, probed, targets

CODE = "transport-mismatch"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()


def check(snap: Snapshot) -> Iterator[Finding]:
    for entry, url, probe in probed(snap):
        if probe.ok:
            continue
        other = STREAMABLE_HTTP if entry.transport == SSE else SSE
        answered = snap.probe_as(url, other, probe.vantage)
        if entry.transport_declared and entry.transport in (SSE, STREAMABLE_HTTP) and answered and answered.ok:
            value = TYPE_VALUES[other]
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=entry_key(entry),
                message=f"the entry speaks {entry.transport}, but the server at this URL speaks {other}",
                fix=f'set the entry\'s "type" to "{value}"',
                evidence=lines(probe) + (f"probe as {other}: {answered.summary()}",),
            )
            continue
        if probe.outcome not in (Outcome.REFUSED, Outcome.RESET):
            continue
        for container, port in targets(snap, entry, url):
            listeners = snap.listeners_of(container.id)
            if listeners is None or listeners:
                continue
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=entry_key(entry),
                message=f"{container.label} listens on no TCP port at all: it looks like a stdio MCP server, "
                "which is not reached by URL",
                fix=f'configure it as a command instead of a URL: "command": "docker", "args": ["run", "-i", "--rm", "{container.image}"]',
                evidence=lines(probe)
                + (f"sockets of {container.name}: no listening TCP socket (port {port} expected)",),
            )
