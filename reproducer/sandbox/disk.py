"""A watchdog on the workspace's size: what a command may add to the disk before it is stopped.

Polling, not a quota: a command writing fast may pass the cap by what it writes in one interval (the
walk's own cost sets the interval, at least `disk_poll_seconds`). Blocks allocated are counted, so a
sparse file counts what it really uses; links are not followed.
"""

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

BLOCK_BYTES = 512
# A walk this slow relative to the interval would make the watchdog the main load: poll less often.
WALK_SHARE = 0.2


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


@dataclass
class DiskWatch:
    """Says when the `roots` together have grown more than `cap_bytes` past `baseline` (their size when
    the watch began)."""

    roots: list[Path]
    cap_bytes: int
    poll_seconds: float
    baseline: int = -1
    last_size: int = 0
    _next_check: float = field(default=0.0)

    def __post_init__(self) -> None:
        if self.baseline < 0:
            self.baseline = sum(allocated_bytes(root) for root in self.roots)
        self.last_size = self.baseline

    def exceeded(self) -> bool:
        """Whether the cap is passed; walks the tree at most once per interval."""
        now = time.monotonic()
        if now < self._next_check:
            return False
        self.last_size = 0
        for root in self.roots:
            self.last_size += allocated_bytes(root, self.baseline + self.cap_bytes - self.last_size)
        took = time.monotonic() - now
        self._next_check = time.monotonic() + max(self.poll_seconds, took / WALK_SHARE)
        return self.last_size - self.baseline > self.cap_bytes

    def describe(self) -> str:
        grown = (self.last_size - self.baseline) / 1024**3
        return f"the workspace grew by {grown:.2f} GiB, past its cap of {self.cap_bytes / 1024**3:g} GiB"
