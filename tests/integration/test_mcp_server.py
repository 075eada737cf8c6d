"""`mcp-dockernet mcp` served to real clients: the official Python SDK's stdio client (mcp.client.Client,
which speaks 2026-07-28 and checks every structured result against the tool's outputSchema), raw
JSON-RPC lines at the 2025-06-18 handshake (what Claude Code, Cursor and VS Code send today), and the TypeScript SDK (the MCP
Inspector's CLI, its schema portability check, and the SDK's own Ajv validator).

The tools are called on the lab's real set-ups: a wrong-port container and a Compose project beside
the noise project, and their structured results are compared with `doctor --format json` for the
same set-up. Timing-dependent fields are left out of the comparison: TIMING names them.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters

from tests.integration.helpers import cli, doctor_json, mcp_tools, sdk_stdio_tools, write_config
from tests.lab.compose_lab import agent_service, mcp_service, wait_for_mcp_log
from tests.lab.docker_lab import free_port
from tests.lab.real_parts import INSPECTOR_CLI, NODE_MODULES, missing, node_binary

ROOT = Path(__file__).resolve().parents[2]
SERVER = [sys.executable, "-m", "mcp_dockernet", "mcp"]
# Fields of doctor/v1 whose values depend on timing: how long a launch took.
TIMING = (("servers", "*", "launch", "seconds"),)


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    # The server sees what the CLI in helpers.cli() sees (its proxies too: probes honour them).
    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(extra or {})}


def with_client(
    use: Callable[[Client], Awaitable[Any]], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Any:
    """Spawn `python -m mcp_dockernet mcp` with the SDK's stdio client, and run ``use`` on it (bounded)."""
    params = StdioServerParameters(command=SERVER[0], args=SERVER[1:], env=_env(env), cwd=str(cwd) if cwd else None)

    async def go() -> Any:
        async with Client(params) as client:
            return await use(client)

    return asyncio.run(asyncio.wait_for(go(), 240))


def call(name: str, arguments: dict[str, Any], **kw: Any) -> Any:
    async def use(client: Client) -> Any:
        return await client.call_tool(name, arguments)

    return with_client(use, **kw)


def _timeless(doc: dict[str, Any]) -> dict[str, Any]:
    doc = json.loads(json.dumps(doc))
    for path in TIMING:
        _drop(doc, path)
    return doc


def _drop(node: Any, path: tuple[str, ...]) -> None:
    head, rest = path[0], path[1:]
    children = (node if head == "*" else [node.get(head)]) if isinstance(node, list | dict) else []
    if head == "*" and isinstance(node, dict):
        children = list(node.values())
    for child in children:
        if not rest:
            if isinstance(node, dict):
                node.pop(head, None)
        elif isinstance(child, list | dict):
            _drop(child, rest)


def test_the_timing_fields_are_dropped_and_nothing_else():
    doc = {"servers": [{"name": "a", "launch": {"seconds": 1.5, "outcome": "mcp"}}, {"name": "b", "launch": None}]}
    assert _timeless(doc) == {"servers": [{"name": "a", "launch": {"outcome": "mcp"}}, {"name": "b", "launch": None}]}


# --- without the engine: the listing, the protocol eras, the TypeScript client ---


def test_the_tools_are_listed_with_the_clis_selectors_their_schemas_and_annotations():
    listed = with_client(lambda c: c.list_tools())
    tools = {t.name: t for t in listed.tools}
    assert list(tools) == ["doctor", "probe", "fix", "rules"]
    doctor = tools["doctor"]
    props = doctor.input_schema["properties"]
    assert set(props) == {
        "config", "compose", "project_dir", "project_name", "client", "client_type", "no_probe", "launch", "timeout",
    }  # fmt: skip
    assert props["config"]["type"] == "array" and props["no_probe"]["type"] == "boolean"
    assert doctor.input_schema["additionalProperties"] is False
    assert doctor.output_schema["title"] == "mcp-dockernet/doctor/v1"
    assert tools["probe"].output_schema["title"] == "mcp-dockernet/probe/v1"
    assert tools["probe"].input_schema["required"] == ["url"]
    assert {"write", "backup", "edit_compose"} <= set(tools["fix"].input_schema["properties"])
    for name in ("doctor", "probe", "rules"):
        assert tools[name].annotations.read_only_hint is True, name
    fix = tools["fix"].annotations
    assert (fix.read_only_hint, fix.destructive_hint, fix.idempotent_hint) == (False, True, True)


def test_rules_answers_each_code_with_its_explanation():
    result = call("rules", {})
    codes = [r["code"] for r in result.structured_content["rules"]]
    explain = cli("rules", "explain", "wrong-port").stdout.strip()
    assert "wrong-port" in codes and "docker-run-tty" in codes and not result.is_error
    one = call("rules", {"code": "wrong-port"})
    assert one.structured_content["rules"][0]["explanation"] == explain
    assert one.content[0].text == explain


class RawSession:
    """JSON-RPC lines over the server's stdin and stdout, as a stdio client writes them; every wait bounded."""

    def __init__(self, env: dict[str, str] | None = None):
        self.proc = subprocess.Popen(
            SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(env)
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()  # type: ignore[arg-type]

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))  # only JSON-RPC may reach stdout

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"jsonrpc": "2.0", **message}) + "\n")
        self.proc.stdin.flush()

    def messages_until(self, deadline: float) -> list[dict[str, Any]]:
        got = []
        while (left := deadline - time.monotonic()) > 0:
            try:
                got.append(self.lines.get(timeout=left))
            except queue.Empty:
                break
        return got

    def answer(self, msg_id: int, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if message.get("id") == msg_id:
                return message
        raise AssertionError(f"no answer to {msg_id}; stderr: {''.join(self.stderr)[-2000:]}")

    def handshake(self, version: str = "2025-06-18") -> dict[str, Any]:
        info = {"name": "raw", "version": "1"}
        self.send(
            {
                "id": 1,
                "method": "initialize",
                "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": info},
            }
        )
        answer = self.answer(1)
        self.send({"method": "notifications/initialized"})
        return answer

    def close(self, timeout: float = 30) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(10)


def test_a_client_at_the_2025_06_18_handshake_lists_and_calls_the_tools():
    session = RawSession()
    try:
        init = session.handshake()["result"]
        assert init["protocolVersion"] == "2025-06-18" and init["serverInfo"]["name"] == "mcp-dockernet"
        session.send({"id": 2, "method": "tools/list", "params": {}})
        names = [t["name"] for t in session.answer(2)["result"]["tools"]]
        session.send(
            {"id": 3, "method": "tools/call", "params": {"name": "rules", "arguments": {"code": "docker-run-tty"}}}
        )
        result = session.answer(3)["result"]
        assert names == ["doctor", "probe", "fix", "rules"]
        assert result["isError"] is False and result["structuredContent"]["rules"][0]["code"] == "docker-run-tty"
        session.send({"id": 4, "method": "tools/call", "params": {"name": "nope", "arguments": {}}})
        assert "unknown tool" in session.answer(4)["error"]["message"]  # a protocol error, not a tool result
    finally:
        assert session.close() == 0


class Blackhole:
    """A loopback port that accepts connections (the kernel's backlog) and never answers: a probe waits."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/mcp"

    def close(self) -> None:
        self.sock.close()


def test_a_cancelled_probe_gets_no_answer_the_server_answers_the_next_call_and_exits_when_closed():
    hole, session = Blackhole(), RawSession()
    probe_timeout = 8.0
    try:
        session.handshake()
        started = time.monotonic()
        arguments = {"url": hole.url, "transport": "http", "timeout": probe_timeout}
        session.send({"id": 5, "method": "tools/call", "params": {"name": "probe", "arguments": arguments}})
        time.sleep(1)
        session.send({"method": "notifications/cancelled", "params": {"requestId": 5, "reason": "the user stopped it"}})
        session.send({"id": 6, "method": "tools/call", "params": {"name": "rules", "arguments": {"code": "timeout"}}})
        answered = session.answer(6, timeout=probe_timeout)
        assert answered["result"]["structuredContent"]["rules"][0]["code"] == "timeout"
        assert time.monotonic() - started < probe_timeout, "the next call waited for the cancelled probe"
        # Past the probe's own timeout: the cancelled call is never answered (spec: cancellation).
        later = session.messages_until(started + probe_timeout + 4)
        assert [m for m in later if m.get("id") == 5] == []
    finally:
        code = session.close(timeout=probe_timeout + 20)  # the abandoned probe ends within its timeout
        hole.close()
    assert code == 0


def test_the_sdk_clients_cancelled_probe_returns_at_once_and_the_server_still_answers():
    hole = Blackhole()

    async def use(client: Client) -> tuple[float, Any, Any]:
        started = time.monotonic()
        with anyio.move_on_after(1.5) as scope:  # the SDK sends notifications/cancelled for the abandoned call
            await client.call_tool("probe", {"url": hole.url, "transport": "http", "timeout": 60})
        assert scope.cancelled_caught
        took = time.monotonic() - started
        return took, await client.call_tool("rules", {"code": "timeout"}), await client.list_tools()

    try:
        took, rules, _ = with_client(use)
    finally:
        hole.close()
    assert took < 10 and rules.structured_content["rules"][0]["code"] == "timeout"


def _node(script: str, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as home:
        return subprocess.run(
            [str(node_binary()), script, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "HOME": home},
        )


@pytest.fixture
def typescript() -> Callable[..., subprocess.CompletedProcess[str]]:
    if why := missing():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(why)
        pytest.skip(why)

    def inspector(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        server = ["-e", f"PYTHONPATH={ROOT}"] + (["--cwd", str(cwd)] if cwd else []) + SERVER
        return _node(str(NODE_MODULES / INSPECTOR_CLI), "--cli", *server, *args)

    return inspector


AJV = """
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { readFileSync } from "node:fs";
const [schema, doc] = process.argv.slice(2).map((p) => JSON.parse(readFileSync(p)));
console.log(JSON.stringify(new AjvJsonSchemaValidator().getValidator(schema)(doc)));
"""


def ajv_valid(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """The TypeScript SDK's own validator of structured results (Ajv, as its client sets it up)."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "node_modules").symlink_to(NODE_MODULES)
        (base / "check.mjs").write_text(AJV)
        (base / "schema.json").write_text(json.dumps(schema))
        (base / "doc.json").write_text(json.dumps(document))
        done = _node(str(base / "check.mjs"), str(base / "schema.json"), str(base / "doc.json"))
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_the_typescript_sdk_finds_the_schemas_portable_and_calls_rules(typescript):
    listed = typescript("--method", "tools/list", "--strict")
    assert listed.returncode == 0, listed.stderr
    assert "Warning:" not in listed.stderr and "Error:" not in listed.stderr, listed.stderr  # --strict: portable
    called = typescript("--method", "tools/call", "--tool-name", "rules", "--tool-args-json", '{"code": "wrong-port"}')
    assert called.returncode == 0, called.stderr
    assert json.loads(called.stdout)["structuredContent"]["rules"][0]["code"] == "wrong-port"


# --- on the engine: the wrong-port container, a Compose project, fix, bad input ---


def _moved(lab: Any, tmp_path: Path) -> tuple[Path, str, int, int]:
    inner, host_port = free_port(), free_port()
    lab.mcp_server("moved", port=inner, publish={inner: host_port})
    cfg = tmp_path / ".mcp.json"
    original = write_config(
        cfg,
        {
            "moved": {
                "type": "http",
                "url": f"http://localhost:{inner}/mcp",
                "headers": {"Authorization": "Bearer s3cr3t"},
            },
            "gh": {"command": "docker", "args": ["run", "-it", "--rm", "-e", "GITHUB_TOKEN=ghp_s3cr3t", "img"]},
        },
    )
    return cfg, original, inner, host_port


@pytest.mark.docker
def test_doctor_on_a_wrong_port_container_is_the_clis_json(lab, tmp_path, typescript):
    cfg, _, inner, host_port = _moved(lab, tmp_path)

    result = call("doctor", {"config": [".mcp.json"]}, cwd=tmp_path)
    code, expected = doctor_json("--config", ".mcp.json", cwd=str(tmp_path))

    assert code == 1 and not result.is_error
    assert _timeless(result.structured_content) == _timeless(expected)
    moved = next(s for s in result.structured_content["servers"] if s["name"] == "moved")
    assert [f["code"] for f in moved["findings"]] == ["wrong-port"]
    assert moved["suggested_url"] == f"http://localhost:{host_port}/mcp"
    text = result.content[0].text
    assert "wrong-port" in text and "docker-run-tty" in text and "write: true" in text
    assert "s3cr3t" not in json.dumps(result.structured_content) + text
    tools = {t["name"]: t for t in json.loads(typescript("--method", "tools/list").stdout)["tools"]}
    assert ajv_valid(tools["doctor"]["outputSchema"], result.structured_content)["valid"] is True
    broken = json.loads(json.dumps(result.structured_content))
    broken["servers"][0]["status"] = "fine"
    assert ajv_valid(tools["doctor"]["outputSchema"], broken)["valid"] is False


@pytest.mark.docker
@pytest.mark.parametrize("vantage", ["host", "container"])
def test_probe_is_the_clis_json_from_the_host_and_from_a_container(lab, vantage):
    inner, host_port = free_port(), free_port()
    server = lab.mcp_server("probed", port=inner, publish={inner: host_port})
    url, where = f"http://localhost:{host_port}/mcp", "host"
    if vantage == "container":  # from inside the server's own namespace: its own port, on its loopback
        url, where = f"http://127.0.0.1:{inner}/mcp", f"container:{server.name}"

    result = call("probe", {"url": url, "from": where, "timeout": 10})
    done = cli("probe", url, "--from", where, "--timeout", "10", "--format", "json")

    assert done.returncode == 0 and not result.is_error, done.stderr
    assert result.structured_content == json.loads(done.stdout)
    probe = result.structured_content["probe"]
    assert probe["outcome"] == "mcp" and probe["server_name"] == "lab-server"
    assert probe["vantage"] == ("host" if vantage == "host" else f"container:{server.name}")
    assert result.content[0].text.splitlines()[-1].startswith("ok: MCP server lab-server")


@pytest.mark.docker
def test_doctor_on_a_compose_project_is_the_clis_json(compose_lab, tmp_path):
    from tests.integration.helpers import mcp_config_in

    config = mcp_config_in(tmp_path / "cfg", "http://localhost:8000/mcp")
    path = compose_lab.write("mcpsrv", {"agent": agent_service(config_dir=config.parent), "server": mcp_service(8000)})
    compose_lab.up(path)
    wait_for_mcp_log(f"{compose_lab.project('mcpsrv')}-server-1")

    result = call("doctor", {"compose": [str(path)], "project_dir": str(path.parent)}, cwd=tmp_path)
    code, expected = doctor_json("-f", str(path), "--project-dir", str(path.parent), cwd=str(tmp_path))

    assert code == 1 and not result.is_error
    assert _timeless(result.structured_content) == _timeless(expected)
    tools = next(s for s in result.structured_content["servers"] if s["name"] == "tools")
    assert tools["client"] == f"container:{compose_lab.project('mcpsrv')}-agent-1"
    assert [f["code"] for f in tools["findings"]] == ["localhost-in-container"]
    assert tools["suggested_url"] == "http://server:8000/mcp"


@pytest.mark.docker
def test_fix_shows_the_diff_writes_only_when_asked_and_the_fixed_url_connects(lab, tmp_path):
    cfg, original, inner, host_port = _moved(lab, tmp_path)
    fixed_url = f"http://localhost:{host_port}/mcp"

    async def use(client: Client) -> tuple[Any, str, Any, Any]:
        shown = await client.call_tool("fix", {"config": [str(cfg)]})
        between = cfg.read_text()
        written = await client.call_tool("fix", {"config": [str(cfg)], "write": True})
        again = await client.call_tool("fix", {"config": [str(cfg)], "write": True})
        return shown, between, written, again

    cli_diff = cli("fix", "--config", str(cfg), cwd=str(tmp_path)).stdout  # writes nothing either
    shown, between, written, again = with_client(use, cwd=tmp_path)

    assert between == original, "fix without write must not write"
    assert not shown.is_error and shown.structured_content["written"] == []
    assert "".join(d["diff"] for d in shown.structured_content["diffs"]) == cli_diff
    assert "s3cr3t" not in json.dumps(shown.structured_content) + shown.content[0].text
    after = cfg.read_text()
    assert after == original.replace(f"localhost:{inner}/", f"localhost:{host_port}/").replace('"-it"', '"-i"')
    assert (tmp_path / ".mcp.json.bak").read_text() == original
    recheck = written.structured_content["recheck"]
    assert {s["name"]: s["status"] for s in recheck["servers"]}["moved"] == "ok"
    assert written.structured_content["written"][0]["path"] == str(cfg)
    assert again.structured_content["changes"] == 0 and cfg.read_text() == after  # idempotent
    assert "echo" in mcp_tools(fixed_url)


@pytest.mark.docker
def test_bad_input_is_a_tool_error_with_the_clis_line_and_the_server_keeps_serving(lab, tmp_path):
    (tmp_path / "broken.json").write_text('{"mcpServers": {"a": {"url": "http://x"}},}\n')
    (tmp_path / "typo.json").write_text('{"mcpservers": {}}\n')
    write_config(tmp_path / "good.json", {"a": {"type": "http", "url": "http://localhost:9/mcp"}})
    cases = [
        ({"config": ["missing.json"]}, ["--config", "missing.json"]),
        ({"config": ["broken.json"]}, ["--config", "broken.json"]),
        ({"config": ["typo.json"]}, ["--config", "typo.json"]),
        ({"config": ["typo.json"], "client_type": "nope"}, ["--config", "typo.json", "--client-type", "nope"]),
        ({"config": ["good.json"], "client": "elsewhere"}, ["--config", "good.json", "--client", "elsewhere"]),
    ]

    async def use(client: Client) -> list[Any]:
        results = [await client.call_tool("doctor", args) for args, _ in cases]
        results.append(
            await client.call_tool("probe", {"url": "http://x/mcp", "from": "service:nobody", "project": "none"})
        )
        results.append(await client.call_tool("rules", {}))  # still serving
        return results

    results = with_client(use, cwd=tmp_path)

    for (args, flags), result in zip(cases, results[: len(cases)], strict=True):
        done = cli("doctor", *flags, cwd=str(tmp_path))
        assert done.returncode == 2, done.stdout
        line = done.stderr.strip()
        assert result.is_error and result.content[0].text == line, args
        assert line.startswith("mcp-dockernet: ") and "\n" not in line
        assert result.structured_content["error"]["message"] == line.removeprefix("mcp-dockernet: ")
    probed = cli("probe", "http://x/mcp", "--from", "service:nobody", "-p", "none", cwd=str(tmp_path))
    assert results[-2].is_error and results[-2].content[0].text in probed.stderr.replace("│", " ").replace("\n", " ")
    assert not results[-1].is_error


@pytest.mark.docker
def test_an_engine_that_does_not_answer_is_the_clis_line(tmp_path):
    write_config(tmp_path / ".mcp.json", {"a": {"type": "http", "url": "http://localhost:9/mcp"}})
    env = {"DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"}
    result = call("doctor", {"config": [".mcp.json"]}, cwd=tmp_path, env=env)
    done = cli("doctor", "--config", ".mcp.json", cwd=str(tmp_path), env=env)
    assert done.returncode == 2 and result.is_error
    assert result.content[0].text == done.stderr.strip() and "DOCKER_HOST" in done.stderr
    assert result.structured_content["error"]["code"] == "engine-unreachable"


# --- its own entry, as each client's file writes it: healthy ---

OWN_ENTRY = {"command": "mcp-dockernet", "args": ["mcp"]}
OWN_FILES = {
    ".mcp.json": json.dumps({"mcpServers": {"mcp-dockernet": OWN_ENTRY}}, indent=2),  # claude mcp add -s project
    ".cursor/mcp.json": json.dumps({"mcpServers": {"mcp-dockernet": OWN_ENTRY}}, indent=2),
    ".vscode/mcp.json": json.dumps({"servers": {"mcp-dockernet": {"type": "stdio", **OWN_ENTRY}}}, indent=2),
    ".codex/config.toml": '[mcp_servers.mcp-dockernet]\ncommand = "mcp-dockernet"\nargs = ["mcp"]\n',
}


@pytest.fixture
def own_entries(tmp_path) -> tuple[list[str], dict[str, str]]:
    """The README's entry in each client's file, and a PATH with `mcp-dockernet` on it (this checkout's)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "mcp-dockernet"
    launcher.write_text(f'#!/bin/sh\nPYTHONPATH={ROOT} exec {sys.executable} -m mcp_dockernet "$@"\n')
    launcher.chmod(0o755)
    for name, text in OWN_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text + "\n")
    return list(OWN_FILES), {"PATH": f"{bin_dir}:{os.environ['PATH']}"}


@pytest.mark.docker
def test_its_own_entry_in_each_clients_file_is_healthy_and_answers_the_sdk_client(tmp_path, own_entries):
    files, env = own_entries
    flags = [a for f in files for a in ("--config", f)]
    code, report = doctor_json(*flags, cwd=str(tmp_path), env=env)
    assert code == 0, report
    assert [(s["config"], s["status"], s["findings"]) for s in report["servers"]] == [(f, "ok", []) for f in files]
    result = call("doctor", {"config": files}, cwd=tmp_path, env=env)
    assert _timeless(result.structured_content) == _timeless(report)
    tools = sdk_stdio_tools("mcp-dockernet", ["mcp"], env=env)  # the entry, started as a client starts it
    assert tools == ["doctor", "probe", "fix", "rules"]


@pytest.mark.docker
def test_with_launch_its_own_entry_answers(tmp_path, own_entries):
    files, env = own_entries
    code, report = doctor_json("--launch", *(a for f in files for a in ("--config", f)), cwd=str(tmp_path), env=env)
    assert code == 0, report
    for server in report["servers"]:
        assert server["status"] == "ok" and server["launch"]["outcome"] == "mcp", server
        assert server["launch"]["server_name"] == "mcp-dockernet" and server["launch"]["tool_count"] == 4
    result = call("doctor", {"config": files, "launch": True}, cwd=tmp_path, env=env)
    assert _timeless(result.structured_content) == _timeless(report)
