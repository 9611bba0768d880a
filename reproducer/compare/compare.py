"""`compare_outputs`: every regenerated file beside its committed version, then the totals."""

import os
from pathlib import Path

from reproducer.compare.figures import compare_figure
from reproducer.compare.model import CompareOptions, Comparison, Difference, NumberComparison
from reproducer.compare.numbers import compare_numbers
from reproducer.compare.published import is_output_path, published_files
from reproducer.harvest import harvest
from reproducer.harvest.kinds import file_kind
from reproducer.harvest.model import HarvestedFile
from reproducer.safefs import open_inside

MAX_NUMBERS_KEPT = 20000


def compare_outputs(
    published_dir: Path, capsule_dir: Path, regenerated: list[str], options: CompareOptions
) -> Comparison:
    """Compares each file in `regenerated` (paths relative to `capsule_dir`) with its copy in `published_dir`.

    Files recorded there but not regenerated are listed when they sit in an output folder (`results/`,
    `figures/`, ...): elsewhere they are inputs. Regenerated files with no published copy are new.
    """
    published = set(published_files(published_dir))
    written = sorted(set(regenerated))
    result = Comparison(tolerance=options.tolerance, loose_tolerance=options.loose)
    result.files_new = [name for name in written if name not in published]
    result.files_not_regenerated = [
        name for name in sorted(published) if name not in written and is_output_path(name)
    ]
    numbers: list[NumberComparison] = []
    for name in written:
        if name not in published:
            continue
        if not _regular_inside(capsule_dir, name):
            result.files_unreadable.append(name)
            continue
        before, after = published_dir / name, capsule_dir / name
        kind = file_kind(after)
        if kind == "image":
            result.figures.append(compare_figure(name, published_dir, capsule_dir))
            result.files_compared.append(name)
            continue
        if kind == "pdf":  # a PDF is as often a figure as a report: its look and its numbers
            result.figures.append(compare_figure(name, published_dir, capsule_dir))
        old, new = harvest(published_dir, [before]), harvest(capsule_dir, [after])
        if not _readable(old.files) or not _readable(new.files):
            continue
        found, extra = compare_numbers(name, old.facts, new.facts, options)
        numbers += found
        result.numbers_new += extra
        result.files_compared.append(name)
    _totals(result, numbers)
    return result


def _regular_inside(root: Path, name: str) -> bool:
    """True for a regular file reached without a link out of `root` (the code wrote it: it may be a
    link to a host file, a fifo or a device)."""
    try:
        os.close(open_inside(root.resolve(), name))
    except OSError:
        return False
    return True


def _readable(files: list[HarvestedFile]) -> bool:
    return bool(files) and all(file.state == "ok" for file in files)


def _totals(result: Comparison, numbers: list[NumberComparison]) -> None:
    result.numbers_run_time = sum(n.verdict == "run_time" for n in numbers)
    result.numbers_compared = len(numbers) - result.numbers_run_time
    result.numbers_exact = sum(n.verdict == "exact" for n in numbers)
    result.numbers_within_tolerance = sum(n.verdict in ("within_tolerance", "within_loose") for n in numbers)
    result.numbers_different = sum(n.verdict in ("different", "missing") for n in numbers)
    off = [n for n in numbers if n.verdict not in ("exact", "run_time")]
    # A vanished number first, then the largest relative error.
    off.sort(key=lambda n: (n.relative_error is not None, -(n.relative_error or 0.0)))
    result.differences = [
        Difference(
            file=n.file,
            location=n.location,
            published=n.published,
            reproduced=n.reproduced,
            relative_error=n.relative_error,
        )
        for n in off
    ]
    result.numbers = numbers[:MAX_NUMBERS_KEPT]
