"""A Compose project as facts: the normalized model that `docker compose config` would print.

Only what decides reachability is kept (ports, networks, names, extra_hosts, environment,
mounts), each in its long, normalized form. ``compose/load.py`` builds it either from
``docker compose config --format json`` or from our own loader; both give the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CLI_SOURCE = "docker compose config"
BUILTIN_SOURCE = "builtin loader"


@dataclass(frozen=True, slots=True)
class ComposePort:
    """One normalized long-form entry; a short range becomes one entry per port, as in compose-go."""

    target: int
    published: str | None  # "8080"; "8000-9000" when a single target takes any port of that range; None: random
    host_ip: str | None
    protocol: str  # tcp / udp / sctp
    mode: str = "ingress"


@dataclass(frozen=True, slots=True)
class ServiceNetwork:
    key: str  # the top-level network key, e.g. "default", "back"
    aliases: tuple[str, ...] = ()
    priority: int = 0  # the highest priority network (then the first key) is the container's primary one
    ipv4_address: str | None = None
    ipv6_address: str | None = None


@dataclass(frozen=True, slots=True)
class EnvVar:
    name: str
    value: str | None  # after interpolation; None: passed through from an environment where it is unset
    file: str | None = None  # the Compose file the value is written in (None: env_file, or resolved from the env)
    line: int | None = None
    span: tuple[int, int] | None = None  # characters of the value in that file's text (BOM removed)
    raw: str | None = None  # the value as written, before interpolation


@dataclass(frozen=True, slots=True)
class Mount:
    type: str  # bind / volume / tmpfs
    source: str | None  # absolute host path for binds, the volume's key for volumes, None when anonymous
    target: str
    read_only: bool = False
    # Where the item is written (only our loader knows); left out of equality, as the CLI's model has none.
    file: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ComposeService:
    name: str
    image: str | None = None
    container_name: str | None = None
    hostname: str | None = None
    ports: tuple[ComposePort, ...] = ()
    expose: tuple[int, ...] = ()  # ranges expanded, every protocol
    networks: tuple[ServiceNetwork, ...] = ()  # primary first; ("default",) when neither networks nor network_mode
    network_mode: str | None = None  # host, none, service:x, container:x, bridge
    extra_hosts: tuple[tuple[str, str], ...] = ()  # (host, ip), e.g. ("host.docker.internal", "host-gateway")
    links: tuple[str, ...] = ()
    environment: tuple[EnvVar, ...] = ()
    volumes: tuple[Mount, ...] = ()
    profiles: tuple[str, ...] = ()
    file: str | None = None  # the file that first defines the service
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ComposeNetwork:
    key: str
    name: str  # the engine's name: <project>_<key>, or `name:`, or the key when external
    external: bool = False
    driver: str | None = None
    internal: bool = False


@dataclass(frozen=True, slots=True)
class ComposeProject:
    name: str
    working_dir: str
    files: tuple[str, ...]
    services: tuple[ComposeService, ...]  # the enabled ones (active profiles), sorted by name
    networks: tuple[ComposeNetwork, ...]  # the ones enabled services use, sorted by key
    source: str  # CLI_SOURCE or BUILTIN_SOURCE
    disabled: tuple[str, ...] = ()  # services left out because none of their profiles is active

    def service(self, name: str) -> ComposeService | None:
        return next((s for s in self.services if s.name == name), None)

    def network(self, key: str) -> ComposeNetwork | None:
        return next((n for n in self.networks if n.key == key), None)
