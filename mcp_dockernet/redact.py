"""One place that hides secrets before anything is shown: URLs, config text, evidence."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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


# Words that are credentials whatever flag they follow: GitHub, OpenAI/Anthropic, Slack, GitLab
# token prefixes, and long runs of hex or base64 with a digit in them (keys, JWT parts). "/" ends a
# run: paths and scoped package names (@modelcontextprotocol/server-filesystem) are not secrets.
_TOKEN = re.compile(r"(ghp_|gho_|ghs_|github_pat_|sk-|xox[abpr]-|glpat-)\S+|(?=[A-Za-z+_=-]*\d)[A-Za-z0-9+_=-]{32,}")
_URL_IN = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.I)


def _word(word: str) -> str:
    masked = _URL_IN.sub(lambda m: redact_url(m.group(0)), word)
    return _TOKEN.sub(MASK, masked)


def is_secret_word(word: str) -> bool:
    """A word that is a credential whatever its key: a token, or a URL with credentials in it."""
    return _word(word) != word


def is_secret_assignment(word: str) -> bool:
    """NAME=VALUE with a secret-looking NAME (an env assignment such as docker's -e API_KEY=...)."""
    name, eq, value = word.partition("=")
    return bool(eq and value) and is_secret_name(name)


def _pair(name_value: str) -> str:
    """NAME=VALUE (an env assignment, a --flag=value): the value masked when the name looks secret."""
    name, eq, value = name_value.partition("=")
    if not eq:
        return _word(name_value)
    return f"{name}={MASK}" if is_secret_name(name.lstrip("-")) else f"{name}={_word(value)}"


_HEADER_FLAGS = frozenset({"--header", "-H", "--headers"})
_ENV_FLAGS = frozenset({"-e", "--env"})


def redact_argv(command: str, args: Sequence[str]) -> list[str]:
    """A command line with its secrets masked: values of secret-looking flags and env names,
    header values, URL credentials and token-looking words."""
    out = [_word(command)]
    previous = ""
    for arg in args:
        if previous in _HEADER_FLAGS:
            name, colon, _ = arg.partition(":")
            out.append(f"{name}: {MASK}" if colon else MASK)
        elif previous in _ENV_FLAGS or (arg.startswith("-") and "=" in arg):
            out.append(_pair(arg) if not arg.startswith("--env=") else "--env=" + _pair(arg[6:]))
        elif previous.startswith("-") and is_secret_name(previous.lstrip("-")) and "=" not in previous:
            out.append(MASK)
        else:
            out.append(_word(arg))
        previous = arg
    return out


def redact_env(env: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Environment variables with every secret-looking value masked."""
    return [(k, MASK if is_secret_name(k) else _word(v)) for k, v in env]
