"""Where the file tools may look: the staged workspace and the run's logs and environment records.

Relative paths start at the capsule root, like `bash`. The capsule's sandbox mount points (`/capsule`,
`/code`, `/data`, `/results`) are understood. A path that resolves (symlinks and `..` included) outside
the allowed folders is refused: the run directory's own records (ground-truth grades among them) are not
the agent's to read. Files are then opened through `safefs` below their root: a link the capsule swaps
in after the check, a fifo or a device is refused rather than read.
"""

from pathlib import Path

from reproducer.agent.tools.base import ToolContext, ToolError

# Folders of the run directory the agent may read, besides the capsule itself.
READABLE_RUN_FOLDERS = ("workspace", "logs", "env")
SANDBOX_MOUNTS = ("code", "data", "results")


def readable_roots(context: ToolContext) -> list[Path]:
    run_dir = context.run_dir.resolve()
    return [context.capsule_dir.resolve(), *(run_dir / name for name in READABLE_RUN_FOLDERS)]


def _unmount(path: str, capsule_dir: Path) -> Path:
    """`path` on the host: sandbox mount points mapped onto the capsule, relative paths onto its root."""
    parts = Path(path).parts
    if len(parts) >= 2 and parts[0] == "/" and parts[1] == "capsule":
        return capsule_dir.joinpath(*parts[2:])
    if len(parts) >= 2 and parts[0] == "/" and parts[1] in SANDBOX_MOUNTS:
        return capsule_dir.joinpath(*parts[1:])
    return capsule_dir / path


def resolve_readable(context: ToolContext, path: str) -> Path:
    """The real path `path` names, or ToolError if it is outside every readable folder."""
    if not path.strip():
        raise ToolError("the path is empty")
    target = _unmount(path.strip(), context.capsule_dir).resolve()
    roots = readable_roots(context)
    if not any(target.is_relative_to(root) for root in roots):
        allowed = ", ".join(str(root) for root in roots)
        raise ToolError(f"{path}: resolves to {target}, outside the folders you may read ({allowed})")
    return target


def root_of(context: ToolContext, target: Path) -> Path:
    """The readable folder that holds `target` (a path `resolve_readable` returned): files are opened
    below it through `safefs`, so a link swapped in after the check still cannot lead out."""
    return next(root for root in readable_roots(context) if target.is_relative_to(root))


def shown(context: ToolContext, target: Path) -> str:
    """How a path is written back to the model: relative to the capsule root when inside it."""
    capsule = context.capsule_dir.resolve()
    return target.relative_to(capsule).as_posix() if target.is_relative_to(capsule) else str(target)
