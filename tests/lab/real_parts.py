"""Real MCP servers nobody here wrote, as Compose services of the lab base image.

scripts/lab-parts installs them on the host (containers cannot reach the registries) into
``$MCP_DOCKERNET_CACHE/lab``; here they are bind-mounted read-only: a FastMCP folder at /site, the
npm folder's node_modules at /node/node_modules and the host's node binary at /usr/local/bin/node.
Every service gets a healthcheck that connects to its port from inside (also when it listens on
loopback only), so ``docker compose up --wait`` returns once it listens.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.lab.compose_lab import agent_service
from tests.lab.docker_lab import BASE_IMAGE, LAB_DIR

CACHE = Path(os.environ.get("MCP_DOCKERNET_CACHE", Path.home() / ".cache" / "mcp-dockernet")) / "lab"
FASTMCP = {2: CACHE / "fastmcp2", 4: CACHE / "fastmcp4"}
FASTMCP_VERSIONS = {2: "2.14.7", 4: "4.2.3"}  # the pins of scripts/lab-parts
NODE_MODULES = CACHE / "node" / "node_modules"
EVERYTHING = "/node/node_modules/@modelcontextprotocol/server-everything/dist/index.js"
MCP_REMOTE = "mcp-remote/dist/proxy.js"
INSPECTOR_CLI = "@modelcontextprotocol/inspector/clients/cli/build/index.js"


def node_binary() -> Path:
    """The node scripts/lab-parts chose (the system's if >= 20, else PyPI's), resolved for a bind mount."""
    return (CACHE / "bin" / "node").resolve()


def missing() -> str:
    """Why the real parts cannot run here ('' when they can): the tests skip, or fail in CI."""
    for path in (*FASTMCP.values(), NODE_MODULES.parent):
        if not (path / ".mcp-dockernet-pins").is_file():
            return f"{path} is missing: run scripts/lab-parts (scripts/lab-up runs it)"
    if not node_binary().is_file():
        return f"{CACHE / 'bin' / 'node'} is missing: run scripts/lab-parts"
    return ""


def _listening(port: int) -> dict[str, Any]:
    probe = f"import socket; socket.create_connection(('127.0.0.1', {port}), 1)"
    return {"test": ["CMD", "python3", "-c", probe], "interval": "1s", "timeout": "2s", "retries": 120}


def _node_volumes() -> list[str]:
    return [f"{node_binary()}:/usr/local/bin/node:ro", f"{NODE_MODULES}:/node/node_modules:ro"]


def fastmcp_service(
    major: int,
    port: int = 8000,
    host: str | None = "0.0.0.0",
    *,
    transport: str = "http",
    token: str | None = None,
    environment: dict[str, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Standalone FastMCP ``major`` (2 or 4); ``host=None`` leaves FastMCP's default (127.0.0.1)."""
    command = ["python3", "/lab/fastmcp_server.py", "--transport", transport]
    if token:
        command += ["--token", token]
    env = {"PYTHONPATH": "/site", "PYTHONUNBUFFERED": "1", "FASTMCP_PORT": str(port), "PYTHONWARNINGS": "ignore"}
    env |= {
        "FASTMCP_SHOW_CLI_BANNER": "false",
        "FASTMCP_SHOW_SERVER_BANNER": "false",
        "FASTMCP_CHECK_FOR_UPDATES": "off",
    }
    if host is not None:
        env["FASTMCP_HOST"] = host
    return {
        "image": BASE_IMAGE,
        "command": command,
        "environment": env | (environment or {}),
        "volumes": [f"{FASTMCP[major]}:/site:ro", f"{LAB_DIR}:/lab:ro"],
        "expose": [str(port)],
        "healthcheck": _listening(port),
        "init": True,
        **extra,
    }


def everything_service(transport: str = "streamableHttp", port: int = 3001, **extra: Any) -> dict[str, Any]:
    """The TypeScript SDK's reference server (``streamableHttp`` at /mcp, ``sse`` at /sse); it binds [::]."""
    return {
        "image": BASE_IMAGE,
        "command": ["node", EVERYTHING, transport],
        "environment": {"PORT": str(port)},
        "volumes": _node_volumes(),
        "expose": [str(port)],
        "healthcheck": _listening(port),
        "init": True,
        **extra,
    }


def ts_service(port: int = 3001, host: str = "0.0.0.0", allowed_hosts: str = "", **extra: Any) -> dict[str, Any]:
    """A TypeScript SDK server bound to ``host``, with the transport's ``allowedHosts`` (tests/lab/ts_server.cjs)."""
    env = {"PORT": str(port), "HOST": host, "ALLOWED_HOSTS": allowed_hosts, "NODE_PATH": "/node/node_modules"}
    return {
        "image": BASE_IMAGE,
        "command": ["node", "/lab/ts_server.cjs"],
        "environment": env,
        "volumes": [*_node_volumes(), f"{LAB_DIR}:/lab:ro"],
        "expose": [str(port)],
        "healthcheck": _listening(port),
        "init": True,
        **extra,
    }


def client_service(config_dir: Path | None = None, **extra: Any) -> dict[str, Any]:
    """An agent that can run every real client: the SDK (at /site) and node with mcp-remote and the Inspector."""
    svc = agent_service(config_dir=config_dir, **extra)
    svc["volumes"] += _node_volumes()
    svc["environment"]["MCP_REMOTE_CONFIG_DIR"] = "/tmp/mcp-auth"  # mcp-remote's lock and token files
    return svc
