from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.lab.docker_lab import Lab, engine_reachable, in_ci


@pytest.fixture(scope="session")
def docker_client():  # type: ignore[no-untyped-def]
    client, why = engine_reachable()
    if client is None:
        if in_ci():
            pytest.fail(f"CI=true but the Docker lab is not ready: {why}")
        pytest.skip(why)
    Lab(client).remove_stale()
    return client


@pytest.fixture
def lab(docker_client) -> Iterator[Lab]:  # type: ignore[no-untyped-def]
    the_lab = Lab(docker_client)
    try:
        yield the_lab
    finally:
        the_lab.cleanup()
