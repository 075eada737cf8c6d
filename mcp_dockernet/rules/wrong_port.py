"""The URL's port is not where the server can be reached.

Fails when: from the host, the URL says ``localhost:8000`` and nothing answers there, while a
container serves port 8000 inside and publishes it on another host port (``-p 3000:8000``);
or, from a container, the URL names a service on a shared network with its published *host*
port (``http://tools:3000``) instead of its container port (``http://tools:8000``).
Passes when: something listens on the URL's port, or no container serves that port at all.
Fix: the published port from the host, the container port from a shared network;
``mcp-dockernet fix --write`` rewrites it.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import ServerEntry, Snapshot
from mcp_dockernet.reach import container_entries, user_networks, with_host
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Severity, entry_key
from mcp_dockernet.resolve import (
    UrlParts,
    local_http_entries,
    moved_port_candidates,
    probe_evidence,
    relocated,
    something_listens,
    with_port,
)
from mcp_dockernet.topology import is_self, named

CODE = "wrong-port"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()


def check(snap: Snapshot) -> Iterator[Finding]:
    yield from _from_host(snap)
    yield from _from_containers(snap)


def _from_containers(snap: Snapshot) -> Iterator[Finding]:
    for entry, place, parts in container_entries(snap):
        for peer in named(snap, parts.host):
            if is_self(place, peer) or not user_networks(place, peer) or parts.port in peer.container_ports():
                continue
            target = peer.target_of_host_port(parts.port)
            if target is None:
                continue
            url = with_host(entry.effective_url or "", parts.host, target)
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=entry_key(entry),
                message=(
                    f"{parts.port} is {peer.name}'s published host port; on the shared network it listens on {target}"
                ),
                fix=f"use {redact_url(url)}",
                evidence=probe_evidence(snap, entry.effective_url or "", url, vantage=place.vantage),
                suggested_url=url,
            )
            break


def _from_host(snap: Snapshot) -> Iterator[Finding]:
    for entry, parts in local_http_entries(snap):
        if something_listens(snap, entry, parts.port):
            continue
        candidates = moved_port_candidates(snap, parts.port)
        if not candidates:
            yield from _relocated(snap, entry, parts)
            continue
        urls = {with_port(entry.effective_url or "", host_port): (c, host_port) for c, host_port in candidates}
        answering = [u for u in urls if (p := snap.probe(u)) is not None and p.ok]
        chosen = answering if answering else list(urls)
        evidence = probe_evidence(snap, entry.effective_url or "", *urls)
        where = "; ".join(f"{c.label} publishes port {parts.port} on host port {hp}" for c, hp in urls.values())
        if len(chosen) == 1:
            url = chosen[0]
            fix = f"use {redact_url(url)}"
        else:
            url = None
            fix = "use the host port of the container you mean: " + ", ".join(redact_url(u) for u in chosen)
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry_key(entry),
            message=f"nothing listens on host port {parts.port}, but {where}",
            fix=fix,
            evidence=evidence,
            suggested_url=url,
        )


def _relocated(snap: Snapshot, entry: ServerEntry, parts: UrlParts) -> Iterator[Finding]:
    found = relocated(snap, entry, parts)
    if len(found) != 1:
        return
    container, port, url = found[0]
    yield Finding(
        code=CODE,
        severity=SEVERITY,
        subject=entry_key(entry),
        message=f"nothing listens on host port {parts.port}; the MCP server at this path answers on host port {port} "
        f"({container.label})",
        fix=f"use {redact_url(url)}",
        evidence=probe_evidence(snap, entry.effective_url or "", url),
        suggested_url=url,
    )
