"""Read the Docker engine's containers into facts, with as few API calls as the engine allows.

One list call covers every container (names, state, published ports, networks, labels). Only
containers that are not running cost more: their live port map is empty, so their intended
bindings come from an inspect, and their last log lines explain why they stopped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any, Protocol

from mcp_dockernet.collectors.swarm import collect_swarm
from mcp_dockernet.model import (
    Container,
    ContainerState,
    EngineState,
    MountInfo,
    NetworkAttachment,
    PortBinding,
    Unavailable,
)

log = logging.getLogger(__name__)
LOG_LINES = 5
MAX_STOPPED_DETAILS = 50  # bound the per-container calls on hosts with many dead containers
_EXIT_STATUS = re.compile(r"Exited \((-?\d+)\)")


class DockerApi(Protocol):
    """The part of docker.APIClient we use, so tests can pass a fake."""

    def containers(self, all: bool = ...) -> list[dict[str, Any]]: ...
    def inspect_container(self, container: str) -> dict[str, Any]: ...
    def logs(self, container: str, *, tail: int = ..., stdout: bool = ..., stderr: bool = ...) -> bytes: ...
    def info(self) -> dict[str, Any]: ...


def collect_engine(api: DockerApi) -> EngineState | Unavailable:
    try:
        info = api.info()
        summaries = api.containers(all=True)
    except Exception as e:  # the docker SDK raises several unrelated types for "no engine"
        return Unavailable(f"the Docker engine did not answer: {_short(e)}")
    stopped = [s for s in summaries if s.get("State") != "running"]
    stopped.sort(key=lambda s: s.get("Created", 0), reverse=True)
    detailed = {s["Id"] for s in stopped[:MAX_STOPPED_DETAILS]}
    containers = []
    for summary in summaries:
        container = _from_summary(summary)
        if summary["Id"] in detailed:
            container = _with_stopped_details(api, container)
        containers.append(container)
    flavour = flavour_of(info)
    if flavour == "podman":  # its compat list hides pods: one more call, to Podman's own list
        from mcp_dockernet.collectors.podman import with_pods

        containers = list(with_pods(api, tuple(containers)))
    return EngineState(
        containers=tuple(containers),
        server_version=str(info.get("ServerVersion", "")),
        operating_system=str(info.get("OperatingSystem", "")),
        flavour=flavour,
        rootless=info.get("Rootless") is True or any("rootless" in str(o) for o in info.get("SecurityOptions") or ()),
        swarm=collect_swarm(api, info),
    )


def flavour_of(info: dict[str, Any], version: dict[str, Any] | None = None) -> str:
    """Which product runs the engine: it decides whether host.docker.internal resolves by itself.

    The signals are the ones docker-networking.md section 2.4 collects (OperatingSystem, Name).
    Podman (seen on 4.3.1's compat /info): ServerVersion is its bare version ("4.3.1"), OperatingSystem
    the host's ("debian"); what marks it is the BuildahVersion key (and Rootless), and in /version a
    component named "Podman Engine".
    """
    components = [str(c.get("Name", "")) for c in (version or {}).get("Components") or () if isinstance(c, dict)]
    if "Podman Engine" in components:
        return "podman"
    os_name = str(info.get("OperatingSystem", ""))
    name = str(info.get("Name", "")).lower()
    if os_name.startswith("Docker Desktop") or "docker-desktop" in name:
        return "docker-desktop"
    if os_name.startswith("OrbStack") or "orbstack" in name:
        return "orbstack"
    if os_name.startswith("Rancher Desktop") or "rancher-desktop" in name:
        return "rancher-desktop"
    if name.startswith("colima"):
        return "colima"
    if "BuildahVersion" in info or "podman" in str(info.get("ServerVersion", "")).lower():
        return "podman"
    return "linux"


PRODUCTS = {
    "podman": "Podman",
    "docker-desktop": "Docker Desktop",
    "orbstack": "OrbStack",
    "colima": "Colima",
    "rancher-desktop": "Rancher Desktop",
}


def product_of(state: object) -> str | None:
    """The engine's product for the report ("Podman 4.3.1, rootful"); None for a plain Linux Docker engine."""
    if not isinstance(state, EngineState) or state.flavour not in PRODUCTS:
        return None
    name = PRODUCTS[state.flavour]
    if state.flavour == "podman":
        return f"{name} {state.server_version}".rstrip() + (", rootless" if state.rootless else ", rootful")
    return name + (", rootless" if state.rootless else "")


def extra_hosts(api: DockerApi, container_id: str) -> tuple[tuple[str, str], ...]:
    """A container's extra /etc/hosts entries (not in the list call: one inspect, for clients only)."""
    try:
        attrs = api.inspect_container(container_id)
    except Exception as e:
        log.debug("cannot inspect %s: %s", container_id, e)
        return ()
    entries = (attrs.get("HostConfig") or {}).get("ExtraHosts") or []
    return tuple((h, ip) for h, _, ip in (str(e).partition(":") for e in entries))


def _from_summary(s: dict[str, Any]) -> Container:
    labels = s.get("Labels") or {}
    state = _state(s.get("State", ""))
    match = _EXIT_STATUS.search(s.get("Status", ""))
    networks = tuple(
        NetworkAttachment(name, net.get("IPAddress") or "", tuple(net.get("Aliases") or ()))
        for name, net in ((s.get("NetworkSettings") or {}).get("Networks") or {}).items()
    )
    return Container(
        id=s["Id"],
        name=(s.get("Names") or ["/" + s["Id"][:12]])[0].lstrip("/"),
        image=s.get("Image", ""),
        state=state,
        exit_code=int(match.group(1)) if match else None,
        ports=_dedupe(_summary_ports(s.get("Ports") or [])),
        networks=networks,
        compose_project=labels.get("com.docker.compose.project"),
        compose_service=labels.get("com.docker.compose.service"),
        compose_files=tuple(f for f in labels.get("com.docker.compose.project.config_files", "").split(",") if f),
        network_mode=str((s.get("HostConfig") or {}).get("NetworkMode", "")),
        swarm_service=labels.get("com.docker.swarm.service.name"),
        stack=labels.get("com.docker.stack.namespace"),
        command=str(s.get("Command") or ""),
        mounts=tuple(
            MountInfo(m.get("Type", ""), m.get("Source", ""), m.get("Destination", ""), not m.get("RW", True))
            for m in s.get("Mounts") or ()
        ),
    )


def _summary_ports(ports: list[dict[str, Any]]) -> list[PortBinding]:
    return [
        PortBinding(int(p["PrivatePort"]), p.get("Type", "tcp"), p.get("IP"), p.get("PublicPort"))
        for p in ports
        if "PrivatePort" in p
    ]


def _dedupe(bindings: list[PortBinding]) -> tuple[PortBinding, ...]:
    """One binding per container port and host port: the engine lists 0.0.0.0 and :: separately."""
    seen: dict[tuple[int, str, int | None], PortBinding] = {}
    for b in bindings:
        seen.setdefault((b.container_port, b.protocol, b.host_port), b)
    return tuple(seen.values())


def _with_stopped_details(api: DockerApi, c: Container) -> Container:
    """Intended port bindings (the live map is empty once stopped) and the last log lines."""
    try:
        attrs = api.inspect_container(c.id)
        raw_logs = api.logs(c.id, tail=LOG_LINES, stdout=True, stderr=True)
    except Exception as e:
        log.debug("could not inspect stopped container %s: %s", c.name, e)
        return c
    bindings = [
        PortBinding(int(port), proto, b.get("HostIp") or None, int(b["HostPort"]) if b.get("HostPort") else None)
        for key, binds in ((attrs.get("HostConfig") or {}).get("PortBindings") or {}).items()
        for port, proto in [key.split("/", 1)]
        for b in (binds or [])
    ]
    exposed = [
        PortBinding(int(port), proto)
        for key in ((attrs.get("Config") or {}).get("ExposedPorts") or {})
        for port, proto in [key.split("/", 1)]
    ]
    state = attrs.get("State") or {}
    lines = tuple(line for line in raw_logs.decode("utf-8", "replace").splitlines() if line.strip())
    exit_code = state.get("ExitCode", c.exit_code)
    return replace(
        c,
        state=_state(state.get("Status", c.state.value)),
        exit_code=exit_code if isinstance(exit_code, int) else c.exit_code,
        ports=_dedupe(
            bindings + [e for e in exposed if not any(b.container_port == e.container_port for b in bindings)]
        ),
        log_tail=lines[-LOG_LINES:],
    )


def _state(value: str) -> ContainerState:
    try:
        return ContainerState(value)
    except ValueError:
        return ContainerState.DEAD


def _short(e: Exception) -> str:
    text = str(e) or type(e).__name__
    return text.splitlines()[0][:300]
