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
