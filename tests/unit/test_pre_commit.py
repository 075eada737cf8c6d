"""The pre-commit command and the static pre-flight, on real files, with no engine reachable."""

from __future__ import annotations

import json

import pytest

from mcp_dockernet.cli_precommit import selections
from tests.integration.helpers import cli

NO_ENGINE = {"DOCKER_HOST": "unix:///nonexistent/mdn-no-engine.sock"}
TTY = {"mcpServers": {"gh": {"command": "docker", "args": ["run", "-it", "--rm", "x/y:1"]}}}
HTTP = {"mcpServers": {"a": {"type": "http", "url": "http://localhost:8000/mcp"}}}


def _write(path, doc) -> str:  # type: ignore[no-untyped-def]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return str(path)


def test_files_become_one_selection_per_project_and_one_for_the_configs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    names = [
        ".mcp.json",
        "compose.yaml",
        "compose.override.yaml",
        "svc/compose.yaml",
        "svc/docker-compose.override.yml",
    ]
    for name in names:
        _write(tmp_path / name, "services: {}\n" if "compose" in name else HTTP)
    _write(tmp_path / "compose.prod.yaml", "services: {}\n")
    found = selections([*names, "compose.prod.yaml"])
    assert [(s.configs, s.project_dir, s.compose_files) for s in found] == [
        ((".mcp.json",), None, ()),  # with the cwd's project, which run.load_compose finds
        ((), str(tmp_path / "svc"), ()),
        ((), None, ("compose.prod.yaml",)),
    ]
    assert all(s.static and not s.probe and not s.discover for s in found)
    assert selections(["compose.yaml"])[0].configs == ()  # the cwd's project alone
    assert selections([]) == []


def test_a_broken_config_fails_and_a_good_one_passes_without_an_engine(tmp_path):
    bad = _write(tmp_path / "bad" / ".mcp.json", TTY)
    done = cli("pre-commit", bad, env=NO_ENGINE, cwd=str(tmp_path))
    assert done.returncode == 1 and "docker-run-tty" in done.stdout, done.stdout + done.stderr
    good = _write(tmp_path / "good" / ".mcp.json", HTTP)
    other = _write(tmp_path / ".zed" / "settings.json", {"theme": "One"})  # no servers: nothing to say
    done = cli("pre-commit", good, other, env=NO_ENGINE, cwd=str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "server-not-running" in done.stdout.splitlines()[-1]  # not run: it needs the engine


def test_a_compose_project_without_mcp_has_nothing_to_check(tmp_path):
    _write(tmp_path / "compose.yaml", "services:\n  web:\n    image: nginx\n")
    done = cli("pre-commit", "compose.yaml", env=NO_ENGINE, cwd=str(tmp_path))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_an_unreadable_file_is_exit_2(tmp_path):
    bad = _write(tmp_path / ".mcp.json", '{"mcpServers": {')
    done = cli("pre-commit", bad, env=NO_ENGINE, cwd=str(tmp_path))
    assert done.returncode == 2 and "invalid JSON" in done.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_doctor_no_probe_without_an_engine_judges_a_plain_config(tmp_path, fmt):
    """Not exit 2: the static verdicts, the rules that need the engine skipped (was: only with a Compose project)."""
    cfg = _write(tmp_path / ".mcp.json", TTY)
    done = cli("doctor", "--no-probe", "--config", cfg, "--format", fmt, env=NO_ENGINE, cwd=str(tmp_path))
    assert done.returncode == 1 and "docker-run-tty" in done.stdout, done.stdout + done.stderr
    with_probes = cli("doctor", "--config", cfg, env=NO_ENGINE, cwd=str(tmp_path))
    assert with_probes.returncode == 2  # probing needs the engine's view: still one line and exit 2


def test_doctor_static_judges_the_files_alone_whatever_engine_is_there(tmp_path):
    """--static: the same verdict with the engine up (this machine's, if any) or absent: the CI pre-flight."""
    cfg = _write(tmp_path / ".mcp.json", {"mcpServers": {**HTTP["mcpServers"], **TTY["mcpServers"]}})
    for env in (None, NO_ENGINE):
        done = cli("doctor", "--static", "--config", cfg, "--format", "json", env=env, cwd=str(tmp_path))
        doc = json.loads(done.stdout)
        assert done.returncode == 1, done.stderr
        assert {s["name"]: [f["code"] for f in s["findings"]] for s in doc["servers"]} == {
            "a": [],
            "gh": ["docker-run-tty"],
        }
        skipped = {r["code"]: r["reason"] for r in doc["skipped_rules"]}
        assert skipped["server-not-running"].startswith("not read: ") and doc["engine"]["reachable"] is False
