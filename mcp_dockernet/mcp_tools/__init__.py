"""`mcp-dockernet mcp`: doctor, probe, fix and rules as MCP tools, for the agent whose MCP server does not connect.

    inputs.py   each tool's arguments as a table: its inputSchema and its reader (pure)
    schemas.py  the outputSchemas: mcp_dockernet/schema/*.json and the fix and rules results (pure)
    catalog.py  what tools/list says: titles, descriptions, schemas, annotations (pure)
    tools.py    the tools over the CLI's own services (run.diagnose, fix/service.py, cli_probe); no SDK
    summary.py  the short text beside each structured result (pure)
    server.py   the SDK's low-level Server over stdio, calls off the event loop, cancellation

Only server.py imports the MCP SDK (the optional extra `mcp`); cli.py imports it lazily.
"""
