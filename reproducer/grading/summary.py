"""Totals over many graded tasks, with the fields and rules of the official `score_results`."""

from collections.abc import Iterable

from reproducer.rundir.verdict import GradeSummary, TaskGrade


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def summarize(grades: Iterable[TaskGrade]) -> GradeSummary:
    """Sum task grades as `score_results` does: a written (vision) task counts as correct only when it
    has at least one written (vision) question and all of them are correct."""
    tasks = list(grades)
    written_ok = [g.correct_written == g.total_written and g.correct_written > 0 for g in tasks]
    vision_ok = [g.correct_vision == g.total_vision and g.correct_vision > 0 for g in tasks]
    correct_tasks = sum(g.correct for g in tasks)
    correct_written = sum(g.correct_written for g in tasks)
    correct_vision = sum(g.correct_vision for g in tasks)
    total_written = sum(g.total_written for g in tasks)
    total_vision = sum(g.total_vision for g in tasks)
    return GradeSummary(
        correct_tasks=correct_tasks,
        total_tasks=len(tasks),
        correct_questions=correct_written + correct_vision,
        total_questions=total_written + total_vision,
        correct_written_tasks=sum(written_ok),
        total_written_tasks=sum(g.total_written > 0 for g in tasks),
        correct_vision_tasks=sum(vision_ok),
        total_vision_tasks=sum(g.total_vision > 0 for g in tasks),
        correct_written_questions=correct_written,
        total_written_questions=total_written,
        correct_vision_questions=correct_vision,
        total_vision_questions=total_vision,
        accuracy=_ratio(correct_tasks, len(tasks)),
        question_accuracy=_ratio(correct_written + correct_vision, total_written + total_vision),
    )
