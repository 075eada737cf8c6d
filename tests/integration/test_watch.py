"""watch against a real engine: a server re-created with another published port gets its URL
fixed in the config without anyone running a command; /ready and /report tell the state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

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
