"""Official mode: CORE-Bench's `eval_result_json`, operation for operation, with a reason per question.

The decisions are made by the very Python and numpy operations of the official grader, in its order
(the report's keys, in the report's order), including its quirks: a one-element list passes a numeric
question, `true` counts as 1, a text answer "1" becomes 1.0 and then the text "1.0", and the first
exception while comparing leaves every later key of the report ungraded. Reasons are written afterwards,
outside the exception handling, so explaining a decision can never change it.
"""

from typing import Any

from reproducer.grading import official_reasons as reasons
from reproducer.grading.interval import Interval, prediction_intervals
from reproducer.grading.normalise import official_normalise
from reproducer.grading.questions import missing_verdict, question_types, verdict_for
from reproducer.grading.words import finite_or_none
from reproducer.rundir.verdict import Marking, ValueType


def _decide(value_type: ValueType, value: Any, truth: Any, interval: Interval | None) -> bool:
    # `if` on purpose: it applies bool() exactly where the official `if` does (arrays from broadcasting).
    if value_type == "number":
        assert interval is not None
        if interval.lower <= value <= interval.upper:
            return True
    elif value_type == "list":
        if value == truth:
            return True
    elif str(value).lower() == str(truth).lower():
        return True
    return False


def grade_official(task_results: list[dict[str, Any]], report: object) -> Marking:
    """Grade `report` (a JSON value) against ground-truth runs (at least one) as the official harness does."""
    types = question_types(task_results[0])
    numeric = [question for question, value_type in types.items() if value_type == "number"]
    # A shallow copy is enough to spare the caller's report: the official loop only rebinds top-level values.
    working: Any = dict(report) if isinstance(report, dict) else report
    intervals: dict[str, Interval] = {}
    decisions: dict[Any, bool] = {}
    stop: tuple[Any, BaseException] | None = None
    stage = "reading the report"
    try:
        # `.keys()`, not iteration: on a list or a text the official grader fails here, and so must we.
        for key in working.keys():  # noqa: SIM118
            working[key] = official_normalise(working[key])
        stage = "computing the prediction intervals from the ground truth"
        intervals = prediction_intervals(task_results, numeric)
        key = None
        try:
            for key in working.keys():  # noqa: SIM118
                value_type = types.get(key)
                if value_type is not None:
                    truth = task_results[0][key]
                    decisions[key] = _decide(value_type, working[key], truth, intervals.get(key))
        except Exception as error:
            stop = (key, error)
    except Exception as error:
        why = reasons.failure(report, stage, error)
        verdicts = [
            verdict_for(task_results, question, value_type, report, correct=False, graded=False, reason=why)
            for question, value_type in types.items()
        ]
        return Marking(verdicts=verdicts, error=f"{stage}: {reasons.exception_text(error)}")

    answers: Any = report  # an object with keys, like the copy in `working`
    verdicts = []
    for question, value_type in types.items():
        if question not in working:
            verdicts.append(missing_verdict(task_results, question, value_type, working.keys()))
            continue
        interval = intervals.get(question)
        if question in decisions:
            correct, graded = decisions[question], True
            truth = task_results[0][question]
            why = reasons.decided(value_type, answers[question], working[question], truth, interval, correct)
        elif stop is not None and stop[0] == question:
            correct, graded = False, True
            why = reasons.stopped_here(working[question], interval, stop[1])
        else:
            correct, graded = False, False
            why = reasons.after_stop(stop)
        verdicts.append(
            verdict_for(
                task_results,
                question,
                value_type,
                report,
                correct=correct,
                graded=graded,
                reason=why,
                bounds=_bounds(interval),
            )
        )
    return Marking(verdicts=verdicts)


def _bounds(interval: Interval | None) -> tuple[float | None, float | None]:
    if interval is None:
        return None, None
    return finite_or_none(interval.lower), finite_or_none(interval.upper)
