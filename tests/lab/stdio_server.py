"""A real stdio MCP server (the official Python SDK) for the test lab, in one of the ways such servers behave.

    python3 stdio_server.py MODE [--name NAME] [--leak] [--stubborn]

MODE:
  healthy         serves two tools (echo, add) over stdin/stdout
  needs-env       exits 1 with "error: API_KEY is not set" on stderr unless API_KEY is set (never prints it)
  needs-upstream  GETs $UPSTREAM_URL at start and exits 1 with the error when it does not answer
  silent          reads stdin and never answers
--leak: before an exit, print every variable whose name ends in _TOKEN to stderr, value and all
(servers that dump their configuration in an error message exist; the launch must mask them).
--stubborn (silent): ignore SIGTERM and the end of stdin, and keep a child process of its own: the
worst case for a launcher that must leave nothing running.

Runs on the host with the test venv's python, and in a lab container with the SDK mounted:
docker run -i --rm -v SITE:/site:ro -v LAB:/lab:ro -e PYTHONPATH=/site BASE python3 /lab/stdio_server.py MODE
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["healthy", "needs-env", "needs-upstream", "silent"])
    parser.add_argument("--name", default="lab-stdio")
    parser.add_argument("--leak", action="store_true")
    parser.add_argument("--stubborn", action="store_true")
    args = parser.parse_args()
    if args.mode == "silent":
        return _silent(args.stubborn, args.name)
    if args.mode == "needs-env" and not os.environ.get("API_KEY"):
        _fail("error: API_KEY is not set", args.leak)
    if args.mode == "needs-upstream":
        _upstream(os.environ.get("UPSTREAM_URL", ""), args.leak)
    _serve(args.name)


def _serve(name: str) -> None:
    from mcp.server.mcpserver import MCPServer

    server = MCPServer(name=name, version="1.0.0")

    @server.tool()
    def echo(text: str) -> str:
        """Return the text it is given."""
        return text

    @server.tool()
    def add(a: int, b: int) -> int:
        """Add two numbers."""
        return a + b

    server.run("stdio")


def _upstream(url: str, leak: bool) -> None:
    if not url:
        _fail("error: UPSTREAM_URL is not set", leak)
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            answer.read(1024)
    except Exception as e:  # whatever stops the GET: the server cannot start without its upstream
        _fail(f"error: cannot reach the upstream {url}: {e}", leak)


def _fail(message: str, leak: bool) -> None:
    print("starting lab-stdio", file=sys.stderr)
    if leak:
        for name, value in sorted(os.environ.items()):
            if name.endswith("_TOKEN"):
                print(f"config: {name}={value} (token {value})", file=sys.stderr)
    print(message, file=sys.stderr, flush=True)
    sys.exit(1)


def _silent(stubborn: bool, name: str) -> None:
    if stubborn:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        # The child inherits our process group: only a kill of the whole group ends it.
        sleeper = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
        subprocess.Popen([sys.executable, "-c", sleeper, name])  # its name in the command line: tests find it
    print("silent: reading stdin, answering nothing", file=sys.stderr, flush=True)
    for _ in sys.stdin:
        pass
    while stubborn:
        time.sleep(1)


if __name__ == "__main__":
    main()
