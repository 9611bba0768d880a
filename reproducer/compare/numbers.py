"""Matching the numbers of a published file with those of its regenerated version, and judging each pair.

A table cell is matched by its row and column labels, so reordered rows still meet; any other number
by its label and its rank among the numbers with that label in the file (the second `loss` with the
second `loss`).
"""

import math
import re
from collections import Counter

from reproducer.compare.model import CompareOptions, NumberComparison, Verdict
from reproducer.harvest.fact import Fact

Key = tuple[str, str, str, int]
# Labels that name how long something took: a machine's speed, not a result. Bare "time" is not one
# (a survival time, a time point).
RUN_TIME = re.compile(
    r"\b(elapsed|run[ -]?time|wall[ -]?(clock|time)|cpu time|time taken|took|seconds?|secs?|it/s|s/it)\b",
    re.IGNORECASE,
)


def is_run_time(fact: Fact) -> bool:
    return bool(RUN_TIME.search(fact.label) or RUN_TIME.search(fact.column))


def _numeric(fact: Fact) -> bool:
    return isinstance(fact.value, int | float) and not isinstance(fact.value, bool)


def keyed(facts: list[Fact]) -> dict[Key, Fact]:
    """The numeric facts of one file by (row, column, label, rank); the first of a repeated key wins."""
    seen: Counter[tuple[str, str, str]] = Counter()
    result: dict[Key, Fact] = {}
    for fact in facts:
        if not _numeric(fact):
            continue
        base = (fact.row, fact.column, "") if fact.row or fact.column else ("", "", fact.label)
        result.setdefault((*base, seen[base]), fact)
        seen[base] += 1
    return result


def location(fact: Fact) -> str:
    """`row beta, column se` for a table cell (after its cell or table, if any); else place and label."""
    if fact.row:
        head = fact.location.split("row ", 1)[0] if "row " in fact.location else ""
        return f"{head}row {fact.row}, column {fact.column}"
    if fact.column or not fact.label or fact.label in fact.location:
        return fact.location
    return f"{fact.location}, {fact.label}"


def relative_error(published: float, reproduced: float) -> float:
    """|reproduced - published| / |published|; against a published 0, the absolute difference."""
    difference = abs(reproduced - published)
    return difference / abs(published) if published != 0 else difference


def verdict(published: float, reproduced: float, options: CompareOptions) -> tuple[Verdict, float]:
    error = relative_error(float(published), float(reproduced))
    if published == reproduced:
        return "exact", 0.0
    if error <= options.tolerance:
        return "within_tolerance", error
    if options.loose is not None and error <= options.loose:
        return "within_loose", error
    return "different", error if math.isfinite(error) else float("inf")


def compare_numbers(
    file: str, published: list[Fact], reproduced: list[Fact], options: CompareOptions
) -> tuple[list[NumberComparison], int]:
    """Each published number judged against its match; also how many regenerated numbers had no match."""
    before, after = keyed(published), keyed(reproduced)
    results: list[NumberComparison] = []
    for key, fact in before.items():
        match = after.get(key)
        value = fact.value
        assert isinstance(value, int | float)
        if match is None:
            results.append(
                NumberComparison(
                    file=file,
                    location=location(fact),
                    label=fact.label,
                    published=value,
                    reproduced=None,
                    relative_error=None,
                    verdict="missing",
                )
            )
            continue
        other = match.value
        assert isinstance(other, int | float)
        judged, error = verdict(value, other, options)
        if is_run_time(fact):
            judged = "run_time"
        results.append(
            NumberComparison(
                file=file,
                location=location(fact),
                label=fact.label,
                published=value,
                reproduced=other,
                relative_error=error,
                verdict=judged,
            )
        )
    return results, sum(key not in before for key in after)
