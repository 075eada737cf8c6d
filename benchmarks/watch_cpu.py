"""Benchmark: what `watch` costs while the engine is busy: 200 containers, one restarting every second.

Run (with the lab up): .venv/bin/python benchmarks/watch_cpu.py [--containers 200] [--seconds 120]
[--baseline DIR] [--baseline-python PY]
It is not a test and asserts nothing. Everything it creates carries a label and is removed at the end.

Side by side for the same events: `docker events` (the floor: a process that only follows the
engine's event stream), `mcp-dockernet watch --no-probe`, and with --baseline the same watch run
from another tree or interpreter. Every 10 s it samples each process's CPU time and RSS; at the end
it prints the CPU each used per minute (as a share of one core), the RSS after the first minute
and at the end (the memory must not grow once warm), and how many checks each watch completed (a
watch that never re-checks under a steady stream of events would be cheap and useless).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import docker
import psutil
from doctor_vs_inspect import LABEL, baseline, grow  # the same containers and baseline rules

SAMPLE = 10.0  # seconds between samples


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def watch_command(config: Path, log: Path) -> tuple[list[str], Path]:
    cmd = [sys.executable, "-m", "mcp_dockernet", "watch", "--no-probe", "--config", str(config)]
    return [*cmd, "--listen", f"127.0.0.1:{free_port()}"], log


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--containers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=120, help="how long one container restarts each second")
    parser.add_argument("--create-seconds", type=float, default=600, help="bound on the time spent creating")
    parser.add_argument("--baseline", metavar="DIR", help="also run the watch from this source tree")
    parser.add_argument("--baseline-python", metavar="PY", help="... and/or with this interpreter")
    args = parser.parse_args()
    base = (args.baseline, args.baseline_python)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached
    client = docker.from_env()
    run = uuid.uuid4().hex[:6]
    labels = {LABEL: run}
    work = tempfile.TemporaryDirectory(prefix="mcp-dockernet-bench-watch-")
    os.chdir(work.name)  # `python -m` puts the cwd first on sys.path: run the tree asked for, no project files
    config = Path(work.name) / ".mcp.json"
    servers = {f"s{i}": {"type": "http", "url": f"http://localhost:{20000 + i}/mcp"} for i in range(10)}
    config.write_text(json.dumps({"mcpServers": servers}))
    processes: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}
    try:
        networks = [client.networks.create(f"bench{run}-{i}", labels=labels) for i in range(5)]
        made = grow(client, run, networks, 0, args.containers, time.monotonic() + args.create_seconds)
        print(f"{len(made)} containers on {len(networks)} networks", flush=True)
        commands = {"docker events (floor)": (["docker", "events"], Path(work.name) / "events.log")}
        commands["mcp-dockernet watch"] = watch_command(config, Path(work.name) / "watch.log")
        if any(base):
            cmd, log = watch_command(config, Path(work.name) / "baseline.log")
            commands["mcp-dockernet watch (baseline)"] = (baseline(cmd, base), log)
        for name, (cmd, log) in commands.items():
            with log.open("wb") as out:
                processes[name] = (subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT), log)
        time.sleep(20)  # start-up and the first check: not what is measured
        procs = {name: psutil.Process(p.pid) for name, (p, _) in processes.items()}
        samples: dict[str, list[tuple[float, float, int]]] = {name: [] for name in procs}

        def sample() -> None:
            for name, proc in procs.items():
                cpu = sum(proc.cpu_times()[:2])  # user + system, this process only
                samples[name].append((time.monotonic(), cpu, proc.memory_info().rss))

        sleepers = [c for i, c in enumerate(made) if i % 10 != 0]  # the serving tenth keeps its sockets
        sample()
        start = next_sample = time.monotonic()
        restarts = 0
        while time.monotonic() - start < args.seconds:  # bounded: one restart a second for --seconds
            sleepers[restarts % len(sleepers)].restart(timeout=0)
            restarts += 1
            if time.monotonic() >= next_sample + SAMPLE:
                next_sample += SAMPLE
                sample()
            time.sleep(max(0.0, start + restarts - time.monotonic()))
        sample()
        print(f"{restarts} restarts in {time.monotonic() - start:.0f} s, one container at a time")
        for name, rows in samples.items():
            report(name, rows, processes[name][1])
    finally:
        for proc, _ in processes.values():
            proc.terminate()
        for proc, _ in processes.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        for c in client.containers.list(all=True, filters={"label": f"{LABEL}={run}"}):
            c.remove(force=True)
        for n in client.networks.list(filters={"label": f"{LABEL}={run}"}):
            n.remove()
        work.cleanup()


def report(name: str, rows: list[tuple[float, float, int]], log: Path) -> None:
    (t0, c0, _), (t1, c1, rss_end) = rows[0], rows[-1]
    minute = next((r for r in rows if r[0] - t0 >= 60), rows[-1])
    share = (c1 - c0) / (t1 - t0) * 100
    checks = log.read_text(errors="replace").count("checked: ") if "watch" in name else None
    line = f"{name}: CPU {share:.1f}% of one core ({c1 - c0:.1f} s in {t1 - t0:.0f} s)"
    line += f", RSS after the first minute {minute[2] / 2**20:.0f} MB, at the end {rss_end / 2**20:.0f} MB"
    if checks is not None:
        line += f", {checks} checks completed"
    print(line, flush=True)


if __name__ == "__main__":
    main()
