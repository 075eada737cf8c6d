"""The server speaks MCP, but at another path of the same address.

Fails when: the URL gets a 404, a 405, a non-MCP page or a redirect with every transport, while the
same server answers the MCP handshake at another path: ``/mcp`` (streamable HTTP, official SDKs),
``/sse`` (legacy SSE), or the URL with or without its trailing slash (Python SDK 1.12+ serves ``/mcp``
and sends ``/mcp/`` a 307; up to 1.11 it was the reverse). A redirect alone is a warning: clients that
follow it (the Python SDK's) work, others (python-sdk#732) do not.
Passes when: the URL itself answers (with another transport it is transport-mismatch), or no other
path does. A trailing-slash twin that redirects (307/308) to the URL is the URL, never a suggestion.
Fix: use the URL with the path that answered, and its transport when that differs;
``mcp-dockernet fix --write`` rewrites both.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

from mcp_dockernet.mcpconfig import type_keys
from mcp_dockernet.model import HTTP_THEN_SSE, SSE, STREAMABLE_HTTP, Outcome, ProbeResult, Snapshot
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._common import layer_lines
from mcp_dockernet.urls import path_variants, slash_twins

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
        if answers(snap, url, probe):  # the path is right; the transport is not (transport-mismatch)
            continue
        found = alternatives(snap, url, probe)
        if not found:
            continue
        best = found[0]
        redirect = probe.location is not None and best.url == urljoin(url, probe.location)
        transport = best.transport if best.transport in (SSE, STREAMABLE_HTTP) else None
        if not type_keys.speaks_only(entry) or transport == entry.transport:
            transport = None  # the client tries both transports, or already speaks this one
        how = type_keys.setting(entry, transport) if transport else None
        fix = f"use {redact_url(best.url)}"
        if how is not None:
            fix += f"; but {how.why_not}" if how.why_not else f" and {how.words}"
        yield Finding(
            code=CODE,
            severity=Severity.WARNING if redirect else SEVERITY,
            subject=route.id,
            message=f"{redact_url(url)} answers {probe.detail}, but the server speaks MCP at {redact_url(best.url)}"
            + (" (a redirect only some clients follow)" if redirect else ""),
            fix=fix,
            evidence=layer_lines(probe) + tuple(f"probe {redact_url(p.url)}: {p.summary()}" for p in found),
            suggested_url=best.url,
            suggested_transport=transport,
            # the same server, seen answering MCP at that path from the client's vantage
            writable=how is None or how.why_not is None,
        )


def answers(snap: Snapshot, url: str, probe: ProbeResult) -> bool:
    """Whether the URL itself answered MCP from the probe's vantage, with its headers, in any transport."""
    probes = [snap.probe_as(url, t, probe.vantage, probe.headers_id) for t in (STREAMABLE_HTTP, SSE, HTTP_THEN_SSE)]
    return any(p is not None and p.ok for p in probes)


def alternatives(snap: Snapshot, url: str, probe: ProbeResult) -> list[ProbeResult]:
    """Follow-up probes that found MCP at another path of the same server (redirect target first).

    Only paths that answered while the URL did not; a trailing-slash twin whose probe was redirected
    to the URL itself is the same URL (suggesting it would undo the slash the last fix wrote).
    """
    urls = [urljoin(url, probe.location)] if probe.location else []
    urls += [u for u, _ in path_variants(url)]
    found = []
    for u in dict.fromkeys(urls):
        if u == url or (slash_twins(u, url) and redirected_to(snap, u, url, probe)):
            continue
        for transport in (STREAMABLE_HTTP, SSE):
            # Follow-ups on the same origin carry the entry's headers (ProbeTarget.at), so the same set.
            p = snap.probe_as(u, transport, probe.vantage, probe.headers_id)
            if p is not None and p.ok and p not in found:
                found.append(p)
    return found


def redirected_to(snap: Snapshot, url: str, target: str, probe: ProbeResult) -> bool:
    for transport in (STREAMABLE_HTTP, SSE, HTTP_THEN_SSE):
        p = snap.probe_as(url, transport, probe.vantage, probe.headers_id)
        if p is not None and p.location and urljoin(url, p.location) == target:
            return True
    return False
