"""Nothing listens at the URL's address: the server is not running.

Fails when: no host process and no running container serves the URL's port, and no running
container has that port elsewhere. When a stopped or restarting container was meant to publish
that port, the finding names it with its exit code and last log line.
Passes when: something listens on the port.
Fix: start the server (``docker start NAME`` / ``docker compose up -d``), after reading why it stopped.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Container, Snapshot
from mcp_dockernet.report import Finding, Severity, entry_key
from mcp_dockernet.resolve import (
    local_http_entries,
    moved_port_candidates,
    probe_evidence,
    relocated,
    something_listens,
)

CODE = "server-not-running"
SEVERITY = Severity.ERROR
NEEDS = frozenset({"host"})


def check(snap: Snapshot) -> Iterator[Finding]:
    for entry, parts in local_http_entries(snap):
        port = parts.port
        if something_listens(snap, entry, port) or moved_port_candidates(snap, port):
            continue
        if len(relocated(snap, entry, parts)) == 1:
            continue  # wrong-port found where the server went
        if any(c.running and c.binding_of(port) for c in snap.containers):
            continue  # a running container has the port unpublished: port-not-published says so
        evidence = probe_evidence(snap, entry.effective_url or "")
        stopped = [c for c in snap.containers if not c.running and c.published(port)]
        if stopped:
            for c in stopped:
                yield Finding(
                    code=CODE,
                    severity=SEVERITY,
                    subject=entry_key(entry),
                    message=_stopped_message(c, port),
                    fix=_start_fix(c),
                    evidence=evidence + tuple(f"log: {line}" for line in c.log_tail[-3:]),
                )
        else:
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=entry_key(entry),
                message=f"nothing listens on port {port} of this host, and no container publishes it",
                fix="start the MCP server, or correct the port in the URL",
                evidence=evidence,
            )


def _stopped_message(c: Container, port: int) -> str:
    code = f" with exit code {c.exit_code}" if c.exit_code is not None else ""
    last = f"; its last log line: {c.log_tail[-1]!r}" if c.log_tail else ""
    return f"{c.label}, which publishes port {port}, is {c.state.value}{code}{last}"


def _start_fix(c: Container) -> str:
    if c.compose_service and c.compose_project:
        return f"read its logs (docker logs {c.name}), then: docker compose -p {c.compose_project} up -d {c.compose_service}"
    return f"read its logs (docker logs {c.name}), then: docker start {c.name}"
