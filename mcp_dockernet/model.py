"""Frozen facts: what the config and Compose loaders, collectors and probes saw, gathered in one Snapshot.

Every fact is immutable and made of tuples, so rules can share them freely. "Could not look"
is a fact too (``Unavailable``), never an exception: the rules that need it are skipped.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple
from urllib.parse import urlsplit

# What a client does with an entry's URL (the report states the transport it will really use);
# re-exported here, where the rest of the code has always found them.
from mcp_dockernet.transports import HTTP_THEN_SSE as HTTP_THEN_SSE
from mcp_dockernet.transports import SSE as SSE
from mcp_dockernet.transports import STREAMABLE_HTTP as STREAMABLE_HTTP


@dataclass(frozen=True, slots=True)
class Unavailable:
    """A source we could not read, and why (shown to the user as the reason rules were skipped)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Span:
    """A character range of a config file's text: where a value sits, for byte-exact edits."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EntryId:
    """Which entry of which config: the identity findings, probes and fixes refer to."""

    config: str
    scope: str
    name: str

    def __str__(self) -> str:
        return f"{self.config}#{self.scope}.{self.name}"


@dataclass(frozen=True, slots=True)
class DockerFlag:
    """One flag of a ``docker run`` command line, where it sits in the entry's args."""

    name: str  # the docker CLI's long name without dashes: "interactive", "env", "publish", "add-host"
    value: str | None  # None: a boolean flag given bare (-i, --rm); else its value ("false" for --rm=false)
    index: int  # the args index of the word that holds the flag (-it: both flags have its index)
    value_index: int | None = None  # the args index of a separate value word (-e NAME); None: inline or none
    bundled: bool = False  # part of a short-flag bundle such as -it or -dit

    @property
    def on(self) -> bool:
        """A boolean flag's effect: bare, =true or =1 turn it on (pflag's ParseBool)."""
        return self.value is None or self.value.lower() in ("1", "t", "true")


@dataclass(frozen=True, slots=True)
class DockerRun:
    """A ``docker run`` (or ``docker container run``, ``podman run``) command line as the CLI parses it.

    Indexes refer to the entry's ``args`` (the command itself is not in them).
    """

    program: str  # docker or podman
    run_index: int  # the args index of the word "run"
    global_flags: tuple[DockerFlag, ...] = ()  # before the subcommand: --context, -H/--host, --config, ...
    flags: tuple[DockerFlag, ...] = ()  # the run flags, in order
    image: str | None = None  # None: no image word (the CLI would refuse)
    image_index: int | None = None
    container_args: tuple[str, ...] = field(default=(), repr=False)  # after the image: the container's command
    problem: str | None = None  # what the CLI would refuse: an unknown flag, a flag without its value, no image

    def all(self, name: str) -> tuple[DockerFlag, ...]:
        return tuple(f for f in self.flags if f.name == name)

    def values(self, name: str) -> tuple[str, ...]:
        """Every value of a repeatable flag (-e, -p, --add-host), in order."""
        return tuple(f.value for f in self.all(name) if f.value is not None)

    def on(self, name: str) -> bool:
        """Whether a boolean flag is in effect: the last occurrence wins, as in pflag."""
        given = self.all(name)
        return bool(given) and given[-1].on


@dataclass(frozen=True, slots=True)
class StdioCommand:
    """The process a client spawns for a stdio server: its command line, environment and directory.

    Values have their placeholders filled in as the client would; ``raw_args`` / ``raw_env`` keep
    what the file says (edits splice those). args and env often hold secrets (``--api-key sk-...``,
    tokens in env): repr off, shown only through redact.redact_argv.
    """

    command: str
    args: tuple[str, ...] = field(default=(), repr=False)
    env: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # the entry's env, merged over the client's
    cwd: str | None = None
    env_file: str | None = None  # VS Code's envFile
    passthrough_env: tuple[
        str, ...
    ] = ()  # names the client copies from its own environment (Codex env_vars, Goose env_keys)
    raw_args: tuple[str, ...] = field(default=(), repr=False)
    raw_env: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    command_span: Span | None = None  # the command string's token in the file, quotes included
    arg_spans: tuple[Span | None, ...] = ()  # each args element's token (None: not a plain string token)
    env_spans: tuple[tuple[str, Span], ...] = ()  # each env value's token, by name
    unresolved: tuple[str, ...] = ()  # placeholders with no known value here
    docker: DockerRun | None = None  # parsed when the command runs a container (mcpconfig/docker_run.py)


@dataclass(frozen=True, slots=True)
class ServerEntry:
    """One MCP server entry of a client config."""

    name: str
    config: str  # the file's path as the user gave it or as it was found
    client: str  # the client kind, e.g. "claude-code"
    scope: str  # where in the file, e.g. "mcpServers" or "projects./repo.mcpServers"
    line: int
    url: str | None  # None: not an HTTP entry (stdio)
    url_span: Span | None  # the URL string's characters inside the file, quotes included
    transport: str  # STREAMABLE_HTTP, SSE, HTTP_THEN_SSE, or "stdio"
    transport_declared: bool  # the entry names its transport (False: the client's default)
    # The URL with its placeholders (${VAR}, ${env:VAR}, ...) filled in where the value is known;
    # None when the URL has none. Probes and rules use effective_url, edits keep `url`'s placeholders.
    resolved_url: str | None = None
    unresolved: tuple[str, ...] = ()  # placeholders whose value is unknown here
    # Set when the client would not use this entry as written (disabled, no "type" for Roo Code,
    # a transport we do not check): the entry is reported as skipped with this reason, never probed.
    skip_reason: str | None = None
    # The HTTP headers the client sends with every request to this server (Authorization, API keys),
    # values with their placeholders filled in as the client would. Secret: never rendered, never
    # logged, sent only to the entry's own URL (same scheme, host and port). repr=False keeps them
    # out of tracebacks and debug logs.
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    # Names of configured headers whose value holds a placeholder unknown here (${input:x}, an unset
    # variable): the probe goes without them, and says so.
    unresolved_headers: tuple[str, ...] = ()
    # The stdio bridge whose args carry the URL (mcp-remote, mcp-proxy, supergateway), None for a URL
    # entry: its transport is set by the bridge's flag, not by a "type" key (mcpconfig/bridges.py).
    bridge: str | None = None
    # How the client starts the server when the entry has a command (stdio servers, and bridges).
    stdio: StdioCommand | None = None

    @property
    def id(self) -> EntryId:
        return EntryId(self.config, self.scope, self.name)

    @property
    def effective_url(self) -> str | None:
        if self.url is None or self.unresolved or self.skip_reason:
            return None
        return self.resolved_url or self.url


@dataclass(frozen=True, slots=True)
class ConfigFile:
    path: str
    client: str
    text: str
    sha256: str  # of the raw bytes, to refuse a write when the file changed underneath
    entries: tuple[ServerEntry, ...]
    secret_spans: tuple[Span, ...]  # values that must never be shown (headers, env, tokens)
    has_bom: bool = False
    format: str = ""  # json, jsonc, yaml, toml: how a replaced value is written ("": as JSON)


@dataclass(frozen=True, slots=True)
class PortBinding:
    """A container port and, when published, the host address and port that reach it."""

    container_port: int
    protocol: str
    host_ip: str | None = None
    host_port: int | None = None


@dataclass(frozen=True, slots=True)
class NetworkAttachment:
    network: str
    ip: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MountInfo:
    """A container mount: for binds, the host path (source) that appears at destination."""

    type: str
    source: str
    destination: str
    read_only: bool = False


class ContainerState(StrEnum):
    RUNNING = "running"
    RESTARTING = "restarting"
    EXITED = "exited"
    CREATED = "created"
    PAUSED = "paused"
    DEAD = "dead"
    REMOVING = "removing"


@dataclass(frozen=True, slots=True)
class Container:
    id: str
    name: str
    image: str
    state: ContainerState
    exit_code: int | None = None
    ports: tuple[PortBinding, ...] = ()  # published and exposed ports, live or (when stopped) intended
    networks: tuple[NetworkAttachment, ...] = ()
    compose_project: str | None = None
    compose_service: str | None = None
    compose_files: tuple[str, ...] = ()
    log_tail: tuple[str, ...] = ()  # last lines of a container that is not running
    network_mode: str = ""  # HostConfig.NetworkMode: bridge, host, none, container:ID, or a network name
    mounts: tuple[MountInfo, ...] = ()
    hostname: str = ""
    command: str = ""  # the engine's summary of what it runs (entrypoint and args): a hint at the server's library
    swarm_service: str | None = None  # a Swarm task's service (label com.docker.swarm.service.name), full name
    stack: str | None = None  # its stack (label com.docker.stack.namespace): the Compose project it came from
    pod: str | None = None  # Podman: the pod it is in (its network namespace is the pod's infra container's)

    @property
    def running(self) -> bool:
        return self.state is ContainerState.RUNNING

    def published(self, host_port: int) -> tuple[PortBinding, ...]:
        return tuple(p for p in self.ports if p.host_port == host_port and p.protocol == "tcp")

    @property
    def label(self) -> str:
        if self.compose_service and self.compose_project:
            return f"{self.name} (service {self.compose_service} of Compose project {self.compose_project})"
        if self.pod:
            return f"{self.name} (pod {self.pod})"
        return self.name


# Engine flavours that resolve their name of the host without an extra_hosts entry: host.docker.internal,
# or on Podman host.containers.internal (urls.host_alias).
FLAVOURS_WITH_HOST_DNS = frozenset({"docker-desktop", "orbstack", "colima", "podman"})


@dataclass(frozen=True, slots=True)
class ServicePort:
    """A port of a Swarm service's endpoint spec: the task port, and where the node publishes it."""

    target: int
    published: int | None
    protocol: str = "tcp"
    mode: str = "ingress"  # ingress: the routing mesh, on every node's port (no binding on the task); host: the task's


@dataclass(frozen=True, slots=True)
class SwarmNetwork:
    name: str
    attachable: bool  # a container that is no task may join it (docker run --network, Compose external)
    ingress: bool = False  # the routing mesh's own network: no names resolve on it
    stack: str | None = None


@dataclass(frozen=True, slots=True)
class SwarmService:
    """A Swarm service (docker service / stack deploy) and its running tasks' containers."""

    id: str
    name: str  # the full name: <stack>_<service> when deployed as a stack
    stack: str | None = None  # label com.docker.stack.namespace: the stack (the Compose project it was deployed as)
    ports: tuple[ServicePort, ...] = ()
    networks: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (network name, aliases on it), the ingress network too
    endpoint_mode: str = "vip"  # vip: the name resolves to a virtual IP (IPVS); dnsrr: to the tasks' own addresses
    replicas: int | None = None  # None: a global service
    tasks: tuple[str, ...] = ()  # ids of the running tasks' containers
    vips: tuple[tuple[str, str], ...] = ()  # (network name, virtual IP)

    @property
    def short_name(self) -> str:
        """The name in the stack file (the alias its stack network gives it)."""
        prefix = f"{self.stack}_" if self.stack else ""
        return self.name[len(prefix) :] if prefix and self.name.startswith(prefix) else self.name


@dataclass(frozen=True, slots=True)
class SwarmState:
    """What a swarm manager knows: its services and its overlay networks (collectors/swarm.py)."""

    services: tuple[SwarmService, ...] = ()
    networks: tuple[SwarmNetwork, ...] = ()

    def service_of(self, container_id: str) -> SwarmService | None:
        return next((s for s in self.services if container_id in s.tasks), None)

    def network(self, name: str) -> SwarmNetwork | None:
        return next((n for n in self.networks if n.name == name), None)


@dataclass(frozen=True, slots=True)
class EngineState:
    containers: tuple[Container, ...]
    server_version: str = ""
    operating_system: str = ""
    flavour: str = "linux"  # linux, docker-desktop, orbstack, colima, rancher-desktop, podman
    rootless: bool = False
    swarm: SwarmState | None = None  # None: not a swarm manager (no swarm, or a worker: it cannot list services)
    # The endpoint URL (as shown: no password) when the engine is on another machine (ssh://, tcp://
    # elsewhere). Then this machine's localhost is not where its containers publish (route/remote.py).
    remote_endpoint: str | None = None


# The vantage of probes taken on a remote engine's host itself (a helper container with --network host
# there), beside "host" (this machine) and "container:NAME": route/remote.py plans them, probes/vantage.py runs them.
ENGINE_HOST_VANTAGE = "engine-host"


@dataclass(frozen=True, slots=True)
class ClientPlace:
    """Where an MCP client runs, and why we think so (the report always says)."""

    kind: str  # "host" or "container"
    name: str = "host"  # container name, or the Compose service when it has no container yet
    reason: str = ""
    container_id: str | None = None
    service: str | None = None
    project: str | None = None
    networks: tuple[str, ...] = ()  # engine network names
    network_mode: str = ""
    extra_hosts: tuple[tuple[str, str], ...] = ()  # (host, ip-or-"host-gateway")
    remote_engine: bool = False  # its container runs on an engine on another machine (run.py marks it)

    @property
    def label(self) -> str:
        return "host" if self.kind == "host" else f"container:{self.name}"

    @property
    def vantage(self) -> str | None:
        """Where its probes go out from: the host, a running container, or nowhere (not running).

        A container on the host network of a remote engine probes from that engine's host, not from here.
        """
        if self.kind != "host" and self.network_mode == "host" and self.remote_engine:
            return ENGINE_HOST_VANTAGE
        if self.kind == "host" or self.network_mode == "host":
            return "host"
        return f"container:{self.name}" if self.container_id else None  # probes/vantage.py names it so

    def has_host(self, name: str) -> bool:
        return any(h == name for h, _ in self.extra_hosts)


HOST_CLIENT = ClientPlace("host", reason="the config file is read on the host")


@dataclass(frozen=True, slots=True)
class Listener:
    """A TCP socket in LISTEN state on the host."""

    ip: str
    port: int
    pid: int | None
    process: str | None

    @property
    def loopback_only(self) -> bool:
        return self.ip.startswith("127.") or self.ip == "::1"


@dataclass(frozen=True, slots=True)
class HostState:
    listeners: tuple[Listener, ...]


class Outcome(StrEnum):
    """What a probe got, layer by layer; the first failing layer decides."""

    MCP = "mcp"  # an MCP server answered the handshake
    DNS = "dns-failure"
    REFUSED = "refused"
    RESET = "reset"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    HTTP_ERROR = "http-error"  # an HTTP status that is not an MCP answer
    NOT_MCP = "not-mcp"  # a 2xx answer that is not MCP
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Layer:
    """One layer of a probe (dns, tcp, proxy, http, mcp) and what it got; status ok/failed/timeout/skipped."""

    name: str
    status: str
    detail: str


@dataclass(frozen=True, slots=True)
class ProbeResult:
    url: str
    outcome: Outcome
    detail: str
    vantage: str = "host"
    http_status: int | None = None
    content_type: str | None = None
    server_name: str | None = None
    server_version: str | None = None
    protocol_version: str | None = None
    transport: str | None = None
    # Layer by layer (probes/): name resolution -> TCP connect -> HTTP -> MCP, as far as the probe got.
    requested_transport: str | None = None  # the transport it was asked to speak (a URL may be probed twice)
    method: str = "host"  # how the vantage was reached: host, helper:IMAGE, client-image:IMAGE, exec
    layers: tuple[Layer, ...] = ()
    connects: tuple[tuple[str, str], ...] = ()  # (resolved address, TCP connect outcome), in resolver order
    proxy: str | None = None  # the proxy the client's environment sends this URL to (credentials masked)
    no_proxy: str | None = None  # the NO_PROXY value in that environment
    location: str | None = None  # a redirect's target
    server_header: str | None = None
    body: str = ""  # the start of an answer that is not an MCP handshake, whitespace folded
    # The WWW-Authenticate challenge of a 401/403 (RFC 9110 11.6.1; MCP authorization spec): the
    # scheme and parameters such as resource_metadata. A challenge carries no secret.
    www_authenticate: str | None = None
    sent_headers: tuple[str, ...] = ()  # names (never values) of the entry's headers this probe sent
    # Which header set the probe was asked to send (ProbeTarget.headers_id): part of its ProbeKey.
    headers_id: str = ""
    final_url: str | None = None  # where the redirects of the probe's first request ended (None: none)

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.MCP

    @property
    def failed_layer(self) -> Layer | None:
        return next((x for x in self.layers if x.status not in ("ok", "skipped")), None)

    def summary(self) -> str:
        if self.ok:
            return (
                f"MCP server {self.server_name or '?'} {self.server_version or ''}".rstrip()
                + f" answered ({self.transport}, protocol {self.protocol_version or '?'})"
            )
        return self.detail


# A per-process key for header fingerprints: two probes with the same headers share an id within
# one run, and the id (printed in the probe JSON) lets no one test a guessed token against it.
_HEADERS_KEY = secrets.token_bytes(32)


def headers_fingerprint(headers: tuple[tuple[str, str], ...]) -> str:
    """A fingerprint of header names and values (keyed hash, never the values); "" for none."""
    if not headers:
        return ""
    canonical = json.dumps(sorted((n.lower(), v) for n, v in headers)).encode()
    return hmac.new(_HEADERS_KEY, canonical, hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ProbeTarget:
    """One probe to run: a URL, the transport to speak, and the entry headers to send to its origin.

    ``headers`` are secret (repr off); the probe sends them only to this URL's own origin (scheme,
    host, port), never after a redirect that leaves it.
    """

    url: str
    transport: str
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def headers_id(self) -> str:
        return headers_fingerprint(self.headers)

    def at(self, url: str, transport: str | None = None) -> ProbeTarget:
        """The same probe at another URL: the headers go along only when it has the same origin."""
        kept = self.headers if same_origin(url, self.url) else ()
        return ProbeTarget(url, transport or self.transport, kept)


def same_origin(a: str, b: str) -> bool:
    """Same scheme, host and port (RFC 6454), default ports filled in: where entry headers may go."""
    return _origin(a) == _origin(b)


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        return None
    return (parts.scheme.lower(), (parts.hostname or "").lower(), port) if parts.hostname else None


@dataclass(frozen=True, slots=True)
class StdioFacts:
    """What the machine says about a stdio entry without starting it (collectors/stdio_host.py)."""

    command_path: str | None  # where the client's PATH finds the command; None: nowhere
    search_path: str = ""  # the PATH that was searched (the client's environment, merged with the entry's)
    checked: bool = True  # False: not looked at (the client runs in a container), and why is in note
    note: str = ""
    unset_env: tuple[
        str, ...
    ] = ()  # names passed by name (-e NAME, --env NAME) set neither in the entry nor the client
    missing_files: tuple[tuple[str, str], ...] = ()  # (what, path): "env-file" or "cwd", a path that does not exist
    image_present: bool | None = None  # docker run: the image is on the engine the CLI would use (None: not known)
    image_note: str = ""  # why image_present is None: another engine named in args or env, engine unavailable
    runtime: tuple[str, str] | None = None  # (program, version) of the interpreter: ("node", "18.19.0")
    runtime_wanted: tuple[str, str] | None = None  # (constraint, where it is declared): (">=20", "package.json of X")


@dataclass(frozen=True, slots=True)
class LaunchResult:
    """What starting a stdio entry as its client would, and speaking MCP to it, showed (--launch)."""

    entry: EntryId
    outcome: str  # "mcp" (it answered), "exited", "timeout" (no answer in time), "error" (could not start)
    detail: str
    exit_code: int | None = None
    stderr_tail: tuple[str, ...] = ()  # its last stderr lines, secrets masked
    server_name: str | None = None
    server_version: str | None = None
    protocol_version: str | None = None
    tool_count: int | None = None
    seconds: float = 0.0
    removed_containers: tuple[str, ...] = ()  # containers the launch started and then removed

    @property
    def ok(self) -> bool:
        return self.outcome == "mcp"


class ProbeKey(NamedTuple):
    """Which probe: a URL spoken to in one transport with one header set, from one vantage."""

    url: str
    vantage: str  # "host" or "container:NAME"
    transport: str
    headers_id: str = ""  # ProbeTarget.headers_id: "" when no entry header was sent


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything one run knows: the configs, the engine, the host, and what the probes saw."""

    configs: tuple[ConfigFile, ...]
    engine: EngineState | Unavailable
    host: HostState | Unavailable
    probes: tuple[ProbeResult, ...] = ()
    probing: bool = True
    probe_skip_reason: str = "--no-probe was given"
    container_listeners: tuple[tuple[str, tuple[Listener, ...]], ...] = ()  # container id -> its listeners
    places: tuple[tuple[str, ClientPlace], ...] = ()  # config path (or path#scope) -> where its client runs
    compose: Any = None  # a compose.model.ComposeProject when a Compose project was loaded
    # What answered at each entry before (config#scope.name -> MCP server name), which only a
    # long-running watcher knows: it lets wrong-port follow a server whose published port changed.
    remembered: tuple[tuple[str, str], ...] = ()
    stdio: tuple[tuple[EntryId, StdioFacts], ...] = ()  # per stdio entry, what the machine says of its command
    launches: tuple[LaunchResult, ...] = ()  # --launch: what each stdio entry did when started
    launching: bool = False  # --launch was given (a missing launch result then means it was not launched)
    # With a remote engine, ``host`` is Unavailable (it would describe the wrong machine for the containers),
    # but host clients run here: this machine's own listening sockets, to say what answers on its localhost.
    here: HostState | None = None
    # Derived once per Snapshot (init=False: dataclasses.replace builds them afresh).
    _probe_index: dict[ProbeKey, ProbeResult] = field(default_factory=dict, init=False, compare=False, repr=False)
    _by_url: dict[tuple[str, str], list[ProbeResult]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    _places: dict[str, ClientPlace] = field(default_factory=dict, init=False, compare=False, repr=False)
    memo: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._places.update(self.places)
        for p in self.probes:  # planned probes come before follow-ups: the first of a key is kept
            self._probe_index.setdefault(ProbeKey(p.url, p.vantage, p.requested_transport or "", p.headers_id), p)
            self._by_url.setdefault((p.url, p.vantage), []).append(p)

    def probe_of(self, entry: ServerEntry, vantage: str | None = None) -> ProbeResult | None:
        """The probe of this entry: its URL, in its transport, with its headers, from where its client runs."""
        vantage = vantage or self.vantage_of(entry)
        url = entry.effective_url
        if vantage is None or url is None:
            return None
        return self._probe_index.get(ProbeKey(url, vantage, entry.transport, headers_fingerprint(entry.headers)))

    def probe_as(self, url: str, transport: str, vantage: str = "host", headers: str = "") -> ProbeResult | None:
        """The probe of this URL that spoke this transport with this header set (a ProbeResult's or
        ProbeTarget's headers_id; "": none), as follow-ups of an entry's probe carry its set."""
        return self._probe_index.get(ProbeKey(url, vantage, transport, headers))

    def stdio_facts(self, entry: ServerEntry) -> StdioFacts | None:
        return next((f for i, f in self.stdio if i == entry.id), None)

    def launch_of(self, entry: ServerEntry) -> LaunchResult | None:
        return next((r for r in self.launches if r.entry == entry.id), None)

    def vantage_of(self, entry: ServerEntry) -> str | None:
        return self.place_of(entry).vantage

    def listeners_of(self, container_id: str) -> tuple[Listener, ...] | None:
        """What the container's processes listen on (None: not read)."""
        return dict(self.container_listeners).get(container_id)

    @property
    def entries(self) -> tuple[ServerEntry, ...]:
        return tuple(e for c in self.configs for e in c.entries)

    def place_of(self, entry: ServerEntry) -> ClientPlace:
        """Keyed by "config#scope" (one Compose service's environment) or by the config path."""
        return self._places.get(f"{entry.config}#{entry.scope}") or self._places.get(entry.config) or HOST_CLIENT

    def probe(self, url: str, vantage: str | None = "host") -> ProbeResult | None:
        """The first probe of a candidate URL from this vantage, whatever it spoke (route evidence).

        Not for an entry's own URL: that is ``probe_of(entry)``, which tells transports and headers apart.
        """
        found = self._by_url.get((url, vantage)) if vantage else None
        return found[0] if found else None

    @property
    def containers(self) -> tuple[Container, ...]:
        return self.engine.containers if isinstance(self.engine, EngineState) else ()
