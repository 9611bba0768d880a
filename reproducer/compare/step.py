"""The run's compare step: where the published copy and `comparison.json` live, and writing them."""

from collections.abc import Callable
from pathlib import Path

from reproducer.compare.compare import compare_outputs
from reproducer.compare.model import CompareOptions, Comparison
from reproducer.compare.published import record_published
from reproducer.rundir.layout import COMPARISON_FILE, PUBLISHED_DIR
from reproducer.rundir.stamp import write_record


def keep_published(run_root: Path) -> Callable[[Path], list[str]]:
    """What staging calls on the copied capsule, before its level removes anything: a copy of its outputs."""
    return lambda capsule: record_published(capsule, run_root / PUBLISHED_DIR)


def compare_run(
    run_root: Path, capsule_dir: Path, produced: list[Path], options: CompareOptions
) -> Comparison:
    """Compares the files the run created or changed inside the capsule; writes `comparison.json`."""
    regenerated = []
    for path in produced:
        if not path.is_file():  # `results/` itself, or a file the run deleted again
            continue
        try:
            regenerated.append(path.relative_to(capsule_dir).as_posix())
        except ValueError:  # a log in the run directory, not an output of the capsule
            continue
    comparison = compare_outputs(run_root / PUBLISHED_DIR, capsule_dir, regenerated, options)
    write_record(run_root / COMPARISON_FILE, comparison)
    return comparison
