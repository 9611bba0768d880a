"""The committed outputs, copied aside before staging removes anything or the code overwrites it.

Any file might be one the code regenerates, so every file that could hold a result is kept (tables,
text and logs, JSON, HTML, notebooks, figures, PDFs), skipping source code and binaries, under size caps.
"""

import os
import shutil
from pathlib import Path, PurePosixPath

from reproducer.harvest.kinds import file_kind
from reproducer.harvest.limits import MAX_FILE_BYTES

# Source code is what runs, never what it produced.
_CODE = (
    "py r jl m sh bash c cc cpp h hpp f f90 java js ts go rs do ado sas sql stan",
    "toml cfg ini lock yml yaml rmd qmd tex bib sty cls gitignore dockerfile",
)
CODE_SUFFIXES = frozenset(f".{suffix}" for line in _CODE for suffix in line.split())
# Folders whose files are outputs by convention: one committed there and not written again is reported.
_OUTPUTS = "results result output outputs out figures figure figs fig plots tables reports"
OUTPUT_FOLDERS = frozenset(_OUTPUTS.split())
SKIPPED_FOLDERS = frozenset({".git", "__pycache__", ".ipynb_checkpoints", "node_modules", ".venv", "venv"})
MAX_PUBLISHED_BYTES = 512 * 1024 * 1024


def is_output_path(relative: str) -> bool:
    """True for a file under a conventional output folder (`results/`, `figures/`, ...)."""
    return any(part.lower() in OUTPUT_FOLDERS for part in PurePosixPath(relative).parts[:-1])


def record_published(capsule: Path, into: Path, max_bytes: int = MAX_PUBLISHED_BYTES) -> list[str]:
    """Copies `capsule`'s possible outputs into `into` (same relative paths, times kept); returns them."""
    kept: list[str] = []
    total = 0
    for folder, directories, names in os.walk(capsule):
        directories[:] = sorted(d for d in directories if d not in SKIPPED_FOLDERS)
        for name in sorted(names):
            path = Path(folder, name)
            if path.is_symlink() or not path.is_file() or path.suffix.lower() in CODE_SUFFIXES:
                continue
            size = path.stat().st_size
            if size > MAX_FILE_BYTES or total + size > max_bytes or file_kind(path) == "binary":
                continue
            relative = path.relative_to(capsule)
            (into / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, into / relative)
            total += size
            kept.append(relative.as_posix())
    return kept


def published_files(into: Path) -> list[str]:
    """The relative paths recorded in `into`, sorted."""
    if not into.is_dir():
        return []
    return sorted(p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file())
