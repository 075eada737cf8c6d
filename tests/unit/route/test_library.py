"""route/library.py: the answers each server library gave on the wire (docs/server-libraries.md), replayed
through the real probe with httpx.MockTransport, and the set-up clues (process, image, environment)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from mcp_dockernet.model import STREAMABLE_HTTP, Outcome, ProbeResult
from mcp_dockernet.probes.http import probe
from mcp_dockernet.route.library import Clue, Family, library_of, library_of_setup, program_of

URL = "http://mcp-server:8000/mcp"
UVICORN = {"server": "uvicorn"}
EXPRESS = {"x-powered-by": "Express"}
# express 5.3.0's final handler, byte for byte as server-everything 2026.8.31 sent it for POST /x.
EXPRESS_404 = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n'
    "<body>\n<pre>Cannot POST /x</pre>\n</body>\n</html>\n"
)
FASTMCP_INVALID_TOKEN = (
    "Authentication failed. The provided bearer token is invalid, expired, or no longer recognized by the server. "
    "To resolve: clear authentication tokens in your MCP client and reconnect. "
    "Your client should automatically re-register and obtain new tokens."
)


def ts_error(message: str) -> str:
    return json.dumps(
        {"jsonrpc": "2.0", "error": {"code": -32000, "message": message}, "id": None}, separators=(",", ":")
    )


# (status, headers, body) as each server answered the probe's POST (measured, December 2026).
RECORDED = {
    # mcp 2.3.0 MCPServer built for 127.0.0.1 (and mcp 1.30.0's bundled FastMCP): no content type.
    "sdk-421": (421, UVICORN, "Invalid Host header"),
    # fastmcp 4.2.3 with FASTMCP_HTTP_HOST_ORIGIN_PROTECTION=auto/true: no content type.
    "fastmcp4-421": (421, UVICORN, "Misdirected Request"),
    # @modelcontextprotocol/sdk 1.32.2 createMcpExpressApp(): the name, without the port.
    "ts-app-403": (
        403,
        {**EXPRESS, "content-type": "application/json; charset=utf-8"},
        ts_error("Invalid Host: mcp-server"),
    ),
    # the transport's allowedHosts: the whole Host, port included.
    "ts-transport-403": (
        403,
        {**EXPRESS, "content-type": "application/json"},
        ts_error("Invalid Host header: mcp-server:8000"),
    ),
    "express-404": (404, {**EXPRESS, "content-type": "text/html; charset=utf-8"}, EXPRESS_404),
    "uvicorn-404": (404, {**UVICORN, "content-type": "text/plain; charset=utf-8"}, "Not Found"),
    "fastmcp2-401": (
        401,
        {
            **UVICORN,
            "content-type": "application/json",
            "www-authenticate": f'Bearer error="invalid_token", error_description="{FASTMCP_INVALID_TOKEN}"',
        },
        json.dumps({"error": "invalid_token", "error_description": FASTMCP_INVALID_TOKEN}),
    ),
    "fastmcp4-401": (401, {**UVICORN, "www-authenticate": "Bearer"}, ""),
    "fastmcp4-origin-403": (403, UVICORN, "Forbidden Origin"),
}


def replay(status: int, headers: dict[str, str], body: str) -> ProbeResult:
    async def run() -> ProbeResult:
        handler = lambda request: httpx.Response(status, headers=headers, text=body)  # noqa: E731
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await probe(client, URL, STREAMABLE_HTTP, 2.0)

    return asyncio.run(run())


@pytest.mark.parametrize(
    "name, family, clue",
    [
        ("sdk-421", Family.PYTHON_SDK, Clue.SDK_HOST_CHECK),
        ("fastmcp4-421", Family.FASTMCP, Clue.FASTMCP_HOST_CHECK),
        ("ts-app-403", Family.TYPESCRIPT_SDK, Clue.TS_APP_HOST_CHECK),
        ("ts-transport-403", Family.TYPESCRIPT_SDK, Clue.TS_TRANSPORT_HOST_CHECK),
        ("express-404", Family.TYPESCRIPT_SDK, Clue.EXPRESS_NOT_FOUND),
        ("uvicorn-404", Family.PYTHON, Clue.SERVER_HEADER),
        ("fastmcp2-401", Family.FASTMCP, Clue.AUTH_TEXT),
        ("fastmcp4-401", Family.PYTHON, Clue.SERVER_HEADER),  # an empty 401 tells only the HTTP server
        ("fastmcp4-origin-403", Family.FASTMCP, Clue.FASTMCP_ORIGIN_CHECK),
    ],
)
def test_a_recorded_answer_names_its_library(name, family, clue):
    result = replay(*RECORDED[name])
    assert result.outcome is not Outcome.MCP
    lib = library_of(result)
    assert lib is not None, result
    assert (lib.family, lib.clue) == (family, clue), lib


@pytest.mark.parametrize(
    "server_name, version, family, major",
    [
        ("FastMCP-1a2b", "4.2.3", Family.FASTMCP, 4),  # fastmcp 4.2.3 generate_name(), its own version
        ("FastMCP-demo-9f3c", "2.14.7", Family.FASTMCP, 2),  # generate_name("demo")
        ("FastMCP", "1.30.0", Family.PYTHON_SDK, 1),  # mcp 1.x bundled FastMCP without a name
        ("mcp-servers/everything", "2.0.0", Family.TYPESCRIPT_SDK, None),
        ("fm-probe", "4.2.3", None, None),  # an author's own name tells nothing
        ("FastMCPish", "1", None, None),
    ],
)
def test_only_a_librarys_default_server_name_names_it(server_name, version, family, major):
    answered = ProbeResult(URL, Outcome.MCP, "ok", server_name=server_name, server_version=version)
    lib = library_of(answered)
    assert (lib.family if lib else None, lib.major if lib else None) == (family, major)


def test_an_answer_that_tells_nothing_is_no_library():
    assert library_of(replay(404, {"content-type": "text/plain"}, "404 page not found")) is None  # Go's mux
    # a 421 that is not one of the measured texts (a proxy's SNI mismatch page) is no Host check of ours
    assert library_of(replay(421, {"server": "nginx"}, "<html>421 Misdirected</html>")) is None


@pytest.mark.parametrize(
    "image, env, process, family",
    [
        (None, (), "fastmcp", Family.FASTMCP),  # `fastmcp run` (the console script's process name)
        ("ghcr.io/acme/fastmcp-tools:1", (), None, Family.FASTMCP),
        ("python:3.12-slim", ("FASTMCP_HOST", "FASTMCP_PORT"), None, Family.FASTMCP),
        ("node:20-slim", (), None, Family.TYPESCRIPT_SDK),
        (None, (), "node", Family.TYPESCRIPT_SDK),
        ("python:3.12-slim", ("PORT",), None, Family.PYTHON),
        (None, (), "python3", Family.PYTHON),
        ("acme/mcp:1", ("TOKEN",), None, None),
    ],
)
def test_the_set_up_points_at_a_library(image, env, process, family):
    lib = library_of_setup(image, env, process)
    assert (lib.family if lib else None) == family


@pytest.mark.parametrize(
    "command, program",
    [
        ("node /srv/ts_server.cjs", "node"),
        ("/usr/local/bin/fastmcp run server.py --transport http", "fastmcp"),
        ('sh -c "python3 -m app"', "python3"),
        ("docker-entrypoint.sh node dist/index.js streamableHttp", "node"),
        ("tini -- uvicorn app:app", "uvicorn"),
        ("", None),
    ],
)
def test_a_containers_command_names_its_program(command, program):
    assert program_of(command) == program
