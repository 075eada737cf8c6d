"""The JSON Schemas of the tools' results: the documents' own files, and the fix and rules results.

mcp_dockernet/schema/doctor-v1.json and probe-v1.json describe what `doctor --format json` and
`probe --format json` print; users validate against them, and the tools give them as outputSchema.
An outputSchema is given without `$schema`: the TypeScript SDK's client compiles it with Ajv's
draft-07 default, which refuses a schema that names the 2020-12 meta-schema ("no schema with key or
ref"), so the files use only keywords both drafts read alike, and `$ref`s that stay in the document
(the Python SDK's client resolves nothing outside it).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

_STRING = {"type": "string"}
_STRINGS = {"type": "array", "items": _STRING}


@cache
def _load(name: str) -> dict[str, Any]:
    text = (resources.files("mcp_dockernet") / "schema" / name).read_text(encoding="utf-8")
    return dict(json.loads(text))


def document_schema(name: str) -> dict[str, Any]:
    """The file as shipped (``doctor-v1.json``, ``probe-v1.json``): a fresh copy the caller owns."""
    return copy.deepcopy(_load(name))


def output_schema(name: str) -> dict[str, Any]:
    """The file's schema as a tool's outputSchema: without `$schema`."""
    schema = document_schema(name)
    schema.pop("$schema", None)
    return schema


def fix_schema() -> dict[str, Any]:
    """The fix tool's result; ``recheck`` is a doctor/v1 document, so doctor's definitions come along."""
    doctor = output_schema("doctor-v1.json")
    defs = doctor.pop("$defs")
    written = {
        "type": "object",
        "required": ["path", "backup", "in_place", "seen", "unverified", "unseen"],
        "properties": {
            "path": {"type": "string", "description": "The file written (a symlink's target)."},
            "backup": {"type": "boolean", "description": "PATH.bak was kept."},
            "in_place": {"type": "boolean", "description": "Written in place: a container mounts it as a single file."},
            "seen": {**_STRINGS, "description": "Containers that mount it and see the new content."},
            "unverified": {**_STRINGS, "description": "Clients whose view of the file could not be read."},
            "unseen": {**_STRINGS, "description": "Containers that still read the old content, with the fix for that."},
        },
    }
    manual = {
        "type": "object",
        "required": ["name", "config", "codes"],
        "properties": {"name": _STRING, "config": _STRING, "codes": _STRINGS},
    }
    return {
        "title": "mcp-dockernet/fix/v1",
        "type": "object",
        "required": ["schema", "changes", "diffs", "notes", "manual", "written", "recheck"],
        "properties": {
            "schema": {"const": "mcp-dockernet/fix/v1"},
            "changes": {"type": "integer", "minimum": 0, "description": "How many edits the fix has."},
            "diffs": {
                "type": "array",
                "description": "One unified diff per config file to change, secrets masked.",
                "items": {
                    "type": "object",
                    "required": ["path", "diff"],
                    "properties": {"path": _STRING, "diff": _STRING},
                },
            },
            "notes": {
                **_STRINGS,
                "description": "Why a suggestion has no edit (`fix` prints them as 'not changed: ...').",
            },
            "manual": {
                "type": "array",
                "description": "Servers with findings whose fix lies outside the config (see doctor).",
                "items": manual,
            },
            "written": {"type": "array", "items": written, "description": "Empty unless write was true."},
            "recheck": {
                "anyOf": [{"type": "null"}, {"$ref": "#/$defs/doctor"}],
                "description": "After a write: doctor again, on the files the clients read.",
            },
        },
        "$defs": {**defs, "doctor": doctor},
    }


def rules_schema() -> dict[str, Any]:
    rule = {
        "type": "object",
        "required": ["code", "severity", "title", "explanation", "needs", "supersedes"],
        "properties": {
            "code": _STRING,
            "severity": {"enum": ["error", "warning", "info"], "description": "Its usual severity."},
            "title": _STRING,
            "explanation": {**_STRING, "description": "When it fails, when it passes, and the fix."},
            "needs": {**_STRINGS, "description": "Sources without which it is skipped (engine, host)."},
            "supersedes": {**_STRINGS, "description": "Codes its finding hides on the same entry."},
        },
    }
    return {
        "title": "mcp-dockernet/rules/v1",
        "type": "object",
        "required": ["schema", "rules"],
        "properties": {"schema": {"const": "mcp-dockernet/rules/v1"}, "rules": {"type": "array", "items": rule}},
    }
