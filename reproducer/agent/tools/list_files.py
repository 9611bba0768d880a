"""`list_files`: what a folder of the workspace (or the run's logs) holds, with sizes."""

from pathlib import PurePosixPath

from pydantic import Field

from reproducer.agent.tools.base import Tool, ToolError, ToolInput, ToolOutput
from reproducer.agent.tools.paths import resolve_readable
from reproducer.backends.files import Entry

DEFAULT_DEPTH = 2
MAX_DEPTH = 6
MAX_ENTRIES = 400
SKIPPED = frozenset({".git", "__pycache__", ".ipynb_checkpoints", "node_modules", ".Rproj.user"})

DESCRIPTION = f"""\
List a folder: files with their sizes in bytes, folders ending in `/`, `depth` levels deep (default \
{DEFAULT_DEPTH}, at most {MAX_DEPTH}); at most {MAX_ENTRIES} entries. `.git` and `__pycache__` are \
skipped. Paths as for read_file: relative to the capsule root (default `.`), or the run's log folder. \
Symlinks are shown with their target, not followed."""


class ListFilesInput(ToolInput):
    path: str = Field(default=".", description="Folder to list, relative to the capsule root.")
    depth: int = Field(default=DEFAULT_DEPTH, ge=1, le=MAX_DEPTH, description="How many levels to descend.")


class ListFiles(Tool[ListFilesInput]):
    name = "list_files"
    description = DESCRIPTION
    Input = ListFilesInput

    def run(self, arguments: ListFilesInput) -> ToolOutput:
        target = resolve_readable(self.context, arguments.path)
        if target.entry is None or target.entry.kind != "folder":
            raise ToolError(f"{arguments.path}: {'no such folder' if target.entry is None else 'is a file'}")
        entries: list[str] = []
        total = 0
        start = len(PurePosixPath(target.path).parts) if target.path else 0
        try:
            for entry in target.files.walk(target.path, arguments.depth, SKIPPED):
                total += 1
                if len(entries) < MAX_ENTRIES:
                    entries.append(_line(entry, "/".join(PurePosixPath(entry.path).parts[start:])))
        except OSError as error:  # a folder that vanished or cannot be opened while listed
            entries.append(f"  (the listing stopped: {error.strerror or error})")
        more = f"\n[... {total - len(entries)} more entries not listed]" if total > len(entries) else ""
        body = "\n".join(entries) if entries else "(empty)"
        return ToolOutput(text=f"{target.shown}/\n{body}{more}")


def _line(entry: Entry, name: str) -> str:
    if entry.kind == "link":
        return f"  {name} -> {entry.target}"
    if entry.kind == "folder":
        return f"  {name}/"
    if entry.kind == "special":
        return f"  {name}  ({entry.detail})"
    return f"  {name}  {entry.size}"
