"""Nothing listens at the URL's address: the server is not running.

Fails when: no host process and no running container serves the URL's port, and no running
container has that port elsewhere. When a stopped container, or a Compose service that is not
running, was meant to publish that port, the finding names it (with its exit code and last log
line, when there is one).
Passes when: something listens on the port.
Fix: start the server (``docker start NAME`` / ``docker compose up -d``), after reading why it stopped.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import NOTHING, Candidate, Reach, Route
from mcp_dockernet.rules._common import lead, probe_lines, ref

CODE = "server-not-running"
SEVERITY = Severity.ERROR
NEEDS = frozenset({"host", "engine"})  # "no container serves it" needs the engine to say so
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        if not route.from_host or route.target.kind != NOTHING or route.works:
            continue
        first = lead(route)
        port = route.parts.port
        if first is not None and first.reach is Reach.STOPPED and first.peer is not None:
            stopped = [c for c in route.candidates if c.reach is Reach.STOPPED and c.peer is not None]
            for c in stopped[:3]:
                yield _stopped(route, c, port)
        elif first is None:
            seen = [c for c in route.candidates if c.peer is not None]
            besides = "; " + "; ".join(f"{c.peer.label if c.peer else c.name}: {_why_not(c)}" for c in seen[:3])
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=route.id,
                message=f"nothing listens on port {port} of this host, and no container serves it"
                + (besides if seen else ""),
                fix="start the MCP server, or correct the port in the URL",
                evidence=probe_lines(route, *seen[:3]),
            )


def _why_not(c: Candidate) -> str:
    if c.failed:
        return f"publishes port {c.port} on host port {c.published}, but no MCP server answered there"
    return c.how_known()


def _stopped(route: Route, c: Candidate, port: int) -> Finding:
    peer = c.peer
    assert peer is not None
    container = peer.container
    if container is None:  # a Compose service with no container yet
        message = (
            f"service {peer.service} ({peer.source or 'the Compose file'}) publishes port {port} but is not running"
        )
        fix = f"docker compose -p {peer.project} up -d {peer.service}"
        logs: tuple[str, ...] = ()
    else:
        code = f" with exit code {container.exit_code}" if container.exit_code is not None else ""
        last = f"; its last log line: {container.log_tail[-1]!r}" if container.log_tail else ""
        message = f"{peer.label}, which publishes port {port}, is {container.state.value}{code}{last}"
        start = (
            f"docker compose -p {peer.project} up -d {peer.service}"
            if peer.service and peer.project
            else f"docker start {peer.name}"
        )
        fix = f"read its logs (docker logs {peer.name}), then: {start}"
        logs = tuple(f"log: {line}" for line in container.log_tail[-3:])
    return Finding(
        code=CODE,
        severity=SEVERITY,
        subject=route.id,
        message=message,
        fix=fix,
        evidence=probe_lines(route) + logs,
        server=ref(peer, c.port),
    )
