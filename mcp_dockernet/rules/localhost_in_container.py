"""The client runs in a container and its URL says localhost, which there means the container itself.

Fails when: an agent container's config says ``http://localhost:8000/mcp`` while the server is
another container (or a process on the host).
Passes when: the client is on the host, shares the server's network namespace
(``network_mode: service:...``/``host``), or names the server by service name or host.docker.internal.
Fix: the service or container name with the *container* port when they share a network
(``http://mcp-server:8000/mcp``), else ``http://host.docker.internal:<published port>/mcp``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.reach import container_entries, localhost_candidates, pick
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Severity, entry_key
from mcp_dockernet.resolve import is_loopback, probe_evidence

CODE = "localhost-in-container"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()  # decidable from the Compose file alone


def check(snap: Snapshot) -> Iterator[Finding]:
    for entry, place, parts in container_entries(snap):
        if not is_loopback(parts.host) or place.network_mode.startswith(("container:", "service:")):
            continue
        found = localhost_candidates(snap, entry, place, parts)
        chosen = pick(snap, found, place)
        if chosen is not None:
            fix = f"use {redact_url(chosen.url)} ({chosen.why})"
        elif found:
            fix = "use the URL of the server you mean: " + "; ".join(f"{redact_url(c.url)} ({c.why})" for c in found)
        else:
            fix = (
                f"name the server instead: its service or container name and container port when it shares a "
                f"network with {place.name}, or host.docker.internal and the published port"
            )
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry_key(entry),
            message=f"{parts.host} inside container {place.name} is that container itself, not the MCP server",
            fix=fix,
            evidence=probe_evidence(snap, entry.effective_url or "", *(c.url for c in found), vantage=place.vantage),
            suggested_url=chosen.url if chosen else None,
        )
