"""fix --write on real config files with `docker run` stdio entries, judged by the SDK's stdio client before and after.

The lab's stdio server (tests/lab/stdio_server.py, the official SDK) runs in a lab container started by the
entry's own `docker run` line. Before the fix the SDK client cannot list its tools (-it: "the input device is
not a TTY"; no -i: stdin closed, the server ends at once); `mcp-dockernet fix --write` changes only that word,
and the same client then lists them with the entry as it is written in the file.
"""

from __future__ import annotations

import json
import time
import tomllib

import pytest

from tests.integration.helpers import cli, sdk_stdio_tools
from tests.lab.docker_lab import BASE_IMAGE, LAB_DIR, SITE_PACKAGES
from tests.lab.docker_lab import LABEL as TEST_LABEL

pytestmark = pytest.mark.docker
SERVER = LAB_DIR / "stdio_server.py"


def docker_args(lab, flags: list[str]) -> list[str]:
    """A docker run line as a vendor README writes it, with the SDK and the lab mounted (no registry here)."""
    mounts = ["-v", f"{SITE_PACKAGES}:/site:ro", "-v", f"{LAB_DIR}:/lab:ro", "-e", "PYTHONPATH=/site"]
    label = ["--label", f"{TEST_LABEL}={lab.run_id}"]  # the lab removes it should anything be left
    return ["run", *flags, "--rm", *label, *mounts, BASE_IMAGE, "python3", "/lab/stdio_server.py", "healthy"]


def write(tmp_path, kind: str, args: list[str]):
    path = tmp_path / (".mcp.json" if kind == "claude-code" else ".codex/config.toml")
    path.parent.mkdir(exist_ok=True)
    path.write_text(text_of(kind, args))
    return path


def text_of(kind: str, args: list[str]) -> str:
    """The file as a user writes it: Claude Code's JSON one element a line, Codex CLI's TOML on one line."""
    if kind == "claude-code":
        return json.dumps({"mcpServers": {"lab": {"command": "docker", "args": args}}}, indent=2) + "\n"
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
    if not SERVER.exists():
        pytest.skip("tests/lab/stdio_server.py lands with the stdio-launch branch")
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
