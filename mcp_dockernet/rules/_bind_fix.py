"""How to make a server listen beyond its loopback, in the words of its library (docs/server-libraries.md).

Measured with mcp 2.3.0 / 1.30.0, fastmcp 2.14.7 / 4.2.3 and @modelcontextprotocol/sdk 1.32.2; each
fact cites the installed package's source.
"""

from __future__ import annotations

from mcp_dockernet.route.library import Family, ServerLibrary

# mcp 2.3.0 mcpserver/server.py:1086 (run's host defaults to 127.0.0.1) and :111 (Settings reads no
# environment); a non-loopback host also leaves the localhost-only Host check off (:1164).
SDK = 'official Python SDK 2.x server.run("streamable-http", host="0.0.0.0") (MCPServer reads no FASTMCP_HOST)'
# mcp 1.30.0 server/fastmcp/server.py:171, :198: the constructor's host default is passed into the
# env-reading Settings, so FASTMCP_HOST never wins (since 1.12.3; measured).
SDK1_CALL = 'FastMCP("name", host="0.0.0.0") in the constructor'
SDK1 = f"1.x {SDK1_CALL} (its FASTMCP_HOST is ignored since 1.12.3)"
# fastmcp 2.14.7 settings.py:149/:249, 4.2.3 settings.py:38/:199: env prefix FASTMCP_, host 127.0.0.1;
# run(host=...) wins over it (2.14.7 server/server.py:2546, 4.2.3 server/mixins/transport.py:306).
FASTMCP = (
    'standalone FastMCP (2.x and later) FASTMCP_HOST=0.0.0.0 in the environment, mcp.run("http", host="0.0.0.0") '
    "or fastmcp run --host 0.0.0.0"
)
# Node's server.listen(port) without a host listens on :: (every address, both families; measured
# with server-everything, dist/transports/streamableHttp.js:173). createMcpExpressApp({ host }) binds
# nothing: it only decides the Host check (sdk dist/esm/server/express.js:27-45).
TYPESCRIPT = (
    'TypeScript SDK app.listen(PORT, "0.0.0.0") (or no host: Node listens on every address); '
    'createMcpExpressApp({ host: "0.0.0.0" }) does not bind, it turns the localhost-only Host check off '
    "(or give it allowedHosts)"
)


def bind_fix(lib: ServerLibrary | None, port: int | None = None, host_env: str | None = None) -> str:
    """The fix text for a server that listens on loopback only, for its library when known."""
    family = lib.family if lib else None
    if family is Family.FASTMCP:
        text = f"bind the server to 0.0.0.0: {FASTMCP}"
        if host_env is not None:
            text += (
                f"; FASTMCP_HOST={host_env} is set, yet it listens on loopback: a host= in run() wins over it, "
                f"or this is the official SDK 1.x's bundled FastMCP, which ignores it since 1.12.3: {SDK1_CALL}"
            )
        return text
    if family is Family.PYTHON_SDK:
        return f"bind the server to 0.0.0.0: {SDK}, {SDK1}"
    if family is Family.TYPESCRIPT_SDK:
        return "bind the server to 0.0.0.0: " + TYPESCRIPT.replace("PORT", str(port) if port else "port")
    if family is Family.PYTHON:
        return f"bind the server to 0.0.0.0: {SDK}, {SDK1}; {FASTMCP}; uvicorn --host 0.0.0.0"
    return (
        'bind the server to 0.0.0.0: Python SDK server.run("streamable-http", host="0.0.0.0") '
        '(1.x: FastMCP("name", host="0.0.0.0"), it ignores FASTMCP_HOST); standalone FastMCP FASTMCP_HOST=0.0.0.0; '
        f'TypeScript app.listen({port or "port"}, "0.0.0.0"); uvicorn --host 0.0.0.0'
    )


# uvicorn (SDK, FastMCP) on "::" is IPv6 only: asyncio's create_server sets IPV6_V6ONLY (measured:
# 127.0.0.1 refused); an empty host binds 0.0.0.0 and :: both (measured, FASTMCP_HOST= on 4.2.3).
def dual_stack_fix(lib: ServerLibrary | None) -> str:
    """How to serve both address families, for its library when known."""
    family = lib.family if lib else None
    if family is Family.TYPESCRIPT_SDK:
        return "or listen on both address families: app.listen(port) with no host (Node then listens on ::, dual stack)"
    if family is Family.FASTMCP:
        return 'or listen on both address families: FASTMCP_HOST="" (uvicorn binds 0.0.0.0 and ::; "::" alone is IPv6 only)'
    if family in (Family.PYTHON_SDK, Family.PYTHON):
        return 'or listen on both address families: host="" (uvicorn binds 0.0.0.0 and ::; "::" alone is IPv6 only)'
    return 'or bind the server to both address families (Node: no host; uvicorn: host "", since "::" is IPv6 only)'
