"""Entry points: the commands that run a capsule's analysis, most authoritative first, duplicates dropped."""

from collections.abc import Sequence

from reproducer.plan.capsule import Capsule
from reproducer.plan.entries.conventional import conventional_scripts, notebooks
from reproducer.plan.entries.documents import document_commands
from reproducer.plan.entries.makefile import make_targets
from reproducer.plan.entries.scripts import shell_scripts
from reproducer.plan.model import EntryCandidate, EntryPoint


def find_entry_points(
    capsule: Capsule, prompt: str | None = None, questions: Sequence[str] = ()
) -> list[EntryCandidate]:
    """Every candidate, each marked kept or dropped with its reason; the kept ones run, in order.

    Candidates come from Code Ocean's run script, shell scripts, Makefile targets, README commands,
    notebooks and main files. `prompt` and `questions` are the task's, when there is one.
    """
    found = [
        *shell_scripts(capsule),
        *make_targets(capsule),
        *document_commands(capsule),
        *notebooks(capsule),
        *conventional_scripts(capsule),
    ]
    unique: dict[tuple[str, str], EntryPoint] = {}
    for entry in found:
        unique.setdefault((entry.cwd, " ".join(entry.command.split())), entry)
    return choose(list(unique.values()))


def _is_bare_notebook(entry: EntryPoint) -> bool:
    # A notebook found as a file is its own evidence; a `jupyter nbconvert ...` line cites a README.
    return entry.kind == "notebook" and entry.evidence.file.endswith(".ipynb")


def _source(entry: EntryPoint) -> str:
    # Notebooks found as files, one entry each, form one group so that all of them run.
    return "notebooks" if _is_bare_notebook(entry) else entry.evidence.file


def choose(entries: list[EntryPoint]) -> list[EntryCandidate]:
    """Keeps the entry points from the most authoritative source (the first one listed), in order.

    Sources are listed from the most telling (Code Ocean's `code/run`) to the least (`main.py`);
    running every source would run the analysis several times, so only the first source's commands run.
    """
    first = _source(entries[0]) if entries else ""
    return [
        EntryCandidate(entry=entry, kept=True, reason=f"from {first}, the most authoritative source")
        if _source(entry) == first
        else EntryCandidate(entry=entry, kept=False, reason=f"{first} is more authoritative")
        for entry in entries
    ]
