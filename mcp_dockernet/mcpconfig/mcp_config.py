"""Read an MCP client's config file into ServerEntry facts, with the span of every URL.

The dispatcher: read the bytes safely, pick the client (``--client-type``, else the path, else
the shape) and the format (the extension, else the client's), parse with the matching reader
(jsonc, yaml_doc, toml_doc: each keeps positions), and let ``entries`` find the servers. Every
failure is one ConfigError naming the file and, where there is one, the line.
"""

from __future__ import annotations

import difflib
import hashlib
import os

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig import entries, jsonc, toml_doc
from mcp_dockernet.mcpconfig.clients import CLIENTS, JSON, JSONC, TOML, YAML, ClientKind
from mcp_dockernet.mcpconfig.discovery import detect_by_path, detect_by_shape, format_of
from mcp_dockernet.model import ConfigFile

MAX_BYTES = 16 * 1024 * 1024  # ~/.claude.json grows with history; real configs stay far below this
BOM = "\ufeff"
NAMES = {JSON: "JSON", JSONC: "JSON", YAML: "YAML", TOML: "TOML"}
TOP = {YAML: "a YAML mapping", TOML: "a TOML table"}
OBJECT_WORD = {YAML: "mapping", TOML: "table"}


def read_text(path: str, what: str = "MCP config") -> tuple[str, str, bool]:
    """The file's text (BOM removed), the sha256 of its bytes, and whether it had a BOM.

    At most MAX_BYTES + 1 bytes are read, so a huge file (or a device) is refused without
    reading it all.
    """
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise ConfigError(path, f"the file is {size // 1_048_576} MiB; {_a(what)} over 16 MiB is refused")
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(path, "no such file") from None
    except IsADirectoryError:
        raise ConfigError(path, f"is a directory, not {_a(what)}") from None
    except PermissionError:
        raise ConfigError(path, "permission denied") from None
    except OSError as e:
        raise ConfigError(path, f"cannot read it: {e.strerror or e}") from None
    if len(raw) > MAX_BYTES:
        raise ConfigError(path, f"the file is over 16 MiB; {_a(what)} that large is refused")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise ConfigError(path, f"not UTF-8 text (byte 0x{raw[e.start]:02x})", line=line) from None
    has_bom = text.startswith(BOM)
    return (text[1:] if has_bom else text), hashlib.sha256(raw).hexdigest(), has_bom


def _a(what: str) -> str:
    return ("an " if what[0].lower() in "aeiou" or what.startswith("MCP") else "a ") + what


def parse_text(path: str, text: str, fmt: str) -> jsonc.Parsed:
    """The document in its format, with the span of every value; a ConfigError when it is malformed."""
    try:
        if fmt == YAML:
            from mcp_dockernet.mcpconfig import yaml_doc  # PyYAML (~20 ms to import): only YAML pays it

            return yaml_doc.parse(text)
        if fmt == TOML:
            return toml_doc.parse(text)
        return jsonc.parse(text, jsonc=fmt == JSONC)
    except jsonc.DocumentSyntaxError as e:
        raise ConfigError(path, f"invalid {NAMES[fmt]}: {e.message}", line=e.line, column=e.column) from None
    except RecursionError:
        raise ConfigError(path, f"invalid {NAMES[fmt]}: nested too deeply", line=1) from None


def parse_config(config: ConfigFile) -> jsonc.Parsed:
    """The document of a ConfigFile read before (fix/ uses it to place an extra argument)."""
    return parse_text(config.path, config.text, config.format or JSON)


def load_config(path: str, kind: ClientKind | None = None, *, explicit: bool = False) -> ConfigFile:
    """One config file's entries. ``explicit``: the user named it (--config), so a file with no place
    for servers is a mistake to report (a typo'd key), not the normal state of a discovered file."""
    text, digest, has_bom = read_text(path)
    if not text.strip():
        raise ConfigError(path, "the file is empty; an MCP config holds at least an empty object", line=1)
    if kind is None:
        kind = detect_by_path(path)
    if kind is None:  # judge by shape: parse leniently first, then as the client demands
        fmt = format_of(path, CLIENTS["generic"])
        shape = parse_text(path, text, JSONC if fmt == JSON else fmt)
        kind = detect_by_shape(path, shape.value)
    fmt = format_of(path, kind)
    doc = parse_text(path, text, fmt)
    if not isinstance(doc.value, dict):
        raise ConfigError(path, f"the top level must be {TOP.get(fmt, 'a JSON object')}", line=1)
    found = entries.read_entries(path, kind, fmt, doc, text)
    if explicit and doc.value and not _has_server_map(kind, doc):
        raise _no_servers(path, kind, fmt, doc, text)
    urls = {(e.url_span.start, e.url_span.end) for e in found if e.url_span is not None}
    secrets = tuple(s for s in entries.secret_spans(doc) if (s.start, s.end) not in urls)
    return ConfigFile(path, kind.name, text, digest, found, secrets, has_bom, fmt)


def _has_server_map(kind: ClientKind, doc: jsonc.Parsed) -> bool:
    """Whether any of the keys where the client reads servers is there (``{}`` counts: explicitly none)."""
    return any(
        entries.get(doc.value, p) is not None
        for pattern in kind.server_maps
        for p in entries._expand(doc.value, pattern)
    )


def _norm(key: str) -> str:
    return key.casefold().replace("_", "").replace("-", "")


def _no_servers(path: str, kind: ClientKind, fmt: str, doc: jsonc.Parsed, text: str) -> ConfigError:
    """``.mcp.json:2: no "mcpServers" object, where Claude Code reads its servers; found "mcpservers" (did you mean
    "mcpServers"?)``: the closest top-level key (difflib, ignoring case, ``_`` and ``-``) to one the client reads."""
    wanted = ".".join(kind.server_maps[0])
    heads = list(dict.fromkeys(p[0] for p in kind.server_maps))
    word = OBJECT_WORD.get(fmt, "object")
    who = "most MCP clients read their" if kind.name == "generic" else f"{kind.title} reads its"
    what = f'no "{wanted}" {word}, where {who} servers'
    keys = [k for k in doc.value if isinstance(k, str)]
    if wanted in keys:  # there, but null: the one way a present key reads as absent
        return ConfigError(
            path, f'"{wanted}" is null, expected {_a(word)} of servers ({{}} for none)', line=_line(doc, text, wanted)
        )
    best: tuple[float, str, str] | None = None
    for key in (k for k in keys if k not in heads):  # "projects" with no servers inside is no typo
        for head in heads:
            ratio = difflib.SequenceMatcher(None, _norm(key), _norm(head)).ratio()
            if ratio >= 0.6 and (best is None or ratio > best[0]):
                best = (ratio, key, head)
    others: dict[str, str] = {}  # another client's server key -> that client, for a config pasted across clients
    for other in CLIENTS.values():
        for p in other.server_maps:
            if p[0] not in heads and other.name != "generic":
                others.setdefault(p[0], other.title)
    if best is None:
        if not (known := [k for k in keys if k in others]):
            shown = ", ".join(f'"{k}"' for k in keys[:5]) + (", ..." if len(keys) > 5 else "")
            return ConfigError(path, f"{what} (top-level keys: {shown})", line=1)
        best = (0.0, known[0], heads[0])
    _, key, meant = best
    whose = f"{others[key]}'s key; " if key in others else ""
    return ConfigError(path, f'{what}; found "{key}" ({whose}did you mean "{meant}"?)', line=_line(doc, text, key))


def _line(doc: jsonc.Parsed, text: str, key: str) -> int:
    span = doc.key_spans.get((key,)) or doc.spans.get((key,))
    return jsonc.line_of(text, span[0]) if span else 1
