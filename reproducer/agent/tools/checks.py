"""Checks of submitted values against what the code printed: the mistakes that cost a right answer.

The official grader compares numbers within the spread of the reference runs, so a value rounded from
the printed one, a percentage given as a fraction (or the reverse), a giving-up string or a name where a
number was asked for all fail. Each check names the printed value it compared with; none consults the
ground truth.
"""

import math
import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel

from reproducer.answer.scoring import expected_kind
from reproducer.harvest import Fact

CheckKind = Literal["rounded", "percent_fraction", "gave_up", "type"]
# At most this many printed values are named in one check.
MAX_NAMED = 3
# An integer answer is checked for rounding only from this size on: small counts (1, 2, 3) are the
# rounded form of too many printed values to say anything.
MIN_ROUNDED_INTEGER = 10
_GAVE_UP = re.compile(
    r"^\W*(?:n/?a|none|null|nan|unknown|tbd|todo|not (?:available|found|applicable|reported|known|run)"
    r"|(?:could ?n[o']?t|cannot|can't|unable to|failed to|did not|didn't)\b.*|error\b.*|\?+|-+)\W*$",
    re.IGNORECASE,
)
# Questions that ask for a quantity, whatever else they say ("Report the accuracy ...").
_ASKS_FOR_NUMBER = re.compile(
    r"\bhow (?:many|much)\b|\bnumber of\b|\bpercent|\baccuracy\b|\bmean\b|\baverage\b|\bvalue of\b"
    r"|\brate\b|\bscore\b|\bcount\b|\bp-?value\b|\bcorrelation\b|\bratio\b|\bauc\b|\bf1\b|\bloss\b",
    re.IGNORECASE,
)
_NUMBER_TEXT = re.compile(r"^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*%?\s*$")


class ValueCheck(BaseModel):
    """Something to look at again in one submitted answer."""

    question: str
    value: Any
    kind: CheckKind
    message: str


def check_answers(answers: dict[str, Any], facts: Sequence[Fact]) -> list[ValueCheck]:
    """The checks `answers` (question -> value) fail, given the harvested `facts`."""
    printed = [(float(fact.value), fact) for fact in facts if _is_number(fact.value)]
    checks = []
    for question, value in answers.items():
        problem = _problem(question, value, printed)
        if problem is not None:
            kind, message = problem
            checks.append(ValueCheck(question=question, value=value, kind=kind, message=message))
    return checks


Printed = list[tuple[float, Fact]]


def _problem(question: str, value: Any, printed: Printed) -> tuple[CheckKind, str] | None:
    values = value if isinstance(value, list) else [value]
    if any(isinstance(item, str) and _GAVE_UP.match(item) for item in values):
        return "gave_up", (
            f"{value!r} gives up; the grader counts it wrong. Submit your best value: from this run's "
            "outputs, the capsule's results/, or an estimate"
        )
    if isinstance(value, list):
        return None
    kind = expected_kind(question)
    if isinstance(value, str) and kind == "number" and _ASKS_FOR_NUMBER.search(question):
        if not _NUMBER_TEXT.match(value):
            return "type", f"the question asks for a number and {value!r} is not one"
        return "type", f"give the number as a JSON number, not the string {value!r}"
    if _is_number(value) and kind == "string":
        return "type", f"the question asks for a name or label and {value!r} is a number"
    if not _is_number(value) or any(_same(number, float(value)) for number, _ in printed):
        return None
    return _scale_problem(float(value), printed) or _rounding_problem(value, printed)


def _scale_problem(value: float, printed: Printed) -> tuple[CheckKind, str] | None:
    tolerance = _half_unit(value)
    if 0 < abs(value) <= 100:
        as_fraction = [f for n, f in printed if 0 < abs(n) <= 1 and abs(n * 100 - value) <= tolerance]
        if as_fraction:
            return "percent_fraction", (
                f"{value!r} looks like a percentage; the output printed the fraction {_named(as_fraction)}. "
                "Keep the scale the output uses unless the question asks for another"
            )
    if 0 < abs(value) <= 1:
        as_percent = [f for n, f in printed if abs(n) > 1 and abs(n / 100 - value) <= tolerance]
        if as_percent:
            return "percent_fraction", (
                f"{value!r} looks like a fraction; the output printed the percentage {_named(as_percent)}. "
                "Keep the scale the output uses unless the question asks for another"
            )
    return None


def _rounding_problem(value: float, printed: Printed) -> tuple[CheckKind, str] | None:
    places = _decimals(value)
    if places is None or (places == 0 and abs(value) < MIN_ROUNDED_INTEGER):
        return None
    # Within half a unit of the answer's last place, whichever way the tie was broken (60.25 -> 60.3).
    tolerance = _half_unit(value)
    exact = [
        fact
        for number, fact in printed
        if (_decimals(fact.value) or 0) > places and abs(number - value) <= tolerance
    ]
    if not exact:
        return None
    return "rounded", (
        f"{value!r} is a rounded form of {_named(exact)}; the grader needs every digit the output printed"
    )


def _named(facts: list[Fact]) -> str:
    named = [f"{fact.raw.strip() or repr(fact.value)} ({fact.provenance})" for fact in facts[:MAX_NAMED]]
    more = f" and {len(facts) - MAX_NAMED} more" if len(facts) > MAX_NAMED else ""
    return ", ".join(named) + more


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _same(printed: float, value: float) -> bool:
    return math.isclose(printed, value, rel_tol=1e-12, abs_tol=1e-15)


def _decimals(value: object) -> int | None:
    """Digits after the point in the shortest form of `value`; None for exponent forms."""
    text = repr(value)
    if "e" in text or "E" in text:
        return None
    return len(text.split(".")[1]) if "." in text else 0


def _half_unit(value: float) -> float:
    """Half a unit in the last place `value` shows: how far a rounded form may be from the original."""
    places = _decimals(value)
    return 0.5 * 10.0 ** -(places if places is not None else 12) + 1e-12
