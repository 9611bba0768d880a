"""Makefile targets: `all` and `reproduce` if present, else the first ordinary target; and committed
targets removed before make runs, so that make regenerates them."""

import fnmatch
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


def rules(text: str) -> dict[str, list[str]]:
    """Each explicit target (no pattern rule, no variable) and its prerequisites (order-only included)."""
    found: dict[str, list[str]] = {}
    joined = text.replace("\\\n", " ")
    for match in _RULE.finditer(joined):
        end = joined.find("\n", match.end())
        rest = re.split(r"[;#]", joined[match.end() : end if end >= 0 else len(joined)], maxsplit=1)[0]
        prerequisites = [w for w in rest.split() if w != "|" and "$" not in w and "%" not in w]
        for target in match.group(1).split():
            if "%" not in target and "$" not in target:
                found.setdefault(target, []).extend(prerequisites)
    return found


def regenerate_committed(capsule: Capsule, entry: EntryPoint) -> tuple[EntryPoint, str | None]:
    """`entry` made to remove the committed files its targets would build, and why.

    A repository that commits its outputs has them up to date, so `make findings` would do nothing
    and regenerate nothing: the task asks for them to be made. Removed (in the staged copy) are the
    files among the named targets and their prerequisites, followed through the rules, that have a
    rule of their own and are derived from files the repository has (a prerequisite that exists):
    make can make them again. A file whose rule has no such prerequisite (a download) is kept; so are
    inputs. `make -B` would instead remake every prerequisite, downloads included.
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
    named = [w for w in arguments if not w.startswith("-") and "=" not in w]
    committed = _committed_outputs(capsule, directory, rules(text), named)
    if not committed:
        return entry, None
    command = f"rm -f -- {shlex.join(committed)} && {entry.command}"
    why = f"{', '.join(committed)}: committed, so make would find it up to date; removed before make runs"
    return entry.model_copy(update={"command": command}), why


def _committed_outputs(
    capsule: Capsule, directory: str, graph: dict[str, list[str]], named: list[str]
) -> list[str]:
    def exists(path: str) -> bool:
        if not any(c in path for c in "*?["):
            return capsule.is_file(join(directory, path)) or capsule.is_dir(join(directory, path))
        folder, _, pattern = join(directory, path).rpartition("/")
        return any(fnmatch.fnmatchcase(name, pattern) for name in capsule.list_files(folder))

    found: list[str] = []
    seen: set[str] = set()
    queue = list(dict.fromkeys(named))
    while queue:
        target = queue.pop(0)
        if target in seen or target not in graph:
            continue
        seen.add(target)
        prerequisites = graph[target]
        if capsule.is_file(join(directory, target)) and any(exists(p) for p in prerequisites):
            found.append(target)
        queue += prerequisites
    return found
