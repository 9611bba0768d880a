"""Hard-coded author paths (`setwd("/Users/me/paper/code")`, `os.chdir("C:/Users/me/data")`) made to resolve.

The planner only finds them (`author_path_fixes`, pure); `apply_fixes` edits the staged copy, never the
capsule given. Each path becomes one relative to where its code runs (the entry point's folder), pointing
at the capsule folder it most likely meant:
- the longest tail of the path that names a folder (or file) of the capsule (`.../paper/data` -> `data`);
- for `setwd`/`os.chdir` with no such tail, the folder of the file that calls it (the author's copy of
  the script's folder is the usual meaning).
Other string literals are rewritten only when they start in a home folder (`/Users/`, `/home/`, `C:/`,
`~/`) and their tail names a capsule path: a guess there would only move the failure. Code Ocean's own
`/code`, `/data`, `/results` exist in both sandboxes and are left alone.
"""

import posixpath
import re
from pathlib import Path, PurePosixPath

from reproducer.errors import WorkFailed
from reproducer.plan.capsule import Capsule
from reproducer.plan.code_sources import code_sources
from reproducer.plan.model import EntryPoint, SourceFix

_CHDIR = re.compile(r"""(?:\bsetwd|\bos\.chdir)\s*\(\s*r?(?P<q>["'])(?P<path>[^"'\n]+)(?P=q)\s*\)""")
_LITERAL = re.compile(r"""(?P<q>["'])(?P<path>(?:/Users/|/home/|[A-Za-z]:[\\/]|~/)[^"'\n]*)(?P=q)""")
_ABSOLUTE = re.compile(r"^(?:/|~|[A-Za-z]:[\\/])")
SANDBOX_PATHS = ("/code", "/data", "/results", "/capsule")
CODE_SUFFIXES = (".py", ".r", ".rmd")


def author_path_fixes(capsule: Capsule, entries: list[EntryPoint]) -> list[SourceFix]:
    """The fixes for every author path in the capsule's Python and R files (notebooks are left alone)."""
    fixes: list[SourceFix] = []
    for source in code_sources(capsule):
        if not source.path.lower().endswith(CODE_SUFFIXES):
            continue
        base = _run_folder(source.path, entries)
        for number, line in enumerate(source.text.splitlines(), start=1):
            found = _line_fixes(capsule, source.path, number, line, base)
            fixes += found
            # Paths after a fixed `setwd` are read from the folder it moved to.
            chdir = _CHDIR.search(line)
            moved = [fix for fix in found if chdir is not None and fix.old == chdir.group("path")]
            base = posixpath.normpath(posixpath.join(base, moved[-1].new)) if moved else base
            base = "" if base == "." else base
    return fixes


def _line_fixes(capsule: Capsule, path: str, number: int, line: str, base: str) -> list[SourceFix]:
    found: list[SourceFix] = []
    seen: set[str] = set()
    for pattern, is_chdir in ((_CHDIR, True), (_LITERAL, False)):
        for match in pattern.finditer(line):
            written = match.group("path")
            if written in seen or not _ABSOLUTE.match(written) or written.startswith(SANDBOX_PATHS):
                continue
            seen.add(written)
            target = _meant(capsule, written)
            if target is None and not is_chdir:
                continue
            reason = (
                "a folder of the capsule with the same tail"
                if target is not None
                else "the calling file's folder"
            )
            target = posixpath.dirname(path) if target is None else target
            new = posixpath.relpath(target or ".", base or ".")
            found.append(
                SourceFix(
                    evidence=capsule.evidence(path, number, line),
                    old=written,
                    new=new,
                    reason=f"hard-coded author path; the run folder is {base or 'the capsule root'}, so it "
                    f"points at {target or 'the capsule root'} ({reason})",
                )
            )
    return found


def _meant(capsule: Capsule, written: str) -> str | None:
    """The capsule path the longest tail of `written` names; else, for a file the code will write, the
    longest tail of its folder with the file name added; else None."""
    parts = [part for part in re.split(r"[\\/]+", written) if part and part not in ("~", ".")]
    if parts and re.fullmatch(r"[A-Za-z]:", parts[0]):
        parts = parts[1:]
    for start in range(len(parts)):
        tail = "/".join(parts[start:])
        if capsule.is_dir(tail) or capsule.is_file(tail):
            return tail
    for start in range(len(parts) - 1):
        folder = "/".join(parts[start:-1])
        if capsule.is_dir(folder):
            return f"{folder}/{parts[-1]}"
    return None


def _run_folder(path: str, entries: list[EntryPoint]) -> str:
    """Where the code in `path` runs: the folder of the entry point that names it, else of the first
    entry point, else the file's own folder."""
    name = PurePosixPath(path).name
    for entry in entries:
        if name in entry.command:
            return "" if entry.cwd in ("", ".") else entry.cwd
    if entries:
        return "" if entries[0].cwd in ("", ".") else entries[0].cwd
    return posixpath.dirname(path)


def apply_fixes(fixes: list[SourceFix], capsule_dir: Path) -> list[str]:
    """Rewrites each fix's line in the staged copy at `capsule_dir`; returns what was done, one line each.

    A line that no longer holds the path (the file changed since planning) is left as it is and said so.
    """
    done: list[str] = []
    for fix in fixes:
        path = capsule_dir / fix.evidence.file
        try:
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
        except OSError as error:
            raise WorkFailed(f"cannot read {path} to fix an author path: {error.strerror}") from None
        lines = text.splitlines(keepends=True)
        index = (fix.evidence.line or 0) - 1
        if not 0 <= index < len(lines) or fix.old not in lines[index]:
            done.append(f"{fix.evidence}: `{fix.old}` not found; left as it is")
            continue
        lines[index] = lines[index].replace(fix.old, fix.new)
        path.write_text("".join(lines), encoding="utf-8", errors="surrogateescape")
        done.append(f"{fix.evidence}: `{fix.old}` -> `{fix.new}`")
    return done
