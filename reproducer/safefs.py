"""Reading files the sandboxed code wrote, from the host, without being led out of the workspace.

Untrusted code can leave `results/x -> /proc/<runner pid>/environ`, a fifo whose writer never stops, or a
link to `/dev/zero`. Every host-side reader goes through `open_inside`: the path is walked one component
at a time with `O_NOFOLLOW` relative to the folder already opened, a symlink is followed only when its
target stays inside the root (at most `MAX_LINKS` of them), and the file opened must be a regular file,
checked on the descriptor itself. Reads are capped in size, so no read can run on forever or fill memory.
"""

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

# Like the kernel's own limit on links followed in one lookup.
MAX_LINKS = 40
_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: opening a fifo never waits for a writer (and it is refused right after, on its fstat).
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


class Refused(OSError):
    """The path leads out of the root, or to something that is not a regular file; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(errno.EACCES, reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class Outside(Refused):
    """The path, or a link on it, leads out of the root."""


def special_kind(mode: int) -> str:
    """What a non-regular file is, in words ("" for a regular file)."""
    kinds = (
        (stat.S_ISDIR, "folder"),
        (stat.S_ISLNK, "symlink"),
        (stat.S_ISFIFO, "fifo"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    )
    return next((name for test, name in kinds if test(mode)), "" if stat.S_ISREG(mode) else "special file")


def _parts(relative: PurePosixPath) -> list[str]:
    return [part for part in relative.parts if part not in ("", ".")]


def _relative_target(root: Path, link_parent: list[str], target: str) -> list[str]:
    """The components, under the root, that a link at `link_parent/<name>` reading `target` names."""
    if target.startswith("/"):
        absolute = PurePosixPath(os.path.normpath(target))
        real_root = PurePosixPath(os.path.realpath(root))
        if not absolute.is_relative_to(real_root):
            raise Outside(f"a symlink to {target}, outside the workspace")
        return _parts(absolute.relative_to(real_root))
    parts: list[str] = list(link_parent)
    for part in _parts(PurePosixPath(target)):
        if part == "..":
            if not parts:
                raise Outside(f"a symlink to {target}, outside the workspace")
            parts.pop()
        else:
            parts.append(part)
    return parts


def open_inside(root: Path, relative: str | Path, *, folder: bool = False) -> int:
    """A read-only descriptor of the regular file (or with `folder`, the folder) `relative` names under
    `root`; Refused otherwise.

    The caller closes it. `relative` may not be absolute or climb out with `..`; links are followed only
    while they stay inside `root`.
    """
    pending = _parts(PurePosixPath(relative))
    if PurePosixPath(relative).is_absolute() or ".." in pending:
        raise Outside(f"{relative}: not a path inside the workspace")
    links = 0
    while True:
        descriptor = os.open(root, _DIRECTORY_FLAGS)
        walked: list[str] = []
        try:
            for position, part in enumerate(pending):
                info = os.stat(part, dir_fd=descriptor, follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    links += 1
                    if links > MAX_LINKS:
                        raise Refused(f"{relative}: more than {MAX_LINKS} symlinks")
                    target = os.readlink(part, dir_fd=descriptor)
                    pending = _relative_target(root, walked, target) + pending[position + 1 :]
                    break
                last = position == len(pending) - 1
                if not last or (folder and stat.S_ISDIR(info.st_mode)):
                    if not stat.S_ISDIR(info.st_mode):
                        raise Refused(f"{relative}: {'/'.join([*walked, part])} is not a folder")
                    child = os.open(part, _DIRECTORY_FLAGS, dir_fd=descriptor)
                    os.close(descriptor)
                    descriptor = child
                    walked.append(part)
                    continue
                if folder:
                    raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(relative))
                kind = special_kind(info.st_mode)
                if kind:  # never opened: opening a device or a fifo can block or have effects
                    raise Refused(f"a {kind}, not a regular file")
                opened = os.open(part, _FILE_FLAGS, dir_fd=descriptor)
                now = os.fstat(opened)
                if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
                    os.close(opened)
                    raise Refused("replaced while being opened")
                os.set_blocking(opened, True)
                return opened
            else:
                if folder:  # every component was a folder
                    return os.dup(descriptor)
                raise Refused(f"{relative}: is a folder")
        finally:
            os.close(descriptor)


@contextmanager
def open_file(root: Path, relative: str | Path) -> Iterator[BinaryIO]:
    """`open_inside` as a binary file object."""
    descriptor = open_inside(root, relative)
    with os.fdopen(descriptor, "rb") as handle:
        yield handle


def read_inside(root: Path, relative: str | Path, max_bytes: int) -> bytes:
    """The file's bytes, at most `max_bytes`; Refused when it is larger (checked by reading, not by
    trusting its size, as a file can grow while it is read)."""
    with open_file(root, relative) as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Refused(f"larger than the cap of {max_bytes} bytes")
    return data
