"""Read a swarm manager's services, their running tasks and its overlay networks into facts.

Three list calls (services, running tasks, swarm-scoped networks), made only when the engine is a
manager of an active swarm (``info()["Swarm"]``: LocalNodeState "active" and ControlAvailable); a
worker cannot list services, and a plain engine has none. Task containers are already in the
container list (labels com.docker.swarm.service.name, com.docker.stack.namespace): the tasks call
links each service to them. Ingress-published ports are on the service only (the task container has
no binding of its own): the endpoint spec is where they are read.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from mcp_dockernet.model import ServicePort, SwarmNetwork, SwarmService, SwarmState

log = logging.getLogger(__name__)
STACK_LABEL = "com.docker.stack.namespace"
MAX_SERVICES = 500  # bound the facts read from a large swarm


class SwarmApi(Protocol):
    """The part of docker.APIClient read here, so tests can pass a fake."""

    def services(self, filters: dict[str, Any] | None = ...) -> list[dict[str, Any]]: ...
    def tasks(self, filters: dict[str, Any] | None = ...) -> list[dict[str, Any]]: ...
    def networks(
        self, names: Any = ..., ids: Any = ..., filters: dict[str, Any] | None = ...
    ) -> list[dict[str, Any]]: ...


def is_manager(info: dict[str, Any]) -> bool:
    swarm = info.get("Swarm") or {}
    return swarm.get("LocalNodeState") == "active" and bool(swarm.get("ControlAvailable"))


def collect_swarm(api: Any, info: dict[str, Any]) -> SwarmState | None:
    """The swarm's services and networks; None when the engine is no manager or the calls fail."""
    if not is_manager(info):
        return None
    try:
        services = api.services()[:MAX_SERVICES]
        tasks = api.tasks(filters={"desired-state": "running"})
        networks = api.networks(filters={"scope": "swarm"})
    except Exception as e:  # a manager that lost quorum answers info() but not these
        log.debug("swarm manager did not list its services: %s", e)
        return None
    return swarm_state(services, tasks, networks)


def swarm_state(
    services: list[dict[str, Any]], tasks: list[dict[str, Any]], networks: list[dict[str, Any]]
) -> SwarmState:
    """Pure: the three list answers, linked (a service's network ids become names, its tasks their containers)."""
    nets = tuple(_network(n) for n in networks)
    by_id = {str(n.get("Id") or n.get("ID") or ""): net.name for n, net in zip(networks, nets, strict=True)}
    running: dict[str, list[str]] = {}
    for t in tasks:
        status = t.get("Status") or {}
        container = (status.get("ContainerStatus") or {}).get("ContainerID")
        if status.get("State") == "running" and container:
            running.setdefault(str(t.get("ServiceID", "")), []).append(str(container))
    return SwarmState(tuple(_service(s, running.get(str(s.get("ID", "")), []), by_id) for s in services), nets)


def _network(n: dict[str, Any]) -> SwarmNetwork:
    labels = n.get("Labels") or {}
    return SwarmNetwork(
        name=str(n.get("Name", "")),
        attachable=bool(n.get("Attachable")),
        ingress=bool(n.get("Ingress")),
        stack=labels.get(STACK_LABEL),
    )


def _service(s: dict[str, Any], tasks: list[str], network_names: dict[str, str]) -> SwarmService:
    spec = s.get("Spec") or {}
    endpoint = s.get("Endpoint") or {}
    endpoint_spec = spec.get("EndpointSpec") or endpoint.get("Spec") or {}
    # Endpoint.Ports is what the manager allotted (a published port it chose); the spec's when it has none yet.
    raw_ports = endpoint.get("Ports") or endpoint_spec.get("Ports") or ()
    ports = tuple(
        ServicePort(
            int(p["TargetPort"]),
            int(p["PublishedPort"]) if p.get("PublishedPort") else None,
            str(p.get("Protocol") or "tcp"),
            str(p.get("PublishMode") or "ingress"),
        )
        for p in raw_ports
        if p.get("TargetPort")
    )
    attached = (spec.get("TaskTemplate") or {}).get("Networks") or spec.get("Networks") or ()
    networks = tuple(
        (network_names.get(str(a.get("Target", "")), str(a.get("Target", ""))), tuple(a.get("Aliases") or ()))
        for a in attached
    )
    if any(p.mode == "ingress" and p.published for p in ports) and "ingress" not in {n for n, _ in networks}:
        networks += (("ingress", ()),)
    vips = tuple(
        (
            network_names.get(str(v.get("NetworkID", "")), str(v.get("NetworkID", ""))),
            str(v.get("Addr", "")).split("/")[0],
        )
        for v in endpoint.get("VirtualIPs") or ()
    )
    mode = spec.get("Mode") or {}
    replicas = (mode.get("Replicated") or {}).get("Replicas") if "Replicated" in mode else None
    return SwarmService(
        id=str(s.get("ID", "")),
        name=str(spec.get("Name", "")),
        stack=(spec.get("Labels") or {}).get(STACK_LABEL),
        ports=ports,
        networks=networks,
        endpoint_mode=str(endpoint_spec.get("Mode") or "vip"),
        replicas=int(replicas) if replicas is not None else None,
        tasks=tuple(tasks),
        vips=vips,
    )
