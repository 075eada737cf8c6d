"""A real Podman engine for the tests: scripts/lab-podman starts its API socket and loads the lab images.

Containers and pods are made with the podman CLI through that socket (``podman --remote``: the
service's containers.conf applies, and pods have no Docker API), labelled like every test container.
At the end the lab leaves Podman as it found it: its containers and pods removed, the images it
loaded (and the pause image its pods made) removed, the service stopped if it started it.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.lab.compose_lab import sdk_list_tools_code
from tests.lab.docker_lab import BASE_IMAGE, LAB_DIR, LABEL, SITE_PACKAGES

SCRIPT = LAB_DIR.parent.parent / "scripts" / "lab-podman"
PAUSE = "localhost/podman-pause"


@dataclass
class PodmanLab:
    socket: str
    started: bool
    loaded: tuple[str, ...]
    pause_before: bool
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    @classmethod
    def start(cls) -> PodmanLab:
        done = subprocess.run(["bash", str(SCRIPT), "start"], capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"scripts/lab-podman start failed: {done.stderr[-1500:]}")
        lines = done.stdout.splitlines()
        socket = next(x.split(" ", 1)[1] for x in lines if x.startswith("socket "))
        lab = cls(
            socket, "started" in lines, tuple(x.split(" ", 1)[1] for x in lines if x.startswith("loaded ")), False
        )
        lab.pause_before = bool(lab.podman("images", "-q", PAUSE).stdout.strip())
        return lab

    @property
    def docker_host(self) -> str:
        return f"unix://{self.socket}"

    @property
    def env(self) -> dict[str, str]:
        """What a user sets to point docker tools (and mcp-dockernet) at Podman."""
        return {"DOCKER_HOST": self.docker_host}

    def podman(self, *args: str, timeout: float = 120, check: bool = False) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["podman", "--remote", "--url", self.docker_host, *args], capture_output=True, text=True, timeout=timeout
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"podman {' '.join(args[:3])}: {done.stderr[-1500:]}")
        return done

    def name(self, stem: str) -> str:
        return f"mdn-pm-{stem}-{self.run_id}"

    def pod(self, stem: str, publish: dict[int, int]) -> str:
        """A pod publishing container port -> host port (on loopback only)."""
        name = self.name(stem)
        ports = [f"-p=127.0.0.1:{h}:{c}" for c, h in publish.items()]
        self.podman("pod", "create", "--name", name, f"--label={LABEL}={self.run_id}", *ports, check=True)
        return name

    def mcp_server(
        self,
        stem: str,
        *,
        port: int = 8000,
        host: str = "0.0.0.0",
        publish: dict[int, int] | None = None,
        pod: str = "",
    ) -> str:
        """A real MCP server (official SDK) in a Podman container (or in ``pod``); waits until it serves."""
        command = ["python3", "/lab/mcp_server.py", "--host", host, "--port", str(port)]
        name = self._run(stem, command, publish or {}, pod, mounts=(f"{LAB_DIR}:/lab:ro",))
        self.wait_for_log(name, "Uvicorn running")
        return name

    def agent(self, stem: str, config_dir: Path, *, pod: str = "") -> str:
        """An MCP client's container: its config directory mounted at /config, the SDK on PYTHONPATH."""
        return self._run(stem, ["sleep", "3600"], {}, pod, mounts=(f"{config_dir}:/config",))

    def _run(self, stem: str, command: list[str], publish: dict[int, int], pod: str, mounts: tuple[str, ...]) -> str:
        name = self.name(stem)
        args = ["run", "-d", "--name", name, f"--label={LABEL}={self.run_id}", "-e", "PYTHONPATH=/site"]
        args += ["-e", "PYTHONUNBUFFERED=1", "-v", f"{SITE_PACKAGES}:/site:ro"]
        for m in mounts:
            args += ["-v", m]
        args += [f"--pod={pod}"] if pod else []
        args += [f"-p=127.0.0.1:{h}:{c}" for c, h in publish.items()]
        self.podman(*args, BASE_IMAGE, *command, check=True)
        return name

    def wait_for_log(self, name: str, text: str, timeout: float = 60) -> None:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            logs = self.podman("logs", name)
            if text in logs.stdout + logs.stderr:
                return
            time.sleep(0.3)
        raise TimeoutError(f"{name}: {text!r} not seen in its log")

    def gateway(self, network: str = "podman") -> str:
        """The gateway of a Podman network: what host.containers.internal is in its containers."""
        done = self.podman("network", "inspect", network, check=True)
        return str(json.loads(done.stdout)[0]["subnets"][0]["gateway"])  # seen on 4.3.1 (CNI), as on netavark

    def mcp_tools_from(self, container: str, url: str) -> list[str]:
        """The real SDK client inside a Podman container: the proof that the URL works from there."""
        code = sdk_list_tools_code(url)
        done = self.podman("exec", container, "python3", "-c", code, timeout=60)
        if done.returncode != 0:
            raise ConnectionError(done.stderr[-800:])
        return list(json.loads(done.stdout.strip().splitlines()[-1]))

    def cleanup(self) -> None:
        """This run's pods and containers (only those carrying its label)."""
        selector = f"label={LABEL}={self.run_id}"
        pods = self.podman("pod", "ps", "-q", "--filter", selector).stdout.split()
        if pods:
            self.podman("pod", "rm", "-f", *pods)
        ids = self.podman("ps", "-aq", "--filter", selector).stdout.split()
        if ids:
            self.podman("rm", "-f", *ids)

    def stop(self) -> None:
        """Podman as found: the images this lab loaded or made removed, the service stopped if it started it."""
        images = list(self.loaded)
        if not self.pause_before:
            images += self.podman("images", "-q", PAUSE).stdout.split()
        if images:
            self.podman("rmi", "-f", *images)
        if self.started:
            subprocess.run(["bash", str(SCRIPT), "stop"], capture_output=True, text=True, timeout=60)
