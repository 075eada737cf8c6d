"""Benchmark: `doctor` against a running project of 100 containers on 5 networks, side by side
with `docker inspect` of the same containers (the floor the engine sets).

Run (with the lab up): .venv/bin/python benchmarks/doctor_vs_inspect.py [--containers 100,500] [--rounds 7]
It prints the medians and the ratio; it is not a test, and asserts nothing about time.
Everything it creates carries a label and is removed at the end.

First, start-up: `--help` and `rules list` beside `python -c "import typer"` in the same venv.
Then, for each count in --containers (the project grows between counts, it is not rebuilt):
the whole `doctor --no-probe` command beside `docker inspect` of the same containers, its peak RSS,
and at the end the growth of each from the first count to the last. The detailed passes below
(in one process, the listener pass each way) run at the first count only, unless --detail-all.
Creating containers is bounded by --create-seconds; the run stops growing when that is spent.

The commands run with their bytecode cached, as an installed package has it (pip compiles at
install): PYTHONDONTWRITEBYTECODE is dropped for them and the cache goes to a temporary
PYTHONPYCACHEPREFIX, so no tree is written to. Without a cache every start compiles our ~140 modules.

`doctor` reads the listening sockets of every running container (collectors/listeners.py), so
the whole-command figure includes them; in one process it is also timed without them, and the
listener pass alone each way: how PIDs are found (one /proc/*/cgroup pass, or an inspect per
container) and how sockets are read (netlink sock_diag, /proc/<pid>/net/tcp{,6}, or the one
helper container a remote engine needs), in ms per 100 containers read.
"""

from __future__ import annotations

import argparse
import json
import os
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
    return measured(cmd)[0]


def measured(cmd: list[str]) -> tuple[float, int]:
    """Wall time and the peak RSS (bytes) of that one child process (wait4 reports its own rusage)."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise RuntimeError(errors.decode()[-500:])
    return elapsed, usage.ru_maxrss * 1024  # Linux: kilobytes


Baseline = tuple[str | None, str | None]  # (--baseline tree, --baseline-python interpreter)


def baseline(cmd: list[str], base: Baseline) -> list[str]:
    """The same command run from another source tree (--baseline: e.g. a `git worktree` of main) and/or
    with another interpreter (--baseline-python: a venv holding that tree's dependencies)."""
    tree, python = base
    if python:
        cmd = [python, *cmd[1:]]  # cmd[0] is this interpreter
    return ["env", f"PYTHONPATH={tree}", *cmd] if tree else cmd


def startup(rounds: int, base: Baseline = (None, None)) -> list[str]:
    """`--help` and `rules list` beside the floor typer itself sets: `python -c "import typer"`."""
    env_cli = [sys.executable, "-m", "mcp_dockernet"]
    commands = {
        'python -c "import typer" (floor)': [sys.executable, "-c", "import typer"],
        "mcp-dockernet --help": [*env_cli, "--help"],
        "mcp-dockernet rules list": [*env_cli, "rules", "list"],
    }
    if any(base):
        commands["mcp-dockernet --help (baseline)"] = baseline([*env_cli, "--help"], base)
        commands["mcp-dockernet rules list (baseline)"] = baseline([*env_cli, "rules", "list"], base)
    for cmd in commands.values():
        timed(cmd)  # warm caches
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):  # interleaved
        for name, cmd in commands.items():
            times[name].append(timed(cmd))
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor = next(iter(medians.values()))
    lines = [f"start-up (medians of {rounds}, output to a pipe):"]
    for name, value in medians.items():
        lines.append(f"  {name}: {value * 1000:.0f} ms, {value / floor:.2f}x the floor")
    return lines


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


def grow(client, run: str, networks: list, start: int, stop: int, deadline: float) -> list:  # type: ignore[no-untyped-def]
    """Containers start..stop-1 of the project, cheap ones (`sleep infinity`, a tenth serving), until the deadline."""
    labels = {LABEL: run}
    made = []
    for i in range(start, stop):
        if time.monotonic() > deadline:
            break
        ports = {"8000/tcp": ("127.0.0.1", None)} if i % 3 == 0 else {}
        serves = i % 10 == 0  # a tenth listen (on 0.0.0.0:8000, nothing declared); the rest sleep
        made.append(
            client.containers.run(
                IMAGE,
                ["python3", "-m", "http.server", "8000"] if serves else ["sleep", "infinity"],
                name=f"bench{run}-{i}",
                detach=True,
                labels={**labels, "com.docker.compose.project": f"bench{run}", "com.docker.compose.service": f"s{i}"},
                network=networks[i % len(networks)].name,
                ports=ports,
                init=True,
            )
        )
    return made


def whole_commands(
    ids: list[str], config: Path, rounds: int, against: Baseline = (None, None)
) -> tuple[float, float, float, int, float, int]:
    """Medians of `docker inspect`, `doctor --no-probe`, the same without the listener pass; doctor's peak RSS;
    with --baseline, the median and peak RSS of doctor run from that tree (else zeros)."""
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
    floor, ours, without, rss, base, base_rss = [], [], [], [], [0.0], [0]
    for _ in range(rounds):  # interleaved, so load on the machine hits all alike
        floor.append(timed(inspect))
        elapsed, peak = measured(doctor)
        ours.append(elapsed)
        rss.append(peak)
        without.append(timed(bare))
        if any(against):
            elapsed, peak = measured(baseline(doctor, against))
            base.append(elapsed)
            base_rss.append(peak)
    medians = statistics.median(floor), statistics.median(ours), statistics.median(without)
    return *medians, max(rss), statistics.median(base[1:] or base), max(base_rss)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--containers", default="100", help="counts, comma-separated and rising: 100,500")
    parser.add_argument("--networks", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--create-seconds", type=float, default=600, help="bound on the time spent creating")
    parser.add_argument("--detail-all", action="store_true", help="the detailed passes at every count")
    parser.add_argument("--baseline", metavar="DIR", help="also time the commands run from this source tree")
    parser.add_argument(
        "--baseline-python", metavar="PY", help="... and/or with this interpreter (its venv's packages)"
    )
    args = parser.parse_args()
    counts = sorted({int(n) for n in args.containers.split(",")})
    pycache = tempfile.TemporaryDirectory(prefix="mcp-dockernet-bench-pyc-")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # for the children: the warm-up runs fill the cache
    os.environ["PYTHONPYCACHEPREFIX"] = pycache.name
    # The children run in an empty directory: `python -m` puts the cwd first on sys.path, so from a
    # checkout it would run that tree, not --baseline's; and doctor finds no project files of the cwd.
    workdir = tempfile.TemporaryDirectory(prefix="mcp-dockernet-bench-cwd-")
    os.chdir(workdir.name)
    base = (args.baseline, args.baseline_python)
    print("\n".join(startup(args.rounds, base)), flush=True)
    client = docker.from_env()
    run = uuid.uuid4().hex[:6]
    labels = {LABEL: run}
    deadline = time.monotonic() + args.create_seconds
    results: list[tuple[int, float, float, int]] = []
    try:
        networks = [client.networks.create(f"bench{run}-{i}", labels=labels) for i in range(args.networks)]
        containers: list = []  # type: ignore[type-arg]
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / ".mcp.json"
            servers = {f"s{i}": {"type": "http", "url": f"http://localhost:{20000 + i}/mcp"} for i in range(10)}
            config.write_text(json.dumps({"mcpServers": servers}))
            for n, count in enumerate(counts):
                containers += grow(client, run, networks, len(containers), count, deadline)
                if len(containers) < count:
                    print(f"containers={count}: only {len(containers)} made within --create-seconds; stopping")
                    break
                ids = [c.id for c in containers]
                f, o, w, rss, b, b_rss = whole_commands(ids, config, args.rounds, base)
                results.append((count, f, o, rss))
                print(f"containers={count} networks={args.networks} rounds={args.rounds}")
                print(f"docker inspect (floor): median {f * 1000:.0f} ms")
                print(f"mcp-dockernet doctor --no-probe (listeners of all containers read): median {o * 1000:.0f} ms")
                print(f"ratio (whole commands, both processes started from scratch): {o / f:.2f}x")
                print(f"  without the listener pass: median {w * 1000:.0f} ms, ratio {w / f:.2f}x")
                print(f"  peak RSS of doctor: {rss / 2**20:.0f} MB", flush=True)
                if any(base):
                    print(
                        f"  baseline doctor: median {b * 1000:.0f} ms, ratio {b / f:.2f}x, peak RSS {b_rss / 2**20:.0f} MB"
                    )
                if n == 0 or args.detail_all:
                    fi, oi, ol = _in_process(ids, config, args.rounds)
                    print(f"in one process, same SDK client: inspect of every container {fi * 1000:.0f} ms, ")
                    print(f"  doctor's engine pass + rules {oi * 1000:.0f} ms, ratio {oi / fi:.2f}x")
                    print(f"  the same with the listeners of all containers {ol * 1000:.0f} ms, ratio {ol / fi:.2f}x")
                    print("\n".join(_listener_pass(ids, args.rounds)), flush=True)
        if len(results) > 1:
            (c0, f0, o0, _), (c1, f1, o1, _) = results[0], results[-1]
            print(f"growth from {c0} to {c1} containers: doctor {o1 / o0:.2f}x, docker inspect {f1 / f0:.2f}x")
    finally:
        for c in client.containers.list(all=True, filters={"label": f"{LABEL}={run}"}):
            c.remove(force=True)
        for n in client.networks.list(filters={"label": f"{LABEL}={run}"}):
            n.remove()
        pycache.cleanup()
        workdir.cleanup()


if __name__ == "__main__":
    main()
