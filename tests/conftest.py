from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.lab.docker_lab import Lab, engine_reachable, in_ci


@pytest.fixture(scope="session")
def docker_client(tmp_path_factory):  # type: ignore[no-untyped-def]
    client, why = engine_reachable()
    if client is None:
        if in_ci():
            pytest.fail(f"CI=true but the Docker lab is not ready: {why}")
        pytest.skip(why)
    Lab(client).remove_stale()
    yield client


@pytest.fixture(scope="session")
def noise(docker_client, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Another Compose project publishing the same container ports (tests/lab/noise.py)."""
    import subprocess

    from tests.lab.noise import NoiseProject

    if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("no Compose plugin; run scripts/lab-up")
    project = NoiseProject(tmp_path_factory.mktemp("noise"))
    try:
        project.up()
        yield project
    finally:
        project.down()


@pytest.fixture
def lab(docker_client, noise) -> Iterator[Lab]:  # type: ignore[no-untyped-def]
    # Every test on the engine runs beside the noise project: what a developer's machine looks like.
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
