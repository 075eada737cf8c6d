"""The merged model (plain data) -> ComposeProject, as compose-go normalizes it.

Active profiles pick the services; a service with neither ``networks`` nor ``network_mode`` joins
``default``; networks get their engine names (``<project>_<key>``, ``name:``, or the key when
external) and only the ones a service uses are kept; ports, volumes, expose and links are made
unique; env_file values come first and ``environment`` overrides them (research doc 1.6-1.7).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from mcp_dockernet.compose import fields as fields
from mcp_dockernet.compose.dotenv import read_dotenv
from mcp_dockernet.compose.merge import named_map
from mcp_dockernet.compose.model import (
    BUILTIN_SOURCE,
    ComposeNetwork,
    ComposeProject,
    ComposeService,
    EnvVar,
    ServiceNetwork,
)
from mcp_dockernet.compose.yaml_nodes import Located
from mcp_dockernet.errors import ConfigError


def where(value: Any, default: str) -> tuple[str, int | None]:
    """The file and line a value (a Located key or string) is written at."""
    if isinstance(value, Located) and value.loc is not None:
        return value.loc.file, value.loc.line
    return default, None


def error_at(value: Any, default: str, reason: str) -> ConfigError:
    """A ConfigError at the file and line where value is written (else at default)."""
    file, line = where(value, default)
    return ConfigError(file, reason, line)


def enabled(profiles: Sequence[str], active: Sequence[str]) -> bool:
    return not profiles or "*" in active or any(p in active for p in profiles)


def build_project(
    model: dict[str, Any],
    name: str,
    working_dir: str,
    files: Sequence[str],
    env: Mapping[str, str],
    active: Sequence[str],
) -> ComposeProject:
    first = files[0] if files else working_dir
    raw_services = model.get("services") or {}
    if not isinstance(raw_services, dict):
        raise ConfigError(first, "services must be a mapping of service names", where(raw_services, first)[1])
    services: list[ComposeService] = []
    disabled: list[str] = []
    for key in sorted(raw_services, key=str):
        svc = raw_services[key] or {}
        if not isinstance(svc, dict):
            raise error_at(key, first, f"service {key} must be a mapping")
        profiles = tuple(str(p) for p in svc.get("profiles") or ())
        if not enabled(profiles, active):
            disabled.append(str(key))
            continue
        try:
            services.append(_service(str(key), svc, profiles, working_dir, env, key))
        except fields.FieldError as e:
            raise error_at(key, first, f"service {key}: {e}") from None
    networks = _networks(model.get("networks") or {}, services, raw_services, name, first)
    return ComposeProject(
        name=name,
        working_dir=working_dir,
        files=tuple(files),
        services=tuple(services),
        networks=networks,
        source=BUILTIN_SOURCE,
        disabled=tuple(disabled),
    )


def _service(
    name: str, svc: dict[str, Any], profiles: tuple[str, ...], base: str, env: Mapping[str, str], key: Any
) -> ComposeService:
    file, line = where(key, "")
    home = env.get("HOME") or os.path.expanduser("~")
    network_mode = fields.scalar(svc.get("network_mode"))
    networks = service_networks(svc.get("networks"), network_mode)
    if svc.get("networks") and network_mode:
        raise fields.FieldError("network_mode and networks are mutually exclusive")
    ports = [p for item in svc.get("ports") or [] for p in fields.parse_port(item)]
    mounts = [fields.parse_volume(v, base, home) for v in svc.get("volumes") or []]
    return ComposeService(
        name=name,
        image=fields.scalar(svc.get("image")),
        container_name=fields.scalar(svc.get("container_name")),
        hostname=fields.scalar(svc.get("hostname")),
        ports=fields.unique_ports(ports),
        expose=fields.parse_expose(svc.get("expose")),
        networks=networks,
        network_mode=network_mode,
        extra_hosts=fields.parse_extra_hosts(svc.get("extra_hosts")),
        links=tuple(dict.fromkeys(str(x) for x in svc.get("links") or [])),
        environment=_environment(svc, base, env),
        volumes=fields.unique_mounts(mounts),
        profiles=profiles,
        file=file or None,
        line=line,
    )


def service_networks(value: Any, network_mode: str | None, implicit: bool = True) -> tuple[ServiceNetwork, ...]:
    """Primary network first (priority, then key); the implicit default when neither field is set."""
    if not value:
        return () if network_mode or not implicit else (ServiceNetwork("default"),)
    if isinstance(value, list):
        value = {k: None for k in value}
    out = []
    for key, spec in value.items():
        spec = spec if isinstance(spec, dict) else {}
        aliases = tuple(dict.fromkeys(str(a) for a in spec.get("aliases") or []))
        priority = fields.to_int(spec.get("priority") or 0, "networks.priority")
        out.append(
            ServiceNetwork(
                str(key),
                aliases,
                priority,
                fields.scalar(spec.get("ipv4_address")),
                fields.scalar(spec.get("ipv6_address")),
            )
        )
    return tuple(sorted(out, key=lambda n: (-n.priority, n.key)))


def _networks(
    defined: Any, services: list[ComposeService], raw: dict[str, Any], project: str, first: str
) -> tuple[ComposeNetwork, ...]:
    if not isinstance(defined, dict):
        raise ConfigError(first, "networks must be a mapping of network names")
    used: dict[str, None] = {}
    names = {s.name for s in services}
    for s in services:
        mode = s.network_mode or ""
        if mode.startswith("service:") and mode[8:] not in raw:
            raise ConfigError(
                s.file or first, f"service {s.name} uses network_mode {mode}, but there is no such service", s.line
            )
        if mode.startswith("service:") and mode[8:] not in names:
            raise ConfigError(
                s.file or first, f"service {s.name} uses network_mode {mode}, but that service is not enabled", s.line
            )
        for n in s.networks:
            if n.key not in defined and n.key != "default":
                raise ConfigError(s.file or first, f"service {s.name} refers to undefined network {n.key}", s.line)
            used[n.key] = None
    out = []
    for key in sorted(used):
        spec = defined.get(key) or {}
        try:
            out.append(_network(key, spec, project))
        except fields.FieldError as e:
            raise error_at(key, first, f"network {key}: {e}") from None
    return tuple(out)


def _network(key: str, spec: dict[str, Any], project: str) -> ComposeNetwork:
    external = spec.get("external")
    name = fields.scalar(spec.get("name"))
    if isinstance(external, dict):  # deprecated `external: {name: x}`
        legacy = fields.scalar(external.get("name"))
        if name and legacy and name != legacy:
            raise fields.FieldError(f"external.name {legacy!r} and name {name!r} differ")
        name, external = name or legacy, True
    is_external = fields.to_bool(external, "external")
    engine_name = name or (key if is_external else f"{project}_{key}")
    return ComposeNetwork(
        key=key,
        name=engine_name,
        external=is_external,
        driver=fields.scalar(spec.get("driver")),
        internal=fields.to_bool(spec.get("internal"), "internal"),
    )


def _environment(svc: dict[str, Any], base: str, env: Mapping[str, str]) -> tuple[EnvVar, ...]:
    out: dict[str, EnvVar] = {}
    for item in _env_files(svc.get("env_file")):
        path, required = item
        for k, v in read_dotenv(fields.host_path(path, base, env.get("HOME")), env, required).items():
            out[k] = EnvVar(k, v)
    for k, v in named_map(svc.get("environment")).items():
        out[str(k)] = _env_var(str(k), v, env)
    return tuple(out[k] for k in sorted(out))


def _env_files(value: Any) -> list[tuple[str, bool]]:
    items = value if isinstance(value, list) else ([value] if value else [])
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append((str(item.get("path")), fields.to_bool(item.get("required", True), "env_file.required")))
        else:
            out.append((str(item), True))
    return out


def _env_var(name: str, value: Any, env: Mapping[str, str]) -> EnvVar:
    if value is None:  # "KEY" alone, or "KEY:" with no value: taken from the environment, when set there
        return EnvVar(name, env.get(name))
    text = fields.scalar(value)
    if not isinstance(value, Located) or value.loc is None:
        return EnvVar(name, text)
    loc = value.loc
    span = (loc.start, loc.end) if loc.exact or loc.style in ("'", '"') else None
    return EnvVar(name, text, loc.file, loc.line, span, value.written)
