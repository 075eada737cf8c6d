"""``docker compose config --format json``: the reference model, when the Compose plugin is here.

The CLI prints the normalized model (long-form ports, ``default`` networks added, profiles and
interpolation applied, unused networks dropped). We map it into the same dataclasses as our own
loader. It never needs the engine; it runs with a bounded timeout and the caller's environment.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import subprocess
from typing import Any

from mcp_dockernet.compose import fields as fields
from mcp_dockernet.compose.model import CLI_SOURCE, ComposeNetwork, ComposeProject, ComposeService, EnvVar
from mcp_dockernet.compose.normalize import service_networks
from mcp_dockernet.compose.options import Options
from mcp_dockernet.errors import ConfigError

log = logging.getLogger(__name__)
TIMEOUT = 30.0


@functools.lru_cache(maxsize=4)
def compose_cli(docker: str | None = None) -> str | None:
    """The docker binary when ``docker compose version`` works, else None."""
    binary = docker or shutil.which("docker")
    if not binary:
        return None
    try:
        done = subprocess.run(
            [binary, "compose", "version", "--short"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError) as e:
        log.debug("docker compose version failed: %s", e)
        return None
    return binary if done.returncode == 0 else None


def command(binary: str, opts: Options) -> list[str]:
    args = [binary, "compose"]
    for f in opts.files:
        args += ["-f", f]
    if opts.project_dir_given:
        args += ["--project-directory", opts.working_dir]
    if opts.explicit_name:
        args += ["-p", opts.explicit_name]
    for p in opts.profiles:
        args += ["--profile", p]
    return [*args, "config", "--format", "json"]


def run_config(opts: Options, binary: str, timeout: float = TIMEOUT) -> dict[str, Any]:
    env = dict(opts.environ)
    env.setdefault("PATH", os.environ.get("PATH", "/usr/bin:/bin"))
    where = opts.files[0] if opts.files else opts.working_dir
    try:
        done = subprocess.run(
            command(binary, opts), capture_output=True, text=True, timeout=timeout, env=env, cwd=opts.cwd, check=False
        )
    except subprocess.TimeoutExpired:
        raise ConfigError(where, f"docker compose config did not answer within {timeout:g} s") from None
    except OSError as e:
        raise ConfigError(where, f"cannot run docker compose: {e.strerror or e}") from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip() and "level=warning" not in line]
        message = " ".join(lines) or "failed"
        raise ConfigError(where, f"docker compose config: {message}")
    try:
        data = json.loads(done.stdout)
    except ValueError as e:
        raise ConfigError(where, f"docker compose config printed no JSON ({e})") from None
    if not isinstance(data, dict):
        raise ConfigError(where, "docker compose config printed no JSON object")
    return _unescape(data)


def _unescape(value: Any) -> Any:
    """The CLI prints a literal $ as $$ (so its output loads again); the model holds the value itself."""
    if isinstance(value, str):
        return value.replace("$$", "$")
    if isinstance(value, dict):
        return {_unescape(k): _unescape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unescape(v) for v in value]
    return value


def project_from_json(data: dict[str, Any], opts: Options) -> ComposeProject:
    services = data.get("services") or {}
    networks = data.get("networks") or {}
    return ComposeProject(
        name=str(data.get("name") or ""),
        working_dir=opts.working_dir,
        files=opts.files,
        services=tuple(_service(name, services[name] or {}, opts) for name in sorted(services)),
        networks=tuple(_network(key, networks[key] or {}) for key in sorted(networks)),
        source=CLI_SOURCE,
    )


def _service(name: str, svc: dict[str, Any], opts: Options) -> ComposeService:
    network_mode = fields.scalar(svc.get("network_mode"))
    env = svc.get("environment") or {}
    return ComposeService(
        name=name,
        image=fields.scalar(svc.get("image")),
        container_name=fields.scalar(svc.get("container_name")),
        hostname=fields.scalar(svc.get("hostname")),
        ports=fields.unique_ports([p for item in svc.get("ports") or [] for p in fields.parse_port(item)]),
        expose=fields.parse_expose(svc.get("expose")),
        networks=service_networks(svc.get("networks"), network_mode, implicit=False),
        network_mode=network_mode,
        extra_hosts=fields.parse_extra_hosts(svc.get("extra_hosts")),
        links=tuple(str(x) for x in svc.get("links") or []),
        environment=tuple(EnvVar(str(k), None if env[k] is None else str(env[k])) for k in sorted(env)),
        volumes=tuple(fields.parse_volume(v, opts.working_dir, None) for v in svc.get("volumes") or []),
        profiles=tuple(str(p) for p in svc.get("profiles") or []),
    )


def _network(key: str, spec: dict[str, Any]) -> ComposeNetwork:
    return ComposeNetwork(
        key=key,
        name=str(spec.get("name") or key),
        external=bool(spec.get("external")),
        driver=fields.scalar(spec.get("driver")),
        internal=bool(spec.get("internal")),
    )
