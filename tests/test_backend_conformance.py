"""The same cases against every registered backend: what any caller of the seam may count on.

A session builds a tiny plan's environment, runs code over the capsule, reads and writes workspace files
through the sandbox, serves them to readers (harvest, the agent's tools) with safefs's protections,
gives the agent a sandbox whose background jobs outlive a call and an installer that adds packages the
plan lacks (also when no environment was built), caps its sandboxes' memory, cleans up by run id and
closes.
"""

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from reproducer.agent.limits import AgentLimits
from reproducer.agent.tools import ToolContext, make_toolbox
from reproducer.backends.base import Backend
from reproducer.backends.capabilities import capabilities_of
from reproducer.backends.installer import InstallRequest
from reproducer.backends.registry import OPENERS, open_backend, resolve
from reproducer.errors import WorkFailed
from reproducer.plan import make_plan
from reproducer.safefs import Outside, Refused
from reproducer.tasks.model import Task

FIXTURE = Path(__file__).parent / "fixtures" / "backends" / "six-capsule"


@pytest.fixture(params=sorted(OPENERS))
def session(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "docker":
        request.getfixturevalue("docker_client")  # skipped where no engine answers (not in CI)
    opened = open_backend(request.param, cache_root=tmp_path / "cache", run_id=f"test-{uuid.uuid4().hex[:8]}")
    try:
        yield opened
    finally:
        opened.close()


def staged(tmp_path: Path) -> Path:
    capsule = tmp_path / "capsule"
    shutil.copytree(FIXTURE, capsule)
    return capsule


def test_the_registry_names_the_session_and_its_capabilities(session: Backend) -> None:
    assert resolve(session.name) == session.name
    assert session.default_concurrency() >= 1
    assert "python" in session.capabilities.installs and session.capabilities.background_jobs
    assert session.cleanup(f"nothing-{uuid.uuid4().hex[:6]}") == []


def test_unknown_backend_names_are_refused() -> None:
    with pytest.raises(WorkFailed, match="unknown backend 'ray'"):
        resolve("ray")


@pytest.mark.slow
def test_prepare_then_run_the_plan_and_use_workspace_files(session: Backend, tmp_path: Path) -> None:
    capsule, run_dir = staged(tmp_path), tmp_path / "run"
    detail = session.prepare(make_plan(capsule), capsule, run_dir, private=False, extra=())
    assert detail.startswith(("built", "reused"))
    sandbox = session.sandbox(capsule, run_dir, "conformance", seconds=300)
    try:
        result = sandbox.exec("cd code && python main.py > ../results/out.txt", timeout=120)
        assert result.ok, result.stderr
        assert sandbox.read_file("results/out.txt") == b"six 1.16.0\n"
        sandbox.write_file("results/note.txt", b"written from the host\n")
        assert {"results/out.txt", "results/note.txt", "code/main.py"} <= set(sandbox.list_files("."))
        assert sandbox.exec("cat results/note.txt", timeout=60).stdout == "written from the host\n"
        assert capabilities_of(sandbox).code_ocean_mounts == session.capabilities.code_ocean_mounts
    finally:
        sandbox.stop()


@pytest.mark.slow
def test_the_agent_installs_without_a_built_environment_and_keeps_background_jobs(
    session: Backend, tmp_path: Path
) -> None:
    capsule, run_dir = staged(tmp_path), tmp_path / "run"
    sandbox, installer = session.agent_sandbox(capsule, run_dir, "conformance-agent", seconds=600)
    try:
        assert set(installer.kinds) == set(session.capabilities.installs)
        assert not sandbox.exec("cd code && python main.py", timeout=60).ok  # nothing built: no six
        token = f"sleep 61.{uuid.uuid4().int % 10**6}"
        assert sandbox.exec(f"nohup {token} > /dev/null 2>&1 &", timeout=30).ok
        installed = installer(InstallRequest(packages=["six==1.16.0"]))
        assert installed.ok, installed.output
        assert sandbox.exec("cd code && python main.py", timeout=60).stdout == "six 1.16.0\n"
        assert sandbox.exec(f"pgrep -f '{token}'", timeout=30).ok, "the background job survived"
        assert not installer(InstallRequest(packages=["six-reproducer-no-such-package"])).ok
    finally:
        sandbox.stop()


@pytest.mark.slow
def test_the_tools_describe_the_backend_in_use(session: Backend, tmp_path: Path) -> None:
    capsule, run_dir = staged(tmp_path), tmp_path / "run"
    sandbox, installer = session.agent_sandbox(capsule, run_dir, "conformance-tools", seconds=300)
    try:
        task = Task(capsule_id="conformance", task_prompt="Run it.", questions=["Report the answer."])
        context = ToolContext(
            task,
            run_dir,
            capsule,
            sandbox,
            AgentLimits(),
            installer=installer,
            capabilities=session.capabilities,
        )
        specs = {spec["name"]: spec["description"] for spec in make_toolbox(context).specs()}
        assert session.capabilities.isolation in specs["bash"]
        assert "Background jobs survive between calls" in specs["bash"]
        lacking = [kind for kind in ("r", "system") if kind not in session.capabilities.installs]
        assert ("Not available on this backend" in specs["install"]) == bool(lacking)
        assert ("separate container" in specs["install"]) == session.capabilities.containers
    finally:
        sandbox.stop()


@pytest.mark.parametrize("name", sorted(OPENERS))
def test_the_memory_cap_holds_in_the_sessions_sandboxes(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if name == "docker":
        request.getfixturevalue("docker_client")
    opened = open_backend(
        name, cache_root=tmp_path / "cache", run_id=f"test-{uuid.uuid4().hex[:8]}", max_memory_gb=0.25
    )
    capsule = staged(tmp_path)
    sandbox = opened.sandbox(capsule, tmp_path / "run", "memory", seconds=120)
    try:
        assert sandbox.exec("python3 -c \"b = b'x' * 2**24; print(len(b))\"", timeout=60).ok
        hog = sandbox.exec("python3 -c \"b = b'x' * 2**30; print(len(b))\"", timeout=60)
        assert not hog.ok and "1073741824" not in hog.stdout, hog
    finally:
        sandbox.stop()
        opened.close()


def test_the_workspace_files_are_read_through_the_session_with_safefs_protections(
    session: Backend, tmp_path: Path
) -> None:
    capsule = staged(tmp_path)
    sandbox = session.sandbox(capsule, tmp_path / "run", "conformance-files", seconds=120)
    try:
        written = sandbox.exec(
            "mkdir -p results/deep && printf 'halfway value: 7\\n' > results/out.txt && "
            "head -c 2000 /dev/zero > results/deep/big.bin && ln -s /etc/passwd results/escape && "
            "ln -s out.txt results/alias && "
            "mkfifo results/pipe",
            timeout=60,
        )
        assert written.ok, written.stderr
    finally:
        sandbox.stop()
    files = session.files(capsule)
    assert files.read("results/out.txt", 100) == files.read("results/alias", 100) == b"halfway value: 7\n"
    assert files.stat("results/alias").identity == files.stat("results/out.txt").identity
    assert files.stat("results").kind == "folder" and files.stat("results/deep/big.bin").size == 2000
    with files.open("results/out.txt") as handle:
        assert handle.read(7) == b"halfway"
    with pytest.raises(Refused, match="larger than the cap of 1000 bytes"):
        files.read("results/deep/big.bin", 1000)
    with pytest.raises(Outside):
        files.read("results/escape", 100)
    with pytest.raises(Outside):
        files.stat("../../etc/passwd")
    with pytest.raises(Refused, match="a fifo, not a regular file"):
        files.read("results/pipe", 100)
    with pytest.raises(FileNotFoundError):
        files.stat("results/none.txt")
    listed = {entry.path: entry for entry in files.walk("results", 1)}
    assert sorted(listed) == [
        "results/alias",
        "results/deep",
        "results/escape",
        "results/out.txt",
        "results/pipe",
    ]
    assert listed["results/escape"].kind == "link" and listed["results/escape"].target == "/etc/passwd"
    assert listed["results/pipe"].kind == "special" and listed["results/pipe"].detail == "fifo"
    assert [entry.path for entry in files.walk("results", 2) if entry.kind == "file"] == [
        "results/deep/big.bin",
        "results/out.txt",
    ]
