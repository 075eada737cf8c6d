"""The server answers, and asks for credentials: the network path and the URL are right.

Fails when: the entry's probe gets 401 Unauthorized, or 403 Forbidden with a ``WWW-Authenticate``
challenge (RFC 9110 15.5.2 / 11.6.1; RFC 6750 3 for ``insufficient_scope``). The finding says what
the server asked for: the scheme, OAuth discovery through ``resource_metadata`` (MCP authorization
spec: the client must log in), the server's ``error`` (``invalid_token``: a token was refused;
the Python SDK's auth middleware, used by FastMCP 2, says so for a missing token too), and which
headers the entry sends: their names only, never their values, and those whose value is unknown
here (``${input:...}``, an unset variable), which the probe had to go without.
Passes when: the server answers the MCP handshake, or refuses for another reason.
Fix: log in from the client (OAuth), or give the entry the credentials the server expects; the
URL stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.auth_challenge import Challenge, parse
from mcp_dockernet.model import ProbeResult, ServerEntry, Snapshot
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._common import layer_lines

CODE = "auth-required"
SEVERITY = Severity.WARNING
NEEDS: frozenset[str] = frozenset()
# An HTTP answer at the URL from the client's own vantage refutes every "cannot reach it" cause,
# and explains the symptoms (no MCP handshake, the fallback "no known cause"). Kept: the causes
# that can hold beside an answer (a proxy in the way; localhost reaching one IP family only).
SUPERSEDES = frozenset(
    {
        "not-mcp",
        "host-header-rejected",
        "wrong-path",
        "transport-mismatch",
        "timeout",
        "wrong-port",
        "port-not-published",
        "server-not-running",
        "localhost-in-container",
        "host-gateway-missing",
        "host-loopback-bind",
        "unknown-host",
        "no-shared-network",
        "default-bridge-no-dns",
        "loopback-bind",
    }
)
# Where each client takes a token, for the fix text (docs/research/mcp-clients.md, PART 1).
TOKEN_KEY = {
    "codex": 'bearer_token_env_var = "VAR" (Codex sends Authorization: Bearer $VAR)',
    "continue": "apiKey (Continue sends Authorization: Bearer KEY) or requestOptions.headers",
    "claude-desktop": 'mcp-remote\'s args: "--header", "Authorization: Bearer ${TOKEN}" with TOKEN in "env"',
}
ERRORS = {
    "invalid_token": "the server says invalid_token",
    "insufficient_scope": "the token is accepted but lacks a scope the server requires",
    "invalid_request": "the server says the request is malformed (invalid_request)",
}


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        probe = route.probe
        if probe is None or probe.ok or not asks_for_auth(probe):
            continue
        challenges = parse(probe.www_authenticate)
        carried, sent_any = _credentials(route.entry, probe)
        asked, oauth = _asked(challenges, sent_any)
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=f"the server answers HTTP {probe.http_status}: the network path works and the URL is right, "
            f"it wants credentials: {asked}; {carried}",
            fix=_fix(route.entry, challenges, oauth, sent_any),
            evidence=layer_lines(probe)
            + ((f"WWW-Authenticate: {probe.www_authenticate[:300]}",) if probe.www_authenticate else ()),
        )


def asks_for_auth(probe: ProbeResult) -> bool:
    return probe.http_status == 401 or (probe.http_status == 403 and bool(probe.www_authenticate))


def _asked(challenges: tuple[Challenge, ...], sent_any: bool) -> tuple[str, str | None]:
    """What the server asked for, in words, and the resource_metadata URL when it asks for OAuth."""
    if not challenges:
        return "no WWW-Authenticate challenge says which scheme", None
    words, oauth = [], None
    for c in challenges:
        text = _scheme_words(c)
        metadata = c.param("resource_metadata")
        if metadata:
            oauth = oauth or metadata
            text += f" through OAuth: the client must log in, discovery starts at {redact_url(metadata)}"
        if c.param("scope"):
            text += f" (scope {c.param('scope')})"
        error = c.param("error")
        if error:
            text += f"; {ERRORS.get(error, f'the server says {error}')}"
            description = c.param("error_description")
            if description:
                text += f" ({description[:120]})"
            if error == "invalid_token" and not sent_any:
                text += ", though no token was sent: the Python SDK's auth middleware says so for a missing one too"
        words.append(text)
    return " or ".join(words), oauth


def _scheme_words(c: Challenge) -> str:
    realm = f' (realm "{c.param("realm")}")' if c.param("realm") else ""
    if c.scheme == "bearer":
        return f"a bearer token{realm}"
    if c.scheme == "basic":
        return f"HTTP Basic credentials{realm}"
    return f"the {c.scheme} scheme{realm}"


def _credentials(entry: ServerEntry, probe: ProbeResult) -> tuple[str, bool]:
    """Which headers the entry carries and which of them the probe sent (names only), in words."""
    names = [n for n, _ in entry.headers]
    sent = [n for n in names if n.lower() in {s.lower() for s in probe.sent_headers}]
    parts = []
    if sent:
        parts.append(f"the probe sent the entry's {', '.join(sent)} and the server refused it")
    unsent = [n for n in names if n not in sent]
    if unsent:
        parts.append(f"the entry sends {', '.join(unsent)}, which this probe did not send")
    for name in entry.unresolved_headers:
        parts.append(
            f"{name} is set from a value unknown here (a placeholder or an unset variable): the probe went without it"
        )
    if not parts:
        parts.append("the entry carries no credentials (no headers)")
    return "; ".join(parts), bool(sent)


def _fix(entry: ServerEntry, challenges: tuple[Challenge, ...], oauth: str | None, sent_any: bool) -> str:
    where = TOKEN_KEY.get(entry.client, '"headers": {"Authorization": "Bearer <token>"}')
    keep = "the URL needs no change"
    if sent_any:
        return f"the credentials the entry sends are refused: renew the token or use one issued for this server; {keep}"
    if entry.unresolved_headers:
        names = ", ".join(entry.unresolved_headers)
        return f"nothing to change if the client has the value of {names} when it connects; otherwise set it; {keep}"
    if oauth:
        return f"log in from the client (it finds the authorization server through {redact_url(oauth)}), or set a token: {where}; {keep}"
    if any(c.scheme == "basic" for c in challenges) and not any(c.scheme == "bearer" for c in challenges):
        return f'send the credentials: "headers": {{"Authorization": "Basic <base64 of user:password>"}}; {keep}'
    return f"give the entry the token the server expects: {where}; {keep}"
