"""Character offsets into a config's text as SARIF text regions (SARIF 2.1.0 §3.30).

Lines start at 1 and break at ``\\r\\n`` or ``\\n`` (the default ``run.newlineSequences``, §3.14.26:
a lone ``\\r`` is no break); columns start at 1 and count UTF-16 code units (``run.columnKind``
``utf16CodeUnits``, §3.14.27), so a character outside the BMP (an emoji) is two columns and a tab
one. ``endColumn`` is one past the region's last character (§3.30.8), so an empty region is an
insertion point. The text is the one the loaders keep: without its BOM, which a text region never
counts (§3.30.2).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

NEWLINES = ("\r\n", "\n")  # greedy, in this order (run.newlineSequences)
QUOTES = ('"""', "'''", '"', "'")  # TOML's multi-line strings first


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class TextIndex:
    """Line starts of one text, to turn offsets (Python str indexes) into 1-based line and column."""

    def __init__(self, text: str):
        self.text = text
        starts = [0]
        i = 0
        while (i := text.find("\n", i)) != -1:  # "\r\n" ends at its "\n" too: one break either way
            i += 1
            starts.append(i)
        self.starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of the character at ``offset`` (``len(text)``: just past the last one)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset)
        return line, 1 + utf16_len(self.text[self.starts[line - 1] : offset])

    def region(self, start: int, end: int) -> dict[str, Any]:
        """The text region of ``text[start:end]``; ``start == end`` is an insertion point there."""
        start_line, start_column = self.position(start)
        end_line, end_column = self.position(max(start, end))
        return {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}


def unquoted(text: str, start: int, end: int) -> tuple[int, int]:
    """A string token's characters without its quotes (``"http://x"`` -> ``http://x``); others as they are."""
    token = text[start:end]
    for quote in QUOTES:
        if len(token) >= 2 * len(quote) and token.startswith(quote) and token.endswith(quote):
            return start + len(quote), end - len(quote)
    return start, end
