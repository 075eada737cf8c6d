"""Merging Compose files (``-f a -f b``, overrides, extends), with compose-go's rules.

Mappings merge key by key (the later file wins), sequences are appended, scalars replaced
(compose-spec 13-merge.md; research doc 1.7). Special cases: ``command``/``entrypoint``/
``healthcheck.test`` are replaced; ``networks`` merge by key with aliases appended; ``extra_hosts``
becomes ``host=ip`` items appended without exact duplicates; ``environment`` and ``labels``
merge by name; ``depends_on`` by service. ``!reset`` drops a value, ``!override`` replaces it.
Uniqueness of ports, expose, volumes and links is enforced when the model is normalized.
"""

from __future__ import annotations

from typing import Any

from mcp_dockernet.compose.yaml_nodes import RESET, Loc, Located, Override

REPLACED = {("command",), ("entrypoint",), ("healthcheck", "test")}
BY_NAME = {"environment", "labels", "annotations", "sysctls", "build_args"}


def strip_tags(value: Any) -> Any:
    """The value as written, with !override unwrapped and !reset keys dropped."""
    if isinstance(value, Override):
        return strip_tags(value.value)
    if isinstance(value, dict):
        return {k: strip_tags(v) for k, v in value.items() if v is not RESET}
    if isinstance(value, list):
        return [strip_tags(v) for v in value if v is not RESET]
    return value


def named_map(value: Any) -> dict[Any, Any]:
    """environment / labels in either form as {name: value}; "K" alone is None (taken from the env)."""
    if isinstance(value, dict):
        return dict(value)
    out: dict[Any, Any] = {}
    for item in value or []:
        name, part = split_item(item)
        out[name] = part
    return out


def split_item(item: Any) -> tuple[str, Any]:
    """ "K=V" as (K, V), V keeping where it is written when the scalar shows it verbatim."""
    text = str(item)
    if "=" not in text:
        return text, None
    name, value = text.split("=", 1)
    if not isinstance(item, Located) or item.loc is None:
        return name, value
    written = item.written
    raw = written.split("=", 1)[1] if "=" in written else None
    loc = item.loc
    if loc.exact and raw is not None:
        start, end = loc.inner
        start += len(written) - len(raw)
        loc = Loc(loc.file, start, end, loc.line, None, True)
    else:
        loc = Loc(loc.file, loc.start, loc.end, loc.line, "=", False)  # "=": part of a list item, no span
    return name, Located(value, loc, raw)


def networks_map(value: Any) -> dict[Any, Any]:
    if isinstance(value, list):
        return {k: None for k in value}
    return dict(value or {})


def hosts_list(value: Any) -> list[Any]:
    if isinstance(value, dict):
        items = []
        for host in sorted(value, key=str):
            ips = value[host] if isinstance(value[host], list) else [value[host]]
            items += [f"{host}={ip}" for ip in ips]
        return items
    return list(value or [])


def depends_map(value: Any) -> dict[Any, Any]:
    if isinstance(value, list):
        return {k: {"condition": "service_started", "required": True} for k in value}
    return dict(value or {})


def merge_service(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if value is RESET:
            out.pop(key, None)
        elif isinstance(value, Override) or key not in out or out[key] is None:
            out[key] = strip_tags(value)
        elif key == "networks":
            out[key] = _merge_networks(networks_map(out[key]), networks_map(value))
        elif key == "extra_hosts":
            merged = hosts_list(out[key])
            merged += [h for h in hosts_list(strip_tags(value)) if h not in merged]
            out[key] = merged
        elif key in BY_NAME:
            out[key] = _merge_named(named_map(out[key]), value)
        elif key == "depends_on":
            out[key] = merge_value(depends_map(out[key]), depends_map(value), (key,))
        elif key == "env_file":
            out[key] = _as_list(out[key]) + _as_list(strip_tags(value))
        else:
            out[key] = merge_value(out[key], value, (key,))
    return out


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _merge_named(base: dict[Any, Any], over: Any) -> dict[Any, Any]:
    if isinstance(over, dict):
        for k, v in over.items():
            if v is RESET:
                base.pop(k, None)
            else:
                base[k] = strip_tags(v)
        return base
    return {**base, **named_map(strip_tags(over))}


def _merge_networks(base: dict[Any, Any], over: dict[Any, Any]) -> dict[Any, Any]:
    for key, value in over.items():
        if value is RESET:
            base.pop(key, None)
        elif key not in base or base[key] is None or isinstance(value, Override) or not isinstance(value, dict):
            if key not in base or value is not None:
                base[key] = strip_tags(value)
        else:
            merged = merge_value(base[key], value, ("networks", "*"))
            if isinstance(merged.get("aliases"), list):
                merged["aliases"] = list(dict.fromkeys(merged["aliases"]))
            base[key] = merged
    return base


def merge_value(base: Any, over: Any, path: tuple[str, ...]) -> Any:
    """The generic rule: mappings by key, sequences appended, scalars replaced."""
    if isinstance(over, Override):
        return strip_tags(over.value)
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            if value is RESET:
                out.pop(key, None)
            elif key in out and value is None and isinstance(out[key], dict):
                continue  # "key:" with no value adds nothing to what is there
            elif key in out:
                out[key] = merge_value(out[key], value, (*path, str(key)))
            else:
                out[key] = strip_tags(value)
        return out
    if isinstance(base, list) and isinstance(over, list) and path[-2:] not in REPLACED and path not in REPLACED:
        return base + strip_tags(over)
    return strip_tags(over)


def merge_models(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Two whole files: services merge as services, other sections by key, scalars replaced."""
    out = dict(base)
    for key, value in over.items():
        if value is RESET:
            out.pop(key, None)
        elif key == "services" and isinstance(value, dict) and isinstance(out.get(key), dict):
            services = dict(out[key])
            for name, svc in value.items():
                if svc is RESET:
                    services.pop(name, None)
                elif name in services and isinstance(services[name], dict) and isinstance(svc, dict):
                    services[name] = merge_service(services[name], svc)
                else:
                    services[name] = strip_tags(svc) if svc is not None else {}
            out[key] = services
        elif key in out:
            out[key] = merge_value(out[key], value, (key,))
        else:
            out[key] = strip_tags(value)
    return out
