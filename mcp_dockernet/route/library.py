"""Which server library answered, from what the probe recorded and what the set-up shows (pure).

Fix texts name settings that differ per library (docs/server-libraries.md has the measured table):
the official Python SDK (``mcp``: ``MCPServer`` in 2.x, the bundled ``FastMCP`` in 1.x), standalone
FastMCP (PyPI ``fastmcp``: 2.x and the current major), and the TypeScript SDK on express. Each
clue below is an answer one of them gives and the others do not; a clue that fits several gives a
family that says so (``PYTHON``: uvicorn, the SDK or FastMCP).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from mcp_dockernet.model import ProbeResult, Snapshot
from mcp_dockernet.route.peers import Peer

if TYPE_CHECKING:
    from mcp_dockernet.compose.model import ComposeService


class Family(StrEnum):
    PYTHON_SDK = "python-sdk"  # PyPI mcp: MCPServer (2.x) or its bundled FastMCP (1.x)
    FASTMCP = "fastmcp"  # PyPI fastmcp, standalone
    PYTHON = "python"  # a Python ASGI server (uvicorn): the SDK or FastMCP, not told apart
    TYPESCRIPT_SDK = "typescript-sdk"  # npm @modelcontextprotocol/sdk, on express / Node


class Clue(StrEnum):
    """Which answer or set-up fact told the library: rules that judge the answer itself read this."""

    SDK_HOST_CHECK = "sdk-host-check"  # 421 Invalid Host header
    FASTMCP_HOST_CHECK = "fastmcp-host-check"  # 421 Misdirected Request
    FASTMCP_ORIGIN_CHECK = "fastmcp-origin-check"  # 403 Forbidden Origin
    TS_TRANSPORT_HOST_CHECK = "ts-transport-host-check"  # 403 Invalid Host header: HOST:PORT
    TS_APP_HOST_CHECK = "ts-app-host-check"  # 403 Invalid Host: NAME
    EXPRESS_NOT_FOUND = "express-not-found"  # express's "Cannot POST /x" page
    AUTH_TEXT = "auth-text"  # FastMCP's invalid_token description
    SERVER_INFO = "server-info"  # a library's default serverInfo name
    SERVER_HEADER = "server-header"  # Server: uvicorn
    SETUP = "setup"  # the process name, the image, the environment


HOST_CHECKS = frozenset(
    {Clue.SDK_HOST_CHECK, Clue.FASTMCP_HOST_CHECK, Clue.TS_TRANSPORT_HOST_CHECK, Clue.TS_APP_HOST_CHECK}
)


@dataclass(frozen=True, slots=True)
class ServerLibrary:
    family: Family
    why: str  # the clue, in words, for a finding's evidence
    major: int | None = None  # the library's major version, when the clue tells it
    clue: Clue = Clue.SETUP

    @property
    def label(self) -> str:
        if self.family is Family.FASTMCP:
            return "standalone FastMCP" + (f" {self.major}.x" if self.major else "")
        if self.family is Family.PYTHON_SDK:
            return "the official Python SDK" + (f" {self.major}.x" if self.major else "")
        if self.family is Family.TYPESCRIPT_SDK:
            return "the TypeScript SDK (express)"
        return "a Python server on uvicorn (the official SDK or FastMCP)"


_VERSION = re.compile(r"^(\d+)\.\d+")


def _major(version: str | None) -> int | None:
    m = _VERSION.match(version or "")
    return int(m.group(1)) if m else None


def library_of(probe: ProbeResult) -> ServerLibrary | None:
    """The library behind a probe's answer, or None when nothing it recorded tells."""
    status, body = probe.http_status, probe.body
    low = body.lower()
    # mcp transport_security.py:116 (2.3.0; 1.x the same): Response("Invalid Host header", 421).
    if status == 421 and low.startswith("invalid host header"):
        return ServerLibrary(
            Family.PYTHON_SDK, "421 Invalid Host header (the SDK's DNS-rebinding check)", clue=Clue.SDK_HOST_CHECK
        )
    # fastmcp 4.2.3 server/http.py:260 (HostOriginGuardMiddleware; 3.x too): 421 "Misdirected Request";
    # :279 a foreign Origin: 403 "Forbidden Origin". FastMCP 2.x has no Host check at all.
    if status == 421 and low.startswith("misdirected request"):
        return ServerLibrary(
            Family.FASTMCP,
            "421 Misdirected Request (FastMCP's host/origin guard, 3.x and later)",
            clue=Clue.FASTMCP_HOST_CHECK,
        )
    if status == 403 and low.startswith("forbidden origin"):
        return ServerLibrary(
            Family.FASTMCP, "403 Forbidden Origin (FastMCP's host/origin guard)", clue=Clue.FASTMCP_ORIGIN_CHECK
        )
    # TS SDK 1.32.2: the transport's allowedHosts (webStandardStreamableHttp.js:150, sse.js:37) say
    # "Invalid Host header: HOST:PORT"; createMcpExpressApp's middleware (hostHeaderValidation.js:55)
    # "Invalid Host: NAME". Both are JSON-RPC errors in a 403.
    if status == 403 and "invalid host header: " in low:
        return ServerLibrary(
            Family.TYPESCRIPT_SDK,
            "403 Invalid Host header: HOST:PORT (the transport's allowedHosts)",
            clue=Clue.TS_TRANSPORT_HOST_CHECK,
        )
    if status == 403 and "invalid host: " in low:
        return ServerLibrary(
            Family.TYPESCRIPT_SDK,
            "403 Invalid Host: NAME (createMcpExpressApp's Host check)",
            clue=Clue.TS_APP_HOST_CHECK,
        )
    # express 5's final handler: a text/html page "<pre>Cannot POST /x</pre>" (measured); Express sends
    # no Server header (only X-Powered-By), uvicorn sends "server: uvicorn".
    if "<pre>cannot " in low and (probe.content_type or "").startswith("text/html"):
        return ServerLibrary(Family.TYPESCRIPT_SDK, "express's 404 page (Cannot POST ...)", clue=Clue.EXPRESS_NOT_FOUND)
    # fastmcp server/auth/middleware.py (2.14.7 :51, 4.2.3 :162): its own invalid_token description,
    # early enough in the body to survive the probe's 160-character cut.
    if "authentication failed. the provided bearer token is invalid" in (probe.www_authenticate or "").lower() + low:
        return ServerLibrary(Family.FASTMCP, "FastMCP's invalid_token description", clue=Clue.AUTH_TEXT)
    named = _by_server_info(probe.server_name, probe.server_version)
    if named is not None:
        return named
    if (probe.server_header or "").lower().startswith("uvicorn"):
        return ServerLibrary(Family.PYTHON, "Server: uvicorn", clue=Clue.SERVER_HEADER)
    return None


def _by_server_info(name: str | None, version: str | None) -> ServerLibrary | None:
    """Only the names a library gives when the author gives none: an author's own name tells nothing."""
    if not name:
        return None
    # fastmcp 2.14.7 server/server.py:2967, 4.2.3 :2640: "FastMCP-" + 4 hex digits; the version
    # defaults to fastmcp's own (:234, :586).
    if re.fullmatch(r"FastMCP-(.+-)?[0-9a-f]{4}", name):
        return ServerLibrary(
            Family.FASTMCP, f"serverInfo {name} {version or ''}".rstrip(), _major(version), Clue.SERVER_INFO
        )
    # mcp 1.30.0 server/fastmcp/server.py:222: name or "FastMCP"; the version is mcp's.
    if name == "FastMCP":
        return ServerLibrary(Family.PYTHON_SDK, f"serverInfo FastMCP {version or ''}".rstrip(), 1, Clue.SERVER_INFO)
    # server-everything 2026.8.31 dist/server/index.js:31.
    if name == "mcp-servers/everything":
        return ServerLibrary(Family.TYPESCRIPT_SDK, "serverInfo mcp-servers/everything", clue=Clue.SERVER_INFO)
    return None


def library_of_setup(
    image: str | None = None, env: Iterable[str] = (), process: str | None = None
) -> ServerLibrary | None:
    """The library a server's set-up points at: its image, its environment variable names, its process name."""
    names = tuple(env)
    proc = (process or "").lower()
    img = (image or "").lower().rpartition("/")[2]
    if proc == "fastmcp" or "fastmcp" in img:  # the `fastmcp run` console script (both majors)
        return ServerLibrary(Family.FASTMCP, f"process {proc}" if proc == "fastmcp" else f"image {image}")
    if any(n.upper().startswith("FASTMCP_") for n in names):
        # Standalone FastMCP reads FASTMCP_* (settings.py env_prefix); the SDK 1.x bundled copy also
        # has that prefix but its constructor overrides FASTMCP_HOST/PORT: both are possible.
        return ServerLibrary(Family.FASTMCP, "FASTMCP_ environment variables")
    if proc in ("node", "nodejs") or img.startswith(("node", "server-everything")) or "everything" in img:
        return ServerLibrary(Family.TYPESCRIPT_SDK, f"process {proc}" if proc.startswith("node") else f"image {image}")
    if proc.startswith(("python", "uvicorn")) or img.startswith("python"):
        return ServerLibrary(Family.PYTHON, f"process {proc}" if proc else f"image {image}")
    return None


def library_of_peer(snap: Snapshot, peer: Peer, port: int) -> ServerLibrary | None:
    """A container's or Compose service's library: from its process, image and Compose environment."""
    service = _service(snap, peer)
    image = peer.container.image if peer.container else (service.image if service else None)
    env = tuple(v.name for v in service.environment) if service else ()
    process = next((x.process for x in peer.listening_on(port) if x.process), None)
    if process is None and peer.container is not None:
        process = program_of(peer.container.command)
    return library_of_setup(image, env, process)


# Wrappers that start the real program (init shims, shells, an image's entrypoint script): skipped
# to reach the program the container runs.
_WRAPPERS = {"sh", "bash", "dash", "tini", "dumb-init", "docker-entrypoint.sh", "env", "exec", "-c", "--"}


def program_of(command: str) -> str | None:
    """The program a container's command runs: `node /srv/app.js` -> node, `sh -c "fastmcp run"` -> fastmcp."""
    for word in command.replace('"', " ").replace("'", " ").split():
        name = word.rpartition("/")[2]
        if name and name not in _WRAPPERS and not name.startswith("-"):
            return name
    return None


def fastmcp_host_env(snap: Snapshot, peer: Peer) -> str | None:
    """The value of FASTMCP_HOST the peer's Compose service sets, if any."""
    service = _service(snap, peer)
    return next((v.value for v in service.environment if v.name == "FASTMCP_HOST"), None) if service else None


def _service(snap: Snapshot, peer: Peer) -> ComposeService | None:
    compose = snap.compose
    if compose is None or not peer.service or (peer.project and peer.project != compose.name):
        return None
    return next((s for s in compose.services if s.name == peer.service), None)
