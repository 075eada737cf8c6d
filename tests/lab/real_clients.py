"""Real MCP clients nobody here wrote, run from where the client runs: the host or inside a container.

- ``mcp-remote`` (npm), the stdio-to-HTTP bridge many clients launch: spawned with node, it gets
  ``initialize``, ``notifications/initialized`` and ``tools/list`` as JSON-RPC lines on stdin and
  answers on stdout (the MCP stdio transport: newline-delimited JSON). Its ``--transport http-only``
  / ``sse-only`` is what an entry's type means; the default ``http-first`` would hide a wrong type.
- the MCP Inspector's CLI (npm): ``--method tools/list`` prints the result as JSON.
- the official Python SDK's client, with the entry's transport and headers.

A vantage is ``"host"`` or ``"container:NAME"`` (a container with the mounts of
real_parts.client_service). Every run is bounded in time; a client that fails raises
ConnectionError with the tail of what it said.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from typing import IO, Any

from tests.lab.real_parts import INSPECTOR_CLI, MCP_REMOTE, NODE_MODULES, node_binary

PROTOCOL = "2025-06-18"
_REMOTE_TRANSPORT = {"http": "http-only", "sse": "sse-only"}


def _node_argv(script: str, vantage: str) -> list[str]:
    if vantage == "host":
        return [str(node_binary()), str(NODE_MODULES / script)]
    container = vantage.removeprefix("container:")
    return ["docker", "exec", "-i", container, "node", f"/node/node_modules/{script}"]


def _host_env(home: str) -> dict[str, str]:
    # Their state (mcp-remote's ~/.mcp-auth, the Inspector's ~/.mcp-inspector) goes to a temp HOME.
    return {**os.environ, "HOME": home, "MCP_REMOTE_CONFIG_DIR": os.path.join(home, ".mcp-auth")}


def remote_tools(
    url: str,
    transport: str = "http",
    vantage: str = "host",
    headers: Mapping[str, str] | None = None,
    timeout: float = 30,
) -> list[str]:
    """List tools through ``mcp-remote URL --transport http-only|sse-only`` as a stdio client would."""
    argv = _node_argv(MCP_REMOTE, vantage) + [url, "--transport", _REMOTE_TRANSPORT[transport], "--allow-http"]
    for name, value in (headers or {}).items():
        argv += ["--header", f"{name}:{value}"]
    with tempfile.TemporaryDirectory() as home:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_host_env(home) if vantage == "host" else None,
        )
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        lines: queue.Queue[str] = queue.Queue()
        err: list[str] = []
        threading.Thread(target=_pump, args=(proc.stdout, lines.put), daemon=True).start()
        threading.Thread(target=_pump, args=(proc.stderr, err.append), daemon=True).start()
        deadline = time.monotonic() + timeout
        try:
            init = {"protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": {"name": "lab", "version": "1"}}
            _send(proc.stdin, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init})
            _answer(lines, 1, deadline, err)
            _send(proc.stdin, {"jsonrpc": "2.0", "method": "notifications/initialized"})
            _send(proc.stdin, {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}})
            return [t["name"] for t in _answer(lines, 2, deadline, err)["tools"]]
        finally:
            _stop(proc)


def inspector_tools(
    url: str,
    transport: str = "http",
    vantage: str = "host",
    headers: Mapping[str, str] | None = None,
    timeout: float = 30,
) -> list[str]:
    """List tools with the Inspector's CLI: ``--cli URL --transport T --method tools/list``."""
    argv = _node_argv(INSPECTOR_CLI, vantage) + [url, "--transport", transport, "--method", "tools/list"]
    for name, value in (headers or {}).items():
        argv += ["--header", f"{name}: {value}"]
    with tempfile.TemporaryDirectory() as home:
        done = _run(argv, timeout, env=_host_env(home) if vantage == "host" else None)
    try:
        return [t["name"] for t in json.loads(done.stdout)["tools"]]
    except (ValueError, KeyError) as e:
        raise ConnectionError(f"the Inspector printed no tools ({e}): {done.stdout[-400:]}") from e


_SDK = """
import asyncio, json, sys
from mcp.client import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
url, transport, headers = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
async def go():
    if transport == "sse":
        server = sse_client(url, headers=headers)
    else:
        server = streamable_http_client(url, http_client=create_mcp_http_client(headers=headers))
    async with Client(server) as c:
        print(json.dumps([t.name for t in (await c.list_tools()).tools]))
asyncio.run(asyncio.wait_for(go(), 25))
"""


def sdk_tools(
    url: str,
    transport: str = "http",
    vantage: str = "host",
    headers: Mapping[str, str] | None = None,
    timeout: float = 40,
) -> list[str]:
    """The official SDK's client with the entry's transport and headers, from the vantage."""
    tail = ["-c", _SDK, url, transport, json.dumps(dict(headers or {}))]
    if vantage == "host":
        argv = [sys.executable, *tail]
    else:
        argv = ["docker", "exec", vantage.removeprefix("container:"), "python3", *tail]
    done = _run(argv, timeout)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def _run(argv: list[str], timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as e:
        raise ConnectionError(f"{argv[-1]}: no answer in {timeout:.0f} s") from e
    if done.returncode != 0:
        raise ConnectionError(f"exit {done.returncode}: {(done.stderr or done.stdout)[-800:]}")
    return done


def _pump(stream: IO[str], put: Any) -> None:
    for line in stream:
        put(line)


def _send(stdin: IO[str], message: dict[str, Any]) -> None:
    stdin.write(json.dumps(message) + "\n")
    stdin.flush()


def _answer(lines: queue.Queue[str], msg_id: int, deadline: float, err: list[str]) -> dict[str, Any]:
    """The result for ``msg_id``; notifications and other lines are skipped (bounded by the deadline)."""
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("id") == msg_id:
            if "error" in message:
                raise ConnectionError(f"mcp-remote: {message['error']}; stderr: {''.join(err)[-800:]}")
            return dict(message["result"])
    raise ConnectionError(f"mcp-remote: no answer to request {msg_id}; stderr: {''.join(err)[-800:]}")


def _stop(proc: subprocess.Popen[str]) -> None:
    # Closing stdin is how a stdio client ends the bridge (it exits, and so does `docker exec -i`).
    try:
        if proc.stdin:
            proc.stdin.close()
        proc.wait(timeout=5)
    except (subprocess.TimeoutExpired, BrokenPipeError, OSError):
        proc.kill()
        proc.wait(timeout=5)


_SDK_STDIO = """
import asyncio, json, sys
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters, stdio_client
spec = json.loads(sys.argv[1])
async def go():
    params = StdioServerParameters(command=spec["command"], args=spec["args"], env=spec["env"], cwd=spec["cwd"])
    async with Client(stdio_client(params)) as c:
        print(json.dumps([t.name for t in (await c.list_tools()).tools]))
asyncio.run(asyncio.wait_for(go(), float(sys.argv[2])))
"""


def sdk_stdio_tools(
    command: str,
    args: list[str],
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    timeout: float = 40,
) -> list[str]:
    """The official SDK's stdio client starts the command as a client would (env merged over ours) and
    lists the tools: the proof a stdio entry works. ConnectionError with its stderr when it does not."""
    spec = {"command": command, "args": args, "env": {**os.environ, **(env or {})}, "cwd": cwd}
    done = _run([sys.executable, "-c", _SDK_STDIO, json.dumps(spec), str(timeout - 5)], timeout)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))
