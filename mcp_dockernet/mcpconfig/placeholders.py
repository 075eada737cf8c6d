"""Placeholders inside URLs: recognise them, fill in the values known here, and keep them on rewrite.

Syntaxes (docs/research/mcp-clients.md, PART 1): ``${VAR}`` and ``${VAR:-default}`` (Claude Code,
Gemini CLI, mcp-remote args), ``${env:VAR}`` (Cursor, VS Code, Windsurf, Roo Code), ``${input:id}``
(VS Code, prompted and stored by the editor), ``${{ secrets.X }}`` (Continue), bare ``$VAR`` (Gemini
CLI only). A value we cannot know here (an input, a secret, an unset variable) leaves the URL
unresolved: it is not probed, and a rewrite never touches the placeholder's characters.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from mcp_dockernet.model import ServerEntry

_BRACE = r"\$\{\{\s*(?P<gh>[^{}]*?)\s*\}\}|\$\{(?P<body>[^{}]*)\}"
_BARE = r"|\$(?P<bare>[A-Za-z_]\w*)"
_NAME = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True, slots=True)
class Piece:
    start: int  # in the raw URL
    end: int
    name: str | None  # None: literal text
    default: tuple[int, int] | None = None  # the span of a ${VAR:-default}'s default text


def pieces(raw: str, style: str = "brace") -> list[Piece]:
    """The raw URL cut into literal runs and placeholders."""
    if style == "none":
        return [Piece(0, len(raw), None)] if raw else []
    pattern = re.compile(_BRACE + (_BARE if style == "brace+bare" else ""))
    out: list[Piece] = []
    last = 0
    for m in pattern.finditer(raw):
        if m.start() > last:
            out.append(Piece(last, m.start(), None))
        body = m.group("body")
        default = None
        if m.group("gh") is not None:
            name = m.group("gh")
        elif m.groupdict().get("bare") is not None:
            name = m.group("bare")
        else:
            name, sep, _ = body.partition(":-")
            if sep:
                default = (m.start("body") + len(name) + 2, m.end("body"))
        out.append(Piece(m.start(), m.end(), name, default))
        last = m.end()
    if last < len(raw):
        out.append(Piece(last, len(raw), None))
    return out


def _value(name: str, env: Mapping[str, str], home: str | None) -> str | None:
    if name.startswith("env:"):
        return env.get(name[4:])
    if _NAME.fullmatch(name):
        if name in env:
            return env[name]
        return home if name == "userHome" else None
    return None  # input:id, secrets.X, workspaceFolder, file:..., command:...: not known here


def resolve(
    raw: str, style: str = "brace", env: Mapping[str, str] | None = None, home: str | None = None
) -> tuple[str | None, tuple[str, ...]]:
    """(the URL with known values filled in, or None when it has no placeholder; names left unknown)."""
    env = os.environ if env is None else env
    home = home if home is not None else os.path.expanduser("~")
    parts = pieces(raw, style)
    if all(p.name is None for p in parts):
        return None, ()
    out: list[str] = []
    unknown: list[str] = []
    for p in parts:
        if p.name is None:
            out.append(raw[p.start : p.end])
            continue
        value = _value(p.name, env, home)
        if p.default is not None and not value:  # ${VAR:-d}: unset or empty takes the default
            value = raw[p.default[0] : p.default[1]]
        if value is None:
            unknown.append(p.name)
            value = raw[p.start : p.end]
        out.append(value)
    return "".join(out), tuple(dict.fromkeys(unknown))


def map_back(raw: str, resolved: str, new: str, style: str = "brace") -> str | None:
    """The raw URL changed so that it resolves to ``new``, touching only literal characters.

    Literal text and the default of a ``${VAR:-default}`` that is in use count as literal. None
    when the change falls inside a placeholder's value (then the file cannot express it for us).
    """
    parts = pieces(raw, style)
    if all(p.name is None for p in parts):
        return new
    pattern = "".join(re.escape(raw[p.start : p.end]) if p.name is None else "(.*?)" for p in parts)
    match = re.fullmatch(pattern, resolved, re.S)
    if match is None:
        return None
    where: list[int | None] = []  # for each character of `resolved`, its position in `raw`
    group = 0
    for p in parts:
        if p.name is None:
            where += range(p.start, p.end)
            continue
        group += 1
        value = match.group(group)
        if p.default is not None and value == raw[p.default[0] : p.default[1]]:
            where += range(p.default[0], p.default[1])
        else:
            where += [None] * len(value)
    prefix = 0
    while prefix < min(len(resolved), len(new)) and resolved[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(resolved), len(new)) - prefix and resolved[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    changed = where[prefix : len(resolved) - suffix]
    replacement = new[prefix : len(new) - suffix]
    if changed:
        first, last = changed[0], changed[-1]
        if first is None or last is None or any(pos != first + i for i, pos in enumerate(changed)):
            return None
        return raw[:first] + replacement + raw[last + 1 :]
    after = where[prefix] if prefix < len(where) else None  # an insertion: next to a literal character
    before = where[prefix - 1] if prefix > 0 else None
    if after is not None:
        return raw[:after] + replacement + raw[after:]
    if before is not None:
        return raw[: before + 1] + replacement + raw[before + 1 :]
    return None


def rewrite_url(entry: ServerEntry, new: str) -> str | None:
    """The entry's URL as written in its file, changed so that it resolves to ``new``; None if it cannot."""
    if entry.url is None:
        return None
    if entry.resolved_url is None:
        return new
    from mcp_dockernet.mcpconfig.clients import CLIENTS

    style = CLIENTS[entry.client].placeholders if entry.client in CLIENTS else "brace"
    # A client without placeholders of its own can still hold some in a bridge's args (mcp-remote).
    return map_back(entry.url, entry.resolved_url, new, "brace" if style == "none" else style)


def blocked_note(entry: ServerEntry) -> str:
    names = ", ".join(p.name or "" for p in pieces(entry.url or "") if p.name) or "a placeholder"
    return (
        f"the URL cannot be rewritten in the file: the part that changes comes from {names}; "
        "change that value where it is set, or write the URL without it"
    )
