"""Streaming a command's output to disk with a cap: the head is written as it comes, the tail is kept
in a bounded ring buffer, and a marker line stands where the middle was dropped."""

from pathlib import Path
from types import TracebackType

# The ring buffer is trimmed once it exceeds its size by this much, so trimming is amortised.
TRIM_SLACK_BYTES = 1024 * 1024


def drop_marker(dropped: int) -> str:
    return f"\n[... {dropped} bytes dropped ...]\n"


class CappedStream:
    """A write-only sink keeping the first and last `cap // 2` bytes of everything written to it."""

    def __init__(self, path: Path, cap: int) -> None:
        self.path = path
        self.total = 0
        self.dropped = 0
        self._file = path.open("wb")
        self._head_left = cap // 2
        self._tail_cap = cap - cap // 2
        self._tail = bytearray()
        self._written = 0

    def write(self, data: bytes) -> None:
        self.total += len(data)
        if self._head_left:
            head = data[: self._head_left]
            self._file.write(head)
            self._file.flush()  # the log grows as the command prints: `run`'s live line reads it
            self._written += len(head)
            self._head_left -= len(head)
            data = data[len(head) :]
        if data:
            self._tail += data
            if len(self._tail) > self._tail_cap + TRIM_SLACK_BYTES:
                del self._tail[: len(self._tail) - self._tail_cap]

    def close(self) -> None:
        if self._file.closed:
            return
        keep = min(len(self._tail), self._tail_cap)
        self.dropped = self.total - self._written - keep
        if self.dropped:
            self._file.write(drop_marker(self.dropped).encode())
        with memoryview(self._tail) as tail:
            self._file.write(tail[len(tail) - keep :])
        self._file.close()
        self._tail = bytearray()

    def __enter__(self) -> "CappedStream":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def excerpt(stream: CappedStream, limit: int) -> str:
    """Up to `limit` bytes of the stream's head and tail, decoded, with a marker counting what is left out.

    Reads the capped file on disk: its first and last bytes are the stream's, as long as the on-disk cap
    is at least `limit`.
    """
    size = stream.path.stat().st_size
    with stream.path.open("rb") as file:
        if stream.total <= limit and not stream.dropped:
            return file.read().decode(errors="replace")
        head = file.read(limit // 2)
        tail_size = min(limit - limit // 2, size - len(head))
        file.seek(size - tail_size)
        tail = file.read(tail_size)
    left_out = stream.total - len(head) - len(tail)
    return head.decode(errors="replace") + drop_marker(left_out) + tail.decode(errors="replace")
