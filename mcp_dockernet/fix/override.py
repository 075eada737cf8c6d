"""A Compose override file with exactly the service changes the findings call for.

The user applies it with ``docker compose -f compose.yaml -f FILE up -d``; their compose.yaml is
never rewritten. Only keys Compose merges additively are used (extra_hosts, ports and networks
are appended or merged by key), so the override adds and never removes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Report, ServerRef
from mcp_dockernet.route.peers import peers, shared_network
from mcp_dockernet.urls import HOST_ALIAS

HEADER = "# Written by mcp-dockernet fix --compose-override: apply with\n#   docker compose -f {base} -f {path} up -d\n"


@dataclass
class Override:
    services: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    networks: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, service: str, key: str, value: str) -> None:
        values = self.services.setdefault(service, {}).setdefault(key, [])
        if value not in values:
            values.append(value)

    def __bool__(self) -> bool:
        return bool(self.services)

    def to_yaml(self, base: str, path: str) -> str:
        doc: dict[str, Any] = {"services": self.services}
        if self.networks:
            doc["networks"] = self.networks
        return HEADER.format(base=base, path=path) + yaml.safe_dump(doc, sort_keys=False, default_flow_style=False)


def plan_override(report: Report, snap: Snapshot) -> Override:
    override = Override()
    for server in report.servers:
        place = snap.place_of(server.entry)
        if server.entry.client == "compose" and server.suggested_url and place.service:
            override.add(place.service, "environment", f"{server.entry.name}={server.suggested_url}")
        for finding in server.findings:
            if finding.code == "host-gateway-missing" and place.service and not _podman(snap):
                override.add(place.service, "extra_hosts", f"{HOST_ALIAS}:host-gateway")
            elif finding.code == "port-not-published" and finding.server and finding.server.service:
                target = finding.server
                host_port = target.host_port or target.port
                override.add(finding.server.service, "ports", f"127.0.0.1:{host_port}:{target.port}")
            elif finding.code == "no-shared-network" and place.service:
                _join_network(override, snap, place.service, finding.server)
    return override


def _podman(snap: Snapshot) -> bool:
    """Podman 4.3 refuses extra_hosts NAME:host-gateway; its finding says to use host.containers.internal."""
    return getattr(snap.engine, "flavour", "") == "podman"


def _join_network(override: Override, snap: Snapshot, service: str, server: ServerRef | None) -> None:
    """Join the network of the server the finding names; none named (the name is in several projects): nothing."""
    peer = next((p for p in peers(snap) if server is not None and p.name == server.name), None)
    network = shared_network(peer) if peer is not None else None
    if network is None:
        return
    key = "mcp-shared"
    override.networks[key] = {"external": True, "name": network}
    override.add(service, "networks", key)
    # Listing networks replaces the implicit default one: keep the service on it too.
    override.add(service, "networks", "default")
