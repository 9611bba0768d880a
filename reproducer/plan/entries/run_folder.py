"""A script whose relative data paths resolve from its own folder runs from there.

`python project4/CODE/q3.py` said from the repository root fails at `open('DATA.dat')` when DATA.dat
sits beside the script: its author ran it from its folder. When some relative file names the script's
string literals hold exist from its own folder and none from the folder it was to run from, the entry
runs from its own folder instead (its other path arguments rewritten to stay the same files).
"""

import posixpath
import re
import shlex

from reproducer.plan.capsule import Capsule, join, parent
from reproducer.plan.model import EntryPoint

_SCRIPT_KINDS = {"python": (".py",), "rscript": (".r",)}
# A relative file name in a string literal: `DATA.dat`, "../data/x.csv", 'input/run 1.txt'.
_LITERAL = re.compile(r"""(?P<q>["'])(?P<path>(?:\.{1,2}/)*[\w\- ][\w.\- /]*\.\w{1,8})(?P=q)""")
_SHELL = re.compile(r"[;&|<>$`(){}]")


def run_from_own_folder(capsule: Capsule, entry: EntryPoint) -> tuple[EntryPoint, str | None]:
    """`entry` moved to its script's folder when the script's files are found from there only, and why."""
    suffixes = _SCRIPT_KINDS.get(entry.kind)
    if suffixes is None or _SHELL.search(entry.command):
        return entry, None
    try:
        words = shlex.split(entry.command)
    except ValueError:
        return entry, None
    cwd = "" if entry.cwd in ("", ".") else entry.cwd
    scripts = [
        i for i, w in enumerate(words) if w.lower().endswith(suffixes) and capsule.is_file(_at(cwd, w))
    ]
    if not scripts:
        return entry, None
    script = _at(cwd, words[scripts[0]])
    folder = parent(script)
    if folder == cwd:
        return entry, None
    literals = {m.group("path") for m in _LITERAL.finditer(capsule.read_text(script) or "")}
    from_folder = sorted(p for p in literals if _exists(capsule, _at(folder, p)))
    if not from_folder or any(_exists(capsule, _at(cwd, p)) for p in literals):
        return entry, None
    moved = [
        posixpath.relpath(_at(cwd, w), folder or ".")
        if i == scripts[0] or (i > scripts[0] and _exists(capsule, _at(cwd, w)))
        else w
        for i, w in enumerate(words)
    ]
    why = (
        f"{script} runs from its own folder: the files it opens by relative path "
        f"({', '.join(from_folder[:3])}) are there, not in {cwd or 'the capsule root'}"
    )
    return entry.model_copy(update={"command": shlex.join(moved), "cwd": folder or "."}), why


def _at(cwd: str, path: str) -> str:
    return posixpath.normpath(join(cwd, path))


def _exists(capsule: Capsule, path: str) -> bool:
    return not path.startswith("../") and (capsule.is_file(path) or capsule.is_dir(path))
