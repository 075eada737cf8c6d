"""The syntax of each networking field, short and long forms, as compose-go reads it.

Sources (research doc 1.6): ports follow docker/go-connections ``nat.ParsePortSpec`` (split on
``:``, the last part is the container port, IP brackets removed, ranges expanded per port, a single
target with a host range keeps the range); extra_hosts try ``=`` then ``:`` and split IPs on ``,``
(compose-go ``types/hostList.go``); volumes are ``[SOURCE:]TARGET[:MODE]``.
"""

from __future__ import annotations

import ipaddress
import math
import os
import posixpath
from dataclasses import replace
from typing import Any

from mcp_dockernet.compose.model import ComposePort, Mount

PROTOCOLS = ("tcp", "udp", "sctp")


class FieldError(ValueError):
    """A value that does not follow its field's syntax; the message says what was expected."""


def scalar(value: Any) -> str | None:
    """A YAML scalar as the string compose-go would print for it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    return str(value)


def to_bool(value: Any, what: str) -> bool:
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "y", "yes", "on", "1"):
        return True
    if text in ("false", "n", "no", "off", "0", ""):
        return False
    raise FieldError(f"{what} must be true or false, not {value!r}")


def to_int(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise FieldError(f"{what} must be a number, not {value!r}")
    try:
        return int(str(value).strip())
    except ValueError:
        raise FieldError(f"{what} must be a number, not {value!r}") from None


def _range(text: str, what: str) -> tuple[int, int]:
    start, sep, end = text.partition("-")
    try:
        lo, hi = int(start), int(end) if sep else int(start)
    except ValueError:
        raise FieldError(f"invalid {what} {text!r}") from None
    if lo < 0 or hi > 65535 or hi < lo:
        raise FieldError(f"invalid {what} {text!r}")
    return lo, hi


def parse_port(item: Any) -> list[ComposePort]:
    """One `ports` item (a number, a short string or a long mapping) as normalized entries."""
    if isinstance(item, dict):
        published = scalar(item.get("published"))
        return [
            ComposePort(
                target=to_int(item.get("target"), "ports.target"),
                published=published or None,
                host_ip=scalar(item.get("host_ip")) or None,
                protocol=(scalar(item.get("protocol")) or "tcp").lower(),
                mode=scalar(item.get("mode")) or "ingress",
            )
        ]
    if isinstance(item, bool) or not isinstance(item, int | str):
        raise FieldError(f"a ports item must be a string, a number or a mapping, not {item!r}")
    spec = str(item)
    parts = spec.split(":")
    container = parts[-1]
    host = parts[-2] if len(parts) >= 2 else ""
    ip = ":".join(parts[:-2]) if len(parts) >= 3 else ""
    container, _, proto = container.partition("/")
    proto = (proto or "tcp").lower()
    if proto not in PROTOCOLS:
        raise FieldError(f"invalid protocol {proto!r} in port {spec!r}")
    if ip.startswith("[") and ip.endswith("]"):
        ip = ip[1:-1]
    if ip:
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            raise FieldError(f"invalid IP address {ip!r} in port {spec!r}") from None
    if not container:
        raise FieldError(f"no container port in {spec!r}")
    lo, hi = _range(container, "container port")
    hlo, hhi = _range(host, "host port") if host else (0, 0)
    if host and hi - lo != hhi - hlo and hi != lo:
        raise FieldError(f"the host and container port ranges of {spec!r} differ in length")
    out = []
    for i in range(hi - lo + 1):
        if not host:
            published = None
        elif hi == lo and hhi != hlo:
            published = f"{hlo}-{hhi}"
        else:
            published = str(hlo + i)
        out.append(ComposePort(lo + i, published, ip or None, proto))
    return out


def unique_ports(ports: list[ComposePort]) -> tuple[ComposePort, ...]:
    """compose-go's uniqueness: a later entry with the same (ip, published, target, proto) replaces in place."""
    seen: dict[tuple[str, str, int, str], ComposePort] = {}
    for p in ports:
        seen[(p.host_ip or "0.0.0.0", p.published or "", p.target, p.protocol)] = p
    return tuple(seen.values())


def parse_expose(items: Any) -> tuple[int, ...]:
    out: list[int] = []
    for item in items or []:
        port = str(scalar(item)).partition("/")[0]
        lo, hi = _range(port, "expose port")
        out += range(lo, hi + 1)
    return tuple(dict.fromkeys(out))


def parse_extra_hosts(items: Any) -> tuple[tuple[str, str], ...]:
    """(host, ip) pairs, grouped by host in name order (as compose-go prints them), duplicates dropped."""
    pairs: dict[str, list[str]] = {}
    entries: list[tuple[str, Any]] = []
    if isinstance(items, dict):
        for host, ips in items.items():
            entries += [(str(host), ip) for ip in (ips if isinstance(ips, list) else [ips])]
    else:
        for item in items or []:
            text = str(item)
            sep = "=" if "=" in text else ":"
            host, found, ip = text.partition(sep)
            if not found:
                raise FieldError(f"invalid extra_hosts entry {text!r}: expected host=ip or host:ip")
            entries.append((host, ip))
    for host, ips in entries:
        if not host or ":" in host or "=" in host:
            raise FieldError(f"invalid extra_hosts host name {host!r}")
        for ip in str(scalar(ips) or "").split(","):
            ip = ip.strip()
            ip = ip[1:-1] if ip.startswith("[") and ip.endswith("]") else ip
            if ip not in pairs.setdefault(host, []):
                pairs[host].append(ip)
    return tuple((h, ip) for h in sorted(pairs) for ip in pairs[h])


def _is_path(source: str) -> bool:
    return source.startswith(("/", ".", "~")) or (len(source) > 1 and source[1] == ":")


def host_path(source: str, base: str, home: str | None) -> str:
    if source.startswith("~") and home:
        source = home + source[1:]
    return os.path.normpath(os.path.join(base, source))


def parse_volume(item: Any, base: str, home: str | None) -> Mount:
    """A `volumes` item; a relative bind source is made absolute against base; with the line it is written on."""
    mount = _parse_volume(item, base, home)
    written = [item] if not isinstance(item, dict) else [item.get("source"), item.get("target"), *item.values()]
    loc = next((v.loc for v in written if getattr(v, "loc", None) is not None), None)  # a Located value
    return replace(mount, file=loc.file, line=loc.line) if loc is not None else mount


def _parse_volume(item: Any, base: str, home: str | None) -> Mount:
    if isinstance(item, dict):
        kind = scalar(item.get("type")) or "volume"
        source = scalar(item.get("source"))
        if kind == "bind" and source:
            source = host_path(source, base, home)
        target = clean_target(scalar(item.get("target")) or "")
        return Mount(kind, source or None, target, to_bool(item.get("read_only"), "volumes.read_only"))
    parts = str(item).split(":")
    if len(parts) == 1:
        return Mount("volume", None, clean_target(parts[0]))
    if len(parts) > 3:
        raise FieldError(f"invalid volume {item!r}: expected [SOURCE:]TARGET[:MODE]")
    if any(not p for p in parts):
        raise FieldError(f"invalid volume {item!r}: empty section between colons")
    source, target = parts[0], clean_target(parts[1])
    modes = parts[2].split(",") if len(parts) == 3 else []
    read_only = "ro" in modes
    if _is_path(source):
        return Mount("bind", host_path(source, base, home), target, read_only)
    return Mount("volume", source, target, read_only)


def clean_target(target: str) -> str:
    """compose-go cleans container paths: /var/www/html/ is /var/www/html."""
    return posixpath.normpath(target) if target.startswith("/") else target


def unique_mounts(mounts: list[Mount]) -> tuple[Mount, ...]:
    seen: dict[str, Mount] = {}
    for m in mounts:
        seen[m.target] = m
    return tuple(seen.values())


def rebase_volume(item: Any, base: str) -> Any:
    """A volume item whose relative bind source is made absolute (extends/include from another dir)."""
    if isinstance(item, dict):
        source = item.get("source")
        if item.get("type") == "bind" and isinstance(source, str) and not os.path.isabs(source):
            return {**item, "source": host_path(source, base, None) if not source.startswith("~") else source}
        return item
    parts = str(item).split(":")
    if len(parts) >= 2 and parts[0].startswith("."):
        return ":".join([os.path.normpath(os.path.join(base, parts[0])), *parts[1:]])
    return item
