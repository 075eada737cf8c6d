"""One place that hides secrets before anything is shown: URLs, config text, evidence."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mcp_dockernet.model import Span

MASK = "***"
# Key names whose values are secrets wherever they appear (query parameters, config keys).
SECRET_NAME = re.compile(r"(token|secret|passw|api[-_]?key|apikey|auth|credential|session|signature|sig$|key$)", re.I)


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


def redact_url(url: str) -> str:
    """The URL with any password and any secret-looking query value masked."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{MASK}@{hostport}" if ":" in userinfo else f"{MASK}@{hostport}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(is_secret_name(k) for k, _ in pairs):
            query = urlencode([(k, MASK if is_secret_name(k) else v) for k, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_text(text: str, spans: Iterable[Span]) -> str:
    """The text with each secret span replaced by a quoted mask (offsets refer to ``text``)."""
    out: list[str] = []
    last = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < last:
            continue
        out.append(text[last : span.start])
        out.append(f'"{MASK}"')
        last = span.end
    out.append(text[last:])
    return "".join(out)
