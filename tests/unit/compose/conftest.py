from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from mcp_dockernet.compose.load import load_project
from mcp_dockernet.compose.model import ComposeProject

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "compose"
BASE_ENV = {"HOME": "/home/tester", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}


def load(case: str, **kw: Any) -> ComposeProject:
    """The builtin loader on one fixture directory, with a fixed environment."""
    environ = {**BASE_ENV, **kw.pop("environ", {})}
    kw.setdefault("project_dir", str(FIXTURES / case))
    return load_project(environ=environ, use_cli=False, **kw)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
