"""Plan the edits a report calls for, and show them as a diff with every secret masked.

A suggestion is a URL and, when the transport is wrong, the transport the entry must declare: the
URL's characters are spliced, and the entry's type key (or its bridge's flag) is changed or added
beside it (mcpconfig/type_keys.py), in every format, all other bytes kept.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace

from mcp_dockernet.mcpconfig import bridges, placeholders, type_keys
from mcp_dockernet.mcpconfig.mcp_config import parse_config
from mcp_dockernet.model import ConfigFile, ServerEntry, Span
from mcp_dockernet.redact import MASK, redact_url
from mcp_dockernet.report import Report


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace text[start:end] of the file at ``path`` (whose bytes hashed to ``expected_sha256``)."""

    path: str
    expected_sha256: str
    start: int
    end: int
    replacement: str
    server: str
    old_url: str
    new_url: str
    token: Span  # the whole URL string token, for display (empty for an edit beside the URL)
    what: str = "url"  # url, or transport: the entry's type key or its bridge's flag


def plan(report: Report, configs: Iterable[ConfigFile], notes: list[str] | None = None) -> tuple[Edit, ...]:
    """The edits the suggested URLs and transports call for; ``notes`` collects why a suggestion has no edit."""
    by_path = {c.path: c for c in configs}
    edits: list[Edit] = []
    for server in report.servers:
        entry = server.entry
        config = by_path.get(entry.config)
        if entry.url_span is None or entry.url is None or config is None:
            continue
        new_url = server.suggested_url
        if new_url == (entry.effective_url or entry.url):
            new_url = None
        transport = server.suggested_transport if server.suggested_transport != entry.transport else None
        if new_url is None and transport is None:
            continue
        if not server.writable:  # evidence first: a guess is shown by doctor, never written
            blocked = type_keys.setting(entry, transport).why_not if transport else None
            if notes is not None:
                notes.append(
                    f"{config.path}: {entry.name}: {blocked}"
                    if blocked
                    else f"{config.path}: {entry.name}: {redact_url(new_url or entry.url)} is only a candidate "
                    "(outside the client's project and networks, and not confirmed by an MCP answer from where "
                    "the client runs); change it by hand if it is the server you mean"
                )
            continue
        mine, why = _entry_edits(config, entry, new_url, transport)
        if why is not None:
            if notes is not None:
                notes.append(f"{config.path}: {entry.name}: {why}")
            continue
        edits += mine
    return tuple(edits)


def _entry_edits(
    config: ConfigFile, entry: ServerEntry, new_url: str | None, transport: str | None
) -> tuple[list[Edit], str | None]:
    """One entry's edits (its URL, --allow-http, its transport), all or none: half a fix is another fault."""
    found: list[Edit] = []
    if new_url is not None and entry.url is not None and entry.url_span is not None:
        new_raw = placeholders.rewrite_url(entry, new_url)
        edit = None if new_raw is None else _url_edit(config, entry.name, entry.url, new_raw, entry.url_span)
        if edit is None:
            return [], placeholders.blocked_note(
                entry
            ) if new_raw is None else "the URL is written in a form we do not edit"
        found.append(edit)
        extra = _allow_http(config, entry.url_span, new_url, edit)
        if extra is not None:
            found.append(extra)
    if transport is not None:
        result = type_keys.splices(config.text, config.format, parse_config(config), entry, transport)
        if isinstance(result, str):
            return [], result
        shown = new_url or entry.url or ""
        for start, end, text in result:
            span = Span(start, start)
            found.append(
                Edit(
                    config.path, config.sha256, start, end, text, entry.name, entry.url or "", shown, span, "transport"
                )
            )
    merged: list[Edit] = []
    for edit in sorted(found, key=lambda e: (e.start, e.end)):  # inserts at one place become one insert, in order
        last = merged[-1] if merged else None
        if last is not None and last.start == last.end == edit.start == edit.end:
            merged[-1] = replace(last, replacement=last.replacement + edit.replacement)
        elif last is not None and edit.start < last.end:
            return [], "its URL and transport edits overlap; change it by hand"
        else:
            merged.append(edit)
    return merged, None


def _allow_http(config: ConfigFile, token: Span, new_url: str, edit: Edit) -> Edit | None:
    """mcp-remote refuses plain http to a name other than localhost without --allow-http: add it."""
    if config.format not in ("json", "jsonc", "yaml", "toml") or not bridges.needs_allow_http(new_url):
        return None
    where = bridges.allow_http_insertion(config.text, config.format, parse_config(config), (token.start, token.end))
    if where is None:
        return None
    pos, text = where
    return Edit(config.path, config.sha256, pos, pos, text, edit.server, edit.old_url, edit.new_url, Span(pos, pos))


def _url_edit(config: ConfigFile, server: str, old: str, new: str, token: Span) -> Edit | None:
    """Change only the characters that differ, so escapes and placeholders elsewhere survive.

    ``old`` and ``new`` are the values as the file writes them (placeholders included). A value
    written with escapes is replaced as one token, in a form every format reads (a JSON string
    is also a YAML double-quoted scalar and a TOML basic string). None: a form we do not edit
    (a YAML plain scalar folded over lines, a block scalar).
    """
    text = config.text
    whole = text[token.start : token.end]
    quote = whole[:1] if whole[:1] in ('"', "'") else ""
    multiline = whole[:3] in ('"""', "'''")
    inner_start, inner_end = (token.start + 1, token.end - 1) if quote else (token.start, token.end)
    if multiline or text[inner_start:inner_end] != old:
        if not quote:
            return None
        return Edit(config.path, config.sha256, token.start, token.end, json.dumps(new), server, old, new, token)
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    middle = _encode_part(new[prefix : len(new) - suffix], quote, config.format)
    if middle is None:  # the new characters need a quoting the token does not have: rewrite it whole
        return Edit(config.path, config.sha256, token.start, token.end, json.dumps(new), server, old, new, token)
    start, end = inner_start + prefix, inner_end - suffix
    return Edit(config.path, config.sha256, start, end, middle, server, old, new, token)


def _encode_part(part: str, quote: str, fmt: str) -> str | None:
    """Characters to splice inside a token with this quoting; None when the token cannot hold them."""
    if quote == '"':
        return json.dumps(part)[1:-1]
    if any(c in part for c in "\n\r\t'") or (quote == "" and (": " in part or " #" in part)):
        return None
    if quote == "'":  # a YAML or TOML single-quoted string: no escapes, and part has no quote
        return part
    return part if fmt in ("yaml", "") else None


def apply_to_text(text: str, edits: Iterable[Edit]) -> str:
    # From the end backwards; at one position a replacement goes before an insert there, so the insert stays.
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


def diff(config: ConfigFile, edits: Iterable[Edit]) -> str:
    """A unified diff of the change; secrets and URL credentials are masked on both sides.

    Both sides are the real text (before, and after the edits), with each secret value and each
    URL that carries credentials replaced by its masked form at its own position.
    """
    edits = sorted(edits, key=lambda e: (e.start, e.end))
    after_text = apply_to_text(config.text, edits)

    def moved(pos: int, is_end: bool) -> int:
        return pos + sum(
            len(e.replacement) - (e.end - e.start) for e in edits if e.end <= pos and (not is_end or e.start < pos)
        )

    masks: list[tuple[int, int, str]] = [(s.start, s.end, f'"{MASK}"') for s in config.secret_spans]
    new_urls = {(e.token.start, e.token.end): e.new_url for e in edits if e.token.start != e.token.end}
    before_masks, after_masks = list(masks), [(moved(a, False), moved(b, True), m) for a, b, m in masks]
    for entry in config.entries:
        span = entry.url_span
        if entry.url is None or span is None:
            continue
        quote = config.text[span.start] if config.text[span.start : span.start + 1] in ('"', "'") else ""
        old, new = entry.url, new_urls.get((span.start, span.end), entry.url)
        if redact_url(old) != old:
            before_masks.append((span.start, span.end, quote + redact_url(old) + quote))
        if redact_url(new) != new or redact_url(old) != old:
            after_masks.append((moved(span.start, False), moved(span.end, True), quote + redact_url(new) + quote))
    lines = difflib.unified_diff(
        _masked(config.text, before_masks).splitlines(keepends=True),
        _masked(after_text, after_masks).splitlines(keepends=True),
        fromfile=config.path,
        tofile=config.path,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _masked(text: str, masks: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, shown in sorted(masks):
        if start < last:
            continue
        out += [text[last:start], shown]
        last = end
    out.append(text[last:])
    return "".join(out)
