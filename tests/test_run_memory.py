"""`reproducer run --max-memory-gb`, as `bench` has it: the cap reaches the run's sandboxes (a command past
it ends as `oom`, recorded in summary.json), and a cap too small to start a shell is refused up front."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reproducer.sandbox import RunLimits
from reproducer.sandbox.cgroup import create_cgroup

HOG = Path(__file__).parent / "fixtures" / "rundir" / "memory-hog" / "task.yaml"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANTHROPIC")}
    command = [sys.executable, "-m", "reproducer", "run", "--task", str(HOG), "--agent", "offline"]
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, timeout=600, env=env)


def cgroup_works() -> bool:
    cgroup, _ = create_cgroup(RunLimits())
    if cgroup is not None:
        cgroup.remove()
    return cgroup is not None


@pytest.mark.skipif(not cgroup_works(), reason="no cgroup can be made here")
def test_the_memory_cap_reaches_the_runs_commands(tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = cli("--backend", "local", "--max-memory-gb", "0.25", "--out", out)
    assert done.returncode == 1, done.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [command["status"] for command in summary["commands"]] == ["oom"], summary["commands"]


def test_a_cap_below_the_least_is_refused(tmp_path: Path) -> None:
    done = cli("--max-memory-gb", "0.01", "--out", tmp_path / "run")
    assert done.returncode != 0
    assert "--max-memory-gb must be at least 0.0625 (GiB)" in done.stderr
    assert not (tmp_path / "run").exists(), "refused before anything is written"
