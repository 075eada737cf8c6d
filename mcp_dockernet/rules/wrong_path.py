"""The server speaks MCP, but at another path of the same address.

Fails when: the URL gets a 404, a 405, a non-MCP page or a redirect, while the same server answers
the MCP handshake at another path: ``/mcp`` (streamable HTTP, official SDKs), ``/sse`` (legacy
SSE), or the URL with or without its trailing slash (Python SDK 1.12+ serves ``/mcp`` and sends
``/mcp/`` a 307; up to 1.11 it was the reverse). A redirect alone is a warning: clients that follow
it (the Python SDK's) work, others (python-sdk#732) do not.
Passes when: the URL itself answers, or no other path does.
Fix: use the URL with the path that answered; ``mcp-dockernet fix --write`` rewrites it.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

from mcp_dockernet.model import Outcome, ProbeResult, Snapshot
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._common import TYPE_VALUES, layer_lines
from mcp_dockernet.urls import path_variants

CODE = "wrong-path"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES = frozenset({"not-mcp"})


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        probe, url, entry = route.probe, route.url, route.entry
        if probe is None or probe.outcome not in (Outcome.HTTP_ERROR, Outcome.NOT_MCP):
            continue
        if probe.http_status in (401, 403, 421):
            continue
        found = alternatives(snap, url, probe)
        if not found:
            continue
        best = found[0]
        redirect = probe.location is not None and best.url == urljoin(url, probe.location)
        fix = f"use {redact_url(best.url)}"
        if entry.transport_declared and best.transport != entry.transport:
            fix += f' and set the entry\'s "type" to "{TYPE_VALUES.get(best.transport or "", best.transport)}"'
        yield Finding(
            code=CODE,
            severity=Severity.WARNING if redirect else SEVERITY,
            subject=route.id,
            message=f"{redact_url(url)} answers {probe.detail}, but the server speaks MCP at {redact_url(best.url)}"
            + (" (a redirect only some clients follow)" if redirect else ""),
            fix=fix,
            evidence=layer_lines(probe) + tuple(f"probe {redact_url(p.url)}: {p.summary()}" for p in found),
            suggested_url=best.url,
            writable=True,  # the same server, seen answering MCP at that path from the client's vantage
        )


def alternatives(snap: Snapshot, url: str, probe: ProbeResult) -> list[ProbeResult]:
    """Follow-up probes that found MCP at another path of the same server (redirect target first)."""
    urls = [urljoin(url, probe.location)] if probe.location else []
    urls += [u for u, _ in path_variants(url)]
    found = []
    for u in dict.fromkeys(urls):
        for transport in ("streamable-http", "sse"):
            p = snap.probe_as(u, transport, probe.vantage)
            if p is not None and p.ok and p not in found:
                found.append(p)
    return found
