"""The comparison in one sentence, for the console and the step's record."""

from reproducer.compare.model import Comparison, Difference, NumberComparison


def _value(value: float | int | None) -> str:
    return "(gone)" if value is None else str(value)  # every digit the file had


def describe(difference: Difference | NumberComparison) -> str:
    """`results/table2.csv row beta, column se: 0.019 -> 0.021`."""
    return (
        f"{difference.file} {difference.location}: "
        f"{_value(difference.published)} -> {_value(difference.reproduced)}"
    )


def headline(comparison: Comparison) -> str:
    """`412 of 415 numbers reproduced exactly, 2 within 1e-06, 1 different: <the largest difference>`."""
    c = comparison
    loose = sum(n.verdict == "within_loose" for n in c.numbers)
    parts = [f"{c.numbers_exact} of {c.numbers_compared} numbers reproduced exactly"]
    if c.numbers_within_tolerance - loose:
        parts.append(f"{c.numbers_within_tolerance - loose} within {c.tolerance:g}")
    if loose:
        parts.append(f"{loose} within {c.loose_tolerance:g}")
    parts.append(f"{c.numbers_different} different")
    text = ", ".join(parts) if c.numbers_compared else "no numbers compared"
    worst = next((d for d in c.differences if d.relative_error is None or _beyond(c, d)), None)
    if worst is not None:
        text += f": {describe(worst)}"
    if c.numbers_run_time:
        text += f"; {c.numbers_run_time} run times not compared"
    if c.figures:
        changed = [f.file for f in c.figures if f.verdict == "different"]
        text += f"; {len(c.figures) - len(changed)} of {len(c.figures)} figures alike"
        if changed:
            text += f" ({', '.join(changed[:3])} changed)"
    if c.files_not_regenerated:
        text += f"; {len(c.files_not_regenerated)} committed outputs not regenerated"
    if c.files_unreadable:
        text += f"; {len(c.files_unreadable)} regenerated files not read (a link out, a fifo or a device)"
    if not c.files_compared:
        text += "; no committed output was regenerated"
    return text


def _beyond(comparison: Comparison, difference: Difference) -> bool:
    limit = max(comparison.tolerance, comparison.loose_tolerance or 0.0)
    return difference.relative_error is not None and difference.relative_error > limit
