"""The route of one entry, as data: where its client runs, where its URL leads, which servers it may mean.

Built once per Snapshot (route/build.py), read by every rule, by the fix planner and the renderers.
The evidence on each candidate decides what may be written: see ``Choice``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from mcp_dockernet.model import ClientPlace, EntryId, Listener, ProbeResult, ServerEntry
from mcp_dockernet.route.peers import Peer
from mcp_dockernet.urls import UrlParts


class Scope(IntEnum):
    """How close a candidate server is to the client: the first thing a candidate is ranked by."""

    CLIENT = 0  # the client's own Compose project, or a container on a network the client shares
    SELECTED = 1  # the Compose project given by --compose / --project-dir (or found in the cwd); the host's processes
    ELSEWHERE = 2  # the rest of the engine: another project, or a container of no project


class Evidence(IntEnum):
    """How we know a candidate serves the port: the second thing a candidate is ranked by."""

    CONTRADICTED = 1  # declared, but its sockets were read and nothing listens there
    DECLARED = 2  # EXPOSE, expose:, ports: (intent)
    LISTENING = 3  # a socket in LISTEN state in its network namespace (truth)
    ANSWERED = 4  # an MCP handshake answered at the candidate's URL from the client's vantage


class Reach(StrEnum):
    """What stands between the client and a candidate (each is the condition of a finding)."""

    MOVED = "moved"  # published on another host port than the URL's (wrong-port)
    UNPUBLISHED = "unpublished"  # serves the port but publishes no host port for it (port-not-published)
    STOPPED = "stopped"  # not running (server-not-running)
    BY_NAME = "by-name"  # on a network the client shares: by name and container port
    VIA_HOST = "via-host"  # through the host: host.docker.internal and the published port
    ISOLATED = "isolated"  # on no network the client shares, and nothing published
    HOST_PROCESS = "host-process"  # a process of the host itself
    REMOTE = "remote"  # published on the engine's host, another machine than the client's (remote-engine-localhost)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A server the entry may mean, with how the client would reach it and what we know of it."""

    peer: Peer | None  # None: a host process
    port: int  # where it serves: its container port (a host process: the host port)
    scope: Scope
    evidence: Evidence
    reach: Reach
    url: str | None  # the URL that reaches it from where the client runs; None: no URL does, as things are
    probe: ProbeResult | None = None  # of ``url``, from the client's vantage
    listeners: tuple[Listener, ...] = ()  # its sockets on ``port``
    published: int | None = None  # the host port that reaches ``port``
    process: Listener | None = None  # for a host process: its socket

    @property
    def failed(self) -> bool:
        """A probe from the client's vantage went to its URL and got no MCP answer."""
        return self.probe is not None and not self.probe.ok

    @property
    def confirmed(self) -> bool:
        return self.probe is not None and self.probe.ok

    @property
    def name(self) -> str:
        if self.peer is not None:
            return self.peer.name
        return f"host process {self.process.process or '?'}" if self.process else "a host process"

    @property
    def label(self) -> str:
        if self.peer is None:
            where = f" (pid {self.process.pid}) on {self.process.ip}:{self.port}" if self.process else ""
            return self.name + where
        return self.peer.label

    def how_known(self) -> str:
        """The evidence in words, for the message of a finding."""
        if self.evidence is Evidence.ANSWERED:
            return "an MCP server answered there"
        if self.evidence is Evidence.LISTENING:
            where = ", ".join(sorted({x.ip for x in self.listeners})) or "?"
            return f"its process listens on port {self.port} ({where})"
        if self.evidence is Evidence.CONTRADICTED:
            return f"it declares port {self.port}, but nothing listens there"
        return f"it declares port {self.port}" + (f" ({self.peer.source})" if self.peer and self.peer.source else "")

    def scope_words(self) -> str:
        if self.scope is Scope.ELSEWHERE and self.peer is not None:
            return f"another project ({self.peer.project})" if self.peer.project else "outside the project"
        return ""


@dataclass(frozen=True, slots=True)
class Target:
    """What the URL as written reaches, before any candidate is considered."""

    kind: str  # see the constants below
    peers: tuple[tuple[Peer, int], ...] = ()  # (peer, container port) the URL leads to
    processes: tuple[Listener, ...] = ()  # host processes on the URL's port
    port: int = 0


CONTAINER = "container"  # a host URL on a port a container publishes
HOST_PROCESS = "host-process"  # a host URL on a port a host process listens on
NOTHING = "nothing"  # a host URL on a port nothing is known to serve
SELF = "self"  # loopback inside the client's own container
HOST = "host"  # host.docker.internal or the gateway, from a container
PEER = "peer"  # a name that resolves on a network the client shares
UNREACHABLE_PEER = "unreachable-peer"  # a name of a container on no network the client shares
UNKNOWN_NAME = "unknown-name"  # a plain name nothing is called, where the client runs
DOCKER_NAME = "docker-name"  # a Docker name used from the host, where it does not resolve
ENGINE_HOST = "engine-host"  # a host URL on loopback, the engine on another machine: its publishers are there
ELSEWHERE = "elsewhere"  # any other host (a real domain, an address): not ours to judge


@dataclass(frozen=True, slots=True)
class Choice:
    """The candidate the evidence points at, and whether it may be written without asking.

    Ranked by scope, then evidence; a candidate whose URL a probe saw fail is never chosen.
    Written only when it is in the client's scope, or the only candidate and confirmed by an
    MCP answer from where the client runs. Several at the same rank: listed, nothing written.
    """

    chosen: Candidate | None
    among: tuple[Candidate, ...]
    writable: bool
    why_not: str = ""  # why a chosen suggestion is not written


@dataclass(frozen=True, slots=True)
class Route:
    id: EntryId
    entry: ServerEntry
    place: ClientPlace
    url: str  # the effective URL (placeholders filled in)
    parts: UrlParts
    probe: ProbeResult | None  # of ``url`` from the client's vantage
    target: Target
    candidates: tuple[Candidate, ...]  # best first
    choice: Choice

    @property
    def from_host(self) -> bool:
        return self.place.kind == "host" or self.place.network_mode == "host"

    @property
    def works(self) -> bool:
        return self.probe is not None and self.probe.ok
