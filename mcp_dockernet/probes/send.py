"""Sending a probe's requests as a client does: its entry's headers, redirects followed, secrets kept.

- The entry's configured headers (Authorization, API keys) go with every request (POST, GET,
  DELETE) to the entry URL's own origin, and never elsewhere: a redirect that leaves the origin,
  or a probe of a candidate URL on another host or port, goes without them. (httpx itself drops
  only Authorization on a cross-origin redirect, httpx/_client.py _redirect_headers; we drop all
  of the entry's headers, since an API-key header is as secret.)
- Redirects are followed the way the SDK clients' httpx does with ``follow_redirects=True``
  (httpx/_client.py _redirect_method): 307/308 keep the method and body; 303, and 301/302 of a
  POST, become a GET without body. At most MAX_REDIRECTS hops (httpx's DEFAULT_MAX_REDIRECTS).
  Each hop is a layer; the first redirect's target and the final URL are kept for the result.
- Header values never leave: ``scrub`` blanks them out of every text a result carries (a server
  may echo a token in its error body; h11 puts an illegal header value in its exception text).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from mcp_dockernet.model import Layer, ProbeResult, ProbeTarget, same_origin
from mcp_dockernet.redact import redact_url

MAX_REDIRECTS = 20
REDIRECTS = {301, 302, 303, 307, 308}
HIDDEN = "***"
MIN_PIECE = 8  # a word of a header value this long is blanked on its own too ("Bearer TOKEN": TOKEN, not Bearer)


@dataclass
class Sender:
    """One probe's way of sending: its client, its entry URL's headers, what its redirects did."""

    client: httpx.AsyncClient
    target: ProbeTarget
    sent: list[str] = field(default_factory=list)  # names of entry headers that went out
    location: str | None = None  # the first redirect's Location, as the server wrote it
    final_url: str | None = None  # where the first redirected request ended

    def entry_headers(self, url: str) -> list[tuple[str, str]]:
        return list(self.target.headers) if self.target.headers and same_origin(url, self.target.url) else []

    @asynccontextmanager
    async def stream(
        self,
        method: str,
        url: str,
        layers: list[Layer],
        *,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        what: str = "",
    ) -> AsyncIterator[httpx.Response]:
        """The final response of ``method url`` after its redirects, streamed; closed on the way out."""
        body = None if json_body is None else json.dumps(json_body).encode()
        protocol = dict(headers or {})
        response: httpx.Response | None = None
        first = self.location is None  # the first request that is redirected names the result's redirect
        try:
            for hop in range(MAX_REDIRECTS + 1):
                response = await self._send(method, url, body, protocol)
                target = _redirect_target(response)
                if target is None or hop == MAX_REDIRECTS:
                    break
                await response.aclose()
                if first:
                    self.location = self.location or response.headers.get("location")
                    self.final_url = target
                left = bool(self.entry_headers(url)) and not same_origin(target, url)
                note = " (another origin: the entry's headers stay behind)" if left else ""
                label = f"{method} {what}".rstrip()
                detail = f"{label}: HTTP {response.status_code} redirect to {redact_url(target)}{note}"
                layers.append(Layer("http", "ok", detail))
                method, body = _redirect_method(method, response.status_code, body)
                if method == "GET":
                    protocol.pop("Content-Type", None)
                url = target
            assert response is not None
            yield response
        finally:
            if response is not None:
                await response.aclose()

    async def _send(self, method: str, url: str, body: bytes | None, protocol: dict[str, str]) -> httpx.Response:
        mine = self.entry_headers(url)
        merged = httpx.Headers(mine)
        merged.update(protocol)  # the protocol's own headers win over configured ones, as in the SDK clients
        for name, _ in mine:
            if name not in self.sent and name.lower() not in {k.lower() for k in protocol}:
                self.sent.append(name)
        request = self.client.build_request(method, url, content=body, headers=merged)
        return await self.client.send(request, stream=True)

    def finish(self, result: ProbeResult) -> ProbeResult:
        """The result with what the sending did: headers sent (names), redirects, and no secret in it."""
        done = replace(
            result,
            sent_headers=tuple(self.sent),
            headers_id=self.target.headers_id,
            location=result.location or self.location,
            final_url=result.final_url or self.final_url,
        )
        return scrub(done, [v for _, v in self.target.headers])


def _redirect_target(response: httpx.Response) -> str | None:
    location = response.headers.get("location")
    if response.status_code not in REDIRECTS or not location:
        return None
    target = urljoin(str(response.request.url), location)
    return target if urlsplit(target).scheme in ("http", "https") else None


def _redirect_method(method: str, status: int, body: bytes | None) -> tuple[str, bytes | None]:
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        return "GET", None
    return method, body


def secret_forms(values: list[str]) -> list[str]:
    """Each value as it may show up again: whole, JSON-escaped, and its longer words on their own."""
    forms: set[str] = set()
    for value in values:
        if not value:
            continue
        forms |= {value, json.dumps(value)[1:-1]}
        forms |= {w for w in value.split() if len(w) >= MIN_PIECE}
    return sorted(forms, key=len, reverse=True)


def scrub_text(text: str, forms: list[str]) -> str:
    for form in forms:
        if form in text:
            text = text.replace(form, HIDDEN)
    return text


def scrub(result: ProbeResult, values: list[str]) -> ProbeResult:
    """The result with every header value blanked out of every text field and layer."""
    forms = secret_forms(values)
    if not forms:
        return result
    changes: dict[str, Any] = {}
    for f in fields(result):
        value = getattr(result, f.name)
        if isinstance(value, str):
            changes[f.name] = scrub_text(value, forms)
    changes["layers"] = tuple(Layer(x.name, x.status, scrub_text(x.detail, forms)) for x in result.layers)
    return replace(result, **changes)
