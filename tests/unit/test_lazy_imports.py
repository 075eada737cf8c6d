"""A command loads only what it uses: the module lists after real runs of the CLI (no timing asserted).

`--help` and `rules list` do not load the engine's collectors, the docker SDK or the HTTP stack;
`rules list` and `doctor --format json` do not load rich; a run that probes nothing does not load httpx;
none of them loads pydantic (typer 0.29 would), rich's help renderer, or PyYAML for a JSON config.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN = (
    "import atexit, sys; "
    "atexit.register(lambda: sys.stderr.write('\\nLOADED ' + ' '.join(sorted(sys.modules)) + '\\n')); "
    "sys.argv = ['mcp-dockernet', *sys.argv[1:]]; from mcp_dockernet.cli import main; main()"
)
HEAVY = ("docker", "httpx", "psutil", "mcp_dockernet.run", "mcp_dockernet.engine", "mcp_dockernet.probes.vantage")
UNUSED = {"pydantic", "typer.rich_utils", "yaml"}  # no command below needs them: none may load them


def loaded(*args: str, cwd: Path | None = None) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60
    )
    line = next(ln for ln in reversed(done.stderr.splitlines()) if ln.startswith("LOADED "))
    return done, set(line.split()[1:])


def test_help_loads_neither_the_engine_nor_the_docker_sdk_nor_the_http_stack():
    done, modules = loaded("--help")
    assert done.returncode == 0 and "doctor" in done.stdout
    assert "mcp_dockernet.cli" in modules  # the list is real
    assert not modules & {*HEAVY, *UNUSED}, modules & {*HEAVY, *UNUSED}


def test_rules_list_loads_the_rules_and_no_rich():
    done, modules = loaded("rules", "list")
    assert done.returncode == 0 and "wrong-port" in done.stdout
    assert "mcp_dockernet.rules" in modules
    assert not modules & {*HEAVY, *UNUSED, "rich", "rich.console"}, modules & {*HEAVY, *UNUSED, "rich"}


def test_doctor_json_that_probes_nothing_loads_no_http_stack_and_no_rich(tmp_path):
    config = tmp_path / ".mcp.json"
    config.write_text(json.dumps({"mcpServers": {"a": {"type": "http", "url": "http://localhost:8000/mcp"}}}))
    done, modules = loaded("doctor", "--static", "--format", "json", "--config", str(config), cwd=tmp_path)
    assert json.loads(done.stdout)["schema"] == "mcp-dockernet/doctor/v1", done.stderr
    assert "mcp_dockernet.engine" in modules
    unwanted = {*UNUSED, "httpx", "rich", "mcp_dockernet.probes.vantage"}
    assert not modules & unwanted, modules & unwanted


def test_the_docker_sdk_loads_paramiko_only_for_an_ssh_engine():
    """paramiko (the `remote` extra, in the test extra too) costs ~100-240 ms of import: only ssh:// pays it."""
    probe = (
        "import sys; from mcp_dockernet.run import _import_docker; d = _import_docker(ssh={ssh}); "
        "print('paramiko' in sys.modules, hasattr(d.transport, 'SSHHTTPAdapter'))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for ssh, expected in ((False, "False False"), (True, "True True")):
        done = subprocess.run(
            [sys.executable, "-c", probe.format(ssh=ssh)], capture_output=True, text=True, env=env, timeout=60
        )
        assert done.stdout.split() == expected.split(), done.stderr
