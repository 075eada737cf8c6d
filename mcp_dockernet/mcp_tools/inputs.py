"""The tools' arguments: one table per tool, from which both the inputSchema and the reader are made.

The selectors mirror the CLI's options (`doctor --config PATH ... --no-probe --timeout S`), spelled
as JSON names (`config` is a list of paths, `no_probe` a boolean). A schema and its reader come from
the same table, so what a client is told and what the server accepts cannot drift apart. Bad
arguments are a ToolInputError: one line, returned to the client as a tool error (isError).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mcp_dockernet.errors import MdnError
from mcp_dockernet.mcpconfig.clients import CLIENTS
from mcp_dockernet.run import Selection

PROBE_TIMEOUT = 3.0  # the CLI's defaults (cli.py _selection): per probe, and per --launch
LAUNCH_TIMEOUT = 15.0


class ToolInputError(MdnError):
    """Arguments a tool cannot take: the wrong type, out of range, unknown."""


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: str  # "string", "paths" (a list of strings), "boolean", "number"
    description: str
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    check_choices: bool = True  # False: the engine's own check says it, in the CLI's words
    minimum: float | None = None
    maximum: float | None = None

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"description": self.description}
        if self.kind == "paths":
            out |= {"type": "array", "items": {"type": "string"}}
        else:
            out["type"] = self.kind
        if self.choices:
            out["enum"] = list(self.choices)
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.default is not None:
            out["default"] = self.default
        return out


SELECTORS: tuple[Param, ...] = (
    Param(
        "config",
        "paths",
        "MCP client config files to read (like --config, repeatable). Default: every known config file of this "
        "user and of the project directory. A Compose file given here is read as the Compose file it is.",
    ),
    Param("compose", "paths", "Compose files (like docker compose -f). Default: the project directory's, if any."),
    Param("project_dir", "string", "The project directory (default: the server's working directory)."),
    Param("project_name", "string", "The Compose project name."),
    Param("client", "string", "Where the MCP client runs: host, container:NAME or service:NAME (default: worked out)."),
    Param(
        "client_type",
        "string",
        "Read every config as this client's file.",
        choices=tuple(CLIENTS),
        check_choices=False,
    ),
    Param("no_probe", "boolean", "Make no network connection: judge from the engine's and the host's state.", False),
    Param(
        "launch",
        "boolean",
        "Also start each stdio server as its client would (docker run, npx, ...) and speak MCP to it; "
        "everything started is stopped and removed afterwards.",
        False,
    ),
    Param(
        "timeout",
        "number",
        f"Seconds each probe may take (default {PROBE_TIMEOUT:g}), and each launch (default {LAUNCH_TIMEOUT:g}).",
        minimum=0.1,
        maximum=120,
    ),
)

DOCTOR = SELECTORS
FIX = SELECTORS + (
    Param(
        "write", "boolean", "Apply the changes. Without it the tool only returns the diff and writes nothing.", False
    ),
    Param("backup", "boolean", "Keep PATH.bak beside each file written.", True),
    Param("edit_compose", "boolean", "With write, also rewrite URLs inside Compose files in place.", False),
)
PROBE = (
    Param("url", "string", "The URL to probe, e.g. http://localhost:8000/mcp.", required=True),
    Param(
        "from",
        "string",
        "Where to probe from: host, container:NAME or service:NAME (a running Compose service).",
        "host",
    ),
    Param("project", "string", "The Compose project of service:NAME (default: the working directory's)."),
    Param(
        "transport",
        "string",
        "http (streamable HTTP), sse, or auto (HTTP, then SSE).",
        "auto",
        choices=("auto", "http", "streamable-http", "sse"),
    ),
    Param("timeout", "number", "Seconds the probe may take.", PROBE_TIMEOUT, minimum=0.1, maximum=120),
)
RULES = (Param("code", "string", "One finding code to explain (default: every code)."),)


def input_schema(params: tuple[Param, ...]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {p.name: p.schema() for p in params},
        "additionalProperties": False,
    }
    required = [p.name for p in params if p.required]
    if required:
        schema["required"] = required
    return schema


def read_args(params: tuple[Param, ...], arguments: Mapping[str, Any] | None) -> dict[str, Any]:
    """The arguments, checked against the table, with each default filled in."""
    given = dict(arguments or {})
    known = {p.name: p for p in params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        takes = ", ".join(known) or "no arguments"
        raise ToolInputError(f"unknown argument {unknown[0]!r}; this tool takes: {takes}")
    out: dict[str, Any] = {}
    for p in params:
        value = given.get(p.name)
        if value is None:
            if p.required:
                raise ToolInputError(f"{p.name}: required")
            out[p.name] = p.default
            continue
        out[p.name] = _checked(p, value)
    return out


def _checked(p: Param, value: Any) -> Any:
    if p.kind == "boolean":
        if not isinstance(value, bool):
            raise ToolInputError(f"{p.name}: expected true or false, got {_shown(value)}")
        return value
    if p.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ToolInputError(f"{p.name}: expected a number, got {_shown(value)}")
        if (p.minimum is not None and value < p.minimum) or (p.maximum is not None and value > p.maximum):
            raise ToolInputError(f"{p.name}: {value:g} is not in the range {p.minimum:g} to {p.maximum:g}")
        return float(value)
    if p.kind == "paths":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ToolInputError(f"{p.name}: expected a list of paths, got {_shown(value)}")
        return tuple(value)
    if not isinstance(value, str):
        raise ToolInputError(f"{p.name}: expected a string, got {_shown(value)}")
    if p.choices and p.check_choices and value not in p.choices:
        raise ToolInputError(f"{p.name}: {value!r} is not one of {', '.join(p.choices)}")
    return value


def _shown(value: Any) -> str:
    """The JSON type of a wrong value, never the value: it may be a secret pasted in the wrong place."""
    kinds = {bool: "a boolean", str: "a string", list: "a list", dict: "an object", int: "a number", float: "a number"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def selection(args: Mapping[str, Any]) -> Selection:
    """The Selection the CLI builds from the same options (cli.py `_selection`)."""
    timeout = args.get("timeout")
    return Selection(
        configs=tuple(args.get("config") or ()),
        project_dir=args.get("project_dir"),
        client_type=args.get("client_type"),
        client=args.get("client"),
        compose_files=tuple(args.get("compose") or ()),
        project_name=args.get("project_name"),
        probe=not args.get("no_probe", False),
        timeout=PROBE_TIMEOUT if timeout is None else timeout,
        launch=bool(args.get("launch", False)),
        launch_timeout=LAUNCH_TIMEOUT if timeout is None else timeout,
    )
