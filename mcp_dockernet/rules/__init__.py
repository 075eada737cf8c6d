"""The registry of rules: one module per finding code, listed here explicitly.

Each rule is a small check over the routes (route/): it never works out again where a URL leads.
Which finding hides which is declared once, by each rule's SUPERSEDES: when a rule finds
something on an entry, the findings of the codes it supersedes on that entry are dropped
(engine.py applies it). A more precise cause wins over the symptom it explains.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Protocol

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules import (
    auth_required,
    command_not_found,
    cwd_not_found,
    default_bridge_no_dns,
    docker_run_host_network,
    docker_run_invalid,
    docker_run_no_stdin,
    docker_run_publish_unused,
    docker_run_tty,
    env_file_missing,
    env_not_set,
    host_gateway_missing,
    host_header_rejected,
    host_loopback_bind,
    image_not_found,
    ipv6_loopback_mismatch,
    localhost_in_container,
    loopback_bind,
    no_shared_network,
    not_mcp,
    port_not_published,
    proxy_interference,
    remote_engine_localhost,
    runtime_too_old,
    server_not_running,
    stdio_exits_at_start,
    stdio_no_answer,
    swarm_vip_unreachable,
    timeout,
    transport_mismatch,
    unknown_host,
    wrong_path,
    wrong_port,
)


class Rule(Protocol):
    CODE: str
    SEVERITY: Severity
    NEEDS: frozenset[str]  # "engine", "host": sources without which the rule is skipped
    SUPERSEDES: frozenset[str]  # codes whose findings on the same entry this rule's finding hides

    def check(self, snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]: ...


_MODULES: tuple[ModuleType, ...] = (
    remote_engine_localhost,  # a remote engine: a host URL's localhost is this machine, not the engine's host
    wrong_port,
    port_not_published,
    server_not_running,
    localhost_in_container,
    host_gateway_missing,
    host_loopback_bind,
    unknown_host,
    no_shared_network,
    default_bridge_no_dns,
    loopback_bind,
    host_header_rejected,
    wrong_path,
    transport_mismatch,
    not_mcp,
    ipv6_loopback_mismatch,
    proxy_interference,
    swarm_vip_unreachable,
    timeout,
    auth_required,
    # stdio entries: the command line and what this machine says of it (collectors/stdio_host.py)
    docker_run_invalid,
    command_not_found,
    cwd_not_found,
    docker_run_no_stdin,
    docker_run_tty,
    image_not_found,
    env_not_set,
    env_file_missing,
    docker_run_publish_unused,
    docker_run_host_network,
    runtime_too_old,
    # --launch: what the started process did (probes/stdio_launch.py)
    stdio_exits_at_start,
    stdio_no_answer,
)
RULES: dict[str, Rule] = {m.CODE: m for m in _MODULES}  # type: ignore[misc]


def explain(code: str) -> str | None:
    rule = RULES.get(code)
    return None if rule is None else (rule.__doc__ or "").strip()  # type: ignore[attr-defined]
