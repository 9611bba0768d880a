"""`Usage: python x.py <dataset>`: a command with a placeholder, filled with the values the capsule offers.

The values come from the text around it (``<dataset>` is one of `adult`, `compas``, or `{a,b}` in the
usage itself), else from the data folders' names (`data/adult/`, `data/compas/`). One run per value, the
ones the questions name first; with many values, only the first, and the reason says so.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reproducer.plan.capsule import Capsule, join

PLACEHOLDER = re.compile(r"<([A-Za-z][\w.-]*)>|\{([\w.-]+(?:,[\w.-]+)+)\}")
_OPTIONAL = re.compile(r"\s*\[[^\[\]]*\]")
USAGE = re.compile(r"^[ \t>*-]*usage\s*:\s*`*(?P<command>[^`\n]+)", re.IGNORECASE | re.MULTILINE)
_BACKTICKED = re.compile(r"`([\w.-]+)`")
_DATA_DIRS = ("data", "datasets", "dataset", "input", "inputs")
MAX_RUNS = 5


@dataclass(frozen=True)
class Filled:
    command: str
    # Why these values: "one run per value of <dataset> (the folders of data/: a, b)".
    note: str


def fill(capsule: Capsule, command: str, document: str, questions: Sequence[str]) -> list[Filled]:
    """`command` with its first placeholder filled (optional `[...]` parts dropped); [] if no values."""
    command = _OPTIONAL.sub("", command).strip()
    match = PLACEHOLDER.search(command)
    if match is None:
        return [Filled(command, "")]
    if PLACEHOLDER.search(command, match.end()):
        return []  # two placeholders: which values go together is not written anywhere
    name = match.group(1) or ""
    values, origin = (
        (match.group(2).split(","), "listed in the usage")
        if match.group(2)
        else _values(capsule, name, document)
    )
    if not values:
        return []
    asked = " ".join(questions).lower()
    named = [v for v in values if re.search(rf"(?<![\w-]){re.escape(v.lower())}(?![\w-])", asked)]
    ordered = named + [v for v in values if v not in named]
    label = f"<{name}>" if name else match.group(0)
    if len(values) > MAX_RUNS:
        why = "the one the questions name" if named else "the first"
        chosen, note = ordered[:1], f"{label} has {len(values)} values ({origin}); runs {why}"
    else:
        chosen = ordered
        note = f"one run per value of {label} ({origin}: {', '.join(values)})"
        note += "; those the questions name first" if named else ""
    return [Filled(command[: match.start()] + value + command[match.end() :], note) for value in chosen]


def _values(capsule: Capsule, name: str, document: str) -> tuple[list[str], str]:
    """Values for `<name>`: backticked words on a line of the document that mentions it, or data folders."""
    for line in document.split("\n"):
        if re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", line) and "usage" not in line.lower():
            words = [w for w in _BACKTICKED.findall(line) if w != name and f"<{w}>" not in line]
            if len(words) >= 2 or (words and "e.g" not in line.lower()):
                return list(dict.fromkeys(words)), "named in the README"
    wants_files = bool(re.search(r"file|path|csv", name, re.IGNORECASE))
    for folder in _data_folders(capsule):
        if wants_files:
            files = [join(folder, f) for f in capsule.list_files(folder) if not f.startswith(".")]
            if files:
                return files, f"the files of {folder}/"
            continue
        folders = _subfolders(capsule, folder)
        if folders:
            return folders, f"the folders of {folder}/"
        stems = sorted(
            {f.rpartition(".")[0] or f for f in capsule.list_files(folder) if not f.startswith(".")}
        )
        if stems:
            return stems, f"the file names of {folder}/"
    return [], ""


def _data_folders(capsule: Capsule) -> list[str]:
    places = ("", capsule.code_root) if capsule.code_root else ("",)
    return [join(p, d) for p in places for d in _DATA_DIRS if capsule.is_dir(join(p, d))]


def _subfolders(capsule: Capsule, folder: str) -> list[str]:
    root = capsule.root / folder
    try:
        return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    except OSError:
        return []
