"""Hostile capsules against the Docker backend, seen from the host: what the code leaves in the workspace
(links to host secrets, special files) is never read by the harvest; a container does not outlive its
runner nor its task's time; a full /tmp, or a workspace past `--max-disk-gb`, ends as `disk_limit`; the
workspace goes back to its owner."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from test_docker_sandbox_run import image, no_containers_left, open_sandbox

from reproducer.docker.limits import MIB, ContainerLimits
from reproducer.docker.sandbox import lifetime_for
from reproducer.harvest import harvest
from reproducer.sandbox.disk import allocated_bytes
from reproducer.sandbox.limits import RunLimits

__all__ = ["image", "no_containers_left"]  # fixtures, imported from the run profile's tests
SECRET = "AKIA-docker-host-secret-42"
STOP_WITHIN_SECONDS = 10

# What a hostile capsule does at run time: links out to the host, special files in results/.
HOSTILE = """
mkdir -p results
ln -s /proc/self/environ results/environ.txt
ln -s {secret} results/secret.txt
ln -s ../../../host/secret.txt results/relative.txt
ln -s /dev/zero results/zero.txt
mkfifo results/pipe.txt
echo 'accuracy 0.93' > results/metrics.txt
"""


def test_links_and_special_files_made_in_the_container_are_not_read(
    tmp_path: Path, docker_client: Any, image: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)  # the runner's environment, /proc/self/environ
    secret = tmp_path / "host" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"root-only: {SECRET}\n")
    secret.chmod(0o600)
    with open_sandbox(tmp_path, docker_client, image) as sandbox:
        result = sandbox.exec(HOSTILE.format(secret=secret), timeout=30)
        assert result.ok, result.stderr
    capsule = tmp_path / "capsule"
    started = time.monotonic()
    found = harvest(capsule, [capsule / "results"])
    assert time.monotonic() - started < 30
    assert SECRET not in json.dumps(found.model_dump())
    assert [fact.raw for fact in found.facts] == ["0.93"]
    reasons = {record.file: record.reason for record in found.files if record.state == "skipped"}
    assert set(reasons) == {
        f"results/{name}.txt" for name in ("environ", "secret", "relative", "zero", "pipe")
    }
    assert reasons["results/pipe.txt"] == "a fifo, not a regular file"


# A runner that starts a heartbeat in its sandbox and waits in it: it is killed with SIGKILL mid-command.
RUNNER = """
import json, sys
from pathlib import Path
from reproducer.docker.sandbox import DockerSandbox
root, image, run_id = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
box = DockerSandbox(root / "capsule", root / "logs", image=image, run_id=run_id, task_id="beat",
                    lifetime_seconds=3600)
print(json.dumps(box.container_id), flush=True)
box.exec("while true; do date +%s%N >> results/heartbeat; sleep 0.1; done", timeout=3000)
"""


def _running(client: Any, container_id: str) -> bool:
    return bool(client.containers.list(filters={"id": container_id, "status": "running"}))


@pytest.mark.slow
def test_a_container_stops_within_seconds_of_its_runner_s_sigkill(
    tmp_path: Path, docker_client: Any, image: str
) -> None:
    capsule = tmp_path / "capsule"
    (capsule / "results").mkdir(parents=True)
    owner = capsule.stat().st_uid
    run_id = f"test-beat-{os.getpid()}"
    runner = subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(tmp_path), image, run_id], stdout=subprocess.PIPE, text=True
    )
    heartbeat = capsule / "results" / "heartbeat"
    try:
        assert runner.stdout is not None
        container_id = json.loads(runner.stdout.readline())
        deadline = time.monotonic() + 30
        while not heartbeat.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert heartbeat.exists(), "the heartbeat never started"
    finally:
        runner.kill()
        runner.wait()
    killed = time.monotonic()
    while _running(docker_client, container_id) and time.monotonic() < killed + 60:
        time.sleep(0.2)
    stopped_after = time.monotonic() - killed
    size = heartbeat.stat().st_size
    time.sleep(1)
    beating = heartbeat.stat().st_size != size
    swept = subprocess.run(
        [sys.executable, "-m", "reproducer", "cleanup"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    print(f"stopped {stopped_after:.1f} s after the runner's SIGKILL")
    assert stopped_after < STOP_WITHIN_SECONDS, f"the container ran {stopped_after:.1f} s after SIGKILL"
    assert not beating
    assert swept.returncode == 0, swept.stderr
    assert not docker_client.containers.list(all=True, filters={"id": container_id})
    if os.geteuid() == 0:  # a root runner handed the workspace to uid 1000: the sweep gives it back
        assert "workspace given back" in swept.stdout, swept.stdout
        assert {path.stat().st_uid for path in [capsule, *capsule.rglob("*")]} == {owner}


def test_a_container_ends_with_its_task_s_time(tmp_path: Path, docker_client: Any, image: str) -> None:
    with open_sandbox(tmp_path, docker_client, image, lifetime_seconds=4) as sandbox:
        container_id = str(sandbox.container_id)
        started = time.monotonic()
        while _running(docker_client, container_id) and time.monotonic() < started + 30:
            time.sleep(0.2)
        assert time.monotonic() - started < 15
    # The pipeline's lifetimes follow the task's limits, not a fixed two hours.
    assert lifetime_for(600) < 600 + 120 and lifetime_for(60) < 60 + 120


@pytest.mark.parametrize("where", ["/tmp", "/var/tmp", "$HOME"])
def test_a_full_scratch_folder_ends_as_disk_limit(
    tmp_path: Path, docker_client: Any, image: str, where: str
) -> None:
    limits = ContainerLimits(tmp_bytes=16 * MIB)
    with open_sandbox(tmp_path, docker_client, image, container_limits=limits) as sandbox:
        filled = sandbox.exec(f"head -c 64M /dev/zero > {where}/fill", timeout=60)
        fine = sandbox.exec(f"rm -f {where}/fill; false", timeout=60)
        home = sandbox.exec("touch $HOME/x && ls -ld $HOME", timeout=60)
    assert filled.status == "disk_limit", (filled.status, filled.stderr)
    assert "No space left on device" in filled.stderr
    assert fine.status == "error"
    assert home.ok, home.stderr  # the home stays the run user's, and writable


def test_a_capsule_filling_the_workspace_ends_as_disk_limit(
    tmp_path: Path, docker_client: Any, image: str
) -> None:
    # /capsule is the host's disk (a bind mount): without the watch this loop would fill it.
    limits = RunLimits(disk_bytes=64 * MIB, disk_poll_seconds=0.2)
    fill = "echo started; while :; do head -c 4M /dev/zero >> results/fill.bin; sleep 0.02; done"
    with open_sandbox(tmp_path, docker_client, image, limits=limits) as sandbox:
        filled = sandbox.exec(fill, timeout=120, log_name="fill")
        grown = allocated_bytes(tmp_path / "capsule")
        after = sandbox.exec("rm results/fill.bin && echo room again", timeout=30)
    assert filled.status == "disk_limit", (filled.status, filled.stderr)
    assert filled.wall_seconds < 60
    assert any("past its cap of 0.0625 GiB" in warning for warning in filled.warnings), filled.warnings
    # The records are kept: what the command printed before it was stopped, in its log too.
    assert filled.stdout.startswith("started")
    assert [p.read_text().strip() for p in (tmp_path / "logs").glob("*fill*.stdout")] == ["started"]
    # Stopped within about one poll of passing the cap, far from the host's disk.
    assert 64 * MIB < grown < 512 * MIB
    assert after.ok and after.stdout.strip() == "room again", after.stderr
