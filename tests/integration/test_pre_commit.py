"""The pre-commit hook (.pre-commit-hooks.yaml) run by the real `pre-commit try-repo`, as a user's repository runs it.

try-repo clones this checkout, makes the hook's own venv and pip-installs mcp-dockernet into it (its
dependencies from the package index): about a minute, so marked slow. No engine is involved: the hook
judges the files alone, with DOCKER_HOST pointing at a socket that is not there to prove it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_install import checkout_copy

pytestmark = pytest.mark.slow

BROKEN = {
    "mcpServers": {"gh": {"command": "docker", "args": ["run", "-it", "--rm", "ghcr.io/github/github-mcp-server"]}}
}
GOOD = {"mcpServers": {"gh": {"command": "docker", "args": ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server"]}}}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


def _repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    _git(path, "init", "-q")
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    _git(path, "add", "-A")
    _git(path, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "fixture")
    return path


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_try_repo_fails_on_a_broken_config_and_passes_a_good_one(tmp_path):
    hook_repo = checkout_copy(tmp_path / "hook")
    _git(hook_repo, "init", "-q")
    _git(hook_repo, "add", "-A")
    _git(hook_repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "hook")
    compose = "services:\n  web:\n    image: nginx\n"
    unrelated = {"README.md": "# a project\n", "compose.yaml": compose, ".zed/settings.json": '{"theme": "One"}\n'}
    broken = _repo(tmp_path / "broken", {**unrelated, ".mcp.json": json.dumps(BROKEN, indent=2) + "\n"})
    good = _repo(tmp_path / "good", {**unrelated, ".mcp.json": json.dumps(GOOD, indent=2) + "\n"})
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),  # its own cache: the hook's venv is made here
        "DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock",
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "mcp-dockernet", "--all-files"]

    failed = subprocess.run(pre_commit, cwd=broken, env=env, capture_output=True, text=True, timeout=900)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "docker-run-tty" in failed.stdout and "Failed" in failed.stdout
    assert "mcp-dockernet fix --config .mcp.json --write" in failed.stdout

    passed = subprocess.run(pre_commit, cwd=good, env=env, capture_output=True, text=True, timeout=900)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout and "docker-run-tty" not in passed.stdout
