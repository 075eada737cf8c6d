"""Which proxy a client's environment sends a URL to: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY.

The rules are httpx's with ``trust_env=True`` (the official Python SDK's client), which follow
urllib's ``getproxies()`` and curl's NO_PROXY reading (httpx/_utils.py get_environment_proxies):

- names are case-insensitive, but a lowercase variable wins over its uppercase twin, and an empty
  lowercase one cancels it; ``HTTP_PROXY`` is ignored when ``REQUEST_METHOD`` is set (CGI);
- NO_PROXY is a comma list: ``*`` turns every proxy off; an IP address or ``localhost`` matches
  that host exactly; ``name`` matches it and its subdomains; ``.name`` / ``*.name`` only
  subdomains; ``host:port`` only that port; ``scheme://host`` only that scheme.

Known differences of other clients (stated in the finding, not modelled):
- CIDR entries (``127.0.0.0/8``) bypass nothing in httpx or Node's undici; curl >= 7.86 and Go
  honour them. Write the host names and addresses out.
- Nothing bypasses loopback by default: not httpx, not undici's EnvHttpProxyAgent, not curl.
- Node clients vary: Claude Code's HTTP MCP client sent localhost through the proxy despite
  NO_PROXY (anthropics/claude-code#23344); Gemini CLI honours it since google-gemini/gemini-cli#27012.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@dataclass(frozen=True, slots=True)
class ProxyDecision:
    proxy: str | None  # the proxy URL the request goes to, None for a direct connection
    no_proxy: str | None  # the NO_PROXY value in effect, as written
    why: str  # which variable decided


def proxy_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """scheme -> proxy URL, plus "no" -> NO_PROXY, the way urllib.request.getproxies_environment reads them."""
    found: dict[str, str] = {}
    for name, value in environ.items():
        low = name.lower()
        if value and low.endswith("_proxy"):
            found[low[:-6]] = value
    if "REQUEST_METHOD" in environ:
        found.pop("http", None)
    for name, value in environ.items():
        if name.endswith("_proxy"):  # lowercase names are read last and win
            if value:
                found[name[:-6]] = value
            else:
                found.pop(name[:-6], None)
    return found


def proxy_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """Only the variables that decide proxying (what a helper container needs to be given)."""
    return {k: v for k, v in environ.items() if k.lower() in PROXY_VARIABLES or k == "REQUEST_METHOD"}


def decide(url: str, environ: Mapping[str, str]) -> ProxyDecision:
    settings = proxy_settings(environ)
    parts = urlsplit(url)
    scheme = parts.scheme
    host = (parts.hostname or "").lower()
    port = parts.port or (443 if scheme == "https" else 80)
    no_proxy = settings.get("no")
    proxy = settings.get(scheme) or settings.get("all")
    var = f"{scheme.upper()}_PROXY" if settings.get(scheme) else "ALL_PROXY"
    if proxy is None:
        return ProxyDecision(None, no_proxy, "no proxy variable applies")
    if "://" not in proxy:
        proxy = f"http://{proxy}"
    for entry in (e.strip() for e in (no_proxy or "").split(",")):
        if entry and bypasses(entry, scheme, host, port):
            return ProxyDecision(None, no_proxy, f"NO_PROXY entry {entry!r} matches")
    return ProxyDecision(proxy, no_proxy, f"{var} applies and no NO_PROXY entry matches {host}")


def bypasses(entry: str, scheme: str, host: str, port: int) -> bool:
    """Whether one NO_PROXY entry exempts scheme://host:port."""
    if entry == "*":
        return True
    if "://" in entry:
        p = urlsplit(entry)
        if p.scheme not in ("all", scheme):
            return False
        try:
            wanted = p.port
        except ValueError:
            return False
        if wanted is not None and wanted != port:
            return False
        return _host_matches((p.hostname or "").lower(), host, exact=_is_ip(p.hostname or ""))
    if _is_ip(entry.split("/")[0]) or entry.lower() == "localhost":
        # httpx reads a CIDR entry as one address pattern that matches nothing.
        return "/" not in entry and _host_matches(entry.strip("[]").lower(), host, exact=True)
    name, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
    if entry_port and (not entry_port.isdigit() or int(entry_port) != port):
        return False
    return _host_matches(name.lower(), host, exact=False)


def _host_matches(pattern: str, host: str, *, exact: bool) -> bool:
    if not pattern or pattern == "*":
        return True
    if exact:
        return pattern == host
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    if pattern.startswith("."):
        return host.endswith(pattern)
    return host == pattern.lstrip("*") or host.endswith("." + pattern.lstrip("*"))


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True
