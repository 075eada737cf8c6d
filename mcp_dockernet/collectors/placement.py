"""Decide where each config's client runs: told by --client, or found from the containers' mounts.

A config file bind-mounted into a running container (as a file, or inside a mounted directory)
is read by the client in that container. Each place records why it was chosen.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from mcp_dockernet.collectors.docker_engine import DockerApi, extra_hosts
from mcp_dockernet.collectors.self_container import own_container_id
from mcp_dockernet.errors import MdnError
from mcp_dockernet.model import HOST_CLIENT, ClientPlace, ConfigFile, Container, EngineState, Unavailable


def place_clients(
    configs: Sequence[ConfigFile],
    engine: EngineState | Unavailable,
    api: DockerApi | None,
    flag: str | None,
    compose: Any = None,
    project_name: str | None = None,
) -> tuple[tuple[str, ClientPlace], ...]:
    containers = engine.containers if isinstance(engine, EngineState) else ()
    places: list[tuple[str, ClientPlace]] = []
    told = _from_flag(flag, containers, api, compose, project_name) if flag else None
    for config in configs:
        if config.client == "compose":
            continue  # environment entries: each service is its own client, placed by the engine
        place = told or _from_mounts(config.path, containers, api) or HOST_CLIENT
        places.append((config.path, place))
    return tuple(places)


def _from_flag(
    flag: str, containers: Sequence[Container], api: DockerApi | None, compose: Any, project_name: str | None
) -> ClientPlace:
    kind, _, value = flag.partition(":")
    if flag == "host":
        return ClientPlace("host", reason="--client host")
    if kind == "container" and value:
        match = [c for c in containers if c.name == value or c.id.startswith(value)]
        if not match:
            raise MdnError(f"--client {flag}: no container is called {value!r}")
        return container_place(match[0], api, f"--client {flag}")
    if kind == "service" and value:
        return service_place(value, containers, api, compose, f"--client {flag}", project_name)
    raise MdnError(f"--client {flag!r}: expected host, container:NAME or service:NAME")


def service_place(
    service: str,
    containers: Sequence[Container],
    api: DockerApi | None,
    compose: Any,
    reason: str,
    project_name: str | None = None,
) -> ClientPlace:
    """The client of a Compose service: its running container when there is one, else the file's view."""
    project = getattr(compose, "name", None) or project_name
    live = [c for c in containers if c.compose_service == service and (project is None or c.compose_project == project)]
    if not live and project is not None:  # a stack deployed from the Compose file: the service's running tasks
        live = [c for c in containers if c.swarm_service == f"{project}_{service}" and c.stack == project]
    live.sort(key=lambda c: not c.running)
    if len({c.compose_project for c in live}) > 1:
        projects = ", ".join(sorted({str(c.compose_project) for c in live}))
        raise MdnError(
            f"service {service!r} runs in several Compose projects ({projects}): "
            "pass --project-name or --client container:NAME"
        )
    if live:
        return container_place(live[0], api, reason)
    svc = compose.service(service) if compose is not None else None
    if svc is None:
        raise MdnError(f"no running container and no Compose service is called {service!r}")
    engine_names = {n.key: n.name for n in compose.networks}
    return ClientPlace(
        "container",
        name=service,
        reason=reason + " (not running: judged from the Compose file)",
        service=service,
        project=compose.name,
        networks=tuple(engine_names.get(n.key, f"{compose.name}_{n.key}") for n in svc.networks),
        network_mode=svc.network_mode or "",
        extra_hosts=tuple(svc.extra_hosts),
    )


def container_place(c: Container, api: DockerApi | None, reason: str) -> ClientPlace:
    return ClientPlace(
        "container",
        name=c.name,
        reason=reason,
        container_id=c.id,
        service=c.compose_service or _short(c.swarm_service, c.stack),
        project=c.compose_project or c.stack,
        networks=tuple(a.network for a in c.networks),
        network_mode=c.network_mode,
        extra_hosts=extra_hosts(api, c.id) if api is not None else (),
    )


def _short(swarm_service: str | None, stack: str | None) -> str | None:
    """A stack's service by its name in the stack file."""
    if swarm_service and stack and swarm_service.startswith(f"{stack}_"):
        return swarm_service[len(stack) + 1 :]
    return swarm_service


def _from_mounts(path: str, containers: Sequence[Container], api: DockerApi | None) -> ClientPlace | None:
    real = os.path.realpath(path)
    for c in containers:
        if not c.running or _is_me(c):
            continue
        for m in c.mounts:
            if m.type != "bind" or not m.source:
                continue
            if real == m.source:
                reason = f"the config is mounted at {m.destination} (as a single file)"
                return container_place(c, api, reason)
            if real.startswith(m.source.rstrip("/") + "/"):
                inside = m.destination.rstrip("/") + real[len(m.source.rstrip("/")) :]
                return container_place(c, api, f"the config is mounted at {inside}")
    return None


def _is_me(c: Container) -> bool:
    """mcp-dockernet's own sidecar container mounts the configs too; it is not their client."""
    own = own_container_id()
    return own is not None and c.id.startswith(own)
