"""Something answers at the URL, but it is not an MCP server.

Fails when: the URL gets an HTTP answer that is no MCP handshake (a health endpoint's
``{"status": "ok"}``, a web page, a 404 of another service on that port) and no other usual path
of that server speaks MCP either. The finding says what answered. A 404 that an MCP server library
gives for a path it does not serve (uvicorn's ``Not Found`` text: the Python SDK and FastMCP;
express's ``Cannot POST /x`` page: the TypeScript SDK) is read as that HTTP server at the wrong
path, not as something else on the port.
Passes when: the URL answers the MCP handshake (or wrong-path found where it does).
Fix: point the URL at the MCP server's endpoint (often ``/mcp``, or ``/sse`` for legacy servers),
or at the port where the MCP server really runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_dockernet.model import Outcome, ProbeResult, Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.library import Clue, library_of
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._common import layer_lines

CODE = "not-mcp"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset()
NOT_OURS = (401, 403, 407, 421)  # auth, Host checks and proxies: other findings explain them
# The 404s of the HTTP servers MCP libraries run on (docs/server-libraries.md, measured): uvicorn's
# text "Not Found" (Starlette), express's "<pre>Cannot POST /x</pre>" page.
_NOT_FOUND = {
    Clue.SERVER_HEADER: "a uvicorn server (as the Python SDK and FastMCP run)",
    Clue.EXPRESS_NOT_FOUND: "an express server (as the TypeScript SDK runs)",
}


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        probe = route.probe
        if probe is None or probe.outcome not in (Outcome.HTTP_ERROR, Outcome.NOT_MCP) or probe.http_status in NOT_OURS:
            continue
        if probe.proxy or "mcp error answer" in probe.detail.lower():
            continue  # a proxy answered (proxy-interference), or an MCP server did, with an error
        what = f"HTTP {probe.http_status} {probe.content_type or 'without a content type'}"
        if probe.server_header:
            what += f" from a {probe.server_header} server"
        body = f": {probe.body[:120]!r}" if probe.body else ""
        message = f"not an MCP server: the URL answers {what}{body}"
        fix = "point the URL at the MCP endpoint (often /mcp, or /sse for legacy servers) or the port the MCP server runs on"
        server = _not_found_by(probe)
        if server:
            said = re.search(r"<pre>(.*?)</pre>", probe.body)  # express's page: the one line that says it
            body = f": {said.group(1)!r}" if said else body
            message = (
                f"no MCP endpoint at this path: {server} answers HTTP 404{body}, "
                "and none of the usual paths (/mcp, /sse) answered MCP either"
            )
            fix = (
                "point the URL at the path the server mounts MCP on (Python SDK and FastMCP: /mcp, /sse for SSE, "
                "or the path= given to run(); express: the app.post route), or at the port the MCP server runs on"
            )
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=message,
            fix=fix,
            evidence=layer_lines(probe),
        )


def _not_found_by(probe: ProbeResult) -> str | None:
    """The HTTP server an MCP library runs on, when the answer is its 404 for a path it does not serve."""
    lib = library_of(probe) if probe.http_status == 404 else None
    if lib is None or (lib.clue is Clue.SERVER_HEADER and probe.body != "Not Found"):
        return None
    return _NOT_FOUND.get(lib.clue)
