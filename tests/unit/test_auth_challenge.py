"""WWW-Authenticate parsing: RFC 9110's own examples, the MCP authorization spec's, and what real servers send."""

from __future__ import annotations

import pytest

from mcp_dockernet.auth_challenge import Challenge, find, parse

PRM = "https://mcp.example.com/.well-known/oauth-protected-resource"

CASES = [
    # FastMCP 2.x (the Python SDK's RequireAuthMiddleware): 401 with an error even when no token was sent
    ('Bearer error="invalid_token", error_description="Authentication required"',
     [Challenge("bearer", (("error", "invalid_token"), ("error_description", "Authentication required")))]),
    ("Bearer", [Challenge("bearer")]),  # standalone FastMCP, current major: the scheme alone
    # MCP authorization spec (2025-06-18, "Authorization Server Discovery"): the metadata URL
    (f'Bearer resource_metadata="{PRM}"', [Challenge("bearer", (("resource_metadata", PRM),))]),
    (f'Bearer realm="mcp", resource_metadata="{PRM}", scope="files:read files:write"',
     [Challenge("bearer", (("realm", "mcp"), ("resource_metadata", PRM), ("scope", "files:read files:write")))]),
    # RFC 9110 11.6.1's example: two challenges in one field, a quoted-pair inside a quoted-string
    ('Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
     [Challenge("newauth", (("realm", "apps"), ("type", "1"), ("title", 'Login to "apps"'))),
      Challenge("basic", (("realm", "simple"),))]),
    # RFC 6750 3's examples
    ('Bearer realm="example"', [Challenge("bearer", (("realm", "example"),))]),
    ('Bearer realm="example", error="insufficient_scope", scope="admin"',
     [Challenge("bearer", (("realm", "example"), ("error", "insufficient_scope"), ("scope", "admin")))]),
    # token68 (RFC 9110 11.2), and a token68 followed by another challenge
    ("Negotiate YIIB+gYGKwYBBQUCoIIB7jCC==", [Challenge("negotiate", token68="YIIB+gYGKwYBBQUCoIIB7jCC==")]),
    ("Basic abc123, Bearer", [Challenge("basic", token68="abc123"), Challenge("bearer")]),
    # case, whitespace around "=", empty list elements (RFC 9110 5.6.1), scheme-only challenges in a list
    ('BEARER   Realm = "x" ,, Error=invalid_token', [Challenge("bearer", (("realm", "x"), ("error", "invalid_token")))]),
    ("Basic, Bearer", [Challenge("basic"), Challenge("bearer")]),
    # two header lines joined by a comma, as HTTP libraries join them
    ('Basic realm="a", Bearer resource_metadata="https://x/m"',
     [Challenge("basic", (("realm", "a"),)), Challenge("bearer", (("resource_metadata", "https://x/m"),))]),
    # malformed: never raises, keeps what it can read
    ('Bearer realm="unterminated', [Challenge("bearer", (("realm", "unterminated"),))]),
    ('Bearer realm="a" junk, error="e"', [Challenge("bearer", (("error", "e"),))]),
    ("=, Bearer", [Challenge("bearer")]),
    ("", []),
    (None, []),
]  # fmt: skip


@pytest.mark.parametrize("header, expected", CASES)
def test_parse(header, expected):
    assert list(parse(header)) == expected


def test_lookups_ignore_case():
    challenges = parse('Basic realm="a", Bearer Resource_Metadata="https://x/m"')
    bearer = find(challenges, "Bearer")
    assert bearer is not None and bearer.param("resource_metadata") == "https://x/m"
    assert find(challenges, "digest") is None and bearer.param("scope") is None
