"""How each client declares an entry's transport, and the byte-exact splices that change it.

A transport is written in one of three ways (docs/research/mcp-clients.md, PART 1):
- a "type" key that each client spells its own way: Claude Code, VS Code and Gemini CLI
  ``http`` | ``sse``; Roo Code, Continue and Windsurf ``streamable-http`` | ``sse``; Cline
  ``streamableHttp`` | ``sse`` (and its legacy ``transportType`` ``http`` | ``sse``); Goose
  ``streamable_http`` only (its ``sse`` is "no longer supported");
- the URL key itself: Gemini CLI's ``httpUrl`` is streamable HTTP whatever "type" says
  (mcp-client.ts createUrlTransport, "Priority 1: httpUrl");
- a bridge's flag: mcp-remote ``--transport http-only|sse-only`` (README), mcp-proxy
  ``--transport streamablehttp|sse``, supergateway ``--streamableHttp URL`` | ``--sse URL``.
Codex CLI (a ``url`` is StreamableHttp, codex-rs config/types.rs) and Zed (its Http variant has no
type key) speak streamable HTTP only: no edit makes them speak SSE.

A key the client needs is added just before the URL key, in that key's style (indentation, quotes,
separator), so no comma after the URL has to be touched. Nothing here re-serialises a document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mcp_dockernet.mcpconfig import bridges
from mcp_dockernet.mcpconfig.clients import CLIENTS, title_of
from mcp_dockernet.mcpconfig.jsonc import Parsed, Path
from mcp_dockernet.model import SSE, STREAMABLE_HTTP, ServerEntry

Splice = tuple[int, int, str]  # replace text[start:end] with the string

_BOTH_HTTP = {STREAMABLE_HTTP: "http", SSE: "sse"}
_BOTH_DASHED = {STREAMABLE_HTTP: "streamable-http", SSE: "sse"}
# client -> its "type" value for each transport it can speak over a URL.
TYPE_VALUES: dict[str, dict[str, str]] = {
    "claude-code": _BOTH_HTTP,  # "the type field accepts streamable-http as an alias for http"
    "claude-desktop": _BOTH_HTTP,  # no URL entries documented; a file with one reads like Claude Code's
    "cursor": _BOTH_HTTP,  # optional there (the transport is inferred); http|sse as VS Code imports it
    "vscode": _BOTH_HTTP,  # mcp.json schema: type enum ['http', 'sse']
    "windsurf": _BOTH_DASHED,  # vendor docs show "type": "streamable-http" (unverified in Windsurf itself)
    "cline": {STREAMABLE_HTTP: "streamableHttp", SSE: "sse"},  # cline schemas.ts literals
    "roo-code": _BOTH_DASHED,  # McpHub.ts: "must be 'stdio', 'sse', or 'streamable-http'"
    "continue": _BOTH_DASHED,  # config-yaml schema: type sse | streamable-http
    "gemini": _BOTH_HTTP,  # >= v0.21.0: url + type http|sse (gemini mcp add --transport writes them)
    "goose": {STREAMABLE_HTTP: "streamable_http"},  # ExtensionConfig tag; sse is kept only to parse old files
    "lmstudio": _BOTH_HTTP,  # "follows Cursor's mcp.json notation"
    "generic": _BOTH_HTTP,
}
LEGACY_KEY_VALUES = {"transportType": _BOTH_HTTP}  # Cline's legacy key: "http" maps to streamableHttp
# bridge -> how its flag spells each transport
FLAG_VALUES: dict[str, dict[str, str]] = {
    "mcp-remote": {STREAMABLE_HTTP: "http-only", SSE: "sse-only"},
    "mcp-proxy": {STREAMABLE_HTTP: "streamablehttp", SSE: "sse"},
    "supergateway": {STREAMABLE_HTTP: "--streamableHttp", SSE: "--sse"},  # the flag just before the URL
}
_NAMES = {STREAMABLE_HTTP: "streamable HTTP", SSE: "SSE"}


def speaks_only(entry: ServerEntry) -> bool:
    """Whether the client speaks just the entry's one transport: declared, a bridge's (default) flag, or the
    client's single default (Claude Code, Codex, Zed: streamable HTTP; Cline: SSE). A Compose variable's
    transport is a guess from its path, and HTTP_THEN_SSE tries both: neither is a mismatch to fix."""
    if entry.transport not in (SSE, STREAMABLE_HTTP):
        return False
    kind = CLIENTS.get(entry.client)
    return (
        entry.transport_declared
        or entry.bridge is not None
        or (kind is not None and kind.default_transport == entry.transport)
    )


@dataclass(frozen=True, slots=True)
class Setting:
    """What makes an entry speak a transport, in words for a fix text; why_not when its config cannot say it."""

    words: str
    why_not: str | None = None


def setting(entry: ServerEntry, transport: str) -> Setting:
    if entry.bridge in FLAG_VALUES:
        flags = FLAG_VALUES[entry.bridge]
        if entry.bridge == "supergateway":
            other = next(v for t, v in flags.items() if t != transport)
            return Setting(f"give supergateway the URL with {flags[transport]} (not {other})")
        return Setting(f"set {entry.bridge}'s flag in args to --transport {flags[transport]}")
    values = TYPE_VALUES.get(entry.client, {})
    if transport not in values:
        title = title_of(entry.client)
        why = f"{title} cannot speak {_NAMES.get(transport, transport)} to a URL"
        if transport == SSE:
            why += (
                ": serve streamable HTTP (the SDKs' /mcp), or reach this SSE server through a bridge "
                '("command": "npx", "args": ["mcp-remote", URL, "--transport", "sse-only"])'
            )
        return Setting(why, why_not=why)
    words = f'set the entry\'s "type" to "{values[transport]}"'
    if entry.client == "gemini" and transport == SSE:
        words += ' with the URL under "url" ("httpUrl" always means streamable HTTP)'
    return Setting(words)


def splices(text: str, fmt: str, doc: Parsed, entry: ServerEntry, transport: str) -> list[Splice] | str:
    """The splices that make the entry declare ``transport``; a sentence saying why when none can."""
    why = setting(entry, transport).why_not
    if why is not None:
        return why
    span = (entry.url_span.start, entry.url_span.end) if entry.url_span else None
    url_path = next((p for p, s in doc.spans.items() if s == span), None)
    if url_path is None:
        return "the URL's place in the file is not one we edit"
    if entry.bridge is not None:
        return _bridge(text, fmt, doc, entry.bridge, url_path, transport)
    body_path, url_key = url_path[:-1], url_path[-1]
    body = _get(doc.value, body_path)
    rename = None
    if entry.client == "gemini" and url_key == "httpUrl" and transport == SSE:
        if "url" in body:
            return 'the entry has both "httpUrl" and "url" (httpUrl wins): remove "httpUrl" by hand'
        rename = _renamed_key(text, doc, url_path, "url")
    key = next((k for k in ("type", "transportType") if k in body), None)
    if key is None:
        value = TYPE_VALUES[entry.client][transport]
        start, end, inserted = _insert_key(text, fmt, doc, url_path, "type", value)
        if rename is not None:  # one splice: the new key, then the renamed URL key
            return [(start, rename[1], inserted + rename[2])]
        return [(start, end, inserted)]
    value = LEGACY_KEY_VALUES.get(key, TYPE_VALUES[entry.client])[transport]
    found = doc.spans.get((*body_path, key))
    if found is None or text[found[0] : found[0] + 3] in ('"""', "'''"):
        return f'the entry\'s "{key}" is written in a form we do not edit'
    out = [] if text[found[0] : found[1]].strip("'\"") == value else [_replaced(text, found, value)]
    return out + ([rename] if rename else [])


def _bridge(text: str, fmt: str, doc: Parsed, bridge: str, url_path: Path, transport: str) -> list[Splice] | str:
    args, url_index = url_path[:-1], url_path[-1]
    items = _get(doc.value, args)
    value = FLAG_VALUES[bridge][transport]
    if bridge == "supergateway":
        flag = doc.spans.get((*args, int(url_index) - 1))
        before = items[int(url_index) - 1] if int(url_index) > 0 else ""
        if flag is None or before.lower() not in ("--sse", "--streamablehttp"):
            return "supergateway's URL has no --sse or --streamableHttp flag before it"
        return [_replaced(text, flag, value)] if before != value else []
    for i, arg in enumerate(items):
        if arg == "--transport" and i + 1 < len(items) and (at := doc.spans.get((*args, i + 1))) is not None:
            return [_replaced(text, at, value)] if items[i + 1] != value else []
        if arg.startswith("--transport=") and (at := doc.spans.get((*args, i))) is not None:
            return [_replaced(text, at, f"--transport={value}")] if arg != f"--transport={value}" else []
    where = bridges.append_args(text, fmt, doc, args, ["--transport", value])
    if where is None:
        return f"{bridge}'s args are written in a form we do not edit"
    return [(where[0], where[0], where[1])]


def _replaced(text: str, span: tuple[int, int], value: str) -> Splice:
    """A plain word in place of a string token, quoted as the token was (the words need no escapes)."""
    start, end = span
    quote = text[start] if text[start] in "'\"" else ""
    return (start, end, f"{quote}{value}{quote}")


def _renamed_key(text: str, doc: Parsed, path: Path, new: str) -> Splice:
    start, end = doc.key_spans[path]
    quote = text[start] if text[start] in "'\"" else ""
    return (start, end, f"{quote}{new}{quote}")


def _insert_key(text: str, fmt: str, doc: Parsed, url_path: Path, key: str, value: str) -> Splice:
    """A ``key: value`` pair just before the URL key: on a line of its own when the URL key starts its
    line (a YAML list item's first key included), else inline, followed by a comma where one is needed."""
    key_start, key_end = doc.key_spans[url_path]
    value_start = doc.spans[url_path][0]
    sep = text[key_end:value_start]
    if any(c in sep for c in "\r\n#/"):  # a comment or a line break between them: not a style to copy
        sep = " = " if fmt == "toml" else ": "
    key_quote = '"' if fmt in ("json", "jsonc") else (text[key_start] if text[key_start] in "'\"" else "")
    value_quote = text[value_start] if text[value_start] in "'\"" else ('"' if fmt != "yaml" else "")
    if fmt in ("json", "jsonc"):
        value_quote = '"'
    pair = f"{key_quote}{key}{key_quote}{sep}{value_quote}{value}{value_quote}"
    line_start = text.rfind("\n", 0, key_start) + 1
    lead = text[line_start:key_start]
    eol = "\r\n" if text[line_start - 2 : line_start] == "\r\n" else "\n"
    comma = "," if fmt in ("json", "jsonc") else ""
    if lead.strip() == "":
        return (key_start, key_start, f"{pair}{comma}{eol}{lead}")
    if fmt == "yaml" and re.fullmatch(r"[ \t]*(?:-[ \t]+)+", lead):  # "- url: ...": the item's first key
        indent = re.sub(r"[^\t]", " ", lead)
        return (key_start, key_start, f"{pair}{eol}{indent}")
    space = lead[len(lead.rstrip(" \t")) :]  # inline: the spacing before the URL key, after our comma too
    if not space and lead.endswith(("{", "[")) and " " in sep:  # the first key: space as the separator does
        space = " "
    return (key_start, key_start, f"{pair},{space}")


def _get(value: Any, path: Path) -> Any:
    for key in path:
        value = value[key]
    return value
