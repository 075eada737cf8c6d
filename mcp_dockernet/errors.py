"""The errors a user can meet, each a sentence they can act on.

    MdnError                    base; the CLI prints str(err) on one line and exits 2
    +-- ConfigError             a config file is missing, unreadable or malformed (path, line)
    +-- EngineError             the Docker engine cannot be reached when the check needs it
                                (code, endpoint, chosen_by: which engine and why; collectors/endpoint.py)
    +-- FixError                a planned edit cannot be applied (file changed, write failed)

Third-party exceptions are wrapped once, at the boundary where the path or socket is known.
"""

from __future__ import annotations


class MdnError(Exception):
    """Base of every error mcp-dockernet reports to a user."""


class ConfigError(MdnError):
    """A config file that cannot be read as its format demands."""

    def __init__(self, path: str, reason: str, line: int | None = None, column: int | None = None):
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column
        where = path if line is None else f"{path}:{line}" + ("" if column is None else f":{column}")
        super().__init__(f"{where}: {reason}")


class EngineError(MdnError):
    """The Docker engine did not answer, or the context naming it does not exist.

    ``code`` is stable (the JSON error document carries it): engine-unreachable,
    engine-permission-denied, engine-context-not-found. ``problem`` is the short why, without the
    endpoint, for sentences that name the endpoint themselves.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "engine-unreachable",
        endpoint: str | None = None,
        chosen_by: str | None = None,
        problem: str | None = None,
    ):
        self.code = code
        self.endpoint = endpoint
        self.chosen_by = chosen_by
        self.problem = problem or message
        super().__init__(message)


class FixError(MdnError):
    """An edit that was planned cannot be applied safely."""
