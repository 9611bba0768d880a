"""Hostile capsules against the local backend's limits (issue 15.3-15.5): a memory hog ends as `oom`, a
fork loop stays under its process cap, a CPU hog gets its quota, a disk filler ends as `disk_limit` with
its records kept, /tmp is a small tmpfs, and nothing survives a runner killed with SIGKILL."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reproducer.rundir.layout import COMMANDS_FILE
from reproducer.sandbox import LocalSandbox, RunLimits, bwrap_problem
from reproducer.sandbox.cgroup import CGROUP_ROOT, PREFIX, create_cgroup

MIB = 1024 * 1024
MODES = ["bwrap", "plain"]


def cgroup_works() -> bool:
    cgroup, _ = create_cgroup(RunLimits())
    if cgroup is not None:
        cgroup.remove()
    return cgroup is not None


needs_cgroup = pytest.mark.skipif(not cgroup_works(), reason="no cgroup can be made here")


def make(tmp_path: Path, mode: str, **limits: object) -> LocalSandbox:
    if mode == "bwrap" and bwrap_problem() is not None:
        pytest.skip(f"bubblewrap unusable: {bwrap_problem()}")
    capsule = tmp_path / "capsule"
    (capsule / "code").mkdir(parents=True, exist_ok=True)
    return LocalSandbox(
        capsule,
        tmp_path / f"logs-{mode}",
        use_bwrap=mode == "bwrap",
        limits=RunLimits(**limits),  # type: ignore[arg-type]
    )


@needs_cgroup
@pytest.mark.parametrize("mode", MODES)
def test_a_memory_hog_ends_as_oom(tmp_path: Path, mode: str) -> None:
    with make(tmp_path, mode, memory_bytes=256 * MIB) as box:
        result = box.exec("python3 -c 'x = [bytearray(16 * 2**20) for _ in range(1000)]'", timeout=60)
    assert result.status == "oom", (result.status, result.exit_code, result.stderr)


FORK_LOOP = """
import os, signal, time
children = []
try:
    for _ in range(2000):
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        children.append(pid)
except OSError:
    pass
print(len(children))
for pid in children:
    os.kill(pid, signal.SIGKILL)
"""


@pytest.mark.parametrize("mode", MODES)
def test_a_fork_loop_stays_under_its_process_cap(tmp_path: Path, mode: str) -> None:
    if mode == "plain" and not cgroup_works():
        pytest.skip("without a cgroup, root is not held by RLIMIT_NPROC")
    with make(tmp_path, mode, pids=100) as box:
        (box.capsule_dir / "fork.py").write_text(FORK_LOOP)
        result = box.exec("python3 fork.py", timeout=60)
    assert result.status == "ok", result.stderr
    assert 10 < int(result.stdout) < 100


@needs_cgroup
def test_a_cpu_hog_gets_its_quota(tmp_path: Path) -> None:
    hog = textwrap.dedent("""
        import multiprocessing, os, time
        def spin():
            end = time.time() + 3
            while time.time() < end:
                pass
        procs = [multiprocessing.Process(target=spin) for _ in range(2)]
        [p.start() for p in procs]; [p.join() for p in procs]
        print(os.times().children_user + os.times().children_system)
    """)
    with make(tmp_path, "bwrap", cpus=0.5) as box:
        (box.capsule_dir / "hog.py").write_text(hog)
        result = box.exec("python3 hog.py", timeout=60)
    assert result.status == "ok", result.stderr
    assert float(result.stdout) < 0.5 * 3 * 1.3  # half a CPU for 3 s, with the scheduler's slack


@pytest.mark.parametrize("mode", MODES)
def test_a_disk_filler_ends_as_disk_limit_with_its_records_kept(tmp_path: Path, mode: str) -> None:
    filler = "mkdir -p results; for i in $(seq 1000); do head -c 8M /dev/zero > results/f$i; done"
    with make(tmp_path, mode, disk_bytes=64 * MIB, disk_poll_seconds=0.2) as box:
        result = box.exec(filler, timeout=120)
        written = sum(f.stat().st_size for f in (box.capsule_dir / "results").iterdir())
    assert result.status == "disk_limit", (result.status, result.stderr)
    assert any("past its cap" in warning for warning in result.warnings)
    assert written < 1000 * 8 * MIB
    assert '"status":"disk_limit"' in (tmp_path / f"logs-{mode}" / COMMANDS_FILE).read_text()


@pytest.mark.parametrize("directory", ["/tmp", "/dev/shm"])
def test_tmp_is_a_small_tmpfs_and_the_host_tmp_is_untouched(tmp_path: Path, directory: str) -> None:
    fill = f"head -c 64M /dev/zero > {directory}/fill; df -B1 --output=size {directory} | tail -1"
    with make(tmp_path, "bwrap", tmp_bytes=16 * MIB) as box:
        result = box.exec(fill, timeout=60)
    assert "No space left on device" in result.stderr
    assert int(result.stdout) <= 16 * MIB
    assert not Path("/tmp/fill").exists() or Path("/tmp/fill").stat().st_size != 16 * MIB


RUNNER = """
import sys
from pathlib import Path
from reproducer.sandbox import LocalSandbox
box = LocalSandbox(Path(sys.argv[1]), Path(sys.argv[2]), use_bwrap=sys.argv[3] == "bwrap",
                   keep_background=sys.argv[4] == "keep")
beat = "while :; do date +%s%N >> heartbeat; sleep 0.1; done"
box.exec(f"setsid nohup sh -c '{beat}' > /dev/null 2>&1 & sleep 1000", timeout=600)
"""


@pytest.mark.parametrize("keep", ["once", "keep"])
@pytest.mark.parametrize("mode", MODES)
def test_nothing_outlives_a_runner_killed_with_sigkill(tmp_path: Path, mode: str, keep: str) -> None:
    if mode == "bwrap" and bwrap_problem() is not None:
        pytest.skip(f"bubblewrap unusable: {bwrap_problem()}")
    if mode == "plain" and not cgroup_works():
        pytest.skip("plain mode without a cgroup cannot follow a process that left its group")
    capsule = tmp_path / "capsule"
    capsule.mkdir()
    runner = subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(capsule), str(tmp_path / "logs"), mode, keep]
    )
    heartbeat = capsule / "heartbeat"
    for _ in range(200):
        if heartbeat.exists() and heartbeat.stat().st_size > 0:
            break
        time.sleep(0.05)
    assert heartbeat.exists(), "the capsule never started"
    os.kill(runner.pid, signal.SIGKILL)
    runner.wait()
    if mode == "plain":  # no namespace to die with it: the next runner sweeps the cgroup it left
        create_cgroup(RunLimits())[0].remove()  # type: ignore[union-attr]
    time.sleep(1.0)
    size = heartbeat.stat().st_size
    time.sleep(1.0)
    assert heartbeat.stat().st_size == size, "the heartbeat went on after its runner died"
    leftovers = list(CGROUP_ROOT.glob(f"**/{PREFIX}{runner.pid}-*"))
    assert mode == "bwrap" or leftovers == []


FILLER_MAIN = """
import os
os.makedirs("../results", exist_ok=True)
print("halfway value: 1.5", flush=True)
for i in range(100000):
    with open(f"../results/chunk{i}.bin", "wb") as out:
        out.write(os.urandom(4 * 2**20))
"""


@pytest.mark.slow
def test_a_run_filling_the_disk_ends_as_disk_limit_with_its_records(tmp_path: Path) -> None:
    from reproducer.pipeline.run import run_capsule
    from reproducer.tasks import Task

    capsule = tmp_path / "capsule"
    (capsule / "code").mkdir(parents=True)
    (capsule / "code" / "main.py").write_text(FILLER_MAIN)
    task = Task(
        capsule_id="capsule-filler", task_prompt="Run main.py.", questions=["Report the halfway value."]
    )
    run_dir = tmp_path / "run"
    summary = run_capsule(
        capsule, task, run_dir, command_timeout_s=120, cache_root=tmp_path / "cache", max_disk_gb=0.1
    )

    assert summary.status == "disk_limit", summary.model_dump_json(indent=1)[-2000:]
    for name in ("plan.json", "summary.json", "report.json", "logs/commands.jsonl"):
        assert (run_dir / name).is_file(), name
    written = sum(f.stat().st_size for f in (run_dir.glob("**/chunk*.bin")))
    assert written < 1024 * MIB


@pytest.mark.parametrize("mode", MODES)
def test_a_background_job_filling_the_disk_is_stopped_between_commands(tmp_path: Path, mode: str) -> None:
    if mode == "bwrap" and bwrap_problem() is not None:
        pytest.skip(f"bubblewrap unusable: {bwrap_problem()}")
    capsule = tmp_path / "capsule"
    capsule.mkdir()
    limits = RunLimits(disk_bytes=32 * MIB, disk_poll_seconds=0.2)
    filler = "for i in $(seq 1000); do head -c 4M /dev/zero > fill$i; sleep 0.05; done"
    with LocalSandbox(
        capsule, tmp_path / "logs", use_bwrap=mode == "bwrap", keep_background=True, limits=limits
    ) as box:
        assert box.exec(f"nohup bash -c '{filler}' > /dev/null 2>&1 &", timeout=30).status == "ok"
        for _ in range(100):
            time.sleep(0.2)
            if box._pending:
                break
        files = len(list(capsule.glob("fill*")))
        time.sleep(1.0)
        assert len(list(capsule.glob("fill*"))) == files, "the job went on writing"
        cleanup = box.exec("rm -f fill*", timeout=30)
    assert files < 1000
    assert cleanup.status == "ok"  # over the cap, a command may still delete files
    assert any("every background job was stopped" in warning for warning in cleanup.warnings)
