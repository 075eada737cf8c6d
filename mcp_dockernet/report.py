"""What a run concluded: findings per server entry, gathered in a Report."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from mcp_dockernet.model import ProbeResult, ServerEntry


class Severity(IntEnum):
    INFO = 10
    WARNING = 20
    ERROR = 30

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable kebab-case id, part of the public contract
    severity: Severity
    subject: str  # entry_key() of the server entry it is about
    message: str
    fix: str
    evidence: tuple[str, ...] = ()
    suggested_url: str | None = None


def entry_key(entry: ServerEntry) -> str:
    return f"{entry.config}#{entry.scope}.{entry.name}"


@dataclass(frozen=True, slots=True)
class ServerReport:
    entry: ServerEntry
    client: str  # "host" or "container:NAME"
    target: str  # where the URL leads, in words
    status: str  # ok / warning / error / skipped
    findings: tuple[Finding, ...]
    suggested_url: str | None
    probe: ProbeResult | None
    notes: tuple[str, ...] = ()
    client_reason: str = ""
    served_by: str | None = None  # identity of the container publishing the URL's port (see resolve)


@dataclass(frozen=True, slots=True)
class Report:
    servers: tuple[ServerReport, ...]
    configs: tuple[str, ...]
    skipped_rules: tuple[tuple[str, str], ...] = ()  # (code, why)
    rule_errors: tuple[tuple[str, str], ...] = ()  # (code, what went wrong) for a rule that crashed

    def worst(self) -> Severity | None:
        severities = [f.severity for s in self.servers for f in s.findings]
        return max(severities) if severities else None
