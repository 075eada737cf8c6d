"""A stdio entry's command line and environment, read by its client's rules (StdioCommand).

Keys per client (docs/research/mcp-clients.md, PART 1): ``command``/``args``/``env`` everywhere;
``cwd`` (Cline, Roo Code, Continue, Gemini CLI, Codex, VS Code); VS Code's ``envFile``; Codex's
``env_vars`` (names copied from the client's environment); Goose's ``cmd``/``envs``/``env_keys``;
Zed's older nested ``"command": {"path", "args", "env"}``. Placeholders are filled in as the
client fills them (from the client's environment); what the file writes is kept beside, because
edits splice the file's text, never the resolved value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig import placeholders
from mcp_dockernet.mcpconfig.docker_run import parse_docker_run
from mcp_dockernet.mcpconfig.jsonc import Parsed, Path
from mcp_dockernet.model import Span, StdioCommand

_GOOSE = {"command": "cmd", "env": "envs", "passthrough": "env_keys"}
_DEFAULT = {"command": "command", "env": "env", "passthrough": "env_vars"}
Fail = Callable[[str], ConfigError]


def stdio_command(
    doc: Parsed, entry_path: Path, body: dict[str, Any], client: str, style: str, env: Mapping[str, str],
    fail: Fail, label: str,
) -> StdioCommand | None:  # fmt: skip
    """The process the client starts for this entry; None when it names no command."""
    keys = _GOOSE if client == "goose" else _DEFAULT
    at, where = body, entry_path
    command = body.get(keys["command"])
    if isinstance(command, dict) and client == "zed":  # Zed's older {"command": {"path", "args", "env"}}
        at, where = command, (*entry_path, keys["command"])
        command, keys = command.get("path"), {**keys, "command": "path"}
    if command is None:
        return None
    if not isinstance(command, str) or not command.strip():
        raise fail(f"{label}.{keys['command']} must be a non-empty string")
    raw_args = _strings(at.get("args", []), f"{label}.args", fail)
    raw_env = _env(at.get(keys["env"], {}), f"{label}.{keys['env']}", fail)
    passthrough = _strings(body.get(keys["passthrough"], []), f"{label}.{keys['passthrough']}", fail)
    cwd, env_file = _optional(body, "cwd", label, fail), _optional(body, "envFile", label, fail)
    unknown: list[str] = []

    def filled(raw: str) -> str:
        value, missing = placeholders.resolve(raw, style, env)
        unknown.extend(missing)
        return raw if value is None else value

    resolved_command = filled(command)
    args = tuple(filled(a) for a in raw_args)
    resolved_env = tuple((k, filled(v)) for k, v in raw_env)
    return StdioCommand(
        resolved_command,
        args,
        resolved_env,
        filled(cwd) if cwd is not None else None,
        filled(env_file) if env_file is not None else None,
        passthrough,
        raw_args,
        raw_env,
        _span(doc, (*where, keys["command"])),
        tuple(_span(doc, (*where, "args", i)) for i in range(len(raw_args))),
        tuple((k, s) for k, _ in raw_env if (s := _span(doc, (*where, keys["env"], k))) is not None),
        tuple(dict.fromkeys(unknown)),
        parse_docker_run(resolved_command, args),
    )


def _span(doc: Parsed, path: Path) -> Span | None:
    found = doc.spans.get(path)
    return Span(*found) if found else None


def _strings(value: Any, label: str, fail: Fail) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise fail(f"{label} must be a list of strings")
    for i, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise fail(f"{label}[{i}] must be a string")
    return tuple(str(v) for v in value)


def _env(value: Any, label: str, fail: Fail) -> tuple[tuple[str, str], ...]:
    """The entry's env as (name, value); numbers are taken as their text, as the clients take them."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise fail(f"{label} must map names to strings")
    for name, item in value.items():
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise fail(f"{label}.{name} must be a string")
    return tuple((str(k), str(v)) for k, v in value.items())


def _optional(body: dict[str, Any], key: str, label: str, fail: Fail) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise fail(f"{label}.{key} must be a string")
    return value
