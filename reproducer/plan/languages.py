"""The capsule's languages, from the files under its code root, each cited by its most telling file."""

import posixpath
import re
import shlex
from pathlib import PurePosixPath

from reproducer.plan.capsule import Capsule, parent
from reproducer.plan.code_sources import code_sources
from reproducer.plan.model import Decision, EntryPoint, Evidence, Plan
from reproducer.plan.parse.r_imports import r_imports
from reproducer.plan.parse.r_installs import find_r_installs

LANGUAGE_OF_SUFFIX = {".py": "python", ".r": "r", ".rmd": "r", ".m": "matlab", ".jl": "julia", ".sh": "shell"}
# File stems that usually hold the main analysis, best first.
TELLING_STEMS = ("main", "run", "reproduce", "analysis", "run_all", "master")


def detect_languages(capsule: Capsule) -> list[Decision[str]]:
    """Languages by number of files (most first), each cited by a main-looking file or else the largest."""
    notebooks = {s.path: s.language for s in code_sources(capsule) if s.path.lower().endswith(".ipynb")}
    files: dict[str, list[str]] = {}
    for path in capsule.code_files:
        suffix = PurePosixPath(path).suffix.lower()
        language = notebooks.get(path) if suffix == ".ipynb" else LANGUAGE_OF_SUFFIX.get(suffix)
        if language:
            files.setdefault(language, []).append(path)
    ranked = sorted(files.items(), key=lambda item: (-len(item[1]), item[0]))
    return [Decision(value=language, evidence=_most_telling(capsule, paths)) for language, paths in ranked]


def _most_telling(capsule: Capsule, paths: list[str]) -> Evidence:
    def rank(path: str) -> tuple[int, int, int]:
        stem = PurePosixPath(path).stem.lower()
        named = TELLING_STEMS.index(stem) if stem in TELLING_STEMS else len(TELLING_STEMS)
        return named, path.count("/"), -capsule.size(path)

    count = f"{len(paths)} file" + ("s" if len(paths) > 1 else "")
    return capsule.evidence(min(paths, key=rank), text=f"{count} in this language")


# The language each kind of entry point runs; shell lines are read for their interpreter below, and
# `make` or Quarto can run anything.
LANGUAGE_OF_KIND = {"python": "python", "rscript": "r", "rmarkdown": "r"}
SHELL_INTERPRETERS = {"python": "python", "python3": "python", "Rscript": "r", "R": "r"}


def entry_languages(capsule: Capsule, entries: list[EntryPoint]) -> set[str] | None:
    """The languages the entry points run, or None when one of them could run anything (make, a script)."""
    languages: set[str] = set()
    notebooks = {s.path: s.language for s in code_sources(capsule) if s.path.lower().endswith(".ipynb")}
    for entry in entries:
        language = _entry_language(entry, notebooks)
        if language is None:
            return None
        languages.add(language)
    return languages


def _entry_language(entry: EntryPoint, notebooks: dict[str, str]) -> str | None:
    if entry.kind in LANGUAGE_OF_KIND:
        return LANGUAGE_OF_KIND[entry.kind]
    words = entry.command.split()
    if entry.kind == "notebook" and words:
        document = posixpath.normpath(posixpath.join(entry.cwd, words[-1]))
        return notebooks.get(document) or None
    if entry.kind == "shell" and words:
        return SHELL_INTERPRETERS.get(posixpath.basename(words[0]))
    return None


def drop_unrun_r(capsule: Capsule, plan: Plan) -> None:
    """Clears the plan's R packages and version when the entry points that will run are all Python.

    A Python analysis with `.R` twins (a port, or the author's other version) must not wait for, or
    fail on, R packages nothing will load. Kept when no entry point was found, or one could run R.
    """
    languages = entry_languages(capsule, plan.entry_points) if plan.entry_points else None
    if languages is None or "r" in languages or not (plan.r_packages or plan.r_version):
        return
    cited = (
        plan.r_packages[0].evidence if plan.r_packages else plan.r_version.evidence if plan.r_version else ""
    )
    plan.warnings.append(
        f"{len(plan.r_packages)} R package(s) declared ({cited}) not installed: the entry points that run "
        f"are {', '.join(sorted(languages))} only"
    )
    plan.r_packages = []
    plan.r_version = None


# `source("helpers.R")`, `sys.source(file = 'x.R')`: files an R file runs.
_SOURCE = re.compile(r"""(?<![\w.])(?:sys\.)?source\(\s*(?:file\s*=\s*)?["']([^"']+)["']""")
R_DOCUMENT_KINDS = ("notebook", "rmarkdown")


def running_r_files(capsule: Capsule, entries: list[EntryPoint]) -> set[str] | None:
    """The R files (scripts, R Markdown, R notebooks) the entry points run, and what they `source()`.

    None when an entry point could run anything (make, a shell script): then any file may run.
    """
    sources = {s.path: s for s in code_sources(capsule) if s.language == "r"}
    queue: list[tuple[str, str]] = []  # (file, the cwd it runs from: R's source() does not change it)
    for entry in entries:
        if entry.kind not in ("python", "rscript", *R_DOCUMENT_KINDS):
            return None
        queue += [(path, entry.cwd) for path in _entry_files(entry) if path in sources]
    running: set[str] = set()
    while queue:
        path, cwd = queue.pop()
        if path in running:
            continue
        running.add(path)
        for sourced in _SOURCE.findall(sources[path].text):
            for base in (cwd, parent(path), ""):
                candidate = posixpath.normpath(posixpath.join(base, sourced))
                if candidate in sources:
                    queue.append((candidate, cwd))
                    break
    return running


def _entry_files(entry: EntryPoint) -> list[str]:
    if entry.kind in R_DOCUMENT_KINDS:  # the command is the document's path, spaces and all
        return [posixpath.normpath(posixpath.join(entry.cwd, entry.command))]
    try:
        words = shlex.split(entry.command)
    except ValueError:
        words = entry.command.split()
    return [posixpath.normpath(posixpath.join(entry.cwd, w)) for w in words if w.lower().endswith(".r")]


def drop_unloaded_r_packages(capsule: Capsule, plan: Plan) -> None:
    """Drops R packages that only files which never run load (found in their `library()` calls).

    A repository's side script (an Excel export needing a GitHub-only package) must not stop the
    notebook the task runs. Kept: packages a running file loads, packages any file installs
    (`install.packages`, an install.R: a declaration), and those declared outside the code
    (DESCRIPTION, renv.lock); all of them when an entry point could run anything.
    """
    running = running_r_files(capsule, plan.entry_points) if plan.entry_points else None
    if running is None or not plan.r_packages:
        return
    sources = [s for s in code_sources(capsule) if s.language == "r"]
    loaded = {_name(ref) for s in sources if s.path in running for ref, _ in r_imports(s.text)}
    installed = {_name(ref) for s in sources for call in find_r_installs(s.text) for ref, _ in call.refs}
    code_files = {s.path for s in sources}
    dropped = [
        r
        for r in plan.r_packages
        if r.evidence.file in code_files and _name(r.spec) not in loaded | installed
    ]
    if not dropped:
        return
    plan.r_packages = [r for r in plan.r_packages if r not in dropped]
    plan.warnings.append(
        f"R package(s) {', '.join(_name(r.spec) for r in dropped)} not required: loaded only by files "
        f"that do not run ({', '.join(sorted({str(r.evidence) for r in dropped}))})"
    )


def _name(ref: str) -> str:
    return ref.split("@")[0].split("/")[-1].split("::")[-1]
