"""Where the file tools may look: the staged workspace and the run's logs and environment records.

Relative paths start at the capsule root, like `bash`. The capsule's sandbox mount points (`/capsule`,
`/code`, `/data` and `/results`) are understood. A path is placed by its words (`..` taken away as
written) under one of the allowed folders, or refused: the run directory's own records (ground-truth
grades among them) are not the agent's to read. It is then read through the files that serve that
folder: the capsule as the backend session serves its workspace (`ToolContext.workspace`), the run's
folders from this host. Either way a link leading out of its folder, a fifo or a device is refused
rather than read.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from reproducer.agent.tools.base import ToolContext, ToolError
from reproducer.backends.files import Entry, HostFiles, WorkspaceFiles
from reproducer.safefs import Outside

# Folders of the run directory the agent may read, besides the capsule itself.
READABLE_RUN_FOLDERS = ("workspace", "logs", "env")
SANDBOX_MOUNTS = ("code", "data", "results")


@dataclass(frozen=True)
class Readable:
    """A path the agent may read: `path` under the folder `files` serves, `where` as this host would
    name it (for links relative to it), `shown` as it is written back to the model, and what it is
    (`entry`, None when nothing is there)."""

    files: WorkspaceFiles
    path: str
    where: Path
    shown: str
    entry: Entry | None


def readable_roots(context: ToolContext) -> list[tuple[Path, WorkspaceFiles]]:
    """The folders the agent may read, each with what serves it; the capsule first (it lies in the run's
    workspace folder)."""
    run_dir = context.run_dir.absolute()
    run_folders = [run_dir / name for name in READABLE_RUN_FOLDERS]
    return [(context.capsule_dir.absolute(), context.workspace()), *((f, HostFiles(f)) for f in run_folders)]


def _unmount(path: str, capsule_dir: Path) -> Path:
    """`path` on the host: sandbox mount points mapped onto the capsule, relative paths onto its root."""
    parts = Path(path).parts
    if len(parts) >= 2 and parts[0] == "/" and parts[1] == "capsule":
        return capsule_dir.joinpath(*parts[2:])
    if len(parts) >= 2 and parts[0] == "/" and parts[1] in SANDBOX_MOUNTS:
        return capsule_dir.joinpath(*parts[1:])
    return capsule_dir / path


def resolve_readable(context: ToolContext, path: str) -> Readable:
    """Where `path` is read from, or ToolError if it is outside every readable folder (by its words, or
    through a link)."""
    if not path.strip():
        raise ToolError("the path is empty")
    target = Path(os.path.normpath(_unmount(path.strip(), context.capsule_dir.absolute())))
    roots = readable_roots(context)
    for root, files in roots:
        # The folder as given and as the host resolves it: a model may quote either (the logs' paths).
        for form in dict.fromkeys((root, root.resolve())):
            if target.is_relative_to(form):
                relative = target.relative_to(form).as_posix()
                relative = "" if relative == "." else relative
                capsule = root == roots[0][0]
                shown = (relative or ".") if capsule else target.as_posix()
                return Readable(files, relative, target, shown, _entry(files, relative, path))
    allowed = ", ".join(str(root) for root, _ in roots)
    raise ToolError(f"{path}: resolves to {target}, outside the folders you may read ({allowed})")


def _entry(files: WorkspaceFiles, relative: str, asked: str) -> Entry | None:
    try:
        return files.stat(relative)
    except FileNotFoundError:
        return None
    except Outside as outside:
        raise ToolError(f"{asked}: {outside}: outside the folders you may read") from None
    except OSError as error:  # refused (a fifo, a device) or unreadable: said by the tool that reads it
        return Entry(path=relative, kind="special", detail=str(error))
