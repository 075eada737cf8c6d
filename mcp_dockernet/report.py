"""What a run concluded: findings per server entry, gathered in a Report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from mcp_dockernet.model import EntryId, LaunchResult, ProbeResult, ServerEntry


class Severity(IntEnum):
    INFO = 10
    WARNING = 20
    ERROR = 30

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class ServerRef:
    """The container or Compose service a finding's fix changes (structured, so no one parses messages)."""

    name: str  # container name, or the service name when it has no container
    service: str | None = None
    project: str | None = None
    port: int | None = None  # the container port concerned
    host_port: int | None = None  # the host port it should be published on


@dataclass(frozen=True, slots=True)
class ArgEdit:
    """One change to a stdio entry's command line or environment, as data (fix/plan.py writes it).

    kind:
      "insert-args": ``words`` go before ``args[index]`` (index == len(args): after the last one);
      "replace-arg": ``args[index]``, which reads ``old``, becomes ``words[0]``;
      "remove-arg": ``args[index]``, which reads ``old``, goes;
      "replace-env": the value of env ``env_name``, which reads ``old``, becomes ``words[0]``.
    ``old`` is the resolved value the rule saw: the plan refuses when the file writes it otherwise
    (a placeholder), so nothing is written from a guess. Values may be secret: repr off.
    """

    kind: str
    index: int = -1
    words: tuple[str, ...] = field(default=(), repr=False)
    old: str = field(default="", repr=False)
    env_name: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable kebab-case id, part of the public contract
    severity: Severity
    subject: EntryId  # the server entry it is about
    message: str
    fix: str
    evidence: tuple[str, ...] = ()
    suggested_url: str | None = None
    # The transport the entry must declare to reach the server, with suggested_url (which may be the
    # entry's own URL): fix --write changes the entry's type key or bridge flag with the URL.
    suggested_transport: str | None = None
    # The suggestion may be written by fix --write and watch --write: the evidence supports it
    # (in the client's scope, or the only candidate and confirmed by an MCP answer from the client).
    writable: bool = False
    server: ServerRef | None = None
    candidates: tuple[str, ...] = ()  # the URLs that fit when several servers do (nothing is written then)
    # For a stdio entry: the changes to its command line or env that fix it (written when writable).
    arg_edits: tuple[ArgEdit, ...] = ()


def entry_key(entry: ServerEntry) -> EntryId:
    return entry.id


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
    served_by: str | None = None  # identity of the container publishing the URL's port (route/from_host.py)
    writable: bool = False  # suggested_url may be written without asking (see Finding.writable)
    suggested_transport: str | None = None  # the transport to declare with suggested_url (Finding.suggested_transport)
    arg_edits: tuple[ArgEdit, ...] = ()  # a stdio entry's writable edits, from all its findings
    launch: LaunchResult | None = None  # --launch: what the stdio entry did when started


@dataclass(frozen=True, slots=True)
class Report:
    servers: tuple[ServerReport, ...]
    configs: tuple[str, ...]
    skipped_rules: tuple[tuple[str, str], ...] = ()  # (code, why)
    rule_errors: tuple[tuple[str, str], ...] = ()  # (code, what went wrong) for a rule that crashed

    def worst(self) -> Severity | None:
        severities = [f.severity for s in self.servers for f in s.findings]
        return max(severities) if severities else None
