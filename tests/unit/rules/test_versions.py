"""Version ranges as npm (engines.node) and PEP 440 (requires-python) read them."""

from __future__ import annotations

import pytest

from mcp_dockernet.rules._versions import satisfies


@pytest.mark.parametrize(
    "version, constraint, npm, expected",
    [
        ("18.19.0", ">=20", True, False),
        ("20.0.0", ">=20", True, True),
        ("v20.1.0", ">= 18.17.0", True, True),
        ("19.9.0", "^18 || >=20", True, False),
        ("18.5.0", "^18 || >=20", True, True),
        ("18.5.0", "18.x", True, True),
        ("19.0.0", "18", True, False),
        ("18.9.0", ">18", True, False),  # npm: >18 is >=19.0.0
        ("18.9.0", "<=18", True, True),
        ("0.3.0", "^0.2.3", True, False),
        ("1.2.9", "~1.2.3", True, True),
        ("1.3.0", "~1.2.3", True, False),
        ("20.5.0", "18 - 20", True, True),
        ("21.0.0", "18 - 20", True, False),
        ("20.0.0", ">=18 <20", True, False),
        ("3.11.2", ">=3.10", False, True),
        ("3.9.18", ">=3.10", False, False),
        ("3.11.2", ">=3.10,<3.11", False, False),
        ("3.11.2", "~=3.10", False, True),
        ("3.11.2", "==3.11.*", False, True),
        ("3.11.2", "==3.11", False, False),
        ("3.11.2", "!=3.11.2", False, False),
        ("3.11.2", "<=3.11", False, False),
        ("20.0.0", "git+https://x", True, None),
        ("20.0.0", "", True, None),
        ("not a version", ">=1", True, None),
    ],
)
def test_satisfies(version, constraint, npm, expected):
    assert satisfies(version, constraint, npm) is expected
