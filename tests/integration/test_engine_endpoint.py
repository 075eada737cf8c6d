"""The engine the docker CLI would use, end to end: contexts written by the real CLI, the real
engine behind one of them, and an engine that is not there (exit 2, one line, a JSON error document)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

import mcp_dockernet
from tests.integration.helpers import write_config
from tests.lab.docker_lab import free_port

ENGINE_SOCKET = "/var/run/docker.sock"
SDK_TEXT = ("Error while fetching", "Connection aborted", "urllib3", "FileNotFoundError", "Traceback", "Errno")
needs_cli = pytest.mark.skipif(shutil.which("docker") is None, reason="no docker CLI to write real contexts")


def run(*args: str, env: dict[str, str], cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI with the engine chosen only by ``env``: the caller's DOCKER_* variables are dropped."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
    return subprocess.run(
        [sys.executable, "-m", "mcp_dockernet", *args],
        env={**base, **env, "NO_COLOR": "1", "COLUMNS": "300"},
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def make_context(config: Path, name: str, host: str, *, use: bool = False) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DOCKER_CONFIG": str(config), "HOME": str(config)}
    for args in (["context", "create", name, "--docker", f"host={host}"], ["context", "use", name] if use else None):
        if args:
            done = subprocess.run(["docker", *args], env=env, capture_output=True, text=True, timeout=30)
            assert done.returncode == 0, done.stderr


@pytest.mark.docker
@needs_cli
def test_the_current_context_of_the_docker_config_is_used_and_named(lab, tmp_path):
    host_port = free_port()
    lab.mcp_server("ctx", port=8000, publish={8000: host_port})
    config = tmp_path / "dockercfg"
    make_context(config, "lab-engine", f"unix://{ENGINE_SOCKET}", use=True)
    cfg = tmp_path / ".mcp.json"
    write_config(cfg, {"good": {"type": "http", "url": f"http://localhost:{host_port}/mcp"}})
    chosen_by = f"current context 'lab-engine' in {config}/config.json"

    shown = run("doctor", "--config", str(cfg), env={"DOCKER_CONFIG": str(config)})
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0].endswith(f"; engine unix://{ENGINE_SOCKET} ({chosen_by})")
    assert "✓ good" in shown.stdout and lab.name("ctx") in shown.stdout

    doc = json.loads(run("doctor", "--format", "json", "--config", str(cfg), env={"DOCKER_CONFIG": str(config)}).stdout)
    assert doc["engine"] == {
        "endpoint": f"unix://{ENGINE_SOCKET}",
        "chosen_by": chosen_by,
        "local": True,
        "reachable": True,
        "note": None,
        "problem": None,
        "host": None,
        "machines": "host clients, engine, containers and servers: this machine",
        "sockets_read": doc["engine"]["sockets_read"],  # netlink or proc: how this machine reads them
    }
    assert doc["engine"]["sockets_read"] in ("netlink", "proc", "proc, +inspect", "netlink, +inspect")
    assert doc["servers"][0]["status"] == "ok" and doc["servers"][0]["probe"]["outcome"] == "mcp"


@pytest.mark.docker
@needs_cli
def test_docker_context_names_a_context_the_sdk_would_miss(lab, tmp_path):
    """`docker context create` writes no config.json; the SDK's ContextAPI then falls back to the default
    socket. Behind the context here is the real engine under another path, so only the CLI's reading works."""
    config = tmp_path / "dockercfg"
    alias = Path(tempfile.mkdtemp(prefix="mdn-sock-")) / "engine.sock"
    alias.symlink_to(ENGINE_SOCKET)
    try:
        make_context(config, "aliased", f"unix://{alias}")
        assert not (config / "config.json").exists()
        cfg = tmp_path / ".mcp.json"
        write_config(cfg, {"none": {"type": "http", "url": f"http://localhost:{free_port()}/mcp"}})
        env = {"DOCKER_CONFIG": str(config), "DOCKER_CONTEXT": "aliased"}
        doc = json.loads(run("doctor", "--format", "json", "--no-probe", "--config", str(cfg), env=env).stdout)
        assert doc["engine"]["endpoint"] == f"unix://{alias}" and doc["engine"]["chosen_by"] == "DOCKER_CONTEXT=aliased"
        assert doc["engine"]["reachable"] is True
    finally:
        shutil.rmtree(alias.parent)


@needs_cli
@pytest.mark.parametrize("how", ["context", "DOCKER_HOST"])
def test_an_engine_that_is_not_there_is_one_line_and_exit_2(tmp_path, how):
    missing = f"unix://{tmp_path}/gone.sock"
    config = tmp_path / "dockercfg"
    config.mkdir()
    if how == "context":
        make_context(config, "gone", missing, use=True)
        env, chosen_by = {"DOCKER_CONFIG": str(config)}, f"current context 'gone' in {config}/config.json"
    else:
        env, chosen_by = {"DOCKER_CONFIG": str(config), "DOCKER_HOST": missing}, "DOCKER_HOST"
    cfg = tmp_path / ".mcp.json"
    write_config(cfg, {"a": {"type": "http", "url": "http://localhost:1/mcp"}})

    shown = run("doctor", "--config", str(cfg), env=env)
    assert shown.returncode == 2 and shown.stdout == ""
    lines = shown.stderr.strip().splitlines()
    assert len(lines) == 1, shown.stderr
    assert f"{missing} ({chosen_by})" in lines[0] and f"there is no socket at {tmp_path}/gone.sock" in lines[0]
    assert "start Docker" in lines[0] and "docker context ls" in lines[0]
    assert not [t for t in SDK_TEXT if t in shown.stderr]

    as_json = run("doctor", "--format", "json", "--config", str(cfg), env=env)
    assert as_json.returncode == 2
    doc = json.loads(as_json.stdout)  # one document, nothing else on stdout
    assert doc["schema"] == "mcp-dockernet/doctor/v1" and doc["servers"] == []
    assert doc["error"]["code"] == "engine-unreachable"
    assert doc["error"]["endpoint"] == missing and doc["error"]["chosen_by"] == chosen_by
    assert doc["error"]["message"] == lines[0].removeprefix("mcp-dockernet: ")


def test_a_named_context_that_does_not_exist(tmp_path):
    cfg = tmp_path / ".mcp.json"
    write_config(cfg, {"a": {"type": "http", "url": "http://localhost:1/mcp"}})
    done = run(
        "doctor",
        "--format",
        "json",
        "--config",
        str(cfg),
        env={"DOCKER_CONFIG": str(tmp_path), "DOCKER_CONTEXT": "nope"},
    )
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "DOCKER_CONTEXT=nope: no such context" in done.stderr
    assert json.loads(done.stdout)["error"]["code"] == "engine-context-not-found"


def test_static_mode_says_in_plain_words_what_was_skipped_and_why(tmp_path):
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  agent:\n    image: busybox\n    environment:\n      TOOLS_MCP_URL: http://localhost:8000/mcp\n"
        "  server:\n    image: busybox\n    ports: ['8000:8000']\n"
    )
    missing = f"unix://{tmp_path}/gone.sock"
    env = {"DOCKER_CONFIG": str(tmp_path), "DOCKER_HOST": missing}
    shown = run("doctor", "--compose", "compose.yaml", "--no-probe", env=env, cwd=str(tmp_path))
    assert shown.returncode == 1, shown.stderr
    assert shown.stdout.splitlines()[0].endswith(
        f"; engine {missing} (DOCKER_HOST), not reachable: rules that need it are skipped"
    )
    skipped = [line for line in shown.stdout.splitlines() if line.startswith("skipped ")]
    assert skipped and all(
        line.endswith(
            f": needs the Docker engine, and the one at {missing} (DOCKER_HOST) is not reachable: "
            f"there is no socket at {tmp_path}/gone.sock"
        )
        for line in skipped
    ), skipped
    assert not [t for t in SDK_TEXT if t in shown.stdout + shown.stderr]
    doc = json.loads(
        run("doctor", "--format", "json", "--compose", "compose.yaml", "--no-probe", env=env, cwd=str(tmp_path)).stdout
    )
    assert doc["engine"]["reachable"] is False and doc["engine"]["endpoint"] == missing
    assert doc["skipped_rules"] and all("there is no socket" in r["reason"] for r in doc["skipped_rules"])


@pytest.mark.docker
def test_permission_denied_on_the_socket_names_the_docker_group(docker_client, tmp_path):
    """A user outside the docker group: the real EACCES from the real socket (root would bypass it)."""
    python = "/usr/bin/python3"
    if shutil.which("setpriv") is None or not os.path.exists(python) or not os.path.exists(ENGINE_SOCKET):
        pytest.skip("needs setpriv, /usr/bin/python3 and the engine's socket")
    if os.stat(ENGINE_SOCKET).st_mode & 0o007:
        pytest.skip(f"{ENGINE_SOCKET} is open to everyone here")
    work = Path(tempfile.mkdtemp(prefix="mdn-perm-"))
    try:
        work.chmod(0o755)
        cfg = work / ".mcp.json"
        write_config(cfg, {"a": {"type": "http", "url": "http://localhost:1/mcp"}})
        cfg.chmod(0o644)
        path = os.pathsep.join([str(Path(mcp_dockernet.__file__).parents[1]), sysconfig.get_paths()["purelib"]])
        env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "PYTHONPATH": path}
        command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "env", "-i"]
        command += [f"{k}={v}" for k, v in env.items()] + [
            python,
            "-m",
            "mcp_dockernet",
            "doctor",
            "--config",
            str(cfg),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if "No module named" in done.stderr or sys.version_info[:2] != (3, 11):
            pytest.skip(f"{python} cannot run this package: {done.stderr.strip()[-200:]}")
        assert done.returncode == 2
        assert done.stderr.strip() == (
            f"mcp-dockernet: permission denied on {ENGINE_SOCKET} (default socket): add your user to the docker "
            "group and log in again, or run as root, or point DOCKER_HOST at an engine you may use (rootless Docker)"
        )
    finally:
        shutil.rmtree(work)
