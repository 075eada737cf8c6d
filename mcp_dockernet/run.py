"""The wiring of one diagnosis: build the real clients, load, collect, place, probe, judge.

`doctor`, `fix` and `watch` all go through `diagnose`, so they see a project the same way.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, replace
from typing import Any

from mcp_dockernet import engine
from mcp_dockernet.collectors.client_view import MountSite, View, mount_sites, read_view
from mcp_dockernet.collectors.docker_engine import collect_engine
from mcp_dockernet.collectors.endpoint import Endpoint, choose_endpoint, ssh_unsupported, unreachable
from mcp_dockernet.collectors.host import collect_host
from mcp_dockernet.collectors.placement import place_clients, service_place
from mcp_dockernet.collectors.self_container import own_container_id
from mcp_dockernet.compose.entries import compose_configs, service_of
from mcp_dockernet.compose.mounts import MountedConfig, is_compose_file, mounted_configs
from mcp_dockernet.errors import EngineError, MdnError
from mcp_dockernet.mcpconfig.clients import CLIENTS, discover
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.model import ClientPlace, ConfigFile, EngineState, HostState, ProbeTarget, Snapshot, Unavailable
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
    discover: bool = True  # False: --config named only Compose files, so no other config is looked for
    launch: bool = False  # --launch: start each stdio entry as its client would and speak MCP to it
    launch_timeout: float = 15.0  # seconds a launch may take: a first npx/uvx run or docker run needs more than a probe
    # The files alone (doctor --static, the pre-commit hook in cli_precommit.py): no engine, no host sockets, no look at
    # this machine's PATH or images, no other config discovered; a named file without servers is no error.
    static: bool = False


STATIC = "not read: a static check (--static, the pre-commit hook) judges the files alone"


@dataclass
class Diagnosis:
    configs: list[ConfigFile]
    report: Report
    snapshot: Snapshot
    compose: Any = None
    mounted: tuple[str, ...] = ()  # config paths found through a Compose service's bind mount
    endpoint: Endpoint | None = None  # the engine chosen as the docker CLI would (None: a context that does not exist)
    api: Any = None  # its client, when it answered; fixes read the configs back through it
    sockets_read: str | None = None  # how the containers' sockets were read ("helper:IMAGE", "netlink", ...)


API_TIMEOUT = 10  # seconds per engine call


def _import_docker(*, ssh: bool) -> Any:
    """The docker SDK, imported when first needed (it is slow to import; --help should not wait).

    Its ssh transport imports paramiko at once, whatever the endpoint: with the `remote` extra
    installed that is ~100-240 ms more on every run (paramiko, invoke, cryptography). For an
    endpoint that is not ssh:// the import of paramiko is refused while the SDK loads, so the SDK
    goes without its ssh adapter in this process; a process serves one endpoint.
    """
    if ssh or "docker" in sys.modules or "paramiko" in sys.modules:
        import docker

        return docker
    sys.modules["paramiko"] = None  # type: ignore[assignment]  # None makes `import paramiko` raise ImportError
    try:
        import docker

        return docker
    finally:
        del sys.modules["paramiko"]


def docker_api(endpoint: Endpoint | None = None) -> Any:
    """A client of the engine the docker CLI would use; EngineError (one plain sentence) if it does not answer."""
    ep = endpoint or choose_endpoint()
    docker = _import_docker(ssh=ep.scheme == "ssh")
    kwargs: dict[str, Any] = {}
    if ep.tls is not None:
        kwargs["tls"] = docker.tls.TLSConfig(
            client_cert=ep.tls.client_cert, ca_cert=ep.tls.ca_cert, verify=ep.tls.verify
        )
    if ep.scheme == "ssh":
        kwargs["use_ssh_client"] = True  # the ssh CLI, with the user's ssh config and agent
        if (no_ssh := ssh_unsupported(ep)) is not None:
            raise no_ssh
    try:  # version="auto" asks the engine at once: this is where an absent engine shows
        return _client_class(docker)(base_url=ep.url, version="auto", timeout=API_TIMEOUT, **kwargs)
    except Exception as e:
        raise unreachable(ep, e, API_TIMEOUT) from e


def _client_class(docker: Any) -> Any:
    """docker.APIClient whose TLS CA (a context's or DOCKER_CERT_PATH's ca.pem) is not replaced by the environment's.

    requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a Session's own ``verify`` path
    (psf/requests#3829), so with either set (common behind a corporate proxy) the engine's certificate
    was checked against the wrong CAs and a TLS engine the docker CLI reaches did not answer here.
    """

    class EngineClient(docker.APIClient):  # type: ignore[misc,name-defined]
        def merge_environment_settings(self, url, proxies, stream, verify, cert):  # type: ignore[no-untyped-def]
            if verify is None and isinstance(self.verify, str):
                verify = self.verify
            return super().merge_environment_settings(url, proxies, stream, verify, cert)

    return EngineClient


def load_compose(sel: Selection) -> Any:
    """The Compose project named by --compose, or the one in the project directory, if any."""
    directory = sel.project_dir or os.getcwd()
    if not sel.compose_files and not any(os.path.isfile(os.path.join(directory, n)) for n in COMPOSE_NAMES):
        return None
    from mcp_dockernet.compose.load import load_project

    return load_project(sel.compose_files, project_dir=sel.project_dir, project_name=sel.project_name)


def load_configs(sel: Selection, compose: Any, mounted: tuple[MountedConfig, ...] = ()) -> list[ConfigFile]:
    """The configs named by --config (else those discovered), the Compose entries, the mounted configs.

    A file is loaded once: a config that a service mounts is that service's (the mount wins over
    discovery), but one given with --config keeps how it was given (--client-type).
    """
    if sel.client_type is not None and sel.client_type not in CLIENTS:
        raise MdnError(f"--client-type {sel.client_type!r}: known clients are {', '.join(CLIENTS)}")
    kind = CLIENTS[sel.client_type] if sel.client_type else None
    by_mount = {os.path.realpath(m.path) for m in mounted}
    if sel.configs or not sel.discover:
        configs = [load_config(p, kind, explicit=not sel.static) for p in sel.configs]
    else:
        found = discover(sel.project_dir or os.getcwd())
        configs = [load_config(path, k) for path, k in found if _real(path) not in by_mount]
    given = {_real(c.path) for c in configs}
    configs += [m.config for m in mounted if _real(m.path) not in given]
    if compose is not None:
        configs += list(compose_configs(compose))
    if not configs and not sel.static:
        raise MdnError("no MCP client config found for this user or project; pass --config PATH or --compose FILE")
    return configs


def _real(path: str) -> str:
    return os.path.realpath(path)


def compose_named(sel: Selection) -> Selection:
    """A Compose file given with --config is a Compose file all the same: read (and guarded) as one."""
    found = tuple(p for p in sel.configs if is_compose_file(p))
    if not found:
        return sel
    files = sel.compose_files + tuple(p for p in found if p not in sel.compose_files)
    rest = tuple(p for p in sel.configs if p not in found)
    return replace(sel, configs=rest, compose_files=files, discover=bool(rest))


def compose_paths(diagnosis: Diagnosis) -> frozenset[str]:
    """Real paths of the files no write may touch without --edit-compose."""
    files = list(getattr(diagnosis.compose, "files", ()) or ())
    files += [c.path for c in diagnosis.configs if c.client == "compose"]
    return frozenset(_real(f) for f in files)


def diagnose(sel: Selection, *, debug: bool = False, remembered: tuple[tuple[str, str], ...] = ()) -> Diagnosis:
    import psutil

    sel = compose_named(sel)
    compose = load_compose(sel)
    mounted = mounted_configs(compose) if compose is not None else ()
    configs = load_configs(sel, compose, mounted)
    engine_state: EngineState | Unavailable
    endpoint: Endpoint | None = None
    api: Any = None
    if sel.static:
        engine_state = Unavailable(STATIC)
    else:
        try:
            endpoint = choose_endpoint()  # once per run: the engine, the host sockets and the report all use it
            api, engine_state = _connect(endpoint)
        except EngineError as e:
            if compose is None and sel.probe:
                raise
            # static mode (a Compose project, or --no-probe): the verdicts the files decide; rules needing
            # the engine say skipped, and why
            engine_state = Unavailable(_without_engine(e))
    places = place_clients(configs, engine_state, api, sel.client, compose, sel.project_name)
    places += _compose_places(configs, engine_state, api, compose)
    if sel.client is None:  # told with --client, the client is where the user says
        places += _mount_places(mounted, configs, engine_state, api, compose)
    if endpoint is not None and not endpoint.local:  # its containers run on the engine's host, not here
        places = tuple((k, replace(p, remote_engine=True) if p.kind != "host" else p) for k, p in places)
    host_state = Unavailable(STATIC) if sel.static else _host_state(psutil, endpoint)
    ways: list[str] = []  # how the containers' sockets were read, for the report
    snap = engine.build_snapshot(
        configs,
        engine_state,
        host_state,
        probe=sel.probe,
        timeout=sel.timeout,
        places=places,
        compose=compose,
        listeners=_listener_source(api, ways),
        remembered=remembered,
        prober=_prober(api, _networks_of_own_container(engine_state), places),
        stdio=None if sel.static else _stdio_source(api, endpoint),
        launcher=_launcher(sel, api) if sel.launch else None,
        here=_here(psutil, endpoint, sel),
    )
    paths = {_real(m.path) for m in mounted}
    mine = tuple(c.path for c in configs if c.client != "compose" and _real(c.path) in paths)
    report = engine.run(snap, debug=debug)
    return Diagnosis(configs, report, snap, compose, mine, endpoint, api, ", ".join(dict.fromkeys(ways)) or None)


def _host_state(psutil: Any, endpoint: Endpoint | None) -> HostState | Unavailable:
    """This machine's listening sockets, unless the engine runs on another machine: then they describe nothing here."""
    note = endpoint.remote_note() if endpoint is not None else None
    if note is not None:
        return Unavailable(note)
    return collect_host(psutil)


def _here(psutil: Any, endpoint: Endpoint | None, sel: Selection) -> HostState | None:
    """This machine's sockets when the engine is elsewhere: host clients run here (route/remote.py)."""
    if sel.static or endpoint is None or endpoint.local:
        return None
    found = collect_host(psutil)
    return found if isinstance(found, HostState) else None


def _connect(endpoint: Endpoint) -> tuple[Any, EngineState]:
    """The engine's client and state, or EngineError naming the endpoint, how it was chosen, and the next step."""
    api = docker_api(endpoint)
    try:
        state = collect_engine(api)
    except Exception as e:
        raise unreachable(endpoint, e, API_TIMEOUT) from e
    if not isinstance(state, Unavailable) and not endpoint.local:
        state = replace(state, remote_endpoint=endpoint.shown_url)  # localhost here is not the engine's host
    if isinstance(state, Unavailable):  # the handshake answered, the calls after it did not
        logging.getLogger(__name__).debug("engine at %s: %s", endpoint.shown_url, state.reason)
        problem = "it answered the version handshake, then not the container list"
        raise EngineError(
            f"cannot reach the Docker engine at {endpoint.describe()}: {problem}; run with --debug for the details",
            endpoint=endpoint.shown_url,
            chosen_by=endpoint.chosen_by,
            problem=problem,
        )
    return api, state


def _without_engine(e: EngineError) -> str:
    where = f" at {e.endpoint} ({e.chosen_by})" if e.endpoint else (f" ({e.chosen_by})" if e.chosen_by else "")
    return f"needs the Docker engine, and the one{where} is not reachable: {e.problem}"


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

    client_networks = {p.vantage: frozenset(p.networks) for _, p in places if p.vantage}

    def prober(targets: list[ProbeTarget], timeout: float, vantage: str = "host") -> tuple:
        """Results in the order of ``targets`` (the follow-up planner pairs them up)."""
        from mcp_dockernet.probes.vantage import probe_all  # the HTTP stack: only when something is probed

        shared = vantage != "host" and own_networks and client_networks.get(vantage, frozenset()) <= own_networks
        here = [t for t in targets if shared and _named_on_docker_network(t.url)]
        there = [t for t in targets if t not in here]
        direct = [replace(r, vantage=vantage, method="sidecar") for r in probe_all(here, timeout)]
        through = list(probe_all(there, timeout, vantage=vantage, docker_api=api))
        by_target = dict(zip(here, direct, strict=True)) | dict(zip(there, through, strict=True))
        return tuple(by_target[t] for t in targets)

    return prober


def _named_on_docker_network(url: str) -> bool:
    from mcp_dockernet.urls import HOST_ALIASES, is_loopback, parse_url

    parts = parse_url(url)
    return (
        parts is not None and not is_loopback(parts.host) and parts.host not in HOST_ALIASES and "." not in parts.host
    )


def _listener_source(api: Any, ways: list[str]) -> Any:
    """Read the sockets of every running container: any may be the server an entry means, even one
    that declares no port (collectors/listeners.py says how, and what it skips); ``ways`` gets how."""
    if api is None:
        return None
    from mcp_dockernet.collectors.listeners import read_listeners

    def read(snap: Snapshot) -> tuple:
        scan = read_listeners(api, snap.containers)
        ways.extend(scan.ways)
        return scan.listeners

    return read


def _stdio_source(api: Any, endpoint: Endpoint | None) -> Any:
    """What this machine says of each stdio entry's command, image and env, starting none of them."""
    from mcp_dockernet.collectors.stdio_host import stdio_facts

    url = endpoint.url if endpoint is not None else None
    return lambda snap: stdio_facts(snap.entries, api, os.environ, snap.places, endpoint_url=url)


def _launcher(sel: Selection, api: Any) -> Any:
    """--launch: the stdio entries whose client runs on this host, started as it would start them."""

    def launch(snap: Snapshot) -> tuple:
        from mcp_dockernet.probes.stdio_launch import launch_all

        entries = [
            e
            for e in snap.entries
            if e.url is None and e.stdio and not e.skip_reason and snap.place_of(e).kind == "host"
        ]
        return launch_all(entries, sel.launch_timeout, os.environ, docker_api=api) if entries else ()

    return launch


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


def mounted_in(snap: Snapshot, path: str) -> tuple[MountSite, ...]:
    """The running containers that bind-mount this config, however its client was placed."""
    return mount_sites(os.path.realpath(path), snap.containers, os.path.realpath)


def _mount_places(
    mounted: tuple[MountedConfig, ...],
    configs: list[ConfigFile],
    engine_state: EngineState | Unavailable,
    api: Any,
    compose: Any,
) -> tuple[tuple[str, ClientPlace], ...]:
    """Each mounted config's client is the service that mounts it (running or as the file says)."""
    containers = engine_state.containers if isinstance(engine_state, EngineState) else ()
    paths = {_real(c.path): c.path for c in configs if c.client != "compose"}
    places = []
    for m in mounted:
        key = paths.get(_real(m.path))
        if key is None:
            continue
        places.append((key, service_place(m.service, containers, api, compose, m.reason(compose))))
    return tuple(places)


def client_views(diagnosis: Diagnosis, sites: tuple[MountSite, ...]) -> tuple[View, ...]:
    """Read the config back from inside each container that mounts it, through the run's own engine client."""
    if diagnosis.api is None or diagnosis.endpoint is None:
        return tuple(View(s, None, "the Docker engine did not answer") for s in sites)
    return tuple(read_view(diagnosis.api, s, local=diagnosis.endpoint.local) for s in sites)
