"""A real single-node swarm for the tests, and stacks deployed on it from Compose files.

The engine is put into a swarm only when it is in none (``docker swarm init --advertise-addr
127.0.0.1``), and it leaves (``docker swarm leave --force``) only the swarm it joined, removing the
``docker_gwbridge`` network the swarm made. An fcntl lock (SWARM_LOCK) is held from before the init
to after the leave, so two test processes never init or leave under each other. Stacks are deployed
with ``--resolve-image never`` (no registry: the images are local) and removed at the end.

This kernel has no IPVS: service VIPs and the ingress routing mesh do not route here, while
``mode: host`` ports and ``tasks.NAME`` (and ``endpoint_mode: dnsrr``) do (../shared/docs/lab.md).
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.lab.compose_lab import mcp_service
from tests.lab.docker_lab import LABEL

SWARM_LOCK = "/tmp/mcp-dockernet-swarm.lock"
LOCK_WAIT_S = 600  # another test process holding the swarm: wait for it, bounded
START_WAIT_S = 90


def docker(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise RuntimeError(f"docker {' '.join(args)} failed: {done.stderr[-1500:]}")
    return done


def swarm_state() -> str:
    return docker("info", "--format", "{{.Swarm.LocalNodeState}}").stdout.strip()


@contextmanager
def single_node_swarm() -> Iterator[bool]:
    """The engine in a swarm for the duration; yields whether this process made it (and so leaves it)."""
    with open(SWARM_LOCK, "a+") as lock:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{SWARM_LOCK} held for {LOCK_WAIT_S} s by another process") from None
                time.sleep(1)
        joined = False
        had_gwbridge = _has_network("docker_gwbridge")
        try:
            if swarm_state() == "inactive":
                docker("swarm", "init", "--advertise-addr", "127.0.0.1")
                joined = True
            yield joined
        finally:
            if joined:
                docker("swarm", "leave", "--force", check=False)
                _wait_for(lambda: not _has_network("ingress"), 30)
                if not had_gwbridge and _has_network("docker_gwbridge"):
                    docker("network", "rm", "docker_gwbridge", check=False)
            fcntl.flock(lock, fcntl.LOCK_UN)


def _has_network(name: str) -> bool:
    return bool(docker("network", "ls", "-q", "--filter", f"name=^{name}$").stdout.strip())


def _wait_for(done: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():
            return True
        time.sleep(0.5)
    return False


def stack_service(port: int, **extra: Any) -> dict[str, Any]:
    """The official SDK's server as a stack service (what mcp_service is for Compose), with the test label."""
    svc = mcp_service(port, **extra)
    svc.pop("expose", None)  # docker stack deploy ignores expose; the sockets say the port
    return svc


@dataclass
class Stack:
    """A stack deployed from a Compose file: ``docker stack deploy -c compose.yaml NAME``."""

    name: str
    file: Path
    label: str
    services: tuple[str, ...] = ()
    deployed: bool = field(default=False)

    @classmethod
    def write(cls, directory: Path, name: str, services: dict[str, Any], networks: dict[str, Any], label: str) -> Stack:
        for svc in services.values():
            svc.setdefault("labels", {})[LABEL] = label
        for net in networks.values():
            net.setdefault("labels", {})[LABEL] = label
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "compose.yaml"
        path.write_text(yaml.safe_dump({"services": services, "networks": networks}, sort_keys=False))
        return cls(name, path, label, tuple(services))

    def deploy(self) -> None:
        self.deployed = True
        docker("stack", "deploy", "--resolve-image", "never", "-c", str(self.file), self.name)
        for svc in self.services:
            self.wait_for_task(svc)

    def task(self, service: str) -> str:
        """The running task container of a service (one replica)."""
        found = docker(
            "ps", "-q", "--filter", f"label=com.docker.swarm.service.name={self.name}_{service}", "--filter",
            "status=running",
        ).stdout.split()  # fmt: skip
        if not found:
            raise LookupError(f"no running task of {self.name}_{service}")
        return found[0]

    def wait_for_task(self, service: str) -> None:
        deadline = time.monotonic() + START_WAIT_S
        while time.monotonic() < deadline:
            try:
                task = self.task(service)
            except LookupError:
                time.sleep(0.5)
                continue
            health = docker(
                "inspect", "--format", "{{if .State.Health}}{{.State.Health.Status}}{{end}}", task, check=False
            )
            if health.stdout.strip() == "healthy" or "Uvicorn running" in docker("logs", task, check=False).stderr:
                return
            time.sleep(0.3)
        ps = docker("service", "ps", "--no-trunc", f"{self.name}_{service}", check=False).stdout
        raise TimeoutError(f"{self.name}_{service} did not start:\n{ps}")

    def task_with_env(self, service: str, assignment: str) -> str:
        """The running task whose environment has ``assignment`` (after a deploy that changed it)."""
        deadline = time.monotonic() + START_WAIT_S
        while time.monotonic() < deadline:
            for task in docker(
                "ps", "-q", "--filter", f"label=com.docker.swarm.service.name={self.name}_{service}", "--filter",
                "status=running",
            ).stdout.split():  # fmt: skip
                if assignment in docker("inspect", "--format", "{{json .Config.Env}}", task, check=False).stdout:
                    return task
            time.sleep(0.5)
        raise TimeoutError(f"no running task of {self.name}_{service} with {assignment}")

    def ports_of_task(self, service: str) -> list[Any]:
        attrs = json.loads(docker("inspect", self.task(service)).stdout)[0]
        bound = (attrs.get("NetworkSettings") or {}).get("Ports") or {}
        return [b for binds in bound.values() for b in binds or ()]

    def remove(self) -> None:
        if not self.deployed:
            return
        docker("stack", "rm", self.name, check=False)
        selector = f"label=com.docker.stack.namespace={self.name}"
        _wait_for(lambda: not docker("ps", "-aq", "--filter", selector).stdout.strip(), 60)
        _wait_for(lambda: not docker("network", "ls", "-q", "--filter", selector).stdout.strip(), 30)
