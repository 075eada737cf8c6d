"""``--network host`` on Docker Desktop, OrbStack or Colima: the host is the VM, not this machine.

Fails when: a stdio entry's ``docker run`` has ``--network host`` and the engine runs in a VM
(Docker Desktop, OrbStack, Colima). There the container shares the VM's network, not this
machine's: ``localhost`` in the container is the VM, so servers and databases on this machine
are not reached at ``localhost`` (docs.docker.com/engine/network/drivers/host/: on Docker
Desktop host networking is an opt-in setting from 4.34, and even then works at layer 4 only).
Passes when: the engine is a plain Linux engine (there host networking is this machine's), or
no host network is asked for.
Fix: drop ``--network host`` and reach this machine's services at ``host.docker.internal``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import EngineState, Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import DESKTOP_VMS, docker_runs, network_of

CODE = "docker-run-host-network"
SEVERITY = Severity.WARNING
NEEDS = frozenset({"engine"})  # the engine's flavour decides
SUPERSEDES: frozenset[str] = frozenset()
NAMES = {"docker-desktop": "Docker Desktop", "orbstack": "OrbStack", "colima": "Colima"}


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    flavour = snap.engine.flavour if isinstance(snap.engine, EngineState) else ""
    if flavour not in DESKTOP_VMS:
        return
    for entry, _, run in docker_runs(snap):
        if network_of(run) != "host":
            continue
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry.id,
            message=f"--network host on {NAMES[flavour]} is the network of its VM, not this machine: localhost in "
            "the container is the VM, and servers on this machine are not reached there",
            fix="drop --network host and use host.docker.internal for services on this machine",
        )
