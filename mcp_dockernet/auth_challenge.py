"""WWW-Authenticate challenges parsed into data: which scheme a server asks for, with which parameters.

Grammar (RFC 9110 11.6.1 and 11.2)::

    WWW-Authenticate = #challenge
    challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
    auth-param  = token BWS "=" BWS ( token / quoted-string )
    token68     = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="

Challenges and their parameters share the comma as separator: an item of the form ``name=value``
is a parameter of the current challenge, a bare token starts the next one. Scheme and parameter
names are case-insensitive (lower-cased here); values keep their case. Malformed text never
raises: what cannot be read is skipped up to the next comma. A challenge carries no secret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_TOKEN68 = re.compile(r"[A-Za-z0-9._~+/-]+=*")


@dataclass(frozen=True, slots=True)
class Challenge:
    scheme: str  # lower case: "bearer", "basic", ...
    params: tuple[tuple[str, str], ...] = ()  # (lower-case name, value) in the order given
    token68: str | None = None

    def param(self, name: str) -> str | None:
        return next((v for n, v in self.params if n == name.lower()), None)


def parse(header: str | None) -> tuple[Challenge, ...]:
    """Every challenge of a WWW-Authenticate value (several header lines may be joined with commas)."""
    return tuple(_Reader(header or "").challenges())


def find(challenges: tuple[Challenge, ...], scheme: str) -> Challenge | None:
    return next((c for c in challenges if c.scheme == scheme.lower()), None)


class _Reader:
    def __init__(self, text: str):
        self.t, self.i = text, 0

    def after_ows(self, i: int) -> int:
        while i < len(self.t) and self.t[i] in " \t":
            i += 1
        return i

    def skip(self) -> None:
        self.i = self.after_ows(self.i)

    def separators(self) -> None:
        while self.i < len(self.t) and self.t[self.i] in ", \t":
            self.i += 1

    def to_next_comma(self) -> None:
        while self.i < len(self.t) and self.t[self.i] != ",":
            self.i += 2 if self.t[self.i] == "\\" else 1

    def challenges(self) -> list[Challenge]:
        found: list[Challenge] = []
        self.separators()
        while self.i < len(self.t):
            scheme = _TOKEN.match(self.t, self.i)
            if scheme is None:
                self.to_next_comma()
                self.separators()
                continue
            self.i = scheme.end()
            found.append(self.rest(scheme.group().lower()))
        return found

    def rest(self, scheme: str) -> Challenge:
        """What follows a scheme: a token68, or parameters until a bare token starts the next challenge."""
        if self.i < len(self.t) and self.t[self.i] not in " \t,":
            self.to_next_comma()  # "Bearer;x": not a challenge we can read further
            self.separators()
            return Challenge(scheme)
        self.skip()
        token68 = self.token68()
        if token68 is not None:
            self.separators()
            return Challenge(scheme, token68=token68)
        params: list[tuple[str, str]] = []
        while self.i < len(self.t):
            start = self.i
            param = self.param()
            if param is None:
                self.i = start
                name = _TOKEN.match(self.t, self.i)
                if name is not None and not self.t.startswith("=", self.after_ows(name.end())):
                    break  # a bare token: the next challenge's scheme
                self.to_next_comma()
            else:
                params.append(param)
            self.separators()
        return Challenge(scheme, tuple(params))

    def token68(self) -> str | None:
        m = _TOKEN68.match(self.t, self.i)
        if m is None:
            return None
        end = self.after_ows(m.end())
        if end < len(self.t) and self.t[end] != ",":
            return None  # "realm=..." or "a b": parameters, not a token68
        self.i = end  # a lone word after "Scheme ": a token68 (a next challenge would follow a comma)
        return m.group()

    def param(self) -> tuple[str, str] | None:
        name = _TOKEN.match(self.t, self.i)
        if name is None:
            return None
        self.i = name.end()
        self.skip()
        if not self.t.startswith("=", self.i):
            return None
        self.i += 1
        self.skip()
        if self.t.startswith('"', self.i):
            value = self.quoted()
        else:
            token = _TOKEN.match(self.t, self.i)
            if token is None:
                return None
            self.i = token.end()
            value = token.group()
        self.skip()
        if self.i < len(self.t) and self.t[self.i] != ",":
            return None
        return name.group().lower(), value

    def quoted(self) -> str:
        """A quoted-string's content with its quoted-pairs undone (an unterminated one runs to the end)."""
        out: list[str] = []
        self.i += 1
        while self.i < len(self.t):
            c = self.t[self.i]
            if c == "\\" and self.i + 1 < len(self.t):
                out.append(self.t[self.i + 1])
                self.i += 2
                continue
            self.i += 1
            if c == '"':
                break
            out.append(c)
        return "".join(out)
