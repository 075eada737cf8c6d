"""What each running container listens on, and on which address, with no tools in the container.

The sockets of a network namespace are read from the kernel, so no connection is made and
--no-probe has them too. Every running container is read, since any of them may be the server an
entry means (one that declares no port is found only by its socket). The ways, cheapest first:

- local engine whose processes are visible here: one pass over /proc/*/cgroup maps each container
  to one of its processes (netns_scan.py), no API call; then, as root, a netlink sock_diag dump of
  LISTEN sockets in its namespace (sock_diag.py), else /proc/<pid>/net/tcp and tcp6 (proc_net(5)),
  which cost ~16 ms a container here because the kernel walks the whole established table for each.
  A running container the pass misses gets one inspect (State.Pid), trusted only when the pass saw
  other containers than our own: a sidecar's /proc shows only its own processes.
- otherwise (Docker Desktop, Colima, a remote engine, a sidecar): ONE helper container of
  mcp-dockernet's own image in the engine host's PID namespace (HostConfig.PidMode "host",
  docs.docker.com "docker run --pid") runs netns_scan.py's source over that host's /proc for all
  containers at once. ``docker exec cat`` per container is not used: it needs cat in every image
  and three calls each. With no own image on the engine, the sockets are not read (never pulled).

Containers in another's namespace (network_mode container:X) are not read twice: their sockets are
X's. network_mode host shares the host's (HostState.listeners), and none has no reachable socket
(our own helpers run so: probe helpers join a client's namespace, this one has none). On a
user-defined network each namespace also holds the engine's DNS resolver on 127.0.0.11 at a random
port (docs.docker.com "Networking overview", DNS services): a real socket, not the server's.
"""

from __future__ import annotations

import ipaddress
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcp_dockernet.collectors import netns_scan, sock_diag
from mcp_dockernet.collectors.self_container import own_container_id
from mcp_dockernet.model import Container, ContainerState, Listener

log = logging.getLogger(__name__)
LISTEN = "0A"  # include/net/tcp_states.h TCP_LISTEN
MAX_CONTAINERS = 500  # bound one pass: beyond it the rest are reported unread
HELPER_WAIT = 30.0  # seconds the helper may take to start, scan and exit on a busy engine
WAYS = ("auto", "proc", "inspect", "helper")  # inspect: local reads, PIDs by inspect (the benchmark's baseline)


@dataclass(frozen=True)
class ListenerScan:
    """The sockets of every running container that has a network namespace of its own."""

    listeners: tuple[tuple[str, tuple[Listener, ...]], ...] = ()  # container id -> its listeners
    shared: tuple[tuple[str, str], ...] = ()  # container id -> id of the container whose namespace it joins
    host_network: tuple[str, ...] = ()  # network_mode host: its sockets are the host's
    unread: tuple[tuple[str, str], ...] = ()  # container id -> why its sockets are unknown
    ways: tuple[str, ...] = ()  # how they were read: "netlink", "proc", "+inspect", "helper:IMAGE"


def parse_proc_net_tcp(text: str, *, little_endian: bool = sys.byteorder == "little") -> tuple[Listener, ...]:
    """Listening sockets of /proc/net/tcp and tcp6 text (both may be concatenated)."""
    found: dict[tuple[str, int], Listener] = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 4 or fields[3] != LISTEN or ":" not in fields[1]:
            continue
        address, _, port_hex = fields[1].partition(":")
        try:
            ip = _decode(address, little_endian)
            port = int(port_hex, 16)
        except ValueError:
            continue
        found.setdefault((ip, port), Listener(ip, port, None, None))
    return tuple(sorted(found.values(), key=lambda x: (x.port, x.ip)))


def _decode(hex_address: str, little_endian: bool) -> str:
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(raw[::-1] if little_endian else raw))
    if len(raw) == 16:  # four 32-bit words, each in host byte order
        words = b"".join(raw[i : i + 4][::-1] if little_endian else raw[i : i + 4] for i in range(0, 16, 4))
        address = ipaddress.IPv6Address(words)
        return str(address.ipv4_mapped or address)
    raise ValueError(hex_address)


def netns_owner(container: Container, containers: Iterable[Container]) -> Container | None:
    """The container whose network namespace ``container`` joins (network_mode container:X), if listed.

    The engine stores X as the full id (seen on Engine 20.10); a name is matched too.
    """
    mode = container.network_mode
    ref = mode.split(":", 1)[1] if mode.startswith("container:") else ""
    return next((c for c in containers if ref and (c.id.startswith(ref) or c.name == ref)), None)


def read_listeners(
    api: Any, containers: Iterable[Container], *, way: str = "auto", proc: Path = Path("/proc")
) -> ListenerScan:
    """The listeners of every running container with a namespace of its own, read the cheapest way.

    ``way``: "auto" (here when the engine is local, the helper for the rest), "proc" (here only),
    "inspect" (here, every PID from an inspect: the benchmark's baseline) or "helper" (the helper only).
    """
    if way not in WAYS:
        raise ValueError(f"way {way!r}: one of {', '.join(WAYS)}")
    listed = tuple(containers)
    shared, host_network, owners = [], [], []
    for c in listed:
        if c.state is not ContainerState.RUNNING:
            continue
        if c.network_mode.startswith("container:"):
            owner = netns_owner(c, listed)
            shared.append((c.id, owner.id if owner else c.network_mode.split(":", 1)[1]))
        elif c.network_mode == "host":
            host_network.append(c.id)
        elif c.network_mode != "none":
            owners.append(c.id)
    todo = owners[:MAX_CONTAINERS]
    unread = {cid: f"more than {MAX_CONTAINERS} running containers" for cid in owners[MAX_CONTAINERS:]}
    found: dict[str, tuple[Listener, ...]] = {}
    ways: list[str] = []
    if todo and way != "helper" and (way != "auto" or _engine_is_local()):
        here, how, stopped = _read_here(api, todo, proc, by_inspect=way == "inspect")
        found.update(here)
        unread.update(stopped)
        ways += [how] if here else []
    left = [cid for cid in todo if cid not in found and cid not in unread]
    if left and way in ("auto", "helper"):
        tables, how, why = _read_by_helper(api, left)
        found.update({cid: parse_proc_net_tcp(text) for cid, text in tables.items()})
        ways += [how] if tables else []
        unread.update({cid: why for cid in left if cid not in tables})
    for cid in todo:
        if cid not in found:
            unread.setdefault(cid, "no process of it seen here, or its socket tables unreadable")
    for cid, why in unread.items():
        log.debug("listeners of %s: %s", cid[:12], why)
    return ListenerScan(
        listeners=tuple((cid, found[cid]) for cid in todo if cid in found),
        shared=tuple(shared),
        host_network=tuple(host_network),
        unread=tuple(unread.items()),
        ways=tuple(ways),
    )


def _read_here(
    api: Any, ids: list[str], proc: Path, *, by_inspect: bool
) -> tuple[dict[str, tuple[Listener, ...]], str, dict[str, str]]:
    """Listeners from this host's /proc; the way used; containers found stopped meanwhile."""
    pids = {} if by_inspect else netns_scan.pids_by_container(ids, proc)
    missing = [cid for cid in ids if cid not in pids]
    stopped: dict[str, str] = {}
    inspected = False
    # An inspected PID is of the engine's PID namespace: trusted here only when the cgroup pass has
    # shown that this /proc is that namespace (a sidecar sees only its own processes).
    own = own_container_id()
    if missing and (by_inspect or any(own is None or not cid.startswith(own) for cid in pids)):
        more, stopped = _pids_by_inspect(api, missing)
        pids.update(more)
        inspected = bool(more)
    if not pids:  # not the engine's processes (another machine, a VM, a sidecar): the helper's job
        return {}, "", stopped
    found: dict[str, tuple[Listener, ...]] = {}
    try:  # netlink where we may enter namespaces (root): no walk of the established table
        found = {cid: _listeners(p) for cid, p in sock_diag.listening(pids.items(), proc).items()}
    except OSError as e:
        log.debug("sock_diag: %s; reading /proc/<pid>/net/tcp instead", e)
    used = ["netlink"] if found else []
    for cid, pid in pids.items():
        if cid not in found and (text := netns_scan.socket_tables(pid, proc)) is not None:
            found[cid] = parse_proc_net_tcp(text)
            used += [] if "proc" in used else ["proc"]
    return found, "+".join(used + (["inspect"] if inspected else [])), stopped


def _listeners(pairs: Iterable[tuple[str, int]]) -> tuple[Listener, ...]:
    return tuple(Listener(ip, port, None, None) for ip, port in sorted(set(pairs), key=lambda x: (x[1], x[0])))


def _pids_by_inspect(api: Any, ids: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    pids: dict[str, int] = {}
    stopped: dict[str, str] = {}
    for cid in ids:
        try:
            pid = int(((api.inspect_container(cid) or {}).get("State") or {}).get("Pid") or 0)
        except Exception as e:  # gone since the list call, or the engine stopped answering
            stopped[cid] = f"cannot inspect it: {_short(e)}"
            continue
        if pid:
            pids[cid] = pid
        else:
            stopped[cid] = "it is not running any more"
    return pids, stopped


def _read_by_helper(api: Any, ids: list[str]) -> tuple[dict[str, str], str, str]:
    """One helper in the engine host's PID namespace scans for all; a second, with inspected PIDs,
    only for containers whose cgroup it did not recognise. The tables, the way, why some are missing."""
    from mcp_dockernet.probes.vantage import own_image

    image = own_image(api)
    if image is None:
        return {}, "", "no mcp-dockernet image on the engine to read them with (docker build -t mcp-dockernet .)"
    try:
        tables = _helper_dump(api, image, ids)
        missing = [cid for cid in ids if tables.get(cid) is None]
        if missing:
            pids, _ = _pids_by_inspect(api, missing)
            if pids:
                tables.update(_helper_dump(api, image, [f"{cid}={pid}" for cid, pid in pids.items()]))
    except Exception as e:
        return {}, "", f"the helper of {image} failed: {_short(e)}"
    found = {cid: text for cid, text in tables.items() if text is not None}
    return found, f"helper:{image}", f"the helper of {image} found no process of it"


def _helper_dump(api: Any, image: str, requests: list[str]) -> dict[str, str | None]:
    """Run netns_scan.py's source in a helper that sees the engine host's processes (no network); always removed."""
    from mcp_dockernet.probes.vantage import run_helper

    source = Path(netns_scan.__file__).read_text(encoding="utf-8")
    out = run_helper(
        api, image, None, ["python3", "-c", source, *requests], HELPER_WAIT, purpose="listeners", pid_mode="host"
    )
    return netns_scan.split_dump(out.decode("utf-8", "replace"))


def _engine_is_local() -> bool:
    from mcp_dockernet.collectors.endpoint import engine_is_local  # not probes/vantage.py: no HTTP stack

    return engine_is_local()


def _short(e: BaseException) -> str:
    return (str(e) or type(e).__name__).splitlines()[0][:300]
