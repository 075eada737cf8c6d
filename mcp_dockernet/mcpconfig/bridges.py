"""stdio entries that are bridges to a server at a URL: ``npx mcp-remote https://...`` and the like.

Claude Desktop has no URL entries: remote servers run through a bridge whose first http(s)
argument is the server's URL (geelen/mcp-remote README). The bridge's own flag picks the
transport. mcp-remote refuses plain http to any host but localhost / 127.0.0.1 unless
``--allow-http`` is given (mcp-remote src/lib/utils.ts), so a rewrite to such a URL adds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mcp_dockernet.mcpconfig import splice
from mcp_dockernet.mcpconfig.jsonc import Parsed, Path
from mcp_dockernet.model import HTTP_THEN_SSE, SSE, STREAMABLE_HTTP

ALLOW_HTTP = "--allow-http"
_URL = re.compile(r"https?://", re.I)
# Bridge -> (transport flag's values -> transport, the default when no flag is given).
_TRANSPORTS: dict[str, tuple[dict[str, str], str]] = {
    "mcp-remote": (
        {"http-first": HTTP_THEN_SSE, "sse-first": HTTP_THEN_SSE, "http-only": STREAMABLE_HTTP, "sse-only": SSE},
        HTTP_THEN_SSE,
    ),
    "mcp-proxy": ({"sse": SSE, "streamablehttp": STREAMABLE_HTTP, "streamable-http": STREAMABLE_HTTP}, SSE),
    "supergateway": ({"--sse": SSE, "--streamablehttp": STREAMABLE_HTTP}, SSE),
}


@dataclass(frozen=True, slots=True)
class Bridge:
    name: str  # mcp-remote, mcp-proxy, supergateway
    url_index: int  # the URL's index in args
    transport: str
    declared: bool


def _program(word: str) -> str:
    """``mcp-remote@0.1.29``, ``/usr/bin/mcp-remote`` or ``@scope/mcp-remote`` -> ``mcp-remote``."""
    base = word.rsplit("/", 1)[-1]
    return base.split("@", 1)[0] if not base.startswith("@") else base


def find(body: dict[str, Any]) -> Bridge | None:
    command = body.get("command", body.get("cmd"))
    args = body.get("args")
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        return None
    words = [command if isinstance(command, str) else "", *args]
    name = next((_program(w) for w in words if _program(w) in _TRANSPORTS), None)
    url_index = next((i for i, a in enumerate(args) if _URL.match(a)), None)
    if name is None or url_index is None:
        return None
    values, default = _TRANSPORTS[name]
    if name == "supergateway":  # the flag before the URL says what the URL speaks
        flag = args[url_index - 1].lower() if url_index > 0 else ""
        return Bridge(name, url_index, values.get(flag, default), flag in values)
    for i, arg in enumerate(args):
        flag, eq, value = arg.partition("=")
        if flag == "--transport":
            chosen = value if eq else (args[i + 1] if i + 1 < len(args) else "")
            if chosen.lower() in values:
                return Bridge(name, url_index, values[chosen.lower()], True)
    return Bridge(name, url_index, default, False)


def needs_allow_http(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1")


def allow_http_insertion(text: str, fmt: str, doc: Parsed, url_span: tuple[int, int]) -> tuple[int, str] | None:
    """Where and what to insert so mcp-remote accepts plain http: ``--allow-http`` after the last arg.

    Appended last (not after the URL) because mcp-remote reads the argument after the URL as its
    OAuth callback port. None when it is there already or the entry is not an mcp-remote bridge.
    """
    path = args_path(doc, url_span)
    if path is None:
        return None
    body = _get(doc.value, path[:-1])
    bridge = find(body) if isinstance(body, dict) else None
    if bridge is None or bridge.name != "mcp-remote" or ALLOW_HTTP in body["args"]:
        return None
    return append_args(text, fmt, doc, path, [ALLOW_HTTP])


def args_path(doc: Parsed, url_span: tuple[int, int]) -> Path | None:
    """The path of the args list whose element is the URL at this span; None: the URL is not in args."""
    path = next((p for p, s in doc.spans.items() if s == url_span), None)
    if path is None or len(path) < 2 or path[-2] != "args":
        return None
    return path[:-1]


def append_args(text: str, fmt: str, doc: Parsed, args: Path, words: list[str]) -> tuple[int, str] | None:
    """(position, text) that adds ``words`` after the last element of the list at ``args``, in its style
    (splice.insertion: a ``- word`` line each in a YAML block sequence, one element a line when the
    list is written so, else on the same line; quoted as the last element is)."""
    items = _get(doc.value, args)
    if not isinstance(items, list) or not items:
        return None
    spans = [doc.spans.get((*args, i)) for i in range(len(items))]
    added = splice.insertion(text, fmt, spans, len(items), words)
    return None if added is None else (added[0], added[2])


def _get(value: Any, path: Path) -> Any:
    for key in path:
        value = value[key]
    return value
