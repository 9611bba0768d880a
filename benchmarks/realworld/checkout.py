"""Export each manifest repository's commit from its fetched mirror into a snapshots folder.

The search tool's `fetch` leaves bare mirrors in /work/.mirror/<owner+name>/ (the git directory is
`repo/` or `repo/.git`). A snapshot lacks files of 4 MiB and more, so `git archive` fails on such a
commit; files are therefore written one blob at a time and a missing blob is reported and skipped.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.realworld.manifest import Repository, load_manifest

HERE = Path(__file__).resolve().parent


def git_dir(mirrors: Path, slug: str) -> Path | None:
    """The bare git directory of a fetched mirror, or None when it was not fetched."""
    for candidate in (mirrors / slug / "repo" / ".git", mirrors / slug / "repo", mirrors / slug):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def export(gitdir: Path, commit: str, dest: Path) -> list[str]:
    """Write the tree of `commit` into `dest`, every file dated to the commit as `git archive` dates
    them (the planner's cut-off date for package versions reads file times when there is no .git);
    return the paths whose blobs the snapshot lacks."""
    committed = int(
        subprocess.run(
            ["git", "--git-dir", str(gitdir), "show", "-s", "--format=%ct", commit],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    listing = subprocess.run(
        ["git", "--git-dir", str(gitdir), "ls-tree", "-r", "-z", commit],
        check=True,
        capture_output=True,
    ).stdout
    missing: list[str] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind != b"blob":
            continue  # submodules are not part of a snapshot
        target = dest / path.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        blob = subprocess.run(
            ["git", "--git-dir", str(gitdir), "cat-file", "blob", sha.decode()], capture_output=True
        )
        if blob.returncode != 0:
            missing.append(path.decode())
            continue
        if mode == b"120000":
            target.symlink_to(blob.stdout.decode())
        else:
            target.write_bytes(blob.stdout)
            if mode == b"100755":
                target.chmod(0o755)
        os.utime(target, (committed, committed), follow_symlinks=False)
    return missing


def checkout(repo: Repository, mirrors: Path, snapshots: Path) -> str:
    """Export one repository; return a one-line outcome."""
    dest = snapshots / repo.slug
    if dest.exists():
        return f"{repo.slug}: already there"
    gitdir = git_dir(mirrors, repo.slug)
    if gitdir is None:
        return f"{repo.slug}: no mirror in {mirrors} (fetch github:{repo.repo} first)"
    dest.mkdir(parents=True)
    missing = export(gitdir, repo.commit, dest)
    note = f", {len(missing)} file(s) absent from the snapshot: {', '.join(missing[:3])}" if missing else ""
    return f"{repo.slug}: exported {repo.commit[:10]}{note}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--manifest", type=Path, default=HERE / "manifest.yaml")
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--snapshots", type=Path, required=True)
    args = parser.parse_args(argv)
    args.snapshots.mkdir(parents=True, exist_ok=True)
    for repo in load_manifest(args.manifest):
        print(checkout(repo, args.mirrors, args.snapshots))
    return 0


if __name__ == "__main__":
    sys.exit(main())
