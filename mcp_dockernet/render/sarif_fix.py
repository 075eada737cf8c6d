"""A SARIF ``fixes`` object (SARIF 2.1.0 §3.55) from the byte-exact edits fix/plan.py makes, never with a secret.

One entry's edits are all or none (as ``fix --write`` writes them), so they are one fix with one
artifactChange: its replacements in file order, each ``deletedRegion`` in the unmodified file
(§3.57.1) and ``insertedContent`` as text. SARIF cannot mask a replacement, so an edit that removes or
writes a secret (a value the loaders marked secret, a URL with credentials, a token-looking or
secret-named word) leaves the whole fix out; ``mcp-dockernet fix`` shows it masked. And every text
of the log passes ``masked``: the rules already word their messages without secrets, and a value
the file holds as a secret is masked all the same if one ever reached a message.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from mcp_dockernet.fix.plan import Edit, plan
from mcp_dockernet.model import ConfigFile
from mcp_dockernet.redact import MASK, is_secret_assignment, is_secret_name, is_secret_word, redact_url
from mcp_dockernet.render.sarif_regions import TextIndex, unquoted
from mcp_dockernet.report import Report, ServerReport

_WORDS = re.compile(r"[^\s\"',\[\]{}]+")


def fix_of(
    server: ServerReport, config: ConfigFile, index: TextIndex, artifact: dict[str, Any]
) -> dict[str, Any] | None:
    """This entry's edits (all or none, as fix --write makes them) as one SARIF fix; None when one holds a secret."""
    edits = sorted(plan(Report((server,), ()), [config]), key=lambda e: (e.start, e.end))
    if not edits or not all(_shown_safely(config, e) for e in edits):
        return None
    replacements = []
    for edit in edits:
        replacement: dict[str, Any] = {"deletedRegion": index.region(edit.start, edit.end)}
        if edit.replacement:
            replacement["insertedContent"] = {"text": edit.replacement}
        replacements.append(replacement)
    first = edits[0]
    said = (
        f"use {redact_url(first.new_url)}"
        if first.what in ("url", "transport")
        else f"{first.old_url} -> {first.new_url}"
    )
    return {
        "description": {"text": f"{server.entry.name}: {said}"},
        "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}],
    }


def _shown_safely(config: ConfigFile, edit: Edit) -> bool:
    """No secret in what the edit removes or writes: no secret value it touches, no URL with credentials,
    no token-looking or secret-named word (as redact.py judges them everywhere else)."""
    for s in config.secret_spans:
        if s.start < edit.end and edit.start < s.end or s.start < edit.start < s.end:
            return False
    for said in (edit.old_url, edit.new_url):
        if MASK in said or redact_url(said) != said:
            return False
    removed = config.text[edit.start : edit.end]
    words = _WORDS.findall(edit.replacement) + _WORDS.findall(removed)
    return not any(is_secret_word(w) or is_secret_assignment(w) for w in words)


def secret_values(config: ConfigFile) -> frozenset[str]:
    """Every secret the file holds, to mask wherever one would be shown: the values the loaders marked
    secret, header values, passwords and secret query values of URLs, secret env values and words."""
    found: set[str] = set()
    for s in config.secret_spans:
        start, end = unquoted(config.text, s.start, s.end)
        found.add(config.text[start:end])
    for entry in config.entries:
        found.update(v for _, v in entry.headers)
        for url in (entry.url, entry.resolved_url):
            found.update(_url_secrets(url or ""))
        if entry.stdio is not None:
            env = (*entry.stdio.env, *entry.stdio.raw_env)
            found.update(v for k, v in env if is_secret_name(k))
            found.update(w for w in (*entry.stdio.args, *entry.stdio.raw_args) if is_secret_word(w))
    return frozenset(v for v in found if len(v) >= 4)  # shorter values would mask ordinary words


def _url_secrets(url: str) -> set[str]:
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return set()
    query = {v for k, v in parse_qsl(parts.query, keep_blank_values=True) if is_secret_name(k)}
    return query | ({password} if password else set())


def masked(text: str, secrets: frozenset[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text
