"""MCP client configs that a Compose project's services mount: each such service is a client.

``./config:/config`` brings the host's ``./config`` into the agent; the MCP config in it is read
by the agent, so it is judged from there, whether the project runs or not. A single file mounted
(``./mcp.json:/app/mcp.json``) is taken whatever its name, when its shape holds MCP servers; in a
mounted directory the known file names of the clients (mcpconfig/clients.py) are looked for.

A mount of ``$HOME`` or ``/`` must cost next to nothing: directories are walked to depth 2 at
most, over a bounded number of entries, files over 1 MiB are skipped, and the clients' exact
relative paths (``.codex/config.toml``, ``.config/goose/config.yaml``) are looked up by name.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from mcp_dockernet.compose.model import ComposeProject, ComposeService, Mount
from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig.clients import CLIENTS
from mcp_dockernet.mcpconfig.discovery import detect_by_path
from mcp_dockernet.mcpconfig.mcp_config import load_config, read_text
from mcp_dockernet.model import ConfigFile

log = logging.getLogger(__name__)

MAX_DEPTH = 2  # the mount's own directory is depth 0
MAX_ENTRIES = 2000  # directory entries looked at per mount
MAX_FILES = 20  # config files taken per mount
MAX_SIZE = 1024 * 1024
# Trees that hold code or data, never a client's config.
SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__", ".venv", "venv", "site-packages", "proc", "sys", "dev"})
_KNOWN = [f for k in CLIENTS.values() for f in (*k.project_files, *k.user_files) if "*" not in f]
KNOWN_PATHS = tuple(dict.fromkeys(_KNOWN))  # relative to a mounted project or home directory
KNOWN_NAMES = frozenset(PurePosixPath(f).name for f in _KNOWN)
CONFIG_SUFFIXES = (".json", ".jsonc", ".yaml", ".yml", ".toml")
COMPOSE_NAME = re.compile(r"^(docker-)?compose(\.[\w.-]+)?\.ya?ml$")  # compose.override.yaml too
MCP_KEYS = ("mcpServers", "mcp_servers", "extensions", "context_servers", "servers", "mcp")


@dataclass(frozen=True, slots=True)
class MountedConfig:
    """A config file on the host that a service reads through a bind mount."""

    service: str
    path: str  # the file on the host
    inside: str  # the same file as the service sees it
    mount: Mount
    config: ConfigFile

    @property
    def single_file(self) -> bool:
        return self.mount.source == self.path

    def reason(self, project: ComposeProject) -> str:
        """`service agent mounts ./cfg at /config (compose.yaml:12), so it reads /config/mcp.json`."""
        where = _short(self.mount.file, project.working_dir) if self.mount.file else ""
        where = f" ({where}:{self.mount.line})" if where and self.mount.line else (f" ({where})" if where else "")
        source = _short(self.mount.source or self.path, project.working_dir, dot=True)
        head = f"service {self.service} mounts {source} at {self.mount.target}"
        return head + (f" as a single file{where}" if self.single_file else f"{where}, so it reads {self.inside}")


def mounted_configs(project: ComposeProject) -> tuple[MountedConfig, ...]:
    """Every MCP config a service of the project mounts; a file mounted by two services goes to the first."""
    found: dict[str, MountedConfig] = {}
    for svc in project.services:
        if _is_mcp_dockernet(svc):
            continue  # our own sidecar mounts the agent's config too; it is not its client
        for mount in svc.volumes:
            if mount.type != "bind" or not mount.source:
                continue
            for path, inside in _candidates(mount):
                real = os.path.realpath(path)
                if real in found:
                    log.info(
                        "%s is mounted by %s and %s; judged as %s's", path, found[real].service, svc.name, svc.name
                    )
                    continue
                config = _load(path, inside, single=mount.source == path)
                if config is not None:
                    found[real] = MountedConfig(svc.name, path, inside, mount, config)
    return tuple(found.values())


def _candidates(mount: Mount) -> Iterator[tuple[str, str]]:
    """(host path, path inside) of the files worth reading under one bind mount."""
    source = mount.source or ""
    if os.path.isfile(source):
        yield source, mount.target
        return
    if not os.path.isdir(source):
        return  # not created yet (Compose creates a missing bind source as an empty directory)
    seen: set[str] = set()
    for rel in (*KNOWN_PATHS, *_walk(source)):
        if len(seen) >= MAX_FILES:
            log.info("%s: more than %d config files; the rest are not read", source, MAX_FILES)
            return
        path = os.path.join(source, rel)
        if rel in seen or not os.path.isfile(path):
            continue
        seen.add(rel)
        yield path, str(PurePosixPath(mount.target) / rel)


def _walk(root: str) -> Iterator[str]:
    """Relative paths of files with a known name, breadth first, to MAX_DEPTH, over MAX_ENTRIES entries."""
    budget = MAX_ENTRIES
    level = [""]
    for depth in range(MAX_DEPTH + 1):
        below: list[str] = []
        for rel in level:
            try:
                with os.scandir(os.path.join(root, rel)) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                budget -= 1
                if budget < 0:
                    log.info("%s: more than %d entries; not looked at further", root, MAX_ENTRIES)
                    return
                child = os.path.join(rel, entry.name)
                if entry.is_file(follow_symlinks=False) and entry.name in KNOWN_NAMES:
                    yield child
                elif depth < MAX_DEPTH and entry.is_dir(follow_symlinks=False) and _worth(entry.name):
                    below.append(child)
        level = below


def _worth(name: str) -> bool:
    return name not in SKIP_DIRS and not name.endswith((".dist-info", ".egg-info"))


def _load(path: str, inside: str, single: bool) -> ConfigFile | None:
    """The config, or None for a file that is not one; a file named as an MCP config must parse."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return None
    if size == 0 or size > MAX_SIZE:
        if size:
            log.info("%s: %d bytes, over %d: not read as an MCP config", path, size, MAX_SIZE)
        return None
    kind = detect_by_path(inside) or detect_by_path(path)
    name = PurePosixPath(path).name.lower()
    named = kind is not None or ("mcp" in name and name.endswith(CONFIG_SUFFIXES))
    try:
        config = load_config(path, kind)
    except ConfigError:
        if named:
            raise  # mcp.json that does not parse is the agent's broken config: bad input
        log.debug("%s: mounted%s, but not an MCP config", path, " as a single file" if single else "")
        return None
    # A settings.json or config.yaml holds MCP servers only sometimes: keep it only when it does.
    return config if named or config.entries else None


def _is_mcp_dockernet(svc: ComposeService) -> bool:
    image = (svc.image or "").rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    return image == "mcp-dockernet"


def _short(path: str, base: str, dot: bool = False) -> str:
    """A path as a person wrote it in the Compose file: relative to the project directory when inside it."""
    rel = os.path.relpath(path, base)
    if rel.startswith(".."):
        return path
    return f"./{rel}" if dot and rel != "." else ("." if rel == "." else rel)


def is_compose_file(path: str) -> bool:
    """compose.yaml and its kin by name; else a YAML mapping with `services` and none of the MCP keys."""
    name = os.path.basename(path)
    if COMPOSE_NAME.match(name):
        return True
    if not name.lower().endswith((".yaml", ".yml")):
        return False
    from mcp_dockernet.mcpconfig import yaml_doc  # PyYAML: loaded only when a YAML file is looked into

    try:
        doc = yaml_doc.parse(read_text(path)[0]).value
    except Exception:  # unreadable or malformed: load_config says why, as for any config
        return False
    return isinstance(doc, dict) and isinstance(doc.get("services"), dict) and not any(k in doc for k in MCP_KEYS)
