"""The wiring of one diagnosis: build the real clients, load, collect, place, probe, judge.

`doctor`, `fix` and `watch` all go through `diagnose`, so they see a project the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from mcp_dockernet import engine
from mcp_dockernet.collectors.docker_engine import collect_engine
from mcp_dockernet.collectors.host import collect_host
from mcp_dockernet.collectors.placement import place_clients, service_place
from mcp_dockernet.collectors.self_container import own_container_id
from mcp_dockernet.errors import EngineError, MdnError
from mcp_dockernet.loaders.clients import CLIENTS, discover
from mcp_dockernet.loaders.compose_entries import compose_configs, service_of
from mcp_dockernet.loaders.mcp_config import load_config
from mcp_dockernet.model import ClientPlace, ConfigFile, EngineState, MountInfo, Snapshot, Unavailable
from mcp_dockernet.report import Report

COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")


@dataclass(frozen=True)
class Selection:
    """What to look at: the selectors every command takes."""

    configs: tuple[str, ...] = ()
    project_dir: str | None = None
    client_type: str | None = None
    client: str | None = None  # host, container:NAME, service:NAME
    compose_files: tuple[str, ...] = ()
    project_name: str | None = None
    probe: bool = True
    timeout: float = 3.0


@dataclass
class Diagnosis:
    configs: list[ConfigFile]
    report: Report
    snapshot: Snapshot
    compose: Any = None


def docker_socket() -> str:
    return os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"


def docker_api() -> Any:
    import docker  # imported here: the docker SDK is slow to import and --help should not wait

    return docker.APIClient(base_url=docker_socket(), version="auto", timeout=10)


def load_compose(sel: Selection) -> Any:
    """The Compose project named by --compose, or the one in the project directory, if any."""
    directory = sel.project_dir or os.getcwd()
    if not sel.compose_files and not any(os.path.isfile(os.path.join(directory, n)) for n in COMPOSE_NAMES):
        return None
    from mcp_dockernet.loaders.compose import load_project

    return load_project(sel.compose_files, project_dir=sel.project_dir, project_name=sel.project_name)


def load_configs(sel: Selection, compose: Any) -> list[ConfigFile]:
    if sel.client_type is not None and sel.client_type not in CLIENTS:
        raise MdnError(f"--client-type {sel.client_type!r}: known clients are {', '.join(CLIENTS)}")
    kind = CLIENTS[sel.client_type] if sel.client_type else None
    if sel.configs:
        configs = [load_config(p, kind) for p in sel.configs]
    else:
        configs = [load_config(path, k) for path, k in discover(sel.project_dir or os.getcwd())]
    if compose is not None:
        configs += list(compose_configs(compose))
    if not configs:
        raise MdnError("no MCP client config found for this user or project; pass --config PATH or --compose FILE")
    return configs


def diagnose(sel: Selection, *, debug: bool = False, remembered: tuple[tuple[str, str], ...] = ()) -> Diagnosis:
    import psutil

    compose = load_compose(sel)
    configs = load_configs(sel, compose)
    api: Any = None
    try:
        api = docker_api()
        engine_state: EngineState | Unavailable = collect_engine(api)
    except Exception as e:  # building the client fails the same way the calls do
        engine_state = Unavailable(f"the Docker engine did not answer: {str(e).splitlines()[0]}")
    if isinstance(engine_state, Unavailable):
        if compose is None:
            raise EngineError(f"{docker_socket()}: {engine_state.reason}")
        api = None  # static mode: the verdicts the Compose files decide; rules needing the engine say skipped
    places = place_clients(configs, engine_state, api, sel.client, compose, sel.project_name)
    places += _compose_places(configs, engine_state, api, compose)
    host_state = collect_host(psutil)  # type: ignore[arg-type]
    snap = engine.build_snapshot(
        configs,
        engine_state,
        host_state,
        probe=sel.probe,
        timeout=sel.timeout,
        places=places,
        compose=compose,
        listeners=_listener_source(api),
        remembered=remembered,
        prober=_prober(api, _networks_of_own_container(engine_state), places),
    )
    return Diagnosis(configs, engine.run(snap, debug=debug), snap, compose)


def _networks_of_own_container(engine_state: EngineState | Unavailable) -> frozenset[str]:
    own = own_container_id()
    if own is None or not isinstance(engine_state, EngineState):
        return frozenset()
    me = next((c for c in engine_state.containers if c.id.startswith(own)), None)
    return frozenset(a.network for a in me.networks) if me else frozenset()


def _prober(api: Any, own_networks: frozenset[str], places: tuple[tuple[str, ClientPlace], ...]) -> Any:
    """Probes from the host, or from a container's namespace through the engine (probes/vantage.py).

    Run as a sidecar on every network of the client, we see the names the client sees: such URLs
    are probed from here, with no helper container (and no write access to the engine). Loopback
    and host names go through the client's own namespace, where they mean something else.
    """
    from dataclasses import replace

    from mcp_dockernet.probes.vantage import probe_all

    client_networks = {p.vantage: frozenset(p.networks) for _, p in places if p.vantage}

    def prober(targets: list[tuple[str, str]], timeout: float, vantage: str = "host") -> tuple:
        shared = vantage != "host" and own_networks and client_networks.get(vantage, frozenset()) <= own_networks
        here = [t for t in targets if shared and _named_on_docker_network(t[0])]
        there = [t for t in targets if t not in here]
        direct = tuple(replace(r, vantage=vantage, method="sidecar") for r in probe_all(here, timeout))
        return direct + tuple(probe_all(there, timeout, vantage=vantage, docker_api=api))

    return prober


def _named_on_docker_network(url: str) -> bool:
    from mcp_dockernet.reach import HOST_ALIAS
    from mcp_dockernet.resolve import is_loopback, parse_url

    parts = parse_url(url)
    return parts is not None and not is_loopback(parts.host) and parts.host != HOST_ALIAS and "." not in parts.host


def _listener_source(api: Any) -> Any:
    """Read the sockets of every running container: any may be the server an entry means, even one
    that declares no port (collectors/listeners.py says how, and what it skips)."""
    if api is None:
        return None
    from mcp_dockernet.collectors.listeners import read_listeners

    return lambda snap: read_listeners(api, snap.containers).listeners


def _compose_places(
    configs: list[ConfigFile], engine_state: EngineState | Unavailable, api: Any, compose: Any
) -> tuple[tuple[str, ClientPlace], ...]:
    containers = engine_state.containers if isinstance(engine_state, EngineState) else ()
    places = []
    for config in configs:
        if config.client != "compose":
            continue
        for entry in config.entries:
            service = service_of(entry)
            reason = f"the URL is in service {service}'s environment"
            places.append((f"{entry.config}#{entry.scope}", service_place(service, containers, api, compose, reason)))
    return tuple(places)


def single_file_mount(snap: Snapshot, path: str) -> MountInfo | None:
    """The bind mount that carries exactly this file into a client's container, if any."""
    real = os.path.realpath(path)
    for _key, place in snap.places:
        mount = place.config_mount
        if mount is not None and mount.source == real:
            return mount
    return None
