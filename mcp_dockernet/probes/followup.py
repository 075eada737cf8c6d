"""The second, quick round of probes: where an HTTP answer says "not here", try where MCP usually is.

Only URLs that got an HTTP answer that is not an MCP handshake are followed up (a 404, a 405, a
400 from the wrong transport, a 307, a health page), so the round costs one round trip, not
another timeout. What they find feeds wrong-path and transport-mismatch.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin

from mcp_dockernet.model import HTTP_THEN_SSE, SSE, STREAMABLE_HTTP, Outcome, ProbeResult, ProbeTarget
from mcp_dockernet.urls import path_variants


def followup_targets(targets: Iterable[ProbeTarget], results: Iterable[ProbeResult]) -> list[ProbeTarget]:
    """Probes worth one more round, leaving out those already run (results in the order of targets).

    Each follow-up keeps its probe's headers when it stays on the same origin (another path,
    the other transport) and drops them when it does not (a redirect's target elsewhere).
    """
    pairs = list(zip(targets, results, strict=True))
    done = {t for t, _ in pairs}
    more: list[ProbeTarget] = []
    for target, r in pairs:
        if r.ok or r.outcome not in (Outcome.HTTP_ERROR, Outcome.NOT_MCP) or r.http_status in (401, 403, 421, 407):
            continue
        if r.location and r.final_url is None:  # a redirect not followed (too many hops): try its target
            more.append(target.at(urljoin(r.url, r.location), r.requested_transport or STREAMABLE_HTTP))
        if r.requested_transport in (SSE, STREAMABLE_HTTP):  # an undeclared type already tried both
            other = STREAMABLE_HTTP if r.requested_transport == SSE else SSE
            more.append(target.at(r.url, other))
        if (
            r.requested_transport == HTTP_THEN_SSE
            or r.http_status in (404, 405, 307, 308)
            or r.outcome is Outcome.NOT_MCP
        ):
            more += [target.at(u, t) for u, t in path_variants(r.url)]
    return [t for t in dict.fromkeys(more) if t not in done]
