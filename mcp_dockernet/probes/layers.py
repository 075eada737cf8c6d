"""A whole probe from where this process runs: name resolution -> TCP connect -> HTTP -> MCP.

Each layer is recorded; the first that fails decides the outcome. Every probe of a run goes out at
once and each is bounded by one ``timeout`` in all (a black-holed address costs one timeout, not
one per layer), so 100 URLs take about one timeout. The client's proxy variables are honoured
(probes/proxy.py): behind a proxy, the client resolves and connects to the proxy, and so do we.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from urllib.parse import urlsplit

import httpx

from mcp_dockernet.model import Layer, Outcome, ProbeResult, ProbeTarget
from mcp_dockernet.probes.http import exchange
from mcp_dockernet.probes.proxy import decide
from mcp_dockernet.redact import redact_url

CONNECT_OUTCOMES = {"refused": Outcome.REFUSED, "unreachable": Outcome.UNREACHABLE, "timeout": Outcome.TIMEOUT}


Target = ProbeTarget | tuple[str, str]  # a bare (url, transport) is a probe without entry headers


def as_target(t: Target) -> ProbeTarget:
    return t if isinstance(t, ProbeTarget) else ProbeTarget(str(t[0]), str(t[1]))


def probe_all(
    targets: Iterable[Target], timeout: float, *, environ: Mapping[str, str] | None = None
) -> tuple[ProbeResult, ...]:
    """Probe every target at once from this process; one result per target, in the order given."""
    given = [as_target(t) for t in targets]
    unique = list(dict.fromkeys(given))
    if not unique:
        return ()
    env = os.environ if environ is None else environ
    done = dict(zip(unique, asyncio.run(probe_many(unique, timeout, env)), strict=True))
    return tuple(done[t] for t in given)


async def probe_many(targets: list[ProbeTarget], timeout: float, environ: Mapping[str, str]) -> list[ProbeResult]:
    clients: dict[str | None, httpx.AsyncClient] = {}
    limits = httpx.Limits(max_connections=max(len(targets), 1) * 2, max_keepalive_connections=0)

    def client_for(proxy: str | None) -> httpx.AsyncClient:
        if proxy not in clients:  # trust_env off: the decision is ours, made from the client's environment
            clients[proxy] = httpx.AsyncClient(timeout=timeout, trust_env=False, limits=limits, proxy=proxy)
        return clients[proxy]

    try:
        return list(await asyncio.gather(*(probe_url(t, timeout, environ, client_for) for t in targets)))
    finally:
        for client in clients.values():
            await client.aclose()


async def probe_url(target: ProbeTarget, timeout: float, environ: Mapping[str, str], client_for) -> ProbeResult:  # type: ignore[no-untyped-def]
    """One target's probe; every way it ends carries the target's headers_id (its ProbeKey)."""
    layers: list[Layer] = []
    deadline = time.monotonic() + timeout
    current = ["dns"]
    url, transport = target.url, target.transport
    try:
        result = await asyncio.wait_for(
            _layers(target, deadline, environ, client_for, layers, current), timeout=timeout
        )
    except TimeoutError:
        what = {"dns": "name resolution", "tcp": "TCP connect", "http": "HTTP exchange"}.get(current[0], current[0])
        detail = f"{what} did not finish within {timeout:g}s"
        layers.append(Layer(current[0], "timeout", detail))
        result = ProbeResult(url, Outcome.TIMEOUT, detail, requested_transport=transport, layers=tuple(layers))
    return replace(result, headers_id=target.headers_id)


async def _layers(target, deadline, environ, client_for, layers, current) -> ProbeResult:  # type: ignore[no-untyped-def]
    url, transport = target.url, target.transport
    parts = urlsplit(url)
    decision = decide(url, environ)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    extra: dict[str, object] = {"no_proxy": decision.no_proxy, "requested_transport": transport}
    if decision.proxy:
        proxy = urlsplit(decision.proxy)
        extra["proxy"] = redact_url(decision.proxy)
        layers.append(Layer("proxy", "ok", f"via {redact_url(decision.proxy)}: {decision.why}"))
        host, port = proxy.hostname or "", proxy.port or 8080
    addresses = await _resolve(host, port, layers)
    if isinstance(addresses, ProbeResult):
        return replace(addresses, url=url, **extra)  # type: ignore[arg-type]
    current[0] = "tcp"
    connects = await _connect_all(addresses, port, deadline)
    extra["connects"] = connects
    if not any(outcome == "connected" for _, outcome in connects):
        first = _worst(connects)
        detail = "TCP connect: " + ", ".join(f"{a} {o}" for a, o in connects)
        layers.append(Layer("tcp", "timeout" if first == "timeout" else "failed", detail))
        outcome = CONNECT_OUTCOMES.get(first, Outcome.ERROR)
        summary = {"refused": "connection refused", "timeout": "TCP connect timed out"}.get(first, detail)
        return ProbeResult(url, outcome, summary, layers=tuple(layers), **extra)  # type: ignore[arg-type]
    layers.append(Layer("tcp", "ok", "TCP connect: " + ", ".join(f"{a} {o}" for a, o in connects)))
    current[0] = "http"
    result = await exchange(client_for(decision.proxy), target)
    return replace(result, layers=(*layers, *result.layers), **extra)  # type: ignore[arg-type]


async def _resolve(host: str, port: int, layers: list[Layer]) -> list[str] | ProbeResult:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        detail = f"the name {host} does not resolve ({e.strerror})"
        layers.append(Layer("dns", "failed", detail))
        return ProbeResult("", Outcome.DNS, detail, layers=tuple(layers))
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    layers.append(Layer("dns", "ok", f"{host} -> {', '.join(addresses)}"))
    return addresses


async def _connect_all(addresses: list[str], port: int, deadline: float) -> tuple[tuple[str, str], ...]:
    """Connect to every address at once (clients with happy eyeballs try them all; others only the first)."""
    outcomes = await asyncio.gather(*(_connect(a, port, deadline) for a in addresses))
    return tuple(zip(addresses, outcomes, strict=True))


async def _connect(address: str, port: int, deadline: float) -> str:
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(address, port), timeout=max(deadline - time.monotonic() - 0.05, 0.01)
        )
    except TimeoutError:
        return "timeout"
    except ConnectionRefusedError:
        return "refused"
    except OSError as e:
        return "unreachable" if e.errno in (101, 113, 99) else f"error: {e.strerror or e}"
    writer.close()
    try:
        await writer.wait_closed()
    except OSError:
        pass
    return "connected"


def _worst(connects: tuple[tuple[str, str], ...]) -> str:
    """The outcome to report when no address connected: the one most clients end with."""
    outcomes = [o for _, o in connects]
    for name in ("refused", "timeout", "unreachable"):
        if name in outcomes:
            return name
    return outcomes[0] if outcomes else "error"
