"""Marking facts as doubtful after the harvest: what a failed command printed is used only when nothing
else answers (the answerer reads `Fact.caveat`)."""

from collections.abc import Mapping
from pathlib import Path

from reproducer.harvest.model import Harvest


def _name(path: Path, root: Path) -> str:
    """The name the harvest gives a file: relative to the root when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def mark_files(found: Harvest, root: Path, caveats: Mapping[Path, str]) -> int:
    """Give every fact of the files in `caveats` that file's caveat (a fact's own caveat, such as a
    traceback's, is kept); returns how many facts were marked."""
    by_name = {_name(path, root): caveat for path, caveat in caveats.items()}
    marked = 0
    for position, fact in enumerate(found.facts):
        caveat = by_name.get(fact.file)
        if caveat and not fact.caveat:
            found.facts[position] = fact.model_copy(update={"caveat": caveat})
            marked += 1
    return marked
