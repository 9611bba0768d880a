"""Where a CORE-Bench task's capsule is: a folder of capsules, unpacked once and shared by runs.

`DIR/<capsule_id>/` is used as it is. Otherwise `DIR/<capsule_id>.tar.gz` (downloaded first with
`--download` when missing) is checked against the manifest's SHA-256 when one is known and unpacked,
safely and atomically, into `DIR/<capsule_id>/`, the layout the official harness leaves behind. A
per-capsule file lock keeps two runs (or two repeats) from fetching or unpacking the same capsule at once.
"""

import fcntl
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reproducer.bench.checksums import sha256_of
from reproducer.bench.download import CapsuleUnavailable, DownloadPolicy, download
from reproducer.capsules.archive import extract_archive
from reproducer.capsules.fs import remove_tree
from reproducer.capsules.source import capsule_root
from reproducer.rundir.bench_result import CapsuleRecord

ARCHIVE_SUFFIX = ".tar.gz"


@dataclass(frozen=True)
class CapsuleStore:
    directory: Path
    allow_download: bool = False
    url_template: str = ""
    checksums: dict[str, str] = field(default_factory=dict)
    policy: DownloadPolicy = field(default_factory=DownloadPolicy)

    def fetch(self, capsule_id: str) -> CapsuleRecord:
        """The unpacked capsule (its folder is `source`); CapsuleUnavailable if it cannot be had."""
        unpacked = self.directory / capsule_id
        archive = self.directory / f"{capsule_id}{ARCHIVE_SUFFIX}"
        with self._locked(capsule_id):
            _remove_partials(self.directory, capsule_id)
            if unpacked.is_dir():
                return CapsuleRecord(source=str(unpacked))
            expected = self.checksums.get(archive.name)
            downloaded = False
            if archive.is_file():
                digest = sha256_of(archive)
                if expected is not None and digest != expected:
                    raise CapsuleUnavailable(
                        f"{archive}: SHA-256 is {digest}, the manifest says {expected} (corrupt? delete it)"
                    )
            elif self.allow_download:
                url = self.url_template.format(capsule_id=capsule_id)
                digest = download(url, archive, expected_sha256=expected, policy=self.policy)
                downloaded = True
            else:
                raise CapsuleUnavailable(
                    f"{self.directory}: holds neither {capsule_id}/ nor {archive.name} "
                    "(pass --download to fetch it)"
                )
            try:
                _unpack(archive, unpacked)
            except BaseException:
                if downloaded:  # a bad download is not kept, so the next run fetches it again
                    archive.unlink(missing_ok=True)
                raise
            return CapsuleRecord(
                source=str(unpacked),
                archive=str(archive),
                sha256=digest,
                checksum_verified=expected is not None,
                downloaded=downloaded,
            )

    @contextmanager
    def _locked(self, capsule_id: str) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / f".{capsule_id}.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_partials(directory: Path, capsule_id: str) -> None:
    """What a killed runner left half-done for this capsule; safe under the capsule's lock."""
    for pattern in (f".{capsule_id}{ARCHIVE_SUFFIX}.part-*", f".{capsule_id}.unpacking-*"):
        for leftover in directory.glob(pattern):
            remove_tree(leftover)


def _unpack(archive: Path, unpacked: Path) -> None:
    """Extract into a hidden folder, then rename the capsule root (a lone `capsule-N/` inside) into place."""
    scratch = unpacked.with_name(f".{unpacked.name}.unpacking-{uuid.uuid4().hex[:8]}")
    try:
        extract_archive(archive, scratch)
        capsule_root(scratch, str(archive)).rename(unpacked)
    finally:
        if scratch.exists():
            remove_tree(scratch)
