"""The HTTP headers a client sends to an entry's server, read from the entry as that client reads them.

Where each client keeps them (docs/research/mcp-clients.md, PART 1, column "Headers / secrets"):
- a ``headers`` object on the entry: Claude Code, Cursor, VS Code, Windsurf, Cline, Roo Code, Zed,
  Gemini CLI, Goose, LM Studio; its values take the client's own placeholders.
- Continue: ``requestOptions.headers``, and ``apiKey``, which becomes ``Authorization: Bearer KEY``
  and wins over a configured Authorization (continuedev/continue core/context/mcp/MCPConnection.ts,
  constructHttpTransport / constructSseTransport).
- Codex CLI: ``http_headers`` (literal), ``env_http_headers`` (header -> the name of an environment
  variable; an unset or empty one is left out) and ``bearer_token_env_var`` (-> ``Authorization:
  Bearer $VAR``); Codex expands no ``${}`` (codex-rs config types, RawMcpServerConfig).
- bridges in ``args``: mcp-remote ``--header "Name: value"`` (two arguments only; ``${VAR}`` is
  read from the environment, which holds the entry's ``env``; geelen/mcp-remote src/lib/utils.ts
  parseCommandLineArgs), supergateway ``--header "Name: value"`` and ``--oauth2Bearer TOKEN``
  (yargs, so ``--flag=value`` too; supercorp-ai/supergateway src/lib/headers.ts), mcp-proxy
  ``-H/--headers NAME VALUE`` (sparfenyuk/mcp-proxy README).

A value whose placeholder has no known value here (``${input:x}``, ``${{ secrets.X }}``, an unset
variable) is not guessed: its header NAME goes to ``unresolved`` and the probe goes without it.
Values are secrets: no message here ever quotes one (their spans are in ConfigFile.secret_spans).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig import placeholders
from mcp_dockernet.mcpconfig.bridges import Bridge

Headers = tuple[tuple[str, str], ...]
# RFC 9110 5.1 / 5.6.2: a field name is a token.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# mcp-remote takes "Name:value" with a name of these characters only, and drops other arguments.
_MCP_REMOTE = re.compile(r"([A-Za-z0-9_-]+):\s*(.*)", re.S)
_BAD_VALUE = re.compile(r"[\r\n\x00]")  # no HTTP client sends these (RFC 9110 5.5)


class Collected:
    """Headers in the order the client applies them: a later one of the same name replaces an earlier one."""

    def __init__(self, env: Mapping[str, str], style: str):
        self.env, self.style = env, style
        self.values: dict[str, tuple[str, str | None]] = {}  # lower name -> (name, value or None: unknown)

    def raw(self, name: str, raw: str, style: str | None = None) -> None:
        """A configured value with the client's placeholders in it."""
        resolved, unknown = placeholders.resolve(raw, style or self.style, self.env)
        self.put(name, None if unknown else (raw if resolved is None else resolved))

    def put(self, name: str, value: str | None) -> None:
        if value is not None and _BAD_VALUE.search(value):
            value = None  # a variable whose value cannot be a header: the client would fail to send it
        self.values[name.lower()] = (name, value)

    def result(self) -> tuple[Headers, tuple[str, ...]]:
        known = tuple((n, v.strip()) for n, v in self.values.values() if v is not None)
        return known, tuple(n for n, v in self.values.values() if v is None)


def of_entry(
    kind_name: str,
    style: str,
    body: dict[str, Any],
    at: dict[str, Any],
    env: Mapping[str, str],
    fail: Callable[[str], ConfigError],
    label: str,
) -> tuple[Headers, tuple[str, ...]]:
    """(headers with known values, names of those whose value is unknown here) of a URL entry."""
    got = Collected(env, style)
    if kind_name == "codex":
        _codex(got, body, fail, label)
        return got.result()
    where, table = next(
        ((f"{label}.{key}", t) for key, t in _tables(kind_name, body, at) if t is not None), (label, None)
    )
    for name, raw in _mapping(table, where, fail).items():
        got.raw(name, raw)
    api_key = body.get("apiKey") if kind_name == "continue" else None
    if api_key is not None:
        if not isinstance(api_key, str):
            raise fail(f"{label}.apiKey must be a string")
        got.raw("Authorization", f"Bearer {api_key}")
    return got.result()


def _tables(kind_name: str, body: dict[str, Any], at: dict[str, Any]) -> list[tuple[str, Any]]:
    if kind_name == "continue":
        options = body.get("requestOptions")
        if options is not None and not isinstance(options, dict):
            return [("requestOptions", options)]  # reported as not a mapping below
        return [("requestOptions.headers", (options or {}).get("headers"))]
    # The Cline CLI nests {"transport": {"type", "url", "headers"}}; the entry's own level otherwise.
    return [("transport.headers", at.get("headers") if at is not body else None), ("headers", body.get("headers"))]


def _mapping(table: Any, where: str, fail: Callable[[str], ConfigError]) -> dict[str, str]:
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise fail(f"{where} must map header names to values")
    for name, value in table.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise fail(f"{where}: {str(name)[:40]!r} is not an HTTP header name")
        if not isinstance(value, str):
            raise fail(f"{where}.{name} must be a string")
        if _BAD_VALUE.search(value):
            raise fail(f"{where}.{name} holds a line break, which no HTTP header can carry")
    return table


def _codex(got: Collected, body: dict[str, Any], fail: Callable[[str], ConfigError], label: str) -> None:
    for name, raw in _mapping(body.get("http_headers"), f"{label}.http_headers", fail).items():
        got.put(name, raw)
    for name, variable in _mapping(body.get("env_http_headers"), f"{label}.env_http_headers", fail).items():
        got.put(name, got.env.get(variable) or None)  # unset or empty: Codex leaves the header out
    var = body.get("bearer_token_env_var")
    if var is not None:
        if not isinstance(var, str):
            raise fail(f"{label}.bearer_token_env_var must be a string")
        token = got.env.get(var)
        got.put("Authorization", f"Bearer {token}" if token else None)


def of_bridge(bridge: Bridge, args: list[str], env: Mapping[str, str]) -> tuple[Headers, tuple[str, ...]]:
    """The headers a bridge sends, from its arguments (``env``: the environment the bridge runs in)."""
    got = Collected(env, "brace")
    i = 0
    while i < len(args):
        flag, eq, inline = args[i].partition("=")
        takes = (
            _MCP_REMOTE_FLAGS if bridge.name == "mcp-remote" else _MCP_PROXY_FLAGS if bridge.name == "mcp-proxy" else {}
        )
        if bridge.name == "supergateway" and flag in _SUPERGATEWAY_FLAGS:
            value = inline if eq else (args[i + 1] if i + 1 < len(args) else None)
            i += 1 if eq else 2
            if value is not None:
                _supergateway(got, flag, value)
            continue
        if not eq and args[i] in takes:
            count = takes[args[i]]
            values = args[i + 1 : i + 1 + count]
            i += 1 + count
            if len(values) < count:
                break
            if bridge.name == "mcp-proxy":
                if _TOKEN.fullmatch(values[0]):
                    got.raw(values[0], values[1])
            else:
                match = _MCP_REMOTE.fullmatch(values[0])
                if match:  # mcp-remote replaces an unset ${VAR} with "": not the header meant
                    got.raw(match.group(1), match.group(2))
            continue
        i += 1
    return got.result()


_MCP_REMOTE_FLAGS = {"--header": 1}
_MCP_PROXY_FLAGS = {"--headers": 2, "-H": 2}
_SUPERGATEWAY_FLAGS = frozenset({"--header", "--oauth2Bearer"})


def _supergateway(got: Collected, flag: str, value: str) -> None:
    if flag == "--oauth2Bearer":
        got.raw("Authorization", f"Bearer {value}")
        return
    name, colon, rest = value.partition(":")
    if colon and name.strip() and rest.strip() and _TOKEN.fullmatch(name.strip()):
        got.raw(name.strip(), rest.strip())  # supergateway ignores "Name" without ":" or an empty value
