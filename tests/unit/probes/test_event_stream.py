"""The event-stream parser against the WHATWG HTML spec's own examples (9.2.6, "Interpreting an event
stream"; https://html.spec.whatwg.org/multipage/server-sent-events.html), fed whole and byte by byte."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from mcp_dockernet.probes.event_stream import Event, EventStreamParser
from mcp_dockernet.probes.wire import MAX_EVENT_BYTES, first_message


def parse(stream: bytes, *, chunk: int | None = None) -> tuple[list[Event], EventStreamParser]:
    parser = EventStreamParser()
    events: list[Event] = []
    step = chunk or max(len(stream), 1)
    for i in range(0, len(stream), step):
        events += parser.feed(stream[i : i + step])
    return events + parser.close(), parser


SPEC_EXAMPLES = [
    # "The following event stream ... would cause an event message with the interface MessageEvent to be
    # dispatched on the EventSource object. The event's data attribute would contain the string
    # 'YHOO\n+2\n10' (where \n represents a newline)."
    (b"data: YHOO\ndata: +2\ndata: 10\n\n", [Event("message", "YHOO\n+2\n10")]),
    # "The following stream contains four blocks. The first block has just a comment, and will fire
    # nothing. The second block has two fields with names 'data' and 'id' respectively; an event will be
    # fired for this block, with the data 'first event', and will then set the last event ID to '1' ...
    # The third block fires an event with data 'second event', and also has an 'id' field, this time with
    # no value, which resets the last event ID to the empty string ... The fourth block has no 'id' field,
    # and fires an event with the data ' third event' (with a single leading space character)."
    (
        b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n",
        [Event("message", "first event", "1"), Event("message", "second event", "")],
    ),
    (
        b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n",
        [Event("message", "first event", "1"), Event("message", "second event", ""), Event("message", " third event")],
    ),
    # "The following stream fires two events: ... The first block fires events with the data set to the
    # empty string, as would the last block if it was followed by a blank line. The middle block fires an
    # event with the data set to a single newline character. The last block is discarded because it is
    # not followed by a blank line."
    (b"data\n\ndata\ndata\n\ndata:", [Event("message", ""), Event("message", "\n")]),
    # "The following stream fires two identical events: ... This is because the space after the colon is
    # ignored if present."
    (b"data:test\n\ndata: test\n\n", [Event("message", "test"), Event("message", "test")]),
]


@pytest.mark.parametrize(
    "stream, expected", SPEC_EXAMPLES, ids=["yhoo", "comment-ids-unfinished", "comment-ids", "empty-data", "one-space"]
)
@pytest.mark.parametrize("chunk", [None, 1, 3])
def test_the_specs_examples(stream, expected, chunk):
    assert parse(stream, chunk=chunk)[0] == expected


@pytest.mark.parametrize(
    "stream, expected",
    [
        (b"\xef\xbb\xbfdata: a\n\n", [Event("message", "a")]),  # a BOM at the start is dropped
        (b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\n", []),  # only one: the second is part of a field name
        (
            b"data: a\r\n\r\ndata: b\r\rdata: c\n\n",
            [Event("message", "a"), Event("message", "b"), Event("message", "c")],
        ),
        (b"data: a\r", []),  # a CR at the very end ends the line, but no blank line follows
        (b"data: a\r\r", [Event("message", "a")]),
        (b"event: endpoint\ndata: /messages/?s=1\n\n", [Event("endpoint", "/messages/?s=1")]),
        (b"event:\ndata: x\n\n", [Event("message", "x")]),  # an empty type is "message"
        (b"event: e\n\ndata: x\n\n", [Event("message", "x")]),  # a block without data resets the type
        (b"id: 7\n\n", []),  # no data line: nothing dispatched, but the id is kept
        (b"id: 7\ndata: \n\n", [Event("message", "", "7")]),  # the TS SDK's priming event: data ""
        (b"id: a\0b\ndata: x\n\n", [Event("message", "x", "")]),  # an id holding NUL is ignored
        (b"data: x\ndata\n\n", [Event("message", "x\n")]),
        (b"foo: bar\ndata: x\n\n", [Event("message", "x")]),  # unknown fields are ignored
        (b"data: caf\xc3\xa9 \xff\n\n", [Event("message", "caf\u00e9 \ufffd")]),
    ],
)
def test_lines_fields_and_dispatch(stream, expected):
    assert parse(stream)[0] == expected
    assert parse(stream, chunk=1)[0] == expected


def test_retry_takes_ascii_digits_only():
    assert parse(b"retry: 3000\n\n")[1].retry == 3000
    assert parse(b"retry: 3000\nretry: 3x\nretry: \nretry: -1\n\n")[1].retry == 3000
    assert parse(b"id: 9\n\n")[1].last_event_id == "9"


def test_the_size_bound_stops_reading():
    parser = EventStreamParser(limit=10)
    assert parser.feed(b"data: 12\n\n") == [Event("message", "12")]
    assert parser.feed(b"data: 3\n\n") == [] and parser.overflowed


def _first(body: bytes) -> object:
    async def go():
        response = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)
        return await first_message(response, "text/event-stream")

    return asyncio.run(go())


def test_the_probe_skips_a_priming_event_and_server_requests_before_the_answer():
    # server-everything with an event store (TS SDK writePrimingEvent): `id: X\ndata: \n\n` comes first.
    answer = b'id: 1\ndata: {"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25"}}\n\n'
    ping = b'data: {"jsonrpc":"2.0","method":"notifications/message","params":{}}\n\n'
    assert _first(b"id: 0\ndata: \n\n" + b": keep-alive\n\n" + ping + answer) == {
        "jsonrpc": "2.0",
        "id": 1,
        "result": {"protocolVersion": "2025-11-25"},
    }
    assert _first(b"id: 0\ndata: \n\n") is None
    assert _first(b"data: " + b"x" * MAX_EVENT_BYTES + b"\n\n" + answer) is None  # bounded
