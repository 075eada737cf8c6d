"""From a parsed config (any format) to ServerEntry facts, by the client's rules.

Every reader (jsonc, yaml_doc, toml_doc) gives the same ``Parsed``: values plus the span of each
value, keyed by path. So where servers live, which key holds the URL, what a "type" means and
which values are secret is decided once, here, for every format.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig import bridges, headers, placeholders
from mcp_dockernet.mcpconfig.clients import NOT_HTTP_TYPES, TYPE_ALIASES, ClientKind
from mcp_dockernet.mcpconfig.jsonc import Parsed, Path, line_of
from mcp_dockernet.mcpconfig.stdio_entries import stdio_command
from mcp_dockernet.model import HTTP_THEN_SSE, STREAMABLE_HTTP, ServerEntry, Span
from mcp_dockernet.redact import is_secret_assignment, is_secret_name, is_secret_word, redact_url

SECRET_CONTAINERS = frozenset({"headers", "env", "http_headers", "env_http_headers", "requestOptions", "envs", "oauth"})
SECRET_FLAGS = frozenset({"--header", "-H", "--headers"})
PAIR_FLAGS = frozenset({"-H", "--headers"})
ENV_FLAGS = frozenset(
    {"-e", "--env"}
)  # docker/podman run: -e NAME=VALUE  # mcp-proxy: -H NAME VALUE, the value two after the flag
OBJECT = {"yaml": "a mapping", "toml": "a table"}
NOT_WEB = {"websocket": "a WebSocket server", "ws": "a WebSocket server"}


def get(doc: Any, path: Path) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def _expand(doc: Any, pattern: tuple[str, ...], at: Path = ()) -> Iterator[Path]:
    """The paths matching a pattern such as ("projects", "*", "mcpServers") that exist in the doc."""
    if not pattern:
        yield at
        return
    if not isinstance(doc, dict):
        return
    head, rest = pattern[0], pattern[1:]
    for key in doc if head == "*" else [head] if head in doc else []:
        yield from _expand(doc[key], rest, (*at, key))


def _scope(path: Path) -> str:
    if len(path) == 3 and path[0] == "projects":  # ~/.claude.json's per-project servers
        return f"projects[{path[1]}].{path[2]}"
    return ".".join(str(k) for k in path)


class Reader:
    def __init__(self, path: str, kind: ClientKind, fmt: str, doc: Parsed, text: str, env: Mapping[str, str]):
        self.path, self.kind, self.fmt, self.doc, self.text, self.env = path, kind, fmt, doc, text, env

    def line(self, path: Path) -> int:
        span = self.doc.key_spans.get(path) or self.doc.spans.get(path)
        return line_of(self.text, span[0]) if span else 1

    def fail(self, what: str, path: Path) -> ConfigError:
        return ConfigError(self.path, what, line=self.line(path))

    def entries(self) -> Iterator[ServerEntry]:
        for pattern in self.kind.server_maps:
            for map_path in _expand(self.doc.value, pattern):
                servers, scope = get(self.doc.value, map_path), _scope(map_path)
                if servers is None:
                    continue
                if isinstance(servers, dict):
                    items = [(str(k), (*map_path, k), scope) for k in servers]
                elif isinstance(servers, list) and self.kind.name == "continue":  # a list of {name: ...}
                    items = [(self._item_name(b, i), (*map_path, i), f"{scope}[{i}]") for i, b in enumerate(servers)]
                else:
                    raise self.fail(
                        f"{scope} must be {OBJECT.get(self.fmt, 'an object')} mapping names to servers", map_path
                    )
                for name, entry_path, where in items:
                    yield self.entry(name, where, entry_path)

    @staticmethod
    def _item_name(body: Any, index: int) -> str:
        name = body.get("name") if isinstance(body, dict) else None
        return str(name) if name is not None else f"#{index}"

    def entry(self, name: str, scope: str, entry_path: Path) -> ServerEntry:
        body = get(self.doc.value, entry_path)
        line = self.line(entry_path)
        label = scope if scope.endswith("]") else f"{scope}.{name}"
        if not isinstance(body, dict):
            raise self.fail(f"{label} must be {OBJECT.get(self.fmt, 'an object')}", entry_path)
        at, where = body, entry_path
        if isinstance(body.get("transport"), dict):  # the Cline CLI nests {"transport": {"type", "url"}}
            at, where = body["transport"], (*entry_path, "transport")
        declared = next((at[k] for k in ("type", "transportType") if k in at), None)
        url_key = next((k for k in self.kind.url_keys if k in at), None)

        def make(url: str | None, span: Span | None, transport: str, is_declared: bool, **kw: Any) -> ServerEntry:
            return ServerEntry(name, self.path, self.kind.name, scope, line, url, span, transport, is_declared, **kw)

        if declared is not None and not isinstance(declared, str):
            raise self.fail(f"{label}.type must be a string", entry_path)
        kind_type = declared.lower() if isinstance(declared, str) else None
        if url_key is None or kind_type in NOT_HTTP_TYPES:
            bridge = bridges.find(body) if kind_type in (None, "stdio") else None
            if bridge is None:
                stdio = stdio_command(self.doc, entry_path, body, self.kind.name, self.kind.placeholders, self.env,
                                      lambda what: self.fail(what, entry_path), label)  # fmt: skip
                skip = self._skip_reason(body, "stdio") if stdio is not None else None
                return make(None, None, "stdio", declared is not None, stdio=stdio, skip_reason=skip)
            return self._bridged(make, body, entry_path, bridge)
        url = at[url_key]
        if not isinstance(url, str):
            raise self.fail(f"{label}.{url_key} must be a string", entry_path)
        span = self.doc.spans.get((*where, url_key))
        skip = self._skip_reason(body, kind_type)
        if url_key == "httpUrl":  # Gemini CLI: httpUrl is streamable HTTP whatever "type" says
            transport, is_declared = STREAMABLE_HTTP, True
        elif kind_type is None:
            transport, is_declared = self.kind.default_transport or HTTP_THEN_SSE, False
        elif kind_type in TYPE_ALIASES:
            transport, is_declared = TYPE_ALIASES[kind_type], True
        elif skip is None:
            raise self.fail(f"{label}.type {declared!r} is not a transport {self.kind.title} knows", entry_path)
        else:
            transport, is_declared = HTTP_THEN_SSE, True
        resolved, unknown = placeholders.resolve(url, self.kind.placeholders, self.env)
        sent, unsent = headers.of_entry(
            self.kind.name, self.kind.placeholders, body, at, self.env, lambda what: self.fail(what, entry_path), label
        )
        return make(url, Span(*span) if span else None, transport, is_declared, resolved_url=resolved,
                    unresolved=unknown, skip_reason=skip, headers=sent, unresolved_headers=unsent)  # fmt: skip

    def _skip_reason(self, body: dict[str, Any], kind_type: str | None) -> str | None:
        if body.get("disabled") is True or body.get("enabled") is False:
            return "the server is disabled in this config, so the client does not connect to it"
        if kind_type is None and self.kind.default_transport is None:
            return f'{self.kind.title} refuses a URL entry without "type": add "type": "streamable-http" (or "sse")'
        reasons = dict(self.kind.skip_types)
        if kind_type in reasons:
            return reasons[kind_type]
        if kind_type in NOT_WEB:
            return f"{NOT_WEB[kind_type]}: mcp-dockernet checks HTTP transports only"
        return None

    def _bridged(self, make: Any, body: dict[str, Any], entry_path: Path, bridge: bridges.Bridge) -> ServerEntry:
        url = body["args"][bridge.url_index]
        span = self.doc.spans.get((*entry_path, "args", bridge.url_index))
        env: dict[str, Any] = body["env"] if isinstance(body.get("env"), dict) else {}
        lookup = {**self.env, **{k: v for k, v in env.items() if isinstance(v, str)}}  # mcp-remote reads env
        resolved, unknown = placeholders.resolve(url, "brace", lookup)
        skip = self._skip_reason(body, "stdio")  # to the client it is a stdio server: no type needed
        sent, unsent = headers.of_bridge(bridge, body["args"], lookup)
        return make(url, Span(*span) if span else None, bridge.transport, bridge.declared, resolved_url=resolved,
                    unresolved=unknown, skip_reason=skip, headers=sent, unresolved_headers=unsent,
                    bridge=bridge.name)  # fmt: skip


def secret_spans(doc: Parsed) -> Iterator[Span]:
    """Every string that is, or sits under, a secret-looking key, or is a secret argument."""
    for path, (start, end) in doc.spans.items():
        if not path:
            continue
        try:
            value = get(doc.value, path)
        except (KeyError, IndexError, TypeError):  # a part of a value that a later duplicate replaced
            continue
        if not isinstance(value, str):
            continue
        keys = [k for k in path if isinstance(k, str)]
        if any(k in SECRET_CONTAINERS for k in keys[:-1]) or (keys and is_secret_name(keys[-1])):
            yield Span(start, end)
        elif isinstance(path[-1], int) and _secret_arg(doc, path, value):
            yield Span(start, end)


def _secret_arg(doc: Parsed, path: Path, value: str) -> bool:
    flag, eq, rest = value.partition("=")
    if eq and flag.startswith("-") and (is_secret_name(flag) or flag in SECRET_FLAGS):
        return True
    if is_secret_word(value) or (flag in ENV_FLAGS and is_secret_assignment(rest)):  # --env=API_KEY=...
        return True
    if value.startswith("-e") and not value.startswith("--") and is_secret_assignment(value[2:]):  # -eAPI_KEY=...
        return True
    if "bearer " in value.lower() or value.lower().startswith("authorization:"):
        return True
    if ("?" in value or "@" in value) and redact_url(value) != value:
        return True
    index = path[-1]
    if not isinstance(index, int) or index == 0:
        return False
    previous = get(doc.value, (*path[:-1], index - 1))
    before = get(doc.value, (*path[:-1], index - 2)) if index > 1 else None
    if previous in ENV_FLAGS and is_secret_assignment(value):  # docker run -e API_KEY=sk-...
        return True
    return (isinstance(previous, str) and (
        previous in SECRET_FLAGS or (previous.startswith("-") and "=" not in previous and is_secret_name(previous))
    )) or before in PAIR_FLAGS  # fmt: skip


def read_entries(path: str, kind: ClientKind, fmt: str, doc: Parsed, text: str) -> tuple[ServerEntry, ...]:
    return tuple(Reader(path, kind, fmt, doc, text, os.environ).entries())
