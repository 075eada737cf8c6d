"""A text/event-stream parser that follows the WHATWG HTML "Server-sent events" rules exactly.

Source: https://html.spec.whatwg.org/multipage/server-sent-events.html, section "Interpreting an
event stream" (9.2.6) and "Dispatch the event". Pure and incremental: feed it the bytes as they
arrive, in chunks of any size, and it returns the events each chunk completes.

- The stream is UTF-8 (invalid sequences become U+FFFD); one BOM at the very start is dropped.
- Lines end with CRLF, LF or CR (a CR at the end of a chunk waits for a possible LF).
- An empty line dispatches; a line starting with ``:`` is a comment; a line without a colon is a
  field with an empty value; after the colon one leading space (only one) is removed.
- ``data`` lines are joined with LF; ``event`` sets the type (none or empty: ``message``); ``id``
  sets the last event ID unless it holds NUL; ``retry`` sets the reconnection time when it is
  ASCII digits only. Other fields are ignored.
- At dispatch, an event whose data buffer is empty (no ``data`` line at all) is not dispatched.
  A ``data:`` line with nothing after it *does* make an event, with data ``""``: that is what
  the TypeScript SDK's priming event is (``id: X\\ndata: \\n\\n``); skipping it is the consumer's
  business, as the SDK clients do (wire.py).
- At the end of the stream, an event not yet followed by an empty line is discarded.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Event:
    type: str  # the event type: "message" unless an `event` field said otherwise
    data: str
    last_event_id: str = ""


class EventStreamParser:
    """Feed bytes with ``feed``; ``close`` at the end. ``retry`` holds the last valid retry value."""

    def __init__(self, limit: int | None = None) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._text = ""
        self._started = False  # whether the first character (a possible BOM) has been seen
        self._data: list[str] = []
        self._has_data = False
        self._type = ""
        self.last_event_id = ""
        self.retry: int | None = None
        self.limit = limit  # bytes; past it the parser reads no more (``overflowed``)
        self.seen = 0
        self.overflowed = False

    def feed(self, chunk: bytes) -> list[Event]:
        if self.overflowed:
            return []
        self.seen += len(chunk)
        if self.limit is not None and self.seen > self.limit:
            self.overflowed = True  # a bounded reader: what is past the bound is never looked at
            return []
        return self._take(self._decoder.decode(chunk), final=False)

    def close(self) -> list[Event]:
        """The end of the stream: a trailing CR ends its line; an unfinished event is discarded."""
        events = [] if self.overflowed else self._take(self._decoder.decode(b"", final=True), final=True)
        self._data, self._has_data, self._type = [], False, ""
        return events

    def _take(self, text: str, *, final: bool) -> list[Event]:
        if not self._started and text:
            self._started = True
            text = text.removeprefix(BOM)
        self._text += text
        events: list[Event] = []
        start, buffer = 0, self._text
        while True:
            cr, lf = buffer.find("\r", start), buffer.find("\n", start)
            if cr < 0 and lf < 0:
                break
            if lf >= 0 and (cr < 0 or lf < cr):
                line, start = buffer[start:lf], lf + 1
            elif cr + 1 < len(buffer):
                line, start = buffer[start:cr], cr + (2 if buffer[cr + 1] == "\n" else 1)
            elif final:
                line, start = buffer[start:cr], cr + 1
            else:
                break  # a CR at the end of what arrived: the LF of a CRLF may be in the next chunk
            event = self._line(line)
            if event is not None:
                events.append(event)
        self._text = buffer[start:]
        return events

    def _line(self, line: str) -> Event | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment (servers send them as keep-alives)
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._type = value
        elif name == "data":
            self._data.append(value)
            self._has_data = True
        elif name == "id":
            if "\0" not in value:
                self.last_event_id = value
        elif name == "retry":
            if value and all("0" <= c <= "9" for c in value):
                self.retry = int(value)
        return None

    def _dispatch(self) -> Event | None:
        # "If the data buffer is an empty string, set the data buffer and the event type buffer to
        # the empty string and return": only a block without any data line has an empty buffer,
        # since each data line appends its value and a LF.
        has_data, data, kind = self._has_data, "\n".join(self._data), self._type or "message"
        self._data, self._has_data, self._type = [], False, ""
        if not has_data:
            return None
        return Event(kind, data, self.last_event_id)
