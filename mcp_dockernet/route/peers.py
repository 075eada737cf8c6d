"""Who is where: the containers (live) or Compose services (static) an entry's URL might mean.

A Peer is what a URL's host can name: a container or a Compose service, with the names that
resolve to it, the networks it is on, the ports it declares and (when read) the ports its
processes really listen on. Live containers win over the Compose file; a service with no container
yet is judged from the file, so `doctor --no-probe` works before `docker compose up` (a CI pre-flight).
"""

from __future__ import annotations

from dataclasses import dataclass

from mcp_dockernet.model import ClientPlace, Container, EngineState, Listener, PortBinding, Snapshot, SwarmService

DEFAULT_BRIDGE = "bridge"  # the engine's default network: no name resolution on it
PODMAN_DEFAULT = "podman"  # Podman's default network: no name resolution on it either (dns_enabled false)
DEFAULT_NETWORKS = frozenset({DEFAULT_BRIDGE, PODMAN_DEFAULT})
# The engine's embedded DNS resolver listens in every namespace on a user-defined network, at a random
# port (docs.docker.com, Networking overview, DNS services): a real socket, never the MCP server.
EMBEDDED_DNS = "127.0.0.11"


@dataclass(frozen=True, slots=True)
class Peer:
    name: str  # container name, or the service name when there is no container
    names: frozenset[str]  # every name that resolves to it on its user-defined networks
    networks: frozenset[str]  # engine network names
    ports: tuple[PortBinding, ...]  # declared: EXPOSE / expose: / ports: (published or not)
    running: bool
    service: str | None = None
    project: str | None = None
    container_id: str | None = None
    from_compose_file: bool = False
    listeners: tuple[Listener, ...] | None = None  # its sockets; None: not read
    container: Container | None = None
    source: str = ""  # "compose.yaml:12" for a service judged from the file
    network_mode: str = ""
    swarm: SwarmService | None = None  # a Swarm service: the peer stands for all its running tasks

    @property
    def preferred_name(self) -> str:
        """The name to put in a URL: the service name where Compose gave it as an alias."""
        return self.service if self.service and self.service in self.names else self.name

    @property
    def label(self) -> str:
        if self.swarm is not None:
            stack = f" of stack {self.swarm.stack}" if self.swarm.stack else ""
            count = len(self.swarm.tasks)
            return (
                f"{self.name} (Swarm service {self.swarm.short_name}{stack}, {count} task{'s' if count != 1 else ''})"
            )
        if self.service and self.project:
            return f"{self.name} (service {self.service} of Compose project {self.project})"
        if self.container is not None and self.container.pod:
            return self.container.label  # "NAME (pod POD)": a pod's members share its infra container's ports
        return self.name

    def container_ports(self) -> set[int]:
        return {b.container_port for b in self.ports if b.protocol == "tcp"}

    def host_port_of(self, container_port: int) -> int | None:
        return next((b.host_port for b in self.ports if b.container_port == container_port and b.host_port), None)

    def target_of_host_port(self, host_port: int) -> int | None:
        return next((b.container_port for b in self.ports if b.host_port == host_port and b.protocol == "tcp"), None)

    def listening_on(self, port: int) -> tuple[Listener, ...]:
        return tuple(x for x in self.listeners or () if x.port == port)

    def listening_ports(self) -> tuple[int, ...]:
        return tuple(sorted({x.port for x in self.listeners or ()}))


def peers(snap: Snapshot) -> tuple[Peer, ...]:
    found: tuple[Peer, ...] | None = snap.memo.get("peers")
    if found is None:
        swarm = snap.engine.swarm if isinstance(snap.engine, EngineState) else None
        from mcp_dockernet.route.swarm_peers import swarm_services  # it builds Peers: imported once they exist

        tasks, others = swarm_services(swarm, snap)
        live = [_from_container(c, servers_only(snap.listeners_of(c.id))) for c in others] + tasks
        seen = {(p.project, p.service) for p in live if p.service}
        static = [p for p in _from_compose(snap) if (p.project, p.service) not in seen]
        found = snap.memo["peers"] = tuple(live + static)
    return found


def servers_only(listeners: tuple[Listener, ...] | None) -> tuple[Listener, ...] | None:
    return None if listeners is None else tuple(x for x in listeners if x.ip != EMBEDDED_DNS)


def _from_container(c: Container, listeners: tuple[Listener, ...] | None) -> Peer:
    names = {c.name}
    if c.compose_service:
        names.add(c.compose_service)
    for attachment in c.networks:
        names.update(attachment.aliases)
    return Peer(
        name=c.name,
        names=frozenset(names),
        networks=frozenset(a.network for a in c.networks),
        ports=c.ports,
        running=c.running,
        service=c.compose_service,
        project=c.compose_project,
        container_id=c.id,
        listeners=listeners,
        container=c,
        network_mode=c.network_mode,
    )


def _from_compose(snap: Snapshot) -> list[Peer]:
    project = snap.compose
    if project is None:
        return []
    engine_names = {n.key: n.name for n in project.networks}
    found = []
    for svc in project.services:
        names = {svc.name} | {a for n in svc.networks for a in n.aliases}
        names |= {x for x in (svc.container_name, svc.hostname) if x}
        ports = tuple(
            PortBinding(p.target, p.protocol, p.host_ip, int(p.published) if _single(p.published) else None)
            for p in svc.ports
        ) + tuple(PortBinding(port, "tcp") for port in svc.expose)
        where = f"{_short(svc.file)}:{svc.line}" if svc.file and svc.line else _short(svc.file or "")
        found.append(
            Peer(
                name=svc.container_name or svc.name,
                names=frozenset(names),
                networks=frozenset(engine_names.get(n.key, f"{project.name}_{n.key}") for n in svc.networks),
                ports=ports,
                running=False,
                service=svc.name,
                project=project.name,
                from_compose_file=True,
                source=where,
                network_mode=svc.network_mode or "",
            )
        )
    return found


def _single(published: str | None) -> bool:
    return bool(published) and str(published).isdigit()


def _short(path: str) -> str:
    import os

    return (
        os.path.relpath(path) if path and os.path.isabs(path) and not os.path.relpath(path).startswith("..") else path
    )


def is_self(place: ClientPlace, peer: Peer) -> bool:
    """The client's own container, or one whose network namespace it shares."""
    if place.container_id and peer.container_id:
        if place.container_id == peer.container_id:
            return True
        if place.network_mode.startswith("container:") and place.network_mode == peer.network_mode:
            return True  # both joined the same namespace (members of one Podman pod: its infra container's)
        return place.network_mode.endswith(peer.container_id) or peer.network_mode.endswith(place.container_id)
    return place.service is not None and place.service == peer.service and place.project == peer.project


def shared_networks(place: ClientPlace, peer: Peer) -> frozenset[str]:
    return frozenset(place.networks) & peer.networks


def user_networks(place: ClientPlace, peer: Peer) -> frozenset[str]:
    """Shared networks with name resolution (every one but the default bridge, Docker's or Podman's)."""
    return frozenset(n for n in shared_networks(place, peer) if n not in DEFAULT_NETWORKS)


def named(snap: Snapshot, host: str) -> tuple[Peer, ...]:
    return tuple(p for p in peers(snap) if host in p.names or host == p.name)


def joinable(peer: Peer) -> bool:
    """On a network made to be joined: one named without its project's prefix (Compose ``name:``), not
    a project's own ``<project>_default``. Such a network is the user's own declaration of sharing."""
    return any(_made_to_share(peer, n) for n in peer.networks)


def shared_network(peer: Peer) -> str | None:
    """The network to attach a client to: one made to be joined first, else the first by name."""
    ordered = sorted(peer.networks, key=lambda n: (not _made_to_share(peer, n), n))
    return ordered[0] if ordered else None


def _made_to_share(peer: Peer, network: str) -> bool:
    return (
        bool(peer.project)
        and network not in ("bridge", "host", "none", PODMAN_DEFAULT)
        and not network.startswith(f"{peer.project}_")
    )
