"""A proxy variable sends a local URL through a proxy, which cannot reach it.

Fails when: the client's environment (the process environment on the host, Config.Env in a
container) has HTTP_PROXY / HTTPS_PROXY / ALL_PROXY and no NO_PROXY entry that exempts the URL's
host, and the host is local: loopback, host.docker.internal, a container or service name, a
private address. A proxy then answers 502 or closes the connection (httpx's trust_env reading of
the variables; probes/proxy.py states where other clients differ).
Passes when: NO_PROXY exempts the host, or no proxy variable applies.
Fix: the exact NO_PROXY value to set (the current entries plus the missing hosts); write host
names and addresses out: CIDR entries are ignored by httpx and Node's undici.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._common import is_local_name, layer_lines
from mcp_dockernet.urls import is_loopback, suggested_no_proxy

CODE = "proxy-interference"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES = frozenset({"not-mcp", "timeout"})


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        url, probe = route.url, route.probe
        if probe is None:
            continue
        host = (url.split("//", 1)[-1].split("/", 1)[0].rpartition("@")[2]).rsplit(":", 1)[0].strip("[]").lower()
        if not probe.proxy or not is_local_name(host):
            continue
        hosts = ("localhost", "127.0.0.1", "::1") if is_loopback(host) else (host,)
        value = suggested_no_proxy(probe.no_proxy, *hosts)
        yield Finding(
            code=CODE,
            severity=Severity.WARNING if probe.ok else SEVERITY,
            subject=route.id,
            message=f"the client's proxy settings send {host} through the proxy {probe.proxy}"
            + ("" if probe.ok else f", and that fails: {probe.detail}"),
            fix=f"set NO_PROXY={value} (and no_proxy, which wins where both are set) in the client's environment",
            evidence=layer_lines(probe),
        )
