"""One route per entry, computed once from the collected facts: the centre of the tool.

``routes_of(snap)`` answers, for every HTTP entry, where its client runs, where its URL leads and
which servers it may mean, with the evidence for each (route/model.py). Rules, the fix planner and
the renderers read routes; none of them works out a URL's destination again. ``probe_targets``
plans the probes from the same routes: they run, are folded into the Snapshot, and the routes are
built again with their answers before any rule runs.
"""

from __future__ import annotations

from mcp_dockernet.model import ProbeTarget, Snapshot
from mcp_dockernet.route.evidence import choose, ranked
from mcp_dockernet.route.from_container import route_from_container
from mcp_dockernet.route.from_host import relocation_urls, route_from_host
from mcp_dockernet.route.model import NOTHING, Route
from mcp_dockernet.route.remote import ENGINE_HOST_VANTAGE, engine_side_targets
from mcp_dockernet.urls import parse_url

MAX_CANDIDATE_PROBES = 8  # per entry: the best-ranked candidates only


def routes_of(snap: Snapshot) -> tuple[Route, ...]:
    """The route of every entry that has a URL we can judge (memoized per Snapshot)."""
    found: tuple[Route, ...] | None = snap.memo.get("routes")
    if found is None:
        found = snap.memo["routes"] = tuple(r for e in snap.entries if (r := _route(snap, e)) is not None)
    return found


def _route(snap: Snapshot, entry) -> Route | None:  # type: ignore[no-untyped-def]
    url = entry.effective_url
    parts = parse_url(url) if url else None
    if url is None or parts is None:
        return None
    place = snap.place_of(entry)
    from_host = place.kind == "host" or place.network_mode == "host"
    build = route_from_host if from_host else route_from_container
    target, candidates = build(snap, entry, place, url, parts)
    ordered = ranked(candidates)
    probe = snap.probe_of(entry, place.vantage)  # its transport and headers: never another entry's probe
    return Route(entry.id, entry, place, url, parts, probe, target, ordered, choose(list(ordered)))


def probe_targets(snap: Snapshot) -> dict[str, list[ProbeTarget]]:
    """Per vantage, the probes worth running: each entry's URL and its best candidates.

    The entry's headers go with its own URL and with a candidate of the same origin only; a
    candidate on another host or port is probed without them (they are the entry's secrets).
    """
    plan: dict[str, list[ProbeTarget]] = {}
    for route in routes_of(snap):
        vantage = route.place.vantage
        if vantage is None:
            continue  # the client is not running: judged from the Compose file
        transport, headers = route.entry.transport, route.entry.headers
        urls = [route.url]
        urls += [c.url for c in route.candidates if c.url and (c.peer is None or c.peer.running)][:MAX_CANDIDATE_PROBES]
        if route.target.kind == NOTHING and dict(snap.remembered).get(str(route.id)):
            urls += [u for _, _, u in relocation_urls(snap, route.url, route.parts.port)]
        own = ProbeTarget(route.url, transport, headers)
        targets = plan.setdefault(vantage, [])
        for u in dict.fromkeys(urls):
            target = own.at(u)
            if target not in targets:
                targets.append(target)
        for u in engine_side_targets(route):  # the published port, probed on the engine's host: no headers
            there = plan.setdefault(ENGINE_HOST_VANTAGE, [])
            if (target := ProbeTarget(u, transport)) not in there:
                there.append(target)
    return plan
