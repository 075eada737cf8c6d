"""Legacy HTTP+SSE (2024-11-05): GET opens the stream, its `endpoint` event says where to POST."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import httpx

from mcp_dockernet.model import SSE, Layer, Outcome, ProbeResult
from mcp_dockernet.probes.wire import answer, from_message, network_error, next_event, parse_json, read_some, sse_events


async def probe_sse(client: httpx.AsyncClient, url: str, initialize: dict[str, Any]) -> ProbeResult:
    layers: list[Layer] = []
    try:
        async with client.stream("GET", url, headers={"Accept": "text/event-stream"}) as response:
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
            posted = await client.post(urljoin(url, endpoint), json=initialize)
            layers.append(
                Layer(
                    "http",
                    "ok" if posted.status_code < 300 else "failed",
                    f"POST initialize to the endpoint: HTTP {posted.status_code}",
                )
            )
            if posted.status_code >= 300:
                message = parse_json(posted.text)
                return answer(
                    url,
                    posted.status_code,
                    posted.headers.get("content-type", ""),
                    posted.headers,
                    posted.text if message is None else message,
                    layers,
                )
            data = await next_event(events, "message")
    except httpx.HTTPError as e:
        return network_error(url, e, layers)
    # Closing the GET stream ends a legacy session: the server drops it when the stream goes.
    return from_message(
        url, parse_json(data) if data is not None else None, 200, ctype, SSE, layers, "initialize over SSE"
    )
