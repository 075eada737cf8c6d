"""doctor on real config files whose stdio entries run docker: every Docker mistake found without
starting anything, beside an unrelated Compose project, in JSON, TOML and YAML."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.integration.helpers import cli, codes, doctor_json, server
from tests.lab.docker_lab import BASE_IMAGE, LAB_DIR, SITE_PACKAGES

pytestmark = pytest.mark.docker
MOUNTS = ["-v", f"{SITE_PACKAGES}:/site:ro", "-v", f"{LAB_DIR}:/lab:ro", "-e", "PYTHONPATH=/site"]
SERVER = [BASE_IMAGE, "python3", "/lab/stdio_server.py", "healthy"]
UNSET = "MCP_DOCKERNET_TEST_UNSET_VAR"

# name -> (docker args, the codes doctor must give, in order)
MISTAKES: dict[str, tuple[list[str], list[str]]] = {
    "healthy": (["run", "-i", "--rm", *MOUNTS, *SERVER], []),
    "no-stdin": (["run", "--rm", *MOUNTS, *SERVER], ["docker-run-no-stdin"]),
    "tty": (["run", "-it", "--rm", *MOUNTS, *SERVER], ["docker-run-tty"]),
    "localhost": (
        ["run", "-i", "--rm", "-e", "UPSTREAM_URL=http://localhost:9/x", *MOUNTS, *SERVER[:-1], "needs-upstream"],
        ["localhost-in-container"],
    ),
    "no-image": (["run", "-i", "--rm", "mcp-dockernet-lab/never-built:nope"], ["image-not-found"]),
    "unset-env": (["run", "-i", "--rm", "-e", UNSET, *MOUNTS, *SERVER], ["env-not-set"]),
    "env-file": (["run", "-i", "--rm", "--env-file", "/nonexistent/mcp.env", *MOUNTS, *SERVER], ["env-file-missing"]),
    "publish": (["run", "-i", "--rm", "-p", "18080:8080", *MOUNTS, *SERVER], ["docker-run-publish-unused"]),
    "bad-flag": (["run", "-i", "-rm", *MOUNTS, *SERVER], ["docker-run-invalid"]),
}


MARK = f"mcp-dockernet-test-static={uuid.uuid4().hex}"  # on every entry: a container it started would carry it


def test_each_docker_mistake_is_found_without_starting_anything(lab, tmp_path, monkeypatch):
    monkeypatch.delenv(UNSET, raising=False)
    servers = {
        name: {"command": "docker", "args": [args[0], "--label", MARK, *args[1:]]}
        for name, (args, _) in MISTAKES.items()
    }
    servers["missing-command"] = {"command": "no-such-mcp-command-here", "args": ["--stdio"]}
    path = tmp_path / ".mcp.json"
    path.write_text(json.dumps({"mcpServers": servers}, indent=2) + "\n")
    images = {i.id for i in lab.client.images.list(name="mcp-dockernet-lab/never-built")}

    rc, report = doctor_json("--config", str(path))

    assert rc == 1
    for name, (_, expected) in MISTAKES.items():
        entry = server(report, name)
        assert entry["transport"] == "stdio" and entry["command"][0] == "docker", name
        assert codes(entry) == expected, (name, entry["findings"])
        assert entry["launch"] is None and (entry["status"] == "ok") == (
            expected in ([], ["docker-run-publish-unused"])
        )
    assert codes(server(report, "missing-command")) == ["command-not-found"]
    assert not lab.client.containers.list(all=True, filters={"label": MARK})  # nothing started
    assert not images and not lab.client.images.list(name="mcp-dockernet-lab/never-built")  # nothing pulled


def test_toml_and_yaml_clients_give_the_same_verdicts(lab, tmp_path):
    codex = tmp_path / "codex" / "config.toml"
    codex.parent.mkdir()
    args = ", ".join(json.dumps(a) for a in MISTAKES["tty"][0])
    codex.write_text(f'[mcp_servers.tty]\ncommand = "docker"\nargs = [{args}]\n')
    goose = tmp_path / "goose" / "config.yaml"
    goose.parent.mkdir()
    goose.write_text(
        "extensions:\n  no-stdin:\n    type: stdio\n    cmd: docker\n    args:\n"
        + "".join(f"      - {json.dumps(a)}\n" for a in MISTAKES["no-stdin"][0])
        + "    enabled: true\n"
    )
    _, report = doctor_json("--config", str(codex), "--config", str(goose))
    assert codes(server(report, "tty")) == ["docker-run-tty"]
    assert codes(server(report, "no-stdin")) == ["docker-run-no-stdin"]


def test_text_report_shows_the_command_with_its_secrets_masked(lab, tmp_path):
    path = tmp_path / ".mcp.json"
    servers = {
        "github": {
            "command": "docker",
            "args": ["run", "-it", "--rm", "-e", "GITHUB_TOKEN", "-e", "OPENAI_API_KEY=sk-proj-0123456789abcdef",
                     BASE_IMAGE, "python3", "/lab/x.py", "--api-key", "k-plain-secret"],
            "env": {"GITHUB_TOKEN": "ghp_0123456789abcdef0123456789"},
        }
    }  # fmt: skip
    path.write_text(json.dumps({"mcpServers": servers}, indent=2) + "\n")
    for fmt in ("text", "json"):
        done = cli("doctor", "--config", str(path), "--format", fmt)
        assert done.returncode == 1, done.stderr
        for secret in ("sk-proj", "k-plain-secret", "ghp_"):
            assert secret not in done.stdout + done.stderr, (fmt, secret)
    done = cli("doctor", "--config", str(path))
    assert "docker run -it --rm -e GITHUB_TOKEN -e 'OPENAI_API_KEY=***'" in done.stdout
    assert "docker-run-tty" in done.stdout and "stdio" in done.stdout
