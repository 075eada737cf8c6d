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


@pytest.fixture
def compose_lab(lab, tmp_path):  # type: ignore[no-untyped-def]
    import subprocess

    from tests.lab.compose_lab import ComposeLab

    if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0:
        if in_ci():
            pytest.fail("CI=true but the Compose plugin is missing: run scripts/lab-up")
        pytest.skip("no Compose plugin; run scripts/lab-up")
    the_lab = ComposeLab(tmp_path / "projects", lab.run_id)
    try:
        yield the_lab
    finally:
        the_lab.down()
