"""Choosing a bench's tasks: --limit and --shuffle (seeded, so a sample resumes), their place in the
configuration hash, and one name per option (`--capsule-id`, the old `--capsule` kept out of the help)."""

import json
from pathlib import Path

import pytest
from test_bench_support import EXAMPLES, reproducer_env, run_cli

from reproducer.bench.config import BenchConfig
from reproducer.bench.selection import sample
from reproducer.errors import BadInput
from reproducer.tasks.load import load_task
from reproducer.tasks.model import Task

TASKS = [Task(capsule_id=f"capsule-{n}", task_prompt="p", results=[{"Report x.": n}]) for n in range(20)]


def _ids(tasks: list[Task]) -> list[str]:
    return [task.capsule_id for task in tasks]


def test_limit_takes_the_first_tasks_and_shuffle_is_seeded() -> None:
    assert _ids(sample(TASKS, limit=3, shuffle_seed=None)) == ["capsule-0", "capsule-1", "capsule-2"]
    first = sample(TASKS, limit=5, shuffle_seed=7)
    assert _ids(first) == _ids(sample(TASKS, limit=5, shuffle_seed=7)), "the same seed, the same tasks"
    assert _ids(first) != _ids(sample(TASKS, limit=5, shuffle_seed=8))
    assert sorted(_ids(sample(TASKS, limit=None, shuffle_seed=7))) == sorted(_ids(TASKS))
    assert len(sample(TASKS, limit=100, shuffle_seed=None)) == len(TASKS)
    with pytest.raises(BadInput, match="--limit must be at least 1"):
        sample(TASKS, limit=0, shuffle_seed=None)


def test_the_sample_is_part_of_the_configuration_only_when_asked() -> None:
    base = BenchConfig(command="tasks", dataset="d", dataset_sha256="0", level="easy", agent="offline",
                       command_timeout_s=60)  # fmt: skip
    stored_before_the_options = base.model_dump(exclude={"limit", "shuffle_seed"})
    assert BenchConfig.model_validate(stored_before_the_options).digest() == base.digest()
    assert base.model_copy(update={"limit": 2}).digest() != base.digest()
    assert base.model_copy(update={"shuffle_seed": 0}).digest() != base.digest()


def test_bench_runs_the_seeded_sample(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = [
        "bench",
        "tasks",
        *map(str, EXAMPLES),
        "--level",
        "easy",
        "--limit",
        "1",
        "--shuffle",
        "--seed",
        "3",
    ]
    completed = run_cli([*args, "--out", str(out), "--json"], reproducer_env(tmp_path / "cache"))
    assert completed.returncode == 0, completed.stderr
    expected = _ids(sample([load_task(path) for path in EXAMPLES], limit=1, shuffle_seed=3))
    assert [path.stem for path in (out / "results").iterdir()] == expected
    config = json.loads((out / "config.json").read_text())["config"]
    assert config["limit"] == 1 and config["shuffle_seed"] == 3


@pytest.mark.parametrize("command", [["bench", "tasks"], ["grade"]])
def test_capsule_id_is_the_one_name_and_the_old_one_is_hidden(command: list[str], tmp_path: Path) -> None:
    env = reproducer_env(tmp_path / "cache", COLUMNS="200")
    shown = run_cli([*command, "--help"], env).stdout
    assert "--capsule-id" in shown and "--capsule " not in shown
