from __future__ import annotations

import pytest

from mcp_dockernet.redact import redact_url


@pytest.mark.parametrize(
    "url, shown",
    [
        ("http://localhost:8000/mcp", "http://localhost:8000/mcp"),
        ("http://u:pw@host:1/mcp", "http://u:***@host:1/mcp"),
        ("http://tok@host/mcp", "http://***@host/mcp"),
        ("http://h/mcp?api_key=abc&x=1", "http://h/mcp?api_key=***&x=1"),
        ("http://h/mcp?access_token=abc", "http://h/mcp?access_token=***"),
    ],
)
def test_redact_url(url, shown):
    assert redact_url(url) == shown


def test_command_lines_keep_their_shape_and_lose_their_secrets() -> None:
    from mcp_dockernet.redact import redact_argv, redact_env

    argv = redact_argv(
        "docker",
        ["run", "-i", "-e", "GITHUB_TOKEN", "-e", "API_KEY=sk-live-123", "--env=DB_PASSWORD=hunter2", "img",
         "--api-key", "plain-value", "--token=abc", "postgresql://u:pw@localhost:5432/db", "-H", "Authorization: Bearer x",
         "ghp_0123456789abcdef", "@modelcontextprotocol/server-filesystem", "/srv/data", "LOG=debug"],
    )  # fmt: skip
    assert argv == [
        "docker", "run", "-i", "-e", "GITHUB_TOKEN", "-e", "API_KEY=***", "--env=DB_PASSWORD=***", "img",
        "--api-key", "***", "--token=***", "postgresql://u:***@localhost:5432/db", "-H", "Authorization: ***",
        "***", "@modelcontextprotocol/server-filesystem", "/srv/data", "LOG=debug",
    ]  # fmt: skip
    shown = " ".join(argv)
    for secret in ("sk-live-123", "hunter2", "plain-value", "abc", ":pw@", "Bearer x", "ghp_"):
        assert secret not in shown
    assert redact_env([("GITHUB_TOKEN", "ghp_x"), ("LOG_LEVEL", "debug"), ("DSN", "http://a:b@h/")]) == [
        ("GITHUB_TOKEN", "***"), ("LOG_LEVEL", "debug"), ("DSN", "http://a:***@h/"),
    ]  # fmt: skip
