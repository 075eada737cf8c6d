"""Header values never reach any output: doctor (text, json, debug logs), fix's diff and fix --write.

A real MCP server (official SDK) on loopback behind a wrong path (so fix has a diff to show, on the
very lines that hold the headers), and a server that demands a token and echoes back whatever
Authorization it got (some do, in their error body): the worst case for a report that quotes bodies.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.integration.helpers import cli
from tests.lab.docker_lab import free_port

pytestmark = pytest.mark.docker

LITERAL, FROM_ENV, API_KEY, BRIDGED = "lit-7Qx9vR", "env-3Kp2wT", "key-8Wm4nY", "brg-5Zt1hU"
SECRETS = (LITERAL, FROM_ENV, API_KEY, BRIDGED)
LAB_SERVER = Path(__file__).resolve().parents[1] / "lab" / "mcp_server.py"


class _Demands(BaseHTTPRequestHandler):
    """401 with the FastMCP 2 challenge; the body echoes the Authorization it received."""

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        body = json.dumps({"error": "invalid_token", "got": self.headers.get("authorization")}).encode()
        self.send_response(401)
        self.send_header(
            "WWW-Authenticate", 'Bearer error="invalid_token", error_description="Authentication required"'
        )
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def demanding() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Demands)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield int(httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def mcp_port() -> Iterator[int]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(LAB_SERVER), "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            pytest.fail("the lab MCP server did not start in 20 s")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_no_header_value_reaches_any_output(tmp_path, demanding, mcp_port):
    cfg = tmp_path / ".mcp.json"
    wrong = f"http://127.0.0.1:{mcp_port}/wrong"
    cfg.write_text(
        "{\n"
        '  "mcpServers": {\n'
        f'    "authed": {{"type": "http", "url": "http://127.0.0.1:{demanding}/mcp", "headers": '
        f'{{"Authorization": "Bearer {LITERAL}", "X-Env": "${{SECRET_FROM_ENV}}"}}}},\n'
        f'    "moved": {{"type": "http", "url": "{wrong}", "headers": {{"X-Api-Key": "{API_KEY}"}}}},\n'
        f'    "bridged": {{"command": "npx", "args": ["mcp-remote", "{wrong}", "--header", "Authorization: '
        f'Bearer ${{BT}}"], "env": {{"BT": "{BRIDGED}"}}}}\n'
        "  }\n"
        "}\n"
    )
    env = {"SECRET_FROM_ENV": FROM_ENV}
    runs = {
        "doctor text": cli("doctor", "--config", str(cfg), "--debug", env=env),
        "doctor json": cli("doctor", "--config", str(cfg), "--format", "json", "--debug", env=env),
        "fix": cli("fix", "--config", str(cfg), "--debug", env=env),
        "fix --write": cli("fix", "--config", str(cfg), "--write", "--no-backup", "--debug", env=env),
    }
    for what, done in runs.items():
        assert done.returncode in (0, 1), (what, done.stderr[-2000:])
        for secret in SECRETS:
            assert secret not in done.stdout and secret not in done.stderr, (what, secret)

    # Not vacuous: the run judged these entries, showed the lines holding the values, masked, and wrote.
    report = json.loads(runs["doctor json"].stdout)
    by = {s["name"]: s for s in report["servers"]}
    assert [f["code"] for f in by["authed"]["findings"]] == ["auth-required"]
    assert "Authorization, X-Env" in by["authed"]["findings"][0]["message"]
    assert [f["code"] for f in by["moved"]["findings"]] == ["wrong-path"]
    assert "/wrong" in runs["fix"].stdout and "***" in runs["fix"].stdout
    written = cfg.read_text()
    assert f"http://127.0.0.1:{mcp_port}/mcp" in written and "/wrong" not in written
    assert LITERAL in written and API_KEY in written and BRIDGED in written
