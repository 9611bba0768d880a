"""A zip archive seen as a stream of tar members, so that it is unpacked by the very same writer and rules.

Each zip entry becomes a `TarInfo` (file, folder or symlink by its Unix mode; a device or fifo keeps its
type so the writer refuses it), and the compressed bytes of each opened entry are counted, so the
writer's compression-ratio limit catches a zip bomb as it catches a tar bomb.
"""

import stat
import tarfile
import time
import zipfile
from collections.abc import Iterator
from typing import IO

from reproducer.errors import BadInput

# A symlink's target is stored as the entry's body; a longer one is not a path.
MAX_LINK_BYTES = 4096
_SPECIAL_TYPES = (
    (stat.S_ISFIFO, tarfile.FIFOTYPE),
    (stat.S_ISCHR, tarfile.CHRTYPE),
    (stat.S_ISBLK, tarfile.BLKTYPE),
)


class ZipMembers:
    """A zip's entries as TarInfo; `extractfile` opens one; `bytes_read` counts compressed bytes."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.bytes_read = 0
        self._entries: dict[int, zipfile.ZipInfo] = {}

    def __iter__(self) -> Iterator[tarfile.TarInfo]:
        for entry in self.archive.infolist():
            member = self._member(entry)
            self._entries[id(member)] = entry
            yield member

    def extractfile(self, member: tarfile.TarInfo) -> IO[bytes]:
        entry = self._entries[id(member)]
        self.bytes_read += entry.compress_size
        return self.archive.open(entry)

    def _member(self, entry: zipfile.ZipInfo) -> tarfile.TarInfo:
        member = tarfile.TarInfo(entry.filename)
        mode = entry.external_attr >> 16
        try:
            member.mtime = int(time.mktime((*entry.date_time, 0, 0, -1)))
        except (OverflowError, ValueError):
            member.mtime = 0
        if entry.is_dir():
            member.type, member.mode = tarfile.DIRTYPE, 0o755
        elif stat.S_ISLNK(mode):
            if entry.file_size > MAX_LINK_BYTES:
                raise BadInput(
                    f"zip member {entry.filename!r} is a symlink with a {entry.file_size}-byte target"
                )
            member.type, member.mode = tarfile.SYMTYPE, 0o777
            member.linkname = self.archive.read(entry).decode("utf-8", errors="replace")
        elif mode == 0 or stat.S_ISREG(mode):
            # Zips made on Windows carry no Unix mode: a plain readable file.
            member.type, member.size = tarfile.REGTYPE, entry.file_size
            member.mode = (mode & 0o777) or 0o644
        else:
            member.type = next((kind for test, kind in _SPECIAL_TYPES if test(mode)), tarfile.CHRTYPE)
        return member
