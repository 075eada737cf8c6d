"""What `tools/list` says: each tool's name, title, description, schemas and annotations, as data.

Annotations are hints a client shows or acts on (MCP spec, ToolAnnotations): `doctor`, `probe` and
`rules` change nothing (readOnlyHint); `fix` may rewrite config files when asked (destructiveHint)
and a second identical call changes nothing more (idempotentHint: a fix never flip-flops).
`doctor`, `probe` and `fix` connect to the URLs the configs name, which may be anywhere
(openWorldHint); `rules` reads only its own registry.
"""

from __future__ import annotations

from typing import Any

from mcp_dockernet.mcp_tools import schemas
from mcp_dockernet.mcp_tools.inputs import DOCTOR, FIX, PROBE, RULES, input_schema

_SELECTORS = (
    "With no arguments it reads every known MCP client config of this user and of the working directory "
    "(and the Compose project there, if any)."
)

TOOLS: tuple[dict[str, Any], ...] = (
    {
        "name": "doctor",
        "title": "Diagnose MCP server connections",
        "description": (
            "Find why MCP servers in the client configs cannot be reached through Docker (connection refused, "
            "reset, wrong port, localhost inside a container, a missing host-gateway, a stdio docker run line "
            "without -i, ...), and which URL or command line would work. " + _SELECTORS + " Returns the "
            "mcp-dockernet/doctor/v1 document of `mcp-dockernet doctor --format json`: per server its status, "
            "findings (code, message, fix, evidence) and the suggested URL. Changes nothing."
        ),
        "inputSchema": input_schema(DOCTOR),
        "outputSchema": schemas.output_schema("doctor-v1.json"),
        "annotations": {"readOnlyHint": True, "openWorldHint": True},
    },
    {
        "name": "probe",
        "title": "Probe one MCP URL layer by layer",
        "description": (
            "Probe one URL from the host or from inside a container (from: container:NAME or service:NAME): "
            "name resolution, TCP connect to each address, HTTP, and the MCP handshake (server name, version, "
            "protocol). Returns the mcp-dockernet/probe/v1 document of `mcp-dockernet probe URL --format json`. "
            "Calls no tool on the server and changes nothing."
        ),
        "inputSchema": input_schema(PROBE),
        "outputSchema": schemas.output_schema("probe-v1.json"),
        "annotations": {"readOnlyHint": True, "openWorldHint": True},
    },
    {
        "name": "fix",
        "title": "Fix MCP config entries",
        "description": (
            "The changes doctor's findings call for, as unified diffs of the config files: URLs, transport "
            "types, and stdio command lines (-it becomes -i, a missing -i, host.docker.internal). Writes nothing "
            "unless write is true; then each file is written atomically, byte for byte except the changed "
            "characters, with PATH.bak kept, and doctor runs again (recheck). Only suggestions the evidence "
            "supports are written; `manual` lists servers whose fix lies outside the config. " + _SELECTORS
        ),
        "inputSchema": input_schema(FIX),
        "outputSchema": schemas.fix_schema(),
        "annotations": {
            "readOnlyHint": False,
            "destructiveHint": True,
            "idempotentHint": True,
            "openWorldHint": True,
        },
    },
    {
        "name": "rules",
        "title": "Finding codes and what they mean",
        "description": (
            "Every finding code mcp-dockernet reports, with its severity and its explanation (when it fails, "
            "when it passes, the fix), as `mcp-dockernet rules explain CODE` prints it; code picks one."
        ),
        "inputSchema": input_schema(RULES),
        "outputSchema": schemas.rules_schema(),
        "annotations": {"readOnlyHint": True, "openWorldHint": False},
    },
)

INSTRUCTIONS = (
    "mcp-dockernet diagnoses why an MCP client cannot reach an MCP server through Docker. When an MCP "
    "server does not connect, call doctor (no arguments: every config here), read each finding's fix, and "
    "call fix with write: true only when the user agrees to change the config file. probe checks one URL; "
    "rules explains a finding code."
)
