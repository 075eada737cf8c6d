"""Plan the edits a report calls for, and show them as a diff with every secret masked."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from mcp_dockernet.model import ConfigFile, Span
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
    token: Span  # the whole URL string token, for display


def plan(report: Report, configs: Iterable[ConfigFile]) -> tuple[Edit, ...]:
    by_path = {c.path: c for c in configs}
    edits = []
    for server in report.servers:
        entry = server.entry
        config = by_path.get(entry.config)
        if server.suggested_url is None or entry.url_span is None or entry.url is None or config is None:
            continue
        if server.suggested_url == entry.url:
            continue
        edits.append(_url_edit(config, entry.name, entry.url, server.suggested_url, entry.url_span))
    return tuple(edits)


def _url_edit(config: ConfigFile, server: str, old: str, new: str, token: Span) -> Edit:
    """Change only the characters that differ, so escapes and placeholders elsewhere survive."""
    quoted = config.text[token.start : token.start + 1] in ('"', "'")  # YAML plain scalars have no quotes
    inner_start, inner_end = (token.start + 1, token.end - 1) if quoted else (token.start, token.end)
    raw = config.text[inner_start:inner_end]
    if raw != old and quoted:  # the value is written with escapes: replace the string token whole
        return Edit(config.path, config.sha256, token.start, token.end, json.dumps(new), server, old, new, token)
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    middle = json.dumps(new[prefix : len(new) - suffix])[1:-1]
    start, end = inner_start + prefix, inner_end - suffix
    return Edit(config.path, config.sha256, start, end, middle, server, old, new, token)


def apply_to_text(text: str, edits: Iterable[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


def diff(config: ConfigFile, edits: Iterable[Edit]) -> str:
    """A unified diff of the change; secrets and URL credentials are masked on both sides."""
    edits = list(edits)
    swaps: list[tuple[int, int, str, str]] = [
        (e.token.start, e.token.end, json.dumps(redact_url(e.old_url)), json.dumps(redact_url(e.new_url)))
        for e in edits
    ]
    edited = {e.token for e in edits}
    swaps += [
        (u.url_span.start, u.url_span.end, json.dumps(redact_url(u.url)), json.dumps(redact_url(u.url)))
        for u in config.entries
        if u.url is not None and u.url_span is not None and u.url_span not in edited and redact_url(u.url) != u.url
    ]
    swaps += [(s.start, s.end, f'"{MASK}"', f'"{MASK}"') for s in config.secret_spans]
    before, after, last = [], [], 0
    for start, end, old, new in sorted(swaps):
        if start < last:
            continue
        before += [config.text[last:start], old]
        after += [config.text[last:start], new]
        last = end
    before.append(config.text[last:])
    after.append(config.text[last:])
    lines = difflib.unified_diff(
        "".join(before).splitlines(keepends=True),
        "".join(after).splitlines(keepends=True),
        fromfile=config.path,
        tofile=config.path,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
