"""Copies a capsule folder into a workspace: modes and inner symlinks kept, nothing pointing outside.

A symlink that points outside the capsule, or at nothing, is skipped with a warning: research
repositories often hold one to the author's disk (`data -> /Users/me/Dropbox/...`), and the rest of
the capsule is still worth running. Skipping leaves nothing in the workspace that reaches outside.
"""

import os
import posixpath
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reproducer.capsules.archive import ARCHIVE_SUFFIXES
from reproducer.capsules.archive_rules import escapes
from reproducer.errors import BadInput


@dataclass
class Copied:
    """What `copy_capsule` did not copy, as relative paths: the capsule's own archives, and the
    symlinks skipped, each `name -> target (why)`."""

    left_out: list[str] = field(default_factory=list)
    skipped_links: list[str] = field(default_factory=list)


def copy_capsule(source: Path, dest: Path, *, own_names: Iterable[str]) -> Copied:
    """Copies the tree `source` to the new folder `dest`; returns what was not copied.

    Left out: tarballs of the capsule itself (`<name>.tar.gz` etc. for each of `own_names`), which
    would hand an agent the stored results it is meant to reproduce; symlinks pointing outside
    `source` or at nothing. Raises BadInput for a device, fifo or socket.
    """
    bad_links = _check_tree(source)
    own_archives = {name + suffix for name in own_names for suffix in ARCHIVE_SUFFIXES}
    copied = Copied(skipped_links=[f"{relative} -> {why}" for relative, why in sorted(bad_links.items())])

    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder).relative_to(source).as_posix()
        links = {name for name in names if posixpath.normpath(posixpath.join(here, name)) in bad_links}
        archives = {name for name in names if name in own_archives and not Path(folder, name).is_dir()}
        copied.left_out.extend(Path(folder, name).relative_to(source).as_posix() for name in archives)
        return links | archives

    shutil.copytree(source, dest, symlinks=True, ignore=ignore)
    copied.left_out.sort()
    return copied


def _check_tree(source: Path) -> dict[str, str]:
    """The symlinks to skip (relative path -> target and why); raises BadInput for special files."""
    real_root = os.path.realpath(source)
    bad_links: dict[str, str] = {}
    for folder, dirnames, filenames in os.walk(source):
        for name in dirnames + filenames:
            path = Path(folder, name)
            relative = path.relative_to(source).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                problem = _link_problem(path, relative, real_root)
                if problem:
                    bad_links[relative] = problem
            elif not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise BadInput(
                    f"capsule {source}: {relative} is a device, fifo or socket; refusing to copy it"
                )
    return bad_links


def _link_problem(path: Path, relative: str, real_root: str) -> str:
    target = str(path.readlink())
    # Lexically first (the link as written), then as the file system resolves it (links via links).
    lexical_escape = escapes(posixpath.join(posixpath.dirname(relative), target))
    resolved = os.path.realpath(path)
    if lexical_escape or os.path.commonpath([resolved, real_root]) != real_root:
        return f"{target} (points outside the capsule)"
    if not Path(resolved).exists():
        return f"{target} (points at nothing)"
    return ""
