"""`mcp-dockernet mcp`: the tools served over stdio with the official SDK's low-level Server.

The low-level Server, not MCPServer: the tools' inputSchema, outputSchema and annotations are ours
(catalog.py), not derived from function signatures, and a result carries both the structured
document and its text summary. The SDK answers both protocol eras (the `initialize` handshake of
2024-11-05 to 2025-11-25, and 2026-07-28's `server/discover`), and while it serves, fd 1 points at
stderr so nothing but JSON-RPC reaches stdout (mcp/server/stdio.py).

Each call runs in a worker thread (anyio.to_thread), so the loop keeps answering (ping, other
calls, cancellations). On `notifications/cancelled` the SDK cancels the handler; the thread is
abandoned at once (abandon_on_cancel) and told to stop at its next checkpoint (tools.py): the
cancelled call gets no answer, as the spec asks, and the server goes on. An abandoned thread ends
within its own timeouts (probes, launches); the process waits for it at exit, so that what a launch
started is still stopped and removed.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import anyio
import anyio.to_thread
import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.shared.exceptions import MCPError

from mcp_dockernet import __version__
from mcp_dockernet.mcp_tools import catalog, tools

log = logging.getLogger(__name__)
LISTED = types.ListToolsResult(tools=[types.Tool.model_validate(t, by_name=False) for t in catalog.TOOLS])


async def list_tools(
    ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
) -> types.ListToolsResult:
    return LISTED


async def call_tool(ctx: ServerRequestContext[Any], params: types.CallToolRequestParams) -> types.CallToolResult:
    tool = tools.TOOLS.get(params.name)
    if tool is None:  # an unknown tool is a protocol error (spec: tools/call errors), not a tool result
        raise MCPError(types.INVALID_PARAMS, f"unknown tool {params.name!r}; the tools are {', '.join(tools.TOOLS)}")
    cancel = threading.Event()
    try:
        result = await anyio.to_thread.run_sync(tools.run, tool, params.arguments, cancel, abandon_on_cancel=True)
    except anyio.get_cancelled_exc_class():
        cancel.set()
        log.info("tools/call %s cancelled", tool.name)
        raise
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=result.text)],
        structured_content=result.structured,
        is_error=result.is_error,
    )


def build() -> Server[Any]:
    return Server(
        "mcp-dockernet",
        version=__version__,
        title="mcp-dockernet",
        instructions=catalog.INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


async def _serve() -> None:
    server = build()
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def serve(debug: bool = False) -> None:
    """Serve until the client closes stdin; logs go to stderr (the client's log of the server)."""
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING, format="mcp-dockernet: %(levelname)s %(name)s: %(message)s"
    )
    anyio.run(_serve)
