"""The date the capsule's code was last changed, a cut-off for package versions when nothing is pinned.

The last commit's date when the capsule is a git repository, else the newest modification time among
its code files; the evidence says which. A staged git capsule has no `.git` (its history may hold the
results): staging dates every file to the last commit, as `git archive` does, so the file times give
the commit's date there too.
"""

import datetime as dt
from pathlib import PurePosixPath

import git

from reproducer.plan.capsule import Capsule
from reproducer.plan.languages import LANGUAGE_OF_SUFFIX
from reproducer.plan.model import Decision, Evidence

CODE_SUFFIXES = frozenset({*LANGUAGE_OF_SUFFIX, ".ipynb"})
CODE_NAMES = frozenset({"run", "Makefile"})


def cutoff_date(capsule: Capsule) -> Decision[dt.date] | None:
    if capsule.is_dir(".git") or capsule.is_file(".git"):
        committed = _last_commit(capsule)
        if committed is not None:
            return committed
    return _newest_code_file(capsule)


def _last_commit(capsule: Capsule) -> Decision[dt.date] | None:
    try:
        with git.Repo(capsule.root) as repository:
            commit = repository.head.commit
            when = commit.committed_datetime
            sha = commit.hexsha[:12]
    except (ValueError, git.GitError, OSError) as error:
        capsule.warnings.append(f".git: no readable last commit ({type(error).__name__}); using file times")
        return None
    text = f"last git commit {sha} at {when.isoformat()}"
    return Decision(value=when.date(), evidence=Evidence(file=".git", text=text))


def _newest_code_file(capsule: Capsule) -> Decision[dt.date] | None:
    code = [
        path
        for path in capsule.code_files
        if PurePosixPath(path).suffix.lower() in CODE_SUFFIXES or PurePosixPath(path).name in CODE_NAMES
    ]
    if not code:
        return None
    newest = max(code, key=capsule.mtime)
    when = dt.datetime.fromtimestamp(capsule.mtime(newest), tz=dt.UTC)
    text = f"newest modification time among {len(code)} code files: {when.isoformat(timespec='seconds')}"
    return Decision(value=when.date(), evidence=capsule.evidence(newest, text=text))
