"""Robust mode: the official rules, but every question judged on its own and no accidental acceptances.

Differences from official mode, each stated in the verdict's reason where it matters:
- no early stop: an answer that cannot be compared is wrong by itself, later questions are still graded;
- a numeric answer must be a number or a text that reads as one after dropping `%` (a list, true/false,
  null or an object is wrong);
- a single ground-truth run asks for exactly that value instead of an undefined (NaN) interval;
- text answers are compared as written (no trip through float(), so "1" matches "1"), lowercased and
  with surrounding whitespace stripped;
- a report that is not a JSON object grades every question wrong with that reason.
Lists are compared as in official mode: exactly, order included.
"""

import math
from typing import Any, NamedTuple

from reproducer.grading.interval import MIN_RUNS_FOR_SPREAD, prediction_intervals
from reproducer.grading.normalise import json_type, read_number
from reproducer.grading.questions import missing_verdict, question_types, verdict_for
from reproducer.grading.words import (
    describe_interval,
    exception_text,
    finite_or_none,
    number,
    same_items,
    scale_hint,
    show,
)
from reproducer.rundir.verdict import Marking, ValueType


class Judgement(NamedTuple):
    correct: bool
    reason: str
    lower: float | None = None
    upper: float | None = None
    graded: bool = True


def _number(runs: list[dict[str, Any]], question: str, answer: Any) -> Judgement:
    try:
        interval = prediction_intervals(runs, [question])[question]
    except Exception as error:
        why = f"cannot grade: the ground-truth runs are not all numbers ({exception_text(error)})"
        return Judgement(False, why, graded=False)
    parsed = read_number(answer)
    if isinstance(parsed, str):
        return Judgement(False, f"wrong: {show(answer)}: {parsed}")
    shown = f"{show(answer)} read as {number(parsed)}" if isinstance(answer, str) else number(parsed)
    if interval.n < MIN_RUNS_FOR_SPREAD:
        truth = float(interval.mean)
        correct = parsed == truth
        relation = "equals" if correct else "differs from"
        reason = (
            f"{shown} {relation} the single ground-truth run {number(truth)}; with one run there is no "
            "spread to build an interval from, so robust mode asks for exactly that value"
        )
        return Judgement(correct, reason, finite_or_none(truth), finite_or_none(truth))
    lower, upper = float(interval.lower), float(interval.upper)
    correct = lower <= parsed <= upper
    if math.isnan(parsed):
        reason = f"{shown} is NaN (not a number), never inside {describe_interval(interval)}"
    else:
        hint = "" if correct else scale_hint(parsed, interval)
        reason = f"{shown} is {'inside' if correct else 'outside'} {describe_interval(interval)}{hint}"
    return Judgement(correct, reason, finite_or_none(lower), finite_or_none(upper))


def _text(answer: Any, truth: Any) -> Judgement:
    if isinstance(answer, bool) or not isinstance(answer, str | int | float):
        return Judgement(False, f"wrong: {json_type(answer)} ({show(answer)}) is not a text answer")
    try:
        said, wanted = str(answer).strip().lower(), str(truth).strip().lower()
    except ValueError as error:  # an integer past Python's digit limit
        return Judgement(False, f"wrong: {exception_text(error)}")
    correct = said == wanted
    reason = (
        f"{show(said)} vs expected {show(wanted)}, compared lowercased with surrounding whitespace "
        f"stripped: {'equal' if correct else 'different'}"
    )
    return Judgement(correct, reason)


def _list(answer: Any, truth: Any) -> Judgement:
    if not isinstance(answer, list):
        return Judgement(False, f"wrong: {json_type(answer)} ({show(answer)}) is not a list")
    correct = answer == truth
    reason = f"{show(answer)} vs expected {show(truth)}: {'equal' if correct else 'different'}"
    if not correct and same_items(answer, truth):
        reason += "; the same items in another order, and order counts"
    return Judgement(correct, reason)


def _judge(runs: list[dict[str, Any]], question: str, value_type: ValueType, answer: Any) -> Judgement:
    if value_type == "number":
        return _number(runs, question, answer)
    if value_type == "list":
        return _list(answer, runs[0][question])
    return _text(answer, runs[0][question])


def grade_robust(task_results: list[dict[str, Any]], report: object) -> Marking:
    """Grade `report` (a JSON value) against the ground-truth runs (at least one), question by question."""
    types = question_types(task_results[0])
    if not isinstance(report, dict):
        why = f"not graded: the report is {json_type(report)}, not a JSON object mapping questions to answers"
        verdicts = [
            verdict_for(task_results, question, value_type, report, correct=False, graded=False, reason=why)
            for question, value_type in types.items()
        ]
        return Marking(verdicts=verdicts, error=f"the report is {json_type(report)}, not a JSON object")
    verdicts = []
    for question, value_type in types.items():
        if question not in report:
            verdicts.append(missing_verdict(task_results, question, value_type, report.keys()))
            continue
        judgement = _judge(task_results, question, value_type, report[question])
        verdict = verdict_for(
            task_results,
            question,
            value_type,
            report,
            correct=judgement.correct,
            graded=judgement.graded,
            reason=judgement.reason,
            bounds=(judgement.lower, judgement.upper),
        )
        verdicts.append(verdict)
    return Marking(verdicts=verdicts)
