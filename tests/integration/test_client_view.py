"""The config as the client in its container reads it, on a real engine with the real Compose plugin.

A single-file bind mount pins the inode: `fix --write` must write such a file in place, whichever
way the client was placed (--client service:agent or found from the mounts), and must say fixed only
when the agent's container reads the new URL. A directory mount sees a rename. An engine of a
developer's machine also holds another project with an `agent` and a server on container port 8000.
"""

from __future__ import annotations

import json
import os
import subprocess

import docker
import pytest

from mcp_dockernet.collectors.client_view import mount_sites, read_view
from mcp_dockernet.collectors.docker_engine import collect_engine
from tests.integration.helpers import cli
from tests.lab.compose_lab import agent_service, mcp_service, wait_for_mcp_log
from tests.lab.docker_lab import free_port

pytestmark = pytest.mark.docker
OLD, NEW = "http://localhost:8000/mcp", "http://server:8000/mcp"


def _config(folder, url=OLD):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mcp.json"
    path.write_text(json.dumps({"mcpServers": {"tools": {"type": "http", "url": url}}}, indent=2) + "\n")
    return path


def _projects(compose_lab, tmp_path, *, single_file):
    """Our project (agent + server) and a neighbour with the same service names and container port."""
    config = _config(tmp_path / "cfg")
    agent = agent_service(config_file=config) if single_file else agent_service(config_dir=config.parent)
    ours = compose_lab.write("one", {"agent": agent, "server": mcp_service(8000)})
    other = compose_lab.write(
        "other",
        {
            "agent": agent_service(config_dir=_config(tmp_path / "other-cfg").parent),
            "server": mcp_service(8000, ports=[f"127.0.0.1:{free_port()}:8000"]),
        },
    )
    compose_lab.up(other)
    compose_lab.up(ours)
    project = compose_lab.project("one")
    wait_for_mcp_log(f"{project}-server-1")
    return config, project, f"{project}-agent-1"


def _seen_in(container: str) -> str:
    done = subprocess.run(["docker", "exec", container, "cat", "/config/mcp.json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _placement(how: str, project: str) -> list[str]:
    return ["--client", "service:agent", "--project-name", project] if how == "flag" else []


@pytest.mark.parametrize("how", ["flag", "mounts"])
@pytest.mark.parametrize("single_file", [True, False], ids=["single-file", "directory"])
def test_fix_write_is_seen_by_the_agent_and_its_sdk_client_connects(compose_lab, tmp_path, how, single_file):
    config, project, agent = _projects(compose_lab, tmp_path, single_file=single_file)
    inode = os.stat(config).st_ino
    before = config.read_text()

    done = cli("fix", "--config", str(config), "--write", *_placement(how, project))

    assert done.returncode == 0, done.stdout + done.stderr
    assert f"the client in container {agent} sees the new content at /config/mcp.json" in done.stderr
    assert "not fixed" not in done.stderr
    assert json.loads(_seen_in(agent))["mcpServers"]["tools"]["url"] == NEW
    assert (tmp_path / "cfg" / "mcp.json.bak").read_text() == before
    if single_file:  # kept the inode the mount pinned; a directory mount may take the rename
        assert os.stat(config).st_ino == inode
        assert "written in place" in done.stderr
    assert "echo" in compose_lab.mcp_tools_from(agent, NEW)


@pytest.mark.parametrize("how", ["flag", "mounts"])
def test_a_stale_single_file_mount_is_not_called_fixed(compose_lab, tmp_path, how):
    config, project, agent = _projects(compose_lab, tmp_path, single_file=True)
    # Another tool saves the file the usual atomic way: same bytes, a new inode the mount does not see.
    replacement = config.with_name("mcp.json.new")
    replacement.write_text(config.read_text())
    os.replace(replacement, config)

    done = cli("fix", "--config", str(config), "--write", *_placement(how, project))

    assert done.returncode == 1, done.stdout + done.stderr
    assert json.loads(config.read_text())["mcpServers"]["tools"]["url"] == NEW  # the host's file was fixed ...
    assert json.loads(_seen_in(agent))["mcpServers"]["tools"]["url"] == OLD  # ... the agent still reads the old
    assert f"not fixed: {config}: container {agent} does not see the new content at /config/mcp.json" in done.stderr
    assert "up -d --force-recreate agent" in done.stderr
    assert "sees the new content" not in done.stderr
    assert "✓ tools" not in done.stderr and "summary:" not in done.stderr  # no re-check of a file it does not read
    # Both ways of reading the container's view see what the agent reads, not the host's file.
    api = docker.APIClient(version="auto")
    containers = [c for c in _engine_containers(api) if c.name == agent]
    (site,) = mount_sites(os.path.realpath(config), containers)
    for local in (True, False):
        view = read_view(api, site, local=local)
        assert view.content is not None and OLD in view.content.decode(), view.how
        assert view.how.startswith("/proc/") if local else view.how == "docker exec cat"


def _engine_containers(api):
    return collect_engine(api).containers
