"""Entry points read from the code itself, for when nothing says what to run.

A script is an entry point when it runs as a program: the only script, a `__main__` guard, work done at
its top level (R scripts are top level by nature), writes into results/, figures/ or tables/. Notebooks,
R Markdown and Quarto documents are entry points of their own. Not entry points: a module that another
file imports, an R file that another `source()`s, the `.R` twin of a Python script that runs, setup,
test and download helpers.
"""

import posixpath
import re
import shlex
from dataclasses import dataclass, replace

from reproducer.plan.capsule import Capsule, parent
from reproducer.plan.code_sources import code_sources
from reproducer.plan.entries.found import Found
from reproducer.plan.entries.resolve import FILE_KINDS
from reproducer.plan.model import EntryPoint
from reproducer.plan.parse.file_flow import FileFlow, read_flow

SOURCE = "the code"
# Shell scripts are found by name (run.sh, code/run); in the code, most are setup or cluster glue.
_RUNNABLE = tuple(k for k in FILE_KINDS if k != ".sh")
_CONVENTIONAL = frozenset({"main.py", "run.py", "main.r", "run.r", "__main__.py"})
# Not analyses: packaging, tests, configuration, and fetching data (there is no network at run time).
_HELPER = re.compile(
    r"^(?:\d+[._-])?(setup|conftest|__init__|test_.*|.*_tests?|tests?|download.*|fetch.*|install.*|config|configs?|"
    r"settings|utils?|helpers?|tools|common|constants)\.(py|r)$",
    re.IGNORECASE,
)
# Not the capsule's analysis: tests, documentation, and environments (renv's activate.R, vendored code).
_NOT_CODE_DIRS = frozenset(
    {"tests", "test", "testing", "docs", "doc", "examples", "example", "benchmarks", "renv", "packrat"}
    | {"venv", "env", "vendor", "third_party", "site-packages", "node_modules"}
)


def _language(path: str) -> str:
    return "python" if path.lower().endswith((".py", ".ipynb")) else "r"


def _skipped(capsule: Capsule, path: str) -> bool:
    """Files that are not the capsule's analysis however they look: tests, docs, package internals."""
    folders = path.split("/")[:-1]
    if any(f.lower() in _NOT_CODE_DIRS for f in folders):
        return True
    folder = parent(path)
    if path.endswith(".py") and not path.endswith("__main__.py") and capsule.is_file(f"{folder}/__init__.py"):
        return True  # inside a package: imported, not run
    # An R package's R/ folder holds functions the package exports.
    return folders[-1:] == ["R"] and capsule.is_file(posixpath.join(parent(folder), "DESCRIPTION"))


def _module_names(path: str) -> set[str]:
    """`src/models/fit.py` -> {fit, models.fit, src.models.fit}: the names an import may use for it."""
    parts = path[: -len(".py")].split("/")
    return {".".join(parts[i:]) for i in range(len(parts))}


@dataclass(frozen=True)
class CodeReading:
    """The capsule's runnable files, the file flow of each, and who pulls each in (imports, sources)."""

    paths: list[str]
    flows: dict[str, FileFlow]
    pulled_in_by: dict[str, list[str]]


def read_code(capsule: Capsule) -> CodeReading:
    return capsule.memo("entry_code_reading", lambda: _read_code(capsule))


def _read_code(capsule: Capsule) -> CodeReading:
    texts = {s.path: s.text for s in code_sources(capsule)}
    paths = [p for p in capsule.code_files if p.lower().endswith(_RUNNABLE) and not _skipped(capsule, p)]
    flows = {p: read_flow(texts.get(p) or capsule.read_text(p) or "", _language(p)) for p in paths}
    scripts = [p for p in paths if p.lower().endswith((".py", ".r"))]
    # Each name an import or source() may use, to the scripts it may mean (one pass, not all pairs).
    named: dict[tuple[str, str], list[str]] = {}
    for script in scripts:
        names = _module_names(script) if script.endswith(".py") else {script.rpartition("/")[2]}
        for name in names:
            named.setdefault((_language(script), name), []).append(script)
    pulled_in_by: dict[str, list[str]] = {}
    for path, flow in flows.items():
        pulled = {s for name in flow.pulls_in for s in named.get((_language(path), name), [])}
        for other in sorted(pulled - {path}):
            pulled_in_by.setdefault(other, []).append(path)
    return CodeReading(paths, flows, pulled_in_by)


def does_work(flow: FileFlow) -> bool:
    """Whether running the file does something: a main guard, top-level work, writes to an output folder."""
    return any(line is not None for line in (flow.main_guard_line, flow.output_line, flow.top_level_line))


def is_helper(path: str) -> bool:
    """Setup, tests, configuration, downloads: named as not the analysis."""
    return bool(_HELPER.match(path.rpartition("/")[2]))


def code_entries(capsule: Capsule) -> list[Found]:
    """Candidates from the code, scripts before notebooks before reports, in path order."""
    reading = read_code(capsule)
    scripts = [p for p in reading.paths if p.lower().endswith((".py", ".r"))]
    lone = len([p for p in scripts if not is_helper(p)]) == 1
    found = [
        f
        for p in reading.paths
        if (f := _found(capsule, p, reading.flows[p], reading.pulled_in_by.get(p, [None])[0], lone))
        is not None
    ]
    python_stems = {
        _stem(f.script or "") for f in found if f.entry.kind in ("python", "notebook") and not f.drop
    }
    twins = [
        replace(f, drop=f"the R twin of a Python analysis that runs ({_stem(f.script or '')})")
        if f.entry.kind == "rscript" and not f.drop and _stem(f.script or "") in python_stems
        else f
        for f in found
    ]
    rank = {"python": 0, "rscript": 0, "shell": 0, "notebook": 1, "rmarkdown": 2, "quarto": 2}
    return sorted(twins, key=lambda f: (rank.get(f.entry.kind, 0), f.script or ""))


def _stem(path: str) -> str:
    return posixpath.splitext(path.rpartition("/")[2])[0].lower()


def _found(capsule: Capsule, path: str, flow: FileFlow, importer: str | None, lone: bool) -> Found | None:
    name = path.rpartition("/")[2]
    kind, program = FILE_KINDS[posixpath.splitext(name)[1].lower()]
    line, why = _why(name, kind, flow, lone)
    drop = None
    if importer is not None:
        verb = "imported" if kind == "python" else "sourced"
        drop = f"{verb} by {importer}: part of it, not an entry point of its own"
    elif is_helper(name):
        drop = "a helper by its name (setup, tests, configuration, downloads), not the analysis"
    elif why is None:
        return None  # definitions only: a library nobody happens to import here
    text = ""
    if line is not None:
        lines = (capsule.read_text(path) or "").split("\n")
        text = lines[line - 1] if 0 < line <= len(lines) else ""
    # Notebooks cite the file alone: the pipeline runs a notebook cited so through its runner.
    evidence = capsule.evidence(path, None if kind == "notebook" else line, text)
    entry = EntryPoint(
        command=f"{program} {shlex.quote(name)}" if program else name,
        cwd=parent(path) or ".",
        kind=kind,
        evidence=evidence,
    )
    return Found(
        entry=entry,
        source=SOURCE,
        script=path,
        why=why or "",
        drop=drop,
        writes=tuple(sorted(flow.writes)),
        reads=tuple(sorted(flow.reads)),
    )


def _why(name: str, kind: str, flow: FileFlow, lone: bool) -> tuple[int | None, str | None]:
    """The line that makes the file an entry point and the reason in words, or (None, None)."""
    documents = {
        "notebook": "a notebook",
        "rmarkdown": "an R Markdown document",
        "quarto": "a Quarto document",
    }
    if kind in documents:
        return None, documents[kind]
    if flow.main_guard_line is not None:
        return flow.main_guard_line, f"has a __main__ guard (line {flow.main_guard_line})"
    if flow.output_line is not None:
        return flow.output_line, f"writes into an output folder at its top level (line {flow.output_line})"
    if lone:
        return flow.top_level_line, "the only script"
    if name.lower() in _CONVENTIONAL:
        return flow.top_level_line, f"named {name}, the conventional entry point"
    if flow.top_level_line is not None:
        return flow.top_level_line, f"runs code at its top level (line {flow.top_level_line})"
    return None, None
