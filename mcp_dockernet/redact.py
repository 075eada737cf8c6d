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


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|[\x00-\x08\x0b-\x1f\x7f]")
_ASSIGNMENT = re.compile(r"\b([A-Za-z_][A-Za-z0-9_.-]*)(=|:[ \t]*)((?:Bearer|Basic|Token)[ \t]+)?(\S+)", re.I)
# "NAME: value" masks only names that end as a secret does ("Authorization: ...", "api_key: ...");
# "authenticate: invalid credentials" is a message, not a secret.
_SECRET_LABEL = re.compile(r"(token|secret|passw(or)?d|api[-_]?key|apikey|authorization|credentials?|key)$", re.I)
SHORTEST_SECRET = 3  # a shorter value would mask ordinary words of the text (a "1", an "on")
# In output, a long run is a token only with letters and digits and no "/": file paths in tracebacks stay.
_OUTPUT_TOKEN = re.compile(
    r"(ghp_|gho_|ghs_|github_pat_|sk-|xox[abpr]-|glpat-)\S+|(?=[A-Za-z_=+-]*[0-9])(?=[0-9_=+-]*[A-Za-z])[A-Za-z0-9_=+-]{32,}"
)


def redact_output(lines: Iterable[str], secrets: Iterable[str] = (), width: int = 300) -> list[str]:
    """A process's output lines, fit to show: terminal escapes gone, each known secret value
    (the entry's env values, tokens in its args) masked wherever it appears, NAME=VALUE with a
    secret-looking name masked, URL credentials and token-looking words masked; each line cut to ``width``."""
    known = sorted({s for s in secrets if len(s) >= SHORTEST_SECRET}, key=len, reverse=True)
    out = []
    for line in lines:
        text = _ANSI.sub("", line[: width * 8])  # bounded work on a runaway line
        for secret in known:
            text = text.replace(secret, MASK)
        text = _ASSIGNMENT.sub(_masked_assignment, text)
        text = _URL_IN.sub(lambda m: redact_url(m.group(0)), text)
        text = _OUTPUT_TOKEN.sub(MASK, text)
        out.append(text if len(text) <= width else text[: width - 3] + "...")
    return out


def _masked_assignment(m: re.Match[str]) -> str:
    name, sep = m[1], m[2]
    secret = is_secret_name(name) if sep == "=" else bool(_SECRET_LABEL.search(name))
    return f"{name}{sep}{m[3] or ''}{MASK}" if secret else m[0]
