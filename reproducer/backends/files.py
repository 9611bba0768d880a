"""Reading a sandbox's workspace through its backend session, never by assuming it is a host folder.

Harvest and the agent's file tools ask the session (`Backend.files`) for a `WorkspaceFiles` over the
staged capsule. Whatever serves it, the same protections hold: a path may not leave the workspace, a link
is followed only while it stays inside, only regular files are opened (never a fifo, a device or a
socket), and reads are capped. `HostFiles` serves a workspace that lies on this host (the local backend,
and Docker's bind-mounted one) through `safefs`.
"""

import os
import stat
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Literal, Protocol

from reproducer.safefs import Refused, open_file, open_inside, read_inside, special_kind

EntryKind = Literal["file", "folder", "link", "special"]
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


@dataclass(frozen=True)
class Entry:
    """One thing in the workspace. `path` is relative to the workspace root (posix); `identity` is the
    same for two paths that name one file (through a link, or from two roots: on this host, `host:` and
    the device and inode); `target` is a link's, as written; `detail` names a special file's kind (fifo,
    socket, device)."""

    path: str
    kind: EntryKind
    size: int = 0
    modified_ns: int = 0
    identity: str = ""
    target: str = ""
    detail: str = ""


class WorkspaceFiles(Protocol):
    """The workspace's files as a backend session serves them; paths are relative to its root.

    Every method raises `Refused` for a path that leaves the workspace or names something that is not
    what was asked for, FileNotFoundError for one that does not exist."""

    def stat(self, path: str) -> Entry:
        """What `path` names, links inside the workspace followed: a file or a folder."""
        ...

    def open(self, path: str) -> AbstractContextManager[BinaryIO]:
        """The regular file `path` names, to read (a binary file object)."""
        ...

    def read(self, path: str, max_bytes: int) -> bytes:
        """The file's bytes; Refused when it holds more than `max_bytes` (counted while reading)."""
        ...

    def walk(self, path: str, depth: int, skip: frozenset[str] = frozenset()) -> Iterator[Entry]:
        """What the folder `path` holds, `depth` levels down, sorted by name, each folder before what it
        holds; links are listed, not followed. A folder on the last level is listed and not entered;
        folders named in `skip` are left out."""
        ...


class HostFiles:
    """A workspace that is a folder on this host (see the module's docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def stat(self, path: str) -> Entry:
        try:
            descriptor = open_inside(self.root, path, folder=True)
        except NotADirectoryError:
            descriptor = open_inside(self.root, path)
        try:
            info = os.fstat(descriptor)
        finally:
            os.close(descriptor)
        kind: EntryKind = "folder" if stat.S_ISDIR(info.st_mode) else "file"
        return _entry(_clean(path), kind, info)

    def open(self, path: str) -> AbstractContextManager[BinaryIO]:
        return open_file(self.root, path)

    def read(self, path: str, max_bytes: int) -> bytes:
        return read_inside(self.root, path, max_bytes)

    def walk(self, path: str, depth: int, skip: frozenset[str] = frozenset()) -> Iterator[Entry]:
        descriptor = open_inside(self.root, path, folder=True)
        try:
            yield from _scan(descriptor, _clean(path), depth, skip)
        finally:
            os.close(descriptor)


def _clean(path: str) -> str:
    parts = [part for part in PurePosixPath(path).parts if part not in ("", ".")]
    return "/".join(parts)


def _entry(path: str, kind: EntryKind, info: os.stat_result, target: str = "", detail: str = "") -> Entry:
    return Entry(
        path=path,
        kind=kind,
        size=info.st_size,
        modified_ns=info.st_mtime_ns,
        identity=f"host:{info.st_dev}:{info.st_ino}",
        target=target,
        detail=detail,
    )


def _scan(descriptor: int, relative: str, depth: int, skip: frozenset[str]) -> Iterator[Entry]:
    with os.scandir(descriptor) as listing:
        names = sorted(entry.name for entry in listing)  # names only: a folder may hold millions
    for name in names:
        path = f"{relative}/{name}" if relative else name
        try:
            info = os.stat(name, dir_fd=descriptor, follow_symlinks=False)
        except FileNotFoundError:  # removed since the listing
            continue
        if stat.S_ISDIR(info.st_mode):
            if name in skip:
                continue
            yield _entry(path, "folder", info)
            if depth <= 1:
                continue
            child = os.open(name, _FOLDER_FLAGS, dir_fd=descriptor)
            try:
                yield from _scan(child, path, depth - 1, skip)
            finally:
                os.close(child)
        elif stat.S_ISLNK(info.st_mode):
            yield _entry(path, "link", info, target=os.readlink(name, dir_fd=descriptor))
        elif stat.S_ISREG(info.st_mode):
            yield _entry(path, "file", info)
        else:
            yield _entry(path, "special", info, detail=special_kind(info.st_mode))


__all__ = ["Entry", "HostFiles", "Refused", "WorkspaceFiles"]
