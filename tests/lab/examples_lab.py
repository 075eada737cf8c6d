"""The compose-examples/ folders, brought up as a user would (the real Compose plugin), with the
test label on every service and network and a unique project name, and taken down at the end.

The compose files are used in place; what a test varies comes in through the variables they
already read (MCP_CONFIG_DIR, MCP_PORT, ...), and the label through a generated override file.
Images are built once per session from the same Dockerfiles, on the lab's base image, from
wheels made with the host's pip (the engine's containers cannot verify PyPI's TLS here).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.lab.docker_lab import BASE_IMAGE, LABEL

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "compose-examples"
EXAMPLE_IMAGE = "mcp-dockernet-example/mcp:local"
PROXY_IMAGE = "mcp-dockernet-socket-proxy:local"
TOOL_IMAGE = "mcp-dockernet:examples"  # the compose files read MCP_DOCKERNET_IMAGE


def build_images(workdir: Path) -> dict[str, str]:
    """Build the examples' images once: (image -> seconds it took)."""
    took = {}
    pip = [str(REPO / ".venv" / "bin" / "pip"), "wheel", "-q", "-w"]
    ctx = workdir / "example-ctx"
    shutil.copytree(EXAMPLES / "_images", ctx, ignore=shutil.ignore_patterns("wheels"))
    _run([*pip, str(ctx / "wheels"), "-r", str(ctx / "requirements.txt")])
    took[EXAMPLE_IMAGE] = _docker_build(ctx, EXAMPLE_IMAGE)
    tool = workdir / "tool-ctx"
    tool.mkdir()
    for part in ("Dockerfile", ".dockerignore", "pyproject.toml", "README.md"):
        shutil.copy(REPO / part, tool / part)
    shutil.copytree(REPO / "mcp_dockernet", tool / "mcp_dockernet", ignore=shutil.ignore_patterns("__pycache__"))
    _run([*pip, str(tool / "wheels"), str(tool)])
    took[TOOL_IMAGE] = _docker_build(tool, TOOL_IMAGE)
    took[PROXY_IMAGE] = _docker_build(EXAMPLES / "sidecar-socket-proxy" / "socket-proxy", PROXY_IMAGE)
    return took


def _docker_build(context: Path, tag: str) -> float:
    started = time.monotonic()
    _run(["docker", "build", "-q", "--build-arg", f"BASE_IMAGE={BASE_IMAGE}", "-t", tag, str(context)], timeout=900)
    return time.monotonic() - started


def _run(cmd: list[str], timeout: float = 600, **kw: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} ... failed:\n{done.stderr[-2000:]}")
    return done


@dataclass
class ExampleLab:
    run_id: str
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    projects: list[tuple[str, list[str]]] = field(default_factory=list)

    def config_dir(self, example: str) -> Path:
        """A copy of the example's config/ that the test may rewrite (MCP_CONFIG_DIR points at it)."""
        target = self.workdir / "cfg" / example.replace("/", "-")
        shutil.copytree(EXAMPLES / example / "config", target)
        os.chmod(target, 0o777)  # the agent image runs as nobody; the sidecar writes as root
        return target

    def project(self, example: str) -> str:
        return f"mdnex{self.run_id}{example.replace('/', '').replace('-', '')}"[:60]

    def compose(self, example: str, *args: str, files: tuple[str | Path, ...] = ()) -> subprocess.CompletedProcess[str]:
        folder = EXAMPLES / example
        cmd = ["docker", "compose", "-p", self.project(example), "-f", str(folder / "compose.yaml")]
        cmd += ["-f", str(self._labels(example))]
        for extra in files:
            cmd += ["-f", str(extra if Path(extra).is_absolute() else folder / extra)]
        env = {**os.environ, "BASE_IMAGE": BASE_IMAGE, "MCP_DOCKERNET_IMAGE": TOOL_IMAGE, **self.env}
        done = subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=300, env=env, cwd=folder)
        if done.returncode != 0:
            # What the failed containers said is the cause; compose's own output only names them.
            logs = subprocess.run([*cmd, "logs", "--tail", "20"], capture_output=True, text=True, timeout=60, env=env)
            raise RuntimeError(
                f"docker compose {' '.join(args)} ({example}) failed:\n{done.stderr[-2000:]}\n"
                f"logs:\n{(logs.stdout + logs.stderr)[-3000:]}"
            )
        return done

    def up(self, example: str, *files: str | Path) -> None:
        if example not in [p for p, _ in self.projects]:
            self.projects.append((example, []))
        self.compose(example, "up", "-d", "--wait", "--wait-timeout", "120", files=files)

    def container(self, example: str, service: str) -> str:
        return f"{self.project(example)}-{service}-1"

    def client(self, example: str, service: str = "agent", *args: str) -> subprocess.CompletedProcess[str]:
        """The examples' real MCP client (the SDK) inside the agent's container."""
        cmd = ["docker", "exec", self.container(example, service), "python3", "/app/client.py", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=90)

    def down(self) -> None:
        for example, _ in reversed(self.projects):
            try:
                self.compose(example, "down", "-v", "--remove-orphans", "-t", "1")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass  # the label sweep of the lab fixture removes what is left

    def _labels(self, example: str) -> Path:
        """An override that puts the test label on every service and on the networks it creates."""
        folder = EXAMPLES / example
        env = {**os.environ, "MCP_CONFIG_DIR": str(self.workdir), **self.env}
        cmd = ["docker", "compose", "-p", self.project(example), "-f", str(folder / "compose.yaml"), "config"]
        doc = yaml.safe_load(_run([*cmd, "--format", "json"], env=env, cwd=folder).stdout)
        labels = {LABEL: self.run_id}
        override: dict[str, Any] = {"services": {name: {"labels": labels} for name in doc.get("services", {})}}
        nets = {k: {"labels": labels} for k, v in (doc.get("networks") or {}).items() if not v.get("external")}
        if nets:
            override["networks"] = nets
        path = self.workdir / f"labels-{example.replace('/', '-')}.yaml"
        path.write_text(yaml.safe_dump(override))
        return path


def http_json(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def wait_until(predicate: Any, timeout: float = 90.0, step: float = 0.2) -> bool:
    """Bounded in time and in count."""
    deadline = time.monotonic() + timeout
    for _ in range(int(timeout / step) + 1):
        if time.monotonic() > deadline:
            break
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(step)
    return False
