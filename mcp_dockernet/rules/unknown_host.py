"""The URL's host is no service, container, alias or known name from where the client runs.

Fails when: a client in a container uses a single-label name (``http://mcp-srvr:8000/mcp``) that
is no service, container name, alias, hostname or extra_hosts entry; or a client on the host
uses a Docker name (service or container), which resolves only inside Docker networks.
Passes when: the name belongs to a peer or the client's extra hosts. Names with a dot are
taken as DNS names and left alone (mcp-dockernet makes no DNS look-ups of its own).
Fix: the server's service name (from a container on its network) or localhost and the
published port (from the host); the suggested URL says which.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.reach import candidates_for_port, container_entries, pick, with_host
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Severity, entry_key
from mcp_dockernet.resolve import is_loopback, parse_url, probe_evidence
from mcp_dockernet.topology import named, peers

CODE = "unknown-host"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()


def _plain_name(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return False
    except ValueError:
        return "." not in host and not is_loopback(host)


def check(snap: Snapshot) -> Iterator[Finding]:
    yield from _from_containers(snap)
    yield from _from_host(snap)


def _from_containers(snap: Snapshot) -> Iterator[Finding]:
    known = {n for p in peers(snap) for n in (*p.names, p.name)}
    for entry, place, parts in container_entries(snap):
        if not _plain_name(parts.host) or parts.host in known or place.has_host(parts.host):
            continue
        found = candidates_for_port(snap, place, entry.effective_url or "", parts.port)
        chosen = pick(snap, found, place)
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry_key(entry),
            message=f"no service, container or alias is called {parts.host!r} where {place.name} runs",
            fix=f"use {redact_url(chosen.url)} ({chosen.why})"
            if chosen
            else "use the server's service or container name",
            evidence=probe_evidence(snap, entry.effective_url or "", vantage=place.vantage),
            suggested_url=chosen.url if chosen else None,
        )


def _from_host(snap: Snapshot) -> Iterator[Finding]:
    for entry in snap.entries:
        url = entry.effective_url
        parts = parse_url(url) if url else None
        if parts is None or snap.place_of(entry).kind != "host" or not _plain_name(parts.host):
            continue
        targets = named(snap, parts.host)
        if not targets:
            continue
        routes = [
            (p, hp)
            for p in targets
            if (hp := p.host_port_of(parts.port) or (parts.port if p.target_of_host_port(parts.port) else None))
        ]
        suggested = with_host(url or "", "localhost", routes[0][1]) if len(routes) == 1 else None
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry_key(entry),
            message=f"{parts.host!r} is a Docker name; it resolves only inside Docker networks, not on the host",
            fix=f"use {redact_url(suggested)}"
            if suggested
            else "publish the server's port and use localhost:<published port>",
            evidence=probe_evidence(snap, url or ""),
            suggested_url=suggested,
        )
