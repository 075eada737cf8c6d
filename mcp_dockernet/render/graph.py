"""The map as data: who is where (host, Compose projects, containers, networks) and where each entry's URL leads.

Pure: a Report and its Snapshot in, one small ``Graph`` out; each format (render/map_*.py, render/html.py)
only draws it. Where a URL leads is read from the entry's route (route/model.py), never worked out
again. Only what the entries touch and their networks are drawn unless ``everything`` is asked for,
so a busy engine stays readable. URLs pass through ``redact_url``: no label holds a secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from mcp_dockernet.model import Container, HostState, Listener, Snapshot
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Report, ServerReport
from mcp_dockernet.route import model as rm
from mcp_dockernet.route import routes_of
from mcp_dockernet.route.peers import Peer

HOST = "host"
MAX_CANDIDATES = 4  # per entry: a busy engine stays readable
# Node kinds (the JSON schema's enum): host, listener, project, container, service, network, nowhere, external.
# Edge kinds: entry (an MCP entry, as written), suggested (the route its fix would take), candidate (one of several
# servers that fit equally: nothing is written), network (a container attached to a network).


@dataclass(frozen=True, slots=True)
class Node:
    id: str  # stable key, e.g. "container:web", "network:lab_default", "listener:127.0.0.1:8000"
    kind: str
    label: str
    parent: str | None = None  # the group it is drawn in: a listener in the host, a container in its project
    details: tuple[str, ...] = ()  # published ports "0.0.0.0:8080 -> 8000/tcp", its state


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    kind: str  # entry, suggested, network
    label: str = ""
    entry: str = ""  # the entry's name (entry and suggested edges)
    verdict: str = ""  # ok, warning, error, skipped (entry edges)
    codes: tuple[str, ...] = ()  # finding codes (entry edges)
    url: str = ""  # redacted


@dataclass(frozen=True, slots=True)
class Graph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    notes: tuple[str, ...] = ()  # entries the map does not draw, and why

    def node(self, key: str) -> Node | None:
        return next((n for n in self.nodes if n.id == key), None)

    def children(self, key: str | None) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.parent == key)


@dataclass
class _Builder:
    snap: Snapshot
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, node: Node) -> str:
        self.nodes.setdefault(node.id, node)
        if node.parent is not None and node.parent.startswith("project:"):
            self.add(Node(node.parent, "project", f"Compose project {node.parent.removeprefix('project:')}"))
        return node.id

    def container(self, c: Container) -> str:
        parent = f"project:{c.compose_project}" if c.compose_project else None
        ports = tuple(
            f"{b.host_ip or '0.0.0.0'}:{b.host_port} -> {b.container_port}/{b.protocol}" for b in c.ports if b.host_port
        )
        label = c.name + (f" (service {c.compose_service})" if c.compose_service else "")
        return self.add(Node(f"container:{c.name}", "container", label, parent, (str(c.state), *sorted(set(ports)))))

    def peer(self, p: Peer) -> str:
        if p.container is not None:
            return self.container(p.container)
        parent = f"project:{p.project}" if p.project else None
        return self.add(Node(f"service:{p.project}/{p.name}", "service", f"{p.name} (not created)", parent))

    def listener(self, x: Listener) -> str:
        who = f"{x.process or '?'}" + (f" (pid {x.pid})" if x.pid else "")
        return self.add(Node(f"listener:{x.ip}:{x.port}", "listener", f"{x.ip}:{x.port} {who}", HOST))

    def nowhere(self, key: str, label: str) -> str:
        return self.add(Node(f"nowhere:{key}", "nowhere", label))


def build(report: Report, snap: Snapshot, *, everything: bool = False) -> Graph:
    b = _Builder(snap)
    b.add(Node(HOST, "host", "host"))
    routes = {r.id: r for r in routes_of(snap)}
    for server in report.servers:
        route = routes.get(server.entry.id)
        if route is None:
            why = "a stdio server" if server.entry.url is None else (server.notes[0] if server.notes else "not judged")
            b.notes.append(f"{server.entry.name}: not drawn ({why})")
            continue
        _entry_edges(b, server, route)
    containers = snap.containers
    if everything:
        for c in containers:
            b.container(c)
        if isinstance(snap.host, HostState):
            for x in snap.host.listeners:
                b.listener(x)
    touched = {n.removeprefix("container:") for n in b.nodes if n.startswith("container:")}
    for c in containers:
        if c.name in touched:
            for att in c.networks:
                b.add(
                    Node(f"network:{att.network}", "network", f"network {att.network}", _network_parent(c, att.network))
                )
                b.edges.append(Edge(f"container:{c.name}", f"network:{att.network}", "network", att.ip))
    return Graph(tuple(b.nodes.values()), tuple(b.edges), tuple(b.notes))


def _network_parent(c: Container, network: str) -> str | None:
    """A project's own network (Compose names it PROJECT_NAME) is drawn in the project; any other stands alone."""
    if c.compose_project and network.startswith(f"{c.compose_project}_"):
        return f"project:{c.compose_project}"
    return None


def _client(b: _Builder, route: rm.Route) -> str:
    place = route.place
    if place.kind == "host":
        return HOST
    own = next((c for c in b.snap.containers if c.id == place.container_id or c.name == place.name), None)
    if own is not None:
        return b.container(own)
    parent = f"project:{place.project}" if place.project else None
    return b.add(Node(f"service:{place.project}/{place.name}", "service", f"{place.name} (not created)", parent))


def _leads_to(b: _Builder, route: rm.Route, client: str) -> list[str]:
    t = route.target
    host = route.parts.host
    if t.kind in (rm.DOCKER_NAME, rm.UNREACHABLE_PEER, rm.UNKNOWN_NAME):
        return [b.nowhere(f"name:{host}", f"{host}: no such name here")]
    if t.kind == rm.ELSEWHERE:
        return [b.add(Node(f"external:{host}:{t.port}", "external", f"{host}:{t.port} (outside Docker)"))]
    if t.kind == rm.SELF:
        return [client]
    found = [b.peer(p) for p, _ in t.peers] + [b.listener(x) for x in t.processes]
    if found:
        return list(dict.fromkeys(found))
    where = "host" if t.kind in (rm.HOST, rm.NOTHING) else host
    return [b.nowhere(f"port:{where}:{t.port}", f"nothing listens on {where} port {t.port}")]


def _entry_edges(b: _Builder, server: ServerReport, route: rm.Route) -> None:
    client = _client(b, route)
    codes = tuple(f.code for f in server.findings)
    url = redact_url(route.url)
    label = f"{server.entry.name}: {server.status}" + (f" ({', '.join(codes)})" if codes else "")
    for target in _leads_to(b, route, client):
        b.edges.append(Edge(client, target, "entry", label, server.entry.name, server.status, codes, url))
    if server.status == "ok":
        return
    chosen = route.choice.chosen
    if chosen is not None and server.suggested_url:
        suggested = redact_url(server.suggested_url)
        _towards(
            b,
            client,
            chosen,
            Edge(client, "", "suggested", f"{server.entry.name}: fix {suggested}", server.entry.name, url=suggested),
        )
    elif chosen is None:  # several fit equally: each is drawn as a candidate, none as the fix (nothing is written)
        for c in route.choice.among[:MAX_CANDIDATES]:
            if c.url:
                url = redact_url(c.url)
                _towards(
                    b,
                    client,
                    c,
                    Edge(client, "", "candidate", f"{server.entry.name}: candidate {url}", server.entry.name, url=url),
                )


def _towards(b: _Builder, client: str, c: rm.Candidate, edge: Edge) -> None:
    target = b.peer(c.peer) if c.peer is not None else b.listener(c.process) if c.process is not None else None
    if target is not None:
        b.edges.append(replace(edge, target=target))
