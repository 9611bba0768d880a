"""`harvest`: walk what a run produced and read each file with the reader for its format.

The run's code is untrusted and so is everything it wrote. Files are read through `WorkspaceFiles`:
the backend session's for the sandbox's workspace (`mounts`: the capsule folder as the session serves
it, wherever that lies), `HostFiles` for the run's own logs. Either way folders are walked without
following a link, a link leading out of its root, a fifo, a device or a socket is listed as skipped
with the reason, never opened, and each file is parsed in a reader process with a time and memory
budget (see `budget`).
"""

import itertools
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from reproducer.backends.files import HostFiles, WorkspaceFiles
from reproducer.harvest.budget import Reader
from reproducer.harvest.images import HEADER_BYTES, IMAGE_SUFFIXES, image_from_head
from reproducer.harvest.kinds import SNIFF_BYTES, kind_by_head, kind_by_suffix
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.model import Harvest, HarvestedFile
from reproducer.harvest.notebook import drop_conversions
from reproducer.safefs import Refused

_DEFAULT_LIMITS = HarvestLimits()
# Folders that hold copies or tooling, never results.
_SKIPPED_DIRECTORIES = frozenset({".git", ".ipynb_checkpoints", "__pycache__", ".Rproj.user", "node_modules"})


@dataclass(frozen=True)
class _Found:
    """A file met by the walk: `file` relative to `base` (the folder it may not leave, served by
    `files`); `skip` when it must not be opened."""

    base: Path
    files: WorkspaceFiles
    file: str
    skip: str = ""


def served(root: Path, path: Path, mounts: Mapping[Path, WorkspaceFiles]) -> tuple[Path, WorkspaceFiles, str]:
    """Where `path` is read from: a mount that holds it, else the host below `root` when inside it, else
    the host below its own folder (a path given outside the root may not leave its folder)."""
    for base, files in mounts.items():
        for candidate in (base, base.absolute()):
            if path.is_relative_to(candidate):
                return base, files, path.relative_to(candidate).as_posix()
    for candidate in (root, root.absolute()):
        if path.is_relative_to(candidate):
            return root, HostFiles(root), path.relative_to(candidate).as_posix()
    return path.parent, HostFiles(path.parent), path.name


def _files(
    root: Path, path: Path, limits: HarvestLimits, mounts: Mapping[Path, WorkspaceFiles]
) -> Iterator[_Found]:
    """The files `path` names: itself, or everything under it."""
    base, files, relative = served(root, path, mounts)
    relative = "" if relative == "." else relative
    try:
        kind = files.stat(relative).kind
    except Refused as refused:  # a link out, a fifo, a device: listed, never opened
        yield _Found(base, files, relative, f"not read: {refused}")
        return
    if kind != "folder":
        yield _Found(base, files, relative)
        return
    # One level more than the depth walked: a folder on it is listed as not walked.
    depth, start = limits.max_depth + 1, len(PurePosixPath(relative).parts) if relative else 0
    for entry in files.walk(relative, depth, _SKIPPED_DIRECTORIES):
        if entry.kind == "folder":
            if len(PurePosixPath(entry.path).parts) - start >= depth:
                yield _Found(
                    base, files, entry.path, f"a folder nested more than {limits.max_depth} deep, not walked"
                )
        elif entry.kind == "special":
            yield _Found(base, files, entry.path, f"a {entry.detail}, not a regular file")
        else:
            yield _Found(base, files, entry.path)  # a link is checked where it is opened


class _Harvester:
    def __init__(
        self, root: Path, limits: HarvestLimits, reader: Reader, mounts: Mapping[Path, WorkspaceFiles]
    ) -> None:
        self.root, self.limits, self.reader, self.mounts = root, limits, reader, mounts
        self.result = Harvest(root=root.as_posix())
        self.bytes_read = 0
        self.seen: set[str] = set()
        self.deadline = time.monotonic() + limits.harvest_seconds

    def _name(self, found: _Found) -> str:
        """The path as reviewers read it: relative to the root when inside it."""
        full = found.base / found.file
        return self._given(full)

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
        return itertools.islice(_files(self.root, path, self.limits, self.mounts), self.limits.max_files + 1)

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
        with found.files.open(found.file) as handle:  # refuses a folder, a link out, a special file
            head = handle.read(want)
        info = found.files.stat(found.file)
        if info.identity in self.seen:  # the same file through a link, or given twice
            return None
        self.seen.add(info.identity)
        size = info.size
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
        try:
            data = found.files.read(found.file, self.limits.max_file_bytes)
        except OSError as error:  # refused, vanished or grown past the cap since it was looked at
            reason = f"cannot be read: {error.strerror or error}"
            return record.model_copy(update={"state": "skipped", "reason": reason})
        parsed = self.reader.parse(data, name, kind, seconds)
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
    root: Path,
    paths: Iterable[Path] | None = None,
    *,
    limits: HarvestLimits = _DEFAULT_LIMITS,
    mounts: Mapping[Path, WorkspaceFiles] | None = None,
) -> Harvest:
    """Index every file under `paths` (files or folders; all of `root` when None) into facts and images.

    A path under a folder of `mounts` (the capsule folder, say) is read through the files that serve it
    (the backend session's), any other from this host. File names in the result are relative to `root`
    when inside it. Never raises for a file's content:
    unreadable, binary, huge, encrypted, slow, special or linked-out files are listed in `Harvest.files`
    with a state and reason.
    """
    with Reader(limits) as reader:
        harvester = _Harvester(root, limits, reader, mounts or {})
        for path in [root] if paths is None else paths:
            harvester.add(Path(path))
        drop_conversions(harvester.result)
        return harvester.result
