"""The watcher's own small HTTP endpoint: /healthz, /ready and /report.

/healthz  200 when the watcher runs and sees the engine, else 503
/ready    200 when, in addition, every watched MCP server is reachable (the container's HEALTHCHECK,
          so `depends_on: condition: service_healthy` can gate an agent's start), else 503
/report   the last doctor report (schema mcp-dockernet/doctor/v1), secrets already masked
/         the same report as a page with the map (render/html.py); it follows /page without a reload
/page     that page's body alone
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mcp_dockernet.watch import State, page_html, report_json

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'"


def serve(state: State, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            status = state.snapshot()
            if self.path == "/healthz":
                self._send(200 if status["engine"] == "ok" else 503, json.dumps(status).encode())
            elif self.path == "/ready":
                ready = status["engine"] == "ok" and status["servers_ok"]
                self._send(200 if ready else 503, json.dumps(status).encode())
            elif self.path == "/report":
                self._send(200, report_json(state))
            elif self.path in ("/", "/page"):
                self._send(200, page_html(state, whole=self.path == "/"), "text/html; charset=utf-8")
            else:
                self._send(404, b'{"error": "not found"}')

        def _send(self, code: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            if kind.startswith("text/html"):  # the page loads nothing from anywhere; its one script asks /page
                self.send_header("Content-Security-Policy", CSP)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # health checks every few seconds would drown the change log

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
