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
            doctor = [sys.executable, "-m", "mcp_dockernet", "doctor", "--no-probe", "--format", "json", "--config", str(config)]
            timed(inspect), timed(doctor)  # warm caches
            floor, ours = [], []
            for _ in range(args.rounds):  # interleaved, so load on the machine hits both alike
                floor.append(timed(inspect))
                ours.append(timed(doctor))
        f, o = statistics.median(floor), statistics.median(ours)
        print(f"containers={args.containers} networks={args.networks} rounds={args.rounds}")
        print(f"docker inspect (floor): median {f * 1000:.0f} ms")
        print(f"mcp-dockernet doctor --no-probe: median {o * 1000:.0f} ms")
        print(f"ratio: {o / f:.2f}x")
    finally:
        for c in client.containers.list(all=True, filters={"label": f"{LABEL}={run}"}):
            c.remove(force=True)
        for n in client.networks.list(filters={"label": f"{LABEL}={run}"}):
            n.remove()


if __name__ == "__main__":
    main()
