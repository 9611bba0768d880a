"""What a comparison found: each number's verdict, each figure's difference, and the files on either side."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Two numbers whose relative difference is at most this reproduce "within tolerance": the last digits of a
# float printed by another BLAS or compiler, not a different result.
DEFAULT_TOLERANCE = 1e-6
# A figure whose downscaled grey image differs by more than this mean fraction of full scale has changed.
FIGURE_THRESHOLD = 0.01

# `run_time`: a number labelled as a run time (elapsed, seconds, took...), which no rerun reproduces:
# listed with its values, never counted as compared.
Verdict = Literal["exact", "within_tolerance", "within_loose", "different", "missing", "run_time"]


class CompareOptions(BaseModel):
    """`loose` is a second, user-given relative tolerance (an unseeded script's noise), reported apart."""

    model_config = ConfigDict(frozen=True)

    tolerance: float = DEFAULT_TOLERANCE
    loose: float | None = None


class NumberComparison(BaseModel):
    """One published number and its counterpart in the regenerated file (None when it is gone)."""

    file: str
    location: str
    label: str
    published: float | int
    reproduced: float | int | None
    relative_error: float | None
    verdict: Verdict


class Difference(BaseModel):
    file: str
    location: str
    published: float | int
    reproduced: float | int | None
    relative_error: float | None


class FigureComparison(BaseModel):
    """`difference`: mean absolute difference of the two downscaled grey images, 0 (same) to 1."""

    file: str
    difference: float | None
    verdict: Literal["same", "different", "unreadable"]
    reason: str = ""


class Comparison(BaseModel):
    tolerance: float
    loose_tolerance: float | None = None
    numbers_compared: int = 0
    numbers_exact: int = 0
    numbers_within_tolerance: int = 0
    numbers_different: int = 0
    # Numbers in a regenerated file with no published counterpart (not counted as compared).
    numbers_new: int = 0
    # Run times (see `Verdict`): listed in `numbers`, not compared.
    numbers_run_time: int = 0
    files_compared: list[str] = Field(default_factory=list)
    files_not_regenerated: list[str] = Field(default_factory=list)
    files_new: list[str] = Field(default_factory=list)
    # Regenerated but not read: a link out of the capsule, a fifo or a device.
    files_unreadable: list[str] = Field(default_factory=list)
    figures: list[FigureComparison] = Field(default_factory=list)
    # The numbers that did not reproduce exactly, largest relative error first (a missing one first of all).
    differences: list[Difference] = Field(default_factory=list)
    numbers: list[NumberComparison] = Field(default_factory=list)

    @property
    def figures_different(self) -> int:
        return sum(figure.verdict == "different" for figure in self.figures)

    @property
    def reproduced(self) -> bool:
        """Something was compared, and every number and figure compared came out again within tolerance."""
        compared = self.numbers_compared > 0 or bool(self.figures)
        return compared and self.numbers_different == 0 and self.figures_different == 0
