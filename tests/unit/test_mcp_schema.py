"""mcp_dockernet/schema/doctor-v1.json and probe-v1.json against real documents of the renderers.

The documents are made by the real engine and renderer (render/json_out.py, cli_probe.document)
from snapshots of the situations the rule tables use: findings with probes, candidates, a stdio
docker run line with a secret, a launch, the engine missing, the error forms. Each must validate,
and also against a strict copy of the schema (no property beyond those listed), so a field added
to a document without the schema fails here.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

import jsonschema
import pytest

from mcp_dockernet import cli_probe, engine
from mcp_dockernet.collectors.endpoint import Endpoint
from mcp_dockernet.errors import ConfigError, EngineError, MdnError
from mcp_dockernet.mcp_tools import schemas
from mcp_dockernet.model import LaunchResult, Layer, Outcome, ProbeResult
from mcp_dockernet.render import json_out
from mcp_dockernet.rules import RULES
from tests.unit.rules.factory import box, client_in, probe, snapshot, stdio_entry, stdio_snapshot

URL = "http://localhost:8000/mcp"
MOVED = "http://localhost:3000/mcp"


def _strict(schema: Any) -> Any:
    """The schema with additionalProperties false on every object that lists its properties."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


def _validate(document: dict[str, Any], name: str) -> None:
    schema = schemas.document_schema(name)
    jsonschema.Draft202012Validator(schema).validate(document)
    jsonschema.Draft202012Validator(_strict(schema)).validate(document)
    # what a client gets as outputSchema: the same, read as draft-07 (Ajv's default in the TypeScript SDK)
    jsonschema.Draft7Validator(schemas.output_schema(name)).validate(document)


def _doc(snap: Any, endpoint: Endpoint | None = None, problem: str | None = None) -> dict[str, Any]:
    # through JSON, as a client receives it
    return json.loads(json.dumps(json_out.to_dict(engine.run(snap), endpoint, problem)))


ENDPOINT = Endpoint("unix:///var/run/docker.sock", "default socket")
AGENT = box("agent", project="a", service="agent", networks=("a_default",))
SERVER = box("server", project="a", service="server", networks=("a_default",), expose=(8000,), listen=(8000,))
SITUATIONS = {
    "wrong-port, confirmed": lambda: _doc(snapshot(URL, [box("srv", publish={8000: 3000})], probes=(probe(MOVED),))),
    "wrong-port, two candidates": lambda: _doc(
        snapshot(URL, [box("a", project="a", publish={8000: 3000}), box("b", project="b", publish={8000: 4000})])
    ),
    "healthy, with the engine": lambda: _doc(
        snapshot(URL, [box("srv", publish={8000: 8000}, listen=(8000,))], probes=(probe(URL),)), ENDPOINT
    ),
    "localhost in a container": lambda: _doc(
        snapshot(URL, [AGENT, SERVER], client=client_in(AGENT), probes=(probe(URL, False, "container:agent"),))
    ),
    "no engine": lambda: _doc(snapshot(URL, engine_up=False), ENDPOINT, "the engine is not reachable"),
    "stdio docker run -it with a secret": lambda: _doc(
        stdio_snapshot(
            stdio_entry("docker", ("run", "-it", "--rm", "-e", "TOKEN=sk-live-1", "img"), env=(("API_KEY", "k1"),))
        )
    ),
}


@pytest.mark.parametrize("situation", SITUATIONS)
def test_real_doctor_documents_validate(situation):
    document = SITUATIONS[situation]()
    assert document["servers"], "the situation has a server"
    _validate(document, "doctor-v1.json")
    assert "sk-live-1" not in json.dumps(document) and '"k1"' not in json.dumps(document)


def test_a_launch_result_validates_with_its_added_fields():
    entry = stdio_entry("npx", ("-y", "some-server"))
    launch = LaunchResult(entry.id, "exited", "exited with code 1", 1, ("error: API_KEY is not set",), seconds=0.4)
    snap = replace(stdio_snapshot(entry), launches=(launch,), launching=True)
    document = _doc(snap)
    assert document["servers"][0]["launch"]["outcome"] == "exited"
    _validate(document, "doctor-v1.json")
    document["servers"][0]["launch"]["removed_containers"] = ["0123abcd"]  # what --launch adds for docker run
    _validate(document, "doctor-v1.json")


@pytest.mark.parametrize(
    "error",
    [
        ConfigError(".mcp.json", 'no "mcpServers" object', line=2),
        EngineError("cannot reach the Docker engine", endpoint="unix:///x.sock", chosen_by="DOCKER_HOST"),
        EngineError("no context", code="engine-context-not-found", chosen_by="DOCKER_CONTEXT=x"),
        MdnError("no MCP client config found for this user or project"),
    ],
)
def test_the_error_documents_validate(error):
    _validate(json.loads(json_out.error_dumps(error)), "doctor-v1.json")


def test_a_document_missing_its_summary_or_with_a_wrong_status_is_refused():
    document = SITUATIONS["wrong-port, confirmed"]()
    validator = jsonschema.Draft202012Validator(schemas.document_schema("doctor-v1.json"))
    without = {k: v for k, v in document.items() if k != "summary"}
    assert not validator.is_valid(without)
    wrong = copy.deepcopy(document)
    wrong["servers"][0]["status"] = "fine"
    assert not validator.is_valid(wrong)


def test_every_finding_code_fits_the_schemas_pattern():
    pattern = schemas.document_schema("doctor-v1.json")["$defs"]["code"]["pattern"]
    validator = jsonschema.Draft202012Validator({"type": "string", "pattern": pattern})
    assert all(validator.is_valid(code) for code in RULES)


@pytest.mark.parametrize(
    "result",
    [
        ProbeResult("http://u:pw@localhost:8000/mcp?token=abc", Outcome.REFUSED, "connection refused"),
        ProbeResult(
            URL,
            Outcome.MCP,
            "ok",
            vantage="container:agent",
            method="helper:mcp-dockernet",
            server_name="srv",
            server_version="1.0",
            protocol_version="2025-06-18",
            transport="streamable-http",
            http_status=200,
            layers=(Layer("dns", "ok", "localhost -> 127.0.0.1"), Layer("mcp", "ok", "initialize")),
            connects=(("127.0.0.1", "ok"),),
            sent_headers=("Authorization",),
        ),
    ],
)
def test_real_probe_documents_validate_and_mask_the_url(result):
    document = json.loads(json.dumps(cli_probe.document(result)))
    _validate(document, "probe-v1.json")
    assert "pw" not in document["probe"]["url"] and "abc" not in document["probe"]["url"]


@pytest.mark.parametrize("name", ["doctor-v1.json", "probe-v1.json"])
def test_the_files_are_schemas_and_their_output_form_names_no_meta_schema(name):
    jsonschema.Draft202012Validator.check_schema(schemas.document_schema(name))
    given = schemas.output_schema(name)
    jsonschema.Draft7Validator.check_schema(given)
    assert "$schema" not in given and given["type"] == "object"
    assert "$schema" in schemas.document_schema(name)  # the file keeps it, for users' validators
