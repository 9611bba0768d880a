"""Every CORE-Bench train capsule, answered with each of its own ground-truth runs, is graded correct."""

import json
from pathlib import Path
from typing import Any

import pytest

from reproducer.grading import grade, summarize
from reproducer.rundir.verdict import Mode
from reproducer.tasks.model import Task

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "benchmarks" / "corebench" / "core_train.json"
SHARED = Path("/work/shared/corebench/core_train.json")
TRAIN_FILE = BUNDLED if BUNDLED.is_file() else SHARED
TRAIN_CAPSULES = 45
TRAIN_QUESTIONS = 102
MODES: tuple[Mode, ...] = ("official", "robust")


def _records() -> list[dict[str, Any]]:
    if not TRAIN_FILE.is_file():
        return []
    records: list[dict[str, Any]] = json.loads(TRAIN_FILE.read_text())
    return records


RECORDS = _records()
pytestmark = pytest.mark.skipif(not RECORDS, reason=f"{BUNDLED} is missing")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("record", RECORDS, ids=[record["capsule_id"] for record in RECORDS])
def test_each_ground_truth_run_is_a_correct_answer(record: dict[str, Any], mode: Mode) -> None:
    task = Task(**record)
    for index, run in enumerate(task.results):
        result = grade(task, run, mode)
        wrong = [verdict.reason for verdict in result.verdicts if not verdict.correct]
        assert result.correct, f"run {index}: {wrong}"
        assert result.error is None
        assert all(verdict.graded and verdict.answered for verdict in result.verdicts)


def test_the_train_split_totals() -> None:
    tasks = [Task(**record) for record in RECORDS]
    assert len(tasks) == TRAIN_CAPSULES
    summary = summarize(grade(task, task.results[0]) for task in tasks)
    assert (summary.correct_tasks, summary.total_tasks) == (TRAIN_CAPSULES, TRAIN_CAPSULES)
    assert summary.correct_questions == summary.total_questions == TRAIN_QUESTIONS
    assert summary.total_written_questions + summary.total_vision_questions == TRAIN_QUESTIONS
    assert summary.accuracy == summary.question_accuracy == 1.0
    empty = summarize(grade(task, {}) for task in tasks)
    assert (empty.correct_tasks, empty.correct_questions, empty.accuracy) == (0, 0, 0.0)
