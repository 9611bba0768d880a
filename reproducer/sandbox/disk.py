"""A watchdog on the workspace's size: what a sandbox's commands may add to the disk before they are
stopped.

Polling, not a quota: a command writing fast may pass the cap by what it writes in one interval (the
walk's own cost sets the interval, at least `poll_seconds`). Blocks allocated are counted, so a sparse
file counts what it really uses; links are not followed. A command that starts with the cap already
passed (by a background job) may run, to delete files, but not write more.
"""

import os
import threading
import time
from pathlib import Path

BLOCK_BYTES = 512
# A walk this slow relative to the interval would make the watchdog the main load: poll less often.
WALK_SHARE = 0.2
GIB = 1024**3


def allocated_bytes(root: Path, stop_above: int | None = None) -> int:
    """Bytes allocated under `root` (not following links); stops counting once past `stop_above`."""
    total = 0
    pending = [str(root)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            total += stat.st_blocks * BLOCK_BYTES
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
        if stop_above is not None and total > stop_above:
            return total
    return total


class DiskWatch:
    """Says when the `roots` together have grown more than `cap_bytes` past their size at the start."""

    def __init__(self, roots: list[Path], cap_bytes: int, poll_seconds: float) -> None:
        self.roots, self.cap_bytes, self.poll_seconds = roots, cap_bytes, poll_seconds
        self.baseline = self.measure()
        self.last_size = self.baseline
        self._ceiling = self.limit
        self._next_check = 0.0
        self._lock = threading.Lock()

    @property
    def limit(self) -> int:
        return self.baseline + self.cap_bytes

    def measure(self, stop_above: int | None = None) -> int:
        total = 0
        for root in self.roots:
            left = None if stop_above is None else stop_above - total
            total += allocated_bytes(root, left)
        return total

    def start_command(self) -> None:
        """A command starts: it may not grow the roots past the cap, nor past their size now."""
        with self._lock:
            self.last_size = self.measure()
            self._ceiling = max(self.limit, self.last_size)
            self._next_check = time.monotonic() + self.poll_seconds

    def exceeded(self) -> bool:
        """Whether the running command passed its ceiling; walks the tree at most once per interval."""
        now = time.monotonic()
        if now < self._next_check:
            return False
        with self._lock:
            self.last_size = self.measure(self._ceiling)
            took = time.monotonic() - now
            self._next_check = time.monotonic() + max(self.poll_seconds, took / WALK_SHARE)
            return self.last_size > self._ceiling

    def over_cap(self) -> bool:
        """Whether the roots are past the cap now (for jobs running between commands)."""
        with self._lock:
            self.last_size = self.measure(self.limit)
            return self.last_size > self.limit

    def describe(self) -> str:
        grown = (self.last_size - self.baseline) / GIB
        return f"the workspace grew by {grown:.2f} GiB, past its cap of {self.cap_bytes / GIB:g} GiB"
