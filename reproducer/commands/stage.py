"""`reproducer stage`: copy a capsule into a fresh workspace, prepared for a CORE-Bench level."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from reproducer.capsules.levels import Level
from reproducer.capsules.stage import StagedCapsule, stage_capsule
from reproducer.errors import BadInput
from reproducer.tasks.load import load_task


def stage(
    capsule: Annotated[
        str | None,
        typer.Argument(
            help="Capsule folder, .tar.gz/.tar archive, or git URL with an optional #ref "
            "(default: the task's capsule)."
        ),
    ] = None,
    level: Annotated[Level, typer.Option(help="CORE-Bench level: what is removed from the capsule.")] = ...,  # type: ignore[assignment]
    out: Annotated[Path, typer.Option(help="Workspace to create; must be missing or empty.")] = ...,  # type: ignore[assignment]
    task_file: Annotated[Path | None, typer.Option("--task", help="Task file; writes task.txt.")] = None,
    capsule_id: Annotated[
        str | None, typer.Option(help="Which task of the file, or the capsule folder's name without --task.")
    ] = None,
    ref: Annotated[str | None, typer.Option(help="Git branch, tag or commit (for a git capsule).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was staged as JSON.")] = False,
) -> None:
    """Stage a capsule for one attempt: OUT/<capsule_id>/ and, with a task, OUT/task.txt."""
    task = load_task(task_file, capsule_id) if task_file is not None else None
    source = capsule or (task.capsule if task else None)
    if source is None:
        where = f"{task_file}: task {task.capsule_id} names no `capsule`; " if task else ""
        raise BadInput(f"{where}give the capsule (a folder, archive or git URL) as an argument")
    staged = stage_capsule(source, level, out, task=task, capsule_id=capsule_id, ref=ref)
    if as_json:
        print(staged.model_dump_json(indent=2))
    else:
        _print(staged)


def _print(staged: StagedCapsule) -> None:
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"Staged {staged.capsule_id} ({staged.level}) in {staged.capsule_dir}")
    console.print(f"  removed: {', '.join(staged.removed) or 'nothing'}")
    if staged.layout == "repository":
        console.print("  not a Code Ocean layout: staged as it is (the level rules are for capsules)")
    for link in staged.skipped_links:
        console.print(f"  [yellow]warning:[/] symlink skipped: {link}")
    if staged.left_out:
        console.print(f"  left out (the capsule's own archives): {', '.join(staged.left_out)}")
    if staged.task_txt is not None:
        console.print(f"  task: {staged.task_txt}")
