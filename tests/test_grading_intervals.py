"""Official intervals checked against values worked out by hand from textbook t quantiles."""

import math
from typing import Any

import pytest

from reproducer.grading import grade
from reproducer.grading.interval import T_QUANTILE
from reproducer.rundir.verdict import Mode
from reproducer.tasks.model import Task

QUESTION = "Report the loss."
# Two-sided 95% Student t quantiles, t(0.975, df), from statistical tables.
T_DF1 = 12.706204736174698
T_DF2 = 4.302652729749464
T_DF3 = 3.182446305284263
PRECISION = 1e-12


def _bounds(runs: list[Any], mode: Mode = "official") -> tuple[float | None, float | None]:
    task = Task(capsule_id="capsule-interval", task_prompt="Run it.", results=[{QUESTION: v} for v in runs])
    verdict = grade(task, {QUESTION: runs[0]}, mode).verdicts[0]
    return verdict.lower, verdict.upper


@pytest.mark.parametrize(
    ("runs", "mean", "sd", "t_value"),
    [
        ([1.0, 2.0, 3.0], 2.0, 1.0, T_DF2),
        ([10, 12], 11.0, math.sqrt(2), T_DF1),
        ([0.5, 0.5, 0.7, 0.7], 0.6, math.sqrt(0.04 / 3), T_DF3),
    ],
)
def test_the_bounds_are_mean_plus_minus_t_sd_sqrt_one_plus_one_over_n(
    runs: list[float], mean: float, sd: float, t_value: float
) -> None:
    half_width = t_value * sd * math.sqrt(1 + 1 / len(runs))
    lower, upper = _bounds(runs)
    assert lower == pytest.approx(mean - half_width, rel=PRECISION)
    assert upper == pytest.approx(mean + half_width, rel=PRECISION)


def test_runs_one_two_three_give_the_worked_example() -> None:
    lower, upper = _bounds([1.0, 2.0, 3.0])
    assert lower == pytest.approx(2 - 4.302652729749464 * math.sqrt(4 / 3), rel=PRECISION)
    assert upper == pytest.approx(2 + 4.302652729749464 * math.sqrt(4 / 3), rel=PRECISION)
    assert lower == pytest.approx(-2.9682754, abs=1e-7)
    assert upper == pytest.approx(6.9682754, abs=1e-7)


def test_identical_runs_give_a_point_and_one_run_gives_no_interval() -> None:
    assert _bounds([5, 5, 5]) == (5.0, 5.0)
    assert _bounds([0.25]) == (None, None)  # NaN bounds are not numbers; the reason says why
    assert _bounds([0.25], "robust") == (0.25, 0.25)


def test_the_interval_is_closed() -> None:
    task = Task(capsule_id="c", task_prompt="p", results=[{QUESTION: v} for v in (1.0, 2.0, 3.0)])
    lower, upper = _bounds([1.0, 2.0, 3.0])
    modes: tuple[Mode, ...] = ("official", "robust")
    for mode in modes:
        for edge in (lower, upper):
            assert grade(task, {QUESTION: edge}, mode).correct
        assert upper is not None
        assert not grade(task, {QUESTION: math.nextafter(upper, math.inf)}, mode).correct


def test_the_t_quantile_is_bit_for_bit_scipy_stats() -> None:
    # The grader avoids importing scipy.stats (over a second); its quantile must not move by one ulp.
    import numpy as np
    from scipy.special import stdtrit
    from scipy.stats import t as student_t

    for runs in range(1, 501):
        ours, theirs = stdtrit(runs - 1, T_QUANTILE), student_t.ppf(T_QUANTILE, runs - 1)
        assert ours.tobytes() == np.float64(theirs).tobytes(), runs
