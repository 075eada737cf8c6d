"""map on a real Compose project beside the lab's noise project: every format, DOT drawn by Graphviz,
the Mermaid checked against the grammar of the constructs it uses, doctor --format html parsed back,
and no secret anywhere."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.integration.helpers import cli, write_config
from tests.lab.compose_lab import agent_service, mcp_service, wait_for_mcp_log
from tests.lab.docker_lab import free_port, in_ci
from tests.unit.test_html import Page
from tests.unit.test_map import MERMAID_LINE

pytestmark = pytest.mark.docker

KEY = "qk-map-5Tz"  # a secret query value: never in any output


def _map(*args: str, cwd: str) -> subprocess.CompletedProcess[str]:
    done = cli("map", *args, cwd=cwd)
    assert done.returncode in (0, 1) and done.stdout, done.stderr
    assert KEY not in done.stdout + done.stderr
    return done


def test_map_formats_on_a_compose_project_beside_the_noise(compose_lab, noise, tmp_path):
    host_port = free_port()
    agent = agent_service()
    agent["volumes"].append("./config:/config")
    path = compose_lab.write(
        "map", {"agent": agent, "server": mcp_service(8000, ports=[f"127.0.0.1:{host_port}:8000"])}
    )
    (path.parent / "config").mkdir()
    write_config(
        path.parent / "config" / "mcp.json",
        {
            "broken": {"type": "http", "url": "http://localhost:8000/mcp"},
            "good": {"type": "http", "url": "http://server:8000/mcp"},
        },
    )
    write_config(
        tmp_path / ".mcp.json", {"<b>x": {"type": "http", "url": f"http://localhost:{host_port}/mcp?api_key={KEY}"}}
    )
    compose_lab.up(path)
    project = compose_lab.project("map")
    agent_c, server_c = f"{project}-agent-1", f"{project}-server-1"
    wait_for_mcp_log(server_c)
    args = (
        "--compose",
        str(path),
        "--config",
        str(tmp_path / ".mcp.json"),
        "--config",
        str(path.parent / "config" / "mcp.json"),
    )

    doc = json.loads(_map(*args, "--format", "json", cwd=str(tmp_path)).stdout)
    assert doc["schema"] == "mcp-dockernet/map/v1"
    nodes = {n["id"]: n for n in doc["nodes"]}
    assert nodes[f"container:{server_c}"]["parent"] == f"project:{project}"
    assert f"127.0.0.1:{host_port} -> 8000/tcp" in nodes[f"container:{server_c}"]["details"]
    assert nodes[f"network:{project}_default"]["parent"] == f"project:{project}"
    assert not [k for k in nodes if noise.name in k]  # only what the entries touch
    edges = {(e["entry"], e["kind"]): e for e in doc["edges"] if e["kind"] != "network"}
    broken, good, hosted = edges["broken", "entry"], edges["good", "entry"], edges["<b>x", "entry"]
    assert (broken["source"], broken["verdict"], broken["codes"]) == (
        f"container:{agent_c}",
        "error",
        ["localhost-in-container"],
    )
    assert edges["broken", "suggested"]["target"] == f"container:{server_c}"
    assert edges["broken", "suggested"]["url"] == "http://server:8000/mcp"
    assert (good["source"], good["target"], good["verdict"]) == (f"container:{agent_c}", f"container:{server_c}", "ok")
    assert (hosted["source"], hosted["target"], hosted["verdict"]) == ("host", f"container:{server_c}", "ok")
    assert hosted["url"].endswith("api_key=***")

    everything = json.loads(_map(*args, "--format", "json", "--all", cwd=str(tmp_path)).stdout)
    assert [n for n in everything["nodes"] if noise.name in n["id"]]

    text = _map(*args, cwd=str(tmp_path)).stdout
    assert f"Compose project {project}" in text and f"publishes 127.0.0.1:{host_port} -> 8000/tcp" in text
    assert "✗ broken: error (localhost-in-container)" in text and "suggested: http://server:8000/mcp" in text

    mermaid = _map(*args, "--format", "mermaid", cwd=str(tmp_path)).stdout
    for line in mermaid.splitlines():
        assert MERMAID_LINE.fullmatch(line.strip()), line
    assert "#60;b#62;x" in mermaid and "<b>" not in mermaid

    page = cli("doctor", "--format", "html", *args, cwd=str(tmp_path))
    assert page.returncode == 1 and KEY not in page.stdout, page.stderr
    parsed = Page()
    parsed.feed(page.stdout)
    shown = "".join(parsed.text)
    assert "<b>x" in shown and "localhost-in-container" in shown and "api_key=***" in shown
    assert not [t for t, _ in parsed.tags if t in ("script", "link", "img", "iframe")]
    assert ("svg" in [t for t, _ in parsed.tags]) is (shutil.which("dot") is not None)  # else the tree in <pre>

    dot = _map(*args, "--format", "dot", cwd=str(tmp_path)).stdout
    if shutil.which("dot") is None:
        if in_ci():
            pytest.fail("CI=true but Graphviz is missing: run scripts/lab-up")
        pytest.skip("no Graphviz dot; run scripts/lab-up")
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, timeout=60)
    assert svg.returncode == 0, svg.stderr
    assert "&lt;b&gt;x: ok" in svg.stdout and "broken: error (localhost&#45;in&#45;container)" in svg.stdout
