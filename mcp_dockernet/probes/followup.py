"""The second, quick round of probes: where an HTTP answer says "not here", try where MCP usually is.

Only URLs that got an HTTP answer that is not an MCP handshake are followed up (a 404, a 405, a
400 from the wrong transport, a 307, a health page), so the round costs one round trip, not
another timeout. What they find feeds wrong-path and transport-mismatch.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

from mcp_dockernet.model import HTTP_THEN_SSE, SSE, STREAMABLE_HTTP, Outcome, ProbeResult

MCP_PATHS = ("/mcp", "/mcp/", "/sse")  # the official SDKs' defaults (streamable HTTP, its slash twin, legacy SSE)


def path_variants(url: str) -> list[tuple[str, str]]:
    """(url, transport) of the same origin at the usual MCP paths, plus the trailing-slash twin."""
    parts = urlsplit(url)
    path = parts.path or "/"
    twin = path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
    found = []
    for candidate in (twin, *MCP_PATHS):
        if candidate != path:
            transport = SSE if candidate.rstrip("/").endswith("/sse") else STREAMABLE_HTTP
            found.append((urlunsplit((parts.scheme, parts.netloc, candidate, parts.query, "")), transport))
    return found


def followup_targets(results: Iterable[ProbeResult]) -> list[tuple[str, str]]:
    """(url, transport) pairs worth one more probe, leaving out those already probed."""
    results = list(results)
    done = {(r.url, r.requested_transport) for r in results}
    targets: list[tuple[str, str]] = []
    for r in results:
        if r.ok or r.outcome not in (Outcome.HTTP_ERROR, Outcome.NOT_MCP) or r.http_status in (401, 403, 421, 407):
            continue
        if r.location:
            targets.append((urljoin(r.url, r.location), r.requested_transport or STREAMABLE_HTTP))
        if r.requested_transport in (SSE, STREAMABLE_HTTP):  # an undeclared type already tried both
            other = STREAMABLE_HTTP if r.requested_transport == SSE else SSE
            targets.append((r.url, other))
        if (
            r.requested_transport == HTTP_THEN_SSE
            or r.http_status in (404, 405, 307, 308)
            or r.outcome is Outcome.NOT_MCP
        ):
            targets += path_variants(r.url)
    return [t for t in dict.fromkeys(targets) if t not in done]
