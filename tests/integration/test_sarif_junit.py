"""doctor --format sarif / junit on real set-ups: a wrong-port container and a Compose project, beside the
lab's noise project. Regions are checked by slicing the files' text, SARIF fixes are applied and compared
with what ``fix --write`` writes, every log is validated (schema, the SARIF Multitool with GitHub's
ingestion rules), and the JUnit report is read back with junitparser against doctor's JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from junitparser import Failure, JUnitXml, Skipped

from tests.integration.helpers import cli, codes, doctor_json, server, write_config
from tests.lab import sarif_read
from tests.lab.compose_lab import agent_service, mcp_service, wait_for_mcp_log
from tests.lab.docker_lab import BASE_IMAGE, free_port, in_ci

pytestmark = pytest.mark.docker

TOKEN, KEY = "tok-4Hq8sZ", "qk-9Rv2mB"  # a header value and a secret query value: never in any output


@pytest.fixture(autouse=True)
def _multitool():  # type: ignore[no-untyped-def]
    why = sarif_read.missing()
    if why:
        if in_ci():
            pytest.fail(f"CI=true but {why}")
        pytest.skip(why)


def _sarif(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    done = cli("doctor", "--format", "sarif", *args, cwd=str(cwd), env=env)
    assert done.returncode in (0, 1) and done.stdout, done.stderr
    log = json.loads(done.stdout)
    sarif_read.validate(log)
    return done.returncode, log


def _results(log: dict[str, Any], entry: str) -> list[dict[str, Any]]:
    return [r for r in log["runs"][0]["results"] if r["properties"]["entry"] == entry]


def _region(result: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    where = result["locations"][0]["physicalLocation"]
    return where["artifactLocation"]["uri"], where["region"]


def test_wrong_port_container_regions_fixes_and_no_secret(lab, tmp_path):
    inner, host_port = free_port(), free_port()
    lab.mcp_server("sarif", port=inner, publish={inner: host_port})
    cfg = tmp_path / ".mcp.json"
    broken = f"http://localhost:{inner}/mcp?api_key={KEY}"
    original = write_config(
        cfg,
        {
            "moved": {"type": "http", "url": f"http://localhost:{inner}/mcp", "headers": {"X-Token": TOKEN}},
            "tty": {"command": "docker", "args": ["run", "-it", "--rm", BASE_IMAGE, "true"]},
        },
    )
    keyed = write_config(tmp_path / "keyed.mcp.json", {"keyed": {"type": "http", "url": broken}})
    args = ("--config", ".mcp.json", "--config", "keyed.mcp.json")
    json_code, report = doctor_json(*args, cwd=str(tmp_path))
    code, log = _sarif(*args, cwd=tmp_path)
    assert code == json_code == 1
    assert codes(server(report, "moved")) == ["wrong-port"] and server(report, "moved")["suggestion_writable"]

    (moved,) = _results(log, "moved")
    uri, region = _region(moved)
    assert (moved["ruleId"], moved["level"], uri) == ("wrong-port", "error", ".mcp.json")
    assert sarif_read.region_text(original, region) == f"http://localhost:{inner}/mcp"
    assert region["startLine"] > server(report, "moved")["line"]  # the URL's own line, below the entry's name
    assert original.splitlines()[region["startLine"] - 1].strip().startswith('"url": ')
    assert moved["fixes"][0]["description"]["text"] == f"moved: use http://localhost:{host_port}/mcp"
    (tty,) = [r for r in _results(log, "tty") if r["ruleId"] == "docker-run-tty"]
    assert sarif_read.region_text(original, _region(tty)[1]) == "-it" and "fixes" in tty

    (with_key,) = _results(log, "keyed")
    assert codes(server(report, "keyed")) == ["wrong-port"] and server(report, "keyed")["suggestion_writable"]
    assert sarif_read.region_text(keyed, _region(with_key)[1]).startswith(f"http://localhost:{inner}/mcp?api_key=")
    assert "fixes" not in with_key  # its replacement would carry the key (fix --write still writes it)
    for shown in (json.dumps(log), cli("doctor", "--format", "junit", *args, cwd=str(tmp_path)).stdout):
        assert TOKEN not in shown and KEY not in shown

    expected = sarif_read.apply_fixes(original, log, ".mcp.json")
    written = cli("fix", "--config", ".mcp.json", "--write", "--no-backup", cwd=str(tmp_path))
    assert written.returncode in (0, 1), written.stderr
    assert cfg.read_text() == expected != original
    assert f"localhost:{host_port}/mcp" in expected and '"-i"' in expected


def test_junit_cases_and_failures_match_doctor_json(lab, tmp_path):
    inner, host_port = free_port(), free_port()
    lab.mcp_server("junit", port=inner, publish={inner: host_port})
    cfg = tmp_path / ".mcp.json"
    write_config(
        cfg,
        {
            "moved": {"type": "http", "url": f"http://localhost:{inner}/mcp"},
            "good": {"type": "http", "url": f"http://localhost:{host_port}/mcp"},
            "off": {"type": "http", "url": "http://localhost:1/mcp", "disabled": True},
            "unauth": {"type": "http", "url": f"http://localhost:{host_port}/mcp", "headers": {"X-Token": TOKEN}},
        },
    )
    other = tmp_path / "other.mcp.json"
    write_config(other, {"stdio": {"command": "docker", "args": ["run", "-t", "--rm", BASE_IMAGE, "true"]}})
    args = ("--config", ".mcp.json", "--config", "other.mcp.json")
    for fail_on in ("error", "warning"):
        json_code, report = doctor_json(*args, "--fail-on", fail_on, cwd=str(tmp_path))
        done = cli("doctor", "--format", "junit", *args, "--fail-on", fail_on, cwd=str(tmp_path))
        assert done.returncode == json_code == 1, done.stderr
        suites = {s.name: s for s in JUnitXml.fromstring(done.stdout)}
        assert sorted(suites) == sorted(report["configs"])
        for path, suite in suites.items():
            entries = [s for s in report["servers"] if s["config"] == path]
            failing = {"error", "warning"} if fail_on == "warning" else {"error"}
            cases = {c.name: c for c in suite}
            assert sorted(cases) == sorted(e["name"] for e in entries)
            for entry in entries:
                results = cases[entry["name"]].result
                assert any(isinstance(r, Failure) for r in results) is (entry["status"] in failing), entry
                assert any(isinstance(r, Skipped) for r in results) is (entry["status"] == "skipped")
                if entry["status"] in failing:
                    failure = next(r for r in results if isinstance(r, Failure))
                    assert failure.message.split(", ")[0] == codes(entry)[0]
            assert suite.tests == len(entries)
            assert suite.failures == sum(e["status"] in failing for e in entries)
        assert TOKEN not in done.stdout


def _compose_project(compose_lab, tmp_path, port: int) -> tuple[Path, Path]:
    """Project `sj`: an agent that mounts ./config and names the server in its environment, both by localhost,
    and a server that listens on ``port`` and publishes nothing."""
    agent = agent_service(environment={"PYTHONPATH": "/site", "TOOLS_MCP_URL": f"http://localhost:{port}/mcp"})
    agent["volumes"].append("./config:/config")
    path = compose_lab.write("sj", {"agent": agent, "server": mcp_service(port)})
    config = path.parent / "config" / "mcp.json"
    config.parent.mkdir()
    config.write_text(json.dumps({"mcpServers": {"tools": {"type": "http", "url": f"http://localhost:{port}/mcp"}}}))
    return path, config


def test_compose_project_regions_service_lines_and_fixes(compose_lab, tmp_path):
    port = free_port()
    path, config = _compose_project(compose_lab, tmp_path, port)
    compose_lab.up(path)
    wait_for_mcp_log(f"{compose_lab.project('sj')}-server-1")
    host_cfg = tmp_path / "host.mcp.json"  # a client on the host: the server publishes no port
    write_config(host_cfg, {"host": {"type": "http", "url": f"http://localhost:{port}/mcp"}})
    compose_text, config_text = path.read_text(), config.read_text()
    args = ("--compose", str(path), "--config", str(config), "--config", "host.mcp.json")

    json_code, report = doctor_json(*args, cwd=str(tmp_path))
    code, log = _sarif(*args, cwd=tmp_path)
    assert code == json_code == 1
    assert codes(server(report, "host")) == ["port-not-published"], server(report, "host")

    (tools,) = _results(log, "tools")
    uri, region = _region(tools)
    assert (tools["ruleId"], uri) == ("localhost-in-container", "projects/sj/config/mcp.json")
    assert sarif_read.region_text(config_text, region) == f"http://localhost:{port}/mcp"
    (env,) = _results(log, "TOOLS_MCP_URL")
    uri, region = _region(env)
    assert uri == "projects/sj/compose.yaml" and region["startLine"] == server(report, "TOOLS_MCP_URL")["line"]
    assert sarif_read.region_text(compose_text, region) == f"http://localhost:{port}/mcp"

    # A Compose fix (publish the port) points at the line of the service to change, the entry beside it.
    (unpublished,) = _results(log, "host")
    uri, region = _region(unpublished)
    assert uri == "projects/sj/compose.yaml" and set(region) == {"startLine"}
    assert compose_text.splitlines()[region["startLine"] - 1].strip() == "server:"
    related = unpublished["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "host.mcp.json"
    assert sarif_read.region_text(host_cfg.read_text(), related["region"]) == f"http://localhost:{port}/mcp"

    # The fixes are what `fix --write --edit-compose` writes, in the config and in the Compose file.
    expected = {
        p: sarif_read.apply_fixes(t, log, u)
        for p, t, u in [
            (config, config_text, "projects/sj/config/mcp.json"),
            (path, compose_text, "projects/sj/compose.yaml"),
        ]
    }
    done = cli("fix", *args, "--write", "--edit-compose", "--no-backup", cwd=str(tmp_path))
    assert done.returncode in (0, 1), done.stderr
    for p, text in expected.items():
        assert p.read_text() == text and f"server:{port}/mcp" in text


def test_static_compose_sarif_without_an_engine(compose_lab, tmp_path):
    """The CI pre-flight: no engine at all, --no-probe, and the SARIF still locates and fixes the URL."""
    port = free_port()
    path, _ = _compose_project(compose_lab, tmp_path, port)
    work = tmp_path / "copy"
    shutil.copytree(path.parent, work)
    env = {"DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"}
    code, log = _sarif("--compose", "compose.yaml", "--no-probe", cwd=work, env=env)
    assert code == 1
    (entry,) = _results(log, "TOOLS_MCP_URL")
    text = (work / "compose.yaml").read_text()
    assert _region(entry)[0] == "compose.yaml"
    assert sarif_read.region_text(text, _region(entry)[1]) == f"http://localhost:{port}/mcp"
    assert "server:" in sarif_read.apply_fixes(text, log, "compose.yaml")
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("skipped" in n["message"]["text"] for n in notes)  # the rules that need the engine say so
