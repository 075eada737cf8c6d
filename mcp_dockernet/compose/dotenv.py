"""`.env` and `env_file` files, with the syntax Compose accepts (research doc 1.3).

``KEY=value`` or ``KEY: value``, an optional ``export``, ``#`` comments (after an unquoted value
only with a space before), single quotes literal, double quotes with escapes, and interpolation
of unquoted and double-quoted values (the given environment first, then earlier keys).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from mcp_dockernet.compose.interpolate import Lookup, TemplateError, substitute
from mcp_dockernet.errors import ConfigError

KEY = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*([=:])?[ \t]*")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "$": "$$", "b": "\b", "f": "\f", "v": "\v"}


def parse_dotenv(text: str, path: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The file's variables in order; a later line overrides an earlier one."""
    environ = environ or {}
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    values: dict[str, str] = {}
    pos, line = 0, 1
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        stripped = text[pos:end].strip()
        if not stripped or stripped.startswith("#"):
            pos, line = end + 1, line + 1
            continue
        m = KEY.match(text, pos)
        if not m or m.end() > end + 1:
            raise ConfigError(path, f"cannot read the line {stripped[:40]!r} as KEY=value", line)
        key, sep = m.group(1), m.group(2)
        if sep is None:  # a bare name takes its value from the environment, when it has one
            if text[m.end() : end].strip():
                raise ConfigError(path, f"cannot read the line {stripped[:40]!r} as KEY=value", line)
            if key in environ:
                values[key] = environ[key]
            pos, line = end + 1, line + 1
            continue
        value, pos, used = _value(text, m.end(), path, line, environ, values)
        values[key] = value
        line += used
    return values


def _value(
    text: str, pos: int, path: str, line: int, environ: Mapping[str, str], earlier: Mapping[str, str]
) -> tuple[str, int, int]:
    """The value starting at pos, the position after its line, and how many lines it took."""

    def lookup(name: str) -> str | None:
        return environ.get(name, earlier.get(name))

    quote = text[pos : pos + 1]
    if quote in ("'", '"'):
        close = pos + 1
        while True:
            close = text.find(quote, close)
            if close < 0:
                raise ConfigError(path, f"the value's {quote} quote is never closed", line)
            if quote == "'" or not _escaped(text, close):
                break
            close += 1
        body = text[pos + 1 : close]
        nl = text.find("\n", close)
        after = len(text) if nl < 0 else nl + 1
        lines = 1 + body.count("\n")
        if quote == "'":
            return body, after, lines
        body = re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), "\\" + m.group(1)), body)
        return _interpolate(body, lookup, path, line), after, lines
    nl = text.find("\n", pos)
    end = len(text) if nl < 0 else nl
    raw = text[pos:end]
    comment = re.search(r"\s#", raw)
    if comment:
        raw = raw[: comment.start()]
    return _interpolate(raw.strip(), lookup, path, line), end + 1, 1


def _escaped(text: str, i: int) -> bool:
    backslashes = 0
    while i - 1 - backslashes >= 0 and text[i - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _interpolate(value: str, lookup: Lookup, path: str, line: int) -> str:
    try:
        return substitute(value, lookup)
    except TemplateError as e:
        raise ConfigError(path, f"invalid interpolation in {value!r}: {e}", line) from None


def read_dotenv(path: str, environ: Mapping[str, str] | None = None, required: bool = True) -> dict[str, str]:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        if required:
            raise ConfigError(path, "no such env file") from None
        return {}
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(path, f"cannot read the env file: {e}") from None
    return parse_dotenv(text, path, environ)
