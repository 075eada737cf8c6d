"""Plan the edits a report calls for, and show them as a diff with every secret masked.

A suggestion is a URL and, when the transport is wrong, the transport the entry must declare: the
URL's characters are spliced, and the entry's type key (or its bridge's flag) is changed or added
beside it (mcpconfig/type_keys.py), in every format, all other bytes kept. A stdio entry's fixes are
changes to its command line and env (report.ArgEdit), spliced by mcpconfig/args_edit.py. One entry's
edits are all or none: half a fix is another fault.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from mcp_dockernet.fix import masks
from mcp_dockernet.mcpconfig import args_edit, bridges, placeholders, splice, type_keys
from mcp_dockernet.mcpconfig.mcp_config import parse_config
from mcp_dockernet.model import ConfigFile, ServerEntry, Span, StdioCommand
from mcp_dockernet.redact import MASK, redact_argv, redact_env, redact_url
from mcp_dockernet.report import ArgEdit, Report, ServerReport


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace text[start:end] of the file at ``path`` (whose bytes hashed to ``expected_sha256``)."""

    path: str
    expected_sha256: str
    start: int
    end: int
    replacement: str = field(repr=False)  # may hold a secret (an env value rewritten whole)
    server: str
    old_url: str  # for display, never a secret: the URL (masked when shown), or "docker run -it" for args
    new_url: str
    token: Span  # the whole URL string token, for display (empty for an edit beside the URL)
    what: str = "url"  # url; transport: the entry's type key or its bridge's flag; args or env: a stdio entry's


def plan(report: Report, configs: Iterable[ConfigFile], notes: list[str] | None = None) -> tuple[Edit, ...]:
    """The edits the suggested URLs, transports and stdio fixes call for; ``notes`` collects why one has no edit."""
    by_path = {c.path: c for c in configs}
    said: list[str] = [] if notes is None else notes
    edits: list[Edit] = []
    for server in report.servers:
        entry = server.entry
        config = by_path.get(entry.config)
        if config is None:
            continue
        new_url, transport = _url_suggestion(server, config, said)
        arg_edits = _arg_edits(server, config, said)
        if new_url is None and transport is None and not arg_edits:
            continue
        mine, why = _entry_edits(config, entry, new_url, transport, arg_edits)
        if why is not None:
            said.append(f"{config.path}: {entry.name}: {why}")
            continue
        edits += mine
    return tuple(edits)


def _url_suggestion(server: ServerReport, config: ConfigFile, notes: list[str]) -> tuple[str | None, str | None]:
    """The URL and transport to write (None, None: nothing, or only a candidate, which is noted)."""
    entry = server.entry
    if entry.url_span is None or entry.url is None:
        return None, None
    new_url = server.suggested_url
    if new_url == (entry.effective_url or entry.url):
        new_url = None
    transport = server.suggested_transport if server.suggested_transport != entry.transport else None
    if new_url is None and transport is None:
        return None, None
    if not server.writable:  # evidence first: a guess is shown by doctor, never written
        blocked = type_keys.setting(entry, transport).why_not if transport else None
        notes.append(
            f"{config.path}: {entry.name}: {blocked}"
            if blocked
            else f"{config.path}: {entry.name}: {redact_url(new_url or entry.url)} is only a candidate "
            "(outside the client's project and networks, and not confirmed by an MCP answer from where "
            "the client runs); change it by hand if it is the server you mean"
        )
        return None, None
    return new_url, transport


def _arg_edits(server: ServerReport, config: ConfigFile, notes: list[str]) -> tuple[ArgEdit, ...]:
    """The stdio fixes of the writable findings, each once; a fix whose evidence does not support it is noted."""
    for finding in server.findings:
        if finding.arg_edits and not finding.writable:
            notes.append(f"{config.path}: {server.entry.name}: {finding.code}: {finding.fix}")
    writable = (a for f in server.findings if f.writable for a in f.arg_edits)
    return tuple(dict.fromkeys((*server.arg_edits, *writable)))


def _entry_edits(
    config: ConfigFile,
    entry: ServerEntry,
    new_url: str | None,
    transport: str | None,
    arg_edits: tuple[ArgEdit, ...] = (),
) -> tuple[list[Edit], str | None]:
    """One entry's edits (its URL, --allow-http, its transport, its args and env), all or none."""
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
    if arg_edits:
        stdio = _stdio_edits(config, entry, arg_edits)
        if isinstance(stdio, str):
            return [], stdio
        found += stdio
    merged: list[Edit] = []
    for edit in sorted(found, key=lambda e: (e.start, e.end)):  # inserts at one place become one insert, in order
        last = merged[-1] if merged else None
        if last is not None and (last.start, last.end, last.replacement) == (edit.start, edit.end, edit.replacement):
            continue  # the URL fix and an arg fix of a bridge's URL argument: one change
        if last is not None and last.start == last.end == edit.start == edit.end:
            merged[-1] = replace(last, replacement=last.replacement + edit.replacement)
        elif last is not None and edit.start < last.end:
            return [], "its fixes overlap (the URL, its transport, its command line); change it by hand"
        else:
            merged.append(edit)
    return merged, None


def _stdio_edits(config: ConfigFile, entry: ServerEntry, arg_edits: tuple[ArgEdit, ...]) -> list[Edit] | str:
    if entry.stdio is None:
        return "its command line was not read from the file, so it is not edited"
    planned = args_edit.entry_splices(config.text, config.format, entry.stdio, arg_edits)
    if isinstance(planned, str):
        return planned
    out = []
    for (start, end, text), group in planned:
        old, new = describe(entry.stdio, group)
        what = "env" if group[0].kind == "replace-env" else "args"
        out.append(Edit(config.path, config.sha256, start, end, text, entry.name, old, new, Span(start, start), what))
    return out


def describe(cmd: StdioCommand, group: tuple[ArgEdit, ...]) -> tuple[str, str]:
    """Before and after, in a few words with every secret masked: "docker run -it" -> "docker run -i",
    "env API_URL=http://localhost:8080" -> "env API_URL=http://host.docker.internal:8080"."""
    first = group[0]
    if first.kind == "replace-env":
        name = first.env_name or ""
        (_, old), (_, new) = redact_env([(name, first.old), (name, first.words[0])])
        return f"env {name}={old}", f"env {name}={new}"
    raw = list(cmd.raw_args)
    program = redact_argv(cmd.command, [])[0].replace("\\", "/").rsplit("/", 1)[-1]
    before = redact_argv(cmd.command, raw)[1:]
    i = min(e.index for e in group)
    run = cmd.docker.run_index if cmd.docker is not None else -1
    head = [program, *before[run : run + 1 if 0 <= run < i - 1 else run], *before[i - 1 : i]]  # "docker run -e"
    if first.kind == "insert-args":
        words = [w for e in group for w in e.words]
        shown = redact_argv(cmd.command, [*raw[:i], *words])[1 + i :]
        return " ".join(head), " ".join([*head, *shown])
    if first.kind == "remove-arg":
        return " ".join([*head, *(before[e.index] for e in group)]), " ".join(head)
    after = redact_argv(cmd.command, [*raw[:i], first.words[0], *raw[i + 1 :]])[1:]
    return " ".join([*head, before[i]]), " ".join([*head, after[i]])


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
    """Change only the characters that differ (splice.replace_token), so escapes and placeholders
    elsewhere survive; ``old`` and ``new`` as the file writes them. None: a form we do not edit."""
    change = splice.replace_token(config.text, config.format, (token.start, token.end), old, new)
    if change is None:
        return None
    return Edit(config.path, config.sha256, change[0], change[1], change[2], server, old, new, token)


def apply_to_text(text: str, edits: Iterable[Edit]) -> str:
    # From the end backwards; at one position a replacement goes before an insert there, so the insert stays.
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


def diff(config: ConfigFile, edits: Iterable[Edit]) -> str:
    """A unified diff of the change; secrets and URL credentials are masked on both sides.

    Both sides are the real text (before, and after the edits), with each secret value, each URL
    that carries credentials and each secret word of a command line (redact_argv: ``-e TOKEN=...``,
    ``--api-key ...``, token-looking words) replaced by its masked form at its own position. A secret
    the edits changed reads ``"***" (changed)`` after, so the line still shows as changed.
    """
    edits = sorted(edits, key=lambda e: (e.start, e.end))
    after_text = apply_to_text(config.text, edits)

    def moved(pos: int, is_end: bool) -> int:
        return pos + sum(
            len(e.replacement) - (e.end - e.start) for e in edits if e.end <= pos and (not is_end or e.start < pos)
        )

    before_masks: list[tuple[int, int, str]] = [(s.start, s.end, f'"{MASK}"') for s in config.secret_spans]
    after_masks: list[tuple[int, int, str]] = []
    for s in config.secret_spans:
        start, end = moved(s.start, False), moved(s.end, True)
        if start <= end:  # else the edits removed it
            changed = after_text[start:end] != config.text[s.start : s.end]
            after_masks.append((start, end, f'"{MASK}" (changed)' if changed else f'"{MASK}"'))
    new_urls = {(e.token.start, e.token.end): e.new_url for e in edits if e.token.start != e.token.end}
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
    docs = masks.documents(config, after_text)
    if docs is not None:  # the words of every command line, read from each side's own document
        before_masks += masks.argv_masks(config.text, docs[0])
        after_masks += masks.argv_masks(after_text, docs[1])
    lines = difflib.unified_diff(
        masks.masked(config.text, before_masks).splitlines(keepends=True),
        masks.masked(after_text, after_masks).splitlines(keepends=True),
        fromfile=config.path,
        tofile=config.path,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
