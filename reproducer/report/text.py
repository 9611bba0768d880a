"""Text for the page: control characters made visible, long texts cut to their head and tail."""

import re
from dataclasses import dataclass
from pathlib import Path

from reproducer.safefs import open_file

# C0/C1 control characters other than tab and newline, and lone surrogates: not text a page should hold.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean(text: str) -> str:
    """`text` with carriage returns as newlines and other control characters as U+FFFD."""
    return _CONTROL.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class Excerpt:
    """The head and tail of a text; `omitted` characters (or bytes, for a file) between them are left out."""

    head: str
    tail: str = ""
    omitted: int = 0
    total: int = 0
    unit: str = "characters"

    @property
    def empty(self) -> bool:
        return not self.head and not self.tail


def excerpt(text: str, head: int, tail: int) -> Excerpt:
    """`text` whole if it fits in `head + tail` characters, else its first `head` and last `tail`."""
    text = clean(text)
    if len(text) <= head + tail:
        return Excerpt(text, total=len(text))
    return Excerpt(text[:head], text[len(text) - tail :] if tail else "", len(text) - head - tail, len(text))


def clip(text: str, chars: int) -> str:
    """One short text: cut at `chars` with an ellipsis."""
    text = clean(text)
    return text if len(text) <= chars else text[: chars - 1] + "…"


def file_excerpt(path: Path, head: int, tail: int) -> Excerpt:
    """The head and tail of a file, reading only those bytes (logs can be gigabytes). A file that cannot
    be read (a link out of its folder, a special file, gone) gives a one-line excerpt saying why."""
    try:
        return _file_excerpt(path, head, tail)
    except OSError as error:
        return Excerpt(f"[{path.name} not read: {error.strerror or error}]")


def _file_excerpt(path: Path, head: int, tail: int) -> Excerpt:
    with open_file(path.parent, path.name) as handle:  # a regular file, not through a link out
        size = handle.seek(0, 2)
        handle.seek(0)
        if size <= head + tail:
            return Excerpt(_decode(handle.read()), total=size, unit="bytes")
        first = handle.read(head)
        handle.seek(size - tail)
        last = handle.read(tail) if tail else b""
    return Excerpt(_decode(first), _decode(last), size - head - tail, size, "bytes")


def _decode(data: bytes) -> str:
    return clean(data.decode("utf-8", errors="replace"))
