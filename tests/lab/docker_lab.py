"""Real containers for the tests: MCP servers built from the locally made base image.

Everything made here carries the LABEL so that it is removed at the end, also when a test fails
(and a run that was killed is cleaned by the next one).
"""

from __future__ import annotations

import os
import socket
import sysconfig
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import docker
from docker.models.containers import Container

LABEL = "mcp-dockernet-test"
BASE_IMAGE = "mcp-dockernet-lab/base:bookworm"
LAB_DIR = Path(__file__).resolve().parent
SITE_PACKAGES = sysconfig.get_paths()["purelib"]  # the test venv: the same mcp SDK inside and outside


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Lab:
    client: docker.DockerClient
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    def name(self, stem: str) -> str:
        return f"mdn-{stem}-{self.run_id}"

    def mcp_server(
        self,
        stem: str,
        *,
        port: int = 8000,
        host: str = "0.0.0.0",
        publish: dict[int, int] | None = None,
        expose: bool = True,
        transport: str = "streamable-http",
        wait: bool = True,
        extra_args: tuple[str, ...] = (),
    ) -> Container:
        """A real MCP server (official SDK) in a container; ``publish`` maps container -> host port."""
        command = ["python3", "/lab/mcp_server.py", "--host", host, "--port", str(port), "--transport", transport]
        command += list(extra_args)
        container = self._run(stem, command, port if expose else None, publish or {}, site=True)
        if wait:
            self.wait_for_log(container, "Uvicorn running")
        return container

    def crashing(self, stem: str, *, publish: dict[int, int], message: str, code: int = 3) -> Container:
        script = f"import sys; print({message!r}, file=sys.stderr); sys.exit({code})"
        container = self._run(stem, ["python3", "-c", script], None, publish, site=False)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            container.reload()
            if container.status == "exited":
                return container
            time.sleep(0.2)
        raise TimeoutError(f"{container.name} did not exit")

    def _run(self, stem: str, command: list[str], expose: int | None, publish: dict[int, int], site: bool) -> Container:
        """Create and start through the low-level API, which can expose a port without publishing it."""
        api = self.client.api
        binds = {SITE_PACKAGES: {"bind": "/site", "mode": "ro"}, str(LAB_DIR): {"bind": "/lab", "mode": "ro"}}
        # Published on loopback only: the tests never open a port to other machines.
        host_config = api.create_host_config(
            binds=binds if site else None,
            port_bindings={c: ("127.0.0.1", h) for c, h in publish.items()},
        )
        exposed = sorted({*publish, *([expose] if expose else [])})
        created = api.create_container(
            BASE_IMAGE,
            command,
            name=self.name(stem),
            labels={LABEL: self.run_id},
            environment={"PYTHONPATH": "/site", "PYTHONUNBUFFERED": "1"} if site else None,
            ports=exposed or None,
            host_config=host_config,
        )
        api.start(created["Id"])
        return self.client.containers.get(created["Id"])

    @staticmethod
    def wait_for_log(container: Container, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in container.logs().decode("utf-8", "replace"):
                return
            container.reload()
            if container.status == "exited":
                break
            time.sleep(0.2)
        logs = container.logs().decode("utf-8", "replace")[-2000:]
        raise TimeoutError(f"{container.name}: {text!r} not seen in its log:\n{logs}")

    def cleanup(self) -> None:
        selector = f"{LABEL}={self.run_id}"
        for c in self.client.containers.list(all=True, filters={"label": selector}):
            c.remove(force=True)
        for n in self.client.networks.list(filters={"label": selector}):
            n.remove()

    def remove_stale(self, older_than_s: float = 3600) -> None:
        """Leftovers of a killed run; recent ones may belong to a test session running beside us."""
        cutoff = time.time() - older_than_s
        for c in self.client.containers.list(all=True, filters={"label": LABEL}):
            created = c.attrs.get("Created", "")
            if created and _epoch(created) < cutoff:
                c.remove(force=True)


def engine_reachable() -> tuple[docker.DockerClient | None, str]:
    try:
        client = docker.from_env(timeout=20)
        client.ping()
        if client.images.list(name=BASE_IMAGE.split(":")[0]) == []:
            return None, f"the lab image {BASE_IMAGE} is missing: run scripts/lab-up"
        return client, ""
    except Exception as e:  # no engine: the docker SDK raises several types
        return None, f"no Docker engine ({type(e).__name__}); run scripts/lab-up"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _epoch(docker_time: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(docker_time[:26].rstrip("Z") + "+00:00").timestamp()
