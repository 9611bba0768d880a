"""Writes the members of a tar stream to disk one by one, checking each against the rules and limits."""

import contextlib
import io
import os
import posixpath
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO, Protocol

from reproducer.capsules.archive_rules import check_link, filter_rule, refusal, relative_name, symlink_escapes
from reproducer.capsules.limits import ExtractLimits
from reproducer.errors import BadInput, WorkFailed

CHUNK_BYTES = 1024 * 1024
_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW


class CountingReader(io.RawIOBase):
    """A read-only file that counts the (compressed) bytes taken from the file it wraps."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "memoryview | bytearray") -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self.bytes_read += len(data)
        return len(data)


class Members(Protocol):
    """A stream of tar members with their bodies: a `tarfile.TarFile`, or a zip seen as one."""

    def __iter__(self) -> Iterator[tarfile.TarInfo]: ...

    def extractfile(self, member: tarfile.TarInfo) -> IO[bytes] | None: ...


class ReadCounter(Protocol):
    """How many compressed bytes have been read so far."""

    @property
    def bytes_read(self) -> int: ...


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    # Failing to write (disk full, permissions) is not the archive's fault: WorkFailed, not BadInput.
    try:
        yield
    except OSError as error:
        raise WorkFailed(f"cannot write {path}: {error.strerror or error}") from None


class ArchiveWriter:
    """Extracts one archive into `root` (a fresh folder), refusing the first member that breaks a rule."""

    def __init__(self, archive: Path, root: Path, limits: ExtractLimits, counter: ReadCounter) -> None:
        self.archive = archive
        self.root = root
        self.limits = limits
        self.counter = counter
        self.members = 0
        self.bytes_written = 0
        self.files: set[str] = set()
        # Symlinks left out because they point outside the archive, as `name -> target`.
        self.skipped: list[str] = []

    def extract_all(self, tar: Members) -> None:
        for member in tar:
            self.members += 1
            if self.members > self.limits.max_members:
                raise refusal(
                    self.archive, member.name, f"is past the limit of {self.limits.max_members} members"
                )
            self._extract(tar, member)

    def _extract(self, tar: Members, member: tarfile.TarInfo) -> None:
        try:
            name = relative_name(member.name)
            check_link(member, name)
        except ValueError as error:
            raise refusal(self.archive, member.name, str(error)) from None
        if symlink_escapes(member, name):
            self.skipped.append(f"{name} -> {member.linkname}")
            return
        try:
            safe = tarfile.data_filter(member, str(self.root))
        except (tarfile.AbsoluteLinkError, tarfile.LinkOutsideDestinationError) as error:
            if not member.issym():
                raise refusal(self.archive, member.name, filter_rule(error)) from None
            self.skipped.append(f"{name} -> {member.linkname}")  # outside once earlier links resolve
            return
        except tarfile.FilterError as error:
            raise refusal(self.archive, member.name, filter_rule(error)) from None
        if not name:
            return
        dest = self.root / name
        self._check_no_symlink_on_path(member, name)
        with _writing(dest):
            if safe.isdir():
                self._make_dir(member, dest)
            elif safe.isreg():
                self._write_file(tar, member, safe, dest)
            elif safe.issym():
                self._clear(member, dest)
                dest.symlink_to(safe.linkname)
            elif safe.islnk():
                self._hard_link(member, safe, dest)
            else:
                raise refusal(self.archive, member.name, "is a device, fifo or other special file")

    def _check_no_symlink_on_path(self, member: tarfile.TarInfo, name: str) -> None:
        # Writing through a symlink made by an earlier member is how filters get bypassed; real
        # capsule archives never need it.
        folder = self.root
        for part in Path(name).parts[:-1]:
            folder = folder / part
            above = repr(folder.relative_to(self.root).as_posix())
            if folder.is_symlink():
                raise refusal(self.archive, member.name, f"would be written through the symlink {above}")
            if folder.exists() and not folder.is_dir():
                raise refusal(
                    self.archive, member.name, f"is under {above}, which an earlier member made a file"
                )

    def _make_dir(self, member: tarfile.TarInfo, dest: Path) -> None:
        if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
            raise refusal(self.archive, member.name, "is a folder where an earlier member put a file")
        dest.mkdir(parents=True, exist_ok=True)

    def _clear(self, member: tarfile.TarInfo, dest: Path) -> None:
        """Makes room for a file or link; a later member of the same name replaces an earlier one."""
        if dest.is_dir() and not dest.is_symlink():
            raise refusal(self.archive, member.name, "is a file where an earlier member put a folder")
        dest.unlink(missing_ok=True)
        dest.parent.mkdir(parents=True, exist_ok=True)

    def _write_file(self, tar: Members, member: tarfile.TarInfo, safe: tarfile.TarInfo, dest: Path) -> None:
        if member.size > self.limits.max_total_bytes - self.bytes_written:
            raise self._too_big(member)
        self._clear(member, dest)
        source = tar.extractfile(member)
        assert source is not None  # a regular file always has a body
        with os.fdopen(os.open(dest, _NEW_FILE_FLAGS, 0o600), "wb") as out:
            while chunk := source.read(CHUNK_BYTES):
                self.bytes_written += len(chunk)
                self._check_budget(member)
                out.write(chunk)
        if safe.mode is not None:
            dest.chmod(safe.mode)
        with contextlib.suppress(OverflowError, OSError):
            os.utime(dest, (safe.mtime, safe.mtime))
        self.files.add(str(dest.relative_to(self.root)))

    def _hard_link(self, member: tarfile.TarInfo, safe: tarfile.TarInfo, dest: Path) -> None:
        target = posixpath.normpath(safe.linkname)  # check_link made sure it stays inside
        if target not in self.files:
            rule = f"is a hard link to {safe.linkname!r}, which is not a file earlier in the archive"
            raise refusal(self.archive, member.name, rule)
        self._clear(member, dest)
        os.link(self.root / target, dest, follow_symlinks=False)
        self.files.add(str(dest.relative_to(self.root)))

    def _check_budget(self, member: tarfile.TarInfo) -> None:
        if self.bytes_written > self.limits.max_total_bytes:
            raise self._too_big(member)
        if self.bytes_written <= self.limits.ratio_grace_bytes:
            return
        ratio = self.bytes_written / max(self.counter.bytes_read, 1)
        if ratio > self.limits.max_compression_ratio:
            rule = (
                f"expands {ratio:.0f}x ({self.bytes_written} bytes out of {self.counter.bytes_read} read), "
                f"past the limit of {self.limits.max_compression_ratio:.0f}x: a tar bomb?"
            )
            raise refusal(self.archive, member.name, rule)

    def _too_big(self, member: tarfile.TarInfo) -> BadInput:
        rule = f"takes the archive past the limit of {self.limits.max_total_bytes} bytes unpacked"
        return refusal(self.archive, member.name, rule)
