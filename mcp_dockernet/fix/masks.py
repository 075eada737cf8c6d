"""Masks for a diff of a config file: every secret word of a command line shown masked, on either side.

A mask is (start, end, shown): ``text[start:end]`` is displayed as ``shown``. The args lists are read
from each side's own document, so a word the edits moved or changed is masked where it now is.
"""

from __future__ import annotations

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig import args_edit
from mcp_dockernet.mcpconfig.jsonc import Parsed, value_at
from mcp_dockernet.mcpconfig.mcp_config import parse_config, parse_text
from mcp_dockernet.model import ConfigFile
from mcp_dockernet.redact import redact_argv

Mask = tuple[int, int, str]


def documents(config: ConfigFile, after_text: str) -> tuple[Parsed, Parsed] | None:
    """Both sides parsed (None for a file that is not a client config, such as a Compose file)."""
    if config.format not in args_edit.FORMATS:
        return None
    try:
        return parse_config(config), parse_text(config.path, after_text, config.format)
    except ConfigError:
        return None


def argv_masks(text: str, doc: Parsed) -> list[Mask]:
    """Masks for the secret words of each ``args`` list (redact_argv, with its command for context)."""
    masks = []
    lists = {p[:-1] for p in doc.spans if len(p) >= 2 and isinstance(p[-1], int) and p[-2] == "args"}
    for path in lists:
        items, parent = value_at(doc.value, path), value_at(doc.value, path[:-1])
        if not isinstance(items, list) or not isinstance(parent, dict):
            continue
        command = next((v for k in ("command", "cmd", "path") if isinstance(v := parent.get(k), str)), "")
        words = [w if isinstance(w, str) else "" for w in items]
        for i, (word, shown) in enumerate(zip(words, redact_argv(command, words)[1:], strict=True)):
            span = doc.spans.get((*path, i))
            if span is not None and shown != word:
                quote = text[span[0]] if text[span[0]] in "'\"" else ""
                masks.append((span[0], span[1], quote + shown + quote))
    return masks


def masked(text: str, masks: list[Mask]) -> str:
    out, last = [], 0
    for start, end, shown in sorted(masks):
        if start < last:
            continue
        out += [text[last:start], shown]
        last = end
    out.append(text[last:])
    return "".join(out)
