"""The sidecar's page in headless Chromium (Debian's chromium): the DOM shows the entry and its verdict,
a screenshot is taken, and after the server's container is stopped the page's body says so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.lab.docker_lab import free_port, in_ci
from tests.unit.test_html import Page

pytestmark = pytest.mark.docker

KEY = "tk-page-3Qw"  # a secret query value: never on the page
NAME = "<i>paged"


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if in_ci():
            pytest.fail("CI=true but chromium is missing: run scripts/lab-up")
        pytest.skip("no chromium; run scripts/lab-up")
    return exe


def _browse(exe: str, url: str, *flags: str) -> subprocess.CompletedProcess[str]:
    argv = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=4000", *flags, url]
    return subprocess.run(argv, capture_output=True, text=True, timeout=90)


def _body(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/page", timeout=5) as r:
            return str(r.read().decode())
    except OSError:
        return ""


def _until(predicate, timeout: float = 90.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_the_page_in_chromium_shows_each_entry_and_follows_a_stop(lab, tmp_path: Path):
    exe = _chromium()
    host_port, listen = free_port(), free_port()
    container = lab.mcp_server("paged", port=8000, publish={8000: host_port})
    config = tmp_path / "mcp.json"
    url = f"http://localhost:{host_port}/mcp?token={KEY}"
    config.write_text(json.dumps({"mcpServers": {NAME: {"type": "http", "url": url}}}, indent=2))
    argv = [sys.executable, "-m", "mcp_dockernet", "watch", "--config", str(config), "--listen", f"127.0.0.1:{listen}"]
    proc = subprocess.Popen(
        [*argv, "--debounce", "0.5", "--timeout", "2", "--interval", "5"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        assert _until(lambda: "paged" in _body(listen)), "the watcher never drew its page"
        dom = _browse(exe, f"http://127.0.0.1:{listen}/", "--dump-dom")
        assert dom.returncode == 0, dom.stderr[-800:]
        page = Page()
        page.feed(dom.stdout)
        shown = "".join(page.text)
        assert NAME in shown and "ok" in shown and "last check: " in shown and KEY not in dom.stdout
        shot = tmp_path / "page.png"
        done = _browse(exe, f"http://127.0.0.1:{listen}/", f"--screenshot={shot}", "--window-size=1200,800")
        assert done.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", done.stderr[-800:]

        container.stop(timeout=1)
        assert _until(lambda: 'class="error"' in _body(listen)), _body(listen)[-2000:]
        dom = _browse(exe, f"http://127.0.0.1:{listen}/", "--dump-dom")
        assert "server-not-running" in dom.stdout and KEY not in dom.stdout
    finally:
        proc.terminate()
        proc.wait(timeout=30)
