"""Commands that instruction files (README, REPRODUCING, docs/...) tell a person to run, in the order written.

Read from fenced shell blocks, indented (4-space or tab) blocks, inline code in prose (`python x.py`),
sentences that name a file to run ("then run analysis.R", "knit report.Rmd") and `Usage:` lines. Except
in fenced blocks, where the author wrote commands on purpose, a command counts only when the file it runs
is in the capsule. `cd dir` lines move the working directory of the block's later commands; a script not
found from there is run from where it is (code/, a subfolder).
"""

import posixpath
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reproducer.plan.capsule import Capsule, join, parent
from reproducer.plan.documents import instruction_files
from reproducer.plan.entries.code import does_work, is_helper, read_code
from reproducer.plan.entries.found import Found
from reproducer.plan.entries.resolve import FILE_KINDS, command_kind, locate, named_script, settled_cwd
from reproducer.plan.entries.usage import PLACEHOLDER, USAGE, fill
from reproducer.plan.model import EntryPoint
from reproducer.plan.parse.markdown import (
    SHELL_LANGUAGES,
    CodeBlock,
    code_blocks,
    indented_blocks,
    inline_code,
    without_prompts,
)
from reproducer.plan.parse.script import sequence_pieces, source_text
from reproducer.plan.parse.script_blocks import script_statements
from reproducer.plan.parse.shell_words import Word, split_commands, split_words
from reproducer.plan.text import LineIndex

# "run analysis.R", "then execute `02_fit.py`", "knit report.Rmd": a verb, then a runnable file's name.
_PROSE_RUN = re.compile(
    r"\b(?:run|runs|running|execute|executing|source|knit|knitting|render|rendering|launch|open and run)\b"
    r"[^.\n;:]{0,40}?[`'\"]?(?P<file>[\w./-]+\.(?:py|R|r|sh|ipynb|Rmd|rmd|qmd))\b",
    re.IGNORECASE,
)


_PROSE = "named in prose"
# A line that is only a runnable file's name: an item of a list of scripts ("1. `clean.R`", "\t2.analysis.R").
_LISTED = re.compile(
    r"^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?(?:[^`\n:]{0,30}:[ \t]*)?[`*\[]*"
    r"(?P<file>[\w./-][\w./ -]*\.(?:py|R|r|ipynb|Rmd|rmd|qmd))[`*\]]*(?:\([^)\n]*\))?[ \t]*[:.,;]?[ \t]*$",
    re.MULTILINE,
)
_LISTED_NOTE = "listed"


@dataclass(frozen=True)
class _Said:
    """A command as a document says it: its text, the offset it was read at, and how strictly to take it."""

    text: str
    offset: int
    cwd: str
    # Outside fenced blocks the file a command runs must exist: prose mentions many commands in passing.
    strict: bool
    note: str = ""


def document_commands(capsule: Capsule, questions: Sequence[str] = ()) -> list[list[Found]]:
    """For each instruction file that says what to run (most telling first), its commands in order."""
    sources: list[list[Found]] = []
    for path in instruction_files(capsule):
        text = capsule.read_text(path)
        if text is None:
            continue
        found = _read_document(capsule, path, text, questions)
        if found:
            sources.append(found)
    return sources


def _read_document(capsule: Capsule, path: str, text: str, questions: Sequence[str]) -> list[Found]:
    index = LineIndex(text)
    masked = without_prompts(text)
    home = parent(path) or "."
    fenced = code_blocks(masked)
    said: list[_Said] = []
    for block in fenced:
        if block.language in SHELL_LANGUAGES:
            said += _block_commands(capsule, masked, block, home, strict=False)
    for block in indented_blocks(masked, fenced):
        said += _block_commands(capsule, masked, block, home, strict=True)
    blocks = fenced + indented_blocks(masked, fenced)
    for start, end in inline_code(masked, blocks):
        said += [_Said(source_text(masked, p), p[0].start, home, True) for p in _pieces(masked, start, end)]
    # Indented "blocks" are often indented prose (a tab before each sentence): read them as prose too.
    for match in _PROSE_RUN.finditer(masked):
        if not any(b.start <= match.start() < b.end for b in fenced):
            said.append(_Said(match.group("file"), match.start("file"), home, True, _PROSE))
    for match in _LISTED.finditer(masked):
        if not any(b.start <= match.start() < b.end for b in fenced):
            said.append(_Said(match.group("file").strip(), match.start("file"), home, True, _LISTED_NOTE))
    for match in USAGE.finditer(masked):
        said.append(_Said(match.group("command").strip(), match.start("command"), home, True, "a usage line"))
    found: list[Found] = []
    for item in sorted(said, key=lambda s: s.offset):
        line = index.line_of(item.offset)
        found += _entries(capsule, path, text, item, questions, line, index.line_text(line))
    # A file named in prose that a command of the document runs already is that command, said again.
    commanded = {f.script for f in found if not _weak(f)}
    unique: dict[tuple[str, str], Found] = {}
    for entry in found:
        if not (_weak(entry) and entry.script in commanded):
            unique.setdefault((entry.entry.cwd, " ".join(entry.entry.command.split())), entry)
    return _weigh_named_files(capsule, path, list(unique.values()))


def _weak(found: Found) -> bool:
    return found.why.startswith((_PROSE, _LISTED_NOTE))


def _weigh_named_files(capsule: Capsule, path: str, found: list[Found]) -> list[Found]:
    """Drops files a document names that are not analyses: helpers, libraries, parts of another entry.

    A README lists `functions.R` next to `analysis.R`; an explicit command is taken as written.
    """
    reading = read_code(capsule)
    scripts = {f.script for f in found if f.script}
    weighed: list[Found] = []
    for entry in found:
        script = entry.script or ""
        flow = reading.flows.get(script)
        parts_of = [p for p in reading.pulled_in_by.get(script, []) if p in scripts]
        drop = None
        if not _weak(entry):
            pass
        elif is_helper(script):
            drop = "a helper by its name (setup, tests, configuration, downloads), not the analysis"
        elif parts_of:
            drop = f"part of {parts_of[0]}, which {path} also runs"
        elif flow is not None and script.lower().endswith((".py", ".r")) and not does_work(flow):
            drop = "defines functions only: nothing runs"
        weighed.append(replace(entry, drop=drop) if drop else entry)
    return weighed


def _pieces(text: str, start: int, end: int) -> list[list[Word]]:
    return sequence_pieces(split_words(text, start, end))


def _block_commands(capsule: Capsule, text: str, block: CodeBlock, home: str, strict: bool) -> list[_Said]:
    said: list[_Said] = []
    cwd = home
    for start, end in script_statements(text, block.start, block.end):
        for piece in sequence_pieces(split_words(text, start, end)):
            argv = [w for command in split_commands(piece)[:1] for w in command]
            if argv and argv[0].text == "cd":
                cwd = _change_directory(capsule, cwd, argv[1].text if len(argv) > 1 else "")
                continue
            said.append(_Said(source_text(text, piece), piece[0].start, cwd, strict))
    return said


def _entries(
    capsule: Capsule, path: str, text: str, said: _Said, questions: Sequence[str], line: int, line_text: str
) -> list[Found]:
    evidence = capsule.evidence(path, line, line_text)
    if said.note in (_PROSE, _LISTED_NOTE):
        return _named_file(capsule, path, said, evidence.text, line)
    fills = fill(capsule, said.text, text, questions) if PLACEHOLDER.search(said.text) else None
    found: list[Found] = []
    for filled in fills if fills is not None else [None]:
        command = filled.command if filled else said.text
        words = split_words(command)
        pieces = sequence_pieces(words)
        argv = [w for c in split_commands(pieces[0])[:1] for w in c] if pieces else []
        kind = command_kind(argv)
        script = named_script(argv) if kind else None
        located = locate(capsule, said.cwd, script) if script else None
        if kind is None or (said.strict and located is None):
            continue
        cwd = settled_cwd(said.cwd, script, located) if script and located else said.cwd
        note = "; ".join(n for n in (said.note, filled.note if filled else "") if n)
        found.append(
            Found(
                entry=EntryPoint(
                    command=source_text(command, pieces[0]), cwd=cwd, kind=kind, evidence=evidence
                ),
                source=path,
                script=located,
                why=note,
                variant_of=f"{path}:{line}" if filled and filled.note else None,
            )
        )
    return found


def _named_file(capsule: Capsule, path: str, said: _Said, line_text: str, line: int) -> list[Found]:
    """A file a sentence says to run: run as its kind runs (a notebook or report renders in its folder)."""
    located = locate(capsule, said.cwd, said.text)
    if located is None:
        return []
    name = located.rpartition("/")[2]
    kind, program = FILE_KINDS[posixpath.splitext(name)[1].lower()]
    cwd = parent(located) or "."
    # A notebook runs through the notebook runner, which the pipeline picks by the evidence's file.
    evidence = capsule.evidence(located) if kind == "notebook" else capsule.evidence(path, line, line_text)
    why = said.note + (f" at {path}:{line}" if kind == "notebook" else "")
    command = f"{program} {shlex.quote(name)}" if program else name
    if program and command_kind(split_words(command)) is None:
        return []  # `bash install.sh`: setting up, not the analysis
    entry = EntryPoint(command=command, cwd=cwd, kind=kind, evidence=evidence)
    return [Found(entry=entry, source=path, script=located, why=why)]


def _change_directory(capsule: Capsule, cwd: str, target: str) -> str:
    """Follows `cd target` when it lands inside the capsule (Code Ocean's `/code` is code/); else stays."""
    if not target or target.startswith(("~", "$")):
        return cwd
    base = "" if target.startswith("/") or cwd == "." else cwd
    moved = posixpath.normpath(join(base, target.lstrip("/")))
    if moved.startswith("..") or not capsule.is_dir(moved):
        return cwd
    return moved if moved != "." else "."
