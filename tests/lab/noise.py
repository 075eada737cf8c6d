"""Another Compose project on the engine, as on a developer's laptop: the noise every integration test runs beside.

Its services publish the same container ports the tests' servers use (8000, 8001) on other host ports,
one listens on 8000 and declares nothing, and it has an ``agent`` and a ``server`` of its own, so a
verdict that judges by port number or by service name across the whole engine names the wrong server.
Brought up once per test session; its project name carries the run id and the test label.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

from tests.lab.compose_lab import agent_service, compose, mcp_service, wait_for_mcp_log
from tests.lab.docker_lab import LABEL

PORTS = (8000, 8001)


class NoiseProject:
    def __init__(self, directory: Path) -> None:
        self.run_id = uuid.uuid4().hex[:8]
        self.name = f"mdnnoise{self.run_id}"
        self.directory = directory

    def up(self) -> None:
        services = {
            "server": mcp_service(8000, ports=["127.0.0.1::8000"]),
            "tools": mcp_service(8001, ports=["127.0.0.1::8001"]),
            "quiet": {**mcp_service(8000), "expose": []},  # listens on 8000, declares no port at all
            "agent": agent_service(),
        }
        for svc in services.values():
            svc.setdefault("labels", {})[LABEL] = self.run_id
        doc = {"name": self.name, "services": services, "networks": {"default": {"labels": {LABEL: self.run_id}}}}
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / "compose.yaml"
        path.write_text(json.dumps(doc, indent=2))  # JSON is YAML
        compose(path, "up", "-d", "--wait", "--wait-timeout", "90")
        for service in ("server", "tools", "quiet"):
            wait_for_mcp_log(f"{self.name}-{service}-1")

    def host_port(self, service: str, container_port: int) -> int:
        done = subprocess.run(
            ["docker", "port", f"{self.name}-{service}-1", f"{container_port}/tcp"],
            capture_output=True,
            text=True,
            check=True,
        )
        return int(done.stdout.split()[0].rpartition(":")[2])

    def down(self) -> None:
        subprocess.run(
            ["docker", "compose", "-p", self.name, "down", "-v", "--remove-orphans", "-t", "1"],
            capture_output=True,
            timeout=120,
        )
