"""The server refuses the request's Host header: it only accepts localhost names.

Fails when: the server answers 421 ``Invalid Host header`` (official Python SDK, whose DNS-rebinding
protection turns itself on when the server was built for host 127.0.0.1/localhost, since 1.23.0),
421 ``Misdirected Request`` (standalone FastMCP 3.4.3), or 403 ``Invalid Host`` (TypeScript SDK:
``createMcpExpressApp()`` without ``allowedHosts``, or the transport's ``allowedHosts``).
Passes when: the server accepts the Host the client sends.
Fix: add the URL's host to the server's allowed hosts (the finding names the value), or build the
server for host 0.0.0.0, which leaves the localhost-only check off (Python SDK).
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._common import host_header, layer_lines

CODE = "host-header-rejected"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES = frozenset({"not-mcp"})


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        url, probe = route.url, route.probe
        if probe is None:
            continue
        body = probe.body.lower()
        name, full = host_header(url)
        if probe.http_status == 421 and "invalid host" in body:
            kind = "the official Python SDK (DNS-rebinding protection)"
            fix = (
                f'allow "{name}:*": transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=True, '
                f'allowed_hosts=["localhost:*", "127.0.0.1:*", "{name}:*"]) (2.x: in run(); 1.x: FastMCP(...)); '
                'or build the server with host="0.0.0.0", which leaves the localhost-only check off'
            )
        elif probe.http_status == 421 and "misdirected" in body:
            kind = "standalone FastMCP (host/origin protection)"
            fix = f'allow "{name}": FASTMCP_HTTP_ALLOWED_HOSTS or http_allowed_hosts=["{name}"], or turn the protection off'
        elif probe.http_status == 403 and "invalid host header:" in body:
            kind = "the TypeScript SDK transport's allowedHosts (compares host:port)"
            fix = f'add "{full}" to allowedHosts of the StreamableHTTPServerTransport'
        elif probe.http_status == 403 and "invalid host" in body:
            kind = "the TypeScript SDK (createMcpExpressApp's localhost-only Host check)"
            fix = f'createMcpExpressApp({{ allowedHosts: ["localhost", "127.0.0.1", "{name}"] }})'
        else:
            continue
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=f"the server rejects Host: {full} with HTTP {probe.http_status}; it is {kind}",
            fix=fix,
            evidence=layer_lines(probe),
        )
