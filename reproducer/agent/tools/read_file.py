"""`read_file`: numbered lines of a text file in the workspace or the run's logs."""

from typing import BinaryIO

from pydantic import Field

from reproducer.agent.tools.base import Tool, ToolError, ToolInput, ToolOutput
from reproducer.agent.tools.paths import resolve_readable
from reproducer.harvest.kinds import sniff_binary
from reproducer.safefs import Refused

DEFAULT_LINES = 400
MAX_LINES = 2000
MAX_CHARS = 40_000
MAX_LINE_CHARS = 2000
SNIFF_BYTES = 8192
# A line is read into memory up to this much (4 bytes per character at most); the rest is skipped.
MAX_LINE_BYTES = 4 * MAX_LINE_CHARS
READ_CHUNK = 1024 * 1024
# Files up to this size are counted to the end so the result can say how many lines there are.
COUNT_LINES_UP_TO_BYTES = 32 * 1024 * 1024

DESCRIPTION = f"""\
Read a text file: lines numbered from 1, `offset` the first line shown, `limit` how many \
(default {DEFAULT_LINES}, at most {MAX_LINES}). At most {MAX_CHARS} characters come back per call and \
lines longer than {MAX_LINE_CHARS} characters are cut; the result says which line to ask for next.

Paths are relative to the capsule root (`code/main.py`, `results/metrics.csv`) or absolute inside the \
run's folders: the command logs and saved outputs whose paths bash and the first message give, and the \
environment's records. /capsule, /code, /data and /results name the capsule's folders as in the sandbox. \
Anything else is refused, even through a symlink. Binary files are reported as such: use view_image for \
figures, or bash for other formats."""


class ReadFileInput(ToolInput):
    path: str = Field(description="File to read, relative to the capsule root or an absolute log path.")
    offset: int = Field(default=1, ge=1, description="First line to show (1-based).")
    limit: int = Field(default=DEFAULT_LINES, ge=1, le=MAX_LINES, description="How many lines to show.")


class ReadFile(Tool[ReadFileInput]):
    name = "read_file"
    description = DESCRIPTION
    Input = ReadFileInput

    def run(self, arguments: ReadFileInput) -> ToolOutput:
        target = resolve_readable(self.context, arguments.path)
        if target.entry is None:
            raise ToolError(f"{arguments.path}: no such file")
        if target.entry.kind == "folder":
            raise ToolError(f"{arguments.path}: is a folder; list it with list_files")
        try:
            with target.files.open(target.path) as handle:
                return _read(handle, target.entry.size, target.shown, arguments)
        except FileNotFoundError:
            raise ToolError(f"{arguments.path}: no such file") from None
        except Refused as refused:
            raise ToolError(f"{arguments.path}: not read: {refused}") from None
        except OSError as error:
            raise ToolError(f"{arguments.path}: cannot be read ({error.strerror or error})") from None


def _read(handle: BinaryIO, size: int, name: str, arguments: ReadFileInput) -> ToolOutput:
    if sniff_binary(handle.read(SNIFF_BYTES)):
        return ToolOutput(
            text=f"{name}: binary file ({size} bytes), not shown. Use view_image for a figure, or bash.",
            is_error=True,
        )
    handle.seek(0)
    text, shown_to = _lines(handle, arguments.offset, arguments.limit)
    if not text:
        return ToolOutput(text=f"{name}: no line {arguments.offset} ({size} bytes)", details={"path": name})
    total = _count_lines(handle, size)
    of = f" of {total}" if total is not None else ""
    more = f"; continue with offset={shown_to + 1}" if total is None or shown_to < total else ""
    header = f"{name}: lines {arguments.offset}-{shown_to}{of}{more}"
    return ToolOutput(text=f"{header}\n{text}", details={"path": name, "lines": [arguments.offset, shown_to]})


def _line(handle: BinaryIO) -> tuple[bytes, int] | None:
    """The next line, at most MAX_LINE_BYTES of it kept (the rest is skipped unread into memory), and
    how many bytes of it were skipped; None at the end of the file."""
    kept = handle.readline(MAX_LINE_BYTES)
    if not kept:
        return None
    skipped = 0
    while not kept.endswith(b"\n"):
        more = handle.readline(READ_CHUNK)
        if not more:
            break
        skipped += len(more)
        if more.endswith(b"\n"):
            break
    return kept, skipped


def _lines(handle: BinaryIO, offset: int, limit: int) -> tuple[str, int]:
    """Numbered lines from `offset`, stopping at `limit` lines or MAX_CHARS; and the last line shown."""
    shown_lines: list[str] = []
    used = 0
    last = offset - 1
    number = 0
    while number < offset - 1 + limit:
        found = _line(handle)
        if found is None:
            break
        number += 1
        if number < offset:
            continue
        data, skipped = found
        line = data.decode("utf-8", errors="replace").rstrip("\r\n")
        if len(line) > MAX_LINE_CHARS or skipped:
            cut = max(0, len(line) - MAX_LINE_CHARS) + skipped  # skipped bytes counted as characters
            line = line[:MAX_LINE_CHARS] + f" [... {cut} characters cut]"
        entry = f"{number:6d}\t{line}"
        if shown_lines and used + len(entry) > MAX_CHARS:
            break
        shown_lines.append(entry)
        used += len(entry) + 1
        last = number
    return "\n".join(shown_lines), last


def _count_lines(handle: BinaryIO, size: int) -> int | None:
    if size > COUNT_LINES_UP_TO_BYTES:
        return None
    handle.seek(0)
    count, last = 0, b""
    while chunk := handle.read(READ_CHUNK):
        count += chunk.count(b"\n")
        last = chunk
    return count + (0 if not last or last.endswith(b"\n") else 1)
