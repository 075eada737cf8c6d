"""Host URLs on loopback when the engine is on another machine: this machine's localhost is not the engine's host.

A host client runs here, the containers publish their ports on the engine's host
(``EngineState.remote_host``, the endpoint URL's host name). So ``localhost:P`` here reaches whatever
listens on P on *this* machine (a tunnel to the engine's host, another server, or nothing), never a
container of the engine by itself. The route's target names the containers that publish P *there*
(``ENGINE_HOST``) and what listens on P here (``Snapshot.here``); each publisher is a candidate:

- reached directly at the engine host's name (``http://HOST:P``), when that name was observed in the
  endpoint URL and is not a loopback address: an ssh target on 127.0.0.1 is a tunnel or a VM's
  forwarded port, and its name says nothing about where P is reachable;
- else through a tunnel (``ssh -L``), a suggestion with nothing to write.

Whether the server answers on the engine's host at all is probed there (``ENGINE_HOST_VANTAGE``: a
helper container on the engine host's network, probes/vantage.py), never from this machine.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from mcp_dockernet.model import ENGINE_HOST_VANTAGE, EngineState, Listener, PortBinding, ProbeResult, Snapshot
from mcp_dockernet.route.evidence import evidence_of, scope_of
from mcp_dockernet.route.model import ENGINE_HOST, Candidate, Evidence, Reach, Route, Target
from mcp_dockernet.route.peers import Peer, peers
from mcp_dockernet.urls import is_loopback, with_host

WILDCARDS = ("0.0.0.0", "::", "")
REACHED = ("0.0.0.0", "::", "127.0.0.1", "::1")  # the listeners a localhost URL on this machine may reach


def remote_endpoint(snap: Snapshot) -> str | None:
    """The engine's endpoint URL when the engine is on another machine, else None."""
    return snap.engine.remote_endpoint if isinstance(snap.engine, EngineState) else None


def remote_host(snap: Snapshot) -> str | None:
    """The engine's host name (from the endpoint URL) when the engine is on another machine, else None."""
    url = remote_endpoint(snap)
    return (urlsplit(url).hostname or "another machine") if url else None


def ssh_target(snap: Snapshot) -> str | None:
    """``user@host [-p N]`` of an ssh:// endpoint, for a tunnel command; None for any other."""
    url = remote_endpoint(snap)
    if not url or not url.startswith("ssh://"):
        return None
    parts = urlsplit(url)
    who = f"{parts.username}@" if parts.username else ""
    return f"{who}{parts.hostname}" + (f" -p {parts.port}" if parts.port else "")


def route_to_engine_host(snap: Snapshot, entry, place, url: str, port: int) -> tuple[Target, list[Candidate]]:  # type: ignore[no-untyped-def]
    """The target and candidates of a host client's loopback URL on port ``port``, the engine being remote."""
    host = remote_host(snap) or ""
    here = tuple(x for x in (snap.here.listeners if snap.here else ()) if x.port == port and x.ip in REACHED)
    found: list[tuple[Peer, int]] = []
    candidates = []
    for peer in peers(snap):
        binding = _binding(peer, port)
        if binding is None or not peer.running:
            continue
        found.append((peer, binding.container_port))
        direct = None if is_loopback(host) else with_host(url, _in_url(host), port)
        probe = snap.probe(direct, place.vantage) if direct else None
        there = snap.probe(engine_side_url(url, binding), ENGINE_HOST_VANTAGE)
        inside = binding.container_port
        candidates.append(
            Candidate(
                peer,
                inside,
                scope_of(snap, place, entry, peer),
                evidence_of(peer, inside, there) or Evidence.DECLARED,
                Reach.REMOTE,
                direct,
                probe,
                peer.listening_on(inside),
                port,
            )
        )
    return Target(ENGINE_HOST, tuple(found), processes=here, port=port), candidates


def engine_side_url(url: str, binding: PortBinding) -> str:
    """The URL that reaches a published port from the engine's host itself: its bound address, else loopback."""
    ip = binding.host_ip or ""
    return with_host(url, "127.0.0.1" if ip in WILDCARDS else _in_url(ip), binding.host_port or 0)


def engine_side_probe(snap: Snapshot, route: Route, candidate: Candidate) -> ProbeResult | None:
    """What the probe on the engine's host saw at ``candidate``'s published port."""
    binding = _binding(candidate.peer, route.parts.port) if candidate.peer else None
    return snap.probe(engine_side_url(route.url, binding), ENGINE_HOST_VANTAGE) if binding else None


def engine_side_targets(route: Route) -> list[str]:
    """The URLs to probe on the engine's host for this route (one per publisher)."""
    if route.target.kind != ENGINE_HOST:
        return []
    found = [_binding(p, route.parts.port) for p, _ in route.target.peers]
    return [engine_side_url(route.url, b) for b in found if b is not None]


def tunnel_command(snap: Snapshot, route: Route, candidate: Candidate) -> str | None:
    """``ssh -NL P:ADDR:P user@host [-p N]`` that makes this machine's localhost:P the engine host's P."""
    target = ssh_target(snap)
    if not target or candidate.peer is None:
        return None
    binding = _binding(candidate.peer, route.parts.port)
    if binding is None:
        return None
    ip = binding.host_ip or ""
    address = "localhost" if ip in WILDCARDS else _in_url(ip)
    return f"ssh -NL {route.parts.port}:{address}:{binding.host_port} {target}"


def what_answers_here(listeners: tuple[Listener, ...]) -> str:
    """This machine's listeners on the port, in words ("ssh (pid 12) on 127.0.0.1")."""
    return ", ".join(f"{x.process or '?'} (pid {x.pid}) on {x.ip}" for x in listeners)


def _binding(peer: Peer, host_port: int) -> PortBinding | None:
    return next((b for b in peer.ports if b.host_port == host_port and b.protocol == "tcp"), None)


def _in_url(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
