"""A hostile capsule under bubblewrap reaches nothing of the host: not root, no capability, no host
secret, no task file, no Docker socket, no writable system path, no new namespace (issue 15.2)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reproducer.sandbox import LocalSandbox, bwrap_problem
from reproducer.sandbox.bwrap import bwrap_command
from reproducer.sandbox.env import SYSTEM_PATH
from reproducer.sandbox.hostview import SYSTEM_DIRS
from reproducer.sandbox.limits import RunLimits
from reproducer.sandbox.session import Session

pytestmark = pytest.mark.skipif(bwrap_problem() is not None, reason=f"bubblewrap unusable: {bwrap_problem()}")

PROBE = Path(__file__).parent / "fixtures" / "security" / "probe.py"
SECRET = "planted-secret-4b1d9e"
TRUTH = "GROUND-TRUTH-7f3c2a"
ROOT_MOUNTS = ("capsule", "code", "data", "results", "dev", "etc", "proc", "tmp", "var")


def hostile_capsule(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A staged capsule holding the probe, and host files it must not read: the task's ground truth and
    the original capsule it was staged from."""
    truth = tmp_path / "tasks" / "task.json"
    truth.parent.mkdir()
    truth.write_text(json.dumps({"answer": TRUTH}))
    original = tmp_path / "original" / "code" / "secret-notes.txt"
    original.parent.mkdir(parents=True)
    original.write_text(TRUTH)
    capsule = tmp_path / "run" / "capsule"
    (capsule / "code").mkdir(parents=True)
    shutil.copy(PROBE, capsule / "code" / "probe.py")
    return capsule, [truth, original]


def probe(sandbox: LocalSandbox, python: str, hidden: list[Path]) -> dict[str, Any]:
    paths = " ".join(str(p) for p in hidden)
    result = sandbox.exec(f"{python} code/probe.py {paths}", timeout=60)
    assert result.status == "ok", result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def assert_contained(found: dict[str, Any], hidden: list[Path]) -> None:
    assert found["uid"] == 1000 and found["euid"] == 1000
    # The bounding set may stay full in a session: with no_new_privs no execve can raise capabilities.
    held = {k: v for k, v in found["caps"].items() if k != "CapBnd"}
    assert set(held.values()) == {"0000000000000000"}, found["caps"]
    assert found["no_new_privs"] == "1"
    assert found["read"] == dict.fromkeys(found["read"]), found["read"]
    assert all(str(path) in found["read"] for path in hidden)
    assert found["wrote"] == []
    assert found["docker"] is None
    assert not any(SECRET in environ for environ in found["environ"])
    assert found["remount"] != 0 and found["unshare"] != 0


@pytest.mark.parametrize("keep_background", [False, True], ids=["command", "session"])
def test_a_hostile_capsule_reaches_nothing_of_the_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep_background: bool
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    capsule, hidden = hostile_capsule(tmp_path)
    with LocalSandbox(capsule, tmp_path / "logs", use_bwrap=True, keep_background=keep_background) as box:
        found = probe(box, "python3", hidden)

    assert_contained(found, hidden)
    # The capsule lives under /tmp here; elsewhere its own top directory would show too.
    assert set(found["visible_roots"]) <= {*SYSTEM_DIRS, *ROOT_MOUNTS}, found["visible_roots"]
    assert not found["work_exists"]


def test_an_interpreter_under_root_is_bound_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's own venv (its Python may live under /root) shows only itself and that Python."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    capsule, hidden = hostile_capsule(tmp_path)
    venv_bin = Path(sys.executable).parent
    with LocalSandbox(capsule, tmp_path / "logs", use_bwrap=True, bin_dirs=[venv_bin]) as box:
        found = probe(box, "python", hidden)
        listing = box.exec("ls -a /root", timeout=30).stdout.split()

    assert_contained(found, hidden)
    assert set(listing) <= {".", "..", ".pyenv"}


def test_files_the_capsule_writes_are_readable_by_the_runner_afterwards(tmp_path: Path) -> None:
    capsule, _ = hostile_capsule(tmp_path)
    with LocalSandbox(capsule, tmp_path / "logs", use_bwrap=True) as box:
        result = box.exec(
            "mkdir -p results/deep && echo 42 > results/deep/out.txt && chmod 000 results/deep/out.txt",
            timeout=30,
        )
    assert result.status == "ok", result.stderr
    assert (capsule / "results" / "deep" / "out.txt").read_text() == "42\n"


def test_debian_s_package_database_is_readable(tmp_path: Path) -> None:
    # Debian's rmarkdown asks dpkg-query for jquery's version before it writes any html.
    if shutil.which("dpkg-query") is None:
        pytest.skip("not a Debian system")
    capsule, _ = hostile_capsule(tmp_path)
    with LocalSandbox(capsule, tmp_path / "logs", use_bwrap=True) as box:
        result = box.exec("dpkg-query -W -f '${Version}\n' dpkg && ls /var", timeout=30)
    assert result.status == "ok", result.stderr
    assert result.stdout.split()[1:] == ["lib"]  # only the database's path, nothing else of /var


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can use bubblewrap without a user namespace")
def test_without_a_user_namespace_root_still_holds_no_capability_and_sees_nothing(tmp_path: Path) -> None:
    """Where no user namespace can be made, root's fallback: uid 0, but no capability, no privilege
    gain, and the same few paths."""
    capsule, hidden = hostile_capsule(tmp_path)
    argv = bwrap_command(
        ["python3", "code/probe.py", *(str(p) for p in hidden)],
        capsule_dir=capsule,
        cwd=capsule,
        read_only=[],
        env={"PATH": SYSTEM_PATH},
        network=False,
        tmp_bytes=16 * 1024 * 1024,
        user_namespace=False,
    )
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    found = json.loads(done.stdout)

    assert found["uid"] == 0
    held = {k: v for k, v in found["caps"].items() if k != "CapBnd"}  # no_new_privs: nothing to regain
    assert set(held.values()) == {"0000000000000000"}, found["caps"]
    assert found["no_new_privs"] == "1"
    assert found["read"] == dict.fromkeys(found["read"]) and found["wrote"] == []
    assert found["docker"] is None and found["remount"] != 0 and not found["work_exists"]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can use bubblewrap without a user namespace")
def test_an_agent_session_without_a_user_namespace_enters_without_capabilities(tmp_path: Path) -> None:
    argv = bwrap_command(
        [], capsule_dir=tmp_path, cwd=tmp_path, read_only=[], env={"PATH": SYSTEM_PATH}, network=False,
        tmp_bytes=16 * 1024 * 1024, user_namespace=False,
    )  # fmt: skip
    session = Session(argv, {"PATH": SYSTEM_PATH}, RunLimits(), None)
    try:
        status = ["bash", "-c", "grep -E '^(CapPrm|CapEff|CapBnd|NoNewPrivs)' /proc/self/status"]
        done = subprocess.run(session.enter(status, tmp_path), capture_output=True, text=True, check=False)
    finally:
        session.stop()
    fields = dict(line.split(":\t") for line in done.stdout.splitlines())
    assert fields == {"CapPrm": "0" * 16, "CapEff": "0" * 16, "CapBnd": "0" * 16, "NoNewPrivs": "1"}, done
