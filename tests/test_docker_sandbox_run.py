"""The Docker sandbox's run profile against the real engine: who runs, what it sees, what it leaves.

One container serves the module; the other Docker test modules import the fixtures and helpers here.
"""

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import pytest
from conftest import IN_CI

from reproducer.docker.labels import PID, RUN_ID
from reproducer.docker.sandbox import DockerSandbox
from reproducer.errors import BadInput, WorkFailed
from reproducer.sandbox import RunLimits
from reproducer.sandbox.env import MARKER_VARIABLE, NETWORK_VARIABLES

IMAGE = "reproducer/python:3.11"
GRACE = 1.0
LIMITS = RunLimits(term_grace_seconds=GRACE, stream_cap_bytes=64 * 1024, excerpt_bytes=1024)
# Set by the engine or bash, not by us.
SHELL_VARIABLES = {"HOSTNAME", "PWD", "SHLVL", "_", "OLDPWD"}


@pytest.fixture(scope="module")
def image(docker_client: Any) -> str:
    if not any(IMAGE in tags for tags in (i.tags for i in docker_client.images.list(name=IMAGE))):
        message = f"the base image {IMAGE} is missing; build it with scripts/build-base-images"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return IMAGE


@pytest.fixture(scope="module", autouse=True)
def no_containers_left() -> Iterator[None]:
    """Every container and network this test process labelled is gone once the module's tests are done.

    Only this process's: other test sessions on the machine may have live sandboxes of their own.
    """
    yield
    try:
        client = docker.from_env(timeout=30)
        client.ping()
    except Exception:  # docker-py raises several unrelated types when no engine answers: nothing is left
        return
    try:
        ours = {"label": [RUN_ID, f"{PID}={os.getpid()}"]}
        left = [c.name for c in client.containers.list(all=True, filters=ours)]
        networks = [n.name for n in client.networks.list(filters=ours)]
    finally:
        client.close()
    assert (left, networks) == ([], [])


def open_sandbox(root: Path, docker_client: Any, image: str, **options: Any) -> DockerSandbox:
    capsule = root / "capsule"
    capsule.mkdir(parents=True)
    options.setdefault("limits", LIMITS)
    run_id = f"test-{uuid.uuid4().hex[:12]}"
    return DockerSandbox(
        capsule, root / "logs", image=image, run_id=run_id, task_id="t", client=docker_client, **options
    )


def processes(sandbox: DockerSandbox) -> list[str]:
    """The commands running in the container, apart from the `ps` that lists them and its `timeout`."""
    listed = sandbox.exec("ps -eo args=", timeout=10).stdout.splitlines()
    return [line for line in listed if not line.startswith(("ps ", "timeout "))]


# docker-init and its child, the wait on the runner's lease (see container.py).
IDLE = ["/sbin/docker-init -- bash -c read -r -t", "bash -c read -r -t"]


def idle(sandbox: DockerSandbox) -> bool:
    return [" ".join(p.split()[:-4]) for p in processes(sandbox)] == IDLE


@pytest.fixture(scope="module")
def sandbox(
    tmp_path_factory: pytest.TempPathFactory, docker_client: Any, image: str
) -> Iterator[DockerSandbox]:
    with open_sandbox(tmp_path_factory.mktemp("docker-run"), docker_client, image) as opened:
        yield opened


def test_commands_run_as_uid_1000_without_capabilities(sandbox: DockerSandbox) -> None:
    result = sandbox.exec("id -u; id -g; grep -E '^Cap(Prm|Eff)' /proc/self/status", timeout=10)

    assert result.ok and result.sandbox_kind == "docker"
    assert result.stdout.split() == ["1000", "1000", "CapPrm:", "0" * 16, "CapEff:", "0" * 16]


def test_there_is_no_network_and_lookups_fail_fast(sandbox: DockerSandbox) -> None:
    interfaces = sandbox.exec("tail -n +3 /proc/net/dev | cut -d: -f1", timeout=10)
    connect = sandbox.exec(
        "python3 -c \"import socket; socket.create_connection(('pypi.org', 443), timeout=5)\"", timeout=20
    )

    assert interfaces.stdout.split() == ["lo"]
    assert connect.status == "error" and connect.wall_seconds < 5
    assert "gaierror" in connect.stderr or "unreachable" in connect.stderr


def test_the_environment_is_the_allowlist(sandbox: DockerSandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-secret")
    monkeypatch.setenv("PIP_INDEX_URL", "https://example.org/simple")
    result = sandbox.exec("env -0", timeout=10, env={"MY_SETTING": "1"})

    env = dict(entry.split("=", 1) for entry in result.stdout.split("\0") if entry)
    assert "secret" not in result.stdout
    assert "PIP_INDEX_URL" not in env  # the run profile has no network, so no index either
    assert not set(env) & set(NETWORK_VARIABLES)
    expected = {"PATH", "HOME", "LANG", "LC_ALL", "TERM", "TZ", "PYTHONUNBUFFERED", "MPLBACKEND"}
    threads = {"OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", MARKER_VARIABLE, "MY_SETTING"}
    assert set(env) - SHELL_VARIABLES == expected | threads
    assert env["HOME"] == "/home/reproducer"


def test_code_data_and_results_point_into_the_workspace(sandbox: DockerSandbox) -> None:
    sandbox.write_file("data/input.txt", b"42\n")
    sandbox.write_file("code/run.sh", b"cat /data/input.txt > /results/answer.txt\necho done\n")
    result = sandbox.exec("bash /code/run.sh && ls /capsule", cwd="code", timeout=10)

    assert result.ok, result.stderr
    assert result.stdout.split() == ["done", "code", "data", "results"]
    assert result.created == ["results/answer.txt"]
    assert sandbox.read_file("results/answer.txt") == b"42\n"
    assert sandbox.list_files("results") == ["results/answer.txt"]
    # The run user owns what the host wrote for it, so the code can change it.
    assert sandbox.exec("echo more >> /data/input.txt", timeout=10).ok


def test_paths_outside_the_workspace_are_refused(sandbox: DockerSandbox) -> None:
    with pytest.raises(BadInput, match="outside the sandbox workspace"):
        sandbox.read_file("../logs/commands.jsonl")
    with pytest.raises(BadInput, match="outside the sandbox workspace"):
        sandbox.exec("true", cwd="..", timeout=10)


def test_a_command_past_its_timeout_leaves_no_process(sandbox: DockerSandbox) -> None:
    hang = "setsid sleep 1001 & (trap '' TERM; sleep 1002) & trap '' TERM; echo started; sleep 1003"
    result = sandbox.exec(hang, timeout=1)

    assert (result.status, result.exit_code) == ("timeout", None)
    assert 1 <= result.wall_seconds < 1 + GRACE + 3
    assert result.stdout == "started\n"
    assert idle(sandbox), processes(sandbox)


def test_background_jobs_are_killed_unless_kept(sandbox: DockerSandbox) -> None:
    started = sandbox.exec("sleep 1004 & echo left", timeout=10)
    after = processes(sandbox)
    kept = sandbox.exec("nohup sleep 1005 >/dev/null 2>&1 &", timeout=10, keep_background=True)
    still = processes(sandbox)
    sandbox.exec("true", timeout=10)

    assert started.ok and started.wall_seconds < 3
    assert not any("1004" in p for p in after)
    assert kept.ok and any("sleep 1005" in p for p in still)
    assert idle(sandbox), processes(sandbox)


def test_exit_codes_are_classified(sandbox: DockerSandbox) -> None:
    failed = sandbox.exec("exit 3", timeout=10)
    killed = sandbox.exec("kill -9 $$", timeout=10)

    assert (failed.status, failed.exit_code) == ("error", 3)
    assert (killed.status, killed.exit_code) == ("killed", 137)


def test_output_is_capped_logged_and_stopped_past_the_kill_limit(
    tmp_path: Path, docker_client: Any, image: str
) -> None:
    limits = RunLimits(
        term_grace_seconds=GRACE, stream_cap_bytes=1000, excerpt_bytes=100, output_kill_bytes=10**6
    )
    with open_sandbox(tmp_path, docker_client, image, limits=limits) as small:
        capped = small.exec("head -c 5000 /dev/zero | tr '\\0' a; echo oops >&2", timeout=10, log_name="big")
        flood = small.exec("trap '' TERM; yes", timeout=30)

    assert capped.ok and capped.stdout_bytes == 5000 and capped.dropped_bytes == 4000
    assert capped.stdout_path.name == "01-big.stdout" and capped.stdout_path.stat().st_size < 1100
    assert capped.stdout.startswith("a" * 50) and "[... 4900 bytes dropped ...]" in capped.stdout
    assert capped.stderr == "oops\n"
    assert (flood.status, flood.exit_code) == ("output_limit", None)
    records = [json.loads(line) for line in (tmp_path / "logs" / "commands.jsonl").read_text().splitlines()]
    assert [(r["status"], r["sandbox_kind"]) for r in records] == [
        ("ok", "docker"),
        ("output_limit", "docker"),
    ]


def test_the_workspace_goes_back_to_its_owner_at_stop(tmp_path: Path, docker_client: Any, image: str) -> None:
    owner = (tmp_path.stat().st_uid, tmp_path.stat().st_gid)
    with open_sandbox(tmp_path, docker_client, image) as sandbox:
        sandbox.exec(
            "mkdir -p results/deep && touch results/deep/made && ln -s /etc/passwd results/link", timeout=10
        )
    sandbox.stop()  # a second time: nothing happens

    made = tmp_path / "capsule" / "results" / "deep" / "made"
    assert sandbox.warnings == []
    assert (made.stat().st_uid, made.stat().st_gid) == owner
    assert (tmp_path / "capsule" / "results" / "link").lstat().st_uid == owner[0]
    assert Path("/etc/passwd").stat().st_uid == 0
    with pytest.raises(WorkFailed, match="stopped"):
        sandbox.exec("true", timeout=10)
