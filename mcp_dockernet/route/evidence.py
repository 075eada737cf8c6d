"""How a candidate is ranked: its scope (how close to the client) and its evidence (how we know it serves)."""

from __future__ import annotations

import os

from mcp_dockernet.model import ClientPlace, ProbeResult, ServerEntry, Snapshot
from mcp_dockernet.route.model import Candidate, Choice, Evidence, Reach, Scope
from mcp_dockernet.route.peers import Peer, user_networks


def scope_of(snap: Snapshot, place: ClientPlace, entry: ServerEntry, peer: Peer) -> Scope:
    if place.kind == "container" and place.network_mode != "host":
        if user_networks(place, peer) or (place.project is not None and peer.project == place.project):
            return Scope.CLIENT
    elif peer.project is not None and _same_project_dir(entry.config, peer):
        return Scope.CLIENT  # a host config inside the directory the project was started from
    selected = getattr(snap.compose, "name", None)
    if selected is not None and peer.project == selected:
        return Scope.SELECTED
    return Scope.ELSEWHERE


def _same_project_dir(config_path: str, peer: Peer) -> bool:
    files = peer.container.compose_files if peer.container is not None else ()
    if not files:
        return False
    config_dir = os.path.dirname(os.path.realpath(config_path))
    return any(config_dir == os.path.dirname(os.path.realpath(f)) for f in files)


def evidence_of(peer: Peer, port: int, probe: ProbeResult | None = None) -> Evidence | None:
    """How we know ``peer`` serves container port ``port``; None: nothing says it does."""
    if probe is not None and probe.ok:
        return Evidence.ANSWERED
    declared = port in peer.container_ports()
    if peer.listeners is not None:
        if peer.listening_on(port):
            return Evidence.LISTENING
        return Evidence.CONTRADICTED if declared else None
    return Evidence.DECLARED if declared else None


def served_port(peer: Peer, port: int) -> tuple[int, Evidence] | None:
    """Which of ``peer``'s container ports a URL's ``port`` means, and how we know.

    The port itself when something says the peer serves it; else the container port that host port
    ``port`` is published to (the mapping is a declaration); None when neither.
    """
    evidence = evidence_of(peer, port)
    if evidence is not None:
        return port, evidence
    inside = peer.target_of_host_port(port)
    if inside is None:
        return None
    return inside, evidence_of(peer, inside) or Evidence.DECLARED


def choose(candidates: list[Candidate]) -> Choice:
    """The candidate the evidence supports (see Choice); ``candidates`` come back ranked."""
    viable = [c for c in candidates if not c.failed and c.evidence > Evidence.CONTRADICTED]
    if not viable:
        return Choice(None, (), False)
    scope = min(c.scope for c in viable)
    top = [c for c in viable if c.scope == scope]
    if scope < Scope.ELSEWHERE:  # near the client, the stronger evidence decides; elsewhere it is only a guess
        strongest = max(c.evidence for c in top)
        top = [c for c in top if c.evidence == strongest]
    if len(top) > 1:
        return Choice(None, tuple(top), False)
    chosen = top[0]
    if chosen.url is None:
        return Choice(chosen, (chosen,), False, "no URL reaches it as things are")
    if chosen.reach is Reach.REMOTE and not chosen.confirmed:  # the engine host's name: reachable from here?
        return Choice(chosen, (chosen,), False, "no MCP probe from this machine confirmed it answers there")
    if chosen.scope <= Scope.SELECTED:
        return Choice(chosen, (chosen,), True)
    if len(viable) == 1 and chosen.confirmed:
        return Choice(chosen, (chosen,), True)
    why = (
        f"{chosen.label} is not in the client's project or networks"
        + ("" if chosen.confirmed else ", and no MCP probe from where the client runs confirmed it")
        + (
            f"; {len(viable) - 1} other {'candidates fit' if len(viable) > 2 else 'candidate fits'} too"
            if len(viable) > 1
            else ""
        )
    )
    return Choice(chosen, (chosen,), False, why)


def ranked(candidates: list[Candidate]) -> tuple[Candidate, ...]:
    """Best first: in scope, then by evidence; the ones seen failing last."""
    unique: dict[tuple[str | None, str, int], Candidate] = {}
    for c in candidates:
        unique.setdefault((c.url, c.name, c.port), c)
    return tuple(sorted(unique.values(), key=lambda c: (c.failed, c.scope, -c.evidence)))
