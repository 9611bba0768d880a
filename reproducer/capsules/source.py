"""Where a capsule comes from: a folder, an archive (a file or an https link) or a git repository."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlparse

from reproducer.capsules.archive import ARCHIVE_SUFFIXES, archive_stem, extract_archive
from reproducer.capsules.download import CHECKSUM_PREFIX, archive_name, download_archive
from reproducer.capsules.fs import remove_tree
from reproducer.capsules.git_source import clone, is_git_url, repo_name, split_ref
from reproducer.capsules.limits import DEFAULT_LIMITS, ExtractLimits
from reproducer.errors import BadInput

# The folders of a Code Ocean capsule: a lone top-level folder with one of these names is the
# capsule's own content, not a wrapper around it.
CAPSULE_PARTS = frozenset({"code", "data", "results", "environment", "metadata"})
_FALLBACK_NAME = "capsule"


@dataclass(frozen=True)
class CapsuleSource:
    """A parsed capsule argument: what kind it is, where, which git ref, and its natural name."""

    kind: Literal["dir", "archive", "url", "git"]
    location: str
    ref: str | None
    name: str
    # For a link to an archive: the SHA-256 its `#sha256=HEX` suffix gave.
    sha256: str | None = None


def parse_source(source: str | Path, ref: str | None = None) -> CapsuleSource:
    """Works out what `source` is. A `#ref` suffix on a git URL (or repository path) picks a ref.

    An http(s) link whose path ends with an archive suffix is an archive to download (`#sha256=HEX`
    checks it); any other URL is a git remote."""
    text = str(source)
    path = Path(text).expanduser()
    if path.exists():
        return _local(path, ref, text)
    location, suffix_ref = split_ref(text) if isinstance(source, str) else (text, None)
    if suffix_ref and ref and suffix_ref != ref:
        raise BadInput(f"capsule {text}: the #{suffix_ref} suffix and --ref {ref} disagree")
    ref = ref or suffix_ref
    if location.startswith("file://"):
        local = Path(unquote(urlparse(location).path))
        if local.is_file():
            return _local(local, ref, text)
    if is_git_url(location):
        name = archive_name(location)
        if location.startswith(("https://", "http://")) and name.lower().endswith(ARCHIVE_SUFFIXES):
            return _link(location, ref, text, name)
        return CapsuleSource("git", location, ref, _safe_name(repo_name(location)))
    if suffix_ref and Path(location).expanduser().is_dir():
        return _local(Path(location).expanduser(), ref, text)
    raise BadInput(f"capsule {text}: no such file or folder, and not a git URL")


def _link(location: str, ref: str | None, text: str, name: str) -> CapsuleSource:
    if ref is not None and not ref.startswith(CHECKSUM_PREFIX):
        raise BadInput(f"capsule {text}: a link to an archive takes `#sha256=HEX`, not a git ref ({ref})")
    checksum = ref.removeprefix(CHECKSUM_PREFIX) if ref else None
    if checksum is not None and (
        len(checksum) != 64 or any(c not in "0123456789abcdefABCDEF" for c in checksum)
    ):
        raise BadInput(f"capsule {text}: {checksum!r} is not a SHA-256 (64 hexadecimal digits)")
    return CapsuleSource("url", location, None, _safe_name(archive_stem(Path(name))), checksum)


def _local(path: Path, ref: str | None, text: str) -> CapsuleSource:
    path = path.resolve()
    if path.is_dir():
        # A ref asks for a commit of the repository rather than its working tree as it stands.
        kind: Literal["dir", "git"] = "git" if ref else "dir"
        location = path.as_uri() if ref else str(path)
        return CapsuleSource(kind, location, ref, _safe_name(path.name))
    if not path.is_file():
        raise BadInput(f"capsule {text}: not a folder, a tar archive or a git repository")
    if ref:
        raise BadInput(f"capsule {text}: a git ref ({ref}) only applies to a git repository, not a file")
    return CapsuleSource("archive", str(path), None, _safe_name(archive_stem(path)))


def _safe_name(name: str) -> str:
    return name if name not in ("", ".", "..") else _FALLBACK_NAME


@contextmanager
def open_capsule(
    source: str | Path,
    *,
    ref: str | None = None,
    limits: ExtractLimits = DEFAULT_LIMITS,
    skipped: list[str] | None = None,
) -> Iterator[Path]:
    """Yields a folder holding the capsule root (`code/`, `data/`, ...); temporary copies are removed after.

    `source` is a folder, an archive (.tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .zip), an http(s) link to
    one (downloaded under a size limit, `#sha256=HEX` checked) or a git repository
    (`file://`, `https://`, `ssh://`, `git@host:path`, or a local repository with a ref), optionally
    with a `#ref` suffix. A lone top-level folder (as in CORE-Bench tarballs) is descended into.
    The yielded folder's name is the capsule's natural name (folder, archive stem or repository name).
    A folder is used in place: do not change it. Symlinks an archive held that point outside it are
    not extracted; they are added to `skipped` (`name -> target`).
    """
    parsed = parse_source(source, ref)
    if parsed.kind == "dir":
        yield capsule_root(Path(parsed.location), str(source))
        return
    scratch = Path(tempfile.mkdtemp(prefix="reproducer-capsule-"))
    try:
        target = scratch / parsed.name
        if parsed.kind in ("archive", "url"):
            archive = Path(parsed.location)
            if parsed.kind == "url":
                (scratch / "download").mkdir()
                archive = download_archive(parsed.location, scratch / "download", sha256=parsed.sha256)
            left = extract_archive(archive, target, limits)
            if skipped is not None:
                skipped += [f"{link} (points outside the archive)" for link in left]
        else:
            clone(parsed.location, target, parsed.ref)
        yield capsule_root(target, str(source))
    finally:
        remove_tree(scratch)


def capsule_root(folder: Path, source: str) -> Path:
    """`folder`, or its lone top-level subfolder (ignoring that subfolder's own tarball beside it)."""
    entries = list(folder.iterdir())
    if not entries:
        raise BadInput(f"capsule {source} is empty")
    folders = [entry for entry in entries if entry.is_dir() and not entry.is_symlink()]
    if len(folders) != 1 or folders[0].name in CAPSULE_PARTS:
        return folder
    lone = folders[0]
    # CORE-Bench's dataset folder keeps `capsule-N.tar.gz` beside the extracted `capsule-N/`.
    own_archives = {lone.name + suffix for suffix in ARCHIVE_SUFFIXES}
    others = [entry for entry in entries if entry != lone and entry.name not in own_archives]
    return folder if others else lone
