"""A Compose project is a source of clients (issue 9, items 5 and 10), on the real engine.

The MCP configs a service mounts are found from the Compose file (running or not) and judged
from that service; every `apply:` hint doctor prints is run as printed, and does what it says;
a Compose file is written only with --edit-compose. Beside the project runs another project with
an `agent` and an MCP server publishing the same container port, as on a developer's machine.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess

import pytest
import yaml

from tests.integration.helpers import cli, codes, doctor_json, server
from tests.lab.compose_lab import agent_service, mcp_service, wait_for_mcp_log
from tests.lab.docker_lab import free_port

pytestmark = pytest.mark.docker

BROKEN = "http://localhost:8000/mcp"
FIXED = "http://server:8000/mcp"


@pytest.fixture
def bystander(compose_lab):  # type: ignore[no-untyped-def]
    """Another project, also with an `agent`, whose server publishes container port 8000 on the host."""
    server = mcp_service(8000, ports=[f"127.0.0.1:{free_port()}:8000"])
    path = compose_lab.write("other", {"agent": agent_service(), "server": server})
    compose_lab.up(path)
    return compose_lab.project("other")


def _project(compose_lab, *, env_url=None, single_file=False):  # type: ignore[no-untyped-def]
    """Project `cc`: an agent mounting ./config (and, single_file, ./agent.json in the long syntax), a server."""
    agent = agent_service()
    agent["volumes"].append("./config:/config")
    if single_file:
        agent["volumes"].append({"type": "bind", "source": "./agent.json", "target": "/app/mcp.json"})
    if env_url:
        agent["environment"]["TOOLS_MCP_URL"] = env_url
    path = compose_lab.write("cc", {"agent": agent, "server": mcp_service(8000)})
    _config(path.parent / "config" / "mcp.json", "tools")
    if single_file:
        _config(path.parent / "agent.json", "single")
    return path


def _config(path, name):  # type: ignore[no-untyped-def]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"mcpServers": {name: {"type": "http", "url": BROKEN}}}, indent=2) + "\n")


def _url(path, name):  # type: ignore[no-untyped-def]
    return json.loads(path.read_text())["mcpServers"][name]["url"]


def _hints(stdout: str) -> list[str]:
    return [line.split("apply: ", 1)[1] for line in stdout.splitlines() if line.strip().startswith("apply: ")]


def _run_hint(hint: str, cwd: str, **kw):  # type: ignore[no-untyped-def]
    argv = shlex.split(hint)
    assert argv[:2] == ["mcp-dockernet", "fix"], hint
    return cli(*argv[1:], cwd=cwd, **kw)


def _seen_by(container: str, path: str) -> str:
    """The config's URL as the agent reads it, from inside its container."""
    done = subprocess.run(["docker", "exec", container, "cat", path], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return next(iter(json.loads(done.stdout)["mcpServers"].values()))["url"]


def test_a_running_project_mounting_its_config_is_judged_from_the_agent_and_fixed(compose_lab, bystander, tmp_path):
    path = _project(compose_lab)
    config = path.parent / "config" / "mcp.json"
    compose_lab.up(path)
    project = compose_lab.project("cc")
    agent = f"{project}-agent-1"
    wait_for_mcp_log(f"{project}-server-1")

    code, report = doctor_json("--compose", str(path), cwd=str(tmp_path))
    tools = server(report, "tools")
    assert code == 1
    assert tools["config"] == str(config)
    assert tools["client"] == f"container:{agent}"  # ours, not the other project's agent
    assert re.search(
        r"service agent mounts \./config at /config \(compose\.yaml:\d+\), so it reads /config/mcp\.json",
        tools["client_reason"],
    ), tools["client_reason"]
    assert codes(tools) == ["localhost-in-container"] and tools["suggested_url"] == FIXED
    assert tools["probe"]["vantage"] == f"container:{agent}"

    # `doctor` in the project directory finds it too, and the file is read once
    _, here = doctor_json(cwd=str(path.parent))
    assert [s["name"] for s in here["servers"]].count("tools") == 1
    assert server(here, "tools")["client"] == f"container:{agent}"

    text = cli("doctor", "--compose", str(path), cwd=str(tmp_path))
    (hint,) = _hints(text.stdout)
    assert hint == f"mcp-dockernet fix --config {config} --compose {path} --write"
    compose_before = path.read_text()
    done = _run_hint(hint, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert _url(config, "tools") == FIXED and path.read_text() == compose_before
    assert _seen_by(agent, "/config/mcp.json") == FIXED
    assert "echo" in compose_lab.mcp_tools_from(agent, _seen_by(agent, "/config/mcp.json"))


def test_a_project_not_running_is_judged_from_the_compose_file_and_the_fix_works_once_up(
    compose_lab, bystander, tmp_path
):
    path = _project(compose_lab, single_file=True)
    config, single = path.parent / "config" / "mcp.json", path.parent / "agent.json"

    text = cli("doctor", "--compose", str(path), "--no-probe", cwd=str(tmp_path))
    assert text.returncode == 1, text.stderr
    code, report = doctor_json("--compose", str(path), "--no-probe", cwd=str(tmp_path))
    tools, one = server(report, "tools"), server(report, "single")
    for entry in (tools, one):
        assert entry["client"] == "container:agent"  # the service, from the file: the project is not up
        assert "not running: judged from the Compose file" in entry["client_reason"]
        assert codes(entry) == ["localhost-in-container"] and entry["suggested_url"] == FIXED
    assert "mounts ./agent.json at /app/mcp.json as a single file (compose.yaml:" in one["client_reason"]

    hints = _hints(text.stdout)
    assert hints == [
        f"mcp-dockernet fix --config {config} --compose {path} --write --no-probe",
        f"mcp-dockernet fix --config {single} --compose {path} --write --no-probe",
    ]
    for hint in hints:
        done = _run_hint(hint, cwd=str(tmp_path))
        assert done.returncode == 0, done.stderr
    assert _url(config, "tools") == FIXED and _url(single, "single") == FIXED

    compose_lab.up(path)
    agent = f"{compose_lab.project('cc')}-agent-1"
    wait_for_mcp_log(f"{compose_lab.project('cc')}-server-1")
    for inside in ("/config/mcp.json", "/app/mcp.json"):
        assert "echo" in compose_lab.mcp_tools_from(agent, _seen_by(agent, inside))


def test_every_apply_hint_runs_as_printed_and_compose_files_need_edit_compose(compose_lab, bystander, tmp_path):
    path = _project(compose_lab, env_url=BROKEN)
    compose_lab.up(path)
    project = compose_lab.project("cc")
    wait_for_mcp_log(f"{project}-server-1")
    told = tmp_path / "elsewhere" / "mcp.json"  # mounted nowhere: its client is only known when told
    _config(told, "told")

    text = cli("doctor", "--config", str(told), "--client", "service:agent", "--compose", str(path), cwd=str(tmp_path))
    hints = _hints(text.stdout)
    assert f"mcp-dockernet fix --compose {path} --write --edit-compose" in hints  # the agent's environment
    hint = next(h for h in hints if str(told) in h)
    assert hint == f"mcp-dockernet fix --config {told} --client service:agent --compose {path} --write"
    done = _run_hint(hint, cwd=str(tmp_path))
    assert done.returncode == 1, done.stderr  # written; the Compose entry is still wrong: it needs --edit-compose
    assert f"wrote {told}" in done.stderr and "not rewritten without --edit-compose" in done.stderr
    assert _url(told, "told") == FIXED and "localhost" in path.read_text()

    # The Compose file named with --config is the Compose file: its hint says --edit-compose, and
    # the command the old hint printed (`fix --config compose.yaml --write`) leaves it alone.
    text = cli("doctor", "--config", str(path), cwd=str(tmp_path))
    hints = _hints(text.stdout)
    assert f"mcp-dockernet fix --compose {path} --write --edit-compose" in hints
    before = path.read_text()
    refused = cli("fix", "--config", str(path), "--write", cwd=str(tmp_path))
    assert "not rewritten without --edit-compose" in refused.stderr and path.read_text() == before
    refused = cli("fix", "--compose", str(path), "--write", cwd=str(tmp_path))
    assert "not rewritten without --edit-compose" in refused.stderr and path.read_text() == before

    done = _run_hint(f"mcp-dockernet fix --compose {path} --write --edit-compose", cwd=str(tmp_path))
    assert done.returncode in (0, 1), done.stderr
    services = yaml.safe_load(path.read_text())["services"]
    assert services["agent"]["environment"]["TOOLS_MCP_URL"] == FIXED
    assert _url(path.parent / "config" / "mcp.json", "tools") == FIXED  # the project's mounted config too
    compose_lab.up(path)  # recreated with the new environment: the agent's own variable now works
    agent = f"{project}-agent-1"
    env = compose_lab.exec_python(agent, "import os; print(os.environ['TOOLS_MCP_URL'])").stdout.strip()
    assert env == FIXED and "echo" in compose_lab.mcp_tools_from(agent, env)
