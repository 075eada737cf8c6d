"""The URL's port is not where the server can be reached.

Fails when: the URL says ``localhost:8000`` and nothing answers there, while a container serves
port 8000 inside and publishes it on another host port (``-p 3000:8000``).
Passes when: something listens on the URL's port, or no container serves that port at all.
Fix: use the published host port (``localhost:3000``); ``mcp-dockernet fix --write`` rewrites it.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Severity, entry_key
from mcp_dockernet.resolve import (
    local_http_entries,
    moved_port_candidates,
    probe_evidence,
    something_listens,
    with_port,
)

CODE = "wrong-port"
SEVERITY = Severity.ERROR
NEEDS = frozenset({"engine"})


def check(snap: Snapshot) -> Iterator[Finding]:
    for entry, parts in local_http_entries(snap):
        if something_listens(snap, entry, parts.port):
            continue
        candidates = moved_port_candidates(snap, parts.port)
        if not candidates:
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
