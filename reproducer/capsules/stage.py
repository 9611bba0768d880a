"""Staging: a fresh workspace for one attempt at a capsule, prepared for a CORE-Bench level."""

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import git
from pydantic import BaseModel, ConfigDict

from reproducer.capsules.copy import copy_capsule
from reproducer.capsules.fs import is_empty_dir, remove_tree
from reproducer.capsules.levels import LEVELS, Layout, Level, apply_level, is_code_ocean_layout
from reproducer.capsules.limits import DEFAULT_LIMITS, ExtractLimits
from reproducer.capsules.prompt import official_prompt
from reproducer.capsules.source import open_capsule
from reproducer.errors import BadInput
from reproducer.rundir.layout import TASK_PROMPT_FILE
from reproducer.tasks.model import Task

WORKSPACE_MODE = 0o755
GIT_DIR = ".git"


class StagedCapsule(BaseModel):
    """What `stage_capsule` made. Paths in `removed`, `left_out` and `skipped_links` are relative to
    `capsule_dir`; `committed` is the last commit's time of a git capsule (its `.git` is not staged)."""

    model_config = ConfigDict(frozen=True)

    workspace: Path
    capsule_dir: Path
    level: Level
    capsule_id: str
    removed: list[str]
    left_out: list[str]
    task_txt: Path | None
    layout: Layout = "codeocean"
    skipped_links: list[str] = []
    committed: dt.datetime | None = None

    @property
    def detail(self) -> str:
        """One line for the run's record of the stage step."""
        parts = [f"removed {', '.join(self.removed) or 'nothing'}"]
        if self.layout == "repository":
            parts.append("not a Code Ocean layout: staged as it is")
        if self.skipped_links:
            parts.append(f"warning: symlinks skipped: {'; '.join(self.skipped_links)}")
        if self.committed is not None:
            when = self.committed.isoformat()
            parts.append(f"git history not staged; files dated to the last commit ({when})")
        return "; ".join(parts)


def stage_capsule(
    source: str | Path,
    level: Level,
    out: Path,
    *,
    task: Task | None = None,
    capsule_id: str | None = None,
    ref: str | None = None,
    limits: ExtractLimits = DEFAULT_LIMITS,
    before_level: Callable[[Path], object] | None = None,
) -> StagedCapsule:
    """Copies the capsule at `source` into `out/<capsule_id>/` and applies `level` as CORE-Bench does.

    `capsule_id` comes from `task`, else the argument, else the capsule's own name (folder, archive
    stem, repository). With a task, `out/task.txt` holds the official prompt. `out` must be missing or
    empty: a previous attempt is never overwritten. All or nothing: on error `out` is left as it was.
    `before_level` is called with the copied capsule before the level removes anything from it.
    """
    if level not in LEVELS:
        raise BadInput(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    out = Path(out).expanduser().absolute()
    _check_out(out)
    skipped_links: list[str] = []
    with open_capsule(source, ref=ref, limits=limits, skipped=skipped_links) as root:
        name = task.capsule_id if task else capsule_id or root.name
        _check_capsule_id(name)
        _check_not_inside(out, root)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
        try:
            copied = copy_capsule(root, partial / name, own_names={root.name, name})
            skipped_links += copied.skipped_links
            committed = _strip_git(root, partial / name)
            layout: Layout = "codeocean" if is_code_ocean_layout(partial / name) else "repository"
            if before_level is not None:
                before_level(partial / name)
            removed = apply_level(partial / name, level)
            if task is not None:
                (partial / TASK_PROMPT_FILE).write_text(
                    official_prompt(task, level), encoding="utf-8", newline=""
                )
            _move_into_place(partial, out)
        except BaseException:
            remove_tree(partial)
            raise
    return StagedCapsule(
        workspace=out,
        capsule_dir=out / name,
        level=level,
        capsule_id=name,
        removed=removed,
        left_out=copied.left_out,
        task_txt=out / TASK_PROMPT_FILE if task is not None else None,
        layout=layout,
        skipped_links=skipped_links,
        committed=committed,
    )


def _strip_git(root: Path, staged: Path) -> dt.datetime | None:
    """Removes the staged `.git` and dates every staged file to the last commit, as `git archive` does.

    The history may hold the very results an attempt must reproduce, so it is never staged; the
    commit's date is what the planner's cut-off reads (the newest file time), since a fresh checkout
    dates every file to today.
    """
    if not (staged / GIT_DIR).exists():
        return None
    remove_tree(staged / GIT_DIR)
    try:
        with git.Repo(root) as repository:
            committed = repository.head.commit.committed_datetime
    except (ValueError, git.GitError, OSError):
        return None
    stamp = committed.timestamp()
    for folder, dirnames, filenames in os.walk(staged):
        for name in dirnames + filenames:
            os.utime(Path(folder, name), (stamp, stamp), follow_symlinks=False)
    return committed


def _check_out(out: Path) -> None:
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise BadInput(f"output {out} exists and is not a folder")
    if out.is_dir() and not is_empty_dir(out):
        raise BadInput(f"output {out} is not empty; staging never overwrites an attempt, choose a new folder")


def _check_capsule_id(name: str) -> None:
    if not name or name in (".", "..") or any(char in name for char in "/\\\0"):
        raise BadInput(f"capsule id {name!r} cannot be a folder name")


def _check_not_inside(out: Path, root: Path) -> None:
    real_out, real_root = os.path.realpath(out), os.path.realpath(root)
    if os.path.commonpath([real_out, real_root]) == real_root:
        raise BadInput(f"output {out} is inside the capsule {root}; choose a folder outside it")


def _move_into_place(partial: Path, out: Path) -> None:
    mode = out.stat().st_mode if out.is_dir() else WORKSPACE_MODE
    partial.chmod(mode)
    if out.is_dir():
        out.rmdir()
    partial.rename(out)
