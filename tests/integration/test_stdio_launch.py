"""--launch for real: the lab's stdio servers (official SDK) started on the host and by docker run, spoken to with
the SDK's client, and nothing left behind: no process of the launch's group, no container with its label."""

from __future__ import annotations

import http.server
import json
import os
import sys
import threading
import time
import uuid

import psutil
import pytest

from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.probes.launch_containers import LABEL
from mcp_dockernet.probes.stdio_launch import launch_all
from tests.integration.helpers import cli
from tests.lab.docker_lab import BASE_IMAGE, LAB_DIR, SITE_PACKAGES
from tests.lab.docker_lab import LABEL as TEST_LABEL
from tests.unit.rules.factory import stdio_entry

SERVER = str(LAB_DIR / "stdio_server.py")
SECRET = f"tok-{uuid.uuid4().hex}"  # a value the entry passes on, which the server prints with --leak


def environ(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("API_KEY", "UPSTREAM_URL", "SERVICE_TOKEN")}
    return {**env, **extra}


def host_entry(*args: str, env: tuple[tuple[str, str], ...] = (), name: str = "s"):
    return stdio_entry(sys.executable, (SERVER, *args), env=env, name=name)


def one(entry, timeout: float = 20, env: dict[str, str] | None = None, **kw):
    (result,) = launch_all([entry], timeout, environ() if env is None else env, **kw)
    return result


# --- on the host ---


def test_a_healthy_server_answers():
    r = one(host_entry("healthy", "--name", "lab-healthy"))
    assert (r.outcome, r.server_name, r.server_version, r.tool_count) == ("mcp", "lab-healthy", "1.0.0", 2)
    assert r.protocol_version and 0 < r.seconds < 20 and r.exit_code is None


def test_a_missing_env_var_exits_and_its_stderr_says_so_with_no_secret():
    r = one(host_entry("needs-env", "--leak", env=(("SERVICE_TOKEN", SECRET),)))
    assert (r.outcome, r.exit_code) == ("exited", 1)
    assert r.stderr_tail[-1] == "error: API_KEY is not set"
    assert "config: SERVICE_TOKEN=*** (token ***)" in r.stderr_tail  # printed by the server, masked by us
    assert SECRET not in repr(r)
    # and with the variable in the entry's env, the same server answers
    ok = one(host_entry("needs-env", env=(("API_KEY", SECRET),)))
    assert ok.outcome == "mcp" and ok.tool_count == 2


def test_an_unreachable_upstream_exits_with_its_error_and_a_reachable_one_answers():
    with socket_nobody_listens() as port:
        r = one(host_entry("needs-upstream", env=(("UPSTREAM_URL", f"http://127.0.0.1:{port}/health"),)))
    assert (r.outcome, r.exit_code) == ("exited", 1)
    assert r.stderr_tail[-1].startswith(f"error: cannot reach the upstream http://127.0.0.1:{port}/health")
    assert "Connection refused" in r.stderr_tail[-1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        assert one(host_entry("needs-upstream", env=(("UPSTREAM_URL", url),))).outcome == "mcp"
    finally:
        server.shutdown()


def test_a_silent_server_times_out_within_the_bound_and_its_whole_group_goes():
    """The stubborn one ignores SIGTERM and end-of-stdin and has a child: only a group SIGKILL ends both."""
    marker = f"silent-{uuid.uuid4().hex[:8]}"
    most = watch_processes(marker)
    started = time.monotonic()
    r = one(host_entry("silent", "--stubborn", "--name", marker), timeout=3)
    took = time.monotonic() - started
    most.stop()
    assert r.outcome == "timeout" and "answered nothing MCP in 3 s" in r.detail
    assert r.stderr_tail == ("silent: reading stdin, answering nothing",)
    assert 3 <= took < 3 + 7, took  # the timeout, then the stop: stdin 1 s, SIGTERM 1 s, SIGKILL
    assert most.seen >= 2, "the server and its child should both have run"
    assert alive(marker) == []


def test_a_command_that_is_not_there_cannot_start():
    r = one(stdio_entry("mcp-dockernet-no-such-server", ()))
    assert r.outcome == "error" and "spawn ENOENT" in r.detail


def test_launches_run_side_by_side_within_the_bound():
    entries = [host_entry("silent", name=f"quiet{i}") for i in range(4)]
    started = time.monotonic()
    results = launch_all(entries, 2, environ(), max_parallel=4)
    assert [r.outcome for r in results] == ["timeout"] * 4
    assert time.monotonic() - started < 2 + 7  # together, not one after the other (4 x 2 s)


# --- docker run ---

DOCKER_RUN = ("-v", f"{SITE_PACKAGES}:/site:ro", "-v", f"{LAB_DIR}:/lab:ro", "-e", "PYTHONPATH=/site")


def docker_entry(lab, *server_args: str, flags: tuple[str, ...] = ("-i",), name: str = "d"):
    """A docker run line as a vendor's README writes it, plus the test label so the lab would clean up after us."""
    args = ("run", *flags, "--label", f"{TEST_LABEL}={lab.run_id}", *DOCKER_RUN, BASE_IMAGE)
    return stdio_entry("docker", (*args, "python3", "/lab/stdio_server.py", *server_args), name=name)


def ours(docker_client) -> list[str]:
    return [c.id for c in docker_client.containers.list(all=True, filters={"label": LABEL})]


def noise_state(docker_client, noise) -> list[tuple[str, str]]:
    found = docker_client.containers.list(all=True, filters={"label": f"com.docker.compose.project={noise.name}"})
    return sorted((c.id, c.status) for c in found)


@pytest.mark.docker
def test_docker_run_without_rm_answers_and_its_container_is_removed(lab, docker_client, noise):
    before = noise_state(docker_client, noise)
    assert before, "the noise project runs beside every engine test"
    r = one(docker_entry(lab, "healthy"), docker_api=docker_client.api)
    assert (r.outcome, r.server_name, r.tool_count) == ("mcp", "lab-stdio", 2), r.detail
    assert len(r.removed_containers) == 1  # no --rm: only the clean-up removed it
    assert ours(docker_client) == []
    assert noise_state(docker_client, noise) == before  # an unrelated project's containers are untouched


@pytest.mark.docker
def test_docker_run_without_i_exits_and_the_cli_cleans_up_without_our_api(lab, docker_client):
    r = one(docker_entry(lab, "healthy", flags=()), docker_api=None)
    assert (r.outcome, r.exit_code) == ("exited", 0), r.detail  # stdin closed: the SDK server ends at EOF
    assert "before answering initialize" in r.detail and len(r.removed_containers) == 1
    assert ours(docker_client) == []


@pytest.mark.docker
def test_docker_run_needs_env_exits_with_its_line_and_the_passed_value_masked(lab, docker_client):
    entry = docker_entry(lab, "needs-env", "--leak", flags=("-i", "--rm", "-e", "API_KEY", "-e", "SERVICE_TOKEN"))
    r = one(entry, env=environ(SERVICE_TOKEN=SECRET), docker_api=docker_client.api)
    assert (r.outcome, r.exit_code) == ("exited", 1), r.detail
    assert r.stderr_tail[-1] == "error: API_KEY is not set" and SECRET not in repr(r)
    assert "config: SERVICE_TOKEN=*** (token ***)" in r.stderr_tail
    assert ours(docker_client) == []


@pytest.mark.docker
def test_a_silent_container_times_out_and_is_removed(lab, docker_client):
    """PID 1 in the container ignores the SIGTERM docker run passes on: the container outlives its CLI."""
    started = time.monotonic()
    r = one(docker_entry(lab, "silent", "--stubborn"), timeout=5, docker_api=docker_client.api)
    assert r.outcome == "timeout" and len(r.removed_containers) == 1, r.detail
    assert time.monotonic() - started < 5 + 15
    assert ours(docker_client) == []


# --- the CLI, on a real config file ---


def test_doctor_launch_json_on_a_real_mcp_json(tmp_path):
    config = tmp_path / ".mcp.json"
    servers = {
        "healthy": {"command": sys.executable, "args": [SERVER, "healthy"]},
        "needs-env": {
            "command": sys.executable,
            "args": [SERVER, "needs-env", "--leak"],
            "env": {"SERVICE_TOKEN": SECRET},
        },
    }
    config.write_text(json.dumps({"mcpServers": servers}, indent=2) + "\n")
    assert all(e.stdio is not None for e in load_config(str(config), explicit=True).entries)  # read as stdio
    done = cli("doctor", "--config", str(config), "--launch", "--format", "json", env=environ(), cwd=str(tmp_path))
    assert done.returncode == 1, done.stderr
    assert SECRET not in done.stdout + done.stderr
    report = {s["name"]: s for s in json.loads(done.stdout)["servers"]}
    healthy, failing = report["healthy"], report["needs-env"]
    assert healthy["status"] == "ok" and healthy["launch"]["outcome"] == "mcp" and healthy["launch"]["tool_count"] == 2
    assert failing["status"] == "error" and [f["code"] for f in failing["findings"]] == ["stdio-exits-at-start"]
    assert failing["launch"]["exit_code"] == 1 and failing["launch"]["stderr_tail"][-1] == "error: API_KEY is not set"
    assert '"error: API_KEY is not set"' in failing["findings"][0]["message"]
    text = cli("doctor", "--config", str(config), "--launch", env=environ(), cwd=str(tmp_path))
    assert "stdio-exits-at-start" in text.stdout and SECRET not in text.stdout + text.stderr


# --- helpers ---


class socket_nobody_listens:
    """A loopback port that was free a moment ago (bound, then closed): connecting is refused."""

    def __enter__(self) -> int:
        from tests.lab.docker_lab import free_port

        return free_port()

    def __exit__(self, *exc: object) -> None:
        return None


class watch_processes:
    """Counts, while a launch runs, the processes whose command line carries the marker."""

    def __init__(self, marker: str) -> None:
        self.marker, self.seen, self._stop = marker, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.seen = max(self.seen, len(alive(self.marker)))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def alive(marker: str) -> list[int]:
    found = []
    for p in psutil.process_iter(["cmdline", "status"]):
        if p.info["status"] != psutil.STATUS_ZOMBIE and any(marker in a for a in p.info["cmdline"] or ()):
            found.append(p.pid)
    return found
