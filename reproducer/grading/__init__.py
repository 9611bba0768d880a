"""Grading a report against a task's ground truth, in CORE-Bench's official way or a robust variant."""

from collections.abc import Callable
from typing import Any

from reproducer.errors import BadInput
from reproducer.grading.official import grade_official
from reproducer.grading.robust import grade_robust
from reproducer.grading.summary import summarize
from reproducer.rundir.verdict import Marking, Mode, TaskGrade
from reproducer.tasks.model import Task

GRADERS: dict[str, Callable[[list[dict[str, Any]], object], Marking]] = {
    "official": grade_official,
    "robust": grade_robust,
}


def grade(task: Task, report: object, mode: Mode = "official") -> TaskGrade:
    """Grade `report` (any JSON value; CORE-Bench expects an object from question text to answer).

    `official` reproduces CORE-Bench's `eval_result_json` exactly, quirks included; `robust` judges each
    question on its own (see `reproducer.grading.robust`). The report is never modified.
    """
    if not task.has_truth:
        raise BadInput(f"task {task.capsule_id} has no ground truth (`results`): nothing to grade against")
    if mode not in GRADERS:
        raise BadInput(f"unknown grading mode {mode!r}: use one of {', '.join(GRADERS)}")
    return TaskGrade.from_marking(task.capsule_id, mode, GRADERS[mode](task.results, report))


__all__ = [
    "grade",
    "grade_official",
    "grade_robust",
    "summarize",
]
