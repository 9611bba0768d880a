"""The comparison of a run without questions: each number that moved beside its published value, and each
regenerated figure beside the committed one."""

from dataclasses import dataclass, field
from pathlib import Path

from reproducer.compare.headline import headline
from reproducer.compare.model import Comparison
from reproducer.report.figures import Figure, figure_of
from reproducer.report.limits import IMAGES_PER_TASK
from reproducer.report.records import read_json
from reproducer.report.text import clean
from reproducer.rundir.layout import COMPARISON_FILE, PUBLISHED_DIR

GOOD = frozenset({"exact", "within_tolerance", "within_loose"})
# A comparison of thousands of numbers shows its differences and then this many of the rest.
ROWS_SHOWN = 300
VERDICT_WORDS = {
    "exact": "exact",
    "within_tolerance": "within tolerance",
    "within_loose": "within the looser tolerance",
    "different": "different",
    "missing": "not regenerated",
    "run_time": "a run time: not compared",
}


@dataclass(frozen=True)
class NumberRow:
    file: str
    location: str
    published: str
    reproduced: str
    relative_error: str
    verdict: str
    tone: str


@dataclass(frozen=True)
class FigurePair:
    file: str
    verdict: str
    difference: str
    published: Figure
    reproduced: Figure


@dataclass
class ComparisonView:
    headline: str
    reproduced: bool
    rows: list[NumberRow] = field(default_factory=list)
    rows_left_out: int = 0
    figures: list[FigurePair] = field(default_factory=list)
    files_compared: list[str] = field(default_factory=list)
    files_not_regenerated: list[str] = field(default_factory=list)
    files_new: list[str] = field(default_factory=list)
    files_unreadable: list[str] = field(default_factory=list)


def comparison_view(run_dir: Path, capsule_dir: Path) -> ComparisonView | None:
    """None for a run that compared nothing (a run with questions); raises ValueError for a broken file."""
    record = read_json(run_dir / COMPARISON_FILE)
    if record.problem:
        raise ValueError(record.problem)
    if not record.ok:
        return None
    comparison = Comparison.model_validate(record.data)
    view = ComparisonView(
        headline=clean(headline(comparison)),
        reproduced=comparison.reproduced,
        files_compared=[clean(name) for name in comparison.files_compared],
        files_not_regenerated=[clean(name) for name in comparison.files_not_regenerated],
        files_new=[clean(name) for name in comparison.files_new],
        files_unreadable=[clean(name) for name in comparison.files_unreadable],
    )
    # The numbers that moved first, largest relative error first, then the ones that came out exact.
    ordered = sorted(
        comparison.numbers,
        key=lambda n: (n.verdict == "exact", n.relative_error is not None, -(n.relative_error or 0.0)),
    )
    view.rows = [
        _row(n.file, n.location, n.published, n.reproduced, n.relative_error, n.verdict) for n in ordered
    ]
    view.rows, view.rows_left_out = view.rows[:ROWS_SHOWN], max(0, len(view.rows) - ROWS_SHOWN)
    for figure in comparison.figures[:IMAGES_PER_TASK]:
        difference = "unreadable" if figure.difference is None else f"{figure.difference:.4f}"
        view.figures.append(
            FigurePair(
                file=clean(figure.file),
                verdict=figure.verdict,
                difference=difference,
                published=figure_of(run_dir, run_dir / PUBLISHED_DIR, figure.file, "published"),
                reproduced=figure_of(run_dir, capsule_dir, figure.file, "regenerated"),
            )
        )
    return view


def _row(
    file: str,
    location: str,
    published: float | int,
    reproduced: float | int | None,
    error: float | None,
    verdict: str,
) -> NumberRow:
    return NumberRow(
        file=clean(file),
        location=clean(location),
        published=str(published),
        reproduced="–" if reproduced is None else str(reproduced),
        relative_error="–" if error is None else f"{error:.3g}",
        verdict=VERDICT_WORDS.get(verdict, verdict),
        tone="good" if verdict in GOOD else "neutral" if verdict == "run_time" else "bad",
    )
