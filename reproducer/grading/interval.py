"""The 95% prediction interval a numeric answer must fall in, computed with the official operations."""

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

# Two-sided 95%: the official grader asks for the 0.975 quantile of Student's t with n - 1 degrees of freedom.
T_QUANTILE = 0.975

# A sample standard deviation needs two runs; with one, the official bounds are NaN.
MIN_RUNS_FOR_SPREAD = 2


@dataclass(frozen=True)
class Interval:
    """Bounds stay numpy scalars on purpose: official comparisons against lists broadcast through them."""

    lower: Any
    upper: Any
    mean: Any
    sd: Any
    n: int


def prediction_intervals(runs: list[dict[str, Any]], questions: list[str]) -> dict[str, Interval]:
    """Official `eval_result_json` arithmetic, same operations in the same order, so bounds are bit-identical.

    Raises whatever numpy raises when a question's runs are not numbers; with one run the bounds are NaN.
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        # numpy and scipy warn about ddof >= n (one run); the NaN they return is the documented outcome.
        warnings.simplefilter("ignore")
        means = {q: np.mean([run[q] for run in runs]) for q in questions}
        sds = {q: np.std([run[q] for run in runs], ddof=1) for q in questions}
        n = len(runs)
        # scipy.stats.t.ppf is stdtrit underneath; calling it directly gives the same floats (a test
        # checks bit for bit) without scipy.stats' import, which costs over a second.
        from scipy.special import stdtrit

        t_value = stdtrit(n - 1, T_QUANTILE)
        return {
            q: Interval(
                lower=means[q] - t_value * sds[q] * math.sqrt(1 + 1 / n),
                upper=means[q] + t_value * sds[q] * math.sqrt(1 + 1 / n),
                mean=means[q],
                sd=sds[q],
                n=n,
            )
            for q in questions
        }
