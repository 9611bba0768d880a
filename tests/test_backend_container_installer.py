"""What the Docker installer keeps from the agent's container: installs beside it, never root for its
run user, and nothing a package build writes reaching what root later runs there."""

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reproducer.backends.container_installer import APT_ARCHIVES, VENV, ContainerInstaller
from reproducer.backends.docker import DockerContainers
from reproducer.docker.sandbox import DockerSandbox
from reproducer.errors import WorkFailed

IMAGE = "reproducer/python:3.11"


@pytest.fixture
def agent(tmp_path: Path, docker_client: Any) -> Iterator[tuple[DockerSandbox, ContainerInstaller]]:
    (tmp_path / "capsule").mkdir()
    containers = DockerContainers(docker_client, f"test-{uuid.uuid4().hex[:8]}")
    sandbox, installer = containers.agent_sandbox(
        IMAGE, tmp_path / "capsule", tmp_path / "run", "installer", built=False, seconds=600
    )
    assert isinstance(sandbox, DockerSandbox) and isinstance(installer, ContainerInstaller)
    try:
        yield sandbox, installer
    finally:
        sandbox.stop()


@pytest.mark.slow
def test_the_run_user_cannot_write_what_root_installs_from(agent: tuple[DockerSandbox, Any]) -> None:
    sandbox, _ = agent
    probe = f"id -u; grep CapEff /proc/self/status; touch {VENV}/x {APT_ARCHIVES}/x.deb 2>&1 | wc -l"
    lines = sandbox.exec(probe, timeout=60).stdout.split()
    assert lines == ["1000", "CapEff:", "0000000000000000", "2"], lines
    root_path = sandbox.exec('echo "$PATH"; id -u', timeout=60, as_root=True).stdout
    assert VENV not in root_path and root_path.split()[-1] == "0"


@pytest.mark.slow
def test_a_python_install_container_sees_the_environment_but_not_apts_archive(
    agent: tuple[DockerSandbox, ContainerInstaller],
) -> None:
    sandbox, installer = agent
    planted = installer._run(f"touch {VENV}/planted {APT_ARCHIVES}/planted.deb", 60, (VENV,))
    assert planted.ok, planted.stderr
    seen = sandbox.exec(f"ls {VENV}/planted {APT_ARCHIVES}/planted.deb", timeout=60)
    assert f"{VENV}/planted" in seen.stdout and "planted.deb" not in seen.stdout


def test_root_commands_need_a_sandbox_opened_for_root_installs(tmp_path: Path, docker_client: Any) -> None:
    with (
        DockerSandbox(
            tmp_path,
            tmp_path / "logs",
            image=IMAGE,
            run_id=f"test-{uuid.uuid4().hex[:8]}",
            task_id="plain",
            client=docker_client,
            lifetime_seconds=120,
        ) as sandbox,
        pytest.raises(WorkFailed, match="root_installs"),
    ):
        sandbox.exec("id -u", timeout=30, as_root=True)
