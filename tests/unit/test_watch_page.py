"""The sidecar's page: / is the whole document with its one inline script, /page the body it swaps in."""

from __future__ import annotations

import urllib.request

from mcp_dockernet import engine
from mcp_dockernet.model import ConfigFile, ServerEntry, Span
from mcp_dockernet.run import Diagnosis, Selection
from mcp_dockernet.watch import State, Watcher
from mcp_dockernet.watch_http import serve
from tests.unit.rules.factory import box, probe, snapshot
from tests.unit.test_html import Page

URL = "http://localhost:8000/mcp?token=SeCrEt-88"
NAME = "<img src=x onerror=alert(1)>"


def _diagnosis() -> Diagnosis:
    entry = ServerEntry(NAME, "c.json", "claude-code", "mcpServers", 1, URL, Span(0, 1), "streamable-http", True)
    config = ConfigFile("c.json", "claude-code", "{}", "x", (entry,), ())
    snap = snapshot(URL, [box("srv", publish={8000: 3000})], probes=(probe(URL, False),), config=config)
    return Diagnosis([config], engine.run(snap, debug=True), snap)


def _get(port: int, path: str) -> tuple[str, str, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        return r.headers["Content-Type"], r.headers.get("Content-Security-Policy", ""), r.read().decode()


def test_the_page_follows_the_state_escapes_and_loads_nothing():
    state = State()
    server = serve(state, "127.0.0.1", 0)
    try:
        port = server.server_address[1]
        kind, csp, pending = _get(port, "/")
        assert kind.startswith("text/html") and "default-src 'none'" in csp and "no check has finished yet" in pending
        diagnosis = _diagnosis()
        Watcher(Selection(), False, state, diagnose_fn=lambda sel, remembered: diagnosis).round()
        _, _, whole = _get(port, "/")
        _, _, part = _get(port, "/page")
        assert part in whole and part.startswith('<div id="page">') and "<script" not in part
        page = Page()
        page.feed(whole)
        assert [t for t, a in page.tags if t == "script" and "src" in a] == [] and "img" not in [
            t for t, _ in page.tags
        ]
        assert NAME in "".join(page.text) and "SeCrEt-88" not in whole and "last check: " in whole
        assert "error" in part and ("wrong-port" in part or "server-not-running" in part)
    finally:
        server.shutdown()
