"""Makefile targets: `all` and `reproduce` if present, else the first ordinary target; and committed
targets removed before make runs, so that make regenerates them."""

import re
import shlex

from reproducer.plan.capsule import CODE_DIR, Capsule, join
from reproducer.plan.model import EntryPoint
from reproducer.plan.text import LineIndex

PREFERRED_TARGETS = ("all", "reproduce")
# Options that already remake everything, or that ask make to make nothing.
_REMAKES_OR_MAKES_NOTHING = frozenset(
    {"-B", "--always-make", "-n", "--dry-run", "--just-print", "-q", "--question", "-t", "--touch"}
)
MAKEFILES = ("GNUmakefile", "makefile", "Makefile")  # the order make reads them in
_RULE = re.compile(r"^([A-Za-z0-9_][^:=#\s]*(?:[ \t]+[^:=#\s]+)*)[ \t]*::?(?!=)", re.MULTILINE)


def make_targets(capsule: Capsule) -> list[EntryPoint]:
    entries: list[EntryPoint] = []
    for directory in ("", CODE_DIR):
        path = join(directory, "Makefile")
        text = capsule.read_text(path)
        if text is None:
            continue
        index = LineIndex(text)
        rules = [
            (target, index.line_of(match.start()))
            for match in _RULE.finditer(text)
            for target in match.group(1).split()
            if "%" not in target and "$" not in target
        ]
        chosen: dict[str, int] = {}
        for target, line in [rule for rule in rules if rule[0] in PREFERRED_TARGETS] or rules[:1]:
            chosen.setdefault(target, line)
        entries += [
            EntryPoint(
                command=f"make {target}",
                cwd=directory or ".",
                kind="make",
                evidence=capsule.evidence(path, line, index.line_text(line)),
            )
            for target, line in chosen.items()
        ]
    return entries


def explicit_targets(text: str) -> set[str]:
    """The targets a Makefile has explicit rules for (no pattern rules, no variables)."""
    return {t for m in _RULE.finditer(text) for t in m.group(1).split() if "%" not in t and "$" not in t}


def regenerate_committed(capsule: Capsule, entry: EntryPoint) -> tuple[EntryPoint, str | None]:
    """`entry` made to remove the file targets it names that the repository commits, and why.

    A repository that commits its outputs has them up to date, so `make paper/results.tex` would do
    nothing and regenerate nothing: the task asks for them to be made. Only named targets with an
    explicit rule are removed (make can make them again), in the staged copy, and only they: their
    prerequisites are made as make decides (`make -B` would remake every one, downloads included).
    """
    if entry.kind != "make":
        return entry, None
    words = shlex.split(entry.command) if entry.command.count("'") % 2 == 0 else entry.command.split()
    if "make" not in words:
        return entry, None
    directory = "" if entry.cwd in ("", ".") else entry.cwd
    text = next(
        (t for name in MAKEFILES if (t := capsule.read_text(join(directory, name))) is not None), None
    )
    if text is None:
        return entry, None
    arguments = words[words.index("make") + 1 :]
    if any(word.startswith(("-C", "--directory", "-f", "--file")) for word in arguments):
        return entry, None  # another Makefile or folder: its rules are not the ones read here
    if any(word in _REMAKES_OR_MAKES_NOTHING for word in arguments):
        return entry, None
    ruled = explicit_targets(text)
    named = [w for w in arguments if not w.startswith("-") and "=" not in w]
    committed = [t for t in dict.fromkeys(named) if t in ruled and capsule.is_file(join(directory, t))]
    if not committed:
        return entry, None
    command = f"rm -f -- {shlex.join(committed)} && {entry.command}"
    why = f"{', '.join(committed)}: committed, so make would find it up to date; removed before make runs"
    return entry.model_copy(update={"command": command}), why
