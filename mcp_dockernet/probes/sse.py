"""Legacy HTTP+SSE (2024-11-05): GET opens the stream, its `endpoint` event says where to POST."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import httpx

from mcp_dockernet.model import SSE, Layer, Outcome, ProbeResult
from mcp_dockernet.probes.send import Sender
from mcp_dockernet.probes.wire import answer, from_message, network_error, next_event, parse_json, read_some, sse_events


async def probe_sse(sender: Sender, url: str, initialize: dict[str, Any]) -> ProbeResult:
    layers: list[Layer] = []
    try:
        async with sender.stream("GET", url, layers, headers={"Accept": "text/event-stream"}, what="(SSE)") as response:
            status, ctype = response.status_code, response.headers.get("content-type", "")
            good = status == 200 and ctype.startswith("text/event-stream")
            layers.append(
                Layer("http", "ok" if good else "failed", f"GET (SSE): HTTP {status} {ctype or 'no content type'}")
            )
            if not good:
                text = (await read_some(response)).decode("utf-8", "replace")
                message = parse_json(text)
                return answer(url, status, ctype, response.headers, text if message is None else message, layers)
            events = sse_events(response)
            endpoint = await next_event(events, "endpoint")
            if endpoint is None:
                detail = "an event stream without the `endpoint` event"
                return ProbeResult(
                    url, Outcome.NOT_MCP, detail, http_status=200, content_type=ctype,
                    layers=(*layers, Layer("mcp", "failed", detail)),
                )  # fmt: skip
            layers.append(Layer("mcp", "ok", f"endpoint event: {endpoint.split('?')[0]}"))
            # The SDK clients resolve the endpoint against the URL they were given (mcp client/sse.py urljoin).
            posted = await _post(sender, url, urljoin(url, endpoint), initialize, layers)
            if isinstance(posted, ProbeResult):
                return posted
            data = await next_event(events, "message")
    except httpx.HTTPError as e:
        return network_error(url, e, layers)
    # Closing the GET stream ends a legacy session: the server drops it when the stream goes.
    return from_message(
        url, parse_json(data) if data is not None else None, 200, ctype, SSE, layers, "initialize over SSE"
    )


async def _post(
    sender: Sender, url: str, endpoint: str, initialize: dict[str, Any], layers: list[Layer]
) -> ProbeResult | None:
    """POST initialize to the endpoint; None when it was accepted (the answer comes on the stream)."""
    headers = {"Content-Type": "application/json"}
    what = "initialize to the endpoint"
    async with sender.stream("POST", endpoint, layers, json_body=initialize, headers=headers, what=what) as posted:
        status = posted.status_code
        layers.append(Layer("http", "ok" if status < 300 else "failed", f"POST {what}: HTTP {status}"))
        if status < 300:
            return None
        ctype = posted.headers.get("content-type", "")
        text = (await read_some(posted)).decode("utf-8", "replace")
        message = parse_json(text)
        return answer(url, status, ctype, posted.headers, text if message is None else message, layers)
