"""Benchmark: `doctor` against a running project of 100 containers on 5 networks, side by side
with `docker inspect` of the same containers (the floor the engine sets).

Run (with the lab up): .venv/bin/python benchmarks/doctor_vs_inspect.py [--containers 100] [--rounds 7]
It prints the medians and the ratio; it is not a test, and asserts nothing about time.
Everything it creates carries a label and is removed at the end.

`doctor` reads the listening sockets of every running container (collectors/listeners.py), so
the whole-command figure includes them; in one process it is also timed without them, and the
listener pass alone each way: how PIDs are found (one /proc/*/cgroup pass, or an inspect per
container) and how sockets are read (netlink sock_diag, /proc/<pid>/net/tcp{,6}, or the one
helper container a remote engine needs), in ms per 100 containers read.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import docker

LABEL = "mcp-dockernet-bench"
IMAGE = "mcp-dockernet-lab/base:bookworm"


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr.decode()[-500:])
    return elapsed


def _in_process(ids: list[str], config: Path, rounds: int) -> tuple[float, float, float]:
    """The engine pass alone, without interpreter start-up: what one batched list call buys."""
    import psutil

    from mcp_dockernet import engine
    from mcp_dockernet.collectors.docker_engine import collect_engine
    from mcp_dockernet.collectors.host import collect_host
    from mcp_dockernet.collectors.listeners import read_listeners
    from mcp_dockernet.mcpconfig.mcp_config import load_config

    api = docker.APIClient(version="auto")
    configs = [load_config(str(config))]

    def listeners(snap):  # type: ignore[no-untyped-def]
        return read_listeners(api, snap.containers).listeners

    floor, ours, with_listeners = [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        for cid in ids:
            api.inspect_container(cid)
        floor.append(time.perf_counter() - start)
        start = time.perf_counter()
        snap = engine.build_snapshot(configs, collect_engine(api), collect_host(psutil), probe=False)
        engine.run(snap)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        snap = engine.build_snapshot(
            configs, collect_engine(api), collect_host(psutil), probe=False, listeners=listeners
        )
        engine.run(snap)
        with_listeners.append(time.perf_counter() - start)
    return statistics.median(floor), statistics.median(ours), statistics.median(with_listeners)


def _listener_pass(ids: list[str], rounds: int) -> list[str]:
    """ms per 100 containers read, each way; and the PID mapping alone (cgroup pass vs inspects)."""
    from mcp_dockernet.collectors import listeners, netns_scan, sock_diag
    from mcp_dockernet.collectors.docker_engine import collect_engine

    api = docker.APIClient(version="auto")
    containers = collect_engine(api).containers
    netlink = sock_diag.listening

    def refuse(pids, proc):  # type: ignore[no-untyped-def]
        raise PermissionError("benchmark: as a user who may not enter namespaces")

    ways = {
        "cgroup pass + netlink (local, root)": ("auto", netlink),
        "inspect per container + netlink": ("inspect", netlink),
        "cgroup pass + /proc/<pid>/net/tcp{,6} (local, not root)": ("proc", refuse),
        "inspect per container + /proc/<pid>/net/tcp{,6}": ("inspect", refuse),
        "one helper container, pid=host (remote engine)": ("helper", netlink),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    read: dict[str, int] = {}
    pid_map: dict[str, list[float]] = {"cgroup pass": [], "inspect each": []}
    try:
        for _ in range(rounds):  # interleaved
            for name, (way, reader) in ways.items():
                sock_diag.listening = reader
                start = time.perf_counter()
                scan = listeners.read_listeners(api, containers, way=way)
                times[name].append(time.perf_counter() - start)
                read[name] = len(scan.listeners)
            start = time.perf_counter()
            netns_scan.pids_by_container(ids)
            pid_map["cgroup pass"].append(time.perf_counter() - start)
            start = time.perf_counter()
            for cid in ids:
                api.inspect_container(cid)
            pid_map["inspect each"].append(time.perf_counter() - start)
    finally:
        sock_diag.listening = netlink
    lines = [f"listener pass alone ({len(containers)} containers listed, medians of {rounds}):"]
    for name, values in times.items():
        per_100 = statistics.median(values) * 1000 * 100 / max(read[name], 1)
        lines.append(f"  {name}: {per_100:.0f} ms per 100 containers ({read[name]} read)")
    for name, values in pid_map.items():
        lines.append(f"  PIDs of {len(ids)} containers by {name}: {statistics.median(values) * 1000:.1f} ms")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--containers", type=int, default=100)
    parser.add_argument("--networks", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    client = docker.from_env()
    run = uuid.uuid4().hex[:6]
    labels = {LABEL: run}
    try:
        networks = [client.networks.create(f"bench{run}-{i}", labels=labels) for i in range(args.networks)]
        containers = []
        for i in range(args.containers):
            ports = {"8000/tcp": ("127.0.0.1", None)} if i % 3 == 0 else {}
            serves = i % 10 == 0  # a tenth listen (on 0.0.0.0:8000, nothing declared); the rest sleep
            c = client.containers.run(
                IMAGE,
                ["python3", "-m", "http.server", "8000"] if serves else ["sleep", "infinity"],
                name=f"bench{run}-{i}",
                detach=True,
                labels={**labels, "com.docker.compose.project": f"bench{run}", "com.docker.compose.service": f"s{i}"},
                network=networks[i % args.networks].name,
                ports=ports,
                init=True,
            )
            containers.append(c)
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / ".mcp.json"
            servers = {f"s{i}": {"type": "http", "url": f"http://localhost:{20000 + i}/mcp"} for i in range(10)}
            config.write_text(json.dumps({"mcpServers": servers}))
            ids = [c.id for c in containers]
            inspect = ["docker", "inspect", *ids]
            doctor = [
                sys.executable,
                "-m",
                "mcp_dockernet",
                "doctor",
                "--no-probe",
                "--format",
                "json",
                "--config",
                str(config),
            ]
            # The same command with the listener pass switched off: what reading them costs end to end.
            skip = "import sys, mcp_dockernet.run as r; r._listener_source = lambda api: None; "
            skip += "from mcp_dockernet.cli import main; sys.argv[0] = 'mcp-dockernet'; main()"
            bare = [sys.executable, "-c", skip, *doctor[3:]]
            timed(inspect), timed(doctor), timed(bare)  # warm caches
            floor, ours, without = [], [], []
            for _ in range(args.rounds):  # interleaved, so load on the machine hits all alike
                floor.append(timed(inspect))
                ours.append(timed(doctor))
                without.append(timed(bare))
            in_process = _in_process(ids, config, args.rounds)
            listener_lines = _listener_pass(ids, args.rounds)
        f, o = statistics.median(floor), statistics.median(ours)
        print(f"containers={args.containers} networks={args.networks} rounds={args.rounds}")
        print(f"docker inspect (floor): median {f * 1000:.0f} ms")
        print(f"mcp-dockernet doctor --no-probe (listeners of all containers read): median {o * 1000:.0f} ms")
        print(f"ratio (whole commands, both processes started from scratch): {o / f:.2f}x")
        w = statistics.median(without)
        print(f"  without the listener pass: median {w * 1000:.0f} ms, ratio {w / f:.2f}x")
        fi, oi, ol = in_process
        print(f"in one process, same SDK client: inspect of every container {fi * 1000:.0f} ms, ")
        print(f"  doctor's engine pass + rules {oi * 1000:.0f} ms, ratio {oi / fi:.2f}x")
        print(f"  the same with the listeners of all containers {ol * 1000:.0f} ms, ratio {ol / fi:.2f}x")
        print("\n".join(listener_lines))
    finally:
        for c in client.containers.list(all=True, filters={"label": f"{LABEL}={run}"}):
            c.remove(force=True)
        for n in client.networks.list(filters={"label": f"{LABEL}={run}"}):
            n.remove()


if __name__ == "__main__":
    main()
