"""Which process is in which container (cgroup lines), the helper's delimited output, and which
containers a listener pass reads; over a fake /proc tree (the real engine: tests/integration)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcp_dockernet.collectors import listeners, sock_diag
from mcp_dockernet.collectors.listeners import read_listeners
from mcp_dockernet.collectors.netns_scan import container_id_in, dump, pids_by_container, split_dump
from mcp_dockernet.model import Container, ContainerState, Listener

A = "a" * 63 + "1"
B = "b" * 63 + "2"
C = "c" * 63 + "3"
HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
ON_8000 = "   0: 00000000:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n"
LOOP_8001 = "   0: 0100007F:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 2\n"
V6_LOOP_8002 = "   0: 00000000000000000000000001000000:1F42 00000000000000000000000000000000:0000 0A 0 0 0 0 0 3\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        # cgroup v1, cgroupfs driver (this lab: Engine 20.10): every controller names the container
        (f"12:pids:/docker/{A}\n4:memory:/docker/{A}\n1:name=systemd:/docker/{A}\n0::/docker/{A}\n", A),
        (f"0::/system.slice/docker-{A}.scope\n", A),  # cgroup v2, systemd driver
        (f"0::/docker/{A}\n", A),  # cgroup v2, cgroupfs driver
        (f"0::/machine.slice/libpod-{A}.scope/container\n", A),  # Podman
        (f"0::/../../system.slice/docker-{A}.scope\n", A),  # read from inside a cgroup namespace
        (f"0::/docker/{B}/docker/{A}\n", A),  # an engine in a container: the inner one
        ("0::/init.scope\n", None),  # a host process
        ("4:memory:/process_api/567a3c495b4d2355cd176b867c6a487e\n0::/\n", None),  # 32 hex is no container id
        (f"0::/docker/{A}0\n", None),  # 65 hex digits: not an id
        ("", None),
    ],
)
def test_container_id_in_cgroup_lines(text, expected):
    assert container_id_in(text) == expected


def fake_proc(root: Path, processes: dict[int, tuple[str | None, str | None]]) -> Path:
    """pid -> (container id or None, tcp table text or None): a /proc tree of those processes."""
    for pid, (cid, tcp) in processes.items():
        d = root / str(pid)
        (d / "net").mkdir(parents=True)
        (d / "cgroup").write_text(f"0::/docker/{cid}\n" if cid else "0::/init.scope\n")
        if tcp is not None:
            (d / "net" / "tcp").write_text(HEADER + tcp)
            (d / "net" / "tcp6").write_text(HEADER)
    (root / "self").mkdir()
    return root


def test_one_pass_finds_a_process_of_each_container(tmp_path):
    proc = fake_proc(tmp_path, {1: (None, ""), 20: (A, ON_8000), 21: (A, ON_8000), 30: (B, LOOP_8001)})
    found = pids_by_container([A, B, C], proc)
    assert set(found) == {A, B} and found[A] in (20, 21) and found[B] == 30


def test_dump_and_split_round_trip(tmp_path):
    proc = fake_proc(tmp_path, {20: (A, ON_8000), 30: (B, LOOP_8001), 40: (None, V6_LOOP_8002)})
    text = dump([A, f"{C}=40", B, "d" * 64], proc)  # C by an inspected pid; d has no process
    tables = split_dump(text)
    assert set(tables) == {A, B, C, "d" * 64} and tables["d" * 64] is None
    assert [(x.ip, x.port) for x in listeners.parse_proc_net_tcp(tables[A] or "")] == [("0.0.0.0", 8000)]
    assert [(x.ip, x.port) for x in listeners.parse_proc_net_tcp(tables[B] or "")] == [("127.0.0.1", 8001)]
    assert [(x.ip, x.port) for x in listeners.parse_proc_net_tcp(tables[C] or "")] == [("::1", 8002)]


def test_split_ignores_noise_before_the_first_delimiter():
    assert split_dump(f"warning: something\n@@mdn {A} 7\n{ON_8000}@@mdn? {B}\n") == {A: ON_8000, B: None}


def container(cid: str, mode: str = "default", state: ContainerState = ContainerState.RUNNING) -> Container:
    return Container(id=cid, name=f"n{cid[0]}", image="img", state=state, network_mode=mode)


class NoApi:
    """The local way makes no API call when the cgroup pass finds every container."""

    def __getattr__(self, name: str):
        raise AssertionError(f"unexpected API call {name}")


def test_local_pass_reads_each_namespace_once_and_maps_the_rest(tmp_path, monkeypatch):
    monkeypatch.setattr(sock_diag, "listening", lambda pids, proc: {})  # a fake tree has no namespaces
    proc = fake_proc(tmp_path, {20: (A, ON_8000), 30: (B, LOOP_8001)})
    shared, host, none, gone = ("e" * 64, f"container:{A}"), ("f" * 64, "host"), ("9" * 64, "none"), "8" * 64
    containers = [
        container(A),
        container(B),
        container(*shared),
        container(*host),
        container(*none),
        container(gone, state=ContainerState.EXITED),
    ]
    scan = read_listeners(NoApi(), containers, way="proc", proc=proc)
    assert dict(scan.listeners) == {
        A: (Listener("0.0.0.0", 8000, None, None),),
        B: (Listener("127.0.0.1", 8001, None, None),),
    }
    assert scan.shared == ((shared[0], A),) and scan.host_network == (host[0],) and scan.unread == ()
    assert scan.ways == ("proc",)


class InspectApi:
    def __init__(self, pids: dict[str, int]) -> None:
        self.pids, self.calls = pids, 0

    def inspect_container(self, cid: str) -> dict:
        self.calls += 1
        return {"State": {"Pid": self.pids.get(cid, 0)}}


def test_inspect_fills_in_only_when_this_proc_is_the_engines(tmp_path, monkeypatch):
    monkeypatch.setattr(sock_diag, "listening", lambda pids, proc: {})
    proc = fake_proc(tmp_path, {20: (A, ON_8000), 40: (None, LOOP_8001)})  # C's process: a cgroup we cannot read
    api = InspectApi({C: 40})
    scan = read_listeners(api, [container(A), container(C)], way="proc", proc=proc)
    assert set(dict(scan.listeners)) == {A, C} and api.calls == 1 and scan.ways == ("proc+inspect",)
    # A sidecar's /proc shows none of the engine's containers but its own: an inspected pid would
    # name another process here
    monkeypatch.setattr(listeners, "own_container_id", lambda: A)
    api = InspectApi({C: 40})
    scan = read_listeners(api, [container(A), container(C)], way="proc", proc=proc)
    assert set(dict(scan.listeners)) == {A} and [cid for cid, _ in scan.unread] == [C] and api.calls == 0


def test_without_entering_namespaces_the_tables_are_read(tmp_path, monkeypatch):
    def refuse(pids, proc):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(sock_diag, "listening", refuse)
    proc = fake_proc(tmp_path, {20: (A, ON_8000)})
    scan = read_listeners(NoApi(), [container(A)], way="proc", proc=proc)
    assert dict(scan.listeners)[A][0].port == 8000 and scan.ways == ("proc",)


def test_no_own_image_means_unread_with_the_reason(monkeypatch):
    from mcp_dockernet.probes import vantage

    monkeypatch.setattr(vantage, "own_image", lambda api: None)
    scan = read_listeners(NoApi(), [container(A)], way="helper")
    assert scan.listeners == () and "no mcp-dockernet image" in dict(scan.unread)[A]


def test_unknown_way_is_refused():
    with pytest.raises(ValueError):
        read_listeners(NoApi(), [], way="exec")
