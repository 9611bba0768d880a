"""Leftovers of dead runners: a container stops within seconds of its runner's death (or at its deadline),
the sweep (and `reproducer cleanup`) removes what a dead runner left, and never what a live runner still
uses."""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from test_docker_sandbox_run import image, no_containers_left, open_sandbox
from typer.testing import CliRunner

from reproducer.cli import app
from reproducer.docker.cleanup import removal_reason
from reproducer.docker.labels import DEADLINE, HOST, PID, PID_STARTED, RUN_ID, resource_name, sandbox_labels
from reproducer.errors import WorkFailed

__all__ = ["image", "no_containers_left"]  # fixtures used here, imported from the run profile's tests
SHORT_LIFETIME = 6
# A container whose runner died stops within this long.
STOP_WITHIN_SECONDS = 10

# A runner with two sandboxes: one ends by itself soon (and has a network), one only much later.
RUNNER = f"""
import json, sys, time
from pathlib import Path
from reproducer.docker.sandbox import DockerSandbox
root, image, run_id = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
boxes = []
for task, lifetime, setup in (("short", {SHORT_LIFETIME}, True), ("long", 300, False)):
    (root / task).mkdir()
    box = DockerSandbox(root / task, root / f"{{task}}-logs", image=image, run_id=run_id, task_id=task,
                        setup=setup, lifetime_seconds=lifetime)
    boxes.append(box)
print(json.dumps([b.container_id for b in boxes]), flush=True)
time.sleep(600)
"""


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "reproducer", "cleanup", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def cli_in_process(*args: str) -> Any:
    """The same command through typer's runner: no interpreter to start, for the quick tests."""
    return CliRunner().invoke(app, ["cleanup", *args])


def exists(client: Any, container_id: str) -> bool:
    return bool(client.containers.list(all=True, filters={"id": container_id}))


def running(client: Any, container_id: str) -> bool:
    return bool(client.containers.list(filters={"id": container_id, "status": "running"}))


@pytest.mark.slow
def test_a_runner_killed_with_sigkill_leaves_nothing_behind(
    tmp_path: Path, docker_client: Any, image: str
) -> None:
    run_id = f"test-{uuid.uuid4().hex[:12]}"
    runner = subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(tmp_path), image, run_id], stdout=subprocess.PIPE, text=True
    )
    try:
        assert runner.stdout is not None
        short, long = json.loads(runner.stdout.readline())
        assert running(docker_client, short) and running(docker_client, long)
    finally:
        runner.kill()
        runner.wait()
    killed = time.monotonic()
    while (running(docker_client, short) or running(docker_client, long)) and time.monotonic() < killed + 30:
        time.sleep(0.2)
    stopped_after = time.monotonic() - killed

    # Both stop within seconds of their runner's death (the lease), the long one long before its deadline.
    assert stopped_after < STOP_WITHIN_SECONDS, f"still running {stopped_after:.1f} s after SIGKILL"
    done = cli()

    assert done.returncode == 0, done.stderr
    removed = done.stdout.splitlines()
    long_name, short_name = resource_name(run_id, "long"), resource_name(run_id, "short")
    assert any(
        line.startswith(f"removed container {long_name}: its runner (pid {runner.pid} on this host) is gone")
        for line in removed
    ), removed
    assert any(line.startswith(f"removed network {short_name}:") for line in removed), removed
    ours = {"label": f"{RUN_ID}={run_id}"}
    assert docker_client.containers.list(all=True, filters=ours) == []
    assert docker_client.networks.list(filters=ours) == []


def test_the_sweep_spares_a_live_runner_until_its_run_is_named(
    tmp_path: Path, docker_client: Any, image: str
) -> None:
    sandbox = open_sandbox(tmp_path, docker_client, image, setup=True, lifetime_seconds=45)
    try:
        cut = sandbox.exec("true", timeout=100)
        kept = cli_in_process()
        named = cli_in_process("--run-id", sandbox.run_id)
        gone = not exists(docker_client, str(sandbox.container_id))
        with pytest.raises(WorkFailed, match="container is gone"):
            sandbox.exec("true", timeout=10)
    finally:
        sandbox.stop()

    assert cut.ok and cut.warnings[0].startswith("timeout cut from 100 s to 1")
    assert kept.exit_code == 0 and sandbox.name not in kept.stdout
    assert named.exit_code == 0, named.stdout
    assert f"removed container {sandbox.name}: it belongs to run {sandbox.run_id}" in named.stdout
    assert f"removed network {sandbox.name}" in named.stdout
    assert gone and sandbox.warnings == []


def test_removal_reasons() -> None:
    now = time.time()
    live = sandbox_labels("r", "t", now + 60)
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = {**live, PID: finished.stdout.strip()}
    recycled = {**live, PID_STARTED: "1"}
    elsewhere = {**dead, HOST: "another-host"}
    expired = {**live, DEADLINE: str(int(now - 1))}

    def reason(labels: dict[str, str], **options: Any) -> str | None:
        return removal_reason(
            labels, run_id=options.get("run_id"), everything=options.get("everything", False), now=now
        )

    assert reason(live) is None and reason(elsewhere) is None
    assert reason(dead) == f"its runner (pid {dead[PID]} on this host) is gone"
    assert reason(recycled) == f"its runner (pid {os.getpid()} on this host) is gone"
    assert reason(expired) == "its deadline has passed"
    assert reason(live, run_id="r") == "it belongs to run r" and reason(live, run_id="other") is None
    assert reason(live, everything=True) is not None


def test_names_are_what_docker_accepts() -> None:
    assert resource_name("2024-01-01T10:00 run", "capsule/42") == "reproducer-2024-01-01T10-00-run-capsule-42"
    assert resource_name("..", "") == "reproducer-x-x"
    assert len(resource_name("r" * 500, "t")) <= 120
