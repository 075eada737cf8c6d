"""A snapshot factory for rule and route tables: one entry, its client placed anywhere, the engine around it.

Containers are given as small dicts of what matters (ports, networks, project, sockets), so a table row reads
as the situation it is: "an agent in project a, a server of project b on another network, listening on 8000".
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mcp_dockernet import engine
from mcp_dockernet.mcpconfig.docker_run import parse_docker_run
from mcp_dockernet.model import (
    ClientPlace,
    ConfigFile,
    Container,
    ContainerState,
    DockerRun,
    EngineState,
    HostState,
    Listener,
    NetworkAttachment,
    Outcome,
    PortBinding,
    ProbeResult,
    ServerEntry,
    Snapshot,
    Span,
    StdioCommand,
    StdioFacts,
    SwarmState,
    Unavailable,
)
from mcp_dockernet.report import ArgEdit, Finding, ServerReport
from mcp_dockernet.route import routes_of
from mcp_dockernet.rules import RULES


def box(
    name: str,
    *,
    project: str | None = None,
    service: str | None = None,
    networks: tuple[str, ...] = (),
    expose: tuple[int, ...] = (),
    publish: dict[int, int] | None = None,  # container port -> host port
    listen: tuple[int | tuple[str, int], ...] | None = None,  # ports (0.0.0.0) or (ip, port); None: not read
    state: ContainerState = ContainerState.RUNNING,
    exit_code: int | None = None,
    logs: tuple[str, ...] = (),
    network_mode: str = "",
) -> dict[str, Any]:
    return locals()


def _container(spec: dict[str, Any]) -> Container:
    ports = [PortBinding(p, "tcp") for p in spec["expose"] if p not in (spec["publish"] or {})]
    ports += [PortBinding(c, "tcp", "0.0.0.0", h) for c, h in (spec["publish"] or {}).items()]
    nets = tuple(NetworkAttachment(n, f"172.20.0.{i + 2}", ()) for i, n in enumerate(spec["networks"]))
    return Container(
        id=spec["name"] * 4,
        name=spec["name"],
        image="img",
        state=spec["state"],
        exit_code=spec["exit_code"],
        ports=tuple(ports),
        networks=nets,
        compose_project=spec["project"],
        compose_service=spec["service"],
        log_tail=spec["logs"],
        network_mode=spec["network_mode"],
    )


def _listeners(spec: dict[str, Any]) -> tuple[Listener, ...]:
    found = []
    for x in spec["listen"]:
        ip, port = x if isinstance(x, tuple) else ("0.0.0.0", x)
        found.append(Listener(ip, port, None, None))
    return tuple(found)


def client_in(spec: dict[str, Any], *, extra_hosts: tuple[tuple[str, str], ...] = ()) -> ClientPlace:
    """The client runs in this container (given to snapshot() among the containers too)."""
    return ClientPlace(
        "container",
        name=spec["name"],
        reason="test",
        container_id=spec["name"] * 4,
        service=spec["service"],
        project=spec["project"],
        networks=tuple(spec["networks"]),
        network_mode=spec["network_mode"],
        extra_hosts=extra_hosts,
    )


def probe(url: str, ok: bool = True, vantage: str = "host", outcome: Outcome | None = None) -> ProbeResult:
    # Spoken as streamable HTTP without headers: the factory's entry, so that probe_of(entry) finds it.
    asked = "streamable-http"
    if ok:
        return ProbeResult(
            url, Outcome.MCP, "ok", vantage=vantage, server_name="srv", transport=asked, requested_transport=asked
        )
    return ProbeResult(
        url, outcome or Outcome.REFUSED, "connection refused", vantage=vantage, requested_transport=asked
    )


def snapshot(
    url: str,
    boxes: list[dict[str, Any]] = (),  # type: ignore[assignment]
    *,
    client: ClientPlace | None = None,
    host_listeners: tuple[Listener, ...] = (),
    probes: tuple[ProbeResult, ...] = (),
    compose: Any = None,
    engine_up: bool = True,
    remembered: tuple[tuple[str, str], ...] = (),
    config: ConfigFile | None = None,  # a real config (settle.real_config); default: a Claude Code http entry
    swarm: SwarmState | None = None,  # the swarm the engine manages (its services' tasks are among the boxes)
) -> Snapshot:
    if config is None:
        entry = ServerEntry("s", "c.json", "claude-code", "mcpServers", 1, url, Span(0, 1), "streamable-http", True)
        config = ConfigFile("c.json", "claude-code", "{}", "x", (entry,), ())
    containers = tuple(_container(b) for b in boxes)
    listeners = tuple((_container(b).id, _listeners(b)) for b in boxes if b["listen"] is not None)
    state = EngineState(containers, swarm=swarm) if engine_up else Unavailable("no engine")
    return Snapshot(
        (config,),
        state,
        HostState(host_listeners),
        tuple(probes),
        probing=bool(probes),
        container_listeners=listeners,
        places=(("c.json", client),) if client else (),
        compose=compose,
        remembered=remembered,
    )


def judge(snap: Snapshot) -> tuple[list[str], ServerReport]:
    """The codes and the entry's report; a writable suggestion must also settle (settle.py: no flip-flop)."""
    report = engine.run(snap, debug=True)
    server = report.servers[0]
    if server.writable and (server.suggested_url or server.suggested_transport):
        from tests.unit.rules.settle import assert_settles

        assert_settles(snap)
    return [f.code for f in server.findings], server


# --- stdio entries: the command line, its docker run parse, what the machine says of it ---


def docker_run(args: tuple[str, ...], program: str = "docker", problem: str | None = None) -> DockerRun:
    """The real parse (mcpconfig/docker_run.py); ``problem`` stands in for a refusal the tables need."""
    run = parse_docker_run(program, args)
    assert run is not None, args
    return replace(run, problem=problem) if problem else run


def stdio_entry(
    command: str,
    args: tuple[str, ...] = (),
    *,
    env: tuple[tuple[str, str], ...] = (),
    cwd: str | None = None,
    env_file: str | None = None,
    name: str = "s",
    problem: str | None = None,
) -> ServerEntry:
    run = docker_run(args, command, problem) if command in ("docker", "podman") else None
    cmd = StdioCommand(command, args, env, cwd, env_file, raw_args=args, raw_env=env, docker=run)
    return ServerEntry(name, "c.json", "claude-code", "mcpServers", 1, None, None, "stdio", False, stdio=cmd)


def stdio_snapshot(
    *entries: ServerEntry,
    facts: StdioFacts | None = None,  # for every entry (default: the command found, nothing missing)
    flavour: str = "linux",
    engine_up: bool = True,
    rootless: bool = False,
    host_listeners: tuple[Listener, ...] = (),
    boxes: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> Snapshot:
    config = ConfigFile("c.json", "claude-code", "{}", "x", tuple(entries), ())
    found = facts if facts is not None else StdioFacts("/usr/bin/docker", image_present=True)
    containers = tuple(_container(b) for b in boxes)
    state = EngineState(containers, flavour=flavour, rootless=rootless) if engine_up else Unavailable("no engine")
    return Snapshot((config,), state, HostState(host_listeners), stdio=tuple((e.id, found) for e in entries))


def judge_stdio(snap: Snapshot) -> list[Finding]:
    """Every rule's findings with SUPERSEDES applied, as engine.run does (its stdio report is the lead's)."""
    routes = routes_of(snap)
    missing = {"engine"} if isinstance(snap.engine, Unavailable) else set()
    found = [f for r in RULES.values() if not (r.NEEDS & missing) for f in r.check(snap, routes)]
    return engine._without_superseded(found, RULES)


def apply_edits(args: tuple[str, ...], edits: tuple[ArgEdit, ...]) -> tuple[str, ...]:
    """The args after the edits (indexes refer to the original args; the highest goes first)."""
    out = list(args)
    for e in sorted(set(e for e in edits if e.kind != "replace-env"), key=lambda e: e.index, reverse=True):
        if e.kind == "insert-args":
            out[e.index : e.index] = list(e.words)
        elif e.kind == "replace-arg":
            assert out[e.index] == e.old
            out[e.index] = e.words[0]
        elif e.kind == "remove-arg":
            assert out[e.index] == e.old
            del out[e.index]
    return tuple(out)
