"""What a grading says: one verdict per question, a task's grade, and a summary over many tasks."""

from typing import Any, Literal

from pydantic import BaseModel, Field

from reproducer.rundir.stamp import Stamped

Mode = Literal["official", "robust"]
Kind = Literal["written", "vision"]
ValueType = Literal["number", "list", "text"]


class Verdict(BaseModel):
    """The judgement on one question, with the reason a person can check it by."""

    question: str
    kind: Kind
    value_type: ValueType
    answered: bool
    answer: Any = None  # as reported, before any normalisation; None also when not answered
    expected: Any  # the runs for a number, run 0's value for a list or a text
    correct: bool
    graded: bool  # False when the key is missing or grading stopped before reaching it
    reason: str
    lower: float | None = None
    upper: float | None = None


class Marking(BaseModel):
    """What a grading mode produces for one report: the verdicts and, if grading failed as a whole, why."""

    verdicts: list[Verdict]
    error: str | None = None


class TaskGrade(BaseModel):
    """One task's grade: a task is correct when every written and every vision question is."""

    capsule_id: str
    mode: Mode
    verdicts: list[Verdict]
    correct_written: int
    total_written: int
    correct_vision: int
    total_vision: int
    correct: bool
    error: str | None = None

    @classmethod
    def from_marking(cls, capsule_id: str, mode: Mode, marking: Marking) -> "TaskGrade":
        """Counts the verdicts the way the official `eval_result_json` and `score_results` do."""
        written = [v for v in marking.verdicts if v.kind == "written"]
        vision = [v for v in marking.verdicts if v.kind == "vision"]
        correct_written = sum(v.correct for v in written)
        correct_vision = sum(v.correct for v in vision)
        return cls(
            capsule_id=capsule_id,
            mode=mode,
            verdicts=marking.verdicts,
            correct_written=correct_written,
            total_written=len(written),
            correct_vision=correct_vision,
            total_vision=len(vision),
            correct=correct_written == len(written) and correct_vision == len(vision),
            error=marking.error,
        )


class VerdictsRecord(Stamped):
    """`verdicts.json`: the task's grade in both modes."""

    official: TaskGrade
    robust: TaskGrade


class GradeSummary(BaseModel):
    """Totals over many tasks; the fields named like `score_results`'s summary mean the same."""

    correct_tasks: int
    total_tasks: int
    correct_questions: int
    total_questions: int
    correct_written_tasks: int
    total_written_tasks: int
    correct_vision_tasks: int
    total_vision_tasks: int
    correct_written_questions: int
    total_written_questions: int
    correct_vision_questions: int
    total_vision_questions: int
    accuracy: float = Field(description="correct_tasks / total_tasks (0 when there are no tasks)")
    question_accuracy: float = Field(description="correct_questions / total_questions (0 when none)")
