"""auth-required: a 401 (or a 403 with a challenge) is the network working; the finding says what is asked and carried."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mcp_dockernet.model import Outcome, ProbeResult, Snapshot, headers_fingerprint
from mcp_dockernet.report import Severity
from mcp_dockernet.rules import RULES
from tests.unit.rules.factory import box, judge, probe, snapshot

URL = "http://localhost:8000/mcp"
PRM = "http://localhost:8000/.well-known/oauth-protected-resource"
SECRET = "s3cr3t-value"


def answer(status: int, challenge: str | None, body: str = "", sent: tuple[str, ...] = ()) -> ProbeResult:
    return ProbeResult(
        URL,
        Outcome.HTTP_ERROR,
        f"HTTP {status}",
        http_status=status,
        content_type="application/json",
        body=body,
        www_authenticate=challenge,
        sent_headers=sent,
        requested_transport="streamable-http",  # the factory entry's transport: probe_of keys on it
    )


def with_entry(snap: Snapshot, **fields: object) -> Snapshot:
    config = snap.configs[0]
    entry = replace(config.entries[0], **fields)  # type: ignore[arg-type]
    # The probe was sent with the entry's headers, so it carries their fingerprint (its ProbeKey).
    probes = tuple(replace(p, headers_id=headers_fingerprint(entry.headers)) for p in snap.probes)
    return replace(snap, configs=(replace(config, entries=(entry,)),), probes=probes)


# (case, probe, entry fields, words the message holds, words the fix holds)
CASES = [
    (
        "FastMCP 2: the SDK middleware's invalid_token, no token sent",
        answer(401, 'Bearer error="invalid_token", error_description="Authentication required"',
               '{"error": "invalid_token", "error_description": "Authentication required"}'),
        {},
        ["HTTP 401", "the URL is right", "a bearer token", "invalid_token", "no token was sent", "no credentials"],
        ['"headers": {"Authorization": "Bearer <token>"}', "the URL needs no change"],
    ),
    (
        "FastMCP current major: an empty 401 with the scheme alone",
        answer(401, "Bearer"),
        {},
        ["a bearer token", "no credentials"],
        ["Bearer <token>"],
    ),
    (
        "MCP authorization spec: OAuth discovery through resource_metadata",
        answer(401, f'Bearer resource_metadata="{PRM}", scope="mcp:tools"'),
        {},
        ["through OAuth: the client must log in", PRM, "scope mcp:tools"],
        ["log in from the client", PRM],
    ),
    (
        "a token sent and refused for its scope (RFC 6750 3.1)",
        answer(403, 'Bearer error="insufficient_scope", scope="admin"', sent=("authorization",)),
        {"headers": (("Authorization", f"Bearer {SECRET}"),)},
        ["HTTP 403", "lacks a scope", "the probe sent the entry's Authorization and the server refused it"],
        ["renew the token"],
    ),
    (
        "a header the probe could not fill in (${input:token})",
        answer(401, "Bearer"),
        {"unresolved_headers": ("Authorization",), "headers": (("X-Team", SECRET),)},
        ["Authorization is set from a value unknown here", "the probe went without it", "the entry sends X-Team"],
        ["if the client has the value of Authorization when it connects"],
    ),
    (
        "Codex: the key it reads a token from",
        answer(401, 'Basic realm="gw", Bearer'),
        {"client": "codex"},
        ['HTTP Basic credentials (realm "gw") or a bearer token'],
        ["bearer_token_env_var"],
    ),
    (
        "a 401 without any challenge",
        answer(401, None, "<html>401</html>"),
        {},
        ["no WWW-Authenticate challenge says which scheme"],
        ["the URL needs no change"],
    ),
]  # fmt: skip


@pytest.mark.parametrize("case, answered, fields, said, fixed", CASES, ids=[c[0] for c in CASES])
def test_auth_answers_are_their_own_verdict(case, answered, fields, said, fixed):
    snap = with_entry(snapshot(URL, probes=(answered,)), **fields)
    codes, server = judge(snap)
    assert codes == ["auth-required"]
    assert server.status == "warning" and not any("no known cause" in n for n in server.notes)
    finding = server.findings[0]
    for words in said:
        assert words in finding.message
    for words in fixed:
        assert words in finding.fix
    assert finding.suggested_url is None  # the URL is right: nothing to rewrite
    shown = " ".join((finding.message, finding.fix, *finding.evidence))
    assert SECRET not in shown


@pytest.mark.parametrize(
    "answered",
    [
        probe(URL),  # an MCP answer
        answer(403, None, '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Invalid Host: localhost"},"id":null}'),
        answer(404, None, "Cannot POST /x"),
        answer(421, None, "Misdirected Request"),
    ],
)
def test_other_answers_are_not_auth(answered):
    codes, _ = judge(snapshot(URL, probes=(answered,)))
    assert "auth-required" not in codes


def test_an_answer_refutes_the_reachability_findings():
    """The same setting judged twice: refused, wrong-port says why; answered 401, only auth-required stands."""
    url = "http://localhost:3000/mcp"
    server = box("srv", expose=(3000,), publish={3000: 3001}, listen=(3000,))
    codes, _ = judge(snapshot(url, [server], probes=(probe(url, ok=False),)))
    assert "wrong-port" in codes
    refused = replace(answer(401, "Bearer"), url=url)
    codes, report = judge(snapshot(url, [server], probes=(refused,)))
    assert codes == ["auth-required"] and report.status == "warning"


def test_registered_with_its_precedence():
    rule = RULES["auth-required"]
    assert rule.SEVERITY is Severity.WARNING
    assert {"not-mcp", "host-header-rejected", "wrong-path", "timeout"} <= rule.SUPERSEDES
    assert "proxy-interference" not in rule.SUPERSEDES  # a proxy in the way can hold beside an answer
    assert set(rule.SUPERSEDES) <= set(RULES)
