"""CORE-Bench's three levels: what the official harness takes away from the capsule before an attempt.

The harness's rules are written for a Code Ocean capsule, whose `results/` holds only outputs. A research
repository handed over as it is (a `results/` of inputs, an `environment/` holding its conda file) is
not that layout: emptying its folders would destroy inputs, so it is staged as it is.

The layout test (`is_code_ocean_layout`): a top-level `code/` folder, and either one of Code Ocean's own
marks (`REPRODUCING.md`, `environment/`, `metadata/`) or nothing at the top but `code/`, `data/`,
`results/` and hidden files. A repository with a README, a LICENSE or a `src/` beside `code/` fails it.
"""

from pathlib import Path
from typing import Literal, get_args

from reproducer.capsules.fs import remove_tree

Level = Literal["easy", "medium", "hard"]
LEVELS: tuple[Level, ...] = get_args(Level)
Layout = Literal["codeocean", "repository"]

RESULTS_DIR = "results"
# What the harness removes on every level but medium: the instructions and scripts that say how to
# rerun the capsule (official benchmark.py, `if level != medium`).
RERUN_RECIPE = ("REPRODUCING.md", "environment", "code/run", "code/run.sh")
CODE_OCEAN_MARKS = ("REPRODUCING.md", "environment", "metadata")
CODE_OCEAN_FOLDERS = frozenset({"code", "data", "results"})


def is_code_ocean_layout(capsule_dir: Path) -> bool:
    """True if the folder is laid out as a Code Ocean capsule (see the module's note)."""
    if not (capsule_dir / "code").is_dir():
        return False
    if any((capsule_dir / mark).exists() for mark in CODE_OCEAN_MARKS):
        return True
    visible = [entry for entry in capsule_dir.iterdir() if not entry.name.startswith(".")]
    return all(entry.name in CODE_OCEAN_FOLDERS and entry.is_dir() for entry in visible)


def apply_level(capsule_dir: Path, level: Level) -> list[str]:
    """Changes the staged capsule as the official harness does; returns the relative paths removed.

    easy keeps `results/` and removes the rerun recipe; medium empties `results/` and keeps the rest;
    hard does both. Missing files are fine; an emptied `results/` is always left as an empty folder.
    A folder that is not a Code Ocean layout is left as it is (the harness has no rule for it).
    """
    if not is_code_ocean_layout(capsule_dir):
        return []
    removed: list[str] = []
    if level != "easy":
        removed += _empty_results(capsule_dir)
    if level != "medium":
        for relative in RERUN_RECIPE:
            path = capsule_dir / relative
            if path.exists() or path.is_symlink():
                remove_tree(path)
                removed.append(relative)
    return removed


def _empty_results(capsule_dir: Path) -> list[str]:
    results = capsule_dir / RESULTS_DIR
    removed: list[str] = []
    if results.is_dir() and not results.is_symlink():
        removed = sorted(f"{RESULTS_DIR}/{entry.name}" for entry in results.iterdir())
    elif results.exists() or results.is_symlink():
        removed = [RESULTS_DIR]
    remove_tree(results)
    results.mkdir()
    return removed
