"""Under bubblewrap the host is read-only, the network is off and Code Ocean's absolute paths exist."""

import contextlib
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from reproducer.sandbox import LocalSandbox, bwrap_problem
from reproducer.sandbox.bwrap import bwrap_command
from reproducer.sandbox.env import SYSTEM_PATH

pytestmark = pytest.mark.skipif(bwrap_problem() is not None, reason=f"bubblewrap unusable: {bwrap_problem()}")

CONNECT = "python3 -c \"import socket; socket.create_connection(('pypi.org', 443), 3); print('connected')\""


@pytest.fixture
def sandbox(tmp_path: Path) -> LocalSandbox:
    capsule = tmp_path / "workspace" / "capsule-1"
    (capsule / "code").mkdir(parents=True)
    (capsule / "data").mkdir()
    (capsule / "data" / "input.csv").write_text("a,b\n1,2\n")
    return LocalSandbox(capsule, tmp_path / "logs", use_bwrap=True)


def test_bubblewrap_is_chosen_when_it_works(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    sandbox = LocalSandbox(tmp_path / "c", tmp_path / "logs")
    assert sandbox.sandbox_kind == "bwrap"
    assert sandbox.warnings == []


@pytest.mark.parametrize("target", ["/root/outside-{token}", "/etc/outside-{token}", "/outside-{token}"])
def test_writing_outside_the_workspace_fails(sandbox: LocalSandbox, target: str) -> None:
    path = Path(target.format(token=uuid.uuid4().hex))
    result = sandbox.exec(f"echo x > {path}", timeout=30)

    assert result.status == "error"
    assert "Read-only file system" in result.stderr or "No such file or directory" in result.stderr
    assert not path.exists()


def test_writing_next_to_the_capsule_does_not_reach_the_host(sandbox: LocalSandbox) -> None:
    # The capsule lives under /tmp here, so its parent is in the sandbox's private /tmp: the write may
    # succeed there, but the host's directory never sees it.
    sandbox.exec("echo x > ../sibling.txt", timeout=30)
    assert not (sandbox.capsule_dir.parent / "sibling.txt").exists()


def test_tmp_is_private_to_the_command(sandbox: LocalSandbox) -> None:
    token = uuid.uuid4().hex
    assert sandbox.exec(f"echo x > /tmp/{token}; cat /tmp/{token}", timeout=30).stdout == "x\n"
    assert not (Path("/tmp") / token).exists()


def test_code_ocean_absolute_paths_work(sandbox: LocalSandbox) -> None:
    result = sandbox.exec(
        "cat /data/input.csv > /results/from-abs.csv && ls /code && cat /capsule/data/input.csv", timeout=30
    )

    assert result.status == "ok", result.stderr
    assert result.stdout == "a,b\n1,2\n"
    assert (sandbox.capsule_dir / "results" / "from-abs.csv").read_text() == "a,b\n1,2\n"
    assert result.created == ["results/from-abs.csv"]


def test_no_network_unless_asked(sandbox: LocalSandbox) -> None:
    result = sandbox.exec(CONNECT, timeout=30)
    assert result.status == "error"
    assert "connected" not in result.stdout


def test_network_when_asked(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    host = LocalSandbox(tmp_path / "c", tmp_path / "host-logs", use_bwrap=False, network=True)
    if host.exec(CONNECT, timeout=30).status != "ok":
        pytest.skip("no route to pypi.org from this machine")
    sandbox = LocalSandbox(tmp_path / "c", tmp_path / "logs", use_bwrap=True, network=True)
    result = sandbox.exec(CONNECT, timeout=30)
    assert result.stdout == "connected\n", result.stderr


def test_processes_outside_are_invisible(sandbox: LocalSandbox) -> None:
    result = sandbox.exec("ls /proc | grep -c '^[0-9]'", timeout=30)
    assert int(result.stdout) < 5  # the namespace's init, bash, ls, grep


def test_killing_the_namespace_init_kills_every_process_in_it(tmp_path: Path) -> None:
    capsule = tmp_path / "capsule"
    for name in ("code", "data", "results"):
        (capsule / name).mkdir(parents=True)
    sleep = f"sleep 1000.{uuid.uuid4().int % 10**9}"
    argv = bwrap_command(
        ["bash", "-c", f"setsid {sleep} & ({sleep} &); {sleep}"],
        capsule_dir=capsule,
        cwd=capsule,
        read_only=[],
        env={"PATH": SYSTEM_PATH},
        network=False,
        tmp_bytes=1024 * 1024,
    )
    launcher = subprocess.Popen(argv, start_new_session=True)
    try:
        for _ in range(100):
            if len(pgrep(f"^{sleep}$")) == 3:
                break
            time.sleep(0.05)
        assert len(pgrep(f"^{sleep}$")) == 3
        (init,) = pgrep(str(launcher.pid), "-P")
        os.kill(init, signal.SIGKILL)
        launcher.wait(timeout=10)
        time.sleep(0.2)
        assert pgrep(sleep) == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(launcher.pid, signal.SIGKILL)
        launcher.wait()


def pgrep(pattern: str, option: str = "-f") -> list[int]:
    found = subprocess.run(["pgrep", option, pattern], capture_output=True, text=True).stdout
    return [int(pid) for pid in found.split()]
