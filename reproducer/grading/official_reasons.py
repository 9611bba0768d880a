"""The sentences official mode gives for its decisions: what was compared with what, and the quirk at work."""

import math
from typing import Any

from reproducer.grading.interval import MIN_RUNS_FOR_SPREAD, Interval
from reproducer.grading.normalise import json_type
from reproducer.grading.words import describe_interval, exception_text, number, same_items, scale_hint, show
from reproducer.rundir.verdict import ValueType

__all__ = ["after_stop", "decided", "exception_text", "failure", "stopped_here"]


def _safe_text(value: Any) -> str:
    try:
        return str(value).lower()
    except Exception:
        return show(value)


def _shown_number(original: Any, value: Any) -> str:
    if isinstance(value, bool):
        return f"{show(value)} (true/false counts as the number {int(value)} in Python)"
    if isinstance(value, list):
        return f"{show(value)} (a one-element list, compared through numpy broadcasting: an official quirk)"
    if isinstance(original, str):
        return f"{show(original)} read as {number(value)}"
    return number(value)


def _number(original: Any, value: Any, interval: Interval, correct: bool) -> str:
    shown = _shown_number(original, value)
    if interval.n < MIN_RUNS_FOR_SPREAD:
        return f"{shown} cannot pass: {describe_interval(interval)}"
    if isinstance(value, float) and math.isnan(value):
        return f"{shown} is NaN (not a number), never inside {describe_interval(interval)}"
    where = "inside" if correct else "outside"
    hint = "" if correct or isinstance(value, bool | list) else scale_hint(value, interval)
    return f"{shown} is {where} {describe_interval(interval)}{hint}"


def _text(original: Any, value: Any, truth: Any, correct: bool) -> str:
    said, wanted = _safe_text(value), _safe_text(truth)
    outcome = "equal" if correct else "different"
    reason = f"{show(said)} vs expected {show(wanted)}, compared lowercased: {outcome}"
    if isinstance(original, str) and not isinstance(value, str):
        turned = f"the official grader first turned the text {show(original)} into the number {number(value)}"
        reason += f" ({turned})"
    if not correct and said.strip() == wanted.strip():
        reason += "; they differ only in surrounding whitespace, which the official grader keeps"
    return reason


def _list(value: Any, truth: Any, correct: bool) -> str:
    reason = f"{show(value)} vs expected {show(truth)}: {'equal' if correct else 'different'}"
    if not correct and same_items(value, truth):
        reason += "; the same items in another order, and order counts"
    return reason


def decided(
    value_type: ValueType, original: Any, value: Any, truth: Any, interval: Interval | None, correct: bool
) -> str:
    """Why a question the official loop reached came out as it did."""
    if value_type == "number":
        assert interval is not None
        return _number(original, value, interval, correct)
    if value_type == "list":
        return _list(value, truth, correct)
    return _text(original, value, truth, correct)


def _what(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {show(value)}, which float() cannot read,"
    if isinstance(value, list):
        return f"a list of {len(value)} items ({show(value)})"
    return f"{json_type(value)} ({show(value)})"


def stopped_here(value: Any, interval: Interval | None, error: BaseException) -> str:
    """The key on which the official loop raised: wrong, and the end of grading for this report."""
    compared = describe_interval(interval) if interval is not None else "the expected value"
    return (
        f"wrong: {_what(value)} cannot be compared with {compared}; the official grader raised "
        f"{exception_text(error)}, counts this question wrong and grades no later key of the report"
    )


def after_stop(stop: tuple[Any, BaseException] | None) -> str:
    if stop is None:  # cannot happen: a key reached neither decided nor stopped means the loop stopped
        return "not graded"
    return (
        f"not graded: the official grader stopped at the exception on {show(stop[0])} "
        f"({exception_text(stop[1])}), which comes earlier in the report"
    )


def failure(report: object, stage: str, error: BaseException) -> str:
    if not isinstance(report, dict):
        return (
            f"not graded: the report is {json_type(report)}, not a JSON object, so the official grader "
            f"fails ({exception_text(error)}) and counts every question wrong"
        )
    return (
        f"not graded: the official grader failed {stage} ({exception_text(error)}) "
        "and counts every question wrong"
    )
