"""watch against a real engine: a server re-created with another published port gets its URL
fixed in the config without anyone running a command; /ready and /report tell the state."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import docker
import pytest

from tests.lab.compose_lab import agent_service, mcp_service, wait_for_mcp_log
from tests.lab.docker_lab import free_port

pytestmark = pytest.mark.docker


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def _wait(predicate, timeout=60.0, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def test_watch_fixes_the_url_after_the_server_is_recreated_on_another_port(lab, tmp_path):
    first, second, listen = free_port(), free_port(), free_port()
    lab.mcp_server("watched", port=8000, publish={8000: first})
    config = tmp_path / "mcp.json"
    config.write_text(
        json.dumps({"mcpServers": {"s": {"type": "http", "url": f"http://localhost:{first}/mcp"}}}, indent=2)
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mcp_dockernet",
            "watch",
            "--config",
            str(config),
            "--write",
            "--listen",
            f"127.0.0.1:{listen}",
            "--debounce",
            "0.5",
            "--timeout",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        assert _wait(lambda: _ready(listen) == 200), "the watcher never reported ready"
        status, report = _get(f"http://127.0.0.1:{listen}/report")
        assert status == 200 and report["servers"][0]["status"] == "ok"

        lab.client.containers.get(lab.name("watched")).remove(force=True)
        lab.mcp_server("watched", port=8000, publish={8000: second})  # re-created: same name, new port
        started = time.monotonic()
        assert _wait(lambda: f"localhost:{second}" in config.read_text()), config.read_text()
        reaction = time.monotonic() - started
        assert _wait(lambda: _ready(listen) == 200)
        print(f"watch reacted {reaction:.2f}s after the new server logged its start")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    changes = [line for line in out.splitlines() if " changed " in line]
    assert len(changes) == 1 and f"localhost:{first}/mcp -> http://localhost:{second}/mcp" in changes[0]
    assert (tmp_path / "mcp.json.bak").exists()


def _ready(port):
    try:
        return _get(f"http://127.0.0.1:{port}/ready")[0]
    except OSError:
        return None


# --- watch settles: its own helpers never trigger a check, and nothing is left behind -------------

HELPER_LABEL = "mcp-dockernet.helper"
QUIET_S = 20.0


class WatchRun:
    """The real CLI's `watch` in a subprocess; its log lines collected with their arrival time."""

    def __init__(self, *args: str):
        self.lines: list[tuple[float, str]] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mcp_dockernet", "watch", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:  # ends when the process exits
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def checks(self, since: float = 0.0) -> list[tuple[float, str]]:
        return [(t, line) for t, line in self.lines if t >= since and " checking: " in line]

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)  # what `docker stop` sends the sidecar
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(timeout=10)
        self.reader.join(timeout=10)
        return code


def _helpers_of(docker_client, target_id: str) -> list[str]:
    """Our helper containers (any state) that joined `target_id`'s namespace: other sessions' are not counted."""
    found = docker_client.api.containers(all=True, filters={"label": HELPER_LABEL})
    mine = []
    for c in found:
        try:
            mode = docker_client.api.inspect_container(c["Id"])["HostConfig"]["NetworkMode"]
        except Exception:  # removed between the list and the inspect: gone, as it should be
            continue
        if mode == f"container:{target_id}":
            mine.append(c["Id"][:12])
    return mine


class HelperLives:
    """Helper containers started in `target_id`'s namespace and their removal, seen live on the engine's
    own event stream. A start is inspected at once (a helper lives for a second at least) to tell ours
    from the helpers of other sessions on the same engine; the stream ends by itself at `until`."""

    def __init__(self, target_id: str, budget_s: float):
        self.api, self.target = docker.from_env(timeout=20).api, target_id  # its own connections
        self.started: dict[str, float] = {}
        self.removed: dict[str, float] = {}
        self.until = int(time.time() + budget_s)
        self.thread = threading.Thread(target=self._follow, daemon=True)
        self.thread.start()

    def _follow(self) -> None:
        filters = {"type": ["container"], "event": ["start", "destroy"], "label": [HELPER_LABEL]}
        try:
            self._record(self.api.events(decode=True, filters=filters, since=int(time.time()) - 1, until=self.until))
        except Exception:  # closed by close(): the test is over
            pass

    def _record(self, events) -> None:
        for event in events:
            if event["Action"] == "destroy" and event["id"] in self.started:
                self.removed[event["id"]] = time.monotonic()
            elif event["Action"] == "start":
                try:
                    mode = self.api.inspect_container(event["id"])["HostConfig"]["NetworkMode"]
                except Exception:
                    continue
                if mode == f"container:{self.target}":
                    self.started[event["id"]] = time.monotonic()

    def not_removed(self) -> list[str]:
        _wait(lambda: set(self.started) <= set(self.removed), timeout=10)
        self.api.close()
        return [cid[:12] for cid in self.started if cid not in self.removed]

    def longest_life(self) -> float:
        return max((self.removed[c] - t for c, t in self.started.items() if c in self.removed), default=0.0)


def _agent_project(compose_lab, tmp_path, url: str):
    folder = tmp_path / "cfg"
    folder.mkdir()
    config = folder / "mcp.json"
    config.write_text(json.dumps({"mcpServers": {"tools": {"type": "http", "url": url}}}, indent=2) + "\n")
    path = compose_lab.write("quiet", {"agent": agent_service(config_dir=folder), "server": mcp_service(8000)})
    compose_lab.up(path)
    project = compose_lab.project("quiet")
    wait_for_mcp_log(f"{project}-server-1")
    return config, f"{project}-agent-1"


def _watch_quietly(compose_lab, docker_client, tmp_path, url: str):
    """Start watch on an agent's config, wait for the first verdict, then QUIET_S of nothing happening;
    stop it as `docker stop` would. Every helper container it started must be gone by then."""
    config, agent = _agent_project(compose_lab, tmp_path, url)
    agent_id = docker_client.api.inspect_container(agent)["Id"]
    listen = free_port()
    helpers = HelperLives(agent_id, budget_s=90 + QUIET_S + 60)
    run = WatchRun("--config", str(config), "--listen", f"127.0.0.1:{listen}", "--debounce", "0.5", "--timeout", "10")
    try:
        assert _wait(lambda: _report(listen) is not None, timeout=90), "\n".join(x for _, x in run.lines)
        first_verdict = time.monotonic()
        report = _report(listen)
        assert report["servers"][0]["probe"]["vantage"] == f"container:{agent}", report["servers"][0]
        time.sleep(QUIET_S)
    finally:
        code = run.stop()
    left = _helpers_of(docker_client, agent_id)
    not_removed = helpers.not_removed()
    print(f"{len(helpers.started)} helper containers started in the agent's namespace, each removed within")
    print(f"  {helpers.longest_life():.1f}s; not removed: {not_removed}; left after the stop: {left}; exit {code}")
    # Probes from the agent went through helper containers: the events this test is about.
    assert helpers.started, "no helper container was started: the test would prove nothing"
    assert not_removed == [] and left == [] and code == 0, (not_removed, left, code)
    return run, first_verdict, report


def _rounds(run: WatchRun, run_id: str):
    """(start, reason, end, announced delay, foreign) per check, from the "checking:" and "checked:" lines."""
    rounds, begun = [], None
    for t, line in run.lines:
        if " checking: " in line:
            begun = (t, line.split(" checking: ", 1)[1])
        elif " checked: " in line and begun is not None:
            delay = float(line.split("next check in ", 1)[1].split("s ", 1)[0])
            # Other test sessions share this engine: events of containers and networks that are neither
            # this test's (named with its run id) nor helpers (named mcp-dockernet-helper-*) are theirs.
            name = begun[1].rsplit(" ", 1)[-1]
            event = begun[1].split(" ", 1)[0] in ("container", "network")
            foreign = event and run_id not in name and not name.startswith("mcp-dockernet-helper-")
            rounds.append((begun[0], begun[1], t, delay, foreign))
            begun = None
    return rounds


def test_quiet_healthy_project_is_checked_once_and_leaves_no_helper(compose_lab, docker_client, tmp_path):
    run, first_verdict, report = _watch_quietly(compose_lab, docker_client, tmp_path, "http://server:8000/mcp")
    rounds = _rounds(run, compose_lab.run_id)
    ours = [r for r in rounds if not r[4]]
    print(f"healthy: {len(ours)} checks of ours in {QUIET_S + first_verdict - run.lines[0][0]:.0f}s, and")
    print(f"  {len(rounds) - len(ours)} for other test sessions' containers: {[(r[1], r[3]) for r in rounds]}")
    assert report["servers"][0]["status"] == "ok", report["servers"][0]["findings"]
    # The first one only: nothing caused by its own helper containers or execs; the next in --interval.
    assert [(r[1], r[3]) for r in ours] == [("engine connected", 60.0)], rounds


def test_quiet_broken_project_backs_off_and_leaves_no_helper(compose_lab, docker_client, tmp_path):
    run, first_verdict, report = _watch_quietly(compose_lab, docker_client, tmp_path, "http://localhost:8000/mcp")
    rounds = _rounds(run, compose_lab.run_id)
    recheck = "re-check while something is wrong"
    print(f"broken: {len(rounds)} checks, {sum(r[1] == recheck for r in rounds)} of them re-checks,")
    print(f"  {sum(r[4] for r in rounds)} for other sessions: {[(r[1], r[3]) for r in rounds]}")
    assert report["servers"][0]["status"] != "ok", report
    by_events = [r[1] for r in rounds if not r[4] and r[1] != recheck]
    assert by_events == ["engine connected"], rounds  # no check caused by its own helpers or execs
    assert rounds[0][3] == 1.0, rounds
    for before, after in zip(rounds, rounds[1:], strict=False):
        gap = after[0] - before[2]
        # The schedule: 1 s after a check caused by a change, then doubling up to --interval ...
        assert after[3] == (min(before[3] * 2, 60.0) if after[1] == recheck else 1.0), (before, after)
        if after[1] == recheck:  # ... never sooner (no spin), and when due (it does look again)
            assert before[3] - 0.1 <= gap <= before[3] + 3.0, (before, after)
    # (a foreign event that came before the re-check was due replaces it, after its debounce)
    assert rounds[-1][2] + rounds[-1][3] + 5.0 >= first_verdict + QUIET_S, rounds


def _report(port):
    try:
        status, body = _get(f"http://127.0.0.1:{port}/report")
    except OSError:
        return None
    return body if status == 200 and body.get("servers") else None
