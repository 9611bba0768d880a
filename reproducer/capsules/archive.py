"""Safe extraction of a capsule archive (.tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .zip).

Every member passes the standard library's `data` filter plus our own lexical checks, and the stream
is read once, front to back, under limits on member count, total size and compression ratio measured
on the bytes actually read: a tar bomb is stopped after a few MiB, whatever its headers claim. A zip's
entries go through the same writer and rules (see `zip_members`).
"""

import lzma
import tarfile
import tempfile
import zipfile
import zlib
from pathlib import Path

from reproducer.capsules.archive_writer import ArchiveWriter, CountingReader
from reproducer.capsules.fs import remove_tree
from reproducer.capsules.limits import DEFAULT_LIMITS, ExtractLimits
from reproducer.capsules.zip_members import ZipMembers
from reproducer.errors import BadInput

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".zip")
# Errors the decompressors and tarfile raise on a file that is not a (whole) tar archive.
_UNREADABLE = (tarfile.TarError, zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError)
# What zipfile raises for an encrypted entry or a compression method it lacks.
_UNSUPPORTED_ZIP = (RuntimeError, NotImplementedError)


def archive_stem(path: Path) -> str:
    """`capsule-123.tar.gz` -> `capsule-123`; a name without a known suffix loses only its last one."""
    lowered = path.name.lower()
    for suffix in ARCHIVE_SUFFIXES:
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            return path.name[: -len(suffix)]
    return path.stem


def extract_archive(archive: Path, target: Path, limits: ExtractLimits = DEFAULT_LIMITS) -> list[str]:
    """Unpacks `archive` into the new folder `target`, all or nothing; returns the symlinks skipped.

    Extraction happens in a temporary folder next to `target`, renamed into place on success and
    removed on any failure. Symlinks pointing outside the archive are skipped (`name -> target`).
    Raises BadInput for an unreadable or hostile archive.
    """
    if target.exists() or target.is_symlink():
        raise BadInput(f"cannot extract {archive}: {target} already exists")
    partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        skipped = _extract_into(archive, partial, limits)
        partial.rename(target)
    except BaseException:
        remove_tree(partial)
        raise
    return skipped


def _extract_into(archive: Path, root: Path, limits: ExtractLimits) -> list[str]:
    if archive.suffix.lower() == ".zip" or zipfile.is_zipfile(archive):
        return _extract_zip(archive, root, limits)
    try:
        raw = archive.open("rb")
    except OSError as error:
        raise BadInput(f"cannot read archive {archive}: {error.strerror or error}") from None
    with raw:
        counter = CountingReader(raw)
        try:
            with tarfile.open(fileobj=counter, mode="r|*") as tar:
                writer = ArchiveWriter(archive, root, limits, counter)
                writer.extract_all(tar)
        except _UNREADABLE as error:
            raise BadInput(
                f"cannot extract {archive}: not a readable tar archive (corrupt, truncated or another "
                f"format; expected .tar, .tar.gz/.tgz, .tar.bz2 or .tar.xz): {error}"
            ) from None
    return writer.skipped


def _extract_zip(archive: Path, root: Path, limits: ExtractLimits) -> list[str]:
    try:
        with zipfile.ZipFile(archive) as opened:
            members = ZipMembers(opened)
            writer = ArchiveWriter(archive, root, limits, members)
            writer.extract_all(members)
    except _UNSUPPORTED_ZIP as error:
        raise BadInput(f"cannot extract {archive}: {error} (an encrypted or unusual zip)") from None
    except _UNREADABLE as error:
        raise BadInput(
            f"cannot extract {archive}: not a readable zip archive (corrupt or truncated): {error}"
        ) from None
    return writer.skipped
