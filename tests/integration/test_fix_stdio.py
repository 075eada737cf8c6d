"""fix --write on real config files with `docker run` stdio entries, judged by the SDK's stdio client before and after.

The lab's stdio server (tests/lab/stdio_server.py, the official SDK) runs in a lab container started by the
entry's own `docker run` line. Before the fix the SDK client cannot list its tools (-it: "the input device is
not a TTY"; no -i: stdin closed, the server ends at once); `mcp-dockernet fix --write` changes only that word,
and the same client then lists them with the entry as it is written in the file.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
import tomllib
from collections.abc import Iterator

import pytest

from tests.integration.helpers import cli, sdk_stdio_tools
from tests.lab.docker_lab import BASE_IMAGE, LAB_DIR, SITE_PACKAGES
from tests.lab.docker_lab import LABEL as TEST_LABEL

SERVER = LAB_DIR / "stdio_server.py"
pytestmark = [
    pytest.mark.docker,
    pytest.mark.skipif(not SERVER.exists(), reason="tests/lab/stdio_server.py lands with the stdio-launch branch"),
]
HDI = "host.docker.internal"


def docker_args(lab, flags: list[str], mode: str = "healthy") -> list[str]:
    """A docker run line as a vendor README writes it, with the SDK and the lab mounted (no registry here)."""
    mounts = ["-v", f"{SITE_PACKAGES}:/site:ro", "-v", f"{LAB_DIR}:/lab:ro", "-e", "PYTHONPATH=/site"]
    label = ["--label", f"{TEST_LABEL}={lab.run_id}"]  # the lab removes it should anything be left
    return ["run", *flags, "--rm", *label, *mounts, BASE_IMAGE, "python3", "/lab/stdio_server.py", mode]


def write(tmp_path, kind: str, args: list[str], env: dict[str, str] | None = None):
    path = tmp_path / (".mcp.json" if kind == "claude-code" else ".codex/config.toml")
    path.parent.mkdir(exist_ok=True)
    path.write_text(text_of(kind, args, env))
    return path


def text_of(kind: str, args: list[str], env: dict[str, str] | None = None) -> str:
    """The file as a user writes it: Claude Code's JSON one element a line, Codex CLI's TOML on one line."""
    if kind == "claude-code":
        body = {"command": "docker", "args": args, **({"env": env} if env else {})}
        return json.dumps({"mcpServers": {"lab": body}}, indent=2) + "\n"
    return f'model = "o3"\n\n# the lab server\n[mcp_servers.lab]\ncommand = "docker"\nargs = {json.dumps(args)}\n'


def args_in(path) -> list[str]:
    text = path.read_text()
    if path.suffix == ".toml":
        return list(tomllib.loads(text)["mcp_servers"]["lab"]["args"])
    return list(json.loads(text)["mcpServers"]["lab"]["args"])


def left_behind(docker_client, lab) -> list[str]:
    """Containers of this test still there after a bounded wait (docker run --rm removes them as they exit)."""
    deadline = time.monotonic() + 10
    while True:
        found = [
            c.name for c in docker_client.containers.list(all=True, filters={"label": f"{TEST_LABEL}={lab.run_id}"})
        ]
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


@pytest.mark.parametrize("kind", ["claude-code", "codex"])
@pytest.mark.parametrize("flags, fixed", [(["-it"], ["-i"]), ([], ["-i"])], ids=["tty", "no-stdin"])
def test_fix_write_makes_the_entry_answer_the_sdk_client(tmp_path, lab, docker_client, kind, flags, fixed):
    args = docker_args(lab, flags)
    path = write(tmp_path, kind, args)
    before = path.read_text()
    with pytest.raises(ConnectionError):  # what a client sees: the server is gone before it answers
        sdk_stdio_tools("docker", args_in(path), timeout=30)
    assert left_behind(docker_client, lab) == []

    done = cli("fix", "--config", str(path), "--write", "--no-probe", cwd=str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert path.read_text() == text_of(kind, docker_args(lab, fixed))  # that word, every other byte kept
    assert (path.parent / f"{path.name}.bak").read_text() == before
    assert "re-check:" in done.stderr and "docker-run-" not in done.stderr

    assert sorted(sdk_stdio_tools("docker", args_in(path), timeout=40)) == ["add", "echo"]
    assert left_behind(docker_client, lab) == []


@pytest.fixture
def upstream() -> Iterator[int]:
    """What needs-upstream GETs at start: a host HTTP server on all addresses, as a container reaches the host
    (host.docker.internal is the bridge's gateway, which a socket bound to 127.0.0.1 alone refuses)."""

    class Ok(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("0.0.0.0", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("where", ["arg", "env"])
def test_localhost_read_in_the_container_becomes_the_host_with_its_add_host(tmp_path, lab, docker_client, upstream,
                                                                            where):  # fmt: skip
    """-e UPSTREAM_URL=http://localhost:PORT (or -e UPSTREAM_URL with the URL in the entry's env): inside the
    container localhost is the container; the fix names host.docker.internal and adds its host-gateway entry."""
    url = f"http://localhost:{upstream}/health"
    env_flag = f"UPSTREAM_URL={url}" if where == "arg" else "UPSTREAM_URL"
    env = {"UPSTREAM_URL": url} if where == "env" else None
    args = docker_args(lab, ["-i", "-e", env_flag], mode="needs-upstream")
    path = write(tmp_path, "claude-code", args, env)
    with pytest.raises(ConnectionError, match="Connection closed"):  # it exits: cannot reach its upstream
        sdk_stdio_tools("docker", args, env=env, timeout=30)

    done = cli("fix", "--config", str(path), "--write", "--no-probe", cwd=str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    fixed_url = url.replace("localhost", HDI)
    fixed_flag = f"UPSTREAM_URL={fixed_url}" if where == "arg" else "UPSTREAM_URL"
    fixed = docker_args(lab, [f"--add-host={HDI}:host-gateway", "-i", "-e", fixed_flag], mode="needs-upstream")
    fixed_env = {"UPSTREAM_URL": fixed_url} if where == "env" else None
    assert path.read_text() == text_of("claude-code", fixed, fixed_env)
    assert "localhost-in-container" not in done.stderr.split("re-check:")[-1]

    assert sorted(sdk_stdio_tools("docker", args_in(path), env=fixed_env, timeout=40)) == ["add", "echo"]
    assert left_behind(docker_client, lab) == []


def test_fix_write_launch_proves_the_fixed_entry_answers(tmp_path, lab, docker_client):
    """--launch in fix: before, the launch sees the TTY refusal; the re-check launches the fixed entry and it answers."""
    path = write(tmp_path, "claude-code", docker_args(lab, ["-it"]))
    done = cli("fix", "--config", str(path), "--write", "--no-probe", "--launch", cwd=str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    recheck = done.stderr.split("re-check:")[-1]
    assert "answered over stdio" in recheck and "docker-run-" not in recheck, done.stderr
    rc = cli("doctor", "--config", str(path), "--launch", "--format", "json", cwd=str(tmp_path))
    assert rc.returncode == 0, rc.stdout + rc.stderr
    launch = json.loads(rc.stdout)["servers"][0]["launch"]
    assert (launch["outcome"], launch["tool_count"]) == ("mcp", 2)
    assert left_behind(docker_client, lab) == []
    assert not docker_client.containers.list(all=True, filters={"label": "mcp-dockernet.launch"})
