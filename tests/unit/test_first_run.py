"""The first run: a --config file with no server key, -f as --compose, plurals, and text wrapped to the terminal."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from rich.console import Console

from mcp_dockernet import engine
from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.render import text
from mcp_dockernet.render.wrap import breaks, plural
from tests.integration.helpers import cli
from tests.unit.rules.factory import box, client_in, probe, snapshot

TYPO = '{\n  "mcpservers": {"a": {"url": "http://localhost:1/mcp"}}\n}\n'


@pytest.mark.parametrize(
    "name, content, expected, line",
    [
        (
            ".mcp.json",
            TYPO,
            'no "mcpServers" object, where Claude Code reads its servers; found "mcpservers" '
            '(did you mean "mcpServers"?)',
            2,
        ),  # fmt: skip
        (
            ".mcp.json",
            '{\n  "x": 1,\n  "mcp_servers": {}\n}',
            'found "mcp_servers" (Codex CLI\'s key; did you mean "mcpServers"?)',
            3,
        ),  # fmt: skip
        (
            ".mcp.json",
            '{\n  "servers": {}\n}',
            'found "servers" (VS Code / Copilot\'s key; did you mean "mcpServers"?)',
            2,
        ),
        (".mcp.json", '{"foo": 1, "bar": 2}', '(top-level keys: "foo", "bar")', 1),
        ("mcp.json", TYPO, 'no "mcpServers" object, where most MCP clients read their servers', 2),
        (".mcp.json", '{"projects": {"/r": {}}}', 'reads its servers (top-level keys: "projects")', 1),
        ("mcp.json", '{\n  "mcpServers": []\n}', "mcpServers must be an object mapping names to servers", 2),
        (".mcp.json", '{\n  "mcpServers": []\n}', "mcpServers must be an object mapping names to servers", 2),
        ("mcp.json", '{\n  "mcpServers": null\n}', '"mcpServers" is null, expected an object of servers', 2),
        (
            ".vscode/mcp.json",
            '{\n  "mcpServers": {}\n}',
            'no "servers" object, where VS Code / Copilot reads its '
            'servers; found "mcpServers" (Claude Code\'s key; did you mean "servers"?)',
            2,
        ),  # fmt: skip
        (
            "c.toml",
            '[mcp-servers.a]\nurl = "http://x:1/mcp"\n',
            'no "mcp_servers" table, where Codex CLI reads its '
            'servers; found "mcp-servers" (did you mean "mcp_servers"?)',
            1,
        ),  # fmt: skip
    ],
)
def test_a_named_file_without_its_clients_server_key_is_one_error_with_a_did_you_mean(
    tmp_path, name, content, expected, line
):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_config(str(path), explicit=True)
    assert expected in caught.value.reason and caught.value.line == line
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("content", ['{"mcpServers": {}}', "{}", '{"projects": {"/r": {"mcpServers": {}}}}'])
def test_explicitly_no_servers_is_not_an_error(tmp_path, content):
    path = tmp_path / ".mcp.json"
    path.write_text(content)
    assert load_config(str(path), explicit=True).entries == ()


def test_a_discovered_file_without_servers_is_normal(tmp_path):
    path = tmp_path / ".mcp.json"
    path.write_text(TYPO)
    assert load_config(str(path)).entries == ()  # ~/.claude.json often has none: not the user's mistake


def test_the_cli_says_it_in_one_line_exit_2_and_writes_nothing(tmp_path):
    path = tmp_path / ".mcp.json"
    path.write_text(TYPO)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    for command in ("doctor", "fix"):
        done = cli(command, "--config", str(path), "--no-probe")
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.splitlines() == [
            f'mcp-dockernet: {path}:2: no "mcpServers" object, where Claude Code reads its servers; '
            'found "mcpservers" (did you mean "mcpServers"?)'
        ]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before and sorted(p.name for p in tmp_path.iterdir()) == [
        ".mcp.json"
    ]
    path.write_text('{\n  "mcpServers": {}\n}\n')
    empty = cli("doctor", "--config", str(path), "--no-probe")
    assert empty.returncode == 0 and "summary: no MCP servers found" in empty.stdout


def test_dash_f_is_compose_and_format_has_no_short_form(tmp_path):
    (tmp_path / "compose.yaml").write_text(
        "services:\n  agent:\n    image: alpine\n    environment:\n      TOOLS_MCP_URL: http://tools:8000/mcp\n"
        "  tools:\n    image: alpine\n    expose: ['8000']\n"
    )
    other = tmp_path / "elsewhere"
    other.mkdir()  # run from another directory, so only -f can have found the file
    done = cli("doctor", "-f", str(tmp_path / "compose.yaml"), "--no-probe", "--format", "json", cwd=str(other))
    assert done.returncode in (0, 1), done.stderr
    assert '"name": "TOOLS_MCP_URL"' in done.stdout or "TOOLS_MCP_URL" in done.stdout
    as_format = cli("doctor", "-f", "json", "--no-probe", cwd=str(other))
    assert as_format.returncode == 2 and "json" in as_format.stderr  # a Compose file named json: no such file
    for command in ("doctor", "fix", "watch"):
        helped = cli(command, "--help", env={"COLUMNS": "200"}).stdout
        assert re.search(r"-f, --compose\b|--compose\s+-f\b", helped), helped  # click's help, or rich's
    probe_help = cli("probe", "--help", env={"COLUMNS": "200"}).stdout
    assert "--format" in probe_help and not re.search(r"-f, --format\b|--format\s+-f\b", probe_help)


@pytest.mark.parametrize("n, word, expected", [(0, "error", "0 errors"), (1, "error", "1 error"),
                                               (2, "HTTP server", "2 HTTP servers"), (1, "config file", "1 config file")])  # fmt: skip
def test_plural(n, word, expected):
    assert plural(n, word) == expected


URL = "http://localhost:8000/mcp"
AGENT = box("agent", project="a", service="agent", networks=("a_default",))
REPORTS = {
    "wrong-port": snapshot(URL, [box("srv", publish={8000: 3000})], probes=(probe("http://localhost:3000/mcp"),)),
    "localhost-in-container": snapshot(
        URL,
        [AGENT, box("tools", project="a", service="tools", networks=("a_default",), expose=(8000,), listen=(8000,))],
        client=client_in(AGENT),
    ),
    "no-shared-network": snapshot(
        "http://server:8000/mcp",
        [AGENT, box("server", project="b", service="server", networks=("b_default",), listen=(8000,))],
        client=client_in(AGENT),
    ),
    "port-not-published": snapshot(URL, [box("srv", expose=(8000,), listen=(8000,))]),
}


def rendered(snap, width: int) -> str:
    buffer = io.StringIO()
    text.render(engine.run(snap), Console(file=buffer, no_color=True, highlight=False), width=width)
    return buffer.getvalue()


def check_wrapped(narrow: str, wide: str, width: int) -> None:
    """Wrapping only moved line breaks: same words, every URL and the apply: line whole, and each line fits
    unless it is a URL or a command that may not be broken."""
    assert narrow.split() == wide.split()
    lines = narrow.splitlines()
    for url in set(re.findall(r"https?://[^\s),]+", wide)):
        assert any(url in line for line in lines), url
    for apply in (line for line in wide.splitlines() if line.strip().startswith("apply:")):
        assert apply in lines
    for line in lines:
        if len(line) > width:
            assert re.search(r"://|apply: mcp-dockernet|docker ", line), f"{len(line)} > {width}: {line!r}"


@pytest.mark.parametrize("width", [60, 120])
@pytest.mark.parametrize("code", REPORTS)
def test_text_wraps_to_the_width_with_urls_commands_and_apply_whole(code, width):
    narrow, wide = rendered(REPORTS[code], width), rendered(REPORTS[code], 10_000)
    assert code in narrow
    check_wrapped(narrow, wide, width)
    if width == 60:
        assert max(len(line) for line in wide.splitlines()) > 60  # there was something to wrap
        assert narrow != wide


def test_a_command_and_an_option_with_its_value_stay_on_one_line():
    sentence = "      fix: re-create it with  -p 127.0.0.1:8000:8000  then run docker compose -p demo up -d tools"
    lines = [sentence[s:e] for s, e in breaks(sentence, 50, 8)]
    assert any("-p 127.0.0.1:8000:8000" in line for line in lines)
    assert "docker compose -p demo up -d tools" in lines  # moved whole to a line of its own


def test_columns_sets_the_width_of_the_cli(tmp_path):
    path = tmp_path / ".mcp.json"
    path.write_text('{"mcpServers": {"a": {"type": "http", "url": "http://localhost:9/mcp"}}}')
    (tmp_path / "home").mkdir()
    by_width = {}
    for columns in ("60", "120"):
        env = {"COLUMNS": columns, "HOME": str(tmp_path / "home")}
        done = cli("doctor", "--config", ".mcp.json", "--no-probe", env=env, cwd=str(tmp_path))  # short path: wraps
        by_width[columns] = done.stdout
    assert max(len(line) for line in by_width["60"].splitlines()) <= 60 < max(map(len, by_width["120"].splitlines()))
    assert by_width["60"].split() == by_width["120"].split()
