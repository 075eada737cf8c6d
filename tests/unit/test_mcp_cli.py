"""`mcp-dockernet mcp` without the MCP SDK: one line saying how to get it, exit 2 (the SDK is an optional extra)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# None in sys.modules makes `import mcp` fail as a missing package does (ModuleNotFoundError, name "mcp").
WITHOUT = "import sys; sys.modules['{0}'] = None; sys.argv = ['mcp-dockernet', 'mcp']; from mcp_dockernet.cli import main; main()"


def _run(blocked: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", WITHOUT.format(blocked)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_without_the_sdk_it_says_how_to_install_it_and_exits_2():
    done = _run("mcp")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == "mcp-dockernet mcp needs the MCP SDK: pip install 'mcp-dockernet[mcp]'"
    assert done.stdout == ""


def test_a_missing_part_of_the_sdk_says_the_same():
    done = _run("mcp_types")
    assert done.returncode == 2 and "needs the MCP SDK" in done.stderr
