"""ProbeResult <-> plain dicts: the probe command's JSON and the helper container's answer."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from mcp_dockernet.model import Layer, Outcome, ProbeResult

PROTOCOL = "mcp-dockernet/probe-batch/v1"  # what a helper container prints; checked by the caller


def to_dict(p: ProbeResult) -> dict[str, Any]:
    data = asdict(p)
    data["outcome"] = p.outcome.value
    data["connects"] = [list(c) for c in p.connects]
    data["failed_layer"] = p.failed_layer.name if p.failed_layer else None
    return data


def from_dict(data: dict[str, Any]) -> ProbeResult:
    known = {f.name for f in fields(ProbeResult)}
    values = {k: v for k, v in data.items() if k in known}
    values["outcome"] = Outcome(values["outcome"])
    values["layers"] = tuple(Layer(**x) for x in values.get("layers") or ())
    values["connects"] = tuple((str(a), str(o)) for a, o in values.get("connects") or ())
    values["sent_headers"] = tuple(str(n) for n in values.get("sent_headers") or ())
    return ProbeResult(**values)
