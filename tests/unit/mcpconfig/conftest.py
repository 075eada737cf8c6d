from __future__ import annotations

import pytest

from tests.unit.mcpconfig.golden import ENV, UNSET


@pytest.fixture(autouse=True)
def placeholder_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures' placeholders see the same values on every machine."""
    for name in UNSET:
        monkeypatch.delenv(name, raising=False)
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
