"""Questions as the official grader sees them: the type of run 0's value decides how one is judged."""

from collections.abc import Iterable
from typing import Any

from reproducer.grading.words import show
from reproducer.rundir.verdict import Kind, ValueType, Verdict
from reproducer.tasks.model import is_vision_question


def value_type(value: Any) -> ValueType | None:
    """`isinstance(value, (int, float))` is a number, bool included, as in the official grader."""
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "text"
    return None  # the official grader neither asks nor counts such a question


def question_types(first_run: dict[str, Any]) -> dict[str, ValueType]:
    """The graded questions in run 0's order, each with its type."""
    types = {question: value_type(value) for question, value in first_run.items()}
    return {question: kind for question, kind in types.items() if kind is not None}


def kind_of(question: str) -> Kind:
    return "vision" if is_vision_question(question) else "written"


def expected_of(runs: list[dict[str, Any]], question: str, value_type: ValueType) -> Any:
    if value_type == "number":
        return [run.get(question) for run in runs]
    return runs[0][question]


# Near-miss keys differ at their end; show that much of them rather than a head cut off before it.
ENDING_CHARACTERS = 30


def _ending(text: str) -> str:
    return text if len(text) <= ENDING_CHARACTERS else "…" + text[-ENDING_CHARACTERS:]


def _loose(key: str) -> str:
    return " ".join(key.split()).rstrip(".").strip().lower()


def near_miss(question: str, report_keys: Iterable[Any]) -> str | None:
    """A report key equal to the question up to case, spacing and a trailing period, if any."""
    wanted = _loose(question)
    return next((key for key in report_keys if isinstance(key, str) and _loose(key) == wanted), None)


def verdict_for(
    runs: list[dict[str, Any]],
    question: str,
    value_type: ValueType,
    report: Any,
    *,
    correct: bool,
    graded: bool,
    reason: str,
    bounds: tuple[float | None, float | None] = (None, None),
) -> Verdict:
    """A verdict on `question`, taking the answer from `report` when it is an object holding one."""
    answered = isinstance(report, dict) and question in report
    return Verdict(
        question=question,
        kind=kind_of(question),
        value_type=value_type,
        answered=answered,
        answer=report[question] if answered else None,
        expected=expected_of(runs, question, value_type),
        correct=correct,
        graded=graded,
        reason=reason,
        lower=bounds[0],
        upper=bounds[1],
    )


def missing_verdict(
    runs: list[dict[str, Any]], question: str, value_type: ValueType, report_keys: Iterable[Any]
) -> Verdict:
    reason = "missing from the report"
    close = near_miss(question, report_keys)
    if close is not None:
        reason += (
            "; the report has a key that differs from the question only in case, spacing or a trailing "
            f"period (it ends {show(_ending(close))}, the question ends {show(_ending(question))}), "
            "but a key must be the question's exact text"
        )
    return verdict_for(runs, question, value_type, None, correct=False, graded=False, reason=reason)
