"""The server refuses the request's Host header: it only accepts localhost names.

Fails when: the server answers 421 ``Invalid Host header`` (official Python SDK, whose DNS-rebinding
protection turns itself on when the server was built for host 127.0.0.1/localhost), 421
``Misdirected Request`` (standalone FastMCP 3.x and later, when its host/origin guard is on: it is
off by default; FastMCP 2.x has no Host check), 403 ``Invalid Host: NAME`` (TypeScript SDK:
``createMcpExpressApp()`` without ``allowedHosts``, compared without the port) or 403 ``Invalid Host
header: NAME:PORT`` (the TypeScript transport's ``allowedHosts``, compared with the port).
Passes when: the server accepts the Host the client sends.
Fix: add the URL's host to the allowed hosts in that library's setting (the finding names the value
and the setting; docs/server-libraries.md has the measured table), or turn the check off: the Python
SDK leaves it off when built for host 0.0.0.0.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.library import HOST_CHECKS, Clue, library_of
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
        lib = library_of(probe)
        if lib is None or lib.clue not in HOST_CHECKS:
            continue
        kind, fix = _fix(lib.clue, url)
        _, full = host_header(url)
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=f"the server rejects Host: {full} with HTTP {probe.http_status}; it is {kind}",
            fix=fix,
            evidence=layer_lines(probe),
        )


def _fix(clue: Clue, url: str) -> tuple[str, str]:
    """(which check it is, how to let the URL's host through), per library."""
    name, full = host_header(url)
    if clue is Clue.SDK_HOST_CHECK:
        # mcp 2.3.0 transport_security.py:57-67: an exact Host, or "NAME:*" for NAME with any port;
        # "NAME:*" does not match a Host without a port (measured), which a URL without one sends.
        value = f'"{name}:*"' if urlsplit(url).port is not None else f'"{name}"'
        return "the official Python SDK (DNS-rebinding protection)", (
            f"allow {value}: transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=True, "
            f'allowed_hosts=["localhost:*", "127.0.0.1:*", {value}]) in server.run(...) (SDK 2.x MCPServer) '
            'or FastMCP(...) (1.x); or give no transport_security and build the server with host="0.0.0.0", '  # :1164
            "which leaves the check off"
        )
    if clue is Clue.FASTMCP_HOST_CHECK:
        # fastmcp 4.2.3 settings.py:282-283 (protection off by default; a list setting is read as JSON
        # from the environment); server/http.py:120/:159: names without the port, fnmatch patterns.
        return "standalone FastMCP's host/origin guard (3.x and later)", (
            f'allow "{name}": FASTMCP_HTTP_ALLOWED_HOSTS=\'["{name}"]\' (a JSON list, names without the port) '
            f'or mcp.run("http", allowed_hosts=["{name}"]); or turn the guard off: '
            "FASTMCP_HTTP_HOST_ORIGIN_PROTECTION=false (its default) and no allowed_hosts"
        )
    if clue is Clue.TS_TRANSPORT_HOST_CHECK:
        # sdk 1.32.2 webStandardStreamableHttp.js:149, sse.js:36: allowedHosts.includes(Host), port and all.
        return "the TypeScript SDK transport's allowedHosts (compares host:port)", (
            f'add "{full}" (with the port) to allowedHosts of the StreamableHTTPServerTransport '
            "(or SSEServerTransport), or drop enableDnsRebindingProtection"
        )
    # sdk 1.32.2 middleware/hostHeaderValidation.js:37-55 (the hostname, no port); express.js:27-45
    # (on for host 127.0.0.1, its default; host "0.0.0.0" without allowedHosts turns it off).
    return "the TypeScript SDK (createMcpExpressApp's localhost-only Host check)", (
        f'createMcpExpressApp({{ host: "0.0.0.0", allowedHosts: ["localhost", "127.0.0.1", "{name}"] }}) '
        '(names without the port), and app.listen(port, "0.0.0.0")'
    )
