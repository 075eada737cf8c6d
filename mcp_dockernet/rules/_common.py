"""Words and small facts the rules share (not a rule): evidence lines, the lead candidate, a finding's suggestion."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from mcp_dockernet.model import ProbeResult
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import ServerRef
from mcp_dockernet.route.model import HOST, Candidate, Reach, Route
from mcp_dockernet.route.peers import Peer
from mcp_dockernet.urls import HOST_ALIASES, is_loopback

TYPE_VALUES = {"streamable-http": "http", "sse": "sse"}  # the entry's "type" value for each transport


def lead(route: Route) -> Candidate | None:
    """The candidate the evidence points at; when several fit, the best-ranked of them (nothing is written)."""
    if route.choice.chosen is not None:
        return route.choice.chosen
    return route.choice.among[0] if route.choice.among else None


def ambiguous(route: Route) -> bool:
    return route.choice.chosen is None and len(route.choice.among) > 1


def suggestion(route: Route, reach_ok: Iterable[str] | None = None) -> dict[str, object]:
    """The Finding fields for the route's choice: suggested_url, writable, candidates."""
    chosen = route.choice.chosen
    if ambiguous(route):
        return {"candidates": tuple(c.url for c in route.choice.among if c.url)}
    if chosen is None or chosen.url is None or (reach_ok is not None and chosen.reach not in reach_ok):
        return {}
    return {"suggested_url": chosen.url, "writable": route.choice.writable}


def fix_words(route: Route, otherwise: str) -> str:
    """'use URL (why)', the list when several fit, or ``otherwise``."""
    chosen = route.choice.chosen
    if ambiguous(route):
        listed = "; ".join(f"{redact_url(c.url)} ({describe(c)})" for c in route.choice.among if c.url)
        unpublished = [c.name for c in route.choice.among if not c.url]
        text = f"several servers fit; use the URL of the one you mean: {listed}" if listed else otherwise
        if unpublished:
            text += f"; or publish the port of the one you mean ({', '.join(unpublished)}: -p / ports:)"
        return text
    if chosen is None or chosen.url is None:
        return otherwise
    text = f"use {redact_url(chosen.url)} ({describe(chosen)})"
    if not route.choice.writable and route.choice.why_not:
        text += f"; not written by fix --write: {route.choice.why_not}"
    return text


def describe(c: Candidate) -> str:
    """Who the candidate is and how we know, in a few words."""
    where = c.scope_words()
    return f"{c.label}: {c.how_known()}" + (f"; {where}" if where else "")


def ref(peer: Peer, port: int | None = None, host_port: int | None = None) -> ServerRef:
    return ServerRef(peer.name, peer.service, peer.project, port, host_port)


def probe_lines(route: Route, *candidates: Candidate) -> tuple[str, ...]:
    """What the probes from the client's vantage saw at the URL and at these candidates (credentials masked)."""
    found = [route.probe] + [c.probe for c in candidates]
    return tuple(_line(p) for p in dict.fromkeys(p for p in found if p is not None))


def _line(p: ProbeResult) -> str:
    where = "" if p.vantage == "host" else f" from {p.vantage}"
    return f"probe {redact_url(p.url)}{where}: {p.summary()}"


def layer_lines(p: ProbeResult) -> tuple[str, ...]:
    """The probe's layers as evidence lines."""
    where = p.vantage + (f" via {p.method}" if p.method not in ("host", p.vantage) else "")
    return tuple(f"probe {redact_url(p.url)} from {where}, {x.name}: {x.detail}" for x in p.layers)


def is_local_name(host: str) -> bool:
    """A name or address that no proxy should ever see: loopback, private, link-local, single-label names."""
    if is_loopback(host) or host in HOST_ALIASES or "." not in host.strip("[]"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host.endswith((".local", ".internal", ".localhost"))
    return address.is_private or address.is_link_local


def host_header(url: str) -> tuple[str, str]:
    """(host name, host:port) as a client sends them in the Host header."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    shown = f"[{host}]" if ":" in host else host
    return shown, parts.netloc.rpartition("@")[2] or shown


def host_bound_url(route: Route) -> str | None:
    """From a container: the URL that goes to the host, as written or as the evidence supports (a written suggestion)."""
    if route.from_host:
        return None
    if route.target.kind == HOST:
        return route.url
    chosen = route.choice.chosen
    if (
        chosen is not None
        and chosen.url
        and route.choice.writable
        and chosen.reach in (Reach.VIA_HOST, Reach.HOST_PROCESS)
    ):
        return chosen.url
    return None


def serving(c: Candidate, port: int) -> str:
    """One candidate of a host URL's port, with what stands between it and the host, in words."""
    label = c.peer.label if c.peer is not None else c.label
    if c.reach is Reach.MOVED:
        text = f"{label} serves port {c.port} inside and publishes it on host port {c.published}"
    elif c.reach is Reach.UNPUBLISHED:
        text = f"{label} serves port {c.port} ({c.how_known()}) but publishes no host port for it"
    else:
        text = f"{label} serves port {c.port} but is not running"
    if c.peer is not None and c.peer.from_compose_file:
        text += f" (from {c.peer.source or 'the Compose file'}; the service is not running)"
    if c.scope_words():
        text += f" [{c.scope_words()}]"
    return text
