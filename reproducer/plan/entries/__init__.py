"""Entry points: what runs a capsule's analysis, from the most authoritative source that says, in order.

Sources, most authoritative first: the task's prompt ("Run 'main.R' using Rscript"), Code Ocean's
`code/run`, then `run.sh`/`reproduce.sh`, a Makefile, each instruction file (REPRODUCING, README, USAGE,
docs/...), and last the code itself. Only the first source that yields an entry point runs (running
several would run the analysis several times); every other candidate stays in the plan, dropped,
with the reason.
"""

import re
from collections.abc import Sequence

from reproducer.plan.capsule import Capsule
from reproducer.plan.entries.code import SOURCE as CODE_SOURCE
from reproducer.plan.entries.code import code_entries
from reproducer.plan.entries.documents import document_commands
from reproducer.plan.entries.found import Found
from reproducer.plan.entries.makefile import make_targets
from reproducer.plan.entries.order import question_match, run_order
from reproducer.plan.entries.resolve import locate, named_script
from reproducer.plan.entries.scripts import shell_scripts
from reproducer.plan.model import EntryCandidate, EntryPoint
from reproducer.plan.parse.script import sequence_pieces
from reproducer.plan.parse.shell_words import split_commands, split_words
from reproducer.plan.prompt import prompt_entry_points

PROMPT_SOURCE = "the task prompt"
_NOT_ANALYSIS_TARGET = re.compile(r"^(readme(\.\w+)?|help|clean\w*|install\w*|docs?)$", re.IGNORECASE)
# Kinds whose command is the document itself (the pipeline renders or runs it).
_DOCUMENT_KINDS = frozenset({"notebook", "rmarkdown", "quarto"})


def find_entry_points(
    capsule: Capsule, prompt: str | None = None, questions: Sequence[str] = ()
) -> list[EntryCandidate]:
    """Every candidate, each marked kept or dropped with its reason; the kept ones first, in running order.

    `prompt` and `questions` are the task's, when there is one: the questions decide which of the kept
    entries run first (and which values a `Usage:` placeholder takes first).
    """
    sources: list[list[Found]] = [
        _prompt_entries(capsule, prompt) if prompt else [],
        *([_own(e)] for e in shell_scripts(capsule)),
        *([_own(e)] for e in make_targets(capsule)),
        *document_commands(capsule, questions),
        code_entries(capsule),
    ]
    return rank([s for s in sources if s], questions)


def _prompt_entries(capsule: Capsule, prompt: str) -> list[Found]:
    """What the prompt says to run, in its order; what it names but the capsule lacks becomes a warning."""
    said = prompt_entry_points(capsule, prompt)
    capsule.warnings.extend(f"task prompt: {problem}" for problem in [*said.unresolved, *said.warnings])
    found: list[Found] = []
    for entry in said.entries:
        pieces = sequence_pieces(split_words(entry.command))
        argv = [w for command in split_commands(pieces[0])[:1] for w in command] if pieces else []
        script = named_script(argv) if entry.kind not in _DOCUMENT_KINDS else entry.command
        located = locate(capsule, entry.cwd, script) if script else None
        found.append(Found(entry=entry, source=PROMPT_SOURCE, script=located))
    return found


def _own(entry: EntryPoint) -> Found:
    """A script or Makefile found by its name: its own source, the file it runs."""
    target = entry.command.removeprefix("make ") if entry.kind == "make" else ""
    # `make` with no `all` builds its first target; when that is the README, it is not the analysis.
    drop = (
        f"the Makefile's first target ({target}) is not the analysis"
        if _NOT_ANALYSIS_TARGET.match(target)
        else None
    )
    return Found(entry=entry, source=entry.evidence.file, script=entry.evidence.file, drop=drop)


def rank(sources: list[list[Found]], questions: Sequence[str] = ()) -> list[EntryCandidate]:
    """Keeps the first source with an entry point it does not drop itself; every other one says why not."""
    winner = next((s for s in sources if any(f.drop is None for f in s)), None)
    candidates: list[EntryCandidate] = []
    seen: dict[tuple[str, str], Found] = {}
    ran: dict[str, Found] = {}
    if winner is not None:
        kept = run_order([f for f in winner if f.drop is None], questions, winner[0].source != CODE_SOURCE)
        for found in kept:
            seen[_key(found)] = found
            ran.setdefault(found.script or "", found)
            candidates.append(
                EntryCandidate(entry=found.entry, kept=True, reason=_kept_reason(found, questions))
            )
    for source in sources:
        for found in source:
            if source is winner and found.drop is None:
                continue
            reason = found.drop or _dropped_reason(
                found, winner, seen.get(_key(found)), ran.get(found.script or "")
            )
            seen.setdefault(_key(found), found)
            candidates.append(EntryCandidate(entry=found.entry, kept=False, reason=reason))
    return candidates


def _key(found: Found) -> tuple[str, str]:
    return found.entry.cwd, " ".join(found.entry.command.split())


def _kept_reason(found: Found, questions: Sequence[str]) -> str:
    origin = (
        f"from the code itself: {found.why}"
        if found.source == CODE_SOURCE
        else f"from {found.source}, the most authoritative source that says what to run"
        + (f" ({found.why})" if found.why else "")
    )
    needed = question_match(found, questions)
    return origin + (f"; runs early: {needed}" if needed else "")


def _cited(found: Found) -> str:
    """Where a kept entry was read: its evidence, or its source when the evidence is the file it runs."""
    evidence = found.entry.evidence
    if found.source in (PROMPT_SOURCE, CODE_SOURCE) or evidence.file == found.source:
        return PROMPT_SOURCE if found.source == PROMPT_SOURCE else str(evidence)
    return found.source  # a notebook a README names cites the notebook, for the runner


def _dropped_reason(found: Found, winner: list[Found] | None, same: Found | None, ran: Found | None) -> str:
    if same is not None:
        return f"the same command as {_cited(same)}"
    if ran is not None and found.script:
        return f"runs {found.script}, which {_cited(ran)} runs already"
    first = winner[0].source if winner else ""
    return f"{first} says what to run" + (f" (this one: {found.why})" if found.why else "")


def _is_bare_notebook(entry: EntryPoint) -> bool:
    # A notebook found as a file is its own evidence; a `jupyter nbconvert ...` line cites a README.
    return entry.kind == "notebook" and entry.evidence.file.endswith(".ipynb")


def choose(entries: list[EntryPoint]) -> list[EntryCandidate]:
    """`rank` for entry points listed most authoritative first, grouped by the file they cite.

    Notebooks found as files, one entry each, form one group so that all of them run.
    """
    sources: list[list[Found]] = []
    for entry in entries:
        source = "notebooks" if _is_bare_notebook(entry) else entry.evidence.file
        found = Found(entry=entry, source=source)
        if sources and sources[-1][0].source == source:
            sources[-1].append(found)
        else:
            sources.append([found])
    return rank(sources)
