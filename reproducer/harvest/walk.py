"""`harvest`: walk what a run produced and read each file with the reader for its format.

The run's code is untrusted and so is everything it wrote. Folders are walked through descriptors
without following a link; each file is opened through `safefs` (a link leading out of the workspace, a
fifo, a device or a socket is listed as skipped with the reason, never opened) and parsed in a reader
process with a time and memory budget (see `budget`).
"""

import itertools
import os
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reproducer.harvest.budget import Reader
from reproducer.harvest.images import HEADER_BYTES, IMAGE_SUFFIXES, image_from_head
from reproducer.harvest.kinds import SNIFF_BYTES, kind_by_head, kind_by_suffix
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.model import Harvest, HarvestedFile
from reproducer.harvest.notebook import drop_conversions
from reproducer.safefs import Refused, open_file, open_inside, special_kind

_DEFAULT_LIMITS = HarvestLimits()
# Folders that hold copies or tooling, never results.
_SKIPPED_DIRECTORIES = frozenset({".git", ".ipynb_checkpoints", "__pycache__", ".Rproj.user", "node_modules"})


@dataclass(frozen=True)
class _Found:
    """A file met by the walk, relative to its `base` (the folder it may not leave); `skip` when it
    must not be opened."""

    base: Path
    file: str
    skip: str = ""


def _scan(base: Path, descriptor: int, relative: str, depth: int, limits: HarvestLimits) -> Iterator[_Found]:
    """The files under the open folder `descriptor` (named `relative` under `base`), in sorted order."""
    with os.scandir(descriptor) as listing:
        names = sorted(entry.name for entry in listing)  # names only: a folder may hold millions
    for name in names:
        file = f"{relative}/{name}" if relative else name
        try:
            info = os.stat(name, dir_fd=descriptor, follow_symlinks=False)
        except FileNotFoundError:  # removed since the listing
            continue
        if stat.S_ISDIR(info.st_mode):
            if name in _SKIPPED_DIRECTORIES:
                continue
            if depth >= limits.max_depth:
                yield _Found(base, file, f"a folder nested more than {limits.max_depth} deep, not walked")
                continue
            child = os.open(
                name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=descriptor
            )
            try:
                yield from _scan(base, child, file, depth + 1, limits)
            finally:
                os.close(child)
        elif stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
            yield _Found(base, file)  # a link is checked where it is opened
        else:
            yield _Found(base, file, f"a {special_kind(info.st_mode)}, not a regular file")


def _files(root: Path, path: Path, limits: HarvestLimits) -> Iterator[_Found]:
    """The files `path` names: itself, or everything under it. A path inside `root` (as written) may
    not leave `root`; a path given outside it may not leave its own folder."""
    base, relative = root, Path()
    for candidate in (root, root.absolute()):
        if path.is_relative_to(candidate):
            relative = path.relative_to(candidate)
            break
    else:
        base, relative = path.parent, Path(path.name)
    try:
        descriptor = open_inside(base, relative, folder=True)
    except NotADirectoryError:  # a file (or a special one): opened, or refused, later
        yield _Found(base, relative.as_posix())
        return
    try:
        yield from _scan(base, descriptor, "" if relative == Path() else relative.as_posix(), 0, limits)
    finally:
        os.close(descriptor)


class _Harvester:
    def __init__(self, root: Path, limits: HarvestLimits, reader: Reader) -> None:
        self.root, self.limits, self.reader = root, limits, reader
        self.result = Harvest(root=root.as_posix())
        self.bytes_read = 0
        self.seen: set[tuple[int, int]] = set()
        self.deadline = time.monotonic() + limits.harvest_seconds

    def _name(self, found: _Found) -> str:
        """The path as reviewers read it: relative to the root when inside it."""
        full = found.base / found.file
        return found.file if found.base == self.root else full.as_posix()

    def _given(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.as_posix()

    def add(self, path: Path) -> None:
        name = self._given(path)
        try:
            found_files = list(self._walk(path))
        except FileNotFoundError:
            self.skip_missing(path, "does not exist")
            return
        except OSError as error:
            self.skip_missing(path, f"cannot be read: {error.strerror or error}")
            return
        for found in found_files:
            if len(self.result.files) >= self.limits.max_files:
                reason = f"more than {self.limits.max_files} files; the rest of {name} was not read"
                self.result.files.append(
                    HarvestedFile(file=name, kind="missing", state="skipped", reason=reason)
                )
                return
            record = self.read_or_skip(found)
            if record is not None:
                self.result.files.append(record)

    def _walk(self, path: Path) -> Iterator[_Found]:
        # The listing itself is bounded too: a folder of a million files is not listed in full.
        return itertools.islice(_files(self.root, path, self.limits), self.limits.max_files + 1)

    def skip_missing(self, path: Path, reason: str) -> None:
        record = HarvestedFile(file=self._given(path), kind="missing", state="skipped", reason=reason)
        self.result.files.append(record)

    def read_or_skip(self, found: _Found) -> HarvestedFile | None:
        name = self._name(found)
        if found.skip:
            return HarvestedFile(file=name, kind="missing", state="skipped", reason=found.skip)
        try:
            return self.read(found, name)
        except Refused as refused:
            return HarvestedFile(file=name, kind="missing", state="skipped", reason=f"not read: {refused}")
        except OSError as error:  # unreadable (permissions, vanished mid-run): listed, not fatal
            reason = f"cannot be read: {error.strerror or error}"
            return HarvestedFile(file=name, kind="missing", state="skipped", reason=reason)

    def read(self, found: _Found, name: str) -> HarvestedFile | None:
        suffix = Path(found.file).suffix
        want = max(SNIFF_BYTES, HEADER_BYTES if suffix.lower() in IMAGE_SUFFIXES else 0)
        with open_file(found.base, found.file) as handle:
            info = os.fstat(handle.fileno())
            head = handle.read(want)
        if (info.st_dev, info.st_ino) in self.seen:  # the same file through a link, or given twice
            return None
        self.seen.add((info.st_dev, info.st_ino))
        size = info.st_size
        kind = kind_by_suffix(suffix) or kind_by_head(head[:SNIFF_BYTES])
        record = HarvestedFile(file=name, kind=kind, bytes=size)
        if kind in ("image", "pdf"):  # a PDF in results/ is as often a figure as a report
            self.result.images.append(image_from_head(suffix, head, name, size))
        if kind == "image":
            return record
        skip = self.skip_reason(suffix, kind, size)
        if skip:
            return record.model_copy(update={"state": "skipped", "reason": skip})
        self.bytes_read += size
        seconds = self.limits.pdf_timeout_seconds if kind == "pdf" else self.limits.file_timeout_seconds
        seconds = min(seconds, max(1.0, self.deadline - time.monotonic()))
        parsed = self.reader.parse(found.base, found.file, name, kind, seconds)
        room = self.limits.max_facts - len(self.result.facts)
        reason = parsed.reason
        if len(parsed.facts) > room:
            reason = f"only the first {room} facts kept: the harvest holds at most {self.limits.max_facts}"
        self.result.facts += parsed.facts[:room]
        facts = min(len(parsed.facts), room)
        return record.model_copy(update={"state": parsed.state, "reason": reason, "facts": facts})

    def skip_reason(self, suffix: str, kind: str, size: int) -> str:
        if size > self.limits.max_file_bytes:
            return f"{size} bytes is over the per-file cap of {self.limits.max_file_bytes} bytes"
        if kind == "binary":
            return f"binary file ({suffix or 'no suffix'})"
        if self.bytes_read + size > self.limits.max_total_bytes:
            return f"the harvest already read {self.bytes_read} bytes (cap {self.limits.max_total_bytes})"
        if len(self.result.facts) >= self.limits.max_facts:
            return f"the harvest already holds {len(self.result.facts)} facts (cap {self.limits.max_facts})"
        if time.monotonic() >= self.deadline:
            return f"the harvest's time of {self.limits.harvest_seconds:g} s is over"
        return ""


def harvest(
    root: Path, paths: Iterable[Path] | None = None, *, limits: HarvestLimits = _DEFAULT_LIMITS
) -> Harvest:
    """Index every file under `paths` (files or folders; all of `root` when None) into facts and images.

    File names in the result are relative to `root` when inside it. Never raises for a file's content:
    unreadable, binary, huge, encrypted, slow, special or linked-out files are listed in `Harvest.files`
    with a state and reason.
    """
    with Reader(limits) as reader:
        harvester = _Harvester(root, limits, reader)
        for path in [root] if paths is None else paths:
            harvester.add(Path(path))
        drop_conversions(harvester.result)
        return harvester.result
