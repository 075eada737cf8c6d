"""Wrapping for the text report: to the terminal's width, with a hanging indent, never inside a URL or a command.

textwrap's rules (break_long_words=False, break_on_hyphens=False: a URL longer than the line stays whole on a
line of its own), done on offsets so each wrapped piece keeps its style (rich ``Text`` slices keep their spans).
A command inside a sentence (``docker compose up -d tools``, ``--compose-override FILE``, anything in backticks)
is one unbreakable word; a chain may break after ``&&``, which a shell reads as a continuation.
"""

from __future__ import annotations

import re
import shutil

from rich.console import Console
from rich.text import Text

MIN_WIDTH = 40  # narrower than this, a hanging indent leaves no room: wrap as if 40 columns
NOT_A_TTY = 100  # shutil's fallback when COLUMNS is unset and stdout is no terminal (a pipe, a CI log)
COMMAND = re.compile(r"\b(?:docker-compose|docker|mcp-dockernet|npx|uvx|pipx)\s")
COMMAND_END = re.compile(r"\s\s|&&|[;(),]|$")  # two spaces, a chain, a clause: where a quoted command ends
GLUED = re.compile(r"`[^`]*`|(?<!\S)--?[A-Za-z][\w-]*\s(?=[^\s-])\S+")  # `code`, and an option with its value
WORD = re.compile(r"[^ ]+")
Piece = str | tuple[str, str]  # text, or (text, rich style)


def terminal_width() -> int:
    """COLUMNS if set (shutil honours it first), else the terminal's, else NOT_A_TTY."""
    return max(MIN_WIDTH, shutil.get_terminal_size((NOT_A_TTY, 24)).columns)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 error``, ``2 errors``, ``0 HTTP servers``."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def _unbreakable(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in GLUED.finditer(text)]
    for m in COMMAND.finditer(text):
        end = COMMAND_END.search(text, m.end())
        stop = end.start() if end else len(text)
        spans.append((m.start(), len(text[:stop].rstrip())))
    return spans


def breaks(text: str, width: int, indent: int) -> list[tuple[int, int]]:
    """Greedy line breaking of ``text`` (its own leading spaces kept on the first line): the (start, end) of each
    line, continuation lines to be prefixed with ``indent`` spaces."""
    glued = list(text.replace("\n", " "))
    for start, end in _unbreakable(text):
        for i in range(start, end):
            if glued[i] == " ":
                glued[i] = "\0"
    words = [m.span() for m in WORD.finditer("".join(glued))]
    lines: list[tuple[int, int]] = []
    start, end = 0, 0
    for ws, we in words:
        used = we if not lines else indent + we - start
        if end and used > width:
            lines.append((start, end))
            start = ws
        end = we
    if end or not lines:
        lines.append((start, end))
    return lines


class Wrapper:
    """Prints styled lines wrapped to ``width``."""

    def __init__(self, console: Console, width: int):
        self.console, self.width = console, max(MIN_WIDTH, width)

    def line(self, *pieces: Piece, indent: int = 4, style: str = "") -> None:
        text = Text.assemble(*pieces, style=style)
        for n, (start, end) in enumerate(breaks(text.plain, self.width, indent)):
            self.console.print(text[start:end] if n == 0 else Text(" " * indent) + text[start:end], soft_wrap=True)
