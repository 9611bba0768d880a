"""report.json (what the grader reads) and answers.json (what a reviewer reads)."""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reproducer.answer.model import AnswerChoice
from reproducer.jsonio import write_json_atomic
from reproducer.rundir.stamp import write_record
from reproducer.tasks.model import Task


def report_dict(task: Task, choices: Sequence[AnswerChoice]) -> dict[str, Any]:
    """Exactly the task's questions: answered ones first, unanswered ones (null) last, each group in the
    task's order. The official grader checks the keys in order inside one try/except, so a null before a
    numeric answer would abort the grading of every answer after it."""
    by_question = {choice.question: choice for choice in choices}
    unknown = sorted(by_question.keys() - set(task.questions))
    if unknown:
        raise ValueError(f"answers for questions the task {task.capsule_id} does not have: {unknown}")
    values = {
        question: by_question[question].value if question in by_question else None
        for question in task.questions
    }
    answered = {question: value for question, value in values.items() if value is not None}
    return answered | {question: None for question, value in values.items() if value is None}


def write_report(task: Task, choices: Sequence[AnswerChoice], report_path: Path, answers_path: Path) -> None:
    """Write report.json (question -> value) and answers.json (each choice with its provenance)."""
    report = report_dict(task, choices)
    answered = sum(value is not None for value in report.values())
    write_record(
        answers_path,
        {
            "capsule_id": task.capsule_id,
            "answered": answered,
            "unanswered": len(report) - answered,
            "answers": [choice.model_dump(mode="json") for choice in choices],
        },
    )
    write_json_atomic(report_path, report)
