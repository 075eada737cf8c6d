"""Real Compose projects for the tests, written into a temporary directory and brought up with
the real Compose plugin. Every service, network and the project carry the test label and are
taken down at the end, also when the test fails."""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.lab.docker_lab import BASE_IMAGE, LAB_DIR, LABEL, SITE_PACKAGES


def mcp_service(port: int = 8000, host: str = "0.0.0.0", **extra: Any) -> dict[str, Any]:
    """A real MCP server (official SDK) as a Compose service."""
    return {
        "image": BASE_IMAGE,
        "command": ["python3", "/lab/mcp_server.py", "--host", host, "--port", str(port)],
        "environment": {"PYTHONPATH": "/site", "PYTHONUNBUFFERED": "1"},
        "volumes": [f"{SITE_PACKAGES}:/site:ro", f"{LAB_DIR}:/lab:ro"],
        "expose": [str(port)],
        **extra,
    }


def agent_service(config_dir: Path | None = None, config_file: Path | None = None, **extra: Any) -> dict[str, Any]:
    """An 'agent': a container that idles with an MCP config mounted, and Python + the SDK to connect."""
    volumes = [f"{SITE_PACKAGES}:/site:ro", f"{LAB_DIR}:/lab:ro"]
    if config_dir is not None:
        volumes.append(f"{config_dir}:/config")
    if config_file is not None:
        volumes.append(f"{config_file}:/config/mcp.json")
    return {
        "image": BASE_IMAGE,
        "command": ["sleep", "infinity"],
        "environment": {"PYTHONPATH": "/site"},
        "volumes": volumes,
        "init": True,
        **extra,
    }


def sdk_list_tools_code(url: str) -> str:
    """Python for `python3 -c` in a lab container: the real SDK client lists the tools at ``url`` (JSON)."""
    return (
        "import asyncio, json\n"
        "from mcp.client import Client\n"
        "async def go():\n"
        f"    async with Client({url!r}) as c:\n"
        "        print(json.dumps([t.name for t in (await c.list_tools()).tools]))\n"
        "asyncio.run(asyncio.wait_for(go(), 30))\n"
    )


@dataclass
class ComposeLab:
    directory: Path
    run_id: str
    projects: list[str] = field(default_factory=list)

    def write(self, name: str, services: dict[str, Any], networks: dict[str, Any] | None = None) -> Path:
        for svc in services.values():
            svc.setdefault("labels", {})[LABEL] = self.run_id
        doc: dict[str, Any] = {"name": self.project(name), "services": services}
        doc["networks"] = networks or {}
        doc["networks"].setdefault("default", {"labels": {LABEL: self.run_id}})
        folder = self.directory / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "compose.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
        return path

    def project(self, name: str) -> str:
        return f"mdn{self.run_id}{name}"

    def up(self, path: Path, *services: str) -> None:
        project = yaml.safe_load(path.read_text())["name"]
        if project not in self.projects:
            self.projects.append(project)
        compose(path, "up", "-d", "--wait", "--wait-timeout", "90", *services)

    def exec_python(self, container: str, code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["docker", "exec", container, "python3", "-c", code], capture_output=True, text=True, timeout=timeout
        )

    def mcp_tools_from(self, container: str, url: str) -> list[str]:
        """The real SDK client inside the agent's container: the proof that the URL works from there."""
        code = sdk_list_tools_code(url)
        done = self.exec_python(container, code)
        if done.returncode != 0:
            raise ConnectionError(done.stderr[-800:])
        return list(json.loads(done.stdout.strip().splitlines()[-1]))

    def down(self) -> None:
        for project in self.projects:
            subprocess.run(
                ["docker", "compose", "-p", project, "down", "-v", "--remove-orphans", "-t", "1"],
                capture_output=True,
                timeout=120,
            )


def compose(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["docker", "compose", "-f", str(path), *args], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"docker compose {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done


def wait_for_mcp_log(container: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        logs = subprocess.run(["docker", "logs", container], capture_output=True, text=True).stderr
        if "Uvicorn running" in logs:
            return
        time.sleep(0.3)
    raise TimeoutError(f"{container}: the MCP server did not start")
