"""An entry's headers, per client format: the values its client sends, the names it cannot, and their secrecy."""

from __future__ import annotations

import pytest

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig.clients import CLIENTS
from mcp_dockernet.mcpconfig.mcp_config import load_config

TOKEN = "tok-5f3a9c"  # the value the environment holds for $TOKEN
ENV = {"TOKEN": TOKEN, "EMPTY": ""}

# (client, file name, text, {entry: (headers sent, names unresolved)})
CASES = [
    (
        "claude-code",
        ".mcp.json",
        '{"mcpServers": {"a": {"type": "http", "url": "http://localhost:1/mcp", "headers": {'
        '"Authorization": "Bearer ${TOKEN}", "X-Team": "${TEAM:-core}", "X-Missing": "${NOPE}"}}}}',
        {"a": ((("Authorization", f"Bearer {TOKEN}"), ("X-Team", "core")), ("X-Missing",))},
    ),
    (
        "cursor",
        "mcp.json",
        '{"mcpServers": {"a": {"url": "http://localhost:1/mcp", "headers": {'
        '"Authorization": "Bearer ${env:TOKEN}", "X-Bare": "$TOKEN", "X-Home": "${workspaceFolder}/x"}}}}',
        # Cursor has no bare $VAR: it is sent as written; ${workspaceFolder} is not known here
        {"a": ((("Authorization", f"Bearer {TOKEN}"), ("X-Bare", "$TOKEN")), ("X-Home",))},
    ),
    (
        "vscode",
        "mcp.json",
        '{\n  // comments\n  "servers": {"a": {"type": "http", "url": "http://localhost:1/mcp",\n'
        '    "headers": {"Authorization": "Bearer ${input:token}", "X-Env": "${env:TOKEN}",},},},\n}',
        {"a": ((("X-Env", TOKEN),), ("Authorization",))},
    ),
    (
        "windsurf",
        "mcp_config.json",
        '{"mcpServers": {"a": {"serverUrl": "http://localhost:1/mcp", "headers": {"Authorization": "Bearer ${env:EMPTY}"}}}}',
        {"a": ((("Authorization", "Bearer"),), ())},  # set but empty: sent empty, as the client does
    ),
    (
        "gemini",
        "settings.json",
        '{"mcpServers": {"a": {"httpUrl": "http://localhost:1/mcp", "headers": {"Authorization": "Bearer $TOKEN"}}}}',
        {"a": ((("Authorization", f"Bearer {TOKEN}"),), ())},  # Gemini CLI expands bare $VAR too
    ),
    (
        "cline",
        "cline_mcp_settings.json",
        '{"mcpServers": {"a": {"transport": {"type": "streamableHttp", "url": "http://localhost:1/mcp",'
        ' "headers": {"X-Key": "k1"}}}}}',
        {"a": ((("X-Key", "k1"),), ())},  # the Cline CLI's nested transport object
    ),
    (
        "zed",
        "settings.json",
        '{"context_servers": {"a": {"url": "http://localhost:1/mcp", "headers": {"Authorization": "Bearer ${TOKEN}"}}}}',
        {"a": ((("Authorization", "Bearer ${TOKEN}"),), ())},  # Zed expands nothing
    ),
    (
        "continue",
        "config.yaml",
        "mcpServers:\n  - name: a\n    type: streamable-http\n    url: http://localhost:1/mcp\n"
        "    requestOptions:\n      headers:\n        Authorization: Bearer old\n        X-Org: ${{ secrets.ORG }}\n"
        "    apiKey: key-1\n  - name: b\n    url: http://localhost:2/mcp\n    apiKey: ${{ secrets.KEY }}\n",
        # apiKey wins over the configured Authorization; secrets live in Continue's hub
        {"a": ((("Authorization", "Bearer key-1"),), ("X-Org",)), "b": ((), ("Authorization",))},
    ),
    (
        "goose",
        "config.yaml",
        "extensions:\n  a:\n    type: streamable_http\n    uri: http://localhost:1/mcp\n    headers:\n"
        "      Authorization: Bearer lit\n",
        {"a": ((("Authorization", "Bearer lit"),), ())},
    ),
    (
        "codex",
        "config.toml",
        '[mcp_servers.a]\nurl = "http://localhost:1/mcp"\nbearer_token_env_var = "TOKEN"\n'
        'http_headers = { "X-Region" = "eu" }\nenv_http_headers = { "X-Env" = "TOKEN", "X-Gone" = "NOPE" }\n'
        '[mcp_servers.b]\nurl = "http://localhost:2/mcp"\nbearer_token_env_var = "NOPE"\n',
        {
            "a": ((("X-Region", "eu"), ("X-Env", TOKEN), ("Authorization", f"Bearer {TOKEN}")), ("X-Gone",)),
            "b": ((), ("Authorization",)),
        },
    ),
    (
        "claude-desktop",
        "claude_desktop_config.json",
        '{"mcpServers": {'
        '"a": {"command": "npx", "args": ["mcp-remote", "http://localhost:1/mcp", "--header", "Authorization:${AUTH}",'
        ' "--header", "X-Two: ${TOKEN}", "--header", "not a header", "--header=X-Eq: 1"], "env": {"AUTH": "Bearer e1"}},'
        '"b": {"command": "npx", "args": ["mcp-remote", "http://localhost:2/mcp", "--header", "Authorization: Bearer ${NOPE}"]},'
        '"c": {"command": "npx", "args": ["-y", "supergateway", "--streamableHttp", "http://localhost:3/mcp",'
        ' "--oauth2Bearer", "${TOKEN}", "--header=X-Eq: 1", "--header", "X-Empty:"]},'
        '"d": {"command": "uvx", "args": ["mcp-proxy", "http://localhost:4/sse", "-H", "Authorization", "Bearer p1"]}'
        "}}",
        {
            # mcp-remote reads only "--header VALUE" and drops a value that is no "Name: value"
            "a": ((("Authorization", "Bearer e1"), ("X-Two", TOKEN)), ()),
            "b": ((), ("Authorization",)),
            # supergateway (yargs) takes --flag=value too, and ignores a header with an empty value
            "c": ((("Authorization", f"Bearer {TOKEN}"), ("X-Eq", "1")), ()),
            "d": ((("Authorization", "Bearer p1"),), ()),
        },
    ),
]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NOPE", "TEAM", "AUTH"):
        monkeypatch.delenv(name, raising=False)
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("client, name, text, expected", CASES, ids=[c[0] for c in CASES])
def test_headers_as_the_client_sends_them(tmp_path, env, client, name, text, expected):
    path = tmp_path / name
    path.write_text(text)
    config = load_config(str(path), CLIENTS[client])
    got = {e.name: (e.headers, e.unresolved_headers) for e in config.entries}
    assert got == expected
    shown = [config.text[s.start : s.end] for s in config.secret_spans]
    for entry in config.entries:  # every configured literal value is a secret span of the file
        for _, value in entry.headers:
            literal = value.split()[-1] if value.split() else value
            if literal in text:
                assert any(literal in s for s in shown), (entry.name, literal)
        assert TOKEN not in repr(entry)  # repr=False keeps values out of tracebacks and logs


def test_every_header_value_span_is_secret(tmp_path, env):
    """The raw values as written (placeholders included) are the spans the renderers and diffs mask."""
    text = CASES[-1][2]
    path = tmp_path / "claude_desktop_config.json"
    path.write_text(text)
    config = load_config(str(path), CLIENTS["claude-desktop"])
    shown = {config.text[s.start : s.end].strip('"') for s in config.secret_spans}
    for raw in ("Authorization:${AUTH}", "X-Two: ${TOKEN}", "Bearer e1", "--header=X-Eq: 1", "${TOKEN}", "Bearer p1"):
        assert raw in shown, raw
    path = tmp_path / "config.toml"
    path.write_text(CASES[-2][2])
    config = load_config(str(path), CLIENTS["codex"])
    shown = {config.text[s.start : s.end].strip('"') for s in config.secret_spans}
    assert {"eu", "TOKEN", "NOPE"} <= shown


@pytest.mark.parametrize(
    "headers, problem",
    [
        ('"headers": ["Authorization: x"]', "mcpServers.a.headers must map header names to values"),
        ('"headers": {"Authorization": 42}', "mcpServers.a.headers.Authorization must be a string"),
        ('"headers": {"Bad Name": "x"}', "'Bad Name' is not an HTTP header name"),
        ('"headers": {"X-A": "line\\nbreak"}', "X-A holds a line break"),
    ],
)
def test_bad_headers_are_one_error_naming_file_and_line(tmp_path, headers, problem):
    path = tmp_path / ".mcp.json"
    path.write_text('{\n"mcpServers": {\n"a": {"type": "http", "url": "http://localhost:1/mcp",\n' + headers + "}}}")
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    message = str(caught.value)
    assert problem in message and str(path) in message and ":3" in message
    assert "line\nbreak" not in message
