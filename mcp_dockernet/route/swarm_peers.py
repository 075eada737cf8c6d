"""Swarm services as peers: a service stands for its tasks, whose containers are in the engine's list.

A URL names the service (its VIP, or its tasks with ``tasks.NAME`` and ``endpoint_mode: dnsrr``),
never one task, so the service is the peer: its names on its overlay networks, its ports from the
endpoint spec (a port published through the ingress routing mesh has no binding on any task's
container), its running tasks' sockets together. A stack's service keeps its stack as project and
its short name as service: the Compose project it was deployed from (``docker stack deploy -c``).
"""

from __future__ import annotations

from mcp_dockernet.model import Container, PortBinding, Snapshot, SwarmService, SwarmState
from mcp_dockernet.route.peers import Peer, servers_only


def swarm_services(swarm: SwarmState | None, snap: Snapshot) -> tuple[list[Peer], list[Container]]:
    """One peer per Swarm service (its name resolves to all its tasks), and the containers that are no task.

    A stopped task is history Swarm keeps (TaskHistoryRetentionLimit), not a server of its own: a
    service with no running task is one stopped peer, judged with its latest stopped task's exit
    code and log (the container list is newest first).
    """
    if swarm is None or not swarm.services:
        return [], list(snap.containers)
    by_id = {c.id: c for c in snap.containers}
    found = []
    for svc in swarm.services:
        tasks = [by_id[i] for i in svc.tasks if i in by_id]
        stopped = [c for c in snap.containers if not c.running and c.name.startswith(f"{svc.name}.")]
        if tasks or stopped:
            found.append(_from_service(svc, tasks or stopped[:1], swarm, snap))
    taken = {i for s in swarm.services for i in s.tasks}
    history = tuple(f"{s.name}." for s in swarm.services)
    rest = [c for c in snap.containers if c.id not in taken and (c.running or not c.name.startswith(history))]
    return found, rest


def _from_service(svc: SwarmService, tasks: list[Container], swarm: SwarmState, snap: Snapshot) -> Peer:
    """The service as one peer: its names on its networks, its ports from the spec (ingress-published
    ones are on no task's container), its tasks' sockets together."""
    names = {svc.name, svc.short_name, f"tasks.{svc.name}", f"tasks.{svc.short_name}"}
    networks = set()
    for network, aliases in svc.networks:
        known = swarm.network(network)
        if network == "ingress" or (known is not None and known.ingress):
            continue  # the routing mesh's network: nothing resolves or joins there
        networks.add(network)
        names.update(aliases)
    first = tasks[0]
    ports = [PortBinding(p.target, p.protocol, None, p.published) for p in svc.ports]
    ports += [b for c in tasks for b in c.ports]
    read = [x for c in tasks if (x := servers_only(snap.listeners_of(c.id))) is not None]
    return Peer(
        name=svc.name,
        names=frozenset(names),
        networks=frozenset(networks),
        ports=_unique(ports),
        running=first.running,
        service=svc.short_name,
        project=svc.stack,
        container_id=first.id,
        listeners=tuple(x for group in read for x in group) if read else None,
        container=first,
        network_mode=first.network_mode,
        swarm=svc,
    )


def _unique(ports: list[PortBinding]) -> tuple[PortBinding, ...]:
    seen: dict[tuple[int, str, int | None], PortBinding] = {}
    for b in ports:
        seen.setdefault((b.container_port, b.protocol, b.host_port), b)
    return tuple(seen.values())
