"""Where bubblewrap is missing the local backend isolates nothing: `bench` refuses it for the capsules
it runs unless `--allow-unisolated` is given, and `run` says so plainly. bubblewrap's absence is
simulated with a PATH that holds every program of this machine's PATH but `bwrap`."""

import json
import os
from pathlib import Path

import pytest
from test_bench_support import reproducer_env, run_cli, trivial_capsule, trivial_record, write_task_file

WARNING = "ISOLATES NOTHING"


def path_without_bwrap(folder: Path) -> str:
    """A PATH of one folder linking to the first of each program on this PATH, bwrap left out."""
    folder.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        if not Path(directory).is_dir():
            continue
        for entry in os.scandir(directory):
            target = folder / entry.name
            if entry.name != "bwrap" and not target.exists() and not target.is_symlink():
                target.symlink_to(entry.path)
    return str(folder)


@pytest.fixture
def no_bwrap_env(tmp_path: Path) -> dict[str, str]:
    return reproducer_env(tmp_path / "cache", PATH=path_without_bwrap(tmp_path / "bin"))


def test_bench_refuses_the_unisolated_local_backend(tmp_path: Path, no_bwrap_env: dict[str, str]) -> None:
    trivial_capsule(tmp_path / "good")
    task_file = write_task_file(tmp_path / "tasks.json", [trivial_record("capsule-good", 1, "good")])
    out = tmp_path / "run"
    args = ["bench", "tasks", str(task_file), "--backend", "local", "--out", str(out)]
    refused = run_cli(args, no_bwrap_env)
    assert refused.returncode != 0
    assert "isolates nothing" in refused.stderr and "--allow-unisolated" in refused.stderr, refused.stderr
    assert "bwrap is not installed" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not out.exists(), "nothing is fetched or written before the refusal"
    # The Easy level runs no capsule code: nothing to refuse.
    easy = run_cli([*args[:-2], "--level", "easy", "--out", str(tmp_path / "easy")], no_bwrap_env)
    assert "isolates nothing" not in easy.stderr, easy.stderr


@pytest.mark.slow
def test_bench_runs_unisolated_when_asked_and_says_so(tmp_path: Path, no_bwrap_env: dict[str, str]) -> None:
    trivial_capsule(tmp_path / "good")
    task_file = write_task_file(tmp_path / "tasks.json", [trivial_record("capsule-good", 1, "good")])
    out = tmp_path / "run"
    args = ["bench", "tasks", str(task_file), "--backend", "local", "--allow-unisolated", "--json"]
    completed = run_cli([*args, "--out", str(out)], no_bwrap_env)
    assert completed.returncode == 0, completed.stderr
    assert WARNING in completed.stderr
    assert json.loads((out / "results" / "capsule-good.json").read_text())["status"] == "correct"


def test_run_warns_plainly_without_bubblewrap(tmp_path: Path, no_bwrap_env: dict[str, str]) -> None:
    trivial_capsule(tmp_path / "good")
    task_file = write_task_file(tmp_path / "tasks.json", [trivial_record("capsule-good", 1, "good")])
    args = ["run", "--task", str(task_file), "--backend", "local", "--out", str(tmp_path / "out")]
    completed = run_cli(args, no_bwrap_env)
    assert WARNING in completed.stderr and "bwrap is not installed" in completed.stderr, completed.stderr
    # With bubblewrap there, no such warning.
    confined = run_cli([*args[:-1], str(tmp_path / "out2")], reproducer_env(tmp_path / "cache"))
    assert WARNING not in confined.stderr, confined.stderr
