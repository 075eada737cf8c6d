"""Benchmark: `doctor` against a running project of 100 containers on 5 networks, side by side
with `docker inspect` of the same containers (the floor the engine sets).

Run (with the lab up): .venv/bin/python benchmarks/doctor_vs_inspect.py [--containers 100] [--rounds 7]
It prints the medians and the ratio; it is not a test, and asserts nothing about time.
Everything it creates carries a label and is removed at the end.
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


def _in_process(ids: list[str], config: Path, rounds: int) -> tuple[float, float]:
    """The engine pass alone, without interpreter start-up: what one batched list call buys."""
    import psutil

    from mcp_dockernet import engine
    from mcp_dockernet.collectors.docker_engine import collect_engine
    from mcp_dockernet.collectors.host import collect_host
    from mcp_dockernet.loaders.mcp_config import load_config

    api = docker.APIClient(version="auto")
    configs = [load_config(str(config))]
    floor, ours = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        for cid in ids:
            api.inspect_container(cid)
        floor.append(time.perf_counter() - start)
        start = time.perf_counter()
        snap = engine.build_snapshot(configs, collect_engine(api), collect_host(psutil), probe=False)
        engine.run(snap)
        ours.append(time.perf_counter() - start)
    return statistics.median(floor), statistics.median(ours)


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
            c = client.containers.run(
                IMAGE,
                ["sleep", "infinity"],
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
            timed(inspect), timed(doctor)  # warm caches
            floor, ours = [], []
            for _ in range(args.rounds):  # interleaved, so load on the machine hits both alike
                floor.append(timed(inspect))
                ours.append(timed(doctor))
            in_process = _in_process(ids, config, args.rounds)
        f, o = statistics.median(floor), statistics.median(ours)
        print(f"containers={args.containers} networks={args.networks} rounds={args.rounds}")
        print(f"docker inspect (floor): median {f * 1000:.0f} ms")
        print(f"mcp-dockernet doctor --no-probe: median {o * 1000:.0f} ms")
        print(f"ratio (whole commands, both processes started from scratch): {o / f:.2f}x")
        fi, oi = in_process
        print(f"in one process, same SDK client: inspect of every container {fi * 1000:.0f} ms, ")
        print(f"  doctor's engine pass + rules {oi * 1000:.0f} ms, ratio {oi / fi:.2f}x")
    finally:
        for c in client.containers.list(all=True, filters={"label": f"{LABEL}={run}"}):
            c.remove(force=True)
        for n in client.networks.list(filters={"label": f"{LABEL}={run}"}):
            n.remove()


if __name__ == "__main__":
    main()
