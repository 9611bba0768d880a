"""The runner in this process: the live progress display, the run lock, the backend choice, and a run
directory that holds something else."""

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console
from test_bench_support import STEADY, reproducer_env, run_cli, trivial_record, write_task_file

from reproducer.bench.backend import backend_options
from reproducer.bench.capsule_store import CapsuleStore
from reproducer.bench.config import BenchConfig
from reproducer.bench.display import LiveDisplay
from reproducer.bench.facts import own_capsule
from reproducer.bench.lock import run_lock
from reproducer.bench.runner import BenchRequest, run_bench
from reproducer.bench.selection import bench_tasks
from reproducer.errors import BadInput
from reproducer.tasks.load import load_task


def request(out: Path, task_files: list[Path]) -> BenchRequest:
    tasks = [load_task(path) for path in task_files]
    config = BenchConfig(
        command="tasks",
        dataset="test",
        dataset_sha256="0",
        level="easy",
        agent="offline",
        command_timeout_s=60,
    )
    return BenchRequest(
        out=out,
        config=config,
        tasks=bench_tasks(tasks, repeats=1, no_vision=False),
        resolve=own_capsule,
        agent=lambda: None,
        level="easy",
        backend="local",
        command_timeout_s=60,
        jobs=2,
        max_connections=2,
        max_total_usd=None,
        command_line=["reproducer", "bench", "tasks"],
    )


def test_the_live_display_shows_the_bar_and_a_line_per_task(tmp_path: Path) -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=200, color_system=None)
    outcome = run_bench(request(tmp_path / "run", STEADY[:3]), lambda tally: LiveDisplay(tally, console))
    assert outcome.scores.statuses["correct"] == 3
    text = screen.getvalue()
    assert re.search(r"bench .*3/3", text), text
    assert "3 correct, 0 failed, $0.00 spent" in text
    for path in STEADY[:3]:
        assert f"{load_task(path).capsule_id}: correct" in text


def test_the_lock_refuses_a_second_holder_and_names_the_first(tmp_path: Path) -> None:
    lock = tmp_path / "run" / ".lock"
    with run_lock(lock):
        assert lock.read_text().startswith("pid ")
        with pytest.raises(BadInput, match=r"another bench runner .*pid \d+"), run_lock(lock):
            pass
    with run_lock(lock):
        pass  # released on the way out


def test_a_folder_holding_something_else_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "summary.json").write_text("{}")
    with pytest.raises(BadInput, match="holds no bench run"):
        run_bench(request(out, STEADY[:1]), lambda tally: LiveDisplay(tally, Console(file=io.StringIO())))


def test_a_task_without_ground_truth_is_an_invalid_task(tmp_path: Path) -> None:
    record = trivial_record("capsule-untruthful", capsule=str(STEADY[0].parent / "capsule"))
    del record["results"]
    record["questions"] = ["Report the halfway value."]
    task_file = write_task_file(tmp_path / "tasks.json", [record])
    outcome = run_bench(
        request(tmp_path / "run", [task_file]), lambda tally: LiveDisplay(tally, Console(file=io.StringIO()))
    )
    assert outcome.scores.errors == {"invalid_task": ["capsule-untruthful"]}
    assert "no ground truth" in outcome.dispatched.results[0].detail


def test_an_error_around_the_run_is_an_infra_error_with_its_traceback(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("a file where the capsules folder should be")
    store = CapsuleStore(tmp_path / "not-a-folder")
    broken = replace(request(tmp_path / "run", STEADY[:1]), resolve=lambda task: store.fetch(task.capsule_id))
    outcome = run_bench(broken, lambda tally: LiveDisplay(tally, Console(file=io.StringIO())))
    (result,) = outcome.dispatched.results
    assert result.status == "infra_error" and outcome.scores.counted == 1
    assert outcome.scores.errors == {"infra_error": [result.key]}
    assert result.traceback is not None
    assert "Traceback" in (tmp_path / "run" / result.traceback).read_text()


def test_the_backend_and_the_run_id_reach_run_capsule() -> None:
    assert backend_options("docker", "run-1") == {"backend": "docker", "run_id": "run-1"}
    assert backend_options("local", "run-1", 4.0)["max_memory_gb"] == 4.0


def test_too_little_memory_per_task_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["bench", "tasks", str(STEADY[0]), "--max-memory-gb", "0.01", "--out", str(out)]
    refused = run_cli(args, reproducer_env(tmp_path / "cache"))
    assert refused.returncode != 0 and "--max-memory-gb must be at least 0.0625 (GiB)" in refused.stderr
    assert not out.exists()
